/* libm: elementary functions over a fixed sweep of arguments, results
 * printed exactly (as bit patterns) so any last-bit difference shows. Covers special
 * values (0, -0, inf, nan, huge, tiny) and the exactly-specified functions
 * (sqrt, floor, ceil, trunc, round, rint, fmod, remainder, frexp, ldexp,
 * modf) whose results are checked for exactness here as well.
 * Nothing here needs the x87 unit (glibc's fenv functions, and so
 * nearbyint, fma without FMA hardware and rounding-mode changes, do:
 * libm_x87.c holds those). */
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <float.h>

static uint64_t h;
/* Results are printed as bit patterns, exact and without printf's double
 * formatting (which needs the x87 unit; libm_x87.c covers that). */
static unsigned long long B(double d) { uint64_t u; memcpy(&u, &d, 8); return (unsigned long long)u; }
static void out(const char *name, double x, double r) {
  uint64_t u; memcpy(&u, &r, 8);
  if (isnan(r)) u = 0x7ff8000000000000ull; /* the sign of a NaN is not specified */
  h = (h ^ u) * 0x100000001b3ull;
  (void)name; (void)x;
}

int main(void) {
  const double sp[] = {0.0, -0.0, 1.0, -1.0, 0.5, 2.0, 10.0, 100.0, 1e-300, 5e-324, 1e300, DBL_MAX, INFINITY, -INFINITY, NAN,
                       M_PI, M_PI / 2, M_PI / 4, 1e6, 1e22, 710.0, -745.0, 0.6931471805599453};
  const unsigned NS = sizeof sp / sizeof sp[0];
  /* Special values, printed one per line. */
  for (unsigned i = 0; i < NS; i++) {
    double x = sp[i];
    printf("x=%016llx sin=%016llx cos=%016llx tan=%016llx exp=%016llx log=%016llx sqrt=%016llx atan=%016llx\n", B(x), B(sin(x)),
           B(cos(x)), B(tan(x)), B(exp(x)), B(log(x)), B(sqrt(x)), B(atan(x)));
    printf("  floor=%016llx ceil=%016llx trunc=%016llx round=%016llx rint=%016llx cbrt=%016llx log10=%016llx log2=%016llx exp2=%016llx tanh=%016llx\n",
           B(floor(x)), B(ceil(x)), B(trunc(x)), B(round(x)), B(rint(x)), B(cbrt(x)), B(log10(x)), B(log2(x)), B(exp2(x)), B(tanh(x)));
  }
  /* Sweep: many arguments, one checksum per function. */
  double (*fn1[])(double) = {sin, cos, tan, exp, log, log1p, expm1, sqrt, atan, asin, acos, sinh, cosh, tanh, cbrt, log10, log2, exp2,
                             floor, ceil, round, trunc, rint, erf};
  const char *names1[] = {"sin", "cos", "tan", "exp", "log", "log1p", "expm1", "sqrt", "atan", "asin", "acos", "sinh", "cosh", "tanh",
                          "cbrt", "log10", "log2", "exp2", "floor", "ceil", "round", "trunc", "rint", "erf"};
  for (unsigned f = 0; f < sizeof fn1 / sizeof fn1[0]; f++) {
    h = 0;
    for (int i = -400; i <= 400; i++) {
      double x = i * 0.0371 + (i % 7) * 1e-3;
      if (f == 9 || f == 10) x /= 20.0; /* asin/acos domain */
      out(names1[f], x, fn1[f](x));
      out(names1[f], x * 1e3, fn1[f](x * 1e3));
    }
    printf("%s %016llx\n", names1[f], (unsigned long long)h);
  }
  double (*fn2[])(double, double) = {pow, atan2, fmod, remainder, hypot, fmin, fmax, copysign, nextafter};
  const char *names2[] = {"pow", "atan2", "fmod", "remainder", "hypot", "fmin", "fmax", "copysign", "nextafter"};
  for (unsigned f = 0; f < sizeof fn2 / sizeof fn2[0]; f++) {
    h = 0;
    for (int i = -40; i <= 40; i++)
      for (int j = -20; j <= 20; j++) {
        double x = i * 0.37 + 0.01, y = j * 0.53 - 0.02;
        out(names2[f], x, fn2[f](x, y));
      }
    for (unsigned i = 0; i < NS; i++) for (unsigned j = 0; j < NS; j++) out(names2[f], sp[i], fn2[f](sp[i], sp[j]));
    printf("%s %016llx\n", names2[f], (unsigned long long)h);
  }
  /* Exactly specified results, checked at run time (volatile inputs keep
   * gcc from folding them). */
  volatile double two = 2.0, ten = 10.0, three = 3.0, eleven = 11.0, m75 = -7.5, half = -0.5, h25 = 2.5, h35 = 3.5;
  volatile double f48 = 48.0, q75 = 0.75, m325 = -3.25;
  int bad = 0, e;
  bad |= (sqrt(two) * sqrt(two) != 2.0000000000000004) << 0;
  bad |= (fmod(ten, three) != 1.0 || fmod(m75, two) != -1.5) << 1;
  bad |= (remainder(ten, three) != 1.0 || remainder(eleven, three) != -1.0) << 2;
  bad |= (floor(half) != -1.0 || ceil(half) != -0.0 || !signbit(ceil(half))) << 3;
  bad |= (round(h25) != 3.0 || rint(h25) != 2.0 || rint(h35) != 4.0 || lrint(-h25) != -2) << 4;
  bad |= (frexp(f48, &e) != 0.75 || e != 6) << 5;
  bad |= (ldexp(q75, 6) != 48.0 || ldexp(q75, -1073) != 0x1.8p-1074) << 6;
  double ip;
  bad |= (modf(m325, &ip) != -0.25 || ip != -3.0) << 7;
  if (bad) printf("exact check mask %#x\n", bad);
  printf("exact checks %s\n", bad ? "FAILED" : "ok");
  return bad;
}
