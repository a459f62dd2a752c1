// One-byte opcode map (integer instructions; D8-DF go to the x87 unit).
import { raiseOpcode, gpr, setGpr, RAX, rip, setRip } from "../cpu/state";
import { EXIT_UNIMPLEMENTED } from "../cpu/exits";
import { dImm, dReg, dOsz, readRM, writeR, readR, writeRM } from "./operand";
import { writeReg } from "../cpu/state";
import { execX87 } from "../x87/x87";

export function execMap0(d: usize, op: u32): void {
  switch (op) {
    case 0x90: return; // NOP (XCHG EAX,EAX without REX.B)
    case 0x89: writeRM(d, dOsz(d), readR(d, dOsz(d))); return;
    case 0x8B: writeR(d, dOsz(d), readRM(d, dOsz(d))); return;
    case 0xB8: case 0xB9: case 0xBA: case 0xBB: case 0xBC: case 0xBD: case 0xBE: case 0xBF:
      writeReg(dReg(d), dOsz(d), 0, dImm(d)); return;
    case 0xEB: case 0xE9: setRip(rip + dImm(d)); return;
    case 0xD8: case 0xD9: case 0xDA: case 0xDB: case 0xDC: case 0xDD: case 0xDE: case 0xDF:
      execX87(d, op); return;
  }
  raiseOpcode(EXIT_UNIMPLEMENTED, op);
}
