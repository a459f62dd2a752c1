// alarm and setitimer deliver SIGALRM in virtual time; pause and sigsuspend wait for it;
// SA_RESTART re-issues a read interrupted by the handler, without it read fails with EINTR.
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>

static volatile int alarms;
static void on_alarm(int s) { (void)s; alarms++; }

static void handler(int flags) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm;
  sa.sa_flags = flags;
  sigaction(SIGALRM, &sa, 0);
}

int main(void) {
  handler(0);
  printf("alarm first %u\n", alarm(2));
  printf("alarm again %u\n", alarm(1));
  pause();
  printf("after pause alarms %d\n", alarms);

  struct itimerval it = {{0, 100000}, {0, 100000}};
  setitimer(ITIMER_REAL, &it, 0);
  sigset_t none;
  sigemptyset(&none);
  while (alarms < 4) sigsuspend(&none);
  struct itimerval off = {{0, 0}, {0, 0}}, old;
  setitimer(ITIMER_REAL, &off, &old);
  printf("interval timer ticks %d interval %ld us\n", alarms, (long)old.it_interval.tv_usec);

  int p[2];
  pipe(p);
  alarm(1);
  char c;
  ssize_t n = read(p[0], &c, 1);
  printf("read without SA_RESTART: %zd %s\n", n, strerror(errno));
  handler(SA_RESTART);
  alarm(1);
  if (fork() == 0) { sleep(2); write(p[1], "x", 1); _exit(0); }
  n = read(p[0], &c, 1);
  printf("read with SA_RESTART: %zd [%c] alarms %d\n", n, c, alarms);
  return 0;
}
