// Test-side references of the two text formats, independent of the writers
// in src/dataset: string formatting with BigInt, one event at a time. The
// writers (raw-writer.ts, processed-writer.ts) are checked against these.
import { RawEvent, readRawText, recordWords } from "../../src/dataset/raw-reader.js";
import { ByteSink } from "../../src/dataset/byte-sink.js";
import { ProcessedWriter } from "../../src/dataset/processed-writer.js";
import { RECORD_WORDS } from "../../src/machine/trace-ring.js";

/** A whole raw trace held in memory, read strictly into events. */
export function parseRawText(text: string, file = "<raw>"): RawEvent[] {
  const out: RawEvent[] = [];
  readRawText(text, file, (e) => out.push(e));
  return out;
}

/** An event as the raw format spells it (with its "\n"). */
export function formatRawEvent(e: RawEvent): string {
  if (e.kind === "SYSRET") return `${e.ts}, SYSRET,0x${e.cr3.toString(16)}\n`;
  return `${e.ts}, SYSCALL,${e.regs.map((r) => "0x" + r.toString(16)).join(",")},0x${e.cr3.toString(16)}\n`;
}

/** The processed text of events, as the format defines it (BigInt arithmetic). */
export function processedReference(events: Iterable<RawEvent>): string {
  let prev: bigint | undefined;
  let out = "";
  for (const e of events) {
    if (e.kind !== "SYSCALL") continue;
    out += `${prev === undefined ? 0n : e.ts - prev}\t${e.regs[0] + 1n}\n`;
    prev = e.ts;
  }
  return out;
}

/** The processed text of events through the real writer, fed as trace records (as `skytrace process` does). */
export function toProcessedText(events: Iterable<RawEvent>): string {
  const bytes = new ByteSink(1 << 10);
  const w = new ProcessedWriter(bytes);
  const rec = new Uint32Array(RECORD_WORDS);
  for (const e of events) { recordWords(e, rec); w.write(rec, 0); }
  return bytes.view().toString("latin1");
}
