// The autopilot's side of MISSION: it reads the reply's route and speed, and
// refuses a malformed one (exit status 4) instead of flying something else.
// The autopilot runs in the emulator against a scripted drone that answers
// MISSION with a given line and every other command with OK.
import { describe, expect, it } from "vitest";
import { runProgram } from "../../src/kernel/run-program.js";
import { guestProgram } from "../../src/flight/paths.js";
import { droneConfig } from "../../src/drone/index.js";
import { missionLine } from "../../src/drone/commands.js";
import type { SerialEndpoint } from "../../src/serial/endpoint.js";

class ScriptedDrone implements SerialEndpoint {
  lines: string[] = [];
  private buf = "";
  private out: Array<[number, number]> = [];
  constructor(private readonly mission: string) {}
  write(data: Uint8Array, now: number): void {
    this.buf += Buffer.from(data).toString("latin1");
    let i;
    while ((i = this.buf.indexOf("\n")) >= 0) {
      const line = this.buf.slice(0, i);
      this.buf = this.buf.slice(i + 1);
      this.lines.push(line);
      const reply = line === "MISSION" ? this.mission : "OK";
      [...reply + "\n"].forEach((c, k) => this.out.push([now + 1000 * (k + 1), c.charCodeAt(0)]));
    }
  }
  readInto(into: Uint8Array, now: number): number {
    let n = 0;
    while (n < into.length && this.out.length && this.out[0][0] <= now) into[n++] = this.out.shift()![1];
    return n;
  }
  available(now: number): number { return this.out.filter(([t]) => t <= now).length; }
  nextArrival(now: number): number | null { const a = this.out.find(([t]) => t > now); return a ? a[0] : null; }
}

function pilot(mission: string): { status: number; stderr: string; sent: string[] } {
  const dev = new ScriptedDrone(mission);
  let stderr = "";
  const r = runProgram({
    program: guestProgram("autopilot"), guestPath: "/bin/autopilot", argv: ["/bin/autopilot", "normal", "1", "/dev/ttyS0", "poll_hz=40"],
    serial: dev, seed: 1, maxTicks: 60_000_000_000n,
    stdio: { read: () => 0, write: (_fd, d) => { stderr += Buffer.from(d).toString(); }, kind: () => "pipe" },
  });
  if (r.kind !== "exited") throw new Error(r.message);
  return { status: r.status, stderr, sent: dev.lines };
}

describe("the autopilot reads MISSION", () => {
  it("takes a route of waypoints and a speed, then starts the flight (and stops when no sensor line comes)", () => {
    const line = missionLine(droneConfig({ route: [{ x: 1, y: 2 }, { x: -3.5, y: 4 }, { x: 10, y: 10 }], cruiseSpeedMps: 3 }));
    expect(line).toMatch(/ S 3\.000 .* W 2 1\.000 2\.000 -3\.500 4\.000$/);
    const r = pilot(line);
    expect(r.sent).toEqual(["MISSION", "STATE TAKEOFF", "STREAM 40"]);
    expect(r.stderr).toBe("autopilot: no reply from the drone\n");
    expect(r.status).toBe(4);
  });

  const bad: Array<[string, string]> = [
    ["the old reply, without speed and waypoints", "MISSION D 8.000 6.000 A 3.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810"],
    ["fewer waypoints than announced", "MISSION D 8.000 6.000 A 3.000 S 4.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 2 1.000 2.000"],
    ["more waypoints than announced", "MISSION D 8.000 6.000 A 3.000 S 4.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 0 1.000 2.000"],
    ["a route over the limit", "MISSION D 8.000 6.000 A 3.000 S 4.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 64" + " 1.000 1.000".repeat(64)],
    ["a fractional count", "MISSION D 8.000 6.000 A 3.000 S 4.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 1.5 1.000 1.000"],
    ["a zero speed", "MISSION D 8.000 6.000 A 3.000 S 0.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 0"],
    ["a word that is not a number", "MISSION D 8.000 6.000 A 3.000 S 4.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 1 1.000 x"],
  ];
  it.each(bad)("refuses %s: exit status 4, nothing flown", (_what, line) => {
    const r = pilot(line);
    expect(r.stderr).toBe("autopilot: bad MISSION reply\n");
    expect(r.status).toBe(4);
    expect(r.sent).toEqual(["MISSION"]);
  });
});
