// The flights of a dataset made by `skytrace generate` (docs/bulk.md), as the
// evaluation needs them: id, scenario and the paths of the per-syscall table
// and the manifest, from index.jsonl; failed flights left out.
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

export class EvaluateError extends Error {}

export interface DatasetFlight {
  id: string;
  scenario: string;
  table: string;
  manifest: string;
}

export interface Dataset {
  dir: string;
  flights: DatasetFlight[];
  failed: number;
  /** generate.json's seed and mix, when the folder has it. */
  generate: { seed: string; mix: string } | null;
}

export function readDataset(dir: string): Dataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new EvaluateError(`${dir}: not a folder`);
  const index = path.join(dir, "index.jsonl");
  if (!existsSync(index)) throw new EvaluateError(`${dir}: no index.jsonl (not a dataset made by skytrace generate)`);
  const flights: DatasetFlight[] = [];
  let failed = 0;
  readFileSync(index, "utf8").split("\n").forEach((line, i) => {
    if (line.trim() === "") return;
    let r: { id?: unknown; scenario?: unknown; status?: unknown; files?: { role: string; name: string }[] };
    try { r = JSON.parse(line); } catch { throw new EvaluateError(`${index}:${i + 1}: not a JSON line`); }
    if (typeof r.id !== "string" || typeof r.scenario !== "string") throw new EvaluateError(`${index}:${i + 1}: no flight id or scenario`);
    if (r.status !== "ok") { failed++; return; }
    const file = (role: string) => {
      const f = Array.isArray(r.files) ? r.files.find((x) => x.role === role) : undefined;
      if (!f) throw new EvaluateError(`${index}:${i + 1}: flight ${r.id} has no ${role} file (made before the per-syscall table: run skytrace generate on the folder again)`);
      return path.join(dir, f.name);
    };
    flights.push({ id: r.id, scenario: r.scenario, table: file("syscalls"), manifest: file("manifest") });
  });
  if (flights.length === 0) throw new EvaluateError(`${dir}: the index lists no complete flight`);
  let generate: Dataset["generate"] = null;
  try {
    const g = JSON.parse(readFileSync(path.join(dir, "generate.json"), "utf8"));
    generate = { seed: String(g.seed), mix: String(g.mix) };
  } catch { /* a folder without generate.json (joined by hand) is still a dataset */ }
  flights.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { dir, flights, failed, generate };
}
