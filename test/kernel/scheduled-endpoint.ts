// A serial endpoint double for kernel tests: bytes that arrive at scheduled
// virtual times, queued in time order. Subclasses decide what writing does.
import type { SerialEndpoint } from "../../src/serial/endpoint.js";

export abstract class ScheduledEndpoint implements SerialEndpoint {
  protected pending: Array<[number, number]> = []; // [arrival time, byte]
  abstract write(data: Uint8Array, now: number): void;
  readInto(into: Uint8Array, now: number): number {
    let n = 0;
    while (n < into.length && this.pending.length && this.pending[0][0] <= now) into[n++] = this.pending.shift()![1];
    return n;
  }
  available(now: number): number { return this.pending.filter(([t]) => t <= now).length; }
  nextArrival(now: number): number | null { const a = this.pending.find(([t]) => t > now); return a ? a[0] : null; }
}
