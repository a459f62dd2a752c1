// The tier check's verdicts (check.ts runs them after every file of the jit and interpreter projects).
import { describe, it, expect } from "vitest";
import { tierProblem } from "./tally.js";
import { Machine } from "../../src/machine/machine.js";
import { countTiers, setJitDefault, tallyLine } from "../../src/machine/jit/default.js";

describe("the tier check", () => {
  it("accepts each tier's own Machines and refuses the other's", () => {
    expect(tierProblem("jit", [{ interpreted: 0, jit: 2, compiled: 40 }])).toBeUndefined();
    expect(tierProblem("interpreter", [{ interpreted: 3, jit: 0, compiled: 0 }, { interpreted: 1, jit: 0, compiled: 0 }])).toBeUndefined();
    expect(tierProblem("jit", [{ interpreted: 0, jit: 1, compiled: 5 }, { interpreted: 1, jit: 0, compiled: 0 }])).toMatch(/1 Machine\(s\) ran the interpreter alone/);
    expect(tierProblem("interpreter", [{ interpreted: 1, jit: 0, compiled: 0 }, { interpreted: 0, jit: 1, compiled: 3 }])).toMatch(/had the JIT on/);
    expect(tierProblem("jit", [{ interpreted: 0, jit: 4, compiled: 0, refused: 0 }])).toMatch(/never asked for a trace/);
    expect(tierProblem("jit", [{ interpreted: 0, jit: 1, compiled: 0, refused: 3 }])).toBeUndefined();
  });

  it("counts the Machines that take their tier from the default, not those that choose one", () => {
    const was = process.env.SKYTRACE_JIT;
    try {
      const t = countTiers();
      setJitDefault(false); new Machine();
      setJitDefault(true); new Machine();
      new Machine(undefined, { jit: false }); new Machine(undefined, { jit: 1 });
      expect(JSON.parse(tallyLine(t))).toEqual({ interpreted: 1, jit: 1, compiled: 0, refused: 0, requested: 0 });
    } finally {
      if (was === undefined) delete process.env.SKYTRACE_JIT; else process.env.SKYTRACE_JIT = was;
    }
  });
});
