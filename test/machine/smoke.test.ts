import { describe, it, expect } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { AddressSpace, PROT_READ, PROT_EXEC, PROT_WRITE } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { Exit } from "../../src/machine/layout.js";
import { drainRing } from "../../src/machine/trace-ring.js";
import { recordsSink, type TraceRecord } from "../kernel/trace-records.js";

describe("core smoke", () => {
  it("runs to a SYSCALL exit, records it, and returns through SYSRET", () => {
    const m = new Machine();
    const as = new AddressSpace(m.phys);
    const code = 0x400000;
    as.map(code, m.phys.alloc(), PROT_READ | PROT_EXEC);
    const vm = new VirtualMemory(m.phys, as);
    // mov eax,60 ; mov edi,42 ; syscall ; jmp $
    const bytes = [0xb8, 60, 0, 0, 0, 0xbf, 42, 0, 0, 0, 0x0f, 0x05, 0xeb, 0xfe];
    expect(vm.write(code, Uint8Array.from(bytes), true)).toBe(true);
    m.cr3 = as.cr3;
    m.rip = BigInt(code);
    m.traceOn = true;
    expect(m.run(1000)).toBe(Exit.Syscall);
    expect(m.gpr(0)).toBe(60n);
    expect(m.gpr(7)).toBe(42n);
    expect(m.gpr(1)).toBe(BigInt(code + 12)); // RCX = return address
    expect(m.ticks).toBe(3n);
    m.setGpr(0, 0n);
    m.sysret();
    expect(m.rip).toBe(BigInt(code + 12));
    const recs: TraceRecord[] = [];
    drainRing(m, recordsSink(recs));
    expect(recs.map((r) => r.kind)).toEqual(["SYSCALL", "SYSRET"]);
    expect(recs[0].regs[0]).toBe(60n);
    expect(recs[0].cr3).toBe(BigInt(as.cr3));
    expect(m.run(10)).toBe(Exit.Budget);
    expect(m.rip).toBe(BigInt(code + 12));
  });

  it("faults on an unmapped fetch with CR2 and a user/fetch error code", () => {
    const m = new Machine();
    const as = new AddressSpace(m.phys);
    m.cr3 = as.cr3;
    m.efer = 0x800n; // NXE
    m.rip = 0x1234000n;
    expect(m.run(10)).toBe(Exit.PageFault);
    const e = m.exit();
    expect(e.addr).toBe(0x1234000n);
    expect(e.error).toBe(4 | 16);
  });
});
