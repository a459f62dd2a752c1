// epoll instances (fs/eventpoll.c): an interest list of (file, fd) items and a
// ready list in the order wake-ups arrived. An item joins the ready list when
// its file's wait queue wakes with an event it watches (or, on EPOLL_CTL_ADD and
// MOD, when it is ready already); epoll_wait takes items from the head, polls
// each again and reports what is ready now. A level-triggered item goes back to
// the tail after being reported, an edge-triggered one waits for the next
// wake-up, a one-shot one is disabled until EPOLL_CTL_MOD. Items go when their
// file's last reference does (not when the fd is closed, as on Linux).
//
// Sources whose readiness changes with virtual time alone (a timerfd, the serial
// port's arriving bytes: the ones with nextEvent) wake lazily, when looked at:
// the instance looks at them before it reports (refresh).
import type { Clock } from "../clock.js";
import { FileOps, OpenFile, POLLIN, POLLRDNORM, POLLERR, POLLHUP } from "./file.js";
import { WaitQueue, Waker } from "./wait-queue.js";

export const EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 0x80000000;
// The bits that stay when a one-shot item fires (Linux's EP_PRIVATE_BITS).
const PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
// Nesting of epoll instances inside each other, at most (EP_MAX_NESTS).
const MAX_NESTS = 4;

export class EpollItem {
  onList = false;
  readonly waker: Waker;
  readonly dropOnRelease: () => void;
  constructor(readonly ep: Epoll, readonly file: OpenFile, readonly fd: number, public events: number,
    public dataLo: number, public dataHi: number) {
    this.waker = (ev) => ep.wakeItem(this, ev);
    this.dropOnRelease = () => ep.remove(this);
  }
}

export class Epoll {
  readonly items: EpollItem[] = [];   // the interest list, in the order items were added
  private ready: EpollItem[] = [];
  readonly wq = new WaitQueue();
  readonly ops: FileOps;

  constructor(private readonly clock: Clock) {
    const ep = this;
    this.ops = {
      seekable: false,
      read: () => -22,  // EINVAL: an epoll file has no read or write
      write: () => -22,
      poll: () => (ep.hasReady(0) ? POLLIN | POLLRDNORM : 0),
      nextEvent: () => ep.nextEvent(),
      wq: this.wq,
      release: () => { for (const it of ep.items.slice()) ep.remove(it); },
    };
  }

  find(file: OpenFile, fd: number): EpollItem | undefined {
    return this.items.find((it) => it.file === file && it.fd === fd);
  }

  add(file: OpenFile, fd: number, events: number, dataLo: number, dataHi: number): void {
    const it = new EpollItem(this, file, fd, events | POLLERR | POLLHUP, dataLo, dataHi);
    this.items.push(it);
    file.ops.wq?.add(it.waker);
    (file.onRelease ??= []).push(it.dropOnRelease);
    this.queueIfReady(it);
  }

  modify(it: EpollItem, events: number, dataLo: number, dataHi: number): void {
    it.events = events | POLLERR | POLLHUP;
    it.dataLo = dataLo;
    it.dataHi = dataHi;
    this.queueIfReady(it);
  }

  remove(it: EpollItem): void {
    const i = this.items.indexOf(it);
    if (i < 0) return;
    this.items.splice(i, 1);
    it.file.ops.wq?.remove(it.waker);
    const hooks = it.file.onRelease;
    if (hooks) { const j = hooks.indexOf(it.dropOnRelease); if (j >= 0) hooks.splice(j, 1); }
    if (it.onList) { this.ready.splice(this.ready.indexOf(it), 1); it.onList = false; }
  }

  private queueIfReady(it: EpollItem): void {
    if (it.file.ops.poll(it.file, this.clock) & it.events) this.enqueue(it);
  }

  // An item's file woke with `ev` (0: anything): a disabled one-shot item and an event it does
  // not watch change nothing.
  wakeItem(it: EpollItem, ev: number): void {
    if (!(it.events & ~PRIVATE_BITS)) return;
    if (ev && !(ev & it.events)) return;
    this.enqueue(it);
  }

  private enqueue(it: EpollItem): void {
    if (it.onList) return;
    it.onList = true;
    this.ready.push(it);
    this.wq.wake(POLLIN);
  }

  // Let the time-driven sources announce what has happened by now (see the file's comment).
  refresh(depth = 0): void {
    if (depth > MAX_NESTS) return;
    for (const it of this.items) {
      if (isEpoll(it.file)) epollOf(it.file).refresh(depth + 1);
      else if (it.file.ops.nextEvent) it.file.ops.poll(it.file, this.clock);
    }
  }

  // Whether any item on the ready list is ready now (dropping those that are not), as Linux's
  // poll of an epoll file answers.
  hasReady(depth: number): boolean {
    this.refresh(depth);
    for (const it of this.ready.slice()) {
      if (this.pollItem(it, depth)) return true;
      this.ready.splice(this.ready.indexOf(it), 1);
      it.onList = false;
    }
    return false;
  }

  private pollItem(it: EpollItem, depth: number): number {
    const f = it.file;
    const mask = isEpoll(f) ? (depth < MAX_NESTS && epollOf(f).hasReady(depth + 1) ? POLLIN | POLLRDNORM : 0) : f.ops.poll(f, this.clock);
    return mask & it.events;
  }

  // epoll_wait's scan (ep_send_events): up to `max` events from the head of the ready list, each
  // handed to `emit`, which copies it to the caller and returns false when that faults (the item
  // then stays at the head and the scan stops). Returns how many were emitted.
  collect(max: number, emit: (events: number, dataLo: number, dataHi: number) => boolean): number {
    this.refresh();
    const scan = this.ready;
    this.ready = [];
    const again: EpollItem[] = [];
    let n = 0, i = 0;
    for (; i < scan.length && n < max; i++) {
      const it = scan[i];
      it.onList = false;
      const ev = this.pollItem(it, 0);
      if (!ev) continue;
      if (!emit(ev, it.dataLo, it.dataHi)) { it.onList = true; break; }
      n++;
      if (it.events & EPOLLONESHOT) it.events &= PRIVATE_BITS;
      else if (!(it.events & EPOLLET)) again.push(it);
    }
    // Not reached (or faulted): back at the head; woken meanwhile: next; level-triggered ones
    // just reported: at the tail.
    const rest = scan.slice(i);
    const woken = this.ready;
    for (const it of again) if (!it.onList) { it.onList = true; woken.push(it); }
    this.ready = rest.length ? rest.concat(woken) : woken;
    return n;
  }

  // The earliest virtual time a time-driven item may become ready.
  nextEvent(): number | null {
    let t: number | null = null;
    for (const it of this.items) {
      const n = it.file.ops.nextEvent?.(it.file, this.clock) ?? null;
      if (n !== null && (t === null || n < t)) t = n;
    }
    return t;
  }

  // Would adding `target` (an epoll file) to this instance make a loop or nest too deep?
  wouldLoop(target: Epoll): boolean {
    const visit = (ep: Epoll, depth: number): boolean => {
      if (ep === this || depth > MAX_NESTS) return true;
      return ep.items.some((it) => isEpoll(it.file) && visit(epollOf(it.file), depth + 1));
    };
    return visit(target, 1);
  }
}

const instances = new WeakMap<FileOps, Epoll>();
export function registerEpoll(ep: Epoll): void { instances.set(ep.ops, ep); }
export const isEpoll = (f: OpenFile): boolean => instances.has(f.ops);
export const epollOf = (f: OpenFile): Epoll => instances.get(f.ops)!;
