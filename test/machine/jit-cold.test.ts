// A region takes in only traces that have run at least threshold / COLD_SHARE times when it is
// formed (src/machine/jit/jit.ts): at every compile, each trace the new regions hold had, just
// before, a run count at or above that mark in its header. Without the mark, programs whose loops
// branch now and then to code that ran a few times put such traces in their regions.
import { describe, it, expect } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { TC_BASE, TC_BLOCK, TC_ENTRIES, TC_JIT } from "../../src/machine/layout.js";
import { COLD_SHARE, JIT_NEVER } from "../../src/machine/jit/jit.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { runProgram, DEFAULT_ENV } from "../../src/kernel/run-program.js";
import { GUEST_TESTS } from "../programs/emulated-run.js";

function runGuest(program: string, machine: Machine) {
  const guestPath = `/bin/${program}`;
  return runProgram({
    program: readFileSync(path.join(GUEST_TESTS, program)), guestPath, argv: [guestPath], env: DEFAULT_ENV,
    seed: 7, stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, report: () => {}, machine,
  });
}

describe("a region's traces", () => {
  for (const program of ["qsort", "compute", "strings"]) {
    it(`ran at least threshold / ${COLD_SHARE} times when it was formed: ${program}`, () => {
      const m = new Machine(undefined, { jit: 256, compileThread: false });
      const jit = m.jit!;
      const cold = Math.floor(jit.threshold / COLD_SHARE);
      const holder = (jit as unknown as { holder: Map<bigint, number> }).holder;
      const compile = jit.compile.bind(jit);
      let held = 0, compiles = 0;
      const below: string[] = [];
      jit.compile = (t: number, start: bigint) => {
        // Every block's run count now, by its tag (the holder's key: start RIP and generation).
        const mem = new DataView(m.core.memory.buffer);
        const runs = new Map<bigint, number>();
        for (let i = 0; i < TC_ENTRIES; i++) {
          const b = TC_BASE + i * TC_BLOCK;
          const w = mem.getUint32(b + TC_JIT, true);
          if (w < JIT_NEVER) runs.set(mem.getBigUint64(b, true), w);
        }
        const before = new Set(holder.keys());
        compile(t, start);
        compiles++;
        for (const tag of holder.keys()) {
          if (before.has(tag)) continue;
          held++;
          const n = runs.get(tag);
          if (n !== undefined && n < cold) below.push(`0x${(tag & 0xffff_ffff_ffffn).toString(16)}: ${n} runs`);
        }
      };
      expect(runGuest(program, m).kind).toBe("exited");
      expect(compiles).toBeGreaterThan(0);
      // (not vacuous: the regions took in traces besides their first)
      expect(jit.stats.traces).toBeGreaterThan(jit.stats.compiled);
      expect(held).toBeGreaterThan(0);
      expect(below).toEqual([]);
    });
  }
});
