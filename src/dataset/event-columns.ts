// The recorded events as columns, for the columnar export (events/*.parquet):
// one row per raw line, filled by the flight recorder from the same ring
// words the line is written from, so the export need not parse the text back
// (that parse was ~7% of a generate worker's time). A raw file made
// elsewhere (a dataset of the previous version) is read into the same
// columns by the strict reader (columnsOfRawText), and the tests check both agree.
// The storage is kept and reused flight after flight (FlightHost.sinks);
// columns() hands out views, valid until the next clear().
import { W_TICK, W_RAX, W_CR3, RECORD_WORDS, REC_SYSCALL } from "../machine/trace-ring.js";
import { readRawText, recordWords } from "./raw-reader.js";

export interface RawColumns {
  n: number;
  tick: BigUint64Array;
  cr3: BigUint64Array;
  nr: BigUint64Array;          // RAX of SYSCALL rows (0 on SYSRET rows)
  args: BigUint64Array[];      // RDI RSI RDX R10 R8 R9 of SYSCALL rows (0 on SYSRET rows)
  isCall: Uint8Array;          // 1 on SYSCALL rows
  calls: number;
}

const REGS = 7;   // RAX RDI RSI RDX R10 R8 R9

export class EventColumns {
  private cap = 0;
  private n = 0;
  private calls = 0;
  private tick = new Uint32Array(0);
  private cr3 = new Uint32Array(0);
  private regs = new Uint32Array(0);   // REGS columns one after another, cap rows each
  private isCall = new Uint8Array(0);

  constructor(initialRows = 1 << 17) { this.grow(initialRows); }

  clear(): void { this.n = 0; this.calls = 0; }

  // One event from ring words at b (sys: a SYSCALL record).
  add(r: Uint32Array, b: number, sys: boolean): void {
    if (this.n === this.cap) this.grow(this.cap * 2);
    const i = this.n++, w = 2 * i;
    this.tick[w] = r[b + W_TICK]; this.tick[w + 1] = r[b + W_TICK + 1];
    this.cr3[w] = r[b + W_CR3]; this.cr3[w + 1] = r[b + W_CR3 + 1];
    const regs = this.regs, stride = 2 * this.cap;
    if (sys) {
      for (let k = 0; k < REGS; k++) { regs[k * stride + w] = r[b + W_RAX + 2 * k]; regs[k * stride + w + 1] = r[b + W_RAX + 2 * k + 1]; }
      this.isCall[i] = 1;
      this.calls++;
    } else {
      for (let k = 0; k < REGS; k++) { regs[k * stride + w] = 0; regs[k * stride + w + 1] = 0; }
      this.isCall[i] = 0;
    }
  }

  // The rows so far: views of the storage.
  columns(): RawColumns {
    const n = this.n, u64 = (a: Uint32Array, from = 0) => new BigUint64Array(a.buffer, a.byteOffset + from * 4, n);
    const stride = 2 * this.cap;
    const regs: BigUint64Array[] = [];
    for (let k = 0; k < REGS; k++) regs.push(u64(this.regs, k * stride));
    return { n, tick: u64(this.tick), cr3: u64(this.cr3), nr: regs[0], args: regs.slice(1), isCall: this.isCall.subarray(0, n), calls: this.calls };
  }

  private grow(rows: number): void {
    const old = this.cap, n = this.n;
    const tick = new Uint32Array(2 * rows), cr3 = new Uint32Array(2 * rows), regs = new Uint32Array(2 * rows * REGS), isCall = new Uint8Array(rows);
    tick.set(this.tick.subarray(0, 2 * n));
    cr3.set(this.cr3.subarray(0, 2 * n));
    for (let k = 0; k < REGS; k++) regs.set(this.regs.subarray(2 * old * k, 2 * old * k + 2 * n), 2 * rows * k);
    isCall.set(this.isCall.subarray(0, n));
    this.tick = tick; this.cr3 = cr3; this.regs = regs; this.isCall = isCall;
    this.cap = rows;
  }
}

/** A raw trace's rows as columns, read by the strict reader (any grammar or order error throws, naming the line). */
export function columnsOfRawText(text: string | Uint8Array, file: string): RawColumns {
  const c = new EventColumns(1 << 12);
  const rec = new Uint32Array(RECORD_WORDS);
  readRawText(text, file, (e) => { recordWords(e, rec); c.add(rec, 0, rec[0] === REC_SYSCALL); });
  return c.columns();
}
