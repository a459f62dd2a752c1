/* payload FILE...: what code injected into the autopilot runs in the child it forks (the
 * "shell" anomaly, src/flight/ground-truth/causes.ts): a look at the system (uname, ids,
 * working directory), then each FILE opened and read to its end. It writes nothing and
 * prints nothing: the reads are the anomaly. Exit status 0, or 1 when no file could be read. */
#include <fcntl.h>
#include <sys/utsname.h>
#include <unistd.h>

int main(int argc, char **argv) {
  static char buf[4096];
  struct utsname u;
  int read_any = 0;
  if (uname(&u) != 0) return 1;
  if (getuid() == 0 && geteuid() == 0) {}
  if (getcwd(buf, sizeof buf) == NULL) {}
  for (int i = 1; i < argc; i++) {
    int fd = open(argv[i], O_RDONLY);
    if (fd < 0) continue;
    while (read(fd, buf, sizeof buf) > 0) read_any = 1;
    close(fd);
  }
  return read_any || argc < 2 ? 0 : 1;
}
