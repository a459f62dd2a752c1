/* Executes UD2: the process dies of SIGILL (status 128+4). */
#include <stdio.h>

int main(void) {
  printf("before ud2\n");
  fflush(stdout);
  __asm__ volatile("ud2");
  printf("not reached\n");
  return 0;
}
