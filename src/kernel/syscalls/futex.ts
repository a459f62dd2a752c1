// futex: wait queues keyed by address space and address (private and shared futexes are the
// same here: memory is never shared between address spaces). WAIT/WAIT_BITSET sleep while the
// word holds the expected value, WAKE/WAKE_BITSET wake in arrival order (FIFO, so scheduling
// stays deterministic), REQUEUE/CMP_REQUEUE move waiters to another word. The PI operations
// (LOCK_PI, LOCK_PI2, TRYLOCK_PI, UNLOCK_PI: glibc's PTHREAD_PRIO_INHERIT mutexes; its default ones
// never use them) keep the owner's tid in the word and hand the lock to the first waiter on
// unlock; with one CPU and one priority there is nothing to inherit. A waiter is a task blocked
// in the call; waking marks its queue entry and its retry returns 0.
import type { Handler } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { readTimespec } from "./time.js";
import { clampNs, EPOCH_NS } from "../clock.js";
import { EINVAL, ENOSYS, EAGAIN } from "../errno.js";

const FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4, FUTEX_LOCK_PI = 6,
  FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9, FUTEX_WAKE_BITSET = 10, FUTEX_LOCK_PI2 = 13,
  FUTEX_CLOCK_REALTIME = 256;
const ETIMEDOUT = 110, EDEADLK = 35, EPERM = 1, ESRCH = 3;
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

// Wake up to `n` waiters of `va` in p's address space whose bitset meets `bitset`; the count woken.
export function futexWake(k: Kernel, p: Process, va: number, n: number, bitset = BITSET_ANY): number {
  const key = keyOf(p, va);
  const q = k.futexQueues.get(key);
  if (!q) return 0;
  let woken = 0;
  for (let i = 0; i < q.length && woken < n;) {
    const t = q[i];
    if (!(t.futexWait!.bitset & bitset)) { i++; continue; }
    q.splice(i, 1);
    t.futexWait!.woken = true;
    t.wakeAt = k.clock.now;
    woken++;
  }
  if (!q.length) k.futexQueues.delete(key);
  return woken;
}

function requeue(k: Kernel, p: Process, from: number, to: number, wake: number, move: number): number {
  const woken = futexWake(k, p, from, wake);
  const src = k.futexQueues.get(keyOf(p, from));
  if (!src || move <= 0) return woken;
  const dstKey = keyOf(p, to);
  const moved = src.splice(0, Math.min(move, src.length));
  if (!src.length) k.futexQueues.delete(keyOf(p, from));
  const dst = k.futexQueues.get(dstKey) ?? [];
  for (const t of moved) { t.futexWait!.key = dstKey; dst.push(t); }
  k.futexQueues.set(dstKey, dst);
  return woken + moved.length;
}

const futex: Handler = (k, p, a) => {
  const cmd = a.int(1) & 0x7f;
  const va = a.u(0);
  if (p.block) {
    // A retry of a waiting call: woken, timed out, or still asleep.
    if (!p.futexWait || p.futexWait.woken) { p.futexWait = null; return 0; }
    const d = p.block.deadline;
    if (d !== undefined && k.clock.now >= d) {
      const key = p.futexWait.key;
      dequeue(k, p);
      if (p.block.data === "pi" && !k.futexQueues.has(key)) {
        const v = p.mem.u32(va);
        if (v & FUTEX_WAITERS) p.mem.putU32(va, (v & ~FUTEX_WAITERS) >>> 0);
      }
      return -ETIMEDOUT;
    }
    p.wakeAt = d ?? null;
    return BLOCK;
  }
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
        deadline = cmd === FUTEX_WAIT ? k.clock.after(t) : clampNs(a.int(1) & FUTEX_CLOCK_REALTIME ? t - EPOCH_NS : t);
        if (k.clock.now >= deadline) return -ETIMEDOUT;
      }
      const key = keyOf(p, va);
      p.futexWait = { key, bitset, woken: false };
      const q = k.futexQueues.get(key);
      if (q) q.push(p); else k.futexQueues.set(key, [p]);
      p.block = { nr: a.nr, deadline, abort: () => dequeue(k, p) };
      p.wakeAt = deadline ?? null;
      return BLOCK;
    }
    case FUTEX_WAKE: return futexWake(k, p, va, a.int(2));
    case FUTEX_WAKE_BITSET: {
      if (!a.u32(5)) return -EINVAL;
      return futexWake(k, p, va, a.int(2), a.u32(5));
    }
    case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: {
      const to = a.u(4);
      if (to % 4 || a.int(2) < 0 || a.int(3) < 0) return -EINVAL;
      if (cmd === FUTEX_CMP_REQUEUE && p.mem.u32(va) !== a.u32(5)) return -EAGAIN;
      // The fourth argument is a count here, not a timeout pointer.
      return requeue(k, p, va, to, a.int(2), a.int(3));
    }
    case FUTEX_LOCK_PI: case FUTEX_LOCK_PI2: case FUTEX_TRYLOCK_PI: {
      const taken = takePi(k, p, va, cmd === FUTEX_TRYLOCK_PI);
      if (taken !== BLOCK) return taken;
      let deadline: number | undefined;
      if (a.u(3)) {
        const t = readTimespec(p, a.u(3));
        if (t === null) return -EINVAL;
        // Absolute: LOCK_PI's on CLOCK_REALTIME, LOCK_PI2's on CLOCK_MONOTONIC unless FUTEX_CLOCK_REALTIME.
        deadline = clampNs(cmd === FUTEX_LOCK_PI || a.int(1) & FUTEX_CLOCK_REALTIME ? t - EPOCH_NS : t);
        if (k.clock.now >= deadline) return -ETIMEDOUT;
      }
      const v = p.mem.u32(va);
      if (!(v & FUTEX_WAITERS)) p.mem.putU32(va, (v | FUTEX_WAITERS) >>> 0);
      const key = keyOf(p, va);
      p.futexWait = { key, bitset: BITSET_ANY, woken: false };
      const q = k.futexQueues.get(key);
      if (q) q.push(p); else k.futexQueues.set(key, [p]);
      p.block = { nr: a.nr, deadline, data: "pi", abort: () => dequeue(k, p) };
      p.wakeAt = deadline ?? null;
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

// The lock at `va` passes to its first waiter (with `bits`, e.g. OWNER_DIED), or becomes free.
function handOver(k: Kernel, p: Process, va: number, bits: number): void {
  const key = keyOf(p, va);
  const q = k.futexQueues.get(key);
  const next = q?.shift();
  if (!next) { p.mem.putU32(va, bits >>> 0); return; }
  if (!q!.length) k.futexQueues.delete(key);
  p.mem.putU32(va, (next.pid | bits | (q!.length ? FUTEX_WAITERS : 0)) >>> 0);
  next.futexWait!.woken = true;
  next.wakeAt = k.clock.now;
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
