// File mappings as a dynamic loader and programs use them, on a file imported from the host
// (argv[1], 5 pages, page i filled with 'A'+i) and on a file the program writes itself:
// offsets, private writes that never reach the file, shared read-only mappings, mprotect and
// munmap of parts, mremap growing and moving, fork, and what an untouched page of a private
// mapping shows after the file changed (the file's new bytes, as on Linux).
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PG 4096

static void pages(const char *what, const char *m, int n) {
  printf("%s:", what);
  for (int i = 0; i < n; i++) printf(" %c%c", m[i * PG], m[i * PG + PG - 1]);
  printf("\n");
}

int main(int argc, char **argv) {
  int fd = open(argv[1], O_RDONLY);
  char *m = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, fd, PG);
  pages("private at offset 1 page", m, 3);
  char *w = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  w[10] = 'z';
  char b[16] = {0};
  pread(fd, b, 11, 0);
  printf("private write: mapping %c, file %c\n", w[10], b[10]);
  char *s = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 4 * PG);
  printf("shared read-only: %c\n", s[100]);
  void *bad = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  printf("shared writable on a read-only fd: %s\n", bad == MAP_FAILED ? strerror(errno) : "mapped");
  // A loader's pattern: reserve the span read-only, then map parts over it with MAP_FIXED.
  char *span = mmap(NULL, 5 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
  mmap(span + 2 * PG, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd, 3 * PG);
  pages("span with pages 3-4 mapped at 2", span, 5);
  mprotect(span + PG, PG, PROT_NONE);
  mprotect(span + PG, PG, PROT_READ);
  pages("after PROT_NONE and back", span, 5);
  munmap(span + PG, PG);
  printf("after munmap of page 1: %c %c\n", span[0], span[2 * PG]);
  char *g = mremap(m, 3 * PG, 4 * PG, MREMAP_MAYMOVE);
  pages("grown by mremap", g, 4);
  char *blocker = mmap(g + 4 * PG, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  (void)blocker;
  char *mv = mremap(g, 4 * PG, 4 * PG + PG / 2, MREMAP_MAYMOVE);
  printf("moved: %s\n", mv != g ? "yes" : "no");
  pages("moved by mremap", mv, 4);
  printf("last page past the end of file: %d\n", mv[4 * PG + 1]);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) { printf("child sees: %c %c\n", w[10], span[3 * PG]); fflush(stdout); _exit(0); }
  waitpid(c, NULL, 0);

  int f = open("own.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
  char page[PG];
  for (int i = 0; i < 3; i++) { memset(page, 'a' + i, PG); write(f, page, PG); }
  char *o = mmap(NULL, 3 * PG, PROT_READ, MAP_PRIVATE, f, 0);
  memset(page, 'X', PG);
  pwrite(f, page, PG, 2 * PG);
  printf("untouched private page after the file changed: %c\n", o[2 * PG]);
  close(f);
  unlink("own.bin");
  return 0;
}
