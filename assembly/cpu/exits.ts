// Why run() returned, as KVM_RUN reports a vCPU exit. The host reads the reason
// from S_EXIT_REASON and the details from the other S_EXIT_* fields.

export const EXIT_BUDGET: u32 = 0;        // the instruction budget is spent
export const EXIT_SYSCALL: u32 = 1;       // SYSCALL retired; the host emulates the kernel, then calls sysret()
export const EXIT_PAGE_FAULT: u32 = 2;    // #PF: CR2 and the error code are in the exit fields
export const EXIT_INVALID_OPCODE: u32 = 3;// #UD
export const EXIT_HLT: u32 = 4;
export const EXIT_DIVIDE_ERROR: u32 = 5;  // #DE
export const EXIT_GP: u32 = 6;            // #GP (privileged instruction, non-canonical address, ...)
export const EXIT_INT3: u32 = 7;          // INT3 / INT n (detail = vector)
export const EXIT_UNIMPLEMENTED: u32 = 8; // a valid instruction the core does not implement yet
export const EXIT_FPU_ERROR: u32 = 9;     // #MF / #XM (unmasked floating-point exception)
export const EXIT_PROBE: u32 = 10;        // a host code probe, before its instruction (index in S_EXIT_ERROR)
export const EXIT_JIT: u32 = 11;          // a trace became hot, before it runs: the host compiles it (its block in S_EXIT_ADDR) and runs on (src/machine/jit)

// Exits that happen after the instruction retired (RIP already past it); the
// others leave RIP on the instruction, not retired.
@inline export function isTrap(reason: u32): bool { return reason == EXIT_SYSCALL || reason == EXIT_HLT || reason == EXIT_INT3; }

// #PF error code bits, as the hardware sets them.
export const PF_PRESENT: u32 = 1;
export const PF_WRITE: u32 = 2;
export const PF_USER: u32 = 4;
export const PF_RSVD: u32 = 8;
export const PF_FETCH: u32 = 16;
