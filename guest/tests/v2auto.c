// Code as a distribution's x86-64-v2 build makes it: plain C that the compiler
// turns into SSE4.1/SSSE3/POPCNT instructions on its own (vectorized min/max,
// 32-bit multiplies, blends, byte shuffles, floor/ceil as ROUNDSD, popcount).
// Compiled for x86-64-v2 at -O3 by the pragmas below; prints every result.
#pragma GCC target("arch=x86-64-v2")
#pragma GCC optimize("O3")
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum { N = 1000 };
static int32_t a[N], b[N], c[N];
static uint8_t bytes[N * 4];
static double d[N];

static uint64_t fnv(const void *p, size_t n) {
  const uint8_t *s = p;
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) { h ^= s[i]; h *= 1099511628211ull; }
  return h;
}

int main(void) {
  uint32_t x = 2463534242u;
  for (int i = 0; i < N; i++) {
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    a[i] = (int32_t)x;
    b[i] = (int32_t)(x * 2654435761u) >> (i % 13);
    d[i] = ((int32_t)x % 100000) / 7.0;
  }
  for (int i = 0; i < N * 4; i++) bytes[i] = (uint8_t)(i * 7 + (i >> 3));

  for (int i = 0; i < N; i++) c[i] = a[i] * b[i];                       // PMULLD
  printf("mul %016llx\n", (unsigned long long)fnv(c, sizeof c));
  for (int i = 0; i < N; i++) c[i] = a[i] < b[i] ? a[i] : b[i];         // PMINSD
  printf("min %016llx\n", (unsigned long long)fnv(c, sizeof c));
  for (int i = 0; i < N; i++) c[i] = (uint32_t)a[i] > (uint32_t)b[i] ? a[i] : b[i]; // PMAXUD
  printf("maxu %016llx\n", (unsigned long long)fnv(c, sizeof c));
  for (int i = 0; i < N; i++) c[i] = a[i] < 0 ? -a[i] : a[i];          // PABSD
  printf("abs %016llx\n", (unsigned long long)fnv(c, sizeof c));
  int64_t dot = 0;
  for (int i = 0; i < N; i++) dot += (int64_t)a[i] * b[i];              // PMULDQ
  printf("dot %lld\n", (long long)dot);
  for (int i = 0; i < N * 4; i += 4) {                                  // a byte shuffle (PSHUFB)
    uint8_t t0 = bytes[i], t1 = bytes[i + 1];
    bytes[i] = bytes[i + 3]; bytes[i + 1] = bytes[i + 2]; bytes[i + 2] = t1; bytes[i + 3] = t0;
  }
  printf("bswap %016llx\n", (unsigned long long)fnv(bytes, sizeof bytes));
  int64_t minmax = 0;
  for (int i = 0; i < N * 4; i++) minmax += bytes[i] > 100 ? bytes[i] : 100; // PMAXUB, PMOVZXBW
  printf("clamp %lld\n", (long long)minmax);
  unsigned pc = 0;
  for (int i = 0; i < N; i++) pc += (unsigned)__builtin_popcount((unsigned)a[i]) + (unsigned)__builtin_ctz((unsigned)b[i] | 1u);
  printf("popcount %u\n", pc);
  double fl = 0, ce = 0, tr = 0, ri = 0;
  for (int i = 0; i < N; i++) { fl += floor(d[i]); ce += ceil(d[i]); tr += trunc(d[i]); ri += nearbyint(d[i]); } // ROUNDSD
  printf("round %.17g %.17g %.17g %.17g\n", fl, ce, tr, ri);
  float f[16];
  for (int i = 0; i < 16; i++) f[i] = (float)d[i * 7];
  for (int i = 0; i < 16; i++) f[i] = floorf(f[i] * 1.5f) + ceilf(f[i]);  // ROUNDPS
  printf("roundps %.9g %.9g %.9g\n", f[0], f[7], f[15]);
  char s1[64], s2[64];
  strcpy(s1, "x86-64-v2 means SSE4.2 and POPCNT");
  memcpy(s2, s1, sizeof s1);
  s2[20] = 'Z';
  printf("strcmp %d %d memcmp %d\n", strcmp(s1, s2) < 0, strncmp(s1, s2, 20), memcmp(s1, s2, 64) < 0);
  return 0;
}
