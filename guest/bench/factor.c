/* Benchmark: factor semiprimes by trial division (the busy-delay workload of the
 * busydelay scenario). argv[1] = how many numbers (default 16). Each is p*q with
 * p, q primes near 10^6, so trial division runs ~500k iterations. Deterministic. */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

static unsigned factor(uint64_t n, uint64_t *out) {
  unsigned k = 0;
  for (uint64_t d = 2; d * d <= n; d += (d == 2 ? 1 : 2)) {
    while (n % d == 0) { out[k++] = d; n /= d; }
  }
  if (n > 1) out[k++] = n;
  return k;
}

static int is_prime(uint64_t n) {
  if (n < 2) return 0;
  for (uint64_t d = 2; d * d <= n; d++) if (n % d == 0) return 0;
  return 1;
}

static uint64_t next_prime(uint64_t n) { while (!is_prime(n)) n++; return n; }

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 16;
  uint64_t x = 0x9E3779B97F4A7C15ull, sum = 0;
  for (int i = 0; i < count; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    uint64_t p = next_prime(1000000 + x % 500000);
    uint64_t q = next_prime(1000000 + (x >> 32) % 500000);
    uint64_t f[64];
    unsigned k = factor(p * q, f);
    printf("%llu =", (unsigned long long)(p * q));
    for (unsigned j = 0; j < k; j++) { printf(" %llu", (unsigned long long)f[j]); sum += f[j]; }
    printf("\n");
  }
  printf("checksum %llu\n", (unsigned long long)sum);
  return 0;
}
