// Guest faults end the process as Linux would (SIGSEGV, SIGILL, SIGFPE) with
// one diagnostic line; blocking with nothing left to run is a clear deadlock.
import { describe, it, expect, beforeAll } from "vitest";
import { build, tmp, runGuest, coreRunsGlibc } from "./helpers.js";

const asm = (body: string): string => `.globl _start\n.text\n_start:\n${body}\n`;
let dir: string;
beforeAll(() => { dir = tmp(); });

describe("guest faults", () => {
  it("a jump to an unmapped address is SIGSEGV (139) naming RIP and the address", () => {
    const r = runGuest(build(dir, "wild", asm("  mov $0x123456, %eax\n  jmp *%rax"), "S"));
    expect(r.outcome.status).toBe(139);
    expect(r.reports.join("\n")).toMatch(/killed by SIGSEGV: page fault at 0x123456 \(fetch, not mapped\), rip 0x123456/);
  });

  it("a write to the text segment is SIGSEGV with the instruction bytes", () => {
    const r = runGuest(build(dir, "wtext", asm("  lea _start(%rip), %rax\n  movl $1, (%rax)"), "S"));
    expect(r.outcome.status).toBe(139);
    expect(r.reports.join("\n")).toMatch(/page fault at 0x[0-9a-f]+ \(write, protection\), rip 0x[0-9a-f]+, bytes c7 00 01 00 00 00/);
  });

  it("ud2 is SIGILL (132)", () => {
    const r = runGuest(build(dir, "ud2", asm("  ud2"), "S"));
    expect(r.outcome.status).toBe(132);
    expect(r.reports.join("\n")).toMatch(/killed by SIGILL: invalid opcode, rip 0x[0-9a-f]+, bytes 0f 0b/);
  });

  it("division by zero is SIGFPE (136)", () => {
    const r = runGuest(build(dir, "div0", asm("  xor %ecx, %ecx\n  mov $1, %eax\n  cltd\n  idiv %ecx"), "S"));
    expect(r.outcome.status).toBe(136);
    expect(r.reports.join("\n")).toMatch(/killed by SIGFPE: divide error/);
  });

  it.skipIf(!coreRunsGlibc())("unbounded recursion overflows the 8 MiB stack into SIGSEGV", () => {
    const src = "#include <stdio.h>\nint f(volatile char *p){volatile char b[4096]; b[0]=p?*p:0; return f(b)+1;}\nint main(void){printf(\"%d\\n\", f(0));return 0;}\n";
    const r = runGuest(build(dir, "overflow", src, "c"));
    expect(r.outcome.status).toBe(139);
  });

  it.skipIf(!coreRunsGlibc())("a timer expiring during a busy loop kills with SIGALRM (142)", () => {
    const src = "#include <sys/time.h>\nint main(void){struct itimerval it = {{0, 0}, {0, 10000}}; setitimer(ITIMER_REAL, &it, 0); for (;;); }\n";
    const r = runGuest(build(dir, "alarmkill", src, "c"));
    expect(r.outcome.status).toBe(142);
    expect(r.outcome.kind === "exited" && r.outcome.ticks).toBeGreaterThanOrEqual(10_000_000n);
  });

  it("an unhandled syscall returns ENOSYS and is reported once", () => {
    const r = runGuest(build(dir, "enosys", asm("  mov $335, %eax\n  syscall\n  mov $335, %eax\n  syscall\n  mov %eax, %edi\n  neg %edi\n  mov $60, %eax\n  syscall"), "S"));
    expect(r.outcome.status).toBe(38);
    expect(r.reports.filter((l) => /unhandled syscall/.test(l)).length).toBe(1);
  });

  it("a write with an absurd length copies what is mapped, without a host-sized buffer", () => {
    // write(1, msg, 2^40): the copy stops at the first unmapped page, and the call returns what was written.
    const body = "  mov $1, %eax\n  mov $1, %edi\n  movabs $msg, %rsi\n  movabs $0x10000000000, %rdx\n  syscall\n  mov %eax, %edi\n  shr $12, %edi\n  mov $60, %eax\n  syscall\n.data\nmsg: .ascii \"hello\"\n";
    const r = runGuest(build(dir, "hugewrite", asm(body), "S"));
    expect(r.outcome.kind).toBe("exited");
    expect(r.stdout.startsWith("hello")).toBe(true);
    expect(r.outcome.status).toBe(1); // one page of .data was mapped (4096 bytes >> 12)
  });

  it("a read that can never complete is reported as a deadlock", () => {
    // pipe(fds); read(fds[0]) while this process holds the only write end.
    const body = "  sub $16, %rsp\n  mov %rsp, %rdi\n  mov $22, %eax\n  syscall\n  mov (%rsp), %edi\n  mov %rsp, %rsi\n  mov $1, %edx\n  xor %eax, %eax\n  syscall";
    const r = runGuest(build(dir, "deadlock", asm(body), "S"));
    expect(r.outcome.kind).toBe("panic");
    expect(r.outcome.kind === "panic" && r.outcome.message).toMatch(/deadlock: every process is blocked forever \(pid 1 in read\)/);
  });
});
