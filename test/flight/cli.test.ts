// `skytrace fly` as a user runs it: the summary, exit statuses, clear errors,
// and nothing partial left behind when it fails.
import { afterAll, describe, expect, it } from "vitest";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tmp, removeTempDirs } from "./helpers.js";
import { cpuSeconds, waitUntil } from "../cli/helpers.js";

afterAll(removeTempDirs);

const BIN = path.resolve(__dirname, "../../bin/skytrace.js");
const built = existsSync(path.resolve(__dirname, "../../dist/src/cli/main.js"));
const run = (args: string[]) => spawnSync(process.execPath, [BIN, "fly", ...args], { encoding: "utf8" });

describe.skipIf(!built)("skytrace fly (command line)", () => {
  it("rejects bad input with a clear error and exit status 2, writing nothing", () => {
    const base = tmp();
    const out = path.join(base, "out");
    writeFileSync(path.join(base, "bad.json"), JSON.stringify({ destinaton: { x: 1, y: 1 } }));
    const cases: Array<[string[], RegExp]> = [
      [["--scenario", "acrobatics", "--seed", "1", "--out", out], /unknown scenario "acrobatics": use normal, busydelay, sockets/],
      [["--scenario", "normal", "--seed", "-3", "--out", out], /--seed must be an integer from 0 to 4294967295, not "-3"/],
      [["--scenario", "normal", "--seed", "1.5", "--out", out], /--seed must be an integer from 0 to 4294967295, not "1.5"/],
      [["--scenario", "normal", "--seed", "x", "--out", out], /--seed must be an integer from 0 to 4294967295, not "x"/],
      [["--scenario", "normal", "--seed", "4294967296", "--out", out], /--seed must be an integer from 0 to 4294967295, not "4294967296"/],
      [["--scenario", "normal", "--seed", "1", "--out", out, "--baud", "0"], /--baud must be an integer from 300 to 4000000, not "0"/],
      [["--scenario", "normal", "--seed", "1", "--out", out, "--config", path.join(base, "nope.json")], /--config .*no such file/],
      [["--scenario", "normal", "--out", out, "--mission", "medium"], /^skytrace: bad mission \(--mission\) "medium": use short, long\n$/],
      // Every numeric flag's range is walked by test/cli/number-flags.test.ts; the pins' ranges are resolveFlight's own.
      [["--scenario", "normal", "--out", out, "--distance", "0"], /^skytrace: --distance must be a number above 0 and at most 10000, not "0"\n$/],
      [["--scenario", "normal", "--out", out, "--poll-hz", "500"], /^skytrace: --poll-hz must be an integer from 1 to 200, not "500"\n$/],
      [["--scenario", "normal", "--out", out, "--speed"], /Not enough arguments following: speed/],
      [["--scenario", "normal", "--out", out, "--config", path.join(base, "bad.json")], /^skytrace: --config: unknown field "destinaton"/],
    ];
    for (const [args, msg] of cases) {
      const r = run(args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stdout).toBe("");
    }
    expect(existsSync(out)).toBe(false);
    // An unwritable folder: below a regular file (root ignores permission bits, not this).
    const file = path.join(base, "plain-file");
    writeFileSync(file, "x");
    const r = run(["--scenario", "normal", "--seed", "1", "--out", path.join(file, "sub")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/cannot write to .*plain-file\/sub: .*plain-file is not a folder/);
    const onFile = run(["--scenario", "normal", "--seed", "1", "--out", file]);
    expect(onFile.status).toBe(2);
    expect(onFile.stderr).toMatch(/cannot write to .*plain-file: the path exists and is not a folder/);
    expect(readFileSync(file, "utf8")).toBe("x");
    // A folder created for the flight is removed again when the flight fails.
    const made = path.join(base, "made", "deeper");
    const t = run(["--scenario", "normal", "--seed", "1", "--out", made, "--max-virtual-seconds", "0.5"]);
    expect(t.status).toBe(1);
    expect(existsSync(path.join(base, "made"))).toBe(false);
    expect(readdirSync(base).sort()).toEqual(["bad.json", "plain-file"]);
  });

  it("flies, prints a summary, and an incomplete flight leaves the previous files untouched", () => {
    const out = path.join(tmp(), "flight");
    const ok = run(["--scenario", "sockets", "--seed", "7", "--out", out]);
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^SOCKETS flight, seed 7 \(short mission of \d legs?, [\d.]+ m at [\d.]+ m and [\d.]+ m\/s, \d+ polls\/s, wind [\d.]+ m\/s, gusts [\d.]+ m\/s\): reached the destination and landed .* Recorded \d+ syscalls \(\d+ events\) .* s of virtual time in .* s of wall time/);
    const names = ["SOCKETS_Flight.processed.txt", "SOCKETS_Flight.syscalls.parquet", "SOCKETS_Flight.txt", "manifest.json", "telemetry.csv"];
    expect(readdirSync(out).sort()).toEqual(names);
    const before = names.map((n) => readFileSync(path.join(out, n)));
    // The safety stop ends this one before FlightEnd: exit 1, nothing replaced, no temporaries.
    const stopped = run(["--scenario", "sockets", "--seed", "8", "--out", out, "--max-virtual-seconds", "2"]);
    expect(stopped.status).toBe(1);
    expect(stopped.stderr).toMatch(/did not finish within 2 s of virtual time .*nothing written/);
    expect(readdirSync(out).sort()).toEqual(names);
    names.forEach((n, i) => expect(readFileSync(path.join(out, n)).equals(before[i]), n).toBe(true));
    const m = JSON.parse(readFileSync(path.join(out, "manifest.json"), "utf8"));
    expect(m).toMatchObject({ scenario: "sockets", seed: 7, flightId: "sockets-7", options: { baud: 115200, maxVirtualSeconds: 120 } });
    // The flags pin what they name; the rest is drawn from the seed as before.
    const pinned = path.join(tmp(), "pinned");
    const p = run(["--scenario", "sockets", "--seed", "7", "--out", pinned, "--legs", "1", "--distance", "6", "--cruise-altitude", "2.5", "--speed", "3", "--wind", "0", "--gusts", "0", "--noise", "0.5", "--poll-hz", "40"]);
    expect(p.status).toBe(0);
    const pm = JSON.parse(readFileSync(path.join(pinned, "manifest.json"), "utf8"));
    expect(pm.mission).toMatchObject({ start: m.mission.start, legs: 1, distanceM: 6, cruiseAltitudeM: 2.5, cruiseSpeedMps: 3, pollHz: 40 });
    expect(pm.environment).toMatchObject({ windMps: 0, wind: { x: 0, y: 0 }, gustMps: 0, noiseScale: 0.5, gustTimeConstantS: m.environment.gustTimeConstantS });
  });

  // Ctrl-C (SIGINT) and SIGTERM (kill, docker stop) alike: the flight thread is ended, nothing of it is
  // left, the exit status is what a shell reports for the signal. Signalled once the flight is under way:
  // the process has used a second of CPU (start-up takes a fraction of that; this BUSYDELAY flight about five).
  async function interrupted(out: string, sig: NodeJS.Signals): Promise<{ code: number | null; signal: string | null; stderr: string }> {
    const child = spawn(process.execPath, [BIN, "fly", "--scenario", "busydelay", "--seed", "3", "--out", out], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<[number | null, string | null]>((r) => child.on("close", (code, s) => r([code, s])));
    await waitUntil(() => cpuSeconds(child.pid!) >= 1, child);
    child.kill(sig);
    const [code, signal] = await exited;
    return { code, signal, stderr };
  }

  for (const [sig, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`a flight stopped by ${sig} leaves no folder and no temporaries, exit ${status}; an existing folder keeps what it had`, async () => {
      const base = tmp();
      const out = path.join(base, "new-folder", "deeper");
      expect(await interrupted(out, sig)).toEqual({ code: status, signal: null, stderr: "" });
      expect(readdirSync(base)).toEqual([]);
      mkdirSync(out, { recursive: true });
      writeFileSync(path.join(out, "keep.txt"), "k");
      expect(await interrupted(out, sig)).toEqual({ code: status, signal: null, stderr: "" });
      expect(readdirSync(out)).toEqual(["keep.txt"]);
    });
  }

  it("--help names the scenarios, the seed range and the exit statuses", () => {
    const r = run(["--help"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/normal \| busydelay \| sockets/);
    expect(r.stdout).toMatch(/0\.\.4294967295/);
    expect(r.stdout).toMatch(/Exit status: 0 when/);
  });
});
