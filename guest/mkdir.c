/* mkdir DIR...: make each directory, as the shell's mkdir does (without options).
 * Flight init runs it for FlightBegin and FlightEnd, the markers the recorder
 * watches for. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <errno.h>

int main(int argc, char **argv) {
  int status = 0;
  if (argc < 2) {
    fputs("usage: mkdir DIR...\n", stderr);
    return 1;
  }
  for (int i = 1; i < argc; i++) {
    if (mkdir(argv[i], 0777) != 0) {
      fprintf(stderr, "mkdir: cannot create directory '%s': %s\n", argv[i], strerror(errno));
      status = 1;
    }
  }
  return status;
}
