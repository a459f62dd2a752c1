// Random integer code in small loops, as a static program without a C library
// (GNU as syntax, Intel operand order), for the JIT lockstep test: the shapes
// the second tier compiles (moves, ALU, TEST, LEA, loads and stores, IMUL, DIV,
// MOVZX/MOVSXD, CMOVcc, SETcc, PUSH/POP, CALL/RET direct and indirect, shifts by a
// constant and by CL, ROL/ROR, INC/DEC, NEG/NOT, CDQE/CQO, 16-bit forms, BSWAP, the SSE2 moves and PXOR/POR/PAND/PADDQ/PSUBQ,
// forward Jcc, loops closed by a Jcc back to their start) mixed with ones it does
// not (ADC, byte ALU, BSF, PUSHF, MOVQ)
// so compiled regions end in every way: a branch out, a back-edge, a TLB miss
// (the first touch of a page, accesses across a page), a division it leaves to
// the interpreter (RDX != 0), an instruction it does not take. The code lives
// in a writable section, and some loops patch their own immediates between
// runs (self-modifying code reached by compiled traces).
import { Rng } from "./rng.js";

const R64 = ["rax", "rbx", "rcx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r13"];
const R32: Record<string, string> = { rax: "eax", rbx: "ebx", rcx: "ecx", rsi: "esi", rdi: "edi", r8: "r8d", r9: "r9d", r10: "r10d", r11: "r11d", r13: "r13d", rdx: "edx" };
const R8 = ["al", "bl", "cl", "ah", "bh", "ch", "sil", "dil", "r8b", "r9b"];
const R16: Record<string, string> = { rax: "ax", rbx: "bx", rcx: "cx", rsi: "si", rdi: "di", r8: "r8w", r9: "r9w", r10: "r10w", r11: "r11w", r13: "r13w" };
const LEGACY8 = ["al", "bl", "cl", "ah", "bh", "ch"];
const CC = ["o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"];
const ALU = ["add", "or", "and", "sub", "xor", "cmp"];
// SSE2 packed integer ops the JIT compiles (compile.ts SIMD and UNPACK).
const PACKED = ["punpcklbw", "punpcklwd", "punpckldq", "punpcklqdq", "punpckhbw", "punpckhwd", "punpckhdq", "punpckhqdq", "packsswb", "packuswb",
  "packssdw", "pcmpgtb", "pcmpgtw", "pcmpgtd", "pcmpeqb", "pcmpeqw", "pcmpeqd", "pmullw", "psubusb", "psubusw", "pminub", "paddusb", "paddusw",
  "pmaxub", "pandn", "pavgb", "pavgw", "psubsb", "psubsw", "pminsw", "paddsb", "paddsw", "pmaxsw", "psubb", "psubw", "psubd", "paddb", "paddw", "paddd"];

function imm(r: Rng): string {
  return r.pick(["0", "1", "-1", "0x7f", "-0x80", "0x7fffffff", "-0x80000000", String(r.int(1000)), String(-r.int(100000))]);
}
function imm16(r: Rng): string {
  return r.pick(["0", "1", "-1", "0x7f", "-0x80", "0x7fff", "-0x8000", String(r.int(65536))]);
}
// A memory operand in the 3-page buffer at r15 (offsets that cross pages now and then).
function mem(r: Rng, size: string): string {
  const off = r.int(4) === 0 ? 4096 - r.int(8) : r.int(3 * 4096 - 16);
  return `${size} ptr [r15 + ${off}]`;
}

function insn(r: Rng, label: () => string): string[] {
  const a = r.pick(R64), b = r.pick(R64);
  const w = r.int(2) === 0; // 64-bit, else 32-bit
  const ra = w ? a : R32[a], rb = w ? b : R32[b];
  // One in three: a flag producer with its reader (the cases the flag liveness must get right).
  switch (r.int(3) === 0 ? 21 + r.int(11) : r.int(32)) {
    case 0: return [`mov ${ra}, ${rb}`];
    case 1: return [w && r.int(2) ? `movabs ${a}, ${r.u64()}` : `mov ${R32[a]}, ${r.int(2 ** 31)}`];
    case 2: case 3: return [`${r.pick(ALU)} ${ra}, ${rb}`];
    case 4: return [`${r.pick(ALU)} ${ra}, ${imm(r)}`];
    case 5: return [`${r.pick(ALU)} ${ra}, ${mem(r, w ? "qword" : "dword")}`];
    case 6: return [`test ${ra}, ${rb}`];
    case 7: return [`lea ${ra}, [${a} + ${b}*${r.pick([1, 2, 4, 8])} + ${r.int(4096) - 2048}]`];
    case 8: return [`mov ${ra}, ${mem(r, w ? "qword" : "dword")}`];
    case 9: return [`mov ${mem(r, w ? "qword" : "dword")}, ${ra}`];
    case 10: return [`imul ${ra}, ${rb}`];
    // A divisor other than RAX, at least 3 > RDX (never #DE); RDX = 1 sometimes: left to the interpreter.
    case 11: { const d = b === "rax" ? "rbx" : b; return [`mov edx, ${r.int(3) === 0 ? 1 : 0}`, `or ${d}, 3`, `mov rax, ${a}`, `div ${d}`]; }
    case 12: return [`movzx ${r.pick(["eax", "ebx", "ecx", "esi", "edi"])}, ${r.pick(LEGACY8)}`]; // AH..BH: no REX
    case 13: return [`movzx ${ra}, ${mem(r, r.int(2) ? "byte" : "word")}`];
    case 14: return [`movsxd ${a}, ${R32[b]}`];
    case 15: return [`cmov${r.pick(CC)} ${ra}, ${rb}`];
    case 16: return [`set${r.pick(CC)} ${r.pick(R8)}`];
    case 17: return [`push ${a}`, `${r.pick(ALU)} ${ra}, ${imm(r)}`, `pop ${b}`];
    case 18: { const l = label(); return [`${r.pick(ALU)} ${ra}, ${rb}`, `j${r.pick(CC)} ${l}`, `add ${ra}, 3`, `${l}:`]; }
    case 19: return [r.pick([`shl ${ra}, ${r.int(64)}`, `inc ${ra}`, `adc ${ra}, ${rb}`, `add ${r.pick(R8)}, 7`, `bsf ${ra}, ${rb}`])];
    case 20: return [`mov ${R32[a]}, ${mem(r, "dword")}`, `add ${mem(r, "dword")}, ${R32[a]}`];
    case 26: return [r.pick([
      `cmp ${mem(r, "byte")}, ${r.int(256) - 128}`, `cmp ${r.pick(R8)}, ${r.int(256) - 128}`, `test ${mem(r, "byte")}, ${r.int(256)}`,
      `test ${ra}, ${r.int(2 ** 31)}`, `cmp ${mem(r, w ? "qword" : "dword")}, ${ra}`, `cmp ${ra}, ${mem(r, w ? "qword" : "dword")}`,
      `cmp al, ${r.int(256) - 128}`, `cmp ${w ? "rax" : "eax"}, ${r.int(2 ** 31)}`, `test al, ${r.int(256)}`,
      `mov ${mem(r, r.pick(["byte", "word", "dword", "qword"]))}, ${r.int(2 ** 15)}`, `mov ${r.pick(LEGACY8)}, ${r.pick(LEGACY8)}`,
      `mov ${mem(r, "byte")}, ${r.pick(["al", "bl", "cl", "dl"])}`, `mov ${r.pick(["al", "bl", "cl", "dl"])}, ${mem(r, "byte")}`,
      `movsx ${r.pick(["eax", "ebx", "ecx", "esi", "edi"])}, ${r.pick(LEGACY8)}`, `movsx ${ra}, ${mem(r, r.int(2) ? "byte" : "word")}`,
    ]), `set${r.pick(CC)} ${r.pick(LEGACY8)}`];
    case 21: return [`cmp ${ra}, ${imm(r)}`, `set${r.pick(CC)} ${r.pick(R8)}`, `cmov${r.pick(CC)} ${ra}, ${rb}`];
    // Equal operands and the flags a multiply or divide leaves, read before anything rewrites them.
    case 22: { const l = label(); return [`mov ${ra}, ${rb}`, `${r.pick(["cmp", "sub", "test", "and"])} ${ra}, ${rb}`, `j${r.pick(CC)} ${l}`, `xor ${ra}, 5`, `${l}:`, `set${r.pick(CC)} ${r.pick(R8)}`]; }
    case 23: return [`imul ${ra}, ${rb}`, `set${r.pick(CC)} ${r.pick(R8)}`, `cmov${r.pick(CC)} ${ra}, ${rb}`];
    case 24: { const d = b === "rax" ? "rbx" : b; return [`mov edx, 0`, `or ${d}, 1`, `mov rax, ${a}`, `div ${d}`, `set${r.pick(CC)} ${r.pick(R8)}`]; }
    // A multiply's or divide's flags read by a branch, or whole by PUSHF (AF and the kept ones too).
    case 25: {
      const d = b === "rax" ? "rbx" : b, l = label();
      const op = r.int(2) ? [`imul ${ra}, ${rb}`] : ["xor edx, edx", `or ${d}, 1`, `div ${d}`];
      // A compare with memory after it may leave before writing any flag (a TLB miss, a page crossing).
      const then = r.int(3) === 0 ? [`cmp ${ra}, ${mem(r, w ? "qword" : "dword")}`] : [];
      return r.int(2) ? [...op, ...then, `j${r.pick(CC)} ${l}`, `not ${ra}`, `${l}:`] : [...op, ...then, "pushfq", `pop ${a}`];
    }
    // A call to a small function and its return (a compiled region may hold both), directly,
    // through a register or through memory.
    case 27: return r.pick([[r.pick(["call leaf1", "call leaf2"])], ["lea rdx, [rip + leaf1]", "call rdx"],
      ["lea rdx, [rip + leaf2]", "mov qword ptr [r15 + 16376], rdx", "call qword ptr [r15 + 16376]"]]).concat([`cmov${r.pick(CC)} ${ra}, ${rb}`]);
    // Shifts by a constant (0, 1, past the operand size for bytes), INC/DEC, NEG/NOT, CDQE/CQO and
    // the hint NOPs, their flags read right after: by a condition on flags the CPU defines for them
    // (so the native run agrees on any host), by INC's kept CF, or whole by PUSHF into XMM0, a sum
    // the exit status leaves out (AF and OF of a shift by more than 1 are the interpreter's choice,
    // AMD Zen's) but the lockstep compares at every slice.
    case 28: {
      const sh = r.pick(["shl", "shr", "sar", "sal"]);
      const byte = r.int(3) === 0, count = byte ? r.pick([1, 7, 8, 9, 31]) : r.pick([0, 1, 1, 2, 31, 32, 63, r.int(64)]);
      const masked = count & (w && !byte ? 63 : 31);
      const op = r.int(2)
        ? { text: `${sh} ${byte ? r.pick(R8) : ra}, ${count}`, cc: masked === 1 ? CC : byte && masked >= 8 ? ["e", "ne", "s", "ns", "p", "np"] : ["b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np"] }
        : {
            text: r.pick([`inc ${ra}`, `dec ${ra}`, `neg ${ra}`, `not ${ra}`, `neg ${r.pick(R8)}`, `not ${r.pick(LEGACY8)}`,
              r.pick(["cdqe", "cwde", "cqo", "cdq"]), "nop word ptr [rax + rax*1 + 0]", "nop dword ptr [rax]"]),
            cc: CC,
          };
      const reader = r.pick([[`set${r.pick(op.cc)} ${r.pick(R8)}`], [`inc ${r.pick(["rdx", "edx"])}`, "adc edx, 0", "add rsi, rdx"],
        ["pushfq", "pop rdx", "movq xmm1, rdx", "paddq xmm0, xmm1"]]);
      return [op.text, ...reader, `cmov${r.pick(op.cc)} ${ra}, ${rb}`];
    }
    // SSE2 moves and integer ops (aligned forms at aligned offsets; unaligned ones across pages
    // now and then), their results brought back to a general register.
    case 30: {
      const x = r.int(16), y = r.int(16), al = `xmmword ptr [r15 + ${16 * r.int(767)}]`;
      const un = `xmmword ptr [r15 + ${r.int(4) === 0 ? 4096 - 1 - r.int(15) : r.int(12272)}]`, q = mem(r, "qword");
      return [r.pick([
        `movdqu xmm${x}, ${un}`, `movdqu ${un}, xmm${x}`, `movups xmm${x}, ${un}`, `movdqa xmm${x}, ${al}`, `movaps ${al}, xmm${x}`,
        `movapd xmm${x}, xmm${y}`, `movdqa xmm${x}, xmm${y}`, `movups xmm${x}, xmm${y}`,
        `pxor xmm${x}, xmm${y}`, `pxor xmm${x}, xmm${x}`, `paddq xmm${x}, xmm${y}`, `psubq xmm${x}, ${al}`, `por xmm${x}, xmm${y}`, `pand xmm${x}, ${al}`,
        `movsd xmm${x}, ${q}`, `movsd ${q}, xmm${x}`, `movsd xmm${x}, xmm${y}`,
        `${r.pick(["addsd", "subsd", "mulsd", "divsd"])} xmm${x}, xmm${y}`, `${r.pick(["addsd", "subsd", "mulsd", "divsd"])} xmm${x}, ${q}`,
        `cvtsi2sd xmm${x}, ${r.pick([a, R32[a], q, mem(r, "dword")])}`,
        `${r.pick(["ucomisd", "comisd"])} xmm${x}, ${r.pick([`xmm${y}`, `xmm${x}`, q])}\n  set${r.pick(["b", "ae", "e", "ne", "be", "a", "p", "np"])} ${r.pick(R8)}`,
        // the packed integer ops, PSHUFD, PMOVMSKB, MOVHPS/MOVHPD/MOVLHPS, MOVQ m64, xmm, SQRTSD
        `${r.pick(PACKED)} xmm${x}, ${r.pick([`xmm${y}`, `xmm${x}`, al])}`, `pshufd xmm${x}, ${r.pick([`xmm${y}`, al])}, ${r.int(256)}`,
        `pmovmskb ${R32[a]}, xmm${y}`, `${r.pick(["movhps", "movhpd"])} xmm${x}, ${q}`, `movlhps xmm${x}, xmm${y}`, `movq ${q}, xmm${x}`,
        `sqrtsd xmm${x}, ${r.pick([`xmm${y}`, q])}`,
      ]), `movq ${a}, xmm${r.pick([x, y])}`];
    }
    // 16-bit forms (66: registers keep their bits above 16), shifts by CL (a count set just before,
    // so the reader can be one of the flags the CPU defines for it), ROL/ROR by a constant (CF read
    // after: OF is defined for a count of 1 only), BSWAP.
    case 31: {
      const a16 = R16[a], b16 = R16[b], w16 = mem(r, "word");
      const sh = r.pick(["shl", "shr", "sar"]), byte = r.int(3) === 0, size = byte ? 8 : r.pick([16, 32, 64]);
      const dst = byte ? r.pick(R8.filter((x) => x !== "cl" && x !== "ch")) : size === 16 ? a16 : size === 32 ? R32[a] : a;
      const count = r.pick([0, 1, 2, 7, 8, 15, 16, 17, 31, 32, 33, 63, r.int(256)]), masked = count & (size === 64 ? 63 : 31);
      const cc = masked === 1 ? CC : masked >= size ? ["e", "ne", "s", "ns", "p", "np"] : ["b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np"];
      const rot = r.pick(["rol", "ror"]), rc = r.pick([0, 1, 3, 8, 16, 31, 32, 63, r.int(64)]);
      const rdst = size === 16 ? a16 : size === 32 ? R32[a] : size === 64 ? a : r.pick(LEGACY8);
      return r.pick([
        [`${r.pick(ALU)} ${a16}, ${b16}`, `set${r.pick(CC)} ${r.pick(R8)}`], [`${r.pick(ALU)} ${a16}, ${imm16(r)}`, `cmov${r.pick(CC)} ${ra}, ${rb}`],
        [`${r.pick(ALU)} ${a16}, ${w16}`, `set${r.pick(CC)} ${r.pick(R8)}`], [`${r.pick(ALU)} ${w16}, ${a16}`], [`${r.pick(ALU)} ${w16}, ${imm16(r)}`, `set${r.pick(CC)} ${r.pick(R8)}`],
        [`test ${a16}, ${b16}`, `set${r.pick(CC)} ${r.pick(R8)}`], [`test ${w16}, ${r.int(65536)}`, `set${r.pick(CC)} ${r.pick(R8)}`], [`test ax, ${r.int(65536)}`, `cmov${r.pick(CC)} ${ra}, ${rb}`],
        [`mov ${w16}, ${a16}`], [`mov ${a16}, ${w16}`], [`mov ${a16}, ${b16}`], [`mov ${a16}, ${r.int(65536)}`], [`mov ${w16}, ${r.int(65536)}`],
        [`${r.pick(["inc", "dec", "neg", "not"])} ${a16}`, `set${r.pick(["e", "ne", "s", "ns", "p", "np"])} ${r.pick(R8)}`], [r.pick(["cbw", "cwd"])],
        [`${r.pick(["shl", "shr", "sar"])} ${a16}, ${r.pick([1, 3, 15])}`, `set${r.pick(["e", "ne", "s", "ns"])} ${r.pick(R8)}`],
        [`mov ecx, ${count}`, `${sh} ${dst}, cl`, `set${r.pick(cc)} ${r.pick(R8)}`, `cmov${r.pick(cc)} ${ra}, ${rb}`],
        [`${rot} ${rdst}, ${rc}`, `set${r.pick(["b", "ae"])} ${r.pick(R8)}`, `adc ${ra}, ${rb}`],
        [`bswap ${r.int(2) ? a : R32[a]}`],
        // ADC/SBB in their forms, after a flag producer (the carry-in), read after; MUL; IMUL by an
        // immediate; MOVD/MOVQ between general and XMM registers or memory.
        [`${r.pick(["cmp", "sub", "add", "test"])} ${ra}, ${rb}`, `${r.pick(["adc", "sbb"])} ${r.pick([`${ra}, ${rb}`, `${ra}, ${imm(r)}`, `${a16}, ${b16}`, `${r.pick(LEGACY8)}, ${r.pick(LEGACY8)}`, `${ra}, ${mem(r, w ? "qword" : "dword")}`, `${mem(r, w ? "qword" : "dword")}, ${ra}`, `${mem(r, "byte")}, ${r.int(256) - 128}`])}`, `set${r.pick(CC)} ${r.pick(R8)}`],
        [`${r.pick(["sbb", "adc"])} ${R32[a]}, ${R32[a]}`, `sbb ${r.pick(LEGACY8)}, ${r.pick(LEGACY8)}`],
        [`mov rax, ${a}`, `mul ${w ? b : R32[b]}`, `set${r.pick(["b", "ae", "o", "no"])} ${r.pick(R8)}`, `adc ${ra}, ${rb}`],
        [`imul ${ra}, ${r.int(2) ? rb : mem(r, w ? "qword" : "dword")}, ${r.pick(["3", "-7", "0x7fffffff", "-0x80000000", "1000"])}`, `set${r.pick(["b", "ae", "o", "no"])} ${r.pick(R8)}`],
        // IMUL r, m; DIV/IDIV r32, IDIV r64 (dividends that fit, divisors that cannot be 0 or -1:
        // no #DE; RDX = 0 under a negative RAX is a 128-bit dividend, the interpreter's); PUSH imm;
        // BSF/BSR (a zero source keeps the destination); SETcc m8.
        [`imul ${ra}, ${mem(r, w ? "qword" : "dword")}`, `set${r.pick(["b", "ae", "o", "no"])} ${r.pick(R8)}`],
        ...[b === "rax" || b === "rdx" ? "rbx" : b].map((d) => r.pick([
          [`mov rax, ${a}`, "xor edx, edx", `or ${R32[d]}, 3`, `div ${R32[d]}`],
          [`mov rax, ${a}`, "mov edx, 2", `or ${R32[d]}, 3`, `div ${R32[d]}`],
          [`mov rax, ${a}`, "cdq", `and ${R32[d]}, 0x7fffffff`, `or ${R32[d]}, 3`, ...(r.int(2) ? [`neg ${R32[d]}`] : []), `idiv ${R32[d]}`],
          [`mov rax, ${a}`, r.pick(["cqo", "xor edx, edx"]), `and ${d}, 0x7fffffff`, `or ${d}, 3`, ...(r.int(2) ? [`neg ${d}`] : []), `idiv ${d}`],
        ])),
        [`push ${r.pick(["-1", "0x7f", "-0x80", "0x12345678", "-0x80000000"])}`, `pop ${a}`],
        [`${r.pick(["bsf", "bsr"])} ${r.pick([`${ra}, ${rb}`, `${ra}, ${mem(r, w ? "qword" : "dword")}`])}`, `set${r.pick(["e", "ne"])} ${r.pick(R8)}`],
        [`${r.pick(["cmp", "sub", "test"])} ${ra}, ${rb}`, `set${r.pick(CC)} ${mem(r, "byte")}`],
        [r.pick([`movq xmm${r.int(16)}, ${a}`, `movd xmm${r.int(16)}, ${R32[a]}`, `movq ${a}, xmm${r.int(16)}`, `movd ${R32[a]}, xmm${r.int(16)}`,
          `movd xmm${r.int(16)}, ${mem(r, "dword")}`, `movq xmm${r.int(16)}, ${mem(r, "qword")}`, `movd ${mem(r, "dword")}, xmm${r.int(16)}`, `movq ${mem(r, "qword")}, xmm${r.int(16)}`])],
      ]);
    }
    case 29: return [`${r.pick(["shl", "shr", "sar"])} ${ra}, ${r.int(64)}`, `${r.pick(["add", "sub", "xor"])} ${ra}, ${rb}`, `adc ${ra}, ${rb}`];
    default: return [`${r.pick(["add", "sub", "cmp"])} ${ra}, ${r.pick(["0", "1", "-1", rb])}`, `set${r.pick(CC)} ${r.pick(R8)}`];
  }
}

/** The assembly of one program: `loops` loops of random bodies, each run `iterations` times (some patched and run again). */
export function randomLoops(seed: number, loops: number, iterations: number): string {
  const r = new Rng(seed);
  let n = 0;
  const label = (): string => `.L${n++}`;
  const out = [
    ".intel_syntax noprefix",
    '.section .rwx,"awx",@progbits',
    ".globl _start",
    "_start:",
    "  lea r15, [rip + buf]",
  ];
  // Some registers small (so compares meet equal and near values), some anything.
  for (const reg of R64) out.push(`  movabs ${reg}, ${r.int(2) ? r.u64() : BigInt(r.int(5)) - 2n}`);
  for (let x = 0; x < 16; x++) out.push(`  movdqu xmm${x}, xmmword ptr [r15 + ${16384 - 256 + 16 * x}]`);
  for (let i = 0; i < loops; i++) {
    const again = label(), top = label(), patch = label(), done = label();
    const smc = r.int(2) === 0;
    out.push("  xor r14d, r14d", `${again}:`, `  mov r12, ${iterations}`, `${top}:`);
    for (let k = 1 + r.int(6); k > 0; k--) out.push(...insn(r, label).map((l) => (l.endsWith(":") ? l : `  ${l}`)));
    // An immediate that the code below patches (48 81 C3 imm32: the immediate at +3).
    out.push(`${patch}:`, "  add rbx, 0x11223344", "  sub r12, 1", `  jnz ${top}`);
    // Patch it and run the loop again: the compiled trace holding it must not run the old one.
    if (smc) out.push("  test r14, r14", `  jnz ${done}`, `  add dword ptr [rip + ${patch} + 3], 0x01010101`, "  mov r14d, 1", `  jmp ${again}`);
    out.push(`${done}:`);
  }
  // Exit status: a fold of every register, so a wrong value would show natively too.
  out.push("  mov rdi, rax");
  for (const reg of R64.slice(1)) out.push(`  xor rdi, ${reg}`);
  out.push("  mov eax, 60", "  syscall");
  // The functions the loops call: flags made inside and read after the return; a branch inside.
  out.push("leaf1:", "  lea rax, [rax + rbx*2 + 7]", "  xor rcx, rax", "  cmp rcx, rsi", "  ret");
  out.push("leaf2:", "  add r8, r9", "  jns 1f", "  sub r8, 100", "1:", "  test r8, r10", "  ret");
  // The buffer starts with random data (loads see it, and the XMM registers are loaded from its end).
  out.push(".data", ".balign 4096", "buf:");
  for (let i = 0; i < 2048; i += 8) out.push(`  .quad ${Array.from({ length: 8 }, () => r.u64()).join(", ")}`);
  return out.join("\n") + "\n";
}

/**
 * Every form of the shifts by a constant, INC/DEC, NEG/NOT, CDQE/CQO, the byte and memory ALU and the SSE2 moves and
 * integer ops the JIT compiles, the 16-bit forms, shifts by CL, ROL/ROR and BSWAP, each in
 * a loop of its own over changing values: a compare right before it (so INC/DEC keep a CF the
 * compiled code computed), then PUSHF of all the flags it left, summed into XMM0, and its result
 * summed into XMM2. The compiled code leaves at the PUSHF (not compiled), so every pass checks the
 * lazy-flag record it left; XMM3 is summed into XMM0 every pass too, so a wrong value there stays
 * wrong; the lockstep test compares XMM0 and XMM2 at every slice.
 */
export function formLoops(): string {
  const forms: string[] = [];
  for (const reg of ["rax", "eax", "al", "ah"])
    for (const op of ["shl", "shr", "sar"])
      for (const c of [0, 1, 2, 7, 8, 9, 15, 16, 31, 32, 33, 63]) forms.push(`${op} ${reg}, ${c}`);
  // Twice each: after a compare of unequal values (odd places) and of equal ones (even places).
  for (const reg of ["rax", "eax", "rax", "eax"]) for (const op of ["inc", "dec", "neg", "not"]) forms.push(`${op} ${reg}`);
  forms.push("neg al", "neg ah", "not al", "not ah", "cdqe", "cwde", "cqo", "cdq", "nop word ptr [rax + rax*1 + 0]");
  // The SSE2 moves and integer ops, on XMM2 (which the loop changes every pass) and XMM3.
  // (A MOVSD load after XMM3's high half is made non-zero: from memory it clears it, from a register not.)
  forms.push("movdqa xmm3, xmm2\n  movsd xmm3, qword ptr [rip + fbuf + 8]", "movsd qword ptr [rip + fbuf + 16], xmm2",
    "pxor xmm3, xmm2\n  movsd xmm3, xmm0",
    "movdqu xmm3, xmmword ptr [rip + fbuf + 3]", "movdqa xmm3, xmmword ptr [rip + fbuf + 16]", "movups xmmword ptr [rip + fbuf + 33], xmm2",
    "movaps xmmword ptr [rip + fbuf + 32], xmm3", "movdqa xmm3, xmm2", "pxor xmm3, xmm2", "paddq xmm3, xmm2", "psubq xmm3, xmmword ptr [rip + fbuf]",
    "por xmm3, xmm2", "pand xmm3, xmmword ptr [rip + fbuf + 48]", "movdqu xmm2, xmmword ptr [rip + fbuf + 40]");
  // ADD OR AND SUB XOR on bytes (AH..BH too), AL/eAX with an immediate, memory destinations.
  const alu = forms.length;
  forms.push("add al, 0x7f", "sub ah, dl", "and bl, al", "or ah, 0x41", "xor cl, 0x80", "add eax, 0x7fffffff", "sub rax, -0x80000000",
    "xor al, byte ptr [rip + fbuf + 3]", "add byte ptr [rip + fbuf + 7], 0x90", "sub byte ptr [rip + fbuf + 5], ah",
    "add dword ptr [rip + fbuf + 12], eax", "xor qword ptr [rip + fbuf + 24], rax", "add qword ptr [rip + fbuf + 32], 0x1234",
    "sub dword ptr [rip + fbuf + 44], -3", "and qword ptr [rip + fbuf + 16], rdx", "or dword ptr [rip + fbuf + 40], 0x10001");
  // 16-bit forms (66 prefix): registers keep their bits above 16; memory at 2 bytes, across a word
  // the next form reads.
  forms.push("mov word ptr [rip + fbuf + 6], ax", "mov ax, word ptr [rip + fbuf + 10]", "mov dx, ax", "mov ax, 0x8001", "mov word ptr [rip + fbuf + 14], 0x4321",
    "add ax, dx", "sub ax, 0x1234", "cmp ax, 0x7fff", "test ax, 0x8001", "cmp word ptr [rip + fbuf + 2], 7", "test word ptr [rip + fbuf + 4], 0x8000",
    "and ax, 0xff0", "xor dx, ax", "or ax, word ptr [rip + fbuf + 8]", "add word ptr [rip + fbuf + 18], ax", "sub word ptr [rip + fbuf + 20], 5",
    "cmp ax, dx", "cmp dx, word ptr [rip + fbuf + 22]", "test ax, dx", "inc ax", "dec dx", "neg ax", "not dx", "shl ax, 3", "sar dx, 1", "shr ax, 15",
    "cbw", "cwd", "xchg ax, ax", "bswap eax", "bswap rax", "bswap edx", "mov r9, rax\n  bswap r9\n  mov rdx, r9");
  // ADC/SBB (the carry-in from the compare before), MUL, IMUL by an immediate, MOVD/MOVQ.
  forms.push("adc rax, rdx", "sbb eax, edx", "adc ax, 0x7fff", "sbb al, ah", "sbb eax, eax", "adc rax, qword ptr [rip + fbuf + 8]",
    "sbb dword ptr [rip + fbuf + 12], eax", "adc byte ptr [rip + fbuf + 5], 0x80", "sbb rax, -1",
    "mul rdx", "mul rbx", "mul edx", "mov rdx, rsi\n  mul rdx", "imul rax, rdx, -3", "imul eax, edx, 0x7fffffff", "imul rax, qword ptr [rip + fbuf + 16], 1000",
    "movq xmm3, rax", "movd xmm3, edx", "movq rdx, xmm2", "movd eax, xmm2", "movq xmm3, qword ptr [rip + fbuf + 8]", "movd dword ptr [rip + fbuf + 4], xmm2");
  // ADDSD MULSD SUBSD DIVSD: MXCSR's PE not yet set on the first pass (the interpreter's path), then
  // set; a denormal result (UE), a zero one, normal ones.
  forms.push("addsd xmm3, xmm2", "mulsd xmm3, qword ptr [rip + fbuf + 8]", "subsd xmm3, xmm3", "divsd xmm3, xmm2",
    "movsd xmm3, qword ptr [rip + fbuf + 96]\n  mulsd xmm3, qword ptr [rip + fbuf + 104]", "movsd xmm3, qword ptr [rip + fbuf + 104]\n  addsd xmm3, qword ptr [rip + fbuf + 104]",
    // CVTSI2SD of 32- and 64-bit integers (exact, and past 2^53: rounded by the interpreter), UCOMISD
    // and COMISD of equal, ordered and unordered (a NaN: 0xfff... in fbuf) and denormal operands.
    "cvtsi2sd xmm3, eax", "cvtsi2sd xmm3, rax", "shr rax, 12\n  cvtsi2sd xmm3, rax", "cvtsi2sd xmm3, dword ptr [rip + fbuf + 4]",
    // (a rounded one with PE clear, and rounding toward zero: MXCSR from the two dwords after fbuf's quads)
    // (the JMP ends the trace LDMXCSR starts, which is interpreted whole: the next one is compiled)
    "ldmxcsr dword ptr [rip + fbuf + 128]\n  jmp 1f\n1:\n  cvtsi2sd xmm3, rax", "ldmxcsr dword ptr [rip + fbuf + 132]\n  jmp 1f\n1:\n  cvtsi2sd xmm3, rax\n  ldmxcsr dword ptr [rip + fbuf + 128]",
    "ucomisd xmm3, xmm2", "comisd xmm3, xmm3", "ucomisd xmm2, qword ptr [rip + fbuf + 8]", "comisd xmm3, qword ptr [rip + fbuf + 96]",
    "movsd xmm3, qword ptr [rip + fbuf + 112]\n  ucomisd xmm3, xmm2", "movsd xmm3, qword ptr [rip + fbuf + 120]\n  comisd xmm2, xmm3",
    "cvtsi2sd xmm3, edx\n  cvtsi2sd xmm1, edx\n  ucomisd xmm3, xmm1", "cvtsi2sd xmm3, edx\n  cvtsi2sd xmm1, eax\n  comisd xmm3, xmm1");
  // Shifts by CL, every count 0..64 over the loop's passes (r12 runs 40 down to 1; + 24: 25..64, so
  // 32 and 64, counts of 0 once masked), and ROL/ROR by constants.
  for (const reg of ["rax", "eax", "ax", "al", "ah"]) {
    for (const op of ["shl", "shr", "sar"]) forms.push(`mov ecx, r12d\n  ${op} ${reg}, cl`, `lea ecx, [r12 + 24]\n  ${op} ${reg}, cl`);
    for (const op of ["rol", "ror"]) for (const c of [0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 63]) forms.push(`${op} ${reg}, ${c}`);
  }
  // The forms compiled since (compile.ts ownForm): packed integer ops, PSHUFD, PMOVMSKB, MOVHPS and
  // MOVLHPS, MOVQ m64, xmm, SQRTSD (positive, negative and denormal operands), IMUL r, m, DIV/IDIV
  // r32 and IDIV r64 (dividends that fit and a 128-bit one), DIV/IDIV m32/m64, PUSH imm, BSF/BSR/TZCNT/LZCNT (a zero
  // source too), SETcc m8.
  for (const p of PACKED) forms.push(`${p} xmm3, xmm2`);
  forms.push("pcmpeqb xmm3, xmmword ptr [rip + fbuf + 16]", "punpcklbw xmm3, xmmword ptr [rip + fbuf + 32]", "pandn xmm3, xmmword ptr [rip + fbuf]",
    "pcmpeqb xmm3, xmm3", "pshufd xmm3, xmm2, 0x1b", "pshufd xmm3, xmmword ptr [rip + fbuf + 48], 0xe4", "pshufd xmm3, xmm3, 0",
    "pmovmskb eax, xmm2", "pcmpeqb xmm3, xmm2\n  pmovmskb edx, xmm3", "movhps xmm3, qword ptr [rip + fbuf + 8]", "movhpd xmm3, qword ptr [rip + fbuf + 27]",
    "movlhps xmm3, xmm2", "movq qword ptr [rip + fbuf + 40], xmm2", "sqrtsd xmm3, xmm2", "sqrtsd xmm3, qword ptr [rip + fbuf + 104]",
    "movsd xmm3, qword ptr [rip + fbuf + 104]\n  sqrtsd xmm3, qword ptr [rip + fbuf + 16]", "movsd xmm3, qword ptr [rip + fbuf + 104]\n  sqrtsd xmm3, qword ptr [rip + fbuf + 120]",
    // (a negative normal operand with MXCSR's IE clear and PE set: the interpreter raises IE, which MXCSR, stored into fbuf, shows)
    "ldmxcsr dword ptr [rip + fbuf + 136]\n  jmp 1f\n1:\n  movsd xmm3, qword ptr [rip + fbuf + 104]\n  sqrtsd xmm3, qword ptr [rip + fbuf + 8]\n  stmxcsr dword ptr [rip + fbuf + 44]",
    "imul rax, qword ptr [rip + fbuf + 8]", "imul eax, dword ptr [rip + fbuf + 12]", "imul rdx, qword ptr [rip + fbuf + 96]",
    "xor edx, edx\n  mov ecx, 7\n  div ecx", "mov edx, 6\n  mov ecx, 7\n  div ecx", "cdq\n  mov ecx, -7\n  idiv ecx", "cdq\n  mov ecx, 0x7fffffff\n  idiv ecx",
    "cqo\n  mov rcx, -3\n  idiv rcx", "cqo\n  mov rcx, 0x7fffffffffffffff\n  idiv rcx", "xor edx, edx\n  mov rcx, 5\n  idiv rcx", "cqo\n  mov rcx, rax\n  or rcx, 1\n  idiv rcx",
    "xor edx, edx\n  div dword ptr [rip + fbuf + 60]", "cdq\n  idiv dword ptr [rip + fbuf + 48]", "xor edx, edx\n  div qword ptr [rip + fbuf + 24]",
    "cqo\n  idiv qword ptr [rip + fbuf + 8]",
    "push 0x7f\n  pop rdx", "push -0x80000000\n  pop rdx", "bsf rax, rdx", "bsr eax, edx", "bsf rdx, rsi", "xor edx, edx\n  bsf rax, rdx", "xor edx, edx\n  bsr eax, edx",
    "tzcnt rax, rdx", "lzcnt eax, edx", "bsr rax, qword ptr [rip + fbuf + 8]", "bsf eax, dword ptr [rip + fbuf + 60]", "xor edx, edx\n  bsf eax, dword ptr [rip + fbuf + 100]",
    "setne byte ptr [rip + fbuf + 9]", "setb byte ptr [rip + fbuf + 17]", "setl byte ptr [rip + fbuf + 33]");
  const aluEnd = forms.length;
  const mixed = forms.length;
  // And at the edges of the signed range (OF of INC, DEC and NEG): the sign bit -20..+19.
  for (const [reg, base] of [["rax", "0x8000000000000000"], ["eax", "0x80000000"]]) for (const op of ["inc", "dec", "neg"]) forms.push(`${op} ${reg}`, `${op} ${reg}`);
  const out = [".intel_syntax noprefix", ".globl _start", "_start:", "  mov rbx, 0x0123456789abcdef", "  mov rsi, 0x00000000ffffffff", "  pxor xmm0, xmm0",
    "  movdqu xmm2, xmmword ptr [rip + fbuf + 64]", "  movdqu xmm3, xmmword ptr [rip + fbuf + 80]"];
  forms.forEach((f, i) => {
    const value = i < mixed ? ["  lea rbx, [rbx + rbx*4 + 0x3b9aca07]", "  mov rax, rbx", i % 2 ? "  xor rax, rsi" : "  add rax, rbx"]
      : ["  lea rax, [r12 - 20]", `  mov rcx, ${f.includes("rax") ? "0x8000000000000000" : "0x80000000"}`, "  add rax, rcx"];
    out.push("  mov r12, 40", `.Lf${i}:`, ...value,
      "  mov rdx, rax", i % 2 ? "  cmp rax, rsi" : "  cmp rdx, rax", `  ${f}`, "  pushfq", "  pop rcx", "  movq xmm1, rcx", "  paddq xmm0, xmm1", "  movq xmm1, rax", "  paddq xmm2, xmm1",
      "  movq xmm1, rdx", "  paddq xmm2, xmm1", "  paddq xmm0, xmm3",
      // (the memory the ALU forms write, summed too)
      ...(i >= alu && i < aluEnd ? [0, 16, 32].flatMap((o) => [`  movdqu xmm1, xmmword ptr [rip + fbuf + ${o}]`, "  paddq xmm2, xmm1"]) : []),
      "  sub r12, 1", `  jnz .Lf${i}`);
  });
  out.push("  xor edi, edi", "  mov eax, 60", "  syscall");
  out.push(".data", ".balign 16", "fbuf:", "  .quad 0x0123456789abcdef, 0xfedcba9876543210, 0x8000000000000001, 0x7fffffffffffffff",
    "  .quad 0x00ff00ff00ff00ff, 0xdeadbeefcafef00d, 0x1111111111111111, 0x8888888888888888",
    "  .quad 0x243f6a8885a308d3, 0x13198a2e03707344, 0xa4093822299f31d0, 0x082efa98ec4e6c89",
    "  .quad 0x0010000000000000, 0x3fe0000000000000, 0x7ff8000000000001, 0x0000000000000001", // the smallest normal double, 0.5, a NaN, a denormal
    "  .long 0x1f80, 0x7fa0, 0x1fa0"); // MXCSR: the default (PE clear), rounding toward zero (PE set), the default with PE set
  return out.join("\n") + "\n";
}
