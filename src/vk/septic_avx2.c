/*
 * septic_avx2.c - a^((p+1)/2) in F_{p^7} for four elements at once (AVX2).
 *
 * This exponentiation is the bulk of every square root on the septic curve
 * (sp1-vk-v4v5.md §6.3), one per memory word. The four elements sit in the
 * four 64-bit lanes of seven vectors (coefficient i of element j in lane j
 * of vector i), so each F7 product is the scalar schoolbook of septic.c
 * done on 4 lanes: 32x32 -> 64-bit lane products (vpmuludq), lazy 64-bit
 * sums with the same multiplication-free partial reduction, one fold of
 * z^7 = 2z + 5, then a Montgomery reduction per coefficient. Values are in
 * Montgomery form inside (x 2^32 mod p), canonical at the interface.
 * Called only when vk_cpu_has_avx2().
 */
#include <config.h>
#include "vk/septic_int.h"

#if VK_HAVE_X86

#include <immintrin.h>

#include "vk/babybear.h"

#define AVX2 __attribute__((target("avx2")))

#define D VK_F7_DEGREE

/* x mod p up to a value below 2^60 + 2^31 (2^31 = 2^27 - 1 mod p). */
AVX2 static inline __m256i partial(__m256i x)
{
    __m256i hi = _mm256_srli_epi64(x, 31);
    __m256i lo = _mm256_and_si256(x, _mm256_set1_epi64x(0x7fffffff));
    return _mm256_add_epi64(lo,
                            _mm256_sub_epi64(_mm256_slli_epi64(hi, 27), hi));
}

/* x 2^-32 mod p in [0, p) for x < p 2^32 (per 64-bit lane). */
AVX2 static inline __m256i mont_reduce(__m256i x)
{
    const __m256i p = _mm256_set1_epi64x(BB_P);
    __m256i m = _mm256_mul_epu32(x, _mm256_set1_epi64x(BB_MONT_MU));
    __m256i t = _mm256_add_epi64(x, _mm256_mul_epu32(m, p));
    __m256i u = _mm256_srli_epi64(t, 32); /* < 2p */
    return _mm256_min_epu32(u, _mm256_sub_epi32(u, p));
}

/* c[0..12] (each below 2^63.6) -> r[0..6], Montgomery-reduced. */
AVX2 static inline void fold_reduce(__m256i r[D], __m256i c[13])
{
    for (int i = 12; i >= 7; i--) {
        __m256i t = partial(partial(c[i]));
        __m256i t2 = _mm256_add_epi64(t, t);
        c[i - 7] = _mm256_add_epi64(
            c[i - 7], _mm256_add_epi64(_mm256_slli_epi64(t, 2), t));
        c[i - 6] = _mm256_add_epi64(c[i - 6], t2);
    }
    for (int i = 0; i < D; i++) {
        r[i] = mont_reduce(partial(c[i]));
    }
}

AVX2 static void vmul(__m256i r[D], const __m256i a[D], const __m256i b[D])
{
    __m256i c[13];
    for (int k = 0; k < 13; k++) {
        c[k] = _mm256_setzero_si256();
    }
    /* 4 terms then a partial reduction, then 3 more: as in septic.c. */
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < D; j++) {
            c[i + j] = _mm256_add_epi64(c[i + j], _mm256_mul_epu32(a[i], b[j]));
        }
    }
    for (int k = 0; k < 13; k++) {
        c[k] = partial(c[k]);
    }
    for (int i = 4; i < D; i++) {
        for (int j = 0; j < D; j++) {
            c[i + j] = _mm256_add_epi64(c[i + j], _mm256_mul_epu32(a[i], b[j]));
        }
    }
    fold_reduce(r, c);
}

AVX2 static void vsqr(__m256i r[D], const __m256i a[D])
{
    __m256i c[13];
    for (int k = 0; k < 13; k++) {
        c[k] = _mm256_setzero_si256();
    }
    for (int i = 0; i < D; i++) {
        for (int j = i + 1; j < D; j++) {
            c[i + j] = _mm256_add_epi64(c[i + j], _mm256_mul_epu32(a[i], a[j]));
        }
    }
    for (int k = 0; k < 13; k++) {
        __m256i t = partial(c[k]);
        c[k] = _mm256_add_epi64(t, t);
    }
    for (int i = 0; i < D; i++) {
        c[2 * i] = _mm256_add_epi64(c[2 * i], _mm256_mul_epu32(a[i], a[i]));
    }
    fold_reduce(r, c);
}

AVX2 void vk_septic_pow_half4_avx2(struct vk_f7 v[4])
{
    __m256i a[D], x2[D], x3[D], t[D];
    const __m256i r2 = _mm256_set1_epi64x(BB_MONT_R2);
    for (int i = 0; i < D; i++) {
        __m256i c =
            _mm256_set_epi64x(v[3].c[i], v[2].c[i], v[1].c[i], v[0].c[i]);
        a[i] = mont_reduce(_mm256_mul_epu32(c, r2)); /* to Montgomery */
    }
    /* (p+1)/2 = 15 * 2^26 + 1: a^15 by 3 squarings and 2 products, 26
     * squarings, one product. */
    vsqr(x2, a);
    vmul(x3, x2, a);
    vsqr(t, x3);
    vsqr(t, t);     /* a^12 */
    vmul(t, t, x3); /* a^15 */
    for (int k = 0; k < 26; k++) {
        vsqr(t, t);
    }
    vmul(t, t, a);
    for (int i = 0; i < D; i++) {
        uint64_t lanes[4];
        __m256i c = mont_reduce(t[i]); /* back to canonical */
        _mm256_storeu_si256((__m256i *)lanes, c);
        for (int j = 0; j < 4; j++) {
            v[j].c[i] = (uint32_t)lanes[j];
        }
    }
}

#endif
