/* Code that changes under the decoded-trace cache and the JIT without a store
 * to it: a function written into an executable page and called until it is
 * hot (compiled), then the page unmapped and mapped again at the same address
 * with other code, mapped over (MAP_FIXED), made not executable (the call
 * faults: SIGSEGV), executable again, and a heap (brk) page holding code given
 * back and grown again with other code. Between them, data pages are unmapped,
 * and brk shrinks, under hot code that must keep running right (and compiled:
 * docs/jit.md, the kernel drops cached translations only there). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "hot-code.h"

static sigjmp_buf env;
static void onsegv(int sig) { (void)sig; siglongjmp(env, 1); }

static long hot(fn f) { return hot_n(f, 20000); }

/* One call with RAX = 0: a page of zeros is `add [rax], al`, which faults at once. */
static long callZeroRax(fn f) {
  long r;
  __asm__ volatile("xor %%eax, %%eax\n\tcall *%1" : "=a"(r) : "r"(f) : "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory", "cc");
  return r;
}

static void dataUnmap(void) {
  unsigned char *d = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  d[0] = d[4096] = d[8192] = 1;
  munmap(d, 3 * 4096);
}

int main(void) {
  const int RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
  void *at = (void *)0x200000000;
  unsigned char *p = mmap(at, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != at) { puts("mmap failed"); return 1; }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onsegv;
  sigaction(SIGSEGV, &sa, NULL);
  put(p, 1);
  printf("first: %ld\n", hot((fn)p));
  dataUnmap();
  printf("after a data munmap: %ld\n", hot((fn)p));

  munmap(p, 4096);
  p = mmap(at, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  if (sigsetjmp(env, 1) == 0) printf("unmapped, mapped again, zeros: %ld\n", callZeroRax((fn)p));
  else puts("unmapped, mapped again, zeros: SIGSEGV");
  put(p, 2);
  printf("unmapped, mapped again: %ld\n", hot((fn)p));

  p = mmap(at, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  put(p, 3);
  printf("mapped over: %ld\n", hot((fn)p));

  mprotect(p, 4096, PROT_READ);
  if (sigsetjmp(env, 1) == 0) printf("not executable: %ld\n", hot((fn)p));
  else puts("not executable: SIGSEGV");
  mprotect(p, 4096, RWX);
  printf("executable again: %ld\n", hot((fn)p));

  /* Code on the heap: a page past the break, given back and grown again. */
  char *base = sbrk(0);
  char *page = (char *)(((unsigned long)base + 4095) & ~4095UL);
  if (brk(page + 4096) != 0) { puts("brk failed"); return 1; }
  mprotect(page, 4096, RWX);
  put((unsigned char *)page, 4);
  printf("on the heap: %ld\n", hot((fn)page));
  brk(page);
  brk(page + 4096);
  mprotect(page, 4096, RWX);
  put((unsigned char *)page, 5);
  printf("heap given back, grown again: %ld\n", hot((fn)page));
  brk(page);
  printf("after brk shrinks under hot code: %ld\n", hot((fn)p));
  return 0;
}
