// The drone's command protocol (docs/protocol.md): one ASCII line in, one
// ASCII line out. Anything malformed gets "ERR <reason>"; nothing here throws.
import type { Drone } from "./drone.js";
import { throttlesInRange } from "./drone.js";
import { destinationOf } from "./config.js";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const STATE_NAME = /^[A-Z][A-Z0-9_]{0,23}$/;

// Three decimals, no "-0.000": the replies are byte-identical for identical flights.
export function fmt(n: number): string {
  const s = n.toFixed(3);
  return s === "-0.000" ? "0.000" : s;
}

// The sensor line, as the reply to S and as each line of a stream.
export function sensorLine(drone: Drone, atNs: number): string {
  const r = drone.sense(atNs);
  return `P ${fmt(r.position.x)} ${fmt(r.position.y)} ${fmt(r.position.z)} ` +
    `V ${fmt(r.velocity.x)} ${fmt(r.velocity.y)} ${fmt(r.velocity.z)} ` +
    `A ${fmt(r.altitude)} F ${r.status}`;
}

// The mission and the airframe, so that the autopilot needs no copy of the scenario:
// destination, cruise altitude and speed, airframe, then the waypoints before the destination.
export function missionLine(c: Drone["config"]): string {
  const d = destinationOf(c);
  const via = c.route.slice(0, -1);
  return `MISSION D ${fmt(d.x)} ${fmt(d.y)} A ${fmt(c.cruiseAltitudeM)} S ${fmt(c.cruiseSpeedMps)} ` +
    `M ${fmt(c.massKg)} T ${fmt(c.maxThrustN.x)} ${fmt(c.maxThrustN.y)} ${fmt(c.maxThrustN.z)} ` +
    `K ${fmt(c.dragKgPerM)} G ${fmt(c.gravity)} W ${via.length}` + via.map((p) => ` ${fmt(p.x)} ${fmt(p.y)}`).join("");
}

// Highest sensor stream rate, lines per second.
export const MAX_STREAM_HZ = 200;

// What a command may change besides the drone: the sensor stream.
export interface CommandContext {
  setStream(hz: number, atNs: number): void;
}

// Execute one command line (without its "\n") at virtual time `atNs`; return the reply line.
export function executeLine(drone: Drone, line: string, atNs: number, ctx?: CommandContext): string {
  const words = line.split(" ").filter((w) => w !== "");
  if (words.length === 0) return "ERR empty line";
  const [cmd, ...args] = words;
  switch (cmd) {
    case "S": {
      if (args.length !== 0) return "ERR usage: S";
      return sensorLine(drone, atNs);
    }
    case "STREAM": {
      if (args.length !== 1 || !/^\d{1,3}$/.test(args[0])) return "ERR usage: STREAM <hz>";
      const hz = Number(args[0]);
      if (hz > MAX_STREAM_HZ) return `ERR out of range: hz in [0,${MAX_STREAM_HZ}]`;
      if (!ctx) return "ERR no stream on this transport";
      ctx.setStream(hz, atNs);
      return "OK";
    }
    case "T": {
      if (args.length !== 3) return "ERR usage: T <x> <y> <z>";
      if (!args.every((a) => NUMBER.test(a))) return "ERR not a number";
      const u = { x: Number(args[0]), y: Number(args[1]), z: Number(args[2]) };
      if (!throttlesInRange(u)) return "ERR out of range: x and y in [-1,1], z in [0,1]";
      drone.setThrottles(u, atNs);
      return "OK";
    }
    case "STATE": {
      if (args.length !== 1 || !STATE_NAME.test(args[0])) return "ERR usage: STATE <NAME>";
      drone.setAutopilotState(args[0], atNs);
      return "OK";
    }
    case "MISSION": {
      if (args.length !== 0) return "ERR usage: MISSION";
      return missionLine(drone.config);
    }
    default:
      return "ERR unknown command";
  }
}
