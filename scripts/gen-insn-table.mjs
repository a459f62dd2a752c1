// Generates assembly/decoder/insns.ts, the core's compiled-in copy of the
// instruction table (src/isa/table.ts): per opcode its shape, the /digits LOCK
// may prefix and those that end a trace; per encoding its fast form. The core
// reads these arrays; it never asks the host.
//   node scripts/gen-insn-table.mjs          write the file (npm run build:core runs this first)
//   node scripts/gen-insn-table.mjs --check  exit 1 if the file is not what the table gives
// The table is TypeScript; Node 20 cannot import it directly, so it is
// transpiled (typescript's transpileModule, no type check) into a temporary
// folder with sse/table.ts, the one file it imports.
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const OUT = path.join(root, "assembly/decoder/insns.ts");

export async function loadTable() {
  const dir = mkdtempSync(path.join(tmpdir(), "skytrace-insns-"));
  try {
    writeFileSync(path.join(dir, "package.json"), '{"type":"module"}');
    for (const rel of ["src/isa/table.ts", "assembly/sse/table.ts"]) {
      const out = ts.transpileModule(readFileSync(path.join(root, rel), "utf8"), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel.replace(/\.ts$/, ".js")), out);
    }
    return await import(pathToFileURL(path.join(dir, "src/isa/table.js")).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The decoder's shape byte: bit 0 ModRM, bits 1..4 the immediate kind, 0x80 invalid (assembly/decoder/decode.ts).
const IMM = { b: 1, w: 2, z: 3, v: 5, e: 6, o: 7, g: 8 };
function shapeByte(s) {
  switch (s) {
    case ".": return 0;
    case "m": return 1;
    case "x": case "p": return 0x80;
    case "B": return 1 | (IMM.b << 1);
    case "Z": return 1 | (IMM.z << 1);
    case "g": return 1 | (IMM.g << 1);
    default: return IMM[s] << 1;
  }
}
export const A_NOSEG = 1 << 24, A_NOREXB = 1 << 25;
const PREFIX_SHIFT = 26; // bits 26-29: the prefix kind (table.ts PREFIXES), one-byte map only
// Fast-form table: ((pf * 512 + op) * 2 + mem) * 8 + ext, op < 0x200.
export const FAST_SIZE = 4 * 512 * 16;

export function build(T) {
  const attr = [];
  for (let op = 0; op < 0x400; op++) {
    let a = shapeByte(T.shapeOf(op));
    let lock = 0, ends = 0, cond = 0;
    for (let pf = 0; pf < 4; pf++) {
      let l = 0, e = 0;
      for (let ext = 0; ext < 8; ext++) {
        const m = T.rowFor(op, pf, true, ext), r = T.rowFor(op, pf, false, ext);
        if (m?.lock) l |= 1 << ext;
        if (m?.ends || r?.ends) e |= 1 << ext;
        if ((m?.ends ?? false) !== (r?.ends ?? false) && m && r) throw new Error(`insns: ${op.toString(16)} /${ext}: ends a trace in one form only`);
        for (const x of [m, r]) if (x?.fastIf) cond |= x.fastIf === "noseg" ? A_NOSEG : A_NOREXB;
      }
      if (pf === 0) { lock = l; ends = e; }
      else if ((l & ~lock) !== 0 || e !== ends) throw new Error(`insns: ${op.toString(16)}: LOCK or trace end depends on the prefix`);
    }
    const prefixes = new Set((op < 0x100 ? T.ROWS.filter((r) => r.op === op) : []).map((r) => r.prefix ?? ""));
    if (prefixes.size > 1) throw new Error(`insns: ${op.toString(16)}: rows disagree on the prefix`);
    const kind = T.PREFIXES.indexOf([...prefixes][0] ?? "");
    attr.push((a | (lock << 8) | (ends << 16) | cond | (Math.max(kind, 0) << PREFIX_SHIFT)) >>> 0);
  }
  // Per opcode: bit (memory ? 8 : 0) + ext set when some row (of any prefix class) fits the encoding.
  const valid = [];
  for (let op = 0; op < 0x400; op++) {
    let v = 0;
    for (let mem = 0; mem < 2; mem++) for (let ext = 0; ext < 8; ext++)
      for (let pf = 0; pf < 4; pf++) if (T.rowFor(op, pf, mem === 1, ext)) { v |= 1 << (mem * 8 + ext); break; }
    valid.push(v);
  }
  // Per opcode of the one-byte and 0F maps: the /digits whose rows push or pop (the `stack` column).
  const stack = [];
  for (let op = 0; op < 0x200; op++) {
    let v = 0;
    for (let ext = 0; ext < 8; ext++) for (let pf = 0; pf < 4; pf++) for (const mem of [false, true]) if (T.rowFor(op, pf, mem, ext)?.stack) v |= 1 << ext;
    stack.push(v);
  }
  const fast = new Uint8Array(FAST_SIZE);
  for (let pf = 0; pf < 4; pf++) for (let op = 0; op < 0x200; op++) for (let mem = 0; mem < 2; mem++) for (let ext = 0; ext < 8; ext++)
    fast[((pf * 512 + op) * 2 + mem) * 8 + ext] = T.fastOf(op, pf, mem === 1, ext);
  // Compressed: one byte per (prefix class, op), the form itself when memory/register and /digit do not
  // change it, else 0x80 + k, the k-th 16-byte block of FAST_BY_FORM ((memory ? 8 : 0) + /digit).
  const byOp = [], byForm = [];
  for (let k = 0; k < 4 * 512; k++) {
    const block = fast.subarray(k * 16, k * 16 + 16);
    if (block.every((f) => f === block[0])) { byOp.push(block[0]); continue; }
    if (byForm.length / 16 >= 0x80) throw new Error("insns: too many fast-form blocks");
    byOp.push(0x80 + byForm.length / 16);
    byForm.push(...block);
  }
  for (const f of fast) if (f >= 0x80) throw new Error("insns: a fast form >= 0x80");
  for (let i = 0; i < fast.length; i++) {
    const f = byOp[i >> 4], got = f < 0x80 ? f : byForm[((f - 0x80) << 4) + (i & 15)];
    if (got !== fast[i]) throw new Error("insns: the compressed fast-form table is wrong");
  }
  return { attr, valid, stack, byOp, byForm, fast };
}

function render(T) {
  const { attr, valid, stack, byOp, byForm } = build(T);
  const hex = (v) => "0x" + v.toString(16).toUpperCase();
  const L = [];
  L.push("// GENERATED by scripts/gen-insn-table.mjs from src/isa/table.ts (the instruction table): do not edit.");
  L.push("// `npm run build:core` regenerates it; test/cpu/insn-table.test.ts fails when it is stale.");
  L.push("// The decoder, the LOCK check, the trace builder and the fast-form classifier read these");
  L.push("// compiled-in arrays; an instruction's facts are its rows in src/isa/table.ts.");
  L.push("");
  L.push("// Per opcode (map << 8 | byte): bits 0-7 the shape (bit 0 ModRM, bits 1-4 the immediate kind, 0x80");
  L.push("// invalid), bits 8-15 the /digits LOCK may prefix, bits 16-23 the /digits that end a trace,");
  L.push("// bit 24 a fast form needing no FS/GS override, bit 25 one needing no REX.B, bits 26-29 the prefix kind.");
  L.push("export const SHAPE_MODRM: u8 = 1;");
  L.push("export const SHAPE_INVALID: u8 = 0x80;");
  for (const [k, v] of Object.entries(IMM)) L.push(`export const IMM_${k.toUpperCase()}: u8 = ${v};`);
  L.push(`export const A_NOSEG: u32 = ${hex(A_NOSEG)};`);
  L.push(`export const A_NOREXB: u32 = ${hex(A_NOREXB)};`);
  L.push("// Prefix kinds (bits 26-29 of a one-byte opcode's entry).");
  T.PREFIXES.forEach((p, i) => L.push(`export const PFX_${(p || "none").toUpperCase().replace(/[^A-Z0-9]/g, "_")}: u32 = ${i};`));
  L.push("");
  L.push("// Fast forms (exec/fast.ts).");
  for (const [k, v] of Object.entries(T.FAST)) L.push(`export const F_${k}: u8 = ${v};${T.FAST_DOC[k] ? "   // " + T.FAST_DOC[k] : ""}`);
  L.push("");
  L.push("// prettier-ignore");
  L.push("const ATTR: StaticArray<u32> = [");
  for (let i = 0; i < attr.length; i += 16) L.push("  " + attr.slice(i, i + 16).map(hex).join(", ") + `, // ${hex(i)}`);
  L.push("];");
  L.push("");
  L.push("// Per opcode with a ModRM byte: bit (memory operand ? 8 : 0) + ModRM.reg set when the table has a row");
  L.push("// for that encoding; one it has not is #UD (the decoder marks it invalid).");
  L.push("// prettier-ignore");
  L.push("const VALID: StaticArray<u16> = [");
  for (let i = 0; i < valid.length; i += 16) L.push("  " + valid.slice(i, i + 16).map(hex).join(", ") + `, // ${hex(i)}`);
  L.push("];");
  L.push("");
  L.push("// Per opcode (op < 0x200): bit ModRM.reg set when that form pushes or pops (an implicit SS access).");
  L.push("// prettier-ignore");
  L.push("const STACK: StaticArray<u8> = [");
  for (let i = 0; i < stack.length; i += 32) L.push("  " + stack.slice(i, i + 32).join(", ") + ",");
  L.push("];");
  L.push("");
  L.push("// Fast forms by prefix class * 512 + op (op < 0x200): the form, or 0x80 + k when the form depends on");
  L.push("// the operand kind or /digit: then FAST_BY_FORM[k * 16 + (memory ? 8 : 0) + ModRM.reg].");
  L.push("// prettier-ignore");
  L.push("const FAST_BY_OP: StaticArray<u8> = [");
  for (let i = 0; i < byOp.length; i += 32) L.push("  " + byOp.slice(i, i + 32).join(", ") + ",");
  L.push("];");
  L.push("// prettier-ignore");
  L.push("const FAST_BY_FORM: StaticArray<u8> = [");
  for (let i = 0; i < byForm.length; i += 16) L.push("  " + byForm.slice(i, i + 16).join(", ") + ",");
  L.push("];");
  L.push("");
  L.push("@inline export function attrOf(op: u32): u32 { return unchecked(ATTR[op]); }");
  L.push("@inline export function shapeOf(op: u32): u8 { return <u8>unchecked(ATTR[op]); }");
  L.push("// What a byte before the opcode is: PFX_NONE (the opcode), or a prefix kind.");
  L.push(`@inline export function prefixKind(b: u32): u32 { return unchecked(ATTR[b]) >> ${PREFIX_SHIFT}; }`);
  L.push("// Whether the table has a row for this ModRM form (mod = ModRM >> 6).");
  L.push("@inline export function formValid(op: u32, modrm: u32): bool {");
  L.push("  return ((<u32>unchecked(VALID[op]) >> ((modrm >> 6 == 3 ? 0 : 8) + ((modrm >> 3) & 7))) & 1) != 0;");
  L.push("}");
  L.push("// LOCK with a memory destination: op < 0x400 (not OP_INVALID), ext = ModRM.reg.");
  L.push("@inline export function lockable(op: u32, ext: u32): bool { return ((unchecked(ATTR[op]) >> (8 + ext)) & 1) != 0; }");
  L.push("@inline export function endsTrace(op: u32, ext: u32): bool { return ((unchecked(ATTR[op]) >> (16 + ext)) & 1) != 0; }");
  L.push("// Whether the form pushes or pops (op: map << 8 | byte, any map; ext = ModRM.reg).");
  L.push("@inline export function usesStack(op: u32, ext: u32): bool { return op < 0x200 && ((<u32>unchecked(STACK[op]) >> ext) & 1) != 0; }");
  L.push("// pf: the mandatory-prefix class (0 none, 1 = 66, 2 = F2, 3 = F3); op < 0x200.");
  L.push("@inline export function fastFormOf(op: u32, pf: u32, mem: bool, ext: u32): u8 {");
  L.push("  const f = unchecked(FAST_BY_OP[(pf << 9) + op]);");
  L.push("  return f < 0x80 ? f : unchecked(FAST_BY_FORM[((<u32>f - 0x80) << 4) + (mem ? 8 : 0) + ext]);");
  L.push("}");
  return L.join("\n") + "\n";
}

export async function generate() { return render(await loadTable()); }

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = await generate();
  if (process.argv.includes("--check")) {
    let old = "";
    try { old = readFileSync(OUT, "utf8"); } catch { /* missing: stale */ }
    if (old !== text) {
      console.error("gen-insn-table: assembly/decoder/insns.ts is stale: run `node scripts/gen-insn-table.mjs` (or npm run build:core)");
      process.exit(1);
    }
  } else {
    writeFileSync(OUT, text);
    console.log(`gen-insn-table: wrote ${path.relative(root, OUT)}`);
  }
}
