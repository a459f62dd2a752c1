// A test variant of a compiled core with every wasm global exported, so a test
// can read the whole of an instance's state (globals and linear memory) and
// compare two instances. Only the export section changes: the code, the
// globals and their order are the shipped module's.

function uleb(b: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0, i = at;
  for (;;) {
    const x = b[i++];
    v += (x & 0x7f) * 2 ** shift;
    if ((x & 0x80) === 0) return [v, i];
    shift += 7;
  }
}

function encUleb(v: number): number[] {
  const out: number[] = [];
  do {
    let x = v % 128;
    v = Math.floor(v / 128);
    if (v > 0) x |= 0x80;
    out.push(x);
  } while (v > 0);
  return out;
}

function name(b: Uint8Array, at: number): [string, number] {
  const [n, i] = uleb(b, at);
  return [Buffer.from(b.subarray(i, i + n)).toString("utf8"), i + n];
}

// Skip a constant expression (a global's initializer) up to its `end`.
function skipConstExpr(b: Uint8Array, at: number): number {
  let i = at;
  for (;;) {
    const op = b[i++];
    if (op === 0x0b) return i;
    if (op === 0x41 || op === 0x42 || op === 0x23 || op === 0xd2) { i = uleb(b, i)[1]; continue; } // i32/i64.const (sleb has the same length rule), global.get, ref.func
    if (op === 0x43) { i += 4; continue; }
    if (op === 0x44) { i += 8; continue; }
    if (op === 0xd0) { i += 1; continue; } // ref.null t
    if (op === 0xfd) { const [sub, j] = uleb(b, i); i = j; if (sub === 12) { i += 16; continue; } }
    throw new Error(`wasm-globals: unexpected opcode 0x${op.toString(16)} in a constant expression`);
  }
}

export interface GlobalInfo {
  index: number;
  exportName: string;   // the name it is exported under in the variant
  name: string;         // its debug name when the module has a name section, else "global <index>"
  type: number;         // 0x7f i32, 0x7e i64, 0x7d f32, 0x7c f64, ...
  mutable: boolean;
}

export interface GlobalsVariant { bytes: Uint8Array; globals: GlobalInfo[] }

interface Section { id: number; start: number; end: number; body: number } // [start, end) whole section; body = content start

export function exportAllGlobals(wasm: Uint8Array): GlobalsVariant {
  const b = wasm;
  const sections: Section[] = [];
  for (let i = 8; i < b.length;) {
    const id = b[i];
    const [size, body] = uleb(b, i + 1);
    sections.push({ id, start: i, end: body + size, body });
    i = body + size;
  }
  const globals: GlobalInfo[] = [];
  // Imported globals come first in the index space.
  const imp = sections.find((s) => s.id === 2);
  if (imp) {
    let [n, i] = uleb(b, imp.body);
    for (; n > 0; n--) {
      [, i] = name(b, i);
      [, i] = name(b, i);
      const kind = b[i++];
      if (kind === 0) i = uleb(b, i)[1];
      else if (kind === 1) { i++; const f = b[i++]; i = uleb(b, i)[1]; if (f & 1) i = uleb(b, i)[1]; }
      else if (kind === 2) { const f = b[i++]; i = uleb(b, i)[1]; if (f & 1) i = uleb(b, i)[1]; }
      else if (kind === 3) { globals.push({ index: globals.length, exportName: "", name: "", type: b[i], mutable: b[i + 1] === 1 }); i += 2; }
      else throw new Error(`wasm-globals: unknown import kind ${kind}`);
    }
  }
  const gsec = sections.find((s) => s.id === 6);
  if (gsec) {
    let [n, i] = uleb(b, gsec.body);
    for (; n > 0; n--) {
      globals.push({ index: globals.length, exportName: "", name: "", type: b[i], mutable: b[i + 1] === 1 });
      i = skipConstExpr(b, i + 2);
    }
  }
  // Debug names (custom section "name", subsection 7), when present.
  const names = new Map<number, string>();
  for (const s of sections.filter((x) => x.id === 0)) {
    let [nm, i] = name(b, s.body);
    if (nm !== "name") continue;
    while (i < s.end) {
      const sub = b[i];
      const [size, body] = uleb(b, i + 1);
      if (sub === 7) {
        let [n, j] = uleb(b, body);
        for (; n > 0; n--) {
          let idx: number, gn: string;
          [idx, j] = uleb(b, j);
          [gn, j] = name(b, j);
          names.set(idx, gn);
        }
      }
      i = body + size;
    }
    void nm;
  }
  for (const g of globals) {
    g.exportName = `__global_${g.index}`;
    g.name = names.get(g.index) ?? `global ${g.index}`;
  }
  // The export section, with one more entry per global.
  const exp = sections.find((s) => s.id === 7);
  if (!exp) throw new Error("wasm-globals: the module has no export section");
  const [count, first] = uleb(b, exp.body);
  const extra: number[] = [];
  for (const g of globals) {
    const nb = Buffer.from(g.exportName, "utf8");
    extra.push(...encUleb(nb.length), ...nb, 0x03, ...encUleb(g.index));
  }
  const content = [...encUleb(count + globals.length), ...b.subarray(first, exp.end), ...extra];
  const section = [7, ...encUleb(content.length), ...content];
  const out = new Uint8Array(exp.start + section.length + (b.length - exp.end));
  out.set(b.subarray(0, exp.start), 0);
  out.set(section, exp.start);
  out.set(b.subarray(exp.end), exp.start + section.length);
  return { bytes: out, globals };
}

// Every global's value (v128 globals cannot cross into JS and are listed as such).
export function readGlobals(exports: WebAssembly.Exports, globals: GlobalInfo[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of globals) {
    const key = `${g.name} (#${g.index})`;
    if (g.type === 0x7b) { out.set(key, "v128 (unreadable)"); continue; }
    out.set(key, String((exports[g.exportName] as WebAssembly.Global).value));
  }
  return out;
}
