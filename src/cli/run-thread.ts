// Long synchronous work (a guest program, a flight) runs in a worker thread so
// that the main thread stays free to handle SIGINT and SIGTERM: a signal
// handler is JavaScript, and JavaScript on a thread busy in the WebAssembly
// core would not run before the work ends. On a signal the thread is ended
// (worker.terminate stops it wherever it is) and the caller cleans up.
import { Worker, type TransferListItem } from "node:worker_threads";
import type { Interrupt } from "./interrupt.js";

export type ThreadEnd<T> = { kind: "done"; value: T; threadId: number } | { kind: "interrupted"; threadId: number };

export interface ThreadOptions {
  transferList?: TransferListItem[];
  /** Asked on a signal: false lets the thread finish (it is committing its results); default true. */
  mayStop?: () => boolean;
}

/** Runs `file` (a worker module that posts exactly one message, its result) with `data` as its workerData. */
export function runThread<T>(file: URL, data: unknown, interrupt: Interrupt, o: ThreadOptions = {}): Promise<ThreadEnd<T>> {
  const worker = new Worker(file, { workerData: data, transferList: o.transferList });
  const threadId = worker.threadId;
  return new Promise((resolve, reject) => {
    let result: { value: T } | undefined;
    let failure: Error | undefined;
    let stopping = false;
    const stop = () => {
      if (stopping || result || !(o.mayStop?.() ?? true)) return;
      stopping = true;
      void worker.terminate();
    };
    worker.once("message", (value: T) => { result = { value }; });
    worker.once("error", (e) => { failure = e; });
    worker.once("exit", (code) => {
      interrupt.signal.removeEventListener("abort", stop);
      if (result) resolve({ kind: "done", value: result.value, threadId });
      else if (stopping) resolve({ kind: "interrupted", threadId });
      else reject(failure ?? new Error(`the worker thread ended without a result (exit code ${code})`));
    });
    if (interrupt.signal.aborted) stop();
    else interrupt.signal.addEventListener("abort", stop);
  });
}
