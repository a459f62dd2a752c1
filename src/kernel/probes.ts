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
//
// A symbol can also have a return handler (as Linux's uretprobes, but without
// touching the guest's stack): when the function is entered, the return
// address on the stack is probed in that process (once per call site: the
// probe stays, so a loop's calls change the probe set, and drop that
// process's decoded code, only the first time) and the stack pointer the call will return with
// is noted; the handler runs when the thread comes back there with that stack
// pointer (RAX is the return value), before the caller's next instruction.
import type { Machine, ProbeSite } from "../machine/machine.js";
import { PROBE_MAX } from "../machine/layout.js";
import type { Process } from "./process/process.js";
import { findSymbols, STT_FUNC } from "./elf/symbols.js";

export type ProbeHandler = (process: Process, tid: number, machine: Machine) => void;

// Probes on one program image: its canonical guest path (as /proc/self/exe shows it), a handler per
// symbol run at the function's entry, and per symbol one run at its return.
export interface ImageProbes {
  image: string;
  symbols: Record<string, ProbeHandler>;
  returns?: Record<string, ProbeHandler>;
}

// The caller's probes cannot be set up (a symbol the image lacks, too many probes): a host-side error.
export class ProbeError extends Error {}

interface Site extends ProbeSite {
  process: Process;
  symbol: string;
  handler: ProbeHandler | undefined;
  onReturn: ProbeHandler | undefined;   // an entry site whose function's return is watched
  pending: number[] | null;             // a return site: the RSP of each call still to come back here (innermost last); null for an entry site
}

const RSP = 4;

export class Probes {
  // In the machine's order: a probe exit's index is an index here.
  private sites: Site[] = [];

  constructor(private readonly specs: readonly ImageProbes[], private readonly machine: Machine) {}

  // p's image is now `path` (loaded from `file`, moved by `bias`): its old sites go, the image's come.
  exec(p: Process, path: string, file: Uint8Array, bias: number): void {
    let changed = this.remove(p);
    for (const spec of this.specs) {
      if (spec.image !== path) continue;
      const names = [...new Set([...Object.keys(spec.symbols), ...Object.keys(spec.returns ?? {})])];
      const found = findSymbols(file, names);
      for (const name of names) {
        const defs = found.get(name) ?? [];
        const funcs = defs.filter((d) => d.type === STT_FUNC);
        const use = funcs.length > 0 ? funcs : defs;
        if (use.length === 0) throw new ProbeError(`probes: ${path} has no symbol ${name} (stripped, or not defined there)`);
        if (use.length > 1) throw new ProbeError(`probes: ${path} defines ${name} ${use.length} times; name a unique symbol`);
        this.sites.push({ cr3: p.cr3, va: bias + use[0].value, process: p, symbol: name, handler: spec.symbols[name], onReturn: spec.returns?.[name], pending: null });
        changed = true;
      }
    }
    if (changed) this.commit();
  }

  // A forked child runs its parent's code in a copy of its address space (and returns where it would).
  fork(parent: Process, child: Process): void {
    const own = this.sites.filter((s) => s.process === parent);
    if (own.length === 0) return;
    for (const s of own) this.sites.push({ ...s, cr3: child.cr3, process: child, pending: s.pending && [...s.pending] });
    this.commit();
  }

  // p's address space is gone (its CR3 may be reused).
  exit(p: Process): void {
    if (this.remove(p)) this.commit();
  }

  // The machine stopped at a probe while p ran: every site at that address of p's runs
  // (an entry, the returns whose stack pointer matches).
  hit(p: Process, tid: number): void {
    const m = this.machine, at = this.sites[m.exitProbe];
    const rsp = Number(m.gpr(RSP));
    const here = this.sites.filter((s) => s.va === at.va && (s.cr3 === at.cr3 || s.cr3 === 0));
    for (const s of here) {
      if (s.pending) {
        if (s.process !== p) continue;
        const k = s.pending.lastIndexOf(rsp);
        if (k < 0) continue;   // the address reached otherwise (a jump, another call's return)
        // This call and any deeper one that never came back (longjmp) are done.
        s.pending.length = k;
        s.handler?.(p, tid, m);
        continue;
      }
      s.handler?.(p, tid, m);
      if (s.onReturn) this.watchReturn(s, p, rsp);
    }
  }

  // At a function's entry the return address is on top of the stack: probe it (once per call site), for
  // this process, and note the stack pointer the call will come back with.
  private watchReturn(entry: Site, p: Process, rsp: number): void {
    let va: number;
    try { va = p.mem.u64n(rsp); } catch { throw new ProbeError(`probes: ${entry.symbol} entered with an unreadable stack (rsp 0x${rsp.toString(16)})`); }
    let site = this.sites.find((s) => s.pending && s.process === p && s.va === va && s.handler === entry.onReturn);
    if (!site) {
      site = { cr3: p.cr3, va, process: p, symbol: `${entry.symbol}@return`, handler: entry.onReturn, onReturn: undefined, pending: [] };
      this.sites.push(site);
      this.commit();
    }
    site.pending!.push(rsp + 8);
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
