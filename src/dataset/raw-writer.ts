// The published raw trace format, one event a line:
//   <ts>, SYSCALL,<RAX>,<RDI>,<RSI>,<RDX>,<R10>,<R8>,<R9>,<CR3>
//   <ts>, SYSRET,<CR3>
// ts is decimal (virtual nanoseconds), registers lowercase 0x-hex. Lines are
// buffered and written to a hidden temporary name (`.NAME.PID.partial`) that
// is renamed into place only when the run finishes, so a failed or
// interrupted run leaves no partial file (and no folder it made for it).
import * as fs from "node:fs";
import path from "node:path";
import type { TraceRecord } from "../machine/machine.js";
import { makeFolders, removeMadeFolders } from "../host-fs/make-folders.js";

export function formatRecord(r: TraceRecord): string {
  if (r.kind === "SYSCALL") {
    const g = r.regs;
    return `${r.tick}, SYSCALL,0x${g[0].toString(16)},0x${g[1].toString(16)},0x${g[2].toString(16)},0x${g[3].toString(16)},0x${g[4].toString(16)},0x${g[5].toString(16)},0x${g[6].toString(16)},0x${r.cr3.toString(16)}\n`;
  }
  return `${r.tick}, SYSRET,0x${r.cr3.toString(16)}\n`;
}

const FLUSH_AT = 1 << 20;

// Lines into an open file descriptor, a megabyte at a time. Apart from the
// file's owner so that another thread can fill a file the owner opened
// (`exec` runs the guest in a thread it can end on Ctrl-C; file descriptors
// are the process's).
export class TraceLineSink {
  private buf = "";
  records = 0;
  constructor(readonly fd: number) {}

  write(r: TraceRecord): void { this.writeLine(formatRecord(r)); }

  // One already formatted line, newline included.
  writeLine(line: string): void {
    this.buf += line;
    this.records++;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.buf.length === 0) return;
    fs.writeSync(this.fd, this.buf);
    this.buf = "";
  }
}

export class RawTraceWriter extends TraceLineSink {
  readonly partial: string;
  private readonly made: string | undefined;   // the first folder made for the file

  // Makes the file's folder if missing (a FolderError when it cannot be made).
  constructor(readonly target: string) {
    const dir = path.dirname(path.resolve(target));
    const made = makeFolders(dir);
    const partial = path.join(dir, `.${path.basename(target)}.${process.pid}.partial`);
    let fd: number;
    try { fd = fs.openSync(partial, "w"); } catch (e) {
      removeMadeFolders(dir, made);
      throw e;
    }
    super(fd);
    this.partial = partial;
    this.made = made;
  }

  // Complete the file under its final name.
  finish(): void {
    this.flush();
    fs.closeSync(this.fd);
    fs.renameSync(this.partial, this.target);
  }

  // Drop everything written so far, and the folders made for it.
  abort(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
    try { fs.unlinkSync(this.partial); } catch { /* gone */ }
    removeMadeFolders(path.dirname(this.partial), this.made);
  }
}
