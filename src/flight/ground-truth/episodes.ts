// The anomaly episodes of a flight, as the host observed them: each cause in
// the registry (causes.ts) says which code probes open and close its episodes
// and what they record; this log keeps them (start and end ticks, the thread,
// the parameters) for the manifest and the label pass (src/dataset/labels.ts).
// The probes are the kernel's (src/kernel/probes.ts): invisible to the guest,
// so the trace is the same bytes with or without them.
import type { Machine } from "../../machine/machine.js";
import type { Process } from "../../kernel/process/process.js";
import type { ImageProbes, ProbeHandler } from "../../kernel/probes.js";
import type { LabeledEpisode } from "../../dataset/labels.js";
import type { CauseDefinition } from "./causes.js";

export type EpisodeParams = Record<string, number | string | number[]>;

/** An episode as the manifest lists it. */
export interface Episode {
  episode: number;      // 0-based, in order of start
  cause: string;
  startNs: number;
  endNs: number;        // -1: still running when the recording ended
  pid: number;
  tid: number;
  params: EpisodeParams;
}

/** One arrival of a thread at a probed function (its entry or its return). */
export interface ProbeHit {
  process: Process;
  tid: number;
  machine: Machine;
  ns: number;           // the virtual clock (the instruction there not yet run)
}

export interface OpenEpisode {
  readonly cause: CauseDefinition;
  readonly startNs: number;
  readonly pid: number;
  readonly tid: number;
  readonly params: EpisodeParams;
  /** What a cause keeps between its probes (e.g. the primes seen so far). */
  readonly scratch: Record<string, unknown>;
  /** Instructions the thread had retired at the start (Process.userTicks). */
  readonly startInstructions: number;
}

interface Kept extends OpenEpisode { endNs: number }

export class EpisodeLog {
  private readonly open = new Map<string, OpenEpisode>();   // cause/tid -> its open episode
  private readonly kept: Kept[] = [];

  constructor(private readonly causes: readonly CauseDefinition[], private readonly now: () => number) {}

  /** Starts an episode of `cause` in the hit's thread (one at a time per cause and thread). */
  begin(cause: CauseDefinition, hit: ProbeHit, params: EpisodeParams = {}): OpenEpisode {
    const key = `${cause.name}/${hit.tid}`;
    if (this.open.has(key)) throw new Error(`ground truth: a ${cause.name} episode began in thread ${hit.tid} while one was running`);
    const ep: OpenEpisode = { cause, startNs: hit.ns, pid: hit.process.pid, tid: hit.tid, params, scratch: {}, startInstructions: hit.process.userTicks };
    this.open.set(key, ep);
    return ep;
  }

  /** The episode of `cause` running in the hit's thread, if any. */
  running(cause: CauseDefinition, hit: ProbeHit): OpenEpisode | undefined {
    return this.open.get(`${cause.name}/${hit.tid}`);
  }

  /** Ends it at the hit. */
  end(ep: OpenEpisode, hit: ProbeHit): void {
    this.open.delete(`${ep.cause.name}/${ep.tid}`);
    this.kept.push({ ...ep, endNs: hit.ns });
  }

  /** An episode known on the host's side alone (an attack on the drone): its time window. */
  window(cause: CauseDefinition, startNs: number, endNs: number, params: EpisodeParams = {}): void {
    this.kept.push({ cause, startNs, endNs, pid: -1, tid: -1, params, scratch: {}, startInstructions: 0 });
  }

  /** The probes that watch for every cause, on the program image `image`. */
  probes(image: string): ImageProbes {
    const entry = new Map<string, ProbeHandler[]>(), ret = new Map<string, ProbeHandler[]>();
    for (const cause of this.causes) {
      for (const [symbol, on] of Object.entries(cause.probes)) {
        const hit = (f: (log: EpisodeLog, h: ProbeHit) => void): ProbeHandler => (process, tid, machine) => f(this, { process, tid, machine, ns: this.now() });
        if (on.entry) entry.set(symbol, [...(entry.get(symbol) ?? []), hit(on.entry)]);
        if (on.return) ret.set(symbol, [...(ret.get(symbol) ?? []), hit(on.return)]);
      }
    }
    const all = (hs: ProbeHandler[]): ProbeHandler => (p, t, m) => { for (const h of hs) h(p, t, m); };
    const symbols: Record<string, ProbeHandler> = {}, returns: Record<string, ProbeHandler> = {};
    for (const [s, hs] of entry) symbols[s] = all(hs);
    for (const [s, hs] of ret) returns[s] = all(hs);
    // A symbol watched only at its return still needs its entry probe (which arms the return).
    for (const s of ret.keys()) symbols[s] ??= () => {};
    return { image, symbols, returns };
  }

  /**
   * The episodes that overlap the recording [beginNs, endNs], numbered in
   * order of start (those still running end at -1), with each cause's final
   * parameters (OpenEpisode.scratch turned into params by the cause).
   */
  episodes(beginNs: number, endNs: number): Episode[] {
    const all: Kept[] = [...this.kept, ...[...this.open.values()].map((e) => ({ ...e, endNs: -1 }))];
    const inside = all.filter((e) => e.startNs <= endNs && (e.endNs < 0 || e.endNs >= beginNs));
    inside.sort((a, b) => a.startNs - b.startNs || a.tid - b.tid || (a.cause.name < b.cause.name ? -1 : a.cause.name > b.cause.name ? 1 : 0));
    return inside.map((e, i) => ({ episode: i, cause: e.cause.name, startNs: e.startNs, endNs: e.endNs, pid: e.pid, tid: e.tid, params: { ...e.params } }));
  }

  /** The same episodes as the label pass takes them. */
  static labeled(episodes: readonly Episode[], causes: readonly CauseDefinition[]): LabeledEpisode[] {
    return episodes.map((e) => {
      const cause = causes.find((c) => c.name === e.cause);
      if (!cause) throw new Error(`ground truth: no cause ${e.cause} in the registry`);
      // A family episode's code spans, when it lists them (hog's codeNs): pairs, the last one open when the recording ended.
      const code = Array.isArray(e.params.codeNs) ? e.params.codeNs : null;
      const spans = code ? Array.from({ length: Math.ceil(code.length / 2) }, (_, k) => [code[2 * k], code[2 * k + 1] ?? -1] as const) : undefined;
      return { episode: e.episode, cause: e.cause, rule: cause.rule, tid: e.tid, startNs: e.startNs, endNs: e.endNs, ...(spans ? { spans } : {}) };
    });
  }
}
