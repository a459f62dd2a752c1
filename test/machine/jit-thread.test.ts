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
import { Exit } from "../../src/machine/layout.js";
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

  it("a process whose run posted compiles exits when its work is done (the thread and its port are unref'd)", () => {
    const w = JSON.stringify({ w: { file: "build/guest/bench/factor", args: ["4"] }, jit: true });
    const r = spawnSync(process.execPath, [path.join(root, "dist/bench/fresh-run.js"), w],
      { encoding: "utf8", timeout: 60_000, env: { ...process.env, SKYTRACE_JIT_THREAD: "1", SKYTRACE_JIT_THRESHOLD: "" } });
    expect(r.signal, "still running after 60 s").toBeNull();
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim().split("\n").pop()!).requested).toBeGreaterThan(0);
  });
});
