// Process memory: VMAs, demand paging, protection changes, fork copies, teardown.
import { describe, it, expect } from "vitest";
import { Machine } from "../../src/machine/machine.js";
import { MemoryMap, MMAP_BASE, PROT_READ, PROT_WRITE, PROT_NONE, STACK_TOP } from "../../src/kernel/mm/mm.js";
import { UserMemory } from "../../src/kernel/mm/uaccess.js";

const RW = PROT_READ | PROT_WRITE;

function fresh() {
  const m = new Machine();
  const mm = new MemoryMap(m.phys);
  return { m, mm, mem: new UserMemory(mm) };
}

describe("MemoryMap", () => {
  it("backs pages only when touched", () => {
    const { mm, mem } = fresh();
    mm.add(0x10000, 0x20000, RW, "anon");
    expect(mm.space.lookup(0x10000)).toBeUndefined();
    expect(mem.write(0x10ffe, Uint8Array.from([1, 2, 3, 4]))).toBe(true); // spans two pages
    expect(mm.frames).toBe(2);
    expect([...mem.read(0x10ffe, 4)!]).toEqual([1, 2, 3, 4]);
    expect(mem.read(0x20000, 1)).toBeNull(); // outside every VMA
  });

  it("splits VMAs on a partial unmap and frees those frames", () => {
    const { mm, mem } = fresh();
    mm.add(0x10000, 0x14000, RW, "anon");
    for (let p = 0x10000; p < 0x14000; p += 4096) mem.write(p, Uint8Array.of(p >> 12));
    mm.unmap(0x11000, 0x13000);
    expect(mm.vmas.map((v) => [v.start, v.end])).toEqual([[0x10000, 0x11000], [0x13000, 0x14000]]);
    expect(mm.frames).toBe(2);
    expect(mem.read(0x11000, 1)).toBeNull();
    expect(mem.read(0x13000, 1)![0]).toBe(0x13);
  });

  it("keeps contents across PROT_NONE and back", () => {
    const { mm, mem } = fresh();
    mm.add(0x10000, 0x12000, RW, "anon");
    mem.write(0x10010, Uint8Array.of(42));
    mm.protect(0x10000, 0x11000, PROT_NONE);
    expect(mem.read(0x10010, 1)).toBeNull();
    expect(mm.handleFault(0x10010, false, false, false)).toBe(false);
    mm.protect(0x10000, 0x11000, RW);
    expect(mem.read(0x10010, 1)![0]).toBe(42);
    expect(mm.vmas.length).toBe(1); // merged again
  });

  it("refuses kernel writes to read-only pages", () => {
    const { mm, mem } = fresh();
    mm.add(0x10000, 0x11000, RW, "anon");
    mem.write(0x10000, Uint8Array.of(1));
    mm.protect(0x10000, 0x11000, PROT_READ);
    expect(mem.write(0x10000, Uint8Array.of(2))).toBe(false);
    expect(mm.handleFault(0x10000, true, false, true)).toBe(false);
  });

  it("places mmaps top-down below MMAP_BASE without overlap", () => {
    const { mm } = fresh();
    const a = mm.findFree(0x3000);
    expect(a).toBe(MMAP_BASE - 0x3000);
    mm.add(a, a + 0x3000, RW, "anon");
    const b = mm.findFree(0x1000);
    expect(b).toBe(a - 0x1000);
  });

  it("grows the stack down on a fault below it, within RLIMIT_STACK", () => {
    const { mm } = fresh();
    mm.add(STACK_TOP - 0x20000, STACK_TOP, RW, "stack");
    expect(mm.handleFault(STACK_TOP - 0x30000, true, false, false)).toBe(true);
    expect(mm.find(STACK_TOP - 0x30000)?.kind).toBe("stack");
    expect(mm.handleFault(STACK_TOP - 9 * 1024 * 1024, true, false, false)).toBe(false);
  });

  it("forks into an independent copy and returns every frame on destroy", () => {
    const { m, mm, mem } = fresh();
    const base = m.phys.framesInUse();
    mm.add(0x10000, 0x13000, RW, "anon");
    mem.write(0x10000, Uint8Array.of(7));
    mem.write(0x12000, Uint8Array.of(9));
    const child = mm.fork();
    const cmem = new UserMemory(child);
    expect(child.cr3).not.toBe(mm.cr3);
    cmem.write(0x10000, Uint8Array.of(8));
    expect(mem.read(0x10000, 1)![0]).toBe(7);
    expect(cmem.read(0x10000, 1)![0]).toBe(8);
    expect(cmem.read(0x12000, 1)![0]).toBe(9);
    child.destroy();
    mm.destroy();
    expect(m.phys.framesInUse()).toBe(base - 1); // the PML4 allocated before `base` was taken is gone too
  });
});
