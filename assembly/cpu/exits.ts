// Why run() returned, as KVM_RUN reports a vCPU exit. The host reads the reason
// from S_EXIT_REASON and the details from the other S_EXIT_* fields: for an
// exception, S_EXIT_VECTOR holds the x86 vector it stands for and
// S_EXIT_ERROR the error code the CPU would push (#PF's, #GP's: 0, or the
// IDT selector of an INT n that may not be used from user mode).

export const EXIT_BUDGET: u32 = 0;        // the instruction budget is spent
export const EXIT_SYSCALL: u32 = 1;       // SYSCALL retired; the host emulates the kernel, then calls sysret()
export const EXIT_PAGE_FAULT: u32 = 2;    // #PF: CR2 and the error code are in the exit fields
export const EXIT_INVALID_OPCODE: u32 = 3;// #UD
export const EXIT_HLT: u32 = 4;
export const EXIT_DIVIDE_ERROR: u32 = 5;  // #DE
export const EXIT_GP: u32 = 6;            // #GP (privileged instruction, non-canonical address, ...)
export const EXIT_INT3: u32 = 7;          // a trap instruction: INT3 and INT 3 (#BP), INT1 (#DB), INT 4 (#OF); the vector says which
export const EXIT_UNIMPLEMENTED: u32 = 8; // a valid instruction the core does not implement yet
export const EXIT_FPU_ERROR: u32 = 9;     // #MF (vector 16) / #XM (vector 19): an unmasked floating-point exception
export const EXIT_PROBE: u32 = 10;        // a host code probe, before its instruction (index in S_EXIT_ERROR)
export const EXIT_JIT: u32 = 11;          // a trace became hot, before it runs: the host compiles it (its block in S_EXIT_ADDR) and runs on (src/machine/jit)
export const EXIT_SS: u32 = 12;           // #SS: a stack-segment access (a push or pop, or RSP/RBP-based) to a non-canonical address (exec/stackfault.ts)

// The vector of an exit whose reason names one (the others pass theirs to
// raiseVector); NO_VECTOR for an exit that is no exception (budget, SYSCALL, probe).
export const NO_VECTOR: u32 = 0xFFFFFFFF;
export function vectorOf(reason: u32): u32 {
  switch (reason) {
    case EXIT_PAGE_FAULT: return 14;
    case EXIT_INVALID_OPCODE: return 6;
    case EXIT_DIVIDE_ERROR: return 0;
    case EXIT_GP: return 13;
    case EXIT_SS: return 12;
    case EXIT_INT3: return 3;
    case EXIT_HLT: return 13;
  }
  return NO_VECTOR;
}

// Exits that happen after the instruction retired (RIP already past it); the
// others leave RIP on the instruction, not retired.
@inline export function isTrap(reason: u32): bool { return reason == EXIT_SYSCALL || reason == EXIT_HLT || reason == EXIT_INT3; }

// #PF error code bits, as the hardware sets them.
export const PF_PRESENT: u32 = 1;
export const PF_WRITE: u32 = 2;
export const PF_USER: u32 = 4;
export const PF_RSVD: u32 = 8;
export const PF_FETCH: u32 = 16;
