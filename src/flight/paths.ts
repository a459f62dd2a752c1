// Where the package lives (for the guest programs and its version), found from
// this module's own location so it works from src/ (tests) and dist/ (CLI).
import { existsSync, readFileSync } from "node:fs";
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
  const file = path.join(packageRoot(), "build/guest", name);
  if (!existsSync(file)) throw new Error(`skytrace: ${file} is missing; run 'npm run build:guests'`);
  return new Uint8Array(readFileSync(file));
}
