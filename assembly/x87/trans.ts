// placeholder replaced below
import { raiseOpcode } from "../cpu/state";
import { EXIT_UNIMPLEMENTED } from "../cpu/exits";
export function execTranscendental(modrm: u32): void { raiseOpcode(EXIT_UNIMPLEMENTED, 0xD9); }
