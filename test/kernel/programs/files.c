// Files and directories: create, write, read back, stat, list, rename, unlink, rmdir, errors.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>

static void check(const char *what, int r) { printf("%s -> %d%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : ""); }

int main(void) {
  char cwd[256];
  check("mkdir d", mkdir("d", 0755));
  check("mkdir d again", mkdir("d", 0755));
  int fd = open("d/a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
  check("open a.txt", fd >= 0 ? 0 : -1);
  check("write", (int)write(fd, "hello world\n", 12));
  check("close", close(fd));
  struct stat st;
  check("stat", stat("d/a.txt", &st));
  printf("size %ld reg %d dir %d mode %o\n", (long)st.st_size, S_ISREG(st.st_mode), S_ISDIR(st.st_mode), st.st_mode & 0777);
  FILE *f = fopen("d/a.txt", "a+");
  fprintf(f, "line %d\n", 2);
  fseek(f, 0, SEEK_SET);
  char buf[64];
  while (fgets(buf, sizeof buf, f)) printf("read: %s", buf);
  fclose(f);
  check("open missing", open("nope/x", O_RDONLY));
  check("rmdir nonempty", rmdir("d"));
  check("rename", rename("d/a.txt", "d/b.txt"));
  check("mkdir d/sub", mkdir("d/sub", 0700));
  DIR *dir = opendir("d");
  struct dirent *e;
  int n = 0;
  while ((e = readdir(dir))) if (e->d_name[0] != '.') { printf("entry %s type %d\n", e->d_name, e->d_type); n++; }
  closedir(dir);
  printf("entries %d\n", n);
  check("chdir d", chdir("d"));
  printf("cwd ends with /d: %d\n", getcwd(cwd, sizeof cwd) && strcmp(cwd + strlen(cwd) - 2, "/d") == 0);
  check("unlink b.txt", unlink("b.txt"));
  check("unlink again", unlink("b.txt"));
  check("rmdir sub", rmdir("sub"));
  check("chdir ..", chdir(".."));
  check("rmdir d", rmdir("d"));
  check("access /dev/null", access("/dev/null", R_OK | W_OK));
  fd = open("/dev/null", O_WRONLY);
  check("write null", (int)write(fd, "x", 1));
  close(fd);
  fd = open("/dev/zero", O_RDONLY);
  memset(buf, 7, 8);
  check("read zero", (int)read(fd, buf, 8));
  printf("zero bytes sum %d\n", buf[0] + buf[7]);
  close(fd);
  check("lseek pipe", (int)lseek(0 * 0 + 100, 0, SEEK_SET));
  return 0;
}
