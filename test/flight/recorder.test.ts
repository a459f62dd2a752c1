// The recorder alone, on a small guest program: it starts at the SYSCALL of
// the mkdir/mkdirat whose path *in guest memory* is "FlightBegin" (whichever
// process makes it, and not a longer or shorter name), and ends with the
// SYSRET of the "FlightEnd" mkdir, here made by a forked child.
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { runProgram } from "../../src/kernel/run-program.js";
import type { Kernel } from "../../src/kernel/kernel.js";
import { FlightRecorder } from "../../src/flight/recorder.js";
import type { RawEvent } from "../../src/dataset/raw-reader.js";
import { parseRawText } from "../dataset/trace-text.js";
import { parseProcessedText } from "../dataset/processed-reader.js";
import { formatRecord, ringRecords } from "../kernel/trace-records.js";
import { SYSCALL_NUMBERS as NR } from "../../src/linux/syscall-numbers.js";
import { build, tmp, CapturedStdio } from "../kernel/helpers.js";

const SRC = String.raw`
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <string.h>
int main(void) {
  char name[32];
  mkdir("FlightEnd", 0755);            /* before the start: ignored */
  mkdir("FlightBeginX", 0755);         /* not the marker */
  mkdir("FlightBegi", 0755);           /* not the marker either */
  getppid();
  strcpy(name, "Flight"); strcat(name, "Begin");   /* built at run time, on the stack */
  mkdirat(AT_FDCWD, name, 0755);       /* the start */
  write(1, "STATE CRUISE\n", 13);
  getpid();
  pid_t c = fork();
  if (c == 0) { mkdir("FlightEnd", 0755); getpid(); _exit(0); }
  int st;
  waitpid(c, &st, 0);
  getppid();                            /* after the end: not recorded */
  return 0;
}
`;

describe("flight recorder", () => {
  it("finds the markers in guest memory, records every process between them, and nothing else", () => {
    const dir = tmp();
    const prog = readFileSync(build(dir, "markers", SRC, "c"));
    let kernel: Kernel | undefined;
    const rec = new FlightRecorder(() => kernel!);
    const all: string[] = [];
    const stdio = new CapturedStdio();
    const out = runProgram(
      {
        program: prog, guestPath: "/bin/markers", argv: ["/bin/markers"], cwd: "/flight", stdio,
        trace: (r, n) => { for (const x of ringRecords(r, n)) all.push(formatRecord(x)); rec.records(r, n); },
      },
      (k) => { kernel = k; },
    );
    expect(out).toMatchObject({ kind: "exited", status: 0 });
    expect(rec.finished).toBe(true);
    const ev = parseRawText(rec.rawBytes().toString("latin1"));
    const calls = ev.filter((e): e is Extract<RawEvent, { kind: "SYSCALL" }> => e.kind === "SYSCALL");
    const nrs = calls.map((e) => Number(e.regs[0]));
    // Starts at the mkdirat, the only call with the exact marker before it; three mkdirs were skipped.
    expect(nrs[0]).toBe(NR.mkdirat);
    expect(all.filter((l) => l.includes(", SYSCALL,0x53,")).length).toBe(4);
    expect(nrs).toContain(NR.write);
    expect(nrs).toContain(NR.clone);
    // Ends with the child's mkdir and its SYSRET; the parent's wait4 return and getppid come later.
    expect(nrs[nrs.length - 1]).toBe(NR.mkdir);
    expect(ev[ev.length - 1].kind).toBe("SYSRET");
    expect(ev[ev.length - 1].cr3).toBe(calls[calls.length - 1].cr3);
    expect(nrs).not.toContain(NR.getppid);
    expect(all.length).toBeGreaterThan(ev.length);
    // Byte for byte the lines `skytrace exec --trace` writes, from the start marker to the end's SYSRET.
    const from = all.findIndex((l) => l.startsWith(`${calls[0].ts}, SYSCALL,`));
    expect(rec.rawBytes().toString("latin1")).toBe(all.slice(from, from + ev.length).join(""));
    // Two address spaces, the parent's and the child's (same program).
    expect(rec.processes.map((p) => p.program)).toEqual(["/bin/markers", "/bin/markers"]);
    expect(new Set(ev.map((e) => e.cr3)).size).toBe(2);
    expect(rec.stateReports).toEqual([{ state: "CRUISE", ns: Number(calls[nrs.indexOf(NR.write)].ts) }]);
    // Processed: one line per SYSCALL, first delta 0.
    const p = parseProcessedText(rec.processedBytes().toString("latin1"));
    expect(p.map((l) => Number(l.callPlusOne) - 1)).toEqual(nrs);
    expect(p[0].delta).toBe(0n);
    expect(rec.beginNs).toBe(Number(calls[0].ts));
    expect(rec.endNs).toBe(Number(ev[ev.length - 1].ts));
  });

});
