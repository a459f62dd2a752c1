// Fast forms (assembly/decoder/classify.ts, assembly/exec/fast.ts) against the
// generic dispatch: each program runs twice in lockstep, once with fast forms
// and once with every instruction decoded for the generic path, and after
// every short slice the two machines must agree on the whole CPU context
// (GPRs, RIP, RFLAGS, segment bases, MXCSR, x87 and XMM), the clock and the
// exit. Real gcc -O2 -static code covers the shapes compilers emit, in the
// order they emit them (flags left by one instruction and read by the next).
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MiniLinux } from "./minilinux.js";
import { Exit, STATE, S_TICKS, S_FPU_CW } from "../../src/machine/layout.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const SLICE = 997; // instructions between comparisons (odd, so slices end mid-trace)

type Core = { setFastForms(on: number): void; memory: WebAssembly.Memory };

// The compared state: GPRs..CR3 region up to the clock, the clock, MXCSR, and x87/XMM.
function snapshot(k: MiniLinux): Buffer {
  const b = Buffer.from((k.m.core as unknown as Core).memory.buffer, STATE, 768);
  return Buffer.concat([b.subarray(0, S_TICKS + 8), b.subarray(232, 236), b.subarray(S_FPU_CW, 768)]);
}

function lockstep(exe: string, argv: string[]): { slices: number; instructions: bigint; stdout: string } {
  const fast = new MiniLinux(), slow = new MiniLinux();
  (slow.m.core as unknown as Core).setFastForms(0);
  fast.load(exe, argv);
  slow.load(exe, argv);
  const sys = (k: MiniLinux): bigint | null => (k as unknown as { syscall(): bigint | null }).syscall();
  let slices = 0;
  for (;;) {
    const a = fast.m.run(SLICE), b = slow.m.run(SLICE);
    slices++;
    expect(b, `exit after slice ${slices}`).toBe(a);
    const sa = snapshot(fast), sb = snapshot(slow);
    if (!sa.equals(sb)) {
      const rip = (s: Buffer) => s.readBigUInt64LE(128).toString(16);
      let at = 0;
      while (sa[at] === sb[at]) at++;
      throw new Error(`${path.basename(exe)}: state differs after slice ${slices} (fast rip 0x${rip(sa)}, generic rip 0x${rip(sb)}, first byte ${at})`);
    }
    if (a === Exit.Budget) continue;
    if (a !== Exit.Syscall) throw new Error(`${path.basename(exe)}: exit ${a} at slice ${slices}`);
    const ra = sys(fast), rb = sys(slow);
    expect(rb).toBe(ra);
    if (ra === null) break;
    fast.m.setGpr(0, BigInt.asUintN(64, ra)); fast.m.sysret();
    slow.m.setGpr(0, BigInt.asUintN(64, rb!)); slow.m.sysret();
  }
  const out = (k: MiniLinux) => Buffer.from((k as unknown as { out: number[] }).out).toString("latin1");
  expect(out(slow)).toBe(out(fast));
  return { slices, instructions: fast.m.ticks, stdout: out(fast) };
}

describe("fast forms vs the generic dispatch, in lockstep", () => {
  const bench = (n: string) => path.resolve(here, "../../build/guest/bench", n);
  for (const [name, args] of [["factor", ["1"]], ["mixed", ["1"]]] as const) {
    it.runIf(existsSync(bench(name)))(`${name} ${args.join(" ")}`, () => {
      const r = lockstep(bench(name), [name, ...args]);
      expect(r.stdout).not.toBe("");
      console.log(`${name}: ${r.instructions} instructions, ${r.slices} slices compared`);
    });
  }
  const srcDir = path.resolve(here, "../native/programs");
  const outDir = mkdtempSync(path.join(tmpdir(), "skytrace-fastforms-"));
  for (const f of readdirSync(srcDir).filter((f) => f.endsWith(".c"))) {
    it(f, () => {
      const exe = path.join(outDir, f.slice(0, -2));
      execFileSync("gcc", ["-O2", "-static", "-o", exe, path.join(srcDir, f), "-lm"]);
      const r = lockstep(exe, [exe]);
      console.log(`${f}: ${r.instructions} instructions, ${r.slices} slices compared`);
    });
  }
});
