// Virtual time: sleeps advance the clocks by at least the requested amount.
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include <sys/time.h>

static long long ns(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void) {
  long long m0 = ns(CLOCK_MONOTONIC), r0 = ns(CLOCK_REALTIME);
  struct timespec req = {0, 250000000};
  nanosleep(&req, NULL);
  usleep(100000);
  sleep(1);
  long long m1 = ns(CLOCK_MONOTONIC), r1 = ns(CLOCK_REALTIME);
  long long d = m1 - m0;
  printf("monotonic advanced >= 1.35s: %d, < 2.5s: %d\n", d >= 1350000000LL, d < 2500000000LL);
  printf("realtime agrees: %d\n", (r1 - r0) - d < 50000000 && (r1 - r0) - d > -50000000);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  printf("time() matches gettimeofday: %d\n", time(NULL) == tv.tv_sec);
  printf("year plausible: %d\n", tv.tv_sec > 1500000000);
  return 0;
}
