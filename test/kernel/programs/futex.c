/* futex operations glibc's own paths do not all reach, called directly between threads and
 * compared with a native run. Each printed count is what any interleaving gives: the main
 * thread repeats a requeue or a wake until every waiter has been counted, so a waiter that
 * had not gone to sleep yet is taken by a later call. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <stdatomic.h>
#include <linux/futex.h>
#include <sys/syscall.h>

static uint32_t A, B, C;
static atomic_int arrived, woke;

static long fx(uint32_t *u, int op, uint32_t val, const void *t, uint32_t *u2, uint32_t val3) {
  return syscall(SYS_futex, u, op, val, t, u2, val3);
}
static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }

static void *on_a(void *arg) {
  (void)arg;
  atomic_fetch_add(&arrived, 1);
  while (__atomic_load_n(&A, __ATOMIC_SEQ_CST) == 0) fx(&A, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
  atomic_fetch_add(&woke, 1);
  return NULL;
}

static void *on_c(void *arg) {
  (void)arg;
  while (__atomic_load_n(&C, __ATOMIC_SEQ_CST) == 0) fx(&C, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 2);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* Errors and a timeout, alone. */
  struct timespec t = {0, 1000000};
  printf("wait on a changed value: %s\n", err(fx(&A, FUTEX_WAIT_PRIVATE, 1, NULL, NULL, 0)));
  printf("wait with a 1 ms timeout: %s\n", err(fx(&A, FUTEX_WAIT_PRIVATE, 0, &t, NULL, 0)));
  printf("unaligned: %s\n", err(fx((uint32_t *)((char *)&A + 1), FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0)));
  printf("wake with nobody waiting: %ld\n", fx(&A, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  printf("cmp_requeue with a changed value: %s\n", err(fx(&A, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)1L, &B, 5)));
  printf("wait_bitset with bitset 0: %s\n", err(fx(&A, FUTEX_WAIT_BITSET_PRIVATE, 0, NULL, NULL, 0)));
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  now.tv_nsec += 1000000;
  if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
  printf("wait_bitset to an absolute monotonic deadline: %s\n", err(fx(&A, FUTEX_WAIT_BITSET_PRIVATE, 0, &now, NULL, ~0u)));

  /* Three waiters on A: requeued to B, then woken from B one and then two. */
  pthread_t th[3];
  for (int i = 0; i < 3; i++) pthread_create(&th[i], NULL, on_a, NULL);
  while (atomic_load(&arrived) < 3) sched_yield();
  long moved = 0;
  int calls = 0;
  while (moved < 3) { moved += fx(&A, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &B, 0); calls++; }
  printf("cmp_requeue moved all three to B: %s\n", moved == 3 ? "yes" : "no");
  printf("wake on A now finds nobody: %ld\n", fx(&A, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
  __atomic_store_n(&A, 1, __ATOMIC_SEQ_CST);
  printf("wake 1 on B: %ld\n", fx(&B, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  printf("plain requeue of B's rest to C, waking none: %ld\n", fx(&B, FUTEX_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &C, 0));
  printf("wake all on C: %ld\n", fx(&C, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0));
  for (int i = 0; i < 3; i++) pthread_join(th[i], NULL);
  printf("all three returned: %d\n", atomic_load(&woke));

  /* A waiter with bitset 2: a wake with bitset 1 never reaches it, one with bitset 2 does. */
  pthread_t c;
  pthread_create(&c, NULL, on_c, NULL);
  long other = 0, got = 0;
  while (!got) {
    other += fx(&C, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 1);
    got = fx(&C, FUTEX_WAKE_BITSET_PRIVATE, INT_MAX, NULL, NULL, 2);
    if (!got) sched_yield();
  }
  printf("wake_bitset 1 woke %ld, wake_bitset 2 woke %ld\n", other, got);
  __atomic_store_n(&C, 1, __ATOMIC_SEQ_CST);
  fx(&C, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
  pthread_join(c, NULL);
  (void)calls;
  return 0;
}
