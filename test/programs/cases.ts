// The program-level differential cases: guest programs under guest/tests/
// (built by npm install into build/guest/tests/), with their arguments and
// stdin. Each is run natively under strace and under `skytrace exec`.

export interface ProgramCase {
  name: string;
  program: string;
  args?: string[];
  stdin?: string;
  /** Killed by a signal: stderr is not compared (skytrace explains the fault there). */
  signalled?: boolean;
  /** Needs the x87 unit (printf of doubles, libm's long double paths): skipped until the core has it. */
  x87?: boolean;
  /**
   * A known emulator gap that makes this case fail today: it runs as an
   * expected failure (vitest's it.fails), so it turns red the day the gap is
   * closed and this marker must go. Say what the gap is.
   */
  knownGap?: string;
  /**
   * Prints results of x87 transcendental instructions, which the host's
   * microcode does not round correctly (the core does): those `%La` values
   * may differ from native by one ulp, every other byte must match
   * (last-bit.ts). Say which values.
   */
  transcendentalLastBit?: string;
  /**
   * Prints what depends on the file system (st_blocks, directory sizes): the
   * native reference runs in a folder on this file system (native-fs.ts) and
   * the case is skipped, with the reason printed, where the host has none.
   */
  nativeFs?: "ext4";
}

// Under 64 KiB, a pipe's capacity: the whole input is in the pipe before the
// program's first read returns, so natively each read gets a full buffer
// whatever the scheduling, and the count of read calls is reproducible.
function stdinText(): string {
  let s = "";
  for (let i = 0; i < 1500; i++) s += `line ${i} ${"x".repeat(i % 50)}${i % 7 === 0 ? "\ttab" : ""}\n`;
  return s + "no newline at the end";
}

export const CASES: ProgramCase[] = [
  { name: "hello", program: "hello" },
  { name: "probe_x87", program: "probe_x87", x87: true },
  { name: "compute", program: "compute" },
  { name: "strings", program: "strings" },
  { name: "printf_double", program: "printf_double", x87: true },
  { name: "libm", program: "libm" },
  {
    name: "libm_x87",
    program: "libm_x87",
    x87: true,
    transcendentalLastBit: "logl(3) through FYL2X: ...54bc on this AMD host, the correctly rounded ...54bb in the core",
  },
  { name: "x87_exact", program: "x87_exact", x87: true },
  { name: "simd (MMX, SSE3-SSE4.2, POPCNT; glibc's SSE4.2 string functions)", program: "simd", x87: true },
  { name: "v2auto (plain C compiled for x86-64-v2: vectorized SSE4.1, PSHUFB, ROUNDSD, POPCNT)", program: "v2auto" },
  { name: "qsort", program: "qsort" },
  // Hot code unmapped and mapped again with other code, mapped over, made not executable, on a heap
  // page given back: the kernel drops decoded code only where a page held some (docs/jit.md).
  { name: "remap_code (code changed by munmap, mmap MAP_FIXED, mprotect and brk under hot code)", program: "remap_code" },
  { name: "two_spaces (two processes, different hot code at one address, taking turns; a code write and an mprotect in one, a copy-on-write code page)", program: "two_spaces" },
  { name: "exec_reuse (hot code at one address in a process, its forked child, the child's exec'd image and a killed child; frames freed at exit and kill reused for the parent's new code)", program: "exec_reuse" },
  { name: "malloc", program: "malloc" },
  { name: "setjmp", program: "setjmp" },
  { name: "sigfault (each CPU exception's signal, siginfo, sigcontext and fpstate; rt_sigreturn from an edited frame)", program: "sigfault", x87: true },
  { name: "files", program: "files" },
  { name: "forkexec", program: "forkexec" },
  { name: "tcpecho (TCP over loopback between two processes)", program: "tcpecho" },
  { name: "epollserver (eventfd, timerfd, AF_UNIX, an epoll TCP server and its forked client)", program: "epollserver" },
  { name: "mknod", program: "mknod", nativeFs: "ext4" },
  { name: "timesleep", program: "timesleep" },
  { name: "exitcode (42)", program: "exitcode" },
  { name: "exitcode 3", program: "exitcode", args: ["3"] },
  { name: "stdin", program: "stdin", stdin: stdinText() },
  { name: "stdin empty", program: "stdin", stdin: "" },
  { name: "abort", program: "abort", signalled: true },
  { name: "bad_ud2", program: "bad_ud2", signalled: true },
  { name: "bad_wildjump", program: "bad_wildjump", signalled: true },
  { name: "bad_stackoverflow", program: "bad_stackoverflow", signalled: true },
];
