/*
 * babybear.h - arithmetic in the BabyBear field, p = 2^31 - 2^27 + 1.
 *
 * The public API works on CANONICAL values: uint32_t in [0, p). Every
 * bb_* function takes canonical inputs and returns a canonical output;
 * passing a value >= p is a caller bug (asserted nowhere, for speed).
 *
 * Alongside it, bb_mont_* helpers work on Montgomery residues (x * 2^32
 * mod p), which the hot loops of the vk engine (NTT, Poseidon2) use.
 * bb_mont_mul(a, b) = a * b * 2^-32 mod p for a, b < p; it is also useful
 * with one canonical and one Montgomery operand: bb_mont_mul(x, bb_to_mont(c))
 * = x * c (canonical).
 *
 * Everything here is pure: thread-safe, no state, no allocation.
 */
#ifndef ZK_VK_BABYBEAR_H
#define ZK_VK_BABYBEAR_H

#include <stdint.h>

#define BB_P           0x78000001u /* 2013265921 */
#define BB_MONT_MU     0x77ffffffu /* -p^-1 mod 2^32 */
#define BB_MONT_R      0x0ffffffeu /* 2^32 mod p (Montgomery form of 1) */
#define BB_MONT_R2     0x45dddde3u /* 2^64 mod p */
#define BB_GENERATOR   31u         /* multiplicative generator of F_p^* */
#define BB_TWO_ADICITY 27u         /* 2^27 divides p - 1 */

static inline uint32_t bb_add(uint32_t a, uint32_t b)
{
    uint32_t s = a + b; /* < 2p < 2^32 */
    return s >= BB_P ? s - BB_P : s;
}

static inline uint32_t bb_sub(uint32_t a, uint32_t b)
{
    return a >= b ? a - b : a + BB_P - b;
}

static inline uint32_t bb_neg(uint32_t a)
{
    return a == 0 ? 0 : BB_P - a;
}

static inline uint32_t bb_mul(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)a * b) % BB_P);
}

/* Montgomery reduction of t < p * 2^32: returns t * 2^-32 mod p in [0, p). */
static inline uint32_t bb_mont_reduce(uint64_t t)
{
    uint32_t m = (uint32_t)t * BB_MONT_MU;
    uint32_t u = (uint32_t)((t + (uint64_t)m * BB_P) >> 32);
    return u >= BB_P ? u - BB_P : u;
}

/* a * b * 2^-32 mod p, for a, b < p (either form, see the top comment). */
static inline uint32_t bb_mont_mul(uint32_t a, uint32_t b)
{
    return bb_mont_reduce((uint64_t)a * b);
}

/* Canonical -> Montgomery form (x * 2^32 mod p). */
static inline uint32_t bb_to_mont(uint32_t x)
{
    return bb_mont_mul(x, BB_MONT_R2);
}

/* Montgomery form -> canonical. */
static inline uint32_t bb_from_mont(uint32_t x)
{
    return bb_mont_reduce(x);
}

/* a^e mod p (canonical). bb_pow(0, 0) = 1. */
uint32_t bb_pow(uint32_t a, uint64_t e);

/* Multiplicative inverse; bb_inv(0) = 0 (documented convention, no assert). */
uint32_t bb_inv(uint32_t a);

/*
 * The canonical primitive 2^log_n-th root of unity used by Plonky3:
 * omega(27) = 0x1a427a41 and omega(k - 1) = omega(k)^2. log_n <= 27
 * (larger values are a caller bug and return 0).
 */
uint32_t bb_two_adic_generator(unsigned log_n);

#endif
