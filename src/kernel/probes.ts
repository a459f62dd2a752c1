// Code probes on guest programs, for the host's own instrumentation (ground
// truth: when guest code is in a given function) without changing anything
// the guest does or sees: its instructions, syscalls and clock are the same
// with and without probes. The caller names functions of a program image by
// symbol; when a process execs that image the kernel resolves the symbols from
// the ELF's symbol table and probes those addresses in that process's address
// space (and in its forked children's, which run the same code). Each time the
// process reaches one, the handler runs with the process, the thread id and
// the machine (registers as at the function's first instruction: the
// arguments in RDI, RSI, ...), then the process goes on. A handler reads; it
// must not change guest state.
import type { Machine, ProbeSite } from "../machine/machine.js";
import { PROBE_MAX } from "../machine/layout.js";
import type { Process } from "./process/process.js";
import { findSymbols, STT_FUNC } from "./elf/symbols.js";

export type ProbeHandler = (process: Process, tid: number, machine: Machine) => void;

// Probes on one program image: its canonical guest path (as /proc/self/exe shows it) and a handler per symbol.
export interface ImageProbes {
  image: string;
  symbols: Record<string, ProbeHandler>;
}

// The caller's probes cannot be set up (a symbol the image lacks, too many probes): a host-side error.
export class ProbeError extends Error {}

interface Site extends ProbeSite {
  process: Process;
  symbol: string;
  handler: ProbeHandler;
}

export class Probes {
  // In the machine's order: a probe exit's index is an index here.
  private sites: Site[] = [];

  constructor(private readonly specs: readonly ImageProbes[], private readonly machine: Machine) {}

  // p's image is now `path` (loaded from `file`, moved by `bias`): its old sites go, the image's come.
  exec(p: Process, path: string, file: Uint8Array, bias: number): void {
    let changed = this.remove(p);
    for (const spec of this.specs) {
      if (spec.image !== path) continue;
      const names = Object.keys(spec.symbols);
      const found = findSymbols(file, names);
      for (const name of names) {
        const defs = found.get(name) ?? [];
        const funcs = defs.filter((d) => d.type === STT_FUNC);
        const use = funcs.length > 0 ? funcs : defs;
        if (use.length === 0) throw new ProbeError(`probes: ${path} has no symbol ${name} (stripped, or not defined there)`);
        if (use.length > 1) throw new ProbeError(`probes: ${path} defines ${name} ${use.length} times; name a unique symbol`);
        this.sites.push({ cr3: p.cr3, va: bias + use[0].value, process: p, symbol: name, handler: spec.symbols[name] });
        changed = true;
      }
    }
    if (changed) this.commit();
  }

  // A forked child runs its parent's code in a copy of its address space.
  fork(parent: Process, child: Process): void {
    const own = this.sites.filter((s) => s.process === parent);
    if (own.length === 0) return;
    for (const s of own) this.sites.push({ ...s, cr3: child.cr3, process: child });
    this.commit();
  }

  // p's address space is gone (its CR3 may be reused).
  exit(p: Process): void {
    if (this.remove(p)) this.commit();
  }

  // The machine stopped at a probe while p ran.
  hit(p: Process, tid: number): void {
    this.sites[this.machine.exitProbe].handler(p, tid, this.machine);
  }

  private remove(p: Process): boolean {
    const n = this.sites.length;
    this.sites = this.sites.filter((s) => s.process !== p);
    return this.sites.length !== n;
  }

  private commit(): void {
    if (this.sites.length > PROBE_MAX) {
      throw new ProbeError(`probes: ${this.sites.length} probes in live processes, at most ${PROBE_MAX} (${[...new Set(this.sites.map((s) => s.symbol))].join(", ")})`);
    }
    this.machine.setProbes(this.sites);
  }
}
