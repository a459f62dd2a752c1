import { defineConfig } from "vitest/config";

// The tiers (docs/jit.md, "How it is tested"). Every other test runs once in the default tier (the
// JIT on, at its own threshold). The differential and program tests below run once per tier: the
// JIT compiling every trace on its first run (SKYTRACE_JIT_THRESHOLD=1, so code that runs once, as a
// per-instruction case does, is compiled code; whole programs at the 16th, below), and the interpreter alone. test/tiers/check.ts
// fails a file whose Machines were not in the tier its project names. test/flight runs once, in
// the default tier: its files fly the same flights many ways, ~450 s of test time in the
// interpreter at load 15 (busydelay's factoring is 3.6x slower there), which alone would blow the
// suite's 10-minute budget; test/flight/jit.test.ts flies every scenario in both tiers and
// compares every file instead.
const INSTRUCTIONS = ["test/cpu/**/*.test.ts", "test/sse/**/*.test.ts"];
// Whole programs compile at the 16th run of a trace, not the first: at threshold 1 CPython under
// --sysroot (test/programs/dynamic.test.ts) compiles thousands of traces each start and took 309 s
// of the suite alone; at 16 it takes 40 s and still runs most of its code compiled.
const PROGRAMS = ["test/programs/**/*.test.ts", "test/kernel/programs.test.ts"];
const DIFFERENTIAL = [...INSTRUCTIONS, ...PROGRAMS];
// This compares the two tiers itself (explicit Machines of each), whatever the project.
const BOTH_ALREADY = ["test/cpu/jit-lockstep.test.ts"];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Both cores: vitest's default is one worker fewer than the CPUs, one file at a time on a
    // 2-core machine, and most files wait on the programs and flights they spawn.
    maxWorkers: 2,
    globalSetup: ["test/global-setup.ts"],
    projects: [
      {
        extends: true,
        test: { name: "default", include: ["test/**/*.test.ts"], exclude: DIFFERENTIAL, env: { SKYTRACE_JIT: "1", SKYTRACE_JIT_THRESHOLD: "", SKYTRACE_TIER: "default" } },
      },
      {
        extends: true,
        test: {
          name: "jit", include: INSTRUCTIONS, setupFiles: ["test/tiers/check.ts"],
          env: { SKYTRACE_JIT: "1", SKYTRACE_JIT_THRESHOLD: "1", SKYTRACE_TIER: "jit" },
        },
      },
      {
        extends: true,
        test: {
          name: "jit-programs", include: PROGRAMS, setupFiles: ["test/tiers/check.ts"],
          env: { SKYTRACE_JIT: "1", SKYTRACE_JIT_THRESHOLD: "16", SKYTRACE_TIER: "jit" },
        },
      },
      {
        extends: true,
        test: {
          name: "interpreter", include: DIFFERENTIAL, exclude: BOTH_ALREADY, setupFiles: ["test/tiers/check.ts"],
          env: { SKYTRACE_JIT: "0", SKYTRACE_JIT_THRESHOLD: "", SKYTRACE_TIER: "interpreter" },
        },
      },
    ],
  },
});
