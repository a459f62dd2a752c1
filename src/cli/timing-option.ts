// The `--timing` flag of exec, fly and generate: its own file, so exec declares it
// without loading the flight options.
import type { Options } from "yargs";
import { TIMING_MODELS } from "../kernel/timing/timing.js";

// `--timing MODEL`: one of the timing models, checked as it is parsed (one line naming the flag when not).
export function timingOption(describe: string, dflt?: string): Options {
  return {
    type: "string", requiresArg: true, describe: `${describe} [${TIMING_MODELS.join(" | ")}]`, ...(dflt ? { default: dflt } : {}),
    coerce: (v: unknown) => {
      if (Array.isArray(v)) throw new Error(`--timing must be given once, not ${v.length} times`);
      if (!(TIMING_MODELS as readonly unknown[]).includes(v)) throw new Error(`--timing must be ${TIMING_MODELS.join(" or ")}, not ${JSON.stringify(String(v))}`);
      return v;
    },
  };
}
