/* TCP over loopback between two processes (fork). The parent listens on
 * 127.0.0.1 (an ephemeral port, so native runs never collide), the child
 * connects and talks in lockstep (each message waits for its echo, so every
 * recv gets exactly one message however the processes are scheduled):
 *  - send/recv, sendto/recvfrom, sendmsg/recvmsg with two iovecs, MSG_PEEK,
 *    MSG_WAITALL; getsockname/getpeername agree across the connection;
 *  - shutdown(SHUT_WR): the server reads EOF, still sends, then closes; the
 *    client's send after its own shutdown is EPIPE (MSG_NOSIGNAL);
 *  - a second connection the client closes with unread data (Linux answers
 *    with a RST): the server's next call, a send, is ECONNRESET, the error
 *    is then consumed and recv reads 0;
 *  - a non-blocking connect to a port nobody listens on: EINPROGRESS, poll
 *    says POLLERR|POLLHUP, SO_ERROR is ECONNREFUSED once, connect again
 *    ECONNABORTED; a blocking one is ECONNREFUSED; a non-blocking one to the
 *    listener: EINPROGRESS, POLLOUT, then connect returns 0 and then EISCONN.
 * No port number or address is printed, only relations. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#define CHECK(x) do { if ((x) < 0) { printf("%s failed: %s\n", #x, strerrorname_np(errno)); return 1; } } while (0)

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a = {0};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return a;
}

static int port_of(int s) {
  struct sockaddr_in a;
  socklen_t l = sizeof a;
  getsockname(s, (struct sockaddr *)&a, &l);
  return ntohs(a.sin_port);
}

/* The child: a client in lockstep with the server. `sync` tells the parent when it may go on. */
static int client(int port, int sync) {
  struct sockaddr_in to = loopback(port);
  int c = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(connect(c, (struct sockaddr *)&to, sizeof to));
  char buf[256];
  /* 1: plain send/recv */
  CHECK(send(c, "hello", 5, 0));
  ssize_t n = recv(c, buf, sizeof buf, 0);
  printf("client: echo 1 [%.*s]\n", (int)n, buf);
  /* 2: sendmsg with two iovecs, the echo read with recvmsg into two iovecs */
  struct iovec iv[2] = {{"two ", 4}, {"parts", 5}};
  struct msghdr m = {0};
  m.msg_iov = iv; m.msg_iovlen = 2;
  CHECK(sendmsg(c, &m, 0));
  char a[3], b[32];
  struct iovec ov[2] = {{a, sizeof a}, {b, sizeof b}};
  struct msghdr r = {0};
  r.msg_iov = ov; r.msg_iovlen = 2;
  n = recvmsg(c, &r, 0);
  printf("client: echo 2 %zd bytes [%.3s|%.*s] flags %d\n", n, a, (int)(n - 3), b, r.msg_flags);
  /* 3: a message the server reads with MSG_WAITALL in two sends */
  CHECK(send(c, "wait", 4, 0));
  n = recv(c, buf, 1, 0); /* the server's go-ahead */
  CHECK(send(c, "all!", 4, 0));
  n = recv(c, buf, sizeof buf, 0);
  printf("client: echo 3 [%.*s]\n", (int)n, buf);
  /* 4: half-close; the server answers after reading EOF */
  CHECK(shutdown(c, SHUT_WR));
  n = send(c, "late", 4, MSG_NOSIGNAL);
  const char *late = err(n);  /* printed once the server has answered, so the lines keep their order */
  n = recv(c, buf, sizeof buf, 0);
  printf("client: send after SHUT_WR: %s\n", late);
  printf("client: after EOF the server says [%.*s]\n", (int)n, buf);
  n = recv(c, buf, sizeof buf, 0);
  printf("client: then %zd (the server closed)\n", n);
  close(c);

  /* 5: a connection closed with unread data makes the server's side see a RST */
  int d = socket(AF_INET, SOCK_STREAM, 0);
  CHECK(connect(d, (struct sockaddr *)&to, sizeof to));
  n = recv(d, buf, 1, 0); /* the server has sent two bytes; one stays unread */
  close(d);
  CHECK(write(sync, "x", 1));
  return 0;
}

static int server(int l, int sync) {
  struct sockaddr_in peer;
  socklen_t pl = sizeof peer;
  int s = accept(l, (struct sockaddr *)&peer, &pl);
  CHECK(s);
  struct sockaddr_in mine, theirs;
  socklen_t ml = sizeof mine, tl = sizeof theirs;
  getsockname(s, (struct sockaddr *)&mine, &ml);
  getpeername(s, (struct sockaddr *)&theirs, &tl);
  printf("server: accepted from 127.0.0.1: %s, peer address as accept said: %s, local port is the listener's: %s\n",
         peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK) ? "yes" : "no",
         theirs.sin_port == peer.sin_port && pl == sizeof peer ? "yes" : "no",
         ntohs(mine.sin_port) == port_of(l) ? "yes" : "no");
  char buf[256];
  ssize_t n = recv(s, buf, 2, MSG_PEEK);
  printf("server: peeked %zd [%.*s]\n", n, (int)n, buf);
  n = recv(s, buf, sizeof buf, 0);
  printf("server: got %zd [%.*s]\n", n, (int)n, buf);
  send(s, buf, n, 0);
  struct sockaddr_in from;
  socklen_t fl = sizeof from;
  n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
  printf("server: recvfrom %zd [%.*s], address length %u\n", n, (int)n, buf, fl);
  sendto(s, buf, n, 0, NULL, 0);
  n = recv(s, buf, 4, 0);
  send(s, "g", 1, 0);
  n = recv(s, buf + 4, 4, MSG_WAITALL);
  printf("server: waitall %zd [%.8s]\n", n, buf);
  send(s, buf, 8, 0);
  n = recv(s, buf, sizeof buf, 0);
  printf("server: after the client's SHUT_WR recv is %zd\n", n);
  struct pollfd pf = {s, POLLIN | POLLOUT | POLLRDHUP, 0};
  poll(&pf, 1, 0);
  printf("server: poll %#x\n", pf.revents);
  send(s, "bye", 3, 0);
  close(s);

  int t = accept(l, NULL, NULL);
  CHECK(t);
  send(t, "ab", 2, 0);
  n = read(sync, buf, 1); /* the client has closed without reading "b" */
  (void)n;
  n = send(t, "more", 4, MSG_NOSIGNAL);
  printf("server: send after the client's close with unread data: %s\n", err(n));
  n = recv(t, buf, sizeof buf, 0);
  printf("server: then recv: %s\n", err(n));
  n = recv(t, buf, sizeof buf, 0);
  printf("server: then %zd\n", n);
  close(t);
  return 0;
}

static void refused(void) {
  int u = socket(AF_INET, SOCK_STREAM, 0);  /* a port bound, not listening: connects are refused */
  struct sockaddr_in a = loopback(0);
  bind(u, (struct sockaddr *)&a, sizeof a);
  a = loopback(port_of(u));
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("refused: non-blocking connect %s\n", err(r));
  struct pollfd pf = {c, POLLOUT, 0};
  poll(&pf, 1, 1000);
  printf("refused: poll %#x\n", pf.revents);
  int e = 0;
  socklen_t el = sizeof e;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
  printf("refused: SO_ERROR %s\n", e ? strerrorname_np(e) : "0");
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
  printf("refused: SO_ERROR again %d\n", e);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("refused: connect again %s\n", err(r));
  close(c);
  c = socket(AF_INET, SOCK_STREAM, 0);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("refused: blocking connect %s\n", err(r));
  r = send(c, "x", 1, MSG_NOSIGNAL);
  printf("refused: send %s\n", err(r));
  close(c);
  close(u);
}

static void nonblocking(int l) {
  struct sockaddr_in a = loopback(port_of(l));
  int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  int r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("non-blocking: connect %s\n", err(r));
  struct pollfd pf = {c, POLLOUT, 0};
  r = poll(&pf, 1, 1000);
  printf("non-blocking: poll %d %#x\n", r, pf.revents);
  int e = -1;
  socklen_t el = sizeof e;
  getsockopt(c, SOL_SOCKET, SO_ERROR, &e, &el);
  printf("non-blocking: SO_ERROR %d\n", e);
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("non-blocking: connect again %s\n", err(r));
  r = connect(c, (struct sockaddr *)&a, sizeof a);
  printf("non-blocking: and again %s\n", err(r));
  char buf[8];
  r = recv(c, buf, sizeof buf, 0);
  printf("non-blocking: recv with nothing sent %s\n", err(r));
  int s = accept(l, NULL, NULL);
  send(s, "hi", 2, 0);
  pf.events = POLLIN;
  poll(&pf, 1, 1000);
  r = recv(c, buf, sizeof buf, 0);
  printf("non-blocking: recv %d [%.*s]\n", r, r > 0 ? r : 0, buf);
  close(s);
  close(c);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in a = loopback(0);
  CHECK(bind(l, (struct sockaddr *)&a, sizeof a));
  CHECK(listen(l, 8));
  int v = 0;
  socklen_t vl = sizeof v;
  getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
  printf("listening: SO_ACCEPTCONN %d, port is ephemeral: %s\n", v, port_of(l) >= 32768 ? "yes" : "no");
  int sync[2];
  pipe(sync);
  pid_t pid = fork();
  if (pid == 0) {
    int port = port_of(l);
    close(sync[0]);
    close(l);
    _exit(client(port, sync[1]));
  }
  close(sync[1]);
  int r = server(l, sync[0]);
  int st;
  waitpid(pid, &st, 0);
  printf("client exited %d\n", WEXITSTATUS(st));
  refused();
  nonblocking(l);
  close(l);
  return r;
}
