/* tap: the autopilot's syscalls timed from inside, for the native side of
 * docs/timing.md. Linked into a copy of guest/autopilot.c with
 * -Wl,--wrap=read,--wrap=write,… (scripts/build-guests.mjs builds
 * build/guest/calibrate/autopilot-tap), each wrapper reads CLOCK_MONOTONIC
 * through the vDSO (no syscall) just before and just after the real call and
 * keeps {enter, exit, nr, result} in memory; at exit the records go to the file
 * named by $SKYTRACE_TAP (40 bytes each, little-endian). What it adds per call:
 * two clock reads (~20 ns each here) and a store, against strace's two ptrace
 * stops and context switches. Only the autopilot's own calls are seen (not
 * glibc's start-up or tcsetattr's ioctls). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>

struct rec { int64_t enter, exit, nr, ret, pad; };
#define CAP 400000
static struct rec recs[CAP];
static size_t nrec;

static inline int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}
static inline void keep(int64_t t0, int64_t t1, long nr, long ret) {
  if (nrec < CAP) { struct rec *r = &recs[nrec++]; r->enter = t0; r->exit = t1; r->nr = nr; r->ret = ret; r->pad = 0; }
}

ssize_t __real_read(int, void *, size_t);
ssize_t __real_write(int, const void *, size_t);
long __real_syscall(long, long, long, long, long, long, long);
int __real_clock_nanosleep(clockid_t, int, const struct timespec *, struct timespec *);
int __real_socket(int, int, int);
ssize_t __real_sendto(int, const void *, size_t, int, const struct sockaddr *, socklen_t);
int __real_close(int);
int __real_open(const char *, int, ...);

ssize_t __wrap_read(int fd, void *b, size_t n) { int64_t t = now_ns(); ssize_t r = __real_read(fd, b, n); keep(t, now_ns(), SYS_read, r); return r; }
ssize_t __wrap_write(int fd, const void *b, size_t n) { int64_t t = now_ns(); ssize_t r = __real_write(fd, b, n); keep(t, now_ns(), SYS_write, r); return r; }
/* syscall() is variadic; on x86-64 its six integer arguments travel in registers either way. */
long __wrap_syscall(long nr, long a, long b, long c, long d, long e, long f) { int64_t t = now_ns(); long r = __real_syscall(nr, a, b, c, d, e, f); keep(t, now_ns(), nr, r); return r; }
int __wrap_clock_nanosleep(clockid_t id, int fl, const struct timespec *rq, struct timespec *rm) { int64_t t = now_ns(); int r = __real_clock_nanosleep(id, fl, rq, rm); keep(t, now_ns(), SYS_clock_nanosleep, r); return r; }
int __wrap_socket(int d, int ty, int p) { int64_t t = now_ns(); int r = __real_socket(d, ty, p); keep(t, now_ns(), SYS_socket, r); return r; }
ssize_t __wrap_sendto(int fd, const void *b, size_t n, int fl, const struct sockaddr *a, socklen_t al) { int64_t t = now_ns(); ssize_t r = __real_sendto(fd, b, n, fl, a, al); keep(t, now_ns(), SYS_sendto, r); return r; }
int __wrap_close(int fd) { int64_t t = now_ns(); int r = __real_close(fd); keep(t, now_ns(), SYS_close, r); return r; }
int __wrap_open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  int mode = va_arg(ap, int);
  va_end(ap);
  int64_t t = now_ns();
  int r = __real_open(path, flags, mode);
  keep(t, now_ns(), SYS_openat, r);
  return r;
}

static void dump(void) {
  const char *path = getenv("SKYTRACE_TAP");
  if (!path) return;
  int fd = (int)__real_syscall(SYS_openat, AT_FDCWD, (long)path, O_WRONLY | O_CREAT | O_TRUNC, 0644, 0, 0);
  if (fd < 0) return;
  const char *p = (const char *)recs;
  size_t left = nrec * sizeof *recs;
  while (left > 0) { ssize_t k = __real_write(fd, p, left); if (k <= 0) break; p += k; left -= (size_t)k; }
  __real_close(fd);
}
__attribute__((constructor)) static void start(void) { atexit(dump); }
