// Readiness callbacks: what Linux's wait queues are to epoll. A pollable object
// (a pipe, a socket, an eventfd, ...) wakes its queue with what just happened
// (POLLIN: data arrived, POLLOUT: room was made, 0: anything, as a close); an
// epoll item waiting on the object puts itself on its instance's ready list.
// Blocked system calls do not sleep on these queues: they are retried (the
// kernel's convention, src/kernel/README.md), so only epoll listens, and the
// order of wake-ups is the order in which epoll_wait reports items, as on Linux.
export type Waker = (events: number) => void;

export class WaitQueue {
  private wakers: Waker[] = [];

  add(w: Waker): void { this.wakers.push(w); }

  remove(w: Waker): void {
    const i = this.wakers.indexOf(w);
    if (i >= 0) this.wakers.splice(i, 1);
  }

  // Tell every listener what happened (a copy of the list: a waker may remove itself).
  wake(events: number): void {
    if (this.wakers.length === 0) return;
    for (const w of this.wakers.slice()) w(events);
  }
}
