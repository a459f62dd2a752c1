// The three missions of the published dataset and three more anomaly kinds, and
// what each one passes to the drone and the autopilot. The scenario itself
// lives in the autopilot (as in the original) or, for spoof, in the drone;
// these are only the parameters the flight starts it with. Each anomalous
// scenario's schedule: src/flight/anomalies/schedule.ts.
export const SCENARIOS = ["normal", "busydelay", "sockets", "shell", "hog", "spoof"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function isScenario(s: unknown): s is Scenario {
  return typeof s === "string" && (SCENARIOS as readonly string[]).includes(s);
}

// The autopilot's tuning: its poll rate (`poll_hz=N`, docs/drone.md), part of the mission
// (drawn per flight, src/flight/mission.ts), and busyBits, a pin of busydelay's factoring
// size (the schedule's `bits`, kept under its old name).
export interface AutopilotTuning {
  pollHz: number;
  busyBits: number;
}

// What each scenario is meant to do, judged from the drone's outcome: the label a flight of it
// carries. docs/dataset.md measures how often it holds (scripts/flight-ranges.mjs).
export interface ScenarioIntent {
  meantTo: string;
  holds(o: { reachedDestination: boolean; landed: boolean; crashed: boolean }): boolean;
}

export const SCENARIO_INTENT: Record<Scenario, ScenarioIntent> = {
  normal: { meantTo: "reach the destination and land", holds: (o) => o.reachedDestination && o.landed },
  busydelay: { meantTo: "crash short of the destination", holds: (o) => o.crashed && !o.reachedDestination },
  sockets: { meantTo: "reach the destination and land", holds: (o) => o.reachedDestination && o.landed },
  shell: { meantTo: "reach the destination and land", holds: (o) => o.reachedDestination && o.landed },
  hog: { meantTo: "reach the destination and land", holds: (o) => o.reachedDestination && o.landed },
  // The spoofed position drags the route aside while it lasts; the autopilot lands wherever it believes the destination is.
  spoof: { meantTo: "land without crashing", holds: (o) => o.landed && !o.crashed },
};

// File name stem of the published dataset: NORMAL_Flight.txt and so on.
export const fileStem = (s: Scenario): string => `${s.toUpperCase()}_Flight`;
