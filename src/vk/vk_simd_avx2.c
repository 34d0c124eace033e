/*
 * vk_simd_avx2.c - AVX2 kernels of the vk engine: Poseidon2 on 8 states at
 * once (one state word per vector, one state per lane) and the 8-lane NTT
 * butterflies. Compiled for every x86-64 build through target attributes;
 * only called when the CPU has AVX2 (vk_cpu_has_avx2). Same results as the
 * scalar code, lane for lane: the unit tests compare both.
 *
 * Montgomery multiplication per 8 lanes: even and odd lanes through
 * _mm256_mul_epu32, t + ((t * mu) mod 2^32) * p, high halves, one
 * conditional subtraction via min_epu32 (r < 2p < 2^32).
 */
#include <config.h>
#include "vk/vk_int.h"

#if VK_HAVE_X86

#include <immintrin.h>

#include "vk/babybear.h"
#include "vk/ntt.h"

#define AVX2 __attribute__((target("avx2")))

AVX2 static inline __m256i vadd(__m256i a, __m256i b)
{
    __m256i s = _mm256_add_epi32(a, b);
    return _mm256_min_epu32(s, _mm256_sub_epi32(s, _mm256_set1_epi32(BB_P)));
}

AVX2 static inline __m256i vsub(__m256i a, __m256i b)
{
    __m256i d = _mm256_sub_epi32(a, b);
    return _mm256_min_epu32(d, _mm256_add_epi32(d, _mm256_set1_epi32(BB_P)));
}

AVX2 static inline __m256i vreduce(__m256i te, __m256i to)
{
    const __m256i p = _mm256_set1_epi32(BB_P);
    const __m256i mu = _mm256_set1_epi32((int)BB_MONT_MU);
    __m256i me = _mm256_mul_epu32(te, mu);
    __m256i mo = _mm256_mul_epu32(to, mu);
    __m256i ue = _mm256_add_epi64(te, _mm256_mul_epu32(me, p));
    __m256i uo = _mm256_add_epi64(to, _mm256_mul_epu32(mo, p));
    __m256i r = _mm256_blend_epi32(_mm256_srli_epi64(ue, 32), uo, 0xaa);
    return _mm256_min_epu32(r, _mm256_sub_epi32(r, p));
}

/* a * b / R for two vectors. */
AVX2 static inline __m256i vmul(__m256i a, __m256i b)
{
    __m256i te = _mm256_mul_epu32(a, b);
    __m256i to =
        _mm256_mul_epu32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
    return vreduce(te, to);
}

/* a * c / R for a broadcast constant c (set1). */
AVX2 static inline __m256i vmulc(__m256i a, __m256i c)
{
    __m256i te = _mm256_mul_epu32(a, c);
    __m256i to = _mm256_mul_epu32(_mm256_srli_epi64(a, 32), c);
    return vreduce(te, to);
}

/* a * 2^k / R: the product is a shift, only the reduction multiplies. */
AVX2 static inline __m256i vmul_pow2(__m256i a, unsigned k)
{
    const __m256i lo = _mm256_set1_epi64x(0xffffffffLL);
    __m256i te = _mm256_slli_epi64(_mm256_and_si256(a, lo), (int)k);
    __m256i to = _mm256_slli_epi64(_mm256_srli_epi64(a, 32), (int)k);
    return vreduce(te, to);
}

AVX2 static inline __m256i vsbox(__m256i x)
{
    __m256i x2 = vmul(x, x);
    __m256i x3 = vmul(x2, x);
    __m256i x4 = vmul(x2, x2);
    return vmul(x3, x4);
}

AVX2 static inline void vmat4(__m256i *x)
{
    __m256i t01 = vadd(x[0], x[1]);
    __m256i t23 = vadd(x[2], x[3]);
    __m256i t0123 = vadd(t01, t23);
    __m256i t01123 = vadd(t0123, x[1]);
    __m256i t01233 = vadd(t0123, x[3]);
    __m256i y3 = vadd(t01233, vadd(x[0], x[0]));
    __m256i y1 = vadd(t01123, vadd(x[2], x[2]));
    __m256i y0 = vadd(t01123, t01);
    __m256i y2 = vadd(t01233, t23);
    x[0] = y0;
    x[1] = y1;
    x[2] = y2;
    x[3] = y3;
}

AVX2 static inline void vext_linear(__m256i *s)
{
    for (int b = 0; b < 16; b += 4) {
        vmat4(s + b);
    }
    for (int k = 0; k < 4; k++) {
        __m256i sum = vadd(vadd(s[k], s[k + 4]), vadd(s[k + 8], s[k + 12]));
        for (int b = 0; b < 16; b += 4) {
            s[b + k] = vadd(s[b + k], sum);
        }
    }
}

AVX2 static inline void transpose8(__m256i *r)
{
    __m256i t[8], u[8];
    for (int i = 0; i < 8; i += 2) {
        t[i] = _mm256_unpacklo_epi32(r[i], r[i + 1]);
        t[i + 1] = _mm256_unpackhi_epi32(r[i], r[i + 1]);
    }
    for (int i = 0; i < 8; i += 4) {
        u[i] = _mm256_unpacklo_epi64(t[i], t[i + 2]);
        u[i + 1] = _mm256_unpackhi_epi64(t[i], t[i + 2]);
        u[i + 2] = _mm256_unpacklo_epi64(t[i + 1], t[i + 3]);
        u[i + 3] = _mm256_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x20);
        r[i + 4] = _mm256_permute2x128_si256(u[i], u[i + 4], 0x31);
    }
}

AVX2 void vk_p2_permute8_avx2(uint32_t *states)
{
    __m256i s[16], lo[8], hi[8];
    for (int r = 0; r < 8; r++) {
        lo[r] = _mm256_loadu_si256((const __m256i *)(states + r * 16));
        hi[r] = _mm256_loadu_si256((const __m256i *)(states + r * 16 + 8));
    }
    transpose8(lo);
    transpose8(hi);
    for (int i = 0; i < 8; i++) {
        s[i] = lo[i];
        s[i + 8] = hi[i];
    }
    vext_linear(s);
    for (int r = 0; r < 8; r++) {
        if (r == 4) {
            /* 13 partial rounds between the two halves of the full ones */
            const __m256i one = _mm256_set1_epi32(1);
            for (int pr = 0; pr < 13; pr++) {
                /* Only s[0] goes through the S-box: sum s[1..15] and
                 * scale them while it does (short dependency chain). */
                __m256i s0 =
                    vsbox(vadd(s[0], _mm256_set1_epi32((int)vk_p2_rc_int[pr])));
                __m256i t[8];
                for (int i = 0; i < 7; i++) {
                    t[i] = vadd(s[2 * i + 1], s[2 * i + 2]);
                }
                t[7] = s[15];
                for (int w = 8; w > 1; w /= 2) {
                    for (int i = 0; i < w / 2; i++) {
                        t[i] = vadd(t[i], t[i + w / 2]);
                    }
                }
                for (int i = 1; i < 15; i++) {
                    s[i] = vmul_pow2(s[i], (unsigned)(i - 1)); /* 2^(i-1) */
                }
                s[15] = vmul_pow2(s[15], 15);
                __m256i sr = vmulc(vadd(t[0], s0), one);
                s[0] =
                    vadd(sr, vmulc(s0, _mm256_set1_epi32((int)vk_p2_diag[0])));
                for (int i = 1; i < 16; i++) {
                    s[i] = vadd(sr, s[i]);
                }
            }
        }
        for (int i = 0; i < 16; i++) {
            s[i] =
                vsbox(vadd(s[i], _mm256_set1_epi32((int)vk_p2_rc_ext[r][i])));
        }
        vext_linear(s);
    }
    for (int i = 0; i < 8; i++) {
        lo[i] = s[i];
        hi[i] = s[i + 8];
    }
    transpose8(lo);
    transpose8(hi);
    for (int r = 0; r < 8; r++) {
        _mm256_storeu_si256((__m256i *)(states + r * 16), lo[r]);
        _mm256_storeu_si256((__m256i *)(states + r * 16 + 8), hi[r]);
    }
}

AVX2 void vk_ntt_dit_range_avx2(uint32_t *x, size_t half, const uint32_t *tw,
                                size_t t0, size_t t1)
{
    for (size_t t = t0; t < t1; t++) {
        size_t j = t & (half - 1);
        size_t i0 = ((t - j) << 1) + j;
        __m256i *pa = (__m256i *)(x + i0 * 8);
        __m256i *pb = (__m256i *)(x + (i0 + half) * 8);
        __m256i a = _mm256_loadu_si256(pa);
        __m256i v =
            vmulc(_mm256_loadu_si256(pb), _mm256_set1_epi32((int)tw[half + j]));
        _mm256_storeu_si256(pa, vadd(a, v));
        _mm256_storeu_si256(pb, vsub(a, v));
    }
}

AVX2 void vk_ntt_dif_range_avx2(uint32_t *x, size_t half, const uint32_t *tw,
                                size_t t0, size_t t1)
{
    for (size_t t = t0; t < t1; t++) {
        size_t j = t & (half - 1);
        size_t i0 = ((t - j) << 1) + j;
        __m256i *pa = (__m256i *)(x + i0 * 8);
        __m256i *pb = (__m256i *)(x + (i0 + half) * 8);
        __m256i a = _mm256_loadu_si256(pa);
        __m256i b = _mm256_loadu_si256(pb);
        _mm256_storeu_si256(pa, vadd(a, b));
        _mm256_storeu_si256(
            pb, vmulc(vsub(a, b), _mm256_set1_epi32((int)tw[half + j])));
    }
}

AVX2 void vk_ntt_scale_avx2(uint32_t *x, const uint32_t *scale, size_t j0,
                            size_t j1)
{
    for (size_t j = j0; j < j1; j++) {
        __m256i *pa = (__m256i *)(x + j * 8);
        _mm256_storeu_si256(pa, vmulc(_mm256_loadu_si256(pa),
                                      _mm256_set1_epi32((int)scale[j])));
    }
}

#else
/* Keeps the translation unit non-empty on other architectures. */
int vk_simd_avx2_unused;
#endif
