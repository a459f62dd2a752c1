// A process: its memory, open files, working directory, signal state, and
// where it stands with the scheduler. One thread per process (no CLONE_THREAD).
import { MemoryMap } from "../mm/mm.js";
import { UserMemory } from "../mm/uaccess.js";
import type { OpenFile } from "../fs/file.js";
import type { DirInode } from "../fs/inode.js";
import type { SigAction } from "../signal/signals.js";
import type { SysArgs } from "../syscalls/args.js";

export interface FdEntry { file: OpenFile; cloexec: boolean }

export type ProcState = "runnable" | "blocked" | "zombie";

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
  clearChildTid = 0;
  robustList = 0;
  rseq = 0;
  sigactions: SigAction[] = [];
  sigmask = 0n;
  sigpending = 0n;
  altstack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
  // Blocking-call bookkeeping: per-call state kept across retries, and when to retry. `abort`
  // undoes what the call did before it blocked, when a signal interrupts it or kills the process.
  block: { nr: number; deadline?: number; data?: unknown; abort?: () => void } | null = null;
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
