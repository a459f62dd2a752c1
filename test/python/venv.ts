// A Python virtual environment for tests that read skytrace's output the way a
// researcher would (pandas, pyarrow, DuckDB). Made once per machine and
// requirements, in a cache folder outside the repository
// ($SKYTRACE_PYTHON_CACHE, else $XDG_CACHE_HOME/skytrace/python, else
// ~/.cache/skytrace/python), keyed by the requirements file and the Python
// version. Built in a scratch folder and renamed into place, so a half-made
// venv is never used and two test files racing to make it both end up with
// one. Only a machine without python3 skips; a venv or pip install that fails
// where Python exists is an error (the test then fails, saying why).
import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type PythonEnv = { python: string; skip?: undefined } | { python?: undefined; skip: string };

export interface RunResult { status: number | null; stdout: string; stderr: string }

/** Runs a command, collecting its output (no shell). */
export function run(cmd: string, args: string[], opts: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, stdio: ["ignore", "pipe", "pipe"], timeout: opts.timeoutMs ?? 600_000 });
    let stdout = "", stderr = "";
    child.stdout.on("data", (d) => { stdout += d; });
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

function cacheRoot(): string {
  if (process.env.SKYTRACE_PYTHON_CACHE) return process.env.SKYTRACE_PYTHON_CACHE;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), ".cache");
  return path.join(base, "skytrace", "python");
}

const tail = (s: string, lines = 15) => s.trim().split("\n").slice(-lines).join("\n");

/** The venv's interpreter for these requirements (made on first use), or why the test skips. */
export async function pythonEnv(requirementsFile: string): Promise<PythonEnv> {
  const probe = spawnSync("python3", ["-c", "import sys; print(sys.version); print(sys.executable)"], { encoding: "utf8" });
  if ((probe.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") return { skip: "python3 is not on PATH" };
  if (probe.error || probe.status !== 0) throw new Error(`python3 is on PATH but does not run: ${probe.error?.message ?? tail(probe.stderr)}`);
  const requirements = readFileSync(requirementsFile, "utf8");
  const key = createHash("sha256").update(requirements).update("\0").update(probe.stdout).digest("hex").slice(0, 16);
  const root = cacheRoot();
  const venv = path.join(root, `venv-${key}`);
  const python = path.join(venv, "bin", "python");
  if (existsSync(path.join(venv, ".ready"))) return { python };

  mkdirSync(root, { recursive: true });
  const scratch = `${venv}.tmp-${process.pid}-${Date.now()}`;
  try {
    const made = await run("python3", ["-m", "venv", scratch]);
    if (made.status !== 0) throw new Error(`python3 -m venv failed (on Debian: apt-get install python3-venv):\n${tail(made.stderr + made.stdout)}`);
    const pip = await run(path.join(scratch, "bin", "python"), ["-m", "pip", "install", "--no-input", "--retries", "1", "-r", requirementsFile], { timeoutMs: 900_000 });
    if (pip.status !== 0) throw new Error(`pip install -r ${requirementsFile} failed (status ${pip.status}):\n${tail(pip.stderr + pip.stdout)}`);
    writeFileSync(path.join(scratch, ".ready"), requirements);
    try {
      renameSync(scratch, venv);
    } catch (e) {
      // Another test process made it first: use theirs.
      if (!existsSync(path.join(venv, ".ready"))) throw e;
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { python };
}
