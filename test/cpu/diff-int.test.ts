// Differential tests of the integer instruction set against the host CPU.
// SKYTRACE_DIFF_CASES=N scales the random part up (about N cases in total).
import { describe, it, expect } from "vitest";
import { runDiffCases, Case } from "./harness.js";
import { Rng } from "./gen/rng.js";
import { aluCases, unaryCases, shiftCases, shldCases, mulDivCases } from "./gen/alu.js";

const LONG = Number(process.env.SKYTRACE_DIFF_CASES ?? 0);
// Per-group repetition factor: CI default, or scaled so the total is roughly LONG.
const scale = (ciN: number, ciTotal: number) => (LONG > 0 ? Math.max(ciN, Math.round((ciN * LONG) / ciTotal / 10)) : ciN);

function check(name: string, make: (rng: Rng, n: number) => Case[], n: number, seed: number): void {
  it(name, () => {
    const cases = make(new Rng(seed), scale(n, 20000));
    const r = runDiffCases(cases);
    console.log(`${name}: ${r.ran} cases, ${r.failed} failed`);
    expect(r.failures.join("\n\n")).toBe("");
  });
}

describe("integer instructions vs host CPU", () => {
  check("alu", aluCases, 12, 1);
  check("unary", unaryCases, 40, 2);
  check("shift/rotate", shiftCases, 12, 3);
  check("shld/shrd", shldCases, 24, 4);
  check("mul/div", mulDivCases, 40, 5);
});

import { bitCases, condCases, moveCases, stackCases, stringCases, atomicCases, faultCases, nopCases, sequenceCases } from "./gen/misc.js";
describe("integer instructions vs host CPU (2)", () => {
  check("bit ops", bitCases, 40, 6);
  check("conditions", condCases, 12, 7);
  check("moves", moveCases, 40, 8);
  check("stack and calls", stackCases, 30, 9);
  check("strings", stringCases, 4, 10);
  check("atomics", atomicCases, 20, 11);
  check("faults", faultCases, 4, 12);
  check("nops", (rng) => nopCases(rng), 1, 13);
  check("flag sequences", sequenceCases, 3000, 14);
});
