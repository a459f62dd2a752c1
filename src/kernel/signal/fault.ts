// What Linux makes of a CPU exception in user mode: the signal, its siginfo
// (si_code, si_addr) and the thread's trap state (trap number, error code,
// CR2) that every later signal frame's sigcontext shows until the next
// exception changes it (Linux keeps them in the thread struct, so a signal
// sent with kill() reports the last fault's values too). Checked against a
// native run by guest/tests/sigfault.c.
import { Exit } from "../../machine/layout.js";
import type { ExitInfo } from "../../machine/machine.js";
import type { Process } from "../process/process.js";
import { SIGILL, SIGTRAP, SIGFPE, SIGSEGV, SIGBUS } from "./signals.js";

// si_code values (include/uapi/asm-generic/siginfo.h)
export const SI_KERNEL = 0x80;
export const ILL_ILLOPN = 2;
export const TRAP_BRKPT = 1;
export const SEGV_MAPERR = 1, SEGV_ACCERR = 2;
export const FPE_INTDIV = 1, FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5, FPE_FLTRES = 6, FPE_FLTINV = 7;

// Linux's TASK_SIZE_MAX for 4-level paging: a user access above it is reported as a protection fault.
const TASK_SIZE_MAX = 0x7ffffffff000n;
const PF_PROT = 1;

export interface Fault {
  sig: number;
  code: number;    // si_code
  addr: bigint;    // si_addr
  trapno: number;  // the sigcontext's trapno, err and cr2 from now on
  err: number;
  cr2?: bigint;    // only a page fault changes CR2
  what: string;    // for the message when the process dies of it
}

export interface TrapState { trapno: number; err: number; cr2: bigint }
const traps = new WeakMap<Process, TrapState>();

// The thread's last trap number, error code and CR2 (zero until its first exception).
export const trapState = (p: Process): TrapState => traps.get(p) ?? { trapno: 0, err: 0, cr2: 0n };
export function noteTrap(p: Process, f: Fault): void {
  traps.set(p, { trapno: f.trapno, err: f.err, cr2: f.cr2 ?? trapState(p).cr2 });
}

// The x87 (#MF) and SIMD (#XM) si_code: the first unmasked exception of
// invalid, divide-by-zero, overflow, denormal or underflow, precision
// (Linux's fpu__exception_code), from the status word and control word or MXCSR.
export function fpeCode(vector: number, fsw: number, fcw: number, mxcsr: number): number {
  const err = vector === 16 ? fsw & ~fcw : ~(mxcsr >> 7) & mxcsr;
  if (err & 0x001) return FPE_FLTINV;
  if (err & 0x004) return FPE_FLTDIV;
  if (err & 0x008) return FPE_FLTOVF;
  if (err & 0x012) return FPE_FLTUND;
  if (err & 0x020) return FPE_FLTRES;
  return 0;
}

// The fault an exit stands for, or null for an exit that is no CPU exception.
// `rip` is where the handler would resume (after a trap, at a fault);
// `mapped(va)` says whether a mapping covers va (SEGV_ACCERR rather than MAPERR);
// `fpu` gives the x87 status and control words and MXCSR at the exception.
export function faultOf(exit: Exit, e: ExitInfo, rip: bigint, mapped: (va: bigint) => boolean, fpu: () => { fsw: number; fcw: number; mxcsr: number }): Fault | null {
  switch (exit) {
    case Exit.PageFault: {
      const err = e.addr >= TASK_SIZE_MAX ? e.error | PF_PROT : e.error;
      const code = e.addr < TASK_SIZE_MAX && mapped(e.addr) ? SEGV_ACCERR : SEGV_MAPERR;
      const what = `page fault at 0x${e.addr.toString(16)} (${e.error & 16 ? "fetch" : e.error & 2 ? "write" : "read"}, ${code === SEGV_ACCERR ? "protection" : "not mapped"})`;
      return { sig: SIGSEGV, code, addr: e.addr, trapno: 14, err, cr2: e.addr, what };
    }
    case Exit.InvalidOpcode: return { sig: SIGILL, code: ILL_ILLOPN, addr: rip, trapno: 6, err: 0, what: "invalid opcode" };
    case Exit.GeneralProtection: return { sig: SIGSEGV, code: SI_KERNEL, addr: 0n, trapno: 13, err: e.error, what: "general protection fault" };
    // #SS (a stack access to a non-canonical address): Linux's do_error_trap sends SIGBUS, no address.
    case Exit.StackFault: return { sig: SIGBUS, code: SI_KERNEL, addr: 0n, trapno: 12, err: e.error, what: "stack segment fault" };
    case Exit.Hlt: return { sig: SIGSEGV, code: SI_KERNEL, addr: 0n, trapno: 13, err: 0, what: "hlt in user mode" };
    case Exit.DivideError: return { sig: SIGFPE, code: FPE_INTDIV, addr: rip, trapno: 0, err: 0, what: "divide error" };
    case Exit.FpuError: {
      const s = fpu();
      return { sig: SIGFPE, code: fpeCode(e.vector, s.fsw, s.fcw, s.mxcsr), addr: rip, trapno: e.vector, err: 0, what: `floating-point exception (${e.vector === 16 ? "x87" : "SIMD"})` };
    }
    case Exit.Int3:
      // Traps: RIP is already past the instruction.
      if (e.vector === 1) return { sig: SIGTRAP, code: TRAP_BRKPT, addr: rip, trapno: 1, err: 0, what: "debug trap (int1)" };
      if (e.vector === 4) return { sig: SIGSEGV, code: SI_KERNEL, addr: 0n, trapno: 4, err: 0, what: "overflow trap (int 4)" };
      return { sig: SIGTRAP, code: SI_KERNEL, addr: 0n, trapno: 3, err: 0, what: "breakpoint (int3)" };
  }
  return null;
}
