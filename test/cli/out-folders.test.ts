// Output folders that cannot be made, for every command that makes one (fly,
// generate, merge --out, exec --trace's folder, bench --out): the command
// fails at once with one clear line and exit status 2, and leaves nothing.
// Node's recursive mkdir loops forever on /proc (ENOENT, then EEXIST for the
// parent); tests run as root here, so "cannot be made" uses paths that refuse
// root too: /proc and /sys, and a path under a regular file.
import { afterAll, describe, expect, it } from "vitest";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { makeFolders, removeMadeFolders, FolderError } from "../../src/host-fs/make-folders.js";
import { built, expectOneLineRefusal, mapLimit, removeTempDirs, runCli, tempDir, ROOT } from "./helpers.js";

afterAll(removeTempDirs);

const isRoot = process.getuid?.() === 0;

// Each command with the folder it would make at `dir`.
const COMMANDS: Array<[string, (dir: string, work: string) => string[]]> = [
  ["fly", (dir) => ["fly", "--scenario", "normal", "--seed", "1", "--out", dir]],
  ["generate", (dir) => ["generate", "--flights", "1", "--out", dir]],
  ["merge", (dir, work) => ["merge", work, "--out", dir]],
  ["exec --trace", (dir) => ["exec", "--trace", path.join(dir, "run.trace"), path.join(ROOT, "build/guest/tests/hello")]],
  // Without the early check the benchmarks would run for minutes before failing to write.
  ["bench", (dir) => ["bench", "--quick", "--out", path.join(dir, "results.json")]],
];

describe("makeFolders", () => {
  it("makes the missing components, says which one failed and why, and removes what it made on failure", () => {
    const base = tempDir("mkf");
    expect(makeFolders(path.join(base, "a", "b"))).toBe(path.join(base, "a"));
    expect(makeFolders(path.join(base, "a", "b"))).toBeUndefined();
    writeFileSync(path.join(base, "f"), "x");
    expect(() => makeFolders(path.join(base, "f", "x"))).toThrow(new FolderError(path.join(base, "f", "x"), `${path.join(base, "f")} is not a folder`));
    expect(() => makeFolders(path.join(base, "f"))).toThrow(/the path exists and is not a folder/);
    expect(() => makeFolders("/proc/nope/deeper")).toThrow("cannot create folder /proc/nope/deeper: /proc does not accept new folders");
    expect(() => makeFolders("/sys/kernel/nope")).toThrow(/cannot create folder \/sys\/kernel\/nope: .*(permission denied|read-only file system)/);
    // A failure deep down removes the folders made on the way (a name longer than NAME_MAX).
    expect(() => makeFolders(path.join(base, "m1", "m2", "n".repeat(300)))).toThrow(/name too long/);
    expect(existsSync(path.join(base, "m1"))).toBe(false);
    // removeMadeFolders: from the folder up to the first one made, only while empty.
    writeFileSync(path.join(base, "a", "keep"), "k");
    removeMadeFolders(path.join(base, "a", "b"), path.join(base, "a"));
    expect(readdirSync(path.join(base, "a"))).toEqual(["keep"]);
    expect(readdirSync(base).sort()).toEqual(["a", "f"]);
  });

  it.skipIf(isRoot)("a read-only folder (permission bits; root ignores them)", () => {
    const base = tempDir("mkf-ro");
    mkdirSync(path.join(base, "ro"));
    chmodSync(path.join(base, "ro"), 0o555);
    expect(() => makeFolders(path.join(base, "ro", "x"))).toThrow(/permission denied/);
    chmodSync(path.join(base, "ro"), 0o755);
  });
});

describe.skipIf(!built)("output folders that cannot be made", () => {
  it("fail at once with one line and status 2, for every command, leaving nothing", async () => {
    const runs: Array<{ name: string; where: string; work: string; expect: RegExp; args: string[] }> = [];
    for (const [name, args] of COMMANDS) {
      const work = tempDir("outdir");
      writeFileSync(path.join(work, "plain-file"), "x");
      const places: Array<[string, string, RegExp]> = [
        ["/proc", "/proc/nope/deeper", /\/proc does not accept new folders/],
        ["/sys", "/sys/kernel/skytrace-nope", /permission denied|read-only file system/],
        ["under a file", path.join(work, "plain-file", "sub"), /plain-file is not a folder/],
      ];
      if (!isRoot) {
        mkdirSync(path.join(work, "ro"), 0o555);
        places.push(["read-only", path.join(work, "ro", "sub"), /permission denied/]);
      }
      for (const [where, dir, msg] of places) runs.push({ name, where, work, expect: msg, args: args(dir, work) });
    }
    const results = await mapLimit(runs, 3, async (c) => ({ c, r: await runCli(c.args, { cwd: c.work, timeoutMs: 20_000 }) }));
    for (const { c, r } of results) {
      expectOneLineRefusal(r, c.expect);
      expect(readdirSync(c.work).filter((n) => n !== "ro").sort(), `${c.name} (${c.where})`).toEqual(["plain-file"]);
      expect(readFileSync(path.join(c.work, "plain-file"), "utf8")).toBe("x");
    }
  }, 300_000);

  it("a folder that can be made is made: exec --trace into a new folder", async () => {
    const work = tempDir("outdir-ok");
    const trace = path.join(work, "new", "deeper", "run.trace");
    const r = await runCli(["exec", "--trace", trace, path.join(ROOT, "build/guest/tests/hello")]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(readdirSync(path.dirname(trace))).toEqual(["run.trace"]);
    expect(readFileSync(trace, "utf8")).toMatch(/^\d+, SYSCALL,0x/);
  });
});
