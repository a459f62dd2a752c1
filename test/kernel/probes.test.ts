// The kernel's code probes (src/kernel/probes.ts): a C program's noinline
// function probed by symbol is reported at every call, with its arguments, in
// the process and its forked and exec'd children, and the program's output,
// syscall trace and clock are the same bytes with and without the probes.
import { describe, it, expect, beforeAll } from "vitest";
import path from "node:path";
import { spawnSync, execFileSync } from "node:child_process";
import { writeFileSync, readFileSync } from "node:fs";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";
import { rawTextSink } from "./trace-records.js";
import { ProbeError, type ImageProbes } from "../../src/kernel/probes.js";
import { findSymbols, STT_FUNC } from "../../src/kernel/elf/symbols.js";

const SOURCE = String.raw`
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

__attribute__((noinline, noclone)) long work(long a, long b) {
  long s = 0;
  for (long i = 0; i < (a & 15) + 3; i++) s += a * i + b;
  return s;
}

__attribute__((noinline, noclone)) long never(long a) { return a * 3; }

int main(int argc, char **argv) {
  long s = 0;
  if (argc > 1 && strcmp(argv[1], "exec") == 0) {
    for (long i = 0; i < 3; i++) s += work(2000 + i, 11);
    printf("exec'd %ld\n", s);
    return 0;
  }
  for (long i = 0; i < 40; i++) s += work(i, 3 * i);
  printf("parent %ld\n", s);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    long t = 0;
    for (long i = 0; i < 5; i++) t += work(1000 + i, 7);
    printf("child %ld\n", t);
    fflush(stdout);
    execl("/proc/self/exe", argv[0], "exec", (char *)0);
    _exit(9);
  }
  int st;
  waitpid(c, &st, 0);
  if (argc > 5) s += never(s);
  return WEXITSTATUS(st);
}
`;

interface Hit { pid: number; tid: number; a: bigint; b: bigint; cr3: number }

// The same program as a static-pie executable (loaded at the kernel's PIE base, not its link addresses).
function buildPie(): string {
  const dir = tmp();
  writeFileSync(path.join(dir, "probed-pie.c"), SOURCE);
  const out = path.join(dir, "probed-pie");
  const r = spawnSync("gcc", ["-O2", "-static-pie", "-o", out, path.join(dir, "probed-pie.c")], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`gcc -static-pie failed: ${r.stderr}`);
  return out;
}

describe("kernel: code probes by symbol", () => {
  let exe = "", pie = "";
  beforeAll(() => { exe = build(tmp(), "probed", SOURCE, "c"); pie = buildPie(); });

  const run = (probes?: ImageProbes[], file = exe) => {
    const raw = rawTextSink();
    const r = runGuest(file, [], { trace: raw.sink, probes });
    return { ...r, lines: raw.text() };
  };

  for (const kind of ["static", "static-pie"]) it(`reports every call of the function with its arguments, in every process of the image, and changes nothing else (${kind})`, () => {
    if (!coreRunsGlibc()) return;
    const file = kind === "static" ? exe : pie;
    const hits: Hit[] = [];
    const never: number[] = [];
    const image = path.resolve(file);
    const probed = run([{
      image,
      symbols: {
        work: (p, tid, m) => hits.push({ pid: p.pid, tid, a: m.gpr(7), b: m.gpr(6), cr3: m.cr3 }),
        never: (p) => never.push(p.pid),
      },
    }], file);
    const plain = run(undefined, file);
    expect(plain.outcome.kind === "exited" && plain.outcome.status).toBe(0);
    expect(probed.stdout).toBe(plain.stdout);
    expect(probed.stdout).toMatch(/^parent \d+\nchild \d+\nexec'd \d+\n$/);
    expect(probed.lines).toBe(plain.lines);
    expect(probed.lines.length).toBeGreaterThan(0);
    expect(probed.outcome).toEqual(plain.outcome);   // the same exit and virtual clock

    const parent = hits.filter((h) => h.pid === 1);
    expect(parent.map((h) => [h.a, h.b])).toEqual(Array.from({ length: 40 }, (_, i) => [BigInt(i), BigInt(3 * i)]));
    const child = hits.filter((h) => h.pid !== 1);
    expect(child.map((h) => [h.a, h.b])).toEqual([
      ...Array.from({ length: 5 }, (_, i) => [BigInt(1000 + i), 7n]),
      ...Array.from({ length: 3 }, (_, i) => [BigInt(2000 + i), 11n]),
    ]);
    for (const h of hits) expect(h.tid).toBe(h.pid);
    // the forked child, then the same pid after execve: a new address space
    const childCr3s = [...new Set(child.map((h) => h.cr3))];
    expect(childCr3s.length).toBe(2);
    expect(childCr3s).not.toContain(parent[0].cr3);
    expect(never).toEqual([]);
  });

  it("finds symbols at the addresses nm gives", () => {
    for (const file of [exe, pie]) {
      const nm = new Map<string, number>();
      for (const line of execFileSync("nm", [file], { encoding: "utf8" }).split("\n")) {
        const m = /^([0-9a-f]+) [Tt] (\S+)$/.exec(line);
        if (m) nm.set(m[2], parseInt(m[1], 16));
      }
      const names = ["work", "never", "main", "_start"];
      const found = findSymbols(new Uint8Array(readFileSync(file)), [...names, "no_such_symbol"]);
      for (const n of names) {
        expect(found.get(n)?.map((s) => s.value)).toEqual([nm.get(n)]);
        expect(found.get(n)![0].type).toBe(STT_FUNC);
      }
      expect(found.has("no_such_symbol")).toBe(false);
    }
  });

  it("probes only the named image", () => {
    if (!coreRunsGlibc()) return;
    let n = 0;
    const r = run([{ image: "/bin/other", symbols: { work: () => { n++; } } }]);
    expect(r.outcome.kind === "exited" && r.outcome.status).toBe(0);
    expect(n).toBe(0);
  });

  it("a symbol the image lacks is one clear error", () => {
    if (!coreRunsGlibc()) return;
    expect(() => run([{ image: path.resolve(exe), symbols: { no_such_function: () => {} } }])).toThrow(ProbeError);
    expect(() => run([{ image: path.resolve(exe), symbols: { no_such_function: () => {} } }])).toThrow(/has no symbol no_such_function/);
  });

  it("return probes: every return of the function, with its value, in its own call (recursion) and process (a fork inside it), and nothing else changes", () => {
    if (!coreRunsGlibc()) return;
    const dir = tmp();
    const file = build(dir, "rets", RETURNS_SOURCE, "c");
    const image = path.resolve(file);
    const events: string[] = [];
    const rsp = (m: { gpr(i: number): bigint }) => m.gpr(4);
    const depth = new Map<number, bigint[]>();
    const probes: ImageProbes[] = [{
      image,
      symbols: { fact: (p, _t, m) => { events.push(`${p.pid} in ${m.gpr(7)}`); depth.set(p.pid, [...(depth.get(p.pid) ?? []), rsp(m)]); } },
      returns: {
        fact: (p, _t, m) => {
          events.push(`${p.pid} out ${m.gpr(0)}`);
          // Back at the caller with the stack as the call left it.
          const stack = depth.get(p.pid)!;
          expect(rsp(m)).toBe(stack.pop()! + 8n);
        },
        leaf: (p, _t, m) => events.push(`${p.pid} leaf ${m.gpr(0)}`),
        spawn: (p, _t, m) => events.push(`${p.pid} spawn ${m.gpr(0)}`),
      },
    }];
    const probed = (() => { const raw = rawTextSink(); const r = runGuest(file, [], { trace: raw.sink, probes }); return { ...r, lines: raw.text() }; })();
    const plain = (() => { const raw = rawTextSink(); const r = runGuest(file, [], { trace: raw.sink }); return { ...r, lines: raw.text() }; })();
    expect(probed.stdout).toBe(plain.stdout);
    expect(probed.stdout).toBe("fact 120 leaf 7\nchild fact 6\n");
    expect(probed.lines).toBe(plain.lines);
    expect(probed.outcome).toEqual(plain.outcome);
    const fact = (pid: string, n: number): string[] => n <= 1 ? [`${pid} in ${n}`, `${pid} out 1`]
      : [`${pid} in ${n}`, ...fact(pid, n - 1), `${pid} out ${[1, 1, 2, 6, 24, 120][n]}`];
    const parent = events.filter((e) => e.startsWith("1 ")), child = events.filter((e) => !e.startsWith("1 "));
    expect(parent).toEqual([...fact("1", 5), "1 leaf 7", "1 spawn 2"]);
    // The child was forked inside spawn: it returns from it too (with 0), then computes its own.
    expect(child).toEqual(["2 spawn 0", ...fact("2", 3)]);
  });
});

const RETURNS_SOURCE = String.raw`
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

__attribute__((noinline, noclone)) long fact(long n) {
  if (n <= 1) return 1;
  long r = fact(n - 1);
  __asm__ volatile("" : "+r"(r));   /* a real recursion, not a loop */
  return n * r;
}
__attribute__((noinline, noclone)) long leaf(long a) { __asm__ volatile(""); return a + 2; }
__attribute__((noinline, noclone)) long spawn(void) { return fork(); }

int main(void) {
  long f = fact(5);
  printf("fact %ld leaf %ld\n", f, leaf(5));
  fflush(stdout);
  long c = spawn();
  if (c == 0) { printf("child fact %ld\n", fact(3)); fflush(stdout); _exit(0); }
  int st;
  waitpid((pid_t)c, &st, 0);
  return 0;
}
`;
