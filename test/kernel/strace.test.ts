// --strace lines look like strace's: names, decoded arguments, errno names.
import { describe, it, expect } from "vitest";
import { build, tmp, runGuest } from "./helpers.js";

const asm = (body: string): string => `.globl _start\n.text\n_start:\n${body}\n  mov $60, %eax\n  xor %edi, %edi\n  syscall\n.data\npath: .asciz "/nope/x"\ndir: .asciz "/tmp/d"\n`;

describe("strace output", () => {
  it("decodes paths, flags, modes and errors", () => {
    const body = [
      "  mov $257, %eax\n  mov $-100, %rdi\n  movabs $path, %rsi\n  mov $0x80000, %edx\n  syscall",      // openat(AT_FDCWD, "/nope/x", O_RDONLY|O_CLOEXEC)
      "  mov $83, %eax\n  movabs $dir, %rdi\n  mov $0755, %esi\n  syscall",                                   // mkdir("/tmp/d", 0755)
      "  mov $83, %eax\n  movabs $dir, %rdi\n  mov $0755, %esi\n  syscall",                                   // again: EEXIST
      "  mov $95, %eax\n  mov $022, %edi\n  syscall",                                                          // umask(022)
      "  mov $9, %eax\n  xor %edi, %edi\n  mov $4096, %esi\n  mov $3, %edx\n  mov $0x22, %r10d\n  mov $-1, %r8\n  xor %r9d, %r9d\n  syscall",
    ].join("\n");
    const r = runGuest(build(tmp(), "st", asm(body), "S"));
    expect(r.strace.slice(1, 6)).toEqual([
      'openat(AT_FDCWD, "/nope/x", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)',
      'mkdir("/tmp/d", 0755) = 0',
      'mkdir("/tmp/d", 0755) = -1 EEXIST (File exists)',
      "umask(022) = 022",
      "mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff6000",
    ]);
    expect(r.strace[0]).toMatch(/^execve\(".*\/st", \[".*\/st"\], \/\* \d+ vars \*\/\) = 0$/);
    expect(r.strace.at(-1)).toBe("+++ exited with 0 +++");
  });
});
