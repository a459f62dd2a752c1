/* Unbounded recursion: the stack outgrows its limit and the process dies of
 * SIGSEGV (status 128+11). Each frame touches a page-sized buffer. */
#include <stdio.h>

#pragma GCC diagnostic ignored "-Winfinite-recursion" /* on purpose */

static __attribute__((noinline)) int down(int n) {
  volatile char frame[4000];
  frame[0] = (char)n;
  frame[3999] = (char)n;
  return down(n + 1) + frame[0];
}

int main(void) {
  printf("recursing\n");
  fflush(stdout);
  return down(0);
}
