// Splits text that arrives in chunks into "\n"-terminated lines, for the
// strict trace readers. A final line without its newline is an error, and so
// is a line longer than any valid line could be (a binary file with no
// newline must fail fast, not fill memory).
import { createReadStream } from "node:fs";
import { TraceFormatError } from "./format-error.js";

export class LineSplitter {
  private rest = "";
  private count = 0;
  constructor(
    private readonly file: string,
    private readonly maxLength: number,
    private readonly onLine: (text: string, line: number) => void,
  ) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl < 0) break;
      if (nl - start > this.maxLength) this.tooLong(text.slice(start, nl));
      this.onLine(text.slice(start, nl), ++this.count);
      start = nl + 1;
    }
    this.rest = text.slice(start);
    if (this.rest.length > this.maxLength) this.tooLong(this.rest);
  }

  /** Ends the input; returns the number of lines. */
  end(): number {
    if (this.rest !== "") {
      // Report what is wrong with the line itself first, if anything.
      this.onLine(this.rest, ++this.count);
      throw new TraceFormatError(this.file, this.count, "last line is not terminated by a newline");
    }
    return this.count;
  }

  private tooLong(text: string): never {
    throw new TraceFormatError(this.file, this.count + 1, `line longer than ${this.maxLength} characters: ${JSON.stringify(text.slice(0, 60))}…`);
  }
}

/**
 * Streams a file through a splitter without holding it in memory. Bytes are
 * decoded as latin1 so non-ASCII bytes reach the grammar check (and fail it)
 * instead of being replaced.
 */
export async function splitFile(path: string, splitter: LineSplitter, afterChunk?: () => Promise<void> | void): Promise<number> {
  const stream = createReadStream(path, { encoding: "latin1", highWaterMark: 1 << 20 });
  try {
    for await (const chunk of stream) {
      splitter.push(chunk as string);
      if (afterChunk) await afterChunk();
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === "ENOENT") throw new Error(`${path}: no such file`);
    if (e.code === "EISDIR") throw new Error(`${path}: is a directory`);
    if (e.code === "EACCES") throw new Error(`${path}: permission denied`);
    throw err;
  } finally {
    stream.destroy();
  }
  return splitter.end();
}
