// bench/jit-runs.ts: a workload's runs in one process, each with the functions V8 compiled in it
// (read from V8's own trace lines: a change of their format shows here as no compiles at all).
import { describe, it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

describe("bench/jit-runs.ts", () => {
  it("factor 32, twice in one process: a row per run, V8's compiles counted, the second run taking regions from the first", () => {
    const out = execFileSync(process.execPath, [path.join(root, "dist/bench/jit-runs.js"), "factor", "2"], { encoding: "utf8" });
    const rows = out.split("\n").filter((l) => /^\| \d+ \|/.test(l)).map((l) => l.split("|").slice(1, -1).map((c) => c.trim()));
    expect(rows.map((r) => r[0])).toEqual(["1", "2"]);
    // columns: run, CPU, main, other, Liftoff, TurboFan (KB), regions, cached, early, refused, retaken, posted, builds
    expect(Number(rows[0][4])).toBeGreaterThan(0); // the first run's regions, and the core, compiled by Liftoff
    expect(Number(rows[0][6])).toBeGreaterThan(0);
    expect(Number(rows[1][7])).toBeGreaterThan(0); // the second run's regions from the thread's cache
  });
  it("an unknown workload: one line, status 2", () => {
    let status = 0, err = "";
    try { execFileSync(process.execPath, [path.join(root, "dist/bench/jit-runs.js"), "nosuch"], { encoding: "utf8", stdio: "pipe" }); } catch (e) { status = (e as { status: number }).status; err = String((e as { stderr: string }).stderr); }
    expect(status).toBe(2);
    expect(err.trim().split("\n")).toHaveLength(1);
  });
});
