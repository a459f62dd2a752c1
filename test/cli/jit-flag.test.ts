// --jit / --no-jit and SKYTRACE_JIT (src/cli/jit-option.ts, src/machine/jit/default.ts): the
// second tier is on by default; the flag or the environment turns it off, in the command's worker
// threads too (their Machines' tier is read back through SKYTRACE_JIT_TALLY); and the outputs
// are the same bytes in either tier: exec's stdout and trace, fly's files (manifest included),
// generate's flights and index; with the JIT, compiling in its compile thread or at once alike.
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BIN, ROOT, built, removeTempDirs, tempDir } from "./helpers.js";
import { tree, treeDiff } from "../generate/helpers.js";

afterAll(removeTempDirs);

// A run of the CLI with SKYTRACE_JIT as given (undefined: unset) and the tally of its Machines.
function cli(args: string[], jitEnv: string | undefined, more: NodeJS.ProcessEnv = {}) {
  const tally = path.join(tempDir("tally"), "tally.jsonl");
  const env: NodeJS.ProcessEnv = { ...process.env, SKYTRACE_JIT_TALLY: tally, SKYTRACE_JIT_THRESHOLD: "", ...more };
  if (jitEnv === undefined) delete env.SKYTRACE_JIT; else env.SKYTRACE_JIT = jitEnv;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "latin1", env, timeout: 120_000 });
  const lines = existsSync(tally) ? readFileSync(tally, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { interpreted: number; jit: number; compiled: number; requested: number }) : [];
  rmSync(tally, { force: true });
  return { ...r, lines };
}
const tier = (lines: Array<{ interpreted: number; jit: number }>): string =>
  lines.length === 0 ? "none" : lines.every((l) => l.jit > 0 && l.interpreted === 0) ? "jit" : lines.every((l) => l.jit === 0 && l.interpreted > 0) ? "interpreter" : "mixed";

const FACTOR = path.join(ROOT, "build/guest/bench/factor");

// `flags` run with the JIT compiling in its compile thread, with the JIT compiling at once
// (SKYTRACE_JIT_THREAD=0) and with --no-jit, each into a folder of its own: all succeed, each in
// the tier it names, and the folders (`marker` among their files) hold the same bytes.
function sameInEveryTier(name: string, flags: string[], marker: string): void {
  const dirs = [tempDir(`${name}-jit`), tempDir(`${name}-jit-sync`), tempDir(`${name}-nojit`)];
  const a = cli([...flags, "--out", dirs[0]], undefined, { SKYTRACE_JIT_THREAD: "1" });
  const c = cli([...flags, "--out", dirs[1]], undefined, { SKYTRACE_JIT_THREAD: "0" });
  const b = cli([...flags, "--no-jit", "--out", dirs[2]], undefined);
  for (const r of [a, b, c]) expect(r.status, r.stderr).toBe(0);
  expect([tier(a.lines), tier(c.lines), tier(b.lines)]).toEqual(["jit", "jit", "interpreter"]);
  const ta = tree(dirs[0]);
  expect(ta.has(marker)).toBe(true);
  expect(treeDiff(ta, tree(dirs[1]))).toEqual([]);
  expect(treeDiff(ta, tree(dirs[2]))).toEqual([]);
}

describe.skipIf(!built)("the JIT's switch", () => {
  it("exec: on by default; --no-jit or SKYTRACE_JIT=0 turn it off, --jit wins over the environment; stdout and trace the same bytes", () => {
    const out = tempDir("exec");
    const runs = [
      { flags: [], env: undefined, want: "jit" },
      { flags: ["--no-jit"], env: undefined, want: "interpreter" },
      { flags: [], env: "0", want: "interpreter" },
      { flags: ["--jit"], env: "0", want: "jit" },
      { flags: ["--no-jit"], env: "1", want: "interpreter" },
    ].map((c, i) => {
      const trace = path.join(out, `${i}.trace`);
      const r = cli(["exec", ...c.flags, "--trace", trace, FACTOR, "2"], c.env);
      expect(r.status, r.stderr).toBe(0);
      expect(tier(r.lines), `${c.flags.join(" ")} SKYTRACE_JIT=${c.env}`).toBe(c.want);
      return { stdout: r.stdout, trace: readFileSync(trace), lines: r.lines };
    });
    // The factoring loop is hot: the JIT compiled it, or (a short run on a loaded machine) posted it
    // to its compile thread, which had not answered by the end.
    expect(runs[0].lines[0].compiled + runs[0].lines[0].requested).toBeGreaterThan(0);
    for (const r of runs.slice(1)) {
      expect(r.stdout).toBe(runs[0].stdout);
      expect(r.trace.equals(runs[0].trace)).toBe(true);
    }
  });

  it("--help of each command that runs guest code says what --jit does and how to turn it off", () => {
    for (const c of ["exec", "fly", "generate", "bench"]) {
      const r = spawnSync(process.execPath, [BIN, c, "--help"], { encoding: "utf8" });
      expect(r.stdout, c).toMatch(/--jit\b[\s\S]*second tier[\s\S]*SKYTRACE_JIT=0[\s\S]*--no-jit/);
    }
  });

  it("fly: a busydelay flight's files, manifest included, are the same bytes with --no-jit as with the default JIT", () => {
    sameInEveryTier("fly", ["fly", "--scenario", "busydelay", "--seed", "4", "--distance", "3", "--poll-hz", "20", "--busy-bits", "22"], "manifest.json");
  });

  it("generate: the pool's threads follow --no-jit; flights and index the same bytes", () => {
    const cfg = path.join(tempDir("cfg"), "short.json");
    writeFileSync(cfg, JSON.stringify({ destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }));
    sameInEveryTier("gen", ["generate", "--flights", "3", "--seed", "9", "--workers", "2", "--progress", "none", "--config", cfg, "--poll-hz", "10", "--busy-bits", "16"], "index.jsonl");
  });
});
