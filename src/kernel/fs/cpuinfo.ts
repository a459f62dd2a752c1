// /proc/cpuinfo as Linux words it, from what the core's CPUID reports (asked
// through the core's cpuidLeaf export, so the two cannot disagree): vendor,
// family/model/stepping decoded as Linux does, the brand string, the L2 size,
// address sizes, and the flags of the CPUID words Linux names, in its order
// (leaf 1 EDX, 0x80000001 EDX, leaf 1 ECX, 0x80000001 ECX). Linux's synthetic
// flags (constant_tsc, rep_good, …) are not CPUID bits and are left out.
import type { Machine } from "../../machine/machine.js";

const EAX = 0, ECX = 1, EDX = 2, EBX = 3;

// Bit → Linux's flag name (arch/x86/include/asm/cpufeatures.h); unnamed bits are absent.
const LEAF1_EDX = ["fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", "", "sep", "mtrr", "pge", "mca", "cmov",
  "pat", "pse36", "pn", "clflush", "", "dts", "acpi", "mmx", "fxsr", "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe"];
const EXT1_EDX: Record<number, string> = { 11: "syscall", 19: "mp", 20: "nx", 22: "mmxext", 25: "fxsr_opt", 26: "pdpe1gb", 27: "rdtscp", 29: "lm", 30: "3dnowext", 31: "3dnow" };
const LEAF1_ECX = ["pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3", "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm",
  "", "pcid", "dca", "sse4_1", "sse4_2", "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", "", "avx", "f16c", "rdrand", "hypervisor"];
const EXT1_ECX = ["lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse", "3dnowprefetch", "osvw", "ibs", "xop",
  "skinit", "wdt", "", "lwp", "fma4", "tce", "", "nodeid_msr", "", "tbm", "topoext", "perfctr_core", "perfctr_nb", "", "bpext", "ptsc", "perfctr_llc", "mwaitx"];

function named(word: number, names: ArrayLike<string> | Record<number, string>): string[] {
  const out: string[] = [];
  for (let b = 0; b < 32; b++) {
    const n = (names as Record<number, string>)[b];
    if (n && (word >>> b) & 1) out.push(n);
  }
  return out;
}

const ascii = (...words: number[]): string =>
  Buffer.from(Uint32Array.from(words).buffer).toString("latin1").replace(/\0+$/, "");

export function cpuinfo(m: Machine): string {
  const q = (leaf: number, reg: number): number => m.core.cpuidLeaf(leaf, reg) >>> 0;
  const maxExt = q(0x80000000, EAX);
  const ext = (leaf: number, reg: number): number => (leaf <= maxExt ? q(leaf, reg) : 0);
  const sig = q(1, EAX);
  const base = (sig >>> 8) & 0xf;
  const family = base === 0xf ? base + ((sig >>> 20) & 0xff) : base;
  const model = base >= 6 ? ((sig >>> 4) & 0xf) | (((sig >>> 16) & 0xf) << 4) : (sig >>> 4) & 0xf;
  const brand = maxExt >= 0x80000004
    ? ascii(...[0x80000002, 0x80000003, 0x80000004].flatMap((l) => [q(l, EAX), q(l, EBX), q(l, ECX), q(l, EDX)])).trim()
    : "";
  const l2kb = ext(0x80000006, ECX) >>> 16;
  const clflush = ((q(1, EBX) >>> 8) & 0xff) * 8;
  const sizes = ext(0x80000008, EAX);
  const flags = [
    ...named(q(1, EDX), LEAF1_EDX), ...named(ext(0x80000001, EDX), EXT1_EDX),
    ...named(q(1, ECX), LEAF1_ECX), ...named(ext(0x80000001, ECX), EXT1_ECX),
  ];
  const rows: Array<[string, string]> = [
    ["processor", "0"],
    ["vendor_id", ascii(q(0, EBX), q(0, EDX), q(0, ECX))],
    ["cpu family", String(family)],
    ["model", String(model)],
    ["model name", brand],
    ["stepping", String(sig & 0xf)],
    ["cpu MHz", "1000.000"],          // the TSC's rate: one tick a nanosecond
    ["cache size", `${l2kb} KB`],
    ["physical id", "0"], ["siblings", "1"], ["core id", "0"], ["cpu cores", "1"],
    ["apicid", "0"], ["initial apicid", "0"],
    ["fpu", "yes"], ["fpu_exception", "yes"],
    ["cpuid level", String(q(0, EAX))],
    ["wp", "yes"],
    ["flags", flags.join(" ")],
    ["bogomips", "2000.00"],
    ["clflush size", String(clflush)],
    ["cache_alignment", String(clflush)],
    ["address sizes", `${sizes & 0xff} bits physical, ${(sizes >>> 8) & 0xff} bits virtual`],
  ];
  // Linux pads each name with tabs to column 16 (one tab past names of 8 or more).
  return rows.map(([k, v]) => `${k}${k.length < 8 ? "\t\t" : "\t"}: ${v}\n`).join("") + "power management:\n\n";
}
