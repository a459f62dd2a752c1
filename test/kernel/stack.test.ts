// The initial stack: argc, argv, envp, auxv as the x86-64 ABI lays them out, at the addresses a
// native run under setarch -R gives (stack/layout.c, every alignment of the strings' end).
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";
import { Machine } from "../../src/machine/machine.js";
import { MemoryMap, STACK_TOP } from "../../src/kernel/mm/mm.js";
import { UserMemory } from "../../src/kernel/mm/uaccess.js";
import { buildStack, AT_RANDOM, AT_PAGESZ, AT_PHDR, AT_ENTRY, AT_EXECFN, AT_PLATFORM, AT_HWCAP, AT_CLKTCK, AT_PHNUM, AT_SECURE, HWCAP_BASELINE } from "../../src/kernel/elf/load.js";
import { Random } from "../../src/kernel/random.js";
import type { ElfImage } from "../../src/kernel/elf/parse.js";

function stackFor(seed: number) {
  const m = new Machine();
  const mm = new MemoryMap(m.phys);
  const mem = new UserMemory(mm);
  const img = { phnum: 7, stackExec: false } as ElfImage;
  const { sp } = buildStack(mm, mem, { argv: ["prog", "-v", "x y"], envp: ["A=1", "HOME=/root"], execfn: "/bin/prog", img, entry: 0x401000, phdr: 0x400040, rng: new Random(seed) });
  const u64 = (va: number): number => mem.u64n(va);
  const argc = u64(sp);
  const argv = [...Array(argc).keys()].map((i) => mem.readCString(u64(sp + 8 + i * 8)));
  let p = sp + 8 + argc * 8;
  expect(u64(p)).toBe(0);
  p += 8;
  const envp: string[] = [];
  while (u64(p) !== 0) { envp.push(mem.readCString(u64(p))!); p += 8; }
  p += 8;
  const aux = new Map<number, number>();
  for (;;) { const k = u64(p), v = u64(p + 8); p += 16; if (k === 0) break; aux.set(k, v); }
  return { sp, argc, argv, envp, aux, mem };
}

describe("initial stack", () => {
  it("holds argc, argv and envp, 16-byte aligned below the stack top", () => {
    const s = stackFor(1);
    expect(s.sp % 16).toBe(0);
    expect(s.sp).toBeLessThan(STACK_TOP);
    expect(s.argc).toBe(3);
    expect(s.argv).toEqual(["prog", "-v", "x y"]);
    expect(s.envp).toEqual(["A=1", "HOME=/root"]);
  });

  it("carries the auxiliary vector glibc reads", () => {
    const { aux, mem } = stackFor(1);
    expect(aux.get(AT_PAGESZ)).toBe(4096);
    expect(aux.get(AT_PHDR)).toBe(0x400040);
    expect(aux.get(AT_PHNUM)).toBe(7);
    expect(aux.get(AT_ENTRY)).toBe(0x401000);
    expect(aux.get(AT_CLKTCK)).toBe(100);
    expect(aux.get(AT_SECURE)).toBe(0);
    expect(aux.get(AT_HWCAP)).toBe(HWCAP_BASELINE);
    expect(mem.readCString(aux.get(AT_EXECFN)!)).toBe("/bin/prog");
    expect(mem.readCString(aux.get(AT_PLATFORM)!)).toBe("x86_64");
  });

  it("derives AT_RANDOM's 16 bytes from the seed", () => {
    const a = stackFor(7), b = stackFor(7), c = stackFor(8);
    const bytes = (s: ReturnType<typeof stackFor>) => Buffer.from(s.mem.read(s.aux.get(AT_RANDOM)!, 16)!).toString("hex");
    expect(bytes(a)).toBe(bytes(b));
    expect(bytes(a)).not.toBe(bytes(c));
    expect(bytes(a)).not.toBe("0".repeat(32));
  });
});

// Auxv entries Linux added after 6.1 (the version the emulated kernel reports: uname): natively each
// puts one more 16-byte pair in the table, which moves argc (and the pointer arrays) down by 16;
// the strings above the table stay where they are.
const AT_RSEQ_FEATURE_SIZE = 27, AT_RSEQ_ALIGN = 28;
const LATER = new Set([AT_RSEQ_FEATURE_SIZE, AT_RSEQ_ALIGN, 29, 30]);

function withoutLaterEntries(stdout: string): string {
  const lines = stdout.split("\n").filter((l) => l !== "");
  const later = lines.filter((l) => LATER.has(Number(/^auxv (\d+) /.exec(l)?.[1])));
  const shift = BigInt(16 * later.length);
  return lines.filter((l) => !later.includes(l))
    .map((l) => (l.startsWith("argc ") ? l.replace(/0x[0-9a-f]+$/, (h) => `0x${(BigInt(h) + shift).toString(16)}`) : l))
    .join("\n");
}

const native = spawnSync("setarch", ["-R", "true"]).status === 0;
describe.skipIf(!native || !coreRunsGlibc())("initial stack against a native run (setarch -R)", () => {
  let exe: string;
  beforeAll(() => {
    exe = build(tmp(), "layout", readFileSync(path.join(__dirname, "stack/layout.c"), "utf8"), "c");
  });

  // Sixteen argument lengths: the strings' end takes every position in a 16-byte line, so both
  // roundings Linux makes (before the platform string, below the table) are exercised.
  it("argc, the strings and every auxv entry at native's addresses", () => {
    const env = ["A=1", "HOME=/root"];
    for (let len = 0; len < 16; len++) {
      const args = ["x".repeat(len), "two"];
      const n = spawnSync("setarch", ["-R", exe, ...args], { env: Object.fromEntries(env.map((e) => e.split("="))), encoding: "latin1" });
      expect(n.status).toBe(0);
      const want = withoutLaterEntries(n.stdout);
      expect(want).toMatch(/auxv 25 0x7fff/);
      const got = runGuest(exe, args, { env });
      expect(got.outcome.kind === "exited" && got.outcome.status).toBe(0);
      expect(withoutLaterEntries(got.stdout), `argument of ${len} bytes`).toBe(want);
    }
  });
});
