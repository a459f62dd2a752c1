// Differential tests of the x87 unit against the host CPU: full 80-bit
// operands and results, every precision and rounding control (see gen/x87.ts).
// SKYTRACE_SSE_CASES=N runs N cases per instruction form.
import { describe, it, expect } from "vitest";
import { runDiffCases } from "../cpu/harness.js";
import { Rng } from "../cpu/gen/rng.js";
import { x87Ops, x87Case, fxCase } from "./gen/x87.js";

const PER_FORM = Number(process.env.SKYTRACE_SSE_CASES ?? 0) || 40;

describe("x87 vs host CPU", () => {
  const ops = x87Ops();
  for (const [g, filter] of [["arith", (n: string) => /^d[8ace]-/.test(n)], ["other", (n: string) => !/^d[8ace]-/.test(n)]] as const) {
    it(g, () => {
      const rng = new Rng(g === "arith" ? 11 : 12);
      const cases = ops.filter((o) => filter(o.name)).flatMap((o) => Array.from({ length: PER_FORM }, () => x87Case(rng, o)));
      const r = runDiffCases(cases);
      console.log(`x87 ${g}: ${r.ran} cases, ${r.failed} failed`);
      expect(r.failures.join("\n\n")).toBe("");
    });
  }
  it("fxsave/fxrstor/fnstenv/fldenv", () => {
    const rng = new Rng(13);
    const kinds = ["fxsave", "fxrstor", "fnstenv", "fldenv"] as const;
    const cases = kinds.flatMap((k) => Array.from({ length: PER_FORM * 5 }, () => fxCase(rng, k)));
    const r = runDiffCases(cases);
    console.log(`x87 state images: ${r.ran} cases, ${r.failed} failed`);
    expect(r.failures.join("\n\n")).toBe("");
  });
});
