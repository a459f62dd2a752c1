// A reset instance of the core is indistinguishable from a fresh one. The core
// is re-linked with every wasm global exported (only the export section
// changes: test/machine/wasm-globals.ts), an instance runs guest programs, is
// reset, and then every global and every byte of linear memory is compared
// with a new instance's. A module-level global added to assembly/** without
// its line in a reset function fails here, by name in the debug build.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Machine } from "../../src/machine/machine.js";
import { corePath } from "../../src/machine/core.js";
import { runProgram, DEFAULT_ENV, ProgramOutcome } from "../../src/kernel/run-program.js";
import type { HostStdio } from "../../src/kernel/fs/devices.js";
import { exportAllGlobals, readGlobals, GlobalsVariant } from "./wasm-globals.js";
import { GUEST_TESTS } from "../programs/emulated-run.js";
import type { ImageProbes } from "../../src/kernel/probes.js";
import { rawTextSink } from "../kernel/trace-records.js";

interface Run { outcome: ProgramOutcome; stdout: string; trace: string }

// One guest program start to exit, on `machine` when given; its stdout and raw trace lines.
export function runGuest(program: string, args: string[], machine?: Machine, probes?: ImageProbes[]): Run {
  const out: string[] = [];
  const lines = rawTextSink();
  const stdio: HostStdio = { read: () => 0, write: (_fd, d) => { out.push(Buffer.from(d).toString("latin1")); }, kind: () => "pipe" };
  const guestPath = `/bin/${program}`;
  const outcome = runProgram({
    program: readFileSync(path.join(GUEST_TESTS, program)), guestPath, argv: [guestPath, ...args], env: DEFAULT_ENV,
    seed: 7, stdio, report: () => {}, trace: lines.sink, machine, probes,
  });
  return { outcome, stdout: out.join(""), trace: lines.text() };
}

function variant(debug: boolean): { v: GlobalsVariant; module: WebAssembly.Module } {
  const v = exportAllGlobals(readFileSync(corePath(debug)));
  return { v, module: new WebAssembly.Module(v.bytes) };
}

function diffGlobals(a: Machine, b: Machine, v: GlobalsVariant): string[] {
  const ga = readGlobals(a.core as unknown as WebAssembly.Exports, v.globals);
  const gb = readGlobals(b.core as unknown as WebAssembly.Exports, v.globals);
  return [...ga.keys()].filter((k) => ga.get(k) !== gb.get(k)).map((k) => `${k}: fresh ${ga.get(k)}, reset ${gb.get(k)}`);
}

// Differing byte ranges of the two linear memories (the longer one must be zero past the shorter).
function diffMemory(fresh: Machine, used: Machine): string[] {
  const a = new Uint8Array(fresh.core.memory.buffer), b = new Uint8Array(used.core.memory.buffer);
  const ranges: string[] = [];
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n && ranges.length < 8; i++) {
    if ((a[i] ?? 0) === (b[i] ?? 0)) continue;
    const start = i;
    while (i < n && (a[i] ?? 0) !== (b[i] ?? 0)) i++;
    ranges.push(`[0x${start.toString(16)}, 0x${i.toString(16)})`);
  }
  return ranges;
}

// Guest programs that between them use x87, SSE, lazy flags, fork/exec (CR3 switches), and a fatal fault.
const PROGRAMS: Array<[string, string[]]> = [["printf_double", []], ["forkexec", []], ["libm_x87", []], ["bad_ud2", []], ["compute", []]];

// Globals that only the start function writes (the runtime's heap pointers,
// pointers to static tables): a fresh instance and a used one hold the same
// values, so reset() has nothing to restore there. Checked below.
const START_ONLY = ["~lib/rt/stub/startOffset", "~lib/rt/stub/offset", "assembly/decoder/insns/ATTR", "assembly/decoder/insns/VALID", "assembly/decoder/insns/FAST_BY_OP", "assembly/decoder/insns/FAST_BY_FORM"];

// Overwrite every mutable global (except START_ONLY) with a value it did not hold.
function poison(m: Machine, v: GlobalsVariant): number {
  let n = 0;
  for (const g of v.globals) {
    if (!g.mutable || START_ONLY.includes(g.name) || g.type === 0x7b) continue;
    const glob = (m.core as unknown as WebAssembly.Exports)[g.exportName] as WebAssembly.Global;
    if (g.type === 0x7e) glob.value = BigInt.asIntN(64, (glob.value as bigint) ^ 0x5a5a_5a5a_5a5a_5a5an);
    else if (g.type === 0x7f) glob.value = (glob.value as number) ^ 0x5a5a_5a5a;
    else glob.value = (glob.value as number) + 1.5;
    n++;
  }
  return n;
}

describe("core reset", () => {
  it("leaves every global and every byte of memory as in a fresh instance (release core, after guest programs)", () => {
    const { v, module } = variant(false);
    expect(v.globals.filter((g) => g.mutable).length).toBeGreaterThan(40);
    const used = new Machine(module);
    for (const [p, args] of PROGRAMS) runGuest(p, args, used);
    // and code probes (their table, a pending skip), set until the end
    let hits = 0;
    runGuest("compute", [], used, [{ image: "/bin/compute", symbols: { jump_table: () => { hits++; } } }]);
    expect(hits).toBeGreaterThan(0);
    // Made now, as the reset one is set up now: the JIT's early run is on once the thread has
    // compiled regions (src/machine/jit/jit.ts EARLY_SHARE), for both.
    const fresh = new Machine(module);
    // The comparison sees what running left behind (so the test can fail).
    expect(diffGlobals(fresh, used, v).length).toBeGreaterThan(10);
    expect(diffMemory(fresh, used).length).toBeGreaterThan(0);
    used.reset();
    expect(diffGlobals(fresh, used, v)).toEqual([]);
    expect(diffMemory(fresh, used)).toEqual([]);
  }, 120_000);

  it("restores every mutable global, whatever it held (debug core: every global poisoned before reset)", () => {
    const { v, module } = variant(true);
    const fresh = new Machine(module);
    const used = new Machine(module);
    for (const [p, args] of PROGRAMS.slice(0, 2)) runGuest(p, args, used);
    // START_ONLY really is untouched after the start function.
    const start = (m: Machine) => START_ONLY.map((n) => { const g = v.globals.find((x) => x.name === n); return g ? String(((m.core as unknown as WebAssembly.Exports)[g.exportName] as WebAssembly.Global).value) : "absent"; });
    expect(start(used)).toEqual(start(fresh));
    expect(poison(used, v)).toBeGreaterThan(50);
    expect(diffGlobals(fresh, used, v).length).toBeGreaterThan(50);
    used.reset();
    expect(diffGlobals(fresh, used, v)).toEqual([]);
    expect(diffMemory(fresh, used)).toEqual([]);
  }, 120_000);

  it("names the globals in the debug build, so a failure says which one", () => {
    const { v } = variant(true);
    const names = v.globals.map((g) => g.name);
    expect(names.some((n) => n.includes("tlbEpoch"))).toBe(true);
    expect(names.some((n) => n.includes("dcEpoch"))).toBe(true);
  });

  it("a Kernel resets a Machine given to it only when it is not new: a new one is not zeroed twice, a reused one is reset", () => {
    const m = new Machine();
    const first = runGuest("printf_double", [], m);
    expect(m.resets, "a new Machine, already in its reset state").toBe(0);
    const again = runGuest("printf_double", [], m);
    expect(m.resets, "reused: reset").toBe(1);
    expect(again).toEqual(first);
    // Not new in other ways: frames handed out, or run, before a Kernel took it.
    const allocated = new Machine();
    allocated.phys.alloc();
    expect(runGuest("printf_double", [], allocated)).toEqual(first);
    expect(allocated.resets).toBe(1);
    const ran = new Machine(undefined, { jit: false });
    ran.run(1);
    runGuest("printf_double", [], ran);
    expect(ran.resets).toBe(1);
  }, 120_000);

  it("a guest program run on a reused Machine gives the bytes of a fresh run (A, B, A)", () => {
    const a = ["printf_double", []] as [string, string[]];
    const b = ["forkexec", []] as [string, string[]];
    const freshA = runGuest(a[0], a[1]);
    const freshB = runGuest(b[0], b[1]);
    expect(freshA.outcome.kind).toBe("exited");
    expect(freshA.trace.length).toBeGreaterThan(1000);
    const m = new Machine();
    const runs = [runGuest(a[0], a[1], m), runGuest(b[0], b[1], m), runGuest(a[0], a[1], m)];
    for (const [r, f] of [[runs[0], freshA], [runs[1], freshB], [runs[2], freshA]] as const) {
      expect(r.outcome).toEqual(f.outcome);
      expect(r.stdout).toBe(f.stdout);
      expect(r.trace === f.trace, "trace lines byte-identical").toBe(true);
    }
  }, 120_000);
});
