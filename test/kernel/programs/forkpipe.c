// fork, pipes, dup2, execve of itself, wait status of normal exit and of a signal.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/wait.h>

int main(int argc, char **argv) {
  if (argc > 1 && strcmp(argv[1], "child") == 0) {
    char buf[64];
    ssize_t n = read(0, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    printf("exec'd child got [%s]\n", buf);
    return 5;
  }
  int p[2];
  if (pipe(p)) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    close(p[0]);
    const char *msg = "through the pipe";
    write(p[1], msg, strlen(msg));
    _exit(3);
  }
  close(p[1]);
  char buf[64];
  ssize_t n, total = 0;
  while ((n = read(p[0], buf + total, sizeof buf - 1 - total)) > 0) total += n;
  buf[total] = 0;
  int st;
  pid_t w = waitpid(pid, &st, 0);
  printf("parent read [%s] child exited %d status %d same pid %d\n", buf, WIFEXITED(st), WEXITSTATUS(st), w == pid);
  fflush(stdout);

  int q[2];
  pipe(q);
  pid = fork();
  if (pid == 0) {
    dup2(q[0], 0);
    close(q[0]); close(q[1]);
    execl(argv[0], argv[0], "child", (char *)0);
    _exit(127);
  }
  close(q[0]);
  write(q[1], "hi kid", 6);
  close(q[1]);
  waitpid(pid, &st, 0);
  printf("exec child status %d\n", WEXITSTATUS(st));

  pid = fork();
  if (pid == 0) abort();
  waitpid(pid, &st, 0);
  printf("abort child signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
  pid = fork();
  if (pid == 0) { *(volatile int *)8 = 1; _exit(0); }
  waitpid(pid, &st, 0);
  printf("segv child signaled %d sig %d\n", WIFSIGNALED(st), WTERMSIG(st));
  printf("wait no child: %d\n", (int)wait(&st));
  return 0;
}
