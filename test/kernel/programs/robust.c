/* Robust mutexes: a thread that ends holding one leaves it to the next locker with EOWNERDEAD
 * (the kernel walks the dead thread's robust list), whether that locker was already waiting or
 * comes later; pthread_mutex_consistent makes it usable again. A non-robust mutex's trylock
 * stays EBUSY after its owner has gone. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>

static pthread_mutex_t robust, plain = PTHREAD_MUTEX_INITIALIZER;
static atomic_int locked;

static void *holder(void *arg) {
  (void)arg;
  pthread_mutex_lock(&robust);
  pthread_mutex_lock(&plain);
  atomic_store(&locked, 1);
  return NULL;  /* ends holding both */
}

static const char *name(int r) { return r ? strerrorname_np(r) : "0"; }

int main(void) {
  pthread_mutexattr_t a;
  pthread_mutexattr_init(&a);
  pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&robust, &a);
  for (int round = 0; round < 2; round++) {
    atomic_store(&locked, 0);
    pthread_t t;
    pthread_create(&t, NULL, holder, NULL);
    if (round == 0) {
      while (!atomic_load(&locked)) sched_yield();
      int r = pthread_mutex_lock(&robust);  /* waits for the holder's end, or finds it over */
      printf("round 0: lock while the owner ends: %s\n", name(r));
      pthread_join(t, NULL);
    } else {
      pthread_join(t, NULL);
      int r = pthread_mutex_lock(&robust);
      printf("round 1: lock after the owner ended: %s\n", name(r));
    }
    int c = pthread_mutex_consistent(&robust);
    int u = pthread_mutex_unlock(&robust);
    printf("  consistent: %s, unlock: %s\n", name(c), name(u));
    printf("  lock again: %s\n", name(pthread_mutex_lock(&robust)));
    pthread_mutex_unlock(&robust);
    printf("  the plain mutex's trylock: %s\n", name(pthread_mutex_trylock(&plain)));
    if (round == 0) pthread_mutex_init(&plain, NULL);
  }
  return 0;
}
