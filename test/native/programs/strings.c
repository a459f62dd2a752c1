/* glibc's SSE2 string and memory routines on many lengths and alignments. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
int main(void) {
  static char a[4096], b[4096];
  unsigned long h = 0;
  for (int i = 0; i < 4096; i++) a[i] = (char)('a' + (i * 7) % 26);
  for (int len = 0; len < 300; len += 7) {
    for (int off = 0; off < 16; off += 3) {
      memcpy(b + off, a + (len % 13), len);
      b[off + len] = 0;
      h = h * 31 + strlen(b + off);
      h = h * 31 + (unsigned long)(memcmp(a + (len % 13), b + off, len) == 0);
      memmove(b + off + 1, b + off, len);
      h = h * 31 + (unsigned char)b[off + len / 2];
      char *p = strchr(b + off, 'q');
      h = h * 31 + (p ? (unsigned long)(p - b) : 0);
      memset(b, 'x', off + len);
      h = h * 31 + (unsigned long)strncmp(a, b, len % 5);
    }
  }
  char buf[128];
  snprintf(buf, sizeof buf, "%s|%d|%ld|%x|%5.3s|", "str", -42, 123456789012L, 0xbeef, "abcdef");
  printf("%s %lu %zu\n", buf, h, strlen(buf));
  printf("%d %d\n", strcmp("abc", "abd") < 0, strcasecmp("HeLLo", "hello") == 0);
  return 0;
}
