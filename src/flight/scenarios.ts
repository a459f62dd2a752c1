// The three missions of the published dataset and what each one passes to the
// drone and the autopilot. The scenario itself lives in the autopilot (as in
// the original); these are only the parameters the flight starts it with.
export const SCENARIOS = ["normal", "busydelay", "sockets"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export function isScenario(s: unknown): s is Scenario {
  return typeof s === "string" && (SCENARIOS as readonly string[]).includes(s);
}

// The autopilot's tuning arguments (`poll_hz=N busy_bits=N`, docs/drone.md). The
// poll rate is part of the mission (drawn per flight, src/flight/mission.ts).
export interface AutopilotTuning {
  pollHz: number;
  busyBits: number;
}

export const DEFAULT_AUTOPILOT: Readonly<Pick<AutopilotTuning, "busyBits">> = Object.freeze({ busyBits: 26 });

// Per-scenario defaults. Empty today: the drone's and the autopilot's own
// defaults give every scenario its outcome on at least 95 % of seeds (docs/dataset.md).
export const SCENARIO_DEFAULTS: Record<Scenario, { autopilot: Partial<AutopilotTuning> }> = {
  normal: { autopilot: {} },
  busydelay: { autopilot: {} },
  sockets: { autopilot: {} },
};

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
};

// File name stem of the published dataset: NORMAL_Flight.txt and so on.
export const fileStem = (s: Scenario): string => `${s.toUpperCase()}_Flight`;
