// Raw trace file -> processed trace, streamed: the raw file is read strictly
// (any grammar or order error stops the conversion), each event goes to the
// processed writer as a trace record (the writer the flights use), and the
// output is written in large chunks, waiting for the destination to drain.
import type { Writable } from "node:stream";
import { readRawFile, recordWords } from "./raw-reader.js";
import { ProcessedWriter } from "./processed-writer.js";
import { ByteSink } from "./byte-sink.js";
import { RECORD_WORDS } from "../machine/trace-ring.js";

export interface ProcessStats {
  lines: number;
  syscalls: number;
}

const FLUSH_AT = 1 << 16;

export async function processRawFile(rawPath: string, out: Writable): Promise<ProcessStats> {
  const bytes = new ByteSink(FLUSH_AT + 256);
  const writer = new ProcessedWriter(bytes);
  const rec = new Uint32Array(RECORD_WORDS);
  const flush = async (): Promise<void> => {
    if (bytes.length === 0) return;
    const ok = out.write(Buffer.from(bytes.view()));   // a copy: the stream may hold it past clear()
    bytes.clear();
    if (!ok) await waitDrain(out);
  };
  const lines = await readRawFile(
    rawPath,
    (e) => {
      recordWords(e, rec);
      writer.write(rec, 0, `${rawPath}:${e.line}`);
    },
    async () => { if (bytes.length >= FLUSH_AT) await flush(); },
  );
  await flush();
  return { lines, syscalls: writer.lines };
}

function waitDrain(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (err?: Error): void => {
      out.off("drain", onDrain);
      out.off("error", onError);
      out.off("close", onClose);
      if (err) reject(err); else resolve();
    };
    const onDrain = (): void => done();
    const onError = (err: Error): void => done(err);
    const onClose = (): void => done(new Error("output closed before the conversion finished"));
    out.on("drain", onDrain);
    out.on("error", onError);
    out.on("close", onClose);
  });
}
