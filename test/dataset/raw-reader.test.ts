import { describe, it, expect } from "vitest";
import { writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseRawLine, readRawFile, TraceFormatError, type RawEvent } from "../../src/dataset/raw-reader.js";
import { parseRawText, formatRawEvent } from "./trace-text.js";

const SC = "592834, SYSCALL,0x17,0x6,0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x0,0x0,0x1f86f000";
const SR = "592834, SYSRET,0x1f86f000";

function errorOf(text: string): TraceFormatError {
  try {
    parseRawText(text, "t.txt");
  } catch (e) {
    expect(e).toBeInstanceOf(TraceFormatError);
    return e as TraceFormatError;
  }
  throw new Error(`accepted: ${JSON.stringify(text)}`);
}

describe("raw reader: accepts the published layout", () => {
  it("reads the example pair from the dataset description exactly", () => {
    const ev = parseRawText(`${SC}\n${SR}\n`);
    expect(ev).toEqual([
      { kind: "SYSCALL", ts: 592834n, regs: [0x17n, 0x6n, 0x7ffc7f0817f0n, 0x7ffc7f081870n, 0x7ffc7f0818f0n, 0n, 0n], cr3: 0x1f86f000n, line: 1 },
      { kind: "SYSRET", ts: 592834n, cr3: 0x1f86f000n, line: 2 },
    ]);
  });

  it("accepts an empty file, ts 0, and full 64-bit values", () => {
    expect(parseRawText("")).toEqual([]);
    const max = "0xffffffffffffffff";
    const ev = parseRawText(`0, SYSCALL,${max},${max},${max},${max},${max},${max},${max},${max}\n0, SYSRET,0x0\n`);
    expect(ev[0].kind === "SYSCALL" && ev[0].regs.every((r) => r === 2n ** 64n - 1n)).toBe(true);
    expect(ev[1].cr3).toBe(0n);
  });

  it("accepts equal and increasing timestamps, and huge ones", () => {
    const ev = parseRawText(`1, SYSRET,0x1\n1, SYSRET,0x1\n99999999999999999999, SYSRET,0x1\n`);
    expect(ev.map((e) => e.ts)).toEqual([1n, 1n, 99999999999999999999n]);
  });

  it("formats events back to the identical bytes (round trip)", () => {
    const text = `${SC}\n${SR}\n600000, SYSCALL,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0\n600001, SYSRET,0xabcdef\n`;
    expect(parseRawText(text).map(formatRawEvent).join("")).toBe(text);
  });
});

describe("raw reader: rejects everything else, naming the line", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["uppercase hex", SC.replace("0x1f86f000", "0x1F86F000"), /lowercase/],
    ["hex leading zero", SC.replace(",0x6,", ",0x06,"), /leading zero/],
    ["0x00", SR.replace("0x1f86f000", "0x00"), /leading zero/],
    ["ts leading zero", "0592834, SYSRET,0x1", /timestamp has a leading zero/],
    ["value wider than 64 bits", SR.replace("0x1f86f000", "0x1" + "0".repeat(16)), /wider than 64 bits/],
    ["seven registers", "5, SYSCALL,0x0,0x0,0x0,0x0,0x0,0x0,0x0", /malformed SYSCALL/],
    ["nine registers", "5, SYSCALL,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0,0x0", /malformed SYSCALL/],
    ["SYSRET with two values", "5, SYSRET,0x0,0x0", /malformed SYSRET/],
    ["missing space after ts comma", "5,SYSRET,0x0", /malformed SYSRET/],
    ["space after kind comma", "5, SYSRET, 0x0", /malformed SYSRET/],
    ["decimal register", "5, SYSRET,16", /malformed SYSRET/],
    ["negative ts", "-5, SYSRET,0x0", /malformed SYSRET/],
    ["hex ts", "0x5, SYSRET,0x0", /malformed SYSRET/],
    ["trailing space", "5, SYSRET,0x0 ", /malformed SYSRET/],
    ["lowercase kind", "5, sysret,0x0", /not a SYSCALL or SYSRET/],
    ["other text", "hello", /not a SYSCALL or SYSRET/],
    ["CRLF", "5, SYSRET,0x0\r", /CR/],
    ["0X prefix", "5, SYSRET,0X1", /SYSRET/],
    ["bare 0x", "5, SYSRET,0x", /SYSRET/],
  ];
  for (const [name, line, why] of cases) {
    it(`${name}: ${JSON.stringify(line).slice(0, 50)}`, () => {
      const e = errorOf(`${SR}\n${line}\n`);
      expect(e.line).toBe(2);
      expect(e.message).toMatch(/^t\.txt:2: /);
      expect(e.message).toMatch(why);
    });
  }

  it("rejects an empty line in the middle", () => {
    expect(errorOf(`${SR}\n\n${SR}\n`).message).toMatch(/t\.txt:2: empty line/);
  });

  it("rejects a missing final newline (after checking the line itself)", () => {
    expect(errorOf(`${SR}\n${SR}`).message).toMatch(/t\.txt:2: last line is not terminated/);
    expect(errorOf(`${SR}\n5, SYSRET,0x01`).message).toMatch(/t\.txt:2: hex value has a leading zero/);
  });

  it("rejects a decreasing timestamp", () => {
    const e = errorOf(`10, SYSRET,0x1\n10, SYSRET,0x1\n9, SYSRET,0x1\n`);
    expect(e.line).toBe(3);
    expect(e.message).toMatch(/timestamp 9 is smaller than the previous line's 10/);
  });

  it("rejects a line that is far too long without reading it all", () => {
    expect(errorOf("1".repeat(10_000)).message).toMatch(/t\.txt:1: line longer than/);
  });

  it("parseRawLine refuses what the published regex would refuse", () => {
    const published = [/^\d+, SYSCALL,(0x[0-9a-f]+,){7}0x[0-9a-f]+$/, /^\d+, SYSRET,0x[0-9a-f]+$/];
    let seed = 1;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    const alphabet = "0123456789abcdefxX, SYSCALLRET\t-";
    for (let i = 0; i < 3000; i++) {
      // mutate a valid line by one character
      const base = i % 2 ? SC : SR;
      const pos = rnd(base.length);
      const mutated = base.slice(0, pos) + alphabet[rnd(alphabet.length)] + base.slice(pos + 1);
      const publishedOk = published.some((r) => r.test(mutated));
      let ok = true;
      try { parseRawLine(mutated, 1); } catch { ok = false; }
      if (ok) expect(publishedOk).toBe(true); // strict is never looser than published
    }
  });
});

describe("raw reader: streaming a file", () => {
  it("reads a file in chunks with the same result as in memory, across chunk boundaries", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "raw-"));
    const file = path.join(dir, "t.txt");
    let text = "";
    for (let i = 0; i < 50_000; i++) {
      text += `${i * 3}, SYSCALL,0x${(i % 300).toString(16)},0x1,0x2,0x3,0x4,0x5,0x6,0x${(0x1000 + (i % 3) * 0x1000).toString(16)}\n${i * 3 + 1}, SYSRET,0x1000\n`;
    }
    writeFileSync(file, text);
    const got: RawEvent[] = [];
    const lines = await readRawFile(file, (e) => got.push(e));
    expect(lines).toBe(100_000);
    expect(got).toEqual(parseRawText(text, file));
  });

  it("reports the error line of a file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "raw-"));
    const file = path.join(dir, "bad.txt");
    writeFileSync(file, `${SR}\n`.repeat(40_000) + "oops\n");
    await expect(readRawFile(file, () => {})).rejects.toThrow(`${file}:40001: not a SYSCALL or SYSRET event`);
  });

  it("reports a missing file plainly", async () => {
    await expect(readRawFile("/nonexistent/raw.txt", () => {})).rejects.toThrow("/nonexistent/raw.txt: no such file");
  });
});
