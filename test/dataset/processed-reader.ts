// A strict reader of the processed trace format (src/dataset/processed-writer.ts
// writes it), for the tests: one line per SYSCALL event of the raw trace,
//
//   <ts minus the previous SYSCALL's ts> TAB <RAX + 1>
//
// both decimal, the first line's delta 0, RAX + 1 at most 2^64. Any other
// spelling is an error naming the line.
import { TraceFormatError } from "../../src/dataset/format-error.js";
import { LineSplitter, splitFile } from "../../src/dataset/lines.js";

export { TraceFormatError };

export interface ProcessedLine {
  delta: bigint;
  /** RAX + 1 as written; the syscall number is this minus one. */
  callPlusOne: bigint;
  line: number;
}

const LINE_RE = /^(0|[1-9][0-9]*)\t([1-9][0-9]*)$/;
const MAX_CALL_PLUS_ONE = 1n << 64n;
/** Longest valid line: a 20-digit delta, a tab, 2^64 (20 digits). */
export const PROCESSED_MAX_LINE = 20 + 1 + 20;

function explain(text: string, line: number): string {
  if (text === "") return "empty line";
  if (text.endsWith("\r")) return "line ends in CR (CRLF line endings are not allowed)";
  const parts = text.split("\t");
  if (parts.length !== 2) return `expected two fields separated by one TAB, found ${parts.length}`;
  const [d, c] = parts;
  if (!/^[0-9]+$/.test(d)) return `delta is not a non-negative decimal integer: ${JSON.stringify(d)}`;
  if (d.length > 1 && d[0] === "0") return "delta has a leading zero";
  if (!/^[0-9]+$/.test(c)) return `RAX+1 is not a decimal integer: ${JSON.stringify(c)}`;
  if (/^0+$/.test(c)) return "RAX+1 is 0 (it is at least 1)";
  if (c[0] === "0") return "RAX+1 has a leading zero";
  return `malformed line ${line}`;
}

/** Parses one processed line (without its "\n"); throws TraceFormatError. */
export function parseProcessedLine(text: string, line: number, file = "<processed>"): ProcessedLine {
  const m = LINE_RE.exec(text);
  if (!m) throw new TraceFormatError(file, line, `${explain(text, line)}: ${JSON.stringify(text.slice(0, 80))}`);
  const callPlusOne = BigInt(m[2]);
  if (callPlusOne > MAX_CALL_PLUS_ONE) throw new TraceFormatError(file, line, `RAX+1 ${m[2]} exceeds 2^64`);
  const delta = BigInt(m[1]);
  if (line === 1 && delta !== 0n) throw new TraceFormatError(file, line, `the first line's delta must be 0, found ${m[1]}`);
  return { delta, callPlusOne, line };
}

export function processedSplitter(file: string, onLine: (l: ProcessedLine) => void): LineSplitter {
  return new LineSplitter(file, PROCESSED_MAX_LINE, (text, line) => onLine(parseProcessedLine(text, line, file)));
}

/** Reads a whole processed trace held in memory. */
export function parseProcessedText(text: string, file = "<processed>"): ProcessedLine[] {
  const out: ProcessedLine[] = [];
  const s = processedSplitter(file, (l) => out.push(l));
  s.push(text);
  s.end();
  return out;
}

/** Streams a processed trace file line by line; returns the number of lines. */
export async function readProcessedFile(path: string, onLine: (l: ProcessedLine) => void): Promise<number> {
  return splitFile(path, processedSplitter(path, onLine));
}
