// Ctrl-C (SIGINT) and `kill`/`docker stop` (SIGTERM) for the commands that
// run long: each stops its work, cleans up, and exits 128+N as a shell reports
// a process killed by signal N (130, 143). Both are handled alike, and by a
// handler, never by Node's default: node as PID 1 in a container ignores
// every signal it has no handler for, so `docker stop` would wait and SIGKILL.
// A second signal while the first is being handled is ignored: the cleanup is
// short and must finish.
const STATUS: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export interface Interrupt {
  /** Aborted on the first SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
  /** 130 after SIGINT, 143 after SIGTERM (0 while none came). */
  status(): number;
  /** Gives the signals back to Node's defaults. */
  dispose(): void;
}

export function catchInterrupts(): Interrupt {
  const ctl = new AbortController();
  let status = 0;
  const on = (sig: NodeJS.Signals) => {
    if (status === 0) status = STATUS[sig];
    ctl.abort(sig);
  };
  for (const sig of Object.keys(STATUS)) process.on(sig, on);
  return {
    signal: ctl.signal,
    status: () => status,
    dispose: () => { for (const sig of Object.keys(STATUS)) process.off(sig, on); },
  };
}
