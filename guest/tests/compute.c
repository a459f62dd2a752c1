/* Integer compute: arithmetic at every width, 64-bit and 128-bit mul/div,
 * shifts/rotates, bit tricks (clz/ctz/popcount/bswap/parity) and a switch
 * that gcc compiles to a jump table. Inputs come from a fixed xorshift
 * stream through volatiles, so nothing folds at compile time. Prints one
 * checksum per section; a few built-in identities are checked (exit 1). */
#include <stdio.h>
#include <stdint.h>
#include <inttypes.h>

static uint64_t s = 0x243F6A8885A308D3ull;
static uint64_t rnd(void) { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; }

/* Edge values that stress flags and overflow paths. */
static const uint64_t edges[] = {
  0, 1, 2, 3, 7, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000,
  0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
  0x8000000000000000ull, 0xfffffffffffffffeull, 0xffffffffffffffffull,
};
#define NEDGE (sizeof edges / sizeof edges[0])

static uint64_t operand(unsigned i) { return i < NEDGE ? edges[i] : rnd(); }

static uint64_t mix(uint64_t h, uint64_t v) { h ^= v; h *= 0x100000001b3ull; return h ^ (h >> 29); }

static int failures;
static void check(int ok, const char *what) {
  if (!ok) { printf("FAIL %s\n", what); failures++; }
}

static __attribute__((noinline)) int jump_table(unsigned k, int x) {
  switch (k) {
  case 0: return x + 1;     case 1: return x * 3;     case 2: return x ^ 0x55;
  case 3: return x - 17;    case 4: return x << 2;    case 5: return x >> 1;
  case 6: return ~x;        case 7: return -x;        case 8: return x | 0x100;
  case 9: return x & 0xf0f; case 10: return x % 7;   case 11: return x / 5;
  case 12: return x * x;    case 13: return x + 1000; case 14: return x ^ (x >> 3);
  case 15: return 42;       case 16: return x * 13;   case 17: return x - 3;
  default: return -1;
  }
}

int main(void) {
  const unsigned N = 4000;
  volatile uint64_t va, vb;
  uint64_t h;

  /* 8/16/32/64-bit add, sub, and, or, xor, neg, not with carries. */
  h = 0;
  for (unsigned i = 0; i < N; i++) {
    va = operand(i % 64 < NEDGE ? i % 64 : 99); vb = operand((i * 7) % 64 < NEDGE ? (i * 7) % 64 : 99);
    uint64_t a = va, b = vb;
    h = mix(h, a + b); h = mix(h, a - b); h = mix(h, a & b); h = mix(h, a | b); h = mix(h, a ^ b);
    h = mix(h, (uint32_t)a + (uint32_t)b); h = mix(h, (uint32_t)a - (uint32_t)b);
    h = mix(h, (uint16_t)((uint16_t)a + (uint16_t)b)); h = mix(h, (uint8_t)((uint8_t)a - (uint8_t)b));
    h = mix(h, (int64_t)a < (int64_t)b); h = mix(h, a < b); h = mix(h, (int32_t)a < (int32_t)b);
    h = mix(h, (int8_t)a > (int8_t)b); h = mix(h, (uint64_t)-(int64_t)a); h = mix(h, ~a);
  }
  printf("alu %016" PRIx64 "\n", h);

  /* Multiply and divide, signed and unsigned, 32/64/128. */
  h = 0;
  for (unsigned i = 0; i < N; i++) {
    va = operand(i % 40 < NEDGE ? i % 40 : 99); vb = operand((i * 3 + 1) % 40 < NEDGE ? (i * 3 + 1) % 40 : 99);
    uint64_t a = va, b = vb;
    h = mix(h, a * b);
    h = mix(h, (uint64_t)((unsigned __int128)a * b >> 64));
    h = mix(h, (uint64_t)((__int128)(int64_t)a * (int64_t)b >> 64));
    h = mix(h, (uint32_t)a * (uint32_t)b);
    h = mix(h, (uint64_t)(int64_t)((int32_t)a * (int64_t)(int32_t)b));
    if (b) { h = mix(h, a / b); h = mix(h, a % b); }
    if ((uint32_t)b) { h = mix(h, (uint32_t)a / (uint32_t)b); h = mix(h, (uint32_t)a % (uint32_t)b); }
    if (b && !((int64_t)a == INT64_MIN && (int64_t)b == -1)) {
      h = mix(h, (uint64_t)((int64_t)a / (int64_t)b)); h = mix(h, (uint64_t)((int64_t)a % (int64_t)b));
    }
    if ((int32_t)b && !((int32_t)a == INT32_MIN && (int32_t)b == -1)) {
      h = mix(h, (uint64_t)(int64_t)((int32_t)a / (int32_t)b)); h = mix(h, (uint64_t)(int64_t)((int32_t)a % (int32_t)b));
    }
    if (b >> 1) { /* 128/64 division goes through libgcc's __udivti3 */
      unsigned __int128 n = ((unsigned __int128)a << 64) | b;
      h = mix(h, (uint64_t)(n / (b >> 1))); h = mix(h, (uint64_t)(n % (b >> 1)));
    }
  }
  printf("muldiv %016" PRIx64 "\n", h);

  /* Shifts and rotates at every count (incl. >= width masking in C terms). */
  h = 0;
  for (unsigned i = 0; i < 2000; i++) {
    va = operand(i % 30 < NEDGE ? i % 30 : 99);
    uint64_t a = va; unsigned c = i % 64;
    h = mix(h, a << c); h = mix(h, a >> c); h = mix(h, (uint64_t)((int64_t)a >> c));
    h = mix(h, (a << c) | (a >> ((64 - c) & 63)));
    uint32_t w = (uint32_t)a; unsigned c32 = c & 31;
    h = mix(h, w << c32); h = mix(h, w >> c32); h = mix(h, (uint32_t)((int32_t)w >> c32));
    h = mix(h, (uint32_t)((w >> c32) | (w << ((32 - c32) & 31))));
    uint16_t x16 = (uint16_t)a; h = mix(h, (uint16_t)(x16 << (c & 15))); h = mix(h, (uint16_t)((int16_t)x16 >> (c & 15)));
    /* double-width shifts compile to SHLD/SHRD */
    unsigned __int128 d = ((unsigned __int128)a << 64) | rnd();
    h = mix(h, (uint64_t)(d >> c)); h = mix(h, (uint64_t)((d << c) >> 64));
  }
  printf("shift %016" PRIx64 "\n", h);

  /* Bit tricks. */
  h = 0;
  for (unsigned i = 0; i < N; i++) {
    va = operand(i % 50 < NEDGE ? i % 50 : 99);
    uint64_t a = va;
    h = mix(h, (uint64_t)__builtin_popcountll(a)); h = mix(h, (uint64_t)__builtin_parityll(a));
    if (a) { h = mix(h, (uint64_t)__builtin_clzll(a)); h = mix(h, (uint64_t)__builtin_ctzll(a)); }
    if ((uint32_t)a) { h = mix(h, (uint64_t)__builtin_clz((uint32_t)a)); h = mix(h, (uint64_t)__builtin_ctz((uint32_t)a)); }
    h = mix(h, __builtin_bswap64(a)); h = mix(h, __builtin_bswap32((uint32_t)a)); h = mix(h, __builtin_bswap16((uint16_t)a));
    h = mix(h, a & (a - 1)); h = mix(h, a & -a); h = mix(h, (uint64_t)__builtin_ffsll((long long)a));
    int64_t sa = (int64_t)a; h = mix(h, (uint64_t)(sa < 0 ? -sa : sa));
    h = mix(h, (uint64_t)(int64_t)(int8_t)a); h = mix(h, (uint64_t)(int64_t)(int16_t)a); h = mix(h, (uint64_t)(int64_t)(int32_t)a);
    h = mix(h, (a >> 17) & 1 ? a : ~a); /* cmov */
  }
  printf("bits %016" PRIx64 "\n", h);

  /* Jump table. */
  h = 0;
  for (unsigned i = 0; i < N; i++) h = mix(h, (uint64_t)(int64_t)jump_table((unsigned)(rnd() % 20), (int)rnd()));
  printf("switch %016" PRIx64 "\n", h);

  /* Identities that must hold on any correct CPU. */
  va = 0xffffffffffffffffull; vb = 3;
  check(va / vb == 0x5555555555555555ull, "udiv64");
  check((int64_t)va / (int64_t)vb == 0, "sdiv64");
  check((uint64_t)((unsigned __int128)va * va >> 64) == 0xfffffffffffffffeull, "mul128 high");
  va = 0x0123456789abcdefull;
  check(__builtin_bswap64(va) == 0xefcdab8967452301ull, "bswap64");
  check(__builtin_popcountll(va) == 32, "popcount");
  check(__builtin_ctzll(va << 4) == 4 && __builtin_clzll(va) == 7, "clz/ctz");
  va = (uint64_t)INT64_MIN;
  check((int64_t)va >> 63 == -1, "sar63");
  printf("checks %s\n", failures ? "FAILED" : "ok");
  return failures ? 1 : 0;
}
