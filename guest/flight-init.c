/* flight-init: one flight, as this shell script would run it:
 *
 *     mkdir FlightBegin
 *     autopilot SCENARIO SEED [PORT]
 *     status=$?
 *     mkdir FlightEnd
 *     exit $status
 *
 *   flight-init [SCENARIO [SEED [PORT [NAME=VALUE...]]]]   (passed on to the autopilot)
 *
 * `skytrace fly` passes the autopilot's sub-seed as SEED (src/flight/seeds.ts), not the
 * flight's own seed.
 *
 * Each command is its own process (fork, execve, wait4), so the trace holds
 * several processes. `mkdir` and `autopilot` are looked up in the directory
 * flight-init itself was started from (argv[0]). The markers are made in the
 * current directory. Exit status: the autopilot's (128 + signal if killed),
 * 126 when a program cannot be started. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static char dir[4096];

static int run(const char *name, char **argv) {
  char path[4200];
  snprintf(path, sizeof path, "%s%s", dir, name);
  pid_t pid = fork();
  if (pid < 0) { perror("flight-init: fork"); return 126; }
  if (pid == 0) {
    execve(path, argv, environ);
    perror("flight-init: execve");
    _exit(126);
  }
  int st;
  for (;;) {
    pid_t r = wait4(pid, &st, 0, NULL);
    if (r == pid) break;
    if (r < 0) { perror("flight-init: wait4"); return 126; }
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return 126;
}

int main(int argc, char **argv) {
  /* The directory part of argv[0], with its slash ("" when started from PATH's cwd). */
  const char *slash = strrchr(argv[0], '/');
  size_t n = slash ? (size_t)(slash - argv[0] + 1) : 0;
  if (n >= sizeof dir) n = 0;
  memcpy(dir, argv[0], n);
  dir[n] = 0;
  if (n == 0) strcpy(dir, "./");

  char *begin[] = {"mkdir", "FlightBegin", NULL};
  char *end[] = {"mkdir", "FlightEnd", NULL};
  char *pilot[64];
  int k = 0;
  pilot[k++] = "autopilot";
  for (int i = 1; i < argc && k < 63; i++) pilot[k++] = argv[i];
  pilot[k] = NULL;

  if (run("mkdir", begin) != 0) return 126;
  int status = run("autopilot", pilot);
  if (run("mkdir", end) != 0 && status == 0) status = 126;
  return status;
}
