/* sendfile, close_range and epoll_pwait/epoll_pwait2 as Linux answers them, in one process:
 *  - sendfile from a file to a pipe and to another file, from the file offset (advanced) and
 *    from an offset argument (advanced, the file offset left alone), a count past the end, at
 *    the end (0), and the errors: an output opened read-only (EBADF), an input that is a pipe
 *    (EINVAL), an output with O_APPEND (EINVAL);
 *  - close_range: a range closed, CLOSE_RANGE_CLOEXEC setting FD_CLOEXEC instead, a range past
 *    the table, first > last and an unknown flag (EINVAL);
 *  - epoll_pwait with a mask that unblocks a pending signal: EINTR after its handler, the old
 *    mask back; with no mask as epoll_wait; epoll_pwait2 with a timespec timeout.
 * Only results are printed. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <linux/close_range.h>

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }
static volatile int handled;
static void on_usr1(int s) { (void)s; handled++; }

static void show_sendfile(const char *what, long r) { printf("sendfile %s: %ld %s\n", what, r, err(r)); }

int main(void) {
  /* Fixed names in the folder the test gives (mkstemp's getrandom calls vary natively: glibc draws
   * again when its draw falls in the unfair range). */
  const char *name = "fdcalls-in";
  int in = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);
  const char text[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  write(in, text, sizeof text - 1);
  lseek(in, 4, SEEK_SET);
  unlink(name);

  int pfd[2];
  pipe(pfd);
  char buf[128];
  show_sendfile("from the file offset to a pipe", sendfile(pfd[1], in, NULL, 6));
  long n = read(pfd[0], buf, sizeof buf);
  printf("  read %.*s, file offset now %ld\n", (int)n, buf, (long)lseek(in, 0, SEEK_CUR));
  off_t off = 30;
  show_sendfile("from an offset past which 6 remain, count 20", sendfile(pfd[1], in, &off, 20));
  n = read(pfd[0], buf, sizeof buf);
  printf("  read %.*s, offset now %ld, file offset still %ld\n", (int)n, buf, (long)off, (long)lseek(in, 0, SEEK_CUR));
  show_sendfile("at the end", sendfile(pfd[1], in, &off, 5));

  const char *oname = "fdcalls-out";
  int out = open(oname, O_RDWR | O_CREAT | O_TRUNC, 0600);
  off = 0;
  show_sendfile("to a file", sendfile(out, in, &off, 10));
  printf("  out's size %ld\n", (long)lseek(out, 0, SEEK_END));
  int ro = open(oname, O_RDONLY);
  off = 0;
  show_sendfile("to a read-only fd", sendfile(ro, in, &off, 1));
  show_sendfile("from a pipe", sendfile(out, pfd[0], NULL, 1));
  int app = open(oname, O_WRONLY | O_APPEND);
  off = 0;
  show_sendfile("to an O_APPEND file", sendfile(app, in, &off, 1));
  unlink(oname);

  /* close_range: fds 10..14 made with dup2, then closed, marked, or refused. */
  for (int fd = 10; fd < 15; fd++) dup2(in, fd);
  printf("close_range 10..11: %s\n", err(syscall(SYS_close_range, 10, 11, 0)));
  printf("  fcntl(10) %s, fcntl(11) %s, fcntl(12) %s\n", err(fcntl(10, F_GETFD)), err(fcntl(11, F_GETFD)), err(fcntl(12, F_GETFD)));
  printf("close_range 12..13 CLOEXEC: %s\n", err(syscall(SYS_close_range, 12, 13, CLOSE_RANGE_CLOEXEC)));
  printf("  FD_CLOEXEC on 12 %d, 13 %d, 14 %d\n", fcntl(12, F_GETFD), fcntl(13, F_GETFD), fcntl(14, F_GETFD));
  const char *all = err(syscall(SYS_close_range, 14, ~0U, 0));
  printf("close_range 14..~0: %s, fcntl(14) %s\n", all, err(fcntl(14, F_GETFD)));
  printf("close_range 5..4: %s\n", err(syscall(SYS_close_range, 5, 4, 0)));
  printf("close_range unknown flag: %s\n", err(syscall(SYS_close_range, 20, 21, 1U << 10)));

  /* epoll_pwait: SIGUSR1 blocked and pending; the call's mask lets it in. */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr1, none, now;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  sigemptyset(&none);
  sigprocmask(SIG_BLOCK, &usr1, NULL);
  raise(SIGUSR1);
  int ep = epoll_create1(EPOLL_CLOEXEC);
  struct epoll_event ev = { .events = EPOLLIN, .data.u32 = 7 }, got;
  epoll_ctl(ep, EPOLL_CTL_ADD, pfd[0], &ev);
  long r = epoll_pwait(ep, &got, 1, 1000, &none);
  sigprocmask(SIG_BLOCK, NULL, &now);
  printf("epoll_pwait unblocking a pending signal: %ld %s, handled %d, blocked again %d\n", r, err(r), handled, sigismember(&now, SIGUSR1));
  r = epoll_pwait(ep, &got, 1, 0, NULL);
  printf("epoll_pwait, nothing ready, no mask: %ld\n", r);
  write(pfd[1], "x", 1);
  r = epoll_pwait(ep, &got, 1, 1000, NULL);
  printf("epoll_pwait, one ready: %ld data %u\n", r, got.data.u32);
  struct timespec ts = { 0, 1000000 };
  read(pfd[0], buf, 1);
  r = syscall(SYS_epoll_pwait2, ep, &got, 1, &ts, NULL, 8);
  printf("epoll_pwait2 with a 1 ms timeout, nothing ready: %ld %s\n", r, err(r));
  errno = 0;
  r = epoll_pwait(ep, &got, 0, 0, NULL);
  printf("epoll_pwait for 0 events: %ld %s\n", r, err(r));
  return 0;
}
