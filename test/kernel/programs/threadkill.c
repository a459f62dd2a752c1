/* A process ends as a whole: a thread's fault kills every thread (the parent sees the signal),
 * a default-action signal sent to one thread ends the process, and exit() in a thread while
 * main waits in pthread_join is the process's status. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/wait.h>

static void *crash(void *arg) { (void)arg; *(volatile int *)8 = 1; return NULL; }
static void *leave(void *arg) { (void)arg; exit(5); }
static pthread_t main_thread;
static void *term_main(void *arg) { (void)arg; pthread_kill(main_thread, SIGTERM); for (;;) pause(); }

static void child(int which) {
  pthread_t t;
  main_thread = pthread_self();
  pthread_create(&t, NULL, which == 0 ? crash : which == 1 ? leave : term_main, NULL);
  pthread_join(t, NULL);
  _exit(99);  /* not reached */
}

int main(void) {
  const char *what[] = {"a thread's SIGSEGV", "exit(5) in a thread", "SIGTERM to the main thread"};
  for (int i = 0; i < 3; i++) {
    fflush(stdout);
    pid_t c = fork();
    if (c == 0) child(i);
    int st;
    waitpid(c, &st, 0);
    if (WIFSIGNALED(st)) printf("%s: the process was killed by signal %d\n", what[i], WTERMSIG(st));
    else printf("%s: the process exited %d\n", what[i], WEXITSTATUS(st));
  }
  return 0;
}
