// The autopilot compiled natively (build/guest/*, built by `npm install`) flies
// the drone served on a host pseudo-terminal, in real time.
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { servePty } from "../../src/pty/serve.js";

const guest = path.resolve("build/guest");
const exe = (name: string) => {
  const p = path.join(guest, name);
  if (!existsSync(p)) throw new Error(`${p} is missing: run 'npm run build:guests'`);
  return p;
};

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number | null; stderr: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    c.stderr.on("data", (d) => (stderr += d));
    c.on("close", (code) => resolve({ code, stderr, ms: Date.now() - t0 }));
  });
}

// The order in which the autopilot reported its states, from the telemetry.
function states(srv: ReturnType<typeof servePty>): string[] {
  const seen: string[] = [];
  for (const r of srv.drone.telemetry) if (seen.at(-1) !== r.autopilotState) seen.push(r.autopilotState);
  return seen;
}

// The drone learns the autopilot's last report from the PTY asynchronously: after
// the process exits, its last line may still be on its way to the server.
async function settled(srv: ReturnType<typeof servePty>): Promise<void> {
  await srv.finished;
  for (const end = Date.now() + 3000; Date.now() < end && !/^(LANDED|CRASHED)$/.test(srv.drone.autopilotState);) {
    await new Promise((r) => setTimeout(r, 10));
  }
}

// These flights run in real time beside the rest of the suite: a host busy
// enough to stall the controller for a few hundred ms (the busydelay scenario's
// mechanism) can make a sound flight lag and crash, so each gets one retry.
const REALTIME = { timeout: 90_000, retry: 1 };

describe("native autopilot over --pty", () => {
  it("flight-init runs mkdir FlightBegin, the autopilot (normal) and mkdir FlightEnd: the drone reaches its destination and lands", REALTIME, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-flight-"));
    const srv = servePty({ seed: 1 });
    try {
      expect(srv.path).toMatch(/^\/dev\/pts\/\d+$/);
      const r = await run(exe("flight-init"), ["normal", "1", srv.path], dir);
      await settled(srv);
      const o = srv.outcome();
      console.log(`native normal flight: ${r.ms} ms wall, ${Number(o.timeNs) / 1e9} s drone time, ` +
        `${o.distanceToDestinationM.toFixed(2)} m from the destination, max altitude ${o.maxAltitudeM.toFixed(2)} m`);
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(o).toMatchObject({ reachedDestination: true, landed: true, crashed: false, status: "LANDED", autopilotState: "LANDED" });
      expect(o.distanceToDestinationM).toBeLessThan(srv.drone.config.reachRadiusM);
      // The last report (LANDED) may be younger than one telemetry interval: not in a row yet.
      expect(states(srv).slice(0, 4)).toEqual(["NONE", "TAKEOFF", "CRUISE", "LANDING"]);
      expect(states(srv).slice(4)).toEqual(states(srv).length > 4 ? ["LANDED"] : []);
      expect(readdirSync(dir).sort()).toEqual(["FlightBegin", "FlightEnd"]);
      expect(srv.device.errors).toBe(0);
      expect(await srv.finished).toMatchObject({ landed: true });
    } finally {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const strace = spawnSync("strace", ["-V"]).status === 0;
  it.skipIf(!strace)("sockets: UDP datagrams go out only while cruising, and the flight still lands", REALTIME, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-sockets-"));
    const log = path.join(dir, "strace.txt");
    const srv = servePty({ seed: 2 });
    try {
      const r = await run("strace", ["-f", "--seccomp-bpf", "-e", "trace=socket,sendto,write", "-o", log, exe("autopilot"), "sockets", "2", srv.path,
        // One stretch of the schedule: 40 polls from the first in CRUISE, a datagram of 8 bytes at 30 % of them, ports 20000-59999.
        "anomaly_phase=CRUISE", "anomaly=0:40:300:8:20000:40000"]);
      await settled(srv);
      const o = srv.outcome();
      expect(r.code).toBe(0);
      expect(o).toMatchObject({ reachedDestination: true, landed: true, crashed: false });
      const calls = readFileSync(log, "utf8").split("\n");
      const at = (re: RegExp) => calls.findIndex((l) => re.test(l));
      const cruise = at(/write\(\d+, "STATE CRUISE\\n"/);
      const landing = at(/write\(\d+, "STATE LANDING\\n"/);
      const sends = calls.flatMap((l, i) => (/sendto\(\d+, "skytrace", 8, 0, \{sa_family=AF_INET, sin_port=htons\(\d+\), sin_addr=inet_addr\("127\.0\.0\.1"\)\}/.test(l) ? [i] : []));
      const sockets = calls.flatMap((l, i) => (/socket\(AF_INET, SOCK_DGRAM/.test(l) ? [i] : []));
      expect(cruise).toBeGreaterThan(0);
      expect(landing).toBeGreaterThan(cruise);
      expect(sends.length).toBeGreaterThan(3);
      expect(sockets.length).toBe(sends.length);
      expect(sends.every((i) => i > cruise && i < landing)).toBe(true);
      expect(sockets.every((i) => i > cruise && i < landing)).toBe(true);
    } finally {
      srv.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  // Real-time factoring speed depends on the host CPU, so this one is opt-in.
  it.runIf(process.env.SKYTRACE_NATIVE_BUSY === "1")("busydelay (native, host-speed factoring): climbs too high, crashes, never reaches the destination", async () => {
    const srv = servePty({ seed: 3 });
    try {
      // 28-bit factors natively ~ 26 bits at 1 ns per instruction (see docs/drone.md).
      // One long stretch from the 10th poll in TAKEOFF, a factoring every 12 polls.
      const r = await run(exe("autopilot"), ["busydelay", "3", srv.path, "anomaly_phase=TAKEOFF", "anomaly=10:100000:28:12:0:0"]);
      const o = srv.outcome();
      expect(r.code).toBe(3);
      expect(o).toMatchObject({ reachedDestination: false, crashed: true });
      expect(o.maxAltitudeM).toBeGreaterThan(srv.drone.config.cruiseAltitudeM * 1.5);
    } finally {
      srv.close();
    }
  }, 90_000);

  it("rejects bad arguments with a clear message", async () => {
    const a = exe("autopilot");
    expect(await run(a, ["fly"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/^usage: autopilot/) });
    expect(await run(a, ["normal", "-3"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/SEED must be an unsigned integer/) });
    expect(await run(a, ["normal", "12x"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/SEED/) });
    expect(await run(a, ["normal", "1", "/nonexistent/tty"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/cannot open the serial port/) });
    expect(await run(a, ["normal", "1", "/dev/null"])).toMatchObject({ code: 2, stderr: expect.stringMatching(/not a terminal/) });
    expect(await run(a, ["normal", "1", "/dev/null", "warp=9"])).toMatchObject({ code: 1, stderr: expect.stringMatching(/unknown option/) });
  });

  it("a controller that speaks nonsense gets ERR lines and the drone keeps serving", async () => {
    const srv = servePty({});
    try {
      const py = `
import os, sys, time, select
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
os.write(fd, b"HELLO\\n" + bytes(range(1, 10)) + b"\\n" + b"X" * 500 + b"\\nS\\n")
buf = b""
end = time.time() + 10
while buf.count(b"\\n") < 4 and time.time() < end:
    r, _, _ = select.select([fd], [], [], 1)
    if r: buf += os.read(fd, 4096)
sys.stdout.write(buf.decode())
`;
      const out = await new Promise<string>((resolve) => {
        const c = spawn("python3", ["-c", py, srv.path]);
        let s = "";
        c.stdout.on("data", (d) => (s += d));
        c.on("close", () => resolve(s));
      });
      const lines = out.split("\n");
      expect(lines.slice(0, 3)).toEqual(["ERR unknown command", "ERR bad byte", "ERR line too long"]);
      expect(lines[3]).toMatch(/^P .* F GROUNDED$/);
      expect(srv.outcome().status).toBe("GROUNDED");
    } finally {
      srv.close();
    }
  });
});
