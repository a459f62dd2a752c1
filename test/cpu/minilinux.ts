// A deliberately tiny Linux for CPU tests: loads a static ELF into a Machine,
// builds the initial stack (argv, envp, auxv) and answers the handful of system
// calls glibc's start-up, stdio and malloc make, so real gcc -O2 -static programs
// exercise the instruction set before (and independently of) src/kernel.
// Not the project's kernel: no files, no processes, one address space.
import { readFileSync } from "node:fs";
import { Machine } from "../../src/machine/machine.js";
import { AddressSpace, PROT_READ, PROT_WRITE, PROT_EXEC } from "../../src/machine/paging.js";
import { VirtualMemory } from "../../src/machine/vmem.js";
import { Exit, EXIT_NAMES } from "../../src/machine/layout.js";
import { syscallName } from "../../src/linux/syscall-numbers.js";

const PAGE = 4096;
const STACK_TOP = 0x7fff_f000_0000;
const STACK_PAGES = 64;
const MMAP_BASE = 0x7f00_0000_0000;

export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  fault?: string;
  ticks: bigint;
  syscalls: string[];
  seconds: number;
}

export class MiniLinux {
  readonly m: Machine;
  readonly as: AddressSpace;
  readonly vm: VirtualMemory;
  // m: the machine to run on (a JIT one, for the lockstep tests); a default Machine when not given.
  constructor(m: Machine = new Machine()) {
    this.m = m;
    this.as = new AddressSpace(m.phys);
    this.vm = new VirtualMemory(m.phys, this.as);
  }
  private brkStart = 0;
  private brk = 0;
  private mmapNext = MMAP_BASE;
  private out: number[] = [];
  private err: number[] = [];
  private rand = 0x12345678;
  readonly syscalls: string[] = [];

  private mapRange(va: number, len: number, prot: number): void {
    for (let p = Math.floor(va / PAGE) * PAGE; p < va + len; p += PAGE) {
      if (!this.as.lookup(p)) this.as.map(p, this.m.phys.alloc(), prot);
    }
  }

  load(path: string, argv: string[]): void {
    const elf = readFileSync(path);
    const dv = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
    const entry = Number(dv.getBigUint64(24, true));
    const phoff = Number(dv.getBigUint64(32, true));
    const phentsize = dv.getUint16(54, true), phnum = dv.getUint16(56, true);
    let end = 0, phdrVa = 0;
    for (let i = 0; i < phnum; i++) {
      const o = phoff + i * phentsize;
      const type = dv.getUint32(o, true), flags = dv.getUint32(o + 4, true);
      const off = Number(dv.getBigUint64(o + 8, true)), va = Number(dv.getBigUint64(o + 16, true));
      const filesz = Number(dv.getBigUint64(o + 32, true)), memsz = Number(dv.getBigUint64(o + 40, true));
      if (type !== 1) continue;
      const prot = PROT_READ | (flags & 2 ? PROT_WRITE : 0) | (flags & 1 ? PROT_EXEC : 0);
      this.mapRange(va, memsz, prot);
      this.vm.write(va, elf.subarray(off, off + filesz), true);
      if (off <= phoff && phoff < off + filesz) phdrVa = va + (phoff - off);
      end = Math.max(end, va + memsz);
    }
    this.brkStart = this.brk = Math.ceil(end / PAGE) * PAGE;
    // stack
    this.mapRange(STACK_TOP - STACK_PAGES * PAGE, STACK_PAGES * PAGE, PROT_READ | PROT_WRITE);
    let sp = STACK_TOP;
    const pushBytes = (b: Uint8Array): number => { sp -= b.length; this.vm.write(sp, b, true); return sp; };
    const argPtrs = argv.map((a) => pushBytes(Buffer.from(a + "\0")));
    const random = pushBytes(Uint8Array.from({ length: 16 }, (_, i) => (i * 37 + 11) & 0xff));
    const platform = pushBytes(Buffer.from("x86_64\0"));
    sp -= sp % 16;
    const auxv: Array<[number, number]> = [
      [3, phdrVa], [4, phentsize], [5, phnum], [6, PAGE], [9, entry], [11, 1000], [12, 1000], [13, 1000], [14, 1000],
      [16, 0x178bfbff], [17, 100], [23, 0], [25, random], [15, platform], [0, 0],
    ];
    const words = [argv.length, ...argPtrs, 0, 0, ...auxv.flat()];
    if (words.length % 2) words.push(0);
    sp -= words.length * 8;
    const buf = new Uint8Array(words.length * 8);
    const bdv = new DataView(buf.buffer);
    words.forEach((w, i) => bdv.setBigUint64(i * 8, BigInt(w), true));
    this.vm.write(sp, buf, true);
    this.m.cr3 = this.as.cr3;
    this.m.efer = 0xd01n; // SCE LME LMA NXE
    this.m.rip = BigInt(entry);
    this.m.setGpr(4, BigInt(sp));
  }

  private syscall(): bigint | null {
    const m = this.m;
    const nr = Number(m.gpr(0));
    const a = [m.gpr(7), m.gpr(6), m.gpr(2), m.gpr(10), m.gpr(8), m.gpr(9)];
    const n = (i: number) => Number(a[i]);
    this.syscalls.push(syscallName(nr));
    switch (nr) {
      case 1: { // write
        const data = this.vm.read(n(1), n(2));
        if (!data) return -14n;
        (n(0) === 2 ? this.err : this.out).push(...data);
        return BigInt(n(2));
      }
      case 20: { // writev
        let total = 0;
        for (let i = 0; i < n(2); i++) {
          const base = this.vm.readU64(n(1) + i * 16)!, len = this.vm.readU64(n(1) + i * 16 + 8)!;
          const data = this.vm.read(Number(base), Number(len));
          if (!data) return -14n;
          (n(0) === 2 ? this.err : this.out).push(...data);
          total += Number(len);
        }
        return BigInt(total);
      }
      case 12: { // brk
        const want = n(0);
        if (want < this.brkStart) return BigInt(this.brk);
        this.mapRange(this.brkStart, want - this.brkStart, PROT_READ | PROT_WRITE);
        this.brk = want;
        return BigInt(want);
      }
      case 9: { // mmap (anonymous only)
        const len = Math.ceil(n(1) / PAGE) * PAGE;
        const va = this.mmapNext;
        this.mmapNext += len + PAGE;
        this.mapRange(va, len, PROT_READ | PROT_WRITE | (n(2) & 4 ? PROT_EXEC : 0));
        return BigInt(va);
      }
      case 11: case 10: case 28: return 0n; // munmap mprotect madvise
      case 158: // arch_prctl
        if (n(0) === 0x1002) { m.fsBase = a[1]; return 0n; }
        return -22n;
      case 218: return 1000n; // set_tid_address
      case 273: return 0n;    // set_robust_list
      case 334: return -38n;  // rseq
      case 302: return -38n;  // prlimit64
      case 63: { // uname
        const b = new Uint8Array(65 * 6);
        ["Linux", "skytrace", "6.1.0", "#1", "x86_64", "(none)"].forEach((s, i) => b.set(Buffer.from(s), i * 65));
        return this.vm.write(n(0), b) ? 0n : -14n;
      }
      case 89: case 267: return -2n; // readlink(at)
      case 318: { // getrandom
        const b = new Uint8Array(n(1));
        for (let i = 0; i < b.length; i++) { this.rand = (this.rand * 1103515245 + 12345) >>> 0; b[i] = this.rand >>> 24; }
        return this.vm.write(n(0), b) ? BigInt(b.length) : -14n;
      }
      case 5: case 262: return -38n; // fstat newfstatat
      case 16: return -25n; // ioctl: ENOTTY
      case 228: { // clock_gettime
        const t = m.ticks;
        const b = new Uint8Array(16);
        new DataView(b.buffer).setBigUint64(0, t / 1_000_000_000n, true);
        new DataView(b.buffer).setBigUint64(8, t % 1_000_000_000n, true);
        return this.vm.write(n(1), b) ? 0n : -14n;
      }
      case 39: case 186: return 1000n; // getpid gettid
      case 102: case 104: case 107: case 108: return 1000n; // getuid...
      case 13: case 14: return 0n; // rt_sigaction rt_sigprocmask
      case 60: case 231: return null; // exit exit_group
    }
    return -38n;
  }

  run(maxTicks = 20_000_000_000): RunResult {
    const m = this.m;
    const t0 = performance.now();
    let exitCode: number | null = null, fault: string | undefined;
    for (;;) {
      if (m.ticks > BigInt(maxTicks)) { fault = "tick limit"; break; }
      const r = m.run(1_000_000);
      if (r === Exit.Budget) continue;
      if (r === Exit.Syscall) {
        const res = this.syscall();
        if (res === null) { exitCode = Number(m.gpr(7) & 0xffn); break; }
        m.setGpr(0, BigInt.asUintN(64, res));
        m.sysret();
        continue;
      }
      const e = m.exit();
      const bytes = this.vm.read(Number(e.rip), 8);
      fault = `${EXIT_NAMES[r]} at rip 0x${e.rip.toString(16)} addr 0x${e.addr.toString(16)} opcode 0x${e.opcode.toString(16)} bytes ${bytes ? Buffer.from(bytes).toString("hex") : "?"}`;
      break;
    }
    return {
      stdout: Buffer.from(this.out).toString("latin1"), stderr: Buffer.from(this.err).toString("latin1"),
      exitCode, fault, ticks: m.ticks, syscalls: this.syscalls, seconds: (performance.now() - t0) / 1000,
    };
  }
}

export function runProgram(path: string, argv: string[]): RunResult {
  const k = new MiniLinux();
  k.load(path, argv);
  return k.run();
}
