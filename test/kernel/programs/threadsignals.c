/* Signals and threads, past what threads.c shows: tkill and tgkill called directly (the handler
 * runs in the thread named; a wrong tgid is ESRCH, a bad signal EINVAL; signal 0 only checks), a new
 * thread starts with its creator's mask, a thread-directed signal that thread blocks is pending
 * in it alone while a process-directed one every thread blocks is pending in every thread (ShdPnd)
 * and taken by the first that unblocks it, and a thread's raw exit(2)
 * ends that thread alone (its joiner wakes, the process goes on). Every step waits for the one
 * before it, so the lines are what any interleaving gives. */
#define _GNU_SOURCE
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <pthread.h>
#include <sys/syscall.h>

static const char *yes(int c) { return c ? "yes" : "no"; }
static long gettid_(void) { return syscall(SYS_gettid); }

static volatile long handled_in;
static void on_signal(int sig) { (void)sig; handled_in = gettid_(); }

static pthread_barrier_t step;
static volatile long worker_tid;
static sigset_t worker_start_mask;
static int worker_pending_thread, worker_pending_process;

/* A mask line of /proc/self/status ("SigPnd:\t0000000000000000"; main reads it: the leader's). */
static unsigned long status_mask(const char *name) {
  static char buf[8192];
  FILE *f = fopen("/proc/self/status", "r");
  size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
  if (f) fclose(f);
  buf[n] = 0;
  char key[32];
  snprintf(key, sizeof key, "\n%s:\t", name);
  char *at = strstr(buf, key);
  return at ? strtoul(at + strlen(key), NULL, 16) : ~0UL;
}

static int pending(int sig) {
  sigset_t p;
  sigpending(&p);
  return sigismember(&p, sig);
}

/* Takes SIGUSR1 (unblocked), keeps SIGUSR2 blocked as its creator had it. */
static void *worker(void *arg) {
  (void)arg;
  pthread_sigmask(SIG_SETMASK, NULL, &worker_start_mask);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
  worker_tid = gettid_();
  pthread_barrier_wait(&step);               /* 1: ready */
  pthread_barrier_wait(&step);               /* 2: main sent tkill/tgkill; handled by now */
  pthread_barrier_wait(&step);               /* 3: main made SIGUSR2 pending in itself */
  worker_pending_thread = pending(SIGUSR2);
  pthread_barrier_wait(&step);               /* 4 */
  pthread_barrier_wait(&step);               /* 5: main sent SIGUSR2 to the process */
  worker_pending_process = pending(SIGUSR2);
  pthread_barrier_wait(&step);               /* 6 */
  pthread_barrier_wait(&step);               /* 7: main looked */
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL); /* the process's signal is taken here */
  return NULL;
}

static void *raw_exit(void *arg) {
  (void)arg;
  syscall(SYS_exit, 9);                      /* this thread only; 9 is no one's status */
  return (void *)1;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGUSR1, &sa, NULL);
  sigaction(SIGUSR2, &sa, NULL);
  sigset_t both;
  sigemptyset(&both);
  sigaddset(&both, SIGUSR1);
  sigaddset(&both, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &both, NULL);   /* main blocks both; the worker inherits that */
  pthread_barrier_init(&step, NULL, 2);
  pthread_t w;
  pthread_create(&w, NULL, worker, NULL);
  pthread_barrier_wait(&step);               /* 1 */
  printf("new thread starts with its creator's mask: %s\n",
         yes(sigismember(&worker_start_mask, SIGUSR1) && sigismember(&worker_start_mask, SIGUSR2)));

  long me = gettid_(), pid = getpid();
  handled_in = 0;
  long r = syscall(SYS_tkill, worker_tid, SIGUSR1);
  while (!handled_in) sched_yield();
  printf("tkill: %ld, handled in the thread named: %s\n", r, yes(handled_in == worker_tid));
  handled_in = 0;
  r = syscall(SYS_tgkill, pid, worker_tid, SIGUSR1);
  while (!handled_in) sched_yield();
  printf("tgkill: %ld, handled in the thread named: %s\n", r, yes(handled_in == worker_tid));
  errno = 0;
  r = syscall(SYS_tgkill, pid + 100000, worker_tid, SIGUSR1);
  printf("tgkill with another tgid: %ld %s\n", r, strerrorname_np(errno));
  r = syscall(SYS_tgkill, pid, worker_tid, 0);
  printf("tgkill signal 0 to a live thread: %ld\n", r);
  errno = 0;
  r = syscall(SYS_tkill, worker_tid, 99);
  printf("tkill with a bad signal: %ld %s\n", r, strerrorname_np(errno));
  pthread_barrier_wait(&step);               /* 2 */

  handled_in = 0;
  syscall(SYS_tgkill, pid, me, SIGUSR2);     /* main blocks it: pending in main only */
  printf("thread-directed, blocked: pending in main: %s\n", yes(pending(SIGUSR2)));
  pthread_barrier_wait(&step);               /* 3 */
  pthread_barrier_wait(&step);               /* 4 */
  printf("... and in the other thread: %s\n", yes(worker_pending_thread));
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  pthread_sigmask(SIG_UNBLOCK, &usr2, NULL); /* delivered here, on unblocking */
  printf("delivered to main when it unblocks: %s\n", yes(handled_in == me));
  pthread_sigmask(SIG_BLOCK, &usr2, NULL);

  handled_in = 0;
  kill(pid, SIGUSR2);                        /* every thread blocks it: pending for the process */
  pthread_barrier_wait(&step);               /* 5 */
  pthread_barrier_wait(&step);               /* 6 */
  printf("process-directed, blocked everywhere: pending in main: %s, in the other thread: %s, SigPnd %s, ShdPnd %s\n",
         yes(pending(SIGUSR2)), yes(worker_pending_process), yes(status_mask("SigPnd") & (1UL << (SIGUSR2 - 1))),
         yes(status_mask("ShdPnd") & (1UL << (SIGUSR2 - 1))));
  pthread_barrier_wait(&step);               /* 7 */
  pthread_join(w, NULL);
  printf("taken by the other thread when it unblocks it: %s, pending in main no more: %s\n",
         yes(handled_in == worker_tid), yes(!pending(SIGUSR2)));

  kill(pid, SIGUSR2);                        /* main alone, blocking it */
  printf("kill to a process blocking it: SigPnd %s, ShdPnd %s\n", yes(status_mask("SigPnd") & (1UL << (SIGUSR2 - 1))),
         yes(status_mask("ShdPnd") & (1UL << (SIGUSR2 - 1))));
  sa.sa_handler = SIG_IGN;
  sigaction(SIGUSR2, &sa, NULL);             /* discards it */
  printf("ignored: pending no more: %s\n", yes(!pending(SIGUSR2)));

  pthread_t e;
  void *ret = (void *)7;
  pthread_create(&e, NULL, raw_exit, NULL);
  int j = pthread_join(e, &ret);
  printf("a thread's exit(2) ends it alone: join %d, the process goes on: yes\n", j);
  return 0;
}
