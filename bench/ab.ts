// A/B of two (or more) builds of the WASM core in one process, for changes to
// the core: the same guest programs and flights run on each build in turn,
// round after round, and each run is timed by this process's user CPU (on a
// shared machine wall time mostly measures the neighbours; CPU time less so).
// Builds are compared on the same host code; outputs and virtual clocks must
// agree, or the comparison stops.
//
//   node dist/bench/ab.js OLD.wasm NEW.wasm [--rounds 8] [--factor 3] [--mixed 2] [--flight normal]
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { useCompiledCore } from "../src/machine/core.js";
import { runProgram } from "../src/kernel/run-program.js";
import { SYSCALL_COST_NS } from "../src/kernel/kernel.js";
import { runFlight, Scenario } from "../src/flight/index.js";
import { recIsSyscall, RECORD_WORDS } from "../src/machine/trace-ring.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), fileURLToPath(import.meta.url).includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");

function userSeconds(f: () => void): number {
  const c0 = process.cpuUsage();
  f();
  return process.cpuUsage(c0).user / 1e6;
}

// One guest program: MIPS by user CPU, and what must match between builds.
function program(name: string, arg: string): { mips: number; check: string } {
  const bin = readFileSync(path.join(root, "build/guest/bench", name));
  const out: Buffer[] = [];
  let syscalls = 0;
  let ticks = 0n;
  const sec = userSeconds(() => {
    const r = runProgram({
      program: bin, guestPath: "/bench/" + name, argv: [name, arg],
      stdio: { read: () => 0, write: (_fd, d) => { out.push(Buffer.from(d)); }, kind: () => "pipe" },
      trace: (r, n) => { for (let i = 0; i < n; i++) if (recIsSyscall(r, i * RECORD_WORDS)) syscalls++; },
    });
    if (r.kind !== "exited" || r.status !== 0) throw new Error(`ab: ${name} failed`);
    ticks = r.ticks;
  });
  const instructions = Number(ticks - BigInt(syscalls) * SYSCALL_COST_NS);
  return { mips: instructions / 1e6 / sec, check: `${Buffer.concat(out).toString("latin1")} @${ticks}` };
}

function flight(scenario: Scenario): { sec: number; check: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-ab-"));
  try {
    let check = "";
    const sec = userSeconds(() => {
      const r = runFlight({ scenario, seed: 1, outDir: dir });
      check = JSON.stringify(r.manifest.files);
    });
    return { sec, check };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const args = process.argv.slice(2);
const opt = (name: string, def: string): string => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : def; };
const cores = args.filter((a) => a.endsWith(".wasm"));
if (cores.length < 1) { console.error("usage: node dist/bench/ab.js A.wasm [B.wasm ...] [--rounds N] [--factor N] [--mixed N] [--flight SCENARIO]"); process.exit(2); }
const rounds = Number(opt("--rounds", "8"));
const modules = cores.map((c) => new WebAssembly.Module(readFileSync(c)));
const scenario = opt("--flight", "") as Scenario | "";
const samples = new Map<string, number[]>();
const expected = new Map<string, string>();
const note = (key: string, v: number, check: string, what: string): void => {
  if (!samples.has(key)) samples.set(key, []);
  samples.get(key)!.push(v);
  const want = expected.get(what);
  if (want === undefined) expected.set(what, check);
  else if (want !== check) throw new Error(`ab: ${what} differs between builds (${key})`);
};
for (let r = 0; r < rounds; r++) {
  modules.forEach((m, i) => {
    useCompiledCore(m);
    const f = program("factor", opt("--factor", "3")); note(`factor MIPS   ${cores[i]}`, f.mips, f.check, "factor");
    const x = program("mixed", opt("--mixed", "2")); note(`mixed MIPS    ${cores[i]}`, x.mips, x.check, "mixed");
    if (scenario) { const fl = flight(scenario); note(`${scenario} CPU s ${cores[i]}`, fl.sec, fl.check, "flight"); }
  });
}
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(" ")}; ${rounds} rounds, builds alternated`);
for (const [key, v] of samples) {
  const s = [...v].sort((a, b) => a - b);
  const best = key.includes("CPU s") ? s[0] : s[s.length - 1];
  console.log(`${key.padEnd(60)} best ${best.toFixed(key.includes("CPU s") ? 3 : 1)}  median ${s[s.length >> 1].toFixed(key.includes("CPU s") ? 3 : 1)}`);
}
