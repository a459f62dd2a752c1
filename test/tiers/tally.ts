// What the tier check (check.ts) concludes from the tallies of a test file's Machines: one line per
// thread that made Machines (jit/default.ts's tallyLine). On the JIT side the JIT must have been
// asked for traces (compiled or refused, at threshold 1 every trace that runs), else the threshold
// did not reach the Machines; a file whose code the compiler refuses entirely (test/cpu/core-unit)
// still is in the JIT tier.
export interface TallyLine { interpreted: number; jit: number; compiled: number; refused?: number }

/** Why these tallies are not all in `tier` (undefined when they are). */
export function tierProblem(tier: "jit" | "interpreter", lines: TallyLine[]): string | undefined {
  const sum = lines.reduce((a, l) => ({ interpreted: a.interpreted + l.interpreted, jit: a.jit + l.jit, compiled: a.compiled + l.compiled, refused: a.refused + (l.refused ?? 0) }),
    { interpreted: 0, jit: 0, compiled: 0, refused: 0 });
  if (tier === "interpreter") return sum.jit > 0 ? `${sum.jit} Machine(s) had the JIT on (${sum.compiled} traces compiled)` : undefined;
  if (sum.interpreted > 0) return `${sum.interpreted} Machine(s) ran the interpreter alone`;
  if (sum.jit > 0 && sum.compiled + sum.refused === 0) return `${sum.jit} Machine(s) had the JIT on but it was never asked for a trace (is SKYTRACE_JIT_THRESHOLD=1 reaching them?)`;
  return undefined;
}
