// Core behaviour the host CPU cannot be compared on: our CPUID, the virtual
// clock (RDTSC, one tick per REP iteration), budget exits in the middle of a
// REP, and the instructions this CPU executes differently from the host
// (TZCNT/LZCNT run as BSF/BSR, RDRAND is #UD: we do not advertise them;
// test/sse/cpuid-features.test.ts checks every feature flag).
import { describe, it, expect } from "vitest";
import { CoreBed, Case, BLOCK_VA } from "./harness.js";
import { Exit, S_TSC_OFFSET } from "../../src/machine/layout.js";

function run(bed: CoreBed, c: Case) { return bed.run(c); }
const regs = (init: Record<number, bigint>) => Array.from({ length: 16 }, (_, i) => init[i] ?? 0n);

describe("core: CPUID", () => {
  const bed = new CoreBed();
  const leaf = (n: number) => {
    const o = run(bed, { code: [0x0f, 0xa2], regs: regs({ 0: BigInt(n) }) });
    return [o.gpr[0], o.gpr[3], o.gpr[1], o.gpr[2]]; // eax ebx ecx edx
  };
  const str = (...w: bigint[]) => Buffer.concat(w.map((x) => { const b = Buffer.alloc(4); b.writeUInt32LE(Number(x)); return b; })).toString("latin1");
  it("is an AuthenticAMD family 0Fh, x86-64-v2 (MMX to SSE4.2, POPCNT, CX16), no AVX/XSAVE/LZCNT", () => {
    const [max, b, c, d] = leaf(0);
    expect(max).toBe(1n);
    expect(str(b, d, c)).toBe("AuthenticAMD");
    const [eax, , ecx, edx] = leaf(1);
    expect((eax >> 8n) & 0xfn).toBe(0xfn);
    const bit = (v: bigint, n: number) => (v >> BigInt(n)) & 1n;
    for (const n of [0, 4, 8, 15, 19, 23, 24, 25, 26]) expect(bit(edx, n)).toBe(1n); // FPU TSC CX8 CMOV CLFSH MMX FXSR SSE SSE2
    for (const n of [0, 9, 13, 19, 20, 23]) expect(bit(ecx, n)).toBe(1n); // SSE3 SSSE3 CX16 SSE4.1 SSE4.2 POPCNT
    for (const n of [1, 3, 22, 25, 26, 27, 28, 30]) expect(bit(ecx, n)).toBe(0n); // PCLMUL MONITOR MOVBE AES XSAVE OSXSAVE AVX RDRAND
    const [, , ecx8, edx8] = leaf(0x80000001);
    for (const n of [11, 20, 27, 29]) expect(bit(edx8, n)).toBe(1n); // SYSCALL NX RDTSCP LM
    expect(bit(ecx8, 0)).toBe(1n); // LAHF/SAHF
    expect(bit(ecx8, 5)).toBe(0n); // no LZCNT (ABM)
    const brand = [0x80000002, 0x80000003, 0x80000004].map((l) => { const [a, bb, cc, dd] = leaf(l); return str(a, bb, cc, dd); }).join("");
    expect(brand.replace(/\0+$/, "")).toBe("skytrace virtual x86-64 CPU");
    const [, , l1, ] = leaf(0x80000005);
    expect((l1 >> 24n) * 1024n).toBe(65536n);
    const [, , l2, l3] = leaf(0x80000006);
    expect((l2 >> 16n) * 1024n).toBe(1048576n);
    expect(l3).toBe(0n);
    expect(leaf(7)).toEqual([0n, 0n, 0n, 0n]);
  });
});

describe("core: virtual clock", () => {
  it("RDTSC = retired instructions + TSC offset", () => {
    const bed = new CoreBed();
    bed.m.stateView.setBigUint64(S_TSC_OFFSET, 1_000_000n, true);
    // rdtsc; mov rsi,rax; nop x5; rdtsc; int3
    const o = run(bed, { code: [0x0f, 0x31, 0x48, 0x89, 0xc6, 0x90, 0x90, 0x90, 0x90, 0x90, 0x0f, 0x31] });
    expect(o.gpr[0] - o.gpr[6]).toBe(7n); // 1 mov + 5 nop + the second rdtsc
    expect(o.gpr[6] >= 1_000_000n).toBe(true);
    expect(o.gpr[2]).toBe(0n);
  });

  it("REP MOVSB counts one tick per iteration and resumes after a budget exit", () => {
    const bed = new CoreBed();
    const c: Case = { code: [0xf3, 0xa4], regs: regs({ 1: 10n, 6: BigInt(BLOCK_VA), 7: BigInt(BLOCK_VA + 0x100) }) };
    const t0 = bed.m.ticks;
    run(bed, c);
    expect(bed.m.ticks - t0).toBe(11n); // 10 iterations + the INT3 end marker
    // now in slices of 4 ticks: exits with RIP on the instruction and a consistent RCX/RSI/RDI
    bed.run({ ...c, stepBudget: 1_000_000 });
    const page = new Uint8Array(4096).fill(0xcc); page.set([0xf3, 0xa4], 0x800);
    bed.vm.write(0x10000000, page, true);
    for (let i = 0; i < 16; i++) bed.m.setGpr(i, c.regs![i]);
    bed.m.rip = 0x10000800n;
    expect(bed.m.run(4)).toBe(Exit.Budget);
    expect(bed.m.rip).toBe(0x10000800n);
    expect(bed.m.gpr(1)).toBe(6n);
    expect(bed.m.gpr(6)).toBe(BigInt(BLOCK_VA + 4));
    expect(bed.m.gpr(7)).toBe(BigInt(BLOCK_VA + 0x104));
    expect(bed.m.run(100)).toBe(Exit.Int3);
    expect(bed.m.gpr(1)).toBe(0n);
  });
});

describe("core: instructions this CPU does not advertise", () => {
  const bed = new CoreBed();
  it("F3 0F BC (TZCNT) and F3 0F BD (LZCNT) execute as BSF/BSR", () => {
    let o = run(bed, { code: [0xf3, 0x48, 0x0f, 0xbc, 0xc1], regs: regs({ 0: 0x1234n, 1: 0n }) });
    expect(o.gpr[0]).toBe(0x1234n); // BSF of 0 keeps the destination (TZCNT would write 64)
    expect(o.rflags & 0x41n).toBe(0x40n); // ZF=1, CF=0
    o = run(bed, { code: [0xf3, 0x48, 0x0f, 0xbd, 0xc1], regs: regs({ 1: 0x100n }) });
    expect(o.gpr[0]).toBe(8n); // BSR index (LZCNT would give 55)
  });
  it("RDRAND is #UD", () => {
    expect(run(bed, { code: [0x48, 0x0f, 0xc7, 0xf0] }).trapno).toBe(6);
  });
});
