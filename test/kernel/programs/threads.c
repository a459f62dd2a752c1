/* Threads as glibc makes them (clone3/clone with CLONE_THREAD, futexes), compared with a
 * native run on stdout and exit status. Every line is a result that does not depend on how
 * the threads interleave:
 *  - 4 workers add to a shared counter under a mutex, each with its own __thread total;
 *  - a bounded queue between 2 producers and 2 consumers with two condition variables;
 *  - a barrier, pthread_cond_broadcast, a timed wait that times out;
 *  - distinct thread ids, one pid, /proc/self/status's Threads while 5 are alive;
 *  - signals: pthread_kill runs the handler in the thread it names; a process-directed
 *    kill goes to the one thread that does not block it;
 *  - chdir and umask in one thread are the process's;
 *  - exit versus exit_group: the main thread leaves with pthread_exit, the process goes on
 *    until the last thread calls exit(3), which is the process's status. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <signal.h>
#include <time.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/stat.h>

#define WORKERS 4
#define ROUNDS 2000

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static __thread long mine;

static void *worker(void *arg) {
  long id = (long)arg;
  for (int i = 0; i < ROUNDS; i++) {
    pthread_mutex_lock(&lock);
    counter += id + 1;
    pthread_mutex_unlock(&lock);
    mine += id + 1;
    if (i % 256 == 0) sched_yield();
  }
  return (void *)mine;
}

/* A bounded queue: producers wait while it is full, consumers while it is empty. */
#define QCAP 4
static int queue[QCAP], qhead, qlen, produced_done;
static pthread_mutex_t qlock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notfull = PTHREAD_COND_INITIALIZER, notempty = PTHREAD_COND_INITIALIZER;

static void *producer(void *arg) {
  long base = (long)arg;
  for (int i = 1; i <= 500; i++) {
    pthread_mutex_lock(&qlock);
    while (qlen == QCAP) pthread_cond_wait(&notfull, &qlock);
    queue[(qhead + qlen++) % QCAP] = base + i;
    pthread_cond_signal(&notempty);
    pthread_mutex_unlock(&qlock);
  }
  pthread_mutex_lock(&qlock);
  produced_done++;
  pthread_cond_broadcast(&notempty);
  pthread_mutex_unlock(&qlock);
  return NULL;
}

static void *consumer(void *arg) {
  long *sum = arg;
  for (;;) {
    pthread_mutex_lock(&qlock);
    while (qlen == 0 && produced_done < 2) pthread_cond_wait(&notempty, &qlock);
    if (qlen == 0) { pthread_mutex_unlock(&qlock); return NULL; }
    int v = queue[qhead];
    qhead = (qhead + 1) % QCAP;
    qlen--;
    pthread_cond_signal(&notfull);
    pthread_mutex_unlock(&qlock);
    *sum += v;
  }
}

static pthread_barrier_t barrier;
static pid_t tids[WORKERS];
static pthread_mutex_t glock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t go = PTHREAD_COND_INITIALIZER;
static int released;

static int threads_in_status(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int n = -1;
  while (f && fgets(line, sizeof line, f)) if (sscanf(line, "Threads: %d", &n) == 1) break;
  if (f) fclose(f);
  return n;
}

static void *waiter(void *arg) {
  long i = (long)arg;
  tids[i] = syscall(SYS_gettid);
  pthread_barrier_wait(&barrier);
  pthread_mutex_lock(&glock);
  while (!released) pthread_cond_wait(&go, &glock);
  pthread_mutex_unlock(&glock);
  return (void *)(long)(getpid() == tids[0] ? 0 : 1);
}

static volatile sig_atomic_t handled_in;
static void on_usr1(int sig) { (void)sig; handled_in = syscall(SYS_gettid); }

static pid_t signal_target;
static pthread_mutex_t slock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t scond = PTHREAD_COND_INITIALIZER;
static int sready, sdone;

static void *signalled(void *arg) {
  (void)arg;
  sigset_t none;
  sigemptyset(&none);
  pthread_sigmask(SIG_SETMASK, &none, NULL);  /* this thread takes SIGUSR1 */
  pthread_mutex_lock(&slock);
  signal_target = syscall(SYS_gettid);
  sready = 1;
  pthread_cond_broadcast(&scond);
  while (!sdone) pthread_cond_wait(&scond, &slock);
  pthread_mutex_unlock(&slock);
  return NULL;
}

static void *moves(void *arg) {
  (void)arg;
  chdir("/tmp");
  umask(077);
  return NULL;
}

static void *last(void *arg) {
  (void)arg;
  struct timespec t = {0, 20 * 1000 * 1000};
  nanosleep(&t, NULL);  /* the main thread has left by now */
  printf("last thread: exit(3) ends the process\n");
  fflush(stdout);
  exit(3);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  pthread_t th[WORKERS];
  for (long i = 0; i < WORKERS; i++) pthread_create(&th[i], NULL, worker, (void *)i);
  long totals = 0;
  for (int i = 0; i < WORKERS; i++) {
    void *r;
    pthread_join(th[i], &r);
    totals += (long)r;
  }
  printf("counter %ld, per-thread totals %ld, expected %d\n", counter, totals, ROUNDS * (1 + 2 + 3 + 4));

  pthread_t p[2], c[2];
  long sums[2] = {0, 0};
  pthread_create(&p[0], NULL, producer, (void *)0L);
  pthread_create(&p[1], NULL, producer, (void *)1000L);
  pthread_create(&c[0], NULL, consumer, &sums[0]);
  pthread_create(&c[1], NULL, consumer, &sums[1]);
  for (int i = 0; i < 2; i++) { pthread_join(p[i], NULL); pthread_join(c[i], NULL); }
  printf("queue: consumed sum %ld (expected %d), left %d\n", sums[0] + sums[1], 2 * (500 * 501 / 2) + 500 * 1000, qlen);

  pthread_barrier_init(&barrier, NULL, WORKERS + 1);
  pthread_t w[WORKERS];
  for (long i = 0; i < WORKERS; i++) pthread_create(&w[i], NULL, waiter, (void *)i);
  pthread_barrier_wait(&barrier);
  int distinct = 1;
  pid_t me = syscall(SYS_gettid);
  for (int i = 0; i < WORKERS; i++) {
    if (tids[i] == me || tids[i] == getpid()) distinct = 0;
    for (int j = 0; j < i; j++) if (tids[i] == tids[j]) distinct = 0;
  }
  printf("barrier passed: thread ids distinct from each other and the pid: %s; main's tid is the pid: %s\n",
         distinct ? "yes" : "no", me == getpid() ? "yes" : "no");
  printf("/proc/self/status Threads: %d\n", threads_in_status());
  pthread_mutex_lock(&glock);
  released = 1;
  pthread_cond_broadcast(&go);
  pthread_mutex_unlock(&glock);
  long notpid = 0;
  for (int i = 0; i < WORKERS; i++) { void *r; pthread_join(w[i], &r); notpid += (long)r; }
  printf("broadcast woke all %d, each saw getpid() != its tid: %ld\n", WORKERS, notpid);
  printf("after the joins Threads: %d\n", threads_in_status());

  struct timespec dl;
  clock_gettime(CLOCK_REALTIME, &dl);
  dl.tv_nsec += 5 * 1000 * 1000;
  if (dl.tv_nsec >= 1000000000) { dl.tv_sec++; dl.tv_nsec -= 1000000000; }
  pthread_mutex_lock(&glock);
  int tr = pthread_cond_timedwait(&go, &glock, &dl);
  pthread_mutex_unlock(&glock);
  printf("timed wait: %s\n", tr == ETIMEDOUT ? "ETIMEDOUT" : strerror(tr));
  printf("trylock of a held mutex: %s\n", (pthread_mutex_lock(&lock), pthread_mutex_trylock(&lock) == EBUSY) ? "EBUSY" : "?");
  pthread_mutex_unlock(&lock);

  /* Signals: SIGUSR1 blocked in main (and in what it creates), open in one thread. */
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, NULL);
  sigset_t usr1;
  sigemptyset(&usr1);
  sigaddset(&usr1, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &usr1, NULL);
  pthread_t st;
  pthread_create(&st, NULL, signalled, NULL);
  pthread_mutex_lock(&slock);
  while (!sready) pthread_cond_wait(&scond, &slock);
  pthread_mutex_unlock(&slock);
  kill(getpid(), SIGUSR1);
  while (!handled_in) sched_yield();
  printf("kill to the process: handled by the thread that does not block it: %s\n", handled_in == signal_target ? "yes" : "no");
  handled_in = 0;
  pthread_kill(st, SIGUSR1);
  while (!handled_in) sched_yield();
  printf("pthread_kill: handled by that thread: %s\n", handled_in == signal_target ? "yes" : "no");
  sigset_t pend;
  pthread_kill(pthread_self(), SIGUSR1);
  sigpending(&pend);
  printf("pthread_kill to main, which blocks it: pending in main: %s\n", sigismember(&pend, SIGUSR1) ? "yes" : "no");
  pthread_mutex_lock(&slock);
  sdone = 1;
  pthread_cond_broadcast(&scond);
  pthread_mutex_unlock(&slock);
  pthread_join(st, NULL);
  sa.sa_handler = SIG_IGN;
  sigaction(SIGUSR1, &sa, NULL);  /* discards the pending one */

  /* The working directory and umask are the process's (CLONE_FS). */
  pthread_t mv;
  umask(022);
  pthread_create(&mv, NULL, moves, NULL);
  pthread_join(mv, NULL);
  char cwd[256];
  printf("a thread's chdir and umask are main's: %s %s\n", getcwd(cwd, sizeof cwd) && !strcmp(cwd, "/tmp") ? "yes" : "no", umask(022) == 077 ? "yes" : "no");

  pthread_t l;
  pthread_create(&l, NULL, last, NULL);
  printf("main: pthread_exit\n");
  pthread_exit(NULL);
}
