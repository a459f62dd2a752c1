// What every flight's per-syscall table must satisfy, checked against the
// flight's other files (the raw and processed traces, the manifest, the
// telemetry), never against the code that writes the table: one row per
// SYSCALL line in order with that line's values, each SYSRET line the exit of
// one call, the processes and comm names as the trace's execs imply, the
// phases the manifest's spans give, labels only inside the manifest's episodes.
import { expect } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Table } from "apache-arrow";
import type { RawEvent, SyscallEvent } from "../../src/dataset/raw-reader.js";
import { readSyscallsParquet, SYSCALL_TABLE_COLUMNS } from "../../src/dataset/syscalls-table.js";
import { syscallName, SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";
import type { FlightManifest } from "../../src/flight/manifest.js";
import type { ProcessedLine } from "../dataset/processed-reader.js";

/** The table's columns as plain arrays (numbers where exact, BigInt for registers). */
export interface TableRows {
  n: number;
  enter: number[]; exit: number[]; delta: number[]; ret: number[];
  nr: bigint[]; args: bigint[][]; cr3: bigint[];
  name: string[]; pid: number[]; tid: number[]; ppid: number[]; comm: string[];
  phase: string[]; truth: string[]; label: number[]; cause: string[]; episode: number[];
  flightId: string[]; scenario: string[]; seq: number[];
  table: Table;
}

export function readTable(file: string): TableRows {
  const t = readSyscallsParquet(readFileSync(file));
  const big = (c: string): bigint[] => Array.from(t.getChild(c)!.toArray() as BigInt64Array | BigUint64Array, (v) => BigInt(v));
  const num = (c: string): number[] => big(c).map(Number);
  const str = (c: string): string[] => { const v = t.getChild(c)!; return Array.from({ length: t.numRows }, (_, i) => v.get(i) as string); };
  return {
    n: t.numRows,
    enter: num("enter_ns"), exit: num("exit_ns"), delta: num("delta_ns"), ret: num("ret"),
    nr: big("nr"), args: [0, 1, 2, 3, 4, 5].map((k) => big(`arg${k}`)), cr3: big("cr3"),
    name: str("name"), pid: num("pid"), tid: num("tid"), ppid: num("ppid"), comm: str("comm"),
    phase: str("phase"), truth: str("truth_phase"), label: Array.from(t.getChild("label")!.toArray() as Int8Array), cause: str("cause"), episode: num("episode"),
    flightId: str("flight_id"), scenario: str("scenario"), seq: num("seq"),
    table: t,
  };
}

// The value of a step function given as spans (sorted, each until the next) at time ns, or "" before the first.
function spanAt(spans: ReadonlyArray<{ startNs: number }>, names: readonly string[], ns: number): string {
  let v = "";
  for (let k = 0; k < spans.length && spans[k].startNs <= ns; k++) v = names[k];
  return v;
}

export function checkSyscallTable(file: string, raw: RawEvent[], processed: ProcessedLine[], m: FlightManifest, telemetry: string): TableRows {
  const t = readTable(file);
  // The conventions: these columns, none nullable.
  expect(t.table.schema.fields.map((f) => [f.name, f.nullable])).toEqual(SYSCALL_TABLE_COLUMNS.map((c) => [c, false]));
  expect(new Set(t.flightId)).toEqual(new Set([m.flightId]));
  expect(new Set(t.scenario)).toEqual(new Set([m.scenario]));

  // Row for row the raw file's SYSCALL lines.
  const callLine: number[] = [];
  raw.forEach((e, i) => { if (e.kind === "SYSCALL") callLine.push(i); });
  expect(t.n).toBe(callLine.length);
  expect(t.n).toBe(m.recording.syscalls);
  for (let i = 0; i < t.n; i++) {
    const e = raw[callLine[i]] as SyscallEvent;
    const row = [t.seq[i], BigInt(t.enter[i]), t.nr[i], ...t.args.map((a) => a[i]), t.cr3[i], t.name[i], BigInt(t.delta[i])];
    const want = [i, e.ts, e.regs[0], ...e.regs.slice(1), e.cr3, syscallName(e.regs[0]), processed[i].delta];
    if (row.some((v, k) => v !== want[k])) expect(row, `row ${i} against raw line ${e.line}`).toEqual(want);
  }

  // Every SYSRET line is the exit of at most one call, after it and before its thread's next call;
  // a call without one was an exit, or its thread's last in the recording.
  const retLineAt = new Map<number, number[]>();
  raw.forEach((e, i) => { if (e.kind === "SYSRET") retLineAt.set(Number(e.ts), [...(retLineAt.get(Number(e.ts)) ?? []), i]); });
  const used = new Set<number>();
  const nextOfTid = new Array<number>(t.n).fill(-1);
  const lastOfTid = new Map<number, number>();
  for (let i = t.n - 1; i >= 0; i--) { nextOfTid[i] = lastOfTid.get(t.tid[i]) ?? -1; lastOfTid.set(t.tid[i], i); }
  for (let i = 0; i < t.n; i++) {
    if (t.exit[i] === -1) {
      const exits = [NR.exit, NR.exit_group].includes(Number(t.nr[i]));
      if (!exits && nextOfTid[i] !== -1) throw new Error(`row ${i} (${t.name[i]}) has no exit but its thread calls again at row ${nextOfTid[i]}`);
      expect(t.ret[i], `row ${i}: ret of a call that did not return`).toBe(0);
      continue;
    }
    const line = (retLineAt.get(t.exit[i]) ?? []).find((l) => !used.has(l) && l > callLine[i] && (nextOfTid[i] === -1 || l < callLine[nextOfTid[i]]));
    if (line === undefined) throw new Error(`row ${i} (${t.name[i]}): no SYSRET line at its exit_ns ${t.exit[i]}`);
    used.add(line);
    expect(t.exit[i]).toBeGreaterThan(t.enter[i]);
  }
  // The SYSRETs left over: the first return of a forked child (the parent's call returned too), and
  // calls entered before the recording began (at most one per process alive then).
  const forks = t.nr.filter((nr, i) => [NR.fork, NR.vfork, NR.clone].includes(Number(nr)) && t.ret[i] > 0).length;
  const left = m.recording.sysrets - used.size;
  expect(left).toBeGreaterThanOrEqual(forks);
  expect(left).toBeLessThanOrEqual(forks + 2);

  // Return values the trace implies: a fork returns the child's pid (whose rows name the caller as
  // parent); every write to the serial port writes what it was asked (it never blocks).
  for (let i = 0; i < t.n; i++) {
    const nr = Number(t.nr[i]);
    if ([NR.fork, NR.vfork, NR.clone].includes(nr) && t.ret[i] > 0) {
      const child = t.pid.findIndex((p) => p === t.ret[i]);
      if (child >= 0) expect(t.ppid[child], `child of row ${i}`).toBe(t.pid[i]);
    }
    if (nr === NR.write && t.exit[i] !== -1 && t.comm[i] === "autopilot") expect(t.ret[i], `write at row ${i}`).toBe(Number(t.args[2][i]));
  }
  // Threads are processes here; an execve row has the comm from before it, the process's next row the new program's.
  for (let i = 0; i < t.n; i++) {
    expect(t.tid[i]).toBe(t.pid[i]);
    if (Number(t.nr[i]) !== NR.execve || t.ret[i] !== 0) continue;
    const next = nextOfTid[i];
    const prev = t.pid.lastIndexOf(t.pid[i], i - 1);
    if (prev >= 0) expect(t.comm[i], `execve at row ${i}`).toBe(t.comm[prev]);
    if (next >= 0) expect(t.comm[next]).not.toBe(t.comm[i]);
  }
  // The anomalies' children run programs of their own (shell: payload; hog: hog), when a stretch began.
  const children = m.scenario === "shell" ? ["payload"] : m.scenario === "hog" ? ["hog"] : [];
  const comms = new Set(t.comm);
  for (const c of children) comms.delete(c);
  expect(comms).toEqual(new Set(["mkdir", "flight-init", "autopilot"]));
  expect([t.comm[0], t.comm[t.n - 1]]).toEqual(["mkdir", "mkdir"]);

  // The manifest agrees: events per name, and every (cr3, pid) of the table is a recorded process.
  const names = new Map<string, number>();
  for (const n of t.name) names.set(n, (names.get(n) ?? 0) + 1);
  expect(Object.fromEntries(names)).toEqual(m.events);
  const procs = new Set(m.processes.map((p) => `${p.cr3} ${p.pid}`));
  for (let i = 0; i < t.n; i++) if (!procs.has(`0x${t.cr3[i].toString(16)} ${t.pid[i]}`)) throw new Error(`row ${i}: cr3 0x${t.cr3[i].toString(16)} pid ${t.pid[i]} is not in the manifest's processes`);
  expect(new Set(t.pid).size).toBe(new Set(m.processes.map((p) => p.pid)).size);

  // Phases: the reported one from the manifest's phases, the true one from its truth phases.
  const phaseNames = m.phases.map((p) => p.state), truthNames = m.truthPhases.map((p) => p.phase);
  for (let i = 0; i < t.n; i++) {
    const want = [spanAt(m.phases, phaseNames, t.enter[i]), spanAt(m.truthPhases, truthNames, t.enter[i])];
    if (t.phase[i] !== want[0] || t.truth[i] !== want[1]) expect([t.phase[i], t.truth[i]], `phases of row ${i}`).toEqual(want);
  }
  checkTruthPhases(m, telemetry);

  // Labels: all three columns agree, and only inside the manifest's episodes.
  const episodes = new Map(m.episodes.map((e) => [e.episode, e]));
  m.episodes.forEach((e, k) => expect(e.episode).toBe(k));
  for (let i = 0; i < t.n; i++) {
    if (t.label[i] === 0) { expect([t.cause[i], t.episode[i]]).toEqual(["", -1]); continue; }
    const e = episodes.get(t.episode[i]);
    if (!e || e.cause !== t.cause[i] || t.label[i] !== 1) throw new Error(`row ${i}: label ${t.label[i]} cause ${t.cause[i]} episode ${t.episode[i]}: not an episode of the manifest`);
  }
  return t;
}

// The truth phases: a plausible sequence, and what the telemetry's true state says at each of its rows.
function checkTruthPhases(m: FlightManifest, telemetry: string): void {
  const seq = m.truthPhases.map((p) => p.phase);
  expect(seq[0]).toBe("on_ground");
  expect(seq[1]).toBe("climbing");
  expect(["landed", "crashed"]).toContain(seq[seq.length - 1]);
  expect(seq.filter((p) => p === "landed" || p === "crashed").length).toBe(1);
  m.truthPhases.forEach((p, k) => {
    expect(p.startNs % 1_000_000, "a transition is at a drone step").toBe(0);
    if (k > 0) expect(p.startNs).toBe(m.truthPhases[k - 1].endNs);
    if (k > 0) expect(p.phase).not.toBe(seq[k - 1]);
  });
  expect(m.truthPhases[seq.length - 1].endNs).toBe(m.recording.endNs);
  const rows = telemetry.trimEnd().split("\n").slice(1).map((l) => l.split(","));
  for (const r of rows) {
    const ns = Number(r[0]), vz = Number(r[6]), status = r[10];
    if (ns > m.recording.endNs) continue;
    const p = spanAt(m.truthPhases, seq, ns);
    const want = status === "GROUNDED" ? ["on_ground"] : status === "LANDED" ? ["landed"] : status === "CRASHED" ? ["crashed"]
      : vz > 0.5 ? ["climbing"] : vz < -0.5 ? ["descending"] : Math.abs(vz) < 0.25 ? ["cruising", "climbing"] : ["climbing", "cruising", "descending"];
    if (!want.includes(p)) throw new Error(`telemetry at ${ns} ns (${status}, vz ${vz}): truth phase ${p}, expected ${want.join(" or ")}`);
  }
}

export const tableFile = (dir: string, stem: string): string => path.join(dir, `${stem}.syscalls.parquet`);
