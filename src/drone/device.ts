// The drone's serial side: bytes in, lines out. A command acts at the virtual
// time its "\n" arrives; its reply leaves at that same time, and so does each
// line of the sensor stream at its own scheduled time (the transport, a
// SerialLink or a host PTY, adds the wire's timing).
import type { Drone } from "./drone.js";
import { executeLine, sensorLine } from "./commands.js";

// Longest command line accepted, without its "\n". Longer lines are dropped whole.
export const MAX_LINE_BYTES = 80;

export type ReplySink = (bytes: Uint8Array, atNs: number) => void;

export class DroneDevice {
  private line: number[] = [];
  private overlong = false;
  private readonly enc = new TextEncoder();
  private streamPeriodNs: number | null = null;
  private nextStreamNs = 0;
  // Counts, for the manifest and tests.
  commands = 0;
  errors = 0;
  streamed = 0;

  constructor(readonly drone: Drone, private readonly reply: ReplySink) {}

  // One byte from the controller, fully arrived at `atNs`.
  receiveByte(b: number, atNs: number): void {
    this.emitUntil(atNs); // stream lines due before this byte leave first
    if (b !== 0x0a) {
      if (this.line.length < MAX_LINE_BYTES + 1) this.line.push(b); // +1: room for a "\r"
      else this.overlong = true;
      return;
    }
    let bytes = this.line;
    this.line = [];
    const overlong = this.overlong;
    this.overlong = false;
    if (bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.slice(0, -1);
    let out: string;
    if (overlong || bytes.length > MAX_LINE_BYTES) out = "ERR line too long";
    else if (bytes.some((c) => c < 0x20 || c > 0x7e)) out = "ERR bad byte";
    else out = executeLine(this.drone, String.fromCharCode(...bytes), atNs, this);
    this.commands++;
    if (out.startsWith("ERR")) this.errors++;
    this.reply(this.enc.encode(out + "\n"), atNs);
  }

  receive(data: Uint8Array, atNs: number): void {
    for (const b of data) this.receiveByte(b, atNs);
  }

  // STREAM <hz>: a sensor line every 1/hz s, the first one period from now; 0 stops.
  setStream(hz: number, atNs: number): void {
    if (hz === 0) { this.streamPeriodNs = null; return; }
    this.streamPeriodNs = Math.floor(1_000_000_000 / hz);
    this.nextStreamNs = atNs + this.streamPeriodNs;
  }

  // Send every stream line scheduled at or before `nowNs`, each sensed at its own time.
  emitUntil(nowNs: number): void {
    const p = this.streamPeriodNs;
    if (p === null) return;
    while (this.nextStreamNs <= nowNs) {
      const t = this.nextStreamNs;
      this.nextStreamNs += p;
      this.streamed++;
      this.reply(this.enc.encode(sensorLine(this.drone, t) + "\n"), t);
    }
  }

  // When the next stream line leaves, or null when not streaming.
  nextEmission(): number | null {
    return this.streamPeriodNs === null ? null : this.nextStreamNs;
  }
}
