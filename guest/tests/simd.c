// MMX, SSE3, SSSE3, SSE4.1, SSE4.2 and POPCNT through compiler intrinsics,
// and glibc's string functions (which pick their SSE4.2/SSSE3 versions from
// CPUID): string scans with PCMPISTRI/PCMPESTRI/PCMPxSTRM in every
// aggregation, CRC32C against a bitwise reference, POPCNT, PSHUFB byte
// reversal, horizontal and saturating arithmetic, dot products and rounding
// in every mode, MMX arithmetic followed by EMMS and x87 long doubles.
// Built with the build's -O2 -static; the instruction sets come from the
// target pragma below. Prints everything it computes.
#pragma GCC target("mmx,sse3,ssse3,sse4.1,sse4.2,popcnt")
#include <fenv.h>
#include <math.h>
#include <nmmintrin.h>
#include <smmintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <tmmintrin.h>
#include <wchar.h>

static void hex128(const char *name, __m128i v) {
  uint8_t b[16];
  _mm_storeu_si128((__m128i *)b, v);
  printf("%-14s", name);
  for (int i = 15; i >= 0; i--) printf("%02x", b[i]);
  printf("\n");
}

// strlen and strchr with PCMPISTRI on 16-byte blocks (the string is padded, so reads stay inside)
static size_t sse_strlen(const char *s) {
  const __m128i zero = _mm_setzero_si128();
  size_t n = 0;
  for (;; n += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + n));
    int i = _mm_cmpistri(zero, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH);
    if (_mm_cmpistrz(zero, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH)) return n + (size_t)i;
  }
}
static long sse_strchr(const char *s, char c) {
  const __m128i set = _mm_set1_epi8(c);
  for (long n = 0;; n += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(s + n));
    int i = _mm_cmpistri(set, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY);
    if (i < 16) return n + i;
    if (_mm_cmpistrz(set, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY)) return -1;
  }
}
// the first match of a needle (at most 16 bytes) with EQUAL_ORDERED
static long sse_strstr(const char *h, const char *needle) {
  const __m128i nd = _mm_loadu_si128((const __m128i *)needle);
  for (long n = 0;; n += 8) {
    __m128i v = _mm_loadu_si128((const __m128i *)(h + n));
    int i = _mm_cmpistri(nd, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ORDERED);
    if (i < 16 && strncmp(h + n + i, needle, strlen(needle)) == 0) return n + i;
    if (_mm_cmpistrz(nd, v, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ORDERED)) return -1;
  }
}

static uint32_t crc32c_bitwise(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFF;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = c & 1 ? (c >> 1) ^ 0x82F63B78 : c >> 1;
  }
  return ~c;
}
static uint32_t crc32c_sse(const uint8_t *p, size_t n) {
  uint64_t c = 0xFFFFFFFF;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) { uint64_t w; memcpy(&w, p + i, 8); c = _mm_crc32_u64(c, w); }
  uint32_t c32 = (uint32_t)c;
  if (i + 4 <= n) { uint32_t w; memcpy(&w, p + i, 4); c32 = _mm_crc32_u32(c32, w); i += 4; }
  if (i + 2 <= n) { uint16_t w; memcpy(&w, p + i, 2); c32 = _mm_crc32_u16(c32, w); i += 2; }
  for (; i < n; i++) c32 = _mm_crc32_u8(c32, p[i]);
  return ~c32;
}

static void strings_part(void) {
  static char text[512] __attribute__((aligned(16)));
  memset(text, 0, sizeof text);
  strcpy(text, "The quick brown fox jumps over the lazy dog; 0123456789 PACK my box with five dozen liquor jugs!");
  printf("strlen %zu %zu\n", sse_strlen(text), strlen(text));
  printf("strchr %ld %ld %ld\n", sse_strchr(text, 'z'), sse_strchr(text, '!'), sse_strchr(text, '#'));
  static char needle[32] = "dozen";
  printf("strstr %ld %ld\n", sse_strstr(text, needle), (long)(strstr(text, "dozen") - text));
  // ranges: count digits and capitals, 16 bytes at a time
  const __m128i ranges = _mm_setr_epi8('0', '9', 'A', 'Z', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  int count = 0;
  for (size_t n = 0; n < sse_strlen(text); n += 16) {
    __m128i v = _mm_loadu_si128((const __m128i *)(text + n));
    __m128i m = _mm_cmpistrm(ranges, v, _SIDD_UBYTE_OPS | _SIDD_CMP_RANGES | _SIDD_BIT_MASK);
    count += _mm_popcnt_u32((uint32_t)_mm_cvtsi128_si32(m));
  }
  printf("digits+capitals %d\n", count);
  // explicit lengths, words, negative polarity, the most significant index, a byte mask
  __m128i a = _mm_setr_epi16(1, 2, 3, 4, 5, 6, 7, 8), b = _mm_setr_epi16(8, 3, 9, 1, 0, 2, 5, 5);
  for (int la = -9; la <= 9; la += 3)
    for (int lb = -9; lb <= 9; lb += 6)
      printf("estr %d %d: %d %d %d %d\n", la, lb,
             _mm_cmpestri(a, la, b, lb, _SIDD_UWORD_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_MASKED_NEGATIVE_POLARITY | _SIDD_MOST_SIGNIFICANT),
             _mm_cmpestrc(a, la, b, lb, _SIDD_SWORD_OPS | _SIDD_CMP_RANGES), _mm_cmpestrs(a, la, b, lb, _SIDD_UWORD_OPS),
             _mm_cmpestro(a, la, b, lb, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_EACH));
  hex128("estrm", _mm_cmpestrm(a, 6, b, 8, _SIDD_UWORD_OPS | _SIDD_CMP_EQUAL_ANY | _SIDD_UNIT_MASK));
  // glibc's string functions: their SSE4.2 and SSSE3 versions on this CPU
  printf("strcspn %zu strspn %zu strpbrk %ld\n", strcspn(text, "0123456789"), strspn(text, "The quick"), (long)(strpbrk(text, "xyz") - text));
  printf("strcasecmp %d %d strncasecmp %d\n", strcasecmp("Hello World", "hello world") == 0, strcasecmp("abc", "ABD") < 0, strncasecmp("FOXES", "foxy", 3) == 0);
  static wchar_t w[40] = L"wide characters, sixteen+ of them";
  printf("wcslen %zu wcsnlen %zu\n", wcslen(w), wcsnlen(w, 10));
  char copy[256];
  memmove(copy, text + 3, 200);
  memmove(copy + 5, copy, 150);
  printf("memmove/memcmp %d %d\n", memcmp(copy + 5, text + 3, 150), memcmp(copy, text, 64) != 0);

  uint8_t buf[300];
  for (int i = 0; i < 300; i++) buf[i] = (uint8_t)(i * 37 + 11);
  for (size_t n = 0; n <= 300; n += 23) printf("crc32c %3zu %08x %08x\n", n, crc32c_sse(buf, n), crc32c_bitwise(buf, n));
  printf("crc32c(\"123456789\") %08x\n", crc32c_sse((const uint8_t *)"123456789", 9)); // e3069283
  uint64_t pc = 0;
  for (int i = 0; i < 300; i += 8) { uint64_t x; memcpy(&x, buf + i, 8); pc += (uint64_t)_mm_popcnt_u64(x); }
  printf("popcnt %llu %d %d\n", (unsigned long long)pc, _mm_popcnt_u32(0), _mm_popcnt_u32(0xFFFFFFFFu));
}

static void ssse3_sse41_part(void) {
  const __m128i seq = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
  const __m128i rev = _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
  __m128i x = _mm_setr_epi16(32767, -32768, 12345, -2, 30000, 30000, -30000, -30000);
  __m128i y = _mm_setr_epi16(32767, -32768, 3, 32767, 10000, -1, -10000, 5);
  hex128("pshufb rev", _mm_shuffle_epi8(_mm_add_epi8(seq, _mm_set1_epi8(0x40)), rev));
  hex128("pshufb zero", _mm_shuffle_epi8(seq, _mm_setr_epi8(-1, 0, -128, 1, 15, 31, 16, 2, 3, 4, 5, 6, 7, 8, 9, 10)));
  hex128("phaddw", _mm_hadd_epi16(x, y));
  hex128("phaddsw", _mm_hadds_epi16(x, y));
  hex128("phsubsw", _mm_hsubs_epi16(x, y));
  hex128("pmaddubsw", _mm_maddubs_epi16(_mm_set1_epi8((char)0xFF), _mm_setr_epi8(127, 127, -128, -128, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -11, -12)));
  hex128("pmulhrsw", _mm_mulhrs_epi16(x, y));
  hex128("psignb", _mm_sign_epi8(seq, _mm_setr_epi8(-1, 0, 1, -128, 5, 0, -3, 7, -1, -1, 0, 0, 1, 1, -2, 2)));
  hex128("pabsd", _mm_abs_epi32(_mm_setr_epi32(-1, INT32_MIN, 5, -100000)));
  hex128("palignr", _mm_alignr_epi8(seq, rev, 5));
  hex128("packusdw", _mm_packus_epi32(_mm_setr_epi32(-1, 65536, 65535, 40000), _mm_setr_epi32(0, 1, -70000, 123456)));
  hex128("pmulld", _mm_mullo_epi32(_mm_setr_epi32(100000, -3, 7, 1 << 20), _mm_setr_epi32(100000, 5, -7, 1 << 12)));
  hex128("pmaxsb", _mm_max_epi8(seq, rev));
  hex128("pminud", _mm_min_epu32(_mm_setr_epi32(-1, 5, 0, 7), _mm_setr_epi32(3, -5, 9, 7)));
  hex128("phminposuw", _mm_minpos_epu16(_mm_setr_epi16(9, 4, 7, 4, 100, 200, 300, 5)));
  hex128("mpsadbw", _mm_mpsadbw_epu8(rev, seq, 5));
  hex128("pmovsxbd", _mm_cvtepi8_epi32(_mm_setr_epi8(-1, 127, -128, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)));
  hex128("pblendvb", _mm_blendv_epi8(seq, rev, _mm_setr_epi8(-1, 0, -1, 0, 1, -128, 127, 0, 0, 0, 0, 0, -1, -1, -1, -1)));
  hex128("pinsr/extr", _mm_insert_epi64(_mm_insert_epi32(seq, 0x1234567, 2), (long long)_mm_extract_epi8(rev, 3), 1));
  printf("ptest %d %d %d\n", _mm_testz_si128(seq, _mm_setzero_si128()), _mm_testc_si128(seq, seq), _mm_testnzc_si128(seq, rev));

  __m128 p = _mm_setr_ps(1.5f, -2.25f, 3.0f, 0.1f), q = _mm_setr_ps(4.0f, 0.5f, -1.0f, 10.0f);
  float f[4];
  _mm_storeu_ps(f, _mm_dp_ps(p, q, 0xF1));
  printf("dpps %.9g\n", f[0]);
  _mm_storeu_ps(f, _mm_dp_ps(p, q, 0x5A));
  printf("dpps %.9g %.9g %.9g %.9g\n", f[0], f[1], f[2], f[3]);
  double dd[2];
  _mm_storeu_pd(dd, _mm_dp_pd(_mm_setr_pd(1e300, 3.0), _mm_setr_pd(1e10, -7.0), 0x33));
  printf("dppd %.17g %.17g\n", dd[0], dd[1]);
  _mm_storeu_ps(f, _mm_hadd_ps(p, q));
  printf("haddps %.9g %.9g %.9g %.9g\n", f[0], f[1], f[2], f[3]);
  _mm_storeu_pd(dd, _mm_addsub_pd(_mm_setr_pd(1.0, 2.0), _mm_setr_pd(0.25, 0.5)));
  printf("addsubpd %.17g %.17g\n", dd[0], dd[1]);
  _mm_storeu_ps(f, _mm_movehdup_ps(p));
  printf("movshdup %.9g %.9g %.9g %.9g\n", f[0], f[1], f[2], f[3]);
  _mm_storeu_pd(dd, _mm_movedup_pd(_mm_setr_pd(-0.0, 9.0)));
  printf("movddup %g %g\n", dd[0], dd[1]);
  hex128("lddqu", _mm_lddqu_si128((const __m128i *)((const char *)&seq + 0)));

  const __m128d v = _mm_setr_pd(-2.5, 2.5), w = _mm_setr_pd(-0.3, 1e300);
  const int modes[] = {_MM_FROUND_TO_NEAREST_INT, _MM_FROUND_TO_NEG_INF, _MM_FROUND_TO_POS_INF, _MM_FROUND_TO_ZERO};
  const char *names[] = {"nearest", "floor", "ceil", "trunc"};
  for (int m = 0; m < 4; m++) {
    __m128d r1, r2;
    switch (m) {
      case 0: r1 = _mm_round_pd(v, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); r2 = _mm_round_pd(w, _MM_FROUND_TO_NEAREST_INT); break;
      case 1: r1 = _mm_round_pd(v, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); r2 = _mm_round_pd(w, _MM_FROUND_TO_NEG_INF); break;
      case 2: r1 = _mm_round_pd(v, _MM_FROUND_TO_POS_INF | _MM_FROUND_NO_EXC); r2 = _mm_round_pd(w, _MM_FROUND_TO_POS_INF); break;
      default: r1 = _mm_round_pd(v, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC); r2 = _mm_round_pd(w, _MM_FROUND_TO_ZERO); break;
    }
    double a2[2], b2[2];
    _mm_storeu_pd(a2, r1);
    _mm_storeu_pd(b2, r2);
    (void)modes;
    printf("roundpd %-7s %g %g %g %g\n", names[m], a2[0], a2[1], b2[0], b2[1]);
  }
  // the MXCSR rounding mode (imm8[2]) and its flags
  for (int m = 0; m < 4; m++) {
    const int rc[] = {FE_TONEAREST, FE_DOWNWARD, FE_UPWARD, FE_TOWARDZERO};
    fesetround(rc[m]);
    feclearexcept(FE_ALL_EXCEPT);
    float r[4];
    _mm_storeu_ps(r, _mm_round_ps(_mm_setr_ps(0.5f, -1.5f, 2.5f, -0.49f), _MM_FROUND_CUR_DIRECTION));
    printf("roundps mxcsr %d: %g %g %g %g inexact %d; floor %g ceil %g nearbyint %g\n", m, r[0], r[1], r[2], r[3], fetestexcept(FE_INEXACT) != 0,
           floor(-1.5 + m), ceil(0.25 * m), nearbyint(2.5 + m));
  }
  fesetround(FE_TONEAREST);
}

static void mmx_part(void) {
  __m64 a = _mm_set_pi16(30000, -30000, 7, -1), b = _mm_set_pi16(10000, -10000, 9, 1);
  long long r[12];
  r[0] = _mm_cvtm64_si64(_mm_add_pi16(a, b));
  r[1] = _mm_cvtm64_si64(_mm_adds_pi16(a, b));
  r[2] = _mm_cvtm64_si64(_mm_adds_pu8(_mm_set1_pi8((char)200), _mm_set1_pi8(100)));
  r[3] = _mm_cvtm64_si64(_mm_packs_pi16(a, b));
  r[4] = _mm_cvtm64_si64(_mm_unpackhi_pi8(_mm_cvtsi64_m64(0x0123456789ABCDEFLL), _mm_cvtsi64_m64(0x1122334455667788LL)));
  r[5] = _mm_cvtm64_si64(_mm_madd_pi16(a, b));
  r[6] = _mm_cvtm64_si64(_mm_mulhi_pi16(a, b));
  r[7] = _mm_cvtm64_si64(_mm_srli_pi32(_mm_cvtsi64_m64(-1LL), 7));
  r[8] = _mm_cvtm64_si64(_mm_sad_pu8(_mm_cvtsi64_m64(0x0102030405060708LL), _mm_cvtsi64_m64(0x0807060504030201LL)));
  r[9] = _mm_cvtm64_si64(_mm_shuffle_pi16(a, 0x1B));
  r[10] = _mm_extract_pi16(a, 2) | (_mm_movemask_pi8(a) << 16);
  r[11] = _mm_cvtm64_si64(_mm_shuffle_pi8(_mm_cvtsi64_m64(0x0123456789ABCDEFLL), _mm_cvtsi64_m64(0x0001020380050607LL)));
  __m128 cv = _mm_cvtpi32_ps(_mm_set1_ps(9.5f), _mm_set_pi32(-7, 16777217));
  _mm_empty();
  for (int i = 0; i < 12; i++) printf("mmx %2d %016llx\n", i, (unsigned long long)r[i]);
  float f[4];
  _mm_storeu_ps(f, cv);
  printf("cvtpi2ps %.9g %.9g %.9g\n", f[0], f[1], f[2]);
  // x87 after EMMS
  long double x = 1.0L;
  for (int i = 1; i <= 20; i++) x = x * i / 3.0L;
  printf("x87 after emms %.15Lg\n", x);
}

int main(void) {
  strings_part();
  ssse3_sse41_part();
  mmx_part();
  return 0;
}
