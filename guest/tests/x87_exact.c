/* long double (x87 extended) arithmetic whose results IEEE fixes to the bit:
 * + - * / sqrt, fmodl/remainderl (FPREM/FPREM1), rintl/nearbyintl in every
 * rounding mode (FRNDINT), conversions to and from integers, float and
 * double, the precision-control settings (inline FLDCW), and printf/strtold
 * of long double. Printed with %La and hashed, so native and emulated runs
 * must agree in every bit. (The transcendentals are left out: the host's are
 * not correctly rounded, see libm_x87.) */
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <fenv.h>
#include <float.h>

static uint64_t h = 1469598103934665603ull;
static void mix(long double v) {
  unsigned char b[16] = {0};
  memcpy(b, &v, 10);
  for (int i = 0; i < 10; i++) h = (h ^ b[i]) * 0x100000001b3ull;
}
static void set_pc(unsigned pc) {
  unsigned short cw;
  __asm__ volatile("fnstcw %0" : "=m"(cw));
  cw = (unsigned short)((cw & ~0x300u) | (pc << 8));
  __asm__ volatile("fldcw %0" : : "m"(cw));
}

int main(void) {
  volatile long double vals[64];
  int n = 0;
  for (int i = 0; i < 40; i++) vals[n++] = (i - 17) * 0.37L + 1.0L / (i + 3);
  vals[n++] = LDBL_MAX; vals[n++] = LDBL_MIN; vals[n++] = LDBL_MIN / 3; vals[n++] = LDBL_TRUE_MIN;
  vals[n++] = 1e4000L; vals[n++] = -1e-4000L; vals[n++] = 0.0L; vals[n++] = -0.0L;
  vals[n++] = INFINITY; vals[n++] = -INFINITY; vals[n++] = 3.0L; vals[n++] = 1e30L; vals[n++] = 0x1p63L; vals[n++] = -0x1p64L;
  const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  for (int m = 0; m < 4; m++) {
    fesetround(modes[m]);
    for (unsigned pc = 0; pc < 4; pc++) {
      if (pc == 1) continue;
      set_pc(pc);
      for (int i = 0; i < n; i++) for (int j = 0; j < n; j += 3) {
        long double a = vals[i], b = vals[j];
        mix(a + b); mix(a - b); mix(a * b); mix(a / b);
      }
      for (int i = 0; i < n; i++) mix(sqrtl(fabsl(vals[i])));
      set_pc(3);
    }
    for (int i = 0; i < n; i++) {
      long double a = vals[i];
      mix(rintl(a)); mix(nearbyintl(a * 1000)); mix((long double)(float)a); mix((long double)(double)a);
      if (fabsl(a) < 1e18L) { mix((long double)(long long)(a * 1e6L)); mix((long double)llrintl(a * 1e9L)); }
      for (int j = 0; j < n; j += 5) { mix(fmodl(a, vals[j])); mix(remainderl(a, vals[j])); }
    }
    printf("mode %d hash %016llx\n", m, (unsigned long long)h);
  }
  fesetround(FE_TONEAREST);
  for (int i = 0; i < n; i += 4) printf("%La %La %.21Lg\n", vals[i], vals[i] / 7, sqrtl(fabsl(vals[i])));
  long double s = strtold("0.1", NULL), t = strtold("1e-4950", NULL), u = strtold("123456789012345678901234567890", NULL);
  printf("strtold %La %La %La\n", s, t, u);
  int e; long double fr = frexpl(1e300L * 1e300L, &e);
  printf("frexpl %La %d ldexpl %La scalbnl %La\n", fr, e, ldexpl(fr, e - 3), scalbnl(3.0L, -16400));
  return 0;
}
