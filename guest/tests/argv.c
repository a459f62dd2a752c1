/* Prints its argc and every argv[i] in brackets, one a line, so a test can
 * see exactly which words a program was given (empty ones included). */
#include <stdio.h>

int main(int argc, char **argv) {
  printf("argc=%d\n", argc);
  for (int i = 1; i < argc; i++) printf("[%s]\n", argv[i]);
  return 0;
}
