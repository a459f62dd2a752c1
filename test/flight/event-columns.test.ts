// The recorder's event columns (what the export uses) against the raw file
// read back by the strict reader: the same rows, every value, for flights of
// each scenario on one reused host, and across the storage's growth.
import { afterAll, describe, expect, it } from "vitest";
import { readFileSync, rmSync } from "node:fs";
import { runFlight, type FlightHost } from "../../src/flight/run-flight.js";
import type { FlightOptions } from "../../src/flight/options.js";
import { EventColumns, columnsOfRawText, type RawColumns } from "../../src/dataset/event-columns.js";
import { Machine } from "../../src/machine/machine.js";
import { newTraceSinks } from "../../src/flight/recorder.js";
import { tmp } from "./helpers.js";

const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };
const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function same(a: RawColumns, b: RawColumns): void {
  expect(a.n).toBe(b.n);
  expect(a.calls).toBe(b.calls);
  for (const k of ["tick", "cr3", "nr", "isCall"] as const) expect(Array.from(a[k]), k).toEqual(Array.from(b[k]));
  a.args.forEach((col, i) => expect(Array.from(col), `arg${i}`).toEqual(Array.from(b.args[i])));
}

describe("event columns", () => {
  it("hold what the raw file says, row by row, for every scenario on one reused host", () => {
    // Small storage to start with, so the flights make it grow (and then reuse it).
    const host: FlightHost = { machine: new Machine(), sinks: { ...newTraceSinks(), columns: new EventColumns(256) } };
    for (const scenario of ["normal", "busydelay", "sockets", "normal"]) {
      const outDir = tmp();
      dirs.push(outDir);
      const r = runFlight({ ...SHORT, scenario, seed: 4, outDir } as FlightOptions, host);
      expect(r.columns.n).toBeGreaterThan(1000);
      same(r.columns, columnsOfRawText(readFileSync(r.files.raw), r.files.raw));
    }
  }, 120_000);

  it("keeps its rows when it grows, and starts empty after clear", () => {
    const c = new EventColumns(2);
    const rec = new Uint32Array(20);
    const want: Array<[number, boolean]> = [];
    for (let i = 0; i < 37; i++) {
      const sys = i % 3 !== 1;
      rec[2] = i * 1000; rec[3] = i;            // tick
      for (let w = 4; w < 18; w++) rec[w] = sys ? i * 100 + w : 0xdead; // registers (ignored on SYSRET)
      rec[18] = 0x1000 * (i % 2); rec[19] = 0;  // CR3
      c.add(rec, 0, sys);
      want.push([i, sys]);
    }
    const cols = c.columns();
    expect(cols.n).toBe(37);
    expect(cols.calls).toBe(want.filter(([, s]) => s).length);
    for (const [i, sys] of want) {
      expect(cols.tick[i]).toBe((BigInt(i) << 32n) | BigInt(i * 1000));
      expect(cols.cr3[i]).toBe(BigInt(0x1000 * (i % 2)));
      expect(cols.isCall[i]).toBe(sys ? 1 : 0);
      expect(cols.nr[i]).toBe(sys ? (BigInt(i * 100 + 5) << 32n) | BigInt(i * 100 + 4) : 0n);
      expect(cols.args[5][i]).toBe(sys ? (BigInt(i * 100 + 17) << 32n) | BigInt(i * 100 + 16) : 0n);
    }
    c.clear();
    expect(c.columns().n).toBe(0);
  });
});
