// Just enough of the WebAssembly binary format to write one module holding
// compiled regions: its imports (the core's memory, globals and helpers), the
// functions and their exports. The compiler writes code into growable byte
// buffers (Bytes); the module is written once into its bytes. LEB128 as the spec says.

export const I32 = 0x7f, I64 = 0x7e;

export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10,
  return_call_indirect: 0x13,
  drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i32_load: 0x28, i32_ge_u: 0x4f, i32_add: 0x6a, i32_sub: 0x6b, i32_mul: 0x6c,
  i64_load: 0x29, i64_load8_u: 0x31, i64_load16_u: 0x33, i64_load32_u: 0x35, i64_store: 0x37, i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_ne: 0x47, i32_gt_u: 0x4b,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55, i64_gt_u: 0x56,
  i64_le_s: 0x57, i64_le_u: 0x58, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  i32_and: 0x71, i32_or: 0x72, i32_shl: 0x74,
  i64_clz: 0x79, i64_ctz: 0x7a, i64_popcnt: 0x7b, i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_s: 0x7f, i64_div_u: 0x80, i64_rem_u: 0x82, i64_and: 0x83, i64_or: 0x84,
  i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88, i64_rotl: 0x89, i64_rotr: 0x8a,
  f64_eq: 0x61, f64_lt: 0x63, f64_add: 0xa0, f64_sub: 0xa1, f64_sqrt: 0x9f, f64_mul: 0xa2, f64_div: 0xa3, f64_convert_i64_s: 0xb9,
  i32_wrap_i64: 0xa7, i64_extend_i32_u: 0xad, i64_reinterpret_f64: 0xbd, f64_reinterpret_i64: 0xbf, i64_extend8_s: 0xc2, i64_extend16_s: 0xc3, i64_extend32_s: 0xc4,
} as const;

// A growable byte buffer the compiler writes code into and a module is written into: bytes go
// straight into a Uint8Array (spreading number arrays into others, `push(...x)`, cost a tenth of the
// JIT's host time on a first run). Numbers (every index, offset and 32-bit constant) take a path
// without BigInt: compiling a region is on the run's critical path (Jit.compile's time is reported).
export class Bytes {
  b: Uint8Array<ArrayBuffer>;
  n = 0;
  constructor(size = 1024) { this.b = new Uint8Array(size); }
  private grow(k: number): void {
    const b = new Uint8Array(Math.max(this.b.length * 2, this.n + k));
    b.set(this.b.subarray(0, this.n));
    this.b = b;
  }
  byte(x: number): void { if (this.n >= this.b.length) this.grow(1); this.b[this.n++] = x; }
  byte2(x: number, y: number): void { if (this.n + 2 > this.b.length) this.grow(2); this.b[this.n++] = x; this.b[this.n++] = y; }
  /** LEB128 of an unsigned number below 2^31 (indices, sizes, offsets). */
  u(v: number): void {
    if (this.n + 5 > this.b.length) this.grow(5);
    while (v >= 0x80) { this.b[this.n++] = (v & 0x7f) | 0x80; v >>>= 7; }
    this.b[this.n++] = v;
  }
  /** Signed LEB128 of a number in i32 range, or of a bigint (64 bits). */
  s(v: number | bigint): void {
    if (this.n + 10 > this.b.length) this.grow(10);
    if (typeof v === "number" && v >= -0x80000000 && v <= 0x7fffffff) {
      let x = v | 0;
      for (;;) {
        const b = x & 0x7f;
        x >>= 7;
        if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) { this.b[this.n++] = b; return; }
        this.b[this.n++] = b | 0x80;
      }
    }
    let x = BigInt.asIntN(64, BigInt(v));
    for (;;) {
      const b = Number(x & 0x7fn);
      x >>= 7n;
      if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) { this.b[this.n++] = b; return; }
      this.b[this.n++] = b | 0x80;
    }
  }
  all(xs: ArrayLike<number>): void { if (this.n + xs.length > this.b.length) this.grow(xs.length); this.b.set(xs, this.n); this.n += xs.length; }
  name(s: string): void { const x = Buffer.from(s, "utf8"); this.u(x.length); this.all(x); }
  section(id: number, body: Bytes): void { this.byte(id); this.u(body.n); this.all(body.bytes()); }
  /** What was written (a view, not a copy). */
  bytes(): Uint8Array<ArrayBuffer> { return this.b.subarray(0, this.n); }
}

export type Import =
  | { kind: "memory"; name: string }
  | { kind: "table"; name: string }
  | { kind: "global"; name: string; type: number }
  | { kind: "func"; name: string; params: number[]; results: number[] };

/** One function of a module: its locals (after the parameter) and its code, in parts that are concatenated (no `end`). */
export interface FnCode { locals: readonly number[]; code: ArrayLike<number>[] }

/** The export name of a module's k-th function: "f", "f1", "f2", … */
export const fnName = (k: number): string => (k === 0 ? "f" : `f${k}`);

const ulebLength = (v: number): number => { let k = 1; while (v >= 0x80) { v >>>= 7; k++; } return k; };

/**
 * A module importing `imports` (wasm import module "env") and exporting each of `fns` (of type
 * (param i64) (result i64), type 0: compiled code tail-calls through the table with it) as fnName(k). Several regions in one module share V8's fixed cost of a
 * module and of an instance (docs/jit.md, "What compiling costs").
 */
export function moduleBytes(imports: Import[], fns: FnCode[]): Uint8Array<ArrayBuffer> {
  const types: Array<[number[], number[]]> = [[[I64], [I64]]];
  const typeOf = (p: number[], r: number[]): number => {
    const k = types.findIndex(([a, b]) => a.join() === p.join() && b.join() === r.join());
    if (k >= 0) return k;
    types.push([p, r]);
    return types.length - 1;
  };
  const imp = new Bytes();
  imp.u(imports.length);
  for (const i of imports) {
    imp.name("env"); imp.name(i.name);
    if (i.kind === "memory") { imp.byte(0x02); imp.byte(0x00); imp.u(0); }
    else if (i.kind === "table") { imp.byte(0x01); imp.byte(0x70); imp.byte(0x00); imp.u(0); } // funcref, no maximum
    else if (i.kind === "global") { imp.byte(0x03); imp.byte(i.type); imp.byte(0x01); }
    else { imp.byte(0x00); imp.u(typeOf(i.params, i.results)); }
  }
  const type = new Bytes();
  type.u(types.length);
  for (const [p, r] of types) { type.byte(0x60); type.u(p.length); type.all(p); type.u(r.length); type.all(r); }
  const funcImports = imports.filter((i) => i.kind === "func").length;
  const fn = new Bytes(); fn.u(fns.length); for (let k = 0; k < fns.length; k++) fn.u(0);
  const exp = new Bytes(); exp.u(fns.length);
  for (let k = 0; k < fns.length; k++) { exp.name(fnName(k)); exp.byte(0x00); exp.u(funcImports + k); }
  const code = new Bytes();
  code.u(fns.length);
  for (const f of fns) {
    // Locals in runs of one type.
    const runs: Array<[number, number]> = [];
    for (const t of f.locals) { const last = runs[runs.length - 1]; if (last && last[1] === t) last[0]++; else runs.push([1, t]); }
    let size = ulebLength(runs.length) + 1; // the runs' count, the final `end`
    for (const [n] of runs) size += ulebLength(n) + 1;
    for (const part of f.code) size += part.length;
    code.u(size);
    code.u(runs.length);
    for (const [n, t] of runs) { code.u(n); code.byte(t); }
    for (const part of f.code) code.all(part);
    code.byte(OP.end);
  }
  const out = new Bytes();
  out.all([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  out.section(1, type); out.section(2, imp); out.section(3, fn); out.section(7, exp); out.section(10, code);
  return out.b.slice(0, out.n);
}
