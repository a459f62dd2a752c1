// The worker thread of `skytrace fly`: one flight (runFlight), its outcome
// posted back as plain data. The main thread keeps the signals and may end
// this thread mid-flight; the commit gate keeps that from landing between
// the renames that put the files into place (src/flight/output.ts).
import { parentPort, workerData } from "node:worker_threads";
import { runFlight, FlightInputError, FlightFailedError, type FlightOptions, type FlightManifest } from "../flight/index.js";
import { useCommitGate } from "../flight/output.js";
import { tallyToFile } from "../machine/jit/default.js";

export interface FlyThreadData {
  options: FlightOptions;
  gate: Int32Array;
}

export type FlyThreadResult =
  | { kind: "ok"; dir: string; manifest: FlightManifest }
  | { kind: "input"; message: string }
  | { kind: "failed"; message: string; guestOutput: string };

const d = workerData as FlyThreadData;
useCommitGate(d.gate);
const writeTally = tallyToFile();
let result: FlyThreadResult;
try {
  const r = runFlight(d.options);
  result = { kind: "ok", dir: r.dir, manifest: r.manifest };
} catch (e) {
  if (e instanceof FlightInputError) result = { kind: "input", message: e.message };
  else if (e instanceof FlightFailedError) result = { kind: "failed", message: e.message, guestOutput: e.guestOutput };
  else throw e;
}
writeTally();
parentPort!.postMessage(result);
