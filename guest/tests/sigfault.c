/* Synchronous signals as Linux reports them: each cause (ud2, int3, int $3,
 * int $4, into, int $0xfd, int1, hlt, page faults on unmapped, protected and
 * kernel addresses for read, write and fetch, a non-canonical address (#GP;
 * #SS through RSP; a CALL or RET to one faults at the branch), #DE,
 * SSE exceptions unmasked in MXCSR, x87 exceptions unmasked in the control
 * word, a misaligned MOVAPS) runs under an SA_SIGINFO handler that records
 * signo, si_code, si_addr, the sigcontext's trapno, err and cr2, where RIP
 * points, and the FXSAVE-format fpstate the frame points to. Addresses are
 * printed relative to known ones, so the output is the same on every run.
 * The handler resumes by moving RIP in the ucontext (past the instruction,
 * or to the return address of a call into a bad page) and, for the FP
 * exceptions, by editing the fpstate (masking or clearing the exception),
 * so rt_sigreturn must restore what the frame holds. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

struct report {
  int signo, code;
  uintptr_t addr, rip, trapno, err, cr2, oldmask;
  uint16_t cs, ss;
  unsigned long uc_flags;
  int fp_present, fp_aligned, fp_above;
  uint16_t cwd, swd, fop;
  uint8_t ftw;
  uint64_t fip, fdp;
  uint32_t mxcsr, magic1, ext_minus_size, xfeat;
  int size_ok;
  uint8_t st0[10];   /* the fpstate's ST0 and the low dwords of its XMM registers */
  uint32_t xmm_lo[16];
  uint16_t h_cw;   /* the handler's own x87 control word and MXCSR on entry */
  uint32_t h_mxcsr;
};
static struct report r;
static int fired;

/* What the handler does to resume. */
enum { RESUME_AT, RESUME_RET, RESUME_MASK_SSE, RESUME_CLEAR_X87 };
static int how;
static uintptr_t resume_at;

static void handler(int sig, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
  greg_t *g = uc->uc_mcontext.gregs;
  __asm__ volatile("fnstcw %0" : "=m"(r.h_cw));
  __asm__ volatile("stmxcsr %0" : "=m"(r.h_mxcsr));
  fired++;
  r.signo = sig;
  r.code = si->si_code;
  r.addr = (uintptr_t)si->si_addr;
  r.rip = g[REG_RIP];
  r.trapno = g[REG_TRAPNO];
  r.err = g[REG_ERR];
  r.cr2 = g[REG_CR2];
  r.oldmask = g[REG_OLDMASK];
  r.cs = (uint16_t)g[REG_CSGSFS];
  r.ss = (uint16_t)(g[REG_CSGSFS] >> 48);
  r.uc_flags = uc->uc_flags;
  uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
  r.fp_present = fp != NULL;
  if (fp) {
    r.fp_aligned = ((uintptr_t)fp & 63) == 0;
    r.fp_above = fp > (uint8_t *)uc;
    memcpy(&r.cwd, fp, 2);
    memcpy(&r.swd, fp + 2, 2);
    r.ftw = fp[4];
    memcpy(&r.fop, fp + 6, 2);
    memcpy(&r.fip, fp + 8, 8);
    memcpy(&r.fdp, fp + 16, 8);
    memcpy(&r.mxcsr, fp + 24, 4);
    uint32_t ext, size;
    uint64_t xf;
    memcpy(&r.magic1, fp + 464, 4);
    memcpy(&ext, fp + 468, 4);
    memcpy(&xf, fp + 472, 8);
    memcpy(&size, fp + 480, 4);
    r.ext_minus_size = ext - size;
    r.size_ok = size >= 512;
    r.xfeat = (uint32_t)(xf & 3);
    memcpy(r.st0, fp + 32, 10);
    for (int i = 0; i < 16; i++) memcpy(&r.xmm_lo[i], fp + 160 + 16 * i, 4);
  }
  switch (how) {
  case RESUME_AT: g[REG_RIP] = resume_at; break;
  case RESUME_RET: { /* a call into a bad page: return to the caller */
    uint64_t ret;
    memcpy(&ret, (void *)g[REG_RSP], 8);
    g[REG_RIP] = ret;
    g[REG_RSP] += 8;
    break;
  }
  case RESUME_MASK_SSE: { /* mask every SSE exception, clear the flags, re-run the instruction */
    uint32_t mx;
    memcpy(&mx, fp + 24, 4);
    mx = (mx | 0x1f80) & ~0x3fu;
    memcpy(fp + 24, &mx, 4);
    break;
  }
  case RESUME_CLEAR_X87: { /* clear the pending x87 exception and skip the waiting instruction */
    uint16_t sw;
    memcpy(&sw, fp + 2, 2);
    sw &= (uint16_t)~0x80ff;
    memcpy(fp + 2, &sw, 2);
    g[REG_RIP] = resume_at;
    break;
  }
  }
}

/* Known addresses, to print others relative to them. */
static uint8_t *unmapped, *none, *ro, *ro_fresh, *rx_none, *rw;
static const char *insn_name;
static uintptr_t insn_at;

static void where(const char *what, uintptr_t a) {
  struct { const char *n; uintptr_t base; } known[] = {
    {"insn", insn_at}, {"unmapped", (uintptr_t)unmapped}, {"none", (uintptr_t)none}, {"ro", (uintptr_t)ro},
    {"ro_fresh", (uintptr_t)ro_fresh}, {"noexec", (uintptr_t)rx_none}, {"rw", (uintptr_t)rw},
  };
  if (a == 0) { printf(" %s=0", what); return; }
  for (unsigned i = 0; i < sizeof known / sizeof *known; i++)
    if (known[i].base && a >= known[i].base && a < known[i].base + 4096) { printf(" %s=%s+%lu", what, known[i].n, (unsigned long)(a - known[i].base)); return; }
  printf(" %s=0x%lx", what, (unsigned long)a);
}

static void show(void) {
  if (!fired) { printf("%s: no signal\n", insn_name); return; }
  printf("%s: signo=%d code=0x%x", insn_name, r.signo, r.code);
  if (r.code == SI_USER) printf(" (sent by this process: %s)", (pid_t)r.addr == getpid() ? "yes" : "no"); /* si_pid, not an address */
  else { where("addr", r.addr); where("rip", r.rip); }
  printf(" trapno=%lu err=0x%lx", (unsigned long)r.trapno, (unsigned long)r.err);
  where("cr2", r.cr2);
  printf(" oldmask=0x%lx cs=0x%x ss=0x%x uc_flags&6=%lu\n", (unsigned long)r.oldmask, r.cs, r.ss, r.uc_flags & 6);
  printf("  fpstate: present=%d aligned64=%d above_uc=%d magic1=0x%x extended-xstate=%u size_ok=%d xfeatures&3=%u"
         " cwd=0x%x swd=0x%x ftw=0x%x mxcsr=0x%x; handler entered with cw=0x%x mxcsr=0x%x\n",
         r.fp_present, r.fp_aligned, r.fp_above, r.magic1, r.ext_minus_size, r.size_ok, r.xfeat, r.cwd, r.swd, r.ftw, r.mxcsr,
         r.h_cw, r.h_mxcsr);
  fired = 0;
  memset(&r, 0, sizeof r);
}

/* Each probe: a global label at the instruction and one after it. */
#define PROBE(name, body)                                                             \
  extern char name##_at[], name##_end[];                                              \
  static __attribute__((noinline)) void name(void) {                                  \
    __asm__ volatile(".globl " #name "_at, " #name "_end\n" #name "_at: " body "\n" #name "_end:\n" ::: "memory"); \
  }

PROBE(p_ud2, "ud2")
PROBE(p_int3, "int3")
PROBE(p_int_3, ".byte 0xcd, 0x03")
PROBE(p_int_4, "int $4")
PROBE(p_into, ".byte 0xce")
PROBE(p_int_fd, "int $0xfd")
PROBE(p_int1, ".byte 0xf1")
PROBE(p_hlt, "hlt")
PROBE(p_cli, "cli")

static void run(const char *name, void (*f)(void), char *at, char *end, int resume) {
  insn_name = name;
  insn_at = (uintptr_t)at;
  how = resume;
  resume_at = (uintptr_t)end;
  f();
  show();
}

/* A load, a store and a call through a pointer: the pointer comes in RDI. */
extern char p_load_at[], p_load_end[], p_store_at[], p_store_end[], p_call_at[], p_call_end[];
static __attribute__((noinline)) void p_load(void *a) {
  __asm__ volatile(".globl p_load_at, p_load_end\np_load_at: movq (%0), %%rax\np_load_end:\n" ::"r"(a) : "rax", "memory");
}
static __attribute__((noinline)) void p_store(void *a) {
  __asm__ volatile(".globl p_store_at, p_store_end\np_store_at: movq %%rax, (%0)\np_store_end:\n" ::"r"(a) : "memory");
}
static __attribute__((noinline)) void p_call(void *a) {
  __asm__ volatile(".globl p_call_at, p_call_end\np_call_at: call *%0\np_call_end:\n" ::"r"(a) : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
}

/* A non-canonical address: read through RSP (an SS access: #SS, SIGBUS), and a RET to one
 * (#GP at the RET, the return address still on the stack). */
extern char p_ss_at[], p_ss_end[], p_retnc_at[], p_retnc_end[];
static __attribute__((noinline)) void p_ss(uintptr_t a) {
  __asm__ volatile("sub %%rsp, %0\n.globl p_ss_at, p_ss_end\np_ss_at: movq (%%rsp,%0,1), %%rax\np_ss_end:\n" : "+r"(a) :: "rax", "memory");
}
static __attribute__((noinline)) void p_retnc(void) {
  __asm__ volatile("movabs $0x800000000000, %%rax\npush %%rax\n.globl p_retnc_at, p_retnc_end\np_retnc_at: ret\np_retnc_end:\nadd $8, %%rsp\n" ::: "rax", "memory");
}

static void mem(const char *name, int kind, void *a) {
  insn_name = name;
  if (kind == 0) { insn_at = (uintptr_t)p_load_at; resume_at = (uintptr_t)p_load_end; how = RESUME_AT; p_load(a); }
  else if (kind == 1) { insn_at = (uintptr_t)p_store_at; resume_at = (uintptr_t)p_store_end; how = RESUME_AT; p_store(a); }
  else if (kind == 2) { insn_at = (uintptr_t)p_call_at; how = RESUME_RET; p_call(a); }
  else if (kind == 3) { insn_at = (uintptr_t)p_call_at; resume_at = (uintptr_t)p_call_end; how = RESUME_AT; p_call(a); } /* nothing pushed */
  else { insn_at = (uintptr_t)p_ss_at; resume_at = (uintptr_t)p_ss_end; how = RESUME_AT; p_ss((uintptr_t)a); }
  show();
}

extern char p_div_at[], p_div_end[], p_idiv_at[], p_idiv_end[];
static __attribute__((noinline)) void p_div(uint64_t d) {
  __asm__ volatile("xor %%edx, %%edx\nmov $7, %%eax\n.globl p_div_at, p_div_end\np_div_at: divq %0\np_div_end:\n" ::"r"(d) : "rax", "rdx");
}
static __attribute__((noinline)) void p_idiv(int64_t d) {
  __asm__ volatile("mov $0x8000000000000000, %%rax\ncqo\n.globl p_idiv_at, p_idiv_end\np_idiv_at: idivq %0\np_idiv_end:\n" ::"r"(d) : "rax", "rdx");
}

/* SSE: one exception unmasked in MXCSR; the handler masks it and the instruction runs again. */
extern char p_sse_at[], p_sse_end[];
static __attribute__((noinline)) uint32_t p_sse(uint32_t mx, float a, float b, float *out) {
  uint32_t after;
  __asm__ volatile("ldmxcsr %[mx]\n.globl p_sse_at, p_sse_end\np_sse_at: divss %[b], %[a]\np_sse_end:\nstmxcsr %[after]\n"
                   : [a] "+x"(a), [after] "=m"(after) : [b] "x"(b), [mx] "m"(mx));
  *out = a;
  uint32_t def = 0x1f80;
  __asm__ volatile("ldmxcsr %0" ::"m"(def));
  return after;
}

static void sse(const char *name, uint32_t unmask, float a, float b) {
  insn_name = name;
  insn_at = (uintptr_t)p_sse_at;
  how = RESUME_MASK_SSE;
  float q;
  uint32_t after = p_sse(0x1f80 & ~unmask, a, b, &q);
  uint32_t abits, bbits;
  memcpy(&abits, &a, 4);
  memcpy(&bbits, &b, 4);
  int has_a = 0, has_b = 0;
  for (int i = 0; i < 16; i++) { has_a |= r.xmm_lo[i] == abits; has_b |= r.xmm_lo[i] == bbits; }
  show();
  printf("  the fpstate's XMM registers hold the operands: %s %s\n", has_a ? "yes" : "no", has_b ? "yes" : "no");
  uint32_t bits;
  memcpy(&bits, &q, 4);
  printf("  after the handler: result 0x%08x mxcsr 0x%x\n", bits, after);
}

/* x87: an exception unmasked in the control word is pending after the
 * arithmetic and delivered by the next waiting instruction (FWAIT). */
extern char p_x87_op[], p_x87_at[], p_x87_end[], p_x87m_op[], p_x87m_at[], p_x87m_end[];
static double zero = 0.0;
static __attribute__((noinline)) uint16_t p_x87(uint16_t cw) {
  uint16_t sw;
  __asm__ volatile("fninit\nfldcw %[cw]\nfld1\nfldz\n.globl p_x87_op, p_x87_at, p_x87_end\np_x87_op: .byte 0xde, 0xf9\n"
                   "p_x87_at: fwait\np_x87_end:\nfnstsw %[sw]\nfninit\n"
                   : [sw] "=m"(sw) : [cw] "m"(cw));
  return sw;
}
static __attribute__((noinline)) uint16_t p_x87m(uint16_t cw) {
  uint16_t sw;
  __asm__ volatile("fninit\nfldcw %[cw]\nfld1\n.globl p_x87m_op, p_x87m_at, p_x87m_end\np_x87m_op: fdivl %[z]\n"
                   "p_x87m_at: fwait\np_x87m_end:\nfnstsw %[sw]\nfninit\n"
                   : [sw] "=m"(sw) : [cw] "m"(cw), [z] "m"(zero));
  return sw;
}
extern char p_x87u_op[], p_x87u_at[], p_x87u_end[];
static __attribute__((noinline)) uint16_t p_x87u(uint16_t cw) {
  uint16_t sw;
  __asm__ volatile("fninit\nfldcw %[cw]\n.globl p_x87u_op, p_x87u_at, p_x87u_end\np_x87u_op: fadd %%st(3), %%st\n"
                   "p_x87u_at: fwait\np_x87u_end:\nfnstsw %[sw]\nfninit\n"
                   : [sw] "=m"(sw) : [cw] "m"(cw));
  return sw;
}

static void x87(const char *name, uint16_t (*f)(uint16_t), uint16_t cw, char *op, char *at, char *end, uintptr_t data) {
  insn_name = name;
  insn_at = (uintptr_t)at;
  how = RESUME_CLEAR_X87;
  resume_at = (uintptr_t)end;
  uint16_t sw = f(cw);
  uint64_t fip = r.fip, fdp = r.fdp;
  uint16_t fop = r.fop;
  uint8_t st0[10];
  memcpy(st0, r.st0, 10);
  show();
  printf("  fpstate ST0 ");
  for (int i = 9; i >= 0; i--) printf("%02x", st0[i]);
  printf("\n");
  printf("  fpstate pointers: fip=op%+ld fop=0x%x fdp=%s%+ld; status word after the handler 0x%x\n",
         (long)(fip - (uintptr_t)op), fop, data ? "data" : "", (long)(fdp - data), sw);
}

extern char p_movaps_at[], p_movaps_end[];
static __attribute__((noinline)) void p_movaps(void *a) {
  __asm__ volatile(".globl p_movaps_at, p_movaps_end\np_movaps_at: movaps (%0), %%xmm0\np_movaps_end:\n" ::"r"(a) : "xmm0");
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGUSR1};
  for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);

  /* an unmapped page, a PROT_NONE page, read-only pages (one touched, one not),
   * a readable page that is not executable (holding a RET) and a read-write page */
  uint8_t *area = mmap(NULL, 7 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unmapped = area;
  none = area + 4096;
  ro = area + 2 * 4096;
  ro_fresh = area + 3 * 4096;
  rx_none = area + 4 * 4096;
  rw = area + 5 * 4096;
  munmap(unmapped, 4096);
  munmap(none, 4096);
  mmap(none, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  ro[0] = 1;
  rx_none[0] = 0xc3;
  mprotect(ro, 4096, PROT_READ);
  munmap(ro_fresh, 4096);
  mmap(ro_fresh, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  mprotect(rx_none, 4096, PROT_READ);
  rw[0] = 1;

  run("ud2", p_ud2, p_ud2_at, p_ud2_end, RESUME_AT);
  run("int3", p_int3, p_int3_at, p_int3_end, RESUME_AT);
  run("int $3", p_int_3, p_int_3_at, p_int_3_end, RESUME_AT);
  run("int $4", p_int_4, p_int_4_at, p_int_4_end, RESUME_AT);
  run("into", p_into, p_into_at, p_into_end, RESUME_AT);
  run("int $0xfd", p_int_fd, p_int_fd_at, p_int_fd_end, RESUME_AT);
  run("int1", p_int1, p_int1_at, p_int1_end, RESUME_AT);
  run("hlt", p_hlt, p_hlt_at, p_hlt_end, RESUME_AT);
  run("cli", p_cli, p_cli_at, p_cli_end, RESUME_AT);

  mem("read unmapped", 0, unmapped + 8);
  mem("write unmapped", 1, unmapped + 16);
  mem("call unmapped", 2, unmapped + 24);
  mem("read PROT_NONE", 0, none + 32);
  mem("write PROT_NONE", 1, none + 40);
  mem("write read-only (touched)", 1, ro + 48);
  mem("write read-only (never touched)", 1, ro_fresh + 56);
  mem("call read-only page", 2, rx_none);
  mem("call read-write page", 2, rw + 64);
  mem("read kernel address", 0, (void *)0xffff888000001000UL);
  mem("write kernel address", 1, (void *)0xffff888000002000UL);
  mem("read non-canonical", 0, (void *)0x8000000000000000UL);
  mem("write non-canonical", 1, (void *)0x0000800000000000UL);
  mem("call non-canonical", 3, (void *)0x0000800000000000UL);
  mem("read non-canonical through RSP", 4, (void *)0x8000000000000000UL);
  run("ret to non-canonical", p_retnc, p_retnc_at, p_retnc_end, RESUME_AT);
  mem("read null", 0, NULL);

  insn_name = "div by zero"; insn_at = (uintptr_t)p_div_at; resume_at = (uintptr_t)p_div_end; how = RESUME_AT; p_div(0); show();
  insn_name = "idiv overflow"; insn_at = (uintptr_t)p_idiv_at; resume_at = (uintptr_t)p_idiv_end; how = RESUME_AT; p_idiv(-1); show();

  float tiny = 1e-38f, denorm = 1e-40f;
  sse("divss 1/0, ZE unmasked", 0x200, 1.0f, 0.0f);
  sse("divss 0/0, IE unmasked", 0x080, 0.0f, 0.0f);
  sse("divss overflow, OE unmasked", 0x400, 1e38f, 1e-38f);
  sse("divss underflow, UE unmasked", 0x800, tiny, 1e10f);
  sse("divss inexact, PE unmasked", 0x1000, 1.0f, 3.0f);
  sse("divss denormal operand, DE unmasked", 0x100, denorm, 1.0f);
  sse("divss 1/0, every exception unmasked", 0x1f80, 1.0f, 0.0f);

  x87("x87 fdivp 1/0, ZE unmasked", p_x87, 0x37b, p_x87_op, p_x87_at, p_x87_end, 0);
  x87("x87 fdivl m64 1/0, ZE unmasked", p_x87m, 0x37b, p_x87m_op, p_x87m_at, p_x87m_end, (uintptr_t)&zero);
  x87("x87 stack underflow, IE unmasked", p_x87u, 0x37e, p_x87u_op, p_x87u_at, p_x87u_end, 0);

  static uint8_t buf[64] __attribute__((aligned(16)));
  insn_name = "movaps misaligned"; insn_at = (uintptr_t)p_movaps_at; resume_at = (uintptr_t)p_movaps_end; how = RESUME_AT; p_movaps(buf + 8); show();

  /* A signal that is not a fault: the sigcontext still holds the last fault's trapno, err and cr2. */
  insn_name = "kill SIGUSR1"; insn_at = 0; how = RESUME_AT; resume_at = 0;
  sigset_t blk;
  sigemptyset(&blk);
  sigaddset(&blk, SIGUSR2);
  sigprocmask(SIG_BLOCK, &blk, NULL);
  {
    /* resume where the signal arrived: the handler leaves RIP alone */
    how = -1;
    kill(getpid(), SIGUSR1);
    show();
  }
  return 0;
}
