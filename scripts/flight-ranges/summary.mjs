// One flight reduced to the figures the ranges table shows, from its manifest
// (and the CPU and wall time its worker measured). Plain data: it crosses a
// process boundary as JSON.

// The outcome in words, without the figures that vary from seed to seed
// ("ground contact at 8.11 m/s while CRUISE" -> "ground contact while CRUISE").
export function outcomeLabel(o) {
  if (o.crashed) {
    const why = (o.crashReason ?? "").replace(/ at \d+(\.\d+)? m\/s/, "").replace(/ > /, " above ");
    return `${o.reachedDestination ? "reached the destination, then crashed" : "crashed"}${why ? ` (${why})` : ""}`;
  }
  if (o.landed) return o.reachedDestination ? "reached the destination and landed" : "landed short of the destination";
  return "neither landed nor crashed";
}

// `intent`: what the scenario is meant to do (SCENARIO_INTENT, src/flight/scenarios.ts), when known.
export function summarize(manifest, cost = {}, intent = null) {
  const o = manifest.outcome, r = manifest.recording, m = manifest.mission, e = manifest.environment;
  return {
    scenario: manifest.scenario,
    seed: manifest.seed,
    outcome: outcomeLabel(o),
    meantTo: intent?.meantTo ?? null,
    asMeant: intent ? intent.holds(o) : null,
    // What the flight flew (manifests without a mission: the fixed mission of older builds).
    mission: m ? {
      preset: m.preset, legs: m.legs, routeM: m.distanceM, waypointsReached: o.waypointsReached,
      cruiseAltitudeM: m.cruiseAltitudeM, cruiseSpeedMps: m.cruiseSpeedMps, pollHz: m.pollHz,
      windMps: e.windMps, gustMps: e.gustMps, noiseScale: e.noiseScale,
    } : null,
    distanceM: o.distanceToDestinationM,
    maxAltitudeM: o.maxAltitudeM,
    touchdownS: o.touchdownNs === null || o.touchdownNs === undefined ? null : o.touchdownNs / 1e9,
    touchdownSpeedMps: o.touchdownSpeedMps ?? null,
    recordedS: r.durationNs / 1e9,
    syscalls: r.syscalls,
    events: r.lines,
    bySyscall: manifest.events,
    cpuS: cost.cpuS ?? null,
    wallS: cost.wallS ?? null,
    firstInWorker: cost.firstInWorker ?? false,
  };
}

// A flight that produced no dataset (safety stop, kernel panic): never what it was meant to do.
export function failure(scenario, seed, message, intent = null) {
  return { scenario, seed, failed: message.split("\n")[0], meantTo: intent?.meantTo ?? null, asMeant: intent ? false : null };
}
