// The drone's physical phase, from its true state (not what the autopilot
// reports or what the noisy sensors say): ground truth for the per-syscall
// table's `truth_phase`. The drone hands every 1 ms step's status and true
// vertical velocity to the tracker, which keeps the transitions at exactly
// those steps' times.
//
//   on_ground   GROUNDED: on the ground before take-off
//   climbing    airborne and rising: from lift-off, or once vz exceeds +ENTER_MPS
//   cruising    airborne, |vz| back below HOLD_MPS (level flight)
//   descending  airborne and sinking: vz below -ENTER_MPS
//   landed      LANDED (final)
//   crashed     CRASHED (final)
//
// Entering climbing or descending takes |vz| above 0.5 m/s and leaving it
// |vz| below 0.25 m/s (a hysteresis), so the altitude hold's small
// corrections around the cruise altitude (a few cm/s) stay cruising and a
// phase does not flicker at its threshold. A lift-off starts climbing at
// vz near 0: it stays climbing until vz has passed 0.5 m/s and come back.
import type { DroneStatus } from "./drone.js";

export const TRUTH_PHASES = ["on_ground", "climbing", "cruising", "descending", "landed", "crashed"] as const;
export type TruthPhase = (typeof TRUTH_PHASES)[number];

export const ENTER_MPS = 0.5;
export const HOLD_MPS = 0.25;

export interface TruthTransition {
  phase: TruthPhase;
  ns: number;           // the drone's time at the step that began it
}

export class TruthPhaseTracker {
  private phase: TruthPhase | null = null;
  private risen = false;   // vz has passed ENTER_MPS since the climb began
  readonly transitions: TruthTransition[] = [];

  get current(): TruthPhase | null { return this.phase; }

  // The drone's state after a step ending at `ns` (or its initial state at 0).
  observe(ns: number, status: DroneStatus, vz: number): void {
    const next = this.next(status, vz);
    if (next === "climbing" && vz > ENTER_MPS) this.risen = true;
    if (next === this.phase) return;
    if (next === "climbing") this.risen = vz > ENTER_MPS;
    this.phase = next;
    this.transitions.push({ phase: next, ns });
  }

  private next(status: DroneStatus, vz: number): TruthPhase {
    const cur = this.phase;
    switch (status) {
      case "GROUNDED": return "on_ground";
      case "LANDED": return "landed";
      case "CRASHED": return "crashed";
      default: break;
    }
    if (cur === "on_ground") return "climbing";   // lift-off
    if (vz > ENTER_MPS) return "climbing";
    if (vz < -ENTER_MPS) return "descending";
    if (cur === "climbing" && (vz > HOLD_MPS || !this.risen)) return "climbing";
    if (cur === "descending" && vz < -HOLD_MPS) return "descending";
    return "cruising";
  }
}
