// The raw trace format's one writer: trace ring records (src/machine/trace-ring.ts)
// straight into bytes, one event a line,
//
//   <ts>, SYSCALL,0x<RAX>,0x<RDI>,0x<RSI>,0x<RDX>,0x<R10>,0x<R8>,0x<R9>,0x<CR3>
//   <ts>, SYSRET,0x<CR3>
//
// ts decimal (virtual nanoseconds), registers lowercase hex without leading
// zeros (docs/dataset.md). `skytrace exec --trace`, `fly` and `generate` all
// write through it. It is the hot path of a traced run (two lines per
// syscall), so it makes no string, object or BigInt per event: digits are
// written from the records' 32-bit halves (ByteSink), and the text after RAX
// is kept per syscall number (after SYSRET per CR3) and copied whole when the
// words repeat, as a program in a loop repeats its calls.
import * as fs from "node:fs";
import path from "node:path";
import { ByteSink } from "./byte-sink.js";
import { RECORD_WORDS, REC_SYSCALL, W_KIND, W_TICK, W_RAX, W_RDI, W_CR3, type RingSink } from "../machine/trace-ring.js";
import { makeFolders, removeMadeFolders } from "../host-fs/make-folders.js";

const asc = (s: string): Uint8Array => Buffer.from(s, "latin1");
const T_SYSCALL = asc(", SYSCALL,0x"), T_SYSRET = asc(", SYSRET,0x"), T_NL = asc("\n");
const SAFE_HI = 0x200000;                       // hi words below this keep a 64-bit value under 2^53
export const RAW_LINE_MAX = 20 + 12 + 8 * 19 + 1; // the longest line: a 20-digit ts, ", SYSCALL,0x", 8 fields, "\n"
const TAIL_WORDS = W_CR3 + 2 - W_RDI;           // RDI..R9 and CR3
const TAIL_BYTES = 7 * 19 + 1;                  // their text: 7 × ",0x" + 16 digits, "\n"
const MAX_TAILS = 512;                          // syscall numbers with a kept tail

export class RawWriter {
  // Per syscall number below MAX_TAILS: the words after RAX and their text (length -1: none yet).
  private readonly tailWords = new Uint32Array(MAX_TAILS * TAIL_WORDS);
  private readonly tailText = new Uint8Array(MAX_TAILS * TAIL_BYTES);
  private readonly tailLen = new Int32Array(MAX_TAILS).fill(-1);
  // The last SYSRET's CR3 and its text.
  private retLo = -1;
  private retHi = -1;
  private readonly retText = new Uint8Array(TAIL_BYTES);
  private retLen = 0;

  constructor(readonly out: ByteSink) {}

  // The records of a ring batch, in order.
  records(r: Uint32Array, n: number): void {
    for (let i = 0; i < n; i++) this.write(r, i * RECORD_WORDS);
  }

  // One record: r = the ring's words, b = its first word.
  write(r: Uint32Array, b: number): void {
    const o = this.out;
    if (r[b + W_TICK + 1] < SAFE_HI) { o.reserve(RAW_LINE_MAX); o.dec(r[b + W_TICK + 1] * 4294967296 + r[b + W_TICK]); }
    else { o.append(((BigInt(r[b + W_TICK + 1]) << 32n) | BigInt(r[b + W_TICK])).toString()); o.reserve(RAW_LINE_MAX); }
    if ((r[b + W_KIND] & 0xff) !== REC_SYSCALL) { this.sysret(r, b); return; }
    o.bytes8(T_SYSCALL);
    o.hex64(r[b + W_RAX], r[b + W_RAX + 1]);
    const nr = r[b + W_RAX + 1] === 0 && r[b + W_RAX] < MAX_TAILS ? r[b + W_RAX] : -1;
    if (nr >= 0 && this.tailLen[nr] >= 0) {
      const w = this.tailWords, at = nr * TAIL_WORDS;
      let same = true;
      for (let k = 0; k < TAIL_WORDS; k++) if (w[at + k] !== r[b + W_RDI + k]) { same = false; break; }
      if (same) { o.copy(this.tailText.subarray(nr * TAIL_BYTES, nr * TAIL_BYTES + this.tailLen[nr])); return; }
    }
    const from = o.length;
    for (let k = W_RDI; k <= W_CR3; k += 2) o.hexField(r[b + k], r[b + k + 1]);
    o.bytes8(T_NL);
    if (nr >= 0) {
      const at = nr * TAIL_WORDS;
      for (let k = 0; k < TAIL_WORDS; k++) this.tailWords[at + k] = r[b + W_RDI + k];
      this.tailLen[nr] = o.copyOut(from, this.tailText, nr * TAIL_BYTES);
    }
  }

  private sysret(r: Uint32Array, b: number): void {
    const o = this.out, lo = r[b + W_CR3], hi = r[b + W_CR3 + 1];
    if (lo === this.retLo && hi === this.retHi) { o.copy(this.retText.subarray(0, this.retLen)); return; }
    const from = o.length;
    o.bytes8(T_SYSRET);
    o.hex64(lo, hi);
    o.bytes8(T_NL);
    this.retLen = o.copyOut(from, this.retText, 0);
    this.retLo = lo; this.retHi = hi;
  }
}

// --- `skytrace exec --trace FILE` ---

// The file: written under a hidden temporary name (`.NAME.PID.partial`) that
// is renamed into place only when the run finishes, so a failed or
// interrupted run leaves no partial file (and no folder it made for it).
// The main thread owns it; the guest's thread fills it through its descriptor
// (RawFileSink: file descriptors are the process's).
export class RawTraceFile {
  readonly fd: number;
  private readonly partial: string;
  private readonly made: string | undefined;   // the first folder made for the file

  // Makes the file's folder if missing (a FolderError when it cannot be made).
  constructor(readonly target: string) {
    const dir = path.dirname(path.resolve(target));
    const made = makeFolders(dir);
    const partial = path.join(dir, `.${path.basename(target)}.${process.pid}.partial`);
    try { this.fd = fs.openSync(partial, "w"); } catch (e) {
      removeMadeFolders(dir, made);
      throw e;
    }
    this.partial = partial;
    this.made = made;
  }

  // Complete the file under its final name.
  finish(): void {
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

const FLUSH_AT = 1 << 20;

// The kernel's trace sink for a file: the ring's records as raw lines into
// an open descriptor, a megabyte at a time.
export class RawFileSink {
  private readonly bytes = new ByteSink(FLUSH_AT + (64 << 10));
  private readonly writer = new RawWriter(this.bytes);
  records = 0;
  constructor(readonly fd: number) {}

  readonly sink: RingSink = (r, n) => {
    this.writer.records(r, n);
    this.records += n;
    if (this.bytes.length >= FLUSH_AT) this.flush();
  };

  flush(): void {
    const b = this.bytes.view();
    for (let at = 0; at < b.length;) at += fs.writeSync(this.fd, b, at, b.length - at);
    this.bytes.clear();
  }
}
