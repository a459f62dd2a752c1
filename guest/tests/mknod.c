/* mknod and FIFOs, and st_blocks, in a scratch directory (argv[1], or a new
 * "mknod-scratch" under the working directory, removed at the end):
 *  1. mknod/mknodat: FIFOs, regular files (S_IFREG and type 0), sockets, the
 *     errors for directories, symlinks, bad types, existing names and a
 *     trailing slash; O_PATH opens of a socket and a FIFO; character and block devices from a caller without
 *     CAP_MKNOD (a child that sets its uid to 65534: natively that drops the
 *     capability, the emulated kernel refuses devices to everyone), which
 *     gets EPERM except for the 0:0 "whiteout" character device;
 *  2. FIFO opens: a non-blocking read open succeeds with no writer (reads
 *     EOF, polls not ready), a non-blocking write open without a reader is
 *     ENXIO, O_RDWR never waits, data is discarded when both ends close, a
 *     blocking open waits for the other end across a fork (both ways), a
 *     blocking open interrupted by a signal leaves no reader behind;
 *  3. I/O: poll for data then for the writer's close (POLLHUP), select for
 *     writing, EOF when the last writer closes, EPIPE without a reader;
 *  4. st_blocks of files of several sizes, an empty one, a sparse one, a
 *     truncated one, an fallocate'd one, short and long symlinks, a
 *     directory, a FIFO. The values are ext4's (the test runs the native
 *     reference in a folder on ext4).
 * Children's results travel to the parent through pipes; only the parent
 * prints, after each child is reaped, so the output does not depend on
 * scheduling. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/wait.h>

/* The result of a call: its value, and the errno name when it failed. */
static void show(const char *what, long r) {
  int e = errno;
  if (r < 0) printf("%s = -1 %s\n", what, e == EPERM ? "EPERM" : e == ENOENT ? "ENOENT" : e == EEXIST ? "EEXIST"
      : e == EINVAL ? "EINVAL" : e == ENXIO ? "ENXIO" : e == EINTR ? "EINTR" : e == EPIPE ? "EPIPE" : e == EAGAIN ? "EAGAIN"
      : e == EACCES ? "EACCES" : strerror(e));
  else printf("%s = %ld\n", what, r);
}
#define CALL(call) (errno = 0, show(#call, (long)(call)))

static const char *kind(mode_t m) {
  return S_ISFIFO(m) ? "fifo" : S_ISREG(m) ? "regular" : S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "symlink"
    : S_ISCHR(m) ? "char device" : S_ISBLK(m) ? "block device" : S_ISSOCK(m) ? "socket" : "?";
}

static void stat_of(const char *path) {
  struct stat st;
  if (lstat(path, &st)) { printf("%s: lstat failed, errno %d\n", path, errno); return; }
  printf("%s: %s, mode %04o, size %lld, st_blocks %lld, nlink %lu, rdev %u:%u\n", path, kind(st.st_mode),
         (unsigned)(st.st_mode & 07777), (long long)st.st_size, (long long)st.st_blocks, (unsigned long)st.st_nlink,
         major(st.st_rdev), minor(st.st_rdev));
}

/* A child's exit status, printed by the parent. */
static void reap(const char *what, pid_t pid) {
  int status;
  if (waitpid(pid, &status, 0) != pid) { printf("%s: waitpid failed\n", what); return; }
  if (WIFEXITED(status)) printf("%s: exited %d\n", what, WEXITSTATUS(status));
  else printf("%s: signal %d\n", what, WTERMSIG(status));
}

/* Children report through a pipe: a few small integers, read back after the child exits. */
static int report[2];
static void say(int v) { if (write(report[1], &v, sizeof v) != sizeof v) _exit(99); }
static int heard(void) { int v = -1000; return read(report[0], &v, sizeof v) == sizeof v ? v : -1000; }
static int err(long r) { return r < 0 ? -errno : (int)r; }

static pid_t child(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) { perror("fork"); exit(1); }
  return pid;
}

static void on_alarm(int sig) { (void)sig; }

static void part_mknod(void) {
  printf("-- mknod\n");
  CALL(mknod("fifo", S_IFIFO | 0644, 0));
  stat_of("fifo");
  CALL(mknod("fifo", S_IFIFO | 0600, 0));
  CALL(mknod("reg", S_IFREG | 0640, 0));
  stat_of("reg");
  CALL(mknod("typeless", 0600, 0));
  stat_of("typeless");
  CALL(mknod("sock", S_IFSOCK | 0600, 0));
  stat_of("sock");
  CALL(open("sock", O_RDONLY));
  int path_fd = open("sock", O_PATH);   /* O_PATH names it without opening it */
  show("open sock O_PATH", path_fd < 0 ? path_fd : 0);
  close(path_fd);
  CALL(mknod("dir", S_IFDIR | 0755, 0));
  CALL(mknod("link", S_IFLNK | 0777, 0));
  CALL(mknod("bad", 0170000 | 0600, 0));
  CALL(mknod("slash/", S_IFIFO | 0600, 0));
  CALL(mknod("nodir/fifo", S_IFIFO | 0600, 0));
  int d = open(".", O_RDONLY | O_DIRECTORY);
  CALL(mkdir("sub", 0755));
  int sub = open("sub", O_RDONLY | O_DIRECTORY);
  CALL(mknodat(sub, "fifo-at", S_IFIFO | 0600, 0));
  stat_of("sub/fifo-at");
  CALL(mkfifoat(d, "sub/fifo-at2", 0600));
  stat_of("sub/fifo-at2");
  CALL(unlinkat(sub, "fifo-at", 0));
  CALL(unlinkat(sub, "fifo-at2", 0));
  close(sub);
  close(d);
  CALL(rmdir("sub"));

  /* Devices, from a caller without CAP_MKNOD. The directory is writable by
   * anyone so that natively the permission check passes and the capability
   * check decides. */
  CALL(chmod(".", 0777));
  if (pipe(report)) { perror("pipe"); exit(1); }
  pid_t pid = child();
  if (pid == 0) {
    close(report[0]);
    if (setuid(65534)) { /* natively as a non-root user: already without CAP_MKNOD */ }
    say(err(mknod("null", S_IFCHR | 0666, makedev(1, 3))));
    say(err(mknod("loop", S_IFBLK | 0660, makedev(7, 0))));
    say(err(mknod("reg", S_IFCHR | 0600, makedev(1, 3))));     /* exists: EEXIST before EPERM */
    say(err(mknod("whiteout", S_IFCHR | 0600, makedev(0, 0)))); /* the one device anyone may make */
    say(err(open("whiteout", O_RDONLY)));                       /* no driver: ENXIO */
    say(err(mknod("fifo2", S_IFIFO | 0600, 0)));
    _exit(0);
  }
  close(report[1]);
  reap("unprivileged child", pid);
  const char *what[] = {"mknod null c 1 3", "mknod loop b 7 0", "mknod reg (exists) c 1 3", "mknod whiteout c 0 0",
                        "open whiteout", "mknod fifo2 p"};
  for (int i = 0; i < 6; i++) {
    int v = heard();
    errno = -v;
    show(what[i], v < 0 ? -1 : v);
  }
  close(report[0]);
  stat_of("whiteout");
  CALL(chmod(".", 0755));
  CALL(unlink("whiteout"));
  CALL(unlink("fifo2"));
  CALL(unlink("sock"));
  CALL(unlink("typeless"));
}

static void part_open_rules(void) {
  printf("-- non-blocking opens\n");
  char buf[64];
  int path_fd = open("fifo", O_PATH);   /* counts as neither end, never waits */
  show("open O_PATH", path_fd < 0 ? path_fd : 0);
  int r = open("fifo", O_RDONLY | O_NONBLOCK);
  show("open O_RDONLY|O_NONBLOCK, no writer", r);
  CALL(read(r, buf, sizeof buf)); /* no writer: EOF at once */
  struct pollfd pf = {r, POLLIN, 0};
  CALL(poll(&pf, 1, 0));          /* no writer has come and gone: not ready, no POLLHUP */
  printf("revents %#x\n", pf.revents);
  int w = open("fifo", O_WRONLY | O_NONBLOCK);
  show("open O_WRONLY|O_NONBLOCK with a reader", w);
  CALL(read(r, buf, sizeof buf)); /* a writer, no data: EAGAIN */
  CALL(write(w, "abc", 3));
  CALL(read(r, buf, sizeof buf));
  CALL(close(w));
  pf.revents = 0;
  CALL(poll(&pf, 1, 0));          /* the writer came and went */
  printf("revents %#x\n", pf.revents);
  CALL(read(r, buf, sizeof buf));
  CALL(close(r));
  CALL(open("fifo", O_WRONLY | O_NONBLOCK)); /* no reader (an O_PATH open is none): ENXIO */
  CALL(close(path_fd));

  printf("-- O_RDWR, and data dropped when both ends close\n");
  int rw = open("fifo", O_RDWR);
  show("open O_RDWR", rw);
  CALL(write(rw, "kept", 4));
  CALL(read(rw, buf, sizeof buf));
  CALL(write(rw, "lost", 4));
  CALL(close(rw));
  r = open("fifo", O_RDONLY | O_NONBLOCK);
  CALL(read(r, buf, sizeof buf));
  CALL(close(r));
}

static void part_blocking(void) {
  printf("-- a blocking read open waits for a writer (another process)\n");
  char buf[64];
  pid_t pid = child();
  if (pid == 0) {
    int w = open("fifo", O_WRONLY);
    if (w < 0) _exit(10);
    if (write(w, "hello through the fifo\n", 23) != 23) _exit(11);
    _exit(0);
  }
  int r = open("fifo", O_RDONLY);
  show("open O_RDONLY", r < 0 ? r : 0);
  ssize_t n = read(r, buf, sizeof buf);
  printf("read %zd: %.*s", n, (int)(n > 0 ? n : 0), buf);
  CALL(read(r, buf, sizeof buf)); /* EOF once the writer has exited */
  CALL(close(r));
  reap("writer", pid);

  printf("-- a blocking write open waits for a reader (another process)\n");
  if (pipe(report)) { perror("pipe"); exit(1); }
  pid = child();
  if (pid == 0) {
    close(report[0]);
    int rd = open("fifo", O_RDONLY);
    if (rd < 0) _exit(10);
    char b[64];
    ssize_t got = read(rd, b, sizeof b);
    say((int)got);
    say(got > 0 ? b[0] : 0);
    say((int)read(rd, b, sizeof b)); /* EOF after the parent's close */
    _exit(0);
  }
  close(report[1]);
  int w = open("fifo", O_WRONLY);
  show("open O_WRONLY", w < 0 ? w : 0);
  CALL(write(w, "Z12345", 6));
  CALL(close(w));
  reap("reader", pid);
  int got = heard(), first = heard(), eof = heard();
  printf("reader read %d bytes starting with %c, then %d\n", got, first, eof);
  close(report[0]);

  printf("-- a blocking open interrupted by a signal\n");
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_alarm; /* no SA_RESTART: the open fails with EINTR */
  sigaction(SIGALRM, &sa, NULL);
  struct itimerval it = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  CALL(open("fifo", O_RDONLY));
  CALL(open("fifo", O_WRONLY | O_NONBLOCK)); /* the interrupted reader is gone: still ENXIO */
}

static void part_io(void) {
  printf("-- poll, select, EOF, EPIPE\n");
  char buf[64];
  int r = open("fifo", O_RDONLY | O_NONBLOCK);
  int go[2];
  if (pipe(go)) { perror("pipe"); exit(1); }
  pid_t pid = child();
  if (pid == 0) {
    close(go[1]);
    int w = open("fifo", O_WRONLY);
    if (w < 0) _exit(10);
    fd_set ws;
    FD_ZERO(&ws);
    FD_SET(w, &ws);
    struct timeval tv = {0, 0};
    if (select(w + 1, NULL, &ws, NULL, &tv) != 1 || !FD_ISSET(w, &ws)) _exit(12);
    if (write(w, "x", 1) != 1) _exit(11);
    char c;
    if (read(go[0], &c, 1) != 1) _exit(13); /* keep the writer open until the parent says */
    _exit(0);
  }
  close(go[0]);
  struct pollfd pf = {r, POLLIN, 0};
  CALL(poll(&pf, 1, -1));                /* waits for the child's byte */
  printf("revents %#x\n", pf.revents);
  CALL(read(r, buf, 1));
  CALL(write(go[1], "g", 1));
  reap("poll writer", pid);
  pf.revents = 0;
  CALL(poll(&pf, 1, -1));                /* the last writer closed */
  printf("revents %#x\n", pf.revents);
  CALL(read(r, buf, sizeof buf));
  CALL(close(go[1]));

  signal(SIGPIPE, SIG_IGN);
  int w = open("fifo", O_WRONLY | O_NONBLOCK);
  show("open O_WRONLY|O_NONBLOCK", w < 0 ? w : 0);
  CALL(close(r));
  pf.fd = w;
  pf.events = POLLOUT;
  pf.revents = 0;
  CALL(poll(&pf, 1, 0));                 /* no reader: POLLERR */
  printf("revents %#x\n", pf.revents);
  CALL(write(w, "y", 1));
  CALL(close(w));
  stat_of("fifo");                       /* the node outlives its opens */
}

static void make_file(const char *name, size_t size) {
  static char buf[100000];
  memset(buf, 'x', sizeof buf);
  int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (fd < 0 || write(fd, buf, size) != (ssize_t)size) printf("%s: write failed\n", name);
  close(fd);
}

static void part_blocks(void) {
  printf("-- st_blocks\n");
  static const size_t sizes[] = {0, 1, 4095, 4096, 4097, 10000, 65536, 100000};
  char name[32];
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    snprintf(name, sizeof name, "file%zu", sizes[i]);
    make_file(name, sizes[i]);
    stat_of(name);
  }
  int fd = open("sparse", O_CREAT | O_WRONLY, 0644); /* one byte at 1 MiB: one block */
  pwrite(fd, "x", 1, 1 << 20);
  pwrite(fd, "x", 1, 100);                          /* and one in the first block */
  close(fd);
  stat_of("sparse");
  fd = open("truncated", O_CREAT | O_WRONLY, 0644);  /* grown by ftruncate: no blocks */
  CALL(ftruncate(fd, 1 << 20));
  close(fd);
  stat_of("truncated");
  make_file("shrunk", 10000);                       /* 3 blocks, cut to 5000 bytes: 2 */
  CALL(truncate("shrunk", 5000));
  stat_of("shrunk");
  fd = open("fallocated", O_CREAT | O_WRONLY, 0644);
  CALL(fallocate(fd, 0, 5000, 10000));              /* bytes 5000..14999: blocks 1..3 */
  close(fd);
  stat_of("fallocated");
  CALL(symlink("target1", "short-link"));           /* 7 bytes */
  CALL(symlink("a-target-of-59-bytes-is-still-stored-in-the-inode-itself-xy", "link59"));
  CALL(symlink("a-target-of-60-bytes-needs-a-block-of-its-own-on-ext4-xxxxxx", "link60"));
  stat_of("short-link");
  stat_of("link59");
  stat_of("link60");
  CALL(mkdir("dir", 0755));
  stat_of("dir");
  stat_of("fifo");
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    snprintf(name, sizeof name, "file%zu", sizes[i]);
    unlink(name);
  }
  unlink("sparse"); unlink("truncated"); unlink("shrunk"); unlink("fallocated");
  unlink("short-link"); unlink("link59"); unlink("link60"); rmdir("dir");
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "mknod-scratch";
  if (argc <= 1 && mkdir(dir, 0755)) { perror("mkdir"); return 1; }
  if (chdir(dir)) { perror("chdir"); return 1; }
  umask(022);
  part_mknod();
  part_open_rules();
  part_blocking();
  part_io();
  part_blocks();
  CALL(unlink("fifo"));
  CALL(unlink("reg"));
  if (chdir("..") == 0 && argc <= 1) CALL(rmdir(dir));
  return 0;
}
