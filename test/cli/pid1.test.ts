// skytrace as PID 1, as in a container (`docker run`, no --init): Linux gives
// the first process of a PID namespace only the signals it has a handler for,
// so without one `docker stop`'s SIGTERM is ignored and the engine SIGKILLs it
// 10 s later, leaving its debris. Run here under `unshare --pid --fork`, which
// makes node PID 1 of a new namespace exactly as a container engine does, and
// signalled from outside as the engine signals it. Skipped, saying why, where
// PID namespaces cannot be made (no privilege, no user namespaces).
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { BIN, ROOT, built, cpuSeconds, removeTempDirs, tempDir, waitUntil } from "./helpers.js";
import { build } from "../kernel/helpers.js";

afterAll(removeTempDirs);

function pidNamespaces(): string | null {
  const r = spawnSync("unshare", ["--pid", "--fork", "--kill-child", "true"], { encoding: "utf8" });
  if (r.error) return `unshare is not installed (${r.error.message})`;
  if (r.status !== 0) return `unshare --pid fails here: ${r.stderr.trim()}`;
  return null;
}
const why = built ? pidNamespaces() : "not built";
if (why) console.log(`skipping the PID 1 tests: ${why}`);

// node's pid as seen from here: the child of `unshare --fork`.
function childOf(pid: number): number | undefined {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return kids[0];
  } catch {
    return undefined;
  }
}

// Runs skytrace ARGS as PID 1 of a new namespace; once `ready(nodePid, stderr, stdout)`, SIGTERMs it from outside.
async function stopAsPid1(args: string[], ready: (pid: number, err: string, out: string) => boolean) {
  const child = spawn("unshare", ["--pid", "--fork", "--kill-child", process.execPath, BIN, ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
  let out = "", err = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (err += d));
  const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
  let node: number | undefined;
  await waitUntil(() => (node ??= childOf(child.pid!)) !== undefined && ready(node, err, out), child);
  process.kill(node!, "SIGTERM");
  // Ignored, it would run on: a flight for seconds, the spinning program forever.
  const killer = setTimeout(() => child.kill("SIGKILL"), 15_000);
  const code = await exited;
  clearTimeout(killer);
  return { code, err, out };
}

describe.skipIf(why !== null)("SIGTERM to skytrace as PID 1 (docker stop)", () => {
  it("exec --trace: exit 143, no partial trace", async () => {
    const base = tempDir("pid1-exec");
    const spin = build(base, "spin", ".globl _start\n.text\n_start:\n  mov $1, %eax\n  mov $1, %edi\n  lea msg(%rip), %rsi\n  mov $6, %edx\n  syscall\n" +
      "1:\n  mov $39, %eax\n  syscall\n  jmp 1b\n.data\nmsg: .ascii \"ready\\n\"\n", "S");
    const partial = () => readdirSync(base).find((n) => n.endsWith(".partial"));
    const r = await stopAsPid1(["exec", "--trace", path.join(base, "t.trace"), spin], (_pid, _err, out) => {
      const p = partial();
      return out.includes("ready") && !!p && statSync(path.join(base, p)).size > 0;
    });
    expect(r.code).toBe(143);
    expect(readdirSync(base).sort()).toEqual(["spin", "spin.S"]);
  });

  it("fly: exit 143, nothing written", async () => {
    const base = tempDir("pid1-fly");
    const r = await stopAsPid1(["fly", "--scenario", "busydelay", "--seed", "3", "--out", path.join(base, "out")], (pid) => cpuSeconds(pid) >= 1);
    expect(r.code).toBe(143);
    expect(readdirSync(base)).toEqual([]);
  });

  it("generate: exit 143, says how to resume, no scratch", async () => {
    const base = tempDir("pid1-gen");
    const out = path.join(base, "data");
    const r = await stopAsPid1(["generate", "--flights", "3", "--workers", "1", "--progress", "lines", "--out", out], (_pid, err) => err.includes("to fly"));
    expect(r.code).toBe(143);
    expect(r.err).toMatch(/generate: interrupted; run the same command to resume \(0 of 3 flights complete/);
    expect(readdirSync(base)).toEqual([]);
  });
});
