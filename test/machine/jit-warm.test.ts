// The JIT's warm list (assembly/jit/entry.ts's warm ring, src/machine/jit/jit.ts): at every compile,
// the warm traces it gives the batch are exactly those a scan of every trace-cache header finds (a
// count at or above the warm mark, not compiled, refused or pending, of the hot trace's address
// space), including across flushes, process switches (two_spaces forks and runs other code at one
// address) and a ring that overflowed since the last look.
import { describe, it, expect } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { TC_BASE, TC_BLOCK, TC_ENTRIES } from "../../src/machine/layout.js";
import { scanWarm, WARM_SHARE } from "../../src/machine/jit/jit.js";
import { readFileSync } from "node:fs";
import path from "node:path";
import { runProgram, DEFAULT_ENV } from "../../src/kernel/run-program.js";
import { GUEST_TESTS } from "../programs/emulated-run.js";

function runGuest(program: string, args: string[], machine: Machine) {
  const guestPath = `/bin/${program}`;
  return runProgram({
    program: readFileSync(path.join(GUEST_TESTS, program)), guestPath, argv: [guestPath, ...args], env: DEFAULT_ENV,
    seed: 7, stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, report: () => {}, machine,
  });
}

describe("the JIT's warm list", () => {
  for (const [program, args] of [["two_spaces", []], ["qsort", []], ["forkexec", []]] as Array<[string, string[]]>) {
    it(`gives the traces a header scan finds, at every compile: ${program}`, () => {
      const m = new Machine(undefined, { jit: 16, compileThread: false });
      const jit = m.jit!;
      const warm = Math.ceil(jit.threshold / WARM_SHARE);
      const j = jit as unknown as { warmBlocks(w: Uint32Array, ep: number, warm: number, out: number[]): void; warmRead: number };
      const compile = jit.compile.bind(jit);
      let checks = 0, overflows = 0;
      jit.compile = (t: number, start: bigint) => {
        const mem = m.core.memory.buffer;
        const words = new Uint32Array(mem, TC_BASE, (TC_ENTRIES * TC_BLOCK) / 4);
        const ep = Number(new DataView(mem).getBigUint64(t, true) >> 48n);
        const all = new Set<number>();
        scanWarm(words, warm, all);
        const want = [...all].filter((i) => words[(i * TC_BLOCK) / 4 + 1] >>> 16 === ep).sort((a, b) => a - b);
        // Every fifth look as if the ring had overflowed since the last: the headers are scanned.
        if (checks % 5 === 4) { j.warmRead = (j.warmRead - 5000) >>> 0; overflows++; }
        const got: number[] = [];
        j.warmBlocks(words, ep, warm, got);
        expect(got.sort((a, b) => a - b), `compile ${checks}`).toEqual(want);
        checks++;
        compile(t, start);
      };
      expect(runGuest(program, args, m).kind).toBe("exited");
      expect(checks).toBeGreaterThan(20);
      expect(overflows).toBeGreaterThan(3);
      expect(jit.stats.compiled).toBeGreaterThan(0);
    });
  }
});
