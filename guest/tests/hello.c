/* The smallest end-to-end case: one line on stdout, exit 0. Also the
 * capability probe the program-level tests use to decide whether the
 * emulator can run anything yet. */
#include <stdio.h>

int main(void) {
  printf("hello, world\n");
  return 0;
}
