/*
 * vk_int.h - internals shared by the files of src/vk (not a public API).
 */
#ifndef ZK_VK_VK_INT_H
#define ZK_VK_VK_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define VK_HAVE_X86 1
#else
#define VK_HAVE_X86 0
#endif

/* Poseidon2 constants (poseidon2_rc.c, Montgomery form) and M_I diagonal. */
extern const uint32_t vk_p2_rc_ext[8][16];
extern const uint32_t vk_p2_rc_int[13];
extern const uint32_t vk_p2_diag[16];

/* One permutation of a Montgomery-form state. */
void vk_p2_permute_mont(uint32_t s[16]);

/* n permutations of consecutive Montgomery-form states (16 words each). */
void vk_p2_permute_batch(uint32_t *states, size_t n);

/* true if AVX2 kernels may be used (CPU support and ZK_VK_NO_SIMD unset). */
bool vk_cpu_has_avx2(void);

/* true if AVX-512F kernels may be used (also off with ZK_VK_NO_AVX512). */
bool vk_cpu_has_avx512(void);

#if VK_HAVE_X86
void vk_p2_permute8_avx2(uint32_t *states);    /* 8 consecutive states */
void vk_p2_permute16_avx512(uint32_t *states); /* 16 consecutive states */
#endif

/*
 * Runs fn(ctx, begin, end) over [0, n) on up to n_threads threads (the
 * caller's included). The range is cut into chunks (multiples of align,
 * except the last) that the threads take dynamically, so fn must accept any
 * aligned sub-range. If a thread cannot be created the others do its share,
 * so this cannot fail.
 */
typedef void (*vk_range_fn)(void *ctx, size_t begin, size_t end);
void vk_par_for(unsigned n_threads, size_t n, size_t align, vk_range_fn fn,
                void *ctx);

/*
 * Opens a pool of n_threads - 1 workers that serves every vk_par_for made
 * by the calling thread until vk_pool_close (the caller is the n-th
 * worker). Returns NULL when no pool is needed or possible (n_threads <= 1,
 * a pool already open on this thread, out of memory): vk_par_for then
 * creates threads per call, so NULL is not an error.
 */
struct vk_pool;
struct vk_pool *vk_pool_open(unsigned n_threads);
void vk_pool_close(struct vk_pool *pool); /* NULL is a no-op */

/* Number of threads to use for a request of n (0 = default). */
unsigned vk_threads_resolve(unsigned n);

struct vk_result;
struct vk_options;
struct zkvm_program;

/* The v3 vk (vk_v3.c): fills commit, chips, pc_start, counts, hash_u32. */
ZK_NODISCARD enum zk_err vk_v3_compute(struct vk_result *out,
                                       const struct zkvm_program *p,
                                       const struct vk_options *opts);

/* The 37-column v3 Program rows of insns[0..n) (n * 37 words); ZK_EINVAL
 * (logged) for a word that does not transpile. */
ZK_NODISCARD enum zk_err vk_v3_program_rows(uint32_t *rows,
                                            const uint32_t *insns, size_t n,
                                            uint32_t pc_base);

#endif
