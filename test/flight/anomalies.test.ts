// The three anomaly kinds beyond the published dataset's two, each a scenario
// with a cause of its own (src/flight/ground-truth/causes.ts): shell, hog and
// spoof. Each labels exactly its own rows, checked against the trace and the
// episode log: the autopilot's calls in the anomaly's code (from the trace:
// the fork, the wait, the kill), every call of the children it made there
// (from the trace's pids and parents), or every call in the attack's window.
import { afterAll, describe, expect, it } from "vitest";
import { fly, checkFiles, removeTempDirs, type Flown } from "./helpers.js";
import { NR } from "./helpers.js";

afterAll(removeTempDirs);

const rowsOf = (f: Flown, keep: (i: number) => boolean): number[] => [...Array(f.table.n).keys()].filter(keep);
const labeled = (f: Flown): number[] => rowsOf(f, (i) => f.table.label[i] === 1);

// The children a fork in rows `forks` made, and theirs: from the trace's clone returns and ppid.
function familyOf(f: Flown, forks: number[]): Set<number> {
  const t = f.table, fam = new Set(forks.map((i) => t.ret[i]).filter((p) => p > 0));
  for (let i = 0; i < t.n; i++) if (fam.has(t.ppid[i])) fam.add(t.pid[i]);
  return fam;
}

// A child's rows: the autopilot's (glibc's fork child) up to its execve, which succeeds, then the program's.
function checkExec(f: Flown, kid: number[], program: string): void {
  const t = f.table, k = kid.findIndex((i) => t.name[i] === "execve");
  expect(k).toBeGreaterThanOrEqual(0);
  expect(k).toBeLessThanOrEqual(2);
  expect(t.ret[kid[k]]).toBe(0);
  expect(kid.slice(0, k + 1).map((i) => t.comm[i])).toEqual(kid.slice(0, k + 1).map(() => "autopilot"));
  expect(new Set(kid.slice(k + 1).map((i) => t.comm[i]))).toEqual(new Set([program]));
}

function checkStretches(f: Flown): void {
  const m = f.manifest, s = m.anomalies!;
  expect(s.stretches.length).toBeGreaterThanOrEqual(1);
  // Every episode belongs to a stretch of the schedule and carries its parameters.
  for (const e of m.episodes) {
    const x = s.stretches[e.params.stretch as number];
    expect(x).toBeDefined();
    for (const [k, v] of Object.entries(e.params)) if (k in x.params) expect(v).toBe(x.params[k]);
  }
  // Episodes of one stretch come together: stretches are in order of time.
  const order = m.episodes.map((e) => e.params.stretch as number);
  expect(order).toEqual([...order].sort((a, b) => a - b));
}

describe("skytrace fly: shell", () => {
  it("seed 1: lands; each episode labels the autopilot's fork and wait and every call of the payload child, nothing else", () => {
    const f = fly("shell", 1, undefined, { autopilot: { pollHz: 50 } });
    checkFiles(f, "shell");
    const t = f.table, m = f.manifest;
    expect(m.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotExitStatus: 0 });
    expect(m.episodes.length).toBeGreaterThanOrEqual(2);
    expect(new Set(m.episodes.map((e) => e.cause))).toEqual(new Set(["shell"]));
    checkStretches(f);
    const pilot = t.pid[t.comm.indexOf("autopilot")];
    const want = new Set<number>();
    for (const e of m.episodes) {
      expect([e.pid, e.tid]).toEqual([pilot, pilot]);
      const own = rowsOf(f, (i) => t.tid[i] === pilot && t.enter[i] >= e.startNs && t.enter[i] <= e.endNs);
      // The autopilot's calls in run_shell: the fork and the wait for the child it returned.
      expect(own.map((i) => t.name[i])).toEqual(["clone", "wait4"]);
      const child = t.ret[own[0]];
      expect(Number(t.args[0][own[1]])).toBe(child);
      expect(t.ret[own[1]]).toBe(child);
      const kid = rowsOf(f, (i) => t.pid[i] === child);
      // The child: the autopilot's code up to its execve of /bin/payload, then the payload's calls: the files opened and read.
      expect(kid.map((i) => t.ppid[i])).toEqual(kid.map(() => pilot));
      checkExec(f, kid, "payload");
      expect(t.name[kid[kid.length - 1]]).toBe("exit_group");
      // One openat (AT_FDCWD) per file asked for; those that exist are read to their end (a read of 0) and closed.
      const opens = kid.filter((i) => t.name[i] === "openat" && BigInt.asIntN(32, t.args[0][i]) === -100n);
      expect(opens).toHaveLength(e.params.files as number);
      const found = opens.filter((i) => t.ret[i] >= 0);
      expect(found.length).toBeGreaterThanOrEqual(1);
      expect(kid.filter((i) => t.name[i] === "close")).toHaveLength(found.length);
      for (const i of kid) { expect(t.enter[i]).toBeGreaterThan(t.enter[own[0]]); expect(t.enter[i]).toBeLessThan(t.exit[own[1]]); }
      for (const i of [...own, ...kid]) { want.add(i); expect([t.cause[i], t.episode[i]]).toEqual(["shell", e.episode]); }
    }
    expect(labeled(f)).toEqual([...want].sort((a, b) => a - b));
    // Every child of the flight is the anomaly's: nothing else of the autopilot forks.
    expect(rowsOf(f, (i) => t.comm[i] === "autopilot" && t.name[i] === "clone").every((i) => want.has(i))).toBe(true);
  }, 300_000);
});

describe("skytrace fly: hog", () => {
  it("seed 2: lands; each episode labels the fork, the kill and the wait and every call of the hog child, nothing else", () => {
    const f = fly("hog", 2, undefined, { autopilot: { pollHz: 50 } });
    checkFiles(f, "hog");
    const t = f.table, m = f.manifest;
    expect(m.outcome).toMatchObject({ reachedDestination: true, landed: true, crashed: false, autopilotExitStatus: 0 });
    expect(m.episodes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(m.episodes.map((e) => e.cause))).toEqual(new Set(["hog"]));
    checkStretches(f);
    const pilot = t.pid[t.comm.indexOf("autopilot")];
    const want = new Set<number>();
    for (const e of m.episodes) {
      const code = e.params.codeNs as number[];
      expect(code).toHaveLength(4);
      expect([code[0], code[3]]).toEqual([e.startNs, e.endNs]);
      const inCode = (i: number): boolean => t.tid[i] === pilot && ((t.enter[i] >= code[0] && t.enter[i] <= code[1]) || (t.enter[i] >= code[2] && t.enter[i] <= code[3]));
      const own = rowsOf(f, inCode);
      expect(own.map((i) => t.name[i])).toEqual(["clone", "kill", "wait4"]);
      const child = t.ret[own[0]];
      expect([Number(t.args[0][own[1]]), Number(t.args[1][own[1]]), t.ret[own[2]]]).toEqual([child, 9, child]);
      const kid = rowsOf(f, (i) => t.pid[i] === child);
      checkExec(f, kid, "hog");
      // It maps its MiB and sleeps between bursts; killed, its last call never returns.
      expect(kid.some((i) => t.name[i] === "mmap" && Number(t.args[1][i]) === (e.params.mib as number) * 2 ** 20)).toBe(true);
      expect(kid.filter((i) => t.name[i] === "clock_nanosleep" || t.name[i] === "nanosleep").length).toBeGreaterThan(3);
      // The autopilot went on flying meanwhile: its calls between are normal ones.
      const between = rowsOf(f, (i) => t.tid[i] === pilot && t.enter[i] > code[1] && t.enter[i] < code[2]);
      expect(between.length).toBeGreaterThan(100);
      for (const i of between) expect(t.label[i]).toBe(0);
      for (const i of [...own, ...kid]) { want.add(i); expect([t.cause[i], t.episode[i]]).toEqual(["hog", e.episode]); }
    }
    expect(labeled(f)).toEqual([...want].sort((a, b) => a - b));
    expect(familyOf(f, rowsOf(f, (i) => t.comm[i] === "autopilot" && t.name[i] === "clone")).size).toBe(m.episodes.length);
  }, 300_000);
});

describe("skytrace fly: spoof", () => {
  it("seed 3: the autopilot's code path is the normal one; each attack window labels every call entered in it, nothing else", () => {
    const f = fly("spoof", 3, undefined, { autopilot: { pollHz: 50 } });
    checkFiles(f, "spoof");
    const t = f.table, m = f.manifest;
    expect(m.outcome).toMatchObject({ landed: true, crashed: false, autopilotExitStatus: 0 });
    expect(m.episodes.length).toBeGreaterThanOrEqual(1);
    checkStretches(f);
    const cruise = m.stateReports.find((r) => r.state === "CRUISE")!;
    const want: number[] = [];
    for (const e of m.episodes) {
      const x = m.anomalies!.stretches[e.params.stretch as number];
      // The window the host decided: the schedule's ms after the CRUISE report reached the drone (the wire's delay later).
      expect(e.startNs - cruise.ns - x.start * 1e6).toBeGreaterThanOrEqual(0);
      expect(e.startNs - cruise.ns - x.start * 1e6).toBeLessThan(2e6);
      expect(e.endNs - e.startNs).toBe(x.duration * 1e6);
      expect([e.pid, e.tid, e.params.dxM, e.params.dyM]).toEqual([-1, -1, x.params.dxM, x.params.dyM]);
      want.push(...rowsOf(f, (i) => t.enter[i] >= e.startNs && t.enter[i] < e.endNs));
    }
    expect(labeled(f)).toEqual(want);
    // The same programs and calls as a normal flight: no other syscall than the autopilot's usual ones.
    expect(new Set(t.comm)).toEqual(new Set(["mkdir", "flight-init", "autopilot"]));
    for (const n of ["socket", "clone", "wait4", "kill"]) expect(t.name.filter((x, i) => x === n && t.comm[i] === "autopilot")).toEqual([]);
  }, 300_000);

  it("the sensed position is dragged while the window lasts and only then", () => {
    // Same seed, same air: the spoofed flight and a normal one read the same noise; the drag shows in the control.
    const a = fly("spoof", 3, undefined, { autopilot: { pollHz: 50 } });
    const b = fly("normal", 3, undefined, { autopilot: { pollHz: 50 } });
    const e = a.manifest.episodes[0];
    const rows = (f: Flown): string[][] => f.text.telemetry.trimEnd().split("\n").slice(1).map((l) => l.split(","));
    const before = (f: Flown): string[][] => rows(f).filter((r) => Number(r[0]) < e.startNs);
    // Identical up to the attack (the two scenarios differ only in their name on the command line,
    // which moves the autopilot's stack: the telemetry, not the trace, is compared).
    expect(before(a)).toEqual(before(b));
    expect(rows(a).filter((r) => Number(r[0]) >= e.startNs + 200e6 && Number(r[0]) < e.endNs)).not.toEqual(rows(b).filter((r) => Number(r[0]) >= e.startNs + 200e6 && Number(r[0]) < e.endNs));
    void NR;
  }, 300_000);
});

describe("every anomaly parameter is deterministic", () => {
  // Short missions: 0.5 m at 0.5 m, 10 polls a second; the schedules pinned to fit in them, one intensity parameter left to draw.
  const SHORT = { drone: { destination: { x: 0.5, y: 0 }, cruiseAltitudeM: 0.5 }, autopilot: { pollHz: 10 } };
  const pins = { onset: 1, gap: 1, duration: 3, episodes: 2 };
  const cases = [
    { scenario: "busydelay", anomaly: { ...pins, phase: "TAKEOFF", params: { bits: 12 } } },
    { scenario: "sockets", anomaly: { ...pins, params: { ratePermille: 1000 } } },
    { scenario: "shell", anomaly: { ...pins, params: { every: 2 } } },
    { scenario: "hog", anomaly: { ...pins, params: { mib: 1 } } },
    { scenario: "spoof", anomaly: { onset: 0, gap: 100, duration: 300, episodes: 2, params: { dxM: 0.5 } } },
  ] as const;
  for (const c of cases) {
    it(`${c.scenario}: the same seed and pins give the same bytes; another seed another schedule and other bytes`, () => {
      const opts = { ...SHORT, anomaly: c.anomaly };
      const a = fly(c.scenario, 4, undefined, opts), b = fly(c.scenario, 4, undefined, opts), d = fly(c.scenario, 5, undefined, opts);
      expect(a.manifest.episodes.length).toBeGreaterThanOrEqual(1);
      expect(b.result.checksums).toEqual(a.result.checksums);
      expect(b.text.manifest).toBe(a.text.manifest);
      // The pins hold; what they leave free is drawn again from the other seed's anomalies sub-seed.
      expect(d.manifest.anomalies!.stretches.map((x) => [x.after, x.duration])).toEqual(a.manifest.anomalies!.stretches.map((x) => [x.after, x.duration]));
      expect(d.manifest.anomalies).not.toEqual(a.manifest.anomalies);
      expect(d.result.checksums.raw.sha256).not.toBe(a.result.checksums.raw.sha256);
      expect(d.result.checksums.syscalls!.sha256).not.toBe(a.result.checksums.syscalls!.sha256);
    }, 300_000);
  }
});
