// The process name (comm, as PR_GET_NAME and /proc show it): the program's, a
// fork child's is its parent's until it sets its own, and the parent keeps its own.
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void show(const char *who) {
  char name[16] = {0};
  prctl(PR_GET_NAME, name);
  printf("%s %s\n", who, name);
  fflush(stdout);
}

int main(void) {
  show("parent");
  pid_t c = fork();
  if (c == 0) {
    show("child");
    prctl(PR_SET_NAME, "kid");
    show("child renamed");
    _exit(0);
  }
  int st;
  waitpid(c, &st, 0);
  show("parent");
  return 0;
}
