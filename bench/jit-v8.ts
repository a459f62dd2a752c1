// What V8 spends compiling the JIT's code, apart from running it: a workload's first run (a fresh
// process, the JIT at threshold 2048 compiling on the main thread, so every module is made where it
// can be seen) gives the modules' bytes, in order; new processes then compile those bytes whole,
// eagerly, once with TurboFan alone and once with Liftoff alone, and report the CPU time of all
// threads (V8 compiles a module's functions on its background threads). On a run, Liftoff compiles
// each function at its first call and TurboFan again once it is hot (dynamic tier-up, on a
// background thread): the TurboFan column is most of what a first run's JIT costs in CPU
// (docs/jit.md, "What compiling costs"). The bytes are a deterministic function of the build and
// the workload, so this measures a change to the code's shape without the run's noise.
//   node dist/bench/jit-v8.js [REPEATS=3] [WORKLOAD,…] [--against DIR]
// --against DIR: another checkout (built); its modules are compiled too, alternated with this one's.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { JIT_WORKLOADS } from "./jit-workloads.js";
import { missing } from "./fresh-run.js";

const here = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(here), here.includes(`${path.sep}dist${path.sep}`) ? "../.." : "..");

// Child "dump": run the workload in `build`, every WebAssembly.Module the JIT makes written to `out`.
async function dump(build: string, name: string, out: string): Promise<void> {
  const mods: Uint8Array[] = [];
  let record = false;
  const Module = WebAssembly.Module;
  // Every module made after the core (the JIT's, whichever build's compile.ts makes them).
  const Recording = function (this: unknown, bytes: BufferSource) {
    if (record) mods.push(new Uint8Array(ArrayBuffer.isView(bytes) ? bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) : bytes.slice(0)));
    return new Module(bytes);
  } as unknown as typeof WebAssembly.Module;
  Object.assign(Recording, { exports: Module.exports, imports: Module.imports, customSections: Module.customSections });
  Recording.prototype = Module.prototype;
  WebAssembly.Module = Recording;
  const { Machine } = await import(path.join(build, "dist/src/machine/machine.js"));
  const w = JIT_WORKLOADS[name].w;
  const machine = new Machine(undefined, { jit: 2048, compileThread: false });
  record = true;
  const stdio = { read: () => 0, write: () => {}, kind: () => "pipe" };
  if ("flight" in w) {
    const { runFlight } = await import(path.join(build, "dist/src/flight/index.js"));
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-jit-v8-"));
    try { runFlight({ scenario: w.flight, seed: w.seed, outDir: dir }, { machine }); } finally { rmSync(dir, { recursive: true, force: true }); }
  } else if ("file" in w) {
    const { runProgram } = await import(path.join(build, "dist/src/kernel/run-program.js"));
    const file = path.basename(w.file);
    runProgram({ program: readFileSync(path.resolve(root, w.file)), guestPath: "/bench/" + file, argv: [file, ...w.args], stdio, machine, fsDirs: w.fsDirs });
  } else throw new Error(`jit-v8: workload ${name} is not a program or a flight`);
  writeFileSync(out, JSON.stringify(mods.map((b) => Buffer.from(b).toString("base64"))));
}

// Child "compile": every module in `file` compiled eagerly (the flags choose the tier); CPU ms of all threads.
function compileAll(file: string): void {
  const mods = (JSON.parse(readFileSync(file, "utf8")) as string[]).map((m) => Buffer.from(m, "base64"));
  const c0 = process.cpuUsage();
  for (const b of mods) new WebAssembly.Module(b);
  const c = process.cpuUsage(c0);
  console.log(JSON.stringify({ ms: (c.user + c.system) / 1000, modules: mods.length, bytes: mods.reduce((a, b) => a + b.length, 0) }));
}

const TIERS = { turbofan: ["--no-wasm-lazy-compilation", "--no-liftoff"], liftoff: ["--no-wasm-lazy-compilation", "--liftoff", "--no-wasm-tier-up"] };

function child(args: string[], flags: string[] = []): string {
  const r = spawnSync(process.execPath, [...flags, here, ...args], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`jit-v8: ${args[0]} failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`);
  return r.stdout.trim().split("\n").pop()!;
}

const med = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];

if (process.argv[1] && path.resolve(process.argv[1]) === here) {
  const args = process.argv.slice(2);
  if (args[0] === "dump") await dump(args[1], args[2], args[3]);
  else if (args[0] === "compile") compileAll(args[1]);
  else {
    const at = args.indexOf("--against");
    const against = at >= 0 ? path.resolve(args[at + 1]) : undefined;
    const pos = args.filter((_, i) => at < 0 || (i !== at && i !== at + 1));
    const repeats = Number(pos[0] ?? 3);
    const names = (pos[1] ?? "python,lua,sqlite").split(",");
    const builds: Array<[string, string]> = [["this build", root], ...(against ? [[`--against ${args[at + 1]}`, against] as [string, string]] : [])];
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-jit-v8-"));
    console.log("| run | build | modules | KB | TurboFan CPU (median; all) | Liftoff CPU (median; all) | TurboFan ms per KB |");
    console.log("|---|---|---:|---:|---:|---:|---:|");
    try {
      for (const name of names) {
        if (!JIT_WORKLOADS[name]) { console.error(`jit-v8: unknown workload ${name}: one of ${Object.keys(JIT_WORKLOADS).join(", ")}`); process.exit(2); }
        const why = missing(JIT_WORKLOADS[name].w);
        if (why) { console.log(`| ${JIT_WORKLOADS[name].label} | skipped: ${why} ||||||`); continue; }
        const files = builds.map(([, b], k) => { const f = path.join(dir, `${name}-${k}.json`); child(["dump", b, name, f]); return f; });
        const res = builds.map(() => ({ turbofan: [] as number[], liftoff: [] as number[], modules: 0, bytes: 0 }));
        for (let i = 0; i < repeats; i++) {
          for (const [tier, flags] of Object.entries(TIERS) as Array<["turbofan" | "liftoff", string[]]>) {
            files.forEach((f, k) => {
              const r = JSON.parse(child(["compile", f], flags)) as { ms: number; modules: number; bytes: number };
              res[k][tier].push(r.ms); res[k].modules = r.modules; res[k].bytes = r.bytes;
            });
          }
        }
        builds.forEach(([label], k) => {
          const r = res[k], tf = med(r.turbofan);
          console.log(`| ${JIT_WORKLOADS[name].label} | ${label} | ${r.modules} | ${(r.bytes / 1024).toFixed(0)} | ${tf.toFixed(0)} ms (${r.turbofan.map((x) => x.toFixed(0)).join(", ")}) | ` +
            `${med(r.liftoff).toFixed(0)} ms (${r.liftoff.map((x) => x.toFixed(0)).join(", ")}) | ${(tf / (r.bytes / 1024)).toFixed(2)} |`);
        });
      }
    } finally { rmSync(dir, { recursive: true, force: true }); }
  }
}
