// `skytrace exec` on inputs that are not runnable programs, and on programs
// that fault: each must end with one clear line on stderr and a non-zero
// status (128+signal for a guest killed by a signal), never a JS stack trace.
// Skipped until `skytrace exec` runs the hello program.
import { describe, it, expect, beforeAll } from "vitest";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runSkytrace, emulatorRunsHello, GUEST_TESTS, ROOT } from "./emulated-run.js";

const ready = emulatorRunsHello();
const HELLO = path.join(GUEST_TESTS, "hello");

function expectOneLineError(stderr: Buffer): string {
  const text = stderr.toString("utf8");
  expect(text, "no JS stack trace").not.toMatch(/^\s+at /m);
  const lines = text.trimEnd().split("\n");
  expect(lines.length, `exactly one line on stderr, got:\n${text}`).toBe(1);
  expect(lines[0].length).toBeGreaterThan(10);
  return lines[0];
}

let dir = "";
const files: Record<string, string> = {};

beforeAll(() => {
  if (!ready) return;
  dir = mkdtempSync(path.join(tmpdir(), "bad-input-"));
  const hello = readFileSync(HELLO);
  const put = (name: string, bytes: Buffer | string, mode = 0o755): void => {
    files[name] = path.join(dir, name);
    writeFileSync(files[name], bytes);
    chmodSync(files[name], mode);
  };
  put("empty", Buffer.alloc(0));
  put("truncated-header", hello.subarray(0, 40));
  put("truncated-segments", hello.subarray(0, 3000)); // headers intact, PT_LOAD data cut off
  const badClass = Buffer.from(hello); badClass[4] = 1; // ELFCLASS32
  put("elf32-class", badClass);
  const badPhoff = Buffer.from(hello); badPhoff.writeBigUInt64LE(0xffffffffff00n, 32); // e_phoff far outside the file
  put("corrupt-phoff", badPhoff);
  const badPhnum = Buffer.from(hello); badPhnum.writeUInt16LE(0xffff, 56); // e_phnum
  put("corrupt-phnum", badPhnum);
  const noMagic = Buffer.from(hello); noMagic[1] = 0x45 ^ 0x20;
  put("bad-magic", noMagic);
  const arm = Buffer.from(hello); arm.writeUInt16LE(183, 18); // e_machine = EM_AARCH64
  put("aarch64-elf", arm);
  const rel = Buffer.from(hello); rel.writeUInt16LE(1, 16); // e_type = ET_REL
  put("relocatable-elf", rel);
  let s = 12345;
  const random = Buffer.alloc(8192);
  for (let i = 0; i < random.length; i++) random[i] = (s = (s * 1103515245 + 12345) >>> 0) >>> 24;
  put("random-bytes", random);
  put("shell-script", "#!/bin/sh\necho hi\n");
  // A dynamically linked build of hello (gcc without -static).
  files["dynamic-elf"] = path.join(dir, "dynamic-elf");
  const cc = spawnSync("gcc", ["-O2", "-o", files["dynamic-elf"], path.join(ROOT, "guest/tests/hello.c")]);
  if (cc.status !== 0) throw new Error(`gcc failed: ${cc.stderr}`);
});

describe("skytrace exec refuses what it cannot run", () => {
  const refused = ["empty", "truncated-header", "truncated-segments", "elf32-class", "corrupt-phoff", "corrupt-phnum", "bad-magic",
    "aarch64-elf", "relocatable-elf", "random-bytes", "shell-script"];
  for (const name of refused) {
    it.skipIf(!ready)(name, () => {
      const r = runSkytrace(["exec", files[name]], { timeoutMs: 30_000 });
      expect(r.status).not.toBe(0);
      expect(r.stdout.length).toBe(0);
      expectOneLineError(r.stderr);
    });
  }

  it.skipIf(!ready)("a dynamically linked ELF without --sysroot: one line naming the flag, status 126; with --sysroot / it runs", () => {
    const r = runSkytrace(["exec", files["dynamic-elf"]], { timeoutMs: 30_000 });
    expect(r.status).toBe(126);
    expect(r.stdout.length).toBe(0);
    expect(expectOneLineError(r.stderr)).toMatch(/dynamically linked: its loader \/lib64\/ld-linux-x86-64\.so\.2 .*--sysroot DIR/);
    const ok = runSkytrace(["exec", "--sysroot", "/", files["dynamic-elf"]], { timeoutMs: 30_000 });
    expect(ok.stdout.toString()).toBe("hello, world\n");
    expect(ok.status).toBe(0);
  });

  it.skipIf(!ready)("a missing file and a directory", () => {
    for (const target of [path.join(dir, "does-not-exist"), dir]) {
      const r = runSkytrace(["exec", target], { timeoutMs: 30_000 });
      expect(r.status).not.toBe(0);
      expectOneLineError(r.stderr);
    }
  });
});

describe("guest faults end the program as Linux would", () => {
  const faults: Array<[string, number, string]> = [
    ["bad_ud2", 128 + 4, "before ud2\n"],
    ["bad_wildjump", 128 + 11, "before wild call\n"],
    ["bad_stackoverflow", 128 + 11, "recursing\n"],
  ];
  for (const [prog, status, out] of faults) {
    it.skipIf(!ready)(`${prog}: status ${status}, one line on stderr`, () => {
      const r = runSkytrace(["exec", path.join(GUEST_TESTS, prog)], { timeoutMs: 60_000 });
      expect(r.stdout.toString()).toBe(out);
      expect(r.status).toBe(status);
      const line = expectOneLineError(r.stderr);
      expect(line).toMatch(/rip/i); // the fault report says where it happened
    });
  }
});
