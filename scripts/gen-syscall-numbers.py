#!/usr/bin/env python3
"""Regenerate src/linux/syscall-numbers.ts from this machine's <asm/unistd_64.h>."""
import re
rows = []
for line in open('/usr/include/x86_64-linux-gnu/asm/unistd_64.h'):
    m = re.match(r'#define __NR_(\w+)\s+(\d+)', line)
    if m:
        rows.append((int(m.group(2)), m.group(1)))
rows.sort()
out = ['// x86-64 Linux system call numbers, generated from <asm/unistd_64.h> of this',
       "// machine's kernel headers (scripts/gen-syscall-numbers.py).", '',
       'export const SYSCALL_NAMES: Record<number, string> = {']
out += [f'  {n}: "{name}",' for n, name in rows]
out += ['};', '',
        'export const SYSCALL_NUMBERS: Record<string, number> = Object.fromEntries(',
        '  Object.entries(SYSCALL_NAMES).map(([n, name]) => [name, Number(n)]),',
        ');', '',
        'export function syscallName(nr: number | bigint): string {',
        '  return SYSCALL_NAMES[Number(nr)] ?? `syscall_${nr}`;',
        '}']
open('src/linux/syscall-numbers.ts', 'w').write('\n'.join(out) + '\n')
