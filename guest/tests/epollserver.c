/* An epoll server and the descriptors it waits on. First, in one process:
 *  - eventfd: counter and semaphore modes, EAGAIN when zero, readiness through
 *    epoll (level-triggered, then EPOLLET firing once per write, EPOLLONESHOT
 *    until re-armed with EPOLL_CTL_MOD);
 *  - timerfd: a one-shot relative timer read blocking (1 expiration), gettime
 *    after it (disarmed), a non-blocking read before it fires (EAGAIN);
 *  - AF_UNIX: a stream socketpair through epoll, a datagram socketpair keeping
 *    message boundaries, a pipe's read end passed with SCM_RIGHTS;
 *  - epoll_ctl errors: EEXIST, ENOENT, EBADF, EINVAL (epoll on itself).
 * Then a TCP echo server on one epoll set serves a forked client that opens
 * three connections one after the other. The client waits for each answer
 * (and, after a close, for the server's word on the sync pipe) before its next
 * step, so every epoll_wait returns exactly one event natively too. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static int wait1(int ep, int timeout, struct epoll_event *ev) {
  int n = epoll_wait(ep, ev, 1, timeout);
  return n;
}

static void eventfds(void) {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  int e = eventfd(0, EFD_NONBLOCK);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1234567890ULL};
  printf("eventfd: ctl add %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, e, &ev)));
  struct epoll_event got;
  printf("eventfd: wait when zero %d\n", wait1(ep, 0, &got));
  uint64_t v = 3;
  write(e, &v, 8);
  v = 4;
  write(e, &v, 8);
  int n = wait1(ep, 0, &got);
  printf("eventfd: wait %d events %#x data %#llx\n", n, got.events, (unsigned long long)got.data.u64);
  n = wait1(ep, 0, &got);
  printf("eventfd: level-triggered, again %d\n", n);
  v = 0;
  read(e, &v, 8);
  printf("eventfd: read %llu\n", (unsigned long long)v);
  printf("eventfd: read when zero %s\n", err(read(e, &v, 8)));
  printf("eventfd: wait after the read %d\n", wait1(ep, 0, &got));

  ev.events = EPOLLIN | EPOLLET;
  printf("eventfd: mod to EPOLLET %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, e, &ev)));
  v = 1;
  write(e, &v, 8);
  int first = wait1(ep, 0, &got), second = wait1(ep, 0, &got);  /* C leaves the order of a call's arguments open */
  printf("eventfd: edge, first wait %d, second %d\n", first, second);
  write(e, &v, 8);
  printf("eventfd: another write, wait %d\n", wait1(ep, 0, &got));

  ev.events = EPOLLIN | EPOLLONESHOT;
  epoll_ctl(ep, EPOLL_CTL_MOD, e, &ev);
  first = wait1(ep, 0, &got);
  second = wait1(ep, 0, &got);
  printf("eventfd: oneshot, first wait %d, second %d\n", first, second);
  epoll_ctl(ep, EPOLL_CTL_MOD, e, &ev);
  printf("eventfd: re-armed, wait %d\n", wait1(ep, 0, &got));
  close(e);

  int s = eventfd(5, EFD_SEMAPHORE | EFD_NONBLOCK);
  uint64_t a = 0, b = 0;
  read(s, &a, 8);
  read(s, &b, 8);
  printf("eventfd: semaphore reads %llu %llu\n", (unsigned long long)a, (unsigned long long)b);
  v = UINT64_MAX;
  printf("eventfd: write of 2^64-1 %s\n", err(write(s, &v, 8)));
  printf("eventfd: short read %s\n", err(read(s, &a, 4)));
  close(s);

  int p[2];
  pipe(p);
  ev.events = EPOLLIN;
  ev.data.fd = p[0];
  printf("epoll_ctl: add %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)));
  printf("epoll_ctl: add again %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev)));
  printf("epoll_ctl: mod of a stranger %s\n", err(epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev)));
  printf("epoll_ctl: del of a stranger %s\n", err(epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL)));
  printf("epoll_ctl: bad fd %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, 999, &ev)));
  printf("epoll_ctl: itself %s\n", err(epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev)));
  close(p[1]);
  int n2 = wait1(ep, 0, &got);
  printf("pipe: writer closed, wait %d events %#x fd is the read end: %s\n", n2, got.events, got.data.fd == p[0] ? "yes" : "no");
  close(p[0]);
  close(ep);
}

static void timerfds(void) {
  int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
  struct itimerspec its = {.it_value = {0, 2000000}};
  printf("timerfd: settime %s\n", err(timerfd_settime(t, 0, &its, NULL)));
  uint64_t n = 0;
  printf("timerfd: read before it fires %s\n", err(read(t, &n, 8)));
  struct itimerspec cur;
  timerfd_gettime(t, &cur);
  printf("timerfd: armed, interval %ld.%09ld, value under 2 ms: %s\n", (long)cur.it_interval.tv_sec, cur.it_interval.tv_nsec,
         cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0 && cur.it_value.tv_nsec <= 2000000 ? "yes" : "no");
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7}, got;
  epoll_ctl(ep, EPOLL_CTL_ADD, t, &ev);
  int r = epoll_wait(ep, &got, 1, 1000);
  printf("timerfd: epoll_wait %d data %u\n", r, got.data.u32);
  read(t, &n, 8);
  printf("timerfd: expirations %llu\n", (unsigned long long)n);
  timerfd_gettime(t, &cur);
  printf("timerfd: after it fired %ld.%09ld\n", (long)cur.it_value.tv_sec, cur.it_value.tv_nsec);
  printf("timerfd: wait again %d\n", epoll_wait(ep, &got, 1, 0));
  close(ep);
  close(t);
}

static void unixes(void) {
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  int ep = epoll_create1(0);
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT, .data.fd = sv[1]}, got;
  epoll_ctl(ep, EPOLL_CTL_ADD, sv[1], &ev);
  int n = wait1(ep, 0, &got);
  printf("unix stream: idle %d %#x\n", n, got.events);
  write(sv[0], "abc", 3);
  write(sv[0], "de", 2);
  n = wait1(ep, 0, &got);
  printf("unix stream: after writes %d %#x\n", n, got.events);
  char buf[64];
  ssize_t r = read(sv[1], buf, sizeof buf);
  printf("unix stream: read %zd [%.*s]\n", r, (int)r, buf);
  shutdown(sv[0], SHUT_WR);
  n = wait1(ep, 0, &got);
  r = read(sv[1], buf, sizeof buf);
  printf("unix stream: after the peer's SHUT_WR %d %#x, read %zd\n", n, got.events, r);
  close(sv[0]);
  close(sv[1]);
  close(ep);

  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  send(sv[0], "one", 3, 0);
  send(sv[0], "two!", 4, 0);
  r = recv(sv[1], buf, 2, 0);
  printf("unix dgram: truncated %zd [%.*s]\n", r, (int)r, buf);
  r = recv(sv[1], buf, sizeof buf, 0);
  printf("unix dgram: next %zd [%.*s]\n", r, (int)r, buf);
  r = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
  printf("unix dgram: empty %s\n", err(r));

  int p[2];
  pipe(p);
  write(p[1], "through the passed fd", 21);
  char cbuf[CMSG_SPACE(sizeof(int))] = {0};
  struct iovec iov = {"fd", 2};
  struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&m);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &p[0], sizeof(int));
  printf("unix: sendmsg SCM_RIGHTS %s\n", err(sendmsg(sv[0], &m, 0)));
  close(p[0]);
  char rc[CMSG_SPACE(sizeof(int))];
  char rb[8];
  struct iovec riov = {rb, sizeof rb};
  struct msghdr rm = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = rc, .msg_controllen = sizeof rc};
  r = recvmsg(sv[1], &rm, 0);
  struct cmsghdr *rcm = CMSG_FIRSTHDR(&rm);
  int fd = -1;
  if (rcm && rcm->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(rcm), sizeof fd);
  printf("unix: recvmsg %zd [%.*s], control %zu, got an fd: %s\n", r, (int)r, rb, (size_t)rm.msg_controllen, fd >= 0 ? "yes" : "no");
  r = read(fd, buf, sizeof buf);
  printf("unix: read through it %zd [%.*s]\n", r, (int)r, buf);
  close(fd);
  close(p[1]);
  close(sv[0]);
  close(sv[1]);
}

static int client(int port, int sync) {
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  char buf[64];
  for (int i = 0; i < 3; i++) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof a) < 0) return 1;
    char msg[32];
    int len = snprintf(msg, sizeof msg, "message %d", i);
    send(c, msg, len, 0);
    ssize_t n = recv(c, buf, sizeof buf, 0);
    if (n != len || memcmp(buf, msg, len)) return 2;
    close(c);
    if (read(sync, buf, 1) != 1) return 3;
  }
  return 0;
}

static void server(void) {
  int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 4);
  socklen_t al = sizeof a;
  getsockname(l, (struct sockaddr *)&a, &al);
  int sync[2];
  pipe(sync);
  pid_t pid = fork();
  if (pid == 0) {
    close(sync[1]);
    close(l);
    _exit(client(ntohs(a.sin_port), sync[0]));
  }
  close(sync[0]);
  int ep = epoll_create(8);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = l};
  epoll_ctl(ep, EPOLL_CTL_ADD, l, &ev);
  int served = 0;
  while (served < 3) {
    struct epoll_event got[4];
    int n = epoll_pwait(ep, got, 4, 5000, NULL);
    if (n <= 0) { printf("server: epoll_pwait %d %s\n", n, err(n)); break; }
    for (int i = 0; i < n; i++) {
      int fd = got[i].data.fd;
      if (fd == l) {
        int s = accept4(l, NULL, NULL, SOCK_NONBLOCK);
        printf("server: %d event(s): the listener, accept4 %s\n", n, err(s));
        struct epoll_event cev = {.events = EPOLLIN | EPOLLRDHUP, .data.fd = s};
        epoll_ctl(ep, EPOLL_CTL_ADD, s, &cev);
        continue;
      }
      char buf[64];
      ssize_t r = recv(fd, buf, sizeof buf, 0);
      if (r > 0) {
        printf("server: %d event(s) %#x: [%.*s], echoed\n", n, got[i].events, (int)r, buf);
        send(fd, buf, r, 0);
      } else {
        printf("server: %d event(s) %#x: recv %zd, closing\n", n, got[i].events, r);
        epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
        close(fd);
        served++;
        write(sync[1], "k", 1);
      }
    }
  }
  int st;
  waitpid(pid, &st, 0);
  printf("server: client exited %d\n", WEXITSTATUS(st));
  close(ep);
  close(l);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  eventfds();
  timerfds();
  unixes();
  server();
  return 0;
}
