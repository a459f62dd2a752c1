/* qsort and bsearch on ints, doubles, strings and structs (small arrays
 * that glibc sorts on the stack and larger ones that need a heap buffer),
 * each result verified sorted and a permutation of the input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

static uint32_t seed = 2024;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmp_dbl(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return (x > y) - (x < y); }
static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
struct rec { int key; int order; char pad[20]; };
static int cmp_rec(const void *a, const void *b) {
  const struct rec *x = a, *y = b;
  if (x->key != y->key) return (x->key > y->key) - (x->key < y->key);
  return (x->order > y->order) - (x->order < y->order);
}

static int fails;
static uint64_t h;
static void mix(uint64_t v) { h = (h ^ v) * 0x100000001b3ull; }

static void ints(size_t n, int range) {
  int *a = malloc(n * sizeof *a); long long s0 = 0, s1 = 0;
  for (size_t i = 0; i < n; i++) { a[i] = (int)(rnd() % (uint32_t)range) - range / 2; s0 += a[i]; }
  qsort(a, n, sizeof *a, cmp_int);
  for (size_t i = 0; i < n; i++) { s1 += a[i]; if (i && a[i - 1] > a[i]) { fails++; break; } mix((uint64_t)a[i]); }
  if (s0 != s1) fails++;
  if (n) { /* every element is found by bsearch */
    for (size_t i = 0; i < n; i += 1 + n / 50) {
      int *p = bsearch(&a[i], a, n, sizeof *a, cmp_int);
      if (!p || *p != a[i]) fails++;
    }
    int missing = range; if (bsearch(&missing, a, n, sizeof *a, cmp_int)) fails++;
  }
  printf("ints n=%zu range=%d min=%d max=%d\n", n, range, n ? a[0] : 0, n ? a[n - 1] : 0);
  free(a);
}

int main(void) {
  const size_t sizes[] = {0, 1, 2, 3, 7, 16, 100, 257, 1000, 5000, 20000};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) { ints(sizes[i], 1000000); ints(sizes[i], 5); }

  double d[3000];
  for (int i = 0; i < 3000; i++) d[i] = ((double)rnd() - 2147483648.0) / (double)(rnd() | 1);
  qsort(d, 3000, sizeof d[0], cmp_dbl);
  for (int i = 1; i < 3000; i++) if (d[i - 1] > d[i]) { fails++; break; }
  /* bit patterns, not %g: this program tests sorting, not printf's x87 path */
  uint64_t b0, b1, b2;
  memcpy(&b0, &d[0], 8); memcpy(&b1, &d[1500], 8); memcpy(&b2, &d[2999], 8);
  printf("doubles min=%016llx median=%016llx max=%016llx\n", (unsigned long long)b0, (unsigned long long)b1, (unsigned long long)b2);

  static char store[2000][12]; char *s[2000];
  for (int i = 0; i < 2000; i++) {
    int len = 1 + (int)(rnd() % 10);
    for (int j = 0; j < len; j++) store[i][j] = (char)('a' + rnd() % 4);
    store[i][len] = 0; s[i] = store[i];
  }
  qsort(s, 2000, sizeof s[0], cmp_str);
  for (int i = 1; i < 2000; i++) if (strcmp(s[i - 1], s[i]) > 0) { fails++; break; }
  printf("strings first=%s last=%s mid=%s\n", s[0], s[1999], s[1000]);

  static struct rec r[3000];
  for (int i = 0; i < 3000; i++) { r[i].key = (int)(rnd() % 50); r[i].order = i; }
  qsort(r, 3000, sizeof r[0], cmp_rec);
  for (int i = 1; i < 3000; i++) if (cmp_rec(&r[i - 1], &r[i]) >= 0) { fails++; break; }
  for (int i = 0; i < 3000; i += 97) mix((uint64_t)r[i].order << 8 | (uint64_t)r[i].key);
  printf("checksum %016llx\n", (unsigned long long)h);
  printf("qsort %s\n", fails ? "FAILED" : "ok");
  return fails ? 1 : 0;
}
