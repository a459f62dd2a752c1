// A benchmark's table written into a document between two marker comments, so that rerunning the
// benchmark refreshes the doc and leaves the rest of it alone (as scripts/flight-ranges.mjs does
// for docs/dataset.md). The markers: "<!-- bench:NAME:begin … -->" on a line of its own, then
// "<!-- bench:NAME:end -->"; exactly one of each.
import { readFileSync, writeFileSync } from "node:fs";

export function replaceSection(doc: string, name: string, body: string): string {
  const begin = `<!-- bench:${name}:begin`, end = `<!-- bench:${name}:end -->`;
  const b = doc.indexOf(begin), e = doc.indexOf(end);
  if (b < 0 || e < b || doc.indexOf(begin, b + 1) >= 0 || doc.indexOf(end, e + 1) >= 0) {
    throw new Error(`the document needs exactly one "${begin} … -->" line followed by one "${end}" line`);
  }
  const afterBegin = doc.indexOf("\n", b) + 1;
  if (afterBegin === 0 || afterBegin > e) throw new Error(`"${begin}" must be a line of its own`);
  return doc.slice(0, afterBegin) + body.replace(/\n*$/, "\n") + doc.slice(e);
}

/** Writes `body` into `file` between the `name` section's markers. */
export function writeSection(file: string, name: string, body: string): void {
  writeFileSync(file, replaceSection(readFileSync(file, "utf8"), name, body));
}
