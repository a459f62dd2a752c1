// The strict reader of the raw trace format (the published dataset's layout,
// as src/dataset/raw-writer.ts writes it), one event a line:
//
//   <ts>, SYSCALL,<RAX>,<RDI>,<RSI>,<RDX>,<R10>,<R8>,<R9>,<CR3>
//   <ts>, SYSRET,<CR3>
//
// <ts> is a decimal integer, registers are lowercase 0x-prefixed hex of at
// most 64 bits. Every value has exactly one spelling (no leading zeros: `0`
// and `0x0`, never `007` or `0x07`), lines end in "\n" (no CR, no blank
// lines, the last line terminated too), and timestamps never decrease. Any
// violation is an error naming the line: a reader that guesses would let a
// broken writer go unnoticed, and byte-identical output is the contract.
import { TraceFormatError } from "./format-error.js";
import { LineSplitter, splitFile } from "./lines.js";
import { RECORD_WORDS, REC_SYSCALL, REC_SYSRET, W_KIND, W_TICK, W_REGS, W_CR3 } from "../machine/trace-ring.js";

export { TraceFormatError };

export interface SyscallEvent {
  kind: "SYSCALL";
  ts: bigint;
  /** RAX RDI RSI RDX R10 R8 R9, in the file's order. */
  regs: [bigint, bigint, bigint, bigint, bigint, bigint, bigint];
  cr3: bigint;
  line: number;
}
export interface SysretEvent {
  kind: "SYSRET";
  ts: bigint;
  cr3: bigint;
  line: number;
}
export type RawEvent = SyscallEvent | SysretEvent;

const DEC = "(?:0|[1-9][0-9]*)";
const HEX = "0x(?:0|[1-9a-f][0-9a-f]{0,15})";
const SYSCALL_RE = new RegExp(`^(${DEC}), SYSCALL,(${HEX}),(${HEX}),(${HEX}),(${HEX}),(${HEX}),(${HEX}),(${HEX}),(${HEX})$`);
const SYSRET_RE = new RegExp(`^(${DEC}), SYSRET,(${HEX})$`);
// The published grammar, looser than the canonical one above; used only to
// say why a line was refused.
const LOOSE_SYSCALL = /^\d+, SYSCALL,(0x[0-9a-f]+,){7}0x[0-9a-f]+$/;
const LOOSE_SYSRET = /^\d+, SYSRET,0x[0-9a-f]+$/;
/** No valid line is longer: 20-digit ts, ", SYSCALL,", 8 × 18-char values, 7 commas. */
export const RAW_MAX_LINE = 20 + 10 + 8 * 18 + 7;

function explain(text: string): string {
  if (text === "") return "empty line";
  if (text.endsWith("\r")) return "line ends in CR (CRLF line endings are not allowed)";
  if (LOOSE_SYSCALL.test(text) || LOOSE_SYSRET.test(text)) {
    if (/^0\d/.test(text)) return "timestamp has a leading zero";
    if (/0x[0-9a-f]{17,}/.test(text)) return "register value wider than 64 bits";
    return "hex value has a leading zero (write 0x0 or 0x1f, not 0x01f)";
  }
  if (/0x[0-9a-fA-F]*[A-F]/.test(text)) return "hex digits must be lowercase";
  if (/SYSCALL/.test(text)) return "malformed SYSCALL line (expected '<ts>, SYSCALL,' and 8 comma-separated 0x values)";
  if (/SYSRET/.test(text)) return "malformed SYSRET line (expected '<ts>, SYSRET,<cr3>')";
  return "not a SYSCALL or SYSRET event";
}

/** Parses one line (without its "\n"); throws TraceFormatError. */
export function parseRawLine(text: string, line: number, file = "<raw>"): RawEvent {
  let m = SYSCALL_RE.exec(text);
  if (m) {
    return {
      kind: "SYSCALL",
      ts: BigInt(m[1]),
      regs: [BigInt(m[2]), BigInt(m[3]), BigInt(m[4]), BigInt(m[5]), BigInt(m[6]), BigInt(m[7]), BigInt(m[8])],
      cr3: BigInt(m[9]),
      line,
    };
  }
  m = SYSRET_RE.exec(text);
  if (m) return { kind: "SYSRET", ts: BigInt(m[1]), cr3: BigInt(m[2]), line };
  const shown = JSON.stringify(text.length > 120 ? text.slice(0, 120) + "…" : text);
  throw new TraceFormatError(file, line, `${explain(text)}: ${shown}`);
}

/**
 * The event as a trace ring record (src/machine/trace-ring.ts) in `out` at word
 * `b`, for the writers and columns that read records: kind, tick, the
 * registers of a SYSCALL (a SYSRET's slots 0: the raw line has no return
 * value), CR3; thread id 0 (the raw line has none).
 */
export function recordWords(e: RawEvent, out: Uint32Array, b = 0): void {
  out.fill(0, b, b + RECORD_WORDS);
  const put = (w: number, v: bigint): void => { out[b + w] = Number(v & 0xffffffffn); out[b + w + 1] = Number(v >> 32n); };
  out[b + W_KIND] = e.kind === "SYSCALL" ? REC_SYSCALL : REC_SYSRET;
  put(W_TICK, e.ts);
  if (e.kind === "SYSCALL") for (let k = 0; k < 7; k++) put(W_REGS + 2 * k, e.regs[k]);
  put(W_CR3, e.cr3);
}

/** Checks lines as they come (grammar and timestamp order) and hands out events. */
export function rawSplitter(file: string, onEvent: (e: RawEvent) => void): LineSplitter {
  let lastTs = -1n;
  return new LineSplitter(file, RAW_MAX_LINE, (text, line) => {
    const e = parseRawLine(text, line, file);
    if (e.ts < lastTs) throw new TraceFormatError(file, line, `timestamp ${e.ts} is smaller than the previous line's ${lastTs}`);
    lastTs = e.ts;
    onEvent(e);
  });
}

/** Reads a whole raw trace held in memory (text or latin1 bytes), event by event; returns the number of lines. */
export function readRawText(text: string | Uint8Array, file: string, onEvent: (e: RawEvent) => void): number {
  const s = rawSplitter(file, onEvent);
  s.push(typeof text === "string" ? text : Buffer.from(text.buffer, text.byteOffset, text.length).toString("latin1"));
  return s.end();
}

/**
 * Streams a raw trace file event by event without holding it in memory.
 * onEvent may return a promise (e.g. to wait for an output stream to drain);
 * it is awaited once per chunk of input. Returns the number of lines.
 */
export async function readRawFile(path: string, onEvent: (e: RawEvent) => void, afterChunk?: () => Promise<void> | void): Promise<number> {
  return splitFile(path, rawSplitter(path, onEvent), afterChunk);
}
