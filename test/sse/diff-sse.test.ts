// Differential tests of the SSE/SSE2 unit against the host CPU: every opcode
// form in gen/sse.ts with special FP values, all rounding modes, FTZ/DAZ and
// MXCSR flags compared. SKYTRACE_SSE_CASES=N runs N cases per opcode form.
import { describe, it, expect } from "vitest";
import { runDiffCases, summary, Case } from "../cpu/harness.js";
import { Rng } from "../cpu/gen/rng.js";
import { sseSpecs, sseCase, ldmxcsrCase } from "./gen/sse.js";

const PER_FORM = Number(process.env.SKYTRACE_SSE_CASES ?? 0) || 60;

function check(name: string, make: () => Case[]): void {
  it(name, () => {
    const r = runDiffCases(make());
    console.log(summary(`sse ${name}`, r));
    expect(r.failures.join("\n\n")).toBe("");
  });
}

describe("SSE/SSE2 vs host CPU", () => {
  const specs = sseSpecs(new Rng(7));
  const groups = new Map<string, typeof specs>();
  for (const s of specs) {
    const g = s.name.split("-")[0];
    groups.set(g, [...(groups.get(g) ?? []), s]);
  }
  let seed = 100;
  for (const [g, list] of groups) {
    const rng = new Rng(seed++);
    check(`${g} (${list.length} forms)`, () => list.flatMap((s) => Array.from({ length: PER_FORM }, () => sseCase(rng, s))));
  }
  check("ldmxcsr", () => {
    const rng = new Rng(99);
    return Array.from({ length: PER_FORM * 2 }, () => ldmxcsrCase(rng));
  });
});
