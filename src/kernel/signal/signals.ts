// Signal numbers, default actions and the dispositions rt_sigaction records.
export const SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
  SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
  SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGURG = 23, SIGWINCH = 28;
export const NSIG = 64;

export const SIG_DFL = 0n, SIG_IGN = 1n;
export const SA_SIGINFO = 4, SA_ONSTACK = 0x08000000, SA_RESTART = 0x10000000, SA_NODEFER = 0x40000000,
  SA_RESETHAND = 0x80000000, SA_RESTORER = 0x04000000;

export interface SigAction { handler: bigint; flags: number; restorer: bigint; mask: bigint }

export const SIGNAL_NAMES: Record<number, string> = {
  1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
  9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
  16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU",
  23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO",
  30: "SIGPWR", 31: "SIGSYS",
};

export const signalName = (s: number): string => SIGNAL_NAMES[s] ?? (s >= 34 && s <= 64 ? `SIGRT_${s - 34}` : `signal ${s}`);

// What SIG_DFL does: "ignore" or "terminate" (stop/continue are treated as ignore).
export function defaultIgnored(sig: number): boolean {
  return sig === SIGCHLD || sig === SIGURG || sig === SIGWINCH || sig === SIGCONT || sig === SIGSTOP || sig === SIGTSTP || sig === 21 || sig === 22;
}

// Signals whose default action also dumps core (the 0x80 bit of the wait status
// stays clear: core dumps are off, as with RLIMIT_CORE=0).
export const CORE_SIGNALS = new Set([SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, 24, 25, 31]);

export const bit = (sig: number): bigint => 1n << BigInt(sig - 1);
