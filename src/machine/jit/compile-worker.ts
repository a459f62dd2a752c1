// The JIT's compile thread itself (compile-thread.ts starts it and says the protocol): for each
// request, the regions' code from their slots (readTrace and regionCode, exactly as the main
// thread would write it), one module of them, V8's module compile; the module goes back whole (a
// WebAssembly.Module can be posted between threads of one process).
import { workerData, type MessagePort } from "node:worker_threads";
import { readlinkSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { setPriority } from "node:os";
import { performance } from "node:perf_hooks";
import { readTrace, regionCode, regionsModule, JIT_IMPORTS, type RegionCode } from "./compile.js";
import { fnName } from "./wasm.js";
import { RING } from "../layout.js";
import type { CompileReply, CompileRequest } from "./compile-thread.js";

const port = (workerData as { port: MessagePort }).port;

// This thread's Linux thread id (what setpriority and chrt take).
const threadId = (): string => readlinkSync("/proc/thread-self").split("/").pop()!;

// The thread's scheduling priority: the main thread's unless SKYTRACE_JIT_THREAD_NICE=N (N > 0: a
// nice of N for this thread alone, Linux only: setpriority of its thread id). On a busy machine a
// request wakes this thread and it often runs in the main thread's place (the main thread's time in
// the JIT then holds this thread's work); a nice of 10 gave it back, but the answers came later, so
// the main thread interpreted longer and its CPU time rose: not the default (docs/jit.md, "The main
// thread's part of a compile").
const NICE = Number(process.env.SKYTRACE_JIT_THREAD_NICE ?? 0);
if (NICE > 0 && process.platform === "linux") {
  try { setPriority(Number(threadId()), NICE); } catch { /* stays at the main thread's priority */ }
}

// SKYTRACE_JIT_THREAD_BATCH=1: this thread under SCHED_BATCH (Linux, util-linux's chrt on its thread
// id; without chrt it stays SCHED_OTHER). A batch thread does not preempt the thread that wakes it: a
// request's postMessage wakes this thread, and on a busy machine the scheduler often ran it in the
// main thread's place right there (the jit-instance step found a context switch of the main thread
// in every postMessage over 0.3 ms). Its nice stays the main thread's, so it keeps its share of the
// CPU, unlike SKYTRACE_JIT_THREAD_NICE. Off by default: the JIT's main-thread time now leaves the
// main thread's waits for a CPU out (schedstat.ts), and this changed neither the runs' CPU nor
// generate's (docs/jit.md, "Waking the compile thread").
if (process.env.SKYTRACE_JIT_THREAD_BATCH === "1" && process.platform === "linux") {
  try { execFileSync("chrt", ["-b", "-p", "0", threadId()], { stdio: "ignore" }); } catch { /* stays SCHED_OTHER */ }
}

function compile(req: CompileRequest): CompileReply {
  const t0 = performance.now();
  const mem = new DataView(req.slots.buffer, req.slots.byteOffset, req.slots.byteLength);
  const codes: RegionCode[] = [];
  let at = 0;
  for (const r of req.regions) {
    const region = r.starts.map((start, i) => { const t = readTrace(mem, at, r.counts[i], start); at += r.counts[i] * 32; return t; });
    const code = regionCode(region, req.options);
    if (!code) throw new Error(`region at 0x${r.starts[0].toString(16)} did not compile in the compile thread`);
    codes.push(code);
  }
  const t1 = performance.now();
  const { module, bytes } = regionsModule(codes);
  if (req.eager) compileNow(module, codes.length);
  const t2 = performance.now();
  return { id: req.id, module, regions: codes.map((c) => ({ instructions: c.instructions, traces: c.traces, entries: c.entries })), bytes, emitMs: t1 - t0, moduleMs: t2 - t1 };
}

// V8 compiles a module's functions on their first call (--wasm-lazy-compilation), in the thread
// that calls. Calling each here once with a budget of 0 (the function's first check leaves before
// any instruction: it reads and writes back registers of a scratch memory, nothing else) has it
// compiled here; the code belongs to the module, which the main thread then instantiates.
let scratch: WebAssembly.Imports | undefined;
function compileNow(module: WebAssembly.Module, n: number): void {
  scratch ??= {
    env: {
      memory: new WebAssembly.Memory({ initial: Math.ceil(RING / 65536) + 1 }), // the state block and the TLBs
      table: new WebAssembly.Table({ initial: 1, element: "anyfunc" }), // a chained exit's (never reached at budget 0)
      ...Object.fromEntries(JIT_IMPORTS.filter((i) => i.kind === "global").map((i) => [i.name,
        new WebAssembly.Global({ value: i.type === 0x7e ? "i64" : "i32", mutable: true }, i.type === 0x7e ? 0n : 0)])),
      jitCond: () => 0,
      jitKeep: () => {},
    },
  };
  const inst = new WebAssembly.Instance(module, scratch);
  for (let k = 0; k < n; k++) (inst.exports[fnName(k)] as (b: bigint) => bigint)(0n);
}

port.on("message", (req: CompileRequest) => {
  let reply: CompileReply;
  try { reply = compile(req); } catch (e) { reply = { id: req.id, error: String((e as Error).message ?? e) }; }
  port.postMessage(reply);
});
