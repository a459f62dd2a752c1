// A task, as Linux's task_struct: a thread the scheduler runs, with its CPU context, blocked
// call, signal mask and pending signals, and clear_child_tid/robust list. The threads of one
// process (CLONE_THREAD) share its leader's memory map (one CR3), fd table and signal
// actions by reference; `leader` is the thread group's first task, whose pid is the
// process id (tgid), and the one its parent sees (children, wait status, SIGCHLD).
import { MemoryMap } from "../mm/mm.js";
import { UserMemory } from "../mm/uaccess.js";
import type { OpenFile } from "../fs/file.js";
import type { DirInode } from "../fs/inode.js";
import type { SigAction } from "../signal/signals.js";
import type { SysArgs } from "../syscalls/args.js";

export interface FdEntry { file: OpenFile; cloexec: boolean }

// "exited": a thread that has ended while others of its process run on (the process is not
// a zombie until its last thread ends).
export type ProcState = "runnable" | "blocked" | "zombie" | "exited";

export const MAX_FDS = 1024;

export class Process {
  mm: MemoryMap;
  mem: UserMemory;
  fds: Array<FdEntry | undefined> = [];
  cwd: DirInode;
  umask = 0o022;
  state: ProcState = "runnable";
  context: Uint8Array | null = null;   // saved CPU state while not on the CPU
  // Set when the process sits in the kernel and must leave it through SYSRET
  // with this RAX when next scheduled (a fork child, a woken sleeper).
  pendingReturn: number | null = null;
  waitStatus = 0;                      // wait4 status once a zombie
  children: Process[] = [];
  exePath = "";
  execed = false;
  comm = "";                           // prctl(PR_SET_NAME)                      // has called execve since fork (ends a vfork parent's wait)
  argv0 = "";
  // Where execve put the argv and environment strings in this process's memory (/proc/self/cmdline, environ).
  strings = { argStart: 0, argEnd: 0, envEnd: 0 };
  clearChildTid = 0;
  robustList = 0;
  rseq = 0;
  sigactions: SigAction[] = [];
  sigmask = 0n;
  sigpending = 0n;                     // this thread's (tgkill, a fault)
  // The process's (kill, SIGCHLD, a timer) while every thread blocks them: on the leader only, taken by
  // whichever thread unblocks one first, and pending in each (Linux's signal->shared_pending).
  sharedPending = 0n;
  altstack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
  // Blocking-call bookkeeping: per-call state kept across retries, and when to retry. `abort`
  // undoes what the call did before it blocked, when a signal interrupts it or kills the process;
  // `interrupted` says what a signal makes of the call (a -errno, or ERESTARTSYS/ERESTARTNOINTR,
  // syscalls/types.ts) where that is not EINTR (or, for the calls SA_RESTART restarts, ERESTARTSYS).
  block: { nr: number; deadline?: number; data?: unknown; abort?: () => void; interrupted?: () => number } | null = null;
  // poll and select begin a block record on every call (tens of thousands a flight): they reuse this
  // one. Only p.block refers to it, and it is cleared when the call completes.
  private pollBlock: { nr: number; deadline?: number; data?: unknown } = { nr: 0, deadline: undefined, data: undefined };
  beginPollBlock(nr: number, deadline: number | undefined): { nr: number; deadline?: number; data?: unknown } {
    const b = this.pollBlock;
    b.nr = nr; b.deadline = deadline; b.data = undefined;
    return (this.block = b);
  }
  wakeAt: number | null = null;
  blockedArgs: SysArgs | null = null;  // the blocked call's arguments, for its retries
  restartSyscall = false;              // re-issue the interrupted call after the handler (SA_RESTART)
  restoreMask: bigint | null = null;   // rt_sigsuspend: the mask to restore once a signal was taken
  alarmAt: number | null = null;       // ITIMER_REAL expiry (virtual ns), and its reload interval
  alarmInterval = 0;
  faultInfo: { sig: number; code: number; addr: bigint } | null = null; // siginfo of a synchronous fault
  // Instructions the core retired for this process (user time, in ticks), and when it started.
  userTicks = 0;
  startTicks = 0;

  // The thread group: the leader, and on the leader its live threads (itself included).
  leader: Process = this;
  threads: Process[] = [this];
  get tgid(): number { return this.leader.pid; }
  // A futex wait's queue entry while this task sleeps in a futex call (syscalls/futex.ts): `pi` on a
  // PI lock's queue (LOCK_PI, or requeued there), `requeuePi` the PI futex a WAIT_REQUEUE_PI waiter
  // still on its first word is to be moved to.
  futexWait: { key: string; bitset: number; woken: boolean; pi?: boolean; requeuePi?: number } | null = null;

  constructor(readonly pid: number, public parent: Process | null, mm: MemoryMap, cwd: DirInode) {
    this.mm = mm;
    this.mem = new UserMemory(mm);
    this.cwd = cwd;
  }

  setMemory(mm: MemoryMap): void {
    this.mm = mm;
    this.mem = new UserMemory(mm);
  }

  get cr3(): number { return this.mm.cr3; }

  // The working directory and umask are the process's (CLONE_FS, which glibc's threads all have):
  // chdir, fchdir and umask in one thread set them for every thread.
  setCwd(d: DirInode): void { this.cwd = d; this.leader.cwd = d; for (const t of this.leader.threads) t.cwd = d; }
  setUmask(m: number): void { this.umask = m; this.leader.umask = m; for (const t of this.leader.threads) t.umask = m; }

  allocFd(file: OpenFile, cloexec: boolean, min = 0): number {
    for (let fd = min; fd < MAX_FDS; fd++) {
      if (!this.fds[fd]) { this.fds[fd] = { file, cloexec }; return fd; }
    }
    return -24; // EMFILE
  }

  getFile(fd: number): OpenFile | undefined {
    return fd >= 0 && fd < this.fds.length ? this.fds[fd]?.file : undefined;
  }

  closeFd(fd: number): boolean {
    const e = fd >= 0 ? this.fds[fd] : undefined;
    if (!e) return false;
    this.fds[fd] = undefined;
    e.file.unref();
    return true;
  }

  closeAll(): void {
    for (let fd = 0; fd < this.fds.length; fd++) if (this.fds[fd]) this.closeFd(fd);
  }
}
