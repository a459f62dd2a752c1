/* String and memory routines of glibc (its SSE2 versions on a baseline CPU)
 * at many lengths and source/destination alignments, each checked against a
 * plain byte-at-a-time reference. Prints how many cases ran and a checksum
 * of all results; exits 1 on the first mismatch (after printing it). */
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define MAXLEN 300
#define PAD 64
static unsigned char A[MAXLEN + 2 * PAD + 64], B[MAXLEN + 2 * PAD + 64], C[MAXLEN + 2 * PAD + 64];
static uint32_t seed = 12345;
static unsigned char rb(void) { seed = seed * 1103515245u + 12345u; return (unsigned char)(seed >> 16); }

static uint64_t sum;
static unsigned long cases;
static void note(uint64_t v) { sum = (sum ^ v) * 0x100000001b3ull; cases++; }

static int fail(const char *fn, size_t len, size_t al, size_t bl) {
  printf("FAIL %s len=%zu align=%zu/%zu\n", fn, len, al, bl);
  return 1;
}

static size_t ref_strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
static int sgn(int x) { return (x > 0) - (x < 0); }
static int ref_memcmp(const unsigned char *a, const unsigned char *b, size_t n) {
  for (size_t i = 0; i < n; i++) if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
}
static int ref_strcmp(const unsigned char *a, const unsigned char *b) {
  for (;; a++, b++) { if (*a != *b) return *a < *b ? -1 : 1; if (!*a) return 0; }
}
static const char *ref_strchr(const char *s, int c) {
  for (;; s++) { if (*s == (char)c) return s; if (!*s) return NULL; }
}
static const char *ref_strrchr(const char *s, int c) {
  const char *r = NULL; for (;; s++) { if (*s == (char)c) r = s; if (!*s) return r; }
}
static const char *ref_strstr(const char *h, const char *n) {
  size_t ln = ref_strlen(n);
  for (; *h; h++) if (!ref_memcmp((const unsigned char *)h, (const unsigned char *)n, ln)) return h;
  return ln ? NULL : h;
}

/* Non-zero bytes so C strings have the intended length. */
static void fill(unsigned char *p, size_t n) { for (size_t i = 0; i < n; i++) { unsigned char c = rb(); p[i] = c ? c : 1; } }

int main(void) {
  static const size_t lens[] = {0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 47, 48, 63, 64, 65,
                                95, 96, 127, 128, 129, 191, 255, 256, 257, 300};
  const size_t NL = sizeof lens / sizeof lens[0];
  for (size_t li = 0; li < NL; li++) {
    size_t len = lens[li];
    for (size_t al = 0; al < 16; al++) {
      for (size_t bl = 0; bl < 16; bl += (len > 64 ? 5 : 1)) {
        unsigned char *a = A + PAD + al, *b = B + PAD + bl;
        fill(A + PAD, len + 48); fill(B + PAD, len + 48); /* the bytes this case reads */
        a[len] = 0; b[len] = 0;

        if (strlen((char *)a) != len) return fail("strlen", len, al, bl);
        note(strlen((char *)a));
        if (strnlen((char *)a, len / 2) != len / 2) return fail("strnlen", len, al, bl);

        memcpy(C, B, sizeof C);
        unsigned char *c = C + PAD + bl;
        memcpy(c, a, len);
        if (ref_memcmp(c, a, len) || ref_memcmp(C, B, PAD + bl) || ref_memcmp(c + len, b + len, PAD))
          return fail("memcpy", len, al, bl);

        /* equal prefix, then a difference at the last byte */
        memcpy(b, a, len + 1);
        if (memcmp(a, b, len) || strcmp((char *)a, (char *)b)) return fail("memcmp/strcmp equal", len, al, bl);
        if (len) {
          b[len - 1] ^= 0x80;
          int r1 = sgn(memcmp(a, b, len)), r2 = sgn(strcmp((char *)a, (char *)b)), r3 = sgn(strncmp((char *)a, (char *)b, len));
          if (r1 != ref_memcmp(a, b, len) || r2 != ref_strcmp(a, b) || r3 != r2) return fail("memcmp/strcmp diff", len, al, bl);
          note((uint64_t)(r1 + 2) * 16 + (uint64_t)(r2 + 2));
          if (b[len - 1] == 0) b[len - 1] = 1;
        }

        /* memset with several byte values */
        memset(b, 0xA5 ^ (int)len, len);
        for (size_t i = 0; i < len; i++) if (b[i] != (unsigned char)(0xA5 ^ len)) return fail("memset", len, al, bl);
        if (b[len] != 0) return fail("memset overrun", len, al, bl);

        /* memmove both directions, overlapping by a few bytes */
        memcpy(C, A, sizeof C);
        memmove(C + PAD + bl, C + PAD + al, len);
        for (size_t i = 0; i < len; i++) if (C[PAD + bl + i] != A[PAD + al + i]) return fail("memmove", len, al, bl);
        note(C[PAD + bl + len / 2]);

        /* strchr / strrchr / memchr for a byte placed at len/2 and one absent */
        if (len) {
          unsigned char k = a[len / 2];
          const char *p1 = strchr((char *)a, k), *p2 = strrchr((char *)a, k);
          if (p1 != ref_strchr((char *)a, k) || p2 != ref_strrchr((char *)a, k)) return fail("strchr/strrchr", len, al, bl);
          if (memchr(a, k, len) != (void *)p1) return fail("memchr", len, al, bl);
          note((uint64_t)(p1 - (char *)a) << 16 | (uint64_t)(p2 - (char *)a));
        }
        if (strchr((char *)a, 0) != (char *)a + len) return fail("strchr nul", len, al, bl);

        /* strcpy / strcat / strstr */
        memset(C, 0x11, sizeof C);
        strcpy((char *)C + PAD + bl, (char *)a);
        if (ref_strcmp(C + PAD + bl, a)) return fail("strcpy", len, al, bl);
        if (len < 100) {
          strcat((char *)C + PAD + bl, "tail");
          if (strlen((char *)C + PAD + bl) != len + 4) return fail("strcat", len, al, bl);
        }
        if (len >= 4) {
          char needle[8]; memcpy(needle, a + len - 4, 4); needle[4] = 0;
          if (strstr((char *)a, needle) != ref_strstr((char *)a, needle)) return fail("strstr", len, al, bl);
          note((uint64_t)(strstr((char *)a, needle) - (char *)a));
          needle[2] = 0; /* short needle */
          if (strstr((char *)a, needle) != ref_strstr((char *)a, needle)) return fail("strstr2", len, al, bl);
        }
      }
    }
  }
  /* A longer strstr that makes glibc use its two-way algorithm. */
  static char hay[4096], nee[200];
  for (int i = 0; i < 4095; i++) hay[i] = "ab"[(i * 7 / 3) % 2];
  for (int i = 0; i < 199; i++) nee[i] = hay[1000 + i];
  const char *r = strstr(hay, nee);
  printf("two-way strstr at %ld (ref %ld)\n", r ? (long)(r - hay) : -1L, (long)(ref_strstr(hay, nee) - hay));
  printf("string cases %lu checksum %016llx\n", cases, (unsigned long long)sum);
  return 0;
}
