// #SS or #GP for a non-canonical data address. mmu/access.ts raises #GP and notes
// that it was one; once the instruction has stopped, the run loop (and
// exec/probe.ts) ask here which it is. In 64-bit mode an access through SS to a
// non-canonical address is #SS(0), any other #GP(0) (Intel SDM vol. 1, 3.3.7.1
// "Canonical Addressing"; Linux sends SIGBUS for #SS, SIGSEGV for #GP, both
// SI_KERNEL). SS accesses: a push or pop (the instruction table's `stack` column:
// PUSH, POP, CALL, RET, ENTER, LEAVE, PUSHF, POPF) and a memory operand whose
// base register is RSP or RBP (not R12/R13, not as an index) with no FS/GS
// override; a CS/DS/ES/SS override is ignored in 64-bit mode and changes nothing.
import { STATE, S_EXIT_ADDR } from "../memmap";
import { exc, reraise, gpr, RSP, RBP } from "../cpu/state";
import { EXIT_GP, EXIT_SS } from "../cpu/exits";
import { takeNonCanonical } from "../mmu/access";
import { usesStack } from "../decoder/insns";
import { D_BASE, D_SEG, SEG_NONE } from "../decoder/slot";
import { dOp, dExt, dIsMem, ea } from "./operand";

// Largest explicit memory operand (FXSAVE's): a faulting address this far past the
// operand's effective address is that operand's, anything else an implicit stack access.
const OPERAND_SPAN: u64 = 512;

// d: the decoded instruction that stopped, before RIP is rewound (its RIP-relative address).
export function settleNonCanonical(d: usize): void {
  if (!takeNonCanonical() || exc != EXIT_GP) return;
  if (viaStack(d, load<u64>(STATE + S_EXIT_ADDR))) reraise(EXIT_SS);
}

function viaStack(d: usize, addr: u64): bool {
  // POP r/m reads the stack before it writes its operand (and RSP is back as it was);
  // the other forms with both read their operand first
  if (dOp(d) == 0x8F && addr - gpr(RSP) < 8) return true;
  if (dIsMem(d) && addr - ea(d) < OPERAND_SPAN) {
    const base = <u32>load<u8>(d + D_BASE);
    return load<u8>(d + D_SEG) == SEG_NONE && (base == RSP || base == RBP);
  }
  return usesStack(dOp(d), dExt(d));
}
