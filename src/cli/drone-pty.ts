// `skytrace drone --pty`: serve the drone on a host pseudo-terminal, in real
// time, until it lands or crashes (or Ctrl-C / SIGTERM), then print the outcome.
import type { CommandModule } from "yargs";
import { readFileSync, writeFileSync } from "node:fs";
import type { DroneConfigInput, Outcome } from "../drone/index.js";
import { FLIGHT_LIMITS } from "../flight/options.js";
import { numberOption } from "./number-option.js";
import { catchInterrupts } from "./interrupt.js";

interface Args { pty: boolean; seed: number; config?: string; telemetry?: string }

// Scenario JSON as written by hand (docs/drone.md); droneConfig checks every field.
function readConfig(file: string): DroneConfigInput {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`--config ${file}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (e as Error).message}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) throw new Error(`--config ${file}: expected a JSON object of drone fields (docs/drone.md)`);
  return raw as DroneConfigInput; // nanosecond fields are integers, as the drone keeps them
}

const show = (o: Outcome): string => JSON.stringify(o, null, 2);

export const dronePtyCommand: CommandModule<object, Args> = {
  command: "drone",
  describe: "Serve the drone on a host pseudo-terminal (--pty) for a native controller, in real time",
  builder: (y) =>
    y
      .option("pty", { type: "boolean", demandOption: true, describe: "serve on a new host PTY and print its path" })
      .option("seed", numberOption("seed", "seed of the sensor noise (as fly's)", { kind: "integer", min: FLIGHT_LIMITS.seed.min, max: FLIGHT_LIMITS.seed.max }, { default: 1 }))
      .option("config", { type: "string", describe: "scenario JSON overriding the drone defaults (docs/drone.md)" })
      .option("telemetry", { type: "string", describe: "write telemetry.csv here at the end" })
      .check((a) => {
        if (!a.pty) throw new Error("only --pty is available: the simulated flight is `skytrace fly`");
        return true;
      })
      .example("$0 drone --pty", "then: build/guest/autopilot normal 1 /dev/pts/N") as never,
  handler: async (a) => {
    // Loaded when run: node-pty is a native module that other commands do not need.
    const { servePty } = await import("../pty/serve.js");
    const { droneConfig, telemetryCsv } = await import("../drone/index.js");
    const config = droneConfig({ ...(a.config ? readConfig(a.config) : {}), seed: a.seed });
    const srv = servePty(config);
    console.log(srv.path);
    console.error(`skytrace: drone on ${srv.path} (real time); fly it, e.g. build/guest/autopilot normal 1 ${srv.path}; Ctrl-C to stop`);
    // Ctrl-C or SIGTERM (docker stop) end the session alike: the outcome so far is printed.
    const interrupt = catchInterrupts();
    const interrupted = new Promise<"int">((resolve) => interrupt.signal.addEventListener("abort", () => resolve("int")));
    const how = await Promise.race([srv.finished, interrupted]);
    interrupt.dispose();
    // Let the controller read its last lines before the terminal goes away.
    if (how !== "int") await new Promise((r) => setTimeout(r, 500));
    srv.close();
    const o = srv.outcome();
    if (a.telemetry) writeFileSync(a.telemetry, telemetryCsv(srv.drone.telemetry));
    console.log(show(o));
    process.exitCode = o.crashed ? 1 : 0;
  },
};
