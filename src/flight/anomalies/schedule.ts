// A flight's anomaly schedule: alternating normal and anomalous stretches,
// drawn from the flight's "anomalies" sub-seed (src/flight/seeds.ts) within
// its kind's ranges, any parameter pinnable. The schedule's clock starts when
// the autopilot first reports the phase window (`phase`); the first stretch
// begins `after` units into it, each next one `after` units after the end of
// the one before, and each lasts `duration` units. The unit is the
// autopilot's poll for the kinds it carries out (its own code decides, from
// these numbers on its command line: guest/autopilot.c) and the millisecond
// for an attack on the drone's side (spoof: the host decides).
//
// Every scalar takes exactly one draw, always, in a fixed order (the episode
// count first, then MAX_STRETCHES stretches whatever the count), so pinning a
// parameter changes no other draw. docs/dataset.md lists the ranges and why.
import { Prng } from "../../drone/prng.js";

export const MAX_STRETCHES = 8;
export const ANOMALY_PHASES = ["TAKEOFF", "CRUISE", "LANDING"] as const;
export type AnomalyPhase = (typeof ANOMALY_PHASES)[number];

export interface Range { min: number; max: number }
export interface ParamSpec { name: string; range: Range; kind: "integer" | "real"; what: string }

export interface KindSpec {
  cause: string;
  unit: "polls" | "ms";
  phase: AnomalyPhase;
  episodes: Range;
  onset: Range;       // the first stretch's start, after the phase's first poll (or report)
  gap: Range;         // normal units between two stretches
  duration: Range;
  /** Intensity, in the order the autopilot's anomaly=GAP:LEN:P1:P2:P3:P4 takes them. */
  params: ParamSpec[];
}

const int = (name: string, min: number, max: number, what: string): ParamSpec => ({ name, range: { min, max }, kind: "integer", what });

// Each kind's default ranges. Busydelay must still crash short of its destination and the
// others still land on >= 95 % of seeds (docs/dataset.md's 200-seed table, scripts/flight-ranges.mjs).
export const KINDS = {
  factoring: {
    cause: "factoring", unit: "polls", phase: "TAKEOFF",
    episodes: { min: 2, max: 4 }, onset: { min: 5, max: 20 }, gap: { min: 10, max: 40 }, duration: { min: 60, max: 150 },
    params: [
      int("bits", 25, 26, "bits of the two primes whose product is factored by trial division"),
      int("every", 5, 20, "polls from one factoring to the next within the stretch"),
    ],
  },
  udp: {
    cause: "udp", unit: "polls", phase: "CRUISE",
    episodes: { min: 2, max: 4 }, onset: { min: 0, max: 40 }, gap: { min: 10, max: 60 }, duration: { min: 20, max: 80 },
    params: [
      int("ratePermille", 50, 300, "chance per poll of a datagram, per mille"),
      int("bytes", 8, 512, "bytes of each datagram"),
      int("port", 20000, 50000, "the lowest destination port"),
      int("ports", 1, 10000, "how many ports from it a datagram's port is drawn among"),
    ],
  },
  shell: {
    cause: "shell", unit: "polls", phase: "CRUISE",
    episodes: { min: 1, max: 3 }, onset: { min: 5, max: 40 }, gap: { min: 20, max: 80 }, duration: { min: 10, max: 40 },
    params: [
      int("every", 5, 15, "polls from one spawned child to the next within the stretch"),
      int("files", 1, 4, "files the child reads"),
    ],
  },
  hog: {
    cause: "hog", unit: "polls", phase: "CRUISE",
    episodes: { min: 1, max: 3 }, onset: { min: 5, max: 40 }, gap: { min: 20, max: 80 }, duration: { min: 15, max: 40 },
    params: [
      int("mib", 1, 8, "MiB the child maps and writes"),
      int("dutyPermille", 100, 400, "share of the time the child computes, per mille"),
    ],
  },
  spoof: {
    cause: "spoof", unit: "ms", phase: "CRUISE",
    episodes: { min: 1, max: 2 }, onset: { min: 200, max: 1500 }, gap: { min: 500, max: 2000 }, duration: { min: 500, max: 2000 },
    params: [
      { name: "dxM", range: { min: -3, max: 3 }, kind: "real", what: "metres along x the spoofed position is dragged off the true one by the stretch's end" },
      { name: "dyM", range: { min: -3, max: 3 }, kind: "real", what: "the same along y" },
    ],
  },
} as const satisfies Record<string, KindSpec>;

export type AnomalyKind = keyof typeof KINDS;
export const ANOMALY_KINDS = Object.keys(KINDS) as AnomalyKind[];

/** Values that fix a part of the schedule instead of drawing it (a parameter pins every stretch's). */
export interface AnomalyPins {
  phase?: AnomalyPhase;
  episodes?: number;
  onset?: number;
  gap?: number;
  duration?: number;
  params?: Record<string, number>;
}

export interface Stretch {
  stretch: number;      // 0-based
  after: number;        // units after the phase window opened (stretch 0) or after the previous stretch ended
  start: number;        // units after the phase window opened
  duration: number;
  params: Record<string, number>;
}

/** What manifest.json records (`anomalies`). */
export interface AnomalySchedule {
  kind: AnomalyKind;
  cause: string;
  unit: "polls" | "ms";
  phase: AnomalyPhase;
  stretches: Stretch[];
}

const mm = (v: number): number => Math.round(v * 1000) / 1000 + 0;

/** Every parameter name any kind has (the pins' and the flags' keys). */
export const PARAM_NAMES: readonly string[] = [...new Set(ANOMALY_KINDS.flatMap((k) => KINDS[k].params.map((p) => p.name)))];

/** The schedule of kind `kind` for the anomalies sub-seed `seed`, pins kept. */
export function drawSchedule(kind: AnomalyKind, seed: number, pins: AnomalyPins = {}): AnomalySchedule {
  const spec: KindSpec = KINDS[kind];
  const rng = new Prng(seed);
  const pick = (pin: number | undefined, drawn: number): number => (pin === undefined ? drawn : pin);
  const episodes = pick(pins.episodes, rng.int(spec.episodes.min, spec.episodes.max));
  const stretches: Stretch[] = [];
  let end = 0;
  for (let i = 0; i < MAX_STRETCHES; i++) {
    const after = pick(i === 0 ? pins.onset : pins.gap, rng.int((i === 0 ? spec.onset : spec.gap).min, (i === 0 ? spec.onset : spec.gap).max));
    const duration = pick(pins.duration, rng.int(spec.duration.min, spec.duration.max));
    const params: Record<string, number> = {};
    for (const p of spec.params) {
      const drawn = p.kind === "integer" ? rng.int(p.range.min, p.range.max) : mm(rng.between(p.range.min, p.range.max));
      params[p.name] = pick(pins.params?.[p.name], drawn);
    }
    // A pinned first port leaves the drawn spread only the ports there are.
    if (params.port !== undefined && params.port + params.ports > 65536) params.ports = 65536 - params.port;
    if (i < episodes) stretches.push({ stretch: i, after, start: end + after, duration, params });
    end += after + duration;
  }
  return { kind, cause: spec.cause, unit: spec.unit, phase: pins.phase ?? spec.phase, stretches };
}

/** The autopilot's arguments for a schedule it carries out (none for spoof, the drone's). */
export function autopilotArgs(s: AnomalySchedule | null): string[] {
  if (!s || s.unit !== "polls") return [];
  const names = KINDS[s.kind].params.map((p) => p.name);
  return [`anomaly_phase=${s.phase}`, ...s.stretches.map((x) => {
    const p = [...names.map((n) => x.params[n]), 0, 0, 0, 0].slice(0, 4);
    return `anomaly=${x.after}:${x.duration}:${p.join(":")}`;
  })];
}

// What a pin may be: wider than the draws, as far as the autopilot and the drone take it.
export const PIN_LIMITS: Record<string, { kind: "integer" | "real"; min: number; max: number }> = {
  episodes: { kind: "integer", min: 0, max: MAX_STRETCHES },
  onset: { kind: "integer", min: 0, max: 1_000_000 },
  gap: { kind: "integer", min: 0, max: 1_000_000 },
  duration: { kind: "integer", min: 1, max: 1_000_000 },
  bits: { kind: "integer", min: 8, max: 31 },
  every: { kind: "integer", min: 1, max: 1_000_000 },
  ratePermille: { kind: "integer", min: 0, max: 1000 },
  bytes: { kind: "integer", min: 1, max: 1024 },
  port: { kind: "integer", min: 1, max: 65535 },
  ports: { kind: "integer", min: 1, max: 65535 },
  files: { kind: "integer", min: 0, max: 6 },
  mib: { kind: "integer", min: 0, max: 64 },
  dutyPermille: { kind: "integer", min: 1, max: 1000 },
  dxM: { kind: "real", min: -50, max: 50 },
  dyM: { kind: "real", min: -50, max: 50 },
};

const within = (v: unknown, l: { kind: string; min: number; max: number }): v is number =>
  typeof v === "number" && Number.isFinite(v) && (l.kind === "real" || Number.isSafeInteger(v)) && v >= l.min && v <= l.max;

/** `o` (the --config's `anomaly` object, the flags' pins) checked: throws an Error naming the bad key. */
export function checkPins(o: unknown): AnomalyPins {
  if (typeof o !== "object" || o === null || Array.isArray(o)) throw new Error(`bad anomaly ${JSON.stringify(o)}: an object of phase, episodes, onset, gap, duration, ${PARAM_NAMES.join(", ")}`);
  const out: AnomalyPins = {};
  const params: Record<string, number> = {};
  for (const [k, v] of Object.entries(o as Record<string, unknown>)) {
    if (v === undefined) continue;
    if (k === "phase") {
      if (!(ANOMALY_PHASES as readonly unknown[]).includes(v)) throw new Error(`bad anomaly phase ${JSON.stringify(v)}: ${ANOMALY_PHASES.join(", ")}`);
      out.phase = v as AnomalyPhase;
      continue;
    }
    const l = PIN_LIMITS[k];
    if (!l) throw new Error(`unknown anomaly field ${JSON.stringify(k)}: phase, episodes, onset, gap, duration, ${PARAM_NAMES.join(", ")}`);
    if (!within(v, l)) throw new Error(`bad anomaly ${k} ${JSON.stringify(v)}: ${l.kind === "integer" ? "an integer" : "a number"} from ${l.min} to ${l.max}`);
    if (k === "episodes" || k === "onset" || k === "gap" || k === "duration") out[k] = v;
    else params[k] = v;
  }
  if ((params.port ?? 0) + (params.ports ?? 0) > 65536) throw new Error(`bad anomaly port ${params.port} and ports ${params.ports}: port + ports is at most 65536`);
  if (Object.keys(params).length) out.params = params;
  return out;
}

/** The kind a scenario's anomalies are (null: a normal flight). */
export function kindOf(scenario: string): AnomalyKind | null {
  switch (scenario) {
    case "busydelay": return "factoring";
    case "sockets": return "udp";
    case "shell": case "hog": case "spoof": return scenario;
    default: return null;
  }
}
