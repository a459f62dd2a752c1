// Instruction dispatch: one switch per opcode map. Integer instructions live in
// exec/, SSE/SSE2 in sse/, x87 in x87/.
import { dOp } from "./operand";
import { OP_INVALID } from "../decoder/decode";
import { raiseOpcode } from "../cpu/state";
import { EXIT_INVALID_OPCODE } from "../cpu/exits";
import { D_RAWOP, D_PFX, P_LOCK } from "../decoder/slot";
import { lockable } from "../decoder/insns";
import { dExt, dIsMem } from "./operand";
import { execMap0 } from "./map0";
import { execMap1 } from "./map1";
import { execSse } from "../sse/sse";

// LOCK: with one vCPU every read-modify-write is already atomic, so LOCK only has
// to be validated: #UD unless the table's row says the form is lockable
// (src/isa/table.ts `lock`) and its destination is memory.
function lockAllowed(d: usize, op: u32): bool {
  return op != OP_INVALID && dIsMem(d) && lockable(op, dExt(d));
}

export function execute(d: usize): void {
  const op = dOp(d);
  if ((load<u8>(d + D_PFX) & P_LOCK) != 0 && !lockAllowed(d, op)) {
    raiseOpcode(EXIT_INVALID_OPCODE, load<u16>(d + D_RAWOP));
    return;
  }
  if (op < 0x100) execMap0(d, op);
  else if (op < 0x200) execMap1(d, op);
  else if (op == OP_INVALID) raiseOpcode(EXIT_INVALID_OPCODE, load<u16>(d + D_RAWOP));
  else execSse(d, op); // 0F 38 and 0F 3A maps
}
