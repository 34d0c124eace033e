/*
 * zkvm_sha256.c - benchmark program: software SHA-256 over a 1 MiB buffer,
 * repeated REPS times (each round hashes the buffer and mixes the digest
 * back in). Built as an SP1 guest (with tests/zkvm/guest/rt.c) and natively
 * (-DNATIVE) for the interpreter-vs-hardware ratio. Prints the digest.
 */
#include <stdint.h>

#include "sha256_sw.h"

#ifndef REPS
#define REPS 8
#endif

static uint8_t buf[1 << 20];

static void fill(void)
{
    uint32_t x = 0x12345678u;
    for (uint32_t i = 0; i < sizeof(buf); i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        buf[i] = (uint8_t)x;
    }
}

static void run(uint8_t dig[32])
{
    fill();
    for (int r = 0; r < REPS; r++) {
        sw_sha256(dig, buf, sizeof(buf));
        for (int i = 0; i < 32; i++)
            buf[i] ^= dig[i];
    }
}

#ifdef NATIVE
#include <stdio.h>
#include <time.h>
int main(void)
{
    uint8_t dig[32];
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    run(dig);
    clock_gettime(CLOCK_MONOTONIC, &b);
    for (int i = 0; i < 32; i++)
        printf("%02x", dig[i]);
    printf(" %.6f\n", (double)(b.tv_sec - a.tv_sec) +
                          (double)(b.tv_nsec - a.tv_nsec) / 1e9);
    return 0;
}
#else
#include "rt.h"
int main(void)
{
    uint8_t dig[32];
    run(dig);
    guest_out(dig, 32);
    return 0;
}
#endif
