/*
 * ntt.h - the coset low-degree extension used by vk_commit, on "rows" of 8
 * lanes (8 trace columns side by side, row-major, 32 bytes per row).
 * Internal to src/vk.
 *
 * For a chunk of 8 columns of a 2^k-row trace, the caller writes the rows
 * in bit-reversed order (buf row q = trace row bitrev_k(q)); then
 * vk_ntt_lde_segment turns buf (n = 2^k rows) into one half ("segment") of
 * the LDE on the coset 31 * <omega(2n)>, in bit-reversed row order, i.e.
 * exactly the rows [seg * n, (seg + 1) * n) Plonky3 commits to, in
 * Montgomery form (the form Poseidon2 uses).
 *
 * Why halves: committed row r < n is e_(2 bitrev_k(r)) and row n + r is
 * e_(2 bitrev_k(r) + 1), so the two halves are the size-n DFTs of
 * c_i 31^i and of c_i 31^i omega(2n)^i (c = the interpolated
 * coefficients). Producing one half at a time halves the memory of the
 * LDE buffer and of the sponge states, for one extra inverse DFT.
 *
 * Pipeline per segment: inverse DFT (DIT: bit-reversed in, natural out) ->
 * scale coefficient j by 31^j (omega(2n)^j for segment 1) / n, times R for
 * Montgomery form -> forward DFT of size n (DIF: natural in, bit-reversed
 * out).
 */
#ifndef ZK_VK_NTT_H
#define ZK_VK_NTT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

#define VK_NTT_LANES 8

struct vk_ntt_plan {
    unsigned log_n; /* trace height 2^log_n */
    size_t n;
    uint32_t *tw_inv;   /* n entries: [h + j] = omega(2h)^-j (Montgomery) */
    uint32_t *tw_fwd;   /* n entries: [h + j] = omega(2h)^j (Montgomery) */
    uint32_t *scale[2]; /* n entries each: Montgomery form of 31^j R / n,
                           and of 31^j omega(2n)^j R / n */
    unsigned n_threads;
    unsigned block_log; /* cache block, 2^block_log rows (init: 12) */
    unsigned simd;      /* kernels: 0 scalar, 1 AVX2, 2 AVX-512 (init: the
                           best the CPU has; tests may lower it) */
};

ZK_NODISCARD enum zk_err vk_ntt_plan_init(struct vk_ntt_plan *plan,
                                          unsigned log_n, unsigned n_threads);
void vk_ntt_plan_cleanup(struct vk_ntt_plan *plan);

/* In place on buf (n rows of 8 lanes, the bit-reversed trace chunk on
 * input; LDE rows [seg * n, (seg + 1) * n) on output), seg in {0, 1}. */
void vk_ntt_lde_segment(const struct vk_ntt_plan *plan, uint32_t *buf,
                        unsigned seg);

/* Reverses the low `bits` bits of x (bits <= 32). */
static inline size_t vk_bitrev(size_t x, unsigned bits)
{
    uint32_t v = (uint32_t)x;
    v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
    v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
    v = ((v >> 4) & 0x0f0f0f0fu) | ((v & 0x0f0f0f0fu) << 4);
    v = ((v >> 8) & 0x00ff00ffu) | ((v & 0x00ff00ffu) << 8);
    v = (v >> 16) | (v << 16);
    return bits == 0 ? 0 : (size_t)(v >> (32 - bits));
}

/* SIMD kernels (vk_simd_avx2.c, vk_simd_avx512.c); scalar ones in ntt.c. */
void vk_ntt_dit_range_avx2(uint32_t *x, size_t half, const uint32_t *tw,
                           size_t t0, size_t t1);
void vk_ntt_dif_range_avx2(uint32_t *x, size_t half, const uint32_t *tw,
                           size_t t0, size_t t1);
void vk_ntt_scale_avx2(uint32_t *x, const uint32_t *scale, size_t j0,
                       size_t j1);
void vk_ntt_dit_range_avx512(uint32_t *x, size_t half, const uint32_t *tw,
                             size_t t0, size_t t1);
void vk_ntt_dif_range_avx512(uint32_t *x, size_t half, const uint32_t *tw,
                             size_t t0, size_t t1);
void vk_ntt_scale_avx512(uint32_t *x, const uint32_t *scale, size_t j0,
                         size_t j1);

#endif
