/* abort(): the process dies of SIGABRT (status 128+6 from a shell, and from
 * skytrace exec). stdout is flushed first so the line is not lost. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to abort\n");
  fflush(stdout);
  abort();
}
