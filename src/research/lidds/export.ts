// `skytrace export lidds DATASET --out SCENARIO_DIR`: a dataset made by
// `skytrace generate` as one LID-DS 2021 scenario folder, so LID-DS's loaders
// read it unchanged:
//   training/*.zip  validation/*.zip  test/normal/*.zip  test/normal_and_attack/*.zip
// Splits: src/research/splits.ts (only normal flights train and validate;
// every flight of another scenario is in test/normal_and_attack). Flights are
// written one at a time in index order (memory: one flight's rows), each ZIP
// under a temporary name and renamed when complete. Nothing else goes in
// SCENARIO_DIR: LID-DS's factory tells a 2021 scenario by its first entry
// being a folder.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { readJournal } from "../../generate/index-store.js";
import type { FlightRecord } from "../../generate/record.js";
import type { FlightManifest } from "../../flight/manifest.js";
import { assignSplits, SplitError, type SplitCounts } from "../splits.js";
import { flightRows, TableError } from "./flight-table.js";
import { ExportStopped, writeFlightZip } from "./flight-zip.js";

export { ExportStopped };

export class ExportError extends Error {}

export interface LiddsExportOptions {
  dataset: string;
  out: string;
  seed: number;
  counts?: SplitCounts;
  /** Stops the export between chunks: the recording in progress is removed, ExportStopped thrown. */
  stop?: AbortSignal;
  /** Called after each flight (progress). */
  onFlight?: (done: number, total: number, id: string) => void;
}

export interface LiddsExportSummary {
  out: string;
  flights: number;
  lines: number;
  syscalls: number;
  bySplit: Record<string, number>;
  skippedFailed: string[];
  leftOut: number;
  wallMs: number;
}

export const FOLDERS = { training: "training", validation: "validation", normal: "test/normal", attack: "test/normal_and_attack" } as const;

function folderOf(split: string, scenario: string): string {
  if (split === "training") return FOLDERS.training;
  if (split === "validation") return FOLDERS.validation;
  return scenario === "normal" ? FOLDERS.normal : FOLDERS.attack;
}

function readIndex(dataset: string): FlightRecord[] {
  if (!existsSync(dataset) || !statSync(dataset).isDirectory()) throw new ExportError(`${dataset} is not a folder`);
  const file = path.join(dataset, "index.jsonl");
  if (!existsSync(file)) throw new ExportError(`${dataset} has no index.jsonl: not a dataset made by \`skytrace generate\` (run \`skytrace merge\` on shards first)`);
  const records = [...readJournal(file).values()].sort((a, b) => a.index - b.index);
  if (records.length === 0) throw new ExportError(`${file} lists no flight`);
  return records;
}

function fileOf(dataset: string, r: FlightRecord, role: "syscalls" | "manifest"): string {
  const f = r.files.find((x) => x.role === role);
  if (!f) throw new ExportError(`flight ${r.id} has no ${role === "syscalls" ? "per-syscall table" : "manifest"} in the index (made by an older skytrace: run \`skytrace generate\` on the dataset again)`);
  const p = path.join(dataset, f.name);
  if (!existsSync(p)) throw new ExportError(`flight ${r.id}: ${p} is missing`);
  return p;
}

export async function exportLidds(o: LiddsExportOptions): Promise<LiddsExportSummary> {
  const t0 = performance.now();
  const records = readIndex(o.dataset);
  const ok = records.filter((r) => r.status === "ok");
  const skippedFailed = records.filter((r) => r.status !== "ok").map((r) => r.id);
  let splits: Map<string, string>;
  try {
    splits = assignSplits(ok.map((r) => ({ id: r.id, scenario: r.scenario })), { seed: o.seed, counts: o.counts });
  } catch (e) {
    if (e instanceof SplitError) throw new ExportError(e.message);
    throw e;
  }
  if (existsSync(o.out)) {
    if (!statSync(o.out).isDirectory()) throw new ExportError(`--out ${o.out} exists and is not a folder`);
    if (readdirSync(o.out).length > 0) throw new ExportError(`--out ${o.out} is not empty: choose a new folder (the export never mixes with older files)`);
  }
  for (const f of Object.values(FOLDERS)) mkdirSync(path.join(o.out, f), { recursive: true });

  const chosen = ok.filter((r) => splits.has(r.id));
  const bySplit: Record<string, number> = Object.fromEntries(Object.values(FOLDERS).map((f) => [f, 0]));
  let lines = 0, syscalls = 0, done = 0;
  for (const r of chosen) {
    if (o.stop?.aborted) throw new ExportStopped("stopped");
    const split = splits.get(r.id)!;
    const folder = folderOf(split, r.scenario);
    const manifestFile = fileOf(o.dataset, r, "manifest");
    const tableFile = fileOf(o.dataset, r, "syscalls");
    let m: FlightManifest;
    try { m = JSON.parse(readFileSync(manifestFile, "utf8")) as FlightManifest; } catch (e) { throw new ExportError(`flight ${r.id}: ${manifestFile} is not JSON (${(e as Error).message})`); }
    if (!m.recording || !Array.isArray(m.episodes)) throw new ExportError(`flight ${r.id}: ${manifestFile} is not a flight manifest`);
    let rows;
    try { rows = flightRows(readFileSync(tableFile), tableFile); } catch (e) { if (e instanceof TableError) throw new ExportError(e.message); throw e; }
    const zipFile = path.join(o.out, folder, `${r.id}.zip`);
    const tmp = path.join(o.out, folder, `.${r.id}.zip.tmp`);
    try {
      lines += await writeFlightZip(tmp, r.id, rows, m, { flightId: r.id, scenario: r.scenario, seed: r.seed, split }, o.stop);
      renameSync(tmp, zipFile);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    syscalls += rows.n;
    bySplit[folder]++;
    o.onFlight?.(++done, chosen.length, r.id);
  }
  return { out: o.out, flights: chosen.length, lines, syscalls, bySplit, skippedFailed, leftOut: ok.length - chosen.length, wallMs: performance.now() - t0 };
}

export function exportSummaryText(s: LiddsExportSummary): string {
  const parts = Object.entries(s.bySplit).map(([f, n]) => `${f} ${n}`).join(", ");
  const lines = [`export lidds: ${s.flights} recordings in ${s.out} (${parts}): ${s.syscalls} syscalls, ${s.lines} .sc lines, ${(s.wallMs / 1000).toFixed(1)} s`];
  if (s.leftOut > 0) lines.push(`  ${s.leftOut} normal flights beyond the split counts left out`);
  if (s.skippedFailed.length > 0) lines.push(`  ${s.skippedFailed.length} failed flights skipped: ${s.skippedFailed.join(", ")}`);
  return lines.join("\n");
}
