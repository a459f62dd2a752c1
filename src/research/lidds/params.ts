// The parameters of a `.sc` entry line, per syscall: which argument registers
// appear and under which name. Names are sysdig's where its event table names
// that argument (fd, size, domain, type, proto, request, …); for syscalls sysdig
// only records generically, the Linux manual's parameter names. Only arguments
// that are values appear: a pointer's target (a path, a buffer) is not in the
// per-syscall table, so sysdig's string parameters (name, path, data, tuple)
// are left out rather than shown as addresses.
//
// Formats: d = signed 32-bit decimal (fds, pids, signals, ids),
// u = unsigned 64-bit decimal (sizes, lengths), i = signed 64-bit decimal,
// x = 0x-hex (addresses, flags, requests), o = octal with a leading 0 (modes).
export type ParamFormat = "d" | "u" | "i" | "x" | "o";
export interface Param { arg: number; name: string; format: ParamFormat }

const p = (arg: number, name: string, format: ParamFormat): Param => ({ arg, name, format });

export const ENTRY_PARAMS: Readonly<Record<string, readonly Param[]>> = {
  read: [p(0, "fd", "d"), p(2, "size", "u")],
  write: [p(0, "fd", "d"), p(2, "size", "u")],
  pread64: [p(0, "fd", "d"), p(2, "size", "u"), p(3, "pos", "i")],
  pwrite64: [p(0, "fd", "d"), p(2, "size", "u"), p(3, "pos", "i")],
  readv: [p(0, "fd", "d")],
  writev: [p(0, "fd", "d")],
  close: [p(0, "fd", "d")],
  lseek: [p(0, "fd", "d"), p(1, "offset", "i"), p(2, "whence", "d")],
  dup: [p(0, "fd", "d")],
  dup2: [p(0, "oldfd", "d"), p(1, "newfd", "d")],
  dup3: [p(0, "oldfd", "d"), p(1, "newfd", "d"), p(2, "flags", "x")],
  fcntl: [p(0, "fd", "d"), p(1, "cmd", "d")],
  ioctl: [p(0, "fd", "d"), p(1, "request", "x")],
  fstat: [p(0, "fd", "d")],
  open: [p(1, "flags", "x"), p(2, "mode", "o")],
  openat: [p(0, "dirfd", "d"), p(2, "flags", "x"), p(3, "mode", "o")],
  creat: [p(1, "mode", "o")],
  mkdir: [p(1, "mode", "o")],
  mkdirat: [p(0, "dirfd", "d"), p(2, "mode", "o")],
  unlinkat: [p(0, "dirfd", "d"), p(2, "flags", "x")],
  socket: [p(0, "domain", "d"), p(1, "type", "d"), p(2, "proto", "d")],
  connect: [p(0, "fd", "d")],
  bind: [p(0, "fd", "d")],
  listen: [p(0, "fd", "d"), p(1, "backlog", "d")],
  accept4: [p(3, "flags", "x")],
  sendto: [p(0, "fd", "d"), p(2, "size", "u")],
  recvfrom: [p(0, "fd", "d"), p(2, "size", "u")],
  sendmsg: [p(0, "fd", "d")],
  recvmsg: [p(0, "fd", "d")],
  shutdown: [p(0, "fd", "d"), p(1, "how", "d")],
  brk: [p(0, "addr", "x")],
  mmap: [p(0, "addr", "x"), p(1, "length", "u"), p(2, "prot", "x"), p(3, "flags", "x"), p(4, "fd", "d"), p(5, "offset", "u")],
  munmap: [p(0, "addr", "x"), p(1, "length", "u")],
  mprotect: [p(0, "addr", "x"), p(1, "length", "u"), p(2, "prot", "x")],
  futex: [p(0, "addr", "x"), p(1, "op", "x"), p(2, "val", "u")],
  poll: [p(2, "timeout", "d")],
  epoll_wait: [p(2, "maxevents", "d")],
  kill: [p(0, "pid", "d"), p(1, "sig", "d")],
  tkill: [p(0, "tid", "d"), p(1, "sig", "d")],
  tgkill: [p(0, "pid", "d"), p(1, "tid", "d"), p(2, "sig", "d")],
  prlimit64: [p(0, "pid", "d"), p(1, "resource", "d")],
  setuid: [p(0, "uid", "d")],
  setgid: [p(0, "gid", "d")],
  // Not named by sysdig's event table (it records them generically): the Linux manual's names.
  exit: [p(0, "status", "d")],
  exit_group: [p(0, "status", "d")],
  wait4: [p(0, "pid", "d"), p(2, "options", "x")],
  clock_nanosleep: [p(0, "clockid", "d"), p(1, "flags", "x")],
  clock_gettime: [p(0, "clockid", "d")],
  getrandom: [p(1, "buflen", "u"), p(2, "flags", "x")],
  set_robust_list: [p(1, "len", "u")],
  arch_prctl: [p(0, "code", "x")],
  rseq: [p(1, "rseq_len", "u"), p(2, "flags", "x"), p(3, "sig", "x")],
  readlink: [p(2, "bufsiz", "u")],
  prctl: [p(0, "option", "d")],
};

/** Results sysdig shows in hex (addresses); every other result is signed decimal. */
export const HEX_RESULTS: ReadonlySet<string> = new Set(["brk", "mmap", "mremap"]);

/** A register value (its two 32-bit words) in a format. */
export function formatValue(lo: number, hi: number, f: ParamFormat): string {
  switch (f) {
    case "d": return String(lo | 0);
    case "u": return hi === 0 ? String(lo) : ((BigInt(hi) << 32n) | BigInt(lo)).toString();
    case "i": return hi === 0 ? String(lo) : (hi | 0) === -1 && lo !== 0 ? String(lo - 4294967296) : BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo)).toString();
    case "x": return hi === 0 ? `0x${lo.toString(16)}` : `0x${hi.toString(16)}${lo.toString(16).padStart(8, "0")}`;
    case "o": return hi === 0 ? (lo === 0 ? "0" : `0${lo.toString(8)}`) : `0${((BigInt(hi) << 32n) | BigInt(lo)).toString(8)}`;
  }
}
