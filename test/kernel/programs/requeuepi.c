/* FUTEX_WAIT_REQUEUE_PI and FUTEX_CMP_REQUEUE_PI (a condition variable's waiters moved onto a PI
 * mutex, as glibc's condvars once did), and a LOCK_PI waiter hit by a signal, called directly and
 * compared with a native run. Threads only record; main prints after joining them. A waiter is
 * known to sleep in WAIT_REQUEUE_PI when a plain CMP_REQUEUE of its word fails with EINVAL (Linux
 * refuses to move a requeue-PI waiter that way), so each printed result is what any interleaving
 * gives. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <linux/futex.h>
#include <sys/syscall.h>

static uint32_t C, L, L2;
static atomic_int handled, done;

static long fx(uint32_t *u, int op, uint32_t val, unsigned long val2, uint32_t *u2, uint32_t val3) {
  return syscall(SYS_futex, u, op, val, (void *)val2, u2, val3);
}
static long fxt(uint32_t *u, int op, uint32_t val, const struct timespec *t, uint32_t *u2) {
  return syscall(SYS_futex, u, op, val, t, u2, 0);
}
static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }
static uint32_t load(uint32_t *w) { return __atomic_load_n(w, __ATOMIC_SEQ_CST); }
static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }
static struct timespec in_ms(clockid_t clock, long ms) {
  struct timespec t;
  clock_gettime(clock, &t);
  t.tv_nsec += ms * 1000000;
  t.tv_sec += t.tv_nsec / 1000000000;
  t.tv_nsec %= 1000000000;
  return t;
}

/* Until a requeue-PI waiter sleeps on w (or `until` is set). */
static void asleep_rt(uint32_t *w, atomic_int *until) {
  while (!(until && atomic_load(until))) {
    if (fx(w, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, w, load(w)) < 0 && errno == EINVAL) return;
    sched_yield();
  }
}

struct waiter { pthread_t t; const struct timespec *deadline; int lock_first; long ret; int err; uint32_t word; pid_t tid; long unlock; };

static void *wait_rq(void *arg) {
  struct waiter *w = arg;
  w->tid = tid();
  if (w->lock_first) __atomic_store_n(&L, (uint32_t)w->tid, __ATOMIC_SEQ_CST);
  w->ret = fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, load(&C), w->deadline, &L);
  w->err = w->ret < 0 ? errno : 0;
  w->word = load(&L);
  if (w->ret == 0) w->unlock = fx(&L, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
  else if (w->lock_first) __atomic_store_n(&L, 0, __ATOMIC_SEQ_CST);
  atomic_store(&done, 1);
  return NULL;
}

static void start(struct waiter *w) {
  w->ret = w->err = 0; w->word = 0; w->unlock = -2;
  pthread_create(&w->t, NULL, wait_rq, w);
}
static const char *owned(struct waiter *w) {
  if ((w->word & FUTEX_TID_MASK) != (uint32_t)w->tid) return "not its owner";
  return w->word & FUTEX_WAITERS ? "owner, WAITERS set" : "owner, WAITERS clear";
}
static void report(const char *what, struct waiter *w) {
  printf("%s: waiter %s", what, w->ret == 0 ? "0" : strerrorname_np(w->err));
  if (w->ret == 0) printf(" (%s; its UNLOCK_PI %ld)", owned(w), w->unlock);
  printf("\n");
}

/* The word is printed where no waiter can take the lock meanwhile. */
static void unlock_main(int word) {
  long r = fx(&L, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
  if (word) printf("main's UNLOCK_PI: %ld, lock word %u\n", r, load(&L));
  else printf("main's UNLOCK_PI: %ld\n", r);
}

static void on_usr1(int sig) {
  (void)sig;
  atomic_fetch_add(&handled, 1);
  if (atomic_load(&handled) == 1) __atomic_add_fetch(&C, 1, __ATOMIC_SEQ_CST);  /* the restarted wait finds C changed */
}

static void *plain_wait(void *arg) {
  (void)arg;
  uint32_t v = load(&C);
  while (fx(&C, FUTEX_WAIT_PRIVATE, v, 0, NULL, 0) != 0 && load(&C) == v) {}
  return NULL;
}

static void *lock_pi(void *arg) {
  struct waiter *w = arg;
  w->tid = tid();
  w->ret = fx(&L, FUTEX_LOCK_PI_PRIVATE, 0, 0, NULL, 0);
  w->err = w->ret < 0 ? errno : 0;
  w->word = load(&L);
  if (w->ret == 0) w->unlock = fx(&L, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0);
  return NULL;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  pid_t me = tid();

  /* Errors, alone. */
  struct timespec soon = in_ms(CLOCK_MONOTONIC, 1), past = {1, 0};
  printf("wait: uaddr == uaddr2: %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, &C)));
  printf("wait: value changed: %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 1, NULL, &L)));
  printf("wait: unaligned uaddr2: %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, NULL, (uint32_t *)((char *)&L + 1))));
  printf("wait: 1 ms on CLOCK_MONOTONIC (absolute): %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, &soon, &L)));
  struct timespec rsoon = in_ms(CLOCK_REALTIME, 1);
  printf("wait: 1 ms on CLOCK_REALTIME: %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 0, &rsoon, &L)));
  printf("wait: a deadline long past: %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, &past, &L)));
  struct timespec bad = {0, 1000000000};
  printf("wait: tv_nsec 1e9: %s\n", err(fxt(&C, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, &bad, &L)));
  printf("requeue: nr_wake 0: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 0, 1, &L, 0)));
  printf("requeue: nr_wake 2, value changed too: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 2, 1, &L, 5)));
  printf("requeue: nr_requeue -1: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, (unsigned long)-1, &L, 0)));
  printf("requeue: uaddr == uaddr2: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &C, 0)));
  printf("requeue: value changed: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, 5)));
  printf("requeue: nobody waiting: %ld\n", fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, 0));
  printf("requeue: with FUTEX_CLOCK_REALTIME: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 1, &L, 0)));
  uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  uint32_t *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(gone, 4096);
  printf("requeue: uaddr2 read-only, nobody waiting: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, ro, 0)));
  printf("requeue: uaddr2 unmapped: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, gone, 0)));
  printf("requeue: uaddr unmapped: %s\n", err(fx(gone, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, 0)));

  struct waiter w[3] = {0};
  /* The lock is free: the waiter takes it in the requeue and wakes owning it; with nr_requeue 0
   * FUTEX_WAITERS stays clear, with 1 it is set (more waiters might follow). */
  for (int n = 0; n < 2; n++) {
    start(&w[0]);
    asleep_rt(&C, NULL);
    if (n == 0) {
      long e1 = fx(&C, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
      const char *s1 = err(e1);
      long e2 = fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L2, load(&C));
      const char *s2 = err(e2);
      printf("a plain FUTEX_WAKE of a requeue-PI waiter: %s; CMP_REQUEUE_PI to another lock: %s\n", s1, s2);
    }
    long r = fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, n, &L, load(&C));
    pthread_join(w[0].t, NULL);
    printf("free lock, nr_requeue %d: requeue %ld; ", n, r);
    report("", &w[0]);
  }
  printf("lock word after: %u\n", load(&L));

  /* Main holds the lock: the first waiter is requeued as the one more than nr_requeue 0; two more
   * follow with nr_requeue INT_MAX. Each waiter gets the lock in turn from UNLOCK_PI. */
  __atomic_store_n(&L, (uint32_t)me, __ATOMIC_SEQ_CST);
  start(&w[0]);
  asleep_rt(&C, NULL);
  printf("held lock, nr_requeue 0: requeue %ld\n", fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 0, &L, load(&C)));
  printf("lock word: owner main %s, WAITERS %s\n", (load(&L) & FUTEX_TID_MASK) == (uint32_t)me ? "yes" : "no", load(&L) & FUTEX_WAITERS ? "set" : "clear");
  start(&w[1]);
  start(&w[2]);
  long moved = 0;
  while (moved < 2) { long r = fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, INT_MAX, &L, load(&C)); if (r > 0) moved += r; else sched_yield(); }
  printf("two more requeued: %ld\n", moved);
  unlock_main(0);
  for (int i = 0; i < 3; i++) pthread_join(w[i].t, NULL);
  report("held lock, first waiter", &w[0]);
  int all = 1;
  for (int i = 1; i < 3; i++) all &= w[i].ret == 0 && (w[i].word & FUTEX_TID_MASK) == (uint32_t)w[i].tid && w[i].unlock == 0;
  printf("the other two owned it in turn: %s\n", all ? "yes" : "no");
  printf("lock word after: %u\n", load(&L));

  /* One waiter requeued onto a held lock: main's UNLOCK_PI hands it over, FUTEX_WAITERS set (Linux
   * keeps it while the lock's PI state lives, so the owner's unlock comes to the kernel). */
  __atomic_store_n(&L, (uint32_t)me, __ATOMIC_SEQ_CST);
  start(&w[0]);
  asleep_rt(&C, NULL);
  printf("held lock, one waiter: requeue %ld\n", fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, load(&C)));
  unlock_main(0);
  pthread_join(w[0].t, NULL);
  report("handed over", &w[0]);

  /* The waiter holds the lock it would be requeued to: EDEADLK, and it stays on C; a signal
   * (its handler changes C) restarts its wait (ERESTARTNOINTR), which then fails with EAGAIN. */
  w[0].lock_first = 1;
  atomic_store(&handled, 0);
  start(&w[0]);
  asleep_rt(&C, NULL);
  printf("requeue onto the waiter's own lock: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, load(&C))));
  asleep_rt(&C, NULL);
  syscall(SYS_tgkill, getpid(), w[0].tid, SIGUSR1);
  pthread_join(w[0].t, NULL);
  w[0].lock_first = 0;
  printf("signalled before the requeue: handler ran %d, ", atomic_load(&handled));
  report("restarted", &w[0]);

  /* Requeued onto a held lock, then a signal: the wait ends with EAGAIN (EWOULDBLOCK). */
  atomic_store(&handled, 2);
  __atomic_store_n(&L, (uint32_t)me, __ATOMIC_SEQ_CST);
  start(&w[0]);
  asleep_rt(&C, NULL);
  printf("held lock: requeue %ld\n", fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, load(&C)));
  syscall(SYS_tgkill, getpid(), w[0].tid, SIGUSR1);
  pthread_join(w[0].t, NULL);
  printf("signalled after the requeue: handler ran %d, ", atomic_load(&handled) - 2);
  report("", &w[0]);
  unlock_main(1);

  /* Requeued onto a held lock with a deadline: ETIMEDOUT (or before the requeue: the same). */
  __atomic_store_n(&L, (uint32_t)me, __ATOMIC_SEQ_CST);
  struct timespec later = in_ms(CLOCK_MONOTONIC, 200);
  w[0].deadline = &later;
  atomic_store(&done, 0);
  start(&w[0]);
  asleep_rt(&C, &done);
  fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, load(&C));
  pthread_join(w[0].t, NULL);
  w[0].deadline = NULL;
  report("deadline while requeued", &w[0]);
  unlock_main(1);

  /* A plain FUTEX_WAIT waiter is not CMP_REQUEUE_PI's to move. */
  pthread_t plain;
  pthread_create(&plain, NULL, plain_wait, NULL);
  while (fx(&C, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &C, load(&C)) != 1) sched_yield();
  printf("CMP_REQUEUE_PI of a FUTEX_WAIT waiter: %s\n", err(fx(&C, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 1, &L, load(&C))));
  __atomic_add_fetch(&C, 1, __ATOMIC_SEQ_CST);
  printf("FUTEX_WAKE of it: %ld\n", fx(&C, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
  pthread_join(plain, NULL);

  /* A LOCK_PI waiter hit by a signal (no SA_RESTART) is restarted, not EINTR: it gets the lock. */
  __atomic_store_n(&L, (uint32_t)me, __ATOMIC_SEQ_CST);
  atomic_store(&handled, 2);
  pthread_create(&w[0].t, NULL, lock_pi, &w[0]);
  while (!(load(&L) & FUTEX_WAITERS)) sched_yield();
  syscall(SYS_tgkill, getpid(), w[0].tid, SIGUSR1);
  while (atomic_load(&handled) == 2) sched_yield();
  unlock_main(0);
  pthread_join(w[0].t, NULL);
  /* (whether it was queued again before the unlock, and so whether WAITERS is set, is a race) */
  printf("LOCK_PI signalled while waiting: handler ran %d, waiter %s, owner %s, its UNLOCK_PI %ld\n", atomic_load(&handled) - 2,
         w[0].ret == 0 ? "0" : strerrorname_np(w[0].err), (w[0].word & FUTEX_TID_MASK) == (uint32_t)w[0].tid ? "yes" : "no", w[0].unlock);
  printf("lock word after: %u\n", load(&L));
  return 0;
}
