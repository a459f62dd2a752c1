// Cases made from the instruction table's rows (src/isa/table.ts): for each row
// an encoding built from its opcode, prefix class, /digit, form and shape, at
// each operand size, with random operands and random incoming flags. Used by
// test/cpu/insn-table.test.ts to hold every row's flag facts against the
// interpreter and the host CPU.
import { Case, FLAG_DF } from "../harness.js";
import { Rng } from "./rng.js";
import { stdRegs, stdBlock, randFlags, FREE_REGS, RBX, MEM_BASE } from "./state.js";
import { le } from "./encode.js";
import { ROWS, Row, rowFor, shapeOf, ARITH, undefBits } from "../../../src/isa/table.js";

export interface RowCase extends Case {
  row: Row;
  count?: number; // the masked shift count of a row whose flags the count decides
}

const PF_BYTE = [[], [0x66], [0xf2], [0xf3]];
const ESCAPE = [[], [0x0f], [0x0f, 0x38], [0x0f, 0x3a]];

// The operand sizes a row is run at: 66 changes the prefix class, so rows of
// a prefix class or opcodes with SIMD rows keep theirs.
function sizes(r: Row, mem: boolean, ext: number): number[] {
  const out = [4, 8];
  if (r.pf === undefined && rowFor(r.op, 1, mem, ext) === r) out.push(2);
  return out;
}

// A near branch, call or return: with 66 AMD (the core's model) cuts RIP to 16 bits and pushes or
// pops 2 bytes (exec/branch.ts); Intel ignores the prefix, so those cases are compared on AMD hosts only.
const nearBranch = (r: Row, ext: number): boolean => !!r.rel || r.op === 0xc2 || r.op === 0xc3 || (r.op === 0xff && (ext === 2 || ext === 4));
// MOV CRn/DRn: LOCK MOV CR0 is AMD's other encoding of CR8 (#GP on a host that has it; the core's
// CPUID does not report it: #UD), so a LOCK case names another register; DR4/DR5 are #UD on Intel
// with CR4.DE set, #GP on the AMD host (aliases of DR6/DR7 there).
const MOV_CR_DR = [0x120, 0x121, 0x122, 0x123];

/** The rows the cases cover: every row not marked `sample: false`, not a prefix or an invalid opcode's. */
export const sampledRows = (): Row[] => ROWS.filter((r) => r.sample !== false && r.shape !== "p" && r.shape !== "x");

export function rowCases(rng: Rng, perRow: number): RowCase[] {
  const out: RowCase[] = [];
  for (const r of sampledRows()) {
    const modrm = "mBZg".includes(r.shape);
    // perRow encodings, then one with LOCK and a memory operand (#UD unless the form is lockable)
    for (let k = 0; k <= perRow; k++) {
      const lock = k === perRow;
      if (lock && (!modrm || r.form === "reg")) break;
      const mem = lock || (r.form ? r.form === "mem" : modrm && rng.int(3) === 0);
      const ext = r.ext ?? rng.int(8);
      if (rowFor(r.op, r.pf ?? 0, mem, ext) !== r) { if (lock) break; k--; continue; }  // another row is more specific there
      for (const size of sizes(r, mem, ext)) {
        const regs = stdRegs(rng), block = stdBlock(rng);
        const bytes: number[] = [...(lock ? [0xf0] : []), ...PF_BYTE[r.pf ?? 0]];
        if (size === 2 && r.pf === undefined) bytes.push(0x66);
        const reg = r.ext ?? rng.pick(lock && MOV_CR_DR.includes(r.op) ? FREE_REGS.filter((x) => x % 8 !== 0) : FREE_REGS);
        const rm = rng.pick(FREE_REGS.filter((x) => x !== reg));
        let rex = size === 8 ? 8 : 0;
        if (modrm && reg >= 8) rex |= 4;
        if (modrm && !mem && rm >= 8) rex |= 1;
        if (rex) bytes.push(0x40 | rex);
        bytes.push(...ESCAPE[r.op >> 8], r.op & 0xff);
        // The rows that take an address from a register or the stack (branches, ENTER, LEAVE) get
        // random ones (mostly non-canonical: #GP at a branch, #SS for the stack) in half the cases,
        // canonical ones (lower half) and aligned memory operands in the other half.
        const addresses = r.ends || r.op === 0xc8 || r.op === 0xc9;
        const canonical = addresses && rng.int(2) === 0;
        if (canonical) {
          for (let i = 0; i < 16; i++) if (i !== 3 && i !== 4) regs[i] &= 0x7fff_ffff_ffffn;
          for (let i = 5; i < block.length; i += 8) { block[i] &= 0x7f; block[i + 1] = 0; block[i + 2] = 0; }
        }
        const disp = canonical ? rng.int(8) * 8 : rng.int(64);
        if (modrm) bytes.push(mem ? 0x40 | ((reg & 7) << 3) | RBX : 0xc0 | ((reg & 7) << 3) | (rm & 7));
        if (modrm && mem) bytes.push(disp);
        // the immediate: zero for a branch displacement (so control reaches the INT3 after it)
        const byteOp = (r.op & 1) === 0 && r.op < 0x100;
        const immSize = (kind: "z" | "b" | "w"): number => kind === "b" ? 1 : kind === "w" ? 2 : size === 2 ? 2 : 4;
        const rand = (n: number): number[] => r.rel ? new Array(n).fill(0) : Array.from({ length: n }, () => rng.int(256));
        let count: number | undefined;
        switch (r.shape) {
          case "b": case "B": {
            const b = rand(1);
            if (r.flags.by === "count") b[0] = rng.pick([0, 1, 2, 7, 8, 9, 16, 31, 32, 33, 63, 64, 255]);
            bytes.push(...b);
            count = b[0];
            break;
          }
          case "w": bytes.push(...rand(2)); break;
          case "z": case "Z": bytes.push(...rand(immSize("z"))); break;
          case "v": bytes.push(...rand(size)); break;
          case "e": bytes.push(rng.int(64), 0, rng.int(4)); break;          // ENTER: a small frame
          case "o": bytes.push(...le(MEM_BASE + BigInt(disp), 8)); break;   // moffs: inside the block
          case "g": if (ext < 2) bytes.push(...rand(byteOp ? 1 : immSize("z"))); break;
        }
        if (r.flags.by === "count") {
          if (r.shape === "m") {                                              // D0/D1 by 1, D2/D3/A5/AD by CL
            const one = r.op === 0xd0 || r.op === 0xd1;
            const cl = rng.pick([0, 1, 2, 7, 8, 9, 16, 17, 31, 32, 33, 63, 64, 255]);
            if (!one) regs[1] = (regs[1] & ~0xffn) | BigInt(cl);
            count = one ? 1 : cl;
          }
          const opSize = byteOp && r.op >> 8 === 0 ? 1 : size;
          count = (count ?? 0) & (opSize === 8 ? 63 : 31);
        }
        // An undefined result beyond the flags (docs/cpu-model.md): compared only on a host of the core's vendor.
        const vendorSpecific = size === 2 && nearBranch(r, ext) ? "a near branch with 66 (AMD: 16-bit RIP)"
          : (r.op === 0x121 || r.op === 0x123) && (reg === 4 || reg === 5) ? "MOV DR4/DR5"
          : r.op === 0xc8 && addresses && !canonical ? "ENTER's order of stores and checks"
          : r.op === 0x1bc || r.op === 0x1bd ? "BSF/BSR (a zero source leaves the destination)"
          : (r.op & 0xff0) === 0x1c0 && r.op >= 0x1c8 && size === 2 ? "BSWAP r16"
          : [0x1a4, 0x1a5, 0x1ac, 0x1ad].includes(r.op) && size === 2 ? "16-bit SHLD/SHRD (by more than 16)" : undefined;
        out.push({
          name: `${r.mnemonic} [${bytes.map((b) => b.toString(16).padStart(2, "0")).join(" ")}]`,
          code: bytes, regs, block, rflags: randFlags(rng), row: r, count,
          flagMask: (BigInt(ARITH & ~undefBits(r.flags)) | FLAG_DF), vendorSpecific,
        });
      }
    }
  }
  return out;
}

/** Every opcode in the four maps has a shape (the decoder's only question). */
export const allShapes = (): string => Array.from({ length: 0x400 }, (_, op) => shapeOf(op)).join("");

// The host runs these encodings as #UD too, whatever its model: other gaps are valid somewhere
// (8F: AMD's XOP on older models; C6/C7 /7: Intel's XABORT/XBEGIN; 0F C7: RDRAND, XSAVEC and
// the like, which the core does not advertise).
const HOST_GAPS = new Set([0x8c, 0x8d, 0xc6, 0xc7, 0xfe, 0xff, 0x1ba]);

/** One case per encoding of an opcode with a ModRM byte that no row fits: #UD in the core. */
export function gapCases(rng: Rng): Array<Case & { host: boolean }> {
  const out: Array<Case & { host: boolean }> = [];
  for (let op = 0; op < 0x200; op++) {
    const shape = shapeOf(op);
    if (!"mBZg".includes(shape)) continue;
    for (const mem of [false, true]) for (let ext = 0; ext < 8; ext++) {
      if ([0, 1, 2, 3].some((pf) => rowFor(op, pf, mem, ext))) continue;
      const regs = stdRegs(rng), block = stdBlock(rng);
      const imm = shape === "B" ? [rng.int(256)] : shape === "Z" ? [1, 2, 3, 4] : shape === "g" && ext < 2 ? [1, 2, 3, 4] : [];
      const code = [...ESCAPE[op >> 8], op & 0xff, mem ? 0x40 | (ext << 3) | RBX : 0xc0 | (ext << 3) | rng.int(8), ...(mem ? [rng.int(64)] : []), ...imm];
      // 0F 0D with a register operand: #UD on AMD, the core's model (a NOP on some Intel models).
      const amd = op === 0x10d && !mem;
      const host = amd || (HOST_GAPS.has(op) && !((op === 0xc6 || op === 0xc7) && ext === 7));
      out.push({
        name: `${op.toString(16)} ${mem ? "memory" : "register"} /${ext} (no row)`, code, regs, block, rflags: randFlags(rng), host,
        vendorSpecific: amd ? "0F 0D with a register operand" : undefined,
      });
    }
  }
  return out;
}
