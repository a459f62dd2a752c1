// Whether a Machine made without an explicit `jit` option has the second tier,
// and at which threshold. On by default; SKYTRACE_JIT=0 in the environment (or
// a command's --no-jit, src/cli/jit-option.ts) turns it off. The setting lives
// in the environment so that every thread and child process a command starts
// (exec's and fly's worker thread, generate's pool, bench's runs) inherits it:
// setJitDefault writes it there too. SKYTRACE_JIT_THRESHOLD=N compiles a trace
// on its Nth run instead of the default (1: every trace on its first run, how
// the test suite's JIT tier runs code that runs once).
import { appendFileSync } from "node:fs";
import type { JitStats } from "./jit.js";

const env = process.env;

export function jitDefault(): boolean { return env.SKYTRACE_JIT !== "0"; }

// Whether the JIT compiles in a compile thread (jit/compile-thread.ts) for a Machine made without
// choosing: SKYTRACE_JIT_THREAD=1 or 0, else COMPILE_THREAD (docs/jit.md, "Compiling off the main thread").
export const COMPILE_THREAD = true;
export function jitThreadDefault(): boolean { const v = env.SKYTRACE_JIT_THREAD; return v === "1" || (v !== "0" && COMPILE_THREAD); }

/** The runs before a trace is compiled when SKYTRACE_JIT_THRESHOLD names a whole number ≥ 1, else undefined (the JIT's own default). */
export function jitThresholdDefault(): number | undefined {
  const t = env.SKYTRACE_JIT_THRESHOLD;
  return t !== undefined && /^[1-9][0-9]{0,8}$/.test(t) ? Number(t) : undefined;
}

/** The JIT on or off for every Machine made from now on without a `jit` option, here and in threads and processes started after. */
export function setJitDefault(v: boolean): void { env.SKYTRACE_JIT = v ? "1" : "0"; }

// The tier each Machine of this thread runs in, for the test suite's check that a tier is the
// one it claims (test/tiers): off until a test asks, so nothing is kept otherwise.
export interface TierTally { interpreted: number; jit: JitStats[] }
let tally: TierTally | undefined;

/** Starts (or restarts) counting the Machines made in this thread and keeping their JIT counters. */
export function countTiers(): TierTally { tally = { interpreted: 0, jit: [] }; return tally; }

/** Machine's constructor: one more Machine, with these JIT counters (undefined: interpreter only). */
export function noteTier(stats: JitStats | undefined): void {
  if (!tally) return;
  if (stats) tally.jit.push(stats); else tally.interpreted++;
}

/** A tier tally in one line: Machines interpreting, Machines with the JIT, the hot traces those compiled and refused, the regions posted to a compile thread. */
export function tallyLine(t: TierTally): string {
  return JSON.stringify({
    interpreted: t.interpreted, jit: t.jit.length,
    compiled: t.jit.reduce((n, s) => n + s.compiled, 0), refused: t.jit.reduce((n, s) => n + s.refused, 0),
    requested: t.jit.reduce((n, s) => n + s.requested, 0),
  });
}

/**
 * For a command's worker thread: when SKYTRACE_JIT_TALLY names a file (the test suite's tier check),
 * counts this thread's Machines and returns what appends their tally line to that file at the end;
 * otherwise does nothing.
 */
export function tallyToFile(): () => void {
  const file = env.SKYTRACE_JIT_TALLY;
  if (!file) return () => {};
  const t = countTiers();
  return () => appendFileSync(file, tallyLine(t) + "\n");
}
