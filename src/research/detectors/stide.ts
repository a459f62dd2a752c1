// STIDE (Forrest et al. 1996) as LID-DS's reference builds it: n-grams of
// syscall names, each thread its own stream (LID-DS's Ngram with thread_aware);
// training keeps the set of n-grams seen in normal flights; scoring counts the
// n-grams not in that set among the last `window` n-grams of the recording (one
// window for the whole recording, across threads, in row order) and divides by
// `window` (not by how many it holds yet). Defaults as LID-DS's examples: n = 7,
// window 100. A row whose thread has not made n calls yet produces no n-gram
// (LID-DS gives it no score); here it carries the window's current value.
import type { Detector } from "./detector.js";
import type { FlightRows } from "../evaluate/flight-rows.js";

export interface StideOptions { n: number; window: number }
export const STIDE_DEFAULTS: Readonly<StideOptions> = Object.freeze({ n: 7, window: 100 });

// Per thread, the last n names (as char codes: the vocabulary stays far below 2^16).
class ThreadGrams {
  private readonly last = new Map<number, number[]>();
  constructor(private readonly n: number) {}
  /** The n-gram ending at this call, or undefined while the thread has made fewer than n calls. */
  push(tid: number, name: number): string | undefined {
    let a = this.last.get(tid);
    if (!a) { a = []; this.last.set(tid, a); }
    a.push(name);
    if (a.length > this.n) a.shift();
    return a.length === this.n ? String.fromCharCode(...a) : undefined;
  }
}

export class Stide implements Detector {
  readonly name = "stide";
  readonly params: Record<string, number>;
  private readonly known = new Set<string>();
  private trainingGrams = 0;

  constructor(private readonly o: StideOptions = STIDE_DEFAULTS) {
    if (!Number.isSafeInteger(o.n) || o.n < 1) throw new RangeError(`stide: n must be an integer of 1 or more, not ${o.n}`);
    if (!Number.isSafeInteger(o.window) || o.window < 1) throw new RangeError(`stide: window must be an integer of 1 or more, not ${o.window}`);
    this.params = { n: o.n, window: o.window };
  }

  train(f: FlightRows): void {
    const g = new ThreadGrams(this.o.n);
    for (let i = 0; i < f.n; i++) {
      const k = g.push(f.tid[i], f.name[i]);
      if (k !== undefined) { this.known.add(k); this.trainingGrams++; }
    }
  }

  fit(): void {}

  score(f: FlightRows): Float64Array {
    const w = this.o.window;
    const out = new Float64Array(f.n);
    const g = new ThreadGrams(this.o.n);
    const ring = new Uint8Array(w);   // the last w mismatches (0/1), oldest overwritten
    let filled = 0, at = 0, mismatches = 0;
    for (let i = 0; i < f.n; i++) {
      const k = g.push(f.tid[i], f.name[i]);
      if (k !== undefined) {
        const miss = this.known.has(k) ? 0 : 1;
        if (filled === w) mismatches -= ring[at]; else filled++;
        ring[at] = miss;
        mismatches += miss;
        at = at + 1 === w ? 0 : at + 1;
      }
      out[i] = mismatches / w;
    }
    return out;
  }

  model(): Record<string, number> {
    return { distinctNgrams: this.known.size, trainingNgrams: this.trainingGrams };
  }
}
