// The second tier (src/machine/jit, assembly/jit) against the interpreter: each
// program runs on two machines in lockstep, one compiling every trace on its
// first run (threshold 1) and one interpreting, in slices of pseudo-random
// length (1 to a few thousand instructions, so compiled code is entered with
// budgets smaller than a pass, and left mid-loop). After every slice the two
// must agree on the whole CPU context (GPRs, RIP, RFLAGS, segment bases, MXCSR,
// x87, XMM), the clock and the exit. Real gcc -O2 -static code, the benchmark
// programs, and random integer loops (test/cpu/gen/loops.ts) that patch their
// own code between runs.
import { describe, it, expect, afterAll } from "vitest";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { MiniLinux } from "./minilinux.js";
import { Machine } from "../../src/machine/machine.js";
import { Exit, STATE, S_TICKS, S_FPU_CW } from "../../src/machine/layout.js";
import { Rng } from "./gen/rng.js";
import { randomLoops, formLoops } from "./gen/loops.js";
import { vendorsOf } from "./harness.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const outDir = mkdtempSync(path.join(tmpdir(), "skytrace-jit-"));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function snapshot(k: MiniLinux): Buffer {
  const b = Buffer.from(k.m.core.memory.buffer, STATE, 768);
  return Buffer.concat([b.subarray(0, S_TICKS + 8), b.subarray(232, 236), b.subarray(S_FPU_CW, 768)]);
}

// linked: traces compiled into regions beyond each region's first (src/machine/jit/compile.ts formRegion).
// reused: traces entered in a region compiled before (jit.ts), not compiled for themselves: a hot
// one pointed at the region holding it, or one pointed there when the region was compiled (held).
interface Lockstep { slices: number; instructions: bigint; stdout: string; exitCode: number | null; compiled: number; compiledInstructions: number; linked: number; reused: number; modules: number; early: number }

// threshold: runs before a trace is compiled; fixed: every slice that long (else pseudo-random lengths).
function lockstep(exe: string, argv: string[], seed: number, threshold = 1, fixed = 0): Lockstep {
  const jit = new MiniLinux(new Machine(undefined, { jit: threshold })), interp = new MiniLinux(new Machine(undefined, { jit: false }));
  jit.load(exe, argv);
  interp.load(exe, argv);
  const sys = (k: MiniLinux): bigint | null => (k as unknown as { syscall(): bigint | null }).syscall();
  const rng = new Rng(seed);
  let slices = 0, exitCode: number | null = null;
  for (;;) {
    const slice = fixed || (rng.int(4) === 0 ? 1 + rng.int(5000) : 1 + rng.int(40));
    const t0 = interp.m.ticks;
    const a = jit.m.run(slice), b = interp.m.run(slice);
    slices++;
    expect(a, `exit after slice ${slices}`).toBe(b);
    // A slice spent retires exactly its budget, whatever the trace boundaries (a REP inside a trace too).
    if (b === Exit.Budget) expect(interp.m.ticks - t0, `ticks of slice ${slices}`).toBe(BigInt(slice));
    const sa = snapshot(jit), sb = snapshot(interp);
    if (!sa.equals(sb)) {
      const rip = (s: Buffer) => s.readBigUInt64LE(128).toString(16);
      let at = 0;
      while (sa[at] === sb[at]) at++;
      throw new Error(`${path.basename(exe)}: state differs after slice ${slices} (JIT rip 0x${rip(sa)}, interpreter rip 0x${rip(sb)}, first byte ${at}: ${sa[at]} vs ${sb[at]})`);
    }
    if (a === Exit.Budget) continue;
    if (a !== Exit.Syscall) throw new Error(`${path.basename(exe)}: exit ${a} at slice ${slices}`);
    if (jit.m.gpr(0) === 60n || jit.m.gpr(0) === 231n) exitCode = Number(jit.m.gpr(7) & 0xffn);
    const ra = sys(jit), rb = sys(interp);
    expect(ra).toBe(rb);
    if (ra === null) break;
    jit.m.setGpr(0, BigInt.asUintN(64, ra)); jit.m.sysret();
    interp.m.setGpr(0, BigInt.asUintN(64, rb!)); interp.m.sysret();
  }
  const out = (k: MiniLinux) => Buffer.from((k as unknown as { out: number[] }).out).toString("latin1");
  expect(out(jit)).toBe(out(interp));
  const st = jit.m.jit!.stats;
  return { slices, instructions: jit.m.ticks, stdout: out(jit), exitCode, compiled: st.compiled, compiledInstructions: st.instructions, linked: st.traces - st.compiled, reused: st.reused + st.held, modules: st.modules, early: st.early, retaken: st.retaken };
}

describe("the JIT against the interpreter, in lockstep", () => {
  const bench = (n: string) => path.resolve(here, "../../build/guest/bench", n);
  for (const [name, args] of [["factor", ["1"]], ["mixed", ["1"]]] as const) {
    it.runIf(existsSync(bench(name)))(`${name} ${args.join(" ")}`, () => {
      const r = lockstep(bench(name), [name, ...args], 1);
      expect(r.stdout).not.toBe("");
      expect(r.compiled).toBeGreaterThan(10);
      console.log(`${name}: ${r.instructions} instructions, ${r.slices} slices, ${r.compiled} traces compiled`);
    });
  }
  const srcDir = path.resolve(here, "../native/programs");
  for (const f of readdirSync(srcDir).filter((f) => f.endsWith(".c"))) {
    it(f, () => {
      const exe = path.join(outDir, f.slice(0, -2));
      execFileSync("gcc", ["-O2", "-static", "-o", exe, path.join(srcDir, f), "-lm"]);
      const r = lockstep(exe, [exe], 2);
      expect(r.compiled).toBeGreaterThan(10);
      console.log(`${f}: ${r.instructions} instructions, ${r.slices} slices, ${r.compiled} regions compiled (${r.linked} more traces linked in)`);
      // Threshold 64, in fixed slices (50 for the short programs): compiled traces start where the interpreter's
      // do not (strings.c's REP STOS inside a trace overran such a slice before run.ts checked), and regions
      // hold traces their neighbours ran first (at threshold 1 a region rarely can: the traces it
      // jumps to are not decoded yet, or another region holds them already), compiled in batches.
      const r64 = lockstep(exe, [exe], 2, 64, r.instructions < 2_000_000n ? 50 : 997);
      console.log(`${f} at 64: ${r64.compiled} regions compiled (${r64.linked} more traces linked in), ${r64.modules} modules`);
      expect(r64.linked).toBeGreaterThan(0);
      expect(r64.modules).toBeLessThan(r64.compiled);
    });
  }
  it("a fault right after a multiply or a divide sees their flags (compiled code left before the faulting load)", () => {
    // The last pass reads through RSI = 0: the compiled trace leaves before the CMP, which the
    // interpreter then runs and faults on. RFLAGS at the fault must be the IMUL's (or DIV's), whose
    // flags the compiler may skip only when nothing can observe them before the next flag writer.
    for (const op of [["mov eax, 0x7fffffff", "mov ebx, 3", "imul eax, ebx"], ["mov eax, 1000", "xor edx, edx", "mov ebx, 7", "div rbx"]]) {
      const src = path.join(outDir, "fault.s"), exe = path.join(outDir, "fault");
      writeFileSync(src, [".intel_syntax noprefix", ".globl _start", "_start:", "  lea r15, [rip + buf]", "  xor r13d, r13d", "  mov r12, 100",
        "1:", "  lea rsi, [r15 + 8]", "  cmp r12, 1", "  cmove rsi, r13", ...op.map((l) => `  ${l}`), "  cmp ecx, dword ptr [rsi]",
        "  sub r12, 1", "  jnz 1b", "  mov eax, 60", "  syscall", ".bss", "buf: .zero 64", ""].join("\n"));
      execFileSync("gcc", ["-nostdlib", "-static", "-o", exe, src]);
      const ks = [new Machine(undefined, { jit: 1 }), new Machine(undefined, { jit: false })].map((m) => { const k = new MiniLinux(m); k.load(exe, [exe]); return k; });
      const exits = ks.map((k) => k.m.run(100_000));
      expect(exits).toEqual([Exit.PageFault, Exit.PageFault]);
      expect(snapshot(ks[0]).equals(snapshot(ks[1])), `${op[op.length - 1]}: state at the fault`).toBe(true);
      expect(ks[0].m.jit!.stats.compiled).toBeGreaterThan(0);
    }
  });

  it("SSE moves and ALU on memory: a misaligned MOVDQA or PXOR and a store to a read-only page leave compiled code before them and fault as interpreted; so do divisions that raise #DE", () => {
    // The last pass points RSI at the bad address. The read-only page is read every pass (it is in
    // the read TLB, never in the write TLB), so only a store checked against the write TLB leaves.
    const cases: Array<[string, string, Exit]> = [
      ["movdqa xmm1, xmmword ptr [rsi]", "lea r13, [r15 + 8]", Exit.GeneralProtection],
      ["pxor xmm1, xmmword ptr [rsi]", "lea r13, [r15 + 8]", Exit.GeneralProtection],
      ["movaps xmmword ptr [rsi], xmm1", "lea r13, [r15 + 24]", Exit.GeneralProtection],
      ["pcmpeqb xmm1, xmmword ptr [rsi]", "lea r13, [r15 + 8]", Exit.GeneralProtection],
      ["pshufd xmm1, xmmword ptr [rsi], 0x1b", "lea r13, [r15 + 40]", Exit.GeneralProtection],
      ["movq qword ptr [rsi], xmm1", "mov r13, r14", Exit.PageFault],
      ["setne byte ptr [rsi]", "mov r13, r14", Exit.PageFault],
      // #DE on the last pass only: a 32-bit quotient that does not fit, a zero divisor, the
      // signed overflows (INT64_MIN / -1 traps in wasm)
      ["xor edx, edx\n  cmp r12, 1\n  sete dl\n  mov ecx, 1\n  div ecx", "mov r13, r14", Exit.DivideError],
      ["xor edx, edx\n  mov ecx, 3\n  cmp r12, 1\n  cmove ecx, edx\n  div ecx", "mov r13, r14", Exit.DivideError],
      ["mov eax, 0x80000000\n  cdq\n  mov ecx, 1\n  mov edx, -1\n  cmp r12, 1\n  cmove ecx, edx\n  cdq\n  idiv ecx", "mov r13, r14", Exit.DivideError],
      ["mov ecx, -1\n  xor eax, eax\n  xor edx, edx\n  mov r8d, 0x80000000\n  cmp r12, 1\n  cmove edx, r8d\n  idiv ecx", "mov r13, r14", Exit.DivideError],
      ["mov rax, 0x8000000000000000\n  cqo\n  mov ecx, 1\n  mov r8, -1\n  cmp r12, 1\n  cmove rcx, r8\n  idiv rcx", "mov r13, r14", Exit.DivideError],
      ["movups xmmword ptr [rsi], xmm1", "mov r13, r14", Exit.PageFault],
      ["movsd qword ptr [rsi], xmm1", "mov r13, r14", Exit.PageFault],
      ["add dword ptr [rsi], eax", "mov r13, r14", Exit.PageFault],
      ["xor byte ptr [rsi], 7", "mov r13, r14", Exit.PageFault],
    ];
    for (const [insn, bad, exit] of cases) {
      const src = path.join(outDir, "ssefault.s"), exe = path.join(outDir, "ssefault");
      writeFileSync(src, [".intel_syntax noprefix", ".globl _start", "_start:", "  lea r15, [rip + buf]", "  lea r14, [rip + ro]", `  ${bad}`,
        "  mov r12, 100", "1:", "  lea rsi, [r15 + 32]", "  cmp r12, 1", "  cmove rsi, r13", "  mov rax, qword ptr [r14]", "  paddq xmm1, xmm2",
        `  ${insn}`, "  paddq xmm2, xmm1", "  sub r12, 1", "  jnz 1b", "  mov eax, 60", "  syscall",
        ".section .rodata", ".balign 4096", "ro: .quad 7, 9", ".bss", ".balign 16", "buf: .zero 64", ""].join("\n"));
      execFileSync("gcc", ["-nostdlib", "-static", "-o", exe, src]);
      const ks = [new Machine(undefined, { jit: 1 }), new Machine(undefined, { jit: false })].map((m) => { const k = new MiniLinux(m); k.load(exe, [exe]); return k; });
      const exits = ks.map((k) => k.m.run(100_000));
      expect(exits, insn).toEqual([exit, exit]);
      expect(snapshot(ks[0]).equals(snapshot(ks[1])), `${insn}: state at the fault`).toBe(true);
      expect(ks[0].m.jit!.stats.compiled).toBeGreaterThan(0);
    }
  });

  it("every shift by a constant, INC/DEC, NEG/NOT, CDQE/CQO, byte and memory ALU and SSE2 move form, all the flags each leaves", () => {
    const src = path.join(outDir, "forms.s"), exe = path.join(outDir, "forms");
    writeFileSync(src, formLoops());
    execFileSync("gcc", ["-nostdlib", "-static", "-o", exe, src]);
    for (const threshold of [1, 3]) {
      const r = lockstep(exe, [exe], threshold, threshold);
      expect(r.exitCode).toBe(0);
      expect(r.compiled).toBeGreaterThan(150);
    }
  });

  it("random integer loops, some patching their own code (and the host CPU agrees on the result)", () => {
    let compiled = 0, linked = 0, reused = 0, masked = 0;
    const vendors = vendorsOf();
    for (let seed = 1; seed <= 32; seed++) {
      const src = path.join(outDir, `loops${seed}.s`), exe = path.join(outDir, `loops${seed}`);
      writeFileSync(src, randomLoops(seed, 16, 40));
      execFileSync("gcc", ["-nostdlib", "-static", "-Wl,--no-warn-rwx-segments", "-o", exe, src]);
      // Odd seeds compile every trace on its first run; even ones on the third, when the traces a
      // loop's first one jumps to are decoded already, so regions of several traces form.
      const r = lockstep(exe, [exe], seed, seed % 2 ? 1 : 3);
      compiled += r.compiled;
      linked += r.linked;
      reused += r.reused;
      // The native run's exit status folds every register: the interpreter (and so the JIT) computed
      // what the CPU does. The programs read the flags IMUL and DIV leave undefined (SETcc, Jcc, PUSHF
      // after them), which only a host of the core's vendor gives as the core does (docs/cpu-model.md).
      if (!vendors.same) { masked++; continue; }
      let status = 0;
      try { execFileSync(exe); } catch (e) { status = (e as { status: number }).status; }
      expect(r.exitCode, `seed ${seed}`).toBe(status);
    }
    if (masked) console.log(`jit lockstep: ${masked} random programs not compared with the host CPU (host ${vendors.host}, the core models ${vendors.core}: they read flags the SDM leaves undefined); JIT and interpreter still compared`);
    console.log(`jit lockstep: random loops: ${compiled} regions compiled, ${linked} more traces linked in, ${reused} traces entered in another's region`);
    expect(compiled).toBeGreaterThan(100);
    expect(linked).toBeGreaterThan(100);
    expect(reused).toBeGreaterThan(20);
  });

  it("later runs enter regions compiled before at a trace's early run, and never those of other code at the same address", () => {
    // Each program twice at threshold 32 (its early run: the 2nd, jit.ts EARLY_SHARE), the second
    // run on a new Machine entering the regions the first compiled (this thread's region cache).
    // Every seed's code starts at the same address, so a region cached from an earlier seed is
    // found by its start there and must be refused (its traces decode differently now); the ones
    // that patch their own code run theirs changed too.
    let early = 0, retaken = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const exe = path.join(outDir, `loops${seed}`);
      if (!existsSync(exe)) writeFileSync(path.join(outDir, `loops${seed}.s`), randomLoops(seed, 16, 40)), execFileSync("gcc", ["-nostdlib", "-static", "-Wl,--no-warn-rwx-segments", "-o", exe, path.join(outDir, `loops${seed}.s`)]);
      const first = lockstep(exe, [exe], seed, 32);
      const again = lockstep(exe, [exe], seed + 100, 32);
      expect(again.exitCode, `seed ${seed}`).toBe(first.exitCode);
      early += again.early;
      retaken += again.retaken;
    }
    console.log(`jit lockstep: later runs: ${early} regions entered at their early run, ${retaken} taken from the cache in a hot trace's batch`);
    expect(early).toBeGreaterThan(20);
    expect(retaken).toBeGreaterThan(0);
  });
});
