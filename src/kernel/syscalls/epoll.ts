// epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2 over
// src/kernel/fs/epoll.ts. A wait with nothing to report blocks until the earliest
// of its deadline and the next time-driven event of an item; it is retried each
// time its process comes up, as every blocked call is.
import type { Handler, SysResult } from "./types.js";
import { BLOCK } from "./types.js";
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import type { SysArgs } from "./args.js";
import { O_CLOEXEC } from "../fs/file.js";
import { FileInode, DirInode } from "../fs/inode.js";
import { anonFile } from "../fs/anon-inode.js";
import { Epoll, registerEpoll, isEpoll, epollOf, EPOLLEXCLUSIVE, EPOLLWAKEUP, EPOLLET } from "../fs/epoll.js";
import { fileOf } from "./util.js";
import { readTimespec } from "./time.js";
import { clampNs, MAX_NS } from "../clock.js";
import { EINVAL, EPERM, EEXIST, ENOENT, EFAULT, ELOOP } from "../errno.js";

const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
const EVENT_SIZE = 12; // struct epoll_event is packed on x86-64: u32 events, u64 data
const MAX_EVENTS = Math.floor(0x7fffffff / EVENT_SIZE);
// What an EPOLLEXCLUSIVE item may also ask for (EPOLLEXCLUSIVE_OK_BITS).
const EXCLUSIVE_OK = 0x1 | 0x4 | 0x40 | 0x100 | 0x8 | 0x10 | EPOLLWAKEUP | EPOLLET | EPOLLEXCLUSIVE;
const UNBLOCKABLE = (1n << 8n) | (1n << 18n); // SIGKILL, SIGSTOP

function create(k: Kernel, p: Process, flags: number): number {
  if (flags & ~O_CLOEXEC) return -EINVAL;
  const ep = new Epoll(k.clock);
  registerEpoll(ep);
  const f = anonFile(ep.ops, "[eventpoll]", false);
  const fd = p.allocFd(f, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) f.unref();
  return fd;
}

const epoll_create: Handler = (k, p, a) => (a.int(0) <= 0 ? -EINVAL : create(k, p, 0));
const epoll_create1: Handler = (k, p, a) => create(k, p, a.int(0));

const epoll_ctl: Handler = (_k, p, a) => {
  const op = a.int(1), fd = a.int(2);
  let events = 0, lo = 0, hi = 0;
  if (op !== EPOLL_CTL_DEL) { // Linux copies the event for any op but DEL, even an invalid one
    const b = p.mem.readOrFault(a.u(3), EVENT_SIZE);
    const dv = new DataView(b.buffer);
    events = dv.getUint32(0, true); lo = dv.getUint32(4, true); hi = dv.getUint32(8, true);
  }
  const epf = fileOf(p, a.int(0));
  const tf = fileOf(p, fd);
  // Files without a poll method: regular files, directories, /dev/null and the like.
  if (tf.inode instanceof FileInode || tf.inode instanceof DirInode || tf.ops.noPoll) return -EPERM;
  if (op !== EPOLL_CTL_ADD && op !== EPOLL_CTL_MOD && op !== EPOLL_CTL_DEL) return -EINVAL;
  if (op !== EPOLL_CTL_DEL && events & EPOLLEXCLUSIVE) {
    if (op === EPOLL_CTL_MOD) return -EINVAL;
    if (isEpoll(tf) || events & ~EXCLUSIVE_OK) return -EINVAL;
  }
  if (epf === tf || !isEpoll(epf)) return -EINVAL;
  const ep = epollOf(epf);
  const it = ep.find(tf, fd);
  switch (op) {
    case EPOLL_CTL_ADD:
      if (it) return -EEXIST;
      if (isEpoll(tf) && ep.wouldLoop(epollOf(tf))) return -ELOOP;
      ep.add(tf, fd, events, lo, hi);
      return 0;
    case EPOLL_CTL_MOD:
      if (!it) return -ENOENT;
      if (it.events & EPOLLEXCLUSIVE) return -EINVAL;
      ep.modify(it, events, lo, hi);
      return 0;
    default:
      if (!it) return -ENOENT;
      ep.remove(it);
      return 0;
  }
};

const out = new Uint8Array(EVENT_SIZE);
const outView = new DataView(out.buffer);

// The three waits: timeoutNs null waits for ever; sigmaskVa (0: none) is the mask while waiting.
function wait(k: Kernel, p: Process, a: SysArgs, timeoutNs: number | null, sigmaskVa: number, sigsetsize: number): SysResult {
  const va = a.u(1), max = a.int(2);
  if (max <= 0 || max > MAX_EVENTS) return -EINVAL;
  if (va + max * EVENT_SIZE > 2 ** 47) return -EFAULT;
  const f = fileOf(p, a.int(0));
  if (!isEpoll(f)) return -EINVAL;
  if (!p.block) {
    let mask: bigint | null = null;
    if (sigmaskVa) {
      if (sigsetsize !== 8) return -EINVAL;
      mask = p.mem.u64(sigmaskVa);
    }
    p.block = { nr: a.nr, deadline: timeoutNs === null ? undefined : Math.min(k.clock.now + timeoutNs, MAX_NS) };
    if (mask !== null) { p.restoreMask = p.sigmask; p.sigmask = mask & ~UNBLOCKABLE; }
  }
  const ep = epollOf(f);
  let at = va, faulted = false;
  const n = ep.collect(max, (events, lo, hi) => {
    outView.setUint32(0, events, true); outView.setUint32(4, lo, true); outView.setUint32(8, hi, true);
    if (!p.mem.write(at, out)) { faulted = true; return false; }
    at += EVENT_SIZE;
    return true;
  });
  if (n > 0) return n;
  if (faulted) return -EFAULT;
  const deadline = p.block.deadline ?? null;
  if (deadline !== null && k.clock.now >= deadline) return 0;
  const next = ep.nextEvent();
  p.wakeAt = deadline === null ? next : next === null || deadline < next ? deadline : next;
  return BLOCK;
}

const msTimeout = (ms: number): number | null => (ms < 0 ? null : ms * 1_000_000);

const epoll_wait: Handler = (k, p, a) => wait(k, p, a, msTimeout(a.int(3)), 0, 0);
const epoll_pwait: Handler = (k, p, a) => wait(k, p, a, msTimeout(a.int(3)), a.u(4), a.u(5));
const epoll_pwait2: Handler = (k, p, a) => {
  let t: number | null = null;
  if (a.u(3) && !p.block) {
    const ns = readTimespec(p, a.u(3));
    if (ns === null) return -EINVAL;
    t = clampNs(ns);
  }
  return wait(k, p, a, a.u(3) ? t ?? 0 : null, a.u(4), a.u(5));
};

export const epollCalls: Record<string, Handler> = { epoll_create, epoll_create1, epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2 };
