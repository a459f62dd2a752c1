// vfork: the parent resumes only after the child has exec'd or exited; posix_spawn (CLONE_VFORK) too.
#include <stdio.h>
#include <string.h>
#include <spawn.h>
#include <unistd.h>
#include <sys/wait.h>

extern char **environ;

int main(int argc, char **argv) {
  if (argc > 1) { printf("child %s\n", argv[1]); return 7; }
  fflush(stdout);
  pid_t c = vfork();
  if (c == 0) { execl(argv[0], argv[0], "vforked", (char *)0); _exit(127); }
  printf("parent after vfork\n");
  int st;
  waitpid(c, &st, 0);
  printf("status %d\n", WEXITSTATUS(st));
  fflush(stdout);
  char *args[] = {argv[0], "spawned", 0};
  pid_t s;
  int r = posix_spawn(&s, argv[0], 0, 0, args, environ);
  waitpid(s, &st, 0);
  printf("spawn %d status %d\n", r, WEXITSTATUS(st));
  return 0;
}
