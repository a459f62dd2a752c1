// Just enough of the WebAssembly binary format to write one module holding one
// function: its imports (the core's memory, globals and helpers), the function
// and its export. Bytes are appended to plain arrays; LEB128 as the spec says.

export const I32 = 0x7f, I64 = 0x7e;

export const OP = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, br_if: 0x0d, br_table: 0x0e, return: 0x0f, call: 0x10,
  drop: 0x1a, select: 0x1b,
  local_get: 0x20, local_set: 0x21, local_tee: 0x22, global_get: 0x23, global_set: 0x24,
  i64_load: 0x29, i64_load8_u: 0x31, i64_load16_u: 0x33, i64_load32_u: 0x35, i64_store: 0x37, i64_store8: 0x3c, i64_store16: 0x3d, i64_store32: 0x3e,
  i32_const: 0x41, i64_const: 0x42,
  i32_eqz: 0x45, i32_ne: 0x47, i32_gt_u: 0x4b,
  i64_eqz: 0x50, i64_eq: 0x51, i64_ne: 0x52, i64_lt_s: 0x53, i64_lt_u: 0x54, i64_gt_s: 0x55, i64_gt_u: 0x56,
  i64_le_s: 0x57, i64_le_u: 0x58, i64_ge_s: 0x59, i64_ge_u: 0x5a,
  i32_and: 0x71, i32_or: 0x72, i32_shl: 0x74,
  i64_add: 0x7c, i64_sub: 0x7d, i64_mul: 0x7e, i64_div_u: 0x80, i64_rem_u: 0x82, i64_and: 0x83, i64_or: 0x84,
  i64_xor: 0x85, i64_shl: 0x86, i64_shr_s: 0x87, i64_shr_u: 0x88, i64_rotl: 0x89, i64_rotr: 0x8a,
  f64_eq: 0x61, f64_lt: 0x63, f64_add: 0xa0, f64_sub: 0xa1, f64_mul: 0xa2, f64_div: 0xa3, f64_convert_i64_s: 0xb9,
  i32_wrap_i64: 0xa7, i64_extend_i32_u: 0xad, i64_reinterpret_f64: 0xbd, f64_reinterpret_i64: 0xbf, i64_extend8_s: 0xc2, i64_extend16_s: 0xc3, i64_extend32_s: 0xc4,
} as const;

// Numbers (every index, offset and 32-bit constant) take a path without BigInt: compiling a
// region is on the run's critical path (Jit.compile's time is reported).
export function uleb(out: number[], v: number | bigint): void {
  if (typeof v === "number" && v >= 0 && v <= 0x7fffffff) {
    let x = v;
    while (x >= 0x80) { out.push((x & 0x7f) | 0x80); x >>>= 7; }
    out.push(x);
    return;
  }
  let x = BigInt(v);
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
}

export function sleb(out: number[], v: number | bigint): void {
  if (typeof v === "number" && v >= -0x80000000 && v <= 0x7fffffff) {
    let x = v | 0;
    for (;;) {
      const b = x & 0x7f;
      x >>= 7;
      if ((x === 0 && (b & 0x40) === 0) || (x === -1 && (b & 0x40) !== 0)) { out.push(b); return; }
      out.push(b | 0x80);
    }
  }
  let x = BigInt.asIntN(64, BigInt(v));
  for (;;) {
    const b = Number(x & 0x7fn);
    x >>= 7n;
    if ((x === 0n && (b & 0x40) === 0) || (x === -1n && (b & 0x40) !== 0)) { out.push(b); return; }
    out.push(b | 0x80);
  }
}

const name = (out: number[], s: string): void => { const b = Buffer.from(s, "utf8"); uleb(out, b.length); out.push(...b); };
const section = (out: number[], id: number, body: number[]): void => { out.push(id); uleb(out, body.length); out.push(...body); };

export type Import =
  | { kind: "memory"; name: string }
  | { kind: "global"; name: string; type: number }
  | { kind: "func"; name: string; params: number[]; results: number[] };

/** A module importing `imports` (wasm import module "env") and exporting one function "f" (param i64) (result i64). */
export function moduleBytes(imports: Import[], locals: number[], body: number[]): Uint8Array<ArrayBuffer> {
  const types: Array<[number[], number[]]> = [[[I64], [I64]]];
  const typeOf = (p: number[], r: number[]): number => {
    const k = types.findIndex(([a, b]) => a.join() === p.join() && b.join() === r.join());
    if (k >= 0) return k;
    types.push([p, r]);
    return types.length - 1;
  };
  const imp: number[] = [];
  uleb(imp, imports.length);
  for (const i of imports) {
    name(imp, "env"); name(imp, i.name);
    if (i.kind === "memory") { imp.push(0x02, 0x00); uleb(imp, 0); }
    else if (i.kind === "global") imp.push(0x03, i.type, 0x01);
    else { imp.push(0x00); uleb(imp, typeOf(i.params, i.results)); }
  }
  const type: number[] = [];
  uleb(type, types.length);
  for (const [p, r] of types) { type.push(0x60); uleb(type, p.length); type.push(...p); uleb(type, r.length); type.push(...r); }
  const funcImports = imports.filter((i) => i.kind === "func").length;
  const fn: number[] = []; uleb(fn, 1); uleb(fn, 0);
  const exp: number[] = []; uleb(exp, 1); name(exp, "f"); exp.push(0x00); uleb(exp, funcImports);
  // Locals in runs of one type.
  const runs: Array<[number, number]> = [];
  for (const t of locals) { const last = runs[runs.length - 1]; if (last && last[1] === t) last[0]++; else runs.push([1, t]); }
  const code: number[] = [];
  uleb(code, runs.length);
  for (const [n, t] of runs) { uleb(code, n); code.push(t); }
  code.push(...body, OP.end);
  const codeSec: number[] = []; uleb(codeSec, 1); uleb(codeSec, code.length); codeSec.push(...code);
  const out = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  section(out, 1, type); section(out, 2, imp); section(out, 3, fn); section(out, 7, exp); section(out, 10, codeSec);
  return Uint8Array.from(out);
}
