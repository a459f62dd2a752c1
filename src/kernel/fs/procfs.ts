// A few generated files: /proc/self/maps (the caller's VMAs, as Linux prints
// them), /proc/self/status (the fields a program reads about itself), /proc/self/cmdline and
// environ (its argv and environment strings),
// /proc/cpuinfo (what the core's CPUID reports, as Linux words it), and the
// CPU topology files glibc reads for sysconf(_SC_NPROCESSORS_*): one CPU.
import type { Kernel } from "../kernel.js";
import { DeviceInode } from "./inode.js";
import { FileOps, OpenFile, POLLIN } from "./file.js";
import { S_IFREG } from "./inode.js";
import { EINVAL } from "../errno.js";
import { cpuinfo } from "./cpuinfo.js";
import { procStatus } from "./proc-status.js";
import type { Process } from "../process/process.js";

// A read-only file whose bytes are produced by its first read (as Linux's seq_file: what
// /proc/self/maps shows includes what the reader mapped after opening it).
function generated(make: () => string): DeviceInode {
  const node = new DeviceInode(0o444, 0, () => {
    let bytes: Buffer | null = null;
    const ops: FileOps = {
      seekable: true,
      read: (_f: OpenFile, buf: Uint8Array, pos: number) => {
        bytes ??= Buffer.from(make(), "latin1"); // the kernel's strings are bytes, one char each
        if (pos >= bytes.length) return 0;
        const n = Math.min(buf.length, bytes.length - pos);
        buf.set(bytes.subarray(pos, pos + n));
        return n;
      },
      write: () => -EINVAL,
      poll: () => POLLIN,
    };
    return ops;
  });
  node.mode = S_IFREG | 0o444; // a regular file to stat, with generated contents
  return node;
}

const hex = (n: number, w: number): string => n.toString(16).padStart(w, "0");

export function populateProc(k: Kernel): void {
  const v = k.vfs;
  v.add("/proc/self/maps", generated(() => {
    const p = k.current;
    if (!p) return "";
    return p.mm.vmas.map((m) => {
      const perms = `${m.prot & 1 ? "r" : "-"}${m.prot & 2 ? "w" : "-"}${m.prot & 4 ? "x" : "-"}p`;
      const name = m.backing ? m.backing.name : m.kind === "stack" ? "[stack]" : m.kind === "heap" ? "[heap]" : m.kind === "vdso" ? "[vdso]" : m.kind === "vvar" ? "[vvar]" : m.kind === "elf" ? p.exePath : "";
      const line = `${hex(m.start, 8)}-${hex(m.end, 8)} ${perms} 00000000 00:00 0`;
      return name ? `${line.padEnd(73)}${name}\n` : `${line}\n`;
    }).join("");
  }));
  v.add("/proc/self/status", generated(() => (k.current ? procStatus(k, k.current) : "")));
  // The argv and environment strings as they are now in the reader's memory (a program may have
  // rewritten them), NUL-separated, as Linux reads them from arg_start..arg_end and env_start..env_end.
  const strings = (from: (s: Process["strings"]) => [number, number]) => generated(() => {
    const p = k.current;
    if (!p) return "";
    const [a, b] = from(p.strings);
    return Buffer.from(p.mem.read(a, b - a) ?? new Uint8Array(0)).toString("latin1");
  });
  v.add("/proc/self/cmdline", strings((s) => [s.argStart, s.argEnd]));
  v.add("/proc/self/environ", strings((s) => [s.argEnd, s.envEnd]));
  v.add("/proc/cpuinfo", generated(() => cpuinfo(k.machine)));
  v.add("/sys/devices/system/cpu/online", generated(() => "0\n"));
  v.add("/sys/devices/system/cpu/possible", generated(() => "0\n"));
  v.add("/proc/sys/kernel/osrelease", generated(() => "6.1.0-skytrace\n"));
  // The file system types the kernel shows (libselinux looks for selinuxfs here: there is none).
  v.add("/proc/filesystems", generated(() => "nodev\tsysfs\nnodev\ttmpfs\nnodev\tproc\nnodev\tdevtmpfs\nnodev\tpipefs\n\text4\n"));
}
