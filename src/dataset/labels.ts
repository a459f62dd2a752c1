// Ground truth for the per-syscall table, computed from its columns after a
// flight: which rows an anomaly episode labels (by its cause's rule), and
// which phase each row falls in. Plain loops over typed arrays (the rows are
// sorted by enter time), no object per row.
//
// The rules (docs/dataset.md, "Labels"):
// - extent: the episode's thread's calls entered between its start and its
//   end (the anomaly code ran them); `delayed` adds that thread's first call
//   entered after the end, the one whose Δt carries the episode (a stall);
// - family: the episode's thread's calls in its spans (the anomaly's code;
//   by default the whole episode) and every call of a process it created
//   there (fork/vfork/clone that returned a pid) and of their descendants,
//   from their first call on;
// - window: every call entered in [start, end), whichever process made it (an
//   attack on the drone's side: the code path is normal, its context is not).
// A row in several episodes belongs to the earliest.
import type { SyscallRows } from "./syscall-columns.js";
import { SYSCALL_NUMBERS } from "../linux/syscall-numbers.js";

export type LabelRule =
  | { by: "extent"; delayed: boolean }
  | { by: "family" }
  | { by: "window" };

export interface LabeledEpisode {
  episode: number;
  cause: string;
  rule: LabelRule;
  tid: number;          // the thread it ran in (extent, family)
  startNs: number;
  endNs: number;        // -1: still open when the recording ended
  /** family: the thread's time in the anomaly's code, [start, end] pairs (an end of -1: open); default [startNs, endNs]. */
  spans?: ReadonlyArray<readonly [number, number]>;
}


const FORKS = new Set([SYSCALL_NUMBERS.fork, SYSCALL_NUMBERS.vfork, SYSCALL_NUMBERS.clone, SYSCALL_NUMBERS.clone3]);

// The first row entered at or after ns (rows are sorted by enter time).
function firstAtOrAfter(enter: Float64Array, n: number, ns: number): number {
  let lo = 0, hi = n;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (enter[mid] < ns) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * Fills rows.label (1 anomalous), rows.cause (an index into the returned
 * dictionary, whose 0 is "": normal) and rows.episode (-1 none).
 */
export function labelRows(rows: SyscallRows, episodes: readonly LabeledEpisode[]): string[] {
  const n = rows.n, enter = rows.enterNs, tid = rows.tid;
  const out = { label: rows.label, cause: rows.cause, episode: rows.episode, causes: [""] };
  out.label.fill(0);
  out.cause.fill(0);
  out.episode.fill(-1);
  const ordered = [...episodes].sort((a, b) => a.startNs - b.startNs || a.episode - b.episode);
  for (const ep of ordered) {
    let c = out.causes.indexOf(ep.cause);
    if (c < 0) { c = out.causes.length; out.causes.push(ep.cause); }
    const end = ep.endNs < 0 ? Infinity : ep.endNs;
    const mark = (i: number): void => {
      if (out.label[i]) return;
      out.label[i] = 1; out.cause[i] = c; out.episode[i] = ep.episode;
    };
    const from = firstAtOrAfter(enter, n, ep.startNs);
    const rule = ep.rule;
    if (rule.by === "window") {
      for (let i = from; i < n && enter[i] < end; i++) mark(i);
    } else if (rule.by === "extent") {
      let i = from;
      for (; i < n && enter[i] <= end; i++) if (tid[i] === ep.tid) mark(i);
      if (rule.delayed && ep.endNs >= 0) for (; i < n; i++) if (tid[i] === ep.tid) { mark(i); break; }
    } else {
      // The thread's own calls in the anomaly's code, the children it made there, then everything descended from them.
      const family = new Set<number>();
      for (const [s0, s1] of ep.spans ?? [[ep.startNs, ep.endNs] as const]) {
        const e1 = s1 < 0 ? Infinity : s1;
        for (let i = firstAtOrAfter(enter, n, s0); i < n && enter[i] <= e1; i++) {
          if (tid[i] !== ep.tid) continue;
          mark(i);
          if (FORKS.has(Number(rows.nr[i])) && rows.exitNs[i] >= 0 && rows.retNum[i] > 0) family.add(rows.retNum[i]);
        }
      }
      if (family.size === 0) continue;
      for (let i = from; i < n; i++) {
        const pid = rows.pid[i];
        if (!family.has(pid) && family.has(rows.ppid[i])) family.add(pid);
        if (family.has(pid)) mark(i);
      }
    }
  }
  return out.causes;
}

/**
 * A step function of time as a column: row i gets the index of the last
 * change at or before its enter time (`changes` sorted by time), or `before`
 * (an index too) when there is none yet.
 */
export function stepColumn(rows: SyscallRows, changes: ReadonlyArray<{ ns: number; index: number }>, before: number, out: Int8Array): void {
  const n = rows.n, enter = rows.enterNs;
  let k = -1, cur = before;
  for (let i = 0; i < n; i++) {
    while (k + 1 < changes.length && changes[k + 1].ns <= enter[i]) { k++; cur = changes[k].index; }
    out[i] = cur;
  }
}
