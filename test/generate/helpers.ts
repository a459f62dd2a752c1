// Shared by the generate tests: temp folders and whole-tree comparison.
import { mkdtempSync, readdirSync, readFileSync, statSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

export const fakeJob = pathToFileURL(path.resolve("test/generate/fixtures/fake-job.mjs")).href;

const made: string[] = [];
export function tempDir(tag: string): string {
  const d = mkdtempSync(path.join(os.tmpdir(), `skytrace-${tag}-`));
  made.push(d);
  return d;
}
/** Removes every folder tempDir made (call from afterAll). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Every file under dir (relative path → bytes), skipping names that match `skip`. */
export function tree(dir: string, skip: RegExp = /^$/): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      const rel = path.relative(dir, p);
      if (skip.test(rel)) continue;
      if (statSync(p).isDirectory()) walk(p);
      else out.set(rel, readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** Names whose bytes differ, or that only one tree has. */
export function treeDiff(a: Map<string, Buffer>, b: Map<string, Buffer>): string[] {
  const names = new Set([...a.keys(), ...b.keys()]);
  return [...names].filter((n) => !a.has(n) || !b.has(n) || !a.get(n)!.equals(b.get(n)!)).sort();
}
