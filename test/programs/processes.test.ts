import { describe, it, expect } from "vitest";
import { parseRawText } from "../dataset/trace-text.js";
import { groupProcesses } from "./processes.js";
import { emulatedNames, canonical } from "./normalize.js";

// A small raw trace builder: SYSCALL nr [arg1] in cr3, SYSRET in cr3.
function trace(steps: Array<[string, number, number, number?]>): string {
  let ts = 0;
  return steps
    .map(([k, cr3, nr, a1]) => (k === "c" ? `${ts++}, SYSCALL,0x${nr.toString(16)},0x${(a1 ?? 0).toString(16)},0x0,0x0,0x0,0x0,0x0,0x${cr3.toString(16)}\n` : `${ts++}, SYSRET,0x${cr3.toString(16)}\n`))
    .join("");
}
const names = (t: string): string[][] => groupProcesses(parseRawText(t)).map((p) => emulatedNames(p.events));

describe("grouping raw trace events into processes", () => {
  it("a fork child (new CR3, first event a SYSRET) is a new process", () => {
    const t = trace([["c", 0x1000, 12], ["r", 0x1000, 0], ["c", 0x1000, 56], ["r", 0x2000, 0], ["c", 0x2000, 231], ["r", 0x1000, 0], ["c", 0x1000, 61], ["r", 0x1000, 0], ["c", 0x1000, 231]]);
    expect(names(t)).toEqual([["brk", "clone", "wait4", "exit_group"], ["exit_group"]]);
  });

  it("an execve into a fresh address space continues the same process", () => {
    const t = trace([["c", 0x1000, 57], ["r", 0x2000, 0], ["c", 0x2000, 59], ["r", 0x3000, 0], ["c", 0x3000, 12], ["c", 0x3000, 231], ["r", 0x1000, 0], ["c", 0x1000, 231]]);
    const g = groupProcesses(parseRawText(t));
    expect(g.map((p) => p.cr3s)).toEqual([[0x1000n], [0x2000n, 0x3000n]]);
    expect(names(t)).toEqual([["fork", "exit_group"], ["execve", "brk", "exit_group"]]);
  });

  it("an execve that keeps its CR3 is trivially the same process", () => {
    expect(names(trace([["c", 0x1000, 59], ["r", 0x1000, 0], ["c", 0x1000, 12]]))).toEqual([["execve", "brk"]]);
  });

  it("a CR3 freed by exit_group and handed out again is a new process", () => {
    const t = trace([["c", 0x1000, 57], ["r", 0x2000, 0], ["c", 0x2000, 231], ["r", 0x1000, 0], ["c", 0x1000, 57], ["r", 0x2000, 0], ["c", 0x2000, 60]]);
    expect(names(t)).toEqual([["fork", "fork"], ["exit_group"], ["exit"]]);
  });

  it("the vDSO allow-list drops only the calls the vDSO serves", () => {
    // clock_gettime(MONOTONIC), clock_gettime(PROCESS_CPUTIME_ID=2), gettimeofday, time, clock_getres(REALTIME), clock_nanosleep
    const t = trace([["c", 0x1000, 228, 1], ["c", 0x1000, 228, 2], ["c", 0x1000, 96], ["c", 0x1000, 201], ["c", 0x1000, 229, 0], ["c", 0x1000, 230, 1]]);
    expect(names(t)).toEqual([["clock_gettime", "clock_nanosleep"]]);
  });

  it("canonical order keeps the first process first and sorts the rest", () => {
    expect(canonical([["b"], ["z"], ["a"]])).toEqual([["b"], ["a"], ["z"]]);
  });
});
