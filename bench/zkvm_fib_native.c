/*
 * zkvm_fib_native.c - the fixture guests' Fibonacci loop (mod 7919, as in
 * SP1's examples/fibonacci) compiled natively, for the benchmark ratio.
 * Usage: zkvm_fib_native N  -> prints a, b and the seconds taken.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int main(int argc, char **argv)
{
    volatile uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 10) : 10;
    uint32_t a = 0, b = 1;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = (a + b) % 7919;
        a = b;
        b = c;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("%u %u %.6f\n", a, b,
           (double)(t1.tv_sec - t0.tv_sec) +
               (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    return 0;
}
