// `--jit` / `--no-jit` of every command that runs guest code (exec, fly, generate, bench): the
// second tier (docs/jit.md) is on unless SKYTRACE_JIT=0 is in the environment; the flag, when
// given, wins. Outputs are byte-identical either way; only the speed differs.
import type { Options } from "yargs";
import { setJitDefault } from "../machine/jit/default.js";

export const JIT_OPTION: Options = {
  type: "boolean",
  describe: "compile hot guest code to WebAssembly (the second tier, docs/jit.md; on by default, or off with SKYTRACE_JIT=0 " +
    "in the environment): the same run, instruction for instruction, byte-identical outputs, faster on loops; --no-jit runs the interpreter alone",
};

/** The flag's value applied to this command, its threads and its child processes (undefined: the environment decides). */
export function useJitFlag(v: unknown): void {
  if (typeof v === "boolean") setJitDefault(v);
}
