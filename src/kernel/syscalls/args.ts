// A syscall's six arguments (RDI, RSI, RDX, R10, R8, R9) read straight from
// the core's register block as 32-bit halves, so handlers get plain numbers
// without BigInt on the hot path.
const ARG_GPR = [7, 6, 2, 10, 8, 9];

export class SysArgs {
  nr = 0;
  readonly lo = new Uint32Array(6);
  readonly hi = new Uint32Array(6);

  // r: the core's state block as 32-bit words (Machine.stateWords).
  load(r: Uint32Array): void {
    this.nr = r[0];
    if (r[1] !== 0) this.nr = -1; // RAX above 2^32: no such syscall
    for (let i = 0; i < 6; i++) { this.lo[i] = r[ARG_GPR[i] * 2]; this.hi[i] = r[ARG_GPR[i] * 2 + 1]; }
  }

  // A copy kept with a blocked process, for retrying its call (reuses `into` when given).
  copy(into?: SysArgs): SysArgs {
    const c = into ?? new SysArgs();
    c.nr = this.nr;
    c.lo.set(this.lo);
    c.hi.set(this.hi);
    return c;
  }

  // 32-bit signed (int, fd, pid).
  int(i: number): number { return this.lo[i] | 0; }
  // 32-bit unsigned (flags, modes).
  u32(i: number): number { return this.lo[i]; }
  // Unsigned 64-bit as a number: exact for pointers and sizes below 2^53.
  u(i: number): number { return this.hi[i] * 4294967296 + this.lo[i]; }
  // Signed 64-bit as a number (offsets, times).
  i64(i: number): number { return (this.hi[i] | 0) * 4294967296 + this.lo[i]; }
  big(i: number): bigint { return (BigInt(this.hi[i]) << 32n) | BigInt(this.lo[i]); }
}
