// The trace record as the core writes it, read through src/machine/trace-ring.ts:
// a SYSCALL instruction's record holds the registers the call saw, the
// thread id the host set and CR3; a SYSRET record the value in RAX; a ring
// the host did not drain in time makes drainRing throw instead of losing records.
import { describe, it, expect } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { recordsSink, type TraceRecord } from "../kernel/trace-records.js";
import { AddressSpace, PROT_READ, PROT_EXEC } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { Exit, S_LSTAR, RING_CAPACITY } from "../../src/machine/layout.js";
import {
  drainRing, TraceRingOverflow, RECORD_WORDS, REC_SYSCALL, REC_SYSRET, recKind, recIsSyscall, recTid, recTick,
  recTickLo, recTickHi, recRegLo, recRegHi, recCr3, recRet, recRetLo, recRetHi, SYSCALL_REGS,
} from "../../src/machine/trace-ring.js";

const CODE = 0x400000;
const GPR = { rax: 0, rdx: 2, rsi: 6, rdi: 7, r8: 8, r9: 9, r10: 10 };

function machine(): Machine {
  const m = new Machine();
  const as = new AddressSpace(m.phys);
  as.map(CODE, m.phys.alloc(), PROT_READ | PROT_EXEC);
  new VirtualMemory(m.phys, as).write(CODE, new Uint8Array([0x0f, 0x05, 0xcc]), true); // syscall; int3
  m.cr3 = as.cr3;
  m.efer = 0xd01n;
  m.stateView.setBigUint64(S_LSTAR, BigInt(CODE + 2), true);
  m.rip = BigInt(CODE);
  m.traceOn = true;
  return m;
}

const u64 = (lo: number, hi: number): bigint => (BigInt(hi) << 32n) | BigInt(lo);

describe("trace ring records", () => {
  it("SYSCALL: kind, tid, tick, RAX RDI RSI RDX R10 R8 R9, CR3; SYSRET: kind, tid, tick, ret, CR3", () => {
    const m = machine();
    const regs = [0x1_0000_0003n, 0xfedc_ba98_7654_3210n, 0x7fff_ffff_e000n, 42n, 0x8000_0000_0000_0001n, 5n, 0xffff_ffff_ffff_ffffn];
    [GPR.rax, GPR.rdi, GPR.rsi, GPR.rdx, GPR.r10, GPR.r8, GPR.r9].forEach((g, k) => m.setGpr(g, regs[k]));
    m.ticks = 0x1_2345_6789n;
    m.tid = 4242;
    expect(m.run(10)).toBe(Exit.Syscall);
    const callTick = m.ticks;
    m.setGpr(GPR.rax, BigInt.asUintN(64, -14n)); // -EFAULT
    m.tid = 0xfffffffe;                           // whatever the host says, word for word
    m.ticks += 200n;
    m.sysret();
    const got: Array<Record<string, unknown>> = [];
    const n = drainRing(m, (r, count) => {
      for (let i = 0; i < count; i++) {
        const b = i * RECORD_WORDS;
        const rec: Record<string, unknown> = { kind: recKind(r, b), call: recIsSyscall(r, b), tid: recTid(r, b), tick: recTick(r, b), tick64: u64(recTickLo(r, b), recTickHi(r, b)), cr3: recCr3(r, b) };
        if (recIsSyscall(r, b)) rec.regs = Array.from({ length: SYSCALL_REGS }, (_, k) => u64(recRegLo(r, b, k), recRegHi(r, b, k)));
        else { rec.ret = recRet(r, b); rec.ret64 = u64(recRetLo(r, b), recRetHi(r, b)); }
        got.push(rec);
      }
    });
    expect(n).toBe(2);
    expect(got).toEqual([
      { kind: REC_SYSCALL, call: true, tid: 4242, tick: Number(callTick), tick64: callTick, cr3: m.cr3, regs },
      { kind: REC_SYSRET, call: false, tid: 0xfffffffe, tick: Number(callTick + 200n), tick64: callTick + 200n, cr3: m.cr3, ret: -14, ret64: BigInt.asUintN(64, -14n) },
    ]);
    expect(callTick).toBe(0x1_2345_6789n + 1n);
    // drained: nothing left
    expect(drainRing(m, () => { throw new Error("no records expected"); })).toBe(0);
  });

  it("the tests' record objects (test/kernel/trace-records.ts) hold the same fields", () => {
    const m = machine();
    m.setGpr(GPR.rax, 39n);
    m.tid = 3;
    expect(m.run(10)).toBe(Exit.Syscall);
    m.setGpr(GPR.rax, 77n);
    m.sysret();
    const out: TraceRecord[] = [];
    drainRing(m, recordsSink(out));
    expect(out).toEqual([
      { kind: "SYSCALL", tid: 3, tick: 1n, regs: [39n, 0n, 0n, 0n, 0n, 0n, 0n], cr3: BigInt(m.cr3) },
      { kind: "SYSRET", tid: 3, tick: 1n, regs: [], ret: 77n, cr3: BigInt(m.cr3) },
    ]);
  });

  it("holds RING_CAPACITY records; one more is an error, not a silent loss", () => {
    const m = machine();
    for (let i = 0; i < RING_CAPACITY; i++) { m.setGpr(GPR.rax, BigInt(i)); m.sysret(); }
    let seen = 0;
    expect(drainRing(m, (r, n) => { for (let i = 0; i < n; i++) if (recRet(r, i * RECORD_WORDS) === i) seen++; })).toBe(RING_CAPACITY);
    expect(seen).toBe(RING_CAPACITY);
    for (let i = 0; i <= RING_CAPACITY; i++) m.sysret();
    expect(() => drainRing(m, () => {})).toThrow(TraceRingOverflow);
  });
});
