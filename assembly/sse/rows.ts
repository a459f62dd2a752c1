// The SIMD table (sse/table.ts) as the interpreter reads it: parsed once when
// the module starts into per-row words and a lookup from (map, opcode,
// mandatory prefix) to the first row of that encoding; rows of one encoding
// that differ in /digit or in register/memory form are chained. A name the
// parser does not know stops the module at start-up (every test would fail).
import { SIMD_TABLE } from "./table";

// Executors (the table's last column), in the order of EXEC_NAMES.
export const X_LOAD128: u32 = 1, X_STORE128: u32 = 2, X_MOVSLOAD: u32 = 3, X_MOVSSTORE: u32 = 4,
  X_MOVLO: u32 = 5, X_MOVHI: u32 = 6, X_MOVLOST: u32 = 7, X_MOVHIST: u32 = 8, X_UNPCKL: u32 = 9, X_UNPCKH: u32 = 10,
  X_MOVSLDUP: u32 = 11, X_MOVSHDUP: u32 = 12, X_MOVDDUP: u32 = 13, X_CVTPI2PS: u32 = 14, X_CVTPI2PD: u32 = 15,
  X_CVTSI2S: u32 = 16, X_CVTPS2PI: u32 = 17, X_CVTPD2PI: u32 = 18, X_CVTS2SI: u32 = 19, X_COMIS: u32 = 20,
  X_MOVMSK: u32 = 21, X_FPARITH: u32 = 22, X_APPROX: u32 = 23, X_FPLOGIC: u32 = 24, X_CVT5A: u32 = 25,
  X_CVT5B: u32 = 26, X_VEC: u32 = 27, X_MOVDTO: u32 = 28, X_LOAD64: u32 = 29, X_PSHUFW: u32 = 30, X_PSHUF: u32 = 31,
  X_SHIFTIMM: u32 = 32, X_EMMS: u32 = 33, X_HORIZ: u32 = 34, X_MOVDFROM: u32 = 35, X_MOVQLOAD: u32 = 36,
  X_STORE64: u32 = 37, X_GROUP15: u32 = 38, X_POPCNT: u32 = 39, X_MOVNTI: u32 = 40, X_PINSRW: u32 = 41,
  X_PEXTRW: u32 = 42, X_SHUFP: u32 = 43, X_ADDSUB: u32 = 44, X_MOVQSTORE: u32 = 45, X_MOVQ2DQ: u32 = 46,
  X_MOVDQ2Q: u32 = 47, X_PMOVMSKB: u32 = 48, X_CVTE6: u32 = 49, X_MASKMOV: u32 = 50, X_BLENDV: u32 = 51,
  X_PTEST: u32 = 52, X_CRC32: u32 = 53, X_ROUND: u32 = 54, X_VECIMM: u32 = 55, X_PEXTR: u32 = 56, X_PINSR: u32 = 57,
  X_INSERTPS: u32 = 58, X_DPPS: u32 = 59, X_DPPD: u32 = 60, X_PCMPSTR: u32 = 61;
// (one literal, so an immutable global)
const EXEC_NAMES: string = `
load128 store128 movsload movsstore movlo movhi movlost movhist unpckl unpckh
movsldup movshdup movddup cvtpi2ps cvtpi2pd cvtsi2s cvtps2pi cvtpd2pi cvts2si comis
movmsk fparith approx fplogic cvt5a cvt5b vec movdto load64 pshufw
pshuf shiftimm emms horiz movdfrom movqload store64 group15 popcnt movnti
pinsrw pextrw shufp addsub movqstore movq2dq movdq2q pmovmskb cvte6 maskmov
blendv ptest crc32 round vecimm pextr pinsr insertps dpps dppd
pcmpstr
`;

// Row info word.
export const R_MOD_REG: u32 = 1;       // register form only (U, N, R, or a register-only group row)
export const R_MOD_MEM: u32 = 2;       // memory form only (M)
export const R_ALIGNED: u32 = 4;       // a 16-byte memory operand must be aligned
export const R_MMX: u32 = 8;           // names an MMX register
export const R_MMX_REG_ONLY: u32 = 16; // no MMX transition when the source is memory
export const R_FP: u32 = 32;           // SIMD floating point
export const R_FLAGS: u32 = 64;        // writes the arithmetic flags
// Operand kinds of the ModRM.reg field (bits 8-9) and of r/m (bits 10-11).
export const K_NONE: u32 = 0, K_XMM: u32 = 1, K_MM: u32 = 2, K_GPR: u32 = 3;
// Memory size of the r/m operand in bits 16-23: bytes, or these codes.
export const SIZE_Y: u32 = 0xFE;       // 4, or 8 with REX.W
export const SIZE_V: u32 = 0xFD;       // the operand size (2, 4 or 8)
const ANY_EXT: u32 = 15;

// Static data (not globals: nothing here changes after the module starts).
const MAX_ROWS = 512;
const ROW_INFO: usize = memory.data(MAX_ROWS * 4, 4);  // u32 per row
const ROW_EXEC: usize = memory.data(MAX_ROWS);         // u8 per row
const ROW_NEXT: usize = memory.data(MAX_ROWS * 2, 2);  // u16 per row: the next row of the encoding + 1
// FIRST[(map - 1) * 1024 + opcode * 4 + prefix class] (u16) = first row + 1, 0 = none
const FIRST: usize = memory.data(3 * 1024 * 2, 2);

@inline export function infoOf(row: i32): u32 { return load<u32>(ROW_INFO + (<usize>row << 2)); }
@inline export function execOf(row: i32): u32 { return load<u8>(ROW_EXEC + <usize>row); }
@inline function nextOf(row: i32): i32 { return <i32>load<u16>(ROW_NEXT + (<usize>row << 1)) - 1; }
@inline function firstOf(key: u32): i32 { return <i32>load<u16>(FIRST + (<usize>key << 1)) - 1; }
@inline export function regKind(info: u32): u32 { return (info >> 8) & 3; }
@inline export function rmKind(info: u32): u32 { return (info >> 10) & 3; }
@inline export function memSizeCode(info: u32): u32 { return (info >> 16) & 0xFF; }

// The row for an instruction: op = map<<8 | opcode (maps 1-3), pf = prefix
// class (0 none, 1 = 66, 2 = F2, 3 = F3), ext = ModRM.reg & 7. -1: #UD.
export function findRow(op: u32, pf: u32, ext: u32, mem: bool): i32 {
  let r = firstOf(((op - 0x100) << 2) | pf);
  while (r >= 0) {
    const info = infoOf(r);
    const e = (info >> 24) & 15;
    const modOk = mem ? (info & R_MOD_REG) == 0 : (info & R_MOD_MEM) == 0;
    if ((e == ANY_EXT || e == ext) && modOk) return r;
    r = nextOf(r);
  }
  return -1;
}

// --- the parser (start-up only) ---

// The cursor (position, current token's start and end) lives in static
// memory, not in globals: it only matters while the module starts.
const CUR: usize = memory.data(12, 4);
@inline function getP(): i32 { return load<i32>(CUR); }
@inline function setP(v: i32): void { store<i32>(CUR, v); }

@inline function isSpace(c: i32): bool { return c == 0x20 || c == 0x09; }
// Next token on the current line; false at the end of the line.
function token(): bool {
  let p = getP();
  while (p < SIMD_TABLE.length && isSpace(SIMD_TABLE.charCodeAt(p))) p++;
  setP(p);
  if (p >= SIMD_TABLE.length || SIMD_TABLE.charCodeAt(p) == 0x0A) return false;
  store<i32>(CUR, p, 4);
  while (p < SIMD_TABLE.length && !isSpace(SIMD_TABLE.charCodeAt(p)) && SIMD_TABLE.charCodeAt(p) != 0x0A) p++;
  setP(p);
  store<i32>(CUR, p, 8);
  return true;
}
@inline function tokStartOf(): i32 { return load<i32>(CUR, 4); }
@inline function tokEndOf(): i32 { return load<i32>(CUR, 8); }
@inline function ch(i: i32): i32 { return tokStartOf() + i < tokEndOf() ? SIMD_TABLE.charCodeAt(tokStartOf() + i) : 0; }
@inline function tokLen(): i32 { return tokEndOf() - tokStartOf(); }
function need(): void { if (!token()) unreachable(); }

function hexDigit(c: i32): u32 {
  if (c >= 0x30 && c <= 0x39) return <u32>(c - 0x30);
  if (c >= 0x41 && c <= 0x46) return <u32>(c - 0x41 + 10);
  unreachable();
  return 0;
}

// Index (1-based) of the current token among the names (one space or newline apart).
function nameIndex(names: string): u32 {
  let idx: u32 = 1, i = 1; // (after the first newline)
  const n = tokLen();
  while (i < names.length) {
    let j = i;
    while (j < names.length && names.charCodeAt(j) != 0x20 && names.charCodeAt(j) != 0x0A) j++;
    if (j - i == n) {
      let same = true;
      for (let k = 0; k < n; k++) if (names.charCodeAt(i + k) != SIMD_TABLE.charCodeAt(tokStartOf() + k)) { same = false; break; }
      if (same) return idx;
    }
    idx++;
    i = j + 1;
  }
  unreachable();
  return 0;
}

// Size letters after an operand kind, from offset `at` of the token up to `end`: bytes or a code.
function sizeAt(at: i32, end: i32): u32 {
  const a = at < end ? SIMD_TABLE.charCodeAt(tokStartOf() + at) : 0;
  const b = at + 1 < end ? SIMD_TABLE.charCodeAt(tokStartOf() + at + 1) : 0;
  const two = end - at == 2;
  if (a == 0x62) return 1;                    // b
  if (a == 0x77) return 2;                    // w
  if (a == 0x64) return two && b == 0x71 ? 16 : 4; // dq, d
  if (a == 0x71) return 8;                    // q
  if (a == 0x79) return SIZE_Y;               // y
  if (a == 0x76) return SIZE_V;               // v
  if (a == 0x70) return 16;                   // ps, pd
  if (a == 0x73) return b == 0x73 ? 4 : 8;    // ss, sd
  if (a >= 0x30 && a <= 0x39) return 0;       // M512 (the executor knows its size)
  return 0;
}

// One operand list (comma-separated) into the info word's kind, size and form bits.
function operands(): u32 {
  let info: u32 = 0;
  let i = tokStartOf();
  if (tokLen() == 1 && SIMD_TABLE.charCodeAt(i) == 0x2D) return 0; // "-"
  while (i < tokEndOf()) {
    let j = i;
    while (j < tokEndOf() && SIMD_TABLE.charCodeAt(j) != 0x2C) j++;
    const k = SIMD_TABLE.charCodeAt(i);
    const at = i - tokStartOf() + 1, end = j - tokStartOf();
    switch (k) {
      case 0x56: info |= K_XMM << 8; break;                                  // V
      case 0x50: info |= (K_MM << 8) | R_MMX; break;                          // P
      case 0x47: info |= K_GPR << 8; break;                                   // G
      case 0x57: info |= (K_XMM << 10) | (sizeAt(at, end) << 16); break;      // W
      case 0x51: info |= (K_MM << 10) | R_MMX | (sizeAt(at, end) << 16); break; // Q
      case 0x45: info |= (K_GPR << 10) | (sizeAt(at, end) << 16); break;      // E
      case 0x55: case 0x4E: case 0x52: {                                      // U N R, or R?/M?
        info |= (k == 0x55 ? K_XMM : k == 0x4E ? K_MM : K_GPR) << 10;
        if (k == 0x4E) info |= R_MMX;
        let slash = i;
        while (slash < j && SIMD_TABLE.charCodeAt(slash) != 0x2F) slash++;
        if (slash < j) info |= sizeAt(slash - tokStartOf() + 2, end) << 16;        // the M part's size
        else info |= R_MOD_REG;
        break;
      }
      case 0x4D: info |= R_MOD_MEM | (sizeAt(at, end) << 16); break;          // M
      case 0x49: case 0x3C: break;                                            // Ib, <implicit>
      default: unreachable();
    }
    i = j + 1;
  }
  return info;
}

function parse(): void {
  let rows = 0;
  while (getP() < SIMD_TABLE.length) {
    if (!token()) { setP(getP() + 1); continue; } // end of a line
    // pfx
    const c0 = ch(0), c1 = ch(1);
    const pf: u32 = c0 == 0x2D ? 0 : c1 == 0x36 ? 1 : c1 == 0x32 ? 2 : 3; // -- 66 F2 F3
    need(); // map
    const map: u32 = tokLen() == 2 ? 1 : ch(3) == 0x38 ? 2 : 3;
    need(); // opcode
    const opc = (hexDigit(ch(0)) << 4) | hexDigit(ch(1));
    need(); // ext
    const ext: u32 = ch(0) == 0x2F ? <u32>(ch(1) - 0x30) : ANY_EXT;
    need(); // mnemonic
    need(); // feature
    need(); // operands
    let info = operands() | (ext << 24);
    if (ext != ANY_EXT && (info & (R_MOD_MEM | (3 << 10))) == 0) info |= R_MOD_REG; // lfence mfence sfence
    need(); // attrs
    for (let k = 0; k < tokLen(); k++) {
      const a = ch(k);
      if (a == 0x61) info |= R_ALIGNED;
      else if (a == 0x78) info |= R_FP;
      else if (a == 0x66) info |= R_FLAGS;
      else if (a == 0x72) info |= R_MMX_REG_ONLY;
    }
    need(); // exec
    const x = nameIndex(EXEC_NAMES);
    if (token()) unreachable(); // nothing after the executor
    if (rows >= MAX_ROWS) unreachable();
    store<u32>(ROW_INFO + (<usize>rows << 2), info);
    store<u8>(ROW_EXEC + <usize>rows, <u8>x);
    // append to the encoding's chain
    const key = ((((map - 1) << 8) | opc) << 2) | pf;
    let r = firstOf(key);
    if (r < 0) store<u16>(FIRST + (<usize>key << 1), <u16>(rows + 1));
    else {
      while (nextOf(r) >= 0) r = nextOf(r);
      store<u16>(ROW_NEXT + (<usize>r << 1), <u16>(rows + 1));
    }
    rows++;
  }
}
parse();
