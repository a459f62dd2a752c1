/* fork, execve, pipes and wait4. The parent runs three children:
 *  1. one that re-executes this program with the argument "child"; its
 *     stdin and stdout are pipes to the parent (dup2), it upper-cases what
 *     it reads, checks getppid against the pid passed to it, exits 7;
 *  2. one that streams 200 KiB through a pipe (more than a pipe holds, so
 *     the writer blocks until the parent reads) and exits 0;
 *  3. one that kills itself with SIGTERM.
 * The parent prints each wait4 status. No pid is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <signal.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <errno.h>

static int child_mode(const char *parent) {
  char line[256];
  int lines = 0;
  while (fgets(line, sizeof line, stdin)) {
    for (char *p = line; *p; p++) *p = (char)toupper((unsigned char)*p);
    fputs(line, stdout);
    lines++;
  }
  printf("child read %d lines, parent matches: %s\n", lines, atol(parent) == (long)getppid() ? "yes" : "no");
  return 7;
}

static void show(const char *what, int status) {
  if (WIFEXITED(status)) printf("%s: exited with %d\n", what, WEXITSTATUS(status));
  else if (WIFSIGNALED(status)) printf("%s: killed by signal %d\n", what, WTERMSIG(status));
  else printf("%s: status %#x\n", what, status);
}

int main(int argc, char **argv) {
  if (argc >= 3 && !strcmp(argv[1], "child")) return child_mode(argv[2]);

  /* 1. exec ourselves with pipes on stdin/stdout */
  int to_child[2], from_child[2];
  if (pipe(to_child) || pipe(from_child)) { perror("pipe"); return 1; }
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); return 1; }
  if (pid == 0) {
    dup2(to_child[0], 0); dup2(from_child[1], 1);
    close(to_child[0]); close(to_child[1]); close(from_child[0]); close(from_child[1]);
    char ppid[32]; snprintf(ppid, sizeof ppid, "%ld", (long)getppid());
    char *args[] = {argv[0], "child", ppid, NULL};
    execv(argv[0], args);
    _exit(127);
  }
  close(to_child[0]); close(from_child[1]);
  const char *msg = "hello child\nsecond line\nthird\n";
  if (write(to_child[1], msg, strlen(msg)) != (ssize_t)strlen(msg)) return 1;
  close(to_child[1]);
  char reply[1024]; size_t got = 0; ssize_t n;
  while ((n = read(from_child[0], reply + got, sizeof reply - 1 - got)) > 0) got += (size_t)n;
  reply[got] = 0;
  close(from_child[0]);
  int status; struct rusage ru;
  if (wait4(pid, &status, 0, &ru) != pid) { perror("wait4"); return 1; }
  printf("reply (%zu bytes):\n%s", got, reply);
  show("exec child", status);

  /* 2. a writer that fills the pipe */
  int p[2];
  if (pipe(p)) return 1;
  fflush(stdout);
  pid = fork();
  if (pid == 0) {
    close(p[0]);
    static char block[4096];
    for (int i = 0; i < 50; i++) {
      memset(block, 'a' + i % 26, sizeof block);
      if (write(p[1], block, sizeof block) != (ssize_t)sizeof block) _exit(2);
    }
    _exit(0);
  }
  close(p[1]);
  /* Reads of exactly the writer's block size: writes of at most PIPE_BUF
   * are atomic, so every read returns one whole block whatever the
   * scheduling, and the read count is the same natively and emulated. */
  size_t total = 0; unsigned long sum = 0; static char buf[4096];
  while ((n = read(p[0], buf, sizeof buf)) > 0) { total += (size_t)n; for (ssize_t i = 0; i < n; i++) sum += (unsigned char)buf[i]; }
  close(p[0]);
  if (waitpid(pid, &status, 0) != pid) return 1;
  printf("streamed %zu bytes, sum %lu\n", total, sum);
  show("writer child", status);

  /* 3. a child killed by a signal */
  fflush(stdout);
  pid = fork();
  if (pid == 0) { raise(SIGTERM); _exit(1); }
  if (wait4(pid, &status, 0, NULL) != pid) return 1;
  show("signalled child", status);
  errno = 0;
  printf("wait with no children left: %s\n", wait(&status) == -1 ? "ECHILD" : "unexpected");
  return 0;
}
