// A generated table written into a document between two marker comments, so that rerunning the
// generator refreshes the doc and leaves the rest of it alone. The one implementation: the
// benchmarks' sections ("<!-- bench:NAME:begin … -->" … "<!-- bench:NAME:end -->") and the
// scripts' (scripts/flight-ranges/doc.mjs, scripts/reference-dataset.mjs, through dist/) use it.
import { readFileSync, writeFileSync } from "node:fs";

/**
 * `doc` with what lies between the `begin` line (a line starting with `begin`) and the `end`
 * marker replaced by `body`; exactly one of each, in that order, else `fail(message)` is thrown.
 */
export function replaceBetween(doc: string, begin: string, end: string, body: string,
  fail: (message: string) => Error = (m) => new Error(m)): string {
  const b = doc.indexOf(begin), e = doc.indexOf(end);
  if (b < 0 || e < b || doc.indexOf(begin, b + 1) >= 0 || doc.indexOf(end, e + 1) >= 0) {
    throw fail(`the document needs exactly one "${begin} … -->" line followed by one "${end}" line`);
  }
  const afterBegin = doc.indexOf("\n", b) + 1;
  if (afterBegin === 0 || afterBegin > e) throw fail(`"${begin}" must be a line of its own`);
  return doc.slice(0, afterBegin) + body.replace(/\n*$/, "\n") + doc.slice(e);
}

/** A benchmark's section `name`, replaced by `body`. */
export function replaceSection(doc: string, name: string, body: string): string {
  return replaceBetween(doc, `<!-- bench:${name}:begin`, `<!-- bench:${name}:end -->`, body);
}

/** A moment as the sections' first lines give it: "2026-12-05 14:03" (UTC, to the minute). */
export function utcMinute(when: Date | string): string {
  return (typeof when === "string" ? when : when.toISOString()).slice(0, 16).replace("T", " ");
}

/** Writes `body` into `file` between the `name` section's markers. */
export function writeSection(file: string, name: string, body: string): void {
  writeFileSync(file, replaceSection(readFileSync(file, "utf8"), name, body));
}
