/* hog MIB DUTY: a child that eats memory and CPU (the "hog" anomaly,
 * src/flight/ground-truth/causes.ts) until it is killed: MIB MiB mapped and every page
 * written, then bursts of work over that memory (150,000 steps: a few ms of instructions),
 * each followed by a sleep of 1 ms x (1000 - DUTY) / DUTY: the larger DUTY (1..1000), the
 * more of the CPU it takes. Exit status 1 on bad usage. */
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define BURST_STEPS 150000
#define BURST_NS 1000000L    /* the sleep's unit */

static volatile uint64_t sink;

int main(int argc, char **argv) {
  if (argc != 3) return 1;
  long mib = atol(argv[1]), duty = atol(argv[2]);
  if (mib < 0 || mib > 64 || duty < 1 || duty > 1000) return 1;
  size_t n = (size_t)mib << 20;
  uint8_t *m = NULL;
  if (n) {
    m = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return 1;
    for (size_t i = 0; i < n; i += 4096) m[i] = (uint8_t)i;
  }
  struct timespec rest = {0, BURST_NS * (1000 - duty) / duty};
  uint64_t acc = 1;
  size_t at = 0;
  for (;;) {
    for (long i = 0; i < BURST_STEPS; i++) {
      acc = acc * 6364136223846793005ULL + 1442695040888963407ULL;
      if (n) { acc ^= m[at]; m[at] = (uint8_t)acc; at = (at + 4160) % n; }
    }
    sink = acc;
    if (rest.tv_nsec > 0) nanosleep(&rest, NULL);
  }
}
