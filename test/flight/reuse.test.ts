// One Machine serves flight after flight (as a generate worker does): flight A,
// then other scenarios (one stopped mid-flight by its time limit), then A
// again, all on the same instance, and every file of both A runs is byte for
// byte the file of A flown on a fresh instance.
import { describe, it, expect, afterAll } from "vitest";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { runFlight, FlightFailedError, type FlightHost } from "../../src/flight/run-flight.js";
import type { FlightOptions } from "../../src/flight/options.js";
import { Machine } from "../../src/machine/machine.js";
import { S_PHYS_SIZE } from "../../src/machine/layout.js";
import { tmp } from "./helpers.js";

// Short missions (0.5 m away, 0.5 m up, 10 polls a second): a few thousand events each.
const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10, busyBits: 16 } };
const dirs: string[] = [];
const out = (): string => { const d = tmp(); dirs.push(d); return d; };
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });

function files(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((n) => [n, readFileSync(path.join(dir, n))]));
}

function sameFiles(a: string, b: string): void {
  const fa = files(a), fb = files(b);
  expect([...fb.keys()]).toEqual([...fa.keys()]);
  expect(fa.size).toBe(5);
  for (const [n, bytes] of fa) expect(fb.get(n)!.equals(bytes), `${n} byte-identical`).toBe(true);
}

const flight = (scenario: string, seed: number, extra: Partial<FlightOptions> = {}): FlightOptions =>
  ({ ...SHORT, scenario, seed, outDir: out(), ...extra }) as FlightOptions;

describe("a reused Machine", () => {
  it("flies A, B, a flight stopped mid-way, C, then A again: both A runs equal a fresh instance's A", () => {
    const a = flight("normal", 11);
    runFlight(a);                                   // fresh instance (the kernel makes its own)
    // One host throughout, as a worker keeps it: the Machine and the text buffers.
    const m = new Machine();
    const host: FlightHost = { machine: m };
    const a1 = flight("normal", 11);
    runFlight(a1, host);
    runFlight(flight("busydelay", 5), host);
    // Stopped by the virtual-time limit with processes, page tables and decoded code everywhere.
    expect(() => runFlight(flight("sockets", 3, { maxVirtualSeconds: 0.05 }), host)).toThrow(FlightFailedError);
    runFlight(flight("sockets", 3), host);
    const a2 = flight("normal", 11);
    runFlight(a2, host);
    sameFiles(a.outDir, a1.outDir);
    sameFiles(a.outDir, a2.outDir);
    // And B on the used instance equals B fresh too.
    const bFresh = flight("busydelay", 5), bUsed = flight("busydelay", 5);
    runFlight(bFresh);
    runFlight(bUsed, host);
    sameFiles(bFresh.outDir, bUsed.outDir);
  }, 300_000);

  it("keeps one pair of text buffers in the host, flight after flight, and reports the checksums of the bytes written", () => {
    const host: FlightHost = { machine: new Machine() };
    const r1 = runFlight(flight("normal", 2), host);
    const sinks = host.sinks;
    expect(sinks).toBeDefined();
    const rawBuffer = sinks!.raw.view().buffer;
    expect(sinks!.raw.view().equals(readFileSync(r1.files.raw))).toBe(true);
    for (const role of ["raw", "processed", "telemetry", "manifest"] as const) {
      const bytes = readFileSync(r1.files[role]);
      expect(r1.checksums[role]).toEqual({ bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex") });
    }
    expect(() => runFlight(flight("normal", 2, { maxVirtualSeconds: 0.05 }), host)).toThrow(FlightFailedError);
    const r2 = runFlight(flight("sockets", 2), host);
    expect(host.sinks).toBe(sinks);
    expect(sinks!.raw.view().buffer).toBe(rawBuffer);      // the same buffer, refilled
    expect(sinks!.raw.view().equals(readFileSync(r2.files.raw))).toBe(true);
  }, 120_000);

  it("after a flight that grew guest RAM, keeps the larger memory but hands the guest the first 16 MiB again", () => {
    const m = new Machine();
    const base = m.phys.linearBytes;
    // Make the RAM grow: frames beyond the first 16 MiB.
    const frames: number[] = [];
    for (let i = 0; i < 6000; i++) frames.push(m.phys.alloc());
    m.phys.bytes.fill(0xAB, m.phys.lin(frames[5999]), m.phys.lin(frames[5999]) + 4096);
    expect(m.phys.linearBytes).toBeGreaterThan(base);
    const grown = m.phys.linearBytes;
    m.reset();
    expect(m.phys.linearBytes).toBe(grown);        // WebAssembly memory does not shrink
    expect(m.phys.framesInUse()).toBe(0);
    expect(m.stateView.getBigUint64(S_PHYS_SIZE, true)).toBe(16n << 20n);
    expect(m.phys.alloc()).toBe(4096);              // the allocator starts over
    const ram = m.phys.bytes.subarray(m.phys.lin(0), grown);
    expect(ram.every((x) => x === 0)).toBe(true);   // what the big flight wrote is gone
  });
});
