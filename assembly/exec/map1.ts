// Two-byte opcode map 0F (integer and system instructions; the SIMD table,
// POPCNT included, goes to sse/).
import { raiseOpcode, raise, gpr, setGpr, rip, exc, readReg, writeReg, ticks, RAX, RCX, RDX, RBX } from "../cpu/state";
import { EXIT_UNIMPLEMENTED, EXIT_INVALID_OPCODE, EXIT_GP } from "../cpu/exits";
import { dImm, dReg, dRex, dOsz, dExt, dIsMem, dRm, dModrm, dPfx, readRM, writeRM, readR, writeR, ea, readRMW, writeRMW } from "./operand";
import { cond, sizeMask, sext, getFlags, setArith, ZF } from "../cpu/flags";
import { read64, write64, probeWrite } from "../mmu/access";
import { STATE, S_TSC_OFFSET } from "../memmap";
import { execSse } from "../sse/sse";
import { syscall } from "./system";
import { push } from "./stack";
import { jumpTo } from "./branch";
import { P_OPSIZE } from "../decoder/slot";
import { cpuid } from "./cpuid";
import { shiftDouble } from "./shift";
import { imul2 } from "./muldiv";
import { bitOp, bitScan, byteSwap } from "./bits";
import { aluResult, aluFlags } from "./alu";
import { setLazy, FL_SUB, FL_ADD } from "../cpu/flags";

@inline function ud(op: u32): void { raiseOpcode(EXIT_INVALID_OPCODE, op); }
@inline function gp(): void { raise(EXIT_GP, 0, 0); }

export function execMap1(d: usize, op: u32): void {
  switch (op) {
    case 0x105: syscall(); return;
    case 0x10B: case 0x1B9: case 0x1FF: ud(op); return; // UD2, UD1, UD0
    case 0x10D: case 0x118: case 0x119: case 0x11A: case 0x11B: case 0x11C: case 0x11D: case 0x11E: case 0x11F:
      return; // PREFETCH hints and the reserved-NOP space (0F 1F /0 NOP, F3 0F 1E FA ENDBR64)
    case 0x131: rdtsc(); return;
    case 0x101: { // group 7
      const m = dModrm(d);
      if (m == 0xF9) { rdtsc(); setGpr(RCX, 0); return; } // RDTSCP (TSC_AUX = 0)
      if (m < 0xC0) {
        const e = dExt(d);
        if (e == 2 || e == 3 || e == 6 || e == 7) { gp(); return; } // LGDT LIDT LMSW INVLPG
        raiseOpcode(EXIT_UNIMPLEMENTED, op); return;                 // SGDT SIDT SMSW (UMIP-emulated on Linux)
      }
      if (m == 0xF8) { gp(); return; } // SWAPGS
      ud(op); return; // MONITOR/MWAIT, XGETBV (no OSXSAVE), ... are not advertised
    }
    // Privileged at CPL 3: CLTS SYSRET INVD WBINVD WRMSR RDMSR RDPMC SYSEXIT
    case 0x106: case 0x107: case 0x108: case 0x109: case 0x130: case 0x132: case 0x133: case 0x135:
      gp(); return;
    // MOV CRn/DRn (ModRM.mod ignored; n = ModRM.reg with REX.R): a register that does not exist is
    // #UD before the privilege check, as on the AMD host: CR1, CR5-7, CR9-15, DR8-15 (LOCK, AMD's
    // alternative CR8 encoding, is #UD: CPUID does not report AltMovCr8). DR4/DR5 alias DR6/DR7
    // (CR4.DE clear).
    case 0x120: case 0x122: { const n = dReg(d); if (n == 0 || n == 2 || n == 3 || n == 4 || n == 8) gp(); else ud(op); return; }
    case 0x121: case 0x123: if (dReg(d) < 8) gp(); else ud(op); return;
    case 0x134: case 0x1AA: ud(op); return; // SYSENTER (#UD in long mode on AMD), RSM
    case 0x1A0: case 0x1A8: // PUSH FS / PUSH GS: Linux user selectors are null (the bases live in MSRs)
      push((dPfx(d) & P_OPSIZE) != 0 ? 2 : 8, 0);
      return;
    // Segment and descriptor-table instructions no user program built by gcc uses:
    // SLDT/STR/LLDT/LTR/VERR/VERW, LAR, LSL, POP FS/GS (would drop the TLS base), LSS/LFS/LGS.
    case 0x100: case 0x102: case 0x103: case 0x1A1: case 0x1A9: case 0x1B2: case 0x1B4: case 0x1B5:
      raiseOpcode(EXIT_UNIMPLEMENTED, op); return;
    case 0x1A2: cpuid(); return;
    case 0x140: case 0x141: case 0x142: case 0x143: case 0x144: case 0x145: case 0x146: case 0x147:
    case 0x148: case 0x149: case 0x14A: case 0x14B: case 0x14C: case 0x14D: case 0x14E: case 0x14F: {
      // CMOVcc: the source is always read; a 32-bit destination is zero-extended even when not moved
      const osz = dOsz(d);
      const v = readRM(d, osz);
      if (exc != 0) return;
      if (cond(op & 15)) writeR(d, osz, v);
      else if (osz == 4) writeR(d, 4, readR(d, 4));
      return;
    }
    case 0x180: case 0x181: case 0x182: case 0x183: case 0x184: case 0x185: case 0x186: case 0x187:
    case 0x188: case 0x189: case 0x18A: case 0x18B: case 0x18C: case 0x18D: case 0x18E: case 0x18F:
      if (cond(op & 15)) jumpTo(d, rip + dImm(d));
      return;
    case 0x190: case 0x191: case 0x192: case 0x193: case 0x194: case 0x195: case 0x196: case 0x197:
    case 0x198: case 0x199: case 0x19A: case 0x19B: case 0x19C: case 0x19D: case 0x19E: case 0x19F:
      writeRM(d, 1, cond(op & 15) ? 1 : 0);
      return;
    case 0x1A3: bitOp(d, 0, dOsz(d), readR(d, dOsz(d)), true); return;
    case 0x1AB: bitOp(d, 1, dOsz(d), readR(d, dOsz(d)), true); return;
    case 0x1B3: bitOp(d, 2, dOsz(d), readR(d, dOsz(d)), true); return;
    case 0x1BB: bitOp(d, 3, dOsz(d), readR(d, dOsz(d)), true); return;
    case 0x1BA: bitOp(d, dExt(d) - 4, dOsz(d), dImm(d) & 0xFF, false); return; // /4../7 (/0../3: #UD by the table)
    case 0x1A4: shiftDouble(d, false, dOsz(d), readR(d, dOsz(d)), <u32>dImm(d) & 0xFF); return;
    case 0x1A5: shiftDouble(d, false, dOsz(d), readR(d, dOsz(d)), <u32>gpr(RCX) & 0xFF); return;
    case 0x1AC: shiftDouble(d, true, dOsz(d), readR(d, dOsz(d)), <u32>dImm(d) & 0xFF); return;
    case 0x1AD: shiftDouble(d, true, dOsz(d), readR(d, dOsz(d)), <u32>gpr(RCX) & 0xFF); return;
    case 0x1AF: {
      const osz = dOsz(d);
      const v = readRM(d, osz);
      if (exc != 0) return;
      writeR(d, osz, imul2(osz, readR(d, osz), v));
      return;
    }
    case 0x1B0: cmpxchg(d, 1); return;
    case 0x1B1: cmpxchg(d, dOsz(d)); return;
    case 0x1B6: { const v = readRM(d, 1); if (exc != 0) return; writeR(d, dOsz(d), v); return; }
    case 0x1B7: { const v = readRM(d, 2); if (exc != 0) return; writeR(d, dOsz(d), v); return; }
    case 0x1BE: { const v = readRM(d, 1); if (exc != 0) return; writeR(d, dOsz(d), <u64>sext(v, 1)); return; }
    case 0x1BF: { const v = readRM(d, 2); if (exc != 0) return; writeR(d, dOsz(d), <u64>sext(v, 2)); return; }
    case 0x1BC: case 0x1BD: { // BSF/BSR (F3 TZCNT/LZCNT are not advertised: they run as BSF/BSR)
      const osz = dOsz(d);
      const v = readRM(d, osz);
      if (exc != 0) return;
      bitScan(d, op == 0x1BD, osz, dReg(d), dRex(d), v);
      return;
    }
    case 0x1C0: xadd(d, 1); return;
    case 0x1C1: xadd(d, dOsz(d)); return;
    case 0x1C7: group9(d); return;
    case 0x1C8: case 0x1C9: case 0x1CA: case 0x1CB: case 0x1CC: case 0x1CD: case 0x1CE: case 0x1CF: {
      const osz = dOsz(d), r = dReg(d);
      if (osz == 2) { setGpr(r, gpr(r) & ~<u64>0xFFFF); return; } // undefined; hardware clears the word
      writeReg(r, osz, 0x40, byteSwap(gpr(r), osz));
      return;
    }
  }
  execSse(d, op);
}

function rdtsc(): void {
  const t = ticks + load<u64>(STATE + S_TSC_OFFSET);
  setGpr(RAX, t & 0xFFFFFFFF);
  setGpr(RDX, t >> 32);
}

// CMPXCHG r/m, r: compare the accumulator with the destination.
function cmpxchg(d: usize, size: u32): void {
  const mem = dIsMem(d);
  const dst = readRMW(d, size);
  if (exc != 0) return;
  const acc = readReg(RAX, size, 0x40);
  const src = readR(d, size);
  const res = (acc - dst) & sizeMask(size);
  if (acc == dst) {
    writeRMW(d, size, src);
    if (exc != 0) return;
  } else {
    // the processor writes the old value back (a locked RMW always stores)
    if (mem) { writeRMW(d, size, dst); if (exc != 0) return; }
    writeReg(RAX, size, 0x40, dst);
  }
  setLazy(FL_SUB, size, acc, dst, res);
}

// XADD r/m, r: dst <- dst + src, src <- old dst.
function xadd(d: usize, size: u32): void {
  const mem = dIsMem(d);
  const dst = readRMW(d, size);
  if (exc != 0) return;
  const src = readR(d, size);
  const sum = (dst + src) & sizeMask(size);
  if (mem) { writeRMW(d, size, sum); if (exc != 0) return; }
  writeR(d, size, dst);
  if (!mem) writeRMW(d, size, sum);
  setLazy(FL_ADD, size, dst, src, sum);
}

// 0F C7 /1 with a memory operand: CMPXCHG8B / CMPXCHG16B (REX.W). The table has no other row
// (RDRAND, RDSEED, ... are not advertised): the decoder makes them #UD.
function group9(d: usize): void {
  const addr = ea(d);
  if (dOsz(d) == 8) {
    if ((addr & 15) != 0) { raise(EXIT_GP, 0, 0); return; }
    if (!probeWrite(addr, 16)) return;
    const lo = read64(addr), hi = read64(addr + 8);
    if (exc != 0) return;
    if (lo == gpr(RAX) && hi == gpr(RDX)) {
      write64(addr, gpr(RBX)); write64(addr + 8, gpr(RCX));
      setArith(getFlags() | ZF);
    } else {
      write64(addr, lo); write64(addr + 8, hi);
      setGpr(RAX, lo); setGpr(RDX, hi);
      setArith(getFlags() & ~ZF);
    }
    return;
  }
  if (!probeWrite(addr, 8)) return;
  const v = read64(addr);
  if (exc != 0) return;
  const cmp = (gpr(RAX) & 0xFFFFFFFF) | (gpr(RDX) << 32);
  if (v == cmp) {
    write64(addr, (gpr(RBX) & 0xFFFFFFFF) | (gpr(RCX) << 32));
    if (exc != 0) return;
    setArith(getFlags() | ZF);
  } else {
    write64(addr, v);
    if (exc != 0) return;
    setGpr(RAX, v & 0xFFFFFFFF); setGpr(RDX, v >> 32);
    setArith(getFlags() & ~ZF);
  }
}
