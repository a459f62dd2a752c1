/* Processes that exec, exit and are killed while hot code runs at one address in each: what
 * dropping only the address spaces concerned (a code page's mark names the spaces that decoded from
 * it; execve drops only the new space's traces) must get right (docs/jit.md, "The decoded-trace
 * cache"). The parent calls a function written into an executable page until it is hot
 * (compiled), forks; the child calls its copy hot, then execs this program ("child"), which maps
 * other code at the same address, calls it hot, maps it again with other code and calls that,
 * prints and exits: its frames are freed and go back to the allocator. The parent, whose traces
 * must have survived all that, calls its own function again, rewrites it in place (a store to its
 * own hot code), then unmaps it and maps new code at the same address (in frames the child freed)
 * and calls each hot. Last a second child spins in its own hot code at that address until the
 * parent kills it (its frames freed while the parent runs), and the parent's code is replaced once
 * more. Each process prints only while the others wait, so the output does not depend on
 * scheduling. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "hot-code.h"

static const int RWX = PROT_READ | PROT_WRITE | PROT_EXEC;
static unsigned char *const AT = (unsigned char *)0x340000000;

static long hot(fn f) { return hot_n(f, 5000); }

static unsigned char *mapAt(void) {
  unsigned char *p = mmap(AT, 4096, RWX, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p != AT) { puts("mmap failed"); _exit(1); }
  return p;
}

/* The exec'd image: its own code at AT, then other code in a new frame at AT. */
static int child(void) {
  unsigned char *p = mapAt();
  put(p, 20);
  printf("exec'd child: %ld", hot((fn)p));
  munmap(p, 4096);
  p = mapAt();
  put(p, 21);
  printf(", remapped %ld\n", hot((fn)p));
  fflush(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) return child();
  unsigned char *p = mapAt();
  put(p, 1);
  printf("parent: %ld\n", hot((fn)p));
  fflush(stdout);

  pid_t pid = fork();
  if (pid == 0) {
    printf("forked child before exec: %ld\n", hot((fn)p));
    fflush(stdout);
    char *args[] = { argv[0], "child", NULL };
    execv(argv[0], args);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("exec'd child exited: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  printf("parent again: %ld\n", hot((fn)p));
  put(p, 2);
  printf("parent rewritten: %ld\n", hot((fn)p));
  munmap(p, 4096);
  p = mapAt();
  put(p, 3);
  printf("parent remapped: %ld\n", hot((fn)p));
  fflush(stdout);

  /* A child spinning in its own hot code at AT, killed while it runs: its frames are freed in the
   * parent's turn. */
  int ready[2];
  if (pipe(ready)) { puts("pipe failed"); return 1; }
  pid = fork();
  if (pid == 0) {
    munmap(p, 4096);
    unsigned char *q = mapAt();
    put(q, 30);
    long s = hot((fn)q);
    if (write(ready[1], &s, sizeof s) != sizeof s) _exit(4);
    for (;;) s += hot((fn)q);
  }
  long s;
  if (read(ready[0], &s, sizeof s) != sizeof s) { puts("read failed"); return 1; }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  printf("spinning child: %ld, killed by %d\n", s, WIFSIGNALED(status) ? WTERMSIG(status) : -1);
  printf("parent after the kill: %ld\n", hot((fn)p));
  munmap(p, 4096);
  p = mapAt();
  put(p, 4);
  printf("parent remapped again: %ld\n", hot((fn)p));
  return 0;
}
