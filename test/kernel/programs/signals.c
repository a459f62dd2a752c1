// A handler runs for kill(getpid()) and raise(); SIG_IGN drops a signal; sigprocmask defers one.
#include <stdio.h>
#include <signal.h>
#include <unistd.h>
#include <string.h>

static volatile int got;
static void on(int s) { got = s; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on;
  sigaction(SIGUSR1, &sa, 0);
  kill(getpid(), SIGUSR1);
  printf("handler got %d\n", got);
  got = 0;
  raise(SIGUSR1);
  printf("raise got %d\n", got);
  signal(SIGUSR2, SIG_IGN);
  raise(SIGUSR2);
  printf("ignored survived\n");
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGUSR1);
  got = 0;
  sigprocmask(SIG_BLOCK, &set, 0);
  raise(SIGUSR1);
  printf("blocked: got %d\n", got);
  sigprocmask(SIG_UNBLOCK, &set, 0);
  printf("unblocked: got %d\n", got);
  fflush(stdout);
  raise(SIGTERM);
  printf("not reached\n");
  return 0;
}
