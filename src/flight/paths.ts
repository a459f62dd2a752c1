// Where the package lives (for the guest programs and its version), found from
// this module's own location so it works from src/ (tests) and dist/ (CLI).
import { existsSync, readFileSync, statSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

export function packageRoot(): string {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, "package.json");
    // The package that provides the `skytrace` command (its registry name is skytrace-uav).
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { bin?: Record<string, string> }).bin?.skytrace) return (root = dir);
    const up = path.dirname(dir);
    if (up === dir) throw new Error("skytrace: cannot find the package root (package.json)");
    dir = up;
  }
}

export function toolVersion(): string {
  return (JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
}

// A guest program built by `npm install` (build/guest/NAME).
export function guestProgram(name: string): Uint8Array {
  return programFile(path.join("build/guest", name)).bytes;
}

// A file of the package the guest runs (a guest program, guest/autopilot.py): fresh bytes, and
// their sha256 for the manifest, hashed once per process while the file keeps its size and mtime
// (a flight would otherwise spend milliseconds hashing the same 2 MB).
const digests = new Map<string, { size: number; mtimeMs: number; sha256: string }>();
export function programFile(relative: string): { bytes: Uint8Array; sha256: string } {
  const file = path.join(packageRoot(), relative);
  if (!existsSync(file)) throw new Error(`skytrace: ${file} is missing; run 'npm run build:guests'`);
  const bytes = new Uint8Array(readFileSync(file));
  const st = statSync(file);
  let d = digests.get(file);
  if (!d || d.size !== bytes.length || d.size !== st.size || d.mtimeMs !== st.mtimeMs) {
    d = { size: bytes.length, mtimeMs: st.mtimeMs, sha256: createHash("sha256").update(bytes).digest("hex") };
    digests.set(file, d);
  }
  return { bytes, sha256: d.sha256 };
}
