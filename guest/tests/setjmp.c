/* setjmp/longjmp across frames (nested, from deep recursion, with values
 * 0 and non-zero) and sigsetjmp/siglongjmp with a saved signal mask, whose
 * restore shows up as rt_sigprocmask system calls. */
#include <stdio.h>
#include <setjmp.h>
#include <signal.h>

/* dive() ends by longjmp, which gcc cannot see */
#pragma GCC diagnostic ignored "-Winfinite-recursion"

static jmp_buf env, inner;
static sigjmp_buf senv;
static int depth_reached;

static __attribute__((noinline)) void dive(int depth, int target) {
  volatile char frame[64]; frame[0] = (char)depth;
  depth_reached = depth;
  if (depth == target) longjmp(env, depth + frame[0]);
  dive(depth + 1, target);
}

static __attribute__((noinline)) void throw_inner(int v) { longjmp(inner, v); }

int main(void) {
  volatile int count = 0;
  for (int target = 0; target < 200; target += 37) {
    int r = setjmp(env);
    if (r == 0) { dive(0, target); printf("not reached\n"); return 1; }
    printf("longjmp from depth %d returned %d\n", depth_reached, r);
    count++;
  }
  /* longjmp(…, 0) makes setjmp return 1 */
  int r = setjmp(inner);
  if (r == 0) throw_inner(0);
  printf("longjmp with 0 gives %d\n", r);
  /* nested buffers: the inner one unwinds only to its own frame */
  volatile int stage = 0;
  if (setjmp(env) == 0) {
    if (setjmp(inner) == 0) { stage = 1; throw_inner(5); }
    stage = 2;
    longjmp(env, 9);
  }
  printf("nested stage %d\n", stage);

  /* sigsetjmp with savemask: the mask blocked after it is restored by siglongjmp */
  sigset_t set, now;
  sigemptyset(&set);
  if (sigsetjmp(senv, 1) == 0) {
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("SIGUSR1 blocked before siglongjmp: %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no");
    siglongjmp(senv, 1);
  }
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("SIGUSR1 blocked after siglongjmp: %s\n", sigismember(&now, SIGUSR1) ? "yes" : "no");
  printf("jumps %d\n", count);
  return 0;
}
