// Acting on pending signals when a process leaves the kernel: default actions
// (terminate or ignore), or a handler frame on the user stack (rt_sigframe:
// return address = sa_restorer, ucontext, siginfo), undone by rt_sigreturn.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { SIGKILL, SIG_IGN, SA_ONSTACK, SA_NODEFER, SA_RESETHAND, SA_SIGINFO, defaultIgnored, bit, NSIG } from "./signals.js";

export type Delivery = "none" | "killed" | "frame";

const FRAME_SIZE = 8 + 304 + 128; // pretcode + ucontext + siginfo

// Full CPU state saved for each frame, keyed by the frame's address (restored by rt_sigreturn).
const saved = new WeakMap<Process, Array<{ frame: number; ctx: Uint8Array; mask: bigint }>>();

export function deliverPending(k: Kernel, p: Process, fromSyscall: boolean): Delivery {
  for (let sig = 1; sig <= NSIG; sig++) {
    const b = bit(sig);
    if (!(p.sigpending & b) || (p.sigmask & b && sig !== SIGKILL)) continue;
    p.sigpending &= ~b;
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
  const frame = Math.floor((sp - FRAME_SIZE) / 16) * 16 - 8;
  const list = saved.get(p) ?? [];
  // Frames abandoned by a longjmp out of a handler lie below the new one: forget them.
  while (list.length && list[list.length - 1].frame <= frame) list.pop();
  // sigsuspend: the handler returns to the mask from before the call.
  const savedMask = p.restoreMask ?? p.sigmask;
  p.restoreMask = null;
  list.push({ frame, ctx: m.saveContext(), mask: savedMask });
  saved.set(p, list);

  const buf = new Uint8Array(FRAME_SIZE);
  const dv = new DataView(buf.buffer);
  dv.setBigUint64(0, act.restorer, true);
  const uc = 8;
  dv.setBigUint64(uc + 16, BigInt(p.altstack.sp), true);
  dv.setInt32(uc + 24, p.altstack.flags, true);
  dv.setBigUint64(uc + 32, BigInt(p.altstack.size), true);
  // sigcontext: r8-r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags
  const order = [8, 9, 10, 11, 12, 13, 14, 15, 7, 6, 5, 3, 2, 0, 1, 4];
  const mc = uc + 40;
  order.forEach((r, i) => dv.setBigUint64(mc + i * 8, m.gpr(r), true));
  dv.setBigUint64(mc + 128, m.rip, true);
  dv.setBigUint64(mc + 136, m.rflags, true);
  dv.setUint16(mc + 144, 0x33, true); // cs
  dv.setUint16(mc + 150, 0x2b, true); // ss
  dv.setBigUint64(mc + 256, savedMask, true); // uc_sigmask directly after mcontext
  const si = 8 + 304;
  dv.setInt32(si, sig, true);
  const fault = p.faultInfo && p.faultInfo.sig === sig ? p.faultInfo : null;
  p.faultInfo = null;
  if (fault) {
    dv.setInt32(si + 8, fault.code, true);
    dv.setBigUint64(si + 16, fault.addr, true); // si_addr
  } else {
    dv.setInt32(si + 8, 0, true); // SI_USER
    dv.setInt32(si + 16, p.pid, true);
  }
  if (!p.mem.write(frame, buf)) { k.terminate(p, 11); return; }

  p.sigmask |= act.mask | (act.flags & SA_NODEFER ? 0n : bit(sig));
  m.setGpr(4, BigInt(frame));
  m.setGpr(7, BigInt(sig));
  m.setGpr(6, BigInt(frame + si));
  m.setGpr(2, BigInt(frame + uc));
  m.setGpr(0, 0n);
  m.rip = act.handler;
  m.rflags = m.rflags & ~0x400n; // DF clear on handler entry
  void SA_SIGINFO;
}

// rt_sigreturn: RSP points just past the popped return address, at the ucontext.
export function sigreturn(k: Kernel, p: Process): boolean {
  const frame = Number(k.machine.gpr(4)) - 8;
  const list = saved.get(p) ?? [];
  const i = list.findIndex((e) => e.frame === frame);
  if (i < 0) return false;
  const e = list[i];
  list.length = i;
  // The handler may have changed uc_sigmask; honour it.
  const mask = p.mem.read(frame + 8 + 296, 8);
  p.sigmask = mask ? new DataView(mask.buffer).getBigUint64(0, true) & ~(bit(9) | bit(19)) : e.mask;
  k.machine.restoreContext(e.ctx);
  return true;
}
