// Shared by the command-line tests: the real bin/skytrace.js as a child
// process, run concurrently, and what a user sees of a refusal.
import { expect } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export const ROOT = path.resolve(__dirname, "../..");
export const BIN = path.join(ROOT, "bin/skytrace.js");
export const built = existsSync(path.join(ROOT, "dist/src/cli/main.js"));

const made: string[] = [];
export function tempDir(tag: string): string {
  const d = mkdtempSync(path.join(tmpdir(), `skytrace-${tag}-`));
  made.push(d);
  return d;
}
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface CliRun {
  args: string[];
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** One run of the CLI; killed (timedOut) after `timeoutMs`: a hang is a failure, never a stuck suite. */
export function runCli(args: string[], o: { cwd?: string; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: o.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const t = setTimeout(() => { timedOut = true; child.kill("SIGKILL"); }, o.timeoutMs ?? 30_000);
    child.on("close", (status, signal) => { clearTimeout(t); resolve({ args, status, signal, stdout, stderr, timedOut }); });
  });
}

/** Every item through `fn`, `limit` at a time, results in order. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => { for (let i = next++; i < items.length; i = next++) out[i] = await fn(items[i]); };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}

/** A refusal as the project's standard has it: exit 2, one line on stderr beginning `skytrace:`, no stack trace. */
export function expectOneLineRefusal(r: CliRun, what: RegExp): void {
  const shown = `skytrace ${r.args.map((a) => JSON.stringify(a)).join(" ")} → status ${r.status}${r.timedOut ? " (timed out)" : ""}, stderr:\n${r.stderr}`;
  expect(r.timedOut, shown).toBe(false);
  expect(r.status, shown).toBe(2);
  expect(r.stderr, shown).not.toMatch(/^\s+at /m);
  const lines = r.stderr.split("\n").filter((l) => l !== "");
  expect(lines.length, shown).toBe(1);
  expect(lines[0], shown).toMatch(/^skytrace: /);
  expect(lines[0], shown).toMatch(what);
  expect(r.stdout, shown).toBe("");
}

/** Resolves once `ready()` holds (polled), rejects if the child ends first or `timeoutMs` passes. */
export function waitUntil(ready: () => boolean, child: { exitCode: number | null; signalCode: string | null }, timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const poll = setInterval(() => {
      if (ready()) { clearInterval(poll); resolve(); }
      else if (child.exitCode !== null || child.signalCode !== null) { clearInterval(poll); reject(new Error("the command ended before it was ready to be signalled")); }
      else if (Date.now() - t0 > timeoutMs) { clearInterval(poll); reject(new Error("the command never became ready to be signalled")); }
    }, 20);
  });
}

/** User + system CPU seconds a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "latin1");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}
