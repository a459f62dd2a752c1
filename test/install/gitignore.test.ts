// What the documented commands write into a clone (README.md, docs/, the
// --help examples, bench's default results file, `npm pack`'s tarball) is
// ignored by git, and the sources are not.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { DEFAULT_RESULTS } from "../../bench/results-file.js";

const inGit = spawnSync("git", ["rev-parse", "--is-inside-work-tree"], { encoding: "utf8" });
const why = inGit.error ? "no git" : inGit.status !== 0 ? "not a git checkout" : "";
if (why) console.log(`test/install/gitignore.test.ts skipped: ${why}`);

const ignored = (p: string) => spawnSync("git", ["check-ignore", "-q", "--no-index", p]).status === 0;

/** Every relative output of a documented skytrace command line: folders (--out) and files. */
function documentedOutputs(): { dirs: string[]; files: string[] } {
  const sources = ["README.md", ...readdirSync("docs").map((f) => path.join("docs", f)), ...readdirSync("src/cli").map((f) => path.join("src/cli", f))];
  const dirs = new Set<string>(), files = new Set<string>();
  for (const f of sources) {
    for (const line of readFileSync(f, "utf8").split("\n")) {
      if (!/skytrace |\$0 /.test(line)) continue;
      for (const m of line.matchAll(/(--out|--trace|--telemetry|-o)[ =]"?([^\s"`\])]+)/g)) {
        const p = m[2].replace(/\$\{?\w+\}?/g, "1");
        if (/^[A-Z_]+$/.test(p) || p.startsWith("/") || p.startsWith("-")) continue; // placeholders, absolute paths
        (m[1] === "--out" ? dirs : files).add(p);
      }
    }
  }
  return { dirs: [...dirs], files: [...files] };
}

describe.skipIf(why !== "")(".gitignore", () => {
  it("ignores what the documented commands write into the clone", () => {
    const { dirs, files } = documentedOutputs();
    expect(dirs).toContain("dataset");
    expect(dirs).toContain("data");
    expect(files.length).toBeGreaterThan(0);
    const targets = [...dirs.map((d) => path.join(d, "flight-000000/NORMAL_Flight.txt")), ...files, DEFAULT_RESULTS, "skytrace-uav-0.1.0.tgz"];
    expect(targets.filter((p) => !ignored(p))).toEqual([]);
  });

  it("does not ignore the sources", () => {
    const sources = ["src/cli/main.ts", "bench/run.ts", "docker/Dockerfile", "docker/kubernetes.yaml", ".dockerignore", "test/install/install.test.ts", "guest/autopilot.c", "package.json"];
    expect(sources.filter(ignored)).toEqual([]);
  });
});
