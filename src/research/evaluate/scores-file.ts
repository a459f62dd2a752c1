// A test flight's scores, row by row, for plots: `scores/<flight_id>.csv.gz`,
// gzip'd CSV with a header:
//
//   seq,enter_ns,tid,label,cause,episode,<detector>,<detector>…
//
// one line per row of the flight's per-syscall table (seq, enter_ns, tid,
// label, cause and episode as there), then each detector's score, written as
// JavaScript prints the number (shortest round-trip form, so the value is
// exact). The thresholds are in evaluation.json. gzip (Node's zlib, level 6)
// gives the same bytes for the same rows.
import { gzipSync } from "node:zlib";
import type { FlightRows } from "./flight-rows.js";

export function scoresCsv(f: FlightRows, names: readonly string[], scores: readonly Float64Array[]): Buffer {
  const lines: string[] = [["seq", "enter_ns", "tid", "label", "cause", "episode", ...names].join(",")];
  for (let i = 0; i < f.n; i++) {
    let l = `${i},${f.enterNs[i]},${f.tid[i]},${f.label[i]},${f.causes[f.cause[i]]},${f.episode[i]}`;
    for (const s of scores) l += `,${s[i]}`;
    lines.push(l);
  }
  lines.push("");
  return gzipSync(Buffer.from(lines.join("\n")), { level: 6 });
}
