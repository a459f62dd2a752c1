/* What static glibc runs on the x87 unit: printf of doubles reads the x87
 * control word for the rounding mode, the fenv functions (fesetround,
 * feholdexcept, so nearbyint too) set both the x87 and the SSE state, lgamma
 * works in long double, glibc's fma without FMA hardware uses fenv, (__lgamma_product), and long double arithmetic and
 * its printf. Results are printed with %a and %La, so any last-bit
 * difference shows. */
#include <stdio.h>
#include <math.h>
#include <float.h>
#include <stdint.h>
#include <string.h>
#include <fenv.h>

static uint64_t h;
static void mix(double r) {
  uint64_t u; memcpy(&u, &r, 8);
  if (isnan(r)) u = 0x7ff8000000000000ull;
  h = (h ^ u) * 0x100000001b3ull;
}

int main(void) {
  volatile double xs[] = {0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 10.0, 100.5, -0.5, -1.5, -2.5, 1e-300, 171.5, -170.5};
  for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
    int sign = 0;
    double x = xs[i], lg = lgamma_r(x, &sign);
    printf("x=%a lgamma=%a sign=%d tgamma=%a\n", x, lg, sign, tgamma(x));
  }
  h = 0;
  for (int i = -400; i <= 400; i++) {
    double x = i * 0.0371 + (i % 7) * 1e-3;
    mix(lgamma(x)); mix(lgamma(x * 100)); mix(tgamma(x)); mix(erfc(x));
  }
  printf("gamma sweep %016llx\n", (unsigned long long)h);

  volatile long double a = 2.0L, b = 3.0L;
  long double q = a / b, s = sqrtl(a), e = expl(b), l = logl(b), p = powl(a, 0.5L);
  printf("long double: %La %La %La %La %La\n", q, s, e, l, p);
  printf("long double: %.25Lg %.25Lg %Lf %Le\n", q, s, e, l);
  printf("LDBL_MAX %La LDBL_MIN %La LDBL_EPSILON %La\n", LDBL_MAX, LDBL_MIN, LDBL_EPSILON);
  volatile long double big = 1e4000L;
  printf("1e4000L = %Lg, (double) = %g\n", big, (double)big);
  /* Rounding modes: MXCSR.RC changes SSE arithmetic and rint. gcc inlines
   * rint with the 2^52 trick, which is only right for the default mode
   * without -frounding-math, so results are printed (compared with native),
   * not checked; the library rint is called through a pointer as well. */
  double (*volatile lib_rint)(double) = rint;
  volatile double a21 = 2.1, m21 = -2.1, m29 = -2.9, one = 1.0, three = 3.0;
  const int modes[] = {FE_TONEAREST, FE_UPWARD, FE_DOWNWARD, FE_TOWARDZERO};
  const char *mode_names[] = {"nearest", "upward", "downward", "towardzero"};
  for (int m = 0; m < 4; m++) {
    fesetround(modes[m]);
    volatile double q3 = one / three, nq3 = -one / three, sq = sqrt(a21);
    printf("%s: rint %a %a %a library %a %a %a nearbyint %a %a 1/3 %a -1/3 %a sqrt %a fegetround ok %d\n", mode_names[m],
           rint(a21), rint(m21), rint(m29), lib_rint(a21), lib_rint(m21), lib_rint(m29), nearbyint(a21), nearbyint(m29), q3, nq3, sq,
           fegetround() == modes[m]);
  }
  fesetround(FE_TONEAREST);
  /* Exception flags as the fenv functions see them. */
  feclearexcept(FE_ALL_EXCEPT);
  volatile double z = 0.0, r = one / z;
  printf("1/0 = %a divbyzero raised %d\n", r, fetestexcept(FE_DIVBYZERO) != 0);
  feclearexcept(FE_ALL_EXCEPT);
  r = one / three;
  printf("1/3 inexact raised %d invalid raised %d\n", fetestexcept(FE_INEXACT) != 0, fetestexcept(FE_INVALID) != 0);

  /* fma without FMA hardware: glibc's __fma_sse2 uses the fenv functions */
  volatile double f1 = 0x1p52 + 1, f2 = 0x1p52 - 1, f3 = -0x1p104, t = 0x1p-60;
  printf("fma %a %a %a\n", fma(f1, f2, f3), fma(one / three, three, -one), fma(t, t, one));

  volatile double d = 0.1;
  printf("%f %.20f %g %e\n", d, d, d * 3, d / 7);
  return 0;
}
