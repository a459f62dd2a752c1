// The timing models (src/kernel/timing): the quantile draws, and each of the
// kernel's hooks measured through the trace with constant distributions, so
// every expected time is exact; then the calibrated table (seeded, repeatable).
import { describe, it, expect } from "vitest";
import { Quantiles } from "../../src/kernel/timing/quantiles.js";
import { RealisticTiming, IdealTiming, makeTiming } from "../../src/kernel/timing/model.js";
import { CALL_CLASSES, WAKE_CLASSES, WAKE, wakeClass, wakeClassTable, callClassTable } from "../../src/kernel/timing/classes.js";
import type { TimingTable } from "../../src/kernel/timing/table.js";
import { CALIBRATION } from "../../src/kernel/timing/calibration.js";
import type { TraceRecord } from "../../src/machine/machine.js";
import { SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";
import { build, tmp, runGuest } from "./helpers.js";

// Every distribution a constant: `ns` by name, 0 for the rest.
function constTable(ns: Record<string, number>, tickPeriodNs = 4_000_000): TimingTable {
  const names = [...CALL_CLASSES, ...WAKE_CLASSES, "tick", "switch", "refill", "refill.wake", "fault"];
  const k = (v: number) => [[0, v], [1, v]] as const;
  return {
    id: "test", host: { cpu: "test", cores: 1, kernel: "test", hz: 1e9 / tickPeriodNs }, measuredAt: "", loadavg: { before: [], after: [] },
    tickPeriodNs, quantiles: Object.fromEntries(names.map((n) => [n, k(ns[n] ?? 0)])),
  };
}

const realistic = (table: TimingTable, seed = 1) => ({ timing: { model: "realistic" as const, seed, table } });
const calls = (trace: TraceRecord[], nr: number) => {
  const out: Array<{ call: TraceRecord; ret?: TraceRecord }> = [];
  trace.forEach((r, i) => {
    if (r.kind !== "SYSCALL" || Number(r.regs[0]) !== nr) return;
    out.push({ call: r, ret: trace.slice(i + 1).find((x) => x.kind === "SYSRET" && x.cr3 === r.cr3) });
  });
  return out;
};
const spent = (c: { call: TraceRecord; ret?: TraceRecord }) => Number(c.ret!.tick - c.call.tick);

describe("quantile draws", () => {
  const q = new Quantiles("x", [[0, 100], [0.5, 200], [1, 400]]);
  it("follow straight lines between the knots, rounded to integer ns", () => {
    expect([0, 0.25, 0.5, 0.75, 0.875].map((u) => q.at(u))).toEqual([100, 150, 200, 300, 350]);
    expect(q.at(0.1234)).toBe(Math.round(100 + (0.1234 / 0.5) * 100));
    expect(q.median).toBe(200);
  });
  it("give what a scan from the first knot gives, for every calibrated distribution (at, beside, between and within a bucket of every knot)", () => {
    // The model's draws decide every timestamp of a flight: the bucketed start must not move one.
    const scan = (knots: ReadonlyArray<readonly [number, number]>, u: number): number => {
      let i = 1;
      while (knots[i][0] < u) i++;
      const f = (u - knots[i - 1][0]) / (knots[i][0] - knots[i - 1][0]);
      return Math.round(knots[i - 1][1] + f * (knots[i][1] - knots[i - 1][1]));
    };
    const tables = [...Object.entries(CALIBRATION.quantiles), ["steep", [[0, 1], [0.0001, 2], [0.00011, 900], [0.5, 901], [0.9999, 5000], [1, 1e9]]] as const];
    let compared = 0;
    for (const [name, knots] of tables) {
      const d = new Quantiles(name, knots);
      const us = [0, 2 ** -32, 1 - 2 ** -32, 0.5];
      for (const [p] of knots) for (const e of [-(2 ** -40), 0, 2 ** -40, 1 / 256, -1 / 256]) us.push(p + e);
      for (let b = 0; b < 256; b++) us.push(b / 256, b / 256 - 2 ** -40, (b + 0.5) / 256);
      for (let k = 0; k < 2000; k++) us.push(((Math.imul(k + 1, 0x9e3779b1) >>> 0) / 2 ** 32));
      for (const u of us) if (u >= 0 && u < 1) { expect(d.at(u), `${name} at ${u}`).toBe(scan(knots, u)); compared++; }
    }
    expect(compared).toBeGreaterThan(90_000);
  });
  it("reject tables that are not a quantile function", () => {
    expect(() => new Quantiles("a", [[0, 1]])).toThrow(/two knots/);
    expect(() => new Quantiles("b", [[0, 5], [1, 4]])).toThrow(/rise/);
    expect(() => new Quantiles("c", [[0.1, 5], [1, 6]])).toThrow(/span/);
    expect(() => new Quantiles("d", [[0, -1], [1, 6]])).toThrow(/bad knot/);
  });
  it("the calibrated table has every distribution the model draws from, each a valid quantile function", () => {
    expect(() => new RealisticTiming(1, CALIBRATION)).not.toThrow();
    for (const [name, knots] of Object.entries(CALIBRATION.quantiles)) expect(() => new Quantiles(name, knots), name).not.toThrow();
    expect(CALIBRATION.tickPeriodNs).toBe(4_000_000);
  });
  it("classes: each syscall draws from its measurement, each wake-up from what ended the sleep", () => {
    const calls = callClassTable(), wakes = wakeClassTable();
    const cls = (name: string) => CALL_CLASSES[calls[NR[name]]];
    expect([cls("select"), cls("pselect6"), cls("read"), cls("write"), cls("clone"), cls("mkdirat"), cls("getppid")])
      .toEqual(["sys.select", "sys.select", "sys.read", "sys.write", "sys.fork", "sys.mkdir", "sys.getpid"]);
    const w = (name: string, r: number) => WAKE_CLASSES[wakeClass(wakes[NR[name]], r)];
    expect([w("select", 1), w("select", 0), w("clock_nanosleep", 0), w("wait4", 7), w("read", 1), w("nanosleep", -4), w("select", -4)])
      .toEqual(["wake.pty", "wake.timeout", "wake.timer", "wake.child", "wake.pipe", "wake.pipe", "wake.pipe"]);
    expect(WAKE_CLASSES[WAKE.timer]).toBe("wake.timer");
  });

  it("the ideal model adds 200 ns per call and nothing else", () => {
    const t = makeTiming(undefined);
    expect(t).toBeInstanceOf(IdealTiming);
    expect([t.syscall(0, 5), t.wake(23, 1, 5), t.enter(7, 5), t.fault(5), t.ticksDue(1e12)]).toEqual([200, 200, 0, 0, 0]);
    expect(t.untilTick(0)).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe("the kernel's timing hooks (constant distributions, exact times)", () => {
  const dir = tmp();
  it("a call that does not sleep: SYSRET is SYSCALL plus its class's cost (getpid: the floor; a call without a class: the floor too)", () => {
    const asm = ".globl _start\n.text\n_start:\n  mov $39, %eax\n  syscall\n  mov $102, %eax\n  syscall\n  mov $1, %edi\n  mov $0, %esi\n  mov $0, %edx\n  mov $1, %eax\n  syscall\n  mov $60, %eax\n  mov $0, %edi\n  syscall\n";
    const exe = build(dir, "costs", asm, "S");
    const r = runGuest(exe, [], realistic(constTable({ "sys.getpid": 777, "sys.write": 1234 }, 2 ** 40)));
    expect(spent(calls(r.trace, NR.getpid)[0])).toBe(777);
    expect(spent(calls(r.trace, NR.getuid)[0])).toBe(777);
    expect(spent(calls(r.trace, NR.write)[0])).toBe(1234);
    const ideal = runGuest(exe);
    expect(spent(calls(ideal.trace, NR.getpid)[0])).toBe(200);
  });

  it("timer interrupts: 10 ms of user code pays for the 2 or 3 ticks of the 4 ms grid it spans, before the next SYSCALL; no tick falls while the CPU idles", () => {
    // 200 × (50 k instructions of dec/jnz, getpid), a 100 ms nanosleep, getpid, exit.
    const asm = ".globl _start\n.text\n_start:\n  mov $200, %r12d\n2:\n  mov $25000, %ecx\n1:\n  dec %ecx\n  jnz 1b\n  mov $39, %eax\n  syscall\n  dec %r12d\n  jnz 2b\n" +
      "  sub $16, %rsp\n  movq $0, (%rsp)\n  movq $100000000, 8(%rsp)\n  mov %rsp, %rdi\n  xor %esi, %esi\n  mov $35, %eax\n  syscall\n" +
      "  mov $39, %eax\n  syscall\n  mov $60, %eax\n  mov $0, %edi\n  syscall\n";
    const exe = build(dir, "ticks", asm, "S");
    const ideal = runGuest(exe);
    const r = runGuest(exe, [], realistic(constTable({ tick: 1000, "wake.timer": 5000, "sys.getpid": 100, "sys.clock_nanosleep": 100 })));
    const last = (t: TraceRecord[]) => Number(calls(t, NR.getpid)[199].call.tick);
    // Ideal: 200 ns per getpid; realistic: 100 ns per getpid and 1000 ns per interrupt.
    const extra = last(r.trace) - (last(ideal.trace) - 199 * 100);
    expect(extra % 1000).toBe(0);
    expect([2, 3]).toContain(extra / 1000);
    // Each interrupt delayed the user code it fell in (the run stops at it), not the getpid after it.
    expect(calls(r.trace, NR.getpid).every((c) => spent(c) === 100)).toBe(true);
    // The sleep: exactly 100 ms plus the timer's wake-up latency, with no interrupt charged for the idle CPU.
    const sleep = calls(r.trace, NR.nanosleep)[0];
    expect(spent(sleep)).toBe(100_000_000 + 5000);
    // With the interrupts' cost left out, the user code runs in exactly its instruction count.
    const quiet = runGuest(exe, [], realistic(constTable({ "sys.getpid": 200 })));
    expect(last(quiet.trace)).toBe(last(ideal.trace));
  });

  it("wake-ups by what ended the sleep, a context switch into a fork child, and its cache refill", () => {
    const src = `
#define _GNU_SOURCE
#include <unistd.h>
#include <time.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
int main(void) {
  int p[2];
  if (pipe(p)) return 1;
  struct timespec ms = {0, 1000000};
  syscall(SYS_nanosleep, &ms, 0);                                   /* the timer */
  fd_set rd; FD_ZERO(&rd); FD_SET(p[0], &rd);
  struct timeval tv = {0, 1000};
  syscall(SYS_select, p[0] + 1, &rd, 0, 0, &tv);                     /* a timeout */
  pid_t c = fork();
  if (c == 0) { syscall(SYS_nanosleep, &ms, 0); syscall(SYS_write, p[1], "x", 1); syscall(SYS_nanosleep, &ms, 0); syscall(SYS_exit_group, 0); }
  char b;
  syscall(SYS_read, p[0], &b, 1);                                    /* another process's write */
  int st;
  syscall(SYS_wait4, c, &st, 0, 0);                                  /* a child's exit */
  return 0;
}`;
    const exe = build(dir, "wakes", src, "c");
    const table = constTable({
      "wake.timer": 5000, "wake.timeout": 7000, "wake.pipe": 3000, "wake.child": 11000, "wake.pty": 13000,
      switch: 2000, refill: 500, "refill.wake": 300, "sys.getpid": 100, "sys.fork": 40000,
    }, 2 ** 40);
    const r = runGuest(exe, [], realistic(table));
    expect(r.outcome.status).toBe(0);
    const parent = r.trace[0].cr3;
    const parentCalls = r.trace.filter((t) => t.cr3 === parent);
    expect(spent(calls(parentCalls, NR.nanosleep)[0])).toBe(1_000_000 + 5000);
    expect(spent(calls(parentCalls, NR.select)[0])).toBe(1_000_000 + 7000);
    // The child's first return (from fork) comes after the parent went to sleep in read: a switch and a refill, then the floor.
    const read = calls(parentCalls, NR.read).at(-1)!;
    const childFirst = r.trace.find((t) => t.kind === "SYSRET" && t.cr3 !== parent)!;
    expect(Number(childFirst.tick - read.call.tick)).toBe(2000 + 500 + 100);
    // The read returns a pipe wake-up after the child's write (the child ran on until its next sleep).
    const write = calls(r.trace.filter((t) => t.cr3 === childFirst.cr3), NR.write)[0];
    const childSleep = calls(r.trace.filter((t) => t.cr3 === childFirst.cr3), NR.nanosleep)[1];
    expect(Number(read.ret!.tick - childSleep.call.tick)).toBe(3000);
    expect(write.call.tick).toBeLessThan(childSleep.call.tick);
    // wait4 returns a child wake-up after the child's exit_group (the CPU idled in between: no refill charged before the SYSRET).
    const exit = calls(r.trace, NR.exit_group).find((c) => c.call.cr3 === childFirst.cr3)!;
    const wait = calls(parentCalls, NR.wait4)[0];
    expect(Number(wait.ret!.tick - exit.call.tick)).toBe(11000);
  });

  it("demand-paging faults cost their time; the ideal model charges none", () => {
    // Touch 16 fresh pages of the stack's neighbourhood below RSP, then exit.
    const asm = ".globl _start\n.text\n_start:\n  mov $16, %ecx\n  mov %rsp, %rax\n1:\n  sub $4096, %rax\n  movb $1, -65536(%rax)\n  dec %ecx\n  jnz 1b\n  mov $39, %eax\n  syscall\n  mov $60, %eax\n  mov $0, %edi\n  syscall\n";
    const exe = build(dir, "faults", asm, "S");
    const at = (t: TraceRecord[]) => Number(calls(t, NR.getpid)[0].call.tick);
    const ideal = at(runGuest(exe).trace);
    const extra = at(runGuest(exe, [], realistic(constTable({ fault: 900 }, 2 ** 40))).trace) - ideal;
    expect(extra % 900).toBe(0);
    expect(extra / 900).toBeGreaterThanOrEqual(16);
  });
});

describe("the calibrated model", () => {
  const src = `
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
int main(void) {
  struct timespec t = {0, 200000};
  for (int i = 0; i < 200; i++) { syscall(SYS_getpid); nanosleep(&t, 0); }
  return 0;
}`;
  const exe = build(tmp(), "spread", src, "c");
  const lines = (seed: number) => runGuest(exe, [], { timing: { model: "realistic", seed } }).trace.map((t) => `${t.kind} ${t.tick}`).join("\n");

  it("same seed, same trace; another seed, another trace", () => {
    expect(lines(5)).toBe(lines(5));
    expect(lines(6)).not.toBe(lines(5));
  });

  it("draws each call's time from its measured distribution: getpid within the table's range and spread, sleeps late by the timer's wake-up", () => {
    const r = runGuest(exe, [], { timing: { model: "realistic", seed: 9 } });
    const g = calls(r.trace, NR.getpid).map(spent);
    const knots = CALIBRATION.quantiles["sys.getpid"];
    const ticks = new Set<number>();
    for (const v of g) if (v >= knots[0][1] && v <= knots[knots.length - 1][1]) ticks.add(v);
    // Nearly all inside the measured range (a timer interrupt may land in one), with a spread.
    expect(ticks.size).toBeGreaterThan(1);
    expect(g.filter((v) => v >= knots[0][1] && v <= knots[knots.length - 1][1]).length).toBeGreaterThanOrEqual(g.length - 2);
    const wake = CALIBRATION.quantiles["wake.timer"];
    const late = calls(r.trace, NR.clock_nanosleep).map((c) => spent(c) - 200_000);
    expect(late.length).toBe(200);
    expect(Math.min(...late)).toBeGreaterThanOrEqual(wake[0][1]);
    expect(new Set(late).size).toBeGreaterThan(100);
  });
});
