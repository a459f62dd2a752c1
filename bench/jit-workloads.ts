// The workloads issue 14's JIT targets are measured on (docs/jit.md): the factoring program, the
// static Lua, SQLite and CPython programs (bench/programs.ts) and a busydelay and a normal flight.
import { PROGRAMS } from "./programs.js";
import type { Workload } from "./fresh-run.js";

export const JIT_WORKLOADS: Record<string, { label: string; w: Workload }> = {
  factor: { label: "factor 32", w: { file: "build/guest/bench/factor", args: ["32"] } },
  ...Object.fromEntries(PROGRAMS.map((p) => [p.name, { label: `${p.name} ${p.args.join(" ")}`, w: { file: `build/guest/bench-libs/${p.name}`, args: p.args, fsDirs: p.fsDirs } }])),
  busydelay: { label: "busydelay flight, seed 5", w: { flight: "busydelay", seed: 5 } },
  normal: { label: "normal flight, seed 1", w: { flight: "normal", seed: 1 } },
};
