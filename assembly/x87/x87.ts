// x87 floating point (D8-DF escapes): the subset static glibc and gcc output use.
import { raiseOpcode } from "../cpu/state";
import { EXIT_UNIMPLEMENTED } from "../cpu/exits";

export function execX87(d: usize, op: u32): void {
  raiseOpcode(EXIT_UNIMPLEMENTED, op);
}
