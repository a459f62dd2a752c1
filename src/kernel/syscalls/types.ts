// The shape of a syscall handler: it returns the value for RAX (negative errno
// on error), BLOCK to sleep and be retried, or NORETURN when the process no
// longer returns to user mode through this call (exit, a fatal signal).
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import type { SysArgs } from "./args.js";
import { BLOCK } from "../fs/file.js";

export const NORETURN = Symbol("noreturn");
export type SysResult = number | typeof BLOCK | typeof NORETURN;
export type Handler = (k: Kernel, p: Process, a: SysArgs) => SysResult;
export { BLOCK };
