// `skytrace drone --pty` end to end: the path on stdout, a native flight, the outcome as JSON.
import { describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

describe("skytrace drone --pty", () => {
  it("prints the PTY path, serves a native flight on it, prints the outcome and writes telemetry", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "skytrace-cli-"));
    const cfg = path.join(dir, "short.json"), tel = path.join(dir, "telemetry.csv");
    // A short mission (scaled down through --config) keeps this test quick.
    writeFileSync(cfg, JSON.stringify({ destination: { x: 3, y: 0 }, cruiseAltitudeM: 2, telemetryIntervalNs: 50000000 }));
    try {
      const cli = spawn("node", ["bin/skytrace.js", "drone", "--pty", "--seed", "5", "--config", cfg, "--telemetry", tel]);
      let out = "";
      cli.stdout.on("data", (d) => (out += d));
      const ptyPath = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("no PTY path printed")), 30_000);
        cli.stdout.on("data", () => { if (out.includes("\n")) { clearTimeout(t); resolve(out.split("\n")[0]); } });
      });
      expect(ptyPath).toMatch(/^\/dev\/pts\/\d+$/);
      const pilot = spawnSync("build/guest/autopilot", ["normal", "5", ptyPath], { encoding: "utf8" });
      expect(pilot.stderr).toBe("");
      expect(pilot.status).toBe(0);
      const code = await new Promise<number | null>((resolve) => cli.on("close", resolve));
      expect(code).toBe(0);
      const outcome = JSON.parse(out.slice(out.indexOf("\n") + 1));
      expect(outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false });
      const rows = readFileSync(tel, "utf8").trim().split("\n");
      expect(rows[0]).toBe("time_ns,x,y,z,vx,vy,vz,throttle_x,throttle_y,throttle_z,status,autopilot_state,wind_x,wind_y");
      expect(rows[1]).toMatch(/^0,/);
      expect(rows[2]).toMatch(/^50000000,/);
      expect(rows.at(-1)).toMatch(/,LANDED,(LANDING|LANDED),0\.0000,0\.0000$/); // no wind unless configured
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);

  it("refuses to run without --pty and rejects a bad seed", () => {
    const a = spawnSync("node", ["bin/skytrace.js", "drone"], { encoding: "utf8" });
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/pty/);
    const b = spawnSync("node", ["bin/skytrace.js", "drone", "--pty", "--seed", "1.5"], { encoding: "utf8" });
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/--seed must be an integer/);
  });
});
