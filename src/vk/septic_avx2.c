/*
 * septic_avx2.c - F_{p^7} kernels on four elements at once (AVX2).
 *
 * The exponentiation a^((p+1)/2) is the bulk of every square root on the
 * septic curve
 * (sp1-vk-v4v5.md §6.3), one per memory word. The four elements sit in the
 * four 64-bit lanes of seven vectors (coefficient i of element j in lane j
 * of vector i), so each F7 product is the scalar schoolbook of septic.c
 * done on 4 lanes: 32x32 -> 64-bit lane products (vpmuludq), lazy 64-bit
 * sums with the same multiplication-free partial reduction, one fold of
 * z^7 = 2z + 5, then a Montgomery reduction per coefficient. Values are in
 * Montgomery form inside (x 2^32 mod p), canonical at the interface.
 * The same layout computes the curve's right-hand side and its norm (the
 * square test of every hash-to-curve candidate). Called only when
 * vk_cpu_has_avx2().
 */
#include <config.h>
#include "vk/septic_int.h"

#if VK_HAVE_X86

#include <immintrin.h>

#include "vk/babybear.h"

#define AVX2 __attribute__((target("avx2")))

#define D VK_F7_DEGREE

#define PRAGMA(x) _Pragma(#x)
#define UNROLL    PRAGMA(GCC unroll 16)

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
    UNROLL
    for (int i = 12; i >= 7; i--) {
        __m256i t = partial(partial(c[i]));
        __m256i t2 = _mm256_add_epi64(t, t);
        c[i - 7] = _mm256_add_epi64(
            c[i - 7], _mm256_add_epi64(_mm256_slli_epi64(t, 2), t));
        c[i - 6] = _mm256_add_epi64(c[i - 6], t2);
    }
    UNROLL
    for (int i = 0; i < D; i++) {
        r[i] = mont_reduce(partial(c[i]));
    }
}

AVX2 static void vmul(__m256i r[D], const __m256i a[D], const __m256i b[D])
{
    __m256i c[13];
    UNROLL
    for (int k = 0; k < 13; k++) {
        c[k] = _mm256_setzero_si256();
    }
    /* 4 terms then a partial reduction, then 3 more: as in septic.c. */
    UNROLL
    for (int i = 0; i < 4; i++) {
        UNROLL
        for (int j = 0; j < D; j++) {
            c[i + j] = _mm256_add_epi64(c[i + j], _mm256_mul_epu32(a[i], b[j]));
        }
    }
    UNROLL
    for (int k = 0; k < 13; k++) {
        c[k] = partial(c[k]);
    }
    UNROLL
    for (int i = 4; i < D; i++) {
        UNROLL
        for (int j = 0; j < D; j++) {
            c[i + j] = _mm256_add_epi64(c[i + j], _mm256_mul_epu32(a[i], b[j]));
        }
    }
    fold_reduce(r, c);
}

AVX2 static void vsqr(__m256i r[D], const __m256i a[D])
{
    __m256i c[13];
    UNROLL
    for (int k = 0; k < 13; k++) {
        c[k] = _mm256_setzero_si256();
    }
    UNROLL
    for (int i = 0; i < D; i++) {
        UNROLL
        for (int j = i + 1; j < D; j++) {
            c[i + j] = _mm256_add_epi64(c[i + j], _mm256_mul_epu32(a[i], a[j]));
        }
    }
    UNROLL
    for (int k = 0; k < 13; k++) {
        __m256i t = partial(c[k]);
        c[k] = _mm256_add_epi64(t, t);
    }
    UNROLL
    for (int i = 0; i < D; i++) {
        c[(size_t)2 * i] =
            _mm256_add_epi64(c[(size_t)2 * i], _mm256_mul_epu32(a[i], a[i]));
    }
    fold_reduce(r, c);
}

/* (a + b) mod p for a, b < p in 64-bit lanes. */
AVX2 static inline __m256i vaddmod(__m256i a, __m256i b)
{
    __m256i s = _mm256_add_epi64(a, b);
    return _mm256_min_epu32(s, _mm256_sub_epi32(s, _mm256_set1_epi64x(BB_P)));
}

/* r = phi^k(a): r_j = sum_i a_i z^(i p^k)_j, with the Montgomery table. */
AVX2 static void vfrob(__m256i r[D], const __m256i a[D], int k)
{
    __m256i c[D];
    const uint32_t(*m)[D] = vk_septic_frob_mont[k];
    UNROLL
    for (int j = 0; j < D; j++) {
        c[j] = _mm256_setzero_si256();
    }
    UNROLL
    for (int i = 0; i < 4; i++) {
        UNROLL
        for (int j = 0; j < D; j++) {
            c[j] = _mm256_add_epi64(
                c[j], _mm256_mul_epu32(a[i], _mm256_set1_epi64x(m[i][j])));
        }
    }
    UNROLL
    for (int j = 0; j < D; j++) {
        c[j] = partial(c[j]);
    }
    UNROLL
    for (int i = 4; i < D; i++) {
        UNROLL
        for (int j = 0; j < D; j++) {
            c[j] = _mm256_add_epi64(
                c[j], _mm256_mul_epu32(a[i], _mm256_set1_epi64x(m[i][j])));
        }
    }
    UNROLL
    for (int j = 0; j < D; j++) {
        r[j] = mont_reduce(partial(c[j]));
    }
}

/* Canonical -> Montgomery lanes, and back. */
AVX2 static void load4(__m256i a[D], const struct vk_f7 v[4])
{
    const __m256i r2 = _mm256_set1_epi64x(BB_MONT_R2);
    UNROLL
    for (int i = 0; i < D; i++) {
        __m256i c =
            _mm256_set_epi64x(v[3].c[i], v[2].c[i], v[1].c[i], v[0].c[i]);
        a[i] = mont_reduce(_mm256_mul_epu32(c, r2));
    }
}

AVX2 static void store4(struct vk_f7 v[4], const __m256i a[D])
{
    UNROLL
    for (int i = 0; i < D; i++) {
        uint64_t lanes[4];
        _mm256_storeu_si256((__m256i *)lanes, mont_reduce(a[i]));
        UNROLL
        for (int j = 0; j < 4; j++) {
            v[j].c[i] = (uint32_t)lanes[j];
        }
    }
}

AVX2 void vk_septic_rhs_norm4_avx2(const struct vk_f7 x[4], struct vk_f7 f[4],
                                   uint32_t n[4])
{
    __m256i a[D], t[D], u[D], t2[D], rf[D];
    load4(a, x);
    /* f = (x^2 + 2) x + 26 z^5 */
    vsqr(t, a);
    t[0] = vaddmod(t[0], _mm256_set1_epi64x(bb_to_mont(2)));
    vmul(rf, t, a);
    rf[5] = vaddmod(rf[5], _mm256_set1_epi64x(bb_to_mont(26)));
    store4(f, rf);
    /* R(f) = f^(p + ... + p^6), as norm_rest in septic.c */
    vfrob(t, rf, 1); /* f^p */
    vfrob(u, t, 1);  /* f^(p^2) */
    vmul(t2, t, u);  /* f^(p + p^2) */
    vfrob(u, t2, 2); /* f^(p^3 + p^4) */
    vmul(t, t2, u);  /* f^(p + ... + p^4) */
    vfrob(u, t2, 4); /* f^(p^5 + p^6) */
    vmul(t2, t, u);  /* R(f) */
    /* N = constant term of f R(f) = f0 R0 + 5 sum_{i+j=7} f_i R_j */
    __m256i c7 = _mm256_setzero_si256();
    UNROLL
    for (int i = 1; i < D; i++) {
        c7 = _mm256_add_epi64(c7, _mm256_mul_epu32(rf[i], t2[D - i]));
        if (i == 3) {
            c7 = partial(c7);
        }
    }
    c7 = partial(partial(c7)); /* < 2^56.1, so 5 c7 + p^2 fits */
    __m256i c0 =
        _mm256_add_epi64(_mm256_mul_epu32(rf[0], t2[0]),
                         _mm256_add_epi64(_mm256_slli_epi64(c7, 2), c7));
    __m256i nm = mont_reduce(partial(c0)); /* N, Montgomery form */
    uint64_t lanes[4];
    _mm256_storeu_si256((__m256i *)lanes, mont_reduce(nm));
    UNROLL
    for (int j = 0; j < 4; j++) {
        n[j] = (uint32_t)lanes[j];
    }
}

AVX2 void vk_septic_sqrt_den4_avx2(struct vk_f7 v[4])
{
    __m256i a[D], x2[D], x3[D], t[D], u[D];
    load4(a, v);
    /* a' = a^((p+1)/2), (p+1)/2 = 15 * 2^26 + 1: a^15 by 3 squarings and
     * 2 products, 26 squarings, one product. */
    vsqr(x2, a);
    vmul(x3, x2, a);
    vsqr(t, x3);
    vsqr(t, t);     /* a^12 */
    vmul(t, t, x3); /* a^15 */
    UNROLL
    for (int k = 0; k < 26; k++) {
        vsqr(t, t);
    }
    vmul(t, t, a);
    /* den = phi(a') phi^3(a') phi^5(a') a, as sqrt_den in septic.c */
    vfrob(x2, t, 1);
    vfrob(u, t, 3);
    vmul(x3, x2, u);
    vfrob(u, t, 5);
    vmul(x2, x3, u);
    vmul(t, x2, a);
    store4(v, t);
}

#endif
