// poll and select on pipes across processes: a timeout with nothing written, then readiness when a
// child writes after a sleep, POLLHUP once it closes, and select's write readiness.
#include <stdio.h>
#include <poll.h>
#include <time.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/wait.h>

static long long ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000LL + t.tv_nsec / 1000000; }

int main(void) {
  int p[2];
  pipe(p);
  struct pollfd pf = {p[0], POLLIN, 0};
  long long t0 = ms();
  int r = poll(&pf, 1, 50);
  printf("empty poll %d after >= 50ms: %d\n", r, ms() - t0 >= 50 && ms() - t0 < 500);
  pid_t c = fork();
  if (c == 0) { usleep(30000); write(p[1], "ab", 2); usleep(30000); _exit(0); }
  close(p[1]);
  t0 = ms();
  r = poll(&pf, 1, 1000);
  printf("poll %d revents %d after >= 30ms: %d\n", r, pf.revents, ms() - t0 >= 30 && ms() - t0 < 500);
  char b[4];
  printf("read %zd\n", read(p[0], b, sizeof b));
  r = poll(&pf, 1, 1000);
  printf("poll at close %d hup %d\n", r, (pf.revents & POLLHUP) != 0);
  printf("read eof %zd\n", read(p[0], b, sizeof b));
  int st;
  waitpid(c, &st, 0);
  int q[2];
  pipe(q);
  fd_set w, rd;
  FD_ZERO(&w); FD_SET(q[1], &w);
  FD_ZERO(&rd); FD_SET(q[0], &rd);
  struct timeval tv = {0, 0};
  r = select(q[1] + 1, &rd, &w, 0, &tv);
  printf("select %d readable %d writable %d\n", r, FD_ISSET(q[0], &rd), FD_ISSET(q[1], &w));
  return 0;
}
