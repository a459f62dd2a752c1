// Whether this build writes the same flights as another, byte for byte: each
// scenario and seed flown by both (research-grade recordings: the per-syscall
// table and the realistic clock, as `fly` makes them; --timing ideal too), one
// after the other in this process, and every file's sha256 compared. For a
// change that must not move a byte (a faster writer, another way of keeping
// the rows): run it against a built checkout of the commit before.
//
//   node dist/bench/same-bytes.js --against DIR [--scenarios normal,sockets,…] [--seeds 1,2,3] [--timing realistic,ideal]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runFlight as thisRunFlight, type FlightResult } from "../src/flight/run-flight.js";
import { SCENARIOS } from "../src/flight/scenarios.js";
import type { FlightOptions } from "../src/flight/options.js";

type RunFlight = (options: FlightOptions) => FlightResult;

const args = process.argv.slice(2);
const opt = (name: string, d: string): string => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : d; };
const against = opt("--against", "");
if (!against) { console.error("usage: node dist/bench/same-bytes.js --against DIR [--scenarios a,b] [--seeds 1,2] [--timing realistic,ideal]"); process.exit(2); }
const other = (await import(pathToFileURL(path.resolve(against, "dist/src/flight/run-flight.js")).href)) as { runFlight: RunFlight };
const scenarios = opt("--scenarios", SCENARIOS.join(",")).split(",");
const seeds = opt("--seeds", "1,2,3").split(",").map(Number);
const timings = opt("--timing", "realistic,ideal").split(",");

const hashes = (run: RunFlight, o: Omit<FlightOptions, "outDir">): Record<string, string> => {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-same-bytes-"));
  try {
    const r = run({ ...o, outDir: dir } as FlightOptions);
    return Object.fromEntries(Object.entries(r.checksums).map(([role, c]) => [role, `${c.bytes} ${c.sha256}`]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

let differ = 0, flights = 0;
for (const timing of timings) {
  for (const scenario of scenarios) {
    for (const seed of seeds) {
      const o = { scenario, seed, timing } as Omit<FlightOptions, "outDir">;
      const a = hashes(thisRunFlight, o), b = hashes(other.runFlight, o);
      const roles = [...new Set([...Object.keys(a), ...Object.keys(b)])];
      const bad = roles.filter((r) => a[r] !== b[r]);
      flights++;
      if (bad.length) differ++;
      console.log(`${timing.padEnd(9)} ${scenario.padEnd(9)} seed ${String(seed).padEnd(4)} ${bad.length ? `DIFFER: ${bad.join(", ")}` : `same ${roles.length} files (table ${a.syscalls?.split(" ")[0] ?? "-"} bytes)`}`);
    }
  }
}
console.log(`${flights - differ} of ${flights} flights byte-identical to ${against}`);
process.exit(differ ? 1 : 0);
