// The real flight job in the real pool keeps one core instance per worker and
// reuses it: with 2 workers and 6 flights of three scenarios each worker flies
// several flights on one instance, and every flight's files are byte for byte
// those of the same flight flown alone on a fresh instance.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { generate } from "../../src/generate/generate.js";
import { readJournal } from "../../src/generate/index-store.js";
import { runFlight } from "../../src/flight/run-flight.js";
import type { FlightOptions } from "../../src/flight/options.js";
import { removeTempDirs, tempDir } from "./helpers.js";

const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };
afterAll(removeTempDirs);

describe("generate reuses one core instance per worker", () => {
  it("each worker flies several flights on one instance, each flight equal to a fresh instance's", async () => {
    const dir = tempDir("reuse");
    const s = await generate({ out: dir, flights: 6, mix: "normal=1,busydelay=1,sockets=1", seed: "31", workers: 2, flightOptions: SHORT });
    expect(s).toMatchObject({ ran: 6, failed: 0 });
    expect(s.workers.reduce((n, w) => n + w.flights, 0)).toBe(6);
    for (const w of s.workers) expect(w.coreInstances).toBe(1);
    expect(Math.max(...s.workers.map((w) => w.flights))).toBeGreaterThanOrEqual(3);
    const idx = readJournal(path.join(dir, "index.jsonl"));
    expect(new Set([...idx.values()].map((r) => r.scenario)).size).toBe(3);
    for (const r of idx.values()) {
      const alone = tempDir("alone");
      runFlight({ ...SHORT, scenario: r.scenario, seed: r.seed, flightId: r.id, outDir: alone } as FlightOptions);
      for (const f of r.files.filter((x) => x.role !== "events")) {
        const mine = readFileSync(path.join(alone, path.basename(f.name)));
        expect(mine.equals(readFileSync(path.join(dir, f.name))), `${f.name} byte-identical`).toBe(true);
      }
    }
  }, 180_000);
});
