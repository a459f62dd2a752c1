/* Reads all of stdin and reports its size, line count, a checksum, the
 * longest line, and the last line reversed. With no input it says so. */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

int main(void) {
  static char line[65536], last[65536];
  size_t bytes = 0, lines = 0, longest = 0;
  uint32_t h = 2166136261u;
  while (fgets(line, sizeof line, stdin)) {
    size_t n = strlen(line);
    bytes += n;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)line[i]) * 16777619u;
    if (n && line[n - 1] == '\n') { lines++; n--; line[n] = 0; }
    if (n > longest) longest = n;
    memcpy(last, line, n + 1);
  }
  if (!bytes) { printf("stdin was empty\n"); return 3; }
  size_t n = strlen(last);
  for (size_t i = 0; i < n / 2; i++) { char c = last[i]; last[i] = last[n - 1 - i]; last[n - 1 - i] = c; }
  printf("bytes %zu lines %zu longest %zu fnv %08x\nlast reversed: %s\n", bytes, lines, longest, h, last);
  return 0;
}
