// The main thread's reading of a trace for region forming (compile.ts traceShape: no object or
// BigInt per slot) against the compiler's whole reading (readTrace): for every trace a guest
// program's run left in the trace cache, the same count of compiled instructions, the same
// instruction stopped at and the same targets, so the regions formed and their keys are those
// readTrace gave (the compile thread reads the slots whole itself).
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Machine } from "../../src/machine/machine.js";
import { TC_BASE, TC_BLOCK, TC_ENTRIES, TC_HEADER } from "../../src/machine/layout.js";
import { readTrace, traceShape, type Trace } from "../../src/machine/jit/compile.js";
import { tableEnds } from "../../src/machine/jit/table-facts.js";
import { FAST } from "../../src/isa/table.js";
import { runProgram, DEFAULT_ENV } from "../../src/kernel/run-program.js";
import { GUEST_TESTS } from "../programs/emulated-run.js";

const TC_COUNT = 8; // the header's count of slots (layout.ts's trace header)
const M64 = (1n << 64n) - 1n;

// Where control can go from a trace read whole: its branches' targets, a call's return address, and
// the next instruction when it ends without a transfer and every instruction of it compiled.
function targetsOf(t: Trace): bigint[] {
  const out: bigint[] = [];
  for (const { s, next } of t.ins) {
    if (s.fast === FAST.JCC || s.fast === FAST.JMP || s.fast === FAST.CALL) out.push((next + s.imm) & M64);
    if (s.fast === FAST.CALL) out.push(next);
  }
  const last = t.ins[t.ins.length - 1];
  if (!t.stop && !tableEnds(last.s.op, last.s.pfx, (last.s.modrm >> 3) & 7)) out.push(last.next);
  return out;
}

describe("a trace's shape, read without decoding it into objects", () => {
  for (const program of ["printf_double", "simd", "strings", "qsort", "libm"]) {
    it(`is readTrace's, for every trace a run of ${program} left`, () => {
      const m = new Machine(undefined, { jit: 64, compileThread: false });
      const guestPath = `/bin/${program}`;
      const r = runProgram({
        program: readFileSync(path.join(GUEST_TESTS, program)), guestPath, argv: [guestPath], env: DEFAULT_ENV,
        seed: 7, stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, report: () => {}, machine: m,
      });
      expect(r.kind).toBe("exited");
      const mem = new DataView(m.core.memory.buffer);
      let traces = 0, stops = 0, branches = 0;
      for (let i = 0; i < TC_ENTRIES; i++) {
        const b = TC_BASE + i * TC_BLOCK;
        const tag = mem.getBigUint64(b, true);
        if (tag === 0n) continue;
        const start = tag & 0xffff_ffff_ffffn, count = mem.getUint16(b + TC_COUNT, true);
        const whole = readTrace(mem, b + TC_HEADER, count, start), shape = traceShape(mem, b + TC_HEADER, count, start);
        const at = `trace at 0x${start.toString(16)}`;
        expect(shape.count, at).toBe(whole.ins.length);
        expect(shape.stop?.op, at).toBe(whole.stop?.op);
        expect(shape.stop?.fast, at).toBe(whole.stop?.fast);
        if (whole.ins.length) expect(shape.targets, at).toEqual(targetsOf(whole));
        traces++;
        if (whole.stop) stops++;
        if (whole.ins.length && targetsOf(whole).length > 1) branches++;
      }
      expect(traces).toBeGreaterThan(100);
      expect(stops).toBeGreaterThan(0);
      expect(branches).toBeGreaterThan(10);
    });
  }
});
