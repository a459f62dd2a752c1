// x86-64 instruction decoder: legacy prefixes, REX, the one-byte, 0F, 0F38 and
// 0F3A maps, ModRM/SIB, RIP-relative addressing, displacements and immediates.
// It fills one decoded slot (decoder/slot.ts) and marks the code pages it read.
// An instruction's facts (its shape, which /digits exist, LOCK, trace end, fast
// form, flags) are its rows in the instruction table, src/isa/table.ts (see
// decoder/README.md); decoder/insns.ts is their generated, compiled-in copy.
import * as S from "./slot";
// Shapes (does a ModRM byte follow, which immediate) come from the instruction table (src/isa/table.ts),
// compiled in as decoder/insns.ts.
import { shapeOf, formValid, prefixKind, PFX_NONE, PFX_REX, PFX_OPSIZE, PFX_ADDR32, PFX_REP, PFX_REPNE, PFX_LOCK, PFX_FS, PFX_GS, SHAPE_MODRM, SHAPE_INVALID, IMM_B, IMM_W, IMM_Z, IMM_V, IMM_E, IMM_O, IMM_G, F_JCC, F_JMP, F_CALL } from "./insns";
import { walk, walkError, walkPhys, canonical, ACC_FETCH } from "../mmu/pagewalk";
import { tlbFlush } from "../mmu/tlb";
import { PHYS_BASE, CODE_PAGES, STATE, S_PHYS_SIZE } from "../memmap";
import { raisePageFault, raise, exc } from "../cpu/state";
import { EXIT_GP, EXIT_INVALID_OPCODE } from "../cpu/exits";
import { classify } from "./classify";
import { dcMark } from "./cacheflush";

// Opcode value used for instructions that must raise #UD when executed.
export const OP_INVALID: u16 = 0xFFFF;

let fetchVpn: u64 = 0xFFFFFFFFFFFFFFFF;
let fetchLin: u64 = 0;
let pos: u64 = 0;
export function resetDecode(): void { fetchVpn = 0xFFFFFFFFFFFFFFFF; fetchLin = 0; pos = 0; }

function fetch8(): u32 {
  const vpn = pos >> 12;
  if (vpn != fetchVpn) {
    walk(pos, ACC_FETCH);
    if (walkError != 0) {
      if (walkError == 0xFFFFFFFF) raise(EXIT_GP, 0, pos); else raisePageFault(pos, walkError);
      return 0;
    }
    const ppn = walkPhys >> 12;
    if (walkPhys >= load<u64>(STATE + S_PHYS_SIZE)) { raisePageFault(pos, 8); return 0; }
    // The page's code mark gets the running space's bit (cacheflush.ts); a new code page drops
    // the write-TLB entries, so stores to it take the slow path.
    const mark = <u32>load<u16>(CODE_PAGES + (<u32>ppn << 1));
    if ((mark & dcMark) == 0) {
      store<u16>(CODE_PAGES + (<u32>ppn << 1), <u16>(mark | dcMark));
      if (mark == 0) tlbFlush();
    }
    fetchVpn = vpn;
    fetchLin = <u64>PHYS_BASE + (walkPhys & ~<u64>0xFFF);
  }
  const b = <u32>load<u8>(<usize>(fetchLin + (pos & 0xFFF)));
  pos++;
  return b;
}

function fetchN(n: u32): u64 {
  let v: u64 = 0;
  for (let i: u32 = 0; i < n; i++) v |= <u64>fetch8() << (i << 3);
  return v;
}

// Decode the instruction at `rip` into `slot`. Returns false after raising a
// fault (fetch #PF, or #GP for an instruction longer than 15 bytes).
export function decode(rip: u64, slot: usize): bool {
  fetchVpn = 0xFFFFFFFFFFFFFFFF;
  pos = rip;
  let pfx: u32 = 0, seg: u32 = 0, rex: u32 = 0;
  let b = fetch8();
  // Legacy prefixes, in any order (which bytes are which: the table's `prefix`
  // column); a REX prefix counts only right before the opcode (one followed by a
  // legacy prefix is ignored, as the CPU does).
  while (true) {
    if (exc != 0) return false;
    const k = prefixKind(b);
    if (k == PFX_NONE) break;
    if (k == PFX_REX) rex = b;
    else {
      if (k == PFX_OPSIZE) pfx |= S.P_OPSIZE;
      else if (k == PFX_ADDR32) pfx |= S.P_ADDR32;
      else if (k == PFX_REP) pfx = (pfx & ~S.P_REPNE) | S.P_REP;
      else if (k == PFX_REPNE) pfx = (pfx & ~S.P_REP) | S.P_REPNE;
      else if (k == PFX_LOCK) pfx |= S.P_LOCK;
      else if (k == PFX_FS) seg = S.SEG_FS;
      else if (k == PFX_GS) seg = S.SEG_GS;
      // else a null segment (ES CS SS DS in 64-bit mode): nothing
      rex = 0;
    }
    if (pos - rip > 14) { raise(EXIT_GP, 0, rip); return false; }
    b = fetch8();
  }
  let op: u32 = b;
  if (b == 0x0F) {
    b = fetch8();
    if (b == 0x38) { op = 0x200 | fetch8(); }
    else if (b == 0x3A) { op = 0x300 | fetch8(); }
    else op = 0x100 | b;
  }
  if (exc != 0) return false;

  let shape = shapeOf(op);
  const osz: u32 = (rex & S.REX_W) != 0 ? 8 : ((pfx & S.P_OPSIZE) != 0 ? 2 : 4);
  let modrm: u32 = 0, reg: u32 = 0, rm: u32 = 0;
  let base: u32 = S.R_NONE, index: u32 = S.R_NONE, scale: u32 = 0;
  let disp: i32 = 0;
  let imm: u64 = 0, imm2: u32 = 0;

  if ((shape & SHAPE_MODRM) != 0) {
    modrm = fetch8();
    const mod = modrm >> 6;
    reg = ((modrm >> 3) & 7) | ((rex & S.REX_R) << 1);
    rm = modrm & 7;
    if (mod == 3) {
      rm |= (rex & S.REX_B) << 3;
    } else {
      pfx |= S.P_MEM;
      if (rm == 4) {
        const sib = fetch8();
        scale = sib >> 6;
        const idx = ((sib >> 3) & 7) | ((rex & S.REX_X) << 2);
        if (idx != 4) index = idx;
        const bs = sib & 7;
        if (bs == 5 && mod == 0) { base = S.R_NONE; disp = <i32>fetchN(4); }
        else base = bs | ((rex & S.REX_B) << 3);
      } else if (rm == 5 && mod == 0) {
        base = S.R_RIP;
        disp = <i32>fetchN(4);
      } else {
        base = rm | ((rex & S.REX_B) << 3);
      }
      if (mod == 1) disp = <i32><i8>fetch8();
      else if (mod == 2) disp = <i32>fetchN(4);
      rm |= (rex & S.REX_B) << 3;
    }
  } else if ((op < 0x100 && ((op & 0xF0) == 0x50 || (op & 0xF8) == 0x90 || (op & 0xF0) == 0xB0)) || (op & 0x3F8) == 0x1C8) {
    // +r encodings: 50+r, 58+r, 90+r, B0+r, B8+r, 0F C8+r
    reg = (op & 7) | ((rex & S.REX_B) << 3);
  }

  switch ((shape >> 1) & 0xF) {
    case IMM_B: imm = <u64><i64><i8>fetch8(); break;
    case IMM_W: imm = fetchN(2); break;
    case IMM_Z: imm = osz == 2 ? fetchN(2) : <u64><i64><i32>fetchN(4); break;
    case IMM_V: imm = osz == 8 ? fetchN(8) : fetchN(osz); break;
    case IMM_E: imm = fetchN(2); imm2 = fetch8(); break;
    case IMM_O: imm = (pfx & S.P_ADDR32) != 0 ? fetchN(4) : fetchN(8); break;
    case IMM_G:
      if (((modrm >> 3) & 7) < 2) {
        if (op == 0xF6) imm = <u64><i64><i8>fetch8();
        else imm = osz == 2 ? fetchN(2) : <u64><i64><i32>fetchN(4);
      }
      break;
  }
  if (exc != 0) return false;
  // A /digit or register/memory form the table has no row for is #UD when it runs.
  if ((shape & SHAPE_MODRM) != 0 && !formValid(op, modrm)) shape |= SHAPE_INVALID;
  const len = pos - rip;
  if (len > 15) { raise(EXIT_GP, 0, rip); return false; }

  store<u16>(slot + S.D_OP, (shape & SHAPE_INVALID) != 0 ? OP_INVALID : <u16>op);
  store<u8>(slot + S.D_LEN, <u8>len);
  store<u8>(slot + S.D_PFX, <u8>pfx);
  store<u8>(slot + S.D_REX, <u8>rex);
  store<u8>(slot + S.D_MODRM, <u8>modrm);
  store<u8>(slot + S.D_REG, <u8>reg);
  store<u8>(slot + S.D_RM, <u8>rm);
  store<u8>(slot + S.D_BASE, <u8>base);
  store<u8>(slot + S.D_INDEX, <u8>index);
  store<u8>(slot + S.D_SCALE, <u8>scale);
  store<u8>(slot + S.D_SEG, <u8>seg);
  store<i32>(slot + S.D_DISP, disp);
  store<u64>(slot + S.D_IMM, imm);
  store<u8>(slot + S.D_OSZ, <u8>osz);
  store<u8>(slot + S.D_IMM2, <u8>imm2);
  store<u8>(slot + S.D_ASZ, (pfx & S.P_ADDR32) != 0 ? 4 : 8);
  store<u16>(slot + S.D_RAWOP, <u16>op); // kept for #UD reports
  store<u16>(slot + S.D_ROW, 0);
  let fast: u8 = (shape & SHAPE_INVALID) != 0 ? 0 : classify(slot);
  // A direct branch to a non-canonical address is #GP at the branch (exec/branch.ts): only the
  // generic executor checks, so such a branch gets no fast form (and the JIT does not compile it).
  if ((fast == F_JCC || fast == F_JMP || fast == F_CALL) && !canonical(pos + imm)) fast = 0;
  store<u8>(slot + S.D_FAST, fast);
  return true;
}

export function invalidOpcode(): void { raise(EXIT_INVALID_OPCODE, 0, 0); }
