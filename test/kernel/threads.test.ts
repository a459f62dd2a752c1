// Threads (CLONE_THREAD) beyond the differential run in programs.test.ts (stdout and exit status of
// threads.c and futex.c against native): a threaded run is deterministic to the byte, trace and
// strace included, with either clock; every thread has its own tid in the trace, the process one
// CR3; the clone3 that made a thread returns the tid its records carry; the per-syscall table's
// rows (the flight recorder's processOfThread) name the thread's process.
import { describe, it, expect, beforeAll } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { build, tmp, runGuest, coreRunsGlibc, type GuestRun } from "./helpers.js";
import { runProgram } from "../../src/kernel/run-program.js";
import { CapturedStdio } from "./helpers.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import { SYSCALL_NUMBERS } from "../../src/linux/syscall-numbers.js";
import { recTid, RECORD_WORDS } from "../../src/machine/trace-ring.js";

const ready = coreRunsGlibc();
const SRC = path.join(__dirname, "programs");
let exe: string;

beforeAll(() => {
  if (!ready) return;
  exe = build(tmp(), "threads", readFileSync(path.join(SRC, "threads.c"), "utf8"), "c", ["-lpthread"]);
});

const fingerprint = (r: GuestRun): string =>
  JSON.stringify({ out: r.stdout, outcome: r.outcome, strace: r.strace, trace: r.trace }, (_k, v) => (typeof v === "bigint" ? v.toString() : v));

describe.skipIf(!ready)("threads", () => {
  it("a run with 4 worker threads (and 11 more) gives the same bytes every time, trace and strace included", () => {
    for (const timing of [undefined, { model: "realistic" as const, seed: 11 }]) {
      const a = runGuest(exe, [], { timing });
      const b = runGuest(exe, [], { timing });
      expect(a.outcome).toMatchObject({ kind: "exited", status: 3 });
      expect(a.stdout).toContain("counter 20000, per-thread totals 20000");
      expect(fingerprint(b)).toBe(fingerprint(a));
    }
  });

  it("every thread has its own tid in the trace, all share the process's CR3, and clone3 returns the tid", () => {
    const r = runGuest(exe);
    const tids = [...new Set(r.trace.map((x) => x.tid))].sort((x, y) => x - y);
    // main, 4 workers, 2 producers and 2 consumers, 4 waiters, the signalled thread, the chdir one, the last one
    expect(tids).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(new Set(r.trace.map((x) => x.cr3)).size).toBe(1);
    const clone3 = BigInt(SYSCALL_NUMBERS.clone3);
    const made: number[] = [];
    for (let i = 0; i < r.trace.length; i++) {
      const x = r.trace[i];
      if (x.kind !== "SYSCALL" || x.regs[0] !== clone3) continue;
      const ret = r.trace.slice(i + 1).find((y) => y.kind === "SYSRET" && y.tid === x.tid);
      made.push(Number(ret!.ret));
    }
    expect(made).toEqual(tids.slice(1));
    // a new thread's first record is the SYSRET of its clone3 (RAX 0), as a fork child's is
    for (const t of tids.slice(1)) expect(r.trace.find((x) => x.tid === t)).toMatchObject({ kind: "SYSRET", ret: 0n });
  });

  it("a thread's trace records belong to its process: processOfThread gives the leader (pid, parent, comm)", () => {
    const owners = new Map<number, string>();
    let kernel: Kernel | undefined;
    runProgram({
      program: new Uint8Array(readFileSync(exe)),
      guestPath: exe,
      argv: [exe],
      cwd: path.dirname(exe),
      stdio: new CapturedStdio(),
      trace: (ring, n) => {
        for (let i = 0; i < n; i++) {
          const tid = recTid(ring, i * RECORD_WORDS);
          if (owners.has(tid) || !kernel) continue;
          const p = kernel.processOfThread(tid);
          owners.set(tid, `${p?.pid}/${p?.parent?.pid ?? 0}/${p?.comm}`);
        }
      },
    }, (k) => { kernel = k; });
    expect(owners.size).toBe(16);
    expect(new Set(owners.values())).toEqual(new Set(["1/0/threads"]));
  });
});
