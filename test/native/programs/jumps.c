/* setjmp/longjmp, recursion, function pointers, switch tables, a stack-heavy frame. */
#include <stdio.h>
#include <setjmp.h>
#include <string.h>
static jmp_buf jb;
static int depth(int n) { if (n == 0) longjmp(jb, 7); char pad[200]; memset(pad, n, sizeof pad); return depth(n - 1) + pad[n % 200]; }
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int sw(int x) { switch (x & 15) { case 0: return 3; case 1: return 9; case 2: return 27; case 3: return 1; case 4: return 77; case 5: return 12; case 6: return 5; case 7: return 100; default: return x; } }
typedef int (*fn)(int);
int main(void) {
  int r = setjmp(jb);
  if (r == 0) depth(50);
  fn fs[2] = { fib, sw };
  long t = 0;
  for (int i = 0; i < 1000; i++) t += fs[i & 1](i % 20);
  printf("%d %ld %d\n", r, t, fib(24));
  return 0;
}
