// Whether a Machine made without an explicit `jit` option has the second tier
// on: off unless the command line turns it on (`--jit`), or SKYTRACE_JIT=1 is
// set (how the whole test suite is run in the second tier).
let on = process.env.SKYTRACE_JIT === "1";

export function jitDefault(): boolean { return on; }
export function setJitDefault(v: boolean): void { on = v; }
