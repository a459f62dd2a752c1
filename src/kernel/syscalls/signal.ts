// Signal syscalls: dispositions, masks, the alternate stack, sending signals,
// and returning from a handler.
import type { Handler } from "./types.js";
import { NORETURN, BLOCK } from "./types.js";
import { EINVAL, ESRCH, EFAULT, EPERM } from "../errno.js";
import { SIGKILL, SIGSTOP, NSIG, bit } from "../signal/signals.js";
import { sigreturn } from "../signal/deliver.js";

const UNBLOCKABLE = bit(SIGKILL) | bit(SIGSTOP);

const rt_sigaction: Handler = (_k, p, a) => {
  const sig = a.int(0), act = a.u(1), oact = a.u(2);
  if (a.u(3) !== 8 || sig < 1 || sig > NSIG) return -EINVAL;
  if (act && (sig === SIGKILL || sig === SIGSTOP)) return -EINVAL;
  let next;
  if (act) {
    const b = p.mem.readOrFault(act, 32);
    const dv = new DataView(b.buffer);
    next = { handler: dv.getBigUint64(0, true), flags: Number(dv.getBigUint64(8, true) & 0xffffffffn), restorer: dv.getBigUint64(16, true), mask: dv.getBigUint64(24, true) & ~UNBLOCKABLE };
  }
  if (oact) {
    const cur = p.sigactions[sig] ?? { handler: 0n, flags: 0, restorer: 0n, mask: 0n };
    const b = new Uint8Array(32);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, cur.handler, true);
    dv.setBigUint64(8, BigInt(cur.flags >>> 0), true);
    dv.setBigUint64(16, cur.restorer, true);
    dv.setBigUint64(24, cur.mask, true);
    p.mem.writeOrFault(oact, b);
  }
  if (next) {
    p.sigactions[sig] = next;
    if (next.handler === 1n) { // SIG_IGN discards a pending one, in every thread of the process
      p.sigpending &= ~bit(sig);
      p.leader.sharedPending &= ~bit(sig);
      for (const t of p.leader.threads) t.sigpending &= ~bit(sig);
    }
  }
  return 0;
};

const SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
const rt_sigprocmask: Handler = (_k, p, a) => {
  const how = a.int(0), set = a.u(1), oset = a.u(2);
  if (a.u(3) !== 8) return -EINVAL;
  const old = p.sigmask;
  if (set) {
    const v = p.mem.u64(set);
    if (how === SIG_BLOCK) p.sigmask |= v;
    else if (how === SIG_UNBLOCK) p.sigmask &= ~v;
    else if (how === SIG_SETMASK) p.sigmask = v;
    else return -EINVAL;
    p.sigmask &= ~UNBLOCKABLE;
  }
  if (oset) p.mem.putU64(oset, old);
  return 0;
};

const rt_sigpending: Handler = (_k, p, a) => { p.mem.putU64(a.u(0), (p.sigpending | p.leader.sharedPending) & p.sigmask); return 0; };

const SS_ONSTACK = 1, SS_DISABLE = 2, MINSIGSTKSZ = 2048;
const sigaltstack: Handler = (k, p, a) => {
  const ss = a.u(0), oss = a.u(1);
  const sp = Number(k.machine.gpr(4));
  const on = p.altstack.flags !== SS_DISABLE && sp >= p.altstack.sp && sp < p.altstack.sp + p.altstack.size;
  if (oss) {
    const b = new Uint8Array(24);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, BigInt(p.altstack.sp), true);
    dv.setInt32(8, on ? SS_ONSTACK : p.altstack.flags, true);
    dv.setBigUint64(16, BigInt(p.altstack.size), true);
    p.mem.writeOrFault(oss, b);
  }
  if (ss) {
    const b = p.mem.readOrFault(ss, 24);
    const dv = new DataView(b.buffer);
    const flags = dv.getInt32(8, true);
    if (on) return -EPERM;
    if (flags & ~(SS_DISABLE | (1 << 31))) return -EINVAL;
    if (flags & SS_DISABLE) { p.altstack = { sp: 0, flags: SS_DISABLE, size: 0 }; return 0; }
    const size = Number(dv.getBigUint64(16, true));
    if (size < MINSIGSTKSZ) return -12; // ENOMEM
    p.altstack = { sp: Number(dv.getBigUint64(0, true)), flags: 0, size };
  }
  return 0;
};

function send(k: Parameters<Handler>[0], pid: number, sig: number): number {
  if (sig < 0 || sig > NSIG) return -EINVAL;
  const t = k.processOf(pid);
  if (!t || t.leader.state === "zombie") return -ESRCH;
  if (sig !== 0) k.raise(t, sig);
  return 0;
}
const kill: Handler = (k, p, a) => {
  const pid = a.int(0);
  return send(k, pid > 0 ? pid : p.tgid, a.int(1)); // process groups: every process is in its own
};
// tgkill/tkill: a signal to one thread (its mask decides when it is taken; a default action
// that terminates still ends the whole process).
function sendThread(k: Parameters<Handler>[0], tgid: number, tid: number, sig: number): number {
  if (sig < 0 || sig > NSIG || tid <= 0 || tgid === 0 || tgid < -1) return -EINVAL;
  const t = k.processOf(tid);
  if (!t || t.state === "zombie" || t.state === "exited" || (tgid > 0 && t.tgid !== tgid)) return -ESRCH;
  if (sig !== 0) k.raiseThread(t, sig);
  return 0;
}
const tgkill: Handler = (k, _p, a) => sendThread(k, a.int(0), a.int(1), a.int(2));
const tkill: Handler = (k, _p, a) => sendThread(k, -1, a.int(0), a.int(1));

const rt_sigreturn: Handler = (k, p) => {
  if (!sigreturn(k, p)) { k.terminate(p, 11); return NORETURN; }
  return NORETURN;
};

// pause/rt_sigsuspend sleep until a signal; the scheduler's retry turns that into EINTR.
const pause: Handler = (_k, p) => { p.wakeAt = null; return BLOCK; };
const rt_sigsuspend: Handler = (_k, p, a) => {
  if (a.u(1) !== 8) return -EINVAL;
  if (!p.block) {
    const mask = p.mem.u64(a.u(0));
    p.block = { nr: a.nr };
    p.restoreMask = p.sigmask;
    p.sigmask = mask & ~UNBLOCKABLE;
  }
  p.wakeAt = null;
  return BLOCK;
};

export const signalCalls: Record<string, Handler> = {
  pause, rt_sigsuspend, rt_sigaction, rt_sigprocmask, rt_sigpending, sigaltstack, kill, tgkill, tkill, rt_sigreturn,
};
export { EFAULT };
