// UDP on loopback: bind, sendto, poll, recvfrom with the sender's address, a datagram to a
// port nobody listens on, non-blocking receive on an empty socket.
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <poll.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <sys/socket.h>

int main(void) {
  int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
  struct sockaddr_in to = {0};
  to.sin_family = AF_INET;
  to.sin_port = htons(47123);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int r = bind(a, (struct sockaddr *)&to, sizeof to);
  printf("bind %d\n", r);
  r = bind(b, (struct sockaddr *)&to, sizeof to);
  printf("bind again %d %s\n", r, strerror(errno));
  struct pollfd pf = {a, POLLIN, 0};
  printf("poll empty %d\n", poll(&pf, 1, 0));
  printf("sendto %zd\n", sendto(b, "hello", 5, 0, (struct sockaddr *)&to, sizeof to));
  r = poll(&pf, 1, 100);
  printf("poll ready %d revents %d\n", r, pf.revents);
  char buf[16] = {0};
  struct sockaddr_in from; socklen_t fl = sizeof from;
  ssize_t n = recvfrom(a, buf, 3, 0, (struct sockaddr *)&from, &fl);
  printf("recv %zd [%s] from loopback %d port set %d len %u\n", n, buf, from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), from.sin_port != 0, fl);
  to.sin_port = htons(47999);
  printf("sendto nobody %zd\n", sendto(b, "x", 1, 0, (struct sockaddr *)&to, sizeof to));
  n = recv(b, buf, sizeof buf, 0);
  printf("recv empty %zd %s\n", n, strerror(errno));
  n = send(a, "x", 1, 0);
  printf("sendto no address %zd %s\n", n, strerror(errno));
  close(a); close(b);
  return 0;
}
