// The decoded-trace cache (assembly/decoder/tcache.ts): two hot traces whose start addresses map to
// the same place both stay decoded, and keep their run counts, so the JIT compiles them. The cache
// was direct-mapped on `rip ^ rip >> 12`: two such traces evicted each other on every pass, each
// pass decoded both again, and neither ever reached the JIT's threshold (SQLite, docs/jit.md).
// The loop here: A: JMP B; B: DEC RCX; JNZ A; INT3, with A and B chosen to collide.
import { describe, it, expect } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { Exit, TC_JIT, TC_SET_BITS, TC_WAYS, SPACE_MAX } from "../../src/machine/layout.js";
import { JIT_ENTRY } from "../../src/machine/jit/jit.js";

const A = 0x100_000n; // page 0x100, offset 0
const oldIndex = (r: bigint) => Number((r ^ (r >> 12n)) & 8191n);
// The set the core's hash puts a start RIP in (tcache.ts: the top TC_SET_BITS bits of rip * 2^64/phi).
const newSet = (r: bigint) => Number(BigInt.asUintN(64, r * 0x9e3779b97f4a7c15n) >> BigInt(64 - TC_SET_BITS));

// B on another page, at the offset that gives it A's block in the old direct-mapped cache (and,
// with `sameSet`, A's set in this one too): the first such page from 0x101 up.
function partner(sameSet: boolean): bigint {
  for (let p = 0x101n; p < 0x40000n; p++) {
    const off = (BigInt(oldIndex(A)) ^ p) & 0xfffn;
    const b = (p << 12n) | off;
    if (off > 0xff0n || oldIndex(b) !== oldIndex(A)) continue;
    if (!sameSet || newSet(b) === newSet(A)) return b;
  }
  throw new Error("no partner address");
}

// `int3s`: more code addresses, each an INT3, mapped and written before the loop runs.
function loop(m: Machine, b: bigint, passes: number, int3s: bigint[] = []): { exit: Exit; builds: bigint; vm: VirtualMemory } {
  const as = new AddressSpace(m.phys), vm = new VirtualMemory(m.phys, as);
  for (const va of [A, b, ...int3s]) as.map(Number(va & ~0xfffn), m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
  m.cr3 = as.cr3;
  for (const va of int3s) vm.write(Number(va), new Uint8Array([0xcc]), true);
  const rel = (from: bigint, to: bigint) => { const x = Buffer.alloc(4); x.writeInt32LE(Number(to - from)); return [...x]; };
  vm.write(Number(A), new Uint8Array([0xe9, ...rel(A + 5n, b)]), true);                                 // JMP B
  vm.write(Number(b), new Uint8Array([0x48, 0xff, 0xc9, 0x0f, 0x85, ...rel(b + 9n, A), 0xcc]), true);  // DEC RCX; JNZ A; INT3
  m.setGpr(1, BigInt(passes));
  m.rip = A;
  const builds0 = (m.core.traceBuilds.value as bigint);
  let exit = Exit.Budget;
  for (let i = 0; i < 100 && exit === Exit.Budget; i++) exit = m.run(1_000_000);
  expect(m.gpr(1)).toBe(0n);
  return { exit, builds: (m.core.traceBuilds.value as bigint) - builds0, vm };
}

// `n` more start RIPs of A's set (any offset that leaves room for an INT3 or a JMP), from page 0x101 up.
function sameSet(n: number, not: bigint[]): bigint[] {
  const out: bigint[] = [];
  for (let p = 0x101n; p < 0x40000n && out.length < n; p++) {
    for (let off = 0n; off < 0xff0n; off += 0x10n) {
      const v = (p << 12n) | off;
      if (newSet(v) === newSet(A) && !not.some((x) => x >> 12n === p) && !out.some((x) => x >> 12n === p)) { out.push(v); break; }
    }
  }
  return out;
}

describe("decoded-trace cache", () => {
  it("keeps two traces that collided in the direct-mapped cache (interpreter)", () => {
    const b = partner(false);
    const r = loop(new Machine(undefined, { jit: false }), b, 10_000);
    expect(r.exit).not.toBe(Exit.Budget);
    expect(r.builds).toBeLessThanOrEqual(3n); // A, B, the INT3 after B's JNZ; 20 000 when they evicted each other
  });

  it("keeps two traces of the same set in two of its ways, each way dropped by a code write", () => {
    const b = partner(true);
    expect(newSet(b)).toBe(newSet(A));
    const m = new Machine(undefined, { jit: false });
    const r = loop(m, b, 10_000);
    expect(r.builds).toBeLessThanOrEqual(3n);
    // Rewrite B (the way built second) and run the loop again: the new code runs, not the old trace.
    r.vm.write(Number(b), new Uint8Array([0xb9, 0x2a, 0, 0, 0, 0xcc]), true); // MOV ECX, 42; INT3
    m.setGpr(1, 5n);
    m.rip = A;
    const exit = m.run(1000);
    expect(exit).not.toBe(Exit.Budget);
    expect(m.gpr(1)).toBe(42n);
  });

  it("keeps a compiled trace compiled when it is evicted and rebuilt (no flush between)", () => {
    const m = new Machine(undefined, { jit: 64 });
    const b = partner(true);
    // As many other traces of the set as it has ways (an INT3 each), on pages mapped before anything
    // runs (a page-table change flushes the cache, compiled code with it).
    const others = sameSet(TC_WAYS, [A, b]);
    const r = loop(m, b, 1000, others);
    const word = (rip: bigint) => new DataView(m.core.memory.buffer).getUint32(m.core.traceBlock(rip) + TC_JIT, true);
    expect(word(A)).toBeGreaterThanOrEqual(JIT_ENTRY);
    const run = (rip: bigint) => { m.rip = rip; return m.run(1000); };
    for (const o of others) expect(run(o)).not.toBe(Exit.Budget);
    expect(m.core.traceBlock(A)).toBe(0); // every way now holds an INT3 trace
    expect(m.core.traceBlock(b)).toBe(0);
    // A and B rebuilt: A's word is its compiled function again at once (a5ca3d6's cache counted
    // from zero, and the two passes here would have stayed interpreted).
    m.setGpr(1, 2n);
    const builds = m.core.traceBuilds.value as bigint;
    expect(run(A)).not.toBe(Exit.Budget);
    expect(m.gpr(1)).toBe(0n);
    expect((m.core.traceBuilds.value as bigint) - builds).toBeGreaterThanOrEqual(1n);
    expect(word(A)).toBeGreaterThanOrEqual(JIT_ENTRY);
  });

  // SQLite's misses were mostly conflicts of three or more hot traces in one set: at the same
  // capacity, 2048 sets of four ways built about a third as many traces in a run as 4096 sets of
  // two (docs/jit.md). Four traces of one set, run in a loop, stay decoded (two ways rebuilt them on
  // every pass: 4 000 builds here).
  it("keeps four traces of one set, run in turn", () => {
    const m = new Machine(undefined, { jit: false });
    const [x1, x2, x3] = sameSet(3, [A]);
    const as = new AddressSpace(m.phys), vm = new VirtualMemory(m.phys, as);
    for (const va of [A, x1, x2, x3]) as.map(Number(va & ~0xfffn), m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
    m.cr3 = as.cr3;
    const rel = (from: bigint, to: bigint) => { const x = Buffer.alloc(4); x.writeInt32LE(Number(to - from)); return [...x]; };
    vm.write(Number(A), new Uint8Array([0xe9, ...rel(A + 5n, x1)]), true);                                   // JMP X1
    vm.write(Number(x1), new Uint8Array([0xe9, ...rel(x1 + 5n, x2)]), true);                                 // JMP X2
    vm.write(Number(x2), new Uint8Array([0xe9, ...rel(x2 + 5n, x3)]), true);                                 // JMP X3
    vm.write(Number(x3), new Uint8Array([0x48, 0xff, 0xc9, 0x0f, 0x85, ...rel(x3 + 9n, A), 0xcc]), true);   // DEC RCX; JNZ A; INT3
    m.setGpr(1, 1000n);
    m.rip = A;
    const builds0 = m.core.traceBuilds.value as bigint;
    expect(m.run(1_000_000)).toBe(Exit.Int3);
    expect(m.gpr(1)).toBe(0n);
    expect((m.core.traceBuilds.value as bigint) - builds0).toBeLessThanOrEqual(5n); // the four, the INT3 after the JNZ
  });

  it("lets the JIT compile two traces that collided in the direct-mapped cache", () => {
    const m = new Machine(undefined, { jit: 64 });
    const r = loop(m, partner(false), 10_000);
    expect(r.builds).toBeLessThanOrEqual(3n);
    // Their run counts survive: both reach the threshold and are entered compiled (none before:
    // each rebuild started the count again at zero).
    expect(m.jit!.stats.compiled + m.jit!.stats.reused).toBeGreaterThan(0);
  });
});

// Decoded traces are tagged by address space (assembly/decoder/cacheflush.ts): a process switch
// keeps them, so a switch back finds its traces (and its compiled code) again; two spaces with
// different code at one address never share one. Each space here runs `MOV EAX, k; DEC RCX; JNZ
// back; INT3` at the same address X, with its own k.
describe("decoded traces per address space", () => {
  const X = 0x400_000n;
  function space(m: Machine, k: number): { as: AddressSpace; vm: VirtualMemory } {
    const as = new AddressSpace(m.phys), vm = new VirtualMemory(m.phys, as);
    as.map(Number(X), m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
    code(vm, k);
    return { as, vm };
  }
  // MOV EAX, k; DEC RCX; JNZ X; INT3
  const code = (vm: VirtualMemory, k: number) =>
    vm.write(Number(X), new Uint8Array([0xb8, k, 0, 0, 0, 0x48, 0xff, 0xc9, 0x0f, 0x85, 0xf2, 0xff, 0xff, 0xff, 0xcc]), true);
  function run(m: Machine, as: AddressSpace, passes: number): { eax: bigint; builds: bigint } {
    m.cr3 = as.cr3;
    m.setGpr(1, BigInt(passes));
    m.rip = X;
    const b0 = m.core.traceBuilds.value as bigint;
    expect(m.run(1_000_000)).toBe(Exit.Int3);
    expect(m.gpr(1)).toBe(0n);
    return { eax: m.gpr(0), builds: (m.core.traceBuilds.value as bigint) - b0 };
  }

  for (const jit of [false, 64] as const) {
    it(`runs each space's own code at one address, switching back and forth, and keeps its traces (${jit ? "JIT" : "interpreter"})`, () => {
      const m = new Machine(undefined, { jit });
      const a = space(m, 1), b = space(m, 2);
      expect(run(m, a.as, 1000).eax).toBe(1n);
      expect(run(m, b.as, 1000).eax).toBe(2n);
      for (let i = 0; i < 3; i++) {
        const ra = run(m, a.as, 1000), rb = run(m, b.as, 1000);
        expect([ra.eax, rb.eax]).toEqual([1n, 2n]);
        // Found again after the switch: nothing decoded (every switch dropped them all before: 2 each).
        expect([ra.builds, rb.builds]).toEqual([0n, 0n]);
      }
      if (jit) {
        const word = new DataView(m.core.memory.buffer).getUint32(m.core.traceBlock(X) + TC_JIT, true);
        expect(word).toBeGreaterThanOrEqual(JIT_ENTRY); // B's, compiled, still there
      }
    });
  }

  it("drops a space's traces when its code is written while another runs, and only that space's", () => {
    const m = new Machine(undefined, { jit: 64 });
    const a = space(m, 1), b = space(m, 2);
    run(m, a.as, 1000); run(m, b.as, 1000);
    code(a.vm, 7); // the host writes A's code page while B is current
    const ra = run(m, a.as, 1000), rb = run(m, b.as, 1000);
    expect([ra.eax, rb.eax]).toEqual([7n, 2n]);
    // A's page marks A alone (assembly/decoder/cacheflush.ts): A decodes again, B's traces stay.
    expect([ra.builds > 0n, rb.builds]).toEqual([true, 0n]);
    // An mprotect-like page-table change in B (flushTlb, as the kernel does when code is there).
    m.flushTlb();
    expect(run(m, a.as, 10).eax).toBe(7n);
  });

  // A process killed by another: its code frame is freed (PhysMem.release) while the killer runs,
  // and taken again for other code. Here A's frame goes back while B runs, and A (which, unlike a
  // dead process, runs again) maps other code there; B's traces stay.
  it("drops the traces of the space a freed code frame belonged to, whichever space runs", () => {
    const m = new Machine(undefined, { jit: 64 });
    const a = space(m, 1), b = space(m, 2);
    run(m, a.as, 1000); run(m, b.as, 1000);
    const pa = a.as.unmap(Number(X))!;
    m.phys.release(pa);
    const again = m.phys.alloc();
    expect(again).toBe(pa);
    a.as.map(Number(X), again, PROT_READ | PROT_WRITE | PROT_EXEC);
    m.core.flushTranslations();
    code(a.vm, 9);
    const rb = run(m, b.as, 1000), ra = run(m, a.as, 1000);
    expect([ra.eax, rb.eax]).toEqual([9n, 2n]);
    expect(rb.builds).toBe(0n);
  });

  // execve, mprotect of code: the running space's page tables changed (flushSpace); the others' stay.
  it("drops only the running space's traces when its page tables change (flushSpace)", () => {
    const m = new Machine(undefined, { jit: 64 });
    const a = space(m, 1), b = space(m, 2);
    run(m, a.as, 1000); run(m, b.as, 1000);
    const flushes = m.core.dcFlushes.value as bigint;
    m.flushSpace(); // B runs
    const rb = run(m, b.as, 1000), ra = run(m, a.as, 1000);
    expect([ra.eax, rb.eax]).toEqual([1n, 2n]);
    expect([ra.builds, rb.builds > 0n]).toEqual([0n, true]);
    expect(m.core.dcFlushes.value).toBe(flushes); // not a flush of every space
  });

  // A decoded probe is a slot that holds the probe's index (assembly/decoder/probe.ts): when another
  // space's probes go, those after them move down, and the spaces that own them must decode again
  // (the kernel's probe set shrinks as processes exec and exit: src/kernel/probes.ts). A space
  // whose probes did not change keeps its traces.
  it("drops the traces of a space whose probes changed or moved to other indices, and only those", () => {
    const m = new Machine(undefined, { jit: false });
    const a = space(m, 1), b = space(m, 2), c = space(m, 3);
    const DEC = Number(X) + 5;
    // The probe index run() stops at when `s` runs (then runs on to the INT3).
    const probeOf = (s: AddressSpace): number => {
      m.cr3 = s.cr3;
      m.setGpr(1, 1n);
      m.rip = X;
      expect(m.run(1000)).toBe(Exit.Probe);
      const i = m.exitProbe;
      expect(m.run(1000)).toBe(Exit.Int3);
      return i;
    };
    m.setProbes([{ cr3: a.as.cr3, va: DEC }, { cr3: b.as.cr3, va: DEC }]);
    expect([probeOf(a.as), probeOf(b.as)]).toEqual([0, 1]);
    run(m, c.as, 10);
    // A's probe goes: B's moves from 1 to 0; C has none, before and after.
    m.setProbes([{ cr3: b.as.cr3, va: DEC }]);
    const cb = m.core.traceBuilds.value as bigint;
    expect(run(m, c.as, 10).builds).toBe(0n);
    expect(m.core.traceBuilds.value).toBe(cb);
    expect(probeOf(b.as)).toBe(0);
    expect(run(m, a.as, 10).eax).toBe(1n); // no probe in A any more
    // A probe of every space (CR3 0) drops them all: C stops at it.
    m.setProbes([{ cr3: b.as.cr3, va: DEC }, { cr3: 0, va: DEC }]);
    expect(probeOf(c.as)).toBe(1);
  });

  // The JIT's host side keys the regions it compiled by tag (start RIP and generation) and forgets
  // them at a flush; generations are 16 bits and wrap, so a wrap must count as one even when
  // switches to ever new address spaces, not flushes, used them up.
  it("counts the generations' wrap as a flush when switches made it", () => {
    const m = new Machine(undefined, { jit: 64 });
    const flushes = () => m.core.dcFlushes.value as bigint;
    const f0 = flushes();
    // SPACE_MAX + 1 CR3 values take turns in a table of SPACE_MAX: every switch is to a space it
    // no longer holds, so each hands out a new generation.
    for (let i = 0; i < 70_000; i++) m.cr3 = 0x10_0000 + (i % (SPACE_MAX + 1)) * 0x1000;
    expect(flushes() - f0).toBe(1n);
  });

  it("gives a new space rooted in a freed root frame none of the dead space's traces", () => {
    const m = new Machine(undefined, { jit: 64 });
    const a = space(m, 1), b = space(m, 2);
    run(m, a.as, 1000); run(m, b.as, 1000);
    // A dies while its code frame lives on (as a frame another holder keeps would): only its page
    // tables are freed, none holds code, so nothing is flushed. A new space takes A's root frame
    // (the allocator hands freed frames out last-freed first: three tables, then the root) and runs
    // other code at X from another frame: not A's trace, which its CR3 would find.
    const oldRoot = a.as.cr3;
    a.as.unmap(Number(X));
    a.as.destroy();
    for (let i = 0; i < 3; i++) m.phys.alloc();
    const c = space(m, 3);
    expect(c.as.cr3).toBe(oldRoot);
    expect(run(m, c.as, 1000).eax).toBe(3n);
    expect(run(m, b.as, 1000).eax).toBe(2n);
  });
});
