// The serial link between the guest's /dev/ttyS0 and a device (the drone): the
// kernel's tty calls the SerialEndpoint side; the device gets each byte at the
// virtual time it has fully crossed the wire, and its replies cross back the
// same way. Deterministic: only the callers' virtual times matter.
//
// Time is integer nanoseconds as plain numbers on both sides (the kernel's
// clock, exact below 2^53): nothing is converted on the per-select path.
import type { SerialEndpoint } from "./endpoint.js";
import { byteTimeNs, DEFAULT_BAUD, Wire } from "./wire.js";

export interface SerialDevice {
  receiveByte(byte: number, atNs: number): void;
  // A device that sends on its own schedule (the drone's sensor stream): send
  // everything due by `nowNs`, and tell when the next send is due (emitUntil
  // sends nothing before that time, so the link may skip calling it).
  emitUntil?(nowNs: number): void;
  nextEmission?(): number | null;
}

export interface LinkOptions {
  baud?: number;
}

export class SerialLink implements SerialEndpoint {
  readonly baud: number;
  readonly byteNs: number;
  private readonly toDevice: Wire;
  private readonly toGuest: Wire;
  private device: SerialDevice | null = null;
  bytesFromGuest = 0;
  bytesToGuest = 0;

  constructor(opts: LinkOptions = {}) {
    this.baud = opts.baud ?? DEFAULT_BAUD;
    this.byteNs = byteTimeNs(this.baud);
    this.toDevice = new Wire(this.byteNs);
    this.toGuest = new Wire(this.byteNs);
  }

  attach(device: SerialDevice): void { this.device = device; }

  // The device sends `data` toward the guest at `atNs`.
  sendToGuest(data: Uint8Array, atNs: number): void {
    this.bytesToGuest += data.length;
    this.toGuest.send(data, atNs);
  }

  // The guest's bytes are handed to the device at once, each stamped with its
  // arrival time. That is the same as delivering them later: the wire is FIFO,
  // so nothing the guest writes afterwards can arrive before them.
  write(data: Uint8Array, nowNs: number): void {
    this.bytesFromGuest += data.length;
    const dev = this.device;
    this.toDevice.send(data, nowNs, (b, t) => dev?.receiveByte(b, t));
  }

  readInto(into: Uint8Array, nowNs: number): number {
    this.emitDue(nowNs);
    return this.toGuest.takeInto(into, nowNs);
  }

  // Up to `max` bytes as a new array (tests, tools); the tty uses readInto.
  read(max: number, nowNs: number): Uint8Array {
    this.emitDue(nowNs);
    return this.toGuest.take(max, nowNs);
  }

  available(nowNs: number): number {
    this.emitDue(nowNs);
    return this.toGuest.available(nowNs);
  }

  nextArrival(nowNs: number): number | null {
    this.emitDue(nowNs);
    const onWire = this.toGuest.nextArrival(nowNs);
    if (onWire !== null) return onWire;
    // Nothing on the wire: the line is idle, so a scheduled send's first byte
    // arrives one byte-time after it is sent.
    const e = this.device?.nextEmission?.() ?? null;
    return e === null ? null : e + this.byteNs;
  }

  // Let the device send what is due by `nowNs` (it is called only when a send is due).
  private emitDue(nowNs: number): void {
    const dev = this.device;
    if (!dev?.emitUntil) return;
    if (dev.nextEmission) {
      const e = dev.nextEmission();
      if (e === null || e > nowNs) return;
    }
    dev.emitUntil(nowNs);
  }
}
