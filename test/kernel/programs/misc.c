// Odds and ends: a futex wait that times out in virtual time, prctl names, priorities and
// scheduling queries, fallocate, flock, uname, sysconf.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>
#include <linux/futex.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>

static long long ms(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000LL + t.tv_nsec / 1000000; }

int main(void) {
  int v = 0;
  struct timespec to = {0, 50000000};
  long long t0 = ms();
  long r = syscall(SYS_futex, &v, FUTEX_WAIT, 0, &to, 0, 0);
  printf("futex wait %ld %s, >= 50ms: %d\n", r, strerror(errno), ms() - t0 >= 50 && ms() - t0 < 500);
  r = syscall(SYS_futex, &v, FUTEX_WAIT, 1, &to, 0, 0);
  printf("futex mismatch %ld %s\n", r, strerror(errno));
  char name[16] = {0};
  prctl(PR_SET_NAME, "worker");
  prctl(PR_GET_NAME, name);
  printf("name %s\n", name);
  errno = 0;
  printf("priority %d errno %d scheduler %d\n", getpriority(PRIO_PROCESS, 0), errno, sched_getscheduler(0));
  int fd = open("f", O_CREAT | O_RDWR, 0600);
  struct stat st;
  printf("fallocate %d flock %d\n", fallocate(fd, 0, 0, 100), flock(fd, LOCK_EX));
  fstat(fd, &st);
  printf("size %ld\n", (long)st.st_size);
  unlink("f");
  struct utsname u;
  uname(&u);
  printf("sysname %s machine %s\n", u.sysname, u.machine);
  printf("pagesize %ld\n", sysconf(_SC_PAGESIZE));
  return 0;
}
