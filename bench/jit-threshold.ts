// `node dist/bench/jit-threshold.js [THRESHOLD,…] [WORKLOAD,…]`: the CPU time of one run per
// workload and JIT threshold ("off": the interpreter), each in a fresh process (so no run reuses
// another's compiled modules), with the traces compiled. CPU time (user + system, all threads, V8's
// compiler threads included) rather than wall time: it is what the JIT's compiling costs, and other
// load on the machine moves it less. docs/jit.md's threshold table.
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runProgram } from "../src/kernel/run-program.js";
import { runFlight, type Scenario } from "../src/flight/index.js";
import { Machine } from "../src/machine/machine.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PROGRAMS: Record<string, { file: string; args: string[]; fsDirs?: string[] }> = {
  python: { file: "build/guest/bench-libs/python", args: ["2"], fsDirs: ["/usr/lib/python3.11"] },
  sqlite: { file: "build/guest/bench-libs/sqlite", args: ["10"] },
  lua: { file: "build/guest/bench-libs/lua", args: ["10"] },
  factor: { file: "build/guest/bench/factor", args: ["32"] },
};
const FLIGHTS: Record<string, { scenario: Scenario; seed: number }> = { normal: { scenario: "normal", seed: 1 }, busydelay: { scenario: "busydelay", seed: 5 } };

// One run, in this process: "cpu-seconds traces".
function once(workload: string, threshold: number | false): string {
  const c0 = process.cpuUsage();
  const machine = new Machine(undefined, { jit: threshold });
  const f = FLIGHTS[workload];
  if (f) {
    const out = mkdtempSync(path.join(tmpdir(), "skytrace-threshold-"));
    try { runFlight({ scenario: f.scenario, seed: f.seed, outDir: out }, { machine }); } finally { rmSync(out, { recursive: true, force: true }); }
  } else {
    const p = PROGRAMS[workload];
    if (!p) throw new Error(`unknown workload ${workload}`);
    const r = runProgram({ program: readFileSync(path.join(root, p.file)), guestPath: "/bench/" + workload, argv: [workload, ...p.args],
      stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine, fsDirs: p.fsDirs });
    if (r.kind !== "exited" || r.status !== 0) throw new Error(`${workload} failed: ${r.kind}`);
  }
  const c = process.cpuUsage(c0);
  return `${((c.user + c.system) / 1e6).toFixed(2)} ${machine.jit?.stats.compiled ?? 0}`;
}

if (process.argv[2] === "--once") {
  console.log(once(process.argv[3], process.argv[4] === "off" ? false : Number(process.argv[4])));
} else {
  const thresholds = (process.argv[2] ?? "off,64,256,1000,4000").split(",");
  const workloads = (process.argv[3] ?? "python,sqlite,lua,factor,normal,busydelay").split(",");
  console.log(`| run | ${thresholds.map((t) => (t === "off" ? "interpreter" : `threshold ${t}`)).join(" | ")} |`);
  console.log(`|---|${thresholds.map(() => "---:").join("|")}|`);
  for (const w of workloads) {
    const cells = thresholds.map((t) => {
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--once", w, t], { encoding: "utf8" });
      if (r.status !== 0) return `failed: ${r.stderr.trim().split("\n").pop()}`;
      const [sec, traces] = r.stdout.trim().split(" ");
      return t === "off" ? `${sec} s` : `${sec} s (${traces})`;
    });
    console.log(`| ${w} | ${cells.join(" | ")} |`);
  }
}
