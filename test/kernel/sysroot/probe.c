// Run inside a small sysroot (sysroot.test.ts builds it): what the guest can see of the host
// folder shown as /, what it cannot reach outside it, and that nothing there can be changed.
// argv[1]: a host path outside the sysroot that exists on the host.
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/xattr.h>

static void show_open(const char *what, const char *path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) { printf("%s: %s\n", what, strerror(errno)); return; }
  ssize_t n = read(fd, buf, sizeof buf - 1);
  if (n > 0 && buf[n - 1] == '\n') buf[n - 1] = 0;
  printf("%s: [%s]\n", what, buf);
  close(fd);
}

static void show(const char *what, int r) { printf("%s: %s\n", what, r < 0 ? strerror(errno) : "ok"); }

int main(int argc, char **argv) {
  show_open("inside", "/data/inside.txt");
  show_open("host path outside", argv[1]);
  show_open("dot-dot above the root", "/../../../data/inside.txt");
  show_open("relative symlink climbing out", "/data/climb");
  show_open("absolute symlink to the host path", "/data/abs");
  show_open("symlinked folder up and out", "/data/up/inside.txt");
  show_open("the sysroot's own /tmp file", "/tmp/hidden.txt");
  char cwd[256];
  chdir("/data"); chdir(".."); chdir(".."); chdir("..");
  printf("cwd after climbing: %s\n", getcwd(cwd, sizeof cwd));
  DIR *d = opendir("/data");
  struct dirent *e;
  printf("/data:");
  while ((e = readdir(d))) printf(" %s", e->d_name);
  printf("\n");
  closedir(d);

  show("open for write", open("/data/inside.txt", O_WRONLY));
  show("create", open("/data/new.txt", O_CREAT | O_WRONLY, 0644));
  show("mkdir", mkdir("/data/dir", 0755));
  show("unlink", unlink("/data/inside.txt"));
  show("rename", rename("/data/inside.txt", "/data/moved.txt"));
  show("symlink", symlink("x", "/data/link"));
  show("link", link("/data/inside.txt", "/data/hard"));
  show("chmod", chmod("/data/inside.txt", 0600));
  show("chown", chown("/data/inside.txt", 1, 1));
  show("truncate", truncate("/data/inside.txt", 0));
  show("utimes", utimensat(AT_FDCWD, "/data/inside.txt", NULL, 0));
  show("access W_OK", access("/data/inside.txt", W_OK));
  show("setxattr", setxattr("/data/inside.txt", "user.x", "1", 1, 0));
  show("rmdir", rmdir("/data/sub"));
  struct statfs sf;
  statfs("/data", &sf);
  printf("statfs read-only: %d\n", (int)(sf.f_flags & ST_RDONLY) != 0);

  int fd = open("/tmp/scratch", O_CREAT | O_RDWR, 0600);
  printf("/tmp writable: %d\n", (int)write(fd, "ok", 2));
  struct stat st;
  stat("/data/inside.txt", &st);
  printf("stat: size %ld mode %o nlink %ld uid %d gid %d mtime %ld.%09ld ino %lu\n", (long)st.st_size, st.st_mode,
    (long)st.st_nlink, st.st_uid, st.st_gid, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec, (unsigned long)st.st_ino);
  stat("/data/sub", &st);
  printf("stat dir: mode %o nlink %ld\n", st.st_mode, (long)st.st_nlink);
  return 0;
}
