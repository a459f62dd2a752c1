// A flight's files appear together or not at all: each is written under a
// temporary name in the output folder, and renamed into place only once all
// are written. An error before that removes the temporaries, so an existing
// flight in the folder is replaced only by a complete new one.
import * as fs from "node:fs";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { FlightInputError } from "./options.js";
import { FolderError, fsReason, makeFolders, removeMadeFolders } from "../host-fs/make-folders.js";

let serial = 0;

// A flight in a thread that another thread may stop (`fly` on Ctrl-C ends its
// flight thread): the two agree through one shared word which goes first, so
// a stop never lands between two renames of commit(). The stopper swaps
// RUNNING for STOPPED and ends the thread only if it got there first.
export const GATE_RUNNING = 0, GATE_COMMITTING = 1, GATE_STOPPED = 2;
let gate: Int32Array | undefined;
export function useCommitGate(word: Int32Array): void { gate = word; }

// A commit refused because the flight was stopped meanwhile.
export class FlightStoppedError extends Error {
  constructor() { super("the flight was stopped"); this.name = "FlightStoppedError"; }
}

// The tag in this thread's temporary names: `.NAME.<tag>-<serial>.tmp`.
const tagOf = (thread: number): string => `${process.pid}-${thread}`;

export class OutputSet {
  private readonly temps = new Map<string, string>(); // final name -> temporary path
  readonly dir: string;
  private made: string | undefined; // the first folder this set made, removed again on abort
  private readonly names: Set<string>;
  private readonly tag: string;

  // Checks now that the folder can be made and written, so an unwritable one fails before the flight,
  // but leaves nothing behind yet: a flight killed mid-way (Ctrl-C) then leaves no empty folder or temporary.
  constructor(dir: string, names: string[]) {
    this.dir = path.resolve(dir);
    this.names = new Set(names);
    this.tag = `${tagOf(threadId)}-${serial++}`;
    try {
      this.makeFolder();
      const probe = path.join(this.dir, `.probe.${this.tag}.tmp`);
      fs.closeSync(fs.openSync(probe, "wx"));
      fs.rmSync(probe);
    } catch (e) {
      this.abort();
      throw new FlightInputError(`cannot write to ${dir}: ${e instanceof FolderError ? e.reason : fsReason(e)}`);
    } finally {
      this.removeMadeFolders();
    }
  }

  private makeFolder(): void {
    const made = makeFolders(this.dir);
    this.made ??= made;
  }

  write(name: string, text: string | Uint8Array): void {
    if (!this.names.has(name)) throw new Error(`output: ${name} was not reserved`);
    if (this.temps.size === 0) this.makeFolder();
    const tmp = path.join(this.dir, `.${name}.${this.tag}.tmp`);
    this.temps.set(name, tmp);
    fs.writeFileSync(tmp, text);
  }

  // Every file into place; returns their final paths.
  commit(): string[] {
    for (const n of this.names) if (!this.temps.has(n)) throw new Error(`output: ${n} was not written`);
    if (gate && Atomics.compareExchange(gate, 0, GATE_RUNNING, GATE_COMMITTING) === GATE_STOPPED) throw new FlightStoppedError();
    const out: string[] = [];
    for (const [n, tmp] of this.temps) {
      const final = path.join(this.dir, n);
      fs.renameSync(tmp, final);
      out.push(final);
    }
    this.temps.clear();
    this.made = undefined;
    return out;
  }

  abort(): void {
    for (const tmp of this.temps.values()) fs.rmSync(tmp, { force: true });
    this.temps.clear();
    this.removeMadeFolders();
  }

  // Folders made for this flight go (only if empty: someone may have put files there meanwhile).
  private removeMadeFolders(): void {
    removeMadeFolders(this.dir, this.made);
    this.made = undefined;
  }

  /**
   * What a flight thread that was ended mid-way (worker.terminate) left in
   * `dir`: its temporaries, then the folders from `made` down (each only if
   * empty). For the thread that ended it, which knows the flight thread's id.
   */
  static removeLeftovers(dir: string, thread: number, made: string | undefined): void {
    const abs = path.resolve(dir);
    const mine = `.${tagOf(thread)}-`;
    let names: string[] = [];
    try { names = fs.readdirSync(abs); } catch { /* never made */ }
    for (const n of names) {
      if (n.startsWith(".") && n.endsWith(".tmp") && n.includes(mine)) fs.rmSync(path.join(abs, n), { force: true });
    }
    removeMadeFolders(abs, made);
  }
}

/** The first folder on the way to `dir` that does not exist yet (what making `dir` would create first). */
export function firstMissingFolder(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = path.resolve(dir); !fs.existsSync(d); d = path.dirname(d)) {
    missing = d;
    if (d === path.dirname(d)) break;
  }
  return missing;
}
