// The trace ring's tid and ret fields, read with src/machine/trace-ring.ts's
// accessors from the words the kernel's trace sink gets (and from the
// record objects): every SYSRET carries the thread that made it and the value
// the guest got back, which the guest program prints itself to compare.
import { describe, it, expect, beforeAll } from "vitest";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";
import { SYSCALL_NUMBERS } from "../../src/linux/syscall-numbers.js";
import {
  RECORD_WORDS, REC_SYSCALL, REC_SYSRET, recKind, recIsSyscall, recTid, recTick, recRegLo, recRet, recCr3,
} from "../../src/machine/trace-ring.js";

const SOURCE = String.raw`
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <errno.h>
int main(void) {
  int fd[2];
  char buf[32];
  if (pipe(fd)) return 2;
  pid_t c = fork();
  if (c == 0) {
    // the child: its own pid, and a write the parent's blocked read waits for
    printf("child pid=%ld fork=0\n", (long)syscall(SYS_getpid));
    fflush(stdout);
    ssize_t w = write(fd[1], "ring words", 10);
    _exit(w == 10 ? 0 : 1);
  }
  ssize_t n = read(fd[0], buf, sizeof buf);
  long bad = syscall(SYS_close, 999) == -1 ? -errno : 0;
  int status;
  pid_t w = waitpid(c, &status, 0);
  printf("parent pid=%ld fork=%ld read=%ld close=%ld wait=%ld\n", (long)getpid(), (long)c, (long)n, bad, (long)w);
  return 0;
}
`;

interface Call { tid: number; nr: number; ret: number | null; cr3: number; tick: number }

// SYSCALL/SYSRET pairs per thread, in trace order, from the ring's words.
// A thread's first record may be a SYSRET with no SYSCALL (a fork child's).
function pairs(words: Array<{ r: Uint32Array; n: number }>): { calls: Call[]; orphans: Array<{ tid: number; ret: number; cr3: number }> } {
  const open = new Map<number, Call>();
  const calls: Call[] = [];
  const orphans: Array<{ tid: number; ret: number; cr3: number }> = [];
  for (const { r, n } of words) {
    for (let i = 0; i < n; i++) {
      const b = i * RECORD_WORDS;
      expect([REC_SYSCALL, REC_SYSRET]).toContain(recKind(r, b));
      const tid = recTid(r, b);
      if (recIsSyscall(r, b)) {
        const c = { tid, nr: recRegLo(r, b, 0), ret: null, cr3: recCr3(r, b), tick: recTick(r, b) };
        calls.push(c);
        open.set(tid, c);
      } else {
        const c = open.get(tid);
        if (!c) { orphans.push({ tid, ret: recRet(r, b), cr3: recCr3(r, b) }); continue; }
        expect(recCr3(r, b)).toBe(c.cr3);
        expect(recTick(r, b)).toBeGreaterThan(c.tick);
        c.ret = recRet(r, b);
        open.delete(tid);
      }
    }
  }
  return { calls, orphans };
}

describe("trace ring: tid and ret", () => {
  let exe = "";
  beforeAll(() => { exe = build(tmp(), "ringfields", SOURCE, "c"); });

  it("SYSRET records carry the calling thread and the value the guest got (fork, read, -errno)", () => {
    if (!coreRunsGlibc()) return;
    const batches: Array<{ r: Uint32Array; n: number }> = [];
    const r = runGuest(exe, [], { trace: (ring, n) => { batches.push({ r: ring.slice(0, n * RECORD_WORDS), n }); } });
    expect(r.outcome.kind === "exited" && r.outcome.status).toBe(0);
    const child = /child pid=(\d+) fork=0/.exec(r.stdout)!;
    const parent = /parent pid=(\d+) fork=(\d+) read=(\d+) close=(-\d+) wait=(\d+)/.exec(r.stdout)!;
    expect(child).not.toBeNull();
    expect(parent).not.toBeNull();
    const [ppid, cpid] = [Number(parent[1]), Number(child[1])];
    expect(Number(parent[2])).toBe(cpid);

    const { calls, orphans } = pairs(batches);
    // The child's first record: the SYSRET of its parent's fork, with ret 0 and its own tid and CR3.
    expect(orphans.length).toBe(1);
    expect(orphans[0]).toMatchObject({ tid: cpid, ret: 0 });
    const childCalls = calls.filter((c) => c.tid === cpid);
    expect(childCalls.length).toBeGreaterThan(0);
    expect(new Set(childCalls.map((c) => c.cr3))).toEqual(new Set([orphans[0].cr3]));
    const nr = SYSCALL_NUMBERS;
    const of = (tid: number, n: number) => calls.filter((c) => c.tid === tid && c.nr === n);
    const forks = [...of(ppid, nr.fork), ...of(ppid, nr.clone), ...of(ppid, nr.clone3)];
    expect(forks.map((c) => c.ret)).toEqual([cpid]);
    expect(of(cpid, nr.getpid).map((c) => c.ret)).toEqual([cpid]);
    expect(of(cpid, nr.write).some((c) => c.ret === 10)).toBe(true);
    expect(of(ppid, nr.read).map((c) => c.ret)).toEqual([Number(parent[3])]);
    expect(Number(parent[3])).toBe(10);
    expect(of(ppid, nr.close).map((c) => c.ret)).toContain(Number(parent[4]));
    expect(Number(parent[4])).toBe(-9); // EBADF
    expect(of(ppid, nr.wait4).map((c) => c.ret)).toEqual([cpid]);
    expect(new Set(calls.map((c) => c.tid))).toEqual(new Set([ppid, cpid]));
    // Every call but the two exits returned.
    expect(calls.filter((c) => c.ret === null).map((c) => c.nr).sort()).toEqual([nr.exit_group, nr.exit_group].sort());
  });

  it("the record objects carry the same tid and ret", () => {
    if (!coreRunsGlibc()) return;
    const r = runGuest(exe);
    const rets = r.trace.filter((t) => t.kind === "SYSRET");
    const cpid = Number(/child pid=(\d+)/.exec(r.stdout)![1]);
    expect(rets.filter((t) => t.tid === cpid)[0].ret).toBe(0n);
    expect(rets.some((t) => t.ret === -9n && t.tid === 1)).toBe(true);
    expect(r.trace.every((t) => t.tid === 1 || t.tid === cpid)).toBe(true);
  });
});
