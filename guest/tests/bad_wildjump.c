/* Calls through a pointer to unmapped memory: the instruction fetch faults
 * and the process dies of SIGSEGV (status 128+11). */
#include <stdio.h>
#include <stdint.h>

int main(void) {
  printf("before wild call\n");
  fflush(stdout);
  volatile uintptr_t target = 0xdead0000beefull; /* canonical, never mapped */
  ((void (*)(void))target)();
  printf("not reached\n");
  return 0;
}
