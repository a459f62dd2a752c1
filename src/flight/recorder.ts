// The flight's instrumentation, as the original Bochs one: it watches every
// SYSCALL/SYSRET record, starts at the SYSCALL of the mkdir (or mkdirat) whose
// path argument, read from guest memory at that moment, is "FlightBegin", and
// stops after the SYSRET of the mkdir of "FlightEnd". The path is read by the
// recorder itself, so it works whichever process makes the call.
//
// It is the kernel's trace sink (ring words, src/machine/trace-ring.ts): no
// strings, objects or BigInt per event (a flight makes some 10^5). Each
// recorded record goes to the dataset's writers (src/dataset): the raw and
// processed files' bytes, the event columns (the export's rows) and the
// per-syscall rows, with the process that made the call as the kernel has it
// at that moment. Beside them it keeps the event counts, the processes by CR3
// and the autopilot's STATE reports.
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process/process.js";
import { ByteSink } from "../dataset/byte-sink.js";
import { RawWriter } from "../dataset/raw-writer.js";
import { ProcessedWriter } from "../dataset/processed-writer.js";
import { EventColumns, type RawColumns } from "../dataset/event-columns.js";
import { SyscallColumns } from "../dataset/syscall-columns.js";
import { syscallName, SYSCALL_NUMBERS } from "../linux/syscall-numbers.js";
import { RECORD_WORDS as W, REC_SYSCALL, W_KIND, W_TID, W_TICK, W_RAX, W_RDI, W_RSI, W_RDX, W_CR3, type RingSink } from "../machine/trace-ring.js";

export const BEGIN_MARKER = "FlightBegin";
export const END_MARKER = "FlightEnd";

const NR_MKDIR = SYSCALL_NUMBERS.mkdir;
const NR_MKDIRAT = SYSCALL_NUMBERS.mkdirat;
const NR_WRITE = SYSCALL_NUMBERS.write;

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

const STATE_HEAD = Buffer.from("STATE ", "latin1");
const u64 = (r: Uint32Array, i: number): number => r[i + 1] * 4294967296 + r[i];

// Where the recording goes: the two files' bytes, the events as columns (for
// the export) and the per-syscall rows (null: no table, for a benchmark's
// comparison). A worker keeps one set and hands it to flight after flight
// (FlightHost.sinks): a normal flight's raw trace is 5.7 MB.
export interface TraceSinks {
  raw: ByteSink;
  processed: ByteSink;
  columns: EventColumns;
  syscalls: SyscallColumns | null;
}

export function newTraceSinks(): TraceSinks {
  return { raw: new ByteSink(8 << 20), processed: new ByteSink(1 << 20), columns: new EventColumns(), syscalls: new SyscallColumns() };
}

export class FlightRecorder {
  private phase: Phase = "waiting";
  private readonly raw: ByteSink;
  private readonly processed: ByteSink;
  private readonly rawWriter: RawWriter;
  private readonly processedWriter: ProcessedWriter;
  private readonly cols: EventColumns;
  readonly syscallRows: SyscallColumns | null;
  private cr3Lo = 0;
  private cr3Hi = 0;
  private cr3Tid = -1;
  private endCr3Lo = 0;
  private endCr3Hi = 0;
  private readonly counts = new Map<number, number>();
  readonly processes: RecordedProcess[] = [];
  readonly stateReports: StateReport[] = [];
  syscalls = 0;
  sysrets = 0;
  beginNs = -1;
  endNs = -1;

  // The sinks are emptied first (they may hold the previous flight's).
  constructor(private readonly kernel: () => Kernel, sinks: TraceSinks = newTraceSinks()) {
    this.raw = sinks.raw;
    this.processed = sinks.processed;
    this.cols = sinks.columns;
    this.syscallRows = sinks.syscalls;
    this.raw.clear();
    this.processed.clear();
    this.cols.clear();
    this.syscallRows?.clear();
    this.rawWriter = new RawWriter(this.raw);
    this.processedWriter = new ProcessedWriter(this.processed);
  }

  get started(): boolean { return this.phase !== "waiting"; }
  get finished(): boolean { return this.phase === "done"; }

  // The kernel's trace sink: n records of the ring, in trace order.
  readonly records: RingSink = (r, n) => {
    for (let i = 0; i < n && this.phase !== "done"; i++) this.event(r, i * W);
  };

  private event(r: Uint32Array, b: number): void {
    const sys = (r[b + W_KIND] & 0xff) === REC_SYSCALL;
    if (this.phase === "waiting") {
      if (!sys || !this.isMkdirOf(r, b, BEGIN_MARKER)) return;
      this.phase = "recording";
    }
    this.record(r, b, sys);
    if (sys) {
      if (this.phase === "recording" && this.isMkdirOf(r, b, END_MARKER)) {
        this.phase = "closing";
        this.endCr3Lo = r[b + W_CR3]; this.endCr3Hi = r[b + W_CR3 + 1];
      }
    } else if (this.phase === "closing" && r[b + W_CR3] === this.endCr3Lo && r[b + W_CR3 + 1] === this.endCr3Hi) {
      this.phase = "done";
      this.endNs = u64(r, b + W_TICK);
    }
  }

  private record(r: Uint32Array, b: number, sys: boolean): void {
    this.rawWriter.write(r, b);
    this.cols.add(r, b, sys);
    const tid = r[b + W_TID];
    if (r[b + W_CR3] !== this.cr3Lo || r[b + W_CR3 + 1] !== this.cr3Hi || tid !== this.cr3Tid) this.noteProcess(r, b);
    if (!sys) {
      this.sysrets++;
      this.syscallRows?.ret(r, b);
      return;
    }
    const ts = u64(r, b + W_TICK);
    if (this.beginNs < 0) this.beginNs = ts;
    this.syscalls++;
    this.processedWriter.write(r, b);
    const nr = u64(r, b + W_RAX);
    this.counts.set(nr, (this.counts.get(nr) ?? 0) + 1);
    const p = this.kernel().processOfThread(tid);
    if (this.syscallRows) this.syscallRows.call(r, b, p?.pid ?? -1, p?.parent?.pid ?? 0, p?.comm ?? "");
    if (nr === NR_WRITE && p) this.noteStateReport(p, u64(r, b + W_RSI), u64(r, b + W_RDX), ts);
  }

  private readonly head = new Uint8Array(STATE_HEAD.length);

  // A record from another address space or thread than the last: note who owns it (it is alive:
  // its record was just made). An execve gives the same process a new address space.
  private noteProcess(r: Uint32Array, b: number): void {
    const lo = r[b + W_CR3], hi = r[b + W_CR3 + 1], tid = r[b + W_TID];
    this.cr3Lo = lo; this.cr3Hi = hi; this.cr3Tid = tid;
    const cr3 = `0x${hi === 0 ? lo.toString(16) : hi.toString(16) + lo.toString(16).padStart(8, "0")}`;
    const owner = this.kernel().processOfThread(tid);
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
    const p = this.kernel().processOfThread(r[b + W_TID]);
    return p?.mem.readCString(va, name.length + 1) === name;
  }

  // STATE reports the autopilot writes to the port: the flight's phases in virtual time.
  private noteStateReport(p: Process, buf: number, len: number, ns: number): void {
    if (len < 7 || len > 64) return;
    // Most writes are throttle commands: look at the first bytes before the whole buffer.
    if (!p.mem.readInto(buf, this.head) || !this.head.every((x, i) => x === STATE_HEAD[i])) return;
    const bytes = p.mem.read(buf, len);
    if (!bytes) return;
    const text = Buffer.from(bytes).toString("latin1");
    const m = /^STATE ([A-Z]+)\n$/.exec(text);
    if (m) this.stateReports.push({ state: m[1], ns });
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
