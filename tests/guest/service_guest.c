/*
 * service_guest.c - a hostile RV32IM guest for the prover service tests
 * (tests/integ/service_badinput.sh), built with riscv64-unknown-elf-gcc
 * -march=rv32im when configure finds it. It never halts normally:
 *
 *   stdin item 0 = u32 mode (little-endian)
 *     1: touches a new 4 KiB page forever (allocates without bound)
 *     2: spins forever (only the cycle limit or the wall clock stop it)
 *
 * The "sp1-zkvm-3.0.0" string makes the loader use SP1 v3 rules.
 */
#include <stdint.h>

typedef uint32_t u32;

#define SYS_HALT      0x00u
#define SYS_HINT_LEN  0xF0u
#define SYS_HINT_READ 0xF1u

__attribute__((used)) static const char marker[] = "sp1-zkvm-3.0.0";

static inline u32 ecall2(u32 id, u32 a0, u32 a1)
{
    u32 ret;
    __asm__ volatile("mv t0, %1\n\tmv a0, %2\n\tmv a1, %3\n\tecall\n\t"
                     "mv %0, t0"
                     : "=r"(ret)
                     : "r"(id), "r"(a0), "r"(a1)
                     : "t0", "a0", "a1", "memory");
    return ret;
}

/* HINT_READ must target memory outside the ELF image (SP1 refuses to
 * hint into initialised words, and .bss is part of the image). */
#define HINT_BUF ((volatile u32 *)0x0a000000u)

int main(void);

__attribute__((naked, section(".text.start"))) void _start(void)
{
    __asm__ volatile(".option push\n\t.option norelax\n\t"
                     "la gp, __global_pointer$\n\t.option pop\n\t"
                     "la sp, __stack_top\n\t"
                     "call main\n\t"
                     "li t0, 0\n\t"
                     "ecall\n");
}

int main(void)
{
    u32 len = ecall2(SYS_HINT_LEN, 0, 0);
    u32 mode = 0;
    if (len == 4) {
        ecall2(SYS_HINT_READ, (u32)(uintptr_t)HINT_BUF, 4);
        mode = HINT_BUF[0];
    }
    if (mode == 1) {
        volatile u32 *p = (volatile u32 *)0x10000000u;
        for (;;) {
            *p = (u32)(uintptr_t)p;
            p += 1024;
            if ((uintptr_t)p >= 0x78000000u) {
                break; /* 1.6 GiB touched; then spin */
            }
        }
    }
    for (volatile u32 i = 0;; i++) {
    }
    return 1;
}
