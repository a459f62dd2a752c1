// Instruction-level differential harness: runs x86-64 code snippets on the
// host CPU and prints the resulting architectural state, so test/cpu/harness.ts
// can run the same snippet in the WASM core and compare.
//
// Built at test time: gcc -O2 -o harness harness.c
//
// Memory layout (the core's test maps the same addresses):
//   CODE_VA  one RWX page filled with INT3 (0xCC); the case's bytes at CODE_VA+CODE_OFF.
//            Execution ends at the first INT3 reached (fall-through or branch target), or
//            at a fault; either way the kernel hands us the full register state.
//   DATA_VA  two RW pages of zeros; the case's BLOCK bytes go at BLOCK_VA (straddling
//            the boundary between the pages, so cross-page accesses are exercised).
//   HIGH_VA  the highest page a process can map (it ends where the canonical lower
//            half's last page, never mappable, begins): a copy of the code page, so a
//            case can jump there and branch to a non-canonical address with a rel32.
//            Left out when something else is there already (a stack without ASLR).
//
// Input, one case per line, whitespace-separated hex (no 0x):
//   CODE  RAX RCX RDX RBX RSP RBP RSI RDI R8..R15  RFLAGS  MXCSR  XMM0..XMM15  BLOCK
//   (XMM as 32 hex digits in memory byte order; BLOCK as BLOCK_LEN*2 hex digits)
// Output, one line per case:
//   TRAPNO ERR CR2 RIP  RAX..R15  RFLAGS  MXCSR  XMM0..XMM15  BLOCK  OUTSIDE
//   TRAPNO is the x86 vector that stopped execution (3 = the INT3 end marker,
//   0 #DE, 6 #UD, 12 #SS, 13 #GP, 14 #PF, 19 #XM; 255 = timeout). OUTSIDE is an FNV-1a
//   hash of the data pages outside BLOCK (catches stray writes).
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>

#define CODE_VA 0x10000000UL
#define CODE_OFF 0x800
#define DATA_VA 0x20000000UL
#define DATA_LEN 0x2000
#define BLOCK_VA 0x20000F00UL
#define BLOCK_LEN 512
#define HIGH_VA 0x7fffffffe000UL

struct gstate {
  uint64_t gpr[16];
  uint64_t rflags;
  uint64_t rip;
  uint32_t mxcsr, pad;
  uint8_t xmm[16][16] __attribute__((aligned(16)));
};

struct gstate g_in __attribute__((aligned(16)));
static struct gstate g_out;
static uint64_t g_trapno, g_err, g_cr2;
static sigjmp_buf g_jb;

// Load the whole guest state from g_in and jump to its RIP. Every load is
// RIP-relative, so no register is needed to hold a pointer; RSP is loaded last.
void enter_guest(void);
__asm__(
    ".text\n.globl enter_guest\n.type enter_guest,@function\nenter_guest:\n"
    "  movdqu g_in+160(%rip), %xmm0\n  movdqu g_in+176(%rip), %xmm1\n"
    "  movdqu g_in+192(%rip), %xmm2\n  movdqu g_in+208(%rip), %xmm3\n"
    "  movdqu g_in+224(%rip), %xmm4\n  movdqu g_in+240(%rip), %xmm5\n"
    "  movdqu g_in+256(%rip), %xmm6\n  movdqu g_in+272(%rip), %xmm7\n"
    "  movdqu g_in+288(%rip), %xmm8\n  movdqu g_in+304(%rip), %xmm9\n"
    "  movdqu g_in+320(%rip), %xmm10\n  movdqu g_in+336(%rip), %xmm11\n"
    "  movdqu g_in+352(%rip), %xmm12\n  movdqu g_in+368(%rip), %xmm13\n"
    "  movdqu g_in+384(%rip), %xmm14\n  movdqu g_in+400(%rip), %xmm15\n"
    "  ldmxcsr g_in+144(%rip)\n"
    "  lea g_in+128(%rip), %rsp\n  popfq\n"
    "  mov g_in+0(%rip), %rax\n  mov g_in+8(%rip), %rcx\n  mov g_in+16(%rip), %rdx\n"
    "  mov g_in+24(%rip), %rbx\n  mov g_in+40(%rip), %rbp\n  mov g_in+48(%rip), %rsi\n"
    "  mov g_in+56(%rip), %rdi\n  mov g_in+64(%rip), %r8\n  mov g_in+72(%rip), %r9\n"
    "  mov g_in+80(%rip), %r10\n  mov g_in+88(%rip), %r11\n  mov g_in+96(%rip), %r12\n"
    "  mov g_in+104(%rip), %r13\n  mov g_in+112(%rip), %r14\n  mov g_in+120(%rip), %r15\n"
    "  mov g_in+32(%rip), %rsp\n"
    "  jmp *g_in+136(%rip)\n");

_Static_assert(__builtin_offsetof(struct gstate, rflags) == 128, "layout");
_Static_assert(__builtin_offsetof(struct gstate, rip) == 136, "layout");
_Static_assert(__builtin_offsetof(struct gstate, mxcsr) == 144, "layout");
_Static_assert(__builtin_offsetof(struct gstate, xmm) == 160, "layout");

static const int greg_of[16] = {REG_RAX, REG_RCX, REG_RDX, REG_RBX, REG_RSP, REG_RBP, REG_RSI, REG_RDI,
                                REG_R8,  REG_R9,  REG_R10, REG_R11, REG_R12, REG_R13, REG_R14, REG_R15};

static void on_signal(int sig, siginfo_t *si, void *ctx) {
  (void)si;
  // A POPF in the guest may have set AC: clear it before any C code runs misaligned.
  __asm__ volatile("pushfq; andq $~0x40000, (%%rsp); popfq" ::: "memory", "cc");
  ucontext_t *uc = ctx;
  mcontext_t *mc = &uc->uc_mcontext;
  for (int i = 0; i < 16; i++) g_out.gpr[i] = mc->gregs[greg_of[i]];
  g_out.rflags = mc->gregs[REG_EFL];
  g_out.rip = mc->gregs[REG_RIP];
  g_out.mxcsr = mc->fpregs->mxcsr;
  for (int i = 0; i < 16; i++) memcpy(g_out.xmm[i], &mc->fpregs->_xmm[i], 16);
  g_trapno = sig == SIGALRM ? 255 : mc->gregs[REG_TRAPNO];
  g_err = mc->gregs[REG_ERR];
  g_cr2 = mc->gregs[REG_CR2];
  siglongjmp(g_jb, 1);
}

static int hexval(int c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Next whitespace-separated token of the line.
static char *tok(char **p) {
  while (**p == ' ' || **p == '\t') (*p)++;
  if (**p == 0 || **p == '\n') return NULL;
  char *s = *p;
  while (**p && **p != ' ' && **p != '\t' && **p != '\n') (*p)++;
  if (**p) *(*p)++ = 0;
  return s;
}

static int parse_u64(char **p, uint64_t *v) {
  char *t = tok(p);
  if (!t) return -1;
  *v = strtoull(t, NULL, 16);
  return 0;
}

static int parse_bytes(char **p, uint8_t *out, size_t max, size_t *n) {
  char *t = tok(p);
  if (!t) return -1;
  size_t len = strlen(t);
  if (len % 2 || len / 2 > max) return -1;
  for (size_t i = 0; i < len / 2; i++) {
    int hi = hexval(t[2 * i]), lo = hexval(t[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (uint8_t)(hi << 4 | lo);
  }
  if (n) *n = len / 2;
  return 0;
}

static void put_bytes(const uint8_t *b, size_t n) {
  static const char hx[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    putchar(hx[b[i] >> 4]);
    putchar(hx[b[i] & 15]);
  }
}

static uint32_t fnv_outside(const uint8_t *data) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < DATA_LEN; i++) {
    if (DATA_VA + i >= BLOCK_VA && DATA_VA + i < BLOCK_VA + BLOCK_LEN) continue;
    h = (h ^ data[i]) * 16777619u;
  }
  return h;
}

int main(void) {
  uint8_t *code = mmap((void *)CODE_VA, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  uint8_t *data = mmap((void *)DATA_VA, DATA_LEN, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (code != (void *)CODE_VA || data != (void *)DATA_VA) {
    perror("harness: mmap");
    return 2;
  }
  uint8_t *high = mmap((void *)HIGH_VA, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (high != (void *)HIGH_VA) high = NULL;
  // The guest's RSP is arbitrary: signals must arrive on their own stack.
  static uint8_t altstack[1 << 16];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0};
  sigaltstack(&ss, NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigemptyset(&sa.sa_mask);
  int sigs[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGALRM};
  for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) sigaction(sigs[i], &sa, NULL);

  static char line[1 << 16];
  while (fgets(line, sizeof line, stdin)) {
    char *p = line;
    static uint8_t bytes[CODE_OFF];
    size_t n;
    memset(&g_in, 0, sizeof g_in);
    if (parse_bytes(&p, bytes, sizeof bytes, &n) < 0) goto bad;
    for (int i = 0; i < 16; i++) if (parse_u64(&p, &g_in.gpr[i]) < 0) goto bad;
    uint64_t v;
    if (parse_u64(&p, &g_in.rflags) < 0 || parse_u64(&p, &v) < 0) goto bad;
    g_in.mxcsr = (uint32_t)v;
    for (int i = 0; i < 16; i++) if (parse_bytes(&p, g_in.xmm[i], 16, NULL) < 0) goto bad;
    static uint8_t block[BLOCK_LEN];
    if (parse_bytes(&p, block, BLOCK_LEN, NULL) < 0) goto bad;
    // Only the arithmetic flags and DF come from the case (no TF/AC surprises).
    g_in.rflags = (g_in.rflags & 0xCD5) | 0x202;
    g_in.rip = CODE_VA + CODE_OFF;

    // A context switch in the middle of a case can change what it stores: the
    // kernel saves and restores the FPU with XSAVE/XRSTOR, and an AMD CPU then
    // loses FIP/FDP/FOP (stored only with an exception pending). A case this
    // thread was switched out of is run again (a few times at most).
    for (int attempt = 0; attempt < 8; attempt++) {
      memset(data, 0, DATA_LEN);
      memcpy(data + (BLOCK_VA - DATA_VA), block, BLOCK_LEN);
      memset(code, 0xCC, 4096);
      memcpy(code + CODE_OFF, bytes, n);
      __builtin___clear_cache((char *)code, (char *)code + 4096);
      if (high) {
        memcpy(high, code, 4096);
        __builtin___clear_cache((char *)high, (char *)high + 4096);
      }
      struct rusage r0, r1;
      getrusage(RUSAGE_THREAD, &r0);
      struct itimerval it = {.it_value = {.tv_sec = 2}};
      setitimer(ITIMER_REAL, &it, NULL);
      if (sigsetjmp(g_jb, 1) == 0) enter_guest();
      struct itimerval off = {0};
      setitimer(ITIMER_REAL, &off, NULL);
      getrusage(RUSAGE_THREAD, &r1);
      if (g_trapno == 255) break;   /* the 2 s stop: running it again would change nothing */
      if (r1.ru_nivcsw == r0.ru_nivcsw && r1.ru_nvcsw == r0.ru_nvcsw) break;
    }

    printf("%lx %lx %lx %lx", g_trapno, g_err, g_cr2, g_out.rip);
    for (int i = 0; i < 16; i++) printf(" %lx", g_out.gpr[i]);
    printf(" %lx %x", g_out.rflags, g_out.mxcsr);
    for (int i = 0; i < 16; i++) {
      putchar(' ');
      put_bytes(g_out.xmm[i], 16);
    }
    putchar(' ');
    put_bytes(data + (BLOCK_VA - DATA_VA), BLOCK_LEN);
    printf(" %x\n", fnv_outside(data));
    continue;
  bad:
    printf("error bad-input\n");
  }
  fflush(stdout);
  return 0;
}
