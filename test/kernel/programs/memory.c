// malloc at several sizes (brk and mmap paths), realloc growth (mremap), mprotect, munmap.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

int main(void) {
  unsigned long sum = 0;
  for (int i = 1; i < 2000; i++) {
    char *p = malloc(i * 37);
    memset(p, i & 0xff, i * 37);
    sum += (unsigned char)p[i * 37 - 1];
    if (i % 3) free(p);
  }
  char *big = malloc(8 << 20);
  for (int i = 0; i < (8 << 20); i += 4096) big[i] = (char)i;
  big = realloc(big, 32 << 20);
  for (int i = 0; i < (8 << 20); i += 4096) if (big[i] != (char)i) { printf("realloc lost data at %d\n", i); return 1; }
  free(big);
  char *m = mmap(0, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  m[0] = 1; m[8191] = 2;
  printf("mprotect ro: %d\n", mprotect(m, 4096, PROT_READ));
  printf("still readable: %d %d\n", m[0], m[8191]);
  printf("munmap: %d\n", munmap(m, 3 * 4096));
  printf("munmap unaligned: %d\n", munmap(m + 1, 4096));
  printf("sum %lu\n", sum);
  return 0;
}
