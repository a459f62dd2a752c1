// Two-byte opcode map 0F (integer and system instructions; SSE goes to sse/).
import { raiseOpcode } from "../cpu/state";
import { EXIT_UNIMPLEMENTED } from "../cpu/exits";
import { execSse } from "../sse/sse";
import { syscall } from "./system";

export function execMap1(d: usize, op: u32): void {
  switch (op) {
    case 0x105: syscall(); return;
  }
  execSse(d, op);
}
