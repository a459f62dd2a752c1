// The `.json` of a LID-DS 2021 recording, with the keys its loader reads
// (container[].role, exploit) and the rest of its recordings' layout:
// exploit_name, image, recording_time and time.{container_ready, warmup_end,
// exploit[]}. Times are seconds since the Unix epoch on the guest's wall clock
// (epoch.ts); `relative` is seconds after warmup_end, as in LID-DS's files.
// One time.exploit entry per anomaly episode, at its exact start (the
// manifest's episodes, seen by the kernel's code probes). `exploit` is true
// when the flight has an episode: LID-DS's metrics read time.exploit[0] of
// every exploit recording. A `skytrace` key adds what LID-DS has no key for.
import type { FlightManifest } from "../../flight/manifest.js";
import { epochSeconds } from "./epoch.js";

export interface RecordingInfo { flightId: string; scenario: string; seed: number; split: string }

export function metadataJson(m: FlightManifest, info: RecordingInfo): string {
  const begin = m.recording.beginNs;
  const rel = (t: number) => (t - begin) / 1e9;
  const exploits = m.episodes.map((e) => ({
    absolute: epochSeconds(e.startNs), name: e.cause, relative: rel(e.startNs), source: "SKYTRACE_PROBE", episode: e.episode,
  }));
  const doc = {
    container: [{ ip: "127.0.0.1", name: info.flightId, role: "normal" }],
    exploit: exploits.length > 0,
    exploit_name: info.scenario === "normal" ? "no exploit" : info.scenario,
    image: "skytrace-autopilot",
    recording_time: Math.ceil(m.recording.durationNs / 1e9),
    time: {
      container_ready: { absolute: epochSeconds(0), relative: rel(0), source: "SKYTRACE_CLOCK" },
      exploit: exploits,
      warmup_end: { absolute: epochSeconds(begin), relative: 0, source: "SKYTRACE_CLOCK" },
    },
    skytrace: {
      flight_id: info.flightId, scenario: info.scenario, seed: info.seed, split: info.split,
      recording_begin_ns: begin, recording_end_ns: m.recording.endNs, outcome: m.outcome.autopilotState,
      episodes: m.episodes.map((e) => ({ episode: e.episode, cause: e.cause, start: epochSeconds(e.startNs), end: e.endNs < 0 ? null : epochSeconds(e.endNs) })),
    },
  };
  // LID-DS's Recording2021.metadata() turns every ' into " before parsing: none may be left.
  return JSON.stringify(doc, null, 4).replace(/'/g, "\\u0027") + "\n";
}
