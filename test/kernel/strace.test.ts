// --strace lines look like strace's: names, decoded arguments, errno names.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";

const asm = (body: string): string => `.globl _start\n.text\n_start:\n${body}\n  mov $60, %eax\n  xor %edi, %edi\n  syscall\n.data\npath: .asciz "/nope/x"\ndir: .asciz "/tmp/d"\nfifo: .asciz "/tmp/f"\ncdev: .asciz "/tmp/c"\n`;

describe("strace output", () => {
  it("decodes paths, flags, modes and errors", () => {
    const body = [
      "  mov $257, %eax\n  mov $-100, %rdi\n  movabs $path, %rsi\n  mov $0x80000, %edx\n  syscall",      // openat(AT_FDCWD, "/nope/x", O_RDONLY|O_CLOEXEC)
      "  mov $83, %eax\n  movabs $dir, %rdi\n  mov $0755, %esi\n  syscall",                                   // mkdir("/tmp/d", 0755)
      "  mov $83, %eax\n  movabs $dir, %rdi\n  mov $0755, %esi\n  syscall",                                   // again: EEXIST
      "  mov $95, %eax\n  mov $022, %edi\n  syscall",                                                          // umask(022)
      "  mov $9, %eax\n  xor %edi, %edi\n  mov $4096, %esi\n  mov $3, %edx\n  mov $0x22, %r10d\n  mov $-1, %r8\n  xor %r9d, %r9d\n  syscall",
      "  mov $259, %eax\n  mov $-100, %rdi\n  movabs $fifo, %rsi\n  mov $010644, %edx\n  xor %r10d, %r10d\n  syscall", // mknodat(AT_FDCWD, "/tmp/f", S_IFIFO|0644)
      "  mov $259, %eax\n  mov $-100, %rdi\n  movabs $cdev, %rsi\n  mov $020666, %edx\n  mov $0x103, %r10d\n  syscall", // a device: EPERM
    ].join("\n");
    const r = runGuest(build(tmp(), "st", asm(body), "S"));
    expect(r.strace.slice(1, 8)).toEqual([
      'openat(AT_FDCWD, "/nope/x", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)',
      'mkdir("/tmp/d", 0755) = 0',
      'mkdir("/tmp/d", 0755) = -1 EEXIST (File exists)',
      "umask(022) = 022",
      "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff6000",
      'mknodat(AT_FDCWD, "/tmp/f", S_IFIFO|0644) = 0',
      'mknodat(AT_FDCWD, "/tmp/c", S_IFCHR|0666, makedev(0x1, 0x3)) = -1 EPERM (Operation not permitted)',
    ]);
    expect(r.strace[0]).toMatch(/^execve\(".*\/st", \[".*\/st"\], \/\* \d+ vars \*\/\) = 0$/);
    expect(r.strace.at(-1)).toBe("+++ exited with 0 +++");
  });
});

describe.skipIf(!coreRunsGlibc())("strace output vs native strace", () => {
  it("matches line for line for a glibc program (apart from pids, stack addresses and random bytes)", () => {
    const d = tmp();
    const exe = build(d, "hello", '#include <stdio.h>\nint main(void){printf("hi %d\\n", 1); return 2;}\n', "c");
    const log = path.join(d, "native.strace");
    // stdout through a real pipe, as CapturedStdio presents it (node's own stdio pipes are sockets).
    spawnSync("bash", ["-c", `setarch -R strace -o "${log}" "${exe}" | cat > /dev/null`]);
    const norm = (lines: string[]) => lines
      .filter((l) => !/^execve|0x7fff|^getrandom|^\+\+\+/.test(l) && l.length > 0)
      .map((l) => l.replace(/ +=/, " =").replace(/^set_tid_address\((.*)\) = \d+$/, "set_tid_address($1) = PID"));
    const native = norm(readFileSync(log, "utf8").split("\n"));
    const emulated = norm(runGuest(exe).strace);
    expect(native.length).toBeGreaterThan(10);
    expect(emulated).toEqual(native);
  });
});
