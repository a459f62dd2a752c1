import { describe, it, expect } from "vitest";
import { instantiateCore } from "../../src/machine/core.js";
import * as L from "../../src/machine/layout.js";

// The host's mirror of the core's memory map must match the compiled core.
describe("memory map mirror", () => {
  it("matches every constant the core exports", () => {
    const core = instantiateCore() as unknown as Record<string, WebAssembly.Global | unknown>;
    const names = Object.keys(L).filter((k) => typeof (L as Record<string, unknown>)[k] === "number");
    let checked = 0;
    for (const name of names) {
      const g = core[name];
      if (!(g instanceof WebAssembly.Global)) continue;
      expect([name, Number(g.value)]).toEqual([name, (L as Record<string, number>)[name]]);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(29);
  });
});
