/* Benchmark: an SSSE3/SSE4.2-heavy loop over a 64 KiB text, as string and
 * checksum libraries run it: memchr and strlen with PCMPESTRI/PCMPISTRI, a
 * character-class count with PCMPISTRM ranges, CRC32C with the CRC32
 * instruction, a PSHUFB byte reversal and POPCNT.
 * argv[1] = rounds (default 4). Deterministic output. */
#pragma GCC target("ssse3,sse4.2,popcnt")
#include <nmmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 64 * 1024 };
static char text[N + 64] __attribute__((aligned(16)));

// The lines (\n) in [p, p + n), 16 bytes at a time with an explicit-length EQUAL_ANY.
static size_t count_lines(const char *p, size_t n) {
  const __m128i nl = _mm_set1_epi8('\n');
  size_t lines = 0;
  for (size_t i = 0; i < n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    int len = n - i < 16 ? (int)(n - i) : 16;
    __m128i m = _mm_cmpestrm(nl, 1, v, len, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_BIT_MASK);
    lines += (size_t)_mm_popcnt_u32((uint32_t)_mm_cvtsi128_si32(m));
  }
  return lines;
}

// strlen of a NUL-terminated string, with PCMPISTRI.
static size_t sse_strlen(const char *s) {
  const __m128i zero = _mm_setzero_si128();
  for (size_t n = 0;; n += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + n));
    if (_mm_cmpistrz(zero, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH))
      return n + (size_t)_mm_cmpistri(zero, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH);
  }
}

// Digits and capitals, with a PCMPISTRM ranges mask.
static size_t count_class(const char *p, size_t n) {
  const __m128i ranges = _mm_setr_epi8('0', '9', 'A', 'Z', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  size_t c = 0;
  for (size_t i = 0; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
    __m128i m = _mm_cmpistrm(ranges, v, _SIDD_UBYTE_OPS | _SIDD_CMP_RANGES | _SIDD_BIT_MASK);
    c += (size_t)_mm_popcnt_u32((uint32_t)_mm_cvtsi128_si32(m));
  }
  return c;
}

static uint32_t crc32c(const char *p, size_t n, uint32_t c) {
  uint64_t x = ~c;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) { uint64_t w; memcpy(&w, p + i, 8); x = _mm_crc32_u64(x, w); }
  uint32_t y = (uint32_t)x;
  for (; i < n; i++) y = _mm_crc32_u8(y, (uint8_t)p[i]);
  return ~y;
}

// Reverse each 16-byte block in place (PSHUFB) and return the set bits of the blocks' XOR.
static uint64_t reverse_blocks(char *p, size_t n) {
  const __m128i rev = _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  __m128i acc = _mm_setzero_si128();
  for (size_t i = 0; i + 16 <= n; i += 16) {
    __m128i v = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(p + i)), rev);
    _mm_storeu_si128((__m128i *)(p + i), v);
    acc = _mm_xor_si128(acc, v);
  }
  return (uint64_t)_mm_popcnt_u64((uint64_t)_mm_cvtsi128_si64(acc)) + (uint64_t)_mm_popcnt_u64((uint64_t)_mm_extract_epi64(acc, 1));
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 4;
  uint64_t seed = 88172645463325252ull;
  static const char words[][8] = {"the", "Drone", "climbs", "to", "42", "METRES", "and", "turns", "West", "at", "7", "knots"};
  size_t len = 0;
  while (len + 16 < N) {
    seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
    const char *w = words[seed % 12];
    size_t k = strlen(w);
    memcpy(text + len, w, k);
    len += k;
    text[len++] = (seed >> 20) % 9 == 0 ? '\n' : ' ';
  }
  text[len] = 0;
  uint32_t crc = 0;
  size_t lines = 0, cls = 0, lens = 0;
  uint64_t bits = 0;
  for (int r = 0; r < rounds; r++) {
    lines += count_lines(text, len);
    cls += count_class(text, len);
    crc = crc32c(text, len, crc);
    bits += reverse_blocks(text, len);
    for (size_t i = 0; i < len; i += 1024) {
      char save = text[i + 700];
      text[i + 700] = 0;
      lens += sse_strlen(text + i);
      text[i + 700] = save;
    }
  }
  printf("lines %zu class %zu crc %08x bits %llu lens %zu\n", lines, cls, crc, (unsigned long long)bits, lens);
  return 0;
}
