// Debugging tool (runs only when asked): single-step a static program natively
// under gdb and in the core (test/cpu/minilinux.ts) from the entry of one
// function, and report the first instruction after which RIP or XMM0-15 (and
// with SKYTRACE_STEP_FLAGS=1 the arithmetic flags) newly differ. GPRs are
// printed but not compared (stack and heap addresses differ between the two).
//
//   SKYTRACE_STEP_PROGRAM=/tmp/prog SKYTRACE_STEP_FROM=__lgamma_neg \
//     [SKYTRACE_STEP_COUNT=5000] [SKYTRACE_STEP_ARGS="a b"] npx vitest run test/cpu/stepcompare.test.ts
//
// Natively glibc is told (GLIBC_TUNABLES) to ignore AVX/AVX2/FMA so that it
// takes the same (SSE4.2, no AVX) ifunc paths as on our CPUID.
import { it, expect } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MiniLinux } from "./minilinux.js";
import { Exit } from "../../src/machine/layout.js";
import { disassemble } from "./harness.js";

const PROGRAM = process.env.SKYTRACE_STEP_PROGRAM;
const FROM = process.env.SKYTRACE_STEP_FROM ?? "main";
const COUNT = Number(process.env.SKYTRACE_STEP_COUNT ?? 5000);
const ARGS = (process.env.SKYTRACE_STEP_ARGS ?? "").split(" ").filter(Boolean);
// Flags are compared only on request: address arithmetic (SUB RSP, ...) sets them differently.
const CMP_FLAGS = !!process.env.SKYTRACE_STEP_FLAGS;
const TUNABLES = "glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-FMA4,-AVX512F";

type Step = { rip: bigint; xmm: string[]; gpr: string[]; flags: bigint };

function parse(text: string): Step[] {
  return text.trim().split("\n").filter(Boolean).map((l) => {
    const [a, g, f] = l.split(" | ");
    const t = a.split(" ");
    return { rip: BigInt("0x" + t[0]), xmm: t.slice(1), gpr: g.split(" "), flags: BigInt("0x" + f) };
  });
}

function native(prog: string, entry: bigint, dir: string): Step[] {
  const out = path.join(dir, "native.steps");
  const script = path.join(dir, "step.py");
  writeFileSync(script, `
import gdb
gdb.execute("set pagination off")
gdb.execute("set environment GLIBC_TUNABLES=${TUNABLES}")
gdb.execute("break *0x${entry.toString(16)}")
gdb.execute("run ${ARGS.join(" ")} > /dev/null")
f = open("${out}", "w")
for i in range(${COUNT}):
    fr = gdb.selected_frame()
    xs = []
    for r in range(16):
        v = fr.read_register("xmm%d" % r)["v2_int64"]
        xs.append("%x:%x" % (int(v[0]) & 0xffffffffffffffff, int(v[1]) & 0xffffffffffffffff))
    gp = ["%x" % (int(fr.read_register(n)) & 0xffffffffffffffff) for n in ("rax","rcx","rdx","rbx","rsp","rbp","rsi","rdi","r8","r9","r10","r11","r12","r13","r14","r15")]
    f.write("%x %s | %s | %x\\n" % (int(fr.read_register("rip")) & 0xffffffffffffffff, " ".join(xs), " ".join(gp), int(fr.read_register("eflags")) & 0x8d5))
    try:
        gdb.execute("stepi", to_string=True)
    except gdb.error:
        break
f.close()
`);
  execFileSync("gdb", ["-batch", "-x", script, prog], { stdio: "ignore", timeout: 600_000 });
  return parse(readFileSync(out, "utf8"));
}

function emulated(prog: string, entry: bigint): Step[] {
  const k = new MiniLinux();
  k.load(prog, [prog, ...ARGS]);
  const m = k.m;
  const step = (): boolean => {
    const r = m.run(1);
    if (r === Exit.Syscall) {
      const res = (k as unknown as { syscall(): bigint | null }).syscall();
      if (res === null) return false;
      m.setGpr(0, BigInt.asUintN(64, res));
      m.sysret();
    } else if (r !== Exit.Budget) return false;
    return true;
  };
  while (m.rip !== entry) if (!step()) throw new Error(`the core never reached 0x${entry.toString(16)}`);
  const steps: Step[] = [];
  for (let i = 0; i < COUNT; i++) {
    const xmm = Array.from({ length: 16 }, (_, r) => {
      const dv = new DataView(m.xmm(r).buffer);
      return `${dv.getBigUint64(0, true).toString(16)}:${dv.getBigUint64(8, true).toString(16)}`;
    });
    steps.push({ rip: m.rip, xmm, gpr: Array.from({ length: 16 }, (_, r) => m.gpr(r).toString(16)), flags: m.rflags & 0x8d5n });
    if (!step()) break;
  }
  return steps;
}

it.runIf(!!PROGRAM)("step-compare native vs core", () => {
  const prog = PROGRAM!;
  const sym = execFileSync("nm", [prog], { encoding: "utf8" }).split("\n").find((l) => l.endsWith(` ${FROM}`));
  if (!sym) throw new Error(`symbol ${FROM} not found in ${prog}`);
  const entry = BigInt("0x" + sym.split(" ")[0]);
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-step-"));
  const a = native(prog, entry, dir), b = emulated(prog, entry);
  // Only new differences count: a register that already differed one step
  // earlier (e.g. leftovers of start-up code that ran differently) is skipped.
  let report = "";
  for (let i = 1; i < Math.min(a.length, b.length) && !report; i++) {
    const x = a[i], y = b[i], px = a[i - 1], py = b[i - 1];
    const bad = x.rip !== y.rip ? ["rip"] : [];
    for (let r = 0; r < 16; r++) if (px.xmm[r] === py.xmm[r] && x.xmm[r] !== y.xmm[r]) bad.push(`xmm${r} native ${x.xmm[r]} core ${y.xmm[r]}`);
    if (CMP_FLAGS && px.flags === py.flags && x.flags !== y.flags) bad.push(`flags native ${x.flags.toString(16)} core ${y.flags.toString(16)}`);
    if (bad.length === 0) continue;
    const prev = px.rip;
    const bytes = readFileSync(prog); // text is mapped 1:1 from file offset (static non-PIE: vaddr - 0x400000)
    const off = Number(prev - 0x400000n);
    report = `first difference after step ${i} (instruction at 0x${prev.toString(16)}: ${disassemble(bytes.subarray(off, off + 15)).split(" | ")[0]})\n` +
      `  rip native 0x${x.rip.toString(16)} core 0x${y.rip.toString(16)}\n  ${bad.join("\n  ")}\n` +
      `  gprs native ${x.gpr.join(" ")}\n  gprs core   ${y.gpr.join(" ")}`;
  }
  console.log(report || `no difference in ${Math.min(a.length, b.length)} steps`);
  expect(a.length).toBeGreaterThan(0);
});
