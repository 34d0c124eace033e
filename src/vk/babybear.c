/*
 * babybear.c - exponentiation, inversion and two-adic roots of unity in
 * BabyBear (Plonky3 baby-bear crate conventions).
 */
#include <config.h>
#include "vk/babybear.h"

/* Plonky3 BabyBear::TWO_ADIC_GENERATOR (a primitive 2^27-th root of 1). */
#define BB_OMEGA_27 0x1a427a41u

uint32_t bb_pow(uint32_t a, uint64_t e)
{
    uint32_t r = 1;
    while (e != 0) {
        if (e & 1) {
            r = bb_mul(r, a);
        }
        a = bb_mul(a, a);
        e >>= 1;
    }
    return r;
}

uint32_t bb_inv(uint32_t a)
{
    /* Fermat: a^(p-2); maps 0 to 0. */
    return bb_pow(a, (uint64_t)BB_P - 2);
}

uint32_t bb_two_adic_generator(unsigned log_n)
{
    if (log_n > BB_TWO_ADICITY) {
        return 0;
    }
    uint32_t w = BB_OMEGA_27;
    for (unsigned k = BB_TWO_ADICITY; k > log_n; k--) {
        w = bb_mul(w, w);
    }
    return w;
}
