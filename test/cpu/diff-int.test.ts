// Differential tests of the integer instruction set against the host CPU.
// SKYTRACE_DIFF_CASES=N runs about N cases in total (default: the CI set, ~35k).
import { describe, it, expect } from "vitest";
import { runDiffCases, addResult, emptyResult, summary, Case } from "./harness.js";
import { Rng } from "./gen/rng.js";
import { aluCases, unaryCases, shiftCases, shldCases, mulDivCases } from "./gen/alu.js";

const LONG = Number(process.env.SKYTRACE_DIFF_CASES ?? 0);
const CI_TOTAL = 35000; // about how many cases the default run has

// One test per generator. In long mode the generator runs again with fresh
// seeds (bounded memory) until its share of LONG cases is done.
function check(name: string, make: (rng: Rng, n: number) => Case[], n: number, seed: number): void {
  it(name, () => {
    const total = emptyResult();
    let round = 0, want = 0;
    do {
      const cases = make(new Rng(seed + 1000 * round), n);
      if (round === 0) want = LONG > 0 ? Math.ceil((cases.length * LONG) / CI_TOTAL) : cases.length;
      addResult(total, runDiffCases(cases));
      round++;
    } while (total.ran < want);
    console.log(summary(name, total));
    expect(total.failures.join("\n\n")).toBe("");
  });
}

describe("integer instructions vs host CPU", () => {
  check("alu", aluCases, 24, 1);
  check("unary", unaryCases, 80, 2);
  check("shift/rotate", shiftCases, 24, 3);
  check("shld/shrd", shldCases, 48, 4);
  check("mul/div", mulDivCases, 80, 5);
});

import { bitCases, condCases, moveCases, stackCases, stringCases, atomicCases, faultCases, nopCases, sequenceCases } from "./gen/misc.js";
describe("integer instructions vs host CPU (2)", () => {
  check("bit ops", bitCases, 80, 6);
  check("conditions", condCases, 24, 7);
  check("moves", moveCases, 80, 8);
  check("stack and calls", stackCases, 60, 9);
  check("strings", stringCases, 8, 10);
  check("atomics", atomicCases, 40, 11);
  check("faults", faultCases, 8, 12);
  check("nops", (rng) => nopCases(rng), 2, 13);
  check("flag sequences", sequenceCases, 6000, 14);
});
