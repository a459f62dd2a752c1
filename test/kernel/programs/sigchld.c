// A SIGCHLD handler does not make a blocked wait fail: wait returns the child, then the handler runs.
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

static volatile int chld;
static void on_chld(int s) { (void)s; chld++; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_chld;
  sigaction(SIGCHLD, &sa, 0);
  pid_t c = fork();
  if (c == 0) { usleep(20000); _exit(4); }
  int st;
  pid_t w = waitpid(c, &st, 0);
  printf("wait got child %d status %d handler ran %d\n", w == c, WEXITSTATUS(st), chld);
  return 0;
}
