// `skytrace drone --pty`: serve the drone on a host pseudo-terminal, in real
// time, until it lands or crashes (or Ctrl-C), then print the outcome.
import type { CommandModule } from "yargs";
import { readFileSync, writeFileSync } from "node:fs";
import { servePty } from "../pty/serve.js";
import { DroneConfigInput, droneConfig, telemetryCsv, Outcome } from "../drone/index.js";

interface Args { pty: boolean; seed: number; config?: string; telemetry?: string }

// Scenario JSON as written by hand (nanosecond fields as integers, as the drone keeps them).
function readConfig(file: string): DroneConfigInput {
  return JSON.parse(readFileSync(file, "utf8")) as DroneConfigInput;
}

const show = (o: Outcome): string => JSON.stringify(o, null, 2);

export const dronePtyCommand: CommandModule<object, Args> = {
  command: "drone",
  describe: "Serve the drone on a host pseudo-terminal (--pty) for a native controller, in real time",
  builder: (y) =>
    y
      .option("pty", { type: "boolean", demandOption: true, describe: "serve on a new host PTY and print its path" })
      .option("seed", { type: "number", default: 1, describe: "seed of the sensor noise (0..4294967295)" })
      .option("config", { type: "string", describe: "scenario JSON overriding the drone defaults (docs/drone.md)" })
      .option("telemetry", { type: "string", describe: "write telemetry.csv here at the end" })
      .check((a) => {
        if (!a.pty) throw new Error("only --pty is available: the simulated flight is `skytrace fly`");
        if (!Number.isSafeInteger(a.seed) || a.seed < 0 || a.seed > 0xffff_ffff) throw new Error("--seed must be an integer from 0 to 4294967295");
        return true;
      })
      .example("$0 drone --pty", "then: build/guest/autopilot normal 1 /dev/pts/N"),
  handler: async (a) => {
    const config = droneConfig({ ...(a.config ? readConfig(a.config) : {}), seed: a.seed });
    const srv = servePty(config);
    console.log(srv.path);
    console.error(`skytrace: drone on ${srv.path} (real time); fly it, e.g. build/guest/autopilot normal 1 ${srv.path}; Ctrl-C to stop`);
    const interrupted = new Promise<"int">((resolve) => process.once("SIGINT", () => resolve("int")));
    const how = await Promise.race([srv.finished, interrupted]);
    // Let the controller read its last lines before the terminal goes away.
    if (how !== "int") await new Promise((r) => setTimeout(r, 500));
    srv.close();
    const o = srv.outcome();
    if (a.telemetry) writeFileSync(a.telemetry, telemetryCsv(srv.drone.telemetry));
    console.log(show(o));
    process.exitCode = o.crashed ? 1 : 0;
  },
};
