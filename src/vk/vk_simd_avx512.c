/*
 * vk_simd_avx512.c - Poseidon2 on 16 states at once with AVX-512F (one
 * state word per 512-bit vector, one state per lane). Same arithmetic as
 * the AVX2 kernel (vk_simd_avx2.c) at twice the width: with 32 vector
 * registers the whole state stays in registers, and the partial rounds'
 * dependency chain is amortised over 16 states instead of 8. Called only
 * when the CPU has AVX-512F (vk_cpu_has_avx512); valgrind hides AVX-512,
 * so memcheck runs exercise the AVX2 path instead.
 */
#include <config.h>
#include "vk/vk_int.h"

#if VK_HAVE_X86

#include <immintrin.h>

#include "vk/babybear.h"
#include "vk/ntt.h"

#define AVX512 __attribute__((target("avx512f")))

AVX512 static inline __m512i vadd(__m512i a, __m512i b)
{
    __m512i s = _mm512_add_epi32(a, b);
    return _mm512_min_epu32(s, _mm512_sub_epi32(s, _mm512_set1_epi32(BB_P)));
}

AVX512 static inline __m512i vreduce(__m512i te, __m512i to)
{
    const __m512i p = _mm512_set1_epi32(BB_P);
    const __m512i mu = _mm512_set1_epi32((int)BB_MONT_MU);
    __m512i me = _mm512_mul_epu32(te, mu);
    __m512i mo = _mm512_mul_epu32(to, mu);
    __m512i ue = _mm512_add_epi64(te, _mm512_mul_epu32(me, p));
    __m512i uo = _mm512_add_epi64(to, _mm512_mul_epu32(mo, p));
    __m512i r = _mm512_mask_blend_epi32((__mmask16)0xaaaa,
                                        _mm512_srli_epi64(ue, 32), uo);
    return _mm512_min_epu32(r, _mm512_sub_epi32(r, p));
}

AVX512 static inline __m512i vmul(__m512i a, __m512i b)
{
    __m512i te = _mm512_mul_epu32(a, b);
    __m512i to =
        _mm512_mul_epu32(_mm512_srli_epi64(a, 32), _mm512_srli_epi64(b, 32));
    return vreduce(te, to);
}

AVX512 static inline __m512i vmulc(__m512i a, __m512i c)
{
    __m512i te = _mm512_mul_epu32(a, c);
    __m512i to = _mm512_mul_epu32(_mm512_srli_epi64(a, 32), c);
    return vreduce(te, to);
}

/* a * 2^k / R: the product is a shift, only the reduction multiplies. */
AVX512 static inline __m512i vmul_pow2(__m512i a, unsigned k)
{
    const __m512i lo = _mm512_set1_epi64(0xffffffffLL);
    __m512i te = _mm512_slli_epi64(_mm512_and_si512(a, lo), k);
    __m512i to = _mm512_slli_epi64(_mm512_srli_epi64(a, 32), k);
    return vreduce(te, to);
}

AVX512 static inline __m512i vsbox(__m512i x)
{
    __m512i x2 = vmul(x, x);
    __m512i x3 = vmul(x2, x);
    __m512i x4 = vmul(x2, x2);
    return vmul(x3, x4);
}

AVX512 static inline void vmat4(__m512i *x)
{
    __m512i t01 = vadd(x[0], x[1]);
    __m512i t23 = vadd(x[2], x[3]);
    __m512i t0123 = vadd(t01, t23);
    __m512i t01123 = vadd(t0123, x[1]);
    __m512i t01233 = vadd(t0123, x[3]);
    __m512i y3 = vadd(t01233, vadd(x[0], x[0]));
    __m512i y1 = vadd(t01123, vadd(x[2], x[2]));
    __m512i y0 = vadd(t01123, t01);
    __m512i y2 = vadd(t01233, t23);
    x[0] = y0;
    x[1] = y1;
    x[2] = y2;
    x[3] = y3;
}

AVX512 static inline void vext_linear(__m512i *s)
{
    for (int b = 0; b < 16; b += 4) {
        vmat4(s + b);
    }
    for (int k = 0; k < 4; k++) {
        __m512i sum = vadd(vadd(s[k], s[k + 4]), vadd(s[k + 8], s[k + 12]));
        for (int b = 0; b < 16; b += 4) {
            s[b + k] = vadd(s[b + k], sum);
        }
    }
}

AVX512 static void partial_rounds(__m512i *s)
{
    const __m512i one = _mm512_set1_epi32(1);
    for (int pr = 0; pr < 13; pr++) {
        __m512i s0 =
            vsbox(vadd(s[0], _mm512_set1_epi32((int)vk_p2_rc_int[pr])));
        __m512i t[8];
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
            s[i] = vmul_pow2(s[i], (unsigned)(i - 1)); /* d_i = 2^(i-1) */
        }
        s[15] = vmul_pow2(s[15], 15);
        __m512i sr = vmulc(vadd(t[0], s0), one);
        s[0] = vadd(sr, vmulc(s0, _mm512_set1_epi32((int)vk_p2_diag[0])));
        for (int i = 1; i < 16; i++) {
            s[i] = vadd(sr, s[i]);
        }
    }
}

AVX512 static void full_round(__m512i *s, const uint32_t rc[16])
{
    for (int i = 0; i < 16; i++) {
        s[i] = vsbox(vadd(s[i], _mm512_set1_epi32((int)rc[i])));
    }
    vext_linear(s);
}

/* 8x8 transpose of 32-bit lanes (rows in, columns out). */
AVX512 static inline void transpose8(__m256i *r)
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

/* 16 row-major states -> s[w] = word w of states 0..15, and back: four
 * 8x8 transposes (states 0-7 / 8-15 x words 0-7 / 8-15). */
AVX512 static inline void load16(__m512i *s, const uint32_t *states)
{
    __m256i q[4][8];
    for (int k = 0; k < 8; k++) {
        for (int b = 0; b < 4; b++) { /* b: state half (b>>1), word half */
            const uint32_t *row = states + ((b >> 1) * 8 + k) * 16;
            q[b][k] = _mm256_loadu_si256((const __m256i *)(row + (b & 1) * 8));
        }
    }
    for (int b = 0; b < 4; b++) {
        transpose8(q[b]);
    }
    for (int w = 0; w < 8; w++) {
        s[w] = _mm512_inserti64x4(_mm512_castsi256_si512(q[0][w]), q[2][w], 1);
        s[w + 8] =
            _mm512_inserti64x4(_mm512_castsi256_si512(q[1][w]), q[3][w], 1);
    }
}

AVX512 static inline void store16(uint32_t *states, const __m512i *s)
{
    __m256i q[4][8];
    for (int w = 0; w < 8; w++) {
        q[0][w] = _mm512_castsi512_si256(s[w]);
        q[2][w] = _mm512_extracti64x4_epi64(s[w], 1);
        q[1][w] = _mm512_castsi512_si256(s[w + 8]);
        q[3][w] = _mm512_extracti64x4_epi64(s[w + 8], 1);
    }
    for (int b = 0; b < 4; b++) {
        transpose8(q[b]);
    }
    for (int k = 0; k < 8; k++) {
        for (int b = 0; b < 4; b++) {
            uint32_t *row = states + ((b >> 1) * 8 + k) * 16;
            _mm256_storeu_si256((__m256i *)(row + (b & 1) * 8), q[b][k]);
        }
    }
}

AVX512 void vk_p2_permute16_avx512(uint32_t *states)
{
    __m512i s[16];
    load16(s, states);
    vext_linear(s);
    for (int r = 0; r < 4; r++) {
        full_round(s, vk_p2_rc_ext[r]);
    }
    partial_rounds(s);
    for (int r = 4; r < 8; r++) {
        full_round(s, vk_p2_rc_ext[r]);
    }
    store16(states, s);
}

/* NTT kernels: two 8-lane rows per vector (butterflies j and j + 1 of
 * the same stage share a vector, each with its own twiddle). Stages with
 * half == 1 and odd range ends fall back to the AVX2 kernels. */
AVX512 static inline __m512i twiddle2(const uint32_t *tw)
{
    return _mm512_mask_blend_epi32((__mmask16)0xff00,
                                   _mm512_set1_epi32((int)tw[0]),
                                   _mm512_set1_epi32((int)tw[1]));
}

AVX512 static inline __m512i vsub(__m512i a, __m512i b)
{
    __m512i d = _mm512_sub_epi32(a, b);
    return _mm512_min_epu32(d, _mm512_add_epi32(d, _mm512_set1_epi32(BB_P)));
}

AVX512 void vk_ntt_dit_range_avx512(uint32_t *x, size_t half,
                                    const uint32_t *tw, size_t t0, size_t t1)
{
    if (half < 2 || (t0 & 1) || (t1 & 1)) {
        vk_ntt_dit_range_avx2(x, half, tw, t0, t1);
        return;
    }
    for (size_t t = t0; t < t1; t += 2) {
        size_t j = t & (half - 1);
        size_t i0 = ((t - j) << 1) + j;
        void *pa = x + i0 * 8;
        void *pb = x + (i0 + half) * 8;
        __m512i a = _mm512_loadu_si512(pa);
        __m512i v = vmulc(_mm512_loadu_si512(pb), twiddle2(tw + half + j));
        _mm512_storeu_si512(pa, vadd(a, v));
        _mm512_storeu_si512(pb, vsub(a, v));
    }
}

AVX512 void vk_ntt_dif_range_avx512(uint32_t *x, size_t half,
                                    const uint32_t *tw, size_t t0, size_t t1)
{
    if (half < 2 || (t0 & 1) || (t1 & 1)) {
        vk_ntt_dif_range_avx2(x, half, tw, t0, t1);
        return;
    }
    for (size_t t = t0; t < t1; t += 2) {
        size_t j = t & (half - 1);
        size_t i0 = ((t - j) << 1) + j;
        void *pa = x + i0 * 8;
        void *pb = x + (i0 + half) * 8;
        __m512i a = _mm512_loadu_si512(pa);
        __m512i b = _mm512_loadu_si512(pb);
        _mm512_storeu_si512(pa, vadd(a, b));
        _mm512_storeu_si512(pb, vmulc(vsub(a, b), twiddle2(tw + half + j)));
    }
}

AVX512 void vk_ntt_scale_avx512(uint32_t *x, const uint32_t *scale, size_t j0,
                                size_t j1)
{
    if ((j0 & 1) || (j1 & 1)) {
        vk_ntt_scale_avx2(x, scale, j0, j1);
        return;
    }
    for (size_t j = j0; j < j1; j += 2) {
        void *pa = x + j * 8;
        _mm512_storeu_si512(pa,
                            vmulc(_mm512_loadu_si512(pa), twiddle2(scale + j)));
    }
}

#else
/* Keeps the translation unit non-empty on other architectures. */
int vk_simd_avx512_unused;
#endif
