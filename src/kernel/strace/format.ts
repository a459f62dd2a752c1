// --strace: one line per syscall in strace's style, e.g.
//   openat(AT_FDCWD, "/etc/x", O_RDONLY) = -1 ENOENT (No such file or directory)
// Argument kinds per call decide how each register is shown.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import type { SysArgs } from "../syscalls/args.js";
import { syscallName } from "../../linux/syscall-numbers.js";
import { STRACE_SIGNATURES } from "../syscalls/table.js";
import { ERRNO_NAMES } from "../errno-names.js";
import { signalName } from "../signal/signals.js";
import { flagNames, MSG_FLAGS, EPOLL_EVENTS, LEVELS, optionName, sockaddr, epollEvent, itimerspec, msghdr } from "./structs.js";

// Argument kinds, one per register (a row's signature in syscalls/table.ts is a space-separated list):
// d int, u unsigned, x hex/NULL, fd, at (dirfd), s path, wb buffer (len = next arg), rb buffer filled by
// the call (len = result), of open flags, o octal mode, prot, mf mmap flags, sig, arch, wh whence,
// clk clock id, rl rlimit, av string vector, af at-flags, how sigprocmask how, gr getrandom flags,
// nm a node's mode (type|permissions), dev a device number (shown only for device nodes),
// stat, rlim, ts, fds (int[2] filled), wst wait status, h hex, pf pipe2 flags, ioreq, mrf mremap flags;
// sockets: fam, st type, proto, sa sockaddr (length: next arg, or the int it points at), sl socklen
// pointer, sf accept4 flags, mflg MSG_ flags, msg struct msghdr, shut, sol level, so option (by level),
// sov an option value ([int]); epoll: epcf, epop, epev one event, epevs events filled (count = result);
// efdf eventfd flags, tfdf timerfd_create flags, tfds timerfd_settime flags, its struct itimerspec;
// off a loff_t pointer advanced by the result (sendfile), crf close_range flags.
export const STRACE_KINDS = new Set(("d u x fd at s wb rb of o prot mf sig arch wh clk rl av af how gr nm dev stat rlim ts fds " +
  "wst h pf ioreq mrf fam st proto sa sl sf mflg msg shut sol so sov epcf epop epev epevs efdf tfdf tfds its off crf").split(" "));

const OPEN_FLAGS: Array<[number, string]> = [[0o100, "O_CREAT"], [0o200, "O_EXCL"], [0o400, "O_NOCTTY"], [0o1000, "O_TRUNC"],
  [0o2000, "O_APPEND"], [0o4000, "O_NONBLOCK"], [0o10000, "O_DSYNC"], [0o40000, "O_DIRECT"], [0o200000, "O_DIRECTORY"],
  [0o400000, "O_NOFOLLOW"], [0o1000000, "O_NOATIME"], [0o2000000, "O_CLOEXEC"], [0o10000000, "O_PATH"]];
const MAP_FLAGS: Array<[number, string]> = [[0x10, "MAP_FIXED"], [0x20, "MAP_ANONYMOUS"], [0x100, "MAP_GROWSDOWN"],
  [0x800, "MAP_DENYWRITE"], [0x2000, "MAP_LOCKED"], [0x4000, "MAP_NORESERVE"], [0x8000, "MAP_POPULATE"], [0x20000, "MAP_STACK"],
  [0x100000, "MAP_FIXED_NOREPLACE"]];
const RLIMITS = ["RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK", "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC",
  "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS", "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE",
  "RLIMIT_RTPRIO", "RLIMIT_RTTIME"];
const CLOCKS = ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID", "CLOCK_THREAD_CPUTIME_ID",
  "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE", "CLOCK_BOOTTIME"];
const IOCTLS: Record<number, string> = { 0x5401: "TCGETS", 0x5402: "TCSETS", 0x5403: "TCSETSW", 0x5404: "TCSETSF",
  0x5409: "TCSBRK", 0x540b: "TCFLSH", 0x5413: "TIOCGWINSZ", 0x5414: "TIOCSWINSZ", 0x541b: "FIONREAD", 0x5421: "FIONBIO",
  0x5451: "FIOCLEX", 0x5450: "FIONCLEX", 0x5415: "TIOCMGET", 0x5418: "TIOCMSET" };
const RESULT_HEX = new Set(["mmap", "brk", "mremap"]);

function flags(v: number, table: Array<[number, string]>, base: string): string {
  const parts = base ? [base] : [];
  for (const [b, n] of table) if (v & b) { parts.push(n); v &= ~b; }
  if (v) parts.push(`0x${v.toString(16)}`);
  return parts.length ? parts.join("|") : "0";
}

// strace's quoting: mostly-binary data is shown all in \x escapes, text with C escapes and octal.
export function quote(b: Uint8Array, max = 32): string {
  const n = Math.min(b.length, max);
  let odd = 0;
  for (let i = 0; i < n; i++) { const c = b[i]; if ((c < 32 || c >= 127) && c !== 10 && c !== 9 && c !== 13) odd++; }
  let s = "";
  if (odd * 4 > n) {
    for (let i = 0; i < n; i++) s += `\\x${b[i].toString(16).padStart(2, "0")}`;
  } else {
    for (let i = 0; i < n; i++) {
      const c = b[i];
      if (c === 10) s += "\\n"; else if (c === 9) s += "\\t"; else if (c === 13) s += "\\r";
      else if (c === 34) s += '\\"'; else if (c === 92) s += "\\\\";
      else if (c >= 32 && c < 127) s += String.fromCharCode(c);
      else s += `\\${c.toString(8)}`;
    }
  }
  return `"${s}"${b.length > max ? "..." : ""}`;
}

const FILE_TYPES: Record<number, string> = { 0o140000: "S_IFSOCK", 0o120000: "S_IFLNK", 0o100000: "S_IFREG", 0o060000: "S_IFBLK", 0o040000: "S_IFDIR", 0o020000: "S_IFCHR", 0o010000: "S_IFIFO" };

// A struct stat as strace abbreviates it.
function statStruct(b: Uint8Array): string {
  const dv = new DataView(b.buffer, b.byteOffset);
  const mode = dv.getUint32(24, true);
  const type = FILE_TYPES[mode & 0o170000] ?? "0";
  const perm = (mode & 0o7777).toString(8).padStart(4, "0");
  if ((mode & 0o170000) === 0o020000 || (mode & 0o170000) === 0o060000) {
    return `{st_mode=${type}|${perm}, st_rdev=${makedev(Number(dv.getBigUint64(40, true)))}, ...}`;
  }
  return `{st_mode=${type}|${perm}, st_size=${dv.getBigInt64(48, true)}, ...}`;
}

// A device number as strace shows it: makedev(0x1, 0x3), makedev(0, 0).
const num = (v: number): string => (v === 0 ? "0" : `0x${v.toString(16)}`);
const makedev = (dev: number): string => `makedev(${num((dev >> 8) & 0xfff)}, ${num((dev & 0xff) | ((dev >> 12) & 0xfff00))})`;
const isDevice = (mode: number): boolean => (mode & 0o170000) === 0o020000 || (mode & 0o170000) === 0o060000;

// mknod's mode: S_IFIFO|0644; a bare permission when the type is 0; all octal when the type is unknown.
function nodeMode(mode: number): string {
  const type = mode & 0o170000;
  const perm = (mode & 0o7777).toString(8).padStart(4, "0");
  if (type === 0) return perm;
  const name = FILE_TYPES[type];
  return name ? `${name}|${perm}` : "0" + mode.toString(8);
}

const RLIM_INF = 0xffffffffffffffffn;
const rlimValue = (v: bigint): string => (v === RLIM_INF ? "RLIM64_INFINITY" : v > 0n && v % 1024n === 0n ? `${v / 1024n}*1024` : String(v));

function waitStatus(st: number): string {
  if ((st & 0x7f) === 0) return `[{WIFEXITED(s) && WEXITSTATUS(s) == ${(st >> 8) & 0xff}}]`;
  return `[{WIFSIGNALED(s) && WTERMSIG(s) == ${signalName(st & 0x7f)}}]`;
}

const hex = (v: number | bigint): string => `0x${v.toString(16)}`;

export class StraceFormatter {
  constructor(private k: Kernel) {}

  private prefix(p: Process): string { return this.k.multiProcess ? `[pid ${p.pid}] ` : ""; }

  private kindsOf(a: SysArgs): string[] {
    const spec = a.nr >= 0 ? STRACE_SIGNATURES[a.nr] : undefined;
    return spec ? spec.split(" ") : [];
  }

  private args(p: Process, a: SysArgs, result: number | null): string {
    const spec = a.nr >= 0 ? STRACE_SIGNATURES[a.nr] : undefined;
    if (spec === undefined || spec === null) return [0, 1, 2, 3, 4, 5].map((i) => hex(a.big(i))).join(", ");
    if (spec === "") return "";
    let kinds = spec.split(" ");
    // strace shows open's mode only when the call can create.
    const fi = kinds.indexOf("of");
    if (fi >= 0 && kinds[fi + 1] === "o" && !(a.int(fi) & 0o20100000) && !(a.int(fi) & 0o100)) kinds = kinds.slice(0, fi + 1);
    // and mknod's device number only for a device node.
    const ni = kinds.indexOf("nm");
    if (ni >= 0 && !isDevice(a.u32(ni))) kinds = kinds.slice(0, ni + 1);
    return kinds.map((kind, i) => this.arg(p, a, i, kind, result)).join(", ");
  }

  private arg(p: Process, a: SysArgs, i: number, kind: string, result: number | null): string {
    const v = a.u(i);
    switch (kind) {
      case "d": case "fd": return String(a.int(i));
      case "u": return String(v);
      case "x": return v === 0 ? "NULL" : hex(a.big(i));
      case "at": return a.int(i) === -100 ? "AT_FDCWD" : String(a.int(i));
      case "s": { const s = p.mem.readCString(v, 4096); return s === null ? hex(v) : quote(Buffer.from(s, "latin1"), 4096); }
      case "wb": { const b = p.mem.read(v, Math.min(a.u(i + 1), 32)); return b ? quote(b, 32) + (a.u(i + 1) > 32 ? "..." : "") : hex(v); }
      case "rb": {
        if (result === null || result < 0) return hex(v);
        const b = p.mem.read(v, Math.min(result, 32));
        return b ? quote(b, 32) + (result > 32 ? "..." : "") : hex(v);
      }
      case "of": { const acc = ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE"][a.int(i) & 3]; return flags(a.int(i) & ~3, OPEN_FLAGS, acc); }
      case "o": return "0" + a.u32(i).toString(8);
      case "nm": return nodeMode(a.u32(i) & 0xffff);
      case "dev": return makedev(a.u32(i));
      case "prot": return a.int(i) === 0 ? "PROT_NONE" : flags(a.int(i), [[1, "PROT_READ"], [2, "PROT_WRITE"], [4, "PROT_EXEC"]], "");
      case "mf": return flags(a.int(i) & ~3, MAP_FLAGS, ["", "MAP_SHARED", "MAP_PRIVATE", "MAP_SHARED_VALIDATE"][a.int(i) & 3]);
      case "sig": return a.int(i) === 0 ? "0" : signalName(a.int(i));
      case "arch": return { 0x1001: "ARCH_SET_GS", 0x1002: "ARCH_SET_FS", 0x1003: "ARCH_GET_FS", 0x1004: "ARCH_GET_GS" }[a.int(i)] ?? hex(v);
      case "wh": return ["SEEK_SET", "SEEK_CUR", "SEEK_END", "SEEK_DATA", "SEEK_HOLE"][a.int(i)] ?? String(a.int(i));
      case "clk": return CLOCKS[a.int(i)] ?? String(a.int(i));
      case "rl": return RLIMITS[a.int(i)] ?? String(a.int(i));
      case "how": return ["SIG_BLOCK", "SIG_UNBLOCK", "SIG_SETMASK"][a.int(i)] ?? String(a.int(i));
      case "fam": return { 1: "AF_UNIX", 2: "AF_INET", 10: "AF_INET6", 16: "AF_NETLINK" }[a.int(i)] ?? String(a.int(i));
      case "st": return flags(a.int(i) & ~0xf, [[0o4000, "SOCK_NONBLOCK"], [0o2000000, "SOCK_CLOEXEC"]], ["", "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW"][a.int(i) & 0xf] ?? String(a.int(i) & 0xf));
      case "stat": {
        if (result !== 0) return hex(v);
        const b = p.mem.read(v, 144);
        return b ? statStruct(b) : hex(v);
      }
      case "rlim": {
        if (v === 0) return "NULL";
        if (result !== 0) return hex(v);
        const b = p.mem.read(v, 16);
        if (!b) return hex(v);
        const dv = new DataView(b.buffer);
        return `{rlim_cur=${rlimValue(dv.getBigUint64(0, true))}, rlim_max=${rlimValue(dv.getBigUint64(8, true))}}`;
      }
      case "ts": {
        if (v === 0) return "NULL";
        const b = p.mem.read(v, 16);
        if (!b) return hex(v);
        const dv = new DataView(b.buffer);
        return `{tv_sec=${dv.getBigInt64(0, true)}, tv_nsec=${dv.getBigInt64(8, true)}}`;
      }
      case "fds": {
        if (result !== 0) return hex(v);
        const b = p.mem.read(v, 8);
        if (!b) return hex(v);
        const dv = new DataView(b.buffer);
        return `[${dv.getInt32(0, true)}, ${dv.getInt32(4, true)}]`;
      }
      case "wst": {
        if (v === 0) return "NULL";
        if (result === null || result <= 0) return hex(v);
        const b = p.mem.read(v, 4);
        return b ? waitStatus(new DataView(b.buffer).getInt32(0, true)) : hex(v);
      }
      case "h": return hex(a.big(i));
      case "proto": {
        if (a.int(i - 2) !== 2) return String(a.int(i));
        return ({ 0: "IPPROTO_IP", 6: "IPPROTO_TCP", 17: "IPPROTO_UDP" } as Record<number, string>)[a.int(i)] ?? String(a.int(i));
      }
      case "sa": {
        if (v === 0) return "NULL";
        const next = this.kindsOf(a)[i + 1];
        if (next === "sl") {
          if (result === null || result < 0 || !a.u(i + 1)) return hex(v);
          const len = p.mem.read(a.u(i + 1), 4);
          return len ? sockaddr(p, v, new DataView(len.buffer).getUint32(0, true), quote) : hex(v);
        }
        return sockaddr(p, v, a.u32(i + 1), quote);
      }
      case "sl": case "sov": {
        if (v === 0) return "NULL";
        if (result === null || result < 0) return hex(v);
        const b = p.mem.read(v, 4);
        return b ? `[${new DataView(b.buffer).getInt32(0, true)}]` : hex(v);
      }
      case "sf": return flagNames(a.int(i), [[0o2000000, "SOCK_CLOEXEC"], [0o4000, "SOCK_NONBLOCK"]]);
      case "mflg": return flagNames(a.int(i), MSG_FLAGS);
      case "msg": {
        const isRecv = syscallName(a.nr) === "recvmsg";
        if (isRecv && (result === null || result < 0)) return hex(v);
        return msghdr(p, v, isRecv ? result ?? 0 : Number.MAX_SAFE_INTEGER, quote);
      }
      case "shut": return ["SHUT_RD", "SHUT_WR", "SHUT_RDWR"][a.int(i)] ?? String(a.int(i));
      case "sol": return LEVELS[a.int(i)] ?? String(a.int(i));
      case "so": return optionName(a.int(i - 1), a.int(i));
      case "epcf": return flagNames(a.int(i), [[0o2000000, "EPOLL_CLOEXEC"]]);
      case "epop": return ["", "EPOLL_CTL_ADD", "EPOLL_CTL_DEL", "EPOLL_CTL_MOD"][a.int(i)] ?? String(a.int(i));
      case "epev": {
        if (v === 0) return "NULL";
        const b = p.mem.read(v, 12);
        return b ? epollEvent(b, 0) : hex(v);
      }
      case "epevs": {
        if (result === null || result < 0) return hex(v);
        const b = p.mem.read(v, result * 12);
        if (!b) return hex(v);
        const out: string[] = [];
        for (let j = 0; j < result; j++) out.push(epollEvent(b, j * 12));
        return `[${out.join(", ")}]`;
      }
      case "efdf": return flagNames(a.int(i), [[1, "EFD_SEMAPHORE"], [0o2000000, "EFD_CLOEXEC"], [0o4000, "EFD_NONBLOCK"]]);
      case "tfdf": return flagNames(a.int(i), [[0o2000000, "TFD_CLOEXEC"], [0o4000, "TFD_NONBLOCK"]]);
      case "tfds": return flagNames(a.int(i), [[1, "TFD_TIMER_ABSTIME"], [2, "TFD_TIMER_CANCEL_ON_SET"]]);
      case "its": {
        if (v === 0) return "NULL";
        const b = p.mem.read(v, 32);
        return b ? itimerspec(b) : hex(v);
      }
      case "off": {
        if (v === 0) return "NULL";
        const b = p.mem.read(v, 8);
        if (!b) return hex(v);
        const now = new DataView(b.buffer).getBigInt64(0, true);
        return result !== null && result > 0 ? `[${now - BigInt(result)}] => [${now}]` : `[${now}]`;
      }
      case "crf": return flagNames(a.int(i), [[2, "CLOSE_RANGE_UNSHARE"], [4, "CLOSE_RANGE_CLOEXEC"]]);
      case "pf": return flags(a.int(i), OPEN_FLAGS, "");
      case "ioreq": return IOCTLS[a.u32(i)] ?? hex(a.u32(i));
      case "mrf": return flags(a.int(i), [[1, "MREMAP_MAYMOVE"], [2, "MREMAP_FIXED"], [4, "MREMAP_DONTUNMAP"]], "");
      case "gr": return flags(a.int(i), [[1, "GRND_NONBLOCK"], [2, "GRND_RANDOM"], [4, "GRND_INSECURE"]], "");
      case "af": return flags(a.int(i), [[0x100, "AT_SYMLINK_NOFOLLOW"], [0x200, "AT_REMOVEDIR"], [0x400, "AT_SYMLINK_FOLLOW"], [0x1000, "AT_EMPTY_PATH"]], "");
      case "av": {
        const out: string[] = [];
        for (let j = 0; j < 16 && v; j++) {
          const ptr = p.mem.read(v + j * 8, 8);
          if (!ptr) break;
          const pv = new DataView(ptr.buffer).getBigUint64(0, true);
          if (pv === 0n) return `[${out.join(", ")}]`;
          out.push(quote(Buffer.from(p.mem.readCString(Number(pv)) ?? "", "latin1"), 4096));
        }
        return v ? `[${out.join(", ")}, ...]` : "NULL";
      }
      default: return hex(v);
    }
  }

  private result(name: string, r: number): string {
    if (r < 0 && r >= -4095) {
      const [n, msg] = ERRNO_NAMES[-r] ?? [`E${-r}`, "Unknown error"];
      return `-1 ${n} (${msg})`;
    }
    if (name === "umask") return "0" + r.toString(8);
    return RESULT_HEX.has(name) ? hex(r) : String(r);
  }

  done(p: Process, a: SysArgs, r: number): void {
    const name = syscallName(a.nr);
    // execve's arguments are gone after it succeeded; show the new program's path.
    const args = name === "execve" && r === 0 ? `"${p.exePath}", ...` : this.args(p, a, r);
    this.emit(`${this.prefix(p)}${name}(${args}) = ${this.result(name, r)}`);
  }

  firstExec(p: Process, path: string, argv: string[], nenv: number): void {
    const av = argv.map((s) => quote(Buffer.from(s, "latin1"), 4096)).join(", ");
    this.emit(`${this.prefix(p)}execve(${quote(Buffer.from(path, "latin1"), 4096)}, [${av}], /* ${nenv} vars */) = 0`);
  }

  signal(p: Process, sig: number): void {
    const n = signalName(sig);
    const f = p.faultInfo && p.faultInfo.sig === sig ? p.faultInfo : null;
    const codes: Record<number, string[]> = {
      11: ["", "SEGV_MAPERR", "SEGV_ACCERR"], 4: ["", "ILL_ILLOPC", "ILL_ILLOPN"], 5: ["", "TRAP_BRKPT", "TRAP_TRACE"],
      8: ["", "FPE_INTDIV", "FPE_INTOVF", "FPE_FLTDIV", "FPE_FLTOVF", "FPE_FLTUND", "FPE_FLTRES", "FPE_FLTINV", "FPE_FLTSUB"],
    };
    const detail = f ? `si_code=${codes[sig]?.[f.code] ?? (f.code === 128 ? "SI_KERNEL" : f.code)}, si_addr=${f.addr === 0n ? "NULL" : `0x${f.addr.toString(16)}`}` : "...";
    this.emit(`${this.prefix(p)}--- ${n} {si_signo=${n}, ${detail}} ---`);
  }

  killed(p: Process, sig: number): void {
    this.emit(`${this.prefix(p)}+++ killed by ${signalName(sig)} +++`);
  }

  blocked(_p: Process, _a: SysArgs): void { /* printed once complete, like strace without -f's unfinished lines */ }

  noreturn(p: Process, a: SysArgs): void {
    const name = syscallName(a.nr);
    if (name === "rt_sigreturn") { this.emit(`${this.prefix(p)}rt_sigreturn() = ?`); return; }
    this.emit(`${this.prefix(p)}${name}(${this.args(p, a, null)}) = ?`);
    if ((name === "exit_group" || name === "exit") && p.leader.state === "zombie") this.emit(`${this.prefix(p)}+++ exited with ${(p.waitStatus >> 8) & 0xff} +++`);
  }

  private emit(line: string): void { this.k.opts.strace!(line); }
}
