// Reads a file imported with --fs, cannot change it, and cannot see host files outside the import.
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/stat.h>

int main(int argc, char **argv) {
  char path[4096], buf[64] = {0};
  snprintf(path, sizeof path, "%s/data.txt", argv[1]);
  int fd = open(path, O_RDONLY);
  ssize_t n = read(fd, buf, sizeof buf - 1);
  printf("read %zd [%s]\n", n, buf);
  close(fd);
  fd = open(path, O_WRONLY);
  printf("open for write: %d %s\n", fd, strerror(errno));
  snprintf(path, sizeof path, "%s/new.txt", argv[1]);
  fd = open(path, O_CREAT | O_WRONLY, 0644);
  printf("create inside: %d %s\n", fd, strerror(errno));
  fd = open("/etc/passwd", O_RDONLY);
  printf("host /etc/passwd: %d %s\n", fd, strerror(errno));
  struct stat st;
  snprintf(path, sizeof path, "%s/sub/deep.txt", argv[1]);
  int r = stat(path, &st);
  printf("stat nested: %d size %ld mode %o mtime %ld.%09ld\n", r, (long)st.st_size, st.st_mode & 07777,
    (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  fd = open("/tmp/scratch", O_CREAT | O_RDWR, 0600);
  printf("tmp writable: %d\n", (int)write(fd, "ok", 2));
  return 0;
}
