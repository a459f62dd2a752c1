// The host's RCPSS and RSQRTSS over every significand: RCPSS of x in [1, 2)
// (2^23 values), RSQRTSS of x in [1, 4) (exponent 127, then 128: 2^24 values),
// written as little-endian binary32 results to the files named by argv[1] and
// argv[2]. Built and run by test/sse/diff-approx.test.ts.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xmmintrin.h>

static uint32_t op(uint32_t x, int sqrt) {
  float f;
  memcpy(&f, &x, 4);
  __m128 v = _mm_set_ss(f);
  v = sqrt ? _mm_rsqrt_ss(v) : _mm_rcp_ss(v);
  float r = _mm_cvtss_f32(v);
  uint32_t o;
  memcpy(&o, &r, 4);
  return o;
}

static int sweep(const char *path, uint32_t first, uint32_t n, int sqrt) {
  FILE *f = fopen(path, "wb");
  if (!f) return 1;
  static uint32_t buf[1 << 16];
  for (uint32_t i = 0; i < n; i += 1 << 16) {
    for (uint32_t j = 0; j < (1u << 16); j++) buf[j] = op(first + i + j, sqrt);
    if (fwrite(buf, 4, 1 << 16, f) != 1u << 16) return 1;
  }
  return fclose(f) != 0;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  if (sweep(argv[1], 0x3f800000u, 1u << 23, 0)) return 1;
  if (sweep(argv[2], 0x3f800000u, 1u << 24, 1)) return 1;
  return 0;
}
