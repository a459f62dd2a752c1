/* AF_UNIX sockets named by a path or in the abstract namespace, in one process (a listener's
 * backlog completes a connect before accept): stream bind/listen/connect/accept, the socket file
 * it leaves, names as getsockname/getpeername give them, shutdown, and the errors (a path in use,
 * a missing path, a path that is no socket, a socket of the other type); datagrams to a path
 * from an unnamed and a named sender, with boundaries kept, and connected. Only results. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stddef.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/un.h>

static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static socklen_t addr(struct sockaddr_un *a, const char *path, int abstract) {
  memset(a, 0, sizeof *a);
  a->sun_family = AF_UNIX;
  size_t n = strlen(path);
  if (abstract) { memcpy(a->sun_path + 1, path, n); return offsetof(struct sockaddr_un, sun_path) + 1 + n; }
  memcpy(a->sun_path, path, n + 1);
  return offsetof(struct sockaddr_un, sun_path) + n + 1;
}

/* A name as "len:path" (an abstract one with a leading @), as a program would print it. */
static void name(const char *what, struct sockaddr_un *a, socklen_t len) {
  size_t off = offsetof(struct sockaddr_un, sun_path);
  if (len <= off) { printf("%s: unnamed (len %u)\n", what, (unsigned)len); return; }
  if (a->sun_path[0] == 0) printf("%s: @%.*s (len %u)\n", what, (int)(len - off - 1), a->sun_path + 1, (unsigned)len);
  else printf("%s: %s (len %u)\n", what, a->sun_path, (unsigned)len);
}

int main(void) {
  struct sockaddr_un a, got;
  socklen_t len;
  unlink("us-stream"); unlink("us-dgram"); unlink("us-from"); unlink("us-file");

  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  socklen_t al = addr(&a, "us-stream", 0);
  printf("bind: %s\n", err(bind(l, (struct sockaddr *)&a, al)));
  struct stat st;
  printf("its file is a socket: %d\n", stat("us-stream", &st) == 0 && S_ISSOCK(st.st_mode));
  printf("listen: %s\n", err(listen(l, 4)));
  len = sizeof got; getsockname(l, (struct sockaddr *)&got, &len); name("listener's name", &got, len);
  int again = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("bind to a path in use: %s\n", err(bind(again, (struct sockaddr *)&a, al)));
  int c = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("connect: %s\n", err(connect(c, (struct sockaddr *)&a, al)));
  len = sizeof got; getpeername(c, (struct sockaddr *)&got, &len); name("client's peer", &got, len);
  len = sizeof got; getsockname(c, (struct sockaddr *)&got, &len); name("client's name", &got, len);
  len = sizeof got;
  int s = accept(l, (struct sockaddr *)&got, &len);
  printf("accept: %s\n", err(s)); name("accepted from", &got, len);
  len = sizeof got; getsockname(s, (struct sockaddr *)&got, &len); name("accepted socket's name", &got, len);
  char buf[64];
  send(c, "ping", 4, 0);
  long n = recv(s, buf, sizeof buf, 0);
  printf("server got %.*s\n", (int)n, buf);
  send(s, "pong!", 5, 0);
  n = recv(c, buf, sizeof buf, 0);
  printf("client got %.*s\n", (int)n, buf);
  shutdown(c, SHUT_WR);
  printf("after the client's shutdown the server reads %ld\n", (long)recv(s, buf, sizeof buf, 0));
  send(s, "late", 4, 0);
  printf("the client still reads: %ld\n", (long)recv(c, buf, sizeof buf, 0));
  close(s); close(c);

  int nc = socket(AF_UNIX, SOCK_STREAM, 0);
  al = addr(&a, "us-missing", 0);
  printf("connect to a missing path: %s\n", err(connect(nc, (struct sockaddr *)&a, al)));
  close(open("us-file", O_CREAT | O_WRONLY, 0644));
  al = addr(&a, "us-file", 0);
  printf("connect to a file that is no socket: %s\n", err(connect(nc, (struct sockaddr *)&a, al)));
  int dg = socket(AF_UNIX, SOCK_DGRAM, 0);
  al = addr(&a, "us-stream", 0);
  printf("a datagram socket's connect to a stream listener: %s\n", err(connect(dg, (struct sockaddr *)&a, al)));
  close(dg); close(nc); close(l); close(again);
  printf("the path stays after close: %d\n", access("us-stream", F_OK) == 0);

  /* Abstract names: no file. */
  int al1 = socket(AF_UNIX, SOCK_STREAM, 0);
  /* Abstract names are the host's network namespace's natively: one per process, not printed. */
  char abstract[64];
  snprintf(abstract, sizeof abstract, "skytrace-unixsock-%d", (int)getpid());
  al = addr(&a, abstract, 1);
  const char *bound = err(bind(al1, (struct sockaddr *)&a, al));
  printf("abstract bind: %s, listen: %s\n", bound, err(listen(al1, 1)));
  len = sizeof got; getsockname(al1, (struct sockaddr *)&got, &len);
  printf("abstract name as bound: %s\n", len == al && memcmp(&got, &a, len) == 0 ? "yes" : "no");
  int ac = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("abstract connect: %s\n", err(connect(ac, (struct sockaddr *)&a, al)));
  close(ac); close(al1);

  /* Datagrams to a path. */
  int r = socket(AF_UNIX, SOCK_DGRAM, 0);
  al = addr(&a, "us-dgram", 0);
  bind(r, (struct sockaddr *)&a, al);
  int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
  sendto(anon, "one", 3, 0, (struct sockaddr *)&a, al);
  sendto(anon, "two!", 4, 0, (struct sockaddr *)&a, al);
  len = sizeof got;
  n = recvfrom(r, buf, 2, 0, (struct sockaddr *)&got, &len);
  printf("first datagram, 2 of 3 bytes: %.*s\n", (int)n, buf); name("  from", &got, len);
  n = recvfrom(r, buf, sizeof buf, 0, NULL, NULL);
  printf("second datagram whole: %.*s\n", (int)n, buf);
  int named = socket(AF_UNIX, SOCK_DGRAM, 0);
  struct sockaddr_un fa;
  socklen_t fal = addr(&fa, "us-from", 0);
  bind(named, (struct sockaddr *)&fa, fal);
  printf("connect a datagram socket: %s\n", err(connect(named, (struct sockaddr *)&a, al)));
  send(named, "three", 5, 0);
  len = sizeof got;
  n = recvfrom(r, buf, sizeof buf, 0, (struct sockaddr *)&got, &len);
  printf("from a named sender: %.*s\n", (int)n, buf); name("  from", &got, len);
  int st2 = socket(AF_UNIX, SOCK_STREAM, 0);
  printf("a stream socket's connect to a datagram path: %s\n", err(connect(st2, (struct sockaddr *)&a, al)));
  fcntl(r, F_SETFL, O_NONBLOCK);
  printf("nothing more: %s\n", err(recv(r, buf, sizeof buf, 0)));
  unlink("us-stream"); unlink("us-dgram"); unlink("us-from"); unlink("us-file");
  return 0;
}
