/* pace: a serial line's timing put back between the drone on a host PTY and a
 * native autopilot, for docs/timing.md's native comparison.
 *
 *   pace DRONE_PTY [BAUD]      (prints the PTY the autopilot should open, then relays)
 *
 * `skytrace drone --pty` writes each reply and sensor line whole, at once; the
 * emulated link (src/serial) delivers bytes one at a time, 10 bits each at the
 * baud rate (86.8 µs at 115200), and that is what the autopilot's select/read
 * pairs wait on. pace opens a second PTY for the autopilot and relays both
 * ways, one byte at a time, each byte arriving one byte-time after the one
 * before it or after it was sent, whichever is later, like a UART's shift
 * register. It sleeps (with a 1 ns timer slack) until 30 µs before a byte is
 * due and spins the rest, so bytes land within a few µs of their time.
 * With $SKYTRACE_PACE_LOG set it writes the CLOCK_MONOTONIC time of every byte
 * it hands the autopilot there (8 bytes each), the native flight's arrival
 * times. It exits when the autopilot's side closes. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>

static inline int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "pace: %s: %s\n", what, strerror(errno));
  exit(2);
}

static void raw(int fd) {
  struct termios t;
  if (tcgetattr(fd, &t) == 0) { cfmakeraw(&t); t.c_cc[VMIN] = 1; t.c_cc[VTIME] = 0; tcsetattr(fd, TCSANOW, &t); }
}

/* One direction of the line: bytes queued with the time each arrives. */
#define QCAP 65536
struct lane { unsigned char b[QCAP]; int64_t at[QCAP]; size_t head, tail; int64_t last; int to; };

static void queue(struct lane *l, const unsigned char *p, ssize_t n, int64_t now, int64_t byte_ns) {
  for (ssize_t i = 0; i < n; i++) {
    if (l->tail - l->head == QCAP) { errno = ENOBUFS; die("queue full"); }
    int64_t t = (l->last > now ? l->last : now) + byte_ns;
    l->b[l->tail % QCAP] = p[i];
    l->at[l->tail % QCAP] = t;
    l->tail++;
    l->last = t;
  }
}

static int64_t due(const struct lane *l) { return l->head == l->tail ? INT64_MAX : l->at[l->head % QCAP]; }

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) { fprintf(stderr, "usage: pace DRONE_PTY [BAUD]\n"); return 2; }
  const long baud = argc == 3 ? atol(argv[2]) : 115200;
  if (baud < 300) { fprintf(stderr, "pace: bad baud rate\n"); return 2; }
  const int64_t byte_ns = 10 * 1000000000LL / baud; /* start, 8 data, stop */
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  int drone = open(argv[1], O_RDWR | O_NOCTTY);
  if (drone < 0) die(argv[1]);
  raw(drone);
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) || unlockpt(m)) die("posix_openpt");
  raw(m);
  /* Hold the slave open ourselves until the autopilot has opened it, so the master sees no hang-up before. */
  int hold = open(ptsname(m), O_RDWR | O_NOCTTY);
  if (hold < 0) die("open slave");
  printf("%s\n", ptsname(m));
  fflush(stdout);
  FILE *log = getenv("SKYTRACE_PACE_LOG") ? fopen(getenv("SKYTRACE_PACE_LOG"), "wb") : NULL;
  static struct lane down, up; /* down: drone → autopilot (to the master); up: autopilot → drone */
  down.to = m;
  up.to = drone;
  int seen_pilot = 0;
  for (;;) {
    int64_t now = now_ns();
    /* Hand over every byte that is due. */
    for (struct lane *l = &down; l; l = l == &down ? &up : NULL) {
      while (due(l) <= now) {
        unsigned char c = l->b[l->head % QCAP];
        if (write(l->to, &c, 1) != 1 && errno != EAGAIN) goto done;
        if (l == &down && log) { int64_t t = now_ns(); fwrite(&t, sizeof t, 1, log); }
        l->head++;
        now = now_ns();
      }
    }
    int64_t next = due(&down) < due(&up) ? due(&down) : due(&up);
    if (next - now <= 30000) { while (now_ns() < next) {} continue; } /* spin the last 30 µs */
    struct pollfd fds[2] = {{drone, POLLIN, 0}, {m, POLLIN, 0}};
    struct timespec tmo, *tp = NULL;
    if (next != INT64_MAX) { int64_t w = next - now - 30000; tmo.tv_sec = w / 1000000000; tmo.tv_nsec = w % 1000000000; tp = &tmo; }
    if (ppoll(fds, 2, tp, NULL) < 0) { if (errno == EINTR) continue; die("ppoll"); }
    unsigned char buf[4096];
    if (fds[0].revents & POLLIN) { ssize_t n = read(drone, buf, sizeof buf); if (n > 0) queue(&down, buf, n, now_ns(), byte_ns); }
    if (fds[1].revents & POLLIN) {
      ssize_t n = read(m, buf, sizeof buf);
      if (n > 0) { queue(&up, buf, n, now_ns(), byte_ns); if (!seen_pilot) { seen_pilot = 1; close(hold); hold = -1; } }
    }
    if (fds[1].revents & (POLLHUP | POLLERR) && hold < 0 && !(fds[1].revents & POLLIN)) break; /* the autopilot is gone */
    if (fds[0].revents & (POLLHUP | POLLERR) && !(fds[0].revents & POLLIN)) break;
  }
done:
  if (log) fclose(log);
  return 0;
}
