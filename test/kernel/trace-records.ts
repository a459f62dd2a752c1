// Trace ring records as objects, for the tests: decoded from the ring's words
// with src/machine/trace-ring.ts's accessors (BigInt values, one object a
// record), and a string formatter of the raw format to check the writer
// against. The host itself never makes these (src/dataset's writers read the words).
import { recIsSyscall, recTid, recTickLo, recTickHi, recRegLo, recRegHi, recCr3Lo, recCr3Hi, recRetLo, recRetHi, RECORD_WORDS, SYSCALL_REGS, type RingSink } from "../../src/machine/trace-ring.js";
import { ByteSink } from "../../src/dataset/byte-sink.js";
import { RawWriter } from "../../src/dataset/raw-writer.js";

export interface TraceRecord {
  kind: "SYSCALL" | "SYSRET";
  tid: number;
  tick: bigint;
  regs: bigint[]; // RAX RDI RSI RDX R10 R8 R9 (SYSCALL only)
  ret?: bigint;   // SYSRET only: RAX as the guest gets it, signed (-errno on failure)
  cr3: bigint;
}

const u64 = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);

/** The n records of a ring batch as objects. */
export function ringRecords(r: Uint32Array, n: number): TraceRecord[] {
  const out: TraceRecord[] = [];
  for (let i = 0; i < n; i++) {
    const b = i * RECORD_WORDS;
    const tick = u64(recTickLo(r, b), recTickHi(r, b)), cr3 = u64(recCr3Lo(r, b), recCr3Hi(r, b)), tid = recTid(r, b);
    if (recIsSyscall(r, b)) {
      const regs: bigint[] = [];
      for (let k = 0; k < SYSCALL_REGS; k++) regs.push(u64(recRegLo(r, b, k), recRegHi(r, b, k)));
      out.push({ kind: "SYSCALL", tid, tick, regs, cr3 });
    } else {
      out.push({ kind: "SYSRET", tid, tick, regs: [], ret: BigInt.asIntN(64, u64(recRetLo(r, b), recRetHi(r, b))), cr3 });
    }
  }
  return out;
}

/** A kernel trace sink that keeps every record as an object. */
export function recordsSink(into: TraceRecord[]): RingSink {
  return (r, n) => { for (const rec of ringRecords(r, n)) into.push(rec); };
}

/** A record as the raw format spells it (with its "\n"), by string formatting. */
export function formatRecord(r: TraceRecord): string {
  if (r.kind === "SYSCALL") return `${r.tick}, SYSCALL,${r.regs.map((g) => "0x" + g.toString(16)).join(",")},0x${r.cr3.toString(16)}\n`;
  return `${r.tick}, SYSRET,0x${r.cr3.toString(16)}\n`;
}

/** A kernel trace sink that writes the raw text with the dataset's writer (as `exec --trace` does), and that text. */
export function rawTextSink(): { sink: RingSink; text: () => string } {
  const bytes = new ByteSink(1 << 16);
  const w = new RawWriter(bytes);
  return { sink: (r, n) => w.records(r, n), text: () => bytes.view().toString("latin1") };
}
