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

/** "K/M", 1 ≤ K ≤ M. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard: '${text}' is not K/M (e.g. 2/8: the second of eight shards)`);
  const k = Number(m[1]), n = Number(m[2]);
  if (n < 1 || k < 1 || k > n) throw new Error(`--shard: K must be between 1 and M (got ${k}/${n})`);
  return { k, m: n };
}

/** Flight i belongs to shard (i mod M) + 1: disjoint, covering, and independent of --flights. */
export function inShard(index: number, shard: Shard | null): boolean {
  return !shard || index % shard.m === shard.k - 1;
}
