/* The guest's vDSO: clock reads without a syscall, as Linux's vDSO does, so a
   program's syscall sequence matches the native one. Time comes from RDTSC,
   which the core returns as the virtual clock (1 tick = 1 ns, TSC offset 0).
   CLOCK_REALTIME adds the kernel's epoch (src/kernel/clock.ts EPOCH_NS).
   Clocks it does not know go to the real syscall. */
#define EPOCH_NS 1546300800000000000
#define NSEC 1000000000

        .text
        .globl __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time, __vdso_clock_getres, __vdso_getcpu
        .type __vdso_clock_gettime,@function
        .type __vdso_gettimeofday,@function
        .type __vdso_time,@function
        .type __vdso_clock_getres,@function
        .type __vdso_getcpu,@function
        .weak clock_gettime, gettimeofday, time, clock_getres, getcpu
        .set clock_gettime, __vdso_clock_gettime
        .set gettimeofday, __vdso_gettimeofday
        .set time, __vdso_time
        .set clock_getres, __vdso_clock_getres
        .set getcpu, __vdso_getcpu

/* rax <- nanoseconds on the monotonic clock */
        .macro NOW
        rdtsc
        shl $32, %rdx
        or %rdx, %rax
        .endm

/* int clock_gettime(clockid_t id, struct timespec *ts) */
__vdso_clock_gettime:
        cmp $0, %edi;  je 1f        /* REALTIME */
        cmp $5, %edi;  je 1f        /* REALTIME_COARSE */
        cmp $11, %edi; je 1f        /* TAI */
        cmp $1, %edi;  je 2f        /* MONOTONIC */
        cmp $4, %edi;  je 2f        /* MONOTONIC_RAW */
        cmp $6, %edi;  je 2f        /* MONOTONIC_COARSE */
        cmp $7, %edi;  je 2f        /* BOOTTIME */
        mov $228, %eax              /* anything else: the syscall */
        syscall
        ret
1:      NOW
        movabs $EPOCH_NS, %rcx
        add %rcx, %rax
        jmp 3f
2:      NOW
3:      xor %edx, %edx
        mov $NSEC, %ecx
        div %rcx
        mov %rax, (%rsi)
        mov %rdx, 8(%rsi)
        xor %eax, %eax
        ret

/* int gettimeofday(struct timeval *tv, struct timezone *tz) */
__vdso_gettimeofday:
        test %rdi, %rdi
        jz 1f
        NOW
        movabs $EPOCH_NS, %rcx
        add %rcx, %rax
        xor %edx, %edx
        mov $NSEC, %ecx
        div %rcx
        mov %rax, (%rdi)
        mov %rdx, %rax
        xor %edx, %edx
        mov $1000, %ecx
        div %rcx
        mov %rax, 8(%rdi)
1:      test %rsi, %rsi
        jz 2f
        movq $0, (%rsi)
2:      xor %eax, %eax
        ret

/* time_t time(time_t *t) */
__vdso_time:
        NOW
        movabs $EPOCH_NS, %rcx
        add %rcx, %rax
        xor %edx, %edx
        mov $NSEC, %ecx
        div %rcx
        test %rdi, %rdi
        jz 1f
        mov %rax, (%rdi)
1:      ret

/* int clock_getres(clockid_t id, struct timespec *res): 1 ns, coarse clocks 4 ms */
__vdso_clock_getres:
        mov $1, %ecx
        cmp $5, %edi;  je 2f
        cmp $6, %edi;  je 2f
        cmp $0, %edi;  je 1f
        cmp $1, %edi;  je 1f
        cmp $4, %edi;  je 1f
        cmp $7, %edi;  je 1f
        cmp $11, %edi; je 1f
        mov $229, %eax
        syscall
        ret
2:      mov $4000000, %ecx
1:      test %rsi, %rsi
        jz 3f
        movq $0, (%rsi)
        mov %rcx, 8(%rsi)
3:      xor %eax, %eax
        ret

/* int getcpu(unsigned *cpu, unsigned *node, void *cache): one CPU, one node */
__vdso_getcpu:
        test %rdi, %rdi
        jz 1f
        movl $0, (%rdi)
1:      test %rsi, %rsi
        jz 2f
        movl $0, (%rsi)
2:      xor %eax, %eax
        ret
