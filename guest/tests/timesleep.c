/* Clocks and sleeping. Only relations are printed (never raw times), so the
 * output is the same natively and under a virtual clock: monotonic time
 * does not go back, nanosleep and clock_nanosleep sleep at least as long
 * as asked, realtime and gettimeofday agree, and a zero sleep returns. */
#include <stdio.h>
#include <time.h>
#include <errno.h>
#include <sys/time.h>

static long long ns(const struct timespec *t) { return (long long)t->tv_sec * 1000000000LL + t->tv_nsec; }

int main(void) {
  struct timespec a, b, req = {0, 10 * 1000 * 1000}, rem;
  int ok = 1;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int r = nanosleep(&req, &rem);
  clock_gettime(CLOCK_MONOTONIC, &b);
  printf("nanosleep returned %d\n", r);
  printf("slept at least 10ms: %s\n", ns(&b) - ns(&a) >= 10000000LL ? "yes" : "no");
  ok &= ns(&b) - ns(&a) >= 10000000LL;

  struct timespec c, d, abs;
  clock_gettime(CLOCK_MONOTONIC, &c);
  abs = c; abs.tv_nsec += 25 * 1000 * 1000;
  if (abs.tv_nsec >= 1000000000L) { abs.tv_sec++; abs.tv_nsec -= 1000000000L; }
  r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &abs, NULL);
  clock_gettime(CLOCK_MONOTONIC, &d);
  printf("clock_nanosleep absolute returned %d, woke after the deadline: %s\n", r, ns(&d) >= ns(&abs) ? "yes" : "no");
  ok &= ns(&d) >= ns(&abs);

  struct timespec rel = {0, 5 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &c);
  r = clock_nanosleep(CLOCK_MONOTONIC, 0, &rel, NULL);
  clock_gettime(CLOCK_MONOTONIC, &d);
  printf("clock_nanosleep relative returned %d, slept at least 5ms: %s\n", r, ns(&d) - ns(&c) >= 5000000LL ? "yes" : "no");

  struct timespec zero = {0, 0};
  printf("zero sleep returned %d\n", nanosleep(&zero, NULL));
  struct timespec badreq = {0, 1000000000L};
  errno = 0;
  r = nanosleep(&badreq, NULL);
  printf("tv_nsec out of range: %d %s\n", r, errno == EINVAL ? "EINVAL" : "other");

  /* monotonic never goes back over many reads */
  long long prev = 0; int back = 0;
  for (int i = 0; i < 1000; i++) { clock_gettime(CLOCK_MONOTONIC, &a); if (ns(&a) < prev) back++; prev = ns(&a); }
  printf("monotonic went back: %d times\n", back);

  /* realtime, gettimeofday and time() agree to within a second */
  struct timespec rt; struct timeval tv;
  clock_gettime(CLOCK_REALTIME, &rt); gettimeofday(&tv, NULL); time_t t = time(NULL);
  long long d1 = (long long)tv.tv_sec - rt.tv_sec, d2 = (long long)t - rt.tv_sec;
  printf("realtime, gettimeofday and time agree: %s\n", d1 >= 0 && d1 <= 1 && d2 >= 0 && d2 <= 1 ? "yes" : "no");
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("monotonic resolution at most 1ms: %s\n", ns(&res) > 0 && ns(&res) <= 1000000 ? "yes" : "no");
  printf("process cputime advances: %s\n", (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a), ns(&a) > 0) ? "yes" : "no");
  return ok ? 0 : 1;
}
