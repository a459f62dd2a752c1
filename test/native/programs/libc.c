/* A wide sweep of integer libc: string search/tokenize, ctype, conversions,
 * bsearch, wide strings, 128-bit division, varargs, alloca, bit-fields. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <wchar.h>
#include <stdarg.h>
#include <stdint.h>
#include <alloca.h>
#include <inttypes.h>
struct bits { unsigned a : 3, b : 7; signed c : 5; unsigned long long d : 41; };
static int sum(int n, ...) { va_list ap; va_start(ap, n); int s = 0; for (int i = 0; i < n; i++) s += va_arg(ap, int); va_end(ap); return s; }
static int icmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
int main(int argc, char **argv) {
  char text[] = "the quick brown fox jumps over the lazy dog, again and again";
  unsigned long h = 5381;
  for (char *t = strtok(text, " ,"); t; t = strtok(NULL, " ,")) h = h * 33 + strlen(t) + (unsigned char)toupper(t[0]);
  const char *hay = "abcabcabdabcabcabcabd";
  printf("%lu %td %td\n", h, strstr(hay, "abcabd") - hay, strrchr(hay, 'd') - hay);
  printf("%ld %lu %lld %d\n", strtol("-12345xyz", NULL, 10), strtoul("ff", NULL, 16), strtoll("0777", NULL, 0), atoi("  42"));
  int arr[100]; for (int i = 0; i < 100; i++) arr[i] = i * 3;
  int key = 51; int *f = bsearch(&key, arr, 100, sizeof(int), icmp);
  printf("%td\n", f ? f - arr : -1);
  wchar_t w[] = L"wide string";
  printf("%zu %d\n", wcslen(w), wcscmp(w, L"wide") > 0);
  unsigned __int128 big = ((unsigned __int128)0x123456789abcdefULL << 64) | 0xfedcba9876543210ULL;
  unsigned __int128 q = big / 1000000007ULL, r = big % 1000000007ULL;
  __int128 sb = -(__int128)big; __int128 sq = sb / 7919;
  printf("%" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRId64 "\n", (uint64_t)(q >> 64), (uint64_t)q, (uint64_t)r, (int64_t)sq);
  printf("%d\n", sum(5, 1, 2, 3, 4, 5));
  int n = argc + 40; char *buf = alloca(n); memset(buf, 'z', n - 1); buf[n - 1] = 0;
  printf("%zu\n", strlen(buf));
  struct bits bf = { 5, 100, -7, 0x1ffffffffffULL }; bf.b += 27; bf.c -= 9; bf.d >>= 3;
  printf("%u %u %d %llu\n", bf.a, bf.b, bf.c, (unsigned long long)bf.d);
  char out[200]; int len = snprintf(out, sizeof out, "%08x|%-6d|%+d|%o|%#x|%c|%%|%llu|%hhd|%hd", 0xabc, 12, 5, 8, 255, 'Q', 18446744073709551615ULL, (char)300, (short)70000);
  printf("%s %d\n", out, len);
  uint16_t s16 = 0xfff0; s16 += 0x20; int16_t i16 = -300; i16 = (int16_t)(i16 * 211);
  uint8_t u8 = 250; u8 += 10;
  printf("%u %d %u %d %d\n", s16, i16, u8, __builtin_bswap32(0x11223344) == 0x44332211, __builtin_parityll(0xf0f0f0f0f0f0f0f1ULL));
  int counts[26] = {0}; for (const char *p = "Mississippi Hippopotamus"; *p; p++) if (isalpha(*p)) counts[tolower(*p) - 'a']++;
  for (int i = 0; i < 26; i++) if (counts[i]) printf("%c%d", 'a' + i, counts[i]);
  printf("\n");
  return (int)(h & 0x3f);
}
