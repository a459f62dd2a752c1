// Which measured distribution a syscall's time is drawn from. The calibration
// (guest/calibrate/calibrate.c) measures the calls a flight makes, each as the
// flight makes it (select and read on a pty, a short write, mkdir, …); a call
// it does not measure takes the nearest measured one, and anything else the
// floor (getpid). By syscall number only: a read costs a pty read whatever the
// fd, which is what a flight's reads are.
import { SYSCALL_NUMBERS } from "../../linux/syscall-numbers.js";

// Class of a call that did not sleep: the enter→exit time of the call itself.
const CALL_CLASS: Record<string, readonly string[]> = {
  "sys.select": ["select", "pselect6", "poll", "ppoll", "epoll_wait", "epoll_pwait"],
  "sys.read": ["read", "readv", "pread64", "preadv", "preadv2", "recvfrom", "recvmsg"],
  "sys.write": ["write", "writev", "pwrite64", "pwritev", "pwritev2"],
  "sys.clock_nanosleep": ["clock_nanosleep", "nanosleep"],
  "sys.fork": ["fork", "vfork", "clone", "clone3"],
  "sys.wait4": ["wait4", "waitid"],
  "sys.execve": ["execve", "execveat"],
  "sys.socket": ["socket", "socketpair", "bind", "connect"],
  "sys.sendto": ["sendto", "sendmsg"],
  "sys.close": ["close", "shutdown"],
  "sys.mkdir": ["mkdir", "mkdirat", "rmdir", "unlink", "unlinkat", "rename", "renameat", "renameat2", "link", "linkat", "symlink", "symlinkat", "creat"],
  "sys.openat": ["open", "openat", "openat2"],
  "sys.readlink": ["readlink", "readlinkat", "stat", "lstat", "newfstatat", "statx", "access", "faccessat", "faccessat2", "getcwd", "chdir"],
  "sys.mmap": ["mmap", "mremap"],
  "sys.munmap": ["munmap"],
  "sys.mprotect": ["mprotect", "madvise"],
  "sys.brk": ["brk"],
  "sys.ioctl": ["ioctl", "fcntl", "fstat"],
  "sys.getrandom": ["getrandom"],
  "sys.prlimit64": ["prlimit64", "getrlimit", "setrlimit", "uname", "sysinfo"],
  "sys.arch_prctl": ["arch_prctl"],
  "sys.set_tid_address": ["set_tid_address"],
  "sys.set_robust_list": ["set_robust_list", "rseq"],
};

/** The floor: every call not listed costs what getpid does. */
export const FLOOR_CLASS = "sys.getpid";

/** Every class name a call may use (the table must have each). */
export const CALL_CLASSES: readonly string[] = [FLOOR_CLASS, ...Object.keys(CALL_CLASS)];

/** Syscall number → index into CALL_CLASSES (0, the floor, for the rest). */
export function callClassTable(): Uint8Array {
  const t = new Uint8Array(512);
  CALL_CLASSES.forEach((cls, i) => {
    for (const name of CALL_CLASS[cls] ?? []) {
      const nr = SYSCALL_NUMBERS[name];
      if (nr === undefined) throw new Error(`timing classes: unknown syscall ${name}`);
      t[nr] = i;
    }
  });
  return t;
}

// What ended a sleep, and so which wake-up latency follows it.
export const WAKE_CLASSES = ["wake.pty", "wake.pipe", "wake.timer", "wake.timeout", "wake.child"] as const;
export type WakeClass = (typeof WAKE_CLASSES)[number];
export const WAKE = { pty: 0, pipe: 1, timer: 2, timeout: 3, child: 4 } as const;

const WAKES: Record<number, readonly string[]> = {
  [WAKE.timer]: ["clock_nanosleep", "nanosleep", "futex"],
  [WAKE.pty]: ["select", "pselect6", "poll", "ppoll", "epoll_wait", "epoll_pwait"],
  [WAKE.child]: ["wait4", "waitid", "vfork", "clone", "clone3"],
};

/**
 * Syscall number → the wake class of that call when it slept: a sleep's
 * deadline (the timer), a select/poll's data (the serial port: a pty; its
 * timeout, result 0, is WAKE.timeout: see wakeClass), a child's exit or exec,
 * and for the rest (a read on a pipe, a signal) another process's write.
 */
export function wakeClassTable(): Uint8Array {
  const t = new Uint8Array(512).fill(WAKE.pipe);
  for (const [cls, names] of Object.entries(WAKES)) for (const n of names) t[SYSCALL_NUMBERS[n]] = Number(cls);
  return t;
}

const EINTR = -4;

/**
 * The wake class of a call that slept and returns `result`, from its wakeClassTable entry: a
 * select/poll that returns 0 timed out; a call interrupted by a signal (EINTR) was woken by
 * another process, as a pipe's reader is.
 */
export const wakeClass = (entry: number, result: number): number =>
  result === EINTR ? WAKE.pipe : entry === WAKE.pty && result === 0 ? WAKE.timeout : entry;
