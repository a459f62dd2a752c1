// `--timing` on exec, fly and generate: a bad or repeated model is refused in
// one line; exec's default is the ideal clock, and realistic changes only the
// timestamps (the program's output is the same).
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { built, expectOneLineRefusal, mapLimit, removeTempDirs, runCli, tempDir, ROOT } from "./helpers.js";

afterAll(removeTempDirs);
const hello = path.join(ROOT, "build/guest/tests/hello");

describe.runIf(built)("--timing", () => {
  it("refuses anything but realistic or ideal, and a second --timing, with one line (exec, fly, generate)", async () => {
    const out = tempDir("timing-out");
    const cases: Array<[string[], RegExp]> = [
      [["exec", "--timing", "exact", hello], /--timing must be realistic or ideal, not "exact"/],
      [["exec", "--timing", "ideal", "--timing", "ideal", hello], /--timing must be given once/],
      [["fly", "--scenario", "normal", "--timing", "IDEAL", "--out", path.join(out, "f")], /--timing must be realistic or ideal, not "IDEAL"/],
      [["generate", "--flights", "1", "--timing", "", "--out", path.join(out, "g")], /--timing/],
    ];
    const runs = await mapLimit(cases, 2, ([args]) => runCli(args));
    runs.forEach((r, i) => expectOneLineRefusal(r, cases[i][1]));
  });

  it("exec: ideal by default, realistic moves the timestamps and nothing else", async () => {
    const d = tempDir("timing-exec");
    const trace = (name: string) => path.join(d, name);
    const [dflt, ideal, real] = await Promise.all([
      runCli(["exec", "--trace", trace("default"), hello]),
      runCli(["exec", "--timing", "ideal", "--trace", trace("ideal"), hello]),
      runCli(["exec", "--timing", "realistic", "--trace", trace("real"), hello]),
    ]);
    for (const r of [dflt, ideal, real]) expect([r.status, r.stdout]).toEqual([0, "hello, world\n"]);
    const text = (n: string) => readFileSync(trace(n), "latin1");
    expect(text("default")).toBe(text("ideal"));
    const strip = (t: string) => t.split("\n").map((l) => l.replace(/^\d+,/, ""));
    expect(strip(text("real"))).toEqual(strip(text("ideal")));
    expect(text("real")).not.toBe(text("ideal"));
  });
});
