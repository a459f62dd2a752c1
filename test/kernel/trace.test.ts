// The raw trace: exact line format, the writer's temp-and-rename, and what a
// run records (SYSCALL then SYSRET, CR3 of the process, virtual-ns times).
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { formatRecord, RawTraceWriter } from "../../src/dataset/raw-writer.js";
import { SYSCALL_COST_NS } from "../../src/kernel/kernel.js";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";

describe("raw trace format", () => {
  it("writes the published layout", () => {
    expect(formatRecord({ kind: "SYSCALL", tick: 592834n, regs: [0x17n, 0x6n, 0x7ffc7f0817f0n, 0x7ffc7f081870n, 0x7ffc7f0818f0n, 0n, 0n], cr3: 0x1f86f000n }))
      .toBe("592834, SYSCALL,0x17,0x6,0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x0,0x0,0x1f86f000\n");
    expect(formatRecord({ kind: "SYSRET", tick: 592834n, regs: [], cr3: 0x1f86f000n })).toBe("592834, SYSRET,0x1f86f000\n");
  });

  it("appears under its name only when finished; abort leaves nothing", () => {
    const d = tmp();
    const target = path.join(d, "run.trace");
    const w = new RawTraceWriter(target);
    w.write({ kind: "SYSRET", tick: 1n, regs: [], cr3: 0x2000n });
    expect(existsSync(target)).toBe(false);
    w.finish();
    expect(readFileSync(target, "utf8")).toBe("1, SYSRET,0x2000\n");
    const w2 = new RawTraceWriter(path.join(d, "bad.trace"));
    w2.write({ kind: "SYSRET", tick: 1n, regs: [], cr3: 0x2000n });
    w2.abort();
    expect(readdirSync(d)).toEqual(["run.trace"]);
  });
});

describe("recorded events", () => {
  it("pairs each SYSCALL with a SYSRET after the kernel's cost, except the final exit", () => {
    const asm = ".globl _start\n.text\n_start:\n  mov $39, %eax\n  syscall\n  mov $60, %eax\n  mov $0, %edi\n  syscall\n";
    const r = runGuest(build(tmp(), "getpid", asm, "S"));
    expect(r.trace.map((t) => t.kind)).toEqual(["SYSCALL", "SYSRET", "SYSCALL"]);
    const [call, ret, exit] = r.trace;
    expect(call.regs[0]).toBe(39n);
    expect(ret.tick - call.tick).toBe(SYSCALL_COST_NS);
    expect(exit.tick).toBeGreaterThan(ret.tick);
    expect(new Set(r.trace.map((t) => t.cr3)).size).toBe(1);
    expect(call.cr3).not.toBe(0n);
  });

  it("lets exactly the slept time pass: SYSRET of nanosleep(1 ms) is 1 ms + the syscall cost later", () => {
    const asm = ".globl _start\n.text\n_start:\n  sub $16, %rsp\n  movq $0, (%rsp)\n  movq $1000000, 8(%rsp)\n  mov %rsp, %rdi\n  xor %esi, %esi\n  mov $35, %eax\n  syscall\n  mov %eax, %edi\n  mov $60, %eax\n  syscall\n";
    const r = runGuest(build(tmp(), "nsleep", asm, "S"));
    expect(r.outcome.status).toBe(0);
    const [call, ret] = r.trace;
    expect(call.regs[0]).toBe(35n);
    expect(ret.tick - call.tick).toBe(1_000_000n + SYSCALL_COST_NS);
  });

  it("formats the same lines from the ring directly as from records", () => {
    const asm = ".globl _start\n.text\n_start:\n  mov $-1, %rdi\n  mov $39, %eax\n  syscall\n  mov $60, %eax\n  mov $0, %edi\n  syscall\n";
    const exe = build(tmp(), "lines", asm, "S");
    const lines: string[] = [];
    const viaRecords = runGuest(exe).trace.map(formatRecord).join("");
    runGuest(exe, [], { trace: undefined, traceLines: (l) => lines.push(l) });
    expect(lines.join("")).toBe(viaRecords);
    expect(viaRecords).toContain(",0xffffffffffffffff,");
  });

  it.skipIf(!coreRunsGlibc())("is identical across runs with the same seed, and getrandom follows the seed", () => {
    const src = "#include <stdio.h>\n#include <sys/random.h>\nint main(void){unsigned v; getrandom(&v, 4, 0); printf(\"%08x\\n\", v); return 0;}\n";
    const exe = build(tmp(), "rnd", src, "c");
    const a = runGuest(exe, [], { seed: 1 }), b = runGuest(exe, [], { seed: 1 }), c = runGuest(exe, [], { seed: 2 });
    expect(a.trace.map(formatRecord).join("")).toBe(b.trace.map(formatRecord).join(""));
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout).not.toBe(c.stdout);
    expect(a.trace.length).toBeGreaterThan(20);
    const ts = a.trace.map((t) => t.tick);
    expect(ts.every((t, i) => i === 0 || t >= ts[i - 1])).toBe(true);
  });
});

describe("independent runs", () => {
  it.skipIf(!coreRunsGlibc())("a second kernel in the same host process sees the same inode numbers", () => {
    const src = "#include <stdio.h>\n#include <sys/stat.h>\nint main(void){struct stat a, b; stat(\"/tmp\", &a); mkdir(\"/tmp/x\", 0700); stat(\"/tmp/x\", &b); printf(\"%lu %lu\\n\", (unsigned long)a.st_ino, (unsigned long)b.st_ino); return 0;}\n";
    const exe = build(tmp(), "ino", src, "c");
    const first = runGuest(exe).stdout;
    expect(runGuest(exe).stdout).toBe(first);
  });
});
