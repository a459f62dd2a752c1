/* autopilot: flies the drone over a serial port (docs/protocol.md).
 *
 *   autopilot [SCENARIO [SEED [PORT [NAME=VALUE...]]]]
 *     SCENARIO  normal | busydelay | sockets | shell | hog | spoof   (default normal)
 *     SEED      unsigned decimal integer            (default 1): the autopilot's sub-seed
 *               (src/flight/seeds.ts), its generator's state as it is
 *     PORT      serial device                       (default /dev/ttyS0)
 *     NAME=VALUE poll_hz=N (1-200, default 50; docs/drone.md) and the anomaly schedule the
 *               host drew (src/flight/anomalies/schedule.ts, docs/dataset.md); any other NAME
 *               is refused (usage, exit 1):
 *               anomaly_phase=TAKEOFF|CRUISE|LANDING  the phase whose first poll starts its clock;
 *               anomaly=GAP:LEN:P1:P2:P3:P4 (repeated, in order) a stretch of LEN polls, GAP polls
 *               after the previous stretch's end (the first: after the phase's first poll), whose
 *               parameters P1..P4 the scenario reads (busydelay: bits, every; sockets: rate per
 *               mille, bytes, first port, ports; shell: every, files; hog: MiB, duty per mille).
 *               spoof is an attack on the drone's side: the autopilot flies as in normal.
 *
 * It asks the drone for its mission (waypoints, cruise altitude and speed,
 * airframe) and flies the route: TAKEOFF -> CRUISE (waypoint after waypoint)
 * -> LANDING -> LANDED. Exit status: 0 landed,
 * 1 usage, 2 port error, 3 the drone crashed, 4 protocol error or timeout,
 * 5 mission took too long.
 *
 * Only calls a small kernel can offer: open, termios ioctls, select, read,
 * write, clock_gettime, clock_nanosleep, socket, sendto, close, fork (clone),
 * execve, wait4, kill, exit. Its own
 * randomness is a seeded PRNG (never getrandom or the time). */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ---- tuning (docs/drone.md explains every number) ---- */
static long poll_hz = 50;               /* sensor polls per second */
#define TAKEOFF_EXTRA 0.5               /* TAKEOFF throttle above hover */
#define KV 0.3                          /* throttle per m/s of vertical velocity error */
#define KP_ALT 2.0                      /* desired climb rate per m of altitude error */
#define MAX_VZ 1.5                      /* m/s, altitude-hold climb/sink limit */
#define BRAKE_ACCEL 1.5                 /* m/s^2, approach: speed <= sqrt(2 a d) */
#define ALT_OK 0.5                      /* m: fly the route only this close to cruise altitude */
#define KH 0.5                          /* throttle per m/s of horizontal velocity error */
#define KI 0.3                          /* throttle per m of integrated velocity error: holds against the wind */
#define I_MAX 0.6                       /* limit of that integral, throttle */
#define APPROACH_GAIN 1.0               /* 1/s, final approach: speed <= gain * d */
#define SWITCH_DIST 1.0                 /* m: a waypoint before the destination counts as passed this close */
#define CORNER_MIN 0.25                 /* lowest corner speed, as a fraction of the cruise speed */
#define ARRIVE_DIST 0.3                 /* m: close enough to start LANDING ... */
#define ARRIVE_SPEED 0.25               /* ... once this slow (m/s) */
#define LAND_KP 1.0                     /* landing sink rate per m of altitude */
#define LAND_VMIN 0.4                   /* m/s, sink rate near the ground */
#define LAND_VMAX 1.2                   /* m/s, sink rate high up */
#define MAX_STRETCHES 8                 /* anomalous stretches a schedule can hold */
#define REPLY_TIMEOUT_S 2               /* select timeout for one reply byte */
#define MAX_FLIGHT_S 900                /* give up after this long */
#define MAX_WAYPOINTS 64                /* the drone sends at most 64 (docs/protocol.md) */

static int port = -1;

/* ---- seeded PRNG (splitmix64) ---- */
static uint64_t rng_state;
static uint64_t rng_next(void) {
  uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
static double rng_uniform(void) { return (double)(rng_next() >> 11) / 9007199254740992.0; }

static void perturb_end(void);
static void die(int status, const char *msg) {
  /* Errors go to stderr; the guest kernel passes it through. A child still running is stopped first. */
  perturb_end();
  size_t n = strlen(msg);
  if (write(2, msg, n) < 0) {}
  if (write(2, "\n", 1) < 0) {}
  exit(status);
}

/* ---- the serial port ---- */
static void open_port(const char *path) {
  struct termios t;
  port = open(path, O_RDWR | O_NOCTTY);
  if (port < 0) die(2, "autopilot: cannot open the serial port");
  if (tcgetattr(port, &t) != 0) die(2, "autopilot: not a terminal");
  cfmakeraw(&t);
  cfsetispeed(&t, B115200);
  cfsetospeed(&t, B115200);
  t.c_cc[VMIN] = 0;   /* reads never block: select() does the waiting, as pyserial */
  t.c_cc[VTIME] = 0;
  if (tcsetattr(port, TCSANOW, &t) != 0) die(2, "autopilot: cannot set raw mode");
}

static void send_line(const char *s) {
  size_t n = strlen(s), off = 0;
  while (off < n) {
    ssize_t k = write(port, s + off, n - off);
    if (k < 0) { if (errno == EINTR || errno == EAGAIN) continue; die(2, "autopilot: write failed"); }
    off += (size_t)k;
  }
}

/* select(2) itself: glibc 2.36's select() issues pselect6, but the 2019 trace
 * (Python's select.select on the glibc of its day) shows the select syscall,
 * number 23, which the published processed files count as 24. */
static int port_select(int nfds, fd_set *rd, struct timeval *tv) {
  return (int)syscall(SYS_select, nfds, rd, NULL, NULL, tv);
}

/* One reply line, read as pyserial's readline() does: select() on the port with
 * a timeout, then read() of one byte, until the newline. */
static void read_line(char *buf, size_t cap) {
  size_t n = 0;
  for (;;) {
    fd_set rd;
    struct timeval tv = {REPLY_TIMEOUT_S, 0};
    FD_ZERO(&rd);
    FD_SET(port, &rd);
    int r = port_select(port + 1, &rd, &tv);
    if (r < 0) { if (errno == EINTR) continue; die(2, "autopilot: select failed"); }
    if (r == 0) die(4, "autopilot: no reply from the drone");
    char c;
    ssize_t k = read(port, &c, 1);
    if (k < 0) { if (errno == EINTR || errno == EAGAIN) continue; die(2, "autopilot: read failed"); }
    if (k == 0) die(2, "autopilot: the serial port hung up");
    if (c == '\n') { buf[n] = 0; return; }
    if (n + 1 < cap) buf[n++] = c;
  }
}

/* A command and its reply, before the sensor stream runs. */
static void command(const char *line, char *reply, size_t cap) {
  send_line(line);
  read_line(reply, cap);
  if (strncmp(reply, "ERR", 3) == 0) die(4, "autopilot: the drone refused a command");
}

/* ---- the mission and the sensors ---- */

/* The drone prints fixed-point numbers ("%.3f"); a few lines of parsing are far
 * lighter than sscanf/strtod, which matters when every instruction is emulated. */
static int word(const char **p, const char *w) {
  size_t n = strlen(w);
  if (strncmp(*p, w, n) != 0 || ((*p)[n] != ' ' && (*p)[n] != 0)) return 0;
  *p += n;
  while (**p == ' ') (*p)++;
  return 1;
}

static int num(const char **p, double *out) {
  const char *q = *p;
  int neg = 0, digits = 0;
  long ip = 0, fp = 0, scale = 1;
  if (*q == '-' || *q == '+') neg = *q++ == '-';
  while (*q >= '0' && *q <= '9') { ip = ip * 10 + (*q++ - '0'); digits++; }
  if (*q == '.') {
    q++;
    while (*q >= '0' && *q <= '9') { if (scale < 1000000000L) { fp = fp * 10 + (*q - '0'); scale *= 10; } q++; digits++; }
  }
  if (!digits || (*q != ' ' && *q != 0)) return 0;
  *out = (neg ? -1.0 : 1.0) * ((double)ip + (double)fp / (double)scale);
  while (*q == ' ') q++;
  *p = q;
  return 1;
}

static int status_word(const char **p, char *out) {
  size_t n = strlen(*p);
  if (n == 0 || n > 15) return 0;
  memcpy(out, *p, n + 1);
  return 1;
}

/* "%.3f" without printf's floating-point path: value in thousandths, rounded. */
static char *fixed3(char *b, double v) {
  long t = (long)(v * 1000.0 + (v < 0 ? -0.5 : 0.5));
  if (t < 0) { *b++ = '-'; t = -t; }
  b += sprintf(b, "%ld.%03ld", t / 1000, t % 1000);
  return b;
}
/* The route is the waypoints in order, the destination last; corner[i] is the speed to
 * pass waypoint i at (0 at the destination). */
struct mission {
  double alt, speed, mass, tx, ty, tz, k, g;
  int n;
  double wx[MAX_WAYPOINTS], wy[MAX_WAYPOINTS], corner[MAX_WAYPOINTS];
};
struct sensors { double x, y, z, vx, vy, vz, alt; char status[16]; };

/* Corner speeds: the cosine of the turn at each waypoint, from the legs in and out
 * (the first leg starts where the drone starts). A straight pass keeps the cruise speed,
 * a right angle halves it, sharper turns slow down to CORNER_MIN of it. */
static void plan_corners(struct mission *m, double x0, double y0) {
  for (int i = 0; i < m->n; i++) {
    if (i == m->n - 1) { m->corner[i] = 0; break; }
    double px = i ? m->wx[i - 1] : x0, py = i ? m->wy[i - 1] : y0;
    double ax = m->wx[i] - px, ay = m->wy[i] - py, bx = m->wx[i + 1] - m->wx[i], by = m->wy[i + 1] - m->wy[i];
    double la = sqrt(ax * ax + ay * ay), lb = sqrt(bx * bx + by * by);
    double c = la > 1e-9 && lb > 1e-9 ? (ax * bx + ay * by) / (la * lb) : 1;
    m->corner[i] = m->speed * fmax(CORNER_MIN, (1 + c) / 2);
  }
}

static struct mission get_mission(void) {
  static char r[2048];
  static struct mission m;
  double n;
  command("MISSION\n", r, sizeof r);
  const char *p = r;
  if (!(word(&p, "MISSION") && word(&p, "D") && num(&p, &m.wx[0]) && num(&p, &m.wy[0]) && word(&p, "A") && num(&p, &m.alt) &&
        word(&p, "S") && num(&p, &m.speed) && word(&p, "M") && num(&p, &m.mass) && word(&p, "T") && num(&p, &m.tx) &&
        num(&p, &m.ty) && num(&p, &m.tz) && word(&p, "K") && num(&p, &m.k) && word(&p, "G") && num(&p, &m.g) &&
        word(&p, "W") && num(&p, &n) && n >= 0 && n < MAX_WAYPOINTS && n == (int)n))
    die(4, "autopilot: bad MISSION reply");
  double dx = m.wx[0], dy = m.wy[0];
  m.n = (int)n + 1;
  for (int i = 0; i + 1 < m.n; i++)
    if (!(num(&p, &m.wx[i]) && num(&p, &m.wy[i]))) die(4, "autopilot: bad MISSION reply");
  if (*p != 0 || m.speed <= 0) die(4, "autopilot: bad MISSION reply");
  m.wx[m.n - 1] = dx;
  m.wy[m.n - 1] = dy;
  return m;
}

/* The next sensor line of the stream, oldest first, as a naive serial reader
 * takes them: one per poll. The OK replies to throttle and state commands are
 * interleaved with the stream and skipped. */
static struct sensors next_sensors(void) {
  char r[256];
  struct sensors s;
  for (;;) {
    read_line(r, sizeof r);
    if (r[0] == 'P') break;
    if (strcmp(r, "OK") != 0) die(4, "autopilot: the drone refused a command");
  }
  const char *p = r;
  if (!(word(&p, "P") && num(&p, &s.x) && num(&p, &s.y) && num(&p, &s.z) && word(&p, "V") && num(&p, &s.vx) &&
        num(&p, &s.vy) && num(&p, &s.vz) && word(&p, "A") && num(&p, &s.alt) && word(&p, "F") && status_word(&p, s.status)))
    die(4, "autopilot: bad sensor reply");
  return s;
}

static double clamp(double v, double lo, double hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Throttles and state reports go out without waiting: their OK comes back
 * within the stream and next_sensors() skips it. */
static void set_throttles(double x, double y, double z) {
  char line[96], *b = line;
  *b++ = 'T';
  *b++ = ' ';
  b = fixed3(b, clamp(x, -1, 1));
  *b++ = ' ';
  b = fixed3(b, clamp(y, -1, 1));
  *b++ = ' ';
  b = fixed3(b, clamp(z, 0, 1));
  *b++ = '\n';
  *b = 0;
  send_line(line);
}

enum state { TAKEOFF, CRUISE, LANDING, LANDED };
static const char *state_names[] = {"TAKEOFF", "CRUISE", "LANDING", "LANDED"};

static void report_state(enum state s) {
  char line[32];
  snprintf(line, sizeof line, "STATE %s\n", state_names[s]);
  send_line(line);
}

/* ---- scenario perturbations ---- */

enum scenario { NORMAL, BUSYDELAY, SOCKETS, SHELL, HOG, SPOOF };
static enum scenario scenario = NORMAL;
static const char *scenario_names[] = {"normal", "busydelay", "sockets", "shell", "hog", "spoof"};

/* The schedule the host drew (anomaly=... arguments): stretches of polls, counted from the
 * first poll in anomaly_phase, normal polls between them. */
struct stretch { long gap, len, p[4]; long start; };
static struct stretch stretches[MAX_STRETCHES];
static int n_stretches = 0;
static enum state anomaly_phase = TAKEOFF;
static long window_poll = -1;   /* the poll the autopilot first was in anomaly_phase */

/* The anomaly code is in functions of their own, kept out of line and unchanged by
 * interprocedural optimisation (noipa), so the host's probes (src/flight/ground-truth/causes.ts)
 * find them by symbol and read their arguments: the stretch and its parameters. Each is called
 * nowhere else, and random_prime, socket, sendto and close only from them. */
#define ANOMALY_CODE __attribute__((noipa))

/* Trial division by odd candidates up to sqrt(n): the busydelay's pure computation. */
static uint64_t smallest_factor(uint64_t n) {
  if (n % 2 == 0) return 2;
  for (uint64_t d = 3; d <= n / d; d += 2)
    if (n % d == 0) return d;
  return n;
}

static uint64_t random_prime(int bits) {
  uint64_t p = ((uint64_t)1 << (bits - 1)) | (rng_next() & (((uint64_t)1 << (bits - 1)) - 1)) | 1;
  while (smallest_factor(p) != p) p += 2;
  return p;
}

/* busydelay ("factoring"): factor p*q for two random primes of `bits` bits: about
 * 2^(bits-1)/2 .. 2^bits/2 trial divisions, the same on every machine for a given seed. */
static volatile uint64_t busy_sink;
ANOMALY_CODE static void busy_factor(int stretch, int bits) {
  (void)stretch;
  uint64_t p = random_prime(bits), q = random_prime(bits);
  uint64_t n = p * q, f = smallest_factor(n);
  busy_sink = f + n / f;
}

/* sockets ("udp"): one datagram of `bytes` bytes to localhost:port: socket, sendto, close. */
ANOMALY_CODE static void send_datagram(int stretch, int bytes, int udp_port) {
  (void)stretch;
  static char msg[1024];
  int s = socket(AF_INET, SOCK_DGRAM, 0);
  if (s < 0) return;
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)udp_port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < bytes; i++) msg[i] = "skytrace"[i % 8];
  if (sendto(s, msg, (size_t)bytes, 0, (struct sockaddr *)&a, sizeof a) < 0) {}
  close(s);
}

/* shell ("shell"): what injected code does: a child that execs a program reading files, and
 * the wait for it. The files are the first `files` of this list, from a rotating start. */
static const char *loot[] = {"/etc/passwd", "/etc/shadow", "/etc/hostname", "/home/pilot/mission.key", "/proc/self/status", "/etc/hosts"};
#define N_LOOT (sizeof loot / sizeof loot[0])
extern char **environ;
ANOMALY_CODE static void run_shell(int stretch, int files) {
  (void)stretch;
  char *argv[N_LOOT + 2];
  int k = 0, first = (int)(rng_next() % N_LOOT);
  argv[k++] = "payload";
  for (int i = 0; i < files && i < (int)N_LOOT; i++) argv[k++] = (char *)loot[(first + i) % N_LOOT];
  argv[k] = NULL;
  pid_t pid = fork();
  if (pid == 0) {
    execve("/bin/payload", argv, environ);
    _exit(127);
  }
  if (pid < 0) return;
  int st;
  while (wait4(pid, &st, 0, NULL) < 0 && errno == EINTR) {}
}

/* hog ("hog"): a child that eats `mib` MiB and `duty` per mille of the CPU until stopped. */
static pid_t hog_pid = -1;
ANOMALY_CODE static void start_hog(int stretch, int mib, int duty) {
  (void)stretch;
  char a[16], b[16];
  snprintf(a, sizeof a, "%d", mib);
  snprintf(b, sizeof b, "%d", duty);
  char *argv[] = {"hog", a, b, NULL};
  pid_t pid = fork();
  if (pid == 0) {
    execve("/bin/hog", argv, environ);
    _exit(127);
  }
  hog_pid = pid;
}

ANOMALY_CODE static void stop_hog(int stretch) {
  (void)stretch;
  if (hog_pid <= 0) return;
  kill(hog_pid, SIGKILL);
  int st;
  while (wait4(hog_pid, &st, 0, NULL) < 0 && errno == EINTR) {}
  hog_pid = -1;
}

/* The stretch that holds poll `poll` (its index), or -1; *at is the poll's place in it. */
static int stretch_at(long poll, enum state st, long *at) {
  if (n_stretches == 0) return -1;
  if (window_poll < 0) {
    if (st != anomaly_phase) return -1;
    window_poll = poll;
  }
  long rel = poll - window_poll;
  for (int k = 0; k < n_stretches; k++) {
    if (rel >= stretches[k].start && rel < stretches[k].start + stretches[k].len) { *at = rel - stretches[k].start; return k; }
  }
  return -1;
}

static int hog_stretch = -1;

/* What the scenario does after poll number `poll` (its throttles already sent). Returns 1
 * when the loop must restart its schedule from now: after a stall it resumes from the end of
 * the computation rather than rushing through the polls it missed, so from there on it reads
 * the stream that much behind. */
static int perturb(long poll, enum state st) {
  long at = 0;
  int k = stretch_at(poll, st, &at);
  const long *p = k >= 0 ? stretches[k].p : NULL;
  switch (scenario) {
  case BUSYDELAY:
    if (k < 0 || at % p[1] != 0) return 0;
    busy_factor(k, (int)p[0]);
    return 1;
  case SOCKETS:
    if (k >= 0 && rng_uniform() * 1000.0 < (double)p[0]) send_datagram(k, (int)p[1], (int)(p[2] + (long)(rng_next() % (uint64_t)p[3])));
    return 0;
  case SHELL:
    if (k < 0 || at % p[0] != 0) return 0;
    run_shell(k, (int)p[1]);
    return 1;
  case HOG:
    if (hog_stretch >= 0 && k != hog_stretch) { stop_hog(hog_stretch); hog_stretch = -1; }
    if (k >= 0 && hog_stretch < 0 && at == 0) { start_hog(k, (int)p[0], (int)p[1]); hog_stretch = k; }
    return 0;
  default:
    return 0;
  }
}

/* The flight is over (landed, crashed or given up): a child still running is stopped first. */
static void perturb_end(void) {
  if (hog_stretch >= 0) { stop_hog(hog_stretch); hog_stretch = -1; }
}

static void parse_stretch(const char *v) {
  struct stretch *x = &stretches[n_stretches];
  char *end;
  long f[6];
  for (int i = 0; i < 6; i++) {
    errno = 0;
    f[i] = strtol(v, &end, 10);
    if (errno || end == v || f[i] < 0 || (i < 5 && *end != ':') || (i == 5 && *end)) die(1, "autopilot: anomaly=GAP:LEN:P1:P2:P3:P4 (non-negative integers)");
    v = end + 1;
  }
  if (n_stretches >= MAX_STRETCHES || f[1] < 1) die(1, "autopilot: too many anomaly stretches, or one of no polls");
  x->gap = f[0]; x->len = f[1];
  for (int i = 0; i < 4; i++) x->p[i] = f[2 + i];
  x->start = (n_stretches ? stretches[n_stretches - 1].start + stretches[n_stretches - 1].len : 0) + x->gap;
  n_stretches++;
}

/* Each scenario's parameters, checked once: a bad one is a usage error. */
static void check_schedule(void) {
  for (int k = 0; k < n_stretches; k++) {
    const long *p = stretches[k].p;
    int ok = 1;
    if (scenario == BUSYDELAY) ok = p[0] >= 8 && p[0] <= 31 && p[1] >= 1;
    else if (scenario == SOCKETS) ok = p[0] <= 1000 && p[1] >= 1 && p[1] <= 1024 && p[2] >= 1 && p[3] >= 1 && p[2] + p[3] <= 65536;
    else if (scenario == SHELL) ok = p[0] >= 1 && p[1] <= (long)N_LOOT;
    else if (scenario == HOG) ok = p[0] <= 64 && p[1] >= 1 && p[1] <= 1000;
    if (!ok) die(1, "autopilot: anomaly parameters out of range");
  }
}

/* ---- guidance and control ---- */

/* The route: the waypoint flown to now, passed within SWITCH_DIST (the destination is never passed). */
static int target = 0;

/* The wanted ground velocity toward the current waypoint: the cruise speed, slowed to pass
 * each waypoint at its corner speed and to stop at the destination. */
static void guidance(const struct mission *m, const struct sensors *s, double *vx, double *vy) {
  double ex, ey, d;
  for (;;) {
    ex = m->wx[target] - s->x;
    ey = m->wy[target] - s->y;
    d = sqrt(ex * ex + ey * ey);
    if (target + 1 < m->n && d < SWITCH_DIST) { target++; continue; }
    break;
  }
  double speed = target + 1 < m->n
    ? fmin(m->speed, sqrt(m->corner[target] * m->corner[target] + 2 * BRAKE_ACCEL * fmax(0, d - SWITCH_DIST)))
    : fmin(fmin(m->speed, sqrt(2 * BRAKE_ACCEL * d)), APPROACH_GAIN * d);
  *vx = d > 1e-9 ? speed * ex / d : 0;
  *vy = d > 1e-9 ? speed * ey / d : 0;
}

/* Horizontal velocity control: drag feed-forward for still air, proportional on the velocity
 * error, and its integral (the position error) for what the wind adds. */
static double ix, iy;
static void hold_velocity(const struct mission *m, const struct sensors *s, double vx, double vy, double dt, double *ux, double *uy) {
  double w = sqrt(vx * vx + vy * vy), exv = vx - s->vx, eyv = vy - s->vy;
  ix = clamp(ix + KI * exv * dt, -I_MAX, I_MAX);
  iy = clamp(iy + KI * eyv * dt, -I_MAX, I_MAX);
  *ux = m->k * w * vx / m->tx + KH * exv + ix;
  *uy = m->k * w * vy / m->ty + KH * eyv + iy;
}

/* ---- time ---- */
static struct timespec ts_add(struct timespec t, long ns) {
  t.tv_nsec += ns;
  while (t.tv_nsec >= 1000000000L) { t.tv_nsec -= 1000000000L; t.tv_sec++; }
  return t;
}

int main(int argc, char **argv) {
  const char *name = argc > 1 ? argv[1] : "normal";
  uint64_t seed = 1;
  const char *path = argc > 3 ? argv[3] : "/dev/ttyS0";
  int known = 0;
  for (int i = 0; i < (int)(sizeof scenario_names / sizeof scenario_names[0]); i++)
    if (strcmp(name, scenario_names[i]) == 0) { scenario = (enum scenario)i; known = 1; }
  if (!known) die(1, "usage: autopilot [normal|busydelay|sockets|shell|hog|spoof [SEED [PORT [poll_hz=N] [anomaly_phase=P] [anomaly=GAP:LEN:P1:P2:P3:P4]...]]]");
  if (argc > 2) {
    char *end;
    errno = 0;
    seed = strtoull(argv[2], &end, 10);
    if (errno || *end || argv[2][0] == '-' || !argv[2][0]) die(1, "autopilot: SEED must be an unsigned integer");
  }
  for (int i = 4; i < argc; i++) {
    if (strncmp(argv[i], "poll_hz=", 8) == 0) poll_hz = atol(argv[i] + 8);
    else if (strncmp(argv[i], "anomaly=", 8) == 0) parse_stretch(argv[i] + 8);
    else if (strncmp(argv[i], "anomaly_phase=", 14) == 0) {
      const char *v = argv[i] + 14;
      if (strcmp(v, "TAKEOFF") == 0) anomaly_phase = TAKEOFF;
      else if (strcmp(v, "CRUISE") == 0) anomaly_phase = CRUISE;
      else if (strcmp(v, "LANDING") == 0) anomaly_phase = LANDING;
      else die(1, "autopilot: anomaly_phase is TAKEOFF, CRUISE or LANDING");
    } else die(1, "autopilot: unknown option");
  }
  if (poll_hz < 1 || poll_hz > 200) die(1, "autopilot: option out of range");
  check_schedule();
  rng_state = seed;

  open_port(path);
  struct mission m = get_mission();
  const double hover = m.mass * m.g / m.tz;
  const long period_ns = 1000000000L / poll_hz;
  const double dt = 1.0 / (double)poll_hz;
  const long max_polls = MAX_FLIGHT_S * poll_hz;
  enum state st = TAKEOFF;
  char reply[64], stream[32];
  command("STATE TAKEOFF\n", reply, sizeof reply);
  snprintf(stream, sizeof stream, "STREAM %ld\n", poll_hz);
  command(stream, reply, sizeof reply);
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);

  for (long poll = 0; poll < max_polls; poll++) {
    struct sensors s = next_sensors();
    if (strcmp(s.status, "CRASHED") == 0) {
      send_line("STATE CRASHED\n");
      die(3, "autopilot: the drone crashed");
    }
    if (strcmp(s.status, "LANDED") == 0) {
      perturb_end();
      set_throttles(0, 0, 0);
      report_state(LANDED);
      return 0;
    }
    if (poll == 0) plan_corners(&m, s.x, s.y);
    double ux = 0, uy = 0, uz = 0, vx = 0, vy = 0; /* throttles; wanted ground velocity */
    if (st == TAKEOFF) {
      /* Throttle up; cut over to CRUISE once coasting would carry it to cruise altitude. */
      uz = hover + TAKEOFF_EXTRA;
      if (s.alt + (s.vz > 0 ? s.vz * s.vz / (2 * m.g) : 0) >= m.alt) { st = CRUISE; report_state(st); }
    }
    if (st == CRUISE) {
      double last_x = m.wx[m.n - 1] - s.x, last_y = m.wy[m.n - 1] - s.y;
      if (target == m.n - 1 && sqrt(last_x * last_x + last_y * last_y) < ARRIVE_DIST && hypot(s.vx, s.vy) < ARRIVE_SPEED) {
        st = LANDING;
        report_state(st);
      }
    }
    if (st == CRUISE) {
      double vz_want = clamp(KP_ALT * (m.alt - s.alt), -MAX_VZ, MAX_VZ);
      uz = hover + KV * (vz_want - s.vz);
      /* Off altitude, hold position (speed 0) until back at it. */
      if (fabs(m.alt - s.alt) <= ALT_OK) guidance(&m, &s, &vx, &vy);
    } else if (st == LANDING) {
      double vz_want = -clamp(LAND_KP * s.alt, LAND_VMIN, LAND_VMAX);
      uz = hover + KV * (vz_want - s.vz);
      guidance(&m, &s, &vx, &vy); /* hold over the destination on the way down */
    }
    /* Horizontal control once off the ground (the ground holds it until then). */
    if (strcmp(s.status, "FLYING") == 0) hold_velocity(&m, &s, vx, vy, dt, &ux, &uy);
    set_throttles(ux, uy, uz);

    if (perturb(poll, st)) clock_gettime(CLOCK_MONOTONIC, &next);

    /* Fixed-rate schedule (absolute deadlines: a late poll is made up at once). */
    next = ts_add(next, period_ns);
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
  }
  die(5, "autopilot: the mission took too long");
  return 5;
}
