/* FUTEX_WAKE_OP called directly and compared with a native run: every op (SET, ADD, OR, ANDN,
 * XOR, with and without OPARG_SHIFT, 12-bit signed arguments), every comparison (signed, on the
 * old value), the errors (EINVAL, EFAULT, ENOSYS: an unknown op leaves the word alone, an
 * unknown comparison does not), and the counts woken on both words. A waiter is known to be
 * asleep before each call: a CMP_REQUEUE of its word onto itself, waking none and moving one,
 * returns 1 only once it sleeps there, so every printed count is what any interleaving gives. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdint.h>
#include <limits.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <linux/futex.h>
#include <sys/syscall.h>

static uint32_t W1, W2;
static atomic_int stop, woke1, woke2;

static long fx(uint32_t *u, int op, uint32_t val, unsigned long val2, uint32_t *u2, uint32_t val3) {
  return syscall(SYS_futex, u, op, val, (void *)val2, u2, val3);
}
static const char *err(long r) { return r < 0 ? strerrorname_np(errno) : "ok"; }
static uint32_t op(int o, int oparg, int cmp, int cmparg) { return FUTEX_OP(o, oparg, cmp, cmparg); }

/* Until `n` waiters sleep on w (the probe moves them onto w itself, in place). */
static void asleep(uint32_t *w, long n) {
  while (fx(w, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, w, __atomic_load_n(w, __ATOMIC_SEQ_CST)) != n) sched_yield();
}

static void *waiter(void *arg) {
  uint32_t *w = arg;
  for (;;) {
    uint32_t v = __atomic_load_n(w, __ATOMIC_SEQ_CST);
    if (atomic_load(&stop)) return NULL;
    if (fx(w, FUTEX_WAIT_PRIVATE, v, 0, NULL, 0) == 0) atomic_fetch_add(w == &W1 ? &woke1 : &woke2, 1);
  }
}

/* A FUTEX_WAIT hit by a signal: restarted after an SA_RESTART handler when it has no timeout
 * (ERESTARTSYS), EINTR otherwise (a timed wait's restart is only for signals without a handler). */
static uint32_t W3;
static atomic_int seen, w3_done;
static long w3_ret;
static int w3_err, w3_timed;
static pid_t w3_tid;
static void on_usr1(int sig) { (void)sig; atomic_fetch_add(&seen, 1); }
static void *wait3(void *arg) {
  (void)arg;
  struct timespec ten = {10, 0};
  w3_tid = (pid_t)syscall(SYS_gettid);
  w3_ret = syscall(SYS_futex, &W3, FUTEX_WAIT_PRIVATE, 0, w3_timed ? &ten : NULL, NULL, 0);
  w3_err = w3_ret < 0 ? errno : 0;
  atomic_store(&w3_done, 1);
  return NULL;
}
static void signalled_wait(int flags, int timed) {
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sa.sa_flags = flags;
  sigaction(SIGUSR1, &sa, NULL);
  atomic_store(&seen, 0);
  atomic_store(&w3_done, 0);
  w3_timed = timed;
  pthread_t t;
  pthread_create(&t, NULL, wait3, NULL);
  asleep(&W3, 1);
  syscall(SYS_tgkill, getpid(), w3_tid, SIGUSR1);
  while (!atomic_load(&seen)) sched_yield();
  while (!atomic_load(&w3_done) && fx(&W3, FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &W3, 0) != 1) sched_yield();
  fx(&W3, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
  pthread_join(t, NULL);
  printf("FUTEX_WAIT%s signalled, handler %s: %s\n", timed ? " with a timeout" : "", flags ? "SA_RESTART" : "without SA_RESTART",
         w3_ret == 0 ? "restarted, then woken: 0" : strerrorname_np(w3_err));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* Alone: what each op leaves in the word (nobody waits: 0 woken). */
  static const char *names[] = {"SET", "ADD", "OR", "ANDN", "XOR"};
  for (int o = 0; o < 5; o++) {
    for (int shift = 0; shift < 2; shift++) {
      W2 = 0x0f0f0f0f;
      long r = fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, op(o | (shift ? FUTEX_OP_OPARG_SHIFT : 0), shift ? 9 : 0x123, FUTEX_OP_CMP_EQ, 0));
      printf("%s%s: %ld, word %#x\n", names[o], shift ? " <<" : "", r, W2);
    }
  }
  static const struct { const char *what; uint32_t before; int op, oparg; } more[] = {
    {"ADD -1 (12-bit signed)", 5, FUTEX_OP_ADD, 0xfff},
    {"SET -2048", 0, FUTEX_OP_SET, 0x800},
    {"SET 1<<31", 0, FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 31},
    {"SET 1<<40 (a shift out of range is taken mod 32)", 0, FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 40},
    {"SET 1<<-1 (a negative shift too)", 0, FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT, 0xfff},
    {"XOR -1", 0x1234, FUTEX_OP_XOR, 0xfff},
    {"ANDN 1<<0", 0xff, FUTEX_OP_ANDN | FUTEX_OP_OPARG_SHIFT, 0},
    {"ADD wraps", 0xffffffff, FUTEX_OP_ADD, 2},
  };
  for (unsigned i = 0; i < sizeof more / sizeof *more; i++) {
    W2 = more[i].before;
    long r = fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, op(more[i].op, more[i].oparg, 0, 0));
    printf("%s: %ld, word %#x\n", more[i].what, r, W2);
  }

  /* Errors. */
  W2 = 7;
  for (int o = 5; o < 8; o++) {
    const char *e = err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, op(o, 1, 0, 0)));
    printf("op %d: %s, word %u\n", o, e, W2);
  }
  for (int c = 6; c < 16; c += 3) {
    const char *e = err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, op(FUTEX_OP_ADD, 1, c, 0)));
    printf("cmp %d (the op is done first): %s, word %u\n", c, e, W2);
  }
  printf("unaligned uaddr: %s\n", err(fx((uint32_t *)((char *)&W1 + 2), FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, 0)));
  printf("unaligned uaddr2: %s\n", err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, (uint32_t *)((char *)&W2 + 1), 0)));
  printf("uaddr2 NULL: %s\n", err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, NULL, 0)));
  printf("uaddr2 NULL, op 6: %s\n", err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, NULL, op(6, 0, 0, 0))));
  uint32_t *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  const char *e = err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, ro, op(FUTEX_OP_SET, 1, 0, 0)));
  printf("uaddr2 read-only: %s, word %u\n", e, *ro);
  uint32_t *gone = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(gone, 4096);
  printf("uaddr2 unmapped: %s\n", err(fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, gone, 0)));
  printf("uaddr unmapped (private: its key needs no read): %ld\n", fx(gone, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, 0));
  printf("with FUTEX_CLOCK_REALTIME: %s\n", err(fx(&W1, FUTEX_WAKE_OP_PRIVATE | FUTEX_CLOCK_REALTIME, 1, 1, &W2, 0)));

  /* One waiter on W2: each comparison, true or false, on signed old values. */
  pthread_t t2;
  pthread_create(&t2, NULL, waiter, &W2);
  static const char *cmps[] = {"EQ", "NE", "LT", "LE", "GT", "GE"};
  static const int olds[] = {-5, 3, 4};
  for (int c = 0; c < 6; c++) {
    printf("cmp %s 3:", cmps[c]);
    for (int i = 0; i < 3; i++) {
      __atomic_store_n(&W2, (uint32_t)olds[i], __ATOMIC_SEQ_CST);
      asleep(&W2, 1);
      long r = fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, op(FUTEX_OP_ADD, 0, c, 3));
      printf(" old %d woke %ld;", olds[i], r);
    }
    printf("\n");
  }
  /* The op is done before waking: the waiter sees the new value. */
  __atomic_store_n(&W2, 10, __ATOMIC_SEQ_CST);
  asleep(&W2, 1);
  long r = fx(&W1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &W2, op(FUTEX_OP_SET, 20, FUTEX_OP_CMP_EQ, 10));
  printf("SET 20 if old == 10: woke %ld, word %u\n", r, W2);

  /* Three waiters on W1 and one on W2: the counts woken on each word add up. */
  pthread_t t1[3];
  for (int i = 0; i < 3; i++) pthread_create(&t1[i], NULL, waiter, &W1);
  asleep(&W1, 3);
  asleep(&W2, 1);
  printf("wake 2 on W1, 1 on W2 (true): %ld\n", fx(&W1, FUTEX_WAKE_OP_PRIVATE, 2, 1, &W2, op(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_NE, 0)));
  asleep(&W1, 3);
  asleep(&W2, 1);
  printf("wake 2 on W1, 1 on W2 (false): %ld\n", fx(&W1, FUTEX_WAKE_OP_PRIVATE, 2, 1, &W2, op(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0)));
  asleep(&W1, 3);
  printf("wake 0 on W1, 0 on W2 (Linux wakes one of each): %ld\n", fx(&W1, FUTEX_WAKE_OP_PRIVATE, 0, 0, &W2, op(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_NE, 0)));
  asleep(&W1, 3);
  asleep(&W2, 1);
  printf("plain FUTEX_WAKE of 0 on W1: %ld\n", fx(&W1, FUTEX_WAKE_PRIVATE, 0, 0, NULL, 0));
  asleep(&W1, 3);
  long moved = fx(&W1, FUTEX_REQUEUE_PRIVATE, 0, INT_MAX, &W2, 0);
  printf("W1 onto W2 by a plain requeue, then wake all on W2: %ld + %ld\n", moved, fx(&W2, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0));

  /* The end: every word changed (a waiter about to sleep sees it), then everyone woken. */
  atomic_store(&stop, 1);
  __atomic_add_fetch(&W1, 1, __ATOMIC_SEQ_CST);
  __atomic_add_fetch(&W2, 1, __ATOMIC_SEQ_CST);
  fx(&W1, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0);
  fx(&W2, FUTEX_WAKE_PRIVATE, INT_MAX, 0, NULL, 0);
  for (int i = 0; i < 3; i++) pthread_join(t1[i], NULL);
  pthread_join(t2, NULL);
  printf("all returned\n");
  signalled_wait(SA_RESTART, 0);
  signalled_wait(0, 0);
  signalled_wait(SA_RESTART, 1);
  return 0;
}
