// Shifts and rotates (C0/C1/D0-D3 group 2) and SHLD/SHRD. The count is masked
// to 5 bits (6 with REX.W); a masked count ov 0 changes neither the operand nor
// the flags. Results go through FL_RES lazy flags: CF/OF/AF precomputed, ZF/SF/PF
// from the result. Undefined flags follow what AMD Zen hardware does (see
// test/cpu/gen/alu.ts): AF set by shifts, OF computed by the count-1 formula.
import { setLazyCarry, setKeep, getCF, sizeMask, signBit, sext, FL_RES, CF, OF, AF, PF, ZF, SF } from "../cpu/flags";
import { writeReg, exc } from "../cpu/state";
import { dIsMem, dRm, readRMW, writeRMW } from "./operand";

let outFlags: u64 = 0; // CF | OF | AF ov the last shift, RFLAGS positions
let keepFlags: bool = false; // rotates keep SF/ZF/PF/AF: record them eagerly
export function resetShift(): void { outFlags = 0; keepFlags = false; }

function shiftResult(kind: u32, size: u32, a: u64, c: u32): u64 {
  const bits: u32 = size << 3;
  const m = sizeMask(size);
  const s = signBit(size);
  let r: u64 = 0, cf: u64 = 0, ov: u64 = 0;
  keepFlags = false;
  switch (kind) {
    case 0: { // ROL
      const k = c & (bits - 1);
      r = k == 0 ? a : ((a << k) | (a >> (bits - k))) & m;
      cf = r & 1;
      ov = ((r & s) != 0 ? 1 : 0) ^ cf;
      keepFlags = true;
      break;
    }
    case 1: { // ROR
      const k = c & (bits - 1);
      r = k == 0 ? a : ((a >> k) | (a << (bits - k))) & m;
      cf = (r & s) != 0 ? 1 : 0;
      ov = cf ^ ((r & (s >> 1)) != 0 ? 1 : 0);
      keepFlags = true;
      break;
    }
    case 2: { // RCL: rotate the (bits+1)-bit value CF:a
      const k: u32 = size < 4 ? c % (bits + 1) : c;
      const ci: u64 = getCF() ? 1 : 0;
      if (k == 0) { r = a; cf = ci; }
      else {
        r = (a << k) | (ci << (k - 1));
        if (k > 1) r |= a >> (bits - k + 1);
        r &= m;
        cf = (a >> (bits - k)) & 1;
      }
      ov = ((r & s) != 0 ? 1 : 0) ^ cf;
      keepFlags = true;
      break;
    }
    case 3: { // RCR
      const k: u32 = size < 4 ? c % (bits + 1) : c;
      const ci: u64 = getCF() ? 1 : 0;
      if (k == 0) { r = a; cf = ci; }
      else {
        r = (a >> k) | (ci << (bits - k));
        if (k > 1) r |= a << (bits - k + 1);
        r &= m;
        cf = (a >> (k - 1)) & 1;
      }
      ov = ((r & s) != 0 ? 1 : 0) ^ ((r & (s >> 1)) != 0 ? 1 : 0);
      keepFlags = true;
      break;
    }
    case 4: case 6: // SHL/SAL
      r = c < 64 ? (a << c) & m : 0;
      cf = c <= bits ? (a >> (bits - c)) & 1 : 0;
      ov = ((r & s) != 0 ? 1 : 0) ^ cf;
      break;
    case 5: // SHR
      r = c < 64 ? a >> c : 0;
      cf = c <= 64 ? (a >> (c - 1)) & 1 : 0;
      ov = c == 1 ? ((a & s) != 0 ? 1 : 0) : 0;
      break;
    default: { // SAR
      const v = sext(a, size);
      r = <u64>(v >> <i64>(c < 63 ? c : 63)) & m;
      cf = <u64>(v >> <i64>(c - 1 < 63 ? c - 1 : 63)) & 1;
      ov = 0;
    }
  }
  // AF is undefined after SHL/SHR/SAR; AMD Zen sets it.
  outFlags = cf | (ov << 11) | (keepFlags ? 0 : AF);
  return r;
}

function commit(size: u32, r: u64): void {
  // Rotates change CF and OF only: record them eagerly over the other flags.
  if (keepFlags) setKeep(PF | AF | ZF | SF, outFlags);
  else setLazyCarry(FL_RES, size, 0, 0, r, outFlags);
}

// Group 2 on r/m with a raw count (imm8, 1 or CL).
export function shiftRM(d: usize, kind: u32, size: u32, count: u32): void {
  const c = count & (size == 8 ? 63 : 31);
  const mem = dIsMem(d);
  const a = readRMW(d, size);
  if (exc != 0) return;
  if (c == 0) { if (!mem && size == 4) writeReg(dRm(d), 4, 0, a); return; } // a 32-bit register is still written (zero-extended)
  const r = shiftResult(kind, size, a, c);
  writeRMW(d, size, r);
  if (exc != 0) return;
  commit(size, r);
}

// SHLD (right = false) / SHRD: shift r/m, filling from register value b.
export function shiftDouble(d: usize, right: bool, size: u32, b: u64, count: u32): void {
  const c = count & (size == 8 ? 63 : 31);
  const mem = dIsMem(d);
  const a = readRMW(d, size);
  if (exc != 0) return;
  if (c == 0) { if (!mem && size == 4) writeReg(dRm(d), 4, 0, a); return; }
  const bits: u32 = size << 3;
  const m = sizeMask(size);
  const s = signBit(size);
  let r: u64, cf: u64;
  if (size == 2 && c > 16) {
    // Undefined by the SDM (count beyond 16). AMD Zen shifts the 48-bit string
    // a:b:b (SHRD: b:b:a), so the result is b rotated by c - 16, and clears CF:
    // a itself, shifted with zeros, has no bit left to give.
    const w: u64 = right ? (a | (b << 16) | (b << 32)) : ((a << 32) | (b << 16) | b);
    r = right ? (w >> c) & m : (w >> (32 - c)) & m;
    cf = 0;
  } else if (right) {
    r = ((a >> c) | (c < bits ? b << (bits - c) : 0)) & m;
    cf = (a >> (c - 1)) & 1;
  } else {
    r = ((a << c) | (c < bits ? b >> (bits - c) : 0)) & m;
    if (c == bits) r = b & m;
    cf = (a >> (bits - c)) & 1;
  }
  if (right && c == bits) r = b & m;
  writeRMW(d, size, r);
  if (exc != 0) return;
  // OF: defined for count 1 only. For larger counts AMD Zen takes SHRD's from the
  // result's top two bits and SHLD's from CF and the top bit of a shifted with
  // zeros (the result's top bit while c < the operand size; 0 from 16 on in 16 bits).
  const msb: u64 = (r & s) != 0 ? 1 : 0;
  const ov: u64 = right ? msb ^ ((r & (s >> 1)) != 0 ? 1 : 0) : (((a << <u64>c) & s) != 0 ? 1 : 0) ^ cf;
  setLazyCarry(FL_RES, size, 0, 0, r, cf | (ov << 11) | AF);
}
