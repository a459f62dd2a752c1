// One flight as a LID-DS 2021 recording: `<name>.zip` holding `<name>.sc`,
// `<name>.json`, `<name>.res` and skytrace's exact labels `<name>.labels.csv`
// (one row per `.sc` line: its 1-based number, as LID-DS numbers lines, the
// table's `seq`, label, cause, episode), in that order. Four members: LID-DS's
// recording check counts four (it expects a .pcap where this has the labels).
// The `.sc` and labels stream through the ZIP writer in chunks.
import type { FlightManifest } from "../../flight/manifest.js";
import type { FlightRows } from "./flight-table.js";
import { lineOrder, scLine } from "./sc-lines.js";
import { resText } from "./resources.js";
import { metadataJson, type RecordingInfo } from "./metadata.js";
import { ZipWriter } from "./zip-writer.js";

const CHUNK = 1 << 18;   // characters of text handed to deflate at a time

export const LABELS_HEADER = "line,seq,label,cause,episode";

/** Thrown when the stop signal came while a recording was being written. */
export class ExportStopped extends Error {}

/** Writes the recording; returns its number of `.sc` lines. */
export async function writeFlightZip(file: string, name: string, rows: FlightRows, m: FlightManifest, info: RecordingInfo, stop?: AbortSignal): Promise<number> {
  const zip = new ZipWriter(file);
  const checkStop = () => { if (stop?.aborted) throw new ExportStopped("stopped"); };
  try {
    const order = lineOrder(rows);
    const sc = zip.member(`${name}.sc`);
    let buf = "";
    for (let k = 0; k < order.length; k++) {
      buf += scLine(rows, order[k]) + "\n";
      if (buf.length >= CHUNK) { await sc.write(buf); buf = ""; checkStop(); }
    }
    if (buf) await sc.write(buf);
    await sc.end();
    await zip.add(`${name}.json`, metadataJson(m, info));
    await zip.add(`${name}.res`, resText(rows, m.recording.beginNs, m.recording.endNs));
    const labels = zip.member(`${name}.labels.csv`);
    buf = LABELS_HEADER + "\n";
    for (let k = 0; k < order.length; k++) {
      const i = order[k] >> 1;
      buf += `${k + 1},${i},${rows.label[i]},${rows.cause[i]},${rows.episode[i]}\n`;
      if (buf.length >= CHUNK) { await labels.write(buf); buf = ""; checkStop(); }
    }
    if (buf) await labels.write(buf);
    await labels.end();
    zip.close();
    return order.length;
  } catch (e) {
    zip.abandon();
    throw e;
  }
}
