// Handlers for synchronous faults: SIGSEGV with si_addr and si_code, SIGFPE, recovered with siglongjmp.
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static sigjmp_buf env;
static volatile void *addr;
static volatile int code, sig;

static void on_fault(int s, siginfo_t *si, void *uc) { (void)uc; sig = s; addr = si->si_addr; code = si->si_code; siglongjmp(env, 1); }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  sigaction(SIGFPE, &sa, 0);
  if (!sigsetjmp(env, 1)) { *(volatile int *)0x1234 = 1; }
  printf("recovered: sig %d addr %p code %d\n", sig, (void *)addr, code);
  volatile int zero = 0;
  if (!sigsetjmp(env, 1)) { volatile int x = 7 / zero; (void)x; }
  printf("recovered: sig %d code %d\n", sig, code);
  if (!sigsetjmp(env, 1)) { *(volatile int *)0x1234 = 1; }
  printf("again: sig %d\n", sig);
  signal(SIGSEGV, SIG_DFL);
  fflush(stdout);
  *(volatile int *)0x10 = 1;
  return 0;
}
