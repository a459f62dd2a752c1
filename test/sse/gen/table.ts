// The core's SIMD table (assembly/sse/table.ts) read by the tests: the same
// text the interpreter dispatches from, parsed into rows with what a test
// generator needs to encode each form (operand kinds, register and memory
// forms, memory size, immediate, REX.W / operand-size variants).
import { SIMD_TABLE } from "../../../assembly/sse/table.js";

export type RegKind = "xmm" | "mm" | "gpr" | "none";

export interface Row {
  pfx: "--" | "66" | "F3" | "F2";
  map: "0F" | "0F38" | "0F3A";
  op: number;
  ext?: number;
  mnemonic: string;
  feature: string;
  operands: string[];
  attrs: string;
  exec: string;
  // derived
  reg: RegKind;             // the ModRM.reg operand
  rm: RegKind;              // the r/m operand's register form
  regForm: boolean;         // a register r/m form exists
  memForm: boolean;         // a memory r/m form exists
  memSize: number | "y" | "v" | 0;
  imm: boolean;
  modrm: boolean;
  mmx: boolean;             // names an MMX register
  aligned: boolean;
  fp: boolean;
  flags: boolean;
}

const SIZES: Record<string, number | "y" | "v"> = { b: 1, w: 2, d: 4, q: 8, dq: 16, ps: 16, pd: 16, ss: 4, sd: 8, y: "y", v: "v" };
const size = (s: string): number | "y" | "v" | 0 => SIZES[s] ?? 0;

function derive(r: Omit<Row, "reg" | "rm" | "regForm" | "memForm" | "memSize" | "imm" | "modrm" | "mmx" | "aligned" | "fp" | "flags">): Row {
  let reg: RegKind = "none", rm: RegKind = "none", regForm = false, memForm = false, memSize: Row["memSize"] = 0, imm = false, mmx = false;
  for (const o of r.operands) {
    const k = o[0];
    if (k === "V") reg = "xmm";
    else if (k === "P") { reg = "mm"; mmx = true; }
    else if (k === "G") reg = "gpr";
    else if (k === "I") imm = true;
    else if (k === "<") continue;
    else if ("WQE".includes(k)) { rm = k === "W" ? "xmm" : k === "Q" ? "mm" : "gpr"; regForm = memForm = true; memSize = size(o.slice(1)); if (k === "Q") mmx = true; }
    else if ("UNR".includes(k)) {
      rm = k === "U" ? "xmm" : k === "N" ? "mm" : "gpr"; regForm = true;
      if (k === "N") mmx = true;
      const [, m] = o.split("/");
      if (m) { memForm = true; memSize = size(m.slice(1)); }
    } else if (k === "M") { memForm = true; memSize = size(o.slice(1)); }
  }
  const modrm = r.ext !== undefined || rm !== "none" || reg !== "none" || memForm;
  if (r.ext !== undefined && !memForm && rm === "none") regForm = true; // lfence mfence sfence
  if (!modrm) regForm = true;                                          // EMMS: its one form
  return {
    ...r, reg, rm, regForm, memForm, memSize, imm, modrm, mmx,
    aligned: r.attrs.includes("a"), fp: r.attrs.includes("x"), flags: r.attrs.includes("f"),
  };
}

export function simdRows(): Row[] {
  const rows: Row[] = [];
  for (const line of SIMD_TABLE.split("\n")) {
    const t = line.trim().split(/\s+/);
    if (t.length < 9) continue;
    const [pfx, map, op, ext, mnemonic, feature, operands, attrs, exec] = t;
    rows.push(derive({
      pfx: pfx as Row["pfx"], map: map as Row["map"], op: parseInt(op, 16),
      ext: ext === "-" ? undefined : Number(ext.slice(1)), mnemonic, feature,
      operands: operands === "-" ? [] : operands.split(","), attrs: attrs === "-" ? "" : attrs, exec,
    }));
  }
  return rows;
}

export const PFX_BYTES: Record<Row["pfx"], number[]> = { "--": [], "66": [0x66], F3: [0xf3], F2: [0xf2] };
export const MAP_BYTES: Record<Row["map"], number[]> = { "0F": [0x0f], "0F38": [0x0f, 0x38], "0F3A": [0x0f, 0x3a] };
export const rowName = (r: Row): string => `${r.mnemonic}-${r.pfx}${r.reg === "mm" || r.rm === "mm" ? "-mm" : ""}`;
