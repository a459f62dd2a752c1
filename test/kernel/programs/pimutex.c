/* Priority-inheritance mutexes (PTHREAD_PRIO_INHERIT: glibc locks them with FUTEX_LOCK_PI and
 * unlocks contended ones with FUTEX_UNLOCK_PI): four threads count under one, yielding while
 * they hold it so the others queue in the kernel; trylock and timedlock of a held one; a robust
 * PI mutex whose owner ends holding it. Only results are printed. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <sched.h>
#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t m, r;
static long counter;
static atomic_int held, release_it;

static void *count(void *arg) {
  (void)arg;
  for (int i = 0; i < 500; i++) {
    pthread_mutex_lock(&m);
    long c = counter;
    if (i % 50 == 0) sched_yield();  /* others find it held and wait in the kernel */
    counter = c + 1;
    pthread_mutex_unlock(&m);
  }
  return NULL;
}

static void *hold(void *arg) {
  pthread_mutex_t *x = arg;
  pthread_mutex_lock(x);
  atomic_store(&held, 1);
  while (!atomic_load(&release_it)) sched_yield();
  if (x == &m) pthread_mutex_unlock(x);
  return NULL;  /* the robust one stays locked: its owner ends */
}

static const char *name(int e) { return e ? strerrorname_np(e) : "0"; }

int main(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setprotocol(&a, PTHREAD_PRIO_INHERIT);
  pthread_mutex_init(&m, &a);
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, count, NULL);
  for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);
  printf("counter %ld (expected 2000)\n", counter);

  pthread_t h;
  pthread_create(&h, NULL, hold, &m);
  while (!atomic_load(&held)) sched_yield();
  printf("trylock of a held PI mutex: %s\n", name(pthread_mutex_trylock(&m)));
  struct timespec dl;
  clock_gettime(CLOCK_REALTIME, &dl);
  dl.tv_nsec += 2000000;
  if (dl.tv_nsec >= 1000000000) { dl.tv_sec++; dl.tv_nsec -= 1000000000; }
  printf("timedlock of a held PI mutex: %s\n", name(pthread_mutex_timedlock(&m, &dl)));
  atomic_store(&release_it, 1);
  printf("lock once its holder lets go: %s\n", name(pthread_mutex_lock(&m)));
  pthread_mutex_unlock(&m);
  pthread_join(h, NULL);

  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&r, &a);
  atomic_store(&held, 0);
  atomic_store(&release_it, 1);
  pthread_create(&h, NULL, hold, &r);
  pthread_join(h, NULL);
  int e = pthread_mutex_lock(&r);
  printf("robust PI mutex after its owner ended: %s", name(e));
  int c = pthread_mutex_consistent(&r);
  int u = pthread_mutex_unlock(&r);
  printf(", consistent %s, unlock %s\n", name(c), name(u));
  return 0;
}
