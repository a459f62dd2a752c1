// What the tier check (check.ts) concludes from the tallies of a test file's Machines: one line per
// thread that made Machines (jit/default.ts's tallyLine).
export interface TallyLine { interpreted: number; jit: number; compiled: number }

/** Why these tallies are not all in `tier` (undefined when they are). */
export function tierProblem(tier: "jit" | "interpreter", lines: TallyLine[]): string | undefined {
  const sum = lines.reduce((a, l) => ({ interpreted: a.interpreted + l.interpreted, jit: a.jit + l.jit, compiled: a.compiled + l.compiled }), { interpreted: 0, jit: 0, compiled: 0 });
  if (tier === "interpreter") return sum.jit > 0 ? `${sum.jit} Machine(s) had the JIT on (${sum.compiled} traces compiled)` : undefined;
  if (sum.interpreted > 0) return `${sum.interpreted} Machine(s) ran the interpreter alone`;
  if (sum.jit > 0 && sum.compiled === 0) return `${sum.jit} Machine(s) had the JIT on but compiled no trace (is SKYTRACE_JIT_THRESHOLD=1 reaching them?)`;
  return undefined;
}
