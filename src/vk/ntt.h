/*
 * ntt.h - the coset low-degree extension used by vk_commit, on "rows" of 8
 * lanes (8 trace columns side by side, row-major, 32 bytes per row).
 * Internal to src/vk.
 *
 * For a chunk of 8 columns of a 2^k-row trace, the caller writes the rows
 * in bit-reversed order (buf row q = trace row bitrev_k(q)); then
 * vk_ntt_lde turns buf (2^(k+1) rows) into the LDE on the coset
 * 31 * <omega(2^(k+1))> in bit-reversed row order, i.e. exactly the rows
 * Plonky3 commits to, and in Montgomery form (the form Poseidon2 uses).
 *
 * Pipeline: inverse DFT (DIT: bit-reversed in, natural out) -> scale
 * coefficient j by 31^j / n (and R, for Montgomery form) -> forward DFT of
 * size 2n (DIF: natural in, bit-reversed out) whose first stage is fused
 * with the zero padding.
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
    uint32_t *tw_inv; /* n entries: [h + j] = omega(2h)^-j (Montgomery), h<n */
    uint32_t *tw_fwd; /* 2n entries: [h + j] = omega(2h)^j (Montgomery), h<=n */
    uint32_t *scale;  /* n entries: Montgomery form of 31^j * R / n */
    unsigned n_threads;
    unsigned block_log; /* cache block, 2^block_log rows (init: 12) */
    bool use_simd;      /* AVX2 kernels (init: when the CPU has them) */
};

ZK_NODISCARD enum zk_err vk_ntt_plan_init(struct vk_ntt_plan *plan,
                                          unsigned log_n, unsigned n_threads);
void vk_ntt_plan_cleanup(struct vk_ntt_plan *plan);

/* In place on buf (2n rows of 8 lanes; rows [0, n) hold the bit-reversed
 * trace chunk, rows [n, 2n) are ignored on input). */
void vk_ntt_lde(const struct vk_ntt_plan *plan, uint32_t *buf);

/* Reverses the low `bits` bits of x. */
static inline size_t vk_bitrev(size_t x, unsigned bits)
{
    size_t r = 0;
    for (unsigned i = 0; i < bits; i++) {
        r = (r << 1) | ((x >> i) & 1);
    }
    return r;
}

/* SIMD kernels (vk_simd_avx2.c); the scalar ones live in ntt.c. */
void vk_ntt_dit_range_avx2(uint32_t *x, size_t half, const uint32_t *tw,
                           size_t t0, size_t t1);
void vk_ntt_dif_range_avx2(uint32_t *x, size_t half, const uint32_t *tw,
                           size_t t0, size_t t1);
void vk_ntt_scale_extend_avx2(uint32_t *x, size_t n, const uint32_t *scale,
                              const uint32_t *tw_n, size_t j0, size_t j1);

#endif
