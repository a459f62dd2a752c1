import { describe, it, expect } from "vitest";
import { instantiateCore } from "../../src/machine/core.js";
import * as L from "../../src/machine/layout.js";
import * as R from "../../src/machine/trace-ring.js";

// The host's mirrors of the core's memory map (layout.ts) and trace record
// (trace-ring.ts) must match the compiled core: every constant the host names
// as the core does is compared with the core's export of that name.
const core = () => instantiateCore() as unknown as Record<string, WebAssembly.Global | unknown>;

function mirrored(mod: Record<string, unknown>): Array<[string, number, number]> {
  const c = core();
  const out: Array<[string, number, number]> = [];
  for (const name of Object.keys(mod)) {
    const v = mod[name], g = c[name];
    if (typeof v === "number" && g instanceof WebAssembly.Global) out.push([name, Number(g.value), v]);
  }
  return out;
}

describe("memory map mirror", () => {
  it("matches every constant the core exports", () => {
    const pairs = mirrored(L as unknown as Record<string, unknown>);
    for (const [name, coreValue, hostValue] of pairs) expect([name, hostValue]).toEqual([name, coreValue]);
    expect(pairs.length).toBeGreaterThanOrEqual(47);
    // The host names every region past the trace cache as the core places it (PROBES moves with the cache).
    for (const n of ["TC_SET_BITS", "TC_WAYS", "TC_ENTRIES", "CODE_PAGES", "PROBES", "PROBE_SLOT", "JIT_KEPT", "FIXED_END"]) {
      expect(pairs.map(([name]) => name)).toContain(n);
    }
    expect(Number((core().EXIT_PROBE as WebAssembly.Global).value)).toBe(L.Exit.Probe);
    expect(Number((core().EXIT_SS as WebAssembly.Global).value)).toBe(L.Exit.StackFault);
  });
});

describe("fixed area", () => {
  it("holds the trace cache and everything after it below guest RAM", () => {
    expect(L.TC_ENTRIES).toBe(L.TC_WAYS << L.TC_SET_BITS);
    expect(L.CODE_PAGES).toBe(L.TC_BASE + L.TC_ENTRIES * L.TC_BLOCK);
    expect(L.FIXED_END).toBeLessThanOrEqual(L.PHYS_BASE);
  });
});

describe("trace record mirror", () => {
  it("has every field offset and kind the core exports, and the word indices follow from them", () => {
    const pairs = mirrored(R as unknown as Record<string, unknown>);
    for (const [name, coreValue, hostValue] of pairs) expect([name, hostValue]).toEqual([name, coreValue]);
    const names = pairs.map(([n]) => n).sort();
    expect(names).toEqual(["REC_OVERFLOW", "REC_SYSCALL", "REC_SYSRET", "RING_CR3", "RING_KIND", "RING_REGS", "RING_RET", "RING_TICK", "RING_TID"]);
    expect([R.W_KIND, R.W_TID, R.W_TICK, R.W_RAX, R.W_RDI, R.W_R9, R.W_RET, R.W_CR3]).toEqual(
      [R.RING_KIND / 4, R.RING_TID / 4, R.RING_TICK / 4, R.RING_REGS / 4, R.RING_REGS / 4 + 2, R.RING_REGS / 4 + 12, R.RING_RET / 4, R.RING_CR3 / 4]);
    expect(R.RECORD_WORDS * 4).toBe(L.RING_RECORD);
    // Every field fits in the record.
    expect(R.RING_CR3 + 8).toBeLessThanOrEqual(L.RING_RECORD);
    expect(R.RING_REGS + 8 * R.SYSCALL_REGS).toBeLessThanOrEqual(R.RING_CR3);
  });
});
