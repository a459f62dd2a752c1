// A flight's clock: realistic by default (a spread of Δt values, repeatable
// from the seed), and `timing: "ideal"` exactly the clock of before the model
// (200 ns per syscall; the normal flight's Δt mostly 263 and 86 543 ns).
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { fly, checkFiles, tmp, Flown, NR } from "./helpers.js";
import { resolveFlight, FlightInputError } from "../../src/flight/index.js";
import { CALIBRATION } from "../../src/kernel/timing/calibration.js";
import type { RawEvent } from "../../src/dataset/raw-reader.js";

// Each SYSCALL with the SYSRET that follows it in the same address space (none for a final exit).
function pairs(raw: RawEvent[]): Array<{ nr: number; enter: bigint; exit: bigint | null }> {
  const out: Array<{ nr: number; enter: bigint; exit: bigint | null }> = [];
  const open = new Map<bigint, { nr: number; enter: bigint; exit: bigint | null }>();
  for (const e of raw) {
    if (e.kind === "SYSCALL") { const c = { nr: Number(e.regs[0]), enter: e.ts, exit: null }; out.push(c); open.set(e.cr3, c); }
    else { const c = open.get(e.cr3); if (c) { c.exit = e.ts; open.delete(e.cr3); } }
  }
  return out;
}
const deltas = (f: Flown) => f.processed.slice(1).map((l) => Number(l.delta));

describe("flight timing", () => {
  let real: Flown;
  it("realistic by default: over 1,000 distinct Δt values in a normal flight, which still lands; the manifest names the model, its seed and its table", () => {
    real = fly("normal", 1);
    checkFiles(real, "normal");
    const distinct = new Set(deltas(real)).size;
    expect(distinct).toBeGreaterThanOrEqual(1000);
    expect(real.manifest.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false });
    expect(real.manifest.clock.timing).toMatchObject({ model: "realistic", calibration: CALIBRATION.id });
    expect(Number.isInteger(real.manifest.clock.timing!.seed)).toBe(true);
    expect(real.manifest.clock.syscallCostNs).toBeUndefined();
    // Each 1-byte read of the port takes a time drawn from the measured read: inside its range, with a spread.
    const knots = CALIBRATION.quantiles["sys.read"];
    const reads = pairs(real.raw).filter((c) => c.nr === NR.read && c.exit !== null).map((c) => Number(c.exit! - c.enter));
    const inRange = reads.filter((v) => v >= knots[0][1] && v <= knots[knots.length - 1][1]);
    expect(inRange.length).toBeGreaterThanOrEqual(reads.length * 0.999);
    expect(new Set(reads).size).toBeGreaterThan(50);
  });

  it("the same seed gives the same bytes; another seed's timing differs", () => {
    const again = fly("normal", 1);
    for (const k of ["raw", "processed", "telemetry", "manifest"] as const) {
      expect(readFileSync(again.result.files[k]).equals(readFileSync(real.result.files[k])), k).toBe(true);
    }
    const other = fly("normal", 2);
    expect(other.manifest.clock.timing!.seed).not.toBe(real.manifest.clock.timing!.seed);
  });

  it("timing ideal: the clock of before the model (200 ns a call, 263 and 86 543 ns Δt), nothing drawn", () => {
    const f = fly("normal", 1, tmp(), { timing: "ideal" });
    checkFiles(f, "normal");
    expect(f.manifest.clock).toEqual({ unit: "virtual ns, 1 tick = 1 instruction at 1 GHz", frequencyHz: 1e9, syscallCostNs: 200 });
    // Every call that did not sleep took exactly 200 ns (the ones that may sleep took at least that).
    const sleepers = new Set([NR.select, NR.clock_nanosleep, NR.wait4]);
    const done = pairs(f.raw).filter((c) => c.exit !== null);
    for (const c of done) {
      if (sleepers.has(c.nr)) expect(Number(c.exit! - c.enter)).toBeGreaterThanOrEqual(200);
      else expect(Number(c.exit! - c.enter), `call ${c.nr} at ${c.enter}`).toBe(200);
    }
    // The picture of the old clock: two values make most of the Δt, about 160 distinct values.
    const d = deltas(f);
    const count = (v: number) => d.filter((x) => x === v).length;
    expect(count(263) + count(86_543)).toBeGreaterThan(0.9 * d.length);
    expect(new Set(d).size).toBeLessThan(300);
  });

  it("timing is checked: anything but realistic or ideal is bad input", () => {
    expect(() => resolveFlight({ scenario: "normal", seed: 1, outDir: ".", timing: "exact" })).toThrow(FlightInputError);
    expect(resolveFlight({ scenario: "normal", seed: 1, outDir: "." }).timing).toBe("realistic");
    expect(resolveFlight({ scenario: "normal", seed: 1, outDir: ".", timing: "ideal" }).timing).toBe("ideal");
  });
});
