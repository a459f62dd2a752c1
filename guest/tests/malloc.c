/* The allocator under load: many sizes (small bins, large bins, the mmap
 * threshold), realloc growth and shrinkage with content checks, frees in a
 * scrambled order, calloc zeroing, memalign, and one large mmap-backed
 * block written end to end. Prints content checksums, never addresses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <malloc.h>
#include <unistd.h>

static uint32_t seed = 77;
static uint32_t rnd(void) { seed ^= seed << 13; seed ^= seed >> 17; seed ^= seed << 5; return seed; }
static int fails;
/* Every 61st byte and the last one carry a pattern: enough to catch lost or
 * overlapping blocks without touching every byte (it keeps the run short). */
static void stamp(unsigned char *p, size_t n, unsigned tag) {
  for (size_t i = 0; i < n; i += 61) p[i] = (unsigned char)(tag + i * 31);
  if (n) p[n - 1] = (unsigned char)(tag ^ 0x5a);
}
static int stamped(const unsigned char *p, size_t n, unsigned tag) {
  for (size_t i = 0; i + 1 < n; i += 61) if (p[i] != (unsigned char)(tag + i * 31)) return 0;
  return !n || p[n - 1] == (unsigned char)(tag ^ 0x5a);
}
/* After a shrinking realloc only the pattern bytes below the new size remain
 * (the old last byte, where pattern and marker overlap, is skipped). */
static int prefix_kept(const unsigned char *p, size_t keep, size_t old, unsigned tag) {
  if (keep == old) return stamped(p, old, tag);
  for (size_t i = 0; i < keep; i += 61) if (i != old - 1 && p[i] != (unsigned char)(tag + i * 31)) return 0;
  return 1;
}

/* When the kernel maps a vDSO (AT_SYSINFO_EHDR), glibc's static start-up
 * builds a link map for it before main (_dl_non_dynamic_init -> setup_vdso
 * -> _dl_new_object: a calloc of about 1.2 KiB). Linux maps one; skytrace
 * does not, so natively the heap holds 1280 bytes more when main starts.
 * That shifts every later heap offset, and so the points where
 * brk must grow. Pad the heap so this program's blocks start at the same
 * offset from the heap's base in both worlds. The heap's base is
 * the current break minus what the arena got from sbrk; at this point the
 * arena has no free chunks except its top, so blocks come from the top in
 * order. A chunk for a request of n bytes (n >= 24) is (n + 8 + 15) & ~15. */
static void pin_heap_offset(size_t target) {
  char *base = (char *)sbrk(0) - mallinfo2().arena;
  char *probe = malloc(24);                     /* a 32-byte chunk */
  size_t next = (size_t)(probe - 16 + 32 - base); /* offset of the next chunk */
  if (next + 64 > target) { printf("start-up heap larger than expected: %zu\n", next); return; }
  if (!malloc(target - next - 8)) printf("pad failed\n"); /* a chunk of exactly target - next bytes */
  char *check = malloc(24);
  if ((size_t)(check - 16 - base) != target) printf("heap offset not pinned\n");
  free(check);
}

#define SLOTS 512
int main(void) {
  pin_heap_offset(16384);
  static unsigned char *slot[SLOTS]; static size_t size[SLOTS];
  uint64_t total = 0;
  for (int round = 0; round < 4000; round++) {
    int i = (int)(rnd() % SLOTS);
    if (slot[i]) {
      if (!stamped(slot[i], size[i], (unsigned)i)) { printf("corrupt slot %d\n", i); fails++; }
      if (rnd() % 3 == 0) { /* realloc to a new size, keeping the common prefix */
        size_t ns = rnd() % 3 == 0 ? (size_t)(rnd() % 200000) : (size_t)(rnd() % 2000);
        unsigned char *q = realloc(slot[i], ns ? ns : 1);
        if (!q) { fails++; continue; }
        size_t keep = ns < size[i] ? ns : size[i];
        if (!prefix_kept(q, keep, size[i], (unsigned)i)) { printf("realloc lost data in slot %d\n", i); fails++; }
        slot[i] = q; size[i] = ns; stamp(q, ns, (unsigned)i);
      } else { free(slot[i]); slot[i] = NULL; }
    } else {
      uint32_t k = rnd() % 100;
      size_t n = k < 60 ? rnd() % 128 : k < 90 ? rnd() % 4096 : k < 98 ? rnd() % 65536 : 131072 + rnd() % 300000;
      slot[i] = (k & 1) ? calloc(1, n) : malloc(n);
      if (!slot[i]) { fails++; continue; }
      if (k & 1) for (size_t j = 0; j < n; j += 7) if (slot[i][j]) { printf("calloc not zero\n"); fails++; break; }
      size[i] = n; stamp(slot[i], n, (unsigned)i); total += n;
    }
  }
  for (int i = 0; i < SLOTS; i++) { if (slot[i] && !stamped(slot[i], size[i], (unsigned)i)) fails++; free(slot[i]); }
  printf("allocated %llu bytes in total\n", (unsigned long long)total);

  /* Alignment requests. */
  for (size_t al = 16; al <= 65536; al *= 4) {
    void *p = memalign(al, 1000); void *q = NULL;
    if (!p || ((uintptr_t)p & (al - 1))) fails++;
    if (posix_memalign(&q, al, 3000) || ((uintptr_t)q & (al - 1))) fails++;
    printf("memalign %zu aligned: %s\n", al, p && q && !((uintptr_t)p & (al - 1)) && !((uintptr_t)q & (al - 1)) ? "yes" : "no");
    free(p); free(q);
  }

  /* One large block, well above the mmap threshold. */
  size_t big = 24u << 20;
  unsigned char *b = malloc(big);
  if (!b) { printf("large malloc failed\n"); return 1; }
  for (size_t i = 0; i < big; i += 4096) b[i] = (unsigned char)(i >> 12);
  uint64_t s = 0;
  for (size_t i = 0; i < big; i += 4096) s += b[i];
  b = realloc(b, big * 2); /* mremap path */
  if (!b) { printf("large realloc failed\n"); return 1; }
  for (size_t i = 0; i < big; i += 4096) if (b[i] != (unsigned char)(i >> 12)) { fails++; break; }
  memset(b + big, 0x5a, big);
  printf("large block sum %llu last %#x\n", (unsigned long long)s, b[2 * big - 1]);
  free(b);
  printf("malloc %s\n", fails ? "FAILED" : "ok");
  return fails ? 1 : 0;
}
