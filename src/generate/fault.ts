// A test hook: SKYTRACE_GENERATE_FAULT="<flight index>:<kind>[,…]" makes that
// flight fail on purpose, so the tests can check that a failure is recorded
// and the run goes on. Kinds: throw (an exception in the worker), exit (the
// worker thread dies mid-flight), guest (the real flight runs with a 1 ms
// virtual-time budget, so runFlight itself stops it as a failed flight).
export type FaultKind = "throw" | "exit" | "guest";

export function faultFor(index: number, env = process.env.SKYTRACE_GENERATE_FAULT): FaultKind | null {
  if (!env) return null;
  for (const part of env.split(",")) {
    const m = /^(\d+):(throw|exit|guest)$/.exec(part.trim());
    if (m && Number(m[1]) === index) return m[2] as FaultKind;
  }
  return null;
}

/** Applies a fault before the job runs; returns the options to run it with. */
export function applyFault(kind: FaultKind, options: Record<string, unknown>): Record<string, unknown> {
  if (kind === "throw") throw new Error("injected fault (SKYTRACE_GENERATE_FAULT): exception in the worker");
  if (kind === "exit") process.exit(70);   // in a worker thread this ends the thread, as a crash would
  return { ...options, maxVirtualSeconds: 0.001 };
}
