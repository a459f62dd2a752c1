// The install story as a user meets it: `npm pack`'s tarball, installed with
// `npm install -g` into a temporary prefix (a production install: no dev
// dependencies), gives a `skytrace` command that works from an unrelated
// folder. The tree is packed as built (`--ignore-scripts`: `npm test` runs after
// `npm install` built it; a plain `npm pack` rebuilds it through `prepare`).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync, SpawnSyncReturns } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";

const repo = path.resolve(".");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as {
  name: string; dependencies: Record<string, string>; optionalDependencies?: Record<string, string>;
};
let tmp = "", prefix = "", work = "", installed = "", tarball = "", packed: string[] = [];
let env: NodeJS.ProcessEnv = {};

function run(cmd: string, args: string[], cwd: string, timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, env, encoding: "utf8", timeout });
}
const sha = (f: string) => createHash("sha256").update(readFileSync(f)).digest("hex");

beforeAll(() => {
  const t0 = Date.now();
  tmp = mkdtempSync(path.join(os.tmpdir(), "skytrace-install-"));
  prefix = path.join(tmp, "prefix");
  work = path.join(tmp, "elsewhere");
  mkdirSync(work);
  env = { ...process.env, PATH: `${path.join(prefix, "bin")}${path.delimiter}${process.env.PATH}` };
  // No lifecycle scripts of the project run here, and none of npm's update or audit chatter.
  env.npm_config_update_notifier = "false";

  const p = run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", tmp], repo);
  expect(p.status, p.stderr).toBe(0);
  const info = JSON.parse(p.stdout)[0] as { filename: string; files: Array<{ path: string }> };
  tarball = path.join(tmp, info.filename);
  packed = info.files.map((f) => f.path);

  const i = run("npm", ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball], tmp, 240_000);
  expect(i.status, i.stderr + i.stdout).toBe(0);
  installed = path.join(prefix, "lib/node_modules", pkg.name);
  console.log(`install test: packed and installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("npm pack + npm install -g", () => {
  it("packs what runs and nothing else: bin, the compiled host, the core, the guest programs (and the Python autopilot)", () => {
    for (const f of ["bin/skytrace.js", "dist/src/cli/main.js", "dist/bench/run.js", "build/core.wasm",
      "build/guest/autopilot", "build/guest/flight-init", "build/guest/mkdir", "build/guest/bench/factor", "guest/autopilot.py", "package.json"]) {
      expect(packed, f).toContain(f);
    }
    // guest/'s one runtime file: the Python autopilot, a script (fly --autopilot python).
    const stray = packed.filter((f) => (/^(src|test|assembly|guest|scripts|docker)\//.test(f) && f !== "guest/autopilot.py") || /^build\/guest\/(tests|calibrate|bench-libs)\//.test(f) || f.endsWith(".map"));
    expect(stray).toEqual([]);
  });

  it("installs no dev dependency, and every module the installed code imports resolves (optional ones may be absent)", () => {
    const modules = readdirSync(path.join(installed, "node_modules"));
    expect(modules).not.toContain("typescript");
    expect(modules).not.toContain("assemblyscript");
    expect(modules).not.toContain("vitest");
    const optional = new Set(Object.keys(pkg.optionalDependencies ?? {}));
    const bare = new Set<string>();
    const walk = (d: string) => {
      for (const n of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, n.name);
        if (n.isDirectory()) walk(p);
        else if (n.name.endsWith(".js")) {
          const text = readFileSync(p, "utf8");
          for (const m of text.matchAll(/(?:from\s+|import\(|require\()\s*["']([^"'./][^"']*)["']/g)) if (!m[1].startsWith("node:")) bare.add(m[1]);
        }
      }
    };
    walk(path.join(installed, "dist"));
    expect(bare.size).toBeGreaterThan(3);
    const req = createRequire(path.join(installed, "package.json"));
    const missing = [...bare].filter((m) => {
      const name = m.startsWith("@") ? m.split("/").slice(0, 2).join("/") : m.split("/")[0];
      if (optional.has(name)) return false;
      try { req.resolve(name === m ? `${m}/package.json` : m); return false; } catch { try { req.resolve(m); return false; } catch { return true; } }
    });
    expect(missing).toEqual([]);
  });

  it("gives `skytrace` on PATH: --help works from an unrelated folder", () => {
    expect(existsSync(path.join(prefix, "bin/skytrace"))).toBe(true);
    const r = run("skytrace", ["--help"], work);
    expect(r.status, r.stderr).toBe(0);
    for (const c of ["exec", "fly", "generate", "merge", "bench"]) expect(r.stdout).toContain(c);
  });

  it("flies a flight from an unrelated folder, byte-identical to the clone's", () => {
    const r = run("skytrace", ["fly", "--scenario", "normal", "--seed", "1", "--out", "flight"], work);
    expect(r.status, r.stderr).toBe(0);
    const mine = path.join(tmp, "clone-flight");
    const c = run(process.execPath, [path.join(repo, "bin/skytrace.js"), "fly", "--scenario", "normal", "--seed", "1", "--out", mine], repo);
    expect(c.status, c.stderr).toBe(0);
    const files = readdirSync(path.join(work, "flight")).sort();
    expect(files).toEqual(["NORMAL_Flight.processed.txt", "NORMAL_Flight.syscalls.parquet", "NORMAL_Flight.txt", "manifest.json", "telemetry.csv"]);
    expect(readdirSync(mine).sort()).toEqual(files);
    for (const f of files) expect(sha(path.join(work, "flight", f)), f).toBe(sha(path.join(mine, f)));
    expect(readFileSync(path.join(work, "flight/NORMAL_Flight.txt"), "utf8")).toMatch(/^\d+, SYSCALL,0x/);
  });

  it("runs `bench` in a production install (benchmark is a runtime dependency) and writes its results into the current folder", () => {
    const r = run("skytrace", ["bench", "--quick", "--no-mips", "--flights", "2", "--scenarios", "sockets"], work);
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(readFileSync(path.join(work, "skytrace-bench.json"), "utf8"));
    expect(res.throughput.export.events).toBeGreaterThan(0);
    expect(existsSync(path.join(installed, "bench"))).toBe(false);
  });

  it("without node-pty, `drone --pty` says what is missing in one line (exit 2); nothing else needs it", () => {
    rmSync(path.join(installed, "node_modules/node-pty"), { recursive: true, force: true });
    const r = run("skytrace", ["drone", "--pty"], work, 30_000);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/node-pty/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const h = run("skytrace", ["--version"], work);
    expect(h.status).toBe(0);
  });
});
