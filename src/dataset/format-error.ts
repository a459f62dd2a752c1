// The error every strict trace reader throws: which file, which line, what.
export class TraceFormatError extends Error {
  constructor(readonly file: string, readonly line: number, readonly detail: string) {
    super(`${file}:${line}: ${detail}`);
    this.name = "TraceFormatError";
  }
}
