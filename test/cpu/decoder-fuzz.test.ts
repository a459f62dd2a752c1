// Seeded random byte streams run as code: whatever they decode to, the core must
// end every run() with one of the defined exit reasons and never trap the WASM
// instance (a trap surfaces as a JS exception from run()).
// SKYTRACE_FUZZ_STREAMS=N runs N streams (default 3000).
import { describe, it, expect } from "vitest";
import { CoreBed, CODE_VA, DATA_VA, DATA_LEN } from "./harness.js";
import { Rng } from "./gen/rng.js";
import { EXIT_NAMES } from "../../src/machine/layout.js";

const STREAMS = Number(process.env.SKYTRACE_FUZZ_STREAMS ?? 3000);

describe("decoder/executor fuzz", () => {
  it(`${STREAMS} random byte streams end in defined exits`, () => {
    const rng = new Rng(0xf022);
    const bed = new CoreBed();
    const counts = new Map<string, number>();
    const unimpl = new Map<string, number>();
    for (let s = 0; s < STREAMS; s++) {
      // Bias towards interesting bytes: prefixes, 0F escapes, ModRM-heavy opcodes.
      const code = new Uint8Array(4096);
      for (let i = 0; i < code.length; i++) {
        const r = rng.int(10);
        code[i] = r === 0 ? rng.pick([0x66, 0x67, 0xf2, 0xf3, 0xf0, 0x48, 0x41, 0x4c, 0x64, 0x65]) : r === 1 ? 0x0f : rng.int(256);
      }
      const regs = Array.from({ length: 16 }, () => (rng.int(2) ? BigInt(DATA_VA + rng.int(DATA_LEN)) : rng.u64()));
      regs[4] = BigInt(DATA_VA + 0x1000);
      bed.vm.write(CODE_VA, code, true);
      const m = bed.m;
      for (let i = 0; i < 16; i++) m.setGpr(i, regs[i]);
      m.rip = BigInt(CODE_VA + rng.int(4000));
      m.rflags = rng.u64() & 0xcd5n;
      let reason: number;
      try {
        reason = m.run(200);
      } catch (e) {
        throw new Error(`stream ${s}: the core trapped: ${e}\n bytes at rip: ${Buffer.from(code.subarray(Number(m.rip) - CODE_VA, Number(m.rip) - CODE_VA + 16)).toString("hex")}`);
      }
      expect(reason, `stream ${s}`).toBeGreaterThanOrEqual(0);
      expect(reason, `stream ${s}`).toBeLessThan(EXIT_NAMES.length);
      const name = EXIT_NAMES[reason];
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (name === "unimplemented instruction") {
        const op = m.exit().opcode.toString(16);
        unimpl.set(op, (unimpl.get(op) ?? 0) + 1);
      }
    }
    console.log("exits:", JSON.stringify(Object.fromEntries(counts)));
    console.log("unimplemented opcodes hit:", JSON.stringify(Object.fromEntries(unimpl)));
  });
});
