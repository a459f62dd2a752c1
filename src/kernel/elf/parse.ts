// Reading and validating an x86-64 ELF64 executable (static, static-pie, or
// dynamically linked: then `interp` names its loader). Every rejection is an
// ExecError with one line a user can act on (never a stack trace).
import { ENOEXEC } from "../errno.js";

export const PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7, PT_GNU_STACK = 0x6474e551;
export const PF_X = 1, PF_W = 2, PF_R = 4;
export const ET_EXEC = 2, ET_DYN = 3;
const EM_X86_64 = 62;

export class ExecError extends Error {
  constructor(message: string, readonly errno = ENOEXEC) { super(message); }
}

export interface ProgramHeader {
  type: number; flags: number; offset: number; vaddr: number; filesz: number; memsz: number; align: number;
}

export interface ElfImage {
  type: number;           // ET_EXEC or ET_DYN (static-pie)
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  phdrs: ProgramHeader[];
  loads: ProgramHeader[];
  tls?: ProgramHeader;
  stackExec: boolean;     // PT_GNU_STACK asks for an executable stack
  interp?: string;        // PT_INTERP: the dynamic loader's path (a dynamically linked program)
}

const MACHINES: Record<number, string> = { 3: "x86 (32-bit)", 40: "ARM", 183: "AArch64", 243: "RISC-V", 8: "MIPS", 20: "PowerPC", 21: "PowerPC64", 22: "s390" };

export function parseElf(file: Uint8Array, name: string): ElfImage {
  if (file.length >= 2 && file[0] === 0x23 && file[1] === 0x21) {
    throw new ExecError(`${name}: scripts are not supported; run the interpreter explicitly`);
  }
  if (file.length < 4 || file[0] !== 0x7f || file[1] !== 0x45 || file[2] !== 0x4c || file[3] !== 0x46) {
    throw new ExecError(`${name}: not an ELF executable (bad magic)`);
  }
  if (file.length < 64) throw new ExecError(`${name}: truncated ELF (header is ${file.length} bytes, needs 64)`);
  if (file[4] !== 2) throw new ExecError(`${name}: not a 64-bit ELF (class ${file[4]}); only x86-64 programs run here`);
  if (file[5] !== 1) throw new ExecError(`${name}: not a little-endian ELF; only x86-64 programs run here`);
  if (file[6] !== 1) throw new ExecError(`${name}: unknown ELF version ${file[6]}`);
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const type = dv.getUint16(16, true);
  const machine = dv.getUint16(18, true);
  if (machine !== EM_X86_64) {
    throw new ExecError(`${name}: ELF for ${MACHINES[machine] ?? `machine ${machine}`}, not x86-64`);
  }
  if (type !== ET_EXEC && type !== ET_DYN) {
    throw new ExecError(`${name}: not an executable ELF (type ${type === 1 ? "relocatable object" : type === 4 ? "core dump" : type})`);
  }
  const u64 = (o: number): number => {
    const v = dv.getBigUint64(o, true);
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ExecError(`${name}: corrupt ELF (value 0x${v.toString(16)} at offset ${o} out of range)`);
    return Number(v);
  };
  const entry = u64(24);
  const phoff = u64(32);
  const phentsize = dv.getUint16(54, true);
  const phnum = dv.getUint16(56, true);
  if (phnum === 0) throw new ExecError(`${name}: corrupt ELF (no program headers)`);
  if (phentsize !== 56) throw new ExecError(`${name}: corrupt ELF (program header size ${phentsize}, expected 56)`);
  if (phoff + phnum * phentsize > file.length) throw new ExecError(`${name}: truncated ELF (program headers past the end of the file)`);

  const phdrs: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    phdrs.push({
      type: dv.getUint32(o, true), flags: dv.getUint32(o + 4, true), offset: u64(o + 8), vaddr: u64(o + 16),
      filesz: u64(o + 32), memsz: u64(o + 40), align: u64(o + 48),
    });
  }
  const interpHdr = phdrs.find((p) => p.type === PT_INTERP);
  let interp: string | undefined;
  if (interpHdr) {
    const { offset, filesz } = interpHdr;
    // Linux wants a NUL-terminated path of 2 to PATH_MAX bytes inside the file.
    if (filesz < 2 || filesz > 4096 || offset + filesz > file.length || file[offset + filesz - 1] !== 0) {
      throw new ExecError(`${name}: corrupt ELF (bad PT_INTERP)`);
    }
    interp = Buffer.from(file.subarray(offset, offset + filesz - 1)).toString("latin1");
    if (interp.includes("\0")) throw new ExecError(`${name}: corrupt ELF (bad PT_INTERP)`);
  }
  const loads = phdrs.filter((p) => p.type === PT_LOAD);
  if (loads.length === 0) throw new ExecError(`${name}: corrupt ELF (no loadable segment)`);
  for (const p of loads) {
    if (p.filesz > p.memsz) throw new ExecError(`${name}: corrupt ELF (segment file size larger than memory size)`);
    if (p.offset + p.filesz > file.length) throw new ExecError(`${name}: truncated ELF (segment data past the end of the file)`);
    if (p.align > 1 && (p.vaddr - p.offset) % 4096 !== 0) throw new ExecError(`${name}: corrupt ELF (segment offset and address not congruent)`);
    if (p.vaddr + p.memsz > 2 ** 47 || p.memsz > 2 ** 32) throw new ExecError(`${name}: corrupt ELF (segment outside the user address space)`);
  }
  const stack = phdrs.find((p) => p.type === PT_GNU_STACK);
  return {
    type, entry, phoff, phentsize, phnum, phdrs, loads,
    tls: phdrs.find((p) => p.type === PT_TLS),
    stackExec: stack ? (stack.flags & PF_X) !== 0 : false,
    ...(interp !== undefined ? { interp } : {}),
  };
}
