// Raw trace file -> processed trace, streamed: the raw file is read strictly
// (any grammar or order error stops the conversion) and the output is
// written in large chunks, waiting for the destination to drain.
import type { Writable } from "node:stream";
import { readRawFile } from "./raw-reader.js";
import { ProcessedConverter } from "./processed.js";

export interface ProcessStats {
  lines: number;
  syscalls: number;
}

const FLUSH_AT = 1 << 16;

export async function processRawFile(rawPath: string, out: Writable): Promise<ProcessStats> {
  const conv = new ProcessedConverter();
  let buf = "";
  let syscalls = 0;
  const flush = async (): Promise<void> => {
    if (buf === "") return;
    const ok = out.write(buf);
    buf = "";
    if (!ok) await waitDrain(out);
  };
  const lines = await readRawFile(
    rawPath,
    (e) => {
      const l = conv.convert(e);
      if (l) { buf += l; syscalls++; }
    },
    async () => { if (buf.length >= FLUSH_AT) await flush(); },
  );
  await flush();
  return { lines, syscalls };
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
