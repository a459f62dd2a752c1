/* The smallest program that needs the x87 unit: glibc's printf of a double
 * reads the x87 control word (fnstcw) to learn the rounding mode. The diff
 * tests use it to tell whether the core has x87 yet. */
#include <stdio.h>

int main(void) {
  volatile double d = 1.5;
  printf("%.1f\n", d);
  return 0;
}
