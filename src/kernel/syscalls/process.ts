// Process life: exit, fork/vfork/clone, execve, wait4/waitid, ids, and the
// per-thread registrations glibc makes at start-up (TLS, tid address, robust
// list, rseq).
import type { Handler } from "./types.js";
import { NORETURN, BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import { Process } from "../process/process.js";
import { ExecError } from "../elf/parse.js";
import { pathArg } from "./util.js";
import { Errno, EINVAL, ECHILD, EFAULT, ENOSYS, E2BIG, ENOMEM } from "../errno.js";
import { SIGCHLD } from "../signal/signals.js";

// exit ends the calling thread (the process ends with its last thread); exit_group the whole process.
const exit: Handler = (k, p, a) => { k.exitThread(p, (a.int(0) & 0xff) << 8); return NORETURN; };
const exit_group: Handler = (k, p, a) => { k.terminate(p, (a.int(0) & 0xff) << 8); return NORETURN; };

function forkProcess(k: Kernel, p: Process): number {
  const mm = p.mm.fork();
  const c = new Process(k.newPid(), p.leader, mm, p.cwd);
  c.fds = p.fds.map((e) => (e ? { file: e.file.ref(), cloexec: e.cloexec } : undefined));
  c.umask = p.umask;
  c.exePath = p.exePath;
  c.argv0 = p.argv0;
  c.comm = p.comm;
  c.sigactions = p.sigactions.map((s) => (s ? { ...s } : s));
  c.sigmask = p.sigmask;
  c.altstack = { ...p.altstack };
  c.startTicks = k.clock.now;
  // The child resumes from the same syscall with RAX = 0.
  c.context = k.machine.saveContext();
  c.pendingReturn = 0;
  // Its CR3 is its own page tables'.
  const ctxCr3 = 176;
  new DataView(c.context.buffer).setBigUint64(ctxCr3, BigInt(mm.cr3), true);
  p.leader.children.push(c);
  k.addProcess(c);
  return c.pid;
}

// A new thread of p's process (CLONE_VM|CLONE_THREAD; glibc also passes FS, FILES, SIGHAND,
// SYSVSEM): it shares the address space (the same CR3), the fd table and the signal actions,
// starts on `stack` (0: the caller's) with RAX = 0, its own tid, the caller's signal mask, no
// alternate signal stack, and `tls` as FS base with CLONE_SETTLS.
function spawnThread(k: Kernel, p: Process, flags: number, stack: number, tls: bigint, parentTid: number, childTid: number): number {
  const L = p.leader;
  const t = new Process(k.newPid(), L.parent, p.mm, p.cwd);
  t.mem = p.mem;
  t.fds = p.fds;
  t.sigactions = p.sigactions;
  t.leader = L;
  t.threads = [];
  t.umask = p.umask;
  t.exePath = p.exePath;
  t.argv0 = p.argv0;
  t.comm = p.comm;
  t.sigmask = p.sigmask;
  t.startTicks = k.clock.now;
  t.context = k.machine.saveContext();
  t.pendingReturn = 0;
  const ctx = new DataView(t.context.buffer);
  if (stack) ctx.setBigUint64(4 * 8, BigInt(stack), true);
  if (flags & CLONE_SETTLS) ctx.setBigUint64(144, tls, true);
  if (flags & CLONE_PARENT_SETTID) p.mem.putU32(parentTid, t.pid);
  if (flags & CLONE_CHILD_SETTID) t.mem.putU32(childTid, t.pid);
  if (flags & CLONE_CHILD_CLEARTID) t.clearChildTid = childTid;
  L.threads.push(t);
  k.addThread(t);
  return t.pid;
}

// What Linux requires of a thread's flags: CLONE_THREAD needs CLONE_SIGHAND, which needs CLONE_VM.
function threadFlagsValid(flags: number): boolean {
  return !(flags & CLONE_THREAD && !(flags & CLONE_SIGHAND)) && !(flags & CLONE_SIGHAND && !(flags & CLONE_VM));
}

const fork: Handler = (k, p) => forkProcess(k, p);

// vfork (and clone with CLONE_VFORK): the parent sleeps until the child has exec'd or exited, so the
// child's syscalls come first, as on Linux. The child still gets a copy of memory, not a share.
function vforkWait(k: Kernel, p: Process, nr: number, start: () => number): number | typeof BLOCK {
  if (!p.block) p.block = { nr, data: start() };
  const pid = p.block.data as number;
  const c = k.processOf(pid);
  if (!c || c.state === "zombie" || c.execed) return pid;
  p.wakeAt = null;
  return BLOCK;
}
const vfork: Handler = (k, p, a) => vforkWait(k, p, a.nr, () => forkProcess(k, p));

const CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800, CLONE_VFORK = 0x4000,
  CLONE_THREAD = 0x10000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
  CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

// clone: a thread (CLONE_THREAD), or a process as fork (plus posix_spawn's CLONE_VM|CLONE_VFORK,
// run as a plain fork). CLONE_VM without CLONE_THREAD or CLONE_VFORK (a process sharing memory) is ENOSYS.
const clone: Handler = (k, p, a) => {
  const flags = a.u32(0);
  if (p.block) return vforkWait(k, p, a.nr, () => 0); // a CLONE_VFORK parent waiting for its child
  if (!threadFlagsValid(flags)) return -EINVAL;
  if (flags & CLONE_THREAD) return spawnThread(k, p, flags, a.u(1), a.big(4), a.u(2), a.u(3));
  if (flags & CLONE_VM && !(flags & CLONE_VFORK)) return -ENOSYS;
  const sp = a.u(1);
  const pid = forkProcess(k, p);
  const c = k.processOf(pid)!;
  if (sp) new DataView(c.context!.buffer).setBigUint64(4 * 8, BigInt(sp), true);
  if (flags & CLONE_SETTLS) new DataView(c.context!.buffer).setBigUint64(144, a.big(4), true);
  if (flags & CLONE_PARENT_SETTID) p.mem.putU32(a.u(2), pid);
  if (flags & CLONE_CHILD_SETTID) c.mem.putU32(a.u(3), pid);
  if (flags & CLONE_CHILD_CLEARTID) c.clearChildTid = a.u(3);
  if (flags & CLONE_VFORK) return vforkWait(k, p, a.nr, () => pid);
  return pid;
};

// clone3(struct clone_args *, size): the same as clone, with the stack given as base and size.
const clone3: Handler = (k, p, a) => {
  if (p.block) return vforkWait(k, p, a.nr, () => 0);
  const size = a.u(1);
  if (size < 64) return -EINVAL;
  const b = p.mem.readOrFault(a.u(0), 64);
  const dv = new DataView(b.buffer);
  const field = (i: number): number => Number(dv.getBigUint64(i * 8, true));
  const flags = field(0), childTid = field(2), parentTid = field(3), stack = field(5), stackSize = field(6);
  if (!threadFlagsValid(flags)) return -EINVAL;
  if (flags & CLONE_THREAD) {
    if (!stack || !stackSize) return -EINVAL;  // clone3 wants a thread's stack given
    return spawnThread(k, p, flags, stack + stackSize, dv.getBigUint64(56, true), parentTid, childTid);
  }
  if (flags & CLONE_VM && !(flags & CLONE_VFORK)) return -ENOSYS;
  const pid = forkProcess(k, p);
  const c = k.processOf(pid)!;
  const ctx = new DataView(c.context!.buffer);
  if (stack) ctx.setBigUint64(4 * 8, BigInt(stack + stackSize), true);
  if (flags & CLONE_SETTLS) ctx.setBigUint64(144, dv.getBigUint64(56, true), true);
  if (flags & CLONE_PARENT_SETTID) p.mem.putU32(parentTid, pid);
  if (flags & CLONE_CHILD_SETTID) c.mem.putU32(childTid, pid);
  if (flags & CLONE_CHILD_CLEARTID) c.clearChildTid = childTid;
  if (flags & CLONE_VFORK) return vforkWait(k, p, a.nr, () => pid);
  return pid;
};

function readStrings(p: Process, va: number): string[] {
  const out: string[] = [];
  if (va === 0) return out;
  for (let i = 0; ; i++) {
    if (i > 65536) throw new Errno(E2BIG);
    const ptr = p.mem.u64n(va + i * 8);
    if (ptr === 0) return out;
    const s = p.mem.readCString(ptr, 131072);
    if (s === null) throw new Errno(EFAULT);
    out.push(s);
  }
}

// execve: the new image is loaded into the process's leader, which a thread's exec leaves alone
// with it (Kernel.threadedExec); a failed exec changes nothing.
const execve: Handler = (k, p, a) => {
  const path = pathArg(p, a, 0);
  const argv = readStrings(p, a.u(1));
  const envp = readStrings(p, a.u(2));
  try {
    k.execInto(p.leader, path, argv, envp, false);
  } catch (e) {
    if (e instanceof ExecError) return -e.errno;
    throw e;
  }
  if (p !== p.leader || p.threads.length > 1) k.threadedExec(p);
  return 0;
};

const WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x1000000, __WALL = 0x40000000, __WCLONE = 0x80000000;

// The first matching child that is a zombie; undefined when children match but
// none has exited, null when none matches. A blocked wait4 asks again every
// time the scheduler looks at its process, so this allocates nothing.
function findZombie(p: Process, pid: number): Process | undefined | null {
  let any = false;
  for (const c of p.leader.children) {
    if (!(pid === -1 || pid === c.pid || (pid === 0 || pid < -1))) continue;
    if (c.state === "zombie") return c;
    any = true;
  }
  return any ? undefined : null;
}

const wait4: Handler = (k, p, a) => {
  const pid = a.int(0), statusVa = a.u(1), options = a.int(2), rusage = a.u(3);
  if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE)) return -EINVAL;
  const z = findZombie(p, pid);
  if (z === null) return -ECHILD;
  if (!z) {
    if (options & WNOHANG) return 0;
    p.wakeAt = null;
    return BLOCK;
  }
  if (statusVa) p.mem.putU32(statusVa, z.waitStatus);
  if (rusage) p.mem.writeOrFault(rusage, new Uint8Array(144));
  k.reap(z);
  return z.pid;
};

const P_ALL = 0, P_PID = 1, P_PGID = 2;
const waitid: Handler = (k, p, a) => {
  const idtype = a.int(0), id = a.int(1), infop = a.u(2), options = a.int(3);
  if (!(options & (WEXITED | WUNTRACED | WCONTINUED))) return -EINVAL;
  const pid = idtype === P_ALL ? -1 : idtype === P_PID ? id : idtype === P_PGID ? 0 : -2;
  if (pid === -2) return -EINVAL;
  const z = findZombie(p, pid);
  if (z === null) return -ECHILD;
  if (!z) {
    if (options & WNOHANG) { if (infop) p.mem.writeOrFault(infop, new Uint8Array(128)); return 0; }
    p.wakeAt = null;
    return BLOCK;
  }
  if (infop) {
    const si = new Uint8Array(128);
    const dv = new DataView(si.buffer);
    const sig = z.waitStatus & 0x7f;
    dv.setInt32(0, SIGCHLD, true);
    dv.setInt32(8, sig ? 2 /* CLD_KILLED */ : 1 /* CLD_EXITED */, true);
    dv.setInt32(16, z.pid, true);
    dv.setInt32(24, sig ? sig : (z.waitStatus >> 8) & 0xff, true);
    p.mem.writeOrFault(infop, si);
  }
  if (!(options & WNOWAIT)) k.reap(z);
  return 0;
};

const getpid: Handler = (_k, p) => p.tgid;
const gettid: Handler = (_k, p) => p.pid;
const getppid: Handler = (_k, p) => p.leader.parent?.pid ?? 0;
const zero: Handler = () => 0;

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004, ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;
const arch_prctl: Handler = (k, p, a) => {
  const code = a.int(0);
  const m = k.machine;
  switch (code) {
    case ARCH_SET_FS: if (a.u(1) >= 2 ** 47) return -1; m.fsBase = a.big(1); return 0;
    case ARCH_SET_GS: if (a.u(1) >= 2 ** 47) return -1; m.gsBase = a.big(1); return 0;
    case ARCH_GET_FS: p.mem.putU64(a.u(1), m.fsBase); return 0;
    case ARCH_GET_GS: p.mem.putU64(a.u(1), m.gsBase); return 0;
    case ARCH_GET_CPUID: return 1;
    case ARCH_SET_CPUID: return 0;
    default: return -EINVAL;
  }
};

const set_tid_address: Handler = (_k, p, a) => { p.clearChildTid = a.u(0); return p.pid; };
const set_robust_list: Handler = (_k, p, a) => { if (a.u(1) !== 24) return -EINVAL; p.robustList = a.u(0); return 0; };

// rseq is registered (as on this machine's kernel, which glibc 2.36 expects to succeed);
// the kernel writes cpu_id 0 once, and this single-CPU guest never migrates.
const rseq: Handler = (_k, p, a) => {
  const va = a.u(0), len = a.u32(1), flags = a.int(2);
  if (flags & 1) { if (p.rseq !== va) return -EINVAL; p.rseq = 0; return 0; } // unregister
  if (len < 32 || va % 32 !== 0) return -EINVAL;
  if (p.rseq) return p.rseq === va ? -16 /* EBUSY */ : -EINVAL;
  const b = new Uint8Array(8); // cpu_id_start = 0, cpu_id = 0
  p.mem.writeOrFault(va, b);
  p.rseq = va;
  return 0;
};

// sched_yield hands the CPU to the next runnable task (a spinning thread lets its lock's holder run).
const sched_yield: Handler = (k) => { k.yieldSlice(); return 0; };
const sched_getaffinity: Handler = (_k, p, a) => {
  const len = a.u(1);
  if (len < 8 || len % 8) return -EINVAL;
  const mask = new Uint8Array(8);
  mask[0] = 1; // CPU 0
  p.mem.writeOrFault(a.u(2), mask);
  return 8;
};
const sched_setaffinity: Handler = () => 0;
const getcpu: Handler = (_k, p, a) => { if (a.u(0)) p.mem.putU32(a.u(0), 0); if (a.u(1)) p.mem.putU32(a.u(1), 0); return 0; };

// Scheduling queries: one CPU, SCHED_OTHER, nice 0.
const PR_SET_PDEATHSIG = 1, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16;
const prctl: Handler = (_k, p, a) => {
  switch (a.int(0)) {
    case PR_SET_NAME: { const n = p.mem.readCString(a.u(1), 16); p.comm = (n ?? "").slice(0, 15); return 0; }
    case PR_GET_NAME: { const b = new Uint8Array(16); b.set(Buffer.from(p.comm).subarray(0, 15)); p.mem.writeOrFault(a.u(1), b); return 0; }
    case PR_SET_PDEATHSIG: case PR_SET_DUMPABLE: return 0;
    case PR_GET_DUMPABLE: return 1;
    default: return -EINVAL;
  }
};

const getpgid: Handler = (_k, p) => p.tgid;
const setsid: Handler = (_k, p) => p.tgid;

export const processCalls: Record<string, Handler> = {
  exit, exit_group, fork, vfork, clone, clone3, execve, wait4, waitid,
  getpid, gettid, getppid, getuid: zero, geteuid: zero, getgid: zero, getegid: zero,
  setuid: zero, setgid: zero, setreuid: zero, setregid: zero, setresuid: zero, setresgid: zero,
  getresuid: (_k, p, a) => { for (let i = 0; i < 3; i++) p.mem.putU32(a.u(i), 0); return 0; },
  getresgid: (_k, p, a) => { for (let i = 0; i < 3; i++) p.mem.putU32(a.u(i), 0); return 0; },
  getgroups: () => 0, setgroups: zero,
  getpgrp: getpgid, getpgid, setpgid: zero, getsid: getpgid, setsid,
  arch_prctl, set_tid_address, set_robust_list, rseq, sched_yield, sched_getaffinity,
  sched_setaffinity, getcpu, prctl,
  sched_getscheduler: () => 0, sched_setscheduler: () => 0, sched_get_priority_max: () => 0, sched_get_priority_min: () => 0,
  sched_getparam: (_k, p, a) => { p.mem.putU32(a.u(1), 0); return 0; }, sched_setparam: () => 0,
  getpriority: () => 20, setpriority: () => 0,
};
export { ENOMEM };
