// Operand-shape tables for the decoder: one character per opcode says whether a
// ModRM byte follows and which immediate comes after it. The decoder needs no
// more than this to find an instruction's length and operands; what the
// instruction does is the executor's business.
//
//   .  nothing            m  ModRM               x  invalid in 64-bit mode (#UD)
//   b  imm8               B  ModRM + imm8        w  imm16
//   z  imm16/32 (by 66)   Z  ModRM + imm16/32    d  imm32 (near branches)
//   v  imm16/32/64 (MOV r, imm)                  e  imm16 + imm8 (ENTER)
//   o  moffs (8 bytes, 4 with 67)                g  ModRM + imm only for /0 and /1 (F6 b, F7 z)
//   p  prefix (never reaches the table)

// prettier-ignore
const MAP0: string =
  "mmmmbzxx" + "mmmmbzx." + "mmmmbzxx" + "mmmmbzxx" + // 00-1F (0F is the escape)
  "mmmmbzpx" + "mmmmbzpx" + "mmmmbzpx" + "mmmmbzpx" + // 20-3F
  "pppppppp" + "pppppppp" +                           // 40-4F REX
  "........" + "........" +                           // 50-5F push/pop
  "xxxmpppp" + "zZbB...." +                           // 60-6F
  "bbbbbbbb" + "bbbbbbbb" +                           // 70-7F Jcc rel8
  "BZxBmmmm" + "mmmmmmmm" +                           // 80-8F
  "........" + "..x....." +                           // 90-9F
  "oooo...." + "bz......" +                           // A0-AF
  "bbbbbbbb" + "vvvvvvvv" +                           // B0-BF
  "BBw.xxBZ" + "e.w..bx." +                           // C0-CF (C4/C5 are VEX: no AVX here)
  "mmmmxxx." + "mmmmmmmm" +                           // D0-DF (D8-DF x87)
  "bbbbbbbb" + "ddxb...." +                           // E0-EF
  "p.pp..gg" + "......mm";                            // F0-FF

// prettier-ignore
const MAP1: string =
  "mmmmx.x." + "..x.xmxx" +                           // 00-0F
  "mmmmmmmm" + "mmmmmmmm" +                           // 10-1F
  "mmmmxxxx" + "mmmmmmmm" +                           // 20-2F
  "......xx" + ".x.xxxxx" +                           // 30-3F (38/3A escapes)
  "mmmmmmmm" + "mmmmmmmm" +                           // 40-4F CMOVcc
  "mmmmmmmm" + "mmmmmmmm" +                           // 50-5F
  "mmmmmmmm" + "mmmmmmmm" +                           // 60-6F
  "BBBBmmm." + "mmxxmmmm" +                           // 70-7F
  "dddddddd" + "dddddddd" +                           // 80-8F Jcc rel32
  "mmmmmmmm" + "mmmmmmmm" +                           // 90-9F SETcc
  "...mBmxx" + "...mBmmm" +                           // A0-AF
  "mmmmmmmm" + "mmBmmmmm" +                           // B0-BF
  "mmBmBBBm" + "........" +                           // C0-CF
  "mmmmmmmm" + "mmmmmmmm" +                           // D0-DF
  "mmmmmmmm" + "mmmmmmmm" +                           // E0-EF
  "mmmmmmmm" + "mmmmmmmm";                            // F0-FF

export const SHAPE_NONE: u8 = 0;
export const SHAPE_MODRM: u8 = 1;   // bit: ModRM follows
export const SHAPE_INVALID: u8 = 0x80;
// immediate kinds in bits 1..4
export const IMM_NONE: u8 = 0;
export const IMM_B: u8 = 1;
export const IMM_W: u8 = 2;
export const IMM_Z: u8 = 3;
export const IMM_D: u8 = 4;
export const IMM_V: u8 = 5;
export const IMM_E: u8 = 6;
export const IMM_O: u8 = 7;
export const IMM_G: u8 = 8;

// shapes[map * 256 + opcode] = SHAPE bits | imm kind << 1
const shapes = new StaticArray<u8>(1024);

function code(c: i32): u8 {
  switch (c) {
    case 0x2E: return 0;                             // .
    case 0x6D: return SHAPE_MODRM;                   // m
    case 0x78: return SHAPE_INVALID;                 // x
    case 0x70: return SHAPE_INVALID;                 // p (prefixes are consumed earlier)
    case 0x62: return IMM_B << 1;                    // b
    case 0x42: return SHAPE_MODRM | (IMM_B << 1);    // B
    case 0x77: return IMM_W << 1;                    // w
    case 0x7A: return IMM_Z << 1;                    // z
    case 0x5A: return SHAPE_MODRM | (IMM_Z << 1);    // Z
    case 0x64: return IMM_D << 1;                    // d
    case 0x76: return IMM_V << 1;                    // v
    case 0x65: return IMM_E << 1;                    // e
    case 0x6F: return IMM_O << 1;                    // o
    case 0x67: return SHAPE_MODRM | (IMM_G << 1);    // g
  }
  return SHAPE_INVALID;
}

function fill(): void {
  for (let i = 0; i < 256; i++) {
    unchecked(shapes[i] = code(MAP0.charCodeAt(i)));
    unchecked(shapes[256 + i] = code(MAP1.charCodeAt(i)));
    unchecked(shapes[512 + i] = SHAPE_MODRM);                 // 0F 38: ModRM, no immediate
    unchecked(shapes[768 + i] = SHAPE_MODRM | (IMM_B << 1));  // 0F 3A: ModRM + imm8
  }
}
fill();

@inline export function shapeOf(op: u32): u8 { return unchecked(shapes[op]); }
