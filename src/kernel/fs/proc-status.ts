// /proc/self/status: the fields a program reads about itself, in Linux's order and format
// (fs/proc/array.c): ids, memory sizes from the VMAs, the thread count, the signal masks
// (SigPnd and SigBlk the reading thread's, ShdPnd what is pending for the whole process because
// every thread blocks it), root's capabilities, one CPU.
import type { Kernel } from "../kernel.js";
import type { Process } from "../process/process.js";
import { SIG_IGN, SIG_DFL, NSIG } from "../signal/signals.js";

const mask = (m: bigint): string => BigInt.asUintN(64, m).toString(16).padStart(16, "0");
const kb = (bytes: number): string => `${String(bytes >> 10).padStart(8)} kB`;

// `t` is the reading thread; most fields are its process's (the leader's).
export function procStatus(k: Kernel, t: Process): string {
  const p = t.leader;
  let ign = 0n, cgt = 0n;
  for (let s = 1; s <= NSIG; s++) {
    const h = p.sigactions[s]?.handler ?? SIG_DFL;
    if (h === SIG_IGN) ign |= 1n << BigInt(s - 1);
    else if (h !== SIG_DFL) cgt |= 1n << BigInt(s - 1);
  }
  const size = (kind?: string): number => p.mm.vmas.filter((v) => !kind || v.kind === kind).reduce((n, v) => n + v.end - v.start, 0);
  const data = p.mm.vmas.filter((v) => (v.kind === "heap" || v.kind === "anon") && v.prot & 2).reduce((n, v) => n + v.end - v.start, 0);
  const exe = p.mm.vmas.filter((v) => v.kind === "elf" && v.prot & 4).reduce((n, v) => n + v.end - v.start, 0);
  const ppid = p.parent?.pid ?? 0;
  const lines: Array<[string, string]> = [
    ["Name", t.comm],
    ["Umask", t.umask.toString(8).padStart(4, "0")],
    ["State", "R (running)"],          // the reader is the one running
    ["Tgid", String(p.pid)],
    ["Ngid", "0"],
    ["Pid", String(t.pid)],
    ["PPid", String(ppid)],
    ["TracerPid", "0"],
    ["Uid", "0\t0\t0\t0"],
    ["Gid", "0\t0\t0\t0"],
    ["FDSize", "64"],
    ["Groups", " "],
    ["NStgid", String(p.pid)],
    ["NSpid", String(t.pid)],
    ["NSpgid", String(p.pid)],
    ["NSsid", String(p.pid)],
    ["VmPeak", kb(size())],
    ["VmSize", kb(size())],
    ["VmLck", kb(0)],
    ["VmPin", kb(0)],
    ["VmData", kb(data)],
    ["VmStk", kb(size("stack"))],
    ["VmExe", kb(exe)],
    ["VmLib", kb(0)],
    ["VmSwap", kb(0)],
    ["Threads", String(k.threadCount(p))],
    ["SigQ", `0/${0x7fff}`],
    ["SigPnd", mask(t.sigpending)],
    ["ShdPnd", mask(t.leader.sharedPending)],
    ["SigBlk", mask(t.sigmask)],
    ["SigIgn", mask(ign)],
    ["SigCgt", mask(cgt)],
    ["CapInh", mask(0n)],
    ["CapPrm", mask(0x1ffffffffffn)],
    ["CapEff", mask(0x1ffffffffffn)],
    ["CapBnd", mask(0x1ffffffffffn)],
    ["CapAmb", mask(0n)],
    ["NoNewPrivs", "0"],
    ["Seccomp", "0"],
    ["Cpus_allowed", "1"],
    ["Cpus_allowed_list", "0"],
    ["Mems_allowed", "1"],
    ["Mems_allowed_list", "0"],
    ["voluntary_ctxt_switches", "0"],
    ["nonvoluntary_ctxt_switches", "0"],
  ];
  return lines.map(([n, v]) => `${n}:\t${v}\n`).join("");
}
