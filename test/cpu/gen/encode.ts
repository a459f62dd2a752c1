// A tiny x86-64 encoder for test generators: prefixes, REX, opcode, ModRM with
// a register or a [base + disp] memory operand, immediate bytes.
export type Operand = { reg: number } | { base: number; disp?: number; index?: number; scale?: number };

export interface Insn {
  pfx?: number[];     // legacy prefixes (66, F2, F3, F0 ...), emitted before REX
  w?: boolean;        // REX.W
  rex?: boolean;      // force a REX prefix (SPL/BPL/SIL/DIL byte registers)
  op: number[];       // opcode bytes (incl. 0F escapes)
  reg?: number;       // ModRM.reg (register number or /digit)
  rm?: Operand;       // ModRM.rm; omitted: no ModRM
  opreg?: number;     // +r register folded into the last opcode byte
  imm?: number[];     // immediate bytes
}

export function le(v: bigint | number, n: number): number[] {
  let x = BigInt.asUintN(n * 8, BigInt(v));
  const out: number[] = [];
  for (let i = 0; i < n; i++) { out.push(Number(x & 0xffn)); x >>= 8n; }
  return out;
}

export function encode(i: Insn): number[] {
  const out: number[] = [...(i.pfx ?? [])];
  let rex = i.w ? 8 : 0;
  if ((i.reg ?? 0) >= 8) rex |= 4;
  if (i.rm && "reg" in i.rm && i.rm.reg >= 8) rex |= 1;
  if (i.rm && "base" in i.rm) {
    if (i.rm.base >= 8) rex |= 1;
    if ((i.rm.index ?? 4) >= 8) rex |= 2;
  }
  if ((i.opreg ?? 0) >= 8) rex |= 1;
  if (rex || i.rex) out.push(0x40 | rex);
  const op = [...i.op];
  if (i.opreg !== undefined) op[op.length - 1] += i.opreg & 7;
  out.push(...op);
  if (i.rm) {
    const reg = (i.reg ?? 0) & 7;
    if ("reg" in i.rm) {
      out.push(0xc0 | (reg << 3) | (i.rm.reg & 7));
    } else {
      const disp = i.rm.disp ?? 0;
      const d8 = disp >= -128 && disp <= 127;
      const mod = d8 ? 1 : 2;
      const useSib = (i.rm.base & 7) === 4 || i.rm.index !== undefined;
      out.push((mod << 6) | (reg << 3) | (useSib ? 4 : i.rm.base & 7));
      if (useSib) out.push(((i.rm.scale ?? 0) << 6) | (((i.rm.index ?? 4) & 7) << 3) | (i.rm.base & 7));
      out.push(...le(disp, d8 ? 1 : 4));
    }
  }
  out.push(...(i.imm ?? []));
  return out;
}
