/* qsort, malloc/realloc/free churn, 64-bit arithmetic. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
static int cmp(const void *a, const void *b) { int64_t x = *(const int64_t *)a, y = *(const int64_t *)b; return (x > y) - (x < y); }
int main(void) {
  uint64_t s = 88172645463325252ull;
  int n = 20000;
  int64_t *v = malloc(n * sizeof *v);
  for (int i = 0; i < n; i++) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; v[i] = (int64_t)s; }
  qsort(v, n, sizeof *v, cmp);
  int ok = 1;
  for (int i = 1; i < n; i++) ok &= v[i - 1] <= v[i];
  void *ptrs[512] = {0};
  uint64_t acc = 0;
  for (int i = 0; i < 20000; i++) {
    int k = (int)(s % 512); s = s * 6364136223846793005ull + 1442695040888963407ull;
    if (ptrs[k]) { acc += ((unsigned char *)ptrs[k])[0]; free(ptrs[k]); ptrs[k] = 0; }
    else { size_t sz = (size_t)(s >> 50) + 1; ptrs[k] = malloc(sz); ((unsigned char *)ptrs[k])[0] = (unsigned char)sz; if (sz > 100) ptrs[k] = realloc(ptrs[k], sz * 3); }
  }
  __int128 big = (__int128)v[0] * v[n - 1];
  int64_t q = v[n / 2] / 12345, r = v[n / 2] % 12345;
  uint64_t uq = (uint64_t)v[7] / 1000003u;
  printf("%d %lld %lld %lld %lld %llu %llu %d\n", ok, (long long)v[0], (long long)v[n - 1], (long long)q, (long long)r,
         (unsigned long long)uq, (unsigned long long)(big >> 64), __builtin_popcountll(s) + __builtin_clzll(s | 1) + __builtin_ctzll(s | 1ull << 63));
  printf("acc %llu\n", (unsigned long long)acc);
  return ok ? 0 : 1;
}
