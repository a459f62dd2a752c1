// Talks to /dev/ttyS0 in raw mode: write a request, wait with select() for the
// reply, read it; then wait for a reply that never comes (select times out).
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <time.h>
#include <sys/select.h>

static long long now_us(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000LL + t.tv_nsec / 1000; }

int main(void) {
  int fd = open("/dev/ttyS0", O_RDWR | O_NOCTTY);
  if (fd < 0) { perror("open"); return 1; }
  struct termios t;
  if (tcgetattr(fd, &t)) { perror("tcgetattr"); return 1; }
  cfmakeraw(&t);
  cfsetspeed(&t, B115200);
  t.c_cc[VMIN] = 0; t.c_cc[VTIME] = 0;
  if (tcsetattr(fd, TCSANOW, &t)) { perror("tcsetattr"); return 1; }
  printf("isatty %d\n", isatty(fd));
  long long t0 = now_us();
  write(fd, "PING\n", 5);
  char buf[64]; int got = 0;
  while (got < 5) {
    fd_set r; FD_ZERO(&r); FD_SET(fd, &r);
    struct timeval tv = {1, 0};
    if (select(fd + 1, &r, 0, 0, &tv) <= 0) { printf("select timed out\n"); return 2; }
    int n = read(fd, buf + got, sizeof buf - 1 - got);
    if (n > 0) got += n;
  }
  buf[got] = 0;
  long long dt = now_us() - t0;
  printf("reply %s", buf);
  printf("took between 1ms and 2ms: %d\n", dt >= 1000 && dt < 2000);
  fd_set r; FD_ZERO(&r); FD_SET(fd, &r);
  struct timeval tv = {0, 200000};
  t0 = now_us();
  int s = select(fd + 1, &r, 0, 0, &tv);
  dt = now_us() - t0;
  printf("second select %d after 200ms: %d\n", s, dt >= 200000 && dt < 201000);
  return 0;
}
