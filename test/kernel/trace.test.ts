// The raw trace: exact line format (the dataset's writer against a string
// formatter), the file's temp-and-rename, and what a run records (SYSCALL
// then SYSRET, CR3 of the process, virtual-ns times).
import { describe, it, expect } from "vitest";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { RawTraceFile, RawFileSink, RawWriter } from "../../src/dataset/raw-writer.js";
import { ByteSink } from "../../src/dataset/byte-sink.js";
import { SYSCALL_COST_NS } from "../../src/kernel/kernel.js";
import { RECORD_WORDS, REC_SYSCALL, REC_SYSRET, W_TICK, W_REGS, W_CR3 } from "../../src/machine/trace-ring.js";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";
import { formatRecord, rawTextSink, type TraceRecord } from "./trace-records.js";

// Records as ring words, as the core lays them out.
function words(recs: TraceRecord[]): Uint32Array {
  const r = new Uint32Array(recs.length * RECORD_WORDS);
  const put = (w: number, v: bigint): void => { r[w] = Number(v & 0xffffffffn); r[w + 1] = Number(v >> 32n); };
  recs.forEach((rec, i) => {
    const b = i * RECORD_WORDS;
    r[b] = rec.kind === "SYSCALL" ? REC_SYSCALL : REC_SYSRET;
    put(b + W_TICK, rec.tick);
    rec.regs.forEach((g, k) => put(b + W_REGS + 2 * k, g));
    put(b + W_CR3, rec.cr3);
  });
  return r;
}

function written(recs: TraceRecord[]): string {
  const out = new ByteSink(16);
  new RawWriter(out).records(words(recs), recs.length);
  return out.view().toString("latin1");
}

describe("raw trace format", () => {
  it("writes the published layout", () => {
    const call: TraceRecord = { kind: "SYSCALL", tid: 1, tick: 592834n, regs: [0x17n, 0x6n, 0x7ffc7f0817f0n, 0x7ffc7f081870n, 0x7ffc7f0818f0n, 0n, 0n], cr3: 0x1f86f000n };
    const ret: TraceRecord = { kind: "SYSRET", tid: 1, tick: 592834n, regs: [], cr3: 0x1f86f000n };
    expect(formatRecord(call)).toBe("592834, SYSCALL,0x17,0x6,0x7ffc7f0817f0,0x7ffc7f081870,0x7ffc7f0818f0,0x0,0x0,0x1f86f000\n");
    expect(formatRecord(ret)).toBe("592834, SYSRET,0x1f86f000\n");
    expect(written([call, ret])).toBe(formatRecord(call) + formatRecord(ret));
  });

  it("writes what the string formatter writes, for repeated, changed and extreme values", () => {
    const max = (1n << 64n) - 1n;
    const recs: TraceRecord[] = [];
    let seed = 12345;
    const next = (): bigint => { seed = (seed * 1103515245 + 12345) >>> 0; return BigInt(seed); };
    for (let i = 0; i < 3000; i++) {
      const pick = Number(next() % 7n);
      const v = (): bigint => [0n, 1n, 0x10n, max, 1n << 32n, (next() << 32n) | next(), 0xffffffffn][Number(next() % 7n)];
      const tick = BigInt(i) * 1000n + (pick === 0 ? (1n << 53n) : 0n) + (pick === 1 ? max - 10_000_000n : 0n);
      if (pick % 2) recs.push({ kind: "SYSRET", tid: 1, tick, regs: [], cr3: [0x1000n, max, 0n][Number(next() % 3n)] });
      else recs.push({ kind: "SYSCALL", tid: 1, tick, regs: [next() % 3n, 0x3n, 0x7fffn, v(), v(), 0n, v()].map((x, k) => (k === 0 && pick === 4 ? v() : x)), cr3: [0x1000n, max][Number(next() % 2n)] });
    }
    expect(written(recs)).toBe(recs.map(formatRecord).join(""));
  });

  it("appears under its name only when finished; abort leaves nothing", () => {
    const d = tmp();
    const target = path.join(d, "run.trace");
    const f = new RawTraceFile(target);
    const sink = new RawFileSink(f.fd);
    sink.sink(words([{ kind: "SYSRET", tid: 1, tick: 1n, regs: [], cr3: 0x2000n }]), 1);
    sink.flush();
    expect(existsSync(target)).toBe(false);
    f.finish();
    expect(readFileSync(target, "utf8")).toBe("1, SYSRET,0x2000\n");
    const f2 = new RawTraceFile(path.join(d, "bad.trace"));
    const sink2 = new RawFileSink(f2.fd);
    sink2.sink(words([{ kind: "SYSRET", tid: 1, tick: 1n, regs: [], cr3: 0x2000n }]), 1);
    sink2.flush();
    f2.abort();
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

  it("writes the same lines from the ring as the string formatter from records", () => {
    const asm = ".globl _start\n.text\n_start:\n  mov $-1, %rdi\n  mov $39, %eax\n  syscall\n  mov $60, %eax\n  mov $0, %edi\n  syscall\n";
    const exe = build(tmp(), "lines", asm, "S");
    const viaRecords = runGuest(exe).trace.map(formatRecord).join("");
    const raw = rawTextSink();
    runGuest(exe, [], { trace: raw.sink });
    expect(raw.text()).toBe(viaRecords);
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
