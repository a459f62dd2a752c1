// `skytrace merge`: join the indexes of a dataset's shards (one folder shared
// by all shards, or one folder per machine) and check that the set is
// complete: every flight of the plan exactly once, as the plan says, with its
// files matching their checksums. With an output folder the joined dataset is
// assembled there (hard links when possible, else copies).
import { copyFileSync, existsSync, linkSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { FolderError, makeFolders } from "../host-fs/make-folders.js";
import path from "node:path";
import { FlightPlan, parseDatasetSeed, parseMix } from "./plan.js";
import { checkFiles, FlightRecord, recordLine } from "./record.js";
import { readJournal, writeIndex, writeMeta } from "./index-store.js";
import { upgradeLegacy } from "./legacy.js";
import type { DatasetMeta } from "./generate.js";

export interface MergeOptions {
  dirs: string[];
  out?: string;            // assemble the joined dataset here
  verify?: boolean;        // check every file's checksum (default true)
}

export interface MergeProblem { id: string; problem: "missing" | "failed" | "duplicate" | "mismatched"; detail: string }

export interface MergeReport {
  expected: number;
  complete: number;
  problems: MergeProblem[];
  notes: string[];
  written: string | null;      // where the joined index went
  ok: boolean;
}

interface Source { dir: string; file: string; record: FlightRecord }

function readMetas(dir: string): Array<{ file: string; meta: DatasetMeta }> {
  const out: Array<{ file: string; meta: DatasetMeta }> = [];
  for (const name of readdirSync(dir)) {
    if (!/^generate(\.shard-\d+-of-\d+)?\.json$/.test(name)) continue;
    out.push({ file: path.join(dir, name), meta: JSON.parse(readFileSync(path.join(dir, name), "utf8")) as DatasetMeta });
  }
  return out;
}

function place(from: string, to: string): void {
  makeFolders(path.dirname(to));
  rmSync(to, { force: true });
  try { linkSync(from, to); } catch { copyFileSync(from, to); }
}

export async function merge(o: MergeOptions): Promise<MergeReport> {
  const dirs = o.dirs.map((d) => path.resolve(d));
  if (dirs.length === 0) throw new Error("merge: name at least one dataset folder");
  const notes: string[] = [];
  // The output folder first: one that cannot be made fails before the (long) checks.
  if (o.out) {
    try { makeFolders(o.out); } catch (e) {
      throw e instanceof FolderError ? new Error(`--out: ${e.message}`) : e;
    }
  }
  const metas = dirs.flatMap((d) => {
    if (!existsSync(d)) throw new Error(`merge: ${d} does not exist`);
    return readMetas(d);
  });
  if (metas.length === 0) throw new Error(`merge: no generate*.json in ${dirs.join(", ")}: not made by skytrace generate`);
  const ref = metas[0].meta;
  for (const { file, meta } of metas) {
    for (const k of ["seed", "mix", "flights"] as const) {
      if (String(meta[k]) !== String(ref[k])) throw new Error(`merge: ${file} has ${k} ${meta[k]}, ${metas[0].file} has ${ref[k]}: not the same dataset`);
    }
    if (JSON.stringify(meta.options) !== JSON.stringify(ref.options)) throw new Error(`merge: ${file} and ${metas[0].file} have different flight options: not the same dataset`);
  }
  const plan = new FlightPlan(parseDatasetSeed(ref.seed), parseMix(ref.mix));

  // Every record of every index file, by flight.
  const byIndex = new Map<number, Source[]>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => /^index(\.shard-\d+-of-\d+)?\.jsonl$/.test(n)).sort()) {
      for (const record of readJournal(path.join(dir, name)).values()) {
        const list = byIndex.get(record.index) ?? [];
        list.push({ dir, file: path.join(dir, name), record });
        byIndex.set(record.index, list);
      }
    }
  }

  const problems: MergeProblem[] = [];
  const chosen: Source[] = [];
  for (let i = 0; i < ref.flights; i++) {
    const spec = plan.flight(i);
    const all = byIndex.get(i) ?? [];
    // The same record seen twice in one folder (its shard index and a joined index) is one record.
    const distinct = new Map<string, Source>();
    for (const s of all) distinct.set(`${s.dir}\n${recordLine(s.record)}`, s);
    const sources = [...distinct.values()];
    if (sources.length === 0) { problems.push({ id: spec.id, problem: "missing", detail: "in no index" }); continue; }
    const wrong = sources.find((s) => s.record.scenario !== spec.scenario || s.record.seed !== spec.seed || s.record.id !== spec.id);
    if (wrong) {
      problems.push({ id: spec.id, problem: "mismatched", detail: `${wrong.file} has ${wrong.record.scenario} seed ${wrong.record.seed}, the plan says ${spec.scenario} seed ${spec.seed}` });
      continue;
    }
    const good = sources.filter((s) => s.record.status === "ok");
    if (good.length === 0) { problems.push({ id: spec.id, problem: "failed", detail: sources[0].record.error ?? "failed" }); continue; }
    // Copies made by the previous version and by this one differ in their export's layout only.
    const layouts = new Set(good.map((s) => !!s.record.legacy)).size;
    const texts = new Set(good.map((s) => JSON.stringify(s.record.files.filter((f) => layouts === 1 || f.role !== "events").map((f) => [f.name, f.sha256]))));
    if (texts.size > 1) {
      problems.push({ id: spec.id, problem: "mismatched", detail: `made differently in ${good.map((s) => s.file).join(" and ")} (checksums differ)` });
      continue;
    }
    const dirsWith = new Set(good.map((s) => s.dir));
    if (dirsWith.size > 1) {
      problems.push({ id: spec.id, problem: "duplicate", detail: `made more than once, identically, in ${[...dirsWith].join(" and ")}` });
    }
    let pick: Source | undefined;
    let why = "";
    for (const s of good) {
      const bad = o.verify === false ? null : await checkFiles(s.dir, s.record);
      if (bad === null) { pick = s; break; }
      why = `${s.dir}: ${bad}`;
    }
    if (!pick) { problems.push({ id: spec.id, problem: "mismatched", detail: `files do not match the index: ${why}` }); continue; }
    chosen.push(pick);
  }
  const extra = [...byIndex.keys()].filter((i) => i >= ref.flights).length;
  if (extra) notes.push(`${extra} indexed flight(s) beyond --flights ${ref.flights} ignored`);

  const meta: DatasetMeta = { ...ref, shard: null };
  // Flights of the previous version get their export rewritten in today's layout where the joined index is written (legacy.ts).
  const legacy = chosen.filter((s) => s.record.legacy).length;
  const current = (dir: string) => chosen.map((s) => (s.record.legacy ? upgradeLegacy(dir, s.record, `skytrace ${ref.version}`) : s.record));
  let written: string | null = null;
  if (o.out) {
    const out = path.resolve(o.out);
    for (const s of chosen) {
      if (s.dir === out) continue;
      for (const f of s.record.files) place(path.join(s.dir, f.name), path.join(out, f.name));
    }
    writeIndex(out, { jsonl: "index.jsonl", csv: "index.csv" }, current(out));
    writeMeta(path.join(out, "generate.json"), meta);
    written = out;
  } else if (dirs.length === 1) {
    writeIndex(dirs[0], { jsonl: "index.jsonl", csv: "index.csv" }, current(dirs[0]));
    writeMeta(path.join(dirs[0], "generate.json"), meta);
    written = dirs[0];
  } else {
    notes.push("several folders and no --out: checked only, nothing written");
  }
  if (legacy) {
    notes.push(written
      ? `${legacy} flight(s) made by the previous version: their export rewritten in today's layout`
      : `${legacy} flight(s) made by the previous version: merge --out (or generate on the folder) rewrites their export in today's layout`);
  }
  const blocking = problems.filter((p) => p.problem !== "duplicate");
  return { expected: ref.flights, complete: chosen.length, problems, notes, written, ok: blocking.length === 0 && chosen.length === ref.flights };
}

export function mergeReportText(r: MergeReport): string {
  const lines = [`merge: ${r.complete}/${r.expected} flights complete${r.ok ? "" : " — INCOMPLETE"}${r.written ? `; index written to ${r.written}` : ""}`];
  for (const kind of ["missing", "failed", "mismatched", "duplicate"] as const) {
    const ps = r.problems.filter((p) => p.problem === kind);
    if (ps.length === 0) continue;
    lines.push(`  ${kind} (${ps.length})${kind === "duplicate" ? ", harmless: identical copies" : ""}:`);
    for (const p of ps.slice(0, 50)) lines.push(`    ${p.id}: ${p.detail}`);
    if (ps.length > 50) lines.push(`    … and ${ps.length - 50} more`);
  }
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join("\n");
}
