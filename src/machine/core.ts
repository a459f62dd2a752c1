// Loading the WebAssembly core. The module is compiled once per process (and can
// be handed to worker threads); each Machine gets its own instance and memory.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

export interface CoreExports {
  memory: WebAssembly.Memory;
  run(budget: bigint): number;
  sysret(): void;
  flushTlb(): void;
  /** CR3 was written: translations dropped, the new address space's decoded traces found again. */
  switchSpace(): void;
  /** A new address space's page-table root: no trace of a destroyed space with that root is taken for it. */
  newSpace(cr3: number): void;
  /** The running address space's page tables changed (or it is new): translations and its own decoded traces dropped. */
  flushSpace(): void;
  /** The space rooted at `cr3` loses its decoded traces (its probes changed). */
  dropSpace(cr3: number): void;
  /** 0: every code write, freed code frame and one space's change drops every space (bench/space-flush.ts). */
  setSpaceFlush(on: number): void;
  flushTranslations(): void;
  isCodePage(ppn: number): number;
  codeWritten(paddr: number, len: number): void;
  translate(vaddr: bigint, access: number): bigint;
  setPhysSize(bytes: number): number;
  setProbes(count: number, all: number): void;
  reset(): void;
  saveFxImage(): void;
  loadFxImage(): number;
  stateAddr(): number;
  physBase(): number;
  heapBase(): number;
  cpuidLeaf(leaf: number, reg: number): number;   // reg: 0 EAX, 1 ECX, 2 EDX, 3 EBX
  setJit(threshold: number): void;
  /** The JIT's warm mark: a trace reaching that many runs is noted in the warm ring (assembly/jit/entry.ts; 0: none). */
  setJitWarm(runs: number): void;
  /** The warm ring's address (WARM_RING_ENTRIES u32 block addresses) and its count of pushes (i32, wraps). */
  warmRing(): number;
  warmPushes: WebAssembly.Global;
  WARM_RING_ENTRIES: WebAssembly.Global;
  /** Also exit at a trace's `n`th run (0: not): the JIT enters a region compiled before (jit/jit.ts EARLY_SHARE). */
  setJitEarly(n: number): void;
  budgetLeft(): bigint;
  /** The block holding the decoded trace at `rip` in the running address space, or 0 (assembly/decoder/tcache.ts). */
  traceBlock(rip: bigint): number;
  /** The same in the address space of generation `space` (the tag's top bits), running or not. */
  traceBlockOf(rip: bigint, space: bigint): number;
  /** The address of that trace's JIT word, in its block or, evicted, in the kept table; or 0. */
  jitWordOf(rip: bigint, space: bigint): number;
  /** Decoded traces built since reset(): each a decode of up to 16 instructions (bench/jit-profile.ts). */
  traceBuilds: WebAssembly.Global;
  /** Flushes of every address space's decoded traces, and drops of one space's, since reset() (assembly/decoder/cacheflush.ts). */
  dcFlushes: WebAssembly.Global;
  dcDrops: WebAssembly.Global;
  /** The function table the core imports (compiled traces are added to it: src/machine/jit). */
  table: WebAssembly.Table;
}

// Locate build/core.wasm from src/machine or dist/src/machine.
export function corePath(debug = false): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const name = debug ? "core.debug.wasm" : "core.wasm";
  for (const up of ["../..", "../../.."]) {
    const p = path.resolve(here, up, "build", name);
    try { readFileSync(p, { flag: "r" }).byteLength; return p; } catch { /* next */ }
  }
  throw new Error(`skytrace: the WASM core (build/${name}) is missing; run 'npm run build:core'`);
}

let cached: WebAssembly.Module | undefined;

export function compileCore(): WebAssembly.Module {
  if (!cached) cached = new WebAssembly.Module(readFileSync(corePath()));
  return cached;
}

// A worker thread handed the module the main thread compiled uses it, and compiles nothing.
export function useCompiledCore(module: WebAssembly.Module): void {
  cached = module;
}

export function instantiateCore(module: WebAssembly.Module = compileCore()): CoreExports {
  // Entry 0 is the core's own (a null function); the JIT appends from 1.
  const table = new WebAssembly.Table({ initial: 1, element: "anyfunc" });
  const instance = new WebAssembly.Instance(module, {
    env: {
      table,
      abort(_msg: number, _file: number, line: number, col: number) {
        throw new Error(`skytrace core: internal abort at ${line}:${col}`);
      },
    },
  });
  return { ...(instance.exports as unknown as CoreExports), table };
}
