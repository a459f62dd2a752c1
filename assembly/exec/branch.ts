// Near branches (JMP, Jcc, LOOPcc, JRCXZ, CALL, RET and the indirect forms): where
// they go, as AMD (the core's model, exec/cpuid.ts) does it.
//  - A non-canonical target is #GP(0) at the branch: nothing retires, RSP and the
//    stack stay as they were. A CALL's own stack slot is checked first (its #PF
//    or #SS wins over the target's #GP). Direct branches with such a target get
//    no fast form (decoder/decode.ts), so only these executors need the check.
//  - A 66 prefix without REX.W makes the operand size 16: the target is cut to 16
//    bits, CALL pushes and RET pops 2 bytes, JMP/CALL r/m read a 16-bit target and
//    E8, E9, 0F 8x take a rel16 (shape z). Intel ignores 66 on near branches in
//    64-bit mode; the tests compare these cases with the host only on AMD.
import { gpr, setGpr, rip, setRip, raise, exc, RSP } from "../cpu/state";
import { EXIT_GP } from "../cpu/exits";
import { canonical } from "../mmu/pagewalk";
import { readN, probeWrite } from "../mmu/access";
import { push } from "./stack";
import { dOsz } from "./operand";

// The operand size of a near branch: 8, or 2 with 66 (and no REX.W).
@inline export function branchSize(d: usize): u32 { return dOsz(d) == 2 ? 2 : 8; }

// JMP, Jcc (taken), LOOPcc (taken), JRCXZ (taken), JMP r/m.
export function jumpTo(d: usize, t: u64): void {
  if (dOsz(d) == 2) t &= 0xFFFF;
  else if (!canonical(t)) { raise(EXIT_GP, 0, 0); return; }
  setRip(t);
}

// CALL rel, CALL r/m: push the return address (RIP is already past the CALL) and go to t.
export function callTo(d: usize, t: u64): void {
  const s = branchSize(d);
  if (s == 2) t &= 0xFFFF;
  else if (!canonical(t)) {
    if (probeWrite(gpr(RSP) - 8, 8)) raise(EXIT_GP, 0, 0);
    return;
  }
  if (push(s, s == 2 ? rip & 0xFFFF : rip)) setRip(t);
}

// RET, RET imm16: pop the target, then release `extra` more bytes of stack.
export function returnFrom(d: usize, extra: u64): void {
  const s = branchSize(d);
  const t = readN(gpr(RSP), s);
  if (exc != 0) return;
  if (!canonical(t)) { raise(EXIT_GP, 0, 0); return; }
  setGpr(RSP, gpr(RSP) + s + extra);
  setRip(t);
}
