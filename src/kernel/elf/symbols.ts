// Symbol lookup in an ELF64 file's symbol table (.symtab, else .dynsym), for
// the host's code probes: the link-time addresses of named functions and
// objects. Static programs built with gcc keep .symtab unless stripped.
const SHT_SYMTAB = 2, SHT_DYNSYM = 11;
const SHN_UNDEF = 0;
const SYM_SIZE = 24;

export interface ElfSymbol { name: string; value: number; size: number; type: number; bind: number }
export const STT_OBJECT = 1, STT_FUNC = 2;

// Every defined symbol among `names`, by name (a name defined more than once,
// e.g. a static function in two files, keeps every definition). Missing names
// are absent; a file without section headers or symbols gives an empty map.
export function findSymbols(file: Uint8Array, names: readonly string[]): Map<string, ElfSymbol[]> {
  const out = new Map<string, ElfSymbol[]>();
  if (file.length < 64) return out;
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const shoff = Number(dv.getBigUint64(40, true));
  const shentsize = dv.getUint16(58, true);
  const shnum = dv.getUint16(60, true);
  if (shoff === 0 || shentsize < 64 || shoff + shnum * shentsize > file.length) return out;
  const section = (i: number) => {
    const o = shoff + i * shentsize;
    return { type: dv.getUint32(o + 4, true), offset: Number(dv.getBigUint64(o + 24, true)), size: Number(dv.getBigUint64(o + 32, true)), link: dv.getUint32(o + 40, true) };
  };
  const wanted = new Set(names);
  const enc = new TextEncoder();
  // The wanted names by their first byte: a static program has thousands of symbols, and most
  // share no first byte with any name (a flight looks its probes up at every exec).
  const byFirst: Array<Array<readonly [string, Uint8Array]>> = Array.from({ length: 256 }, () => []);
  for (const n of wanted) { const key = enc.encode(n); if (key.length > 0) byFirst[key[0]].push([n, key]); }
  const tables = [SHT_SYMTAB, SHT_DYNSYM];
  for (const kind of tables) {
    for (let i = 0; i < shnum; i++) {
      const s = section(i);
      if (s.type !== kind || s.link >= shnum || s.offset + s.size > file.length) continue;
      const str = section(s.link);
      if (str.offset + str.size > file.length) continue;
      for (let o = s.offset; o + SYM_SIZE <= s.offset + s.size; o += SYM_SIZE) {
        const nameOff = dv.getUint32(o, true);
        if (nameOff === 0 || nameOff >= str.size || dv.getUint16(o + 6, true) === SHN_UNDEF) continue;
        const at = str.offset + nameOff;
        const keys = byFirst[file[at]];
        for (let j = 0; j < keys.length; j++) {
          const [name, key] = keys[j];
          if (file[at + key.length] !== 0 || !sameBytes(file, at, key)) continue;
          const info = file[o + 4];
          const sym = { name, value: Number(dv.getBigUint64(o + 8, true)), size: Number(dv.getBigUint64(o + 16, true)), type: info & 0xf, bind: info >> 4 };
          const list = out.get(name) ?? [];
          if (!list.some((x) => x.value === sym.value)) list.push(sym);
          out.set(name, list);
        }
      }
    }
    if (out.size > 0) break; // .symtab had them: .dynsym repeats a subset
  }
  return out;
}

function sameBytes(file: Uint8Array, at: number, key: Uint8Array): boolean {
  for (let k = 0; k < key.length; k++) if (file[at + k] !== key[k]) return false;
  return true;
}
