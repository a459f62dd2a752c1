import { describe, expect, it } from "vitest";
import { Drone, DroneDevice, droneConfig, MAX_LINE_BYTES } from "../../src/drone/index.js";

// A device whose replies are collected as text lines with their send times.
function rig(config = {}) {
  const drone = new Drone(droneConfig({ noise: { positionM: 0, velocityMps: 0, altitudeM: 0 }, ...config }));
  const out: Array<{ line: string; t: number }> = [];
  let buf = "";
  const dev = new DroneDevice(drone, (bytes, t) => {
    buf += Buffer.from(bytes).toString("latin1");
    let i;
    while ((i = buf.indexOf("\n")) >= 0) { out.push({ line: buf.slice(0, i), t }); buf = buf.slice(i + 1); }
  });
  const send = (s: string | Uint8Array, t = 0) => dev.receive(typeof s === "string" ? Buffer.from(s, "latin1") : s, t);
  const lines = () => out.map((o) => o.line);
  return { drone, dev, out, send, lines };
}

describe("drone command protocol", () => {
  it("S reads position, velocity, altitude and status", () => {
    const r = rig({ start: { x: 1, y: -2, z: 0 } });
    r.send("S\n");
    expect(r.lines()).toEqual(["P 1.000 -2.000 0.000 V 0.000 0.000 0.000 A 0.000 F GROUNDED"]);
  });

  it("T sets throttles from the time its newline arrives", () => {
    const r = rig();
    r.send("T 0 0 0.8", 0);
    r.send("\n", 500_000_000);
    expect(r.lines()).toEqual(["OK"]);
    expect(r.drone.throttles).toEqual({ x: 0, y: 0, z: 0.8 });
    expect(r.drone.timeNs).toBe(500_000_000);
    expect(r.drone.position.z).toBe(0); // nothing pushed before the newline
    r.drone.advanceTo(1_000_000_000);
    expect(r.drone.position.z).toBeGreaterThan(0.2);
  });

  it("accepts the number forms the autopilot prints, and CRLF", () => {
    const r = rig();
    r.send("T -0.125 +1 .5\r\nT 1. 0 0\n");
    expect(r.lines()).toEqual(["OK", "OK"]);
    expect(r.drone.throttles).toEqual({ x: 1, y: 0, z: 0 });
  });

  it("STATE records the autopilot state for telemetry and landing", () => {
    const r = rig();
    r.send("STATE CRUISE\n", 10_000_000);
    expect(r.lines()).toEqual(["OK"]);
    expect(r.drone.autopilotState).toBe("CRUISE");
    r.drone.advanceTo(20_000_000);
    expect(r.drone.telemetry.at(-1)!.autopilotState).toBe("CRUISE");
  });

  it("MISSION tells the destination, altitude, speed and airframe, then the waypoints before the destination", () => {
    const r = rig();
    r.send("MISSION\n");
    expect(r.lines()).toEqual(["MISSION D 8.000 6.000 A 3.000 S 4.000 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 0"]);
    const routed = rig({ route: [{ x: -1.5, y: 2 }, { x: 10.25, y: -3.0004 }, { x: 7, y: 7 }], cruiseAltitudeM: 4.5, cruiseSpeedMps: 3.25 });
    routed.send("MISSION\n");
    expect(routed.lines()).toEqual(["MISSION D 7.000 7.000 A 4.500 S 3.250 M 1.500 T 6.000 6.000 30.000 K 0.100 G 9.810 W 2 -1.500 2.000 10.250 -3.000"]);
  });

  it("MISSION lists a route of 64 waypoints on one line, and the line's grammar holds for any route", () => {
    const route = Array.from({ length: 64 }, (_, i) => ({ x: -123.4567 + i * 7.1, y: 99.9996 - i * 3.3 }));
    const r = rig({ route });
    r.send("MISSION\n");
    const line = r.lines()[0];
    const n = "-?\\d+\\.\\d{3}";
    const grammar = new RegExp(`^MISSION D ${n} ${n} A ${n} S ${n} M ${n} T ${n} ${n} ${n} K ${n} G ${n} W (\\d+)((?: ${n} ${n})*)$`);
    const m = grammar.exec(line)!;
    expect(m).not.toBeNull();
    expect(Number(m[1])).toBe(63);
    const nums = m[2].trim().split(" ").map(Number);
    expect(nums).toHaveLength(126);
    expect(nums.slice(0, 4)).toEqual([-123.457, 100, -116.357, 96.7]);
    expect(line.length).toBeLessThan(2048); // the autopilot's reply buffer
  });

  it("STREAM sends a sensor line every period, each sensed at its own time", () => {
    const r = rig();
    r.send("STREAM 50\n", 1_000_000);
    r.dev.emitUntil(61_000_000);
    expect(r.out.map((o) => o.t)).toEqual([1_000_000, 21_000_000, 41_000_000, 61_000_000]);
    expect(r.lines().slice(1).every((l) => l.startsWith("P "))).toBe(true);
    expect(r.dev.nextEmission()).toBe(81_000_000);
    r.send("STREAM 0\n", 70_000_000);
    expect(r.dev.nextEmission()).toBe(null);
    r.dev.emitUntil(200_000_000);
    expect(r.lines().length).toBe(5);
  });

  it("a command arriving after a due stream line is answered after it", () => {
    const r = rig();
    r.send("STREAM 100\n", 0);
    r.send("S\n", 25_000_000); // lines due at 10 and 20 ms go first
    expect(r.out.map((o) => [o.line.slice(0, 2), o.t])).toEqual([["OK", 0], ["P ", 10_000_000], ["P ", 20_000_000], ["P ", 25_000_000]]);
  });

  const bad: Array<[string, string]> = [
    ["\n", "ERR empty line"],
    ["   \n", "ERR empty line"],
    ["FLY\n", "ERR unknown command"],
    ["s\n", "ERR unknown command"],
    ["S 1\n", "ERR usage: S"],
    ["T 1 2\n", "ERR usage: T <x> <y> <z>"],
    ["T a b c\n", "ERR not a number"],
    ["T 1e0 0 0\n", "ERR not a number"],
    ["T NaN 0 0\n", "ERR not a number"],
    ["T 0 0 -0.1\n", "ERR out of range: x and y in [-1,1], z in [0,1]"],
    ["T 1.01 0 0\n", "ERR out of range: x and y in [-1,1], z in [0,1]"],
    ["STATE\n", "ERR usage: STATE <NAME>"],
    ["STATE cruise\n", "ERR usage: STATE <NAME>"],
    ["STATE A B\n", "ERR usage: STATE <NAME>"],
    ["STREAM 1000\n", "ERR usage: STREAM <hz>"],
    ["STREAM 201\n", "ERR out of range: hz in [0,200]"],
    ["STREAM -1\n", "ERR usage: STREAM <hz>"],
    ["MISSION now\n", "ERR usage: MISSION"],
    ["S\x00\n", "ERR bad byte"],
    ["T 0 0 0\x7f\n", "ERR bad byte"],
  ];
  it.each(bad)("answers %j with an error", (input, reply) => {
    const r = rig();
    r.send(input);
    expect(r.lines()).toEqual([reply]);
    expect(r.drone.throttles).toEqual({ x: 0, y: 0, z: 0 });
    expect(r.dev.errors).toBe(1);
  });

  it("drops an overlong line whole, then carries on", () => {
    const r = rig();
    r.send("T 0 0 0.5" + " ".repeat(MAX_LINE_BYTES) + "\nS\n");
    expect(r.lines()[0]).toBe("ERR line too long");
    expect(r.lines()[1]).toMatch(/^P /);
    expect(r.drone.throttles.z).toBe(0);
    // A line of exactly the limit is fine.
    const ok = rig();
    ok.send("T 0 0 0.5" + " ".repeat(MAX_LINE_BYTES - 9) + "\n");
    expect(ok.lines()).toEqual(["OK"]);
  });

  it("never throws on random bytes, and answers every line exactly once", () => {
    let seed = 12345;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) & 0xff;
    const r = rig();
    const bytes = new Uint8Array(200_000);
    for (let i = 0; i < bytes.length; i++) {
      const b = rnd();
      bytes[i] = b < 20 ? 0x0a : b < 120 ? "TS 0.5-1EAMI\r\x00"[b % 14].charCodeAt(0) : b;
    }
    let t = 0;
    expect(() => { for (let i = 0; i < bytes.length; i += 97) r.send(bytes.subarray(i, i + 97), (t += 1_000_000)); }).not.toThrow();
    const newlines = bytes.reduce((n, b) => n + (b === 0x0a ? 1 : 0), 0);
    expect(r.lines().length).toBe(newlines);
    expect(r.lines().every((l) => /^(OK|ERR [ -~]+|P .* F [A-Z]+|MISSION .*)$/.test(l))).toBe(true);
  });
});
