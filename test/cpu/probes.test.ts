// Code probes (assembly/decoder/probe.ts, assembly/exec/probe.ts): run()
// exits before a probed instruction with nothing retired, and resuming runs it
// once; a run with probes ends in the same state, at the same tick, as one
// without. Every probe exit is also compared with a probe-free machine run for
// exactly as many ticks: the same registers, RIP on the probed instruction.
import { describe, it, expect } from "vitest";
import { Machine, ProbeSite } from "../../src/machine/machine.js";
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { Exit } from "../../src/machine/layout.js";
import { assemble, Assembled } from "./asm.js";

const CODE = 0x400000;
const DATA = 0x600000;

class Bed {
  readonly spaces: Array<{ as: AddressSpace; vm: VirtualMemory }> = [];
  constructor(readonly prog: Assembled, spaces = 1, opts: { fast?: boolean; mapCode?: boolean } = {}, readonly m = new Machine()) {
    for (let i = 0; i < spaces; i++) {
      const as = new AddressSpace(this.m.phys);
      const vm = new VirtualMemory(this.m.phys, as);
      if (opts.mapCode !== false) this.mapCode(as, vm);
      as.map(DATA, this.m.phys.alloc(), PROT_READ | PROT_WRITE);
      this.spaces.push({ as, vm });
    }
    this.m.efer = 0x800n;
    if (opts.fast === false) (this.m.core as unknown as { setFastForms(on: number): void }).setFastForms(0);
    this.enter(0);
    for (let i = 0; i < 16; i++) this.m.setGpr(i, 0n);
    this.m.setGpr(4, BigInt(DATA + 0x800));
    this.m.rip = BigInt(CODE + (prog.at.start ?? 0));
  }
  mapCode(as: AddressSpace, vm: VirtualMemory): void {
    for (let off = 0; off < this.prog.code.length + 1; off += 4096) as.map(CODE + off, this.m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
    vm.write(CODE, this.prog.code, true);
  }
  enter(i: number): void { this.m.cr3 = this.spaces[i].as.cr3; }
  va(label: string): number { return CODE + this.prog.at[label]; }
  get cr3(): number { return this.m.cr3; }
}

interface State { rip: bigint; ticks: bigint; gpr: bigint[]; rflags: bigint; data: string }
function state(b: Bed, space = 0): State {
  const m = b.m;
  return {
    rip: m.rip, ticks: m.ticks, gpr: Array.from({ length: 16 }, (_, i) => m.gpr(i)), rflags: m.rflags,
    data: Buffer.from(b.spaces[space].vm.read(DATA, 4096)!).toString("hex"),
  };
}

interface Hit { probe: number; rip: bigint; ticks: bigint }
// Run to the INT3 that ends every snippet, in slices of `budget`; every probe
// exit is recorded and resumed at once.
function runToEnd(b: Bed, budget = 1_000_000, onProbe?: (h: Hit) => void): { hits: Hit[]; exits: number } {
  const hits: Hit[] = [];
  let exits = 0;
  for (;;) {
    const e = b.m.run(budget);
    exits++;
    if (e === Exit.Int3) return { hits, exits };
    if (e === Exit.Budget) continue;
    if (e !== Exit.Probe) throw new Error(`unexpected exit ${e} at 0x${b.m.rip.toString(16)}`);
    const x = b.m.exit();
    expect(x.rip).toBe(b.m.rip);
    const h = { probe: x.probe, rip: x.rip, ticks: b.m.ticks };
    hits.push(h);
    onProbe?.(h);
    if (exits > 100_000) throw new Error("runaway");
  }
}

// The state of a probe-free machine after exactly `ticks` ticks from the start.
function reference(prog: Assembled, ticks: bigint, opts: { fast?: boolean } = {}): State {
  const r = new Bed(prog, 1, opts);
  const t0 = r.m.ticks;
  let left = ticks - t0;
  while (left > 0n) {
    const before = r.m.ticks;
    const e = r.m.run(Number(left));
    left -= r.m.ticks - before;
    if (e !== Exit.Budget) break;
  }
  return state(r);
}

function withoutProbes(prog: Assembled, opts: { fast?: boolean } = {}): State {
  const b = new Bed(prog, 1, opts);
  runToEnd(b);
  return state(b);
}

// A counted loop: the probe at `top` starts a trace (a branch target); `mid` sits inside it.
const LOOP = assemble(`
start:
  mov ecx, 25
  xor eax, eax
top:
  add eax, ecx
  imul edx, eax, 3
mid:
  add [rip + cell], edx
  sub ecx, 1
  jnz top
  mov rbx, [rip + cell]
  int3
.p2align 4
cell: .quad 0
`);

describe("code probes: exit before the instruction, resume runs it once", () => {
  it("stops at a probe in the middle of a trace with nothing retired, and resumes", () => {
    const prog = assemble(`
start:
  mov eax, 1
  mov edx, 7
probe:
  add eax, 2
  int3
`);
    const b = new Bed(prog);
    const t0 = b.m.ticks;
    b.m.setProbes([{ cr3: b.cr3, va: b.va("probe") }]);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    expect(b.m.rip).toBe(BigInt(b.va("probe")));
    expect(b.m.ticks - t0).toBe(2n);      // the two MOVs, not the ADD
    expect(b.m.gpr(0)).toBe(1n);
    expect(b.m.exit()).toMatchObject({ reason: Exit.Probe, probe: 0, rip: BigInt(b.va("probe")) });
    expect(b.m.run(1000)).toBe(Exit.Int3);
    expect(b.m.gpr(0)).toBe(3n);
    expect(b.m.ticks - t0).toBe(4n);
  });

  it("stops at a probe on the first instruction run, before any tick", () => {
    const prog = assemble(`
start:
  mov eax, 5
  int3
`);
    const b = new Bed(prog);
    const t0 = b.m.ticks;
    b.m.setProbes([{ cr3: b.cr3, va: b.va("start") }]);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    expect(b.m.ticks).toBe(t0);
    expect(b.m.gpr(0)).toBe(0n);
    expect(b.m.run(1000)).toBe(Exit.Int3);
    expect(b.m.gpr(0)).toBe(5n);
  });

  for (const fast of [true, false]) {
    it(`N loop iterations give N exits per probe, at the right state, and the same end as without probes (${fast ? "fast forms" : "generic dispatch"})`, () => {
      const plain = withoutProbes(LOOP, { fast });
      for (const budget of [1_000_000, 1, 2, 3, 7]) {
        const b = new Bed(LOOP, 1, { fast });
        b.m.setProbes([{ cr3: b.cr3, va: b.va("top") }, { cr3: b.cr3, va: b.va("mid") }]);
        const { hits } = runToEnd(b, budget);
        expect(hits.filter((h) => h.probe === 0).length).toBe(25);
        expect(hits.filter((h) => h.probe === 1).length).toBe(25);
        expect(hits.map((h) => h.probe)).toEqual(Array.from({ length: 50 }, (_, i) => i % 2));
        expect(state(b)).toEqual(plain);
        // Every exit is the probe-free machine's state after as many ticks, with RIP on the probe.
        if (budget === 1_000_000) {
          for (const h of hits) {
            const ref = reference(LOOP, h.ticks, { fast });
            expect(ref.rip).toBe(h.rip);
            expect(ref.rip).toBe(BigInt(b.va(h.probe === 0 ? "top" : "mid")));
          }
          const ref = reference(LOOP, hits[7].ticks, { fast });
          const again = new Bed(LOOP, 1, { fast });
          again.m.setProbes([{ cr3: again.cr3, va: again.va("top") }, { cr3: again.cr3, va: again.va("mid") }]);
          let n = 0;
          for (;;) { expect(again.m.run(1_000_000)).toBe(Exit.Probe); if (n++ === 7) break; }
          expect(state(again)).toEqual(ref);
        }
      }
    });
  }

  it("a REP instruction split over budget slices is one hit per time it is reached", () => {
    const prog = assemble(`
start:
  mov ebx, 3
again:
  lea rsi, [rip + src]
  mov edi, ${DATA}
  mov ecx, 40
rep_at:
  rep movsb
  sub ebx, 1
  jnz again
  int3
src: .ascii "0123456789abcdefghijklmnopqrstuvwxyzABCD"
`);
    const plain = withoutProbes(prog);
    for (const budget of [1_000_000, 4, 5, 13]) {
      const b = new Bed(prog);
      b.m.setProbes([{ cr3: b.cr3, va: b.va("rep_at") }]);
      const { hits } = runToEnd(b, budget);
      expect(hits.length).toBe(3);
      for (const h of hits) expect(h.rip).toBe(BigInt(b.va("rep_at")));
      expect(state(b)).toEqual(plain);
    }
  });

  it("a probed instruction that faults is still one hit: the fault and the retry run it without a second exit", () => {
    const prog = assemble(`
start:
  mov rdi, 0x700000
probe:
  mov dword ptr [rdi], 42
  mov eax, [rdi]
  int3
`);
    const b = new Bed(prog);
    b.m.setProbes([{ cr3: b.cr3, va: b.va("probe") }]);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    const t = b.m.ticks;
    expect(b.m.run(1000)).toBe(Exit.PageFault);   // the store's page is missing
    expect(b.m.rip).toBe(BigInt(b.va("probe")));
    expect(b.m.ticks).toBe(t);
    b.spaces[0].as.map(0x700000, b.m.phys.alloc(), PROT_READ | PROT_WRITE);
    b.m.flushTlb();
    expect(b.m.run(1000)).toBe(Exit.Int3);          // no second probe exit
    expect(b.m.gpr(0)).toBe(42n);
  });

  it("a probe on code not mapped yet fires once: before the fetch fault, not again after it", () => {
    const prog = assemble(`
start:
  mov eax, 9
  int3
`);
    const b = new Bed(prog, 1, { mapCode: false });
    const { as, vm } = b.spaces[0];
    b.m.setProbes([{ cr3: b.cr3, va: b.va("start") }]);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    expect(b.m.run(1000)).toBe(Exit.PageFault);
    expect(b.m.exit().addr).toBe(BigInt(CODE));
    b.mapCode(as, vm);
    b.m.flushTlb();
    expect(b.m.run(1000)).toBe(Exit.Int3);
    expect(b.m.gpr(0)).toBe(9n);
  });

  it("a probe on SYSCALL exits before it; resuming makes the SYSCALL exit", () => {
    const prog = assemble(`
start:
  mov eax, 39
probe:
  syscall
  int3
`);
    const b = new Bed(prog);
    b.m.setProbes([{ cr3: b.cr3, va: b.va("probe") }]);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    expect(b.m.run(1000)).toBe(Exit.Syscall);
    expect(b.m.gpr(1)).toBe(BigInt(b.va("probe") + 2)); // RCX: the return address
  });

  it("the host moving RIP after a probe exit cancels the skip; returning there exits again", () => {
    const prog = assemble(`
start:
  mov eax, 1
probe:
  add eax, 10
  int3
`);
    const b = new Bed(prog);
    b.m.setProbes([{ cr3: b.cr3, va: b.va("probe") }]);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    b.m.rip = BigInt(b.va("start"));
    expect(b.m.run(1000)).toBe(Exit.Probe);
    expect(b.m.run(1000)).toBe(Exit.Int3);
    expect(b.m.gpr(0)).toBe(11n);
  });

  it("self-modifying code: a rewritten probed instruction is still probed, and runs as rewritten", () => {
    const prog = assemble(`
start:
  mov ebx, 2
loop:
  xor eax, eax
probe:
  mov ecx, 1
  add eax, ecx
  mov byte ptr [rip + probe + 1], 5
  sub ebx, 1
  jnz loop
  int3
`);
    const b = new Bed(prog);
    b.m.setProbes([{ cr3: b.cr3, va: b.va("probe") }]);
    const { hits } = runToEnd(b);
    expect(hits.length).toBe(2);
    expect(b.m.gpr(0)).toBe(5n); // the second pass ran "mov ecx, 5"
    expect(state(b)).toEqual(withoutProbes(prog));
  });
});

describe("code probes: address spaces and the set", () => {
  const prog = assemble(`
start:
  mov eax, 1
probe:
  add eax, 2
  int3
`);
  const fresh = (b: Bed, space: number): void => {
    b.enter(space);
    for (let i = 0; i < 16; i++) b.m.setGpr(i, 0n);
    b.m.rip = BigInt(b.va("start"));
  };

  it("a probe on one CR3 does not fire in another; CR3 0 fires in both", () => {
    const b = new Bed(prog, 2);
    const [a, other] = b.spaces.map((s) => s.as.cr3);
    b.m.setProbes([{ cr3: a, va: b.va("probe") }]);
    fresh(b, 1);
    expect(b.m.run(1000)).toBe(Exit.Int3);
    fresh(b, 0);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    // Back in the other space right after: its traces were dropped with the CR3 change.
    fresh(b, 1);
    expect(b.m.cr3).toBe(other);
    expect(b.m.run(1000)).toBe(Exit.Int3);
    b.m.setProbes([{ cr3: 0, va: b.va("probe") }]);
    for (const s of [0, 1]) {
      fresh(b, s);
      expect(b.m.run(1000)).toBe(Exit.Probe);
      expect(b.m.run(1000)).toBe(Exit.Int3);
    }
  });

  it("the pending skip belongs to the context: another thread running in between neither takes nor clears it", () => {
    const b = new Bed(prog, 2);
    b.m.setProbes([{ cr3: 0, va: b.va("probe") }]);
    fresh(b, 0);
    expect(b.m.run(1000)).toBe(Exit.Probe);
    const first = b.m.saveContext();
    fresh(b, 1);                                // another thread: its own hit, then to its end
    expect(b.m.run(1000)).toBe(Exit.Probe);
    expect(b.m.run(1000)).toBe(Exit.Int3);
    b.m.restoreContext(first);
    expect(b.m.run(1000)).toBe(Exit.Int3);      // the first resumes past its probe
    expect(b.m.gpr(0)).toBe(3n);
  });

  it("clearing the probes stops the exits, also right after one", () => {
    const b = new Bed(LOOP);
    b.m.setProbes([{ cr3: b.cr3, va: b.va("top") }]);
    expect(b.m.run(1_000_000)).toBe(Exit.Probe);
    expect(b.m.run(1_000_000)).toBe(Exit.Probe);
    b.m.setProbes([]);
    expect(runToEnd(b).hits).toEqual([]);
    expect(state(b)).toEqual(withoutProbes(LOOP));
  });

  it("the probe index is the site's place in the set, and the set has a limit", () => {
    const b = new Bed(LOOP);
    const sites: ProbeSite[] = [{ cr3: b.cr3, va: b.va("mid") + 0x100 }, { cr3: b.cr3 + 4096, va: b.va("top") }, { cr3: b.cr3, va: b.va("top") }];
    b.m.setProbes(sites);
    expect(b.m.run(1_000_000)).toBe(Exit.Probe);
    expect(b.m.exit().probe).toBe(2);
    expect(b.m.exitProbe).toBe(2);
    expect(() => b.m.setProbes(Array.from({ length: 65 }, (_, i) => ({ cr3: 0, va: i })))).toThrow(/at most 64/);
  });

  it("a reset Machine has no probes and no pending skip", () => {
    const b = new Bed(LOOP);
    b.m.setProbes([{ cr3: b.cr3, va: b.va("top") }]);
    expect(b.m.run(1_000_000)).toBe(Exit.Probe);
    b.m.reset();
    const again = new Bed(LOOP, 1, {}, b.m);
    expect(runToEnd(again).hits).toEqual([]);
    expect(state(again)).toEqual(withoutProbes(LOOP));
  });
});
