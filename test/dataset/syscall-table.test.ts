// The per-syscall rows (src/dataset/syscall-columns.ts), the label and phase
// passes (labels.ts) and the table (syscalls-table.ts), on records made up
// here: calls paired with their returns by thread id across interleaved and
// blocked calls, each label rule on its own and together, the step columns,
// and the Parquet table's exact values back.
import { describe, expect, it } from "vitest";
import { SyscallColumns, type SyscallRows } from "../../src/dataset/syscall-columns.js";
import { labelRows, stepColumn, type LabeledEpisode } from "../../src/dataset/labels.js";
import { readSyscallsParquet, syscallsParquet, SYSCALL_TABLE_COLUMNS } from "../../src/dataset/syscalls-table.js";
import { RECORD_WORDS, REC_SYSCALL, REC_SYSRET, W_TID, W_TICK, W_REGS, W_RET, W_CR3 } from "../../src/machine/trace-ring.js";
import { SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";

const rec = new Uint32Array(RECORD_WORDS);
const put = (w: number, v: bigint): void => { rec[w] = Number(BigInt.asUintN(64, v) & 0xffffffffn); rec[w + 1] = Number(BigInt.asUintN(64, v) >> 32n); };

// A little trace: call(tid, tick, nr, args, pid, ppid, comm) and ret(tid, tick, value).
class Trace {
  readonly cols = new SyscallColumns(2);   // tiny, so it grows
  call(tid: number, tick: number, nr: number, args: bigint[] = [], pid = tid, ppid = 1, comm = `p${pid}`, cr3 = 0x1000n * BigInt(pid)): number {
    rec.fill(0);
    rec[0] = REC_SYSCALL; rec[W_TID] = tid;
    put(W_TICK, BigInt(tick));
    put(W_REGS, BigInt(nr));
    args.forEach((a, k) => put(W_REGS + 2 * (k + 1), a));
    put(W_CR3, cr3);
    return this.cols.call(rec, 0, pid, ppid, comm);
  }
  ret(tid: number, tick: number, value: bigint | number): number {
    rec.fill(0);
    rec[0] = REC_SYSRET; rec[W_TID] = tid;
    put(W_TICK, BigInt(tick));
    put(W_RET, BigInt(value));
    return this.cols.ret(rec, 0);
  }
  get rows(): SyscallRows { return this.cols.rowsView(); }
}

describe("per-syscall rows", () => {
  it("pair each SYSRET with its thread's open call, across other threads' calls and blocked calls", () => {
    const t = new Trace();
    t.call(1, 100, NR.wait4);             // 0: blocks until the end
    t.call(2, 200, NR.read);              // 1
    t.ret(2, 400, 5);
    t.call(2, 500, NR.select);            // 2: blocks
    t.call(3, 600, NR.getpid, [], 3, 2);  // 3
    expect(t.ret(3, 800, 3)).toBe(3);
    expect(t.ret(2, 900, -4)).toBe(2);    // EINTR
    t.call(2, 1000, NR.exit_group);       // 4: never returns
    expect(t.ret(1, 1200, 2)).toBe(0);
    expect(t.ret(7, 1300, 0)).toBe(-1);   // a fork child's first return: no call of its thread
    t.call(1, 1400, NR.fork);             // 5: the recording ends before it returns
    const r = t.rows;
    expect(r.n).toBe(6);
    expect(Array.from(r.enter)).toEqual([100n, 200n, 500n, 600n, 1000n, 1400n]);
    expect(Array.from(r.exit)).toEqual([1200n, 400n, 900n, 800n, -1n, -1n]);
    expect(Array.from(r.ret)).toEqual([2n, 5n, -4n, 3n, 0n, 0n]);
    expect(Array.from(r.exitNs)).toEqual([1200, 400, 900, 800, -1, -1]);
    expect(Array.from(r.tid)).toEqual([1, 2, 2, 3, 2, 1]);
    expect(Array.from(r.ppid)).toEqual([1, 1, 1, 2, 1, 1]);
    expect(r.commNames[r.comm[3]]).toBe("p3");
    expect(t.cols.unmatchedReturns).toBe(1);
  });

  it("a thread's new call leaves an unreturned one at -1 (a handler's rt_sigreturn); growth keeps every row", () => {
    const t = new Trace();
    for (let i = 0; i < 100; i++) {
      t.call(5, 10 * i, i % 2 ? NR.rt_sigreturn : NR.pause, [BigInt(i), (1n << 64n) - 1n]);
      if (i % 3 === 0) t.ret(5, 10 * i + 5, -i);
    }
    const r = t.rows;
    expect(r.n).toBe(100);
    for (let i = 0; i < 100; i++) {
      expect(r.exit[i]).toBe(i % 3 === 0 ? BigInt(10 * i + 5) : -1n);
      expect(r.ret[i]).toBe(i % 3 === 0 ? BigInt(-i) : 0n);
      expect([r.args[0][i], r.args[1][i]]).toEqual([BigInt(i), (1n << 64n) - 1n]);
    }
    t.cols.clear();
    expect(t.rows.n).toBe(0);
    expect(t.ret(5, 1, 0)).toBe(-1);   // nothing open after clear
  });
});

// A flight-like trace: process 10 (the autopilot) polls; an extent episode in it; a child
// process tree spawned during another; calls of everyone inside a window.
function sample(): Trace {
  const t = new Trace();
  const poll = (tick: number): void => { t.call(10, tick, NR.select); t.ret(10, tick + 200, 1); };
  poll(1000);                                   // 0
  poll(2000);                                   // 1
  t.call(10, 3000, NR.socket); t.ret(10, 3200, 4);      // 2  in the udp-like extent (2500..3900)
  t.call(10, 3500, NR.close); t.ret(10, 3700, 0);       // 3
  t.call(20, 3800, NR.getpid, [], 20, 1); t.ret(20, 3900, 20); // 4  another thread, inside the extent's time
  poll(9000);                                   // 5  first call of 10 after the stall (4000..8000)
  poll(9500);                                   // 6
  t.call(10, 10000, NR.clone); t.ret(10, 10200, 11);    // 7  family episode 10000..10500: the fork, child 11
  t.call(11, 10300, NR.execve, [], 11, 10);             // 8  child
  t.call(11, 11000, NR.clone, [], 11, 10); t.ret(11, 11200, 12); // 9
  t.call(12, 11300, NR.write, [], 12, 11);              // 10 grandchild
  t.call(10, 12000, NR.wait4);                          // 11 parent, after the family episode
  t.call(30, 13000, NR.read, [], 30, 1);                // 12 window 12500..14000
  t.call(10, 13500, NR.read);                           // 13 window (and not 10's extent)
  t.call(10, 14000, NR.read);                           // 14 window end: excluded
  return t;
}

const ep = (episode: number, cause: string, rule: LabeledEpisode["rule"], tid: number, startNs: number, endNs: number): LabeledEpisode => ({ episode, cause, rule, tid, startNs, endNs });

describe("labels", () => {
  it("each rule labels exactly its rows", () => {
    const t = sample();
    const causes = labelRows(t.rows, [
      ep(0, "udp", { by: "extent", delayed: false }, 10, 2500, 3900),
      ep(1, "factoring", { by: "extent", delayed: true }, 10, 4000, 8000),
      ep(2, "shell", { by: "family" }, 10, 10000, 10500),
      ep(3, "spoof", { by: "window" }, -1, 12500, 14000),
    ]);
    const r = t.rows;
    expect(causes).toEqual(["", "udp", "factoring", "shell", "spoof"]);
    expect(Array.from(r.episode)).toEqual([-1, -1, 0, 0, -1, 1, -1, 2, 2, 2, 2, -1, 3, 3, -1]);
    expect(Array.from(r.label)).toEqual(Array.from(r.episode, (e) => (e >= 0 ? 1 : 0)));
    expect(Array.from(r.cause, (c) => causes[c])).toEqual(["", "", "udp", "udp", "", "factoring", "", "shell", "shell", "shell", "shell", "", "spoof", "spoof", ""]);
  });

  it("a family episode with code spans labels its thread's calls in them, not between, and the children", () => {
    const t = sample();
    labelRows(t.rows, [{ ...ep(0, "hog", { by: "family" }, 10, 10000, 12100), spans: [[10000, 10250], [11900, 12100]] }]);
    // The fork (10000) and the wait (12000) in the spans; the child and grandchild; not 10's polls before.
    expect(Array.from(t.rows.episode)).toEqual([-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, -1, -1, -1]);
    const open = sample();
    labelRows(open.rows, [{ ...ep(0, "hog", { by: "family" }, 10, 10000, -1), spans: [[10000, 10250], [11900, -1]] }]);
    expect(Array.from(open.rows.episode)).toEqual([-1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, -1, 0, 0]);
  });

  it("a stall with calls during it labels those and the first after; overlapping episodes go to the earliest", () => {
    const t = sample();
    labelRows(t.rows, [
      ep(0, "factoring", { by: "extent", delayed: true }, 10, 1500, 3600),
      ep(1, "udp", { by: "extent", delayed: false }, 10, 2500, 3900),
    ]);
    const r = t.rows;
    // Episode 0 takes 10's calls at 2000, 3000, 3500 and its first after 3600 (9000); episode 1 finds its rows taken.
    expect(Array.from(r.episode)).toEqual([-1, 0, 0, 0, -1, 0, -1, -1, -1, -1, -1, -1, -1, -1, -1]);
  });

  it("an episode still open at the end labels to the end; a family episode that made no child labels its thread's calls alone", () => {
    const t = sample();
    labelRows(t.rows, [
      ep(0, "udp", { by: "extent", delayed: true }, 30, 12500, -1),
      ep(1, "shell", { by: "family" }, 10, 0, 2500),
    ]);
    expect(Array.from(t.rows.episode)).toEqual([1, 1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, -1, -1]);
  });

  it("step columns take the last change at or before each call", () => {
    const t = sample();
    const r = t.rows;
    stepColumn(r, [{ ns: 2000, index: 1 }, { ns: 9000, index: 2 }, { ns: 9001, index: 3 }], 0, r.phase);
    expect(Array.from(r.phase)).toEqual([0, 1, 1, 1, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3]);
  });
});

describe("the table", () => {
  it("reads back every value exactly, in the documented columns, none nullable", () => {
    const t = sample();
    const r = t.rows;
    const causes = labelRows(r, [ep(0, "udp", { by: "extent", delayed: false }, 10, 2500, 3900)]);
    stepColumn(r, [{ ns: 2000, index: 1 }], 0, r.phase);
    stepColumn(r, [{ ns: 0, index: 0 }, { ns: 3000, index: 1 }], 0, r.truthPhase);
    const bytes = syscallsParquet(r, { phases: ["", "CRUISE"], truthPhases: ["on_ground", "climbing"], causes }, "flight-000042", "sockets", "test").slice();
    const back = readSyscallsParquet(bytes);
    expect(back.schema.fields.map((f) => [f.name, f.nullable])).toEqual(SYSCALL_TABLE_COLUMNS.map((c) => [c, false]));
    expect(back.numRows).toBe(r.n);
    const col = (c: string): unknown[] => Array.from({ length: back.numRows }, (_, i) => back.getChild(c)!.get(i));
    expect(col("seq")).toEqual(Array.from({ length: r.n }, (_, i) => BigInt(i)));
    expect(col("enter_ns")).toEqual(Array.from(r.enter));
    expect(col("exit_ns")).toEqual(Array.from(r.exit));
    expect(col("delta_ns")).toEqual(Array.from(r.enterNs, (e, i) => BigInt(i === 0 ? 0 : e - r.enterNs[i - 1])));
    expect(col("name").slice(0, 5)).toEqual(["select", "select", "socket", "close", "getpid"]);
    expect(col("ret")).toEqual(Array.from(r.ret));
    expect(col("pid")).toEqual(Array.from(r.pid, BigInt));
    expect(col("ppid")[10]).toBe(11n);
    expect(col("comm")[10]).toBe("p12");
    expect(col("cr3")[12]).toBe(0x1000n * 30n);
    expect(col("phase").slice(0, 3)).toEqual(["", "CRUISE", "CRUISE"]);
    expect(col("truth_phase").slice(0, 4)).toEqual(["on_ground", "on_ground", "climbing", "climbing"]);
    expect(col("label").slice(0, 5)).toEqual([0, 0, 1, 1, 0]);
    expect(col("cause").slice(0, 5)).toEqual(["", "", "udp", "udp", ""]);
    expect(col("episode").slice(0, 5)).toEqual([-1n, -1n, 0n, 0n, -1n]);
    expect(new Set(col("flight_id"))).toEqual(new Set(["flight-000042"]));
    // The same rows, the same bytes.
    expect(Buffer.from(syscallsParquet(r, { phases: ["", "CRUISE"], truthPhases: ["on_ground", "climbing"], causes }, "flight-000042", "sockets", "test")).equals(Buffer.from(bytes))).toBe(true);
  });
});
