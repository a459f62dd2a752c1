// The flight's instrumentation, as the original Bochs one: it watches every
// SYSCALL/SYSRET line, starts at the SYSCALL of the mkdir (or mkdirat) whose
// path argument, read from guest memory at that moment, is "FlightBegin", and
// stops after the SYSRET of the mkdir of "FlightEnd". The path is read by the
// recorder itself, so it works whichever process makes the call.
//
// It reads the core's trace records as 32-bit words straight from the ring
// (no strings, objects or BigInt on the hot path: a flight makes some 10^5
// events) and builds, as it goes, the raw file (written digit by digit, the
// same bytes `skytrace exec --trace` writes), the processed file, the event
// counts, the processes by CR3 and the autopilot's STATE reports.
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process/process.js";
import { ByteSink } from "./byte-sink.js";
import { EventColumns, type RawColumns } from "./event-columns.js";
import { syscallName, SYSCALL_NUMBERS } from "../linux/syscall-numbers.js";
import { RECORD_WORDS as W, REC_SYSCALL as K_SYSCALL, W_TICK, W_RAX, W_RDI, W_RSI, W_RDX, W_CR3 } from "../machine/trace-ring.js";

export const BEGIN_MARKER = "FlightBegin";
export const END_MARKER = "FlightEnd";

const NR_MKDIR = SYSCALL_NUMBERS.mkdir;
const NR_MKDIRAT = SYSCALL_NUMBERS.mkdirat;
const NR_WRITE = SYSCALL_NUMBERS.write;
const NR_EXECVE = SYSCALL_NUMBERS.execve;

export interface RecordedProcess {
  cr3: string;       // as the trace writes it (0x-hex)
  pid: number;
  program: string;   // the executable's guest path
}

export interface StateReport {
  state: string;     // TAKEOFF, CRUISE, LANDING, LANDED, CRASHED
  ns: number;        // virtual time of the SYSCALL of the write that sent it
}

type Phase = "waiting" | "recording" | "closing" | "done";

const asc = (s: string): Uint8Array => Buffer.from(s, "latin1");
const T_SYSCALL = asc(", SYSCALL,0x"), T_SYSRET = asc(", SYSRET,0x"), T_NL = asc("\n"), T_TAB = asc("\t");
const STATE_HEAD = Buffer.from("STATE ", "latin1");
const u64 = (r: Uint32Array, i: number): number => r[i + 1] * 4294967296 + r[i];
const big = (r: Uint32Array, i: number): bigint => (BigInt(r[i + 1]) << 32n) | BigInt(r[i]);
const SAFE_HI = 0x200000; // hi words below this keep a 64-bit value under 2^53
const LINE_MAX = 16 + 12 + 8 * 19 + 1; // the longest raw line written with the digit writers
const TAIL_WORDS = W_CR3 + 2 - W_RDI; // RDI..R9 and CR3
const MAX_TAILS = 512;

// Where the recording goes: the two files' text and the events as columns
// (for the export). A worker keeps one set and hands it to flight after flight
// (FlightHost.sinks): a normal flight's raw trace is 5.7 MB.
export interface TraceSinks {
  raw: ByteSink;
  processed: ByteSink;
  columns: EventColumns;
}

export function newTraceSinks(): TraceSinks {
  return { raw: new ByteSink(8 << 20), processed: new ByteSink(1 << 20), columns: new EventColumns() };
}

export class FlightRecorder {
  private phase: Phase = "waiting";
  private readonly raw: ByteSink;
  private readonly processed: ByteSink;
  private readonly cols: EventColumns;
  private lineNo = 0;
  private lastCr3 = "";
  private cr3Lo = 0;
  private cr3Hi = 0;
  private cr3Known = false;
  private endCr3 = "";
  private prevLo = 0;
  private prevHi = 0;
  private hasPrev = false;
  private readonly counts = new Map<number, number>();
  readonly processes: RecordedProcess[] = [];
  readonly stateReports: StateReport[] = [];
  syscalls = 0;
  sysrets = 0;
  beginNs = -1;
  endNs = -1;

  // The sinks are emptied first (they may hold the previous flight's text).
  constructor(private readonly kernel: () => Kernel, sinks: TraceSinks = newTraceSinks()) {
    this.raw = sinks.raw;
    this.processed = sinks.processed;
    this.cols = sinks.columns;
    this.raw.clear();
    this.processed.clear();
    this.cols.clear();
  }

  get started(): boolean { return this.phase !== "waiting"; }
  get finished(): boolean { return this.phase === "done"; }

  // The kernel's traceRecords sink: n records of the ring, in trace order.
  records = (r: Uint32Array, n: number): void => {
    for (let i = 0; i < n; i++) this.event(r, i * W);
  };

  // One raw-format line (with its "\n"), e.g. from `skytrace exec --trace`: the same as its record.
  line = (line: string): void => {
    const rec = new Uint32Array(W);
    const put = (i: number, v: bigint): void => { rec[i] = Number(v & 0xffffffffn); rec[i + 1] = Number(v >> 32n); };
    const [ts, kind, ...f] = line.slice(0, -1).split(",");
    const sys = kind === " SYSCALL";
    rec[0] = sys ? K_SYSCALL : 0;
    put(W_TICK, BigInt(ts));
    if (sys) for (let k = 0; k < 7; k++) put(W_RAX + 2 * k, BigInt(f[k]));
    put(W_CR3, BigInt(f[sys ? 7 : 0]));
    this.event(rec, 0);
  };

  private event(r: Uint32Array, b: number): void {
    if (this.phase === "done") return;
    const sys = (r[b] & 0xff) === K_SYSCALL;
    if (this.phase === "waiting") {
      if (!sys || !this.isMkdirOf(r, b, BEGIN_MARKER)) return;
      this.phase = "recording";
    }
    this.record(r, b, sys);
    if (sys) {
      if (this.phase === "recording" && this.isMkdirOf(r, b, END_MARKER)) {
        this.phase = "closing";
        this.endCr3 = this.lastCr3;
      }
    } else if (this.phase === "closing" && this.lastCr3 === this.endCr3) {
      this.phase = "done";
      this.endNs = u64(r, b + W_TICK);
    }
  }

  private record(r: Uint32Array, b: number, sys: boolean): void {
    this.writeRaw(r, b, sys);
    this.cols.add(r, b, sys);
    this.lineNo++;
    if (!this.cr3Known || r[b + W_CR3] !== this.cr3Lo || r[b + W_CR3 + 1] !== this.cr3Hi) this.noteProcess(r[b + W_CR3], r[b + W_CR3 + 1]);
    if (!sys) { this.sysrets++; return; }
    const ts = u64(r, b + W_TICK);
    if (this.beginNs < 0) this.beginNs = ts;
    this.syscalls++;
    this.writeProcessed(r, b);
    const nr = u64(r, b + W_RAX);
    this.counts.set(nr, (this.counts.get(nr) ?? 0) + 1);
    if (nr === NR_WRITE) this.noteStateReport(this.lastCr3, u64(r, b + W_RSI), u64(r, b + W_RDX), ts);
    // execve may give the same process a new address space: look again at the next line.
    if (nr === NR_EXECVE) { this.lastCr3 = ""; this.cr3Known = false; }
  }

  // `<ts>, SYSCALL,0x<rax>,...,0x<cr3>\n` or `<ts>, SYSRET,0x<cr3>\n`, as src/kernel/trace-lines.ts writes them.
  // A program in a loop repeats its calls with the same arguments, so the text
  // after RAX is kept per syscall number (and after SYSRET per CR3) and copied
  // whole when the words match.
  private readonly tails: Array<{ words: Uint32Array; text: Buffer } | undefined> = [];
  private retTail: { lo: number; hi: number; text: Buffer } | null = null;

  private writeRaw(r: Uint32Array, b: number, sys: boolean): void {
    const o = this.raw;
    if (r[b + W_TICK + 1] < SAFE_HI) { o.reserve(LINE_MAX); o.dec(u64(r, b + W_TICK)); } else { o.append(`${u64(r, b + W_TICK)}`); o.reserve(LINE_MAX); }
    if (!sys) {
      const lo = r[b + W_CR3], hi = r[b + W_CR3 + 1], t = this.retTail;
      if (t !== null && t.lo === lo && t.hi === hi) { o.copy(t.text); return; }
      const at = o.length;
      o.bytes8(T_SYSRET);
      o.hex64(lo, hi);
      o.bytes8(T_NL);
      this.retTail = { lo, hi, text: o.since(at) };
      return;
    }
    o.bytes8(T_SYSCALL);
    o.hex64(r[b + W_RAX], r[b + W_RAX + 1]);
    const nr = r[b + W_RAX + 1] === 0 && r[b + W_RAX] < MAX_TAILS ? r[b + W_RAX] : -1;
    const t = nr >= 0 ? this.tails[nr] : undefined;
    if (t !== undefined) {
      let same = true;
      for (let k = 0; k < TAIL_WORDS; k++) if (t.words[k] !== r[b + W_RDI + k]) { same = false; break; }
      if (same) { o.copy(t.text); return; }
    }
    const at = o.length;
    for (let k = W_RDI; k <= W_CR3; k += 2) o.hexField(r[b + k], r[b + k + 1]);
    o.bytes8(T_NL);
    if (nr >= 0) this.tails[nr] = { words: r.slice(b + W_RDI, b + W_RDI + TAIL_WORDS), text: o.since(at) };
  }

  // The processed line of a SYSCALL (the dataset's processed format, as
  // ProcessedConverter writes it): `<ts minus the previous SYSCALL's ts>\t<RAX + 1>\n`,
  // in plain numbers while every value is below 2^53, BigInt beyond.
  private writeProcessed(r: Uint32Array, b: number): void {
    const o = this.processed;
    o.reserve(LINE_MAX);
    const lo = r[b + W_TICK], hi = r[b + W_TICK + 1];
    if (hi < SAFE_HI && this.prevHi < SAFE_HI) {
      const delta = this.hasPrev ? u64(r, b + W_TICK) - (this.prevHi * 4294967296 + this.prevLo) : 0;
      if (delta < 0) throw new Error(`raw event at line ${this.lineNo}: timestamp goes back`);
      o.dec(delta);
    } else {
      const delta = this.hasPrev ? big(r, b + W_TICK) - ((BigInt(this.prevHi) << 32n) | BigInt(this.prevLo)) : 0n;
      if (delta < 0n) throw new Error(`raw event at line ${this.lineNo}: timestamp goes back`);
      o.append(`${delta}`);
    }
    o.reserve(LINE_MAX);
    o.bytes8(T_TAB);
    if (r[b + W_RAX + 1] < SAFE_HI) o.dec(u64(r, b + W_RAX) + 1); else { o.append(`${big(r, b + W_RAX) + 1n}`); o.reserve(LINE_MAX); }
    o.bytes8(T_NL);
    this.prevLo = lo; this.prevHi = hi; this.hasPrev = true;
  }

  private readonly head = new Uint8Array(STATE_HEAD.length);

  // The process that owns CR3 right now (it is running: its record was just made).
  private noteProcess(lo: number, hi: number): void {
    const cr3 = `0x${hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0")}`;
    this.lastCr3 = cr3;
    this.cr3Lo = lo; this.cr3Hi = hi; this.cr3Known = true;
    const value = parseInt(cr3, 16);
    let owner: Process | undefined;
    for (const p of this.kernel().procs.values()) if (p.cr3 === value && p.state !== "zombie") { owner = p; break; }
    const program = owner?.exePath ?? "?";
    const pid = owner?.pid ?? -1;
    if (!this.processes.some((x) => x.cr3 === cr3 && x.pid === pid && x.program === program)) this.processes.push({ cr3, pid, program });
  }

  private isMkdirOf(r: Uint32Array, b: number, name: string): boolean {
    if (r[b + W_RAX + 1] !== 0) return false;
    const nr = r[b + W_RAX];
    let va: number;
    if (nr === NR_MKDIR) va = u64(r, b + W_RDI);
    else if (nr === NR_MKDIRAT) va = u64(r, b + W_RSI);
    else return false;
    const p = this.current(u64(r, b + W_CR3));
    return p?.mem.readCString(va, name.length + 1) === name;
  }

  // STATE reports the autopilot writes to the port: the flight's phases in virtual time.
  private noteStateReport(cr3: string, buf: number, len: number, ns: number): void {
    if (len < 7 || len > 64) return;
    const p = this.current(parseInt(cr3, 16));
    // Most writes are throttle commands: look at the first bytes before the whole buffer.
    if (!p || !p.mem.readInto(buf, this.head) || !this.head.every((x, i) => x === STATE_HEAD[i])) return;
    const bytes = p.mem.read(buf, len);
    if (!bytes) return;
    const text = Buffer.from(bytes).toString("latin1");
    const m = /^STATE ([A-Z]+)\n$/.exec(text);
    if (m) this.stateReports.push({ state: m[1], ns });
  }

  // The process whose registers made the record: the kernel's current one (a
  // SYSCALL record is the last of its batch, taken before the call is handled).
  private current(value: number): Process | undefined {
    const k = this.kernel();
    if (k.current && k.current.cr3 === value) return k.current;
    for (const p of k.procs.values()) if (p.cr3 === value) return p;
    return undefined;
  }

  // The two files' bytes (ASCII): views of the sinks, valid until they are written again.
  rawBytes(): Buffer { return this.raw.view(); }
  processedBytes(): Buffer { return this.processed.view(); }
  // The raw file's rows as columns: views, valid until the sinks are used again.
  columns(): RawColumns { return this.cols.columns(); }

  // Events per syscall name, most frequent first (ties by name), for the manifest.
  eventCounts(): Record<string, number> {
    const rows = [...this.counts].map(([nr, n]) => [syscallName(nr), n] as const);
    rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(rows);
  }

  count(name: string): number { return this.counts.get(SYSCALL_NUMBERS[name]) ?? 0; }
}
