// The ELF loader: a zoo of bad inputs (each must give one clear line and
// status 126, never a stack trace), and the shape of a good image.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync, writeFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { parseElf, ET_EXEC, ET_DYN } from "../../src/kernel/elf/parse.js";
import { build, tmp, runGuest } from "./helpers.js";

const EXIT_ASM = ".globl _start\n.text\n_start:\n  mov $60, %eax\n  mov $9, %edi\n  syscall\n";

let dir: string;
let good: Uint8Array;
let goodPath: string;

beforeAll(() => {
  dir = tmp();
  goodPath = build(dir, "exit9", EXIT_ASM, "S");
  good = new Uint8Array(readFileSync(goodPath));
});

function variant(name: string, bytes: Uint8Array | string): string {
  const p = path.join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

function patched(edit: (b: Uint8Array, dv: DataView) => void): Uint8Array {
  const b = good.slice();
  edit(b, new DataView(b.buffer));
  return b;
}

describe("ELF loader: bad input", () => {
  const cases: Array<[string, () => Uint8Array | string, RegExp]> = [
    ["empty file", () => new Uint8Array(0), /not an ELF executable/],
    ["random bytes", () => Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24), /not an ELF executable \(bad magic\)/],
    ["truncated header", () => good.slice(0, 40), /truncated ELF \(header/],
    ["truncated segments", () => good.slice(0, 300), /truncated ELF/],
    ["32-bit class", () => patched((b) => { b[4] = 1; }), /not a 64-bit ELF/],
    ["big-endian", () => patched((b) => { b[5] = 2; }), /not a little-endian ELF/],
    ["AArch64 machine", () => patched((_b, dv) => dv.setUint16(18, 183, true)), /ELF for AArch64, not x86-64/],
    ["core dump type", () => patched((_b, dv) => dv.setUint16(16, 4, true)), /not an executable ELF \(type core dump\)/],
    ["bad phentsize", () => patched((_b, dv) => dv.setUint16(54, 32, true)), /corrupt ELF \(program header size 32/],
    ["no program headers", () => patched((_b, dv) => dv.setUint16(56, 0, true)), /corrupt ELF \(no program headers\)/],
    ["program headers past the end", () => patched((_b, dv) => dv.setBigUint64(32, 1n << 40n, true)), /truncated ELF \(program headers/],
    ["shell script without its interpreter", () => "#!/bin/sh\necho hi\n", /its interpreter \/bin\/sh is not in the guest file system/],
  ];
  for (const [name, make, msg] of cases) {
    it(`rejects ${name} with one clear line`, () => {
      const r = runGuest(variant(name.replace(/ /g, "_"), make()));
      expect(r.outcome.kind).toBe("exec-error");
      if (r.outcome.kind !== "exec-error") return;
      expect(r.outcome.status).toBe(126);
      expect(r.outcome.message).toMatch(msg);
      expect(r.outcome.message).not.toMatch(/\n|    at /);
    });
  }

  it("rejects a relocatable object", () => {
    const src = variant("obj.c", "int f(int x){return x+1;}\n");
    const obj = path.join(dir, "obj.o");
    expect(spawnSync("gcc", ["-c", "-o", obj, src]).status).toBe(0);
    const r = runGuest(obj);
    expect(r.outcome.kind === "exec-error" && r.outcome.message).toMatch(/type relocatable object/);
  });

  it("refuses a dynamically linked program without a sysroot, in one line naming --sysroot", () => {
    const src = variant("dyn.c", "int main(void){return 0;}\n");
    const exe = path.join(dir, "dyn");
    expect(spawnSync("gcc", ["-o", exe, src]).status).toBe(0);
    const r = runGuest(exe);
    expect(r.outcome.kind).toBe("exec-error");
    const msg = r.outcome.kind === "exec-error" ? r.outcome.message : "";
    expect(msg).toMatch(/dynamically linked: its loader \/lib64\/ld-linux-x86-64\.so\.2 .*--sysroot DIR/);
    expect(msg).not.toMatch(/\n/);
  });
});

describe("ELF loader: good images", () => {
  it("parses a static executable's segments", () => {
    const img = parseElf(good, "exit9");
    expect(img.type).toBe(ET_EXEC);
    expect(img.loads.length).toBeGreaterThan(0);
    expect(img.entry).toBeGreaterThanOrEqual(0x400000);
  });

  it("runs a hand-made static program to its exit status", () => {
    const r = runGuest(goodPath);
    expect(r.outcome.kind).toBe("exited");
    expect(r.outcome.status).toBe(9);
  });

  it("loads a static-pie program at the no-ASLR PIE base", () => {
    const exe = path.join(dir, "pie");
    const src = variant("pie.S", ".globl _start\n.text\n_start:\n  lea _start(%rip), %rdi\n  shr $36, %rdi\n  mov $60, %eax\n  syscall\n");
    expect(spawnSync("gcc", ["-nostdlib", "-static-pie", "-o", exe, src]).status).toBe(0);
    expect(parseElf(new Uint8Array(readFileSync(exe)), "pie").type).toBe(ET_DYN);
    const r = runGuest(exe);
    // 0x555555554000 >> 36 = 0x555; the exit status is its low byte.
    expect(r.outcome.status).toBe(0x55);
  });

  it("notes PT_TLS and the stack's protection in a glibc program", () => {
    const exe = build(dir, "tls", "__thread int t = 3; int main(void){return t;}\n", "c");
    const img = parseElf(new Uint8Array(readFileSync(exe)), "tls");
    expect(img.tls).toBeDefined();
    expect(img.stackExec).toBe(false);
  });
});
