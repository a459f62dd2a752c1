// A process killed while its FIFO open waits for the other end leaves no end behind: a reader
// killed in open(O_RDONLY) does not count as a reader (a later non-blocking write open is ENXIO),
// a writer killed in open(O_WRONLY) does not count as a writer (a later reader reads EOF, not
// EAGAIN). Whether natively the kill lands before or during the open, the output is the same.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

static void killed_while_opening(int flags) {
  pid_t c = fork();
  if (c == 0) { open("kfifo", flags); _exit(1); }
  usleep(20000);
  kill(c, SIGKILL);
  int st;
  waitpid(c, &st, 0);
  printf("child killed by signal %d\n", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

int main(void) {
  char dir[] = "fifokill-XXXXXX";
  if (!mkdtemp(dir) || chdir(dir)) { perror("scratch"); return 1; }
  if (mkfifo("kfifo", 0600)) { perror("mkfifo"); return 1; }

  killed_while_opening(O_RDONLY);
  int w = open("kfifo", O_WRONLY | O_NONBLOCK);
  printf("write open after the reader died: %d %s\n", w < 0 ? -1 : 0, w < 0 ? strerror(errno) : "");

  killed_while_opening(O_WRONLY);
  int r = open("kfifo", O_RDONLY | O_NONBLOCK);
  char b[4];
  ssize_t n = read(r, b, sizeof b);
  printf("read after the writer died: %zd %s\n", n, n < 0 ? strerror(errno) : "(EOF)");
  close(r);

  unlink("kfifo");
  chdir("..");
  rmdir(dir);
  return 0;
}
