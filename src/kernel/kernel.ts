// The user-mode Linux kernel: it owns the machine, the processes and the file
// system, runs processes in deterministic round-robin slices, and handles every
// exit of the core (syscalls, demand-paging faults, fatal faults).
import { Machine } from "../machine/machine.js";
import { Exit, EXIT_NAMES, S_CPL, S_FPU_SW, S_FPU_CW } from "../machine/layout.js";
import { PhysMem } from "../machine/physmem.js";
import { syscallName, SYSCALL_NUMBERS } from "../linux/syscall-numbers.js";
import type { SerialEndpoint } from "../serial/endpoint.js";
import { Clock, clampNs } from "./clock.js";
import { Random } from "./random.js";
import { Vfs } from "./fs/vfs.js";
import { DirInode, FileInode, resetInodeNumbers } from "./fs/inode.js";
import { OpenFile, O_RDONLY, O_WRONLY, BLOCK } from "./fs/file.js";
import { HostStdio, hostStdio, stdioOps } from "./fs/devices.js";
import { populateDev } from "./fs/devtree.js";
import { populateProc } from "./fs/procfs.js";
import { futexWake, exitRobustList } from "./syscalls/futex.js";
import { Process } from "./process/process.js";
import { MemoryMap } from "./mm/mm.js";
import { parseElf, ExecError } from "./elf/parse.js";
import { loadImage, loadInterpreter, buildStack } from "./elf/load.js";
import { findInterpreter } from "./elf/interpreter.js";
import { isScript, parseShebang, SCRIPT_DEPTH } from "./elf/script.js";
import { sysrootDir } from "./fs/host-import.js";
import type { HostTree } from "./fs/host-tree.js";
import { LoadedFiles } from "./fs/loaded-files.js";
import { mapVdso } from "./vdso/map.js";
import { drainRing, type RingSink } from "../machine/trace-ring.js";
import { Probes, ProbeError, type ImageProbes } from "./probes.js";
import { SysArgs } from "./syscalls/args.js";
import { NORETURN, SysResult, ERESTARTSYS, ERESTARTNOINTR } from "./syscalls/types.js";
import { SYSCALL_TABLE } from "./syscalls/table.js";
import { Errno, ENOSYS, ENOENT, EACCES, EISDIR, ELOOP } from "./errno.js";
import { SIGILL, SIGKILL, SIGCHLD, SIGALRM, SIG_IGN, SA_RESTART, signalName, defaultIgnored, bit, NSIG } from "./signal/signals.js";
import { deliverPending } from "./signal/deliver.js";
import { faultOf, noteTrap } from "./signal/fault.js";
import { StraceFormatter } from "./strace/format.js";
import { makeTiming, IDEAL_SYSCALL_NS, type Timing, type TimingOptions } from "./timing/model.js";

const NO_SUCH_FILE = "no such file in the guest file system";

// Virtual nanoseconds the ideal timing model spends per syscall (entry, work, exit): a fixed
// cost, so the clock moves between SYSCALL and SYSRET. The realistic model draws each call's
// time from measured distributions instead (src/kernel/timing, docs/timing.md).
export const SYSCALL_COST_NS = BigInt(IDEAL_SYSCALL_NS);
// Instructions per scheduling slice (200 µs of virtual time).
export const SLICE = 200_000;

export interface KernelOptions {
  seed?: number | bigint;
  stdio?: HostStdio;
  serial?: SerialEndpoint | null;
  // The trace: every SYSCALL/SYSRET record, in order, as the core's ring holds them. Called
  // after every run() with the ring's words and the record count (src/machine/trace-ring.ts
  // reads them; src/dataset's writers and the flight recorder are such sinks).
  trace?: RingSink;
  // strace-like lines.
  strace?: (line: string) => void;
  // Diagnostics for the user (unhandled syscalls, fatal faults); stderr by default.
  report?: (line: string) => void;
  // An instance to reuse (a worker keeps one across flights): the kernel resets
  // it to the state of a new one first. Without it the kernel makes its own.
  machine?: Machine;
  // What a machine adds to the retired instructions (src/kernel/timing): "ideal" (the default:
  // 200 ns per syscall, nothing else) or "realistic" with its seed.
  timing?: TimingOptions;
  // Code probes on functions of program images, by symbol (src/kernel/probes.ts): each handler
  // runs whenever a process of that image reaches its function, invisibly to the guest.
  probes?: ImageProbes[];
  // A host folder shown read-only as the guest's / (dynamically linked programs find their
  // loader and libraries there); the kernel's own /dev, /proc, /sys and /tmp hide its.
  sysroot?: string;
}

export interface RunResult {
  status: number;          // exit code of the first process, or 128+signal
  waitStatus: number;      // as wait4 reports it
  signal?: number;
  ticks: bigint;
  message?: string;        // the one-line reason when killed by a signal
  timedOut?: boolean;      // stopped at maxTicks with the first process still alive
}

export class KernelPanic extends Error {}

// One thread per process (no CLONE_THREAD yet): a thread's id is its process's pid.
const threadId = (p: Process): number => p.pid;

export class Kernel {
  readonly machine: Machine;
  readonly phys: PhysMem;
  readonly clock: Clock;
  readonly rng: Random;
  readonly timing: Timing;
  readonly vfs: Vfs;
  // Files the guest loaded from the host (sysroot, --fs, the program): fs/loaded-files.ts.
  readonly loaded = new LoadedFiles();
  readonly hostTree: HostTree = { loaded: this.loaded };
  readonly procs = new Map<number, Process>();
  readonly args = new SysArgs();
  readonly stdio: HostStdio;
  serial: SerialEndpoint | null;
  init: Process | null = null;
  current: Process | null = null;   // whose context is in the machine
  private order: Process[] = [];    // round-robin order
  private rr = 0;
  private nextPid = 1;
  private reported = new Set<number>();
  private straceFmt: StraceFormatter | null;
  private readonly probes: Probes | null;
  private manyProcs = false;
  private yielded = false;
  // futex wait queues by address space and address (syscalls/futex.ts).
  readonly futexQueues = new Map<string, Process[]>();
  fatalMessage?: string;
  hostname = "skytrace";

  constructor(readonly opts: KernelOptions = {}) {
    resetInodeNumbers();
    this.vfs = new Vfs(opts.sysroot ? sysrootDir(this.hostTree, opts.sysroot) : undefined);
    if (opts.machine) opts.machine.claim(); // reset unless new (or reset and unused since)
    this.machine = opts.machine ?? new Machine();
    this.phys = this.machine.phys;
    this.clock = new Clock(this.machine);
    this.rng = new Random(opts.seed ?? 0);
    this.timing = makeTiming(opts.timing);
    this.stdio = opts.stdio ?? hostStdio();
    this.serial = opts.serial ?? null;
    this.straceFmt = opts.strace ? new StraceFormatter(this) : null;
    this.probes = opts.probes?.length ? new Probes(opts.probes, this.machine) : null;
    this.machine.efer = 0xd01n; // SCE | LME | LMA | NXE
    this.machine.traceOn = !!opts.trace;
    this.vfs.shadow("/tmp", 0o1777);
    this.vfs.shadow("/proc");
    this.vfs.mkdirp("/proc/self");
    this.vfs.mkdirp("/etc");
    this.vfs.shadow("/dev");
    this.vfs.shadow("/sys");
    populateDev(this);
    populateProc(this);
    this.vfs.dynamicLink = (path) => (path === "/proc/self/exe" && this.current ? this.current.exePath : undefined);
  }

  report(line: string): void {
    if (this.opts.report) this.opts.report(line);
    else process.stderr.write(line + "\n");
  }

  // Place the program file itself into the guest file system at its path.
  installProgram(guestPath: string, bytes: Uint8Array): void {
    this.vfs.addFile(guestPath, bytes, 0o755);
  }

  // Create the first process (pid 1 in this kernel) running `path`.
  spawn(path: string, argv: string[], envp: string[], cwd: DirInode = this.vfs.root): Process {
    const mm = new MemoryMap(this.phys);
    const p = new Process(this.nextPid++, null, mm, cwd);
    p.startTicks = this.clock.now;
    for (const i of [0, 1, 2] as const) {
      const f = new OpenFile(stdioOps(this.stdio, i), i === 0 ? O_RDONLY : O_WRONLY, undefined, `stdio${i}`);
      // fstat shows what the host's own fd is, so glibc picks the same buffering as natively.
      f.statMode = STDIO_MODES[this.stdio.kind(i)];
      f.statIno = 3 + i;
      // A pty's major (136) marks a terminal for glibc; otherwise /dev/null's (1, 3).
      f.statRdev = this.stdio.kind(i) === "tty" ? (136 << 8) : this.stdio.kind(i) === "char" ? (1 << 8) | 3 : 0;
      p.fds[i] = { file: f, cloexec: false };
    }
    this.procs.set(p.pid, p);
    this.order.push(p);
    this.init = p;
    this.execInto(p, path, argv, envp, true);
    this.straceFmt?.firstExec(p, path, argv, envp.length);
    return p;
  }

  // Replace p's image with the program at `path` (execve). Throws ExecError or Errno.
  // `script`: set when `path` is a script's interpreter (elf/script.ts): the name the process
  // takes (comm) and AT_EXECFN stay the script's, as on Linux.
  execInto(p: Process, path: string, argv: string[], envp: string[], fresh: boolean, script?: { path: string; comm: string; depth: number }): void {
    let r;
    try { r = this.vfs.resolve(p.cwd, path, true); } catch (e) {
      if (e instanceof Errno && e.errno === ENOENT) throw new ExecError(`${path}: ${NO_SUCH_FILE}`, ENOENT);
      throw e;
    }
    if (r.inode instanceof DirInode) throw new ExecError(`${path}: is a directory`, EISDIR);
    if (!(r.inode instanceof FileInode)) throw new ExecError(`${path}: not a regular file`, EACCES);
    if (!(r.inode.mode & 0o111)) throw new ExecError(`${path}: permission denied (not executable)`, EACCES);
    const file = r.inode.contents();
    if (isScript(file)) {
      const depth = (script?.depth ?? 0) + 1;
      if (depth > SCRIPT_DEPTH) throw new ExecError(`${script?.path ?? path}: #! interpreters nest more than ${SCRIPT_DEPTH} deep`, ELOOP);
      const sh = parseShebang(file, path);
      const args = [sh.interpreter, ...(sh.arg === undefined ? [] : [sh.arg]), path, ...argv.slice(1)];
      try {
        this.execInto(p, sh.interpreter, args, envp, fresh, { path: script?.path ?? path, comm: script?.comm ?? r.name, depth });
      } catch (e) {
        if (e instanceof ExecError && e.message === `${sh.interpreter}: ${NO_SUCH_FILE}`) throw new ExecError(`${path}: its interpreter ${sh.interpreter} is not in the guest file system`, ENOENT);
        throw e;
      }
      return;
    }
    const img = parseElf(file, path);
    // The canonical path, as /proc/self/exe shows it.
    const exePath = this.vfs.pathOf(r.parent).replace(/\/$/, "") + "/" + r.name;
    const interp = img.interp === undefined ? null : findInterpreter(this.vfs, p.cwd, path, img.interp, !!this.opts.sysroot);
    const mm = new MemoryMap(this.phys);
    const mem = new (p.mem.constructor as typeof import("./mm/uaccess.js").UserMemory)(mm);
    let entry: number, sp: number, bias: number, strings: { argStart: number; argEnd: number; envEnd: number };
    try {
      const li = loadImage(mm, file, img, exePath);
      bias = li.bias;
      // A dynamically linked program starts in its loader, told where the program is (AT_PHDR, AT_ENTRY, AT_BASE).
      const ld = interp ? loadInterpreter(mm, interp.file, interp.img, interp.path) : null;
      entry = ld ? ld.entry : li.entry;
      const vdso = mapVdso(mm);
      const st = buildStack(mm, mem, { argv, envp, execfn: script?.path ?? path, img, entry: li.entry, phdr: li.phdr, rng: this.rng, vdso, base: ld?.base ?? 0 });
      sp = st.sp;
      strings = st;
    } catch (e) {
      mm.destroy();
      if (e instanceof Error && e.message.includes("out of guest physical memory")) throw new ExecError(`${path}: out of guest memory`, 12);
      throw e;
    }
    const old = fresh ? null : p.mm;
    p.setMemory(mm);
    old?.destroy();
    p.exePath = exePath;
    p.argv0 = argv[0] ?? path;
    p.strings = { argStart: strings.argStart, argEnd: strings.argEnd, envEnd: strings.envEnd };
    p.comm = (script?.comm ?? r.name).slice(0, 15);
    p.execed = true;
    this.probes?.exec(p, p.exePath, file, bias);
    // close-on-exec fds, reset handled signals to default.
    for (let fd = 0; fd < p.fds.length; fd++) if (p.fds[fd]?.cloexec) p.closeFd(fd);
    p.sigactions = p.sigactions.map((a) => (a && a.handler !== SIG_IGN ? { handler: 0n, flags: 0, restorer: 0n, mask: 0n } : a));
    p.clearChildTid = 0; p.robustList = 0; p.rseq = 0;
    // Fresh CPU state: everything zero but RSP and RIP.
    const m = this.machine;
    if (this.current && this.current !== p) this.saveCurrent();
    this.current = p;
    m.tid = threadId(p);
    m.cr3 = mm.cr3;
    for (let i = 0; i < 16; i++) m.setGpr(i, 0n);
    m.setGpr(4, BigInt(sp));
    m.fsBase = 0n; m.gsBase = 0n;
    m.mxcsr = 0x1f80;
    m.rflags = 0x202n;
    if (fresh) { m.rip = BigInt(entry); this.setUserMode(); }
    else { m.setGpr(1, BigInt(entry)); m.setGpr(11, 0x202n); }  // leave through SYSRET
    m.flushSpace();   // a new space: the other spaces' decoded code stays
  }

  private setUserMode(): void {
    this.machine.stateView.setUint32(S_CPL, 3, true);
  }

  private saveCurrent(): void {
    if (this.current && this.current.state !== "zombie" && this.current.state !== "exited") this.current.context = this.machine.saveContext();
  }

  // Put p's context on the CPU; trace records made from now on carry its thread id.
  switchTo(p: Process): void {
    if (this.current === p) return;
    this.saveCurrent();
    this.machine.restoreContext(p.context!);
    this.machine.tid = threadId(p);
    this.current = p;
  }

  newPid(): number { return this.nextPid++; }

  private pipeIno = 100000;
  nextPipeIno(): number { return this.pipeIno++; }

  addProcess(p: Process): void {
    this.procs.set(p.pid, p);
    this.order.push(p);
    this.manyProcs = true;
    if (this.probes && p.parent) this.probes.fork(p.parent, p);
  }

  // A new thread of a process (syscalls/process.ts's spawnThread): scheduled as a process is.
  addThread(t: Process): void {
    this.procs.set(t.pid, t);
    this.order.push(t);
    this.manyProcs = true;
  }

  // sched_yield: the current task's slice ends when another thread of its process could run.
  yieldSlice(): void {
    if (this.current && this.current.leader.threads.length > 1) this.yielded = true;
  }

  get multiProcess(): boolean { return this.manyProcs; }

  // Run until the first process exits. Returns how it ended.
  run(maxTicks?: bigint): RunResult {
    const limit = maxTicks === undefined ? null : clampNs(maxTicks);
    try {
      while (this.init && this.init.state !== "zombie") {
        if (limit !== null && this.clock.now >= limit) break;
        if (!this.scheduleOnce()) this.idle();
      }
    } finally {
      this.flushTrace();
    }
    const init = this.init!;
    if (init.state !== "zombie") return { status: 124, waitStatus: 0, ticks: this.clock.nowBig, timedOut: true, message: `stopped at the virtual time limit (${this.clock.now} ns)` };
    const ws = init.waitStatus;
    const sig = ws & 0x7f;
    return {
      status: sig ? 128 + sig : (ws >> 8) & 0xff,
      waitStatus: ws,
      signal: sig || undefined,
      ticks: this.clock.nowBig,
      message: this.fatalMessage,
    };
  }

  // One round-robin step: run the next process that can make progress. False when none could.
  private scheduleOnce(): boolean {
    const n = this.order.length;
    for (let k = 0; k < n; k++) {
      const p = this.order[(this.rr + k) % n];
      if (p.state === "zombie" || p.state === "exited") continue;
      if (p.state === "blocked" && !this.retry(p)) continue;
      this.rr = (this.rr + k + 1) % n;
      this.runSlice(p);
      this.compact();
      return true;
    }
    return false;
  }

  private compact(): void {
    if (this.order.some((p) => p.state === "zombie" || p.state === "exited")) {
      const cur = this.order[this.rr];
      this.order = this.order.filter((p) => p.state !== "zombie" && p.state !== "exited");
      const i = cur ? this.order.indexOf(cur) : -1;
      this.rr = i >= 0 ? i : 0;
    }
  }

  // Interval timers (alarm, setitimer ITIMER_REAL): the earliest expiry of any process.
  nextTimer: number | null = null;

  recomputeTimers(): void {
    let t: number | null = null;
    for (const q of this.order) if (q.state !== "zombie" && q.alarmAt !== null && (t === null || q.alarmAt < t)) t = q.alarmAt;
    this.nextTimer = t;
  }

  private fireTimers(): void {
    const now = this.clock.now;
    for (const q of [...this.order]) {
      if (q.state === "zombie" || q.alarmAt === null || q.alarmAt > now) continue;
      q.alarmAt = q.alarmInterval > 0 ? q.alarmAt + q.alarmInterval : null;
      this.raise(q, SIGALRM);
    }
    this.recomputeTimers();
  }

  // Everybody is blocked: let virtual time pass to the earliest wake-up.
  private idle(): void {
    let t: number | null = this.nextTimer;
    for (const p of this.order) {
      if (p.state === "blocked" && p.wakeAt !== null && (t === null || p.wakeAt < t)) t = p.wakeAt;
    }
    if (t === null) {
      const who = this.order.filter((p) => p.state === "blocked").map((p) => `pid ${p.pid} in ${syscallName(p.block?.nr ?? -1)}`);
      throw new KernelPanic(`deadlock: every process is blocked forever (${who.join(", ")})`);
    }
    this.clock.now = t > this.clock.now ? t : this.clock.now + 1;
    this.timing.idle(this.clock.now);
    if (this.nextTimer !== null && this.clock.now >= this.nextTimer) this.fireTimers();
  }

  // Re-run a blocked process's syscall; true when it completed and the process may run.
  private retry(p: Process): boolean {
    return this.dispatch(p, true);
  }

  private runSlice(p: Process): void {
    this.clock.advance(this.timing.enter(p.pid, this.clock.now));
    this.switchTo(p);
    const m = this.machine;
    if (p.pendingReturn !== null) {
      const r = p.pendingReturn;
      p.pendingReturn = null;
      this.finishSyscall(p, r, 0, this.timing.syscall(-1, this.clock.now)); // a fork child's return
    } else if (deliverable(p)) {
      deliverPending(this, p, false);
    }
    const sliceEnd = this.clock.now + SLICE;
    this.yielded = false;
    while (p.state === "runnable" && this.current === p && !this.yielded) {
      this.clock.advance(this.timing.ticksDue(this.clock.now)); // user code stopped at a timer interrupt
      let left = sliceEnd - this.clock.now;
      if (this.nextTimer !== null && this.nextTimer - this.clock.now < left) left = this.nextTimer - this.clock.now;
      const toTick = this.timing.untilTick(this.clock.now);
      if (toTick < left) left = toTick;
      if (left <= 0) {
        if (this.nextTimer !== null && this.clock.now >= this.nextTimer) { this.fireTimers(); if (deliverable(p)) deliverPending(this, p, false); continue; }
        break;
      }
      this.setUserMode();
      const before = this.clock.now;
      const exit = m.run(left);
      p.userTicks += this.clock.now - before;   // what the core retired for p (the host adds its own time outside run())
      if (this.tracing) this.flushTrace();
      if (this.nextTimer !== null && this.clock.now >= this.nextTimer) {
        this.fireTimers();
        if (exit !== Exit.Syscall && p.state === "runnable" && deliverable(p)) deliverPending(this, p, false);
        if (p.state !== "runnable" || this.current !== p) break; // the timer's signal ended it
      }
      if (exit === Exit.Budget) { if (this.timing.untilTick(this.clock.now) <= 0) continue; break; }
      if (exit === Exit.Syscall) { this.dispatch(p, false); continue; }
      // A code probe (only when the caller set some): its handler, then on from the same instruction.
      if (exit === Exit.Probe) { this.probes!.hit(p.leader, threadId(p)); continue; }
      this.handleFault(p, exit);
    }
  }

  // Handle the syscall in p's registers. Returns true when it completed (not blocked).
  // A retry runs on the arguments saved when the call blocked, without a context switch: blocking
  // handlers touch only their process's memory (through its own page tables) and kernel state.
  private dispatch(p: Process, retrying: boolean): boolean {
    let a = this.args;
    if (retrying) a = p.blockedArgs!;
    else a.load(this.machine.stateWords);
    const h = a.nr >= 0 && a.nr < SYSCALL_TABLE.length ? SYSCALL_TABLE[a.nr] : undefined;
    let r: SysResult;
    if (!h) {
      if (!this.reported.has(a.nr)) {
        this.reported.add(a.nr);
        this.report(`skytrace: unhandled syscall ${syscallName(a.nr)} (${a.nr}); returning ENOSYS`);
      }
      r = -ENOSYS;
    } else {
      try { r = h(this, p, a); } catch (e) {
        if (e instanceof Errno) r = -e.errno;
        else if (e instanceof RangeError || isOutOfMemory(e)) r = -12; // ENOMEM: guest or host memory ran out
        else if (e instanceof KernelPanic || e instanceof ExecError || e instanceof ProbeError) throw e;
        else throw new KernelPanic(`kernel bug in ${syscallName(a.nr)}: ${(e as Error).message ?? e}`);
      }
      // A call that still cannot complete is interrupted by a deliverable signal: EINTR, or with
      // SA_RESTART re-issued after the handler (Linux's -ERESTARTSYS).
      if (r === BLOCK && retrying && deliverable(p)) {
        const b = p.block;
        r = b?.interrupted ? b.interrupted() : RESTARTABLE.has(a.nr) ? ERESTARTSYS : -4;
        b?.abort?.();
        if (r === ERESTARTNOINTR || (r === ERESTARTSYS && restartRequested(p))) p.restartSyscall = true;
        if (r === ERESTARTNOINTR || r === ERESTARTSYS) r = -4;
      }
    }
    if (r === BLOCK) {
      if (!p.block) p.block = { nr: a.nr };
      if (!retrying) { p.state = "blocked"; p.blockedArgs = a.copy(p.blockedArgs ?? undefined); this.straceFmt?.blocked(p, a); }
      return false;
    }
    if (retrying && p.state !== "zombie" && p.state !== "exited") this.switchTo(p);
    p.state = p.state === "blocked" ? "runnable" : p.state;
    p.block = null;
    p.wakeAt = null;
    if (r === NORETURN) { this.straceFmt?.noreturn(p, a); return true; }
    this.straceFmt?.done(p, a, r);
    const now = this.clock.now;
    this.finishSyscall(p, r, a.nr, retrying ? this.timing.wake(a.nr, r, now) : this.timing.syscall(a.nr, now));
    return true;
  }

  // Leave the kernel: charge the syscall's time (`cost` ns, from the timing model), set RAX,
  // SYSRET, then act on pending signals.
  private finishSyscall(p: Process, r: number, nr: number, cost: number): void {
    const m = this.machine;
    this.clock.advance(cost);
    const regs = m.stateWords; // RAX as two 32-bit halves
    regs[0] = r >>> 0;
    regs[1] = r < 0 ? 0xffffffff : Math.floor(r / 4294967296);
    if (p.restartSyscall) {
      // Resume at the SYSCALL instruction itself with the syscall number back in RAX.
      p.restartSyscall = false;
      regs[0] = nr;
      regs[1] = 0;
      m.setGpr(1, m.gpr(1) - 2n);
    }
    // Signals are acted on before the return to user mode: a fatal one means no SYSRET,
    // a handler frame returns through IRET (no SYSRET record either), as on Linux.
    const delivered = deliverable(p) ? deliverPending(this, p, true) : "none";
    if (p.restoreMask !== null) { p.sigmask = p.restoreMask; p.restoreMask = null; } // sigsuspend's mask ends
    if (delivered !== "none") return;
    m.sysret();
  }

  private handleFault(p: Process, exit: Exit): void {
    const m = this.machine;
    const e = m.exit();
    if (exit === Exit.PageFault) {
      const va = Number(e.addr);
      try {
        if (e.addr < 2n ** 47n && p.mm.handleFault(va, (e.error & 2) !== 0, (e.error & 16) !== 0, (e.error & 1) !== 0)) {
          this.clock.advance(this.timing.fault(this.clock.now));
          return;
        }
      } catch (err) {
        if (!isOutOfMemory(err)) throw err;
        // The OOM killer's choice is easy: the process that wanted the page.
        this.report(`skytrace: ${p.argv0}: out of guest memory at 0x${e.addr.toString(16)}; killed (SIGKILL)`);
        if (p.leader === this.init) this.fatalMessage = "out of guest memory";
        this.terminate(p, SIGKILL);
        return;
      }
    }
    if (exit === Exit.Unimplemented) {
      const op = e.opcode;
      const name = op >= 0x100 ? `0F ${hex2(op & 0xff)}` : hex2(op);
      this.fatal(p, SIGILL, `emulator gap: instruction not implemented by the core (opcode ${op > 0xffff ? op.toString(16) : name})`, e.rip);
      return;
    }
    // The signal, siginfo and trap state Linux gives this exception (signal/fault.ts).
    const mapped = (va: bigint): boolean => p.mm.find(Number(va)) !== undefined;
    const fpu = () => ({ fsw: m.stateView.getUint16(S_FPU_SW, true), fcw: m.stateView.getUint16(S_FPU_CW, true), mxcsr: m.mxcsr });
    const f = faultOf(exit, e, m.rip, mapped, fpu);
    if (!f) { this.fatal(p, SIGILL, `unexpected exit ${EXIT_NAMES[exit] ?? exit}`, e.rip); return; }
    noteTrap(p, f);
    this.fatal(p, f.sig, f.what, e.rip, f.code, f.addr);
  }

  // A synchronous fault: the process's handler runs if it has one and the signal is not blocked
  // (returning re-runs the faulting instruction, as on Linux); otherwise the process dies.
  private fatal(p: Process, sig: number, what: string, rip: bigint, code = 0, addr = 0n): void {
    const act = p.sigactions[sig];
    if (act && act.handler > 1n && !(p.sigmask & bit(sig)) && !what.startsWith("emulator gap")) {
      p.faultInfo = { sig, code, addr };
      p.sigpending |= bit(sig);
      deliverPending(this, p, false);
      return;
    }
    const bytes = p.mem.read(Number(rip), 15) ?? p.mem.read(Number(rip), 1);
    const hex = bytes ? [...bytes].map(hex2).join(" ") : "(unreadable)";
    const msg = `skytrace: ${p.argv0}: killed by ${signalName(sig)}: ${what}, rip 0x${rip.toString(16)}, bytes ${hex}`;
    // A child's crash is its parent's business (as on Linux), unless it is an emulator gap.
    if (p.leader === this.init || what.startsWith("emulator gap")) this.report(msg);
    if (p.leader === this.init) this.fatalMessage = msg;
    p.faultInfo = { sig, code, addr };
    this.straceSignal(p, sig);
    this.terminate(p, sig);
  }

  // End one thread (exit): its clear_child_tid word is zeroed and its futex woken (pthread_join
  // waits there); the process ends with its last thread, with this status.
  exitThread(t: Process, waitStatus: number): void {
    const L = t.leader;
    if (L.threads.length <= 1) { this.terminate(t, waitStatus); return; }
    this.endThread(t);
    L.threads = L.threads.filter((x) => x !== t);
  }

  // A thread leaves the scheduler; its process goes on. The leader stays in the process table
  // (its pid is the process's) until the process ends.
  private endThread(t: Process): void {
    if (t.state === "blocked") { t.block?.abort?.(); t.block = null; }
    t.state = "exited";
    exitRobustList(this, t);
    if (t.clearChildTid) {
      try { t.mem.putU32(t.clearChildTid, 0); futexWake(this, t, t.clearChildTid, 1); } catch { /* an unmapped word: nothing to clear */ }
      t.clearChildTid = 0;
    }
    if (t !== t.leader) this.procs.delete(t.pid);
    if (this.current === t) this.current = null;
  }

  // execve in a process with threads, once the new image is in place (Linux's de_thread): the
  // other threads end (their memory went with the old image: nothing is written to it) and the
  // process goes on as its leader, one thread whose tid is the pid, with the caller's signal mask
  // and pending signals. The image was loaded into the leader, so a caller that is another thread
  // ends too, and its SYSRET is the leader's.
  threadedExec(caller: Process): void {
    const L = caller.leader;
    for (const t of L.threads) {
      if (t === L) continue;
      if (t.state === "blocked") { t.block?.abort?.(); t.block = null; }
      t.state = "exited";
      this.procs.delete(t.pid);
    }
    if (caller !== L) {
      if (L.state === "blocked") L.block?.abort?.();
      L.block = null; L.wakeAt = null; L.pendingReturn = null; L.futexWait = null;
      L.restoreMask = null; L.restartSyscall = false;
      L.sigmask = caller.sigmask;
      L.sigpending = caller.sigpending;
      caller.sigpending = 0n;
      caller.exePath = L.exePath;
      L.altstack = { sp: 0, flags: 2 /* SS_DISABLE */, size: 0 };
      L.state = "runnable";
      if (!this.order.includes(L)) this.order.push(L);
    }
    L.threads = [L];
  }

  // End a process with a wait status (exit code << 8, or a signal number): every thread of it.
  terminate(task: Process, waitStatus: number): void {
    const p = task.leader;
    if (p.state === "zombie") return;
    for (const t of p.threads) {
      if (t === p) continue;
      if (t.state === "blocked") { t.block?.abort?.(); t.block = null; }
      t.state = "exited";
      this.procs.delete(t.pid);
      if (this.current === t) this.current = null;
    }
    p.threads = [p];
    if (waitStatus & 0x7f) this.straceFmt?.killed(p, waitStatus & 0x7f);
    p.waitStatus = waitStatus;
    if (p.state === "blocked") { p.block?.abort?.(); p.block = null; }
    p.state = "zombie";
    p.closeAll();
    p.mm.destroy();
    this.probes?.exit(p);
    if (this.current === p) this.current = null;
    for (const c of p.children) {
      c.parent = this.init && this.init !== p ? this.init : null;
      c.parent?.children.push(c);
      if (c.state === "zombie" && !c.parent) this.procs.delete(c.pid);
    }
    p.children = [];
    const parent = p.parent;
    if (parent && parent.state !== "zombie") {
      const act = parent.sigactions[SIGCHLD];
      if (act && act.handler === SIG_IGN) this.reap(p);
      else this.raise(parent, SIGCHLD);
    } else if (p !== this.init) this.procs.delete(p.pid);
  }

  reap(child: Process): void {
    const parent = child.parent;
    if (parent) parent.children = parent.children.filter((c) => c !== child);
    this.procs.delete(child.pid);
  }

  // A signal to a process (kill, SIGCHLD, SIGALRM): pending on its first thread that does not
  // block it, as Linux's complete_signal picks the one to wake; the rest as raiseThread. When every
  // thread blocks it, it stays the process's (sharedPending) until one unblocks it.
  raise(proc: Process, sig: number): void {
    const L = proc.leader;
    let target = L.state === "exited" ? L.threads.find((t) => t.state !== "exited") ?? L : L;
    if (L.threads.length > 1 && sig !== SIGKILL && target.sigmask & bit(sig)) target = L.threads.find((t) => t.state !== "exited" && !(t.sigmask & bit(sig))) ?? target;
    this.raiseThread(target, sig, sig !== SIGKILL && (target.sigmask & bit(sig)) !== 0n);
  }

  // Make a signal pending on one thread (tgkill, a fault); default-ignored signals with no
  // handler vanish, as on Linux; a default action that terminates ends the whole process.
  raiseThread(p: Process, sig: number, shared = false): void {
    if (p.state === "zombie" || p.state === "exited" || p.leader.state === "zombie") return;
    const act = p.sigactions[sig];
    const handler = act?.handler ?? 0n;
    if (sig !== SIGKILL && (handler === SIG_IGN || (handler === 0n && defaultIgnored(sig)))) return;
    if (shared) { p.leader.sharedPending |= bit(sig); return; } // blocked by every thread: no one to wake
    p.sigpending |= bit(sig);
    // A blocked process is interrupted by a deliverable signal.
    if (p.state === "blocked" && (sig === SIGKILL || !(p.sigmask & bit(sig)))) {
      if (handler === 0n || sig === SIGKILL) this.terminate(p, sig);
      else p.wakeAt = this.clock.now; // woken to run the handler (the call returns EINTR)
    }
  }

  // --strace's "--- SIGxxx {...} ---" line when a signal is acted on.
  straceSignal(p: Process, sig: number): void { this.straceFmt?.signal(p, sig); }

  private get tracing(): boolean { return this.opts.trace !== undefined; }

  // Hand the ring's records to the trace sink (the core made them since the last run()).
  private flushTrace(): void {
    if (this.opts.trace) drainRing(this.machine, this.opts.trace);
  }

  // A host-visible file descriptor of the current process (for tests and the flight recorder).
  processOf(pid: number): Process | undefined { return this.procs.get(pid); }

  // The process of a thread id (as trace records carry it): its thread group's leader.
  processOfThread(tid: number): Process | undefined { return this.procs.get(tid)?.leader; }

  // For /proc/self/status: the live threads of p's process.
  threadCount(p: Process): number { return p.leader.threads.length; }
}

// Calls Linux re-issues after a handler with SA_RESTART (-ERESTARTSYS); sleeps, poll/select and
// sigsuspend/pause return EINTR regardless.
const RESTARTABLE = new Set(["read", "write", "readv", "writev", "pread64", "pwrite64", "wait4", "waitid", "recvfrom", "sendto", "open", "openat", "ioctl", "fcntl"].map((n) => SYSCALL_NUMBERS[n]));

function restartRequested(p: Process): boolean {
  // The signal deliverPending takes first: the thread's own, then the process's.
  for (const set of [p.sigpending, p.leader.sharedPending]) {
    for (let sig = 1; sig <= NSIG; sig++) {
      if (!(set & ~p.sigmask & bit(sig))) continue;
      const act = p.sigactions[sig];
      return !!act && act.handler > 1n && (act.flags & SA_RESTART) !== 0;
    }
  }
  return false;
}

// A pending signal (the thread's or its process's) that is not blocked, without making BigInts when none is pending.
const deliverable = (p: Process): boolean =>
  (p.sigpending !== 0n && (p.sigpending & ~p.sigmask) !== 0n) || (p.leader.sharedPending !== 0n && (p.leader.sharedPending & ~p.sigmask) !== 0n);

const isOutOfMemory = (e: unknown): boolean => e instanceof Error && e.message.includes("out of guest physical memory");

const STDIO_MODES = { tty: 0o020620, char: 0o020666, pipe: 0o010600, file: 0o100644 };

const hex2 = (b: number): string => b.toString(16).padStart(2, "0");
