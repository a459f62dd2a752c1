// A position-spoofing attack on the drone's side (the "spoof" anomaly,
// src/flight/anomalies/schedule.ts): from a time after the autopilot first
// reports a phase, the position the sensors send is dragged off the true one,
// linearly up to `offset` over each window, and snaps back when the window
// ends. The autopilot's code path is the normal one; what changes is what it
// reads, hence when it turns, how long it cruises, where it lands. No draw of
// the sensor noise changes: the offset is added to the noisy reading.
import type { Point } from "./config.js";

export interface SpoofWindow { afterNs: number; durationNs: number; offset: Point }
export interface SpoofAttack { phase: string; windows: SpoofWindow[] }

/** A window as it happened: absolute virtual ns. */
export interface SpoofSpan { window: number; startNs: number; endNs: number; offset: Point }

export class Spoofer {
  private spans: SpoofSpan[] | null = null;

  constructor(private readonly attack: SpoofAttack) {}

  /** The autopilot reported `state` at `ns`: the first report of the attack's phase starts its clock. */
  report(state: string, ns: number): void {
    if (this.spans || state !== this.attack.phase) return;
    this.spans = this.attack.windows.map((w, i) => ({ window: i, startNs: ns + w.afterNs, endNs: ns + w.afterNs + w.durationNs, offset: w.offset }));
  }

  /** What the attack adds to the position read at `ns`. */
  offsetAt(ns: number): Point | null {
    if (!this.spans) return null;
    for (const s of this.spans) {
      if (ns < s.startNs || ns >= s.endNs) continue;
      const f = (ns - s.startNs) / (s.endNs - s.startNs);
      return { x: s.offset.x * f, y: s.offset.y * f };
    }
    return null;
  }

  /** The windows whose start came before `endNs` (the recording's end), each cut there. */
  windows(endNs: number): SpoofSpan[] {
    return (this.spans ?? []).filter((s) => s.startNs < endNs).map((s) => ({ ...s, endNs: Math.min(s.endNs, endNs) }));
  }
}
