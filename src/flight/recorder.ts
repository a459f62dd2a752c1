// The flight's instrumentation, as the original Bochs one: it watches every
// SYSCALL/SYSRET line, starts at the SYSCALL of the mkdir (or mkdirat) whose
// path argument, read from guest memory at that moment, is "FlightBegin", and
// stops after the SYSRET of the mkdir of "FlightEnd". The path is read by the
// recorder itself, so it works whichever process makes the call.
//
// It gets the kernel's raw-format lines (no record objects on the hot path)
// and builds, as it goes, the raw file, the processed file, the event counts,
// the processes by CR3 and the autopilot's STATE reports.
import type { Kernel } from "../kernel/kernel.js";
import type { Process } from "../kernel/process/process.js";
import { ByteSink } from "./byte-sink.js";
import { syscallName, SYSCALL_NUMBERS } from "../linux/syscall-numbers.js";

export const BEGIN_MARKER = "FlightBegin";
export const END_MARKER = "FlightEnd";

const NR_MKDIR = SYSCALL_NUMBERS.mkdir;
const NR_MKDIRAT = SYSCALL_NUMBERS.mkdirat;
const NR_WRITE = SYSCALL_NUMBERS.write;
const NR_EXECVE = SYSCALL_NUMBERS.execve;
const MKDIR_PREFIX = `0x${NR_MKDIR.toString(16)},`;
const MKDIRAT_PREFIX = `0x${NR_MKDIRAT.toString(16)},`;

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

// Fields of a SYSCALL line: "<ts>, SYSCALL,<rax>,<rdi>,<rsi>,<rdx>,<r10>,<r8>,<r9>,<cr3>\n".
const SYSCALL_TAG = ", SYSCALL,";
const STATE_HEAD = Buffer.from("STATE ", "latin1");

export class FlightRecorder {
  private phase: Phase = "waiting";
  private readonly raw = new ByteSink(8 << 20);
  private readonly processed = new ByteSink(1 << 20);
  private lineNo = 0;
  private lastCr3 = "";
  private lastCr3Tail = "\0";
  private endCr3 = "";
  private readonly counts = new Map<number, number>();
  readonly processes: RecordedProcess[] = [];
  readonly stateReports: StateReport[] = [];
  syscalls = 0;
  sysrets = 0;
  beginNs = -1;
  endNs = -1;

  constructor(private readonly kernel: () => Kernel) {}

  get started(): boolean { return this.phase !== "waiting"; }
  get finished(): boolean { return this.phase === "done"; }

  // One raw-format line (with its "\n"), in trace order. This runs for every
  // event of the whole run, so it allocates as little as it can.
  line = (line: string): void => {
    if (this.phase === "done") return;
    const tag = line.indexOf(SYSCALL_TAG);
    if (this.phase === "waiting") {
      if (tag < 0 || !this.isMkdirOf(line, tag, BEGIN_MARKER)) return;
      this.phase = "recording";
    }
    this.record(line, tag);
    if (tag >= 0) {
      if (this.phase === "recording" && this.isMkdirOf(line, tag, END_MARKER)) {
        this.phase = "closing";
        this.endCr3 = this.lastCr3;
      }
    } else if (this.phase === "closing" && this.lastCr3 === this.endCr3) {
      this.phase = "done";
      this.endNs = Number(line.slice(0, line.indexOf(",")));
    }
  };

  private record(line: string, tag: number): void {
    this.raw.append(line);
    this.lineNo++;
    if (!line.endsWith(this.lastCr3Tail)) this.noteProcess(line.slice(line.lastIndexOf(",") + 1, -1));
    if (tag < 0) { this.sysrets++; return; }
    const raxEnd = line.indexOf(",", tag + SYSCALL_TAG.length);
    const tsText = line.slice(0, line.indexOf(","));
    const raxText = line.slice(tag + SYSCALL_TAG.length, raxEnd);
    const ts = Number(tsText);
    if (this.beginNs < 0) this.beginNs = ts;
    this.syscalls++;
    this.processed.append(this.processedLine(tsText, raxText));
    const nr = Number(raxText);
    this.counts.set(nr, (this.counts.get(nr) ?? 0) + 1);
    if (nr === NR_WRITE) {
      const f = line.slice(raxEnd + 1, -1).split(",");
      this.noteStateReport(this.lastCr3, BigInt(f[1]), BigInt(f[2]), ts);
    }
    // execve may give the same process a new address space: look again at the next line.
    if (nr === NR_EXECVE) { this.lastCr3 = ""; this.lastCr3Tail = "\0"; }
  }

  // The processed line of a SYSCALL (the dataset's processed format, as
  // ProcessedConverter writes it): plain numbers while every value is below
  // 2^53 (15 characters: a decimal ts, or "0x" and 13 hex digits), BigInt beyond.
  private prevTsText: string | null = null;
  private processedLine(tsText: string, raxText: string): string {
    const prev = this.prevTsText;
    let out: string;
    if (tsText.length <= 15 && raxText.length <= 15 && (prev === null || prev.length <= 15)) {
      const delta = prev === null ? 0 : Number(tsText) - Number(prev);
      if (delta < 0) throw new Error(`raw event at line ${this.lineNo}: timestamp goes back`);
      out = `${delta}\t${Number(raxText) + 1}\n`;
    } else {
      const delta = prev === null ? 0n : BigInt(tsText) - BigInt(prev);
      if (delta < 0n) throw new Error(`raw event at line ${this.lineNo}: timestamp goes back`);
      out = `${delta}\t${BigInt(raxText) + 1n}\n`;
    }
    this.prevTsText = tsText;
    return out;
  }

  private readonly head = new Uint8Array(STATE_HEAD.length);

  // The process that owns CR3 right now (it is running: its record was just made).
  private noteProcess(cr3: string): void {
    this.lastCr3 = cr3;
    this.lastCr3Tail = `,${cr3}\n`;
    const value = parseInt(cr3, 16);
    let owner: Process | undefined;
    for (const p of this.kernel().procs.values()) if (p.cr3 === value && p.state !== "zombie") { owner = p; break; }
    const program = owner?.exePath ?? "?";
    const pid = owner?.pid ?? -1;
    if (!this.processes.some((r) => r.cr3 === cr3 && r.pid === pid && r.program === program)) this.processes.push({ cr3, pid, program });
  }

  private isMkdirOf(line: string, tag: number, name: string): boolean {
    const at = tag + SYSCALL_TAG.length;
    if (!line.startsWith(MKDIR_PREFIX, at) && !line.startsWith(MKDIRAT_PREFIX, at)) return false;
    const f = line.slice(tag + SYSCALL_TAG.length, -1).split(",");
    const nr = parseInt(f[0], 16);
    let va: string;
    if (nr === NR_MKDIR) va = f[1];
    else if (nr === NR_MKDIRAT) va = f[2];
    else return false;
    const p = this.current(f[7]);
    return p?.mem.readCString(parseInt(va, 16), name.length + 1) === name;
  }

  // STATE reports the autopilot writes to the port: the flight's phases in virtual time.
  private noteStateReport(cr3: string, buf: bigint, len: bigint, ns: number): void {
    if (len < 7n || len > 64n) return;
    const p = this.current(cr3);
    // Most writes are throttle commands: look at the first bytes before the whole buffer.
    if (!p || !p.mem.readInto(Number(buf), this.head) || !this.head.every((b, i) => b === STATE_HEAD[i])) return;
    const bytes = p.mem.read(Number(buf), Number(len));
    if (!bytes) return;
    const text = Buffer.from(bytes).toString("latin1");
    const m = /^STATE ([A-Z]+)\n$/.exec(text);
    if (m) this.stateReports.push({ state: m[1], ns });
  }

  // The process whose registers made the record: the kernel's current one (a
  // SYSCALL record is the last of its batch, taken before the call is handled).
  private current(cr3: string): Process | undefined {
    const k = this.kernel();
    const value = parseInt(cr3, 16);
    if (k.current && k.current.cr3 === value) return k.current;
    for (const p of k.procs.values()) if (p.cr3 === value) return p;
    return undefined;
  }

  // The two files' bytes (ASCII).
  rawBytes(): Buffer { return this.raw.bytes(); }
  processedBytes(): Buffer { return this.processed.bytes(); }

  // Events per syscall name, most frequent first (ties by name), for the manifest.
  eventCounts(): Record<string, number> {
    const rows = [...this.counts].map(([nr, n]) => [syscallName(nr), n] as const);
    rows.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return Object.fromEntries(rows);
  }

  count(name: string): number { return this.counts.get(SYSCALL_NUMBERS[name]) ?? 0; }
}
