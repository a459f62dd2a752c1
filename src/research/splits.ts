// The fixed splits of a dataset for detector work: which flights train, which
// set the threshold, which are scored. As LID-DS 2021 does: only normal flights
// train and validate; every flight of an anomalous scenario is in test. Normal
// flights are ordered by a seeded hash of their id, so the split depends on the
// seed and the ids alone (not on the order the index lists them in, nor on the
// host), and `skytrace export lidds` and `skytrace evaluate` agree by construction.
import { createHash } from "node:crypto";

export const SPLITS = ["training", "validation", "test"] as const;
export type Split = (typeof SPLITS)[number];

/** Normal flights per split. LID-DS 2021's scenarios hold 200 / 50 / 750. */
export interface SplitCounts {
  training: number;
  validation: number;
  testNormal: number;
}
export const LIDDS_COUNTS: Readonly<SplitCounts> = Object.freeze({ training: 200, validation: 50, testNormal: 750 });

export interface SplitFlight {
  id: string;
  scenario: string;
}

export interface SplitOptions {
  seed: number;
  /** Exact counts of normal flights; without them, LID-DS's proportions of the normal flights there are. */
  counts?: SplitCounts;
}

export class SplitError extends Error {}

/** LID-DS's proportions (20 % / 5 % / 75 %) of n normal flights, rounded, summing to n. */
export function proportionalCounts(n: number): SplitCounts {
  const total = LIDDS_COUNTS.training + LIDDS_COUNTS.validation + LIDDS_COUNTS.testNormal;
  const training = Math.round((n * LIDDS_COUNTS.training) / total);
  const validation = Math.round((n * LIDDS_COUNTS.validation) / total);
  return { training, validation, testNormal: n - training - validation };
}

const rank = (seed: number, id: string): string => createHash("sha256").update(`skytrace-split/1\0${seed}\0${id}`).digest("hex");

/**
 * Assigns every flight a split. Normal flights: training, validation, then
 * test in seeded-hash order; every other scenario: test. Throws SplitError
 * (one line for the user) when the counts ask for more normal flights than
 * there are, or when a split that a detector needs would be empty.
 */
export function assignSplits(flights: readonly SplitFlight[], o: SplitOptions): Map<string, Split> {
  const ids = new Set<string>();
  for (const f of flights) {
    if (ids.has(f.id)) throw new SplitError(`flight ${f.id} is listed twice`);
    ids.add(f.id);
  }
  const normal = flights.filter((f) => f.scenario === "normal")
    .map((f) => ({ id: f.id, key: rank(o.seed, f.id) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const c = o.counts ?? proportionalCounts(normal.length);
  for (const k of ["training", "validation", "testNormal"] as const) {
    if (!Number.isSafeInteger(c[k]) || c[k] < 0) throw new SplitError(`bad ${k} count ${c[k]}: a whole number, 0 or more`);
  }
  const want = c.training + c.validation + c.testNormal;
  if (want > normal.length) {
    throw new SplitError(`the splits ask for ${want} normal flights (${c.training} training, ${c.validation} validation, ${c.testNormal} test) but the dataset has ${normal.length}`);
  }
  if (c.training === 0) throw new SplitError(`no normal flight to train on: the dataset has ${normal.length} normal flights`);
  const out = new Map<string, Split>();
  normal.forEach((f, i) => {
    if (i < c.training) out.set(f.id, "training");
    else if (i < c.training + c.validation) out.set(f.id, "validation");
    else if (i < want) out.set(f.id, "test");
  });
  for (const f of flights) if (f.scenario !== "normal") out.set(f.id, "test");
  return out;
}
