// A child process of scripts/flight-ranges.mjs: flies the jobs it is sent
// ({ scenario, seed, options }), one at a time, and answers each with its
// summary. Each flight's files go to a temporary folder removed at once. The
// CPU time is this process's during the flight (the flight plus V8's helper
// threads), so one flight at a time per process measures one flight; the
// first flight of each worker also pays for its JIT warming up, and says so.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { performance } from "node:perf_hooks";
import { summarize, failure } from "./summary.mjs";

const dist = process.argv[2];
const { runFlight, FlightFailedError, SCENARIO_INTENT } = await import(pathToFileURL(path.join(dist, "src/flight/index.js")).href);
const { Machine } = await import(pathToFileURL(path.join(dist, "src/machine/machine.js")).href);
// One machine (the core compiled here, before any flight) and one set of recorder buffers for
// every flight, as a generate worker keeps them.
const host = { machine: new Machine() };
let first = true;

process.on("message", (job) => {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-ranges-"));
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = runFlight({ ...job.options, scenario: job.scenario, seed: job.seed, outDir: dir }, host);
    const wallS = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    process.send({ id: job.id, summary: summarize(r.manifest, { cpuS: (c.user + c.system) / 1e6, wallS, firstInWorker: first }, SCENARIO_INTENT?.[job.scenario]) });
    first = false;
  } catch (e) {
    if (!(e instanceof FlightFailedError)) {
      process.send({ id: job.id, error: e instanceof Error ? e.message : String(e) });
      return;
    }
    process.send({ id: job.id, summary: failure(job.scenario, job.seed, e.message, SCENARIO_INTENT?.[job.scenario]) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
process.send({ ready: true });
