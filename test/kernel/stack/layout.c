/* Prints where the kernel put the initial stack's parts: argc, the argv and envp strings, and each
 * auxv entry (its value; for the ones pointing into the stack, the address). Run natively under
 * setarch -R and in the emulator with the same path, argv and environment, the lines must agree
 * (test/kernel/stack.test.ts; entries the emulated 6.1 kernel does not give are dropped there). */
#include <stdio.h>
#include <elf.h>

int main(int argc, char **argv, char **envp) {
  int n = 0;
  while (envp[n]) n++;
  printf("argc %p\n", (void *)(argv - 1));
  for (int i = 0; i < argc; i++) printf("argv[%d] %p\n", i, (void *)argv[i]);
  for (int i = 0; i < n; i++) printf("envp[%d] %p\n", i, (void *)envp[i]);
  for (unsigned long *av = (unsigned long *)(envp + n + 1); av[0] != AT_NULL; av += 2) {
    /* The CPU's features and the signal frame's size are the host CPU's natively, the core's here. */
    if (av[0] == AT_HWCAP || av[0] == AT_HWCAP2 || av[0] == AT_MINSIGSTKSZ) continue;
    printf("auxv %lu %#lx\n", av[0], av[1]);
  }
  return 0;
}
