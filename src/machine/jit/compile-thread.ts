// The JIT's compile thread: one worker thread per JavaScript thread (shared by every Machine of
// that thread, as the region cache is; each piscina worker gets its own) that writes the regions'
// code (compile.ts) and compiles the WebAssembly.Module, so that a first run's main thread does not
// wait for the emitter and V8's module compile (docs/jit.md, "Compiling off the main thread").
//
// The protocol. The main thread, which alone sees the core's memory, copies what the code is a
// function of (each trace's start and its compiled slots: the region cache's key, jit.ts) into a
// request and posts it; the thread answers with the module and each region's facts, in the order
// asked. The main thread takes answers without blocking (receiveMessageOnPort, `pollCompiled`) and
// hands each to the callback given with its request (jit.ts checks there that the traces are still
// what they were). Nothing here keeps a process alive: the worker and the port are unref'd.
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from "node:worker_threads";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CompileOptions } from "./compile.js";

/** One region to compile: its traces' starts and compiled instruction counts, their slots (32 bytes each) in order in `CompileRequest.slots`. */
export interface RegionRequest { starts: bigint[]; counts: number[] }
export interface CompileRequest {
  id: number;
  regions: RegionRequest[];
  slots: Uint8Array;
  options: CompileOptions;
  /** Compile every function in the thread before answering (V8 compiles lazily, at first call, in the thread that calls). */
  eager: boolean;
}
/** A compiled region's facts, as jit.ts keeps them (its function is the module's export fnName(k)). */
export interface RegionFacts { instructions: number; traces: number; entries: bigint[] }
export type CompileReply =
  | { id: number; module: WebAssembly.Module; regions: RegionFacts[]; bytes: number; emitMs: number; moduleMs: number }
  | { id: number; error: string };

type Done = (reply: CompileReply) => void;
interface Thread { worker: Worker; port: MessagePort; waiting: Map<number, Done> }
let thread: Thread | undefined;
let nextId = 1;
let started = 0;

/** Compile threads this thread has started (one, unless one failed): the test that Machines share it. */
export function compileThreadsStarted(): number { return started; }

// The worker's script: the built file next to this one (under vitest this file is the .ts source,
// and the thread runs the build's copy: npm run build makes it, as the commands' threads need).
function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const js = here.replace(/\.ts$/, ".js").replace(/compile-thread\.js$/, "compile-worker.js");
  if (!here.endsWith(".ts")) return js;
  const root = path.resolve(path.dirname(here), "../../..");
  const built = path.join(root, "dist/src/machine/jit/compile-worker.js");
  if (!existsSync(built)) throw new Error(`skytrace: ${built} is missing (npm run build:ts makes it)`);
  return built;
}

function start(): Thread {
  started++;
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerFile(), { workerData: { port: port2 }, transferList: [port2] });
  worker.unref();
  port1.unref();
  const t: Thread = { worker, port: port1, waiting: new Map() };
  // A thread that died answers nothing: its requests' traces stay interpreted (exact, only slower),
  // and the next request starts a new thread.
  worker.on("error", (e) => { if (thread === t) thread = undefined; process.emitWarning(`skytrace: the JIT's compile thread failed: ${e.message}`); });
  worker.on("exit", () => { if (thread === t) thread = undefined; });
  return t;
}

/** Starts this thread's compile thread if it is not running: a Machine does at its start, so the
 * thread has loaded the compiler by the first hot trace (its answers come that much sooner). */
export function startCompileThread(): void { thread ??= start(); }

/** Posts a request (the id is given here); `done` runs inside a later pollCompiled or drainCompiled. */
export function requestCompile(req: Omit<CompileRequest, "id">, done: Done): void {
  thread ??= start();
  const id = nextId++;
  thread.waiting.set(id, done);
  thread.port.postMessage({ ...req, id } satisfies CompileRequest, [req.slots.buffer as ArrayBuffer]);
}

/** Requests of this thread not answered yet (every Machine's). */
export function compilesInFlight(): number { return thread ? thread.waiting.size : 0; }

/** Hands every answer that has arrived to its callback; never blocks. */
export function pollCompiled(): void {
  const t = thread;
  if (!t || t.waiting.size === 0) return;
  for (let m = receiveMessageOnPort(t.port); m; m = receiveMessageOnPort(t.port)) deliver(t, m.message as CompileReply);
}

function deliver(t: Thread, reply: CompileReply): void {
  const done = t.waiting.get(reply.id);
  t.waiting.delete(reply.id);
  done?.(reply);
}

/** Blocks until every request in flight is answered and handed over (tests, and a bench's end). */
export function drainCompiled(): void {
  const t = thread;
  if (!t) return;
  const nap = new Int32Array(new SharedArrayBuffer(4));
  while (t.waiting.size > 0 && thread === t) {
    const m = receiveMessageOnPort(t.port);
    if (m) deliver(t, m.message as CompileReply);
    else Atomics.wait(nap, 0, 0, 1);
  }
}
