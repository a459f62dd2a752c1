// futex: wait queues keyed by address space and address (private and shared futexes are the
// same here: memory is never shared between address spaces; a shared one's address must be
// mapped, as Linux's key lookup needs its page). WAIT/WAIT_BITSET sleep while the word holds the
// expected value, WAKE/WAKE_BITSET wake in arrival order (FIFO, so scheduling stays deterministic;
// a count of 0 still wakes one, as Linux's loop does), REQUEUE/CMP_REQUEUE move waiters to another
// word, WAKE_OP does an atomic op on a second word and wakes on both by a comparison of its old
// value. The PI operations (LOCK_PI, LOCK_PI2, TRYLOCK_PI, UNLOCK_PI: glibc's PTHREAD_PRIO_INHERIT
// mutexes; its default ones never use them) keep the owner's tid in the word and hand the lock to
// the first waiter on unlock; with one CPU and one priority there is nothing to inherit.
// WAIT_REQUEUE_PI sleeps on a plain word until CMP_REQUEUE_PI moves it onto a PI lock (taking the
// lock for the first waiter when it is free). A waiter is a task blocked in the call; waking marks
// its queue entry and its retry returns 0. Linux refuses to mix the kinds: a plain wake or requeue
// that meets a PI or requeue-PI waiter fails with EINVAL, as does CMP_REQUEUE_PI meeting a plain one.
import type { Handler } from "./types.js";
import { BLOCK, ERESTARTSYS, ERESTARTNOINTR } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { readTimespec } from "./time.js";
import { clampNs, EPOCH_NS } from "../clock.js";
import { EINVAL, ENOSYS, EAGAIN, EFAULT } from "../errno.js";

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6,
  FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10,
  FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13,
  FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
const ETIMEDOUT = 110, EDEADLK = 35, EPERM = 1, ESRCH = 3, EINTR = 4;
const FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
const BITSET_ANY = 0xffffffff;

const keyOf = (p: Process, va: number): string => `${p.mm.cr3}:${va}`;

function dequeue(k: Kernel, p: Process): void {
  const w = p.futexWait;
  if (!w) return;
  const q = k.futexQueues.get(w.key);
  if (q) {
    const i = q.indexOf(p);
    if (i >= 0) q.splice(i, 1);
    if (!q.length) k.futexQueues.delete(w.key);
  }
  p.futexWait = null;
}

// Wake up to `n` waiters of `va` in p's address space whose bitset meets `bitset` (at least one
// when any waits: Linux counts after waking); the count woken, or EINVAL on meeting a PI or
// requeue-PI waiter (those before it woken all the same).
export function futexWake(k: Kernel, p: Process, va: number, n: number, bitset = BITSET_ANY): number {
  const key = keyOf(p, va);
  const q = k.futexQueues.get(key);
  if (!q) return 0;
  let woken = 0;
  for (let i = 0; i < q.length;) {
    const t = q[i], w = t.futexWait!;
    if (w.pi || w.requeuePi !== undefined) { woken = -EINVAL; break; }
    if (!(w.bitset & bitset)) { i++; continue; }
    q.splice(i, 1);
    wakeUp(k, t);
    if (++woken >= n) break;
  }
  if (!q.length) k.futexQueues.delete(key);
  return woken;
}

function wakeUp(k: Kernel, t: Process): void {
  t.futexWait!.woken = true;
  t.wakeAt = k.clock.now;
}

// Move waiter `t` (at index i of queue `from`) to the end of `to`'s queue.
function moveWaiter(k: Kernel, fromKey: string, i: number, toKey: string): void {
  const src = k.futexQueues.get(fromKey)!;
  const [t] = src.splice(i, 1);
  if (!src.length) k.futexQueues.delete(fromKey);
  t.futexWait!.key = toKey;
  const dst = k.futexQueues.get(toKey);
  if (dst) dst.push(t); else k.futexQueues.set(toKey, [t]);
}

// REQUEUE/CMP_REQUEUE: wake `wake` waiters of `from`, move up to `move` more to `to` (in place when
// `to` is `from`, as Linux leaves a waiter in its hash bucket); the count of both, or EINVAL on
// meeting a PI or requeue-PI waiter.
function requeue(k: Kernel, p: Process, from: number, to: number, wake: number, move: number): number {
  const fromKey = keyOf(p, from), toKey = keyOf(p, to);
  const q = k.futexQueues.get(fromKey);
  let count = 0;
  for (let i = 0; q && i < q.length && count - wake < move;) {
    const t = q[i], w = t.futexWait!;
    if (w.pi || w.requeuePi !== undefined) return -EINVAL;
    if (++count <= wake) { q.splice(i, 1); wakeUp(k, t); continue; }
    if (toKey === fromKey) { i++; continue; }
    moveWaiter(k, fromKey, i, toKey);
  }
  if (q && !q.length) k.futexQueues.delete(fromKey);
  return count;
}

// A shared futex's key is its page: an unmapped address (or, to be written, a read-only one) is
// EFAULT. A private one's key is the address alone.
function keyFault(p: Process, op: number, va: number, write: boolean): boolean {
  return !(op & FUTEX_PRIVATE_FLAG) && !p.mem.ensure(va, 4, write);
}

const futex: Handler = (k, p, a) => {
  const op = a.int(1);
  const cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
  const va = a.u(0);
  if (p.block) {
    // A retry of a waiting call: woken, timed out, or still asleep.
    if (!p.futexWait || p.futexWait.woken) { p.futexWait = null; return 0; }
    const d = p.block.deadline;
    if (d !== undefined && k.clock.now >= d) {
      const { key, pi } = p.futexWait;
      dequeue(k, p);
      if (pi && !k.futexQueues.has(key)) {
        const lock = Number(key.slice(key.indexOf(":") + 1));
        const v = p.mem.u32(lock);
        if (v & FUTEX_WAITERS) p.mem.putU32(lock, (v & ~FUTEX_WAITERS) >>> 0);
      }
      return -ETIMEDOUT;
    }
    p.wakeAt = d ?? null;
    return BLOCK;
  }
  // FUTEX_CLOCK_REALTIME only names the clock of an absolute timeout.
  if (op & FUTEX_CLOCK_REALTIME && cmd !== FUTEX_WAIT_BITSET && cmd !== FUTEX_WAIT_REQUEUE_PI && cmd !== FUTEX_LOCK_PI2) return -ENOSYS;
  if (va % 4) return -EINVAL;
  switch (cmd) {
    case FUTEX_WAIT: case FUTEX_WAIT_BITSET: {
      const bitset = cmd === FUTEX_WAIT ? BITSET_ANY : a.u32(5);
      if (!bitset) return -EINVAL;
      if (p.mem.u32(va) !== a.u32(2)) return -EAGAIN;
      let deadline: number | undefined;
      if (a.u(3)) {
        const t = readTimespec(p, a.u(3));
        if (t === null) return -EINVAL;
        // FUTEX_WAIT's timeout is relative; WAIT_BITSET's is absolute (monotonic or, with the flag, realtime).
        deadline = cmd === FUTEX_WAIT ? k.clock.after(t) : clampNs(op & FUTEX_CLOCK_REALTIME ? t - EPOCH_NS : t);
        if (k.clock.now >= deadline) return -ETIMEDOUT;
      }
      // A signal: restarted after an SA_RESTART handler without a timeout, else EINTR (a timed
      // wait's restart block is only for signals without a handler).
      const interrupted = (): number => (deadline === undefined ? ERESTARTSYS : -EINTR);
      sleep(k, p, a.nr, keyOf(p, va), { bitset }, deadline, interrupted);
      return BLOCK;
    }
    case FUTEX_WAKE:
      if (keyFault(p, op, va, false)) return -EFAULT;
      return futexWake(k, p, va, a.int(2));
    case FUTEX_WAKE_BITSET: {
      if (!a.u32(5)) return -EINVAL;
      if (keyFault(p, op, va, false)) return -EFAULT;
      return futexWake(k, p, va, a.int(2), a.u32(5));
    }
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: {
      const to = a.u(4);
      if (a.int(2) < 0 || a.int(3) < 0 || to % 4) return -EINVAL;
      if (keyFault(p, op, va, false) || keyFault(p, op, to, false)) return -EFAULT;
      if (cmd === FUTEX_CMP_REQUEUE && p.mem.u32(va) !== a.u32(5)) return -EAGAIN;
      // The fourth argument is a count here, not a timeout pointer.
      return requeue(k, p, va, to, a.int(2), a.int(3));
    }
    case FUTEX_WAKE_OP: return wakeOp(k, p, op, va, a.u(4), a.int(2), a.int(3), a.u32(5));
    case FUTEX_WAIT_REQUEUE_PI: {
      const to = a.u(4);
      let deadline: number | undefined;
      if (a.u(3)) {
        const t = readTimespec(p, a.u(3));
        if (t === null) return -EINVAL;
        deadline = clampNs(op & FUTEX_CLOCK_REALTIME ? t - EPOCH_NS : t); // absolute, as WAIT_BITSET's
      }
      if (va === to || to % 4) return -EINVAL;
      if (keyFault(p, op, to, true)) return -EFAULT;
      if (p.mem.u32(va) !== a.u32(2)) return -EAGAIN;
      if (deadline !== undefined && k.clock.now >= deadline) return -ETIMEDOUT;
      // A signal before the requeue restarts the call after any handler (which finds the word
      // changed, or sleeps again); once on the lock's queue, the call ends with EAGAIN.
      const interrupted = (): number => (p.futexWait?.pi ? -EAGAIN : ERESTARTNOINTR);
      sleep(k, p, a.nr, keyOf(p, va), { bitset: BITSET_ANY, requeuePi: to }, deadline, interrupted);
      return BLOCK;
    }
    case FUTEX_CMP_REQUEUE_PI: {
      const to = a.u(4), wake = a.int(2), move = a.int(3);
      // Linux wakes at most the one waiter that takes a free lock; the rest wait on the lock.
      if (wake < 0 || move < 0 || va === to || wake !== 1 || to % 4) return -EINVAL;
      if (keyFault(p, op, va, false) || keyFault(p, op, to, true)) return -EFAULT;
      if (p.mem.u32(va) !== a.u32(5)) return -EAGAIN;
      if (!p.mem.ensure(to, 4, true)) return -EFAULT;
      return requeuePi(k, p, va, to, move);
    }
    case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2: case FUTEX_TRYLOCK_PI: {
      const taken = takePi(k, p, va, cmd === FUTEX_TRYLOCK_PI);
      if (taken !== BLOCK) return taken;
      let deadline: number | undefined;
      if (a.u(3)) {
        const t = readTimespec(p, a.u(3));
        if (t === null) return -EINVAL;
        // Absolute: LOCK_PI's on CLOCK_REALTIME, LOCK_PI2's on CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME.
        deadline = clampNs(cmd === FUTEX_LOCK_PI || op & FUTEX_CLOCK_REALTIME ? t - EPOCH_NS : t);
        if (k.clock.now >= deadline) return -ETIMEDOUT;
      }
      const v = p.mem.u32(va);
      if (!(v & FUTEX_WAITERS)) p.mem.putU32(va, (v | FUTEX_WAITERS) >>> 0);
      // A signal restarts the call after any handler (Linux's futex_lock_pi: ERESTARTNOINTR).
      sleep(k, p, a.nr, keyOf(p, va), { bitset: BITSET_ANY, pi: true }, deadline, () => ERESTARTNOINTR);
      return BLOCK;
    }
    case FUTEX_UNLOCK_PI: {
      const v = p.mem.u32(va);
      if ((v & FUTEX_TID_MASK) !== p.pid) return -EPERM;
      handOver(k, p, va, 0);
      return 0;
    }
    default: return -ENOSYS;
  }
};

// Queue p on `key` and block it until woken, `deadline` (virtual ns) or a signal.
function sleep(k: Kernel, p: Process, nr: number, key: string, w: { bitset: number; pi?: boolean; requeuePi?: number },
  deadline: number | undefined, interrupted: () => number): void {
  p.futexWait = { key, woken: false, ...w };
  const q = k.futexQueues.get(key);
  if (q) q.push(p); else k.futexQueues.set(key, [p]);
  p.block = { nr, deadline, abort: () => dequeue(k, p), interrupted };
  p.wakeAt = deadline ?? null;
}

// WAKE_OP: *uaddr2 = old op oparg (atomically), wake `n1` waiters of uaddr, and if `old cmp
// cmparg` (signed) `n2` of uaddr2. The op is done before the comparison is looked at: an unknown
// comparison is ENOSYS after the write, an unknown op ENOSYS before it.
function wakeOp(k: Kernel, p: Process, op: number, va: number, to: number, n1: number, n2: number, encoded: number): number {
  if (to % 4) return -EINVAL;
  if (keyFault(p, op, va, false) || keyFault(p, op, to, true)) return -EFAULT;
  const code = (encoded >>> 28) & 7, cmp = (encoded >>> 24) & 15;
  const sext12 = (x: number): number => (x & 0x800 ? x - 0x1000 : x);
  let oparg = sext12((encoded >>> 12) & 0xfff);
  const cmparg = sext12(encoded & 0xfff);
  // OPARG_SHIFT: 1 << oparg, a shift out of 0..31 taken mod 32 (Linux warns and masks).
  if (encoded & 0x80000000) oparg = 1 << (oparg & 31);
  if (code > 4) return -ENOSYS;
  if (!p.mem.ensure(to, 4, true)) return -EFAULT;
  const old = p.mem.u32(to) | 0;
  const next = [oparg, old + oparg, old | oparg, old & ~oparg, old ^ oparg][code];
  p.mem.putU32(to, next >>> 0);
  const cmps = [old === cmparg, old !== cmparg, old < cmparg, old <= cmparg, old > cmparg, old >= cmparg];
  if (cmp >= cmps.length) return -ENOSYS;
  const woken = futexWake(k, p, va, n1);
  if (woken < 0 || !cmps[cmp]) return woken;
  const more = futexWake(k, p, to, n2);
  return more < 0 ? more : woken + more;
}

// CMP_REQUEUE_PI after its checks: the first waiter of `va` takes the PI lock at `to` if it is free
// (woken owning it: FUTEX_WAITERS set when more may follow, i.e. `move` > 0), else waits on it;
// then up to `move` more (one more when the first did not take it) wait on the lock's queue, in
// order. The count woken and moved, or an error (EINVAL for a waiter of another kind or for
// another lock, EDEADLK for a waiter that owns the lock, ESRCH for a dead owner).
function requeuePi(k: Kernel, p: Process, va: number, to: number, move: number): number {
  const fromKey = keyOf(p, va), toKey = keyOf(p, to);
  const q = k.futexQueues.get(fromKey);
  const top = q?.[0];
  if (!top) return 0;
  const misfit = (t: Process): boolean => t.futexWait!.requeuePi !== to || !!t.futexWait!.pi;
  if (misfit(top)) return -EINVAL;
  let count = 0;
  const v = p.mem.u32(to);
  const owner = v & FUTEX_TID_MASK;
  if (owner === top.pid) return -EDEADLK;
  if (!k.futexQueues.has(toKey)) {
    const holder = owner ? k.processOf(owner) : undefined;
    const alive = holder && holder.mm === p.mm && holder.state !== "exited" && holder.state !== "zombie";
    if (owner && !alive && !(v & FUTEX_OWNER_DIED)) return -ESRCH;
    if (!owner || !alive) {
      // Free (or its owner died): the first waiter takes it and returns owning it.
      p.mem.putU32(to, (top.pid | (v & FUTEX_OWNER_DIED) | (move ? FUTEX_WAITERS : 0)) >>> 0);
      q!.shift();
      if (!q!.length) k.futexQueues.delete(fromKey);
      top.futexWait!.requeuePi = undefined;
      wakeUp(k, top);
      count = 1;
    }
  }
  if (!count && !(v & FUTEX_WAITERS)) p.mem.putU32(to, (v | FUTEX_WAITERS) >>> 0);
  const lockOwner = p.mem.u32(to) & FUTEX_TID_MASK;
  while (count - 1 < move) {
    const src = k.futexQueues.get(fromKey);
    const t = src?.[0];
    if (!t) break;
    if (misfit(t)) return -EINVAL;
    if (t.pid === lockOwner) return -EDEADLK;
    t.futexWait!.pi = true;
    t.futexWait!.requeuePi = undefined;
    moveWaiter(k, fromKey, 0, toKey);
    count++;
  }
  return count;
}

// LOCK_PI's first look: the lock taken (0), an error, or BLOCK (held by a live thread).
function takePi(k: Kernel, p: Process, va: number, trylock: boolean): number | typeof BLOCK {
  const v = p.mem.u32(va);
  const owner = v & FUTEX_TID_MASK;
  if (owner === p.pid) return -EDEADLK;
  const holder = owner ? k.processOf(owner) : undefined;
  const alive = holder && holder.mm === p.mm && holder.state !== "exited" && holder.state !== "zombie";
  if (owner && !alive && !(v & FUTEX_OWNER_DIED)) return -ESRCH;
  if (!owner || !alive) {
    // Free, or its owner died (robust): taken, keeping OWNER_DIED for glibc to report EOWNERDEAD.
    const waiters = k.futexQueues.has(keyOf(p, va)) ? FUTEX_WAITERS : 0;
    p.mem.putU32(va, (p.pid | (v & FUTEX_OWNER_DIED) | waiters) >>> 0);
    return 0;
  }
  return trylock ? -EAGAIN : BLOCK;
}

// The lock at `va` passes to its first waiter (with `bits`, e.g. OWNER_DIED), or becomes free. The new
// owner's word always has FUTEX_WAITERS, as Linux keeps it while the lock's PI state lives: its
// unlock comes to the kernel.
function handOver(k: Kernel, p: Process, va: number, bits: number): void {
  const key = keyOf(p, va);
  const q = k.futexQueues.get(key);
  const next = q?.shift();
  if (!next) { p.mem.putU32(va, bits >>> 0); return; }
  if (!q!.length) k.futexQueues.delete(key);
  p.mem.putU32(va, (next.pid | bits | FUTEX_WAITERS) >>> 0);
  wakeUp(k, next);
}

export const futexCalls: Record<string, Handler> = { futex };

const ROBUST_LIST_LIMIT = 2048;  // Linux's bound on a list's length (a loop in it ends here)

// A dying thread's robust list (set_robust_list; Linux's exit_robust_list): every futex on it the
// thread still owns gets FUTEX_OWNER_DIED (keeping FUTEX_WAITERS), and one waiter is woken, so a
// robust mutex's next locker gets EOWNERDEAD instead of waiting forever. The list is in user
// memory: a fault ends the walk, as on Linux.
export function exitRobustList(k: Kernel, t: Process): void {
  const head = t.robustList;
  if (!head) return;
  try {
    let entry = t.mem.u64n(head);
    const offset = t.mem.i64n(head + 8);
    const pending = t.mem.u64n(head + 16);
    for (let n = 0; entry !== head && n < ROBUST_LIST_LIMIT; n++) {
      const next = t.mem.u64n(entry - (entry % 2));
      // The low bit of an entry marks a PI futex.
      if (entry - (entry % 2) !== pending - (pending % 2)) ownerDied(k, t, entry - (entry % 2) + offset, entry % 2 === 1);
      entry = next;
    }
    if (pending) ownerDied(k, t, pending - (pending % 2) + offset, pending % 2 === 1);
  } catch { /* an unreadable list: nothing more to do */ }
}

function ownerDied(k: Kernel, t: Process, va: number, pi: boolean): void {
  if (va % 4) return;
  const v = t.mem.u32(va);
  if ((v & FUTEX_TID_MASK) !== t.pid) return;
  // A PI lock goes straight to its first waiter, marked OWNER_DIED; another one is left marked, a waiter woken.
  if (pi && v & FUTEX_WAITERS) { handOver(k, t, va, FUTEX_OWNER_DIED); return; }
  t.mem.putU32(va, ((v & FUTEX_WAITERS) | FUTEX_OWNER_DIED) >>> 0);
  if (v & FUTEX_WAITERS) futexWake(k, t, va, 1);
}
