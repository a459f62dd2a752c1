// Compiled code goes on to the next compiled trace by looking it up in the core's trace cache
// itself (src/machine/jit/compile.ts emitChain, written inline: decoder/tcache.ts's tcSet, tcTag
// and tcFind). Its set computation must be the core's: if the cache's hash or geometry changes in
// the core alone, every lookup from compiled code would miss (no chaining, silently) or look at
// the wrong block. The constants it uses are the core's (test/machine/layout.test.ts); this holds
// the hash to every trace a real run left in the cache. Exactness of chaining itself is the lockstep
// test's (test/cpu/jit-lockstep.test.ts).
import { describe, it, expect } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MiniLinux } from "./minilinux.js";
import { Machine } from "../../src/machine/machine.js";
import { TC_BASE, TC_BLOCK, TC_ENTRIES } from "../../src/machine/layout.js";
import { traceSetOf } from "../../src/machine/jit/compile.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const factor = path.resolve(here, "../../build/guest/bench/factor");

describe("the JIT's inline trace-cache lookup", () => {
  it.runIf(existsSync(factor))("finds each trace a run left in the cache where the core put it", () => {
    const k = new MiniLinux(new Machine(undefined, { jit: 1 }));
    k.load(factor, ["factor", "1"]);
    k.m.run(200_000);
    const core = k.m.core as unknown as { memory: WebAssembly.Memory; dcEpoch: WebAssembly.Global; traceBlock(rip: bigint): number };
    const mem = new DataView(core.memory.buffer);
    const epoch = core.dcEpoch.value as bigint;
    let seen = 0;
    for (let i = 0; i < TC_ENTRIES; i++) {
      const block = TC_BASE + i * TC_BLOCK;
      const tag = mem.getBigUint64(block, true);
      if (tag === 0n || tag >> 48n !== epoch) continue;
      const rip = tag & 0xffff_ffff_ffffn;
      const set = traceSetOf(rip);
      expect([set, set + TC_BLOCK], `trace at 0x${rip.toString(16)}`).toContain(block);
      expect(core.traceBlock(rip)).toBe(block);
      seen++;
    }
    expect(seen).toBeGreaterThan(50);
  });
});
