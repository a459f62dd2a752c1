// The JIT's compile thread (src/machine/jit/compile-thread.ts): modules made off the main thread are
// entered only while the code they were compiled from is what the guest runs, a run that never
// leaves the core still picks them up, every Machine of a thread shares one compile thread, and
// nothing of it keeps a process alive.
import { describe, it, expect, afterAll } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MiniLinux } from "../cpu/minilinux.js";
import { Machine } from "../../src/machine/machine.js";
import { Exit, TC_JIT, TC_SET_BITS, TC_WAYS } from "../../src/machine/layout.js";
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { JIT_ENTRY, JIT_NEVER } from "../../src/machine/jit/jit.js";
import { compileThreadsStarted, compilesInFlight, drainCompiled } from "../../src/machine/jit/compile-thread.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const dir = mkdtempSync(path.join(tmpdir(), "skytrace-jit-thread-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(name: string, lines: string[]): string {
  const src = path.join(dir, `${name}.s`), exe = path.join(dir, name);
  writeFileSync(src, [".intel_syntax noprefix", '.section .rwx,"awx",@progbits', ".globl _start", ...lines, ""].join("\n"));
  execFileSync("gcc", ["-nostdlib", "-static", "-Wl,--no-warn-rwx-segments", "-o", exe, src]);
  return exe;
}

// body adds its immediate to EAX 100 times. The program runs it, patches the immediate from 1 to 2
// (a store to decoded code: the trace cache is flushed), runs it again, stops at getpid (the test
// takes the compile thread's answers there), runs it a third time and exits with EAX: 500.
const patched = build("patched", [
  "_start:", "  xor eax, eax", "  call body", "  inc byte ptr [rip + imm]", "  call body", "  mov r15, rax", "  mov eax, 39", "  syscall",
  "  mov rax, r15", "  call body", "  mov edi, eax", "  mov eax, 60", "  syscall",
  "body:", "  mov ecx, 100", "1:", "  .byte 0x83, 0xc0", "imm:", "  .byte 1", "  dec ecx", "  jnz 1b", "  ret",
]);

describe("the compile thread", () => {
  it("a module compiled from code that changed while it was in flight is never entered", () => {
    // At threshold 1 every trace is posted on its first run. Both calls of body run inside one
    // run() (a budget below Machine's poll slice: nothing is taken before it ends), so when the
    // test drains the thread, the answers for the first body (the old immediate) come first, while
    // the traces rebuilt after the patch are marked pending: entering them would add 1, not 2.
    for (const compileThread of [true, false]) {
      const m = new Machine(undefined, { jit: 1, compileThread });
      const k = new MiniLinux(m);
      k.load(patched, [patched]);
      expect(m.run(100_000)).toBe(Exit.Syscall);
      expect(m.gpr(0)).toBe(39n);
      drainCompiled();
      m.setGpr(0, 1000n);
      m.sysret();
      expect(m.run(100_000)).toBe(Exit.Syscall);
      expect(m.gpr(0)).toBe(60n);
      expect(Number(m.gpr(7)), `compile thread ${compileThread}`).toBe(500);
      const s = m.jit!.stats;
      if (compileThread) {
        expect(s.requested).toBeGreaterThan(0);
        expect(s.dropped, "the first body's regions, answered after the flush").toBeGreaterThan(0);
        expect(s.compiled).toBeGreaterThan(0);
      }
    }
    const interp = new MiniLinux(new Machine(undefined, { jit: false }));
    interp.load(patched, [patched]);
    expect(interp.run().exitCode).toBe(500 & 0xff);
  });

  it("a long run with no exit to the host enters its module once it arrives, and stops exactly at its budget", () => {
    const loop = build("loop", ["_start:", "  xor eax, eax", "1:", "  add rax, 3", "  xor rax, 5", "  jmp 1b"]);
    const runs = [true, false].map((compileThread) => {
      const m = new Machine(undefined, { jit: true, compileThread });
      new MiniLinux(m).load(loop, [loop]);
      expect(m.run(300_000_000)).toBe(Exit.Budget);
      return m;
    });
    const [a, b] = runs;
    expect(a.ticks).toBe(b.ticks);
    expect(a.gpr(0)).toBe(b.gpr(0));
    expect(a.rip).toBe(b.rip);
    expect(a.jit!.stats.requested).toBeGreaterThan(0);
    expect(a.jit!.stats.compiled, "taken inside the one run() call").toBeGreaterThan(0);
  });

  it("every Machine of a thread shares one compile thread", () => {
    drainCompiled();
    const before = compileThreadsStarted();
    for (let i = 0; i < 3; i++) {
      // Different code each (a region compiled before in this thread is taken from its cache, not posted).
      const loop = build(`loop${i}`, ["_start:", "1:", `  add rax, ${i + 1}`, "  jmp 1b"]);
      const m = new Machine(undefined, { jit: 1, compileThread: true });
      new MiniLinux(m).load(loop, [loop]);
      m.run(10_000);
      expect(m.jit!.stats.requested).toBeGreaterThan(0);
    }
    drainCompiled();
    expect(compilesInFlight()).toBe(0);
    expect(compileThreadsStarted()).toBe(Math.max(before, 1));
  });

  // Decoded traces are tagged by address space (assembly/decoder/cacheflush.ts) and the JIT keys what
  // it compiled and what it has in flight by tag (jit.ts): an answer that arrives after a process
  // switch belongs to the space it was asked in, whatever runs when it is taken. Two spaces run
  // different code at X and Y; A's region is requested, B runs and has its own X trace in flight,
  // and A's answer is taken while B is the running space.
  it("an answer taken after a process switch is installed in the space that asked for it", () => {
    const X = 0x40_0000n, Y = 0x40_0100n;
    const rel = (from: bigint, to: bigint) => { const x = Buffer.alloc(4); x.writeInt32LE(Number(to - from)); return [...x]; };
    const m = new Machine(undefined, { jit: 64, compileThread: true });
    const space = (x: number[], y: number[]) => {
      const as = new AddressSpace(m.phys), vm = new VirtualMemory(m.phys, as);
      as.map(Number(X), m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
      vm.write(Number(X), new Uint8Array(x), true);
      vm.write(Number(Y), new Uint8Array(y), true);
      return as;
    };
    // A: X: MOV EAX, 1; JMP Y   Y: DEC RCX; JNZ X; INT3 (EAX 1; A's region holds X and Y)
    const a = space([0xb8, 1, 0, 0, 0, 0xe9, ...rel(X + 10n, Y)], [0x48, 0xff, 0xc9, 0x0f, 0x85, ...rel(Y + 9n, X), 0xcc]);
    // B: X: MOV EAX, 2; DEC RCX; JNZ X; JMP Y   Y: ADD EAX, 40; INT3 (EAX 42; Y runs once a run: warm, never hot)
    const b = space([0xb8, 2, 0, 0, 0, 0x48, 0xff, 0xc9, 0x0f, 0x85, ...rel(X + 14n, X), 0xe9, ...rel(X + 19n, Y)], [0x83, 0xc0, 40, 0xcc]);
    const word = (rip: bigint) => { const t = m.core.traceBlock(rip); return t && new DataView(m.core.memory.buffer).getUint32(t + TC_JIT, true); };
    // Machine.run takes the compile thread's answers at its start (and every 2^18 instructions, far
    // more than these runs): `unpolled` runs as it does without taking any, so that B's trace is in
    // flight before A's answer is taken, whatever the thread's speed.
    const run = (as: AddressSpace, unpolled = false): bigint => {
      m.cr3 = as.cr3;
      m.setGpr(1, 1000n);
      m.rip = X;
      let r: number;
      if (unpolled) {
        r = m.core.run(1_000_000n);
        for (; r === 11; r = m.core.run(m.core.budgetLeft())) m.jit!.compile(Number(m.exit().addr), m.exit().rip); // 11: EXIT_JIT
      } else r = m.run(1_000_000);
      expect(r).toBe(Exit.Int3);
      return m.gpr(0);
    };
    drainCompiled();
    const s = m.jit!.stats;
    expect(run(a)).toBe(1n);              // A's X hot: its region posted (the run's only poll came before)
    expect([word(X), word(Y)]).toEqual([JIT_NEVER, JIT_NEVER]); // X asked for, Y hot meanwhile: both wait for the answer
    expect(run(b, true)).toBe(42n);       // B's X hot: its own region posted
    expect(word(X)).toBe(JIT_NEVER);
    expect(word(Y)).toBeLessThan(JIT_NEVER); // B's Y warm (A's region holds a trace at its address)
    expect([s.requested, s.compiled], "B's X asked for on its own").toEqual([2, 0]);
    drainCompiled();                      // A's answer, then B's, with B running
    expect(s.compiled).toBe(2);
    const bx = word(X), by = word(Y);
    m.cr3 = a.cr3;                        // a switch: nothing runs, nothing is flushed
    const ax = word(X), ay = word(Y);
    expect(ax, "A's X installed in A while B ran").toBeGreaterThanOrEqual(JIT_ENTRY);
    expect(ay, "A's Y (hot while in flight) in the same region").toBe(ax);
    expect(bx, "B's X entered in B's own region").toBeGreaterThanOrEqual(JIT_ENTRY);
    expect(bx, "B's X entered in B's own region").not.toBe(ax);
    expect(by, "B's Y not pointed at A's region").toBeLessThan(JIT_NEVER);
    for (let i = 0; i < 3; i++) expect([run(b), run(a)]).toEqual([42n, 1n]);
    expect([word(X), word(Y)]).toEqual([ax, ay]);
    m.cr3 = b.cr3;
    expect(word(X)).toBe(bx);
    expect([s.requested, s.compiled, s.dropped], "nothing asked again, nothing lost").toEqual([2, 2, 0]);
    // B's Y gets hot now that A's region holds a trace at Y (A's): B's own code is compiled for it.
    for (let i = 0; i < 64; i++) expect(run(b)).toBe(42n);
    drainCompiled();
    expect(word(Y), "B's Y compiled").toBeGreaterThanOrEqual(JIT_ENTRY);
    expect(word(Y), "B's Y not entered in A's region").not.toBe(ay);
    expect([run(b), s.requested, s.compiled]).toEqual([42n, 3, 3]);
  });

  // A trace evicted while its region is in flight leaves its word, JIT_NEVER (the pending mark, as a
  // refused trace's), in the kept table (assembly/decoder/tcache.ts), and its rebuild takes it back.
  // The answer is written there too: the rebuilt trace is entered compiled, as the JIT without the
  // thread keeps an evicted trace compiled (test/machine/trace-cache.test.ts); it stayed interpreted.
  it("a trace evicted while its region is in flight is entered compiled once rebuilt", () => {
    const X = 0x10_0000n;
    const set = (r: bigint) => BigInt.asUintN(64, r * 0x9e3779b97f4a7c15n) >> BigInt(64 - TC_SET_BITS);
    const others: bigint[] = []; // an INT3 each, on other pages, in X's set: as many as it has ways
    for (let p = 0x101n; others.length < TC_WAYS; p++) {
      for (let off = 0n; off < 0xff0n; off += 0x10n) if (set((p << 12n) | off) === set(X)) { others.push((p << 12n) | off); break; }
    }
    const m = new Machine(undefined, { jit: 64, compileThread: true });
    const as = new AddressSpace(m.phys), vm = new VirtualMemory(m.phys, as);
    for (const va of [X, ...others]) as.map(Number(va & ~0xfffn), m.phys.alloc(), PROT_READ | PROT_WRITE | PROT_EXEC);
    m.cr3 = as.cr3;
    for (const va of others) vm.write(Number(va), new Uint8Array([0xcc]), true);
    vm.write(Number(X), new Uint8Array([0xb8, 7, 0, 0, 0, 0x48, 0xff, 0xc9, 0x0f, 0x85, 0xf2, 0xff, 0xff, 0xff, 0xcc]), true); // MOV EAX, 7; DEC RCX; JNZ X; INT3
    const word = (rip: bigint) => { const t = m.core.traceBlock(rip); return t && new DataView(m.core.memory.buffer).getUint32(t + TC_JIT, true); };
    const runX = () => { m.setGpr(1, 1000n); m.rip = X; expect(m.run(1_000_000)).toBe(Exit.Int3); return m.gpr(0); };
    drainCompiled();
    expect(runX()).toBe(7n);              // X hot: its region posted (the run's only poll came before)
    expect(word(X)).toBe(JIT_NEVER);
    for (const o of others) {             // X evicted; the core's own run: no answer taken
      m.rip = o;
      expect(m.core.run(1000n)).toBe(Exit.Int3);
    }
    expect(m.core.traceBlock(X)).toBe(0);
    drainCompiled();
    const s = m.jit!.stats;
    expect([s.requested, s.compiled, s.dropped]).toEqual([1, 1, 0]);
    expect(runX()).toBe(7n);              // X rebuilt, its word taken back from the kept table
    expect(word(X), "X entered compiled").toBeGreaterThanOrEqual(JIT_ENTRY);
    expect([runX(), s.requested]).toEqual([7n, 1]);
  });

  // The thread's scheduling policy (compile-worker.ts): SCHED_BATCH (3 in /proc's stat, field 41) with
  // SKYTRACE_JIT_THREAD_BATCH=1, every thread SCHED_OTHER (0) without. A child process (a script file), so that its
  // compile thread starts under the variable; the thread has run its top level once it answered.
  it.skipIf(process.platform !== "linux" || spawnSync("chrt", ["--version"]).status !== 0)("SKYTRACE_JIT_THREAD_BATCH=1 puts the compile thread (alone) under SCHED_BATCH", () => {
    const script = [
      `import { requestCompile, drainCompiled } from ${JSON.stringify(path.join(root, "dist/src/machine/jit/compile-thread.js"))};`,
      `import { readdirSync, readFileSync } from "node:fs";`,
      `let answered = false;`,
      `requestCompile({ regions: [], slots: new Uint8Array(0), options: {}, eager: false }, () => { answered = true; });`,
      `drainCompiled();`,
      `const policies = readdirSync("/proc/self/task").map((t) => Number(readFileSync("/proc/self/task/" + t + "/stat", "utf8").split(") ")[1].split(" ")[38]));`,
      `console.log(JSON.stringify({ answered, batch: policies.filter((p) => p === 3).length, other: policies.filter((p) => p === 0).length }));`,
    ].join("\n");
    const file = path.join(dir, "policies.mjs"); // a file: run as `node -e` the worker never answered
    writeFileSync(file, script);
    const policies = (batch: string, env: Record<string, string> = {}) => {
      const r = spawnSync(process.execPath, [file], { encoding: "utf8", timeout: 60_000, env: { ...process.env, SKYTRACE_JIT_THREAD_BATCH: batch, ...env } });
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(r.stdout.trim().split("\n").pop()!) as { answered: boolean; batch: number; other: number };
    };
    const on = policies("1"), off = policies("");
    expect([on.answered, on.batch, off.answered, off.batch]).toEqual([true, 1, true, 0]);
    // Without chrt (a host that lacks util-linux's) the thread stays SCHED_OTHER and still answers.
    const noChrt = policies("1", { PATH: path.join(dir, "no-such-bin") });
    expect([noChrt.answered, noChrt.batch]).toEqual([true, 0]);
    expect(on.other).toBeGreaterThan(1);
  });

  it("a process whose run posted compiles exits when its work is done (the thread and its port are unref'd)", () => {
    const w = JSON.stringify({ w: { file: "build/guest/bench/factor", args: ["4"] }, jit: true });
    const r = spawnSync(process.execPath, [path.join(root, "dist/bench/fresh-run.js"), w],
      { encoding: "utf8", timeout: 60_000, env: { ...process.env, SKYTRACE_JIT_THREAD: "1", SKYTRACE_JIT_THRESHOLD: "" } });
    expect(r.signal, "still running after 60 s").toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!).requested).toBeGreaterThan(0);
  });
});
