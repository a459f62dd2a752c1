// A flight's files appear together or not at all: each is written under a
// temporary name in the output folder, and renamed into place only once all
// are written. An error before that removes the temporaries, so an existing
// flight in the folder is replaced only by a complete new one.
import * as fs from "node:fs";
import path from "node:path";
import { threadId } from "node:worker_threads";
import { FlightInputError } from "./options.js";

let serial = 0;

export class OutputSet {
  private readonly temps = new Map<string, string>(); // final name -> temporary path
  readonly dir: string;
  private created: string | undefined; // the first folder this set created, removed again on abort
  private readonly names: Set<string>;
  private readonly tag: string;

  // Checks now that the folder can be made and written, so an unwritable one fails before the flight,
  // but leaves nothing behind yet: a flight killed mid-way (Ctrl-C) then leaves no empty folder or temporary.
  constructor(dir: string, names: string[]) {
    this.dir = path.resolve(dir);
    this.names = new Set(names);
    this.tag = `${process.pid}-${threadId}-${serial++}`;
    try {
      this.created = fs.mkdirSync(this.dir, { recursive: true });
      const probe = path.join(this.dir, `.probe.${this.tag}.tmp`);
      fs.closeSync(fs.openSync(probe, "wx"));
      fs.rmSync(probe);
    } catch (e) {
      this.abort();
      throw new FlightInputError(`cannot write to ${dir}: ${describe(e)}`);
    } finally {
      this.removeCreatedFolders();
    }
  }

  write(name: string, text: string | Uint8Array): void {
    if (!this.names.has(name)) throw new Error(`output: ${name} was not reserved`);
    if (this.temps.size === 0) this.created = fs.mkdirSync(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.${name}.${this.tag}.tmp`);
    this.temps.set(name, tmp);
    fs.writeFileSync(tmp, text);
  }

  // Every file into place; returns their final paths.
  commit(): string[] {
    for (const n of this.names) if (!this.temps.has(n)) throw new Error(`output: ${n} was not written`);
    const out: string[] = [];
    for (const [n, tmp] of this.temps) {
      const final = path.join(this.dir, n);
      fs.renameSync(tmp, final);
      out.push(final);
    }
    this.temps.clear();
    this.created = undefined;
    return out;
  }

  abort(): void {
    for (const tmp of this.temps.values()) fs.rmSync(tmp, { force: true });
    this.temps.clear();
    this.removeCreatedFolders();
  }

  // Folders made for this flight go (only if empty: someone may have put files there meanwhile).
  private removeCreatedFolders(): void {
    for (let d = this.dir; this.created && d.startsWith(this.created); d = path.dirname(d)) {
      try { fs.rmdirSync(d); } catch { break; }
      if (d === this.created) break;
    }
    this.created = undefined;
  }
}

function describe(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "EACCES": case "EPERM": return "permission denied";
    case "ENOTDIR": return "a component of the path is not a folder";
    case "EEXIST": return "the path exists and is not a folder";
    case "EROFS": return "read-only file system";
    case "ENOSPC": return "no space left on device";
    default: return err.message ?? String(e);
  }
}
