/* execve from a thread that is not the main one: as on Linux, the other threads end, the new
 * image runs as the process (the pid it had, one thread whose tid is the pid), its parent sees
 * the process's exit status. A failed execve changes nothing: the threads go on. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static char self[4096];

static int threads_now(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int n = -1;
  while (f && fgets(line, sizeof line, f)) if (sscanf(line, "Threads: %d", &n) == 1) break;
  if (f) fclose(f);
  return n;
}

static void *execer(void *arg) {
  char pid[32];
  snprintf(pid, sizeof pid, "%d", getpid());
  char *argv[] = {self, "again", pid, NULL};
  char *none[] = {"/nonexistent/program", NULL};
  execv(none[0], none);
  printf("a failed execve from a thread: %s, threads still %d\n", strerrorname_np(errno), threads_now());
  execv(self, argv);
  perror("execv");
  return arg;
}

static void *sleeper(void *arg) {
  for (;;) pause();
  return arg;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  if (argc == 3 && !strcmp(argv[1], "again")) {
    printf("new image: same pid: %s, tid is the pid: %s, threads: %d\n", atoi(argv[2]) == getpid() ? "yes" : "no",
           syscall(SYS_gettid) == getpid() ? "yes" : "no", threads_now());
    return 7;
  }
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return 1;
  self[n] = 0;
  pid_t c = fork();
  if (c == 0) {
    pthread_t s, e;
    pthread_create(&s, NULL, sleeper, NULL);
    pthread_create(&e, NULL, execer, NULL);
    pthread_join(e, NULL);  /* never returns: the exec ends this thread */
    printf("not reached\n");
    return 1;
  }
  int st;
  waitpid(c, &st, 0);
  printf("parent: the child (the same pid) exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  return 0;
}
