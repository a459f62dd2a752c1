/* Benchmark: a mixed workload — hashing, sorting, floating point and strings.
 * argv[1] = rounds (default 4). Deterministic output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>

static uint32_t fnv1a(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) { h ^= p[i]; h *= 16777619u; }
  return h;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 4;
  enum { N = 20000 };
  uint32_t *v = malloc(N * sizeof *v);
  char *buf = malloc(64 * 1024);
  uint64_t seed = 88172645463325252ull;
  double acc = 0;
  uint32_t hsum = 0;
  for (int r = 0; r < rounds; r++) {
    for (int i = 0; i < N; i++) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; v[i] = (uint32_t)seed; }
    qsort(v, N, sizeof *v, cmp_u32);
    hsum ^= fnv1a((const unsigned char *)v, N * sizeof *v);
    for (int i = 1; i < 20000; i++) acc += sqrt((double)i) * sin(i * 0.001) / (1.0 + log((double)i));
    size_t len = 0;
    for (int i = 0; i < 2000; i++) len += (size_t)snprintf(buf + len, 64 * 1024 - len > 32 ? 32 : 0, "%d,", v[i] % 1000);
    char *tok = strstr(buf, "999,");
    hsum ^= (uint32_t)strlen(buf) ^ (tok ? (uint32_t)(tok - buf) : 0u);
    memmove(buf + 1, buf, len / 2);
    hsum ^= fnv1a((const unsigned char *)buf, len);
  }
  printf("hash %08x acc %.6f\n", hsum, acc);
  free(v); free(buf);
  return 0;
}
