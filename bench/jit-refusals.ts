// Which instructions end compiled code most often: the JIT's refusal histogram
// (src/machine/jit/jit.ts `refusals`: the instruction each hot trace, or each
// trace of a compiled region, stopped at) on the benchmark programs, the library
// programs of bench/programs.ts (where built) and a normal and a busydelay flight.
// What to compile next (docs/jit.md).
// Run: node dist/bench/jit-refusals.js [top=25]
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Machine } from "../src/machine/machine.js";
import { runProgram } from "../src/kernel/run-program.js";
import { runFlight } from "../src/flight/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");
const top = Number(process.argv[2] ?? 25);

function program(name: string, args: string[], dir = "build/guest/bench", fsDirs?: string[]): Machine {
  const machine = new Machine(undefined, { jit: true });
  const r = runProgram({
    program: readFileSync(path.join(root, dir, name)), guestPath: "/bench/" + name, argv: [name, ...args],
    stdio: { read: () => 0, write: () => {}, kind: () => "pipe" }, machine, fsDirs,
  });
  if (r.kind !== "exited" || r.status !== 0) throw new Error(`${name} failed`);
  return machine;
}
function flight(scenario: "normal" | "busydelay"): Machine {
  const machine = new Machine(undefined, { jit: true });
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-refusals-"));
  try { runFlight({ scenario, seed: 1, outDir: dir }, { machine }); } finally { rmSync(dir, { recursive: true, force: true }); }
  return machine;
}

const runs: Array<[string, () => Machine]> = [
  ["factor 32", () => program("factor", ["32"])], ["mixed 8", () => program("mixed", ["8"])], ["strscan 300", () => program("strscan", ["300"])],
  ["normal flight", () => flight("normal")], ["busydelay flight", () => flight("busydelay")],
];
// The library programs (bench/programs.ts's workloads), where npm run build:guests built them.
const libs: Array<[string, string[], string[] | undefined]> = [["lua", ["10"], undefined], ["sqlite", ["10"], undefined], ["python", ["2"], ["/usr/lib/python3.11"]]];
for (const [name, args, fsDirs] of libs) {
  if (existsSync(path.join(root, "build/guest/bench-libs", name))) runs.push([`${name} ${args.join(" ")}`, () => program(name, args, "build/guest/bench-libs", fsDirs)]);
}
const total = new Map<string, number>();
const per: Array<[string, Map<string, number>]> = [];
for (const [name, run] of runs) {
  const m = run();
  per.push([name, m.jit!.refusals]);
  for (const [k, v] of m.jit!.refusals) total.set(k, (total.get(k) ?? 0) + v);
  console.error(`${name}: ${m.jit!.stats.compiled} regions compiled, ${m.jit!.stats.refused} hot traces refused`);
}
console.log(`| instruction | ${per.map(([n]) => n).join(" | ")} | all |`);
console.log(`|---|${per.map(() => "---:").join("|")}|---:|`);
for (const [k, v] of [...total].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  console.log(`| ${k} | ${per.map(([, m]) => m.get(k) ?? 0).join(" | ")} | ${v} |`);
}
