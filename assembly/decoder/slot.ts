// Layout of one decoded instruction (32 bytes). The decoder fills it once; the
// executor reads it every time the instruction runs.

export const D_OP: u32 = 0;      // u16: map<<8 | opcode (map 0 = one-byte, 1 = 0F, 2 = 0F38, 3 = 0F3A)
export const D_LEN: u32 = 2;     // u8: instruction length in bytes
export const D_PFX: u32 = 3;     // u8: P_* bits
export const D_REX: u32 = 4;     // u8: 0, or 0x40|WRXB
export const D_MODRM: u32 = 5;   // u8: raw ModRM byte (0 when absent)
export const D_REG: u32 = 6;     // u8: ModRM.reg + REX.R*8; for +r opcodes the register (with REX.B)
export const D_RM: u32 = 7;      // u8: ModRM.rm + REX.B*8 (register operand when mod == 3)
export const D_BASE: u32 = 8;    // u8: base register, R_NONE or R_RIP
export const D_INDEX: u32 = 9;   // u8: index register or R_NONE
export const D_SCALE: u32 = 10;  // u8: index shift 0..3
export const D_SEG: u32 = 11;    // u8: SEG_NONE, SEG_FS or SEG_GS (others are flat in 64-bit mode)
export const D_DISP: u32 = 12;   // i32: displacement
export const D_IMM: u32 = 16;    // u64: immediate (sign-extended per opcode rules), or rel target offset
export const D_OSZ: u32 = 24;    // u8: operand size in bytes for 'v' operands: 2, 4 or 8 (1 for byte opcodes)
export const D_IMM2: u32 = 25;   // u8: second immediate (ENTER)
export const D_ASZ: u32 = 26;    // u8: address size in bytes: 8, or 4 with a 67 prefix
export const D_FAST: u32 = 27;   // u8: fast form (decoder/classify.ts), 0 = the generic dispatch
export const D_RAWOP: u32 = 28;  // u16: map<<8 | opcode even when D_OP says invalid
export const D_ROW: u32 = 30;    // u16: the SIMD table row + 1 (sse/rows.ts), found at first execution; 0 = not yet

export const P_OPSIZE: u8 = 1;   // 66
export const P_ADDR32: u8 = 2;   // 67
export const P_REP: u8 = 4;      // F3
export const P_REPNE: u8 = 8;    // F2
export const P_LOCK: u8 = 16;    // F0
export const P_MEM: u8 = 32;     // ModRM names a memory operand (mod != 3)

export const R_NONE: u8 = 16;
export const R_RIP: u8 = 17;

export const SEG_NONE: u8 = 0;
export const SEG_FS: u8 = 4;
export const SEG_GS: u8 = 5;

export const REX_W: u8 = 8;
export const REX_R: u8 = 4;
export const REX_X: u8 = 2;
export const REX_B: u8 = 1;
