// The published raw trace format, one event a line:
//   <ts>, SYSCALL,<RAX>,<RDI>,<RSI>,<RDX>,<R10>,<R8>,<R9>,<CR3>
//   <ts>, SYSRET,<CR3>
// ts is decimal (virtual nanoseconds), registers lowercase 0x-hex. Lines are
// buffered and written to a temporary name that is renamed into place only
// when the run finishes, so a failed run leaves no partial file.
import * as fs from "node:fs";
import path from "node:path";
import type { TraceRecord } from "../machine/machine.js";

export function formatRecord(r: TraceRecord): string {
  if (r.kind === "SYSCALL") {
    const g = r.regs;
    return `${r.tick}, SYSCALL,0x${g[0].toString(16)},0x${g[1].toString(16)},0x${g[2].toString(16)},0x${g[3].toString(16)},0x${g[4].toString(16)},0x${g[5].toString(16)},0x${g[6].toString(16)},0x${r.cr3.toString(16)}\n`;
  }
  return `${r.tick}, SYSRET,0x${r.cr3.toString(16)}\n`;
}

const FLUSH_AT = 1 << 20;

export class RawTraceWriter {
  private fd: number;
  private tmp: string;
  private buf = "";
  records = 0;

  constructor(readonly target: string) {
    this.tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.partial`);
    this.fd = fs.openSync(this.tmp, "w");
  }

  write(r: TraceRecord): void { this.writeLine(formatRecord(r)); }

  // One already formatted line, newline included.
  writeLine(line: string): void {
    this.buf += line;
    this.records++;
    if (this.buf.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buf.length === 0) return;
    fs.writeSync(this.fd, this.buf);
    this.buf = "";
  }

  // Complete the file under its final name.
  finish(): void {
    this.flush();
    fs.closeSync(this.fd);
    fs.renameSync(this.tmp, this.target);
  }

  // Drop everything written so far.
  abort(): void {
    try { fs.closeSync(this.fd); } catch { /* already closed */ }
    try { fs.unlinkSync(this.tmp); } catch { /* gone */ }
  }
}
