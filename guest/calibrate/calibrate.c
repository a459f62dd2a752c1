/* calibrate: what this Linux machine adds to a program's time, measured
 * natively, for the emulator's realistic timing model (src/kernel/timing,
 * docs/timing.md). scripts/calibrate-timing.mjs runs it and turns its output
 * into the model's parameter table.
 *
 *   calibrate [--quick] [--only NAME[,NAME...]]
 *
 * Every measurement prints one JSON line: its name, the number of samples and
 * quantiles of the samples in nanoseconds (robust statistics: the machine is
 * shared, so means would follow whoever else ran). A timed call during which
 * another process took the CPU (an involuntary context switch, from getrusage)
 * is left out and counted ("preempted"). Times come from
 * clock_gettime(CLOCK_MONOTONIC) through the vDSO (no syscall); the median cost
 * of two back-to-back reads ("clock_pair") is subtracted from each timed call.
 *
 * What is measured (names as the model uses them):
 *   sys.NAME      one call, not blocking: enter to return
 *   wake.pty      select() asleep on a pty slave; another process writes a byte
 *                 to the master: from just before that write to select's return
 *                 (the writer pauses as a flight's serial line does: ~87 µs
 *                 between bytes, a few ms now and then)
 *   wake.pipe     read() asleep on an empty pipe; the same with a pipe
 *   wake.timer    clock_nanosleep(TIMER_ABSTIME): return minus the deadline
 *   wake.timeout  select() with a 1 ms timeout and nothing to read: return minus
 *                 its start minus 1 ms
 *   wake.child    wait4() asleep on a child: from the child's last instruction
 *                 before exit_group to wait4's return
 *   tick          a tight loop's gaps that fall on the timer interrupt's 4 ms
 *                 grid (HZ=250) and in which no other process ran: the
 *                 interrupt's cost to a running process
 *   switch        a context switch: a pipe ping-pong between two processes on one
 *                 CPU, one way, minus a pipe write and a pipe read
 *   refill        the extra time of a chain of 16 dependent loads (one line on each
 *                 of 16 pages, as a short stretch of code after a switch) right
 *                 after a switch from a process that walked 2 MiB, against the
 *                 same chain warm
 *   refill.wake   the same chain right after select() returns in wake.pty (the
 *                 CPU idled or ran other work meanwhile), against it warm
 *   fault         a first touch of an anonymous page (demand paging)
 *
 * The exec probe (exec-probe.c, built beside this program) is the program
 * execve starts: it reports the time its first instruction ran. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

static int quick;
static const char *only;
static char self_dir[4096];
static int64_t clock_pair; /* median cost of two back-to-back clock reads */

static inline int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec;
}

static void die(const char *what) {
  fprintf(stderr, "calibrate: %s: %s\n", what, strerror(errno));
  exit(2);
}

/* ---- samples and their quantiles ---- */

typedef struct { int64_t *v; size_t n, cap, preempted; } series;

static void put(series *s, int64_t x) {
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 4096;
    s->v = realloc(s->v, s->cap * sizeof *s->v);
    if (!s->v) die("realloc");
  }
  s->v[s->n++] = x;
}

static int cmp64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

/* Linear interpolation between order statistics (R's type 7), rounded. */
static int64_t quantile(const series *s, double p) {
  double h = p * (double)(s->n - 1);
  size_t i = (size_t)h;
  if (i + 1 >= s->n) return s->v[s->n - 1];
  double f = h - (double)i;
  return (int64_t)((double)s->v[i] + f * (double)(s->v[i + 1] - s->v[i]) + 0.5);
}

static const double PS[] = {0.0001, 0.001, 0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.75, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999};

static int wanted(const char *name) {
  if (!only) return 1;
  size_t n = strlen(name);
  for (const char *p = only; *p;) {
    const char *e = strchr(p, ',');
    size_t k = e ? (size_t)(e - p) : strlen(p);
    if (k == n && strncmp(p, name, n) == 0) return 1;
    /* a prefix ending in '.' selects a family: "sys." */
    if (k > 0 && p[k - 1] == '.' && strncmp(p, name, k) == 0) return 1;
    if (!e) break;
    p = e + 1;
  }
  return 0;
}

/* One JSON line; `extra` is more fields ("" or ",\"k\":v…"). */
static void report(const char *name, series *s, const char *extra) {
  if (s->n == 0) { printf("{\"name\":\"%s\",\"n\":0,\"preempted\":%zu%s}\n", name, s->preempted, extra); fflush(stdout); return; }
  qsort(s->v, s->n, sizeof *s->v, cmp64);
  printf("{\"name\":\"%s\",\"n\":%zu,\"preempted\":%zu,\"min\":%lld,\"max\":%lld,\"q\":[", name, s->n, s->preempted, (long long)s->v[0], (long long)s->v[s->n - 1]);
  for (size_t i = 0; i < sizeof PS / sizeof *PS; i++) printf("%s[%g,%lld]", i ? "," : "", PS[i], (long long)quantile(s, PS[i]));
  printf("]%s}\n", extra);
  fflush(stdout);
  free(s->v);
  s->v = NULL; s->n = s->cap = s->preempted = 0;
}

static int64_t scaled(int64_t n) { return quick ? (n / 20 > 50 ? n / 20 : 50) : n; }

/* Involuntary context switches of this thread so far: another process took the CPU. */
static long preemptions(void) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_nivcsw;
}

/* A timed call: its duration minus the clock's own, never below 0; left out (counted) when another
 * process took the CPU meanwhile: that is the machine's other work, not the call's cost. */
#define TIMED(s, call) do { long p0_ = preemptions(); int64_t t0_ = now_ns(); call; int64_t d_ = now_ns() - t0_ - clock_pair; \
  if (preemptions() == p0_) put((s), d_ > 0 ? d_ : 0); else (s)->preempted++; } while (0)

/* A process on one CPU, or on both. */
static void pin(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (cpu < 0) { for (int c = 0; c < CPU_SETSIZE && c < 64; c++) CPU_SET(c, &set); }
  else CPU_SET(cpu, &set);
  sched_setaffinity(0, sizeof set, &set);
}

/* Shared between a parent and its child: a time stamp written before an event. */
struct shared { volatile int64_t t; volatile int64_t go; };
static struct shared *shared_page(void) {
  void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) die("mmap shared");
  return p;
}

static void sleep_ns(int64_t ns) {
  struct timespec t = {ns / 1000000000, ns % 1000000000};
  while (nanosleep(&t, &t) != 0 && errno == EINTR) {}
}

/* Seeded, so two runs choose the same pauses. */
static uint64_t rng = 0x5eed;
static uint64_t rnd(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }
static int64_t between(int64_t lo, int64_t hi) { return lo + (int64_t)(rnd() % (uint64_t)(hi - lo + 1)); }

/* ---- a pty in the autopilot's mode (raw, VMIN 0) ---- */

static int open_pty(int *master) {
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0 || grantpt(m) || unlockpt(m)) die("posix_openpt");
  int s = open(ptsname(m), O_RDWR | O_NOCTTY);
  if (s < 0) die("open pty slave");
  struct termios t;
  if (tcgetattr(s, &t)) die("tcgetattr");
  cfmakeraw(&t);
  cfsetispeed(&t, B115200);
  cfsetospeed(&t, B115200);
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  if (tcsetattr(s, TCSANOW, &t)) die("tcsetattr");
  /* The master in raw mode too, so nothing is echoed or translated. */
  if (tcgetattr(m, &t) == 0) { cfmakeraw(&t); tcsetattr(m, TCSANOW, &t); }
  *master = m;
  return s;
}

static int select_one(int fd, int64_t timeout_ns) {
  fd_set rd;
  FD_ZERO(&rd);
  FD_SET(fd, &rd);
  struct timeval tv = {timeout_ns / 1000000000, (timeout_ns % 1000000000) / 1000};
  return (int)syscall(SYS_select, fd + 1, &rd, NULL, NULL, &tv); /* the select syscall, as the autopilot */
}

static void drain(int fd) {
  char buf[4096];
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  while (read(fd, buf, sizeof buf) > 0) {}
  fcntl(fd, F_SETFL, fl);
}

/* ---- measurements ---- */

static void m_clock_pair(void) {
  series s = {0};
  for (int64_t i = 0; i < scaled(200000); i++) { int64_t a = now_ns(); int64_t b = now_ns(); put(&s, b - a); }
  qsort(s.v, s.n, sizeof *s.v, cmp64);
  clock_pair = s.v[s.n / 2];
  char extra[64];
  snprintf(extra, sizeof extra, ",\"subtracted\":%lld", (long long)clock_pair);
  /* report() sorts again: harmless. */
  report("clock_pair", &s, extra);
}

static void m_simple(void) {
  const int64_t n = scaled(100000);
  series s = {0};
  int pm, pty = open_pty(&pm);
  struct termios tio;
  char path[256];
  void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (wanted("sys.getpid")) { for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_getpid)); report("sys.getpid", &s, ""); }
  if (wanted("sys.brk")) { for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_brk, 0)); report("sys.brk", &s, ""); }
  if (wanted("sys.ioctl")) { for (int64_t i = 0; i < n; i++) TIMED(&s, ioctl(pty, TCGETS, &tio)); report("sys.ioctl", &s, ""); }
  if (wanted("sys.arch_prctl")) { unsigned long fs; for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_arch_prctl, 0x1003 /* ARCH_GET_FS */, &fs)); report("sys.arch_prctl", &s, ""); }
  if (wanted("sys.set_tid_address")) { int tid; for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_set_tid_address, &tid)); report("sys.set_tid_address", &s, ""); }
  if (wanted("sys.set_robust_list")) { static long head[3]; for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_set_robust_list, head, 24)); report("sys.set_robust_list", &s, ""); }
  if (wanted("sys.prlimit64")) { struct rlimit r; for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_prlimit64, 0, RLIMIT_STACK, NULL, &r)); report("sys.prlimit64", &s, ""); }
  if (wanted("sys.getrandom")) { char b[8]; for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_getrandom, b, 8, 0)); report("sys.getrandom", &s, ""); }
  if (wanted("sys.mprotect")) { for (int64_t i = 0; i < n; i++) TIMED(&s, mprotect(page, 4096, (i & 1) ? PROT_READ | PROT_WRITE : PROT_READ)); report("sys.mprotect", &s, ""); }
  if (wanted("sys.readlink")) { for (int64_t i = 0; i < n; i++) TIMED(&s, syscall(SYS_readlink, "/proc/self/exe", path, sizeof path)); report("sys.readlink", &s, ""); }
  if (wanted("sys.openat")) {
    for (int64_t i = 0; i < n / 2; i++) { int fd; TIMED(&s, fd = open("/dev/null", O_RDONLY)); close(fd); }
    report("sys.openat", &s, "");
  }
  if (wanted("sys.mmap") || wanted("sys.munmap")) {
    series u = {0};
    for (int64_t i = 0; i < n / 2; i++) { void *p; TIMED(&s, p = mmap(NULL, 65536, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)); TIMED(&u, munmap(p, 65536)); }
    report("sys.mmap", &s, "");
    report("sys.munmap", &u, "");
  }
  if (wanted("fault")) {
    /* First touches of anonymous pages: a store per page of a fresh mapping. */
    for (int64_t i = 0; i < n / 64; i++) {
      volatile char *p = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
      for (int k = 0; k < 64; k++) TIMED(&s, p[k * 4096] = 1);
      munmap((void *)p, 64 * 4096);
    }
    report("fault", &s, "");
  }
  close(pty);
  close(pm);
}

/* The autopilot's calls on its serial port: select and read with a byte waiting, write of a command line. */
static void m_pty(void) {
  const int64_t n = scaled(100000);
  int master, slave = open_pty(&master);
  static char fill[2048];
  memset(fill, 'x', sizeof fill);
  series sel = {0}, rd = {0}, wr = {0};
  if (wanted("sys.select") || wanted("sys.read")) {
    int64_t left = 0;
    for (int64_t i = 0; i < n; i++) {
      if (left == 0) {
        if (write(master, fill, sizeof fill) != (ssize_t)sizeof fill) die("write pty master");
        /* The bytes reach the slave through the tty layer's worker: wait for all of them. */
        int avail = 0;
        while (avail < (int)sizeof fill) { select_one(slave, 1000000000); ioctl(slave, FIONREAD, &avail); }
        left = sizeof fill;
      }
      char c;
      int r;
      ssize_t k;
      TIMED(&sel, r = select_one(slave, 2000000000));
      TIMED(&rd, k = read(slave, &c, 1));
      if (r != 1 || k != 1) { errno = EIO; die("select/read on pty"); }
      left--;
    }
    report("sys.select", &sel, ",\"what\":\"select on a pty slave with a byte waiting\"");
    report("sys.read", &rd, ",\"what\":\"read of 1 byte from a pty slave\"");
  }
  if (wanted("sys.write")) {
    /* As in a flight: the drone's side is asleep reading the master, and each line wakes it. */
    const char *line = "THROTTLE 0.1234 0.5678 0.9012\n";
    size_t len = strlen(line);
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
      char buf[4096];
      close(slave);
      while (read(master, buf, sizeof buf) > 0) {}
      _exit(0);
    }
    for (int64_t i = 0; i < n / 4; i++) {
      int64_t until = now_ns() + 50000; /* 50 µs of work first: the reader is asleep again */
      while (now_ns() < until) {}
      ssize_t k;
      TIMED(&wr, k = write(slave, line, len));
      if (k != (ssize_t)len) die("write pty slave");
    }
    close(slave);
    close(master);
    waitpid(pid, NULL, 0);
    report("sys.write", &wr, ",\"what\":\"write of a 30-byte line to a pty slave, a reader asleep on the master\"");
    return;
  }
  close(slave);
  close(master);
}

static void m_sleep(void) {
  series s = {0};
  if (wanted("sys.clock_nanosleep")) {
    /* The autopilot's late poll: an absolute deadline already past returns at once. */
    struct timespec past = {0, 1};
    for (int64_t i = 0; i < scaled(100000); i++) TIMED(&s, clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL));
    report("sys.clock_nanosleep", &s, ",\"what\":\"clock_nanosleep to an absolute deadline already past\"");
  }
  if (wanted("wake.timer")) {
    for (int64_t i = 0; i < scaled(3000); i++) {
      int64_t dl = now_ns() + between(200000, 1500000);
      struct timespec t = {dl / 1000000000, dl % 1000000000};
      while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR) {}
      put(&s, now_ns() - dl);
    }
    report("wake.timer", &s, ",\"what\":\"clock_nanosleep(TIMER_ABSTIME) return minus its deadline\"");
  }
  if (wanted("wake.timeout")) {
    int master, slave = open_pty(&master);
    for (int64_t i = 0; i < scaled(1500); i++) {
      int64_t t0 = now_ns();
      if (select_one(slave, 1000000) != 0) { errno = EIO; die("select timeout"); }
      put(&s, now_ns() - t0 - 1000000);
    }
    report("wake.timeout", &s, ",\"what\":\"select with a 1 ms timeout on an idle pty: return minus start minus 1 ms\"");
    close(slave);
    close(master);
  }
}

/* CHAIN lines, one on each of CHAIN pages, linked in a seeded order: each load's address is the
 * last load's value. A short stretch of code after a switch or a wake-up touches a handful of
 * lines and pages like this (the autopilot's loop between two calls is ~15-60 instructions). */
#define CHAIN 16
static void **make_chain(void) {
  char *m = mmap(NULL, CHAIN * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) die("mmap chain");
  int order[CHAIN];
  for (int i = 0; i < CHAIN; i++) order[i] = i;
  for (int i = CHAIN - 1; i > 0; i--) { int j = (int)(rnd() % (uint64_t)(i + 1)), t = order[i]; order[i] = order[j]; order[j] = t; }
  /* a different line on each page, so they spread over the cache's sets */
  for (int i = 0; i < CHAIN; i++) {
    void **at = (void **)(m + order[i] * 4096 + i * 64);
    int ni = (i + 1) % CHAIN;
    *at = (void *)(m + order[ni] * 4096 + ni * 64);
  }
  return (void **)(m + order[0] * 4096);
}
static void *chase(void **p) { for (int i = 0; i < CHAIN; i++) p = (void **)*p; return p; }

/* Time this thread has spent runnable but waiting for a CPU so far (ns): /proc/self/schedstat's
 * second field. A wake-up that waited behind another process's work shows here. */
static int schedstat_fd = -1;
static int64_t run_delay(void) {
  if (schedstat_fd < 0) schedstat_fd = open("/proc/thread-self/schedstat", O_RDONLY);
  char b[128];
  ssize_t k = pread(schedstat_fd, b, sizeof b - 1, 0);
  if (k <= 0) return 0;
  b[k] = 0;
  long long on_cpu, waited;
  return sscanf(b, "%lld %lld", &on_cpu, &waited) == 2 ? waited : 0;
}

/* A writer process wakes a reader asleep on a pty (select) or a pipe (read). A sample is left out
 * (counted as preempted) when the writer lost the CPU between its time stamp and its write, or
 * the reader, once woken, waited over 50 µs for a CPU that another process held: other work, not
 * the wake-up's own path. */
#define WAKE_WAIT_MAX 50000
static void m_wake_io(int use_pty) {
  const char *name = use_pty ? "wake.pty" : "wake.pipe";
  if (!wanted(name)) return;
  const int64_t n = scaled(3000);
  const size_t shared_bytes = ((size_t)n * 9 + 4095) & ~(size_t)4095;
  int64_t *stamp = mmap(NULL, shared_bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (stamp == MAP_FAILED) die("mmap shared");
  volatile char *bad = (volatile char *)(stamp + n);
  int rfd, wfd, master = -1;
  if (use_pty) { rfd = open_pty(&master); wfd = master; }
  else { int p[2]; if (pipe(p)) die("pipe"); rfd = p[0]; wfd = p[1]; }
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    /* The writer plays the serial line: mostly a byte every ~87 µs (115200 baud), now and then a
     * pause of a few ms (between a flight's sensor lines), with an exact timer (no slack), so the
     * reader sleeps as long as it does in a flight. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
    for (int64_t i = 0; i < n; i++) {
      sleep_ns(rnd() % 20 == 0 ? between(1000000, 13000000) : between(60000, 110000));
      long p0 = preemptions();
      ((volatile int64_t *)stamp)[i] = now_ns();
      __sync_synchronize();
      if (write(wfd, "x", 1) != 1) _exit(1);
      if (preemptions() != p0) bad[i] = 1;
    }
    _exit(0);
  }
  series s = {0}, cold = {0}, warm = {0};
  void **chain = make_chain();
  void *volatile sink;
  for (int64_t i = 0; i < n; i++) {
    char c;
    int64_t w0 = run_delay();
    if (use_pty && select_one(rfd, 2000000000) != 1) { errno = EIO; die("select on pty"); }
    if (!use_pty && read(rfd, &c, 1) != 1) die("read pipe");
    int64_t t = now_ns();
    int64_t waited = run_delay() - w0;
    __sync_synchronize();
    int ok = !bad[i] && waited <= WAKE_WAIT_MAX;
    if (ok) put(&s, t - ((volatile int64_t *)stamp)[i]); else s.preempted++;
    if (use_pty && ok) { TIMED(&cold, sink = chase(chain)); TIMED(&warm, sink = chase(chain)); }
    if (use_pty && read(rfd, &c, 1) != 1) die("read pty");
  }
  (void)sink;
  waitpid(pid, NULL, 0);
  if (use_pty) {
    /* On a busy host every wake-up may have been left out: no warm chain to subtract. */
    if (warm.n) qsort(warm.v, warm.n, sizeof *warm.v, cmp64);
    int64_t wm = warm.n ? warm.v[warm.n / 2] : 0;
    series rf = {0};
    for (size_t i = 0; i < cold.n; i++) { int64_t v = cold.v[i] - wm; put(&rf, v > 0 ? v : 0); }
    rf.preempted = cold.preempted + s.preempted;   /* a wake-up left out is a refill left out */
    char extra[200];
    snprintf(extra, sizeof extra, ",\"warm_median\":%lld,\"what\":\"16 dependent loads on 16 pages right after select() woke, minus the same chain warm\"", (long long)wm);
    report("refill.wake", &rf, extra);
    free(cold.v); free(warm.v);
  }
  report(name, &s, use_pty ? ",\"what\":\"select asleep on a pty slave: from the writer's write to select's return\"" : ",\"what\":\"read asleep on a pipe: from the writer's write to read's return\"");
  close(rfd);
  close(wfd);
  munmap(stamp, shared_bytes);
}

/* fork, wait4 (asleep and not), execve, exit. */
static void m_process(void) {
  const int64_t n = scaled(1000);
  struct shared *sh = shared_page();
  series fk = {0}, wk = {0}, w4 = {0};
  if (wanted("sys.fork") || wanted("wake.child")) {
    for (int64_t i = 0; i < n; i++) {
      pid_t pid;
      TIMED(&fk, pid = fork());
      if (pid < 0) die("fork");
      if (pid == 0) {
        sleep_ns(300000); /* the parent is asleep in wait4 by then */
        sh->t = now_ns();
        syscall(SYS_exit_group, 0);
      }
      int st;
      if (wait4(pid, &st, 0, NULL) != pid) die("wait4");
      put(&wk, now_ns() - sh->t);
    }
    report("sys.fork", &fk, ",\"what\":\"fork() in the parent (glibc: clone)\"");
    report("wake.child", &wk, ",\"what\":\"wait4 asleep: from the child's exit_group to wait4's return\"");
  }
  if (wanted("sys.wait4")) {
    for (int64_t i = 0; i < n; i++) {
      pid_t pid = fork();
      if (pid < 0) die("fork");
      if (pid == 0) syscall(SYS_exit_group, 0);
      /* A zombie by then: wait4 does not sleep. */
      siginfo_t si;
      waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
      int st;
      TIMED(&w4, wait4(pid, &st, 0, NULL));
    }
    report("sys.wait4", &w4, ",\"what\":\"wait4 on a child that has already exited\"");
  }
  if (wanted("sys.execve")) {
    char probe[4200];
    snprintf(probe, sizeof probe, "%sexec-probe", self_dir);
    if (access(probe, X_OK)) die(probe);
    series ex = {0};
    for (int64_t i = 0; i < n / 2; i++) {
      int p[2];
      if (pipe(p)) die("pipe");
      pid_t pid = fork();
      if (pid < 0) die("fork");
      if (pid == 0) {
        dup2(p[1], 3);
        char *argv[] = {"exec-probe", NULL}, *envp[] = {NULL};
        sh->t = now_ns();
        syscall(SYS_execve, probe, argv, envp);
        _exit(127);
      }
      close(p[1]);
      int64_t t1;
      if (read(p[0], &t1, sizeof t1) != sizeof t1) die("read exec probe");
      close(p[0]);
      waitpid(pid, NULL, 0);
      put(&ex, t1 - sh->t);
    }
    report("sys.execve", &ex, ",\"what\":\"execve of a small static program: from the call to its first instruction\"");
  }
  munmap(sh, 4096);
}

static void m_net(void) {
  const int64_t n = scaled(30000);
  series so = {0}, se = {0}, cl = {0};
  if (!wanted("sys.socket") && !wanted("sys.sendto") && !wanted("sys.close")) return;
  for (int64_t i = 0; i < n; i++) {
    int fd;
    TIMED(&so, fd = socket(AF_INET, SOCK_DGRAM, 0));
    if (fd < 0) die("socket");
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)between(20000, 60000)), .sin_addr.s_addr = htonl(0x7f000001)};
    ssize_t k;
    TIMED(&se, k = sendto(fd, "skytrace", 8, 0, (struct sockaddr *)&a, sizeof a));
    if (k != 8) die("sendto");
    TIMED(&cl, close(fd));
  }
  report("sys.socket", &so, ",\"what\":\"socket(AF_INET, SOCK_DGRAM)\"");
  report("sys.sendto", &se, ",\"what\":\"sendto of 8 bytes to 127.0.0.1, a port nobody listens on\"");
  report("sys.close", &cl, ",\"what\":\"close of that socket\"");
}

static void m_mkdir(void) {
  if (!wanted("sys.mkdir")) return;
  char dir[] = "/tmp/skytrace-calibrate-XXXXXX", path[64];
  if (!mkdtemp(dir)) die("mkdtemp");
  series s = {0};
  for (int64_t i = 0; i < scaled(20000); i++) {
    snprintf(path, sizeof path, "%s/d%lld", dir, (long long)(i % 8));
    int r;
    TIMED(&s, r = mkdir(path, 0755));
    if (r) die("mkdir");
    rmdir(path);
  }
  rmdir(dir);
  report("sys.mkdir", &s, ",\"what\":\"mkdir in a folder of /tmp\"");
}

/* A tight loop sees every interruption as a gap; the timer interrupt's gaps fall on a 4 ms grid.
 * The loop stays on one CPU; a gap during which it was switched out (an involuntary context switch:
 * another process ran) is preemption, not the interrupt's own cost, and is left out. */
static long involuntary(void) {
  struct rusage ru;
  getrusage(RUSAGE_THREAD, &ru);
  return ru.ru_nivcsw + ru.ru_nvcsw;
}

static void m_tick(void) {
  if (!wanted("tick")) return;
  const int64_t dur = quick ? 400000000 : 8000000000LL, period = 4000000;
  pin(sched_getcpu());
  series loop = {0};
  enum { CAP = 400000 };
  int64_t *at = malloc(sizeof(int64_t) * CAP), *len = malloc(sizeof(int64_t) * CAP);
  size_t ng = 0, preempted = 0;
  /* The loop's own step, to set the threshold. */
  for (int i = 0; i < 100000; i++) { int64_t a = now_ns(); put(&loop, now_ns() - a); }
  qsort(loop.v, loop.n, sizeof *loop.v, cmp64);
  int64_t step = loop.v[loop.n / 2], threshold = step * 8 > 300 ? step * 8 : 300;
  free(loop.v);
  long switches = involuntary();
  int64_t start = now_ns(), prev = start;
  while (prev - start < dur) {
    int64_t t = now_ns();
    if (t - prev > threshold && ng < CAP) {
      long sw = involuntary();
      if (sw != switches) { switches = sw; preempted++; }
      else { at[ng] = prev; len[ng] = t - prev; ng++; }
      t = now_ns(); /* the check's own time is not a gap */
    }
    prev = t;
  }
  pin(-1);
  /* The grid's phase: the 40 µs bin (of 100 across 4 ms) holding most gap starts. */
  int bins[100] = {0};
  for (size_t i = 0; i < ng; i++) bins[(at[i] % period) / 40000]++;
  int best = 0;
  for (int b = 1; b < 100; b++) if (bins[b] > bins[best]) best = b;
  series tick = {0}, other = {0};
  for (size_t i = 0; i < ng; i++) {
    int64_t ph = (at[i] % period) / 40000;
    int64_t d = ph - best;
    if (d < 0) d = -d;
    if (d <= 1 || d >= 99) put(&tick, len[i]); else put(&other, len[i]);
  }
  char extra[320];
  snprintf(extra, sizeof extra, ",\"loop_step\":%lld,\"threshold\":%lld,\"seconds\":%.1f,\"expected\":%lld,\"others\":%zu,\"preempted_gaps\":%zu",
           (long long)step, (long long)threshold, dur / 1e9, (long long)(dur / period), other.n, preempted);
  report("tick", &tick, extra);
  report("tick.other", &other, ",\"what\":\"the loop's other gaps, not on the 4 ms grid and not preemption (other interrupts)\"");
  free(at);
  free(len);
}

/* Two processes on one CPU bounce a byte over two pipes; each side walks its own memory between bounces. */
static void walk(volatile char *p, size_t bytes, size_t stride) { for (size_t i = 0; i < bytes; i += stride) p[i]++; }


static void m_switch(void) {
  if (!wanted("switch") && !wanted("refill")) return;
  const int64_t n = scaled(20000);
  int ab[2], ba[2];
  if (pipe(ab) || pipe(ba)) die("pipe");
  const size_t big = 2 << 20;
  void **chain = make_chain();
  void *volatile sink;
  pin(0);
  pid_t pid = fork();
  if (pid < 0) die("fork");
  if (pid == 0) {
    /* The partner: walks 2 MiB (the working set a switch brings in), then answers. */
    char *theirs = mmap(NULL, big, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    memset(theirs, 1, big);
    close(ab[1]);
    close(ba[0]);
    char c;
    while (read(ab[0], &c, 1) == 1) {
      if (c == 'w') walk(theirs, big, 64);
      if (write(ba[1], &c, 1) != 1) _exit(1);
    }
    _exit(0);
  }
  series rt = {0}, pw = {0}, pr = {0}, cold = {0}, warm = {0};
  /* Pipe write and read on their own (no sleeper, data waiting), for the decomposition. */
  int solo[2];
  if (pipe(solo)) die("pipe");
  for (int64_t i = 0; i < n; i++) { char c = 'x'; TIMED(&pw, write(solo[1], &c, 1)); TIMED(&pr, read(solo[0], &c, 1)); }
  close(solo[0]); close(solo[1]);
  for (int64_t i = 0; i < n; i++) {
    char c = 'p';
    int64_t t0 = now_ns();
    if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1) die("ping-pong");
    put(&rt, now_ns() - t0 - clock_pair);
  }
  for (int64_t i = 0; i < n / 4; i++) {
    char c = 'w';
    if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1) die("ping-pong");
    TIMED(&cold, sink = chase(chain));
    TIMED(&warm, sink = chase(chain));
  }
  close(ab[1]);
  waitpid(pid, NULL, 0);
  close(ab[0]); close(ba[0]); close(ba[1]);
  (void)sink;
  pin(-1);
  qsort(pw.v, pw.n, sizeof *pw.v, cmp64);
  qsort(pr.v, pr.n, sizeof *pr.v, cmp64);
  qsort(warm.v, warm.n, sizeof *warm.v, cmp64);
  int64_t w = pw.v[pw.n / 2], r = pr.v[pr.n / 2], wm = warm.v[warm.n / 2];
  /* One way = a write that wakes the partner, the switch, the partner's read returning. */
  series sw = {0}, rf = {0};
  for (size_t i = 0; i < rt.n; i++) { int64_t v = rt.v[i] / 2 - w - r; put(&sw, v > 0 ? v : 0); }
  for (size_t i = 0; i < cold.n; i++) { int64_t v = cold.v[i] - wm; put(&rf, v > 0 ? v : 0); }
  char extra[256];
  snprintf(extra, sizeof extra, ",\"pipe_write_median\":%lld,\"pipe_read_median\":%lld,\"what\":\"pipe ping-pong on one CPU: round trip / 2 minus a pipe write and a pipe read\"", (long long)w, (long long)r);
  report("switch", &sw, extra);
  snprintf(extra, sizeof extra, ",\"warm_median\":%lld,\"what\":\"16 dependent loads on 16 pages right after a switch from a 2 MiB walker, minus the same chain warm\"", (long long)wm);
  report("refill", &rf, extra);
  report("pingpong.roundtrip", &rt, "");
  free(cold.v); free(warm.v); free(pw.v); free(pr.v);
}

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--quick") == 0) quick = 1;
    else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else { fprintf(stderr, "usage: calibrate [--quick] [--only NAME[,NAME...]]\n"); return 2; }
  }
  const char *slash = strrchr(argv[0], '/');
  size_t n = slash ? (size_t)(slash - argv[0] + 1) : 0;
  if (n >= sizeof self_dir) n = 0;
  memcpy(self_dir, argv[0], n);
  self_dir[n] = 0;
  if (n == 0) strcpy(self_dir, "./");
  signal(SIGPIPE, SIG_IGN);
  m_clock_pair();
  /* fork first, while this process is as small as a flight's flight-init (fork copies page tables). */
  m_process();
  m_simple();
  m_pty();
  m_sleep();
  m_wake_io(1);
  m_wake_io(0);
  m_net();
  m_mkdir();
  m_switch();
  m_tick();
  return 0;
}
