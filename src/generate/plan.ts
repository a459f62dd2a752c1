// The flight plan: which scenario and seed flight number i gets, from the
// dataset seed S and the mix alone. Prefix-stable (flight i is the same for any
// --flights > i) and independent of shards and workers, so any flight can be
// remade alone with `skytrace fly --scenario <scenario> --seed <seed>`.
//
//   key(S, tag, n)  = mix(mix(S ^ tag) ^ n)          (deriveKey, src/flight/seeds.ts: SplitMix64)
//   seed_i          = low 32 bits of key(S, SEED_TAG, i)
//   scenario_i      : the mix's weights, divided by their gcd, sum to W; flights are taken in
//                     blocks of W, and block b = ⌊i / W⌋ holds each scenario exactly its weight
//                     times, in the order of a Fisher–Yates shuffle driven by SplitMix64 seeded
//                     with key(S, BLOCK_TAG, b); flight i takes slot i mod W.
// So every whole block has the mix's exact proportions.
import { deriveKey as key, splitmix64 as mix, GAMMA } from "../flight/seeds.js";

const M64 = (1n << 64n) - 1n;
const SEED_TAG = 0x5eedn;
const BLOCK_TAG = 0xb10cn;

export interface Mix {
  /** Scenarios in the order given, with weights reduced by their gcd (zero weights dropped). */
  entries: Array<{ scenario: string; weight: number }>;
  /** Sum of the reduced weights: the block length. */
  block: number;
}

export interface FlightSpec {
  index: number;     // 0-based position in the dataset
  id: string;        // folder name and the index's key
  scenario: string;
  seed: number;      // unsigned 32-bit
}

function gcd(a: number, b: number): number { while (b) [a, b] = [b, a % b]; return a; }

/** "normal=60,busydelay=20,sockets=20" → Mix. Throws on bad syntax, unknown scenarios, all-zero weights. */
export function parseMix(text: string, known?: readonly string[]): Mix {
  const entries: Array<{ scenario: string; weight: number }> = [];
  for (const part of text.split(",")) {
    const m = /^\s*([a-z][a-z0-9_-]*)\s*=\s*(\d+)\s*$/i.exec(part);
    if (!m) throw new Error(`--mix: '${part}' is not SCENARIO=WEIGHT (e.g. normal=60,busydelay=20,sockets=20)`);
    const scenario = m[1].toLowerCase();
    if (known && !known.includes(scenario)) throw new Error(`--mix: unknown scenario '${m[1]}' (known: ${known.join(", ")})`);
    if (entries.some((e) => e.scenario === scenario)) throw new Error(`--mix: scenario '${scenario}' given twice`);
    const weight = Number(m[2]);
    if (!Number.isSafeInteger(weight)) throw new Error(`--mix: weight '${m[2]}' is too large`);
    entries.push({ scenario, weight });
  }
  const live = entries.filter((e) => e.weight > 0);
  if (live.length === 0) throw new Error("--mix: at least one scenario needs a positive weight");
  const g = live.reduce((a, e) => gcd(a, e.weight), 0);
  const reduced = live.map((e) => ({ scenario: e.scenario, weight: e.weight / g }));
  const block = reduced.reduce((a, e) => a + e.weight, 0);
  if (block > 1_000_000) throw new Error("--mix: the weights (divided by their gcd) must sum to at most 1000000");
  return { entries: reduced, block };
}

/** The canonical spelling of a mix (reduced weights), as generate.json records it. */
export function mixString(mix: Mix): string {
  return mix.entries.map((e) => `${e.scenario}=${e.weight}`).join(",");
}

export function flightId(index: number): string {
  return `flight-${String(index).padStart(6, "0")}`;
}

/** Parses a dataset seed: a decimal integer in [0, 2^64). */
export function parseDatasetSeed(text: string | number): bigint {
  const s = String(text).trim();
  if (!/^(0|[1-9][0-9]*)$/.test(s)) throw new Error(`--seed: '${text}' is not a non-negative integer`);
  const v = BigInt(s);
  if (v > M64) throw new Error(`--seed: '${text}' does not fit in 64 bits`);
  return v;
}

export class FlightPlan {
  private blockCache = new Map<number, string[]>();
  constructor(readonly seed: bigint, readonly mix: Mix) {}

  private blockOrder(b: number): string[] {
    let order = this.blockCache.get(b);
    if (order) return order;
    order = [];
    for (const e of this.mix.entries) for (let k = 0; k < e.weight; k++) order.push(e.scenario);
    // Fisher–Yates with a SplitMix64 stream.
    let state = key(this.seed, BLOCK_TAG, b);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Number(mix(state) % BigInt(i + 1));
      state = (state + GAMMA) & M64;
      [order[i], order[j]] = [order[j], order[i]];
    }
    if (this.blockCache.size > 64) this.blockCache.clear();
    this.blockCache.set(b, order);
    return order;
  }

  flight(index: number): FlightSpec {
    if (!Number.isSafeInteger(index) || index < 0) throw new Error(`flight index ${index} is not a non-negative integer`);
    const W = this.mix.block;
    const scenario = this.blockOrder(Math.floor(index / W))[index % W];
    const seed = Number(key(this.seed, SEED_TAG, index) & 0xffffffffn);
    return { index, id: flightId(index), scenario, seed };
  }
}

export interface Shard { k: number; m: number }

/** "K/M" (1 ≤ K ≤ M), or "auto": K and M from the job array this process runs in (shardFromEnvironment). */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  if (text.trim() === "auto") return shardFromEnvironment(env);
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard: '${text}' is not K/M (e.g. 2/8: the second of eight shards) or auto`);
  const k = Number(m[1]), n = Number(m[2]);
  if (n < 1 || k < 1 || k > n) throw new Error(`--shard: K must be between 1 and M (got ${k}/${n})`);
  return { k, m: n };
}

/**
 * The count of shards for a Kubernetes Indexed Job: the engine exports only the
 * pod's index (JOB_COMPLETION_INDEX), so the manifest sets this variable to the
 * Job's spec.completions (docker/kubernetes.yaml).
 */
export const SHARD_COUNT_VAR = "SKYTRACE_SHARD_COUNT";

/**
 * --shard auto. Kubernetes Indexed Job: K = JOB_COMPLETION_INDEX + 1 (it counts from 0),
 * M = SKYTRACE_SHARD_COUNT. Slurm job array (--array=A-B[:S][%N]): M = SLURM_ARRAY_TASK_COUNT,
 * K = (SLURM_ARRAY_TASK_ID − SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP + 1; an array that
 * is not one range with a step (a list such as 1,3,7) cannot map to K/M and is refused where
 * its variables show it (MAX ≠ MIN + STEP·(COUNT − 1)). Anything missing or inconsistent: an error.
 */
export function shardFromEnvironment(env: NodeJS.ProcessEnv): Shard {
  const has = (name: string) => env[name] !== undefined && env[name] !== "";
  const int = (name: string): number => {
    const v = (env[name] ?? "").trim();
    if (!/^(0|[1-9][0-9]*)$/.test(v) || !Number.isSafeInteger(Number(v))) throw new Error(`--shard auto: ${name}='${env[name]}' is not a non-negative integer`);
    return Number(v);
  };
  const k8s = has("JOB_COMPLETION_INDEX"), slurm = has("SLURM_ARRAY_TASK_ID");
  if (k8s && slurm) throw new Error("--shard auto: both JOB_COMPLETION_INDEX (Kubernetes) and SLURM_ARRAY_TASK_ID (Slurm) are set; give --shard K/M");
  if (k8s) {
    if (!has(SHARD_COUNT_VAR)) {
      throw new Error(`--shard auto: JOB_COMPLETION_INDEX is set but ${SHARD_COUNT_VAR} is not (Kubernetes does not export the completions count: set ${SHARD_COUNT_VAR} to the Job's spec.completions in its manifest)`);
    }
    const index = int("JOB_COMPLETION_INDEX"), m = int(SHARD_COUNT_VAR);
    if (m < 1 || index >= m) throw new Error(`--shard auto: JOB_COMPLETION_INDEX=${index} is not below ${SHARD_COUNT_VAR}=${m} (it counts from 0; ${SHARD_COUNT_VAR} must equal the Job's completions)`);
    return { k: index + 1, m };
  }
  if (slurm) {
    for (const name of ["SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MIN"]) {
      if (!has(name)) throw new Error(`--shard auto: SLURM_ARRAY_TASK_ID is set but ${name} is not (it is set by sbatch --array); give --shard K/M`);
    }
    const id = int("SLURM_ARRAY_TASK_ID"), count = int("SLURM_ARRAY_TASK_COUNT"), min = int("SLURM_ARRAY_TASK_MIN");
    const step = has("SLURM_ARRAY_TASK_STEP") ? int("SLURM_ARRAY_TASK_STEP") : 1;
    const vars = `SLURM_ARRAY_TASK_ID=${id}, _MIN=${min}, _STEP=${step}, _COUNT=${count}`;
    if (count < 1 || step < 1) throw new Error(`--shard auto: inconsistent Slurm array variables (${vars})`);
    if (has("SLURM_ARRAY_TASK_MAX") && int("SLURM_ARRAY_TASK_MAX") !== min + step * (count - 1)) {
      throw new Error(`--shard auto: this Slurm array's indices are not one range with a step (MIN=${min}, MAX=${env.SLURM_ARRAY_TASK_MAX}, STEP=${step}, COUNT=${count}), so they cannot map to K/M: use --array=A-B or A-B:S (with or without %N), or give --shard K/M`);
    }
    if (id < min || (id - min) % step !== 0 || (id - min) / step >= count) throw new Error(`--shard auto: inconsistent Slurm array variables (${vars})`);
    return { k: (id - min) / step + 1, m: count };
  }
  if (has(SHARD_COUNT_VAR)) throw new Error(`--shard auto: ${SHARD_COUNT_VAR} is set but JOB_COMPLETION_INDEX is not (is this a Kubernetes Job with completionMode: Indexed?)`);
  throw new Error("--shard auto: no job index in the environment (JOB_COMPLETION_INDEX of a Kubernetes Indexed Job, SLURM_ARRAY_TASK_ID of a Slurm job array); elsewhere give --shard K/M");
}

/** Flight i belongs to shard (i mod M) + 1: disjoint, covering, and independent of --flights. */
export function inShard(index: number, shard: Shard | null): boolean {
  return !shard || index % shard.m === shard.k - 1;
}
