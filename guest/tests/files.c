/* Files and directories in a scratch directory (argv[1], or a new
 * "files-scratch" under the working directory): open/write/read/lseek,
 * fstat/stat sizes and types, mkdir/rmdir, rename, unlink, opendir/readdir
 * (names printed sorted, since getdents order is the file system's), and
 * the errno of failing calls. Leaves the scratch directory as it found it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

static int fails;
#define CHECK(cond) do { if (!(cond)) { printf("FAIL line %d: %s (errno %d)\n", __LINE__, #cond, errno); fails++; } } while (0)

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void list(const char *path) {
  DIR *d = opendir(path);
  CHECK(d != NULL);
  if (!d) return;
  char *names[64]; int n = 0;
  struct dirent *e;
  while ((e = readdir(d)) && n < 64) {
    char kind = e->d_type == DT_DIR ? 'd' : e->d_type == DT_REG ? 'f' : e->d_type == DT_UNKNOWN ? '?' : 'o';
    char *s = malloc(strlen(e->d_name) + 3);
    sprintf(s, "%s%s", e->d_name, kind == 'd' ? "/" : "");
    names[n++] = s;
  }
  closedir(d);
  qsort(names, n, sizeof names[0], cmp);
  printf("%s:", path);
  for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
  printf("\n");
}

int main(int argc, char **argv) {
  const char *dir = argc > 1 ? argv[1] : "files-scratch";
  if (argc <= 1) CHECK(mkdir(dir, 0755) == 0);
  CHECK(chdir(dir) == 0);

  /* write, then read back in pieces with lseek */
  int fd = open("data.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  CHECK(fd >= 0);
  char buf[8192];
  for (int i = 0; i < (int)sizeof buf; i++) buf[i] = (char)(i * 7 + i / 256);
  CHECK(write(fd, buf, sizeof buf) == (ssize_t)sizeof buf);
  CHECK(write(fd, "tail", 4) == 4);
  CHECK(close(fd) == 0);

  struct stat st;
  CHECK(stat("data.bin", &st) == 0);
  printf("data.bin size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
  fd = open("data.bin", O_RDWR);
  CHECK(fd >= 0);
  char in[100];
  CHECK(lseek(fd, 4000, SEEK_SET) == 4000);
  CHECK(read(fd, in, 100) == 100);
  CHECK(memcmp(in, buf + 4000, 100) == 0);
  CHECK(lseek(fd, -4, SEEK_END) == 8192);
  ssize_t n = read(fd, in, 100);
  printf("read at end-4: %zd bytes \"%.*s\"\n", n, (int)(n > 0 ? n : 0), in);
  CHECK(read(fd, in, 100) == 0);
  CHECK(lseek(fd, 10, SEEK_CUR) == 8206);
  CHECK(write(fd, "X", 1) == 1); /* writing past the end leaves a hole of zeros */
  CHECK(fstat(fd, &st) == 0);
  printf("after hole size %lld\n", (long long)st.st_size);
  CHECK(pread(fd, in, 11, 8196) == 11);
  printf("hole bytes: %d %d %d last %c\n", in[0], in[5], in[9], in[10]);
  CHECK(close(fd) == 0);

  /* append mode and O_EXCL */
  fd = open("log.txt", O_CREAT | O_WRONLY | O_APPEND, 0600);
  CHECK(fd >= 0);
  dprintf(fd, "line one\n");
  close(fd);
  fd = open("log.txt", O_WRONLY | O_APPEND);
  dprintf(fd, "line two\n");
  close(fd);
  FILE *f = fopen("log.txt", "r");
  CHECK(f != NULL);
  char line[64]; int lines = 0;
  while (f && fgets(line, sizeof line, f)) { printf("log: %s", line); lines++; }
  if (f) fclose(f);
  errno = 0;
  CHECK(open("log.txt", O_CREAT | O_EXCL | O_WRONLY, 0600) == -1 && errno == EEXIST);

  /* directories */
  CHECK(mkdir("sub", 0755) == 0);
  CHECK(mkdir("sub/inner", 0755) == 0);
  errno = 0;
  CHECK(mkdir("sub", 0755) == -1 && errno == EEXIST);
  fd = open("sub/inner/leaf", O_CREAT | O_WRONLY, 0644);
  CHECK(fd >= 0);
  close(fd);
  CHECK(stat("sub", &st) == 0 && S_ISDIR(st.st_mode));
  list(".");
  list("sub");
  errno = 0;
  CHECK(rmdir("sub/inner") == -1 && errno == ENOTEMPTY);
  CHECK(rename("sub/inner/leaf", "moved") == 0);
  CHECK(rename("log.txt", "sub/log.txt") == 0);
  errno = 0;
  CHECK(stat("log.txt", &st) == -1 && errno == ENOENT);
  list(".");
  list("sub/inner");

  /* errors */
  errno = 0; CHECK(open("missing/file", O_RDONLY) == -1 && errno == ENOENT);
  errno = 0; CHECK(unlink("sub") == -1 && errno == EISDIR);
  errno = 0; CHECK(rmdir("moved") == -1 && errno == ENOTDIR);
  errno = 0; CHECK(read(99, in, 1) == -1 && errno == EBADF);
  errno = 0; CHECK(open("data.bin/x", O_RDONLY) == -1 && errno == ENOTDIR);

  /* cleanup */
  CHECK(unlink("moved") == 0);
  CHECK(unlink("sub/log.txt") == 0);
  CHECK(unlink("data.bin") == 0);
  CHECK(rmdir("sub/inner") == 0);
  CHECK(rmdir("sub") == 0);
  list(".");
  CHECK(chdir("..") == 0);
  if (argc <= 1) CHECK(rmdir(dir) == 0);
  printf("files %s (%d lines logged)\n", fails ? "FAILED" : "ok", lines);
  return fails ? 1 : 0;
}
