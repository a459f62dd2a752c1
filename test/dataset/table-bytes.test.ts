// The per-syscall table's exact bytes, pinned: a flight's Parquet files must
// stay byte-identical from version to version (docs/dataset.md), so a faster
// writer or a different way of keeping the rows must give these files to the
// byte. The rows are made up here from a seeded generator, shaped as a
// flight's (a polling loop of select/read/write with a few other calls, four
// processes and their threads, calls that never return, -errno returns,
// registers beyond 2^52), with both clocks' times: the ideal clock's few
// repeated Δt, some thousands of them (still a dictionary), and the realistic
// clock's spread, which barely compresses and makes no dictionary. The
// hashes are those of skytrace at 84803ac; a change to them is a change of the
// published format (say so in the commit, and update them with
// SKYTRACE_PRINT_TABLE_HASHES=1, which prints the new ones).
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { SyscallColumns } from "../../src/dataset/syscall-columns.js";
import { labelRows, stepColumn, type LabeledEpisode } from "../../src/dataset/labels.js";
import { syscallsParquet } from "../../src/dataset/syscalls-table.js";
import { RECORD_WORDS, REC_SYSCALL, REC_SYSRET, W_TID, W_TICK, W_REGS, W_RET, W_CR3 } from "../../src/machine/trace-ring.js";
import { SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
}

const rec = new Uint32Array(RECORD_WORDS);
const put = (w: number, v: bigint): void => { const u = BigInt.asUintN(64, v); rec[w] = Number(u & 0xffffffffn); rec[w + 1] = Number(u >> 32n); };

interface Shape { rows: number; seed: number; clock: "ideal" | "jitter" | "realistic" }

// A flight-like recording of `rows` calls into a SyscallColumns (as the recorder fills it).
function record(cols: SyscallColumns, s: Shape): void {
  const r = rng(s.seed);
  const procs = [
    { pid: 2, ppid: 1, comm: "flight-init", cr3: 0x2000n, tids: [2] },
    { pid: 5, ppid: 2, comm: "autopilot", cr3: 0x5000n, tids: [5, 9] },
    { pid: 7, ppid: 5, comm: "payload", cr3: 0x7000n, tids: [7] },
    { pid: 8, ppid: 2, comm: "mkdir", cr3: 0x8000n, tids: [8] },
  ];
  const loop = [NR.select, NR.read, NR.write, NR.select, NR.read, NR.clock_nanosleep];
  const rare = [NR.getpid, NR.openat, NR.close, NR.mmap, NR.brk, NR.rt_sigaction, NR.clone, NR.wait4, 1000, 0x1_0000_0005];
  const open = new Map<number, number>();   // tid -> call's tick
  let t = 1_000_000_000;
  for (let i = 0; i < s.rows; i++) {
    const p = r() % 16 === 0 ? procs[r() % procs.length] : procs[1];
    const tid = p.tids[r() % p.tids.length];
    // The thread's open call returns first (or, now and then, never: a handler's frame).
    if (open.has(tid)) {
      if (r() % 50 !== 0) {
        rec.fill(0); rec[0] = REC_SYSRET; rec[W_TID] = tid;
        put(W_TICK, BigInt(t)); put(W_RET, BigInt(r() % 9 === 0 ? -(r() % 40) : r() % 7 === 0 ? r() * 4096 : r() % 64));
        cols.ret(rec, 0);
        t += s.clock === "ideal" ? 263 : 180 + (r() % 700);
      }
      open.delete(tid);
    }
    const nr = r() % 10 === 0 ? rare[r() % rare.length] : loop[i % loop.length];
    rec.fill(0); rec[0] = REC_SYSCALL; rec[W_TID] = tid;
    put(W_TICK, BigInt(t)); put(W_REGS, BigInt(nr));
    const args = [BigInt(r() % 4), 0x7ffd_0000_1000n + BigInt(8 * (r() % 3)), BigInt(r() % 3 ? 64 : r()), 0n, r() % 5 === 0 ? (1n << 63n) | BigInt(r()) : 0n, BigInt(i & 1)];
    args.forEach((a, k) => put(W_REGS + 2 * (k + 1), a));
    put(W_CR3, p.cr3);
    cols.call(rec, 0, p.pid, p.ppid, p.comm);
    open.set(tid, t);
    // ideal: a few Δt; jitter: some thousands (a dictionary still); realistic: too many for one.
    t += s.clock === "ideal" ? [263, 86543, 263, 200][i % 4] : s.clock === "jitter" ? 250 + (r() % 3000) : 250 + (r() % 90_000) + (r() % 200 === 0 ? 4_000_000 : 0);
  }
}

const episodes: LabeledEpisode[] = [
  { episode: 0, cause: "udp", rule: { by: "extent", delayed: false }, tid: 5, startNs: 1_100_000_000, endNs: 1_101_000_000 },
  { episode: 1, cause: "factoring", rule: { by: "extent", delayed: true }, tid: 9, startNs: 1_200_000_000, endNs: 1_230_000_000 },
  { episode: 2, cause: "shell", rule: { by: "family" }, tid: 5, startNs: 1_300_000_000, endNs: -1 },
  { episode: 3, cause: "spoof", rule: { by: "window" }, tid: -1, startNs: 1_400_000_000, endNs: 1_450_000_000 },
];

function tableBytes(s: Shape): Uint8Array {
  const cols = new SyscallColumns(1 << 10);
  record(cols, s);
  const rows = cols.rowsView();
  stepColumn(rows, [{ ns: 1_050_000_000, index: 1 }, { ns: 1_350_000_000, index: 2 }], 0, rows.phase);
  stepColumn(rows, [{ ns: 0, index: 0 }, { ns: 1_020_000_000, index: 1 }, { ns: 1_500_000_000, index: 2 }], 0, rows.truthPhase);
  const causes = labelRows(rows, episodes);
  return syscallsParquet(rows, { phases: ["", "TAKEOFF", "CRUISE"], truthPhases: ["on_ground", "climbing", "cruising"], causes }, `flight-${s.seed}`, "NORMAL", "skytrace golden");
}

const WANT: Array<[Shape, string]> = [
  [{ rows: 0, seed: 1, clock: "realistic" }, "f72b888671a34e1cdd3219ea109adfa316cf5421331266d263278670d29de342"],
  [{ rows: 1, seed: 2, clock: "realistic" }, "304326b456e5c019236b66739daaad70a2d7dc6d6fe3fb9c8f007a3f1a112c58"],
  [{ rows: 129, seed: 3, clock: "ideal" }, "50c95a3c75511fae7c70333d473bfc027d00c8cedacd652a4ad38d943324c239"],
  [{ rows: 5000, seed: 4, clock: "ideal" }, "b77ff922ba172e43b28a8192d9f463547696a8d9d8cedfc4a78cd8fbaa74fb63"],
  [{ rows: 5000, seed: 5, clock: "realistic" }, "32c7cbf9807048dd053a6a16d02b267caebcfc881dbdabca451ccd7cd669dae5"],
  [{ rows: 60_000, seed: 6, clock: "ideal" }, "25e87462ca3900cee3a85db43fb31019e6ffdf35bafe2ecd0b1c392d311eafff"],
  [{ rows: 60_000, seed: 8, clock: "jitter" }, "0794a32073489c92a6dbebb753b49829f0445618653869153a12a4983ed0442e"],
  [{ rows: 110_000, seed: 7, clock: "realistic" }, "c55c0b3cace7af41625c0df39ecccf3c59bd3649fea51aad336f4dcb03a661f3"],
];

describe("the per-syscall table's bytes", () => {
  for (const [shape, sha256] of WANT) {
    it(`are skytrace 84803ac's for ${shape.rows} rows, the ${shape.clock} clock (seed ${shape.seed})`, () => {
      const got = createHash("sha256").update(tableBytes(shape)).digest("hex");
      if (process.env.SKYTRACE_PRINT_TABLE_HASHES) console.log(JSON.stringify(shape), got);
      expect(got).toBe(sha256);
    });
  }
});
