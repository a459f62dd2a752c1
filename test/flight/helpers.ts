// Shared by the flight tests: fly once per (scenario, seed) and check the
// files with the strict readers of both formats.
import { expect } from "vitest";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { runFlight, FlightResult, FlightManifest, FlightOptions, fileStem, Scenario } from "../../src/flight/index.js";
import type { RawEvent } from "../../src/dataset/raw-reader.js";
import { parseRawText } from "../dataset/trace-text.js";
import { parseProcessedText, ProcessedLine } from "../dataset/processed-reader.js";
import { SYSCALL_NUMBERS } from "../../src/linux/syscall-numbers.js";
import { checkSyscallTable, tableFile, type TableRows } from "./table-checks.js";

// Temporary folders, removed after each test file (afterAll in every file that makes them):
// a flight leaves tens of megabytes.
const made: string[] = [];
export const tmp = (): string => { const d = mkdtempSync(path.join(tmpdir(), "skytrace-flight-")); made.push(d); return d; };
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface Flown {
  result: FlightResult;
  table: TableRows;
  manifest: FlightManifest;
  text: { raw: string; processed: string; telemetry: string; manifest: string };
  raw: RawEvent[];
  processed: ProcessedLine[];
  dir: string;
}

export function fly(scenario: Scenario, seed: number, dir = tmp(), options: Partial<FlightOptions> = {}): Flown {
  const result = runFlight({ ...options, scenario, seed, outDir: dir });
  const read = (f: string): string => readFileSync(f, "latin1");
  const text = { raw: read(result.files.raw), processed: read(result.files.processed), telemetry: read(result.files.telemetry), manifest: read(result.files.manifest) };
  const stem = fileStem(scenario);
  // Strict readers: any grammar or order error throws, naming the line.
  const raw = parseRawText(text.raw, `${stem}.txt`);
  const processed = parseProcessedText(text.processed, `${stem}.processed.txt`);
  const manifest = JSON.parse(text.manifest) as FlightManifest;
  // The per-syscall table, checked against the files above (table-checks.ts).
  const table = checkSyscallTable(tableFile(dir, stem), raw, processed, manifest, text.telemetry);
  return { result, table, manifest, text, raw, processed, dir };
}

export const NR = SYSCALL_NUMBERS;

// What every flight's files must satisfy, whatever the scenario.
// `autopilot`: the autopilot process's image (the Python autopilot's is the interpreter's).
export function checkFiles(f: Flown, scenario: Scenario, autopilot = "/bin/autopilot"): void {
  const stem = fileStem(scenario);
  expect(readdirSync(f.dir).sort()).toEqual([`${stem}.processed.txt`, `${stem}.syscalls.parquet`, `${stem}.txt`, "manifest.json", "telemetry.csv"]);
  const calls = f.raw.filter((e) => e.kind === "SYSCALL");
  // Starts at the FlightBegin mkdir's SYSCALL, ends with the FlightEnd mkdir's SYSRET.
  const first = f.raw[0], last = f.raw[f.raw.length - 1];
  expect(first.kind === "SYSCALL" && Number(first.regs[0])).toBe(NR.mkdir);
  const lastCall = calls[calls.length - 1];
  expect(Number(lastCall.regs[0])).toBe(NR.mkdir);
  expect(last.kind).toBe("SYSRET");
  expect(last.cr3).toBe(lastCall.cr3);
  expect(f.raw.indexOf(last)).toBeGreaterThan(f.raw.indexOf(lastCall));
  expect(calls.filter((e) => Number(e.regs[0]) === NR.mkdir)).toHaveLength(2);
  // The processed file: one line per SYSCALL, Δt to the previous SYSCALL and RAX + 1.
  expect(f.processed).toHaveLength(calls.length);
  for (let i = 0; i < calls.length; i++) {
    const want = i === 0 ? 0n : calls[i].ts - calls[i - 1].ts;
    if (f.processed[i].delta !== want || f.processed[i].callPlusOne !== calls[i].regs[0] + 1n) {
      throw new Error(`processed line ${i + 1} does not match raw SYSCALL at line ${calls[i].line}`);
    }
  }
  // Several processes: both mkdirs, the autopilot, flight-init (and its fork children before execve).
  const cr3s = new Set(f.raw.map((e) => e.cr3));
  expect(cr3s.size).toBeGreaterThanOrEqual(4);
  expect(new Set(f.manifest.processes.map((p) => p.cr3))).toEqual(new Set([...cr3s].map((c) => "0x" + c.toString(16))));
  const programs = f.manifest.processes.map((p) => p.program);
  expect(programs).toEqual(expect.arrayContaining(["/bin/mkdir", autopilot, "/bin/flight-init"]));
  expect(cr3s.has(first.cr3) && cr3s.has(lastCall.cr3) && first.cr3 !== lastCall.cr3).toBe(true);
  // Manifest figures agree with the files.
  const m = f.manifest;
  expect(m.scenario).toBe(scenario);
  expect(m.recording.syscalls).toBe(calls.length);
  expect(m.recording.lines).toBe(f.raw.length);
  expect(m.recording.beginNs).toBe(Number(first.ts));
  expect(m.recording.endNs).toBe(Number(last.ts));
  expect(Object.values(m.events).reduce((a, b) => a + b, 0)).toBe(calls.length);
  expect(m.clock.frequencyHz).toBe(1e9);
  expect(m.tool.version).toMatch(/^\d+\.\d+\.\d+/);
  // Nothing host-specific: the folder's path is nowhere in the manifest.
  expect(f.text.manifest.includes(f.dir)).toBe(false);
  // telemetry.csv: a header and one row per 10 ms of virtual time, up to the end.
  const rows = f.text.telemetry.trimEnd().split("\n");
  expect(rows[0]).toBe("time_ns,x,y,z,vx,vy,vz,throttle_x,throttle_y,throttle_z,status,autopilot_state,wind_x,wind_y");
  expect(rows.length - 1).toBeGreaterThan(m.recording.endNs / 10_000_000 - 2);
}

export function count(f: Flown, name: string): number {
  return f.raw.filter((e) => e.kind === "SYSCALL" && Number(e.regs[0]) === NR[name]).length;
}

export function phase(f: Flown, state: string): { startNs: number; endNs: number } {
  const p = f.manifest.phases.find((x) => x.state === state);
  if (!p) throw new Error(`no ${state} phase in ${JSON.stringify(f.manifest.phases)}`);
  return p;
}

// The span of telemetry rows whose autopilot state is `state` (10 ms resolution, as the drone saw it).
export function telemetrySpan(f: Flown, state: string): { first: number; last: number } {
  const rows = f.text.telemetry.trimEnd().split("\n").slice(1).map((l) => l.split(","));
  const t = rows.filter((r) => r[11] === state).map((r) => Number(r[0]));
  return { first: Math.min(...t), last: Math.max(...t) };
}
