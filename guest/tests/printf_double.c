/* printf and strtod with doubles: %f/%e/%g/%a at several precisions,
 * round-half-even cases, denormals, signed zero, inf and nan, and strtod
 * of decimal and hex strings (bit patterns printed exactly). Also checks
 * that printing with %.17g and reading back round-trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <float.h>
#include <math.h>
#include <errno.h>

static uint64_t bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double from_bits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

int main(void) {
  const double vals[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 0.125, 0.375, 1e-5, 123456.789, 1e15, 1e16,
    1e22, 1e23, 9007199254740993.0, 3.141592653589793, 2.718281828459045, 1.0 / 3.0,
    DBL_MAX, DBL_MIN, DBL_MIN / 2, 4.9406564584124654e-324, DBL_EPSILON, 5e-310,
    HUGE_VAL, -HUGE_VAL, NAN, -NAN, 0.045, 1.005, 999.9999999, 6.02214076e23,
  };
  const char *fmts[] = {"%f", "%.0f", "%.1f", "%.2f", "%.10f", "%e", "%.0e", "%.3e", "%.16e",
                        "%g", "%.1g", "%.6g", "%.17g", "%a", "%.3a", "%A", "%+12.4f", "%-12.3e|", "%012.2f", "%#.0f", "%#g"};
  char buf[512];
  for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
    double v = vals[i];
    printf("[%zu] %016llx", i, (unsigned long long)bits(v));
    for (size_t f = 0; f < sizeof fmts / sizeof fmts[0]; f++) {
      if (!strcmp(fmts[f], "%f") && fabs(v) > 1e30) continue; /* keep lines short */
      if (!strcmp(fmts[f], "%.10f") && fabs(v) > 1e30) continue;
      snprintf(buf, sizeof buf, fmts[f], v);
      printf(" %s", buf);
    }
    printf("\n");
  }
  /* Round-half-even and exact decimal expansions. */
  for (int k = 0; k < 8; k++) printf("%.0f ", k + 0.5);
  printf("\n%.60f\n%.30e\n", 0.1, 1.0 / 7.0);
  printf("%.1100f\n", DBL_MIN);

  /* strtod: decimal, hex, specials, overflow/underflow errno. */
  const char *ins[] = {"0", "-0", "0.1", "1e308", "1e309", "-1e309", "1e-320", "1e-400", "2.2250738585072011e-308",
                       "2.2250738585072012e-308", "0x1.8p3", "0x1p-1074", "0X.8P1", "inf", "-Infinity", "nan", "NAN(123)",
                       "123456789012345678901234567890", "1.7976931348623157e308", "1.7976931348623159e308",
                       "   42.5xyz", "4.35", "9007199254740993", "0.30000000000000004", ".5", "5.", "e5", "-"};
  for (size_t i = 0; i < sizeof ins / sizeof ins[0]; i++) {
    char *end; errno = 0;
    double d = strtod(ins[i], &end);
    int nanv = isnan(d);
    printf("strtod(\"%s\") = %016llx %s%.17g consumed=%ld errno=%s\n", ins[i],
           nanv ? (unsigned long long)(bits(d) & 0xfff8000000000000ull) : (unsigned long long)bits(d),
           nanv ? "(nan) " : "", d, (long)(end - ins[i]), errno == ERANGE ? "ERANGE" : errno ? "other" : "0");
  }
  /* Round trip of many values through %.17g. */
  uint64_t x = 0x9E3779B97F4A7C15ull; unsigned bad = 0, n = 0;
  for (int i = 0; i < 1000; i++) {
    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
    double d = from_bits(x);
    if (isnan(d)) continue;
    snprintf(buf, sizeof buf, "%.17g", d);
    if (bits(strtod(buf, NULL)) != bits(d)) bad++;
    n++;
  }
  printf("round trips %u bad %u\n", n, bad);
  /* Integer formats alongside. */
  printf("%d %i %u %x %X %o %ld %lld %hhd %hu %5.3d|%-5d|%+d %c %s %%\n", -42, 7, 3000000000u, 0xbeef, 0xBEEFu, 8, -1L,
         (long long)INT64_MIN, (signed char)-128, (unsigned short)65535, 7, 3, 5, 'z', "str");
  return bad ? 1 : 0;
}
