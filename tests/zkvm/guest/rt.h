/* rt.h - see rt.c. */
#ifndef ZK_TESTS_GUEST_RT_H
#define ZK_TESTS_GUEST_RT_H
#include <stdint.h>
void guest_out(const void *p, uint32_t n);
void guest_exit(int code) __attribute__((noreturn));
void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n);
#endif
