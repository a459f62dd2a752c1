/* /proc/cpuinfo, /proc/self/status, /proc/self/maps, cmdline and environ checked against what the
 * program can learn otherwise: the CPUID instruction, its own ids, masks and dispositions, the
 * addresses of its code, stack, heap and mappings, its argv and environment. Only agreements are
 * printed, so a native run on any x86-64 host prints the same lines as the emulated one. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <cpuid.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>

static char cpuinfo[1 << 16];

/* The value of "name\t...: value" in the first processor's block. */
static const char *field(const char *name, char *out, size_t len) {
  size_t n = strlen(name);
  for (const char *l = cpuinfo; l && *l && *l != '\n'; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
    if (strncmp(l, name, n) || (l[n] != '\t' && l[n] != ':')) continue;
    const char *v = strchr(l, ':');
    v = v[1] == ' ' ? v + 2 : v + 1;
    size_t k = strcspn(v, "\n");
    if (k >= len) k = len - 1;
    memcpy(out, v, k);
    out[k] = 0;
    return out;
  }
  return NULL;
}

static int has_flag(const char *flags, const char *f) {
  size_t n = strlen(f);
  for (const char *p = flags; (p = strstr(p, f)); p += n)
    if ((p == flags || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)) return 1;
  return 0;
}

static const char *yes(int c) { return c ? "yes" : "no"; }

static void check_cpuinfo(void) {
  FILE *f = fopen("/proc/cpuinfo", "r");
  size_t n = f ? fread(cpuinfo, 1, sizeof cpuinfo - 1, f) : 0;
  cpuinfo[n] = 0;
  if (f) fclose(f);
  unsigned a, b, c, d, maxleaf;
  __cpuid(0, maxleaf, b, c, d);
  char vendor[13];
  memcpy(vendor, &b, 4); memcpy(vendor + 4, &d, 4); memcpy(vendor + 8, &c, 4); vendor[12] = 0;
  char v[4096];
  printf("cpuinfo vendor_id agrees with CPUID: %s\n", yes(field("vendor_id", v, sizeof v) && !strcmp(v, vendor)));
  printf("cpuinfo cpuid level agrees: %s\n", yes(field("cpuid level", v, sizeof v) && (unsigned)atoi(v) == maxleaf));
  unsigned sig, ebx1, ecx1, edx1;
  __cpuid(1, sig, ebx1, ecx1, edx1);
  unsigned base = (sig >> 8) & 0xf, family = base == 0xf ? base + ((sig >> 20) & 0xff) : base;
  unsigned model = base >= 6 ? ((sig >> 4) & 0xf) | (((sig >> 16) & 0xf) << 4) : (sig >> 4) & 0xf;
  printf("cpuinfo cpu family agrees: %s\n", yes(field("cpu family", v, sizeof v) && (unsigned)atoi(v) == family));
  printf("cpuinfo model agrees: %s\n", yes(field("model", v, sizeof v) && (unsigned)atoi(v) == model));
  printf("cpuinfo stepping agrees: %s\n", yes(field("stepping", v, sizeof v) && (unsigned)atoi(v) == (sig & 0xf)));
  unsigned maxext, e1c = 0, e1d = 0;
  __cpuid(0x80000000, maxext, b, c, d);
  if (maxext >= 0x80000001) __cpuid(0x80000001, a, b, e1c, e1d);
  if (maxext >= 0x80000004) {
    unsigned w[12];
    for (int i = 0; i < 3; i++) __cpuid(0x80000002 + i, w[i * 4], w[i * 4 + 1], w[i * 4 + 2], w[i * 4 + 3]);
    char brand[49];
    memcpy(brand, w, 48);
    brand[48] = 0;
    char *s = brand;
    while (*s == ' ') s++;
    char *e = s + strlen(s);
    while (e > s && e[-1] == ' ') *--e = 0;
    printf("cpuinfo model name is the brand string: %s\n", yes(field("model name", v, sizeof v) && !strcmp(v, s)));
  }
  char flags[4096];
  if (!field("flags", flags, sizeof flags)) { printf("cpuinfo: no flags line\n"); return; }
  struct { const char *name; unsigned word, bit; } fl[] = {
    {"fpu", 0, 0}, {"tsc", 0, 4}, {"cx8", 0, 8}, {"cmov", 0, 15}, {"clflush", 0, 19}, {"mmx", 0, 23},
    {"fxsr", 0, 24}, {"sse", 0, 25}, {"sse2", 0, 26},
    {"pni", 1, 0}, {"pclmulqdq", 1, 1}, {"ssse3", 1, 9}, {"cx16", 1, 13}, {"sse4_1", 1, 19}, {"sse4_2", 1, 20},
    {"movbe", 1, 22}, {"popcnt", 1, 23}, {"aes", 1, 25}, {"xsave", 1, 26}, {"avx", 1, 28}, {"hypervisor", 1, 31},
    {"syscall", 2, 11}, {"nx", 2, 20}, {"mmxext", 2, 22}, {"rdtscp", 2, 27}, {"lm", 2, 29},
    {"lahf_lm", 3, 0}, {"abm", 3, 5}, {"sse4a", 3, 6},
  };
  unsigned words[4] = {edx1, ecx1, e1d, e1c};
  int agree = 0, total = sizeof fl / sizeof fl[0];
  for (int i = 0; i < total; i++) {
    int in_cpuid = (words[fl[i].word] >> fl[i].bit) & 1;
    if (in_cpuid == has_flag(flags, fl[i].name)) agree++;
    else printf("cpuinfo flag %s: CPUID %d, cpuinfo %d\n", fl[i].name, in_cpuid, !in_cpuid);
  }
  printf("cpuinfo flags agree with CPUID: %d of %d\n", agree, total);
}

static long status_num(const char *status, const char *name, int base) {
  char key[64];
  snprintf(key, sizeof key, "\n%s:\t", name);
  const char *p = strstr(status, key);
  return p ? strtol(p + strlen(key), NULL, base) : -12345;
}

static void on_usr1(int s) { (void)s; }

static void check_status(void) {
  signal(SIGPIPE, SIG_IGN);
  signal(SIGUSR1, on_usr1);
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR2);
  sigprocmask(SIG_BLOCK, &m, NULL);
  raise(SIGUSR2);  /* stays pending: blocked */
  prctl(PR_SET_NAME, "procname");
  mode_t um = umask(027);
  umask(027);
  char status[8192] = "\n";
  FILE *f = fopen("/proc/self/status", "r");
  size_t n = f ? fread(status + 1, 1, sizeof status - 2, f) : 0;
  status[n + 1] = 0;
  if (f) fclose(f);
  (void)um;
  printf("status Name is the prctl name: %s\n", yes(strstr(status, "\nName:\tprocname\n") != NULL));
  printf("status Umask: %s\n", yes(status_num(status, "Umask", 8) == 027));
  printf("status Pid, Tgid are getpid: %s %s\n", yes(status_num(status, "Pid", 10) == getpid()), yes(status_num(status, "Tgid", 10) == getpid()));
  printf("status PPid is getppid: %s\n", yes(status_num(status, "PPid", 10) == getppid()));
  printf("status Uid is getuid: %s\n", yes(status_num(status, "Uid", 10) == (long)getuid()));
  printf("status Threads: %ld\n", status_num(status, "Threads", 10));
  printf("status SigBlk is the mask: %s\n", yes(status_num(status, "SigBlk", 16) == 1L << (SIGUSR2 - 1)));
  printf("status SigPnd holds the blocked raise: %s\n", yes(status_num(status, "SigPnd", 16) == 1L << (SIGUSR2 - 1)));
  printf("status SigIgn has SIGPIPE: %s\n", yes(status_num(status, "SigIgn", 16) & (1L << (SIGPIPE - 1))));
  printf("status SigCgt has SIGUSR1: %s\n", yes(status_num(status, "SigCgt", 16) & (1L << (SIGUSR1 - 1))));
  printf("status VmSize above VmStk: %s\n", yes(status_num(status, "VmSize", 10) > status_num(status, "VmStk", 10)));
}

/* The maps line holding `addr`: its permissions and name. */
static int map_of(const char *maps, unsigned long addr, char *perms, char *name) {
  for (const char *l = maps; *l; l = strchr(l, '\n') + 1) {
    unsigned long lo, hi;
    char p[5], nm[512] = "", line[600];
    size_t len = strcspn(l, "\n");  /* one line at a time: a nameless line must not read the next */
    if (len >= sizeof line) len = sizeof line - 1;
    memcpy(line, l, len);
    line[len] = 0;
    if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %511[^\n]", &lo, &hi, p, nm) >= 3 && addr >= lo && addr < hi) {
      strcpy(perms, p);
      strcpy(name, nm);
      return 1;
    }
    if (!strchr(l, '\n')) break;
  }
  return 0;
}

static void check_maps(void) {
  static char maps[1 << 16];
  void *heap = malloc(32);
  char *anon = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  int local = 0;
  FILE *f = fopen("/proc/self/maps", "r");
  size_t n = f ? fread(maps, 1, sizeof maps - 1, f) : 0;
  maps[n] = 0;
  if (f) fclose(f);
  char exe[512] = "";
  ssize_t el = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (el > 0) exe[el] = 0;
  char perms[8], name[512];
  int ok = map_of(maps, (unsigned long)check_maps, perms, name);
  printf("maps: code r-xp, named /proc/self/exe: %s %s\n", yes(ok && !strcmp(perms, "r-xp")), yes(ok && !strcmp(name, exe)));
  ok = map_of(maps, (unsigned long)&local, perms, name);
  printf("maps: a local in [stack] rw-p: %s\n", yes(ok && !strcmp(perms, "rw-p") && !strcmp(name, "[stack]")));
  ok = map_of(maps, (unsigned long)heap, perms, name);
  printf("maps: malloc(32) in [heap] rw-p: %s\n", yes(ok && !strcmp(perms, "rw-p") && !strcmp(name, "[heap]")));
  ok = map_of(maps, (unsigned long)anon, perms, name);
  printf("maps: an anonymous mmap rw-p, no name: %s\n", yes(ok && !strcmp(perms, "rw-p") && name[0] == 0));
  mprotect(anon, 4096, PROT_READ);
  f = fopen("/proc/self/maps", "r");
  n = f ? fread(maps, 1, sizeof maps - 1, f) : 0;
  maps[n] = 0;
  if (f) fclose(f);
  char p2[8];
  map_of(maps, (unsigned long)anon, perms, name);
  map_of(maps, (unsigned long)anon + 4096, p2, name);
  printf("maps: after mprotect of its first page: %s then %s\n", perms, p2);
  unsigned long vdso = 0;
  for (const char *l = maps; *l; l = strchr(l, '\n') + 1) {
    if (strstr(l, "[vdso]") && strchr(l, '\n') > strstr(l, "[vdso]")) { sscanf(l, "%lx", &vdso); break; }
    if (!strchr(l, '\n')) break;
  }
  ok = vdso && map_of(maps, vdso, perms, name);
  printf("maps: [vdso] r-xp: %s\n", yes(ok && !strcmp(perms, "r-xp")));
}

/* A whole /proc file's bytes. */
static size_t slurp(const char *path, char *buf, size_t size) {
  FILE *f = fopen(path, "r");
  size_t n = f ? fread(buf, 1, size, f) : 0;
  if (f) fclose(f);
  return n;
}

/* argv and environ laid end to end with their NULs: what cmdline and environ hold. */
static size_t joined(char **v, char *buf, size_t size) {
  size_t n = 0;
  for (; *v; v++) {
    size_t k = strlen(*v) + 1;
    if (n + k > size) return 0;
    memcpy(buf + n, *v, k);
    n += k;
  }
  return n;
}

static char want[1 << 17], got[1 << 17];

static void check_strings(char **argv) {
  size_t w = joined(argv, want, sizeof want), g = slurp("/proc/self/cmdline", got, sizeof got);
  printf("cmdline is argv with its NULs: %s\n", yes(w > 0 && g == w && !memcmp(got, want, w)));
  w = joined(environ, want, sizeof want), g = slurp("/proc/self/environ", got, sizeof got);
  printf("environ is the environment with its NULs: %s\n", yes(g == w && !memcmp(got, want, w)));
  argv[0][0] = 'X';  /* cmdline reads the process's memory as it is now */
  g = slurp("/proc/self/cmdline", got, sizeof got);
  printf("cmdline follows a change to argv[0]: %s\n", yes(g > 0 && got[0] == 'X'));
}

int main(int argc, char **argv) {
  (void)argc;
  check_cpuinfo();
  check_status();
  check_maps();
  check_strings(argv);
  return 0;
}
