// telemetry.csv: one row per telemetry interval of virtual time.
import type { TelemetryRow } from "./drone.js";

export const TELEMETRY_HEADER = "time_ns,x,y,z,vx,vy,vz,throttle_x,throttle_y,throttle_z,status,autopilot_state,wind_x,wind_y";

// Fixed decimals so the file is byte-identical for identical flights.
const f = (n: number, d: number): string => {
  const s = n.toFixed(d);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s; // no "-0.000"
};

export function telemetryLine(r: TelemetryRow): string {
  return [
    r.timeNs.toString(),
    f(r.position.x, 4), f(r.position.y, 4), f(r.position.z, 4),
    f(r.velocity.x, 4), f(r.velocity.y, 4), f(r.velocity.z, 4),
    f(r.throttles.x, 4), f(r.throttles.y, 4), f(r.throttles.z, 4),
    r.status, r.autopilotState,
    f(r.wind.x, 4), f(r.wind.y, 4),
  ].join(",");
}

export function telemetryCsv(rows: readonly TelemetryRow[]): string {
  let out = TELEMETRY_HEADER + "\n";
  for (const r of rows) out += telemetryLine(r) + "\n";
  return out;
}
