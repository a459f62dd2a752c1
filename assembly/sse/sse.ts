// SSE/SSE2 instructions (0F map ranges and the 0F 38 / 0F 3A maps).
import { raiseOpcode } from "../cpu/state";
import { EXIT_UNIMPLEMENTED } from "../cpu/exits";

export function execSse(d: usize, op: u32): void {
  raiseOpcode(EXIT_UNIMPLEMENTED, op);
}
