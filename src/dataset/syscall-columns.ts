// The per-syscall table's rows, as columns: one row per SYSCALL record of a
// recording, filled by the flight recorder from the same ring words the raw
// line is written from (src/machine/trace-ring.ts), with the process that
// made the call as the kernel had it at that moment (pid, parent, comm). Its
// SYSRET, matched by thread id, gives the row its exit time and return value.
// Phases and labels are columns filled after the flight (labels.ts).
//
// No objects, strings or BigInt per row: 64-bit values are kept as the
// records' 32-bit halves in typed arrays that are reused flight after flight
// (FlightHost.sinks) and handed to the Parquet table as views
// (syscalls-table.ts). The comm strings are a small dictionary.
import { W_TICK, W_RAX, W_RET, W_TID, W_CR3 } from "../machine/trace-ring.js";

const REGS = 7;   // RAX (the number) and the six arguments
const NONE = 0xffffffff;

/** The rows so far, as views of the storage (valid until the next clear()). */
export interface SyscallRows {
  n: number;
  enter: BigInt64Array;        // the SYSCALL's tick
  exit: BigInt64Array;         // its SYSRET's tick, -1 where none came
  ret: BigInt64Array;          // RAX at that SYSRET (signed: -errno on failure), 0 where none came
  nr: BigUint64Array;
  args: BigUint64Array[];      // RDI RSI RDX R10 R8 R9
  cr3: BigUint64Array;
  tid: Int32Array;
  pid: Int32Array;
  ppid: Int32Array;
  comm: Int16Array;            // index into commNames
  commNames: readonly string[];
  /** Each row's enter tick as a number (exact below 2^53), for the label and phase passes. */
  enterNs: Float64Array;
  /** Each row's exit tick as a number, -1 where none came. */
  exitNs: Float64Array;
  /** The return value as a number (exact within ±2^53), 0 where none came. */
  retNum: Float64Array;
  // Filled after the flight (labels.ts): indices into their dictionaries, and the episode (-1 none).
  phase: Int8Array;
  truthPhase: Int8Array;
  label: Int8Array;
  cause: Int8Array;
  episode: Int32Array;
}

export class SyscallColumns {
  private cap = 0;
  private n = 0;
  private enterW: Uint32Array = new Uint32Array(0);
  private exitW: Uint32Array = new Uint32Array(0);
  private retW: Uint32Array = new Uint32Array(0);
  private regW: Uint32Array = new Uint32Array(0);     // REGS columns one after another, cap rows each
  private cr3W: Uint32Array = new Uint32Array(0);
  private tid: Int32Array = new Int32Array(0);
  private pid: Int32Array = new Int32Array(0);
  private ppid: Int32Array = new Int32Array(0);
  private comm: Int16Array = new Int16Array(0);
  private enterNs: Float64Array = new Float64Array(0);
  private exitNs: Float64Array = new Float64Array(0);
  private retNum: Float64Array = new Float64Array(0);
  private phase: Int8Array = new Int8Array(0);
  private truthPhase: Int8Array = new Int8Array(0);
  private label: Int8Array = new Int8Array(0);
  private cause: Int8Array = new Int8Array(0);
  private episode: Int32Array = new Int32Array(0);
  // The open call of each thread (row index, -1 none), by thread id.
  private pending: Int32Array = new Int32Array(64).fill(-1);
  private maxTid = -1;
  private commNames: string[] = [];
  private readonly commIndex = new Map<string, number>();
  private lastComm = "";
  private lastCommIndex = -1;
  /** SYSRET records that matched no call of their thread (a fork child's first return, a call entered before the recording). */
  unmatchedReturns = 0;

  constructor(initialRows = 1 << 16) { this.grow(initialRows); }

  clear(): void {
    this.n = 0;
    if (this.maxTid >= 0) this.pending.fill(-1, 0, this.maxTid + 1);
    this.maxTid = -1;
    this.commNames = [];
    this.commIndex.clear();
    this.lastComm = "";
    this.lastCommIndex = -1;
    this.unmatchedReturns = 0;
  }

  get rows(): number { return this.n; }

  /** A SYSCALL record at b, made by process `pid` (parent `ppid`, name `comm`) in thread `tid`. Returns its row. */
  call(r: Uint32Array, b: number, pid: number, ppid: number, comm: string): number {
    if (this.n === this.cap) this.grow(this.cap * 2);
    const i = this.n++, w = 2 * i;
    this.enterW[w] = r[b + W_TICK]; this.enterW[w + 1] = r[b + W_TICK + 1];
    this.exitW[w] = NONE; this.exitW[w + 1] = NONE;
    this.retW[w] = 0; this.retW[w + 1] = 0;
    // The seven registers' columns lie one after another, `stride` words apart.
    const regs = this.regW, s = 2 * this.cap, x = b + W_RAX;
    regs[w] = r[x]; regs[w + 1] = r[x + 1];
    regs[s + w] = r[x + 2]; regs[s + w + 1] = r[x + 3];
    regs[2 * s + w] = r[x + 4]; regs[2 * s + w + 1] = r[x + 5];
    regs[3 * s + w] = r[x + 6]; regs[3 * s + w + 1] = r[x + 7];
    regs[4 * s + w] = r[x + 8]; regs[4 * s + w + 1] = r[x + 9];
    regs[5 * s + w] = r[x + 10]; regs[5 * s + w + 1] = r[x + 11];
    regs[6 * s + w] = r[x + 12]; regs[6 * s + w + 1] = r[x + 13];
    this.cr3W[w] = r[b + W_CR3]; this.cr3W[w + 1] = r[b + W_CR3 + 1];
    const tid = r[b + W_TID];
    this.tid[i] = tid;
    this.pid[i] = pid;
    this.ppid[i] = ppid;
    if (comm !== this.lastComm || this.lastCommIndex < 0) {
      let k = this.commIndex.get(comm);
      if (k === undefined) { k = this.commNames.length; this.commNames.push(comm); this.commIndex.set(comm, k); }
      this.lastComm = comm; this.lastCommIndex = k;
    }
    this.comm[i] = this.lastCommIndex;
    // A call still open in this thread never returned (a signal handler's frame, rt_sigreturn): it keeps exit -1.
    if (tid >= this.pending.length) this.growPending(tid);
    if (tid > this.maxTid) this.maxTid = tid;
    this.pending[tid] = i;
    return i;
  }

  /** A SYSRET record at b: the exit of its thread's open call. Returns that row, or -1. */
  ret(r: Uint32Array, b: number): number {
    const tid = r[b + W_TID];
    const i = tid < this.pending.length ? this.pending[tid] : -1;
    if (i < 0) { this.unmatchedReturns++; return -1; }
    this.pending[tid] = -1;
    const w = 2 * i;
    this.exitW[w] = r[b + W_TICK]; this.exitW[w + 1] = r[b + W_TICK + 1];
    this.retW[w] = r[b + W_RET]; this.retW[w + 1] = r[b + W_RET + 1];
    return i;
  }

  rowsView(): SyscallRows {
    const n = this.n, stride = 2 * this.cap;
    // The times and return values as numbers, for the passes after the flight (made here, not per call).
    const ew = this.enterW, xw = this.exitW, rw = this.retW;
    for (let i = 0; i < n; i++) {
      this.enterNs[i] = ew[2 * i + 1] * 4294967296 + ew[2 * i];
      this.exitNs[i] = xw[2 * i] === NONE && xw[2 * i + 1] === NONE ? -1 : xw[2 * i + 1] * 4294967296 + xw[2 * i];
      this.retNum[i] = (rw[2 * i + 1] | 0) * 4294967296 + rw[2 * i];
    }
    const u64 = (a: Uint32Array, from = 0): BigUint64Array => new BigUint64Array(a.buffer, a.byteOffset + from * 4, n);
    const i64 = (a: Uint32Array): BigInt64Array => new BigInt64Array(a.buffer, a.byteOffset, n);
    const regs: BigUint64Array[] = [];
    for (let k = 0; k < REGS; k++) regs.push(u64(this.regW, k * stride));
    return {
      n, enter: i64(this.enterW), exit: i64(this.exitW), ret: i64(this.retW), nr: regs[0], args: regs.slice(1), cr3: u64(this.cr3W),
      tid: this.tid.subarray(0, n), pid: this.pid.subarray(0, n), ppid: this.ppid.subarray(0, n), comm: this.comm.subarray(0, n),
      commNames: this.commNames, enterNs: this.enterNs.subarray(0, n), exitNs: this.exitNs.subarray(0, n), retNum: this.retNum.subarray(0, n),
      phase: this.phase.subarray(0, n), truthPhase: this.truthPhase.subarray(0, n),
      label: this.label.subarray(0, n), cause: this.cause.subarray(0, n), episode: this.episode.subarray(0, n),
    };
  }

  private growPending(tid: number): void {
    const p = new Int32Array(Math.max(tid + 1, 2 * this.pending.length)).fill(-1);
    p.set(this.pending);
    this.pending = p;
  }

  private grow(rows: number): void {
    const old = this.cap, n = this.n;
    const pairs = (a: Uint32Array): Uint32Array => { const b = new Uint32Array(2 * rows); b.set(a.subarray(0, 2 * n)); return b; };
    this.enterW = pairs(this.enterW);
    this.exitW = pairs(this.exitW);
    this.retW = pairs(this.retW);
    this.cr3W = pairs(this.cr3W);
    const regs = new Uint32Array(2 * rows * REGS);
    for (let k = 0; k < REGS; k++) regs.set(this.regW.subarray(2 * old * k, 2 * old * k + 2 * n), 2 * rows * k);
    this.regW = regs;
    const ints = (a: Int32Array): Int32Array => { const b = new Int32Array(rows); b.set(a.subarray(0, n)); return b; };
    this.tid = ints(this.tid);
    this.pid = ints(this.pid);
    this.ppid = ints(this.ppid);
    const comm = new Int16Array(rows); comm.set(this.comm.subarray(0, n)); this.comm = comm;
    this.enterNs = new Float64Array(rows);
    this.exitNs = new Float64Array(rows);
    this.retNum = new Float64Array(rows);
    // Filled after the flight, never kept across growth.
    this.phase = new Int8Array(rows);
    this.truthPhase = new Int8Array(rows);
    this.label = new Int8Array(rows);
    this.cause = new Int8Array(rows);
    this.episode = new Int32Array(rows);
    this.cap = rows;
  }
}
