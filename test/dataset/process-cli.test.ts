// `skytrace process` end to end, through the built CLI (npm install builds dist/).
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, readdirSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseRawText, toProcessedText } from "./trace-text.js";
import { readProcessedFile } from "./processed-reader.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const bin = path.join(root, "bin/skytrace.js");

function skytrace(args: string[], nodeArgs: string[] = []) {
  const r = spawnSync(process.execPath, [...nodeArgs, bin, ...args], { encoding: "latin1", maxBuffer: 1 << 28 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectOneCleanErrorLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split("\n");
  expect(lines.length).toBe(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/^\s+at /m);
}

const RAW = "10, SYSCALL,0x0,0x3,0x7ffc0000,0x1,0x0,0x0,0x0,0x1000\n10, SYSRET,0x1000\n25, SYSCALL,0x17,0x6,0x0,0x0,0x0,0x0,0x0,0x1000\n26, SYSRET,0x1000\n";

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "process-cli-"));
});

describe("skytrace process", () => {
  it("writes the processed format to stdout", () => {
    const raw = path.join(dir, "a.txt");
    writeFileSync(raw, RAW);
    const r = skytrace(["process", raw]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("0\t1\n15\t24\n");
    expect(r.stdout).toBe(toProcessedText(parseRawText(RAW)));
  });

  it("writes to -o, leaving no temporary file behind", () => {
    const raw = path.join(dir, "b.txt");
    const out = path.join(dir, "b.processed.txt");
    writeFileSync(raw, RAW);
    const r = skytrace(["process", raw, "-o", out]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("");
    expect(readFileSync(out, "latin1")).toBe("0\t1\n15\t24\n");
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("stops at a bad line with one clear error and leaves no output file", () => {
    const raw = path.join(dir, "bad.txt");
    const out = path.join(dir, "bad.processed.txt");
    writeFileSync(raw, RAW + RAW); // the second copy's first line goes back in time
    const r = skytrace(["process", raw, "-o", out]);
    expect(r.status).not.toBe(0);
    expectOneCleanErrorLine(r.stderr, new RegExp(`bad\\.txt:5: timestamp 10 is smaller than the previous line's 26`));
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("does not replace an existing output when the input is bad", () => {
    const raw = path.join(dir, "bad2.txt");
    const out = path.join(dir, "keep.txt");
    writeFileSync(raw, "5, SYSCALL,0x0\n");
    writeFileSync(out, "old contents\n");
    const r = skytrace(["process", raw, "-o", out]);
    expect(r.status).not.toBe(0);
    expectOneCleanErrorLine(r.stderr, /bad2\.txt:1: malformed SYSCALL line/);
    expect(readFileSync(out, "latin1")).toBe("old contents\n");
  });

  it("reports a missing input, a directory as input, and an unwritable output plainly", () => {
    let r = skytrace(["process", path.join(dir, "missing.txt")]);
    expect(r.status).not.toBe(0);
    expectOneCleanErrorLine(r.stderr, /missing\.txt: no such file/);
    r = skytrace(["process", dir]);
    expect(r.status).not.toBe(0);
    expectOneCleanErrorLine(r.stderr, /is a directory/);
    const raw = path.join(dir, "c.txt");
    writeFileSync(raw, RAW);
    r = skytrace(["process", raw, "-o", path.join(dir, "no/such/dir/out.txt")]);
    expect(r.status).not.toBe(0);
    expectOneCleanErrorLine(r.stderr, /cannot write .*does not exist/);
  });

  it("refuses a binary file", () => {
    const raw = path.join(dir, "random.bin");
    const bytes = Buffer.alloc(100_000);
    let s = 99;
    for (let i = 0; i < bytes.length; i++) bytes[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
    writeFileSync(raw, bytes);
    const r = skytrace(["process", raw]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/random\.bin:1: /);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("streams a file far larger than its heap (64 MB raw through a 24 MB heap)", async () => {
    const raw = path.join(dir, "big.txt");
    const out = path.join(dir, "big.processed.txt");
    const n = 500_000;
    const w = createWriteStream(raw);
    let buf = "";
    for (let i = 0; i < n; i++) {
      buf += `${i * 1000 + (i % 7)}, SYSCALL,0x${(i % 300).toString(16)},0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x7ffc7f0818f0,0x0,0x0,0x1f86f000\n`;
      buf += `${i * 1000 + 500}, SYSRET,0x1f86f000\n`;
      if (buf.length > 1 << 20) {
        if (!w.write(buf)) await new Promise<void>((res) => w.once("drain", () => res()));
        buf = "";
      }
    }
    await new Promise<void>((res) => w.end(buf, () => res()));
    const r = skytrace(["process", raw, "-o", out], ["--max-old-space-size=24"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    let count = 0;
    let firstBad = -1n;
    await readProcessedFile(out, (l) => {
      const i = count++;
      const expectedDelta = i === 0 ? 0 : 1000 + (i % 7) - ((i - 1) % 7);
      if (l.delta !== BigInt(expectedDelta) || l.callPlusOne !== BigInt((i % 300) + 1)) firstBad = BigInt(i);
    });
    expect(firstBad).toBe(-1n); // index of a wrong line, if any
    expect(count).toBe(n);
  });
});
