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

// What a signal makes of a blocked call (its block's `interrupted`), as Linux's restart codes:
// ERESTARTSYS re-issues the call after a handler with SA_RESTART (else EINTR), ERESTARTNOINTR
// re-issues it after any handler.
export const ERESTARTSYS = -512, ERESTARTNOINTR = -513;
