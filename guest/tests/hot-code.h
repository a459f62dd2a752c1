/* Code written at run time and called until the JIT compiles it: remap_code.c and two_spaces.c. */
#include <string.h>

typedef long (*fn)(long);

/* lea rax, [rdi + k]; ret */
static void put(unsigned char *p, int k) {
  const unsigned char code[] = { 0x48, 0x8d, 0x47, (unsigned char)k, 0xc3 };
  memcpy(p, code, sizeof code);
}

/* f called n times (enough runs for its trace to be compiled) */
static long hot_n(fn f, long n) {
  long s = 0;
  for (long i = 0; i < n; i++) s += f(i);
  return s;
}
