// Acting on pending signals when a process leaves the kernel: default actions
// (terminate or ignore), or a handler frame on the user stack as Linux builds
// it for an FXSR CPU without XSAVE (rt_sigframe: return address = sa_restorer,
// ucontext with the sigcontext, siginfo; above it the 64-byte aligned FXSAVE
// fpstate the sigcontext points to), undone by rt_sigreturn from what the
// frame holds then.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { SIGKILL, SIG_IGN, SA_ONSTACK, SA_NODEFER, SA_RESETHAND, SA_SIGINFO, defaultIgnored, bit, NSIG } from "./signals.js";
import { trapState } from "./fault.js";

export type Delivery = "none" | "killed" | "frame";

// struct rt_sigframe: pretcode, ucontext (uc_flags, uc_link, uc_stack, sigcontext, uc_sigmask), siginfo.
const FRAME_SIZE = 8 + 304 + 128;
const UC = 8, MC = UC + 40, SI = 8 + 304;
// sigcontext offsets (arch/x86/include/uapi/asm/sigcontext.h)
const SC_RIP = 128, SC_EFLAGS = 136, SC_CS = 144, SC_SS = 150, SC_ERR = 152, SC_TRAPNO = 160, SC_OLDMASK = 168, SC_CR2 = 176, SC_FPSTATE = 184;
const SC_GPRS = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4]; // r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp
// uc_flags: UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (no UC_FP_XSTATE: the CPU has no XSAVE)
const UC_FLAGS = 0x2 | 0x4;
// The fpstate: the FXSAVE image (an FXSR CPU without XSAVE: 512 bytes, 64-byte aligned),
// with struct _fpx_sw_bytes in its software-available bytes 464-511.
const FP_SIZE = 512;
const FP_XSTATE_MAGIC1 = 0x46505853;
// The flags sigreturn takes from the frame (FIX_EFLAGS): AC OF DF TF SF ZF AF PF CF RF.
const FIX_EFLAGS = 0x50dd5n;

// Full CPU state saved for each frame, keyed by the frame's address: what the
// frame does not hold (segment bases, the probe skip) comes back from it on rt_sigreturn.
const saved = new WeakMap<Process, Array<{ frame: number; ctx: Uint8Array; mask: bigint }>>();

// The thread's own pending signals first, then its process's (Linux's dequeue_signal).
export function deliverPending(k: Kernel, p: Process, fromSyscall: boolean): Delivery {
  for (let n = 0; n < 2 * NSIG; n++) {
    const sig = (n % NSIG) + 1, own = n < NSIG;
    const b = bit(sig);
    if (!((own ? p.sigpending : p.leader.sharedPending) & b) || (p.sigmask & b && sig !== SIGKILL)) continue;
    if (own) p.sigpending &= ~b; else p.leader.sharedPending &= ~b;
    const act = p.sigactions[sig];
    const handler = act?.handler ?? 0n;
    if (sig === SIGKILL || handler === 0n) {
      if (defaultIgnored(sig)) continue;
      k.straceSignal(p, sig);
      k.terminate(p, sig);
      return "killed";
    }
    if (handler === SIG_IGN) continue;
    k.straceSignal(p, sig);
    buildFrame(k, p, sig, fromSyscall);
    if (act.flags & SA_RESETHAND) p.sigactions[sig] = { handler: 0n, flags: 0, restorer: 0n, mask: 0n };
    return "frame";
  }
  return "none";
}

// The FPU state a handler starts with (Linux's init_fpstate: FNINIT, MXCSR 0x1F80, registers zero).
const INIT_FPSTATE = (() => { const b = new Uint8Array(FP_SIZE); b[0] = 0x7f; b[1] = 0x03; b[24] = 0x80; b[25] = 0x1f; return b; })();

function buildFrame(k: Kernel, p: Process, sig: number, fromSyscall: boolean): void {
  const m = k.machine;
  const act = p.sigactions[sig];
  if (fromSyscall) {
    // The user state the syscall returns to (what SYSRET would have set).
    m.rip = m.gpr(1);
    m.rflags = m.gpr(11) & ~0x30000n;
  }
  let sp = Number(m.gpr(4)) - 128; // skip the red zone
  const onAlt = p.altstack.flags !== 2 && sp >= p.altstack.sp && sp < p.altstack.sp + p.altstack.size;
  if (act.flags & SA_ONSTACK && p.altstack.flags !== 2 && !onAlt) sp = p.altstack.sp + p.altstack.size;
  // The fpstate above the frame, as Linux's get_sigframe places them.
  const fpstate = Math.floor((sp - FP_SIZE) / 64) * 64;
  const frame = Math.floor((fpstate - FRAME_SIZE) / 16) * 16 - 8;
  const list = saved.get(p) ?? [];
  // Frames abandoned by a longjmp out of a handler lie below the new one: forget them.
  while (list.length && list[list.length - 1].frame <= frame) list.pop();
  // sigsuspend: the handler returns to the mask from before the call.
  const savedMask = p.restoreMask ?? p.sigmask;
  p.restoreMask = null;
  list.push({ frame, ctx: m.saveContext(), mask: savedMask });
  saved.set(p, list);

  // fxsaveq: bytes 0-415; then the software bytes (416-463 keep what the stack held).
  const fx = m.fxsave();
  const sw = new DataView(new ArrayBuffer(48));
  sw.setUint32(0, FP_XSTATE_MAGIC1, true);
  sw.setUint32(4, FP_SIZE + 4, true); // extended_size: the state and MAGIC2's room
  sw.setBigUint64(8, 3n, true);       // xfeatures: x87 and SSE
  sw.setUint32(16, FP_SIZE, true);    // xstate_size

  const buf = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(0, act.restorer, true);
  dv.setBigUint64(UC, BigInt(UC_FLAGS), true);
  dv.setBigUint64(UC + 16, BigInt(p.altstack.sp), true);
  dv.setInt32(UC + 24, p.altstack.flags, true);
  dv.setBigUint64(UC + 32, BigInt(p.altstack.size), true);
  SC_GPRS.forEach((r, i) => dv.setBigUint64(MC + i * 8, m.gpr(r), true));
  dv.setBigUint64(MC + SC_RIP, m.rip, true);
  dv.setBigUint64(MC + SC_EFLAGS, m.rflags, true);
  dv.setUint16(MC + SC_CS, 0x33, true);
  dv.setUint16(MC + SC_SS, 0x2b, true);
  // The thread's last exception (signal/fault.ts), whatever this signal is.
  const trap = trapState(p);
  dv.setBigUint64(MC + SC_ERR, BigInt(trap.err), true);
  dv.setBigUint64(MC + SC_TRAPNO, BigInt(trap.trapno), true);
  dv.setBigUint64(MC + SC_OLDMASK, savedMask, true);
  dv.setBigUint64(MC + SC_CR2, trap.cr2, true);
  dv.setBigUint64(MC + SC_FPSTATE, BigInt(fpstate), true);
  dv.setBigUint64(MC + 256, savedMask, true); // uc_sigmask directly after mcontext
  dv.setInt32(SI, sig, true);
  const fault = p.faultInfo && p.faultInfo.sig === sig ? p.faultInfo : null;
  p.faultInfo = null;
  if (fault) {
    dv.setInt32(SI + 8, fault.code, true);
    dv.setBigUint64(SI + 16, fault.addr, true); // si_addr
  } else {
    dv.setInt32(SI + 8, 0, true); // SI_USER
    dv.setInt32(SI + 16, p.pid, true);
  }
  if (!p.mem.write(frame, buf) || !p.mem.write(fpstate, fx.subarray(0, 416)) || !p.mem.write(fpstate + 464, new Uint8Array(sw.buffer))) {
    k.terminate(p, 11);
    return;
  }

  p.sigmask |= act.mask | (act.flags & SA_NODEFER ? 0n : bit(sig));
  m.setGpr(4, BigInt(frame));
  m.setGpr(7, BigInt(sig));
  m.setGpr(6, BigInt(frame + SI));
  m.setGpr(2, BigInt(frame + UC));
  m.setGpr(0, 0n);
  m.rip = act.handler;
  m.rflags = m.rflags & ~0x10500n; // DF, TF and RF clear on handler entry
  m.fxrstor(INIT_FPSTATE);         // and a fresh FPU state (Linux's fpu__clear_user_states)
  void SA_SIGINFO;
}

// rt_sigreturn: RSP points just past the popped return address, at the
// ucontext. The registers, flags, FPU state and signal mask come back from
// the frame (a handler may have changed them there); false for a frame
// that cannot be read or an fpstate FXRSTOR refuses (Linux's badframe).
export function sigreturn(k: Kernel, p: Process): boolean {
  const m = k.machine;
  const frame = Number(m.gpr(4)) - 8;
  const list = saved.get(p) ?? [];
  const i = list.findIndex((e) => e.frame === frame);
  const uc = p.mem.read(frame + UC, 304);
  if (!uc) return false;
  const dv = new DataView(uc.buffer, uc.byteOffset, uc.byteLength);
  const mc = MC - UC;
  const fpAddr = dv.getBigUint64(mc + SC_FPSTATE, true);
  const fx = fpAddr === 0n ? INIT_FPSTATE : p.mem.read(Number(fpAddr), FP_SIZE);
  if (!fx) return false;
  const ctx = m.saveContext();
  if (i >= 0) { m.restoreContext(list[i].ctx); list.length = i; }
  if (!m.fxrstor(fx)) { m.restoreContext(ctx); return false; }
  SC_GPRS.forEach((r, j) => m.setGpr(r, dv.getBigUint64(mc + j * 8, true)));
  m.rip = dv.getBigUint64(mc + SC_RIP, true);
  m.rflags = (m.rflags & ~FIX_EFLAGS) | (dv.getBigUint64(mc + SC_EFLAGS, true) & FIX_EFLAGS);
  // The handler may have changed uc_sigmask; honour it.
  p.sigmask = dv.getBigUint64(mc + 256, true) & ~(bit(9) | bit(19));
  return true;
}
