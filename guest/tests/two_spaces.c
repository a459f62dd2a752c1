/* Two processes running different code at the same virtual address, switching
 * back and forth: what a decoded-trace cache tagged by address space must get
 * right (docs/jit.md, "Not done yet", item 1). The parent calls a function in
 * an executable page until it is hot (compiled), forks; the child maps other
 * code at the same address (munmap, mmap), and the two take turns over a pair
 * of pipes, each calling its own function hot at every turn. Then the parent
 * rewrites its copy (a code write in one address space: the child's must
 * stay), and the child makes its page not executable and executable again
 * (an mprotect in the other); last, a second child that keeps the parent's page
 * as fork left it (the frame shared copy-on-write) while the parent writes its
 * own: each must run its own bytes. Only the parent prints; the children send
 * their sums through a pipe, so the output does not depend on scheduling. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hot-code.h"


static long hot(fn f) { return hot_n(f, 5000); }

static void readAll(int fd, void *buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    ssize_t r = read(fd, (char *)buf + got, n - got);
    if (r <= 0) _exit(3);
    got += (size_t)r;
  }
}

static void writeAll(int fd, const void *buf, size_t n) {
  if (write(fd, buf, n) != (ssize_t)n) _exit(4);
}

int main(void) {
  const int RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
  unsigned char *at = (unsigned char *)0x300000000;
  unsigned char *p = mmap(at, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != at) { puts("mmap failed"); return 1; }
  put(p, 1);
  printf("parent before fork: %ld\n", hot((fn)p));
  fflush(stdout);

  int toChild[2], toParent[2];
  if (pipe(toChild) || pipe(toParent)) { puts("pipe failed"); return 1; }
  pid_t pid = fork();
  if (pid == 0) {
    munmap(p, 4096);
    unsigned char *q = mmap(at, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (q != at) _exit(2);
    put(q, 2);
    for (int round = 0; round < 6; round++) {
      char go;
      readAll(toChild[0], &go, 1);
      if (round == 4) { mprotect(q, 4096, PROT_READ); mprotect(q, 4096, PROT_READ | PROT_EXEC); }
      long s = hot((fn)q);
      writeAll(toParent[1], &s, sizeof s);
    }
    _exit(0);
  }
  for (int round = 0; round < 6; round++) {
    if (round == 3) put(p, 3);
    printf("round %d: parent %ld", round, hot((fn)p));
    writeAll(toChild[1], "g", 1);
    long s;
    readAll(toParent[0], &s, sizeof s);
    printf(", child %ld\n", s);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("first child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

  /* The second child keeps the page fork shares with the parent; the parent's write copies it. */
  pid = fork();
  if (pid == 0) {
    for (int round = 0; round < 3; round++) {
      char go;
      readAll(toChild[0], &go, 1);
      long s = hot((fn)p);
      writeAll(toParent[1], &s, sizeof s);
    }
    _exit(0);
  }
  for (int round = 0; round < 3; round++) {
    if (round == 1) put(p, 4);
    printf("shared round %d: parent %ld", round, hot((fn)p));
    writeAll(toChild[1], "g", 1);
    long s;
    readAll(toParent[0], &s, sizeof s);
    printf(", child %ld\n", s);
  }
  waitpid(pid, &status, 0);
  printf("second child: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
