/*
 * poseidon2.c - scalar Poseidon2-BabyBear-16 (sp1-vk.md 6) and the batch
 * entry point that the commitment engine uses (AVX2 when available).
 *
 * Internally the state is in Montgomery form. The internal linear layer
 * then matches Plonky3 literally: Plonky3 multiplies Montgomery residues
 * by 1 + diag(d) and finishes with one Montgomery reduction, which in
 * canonical terms scales the whole matrix by 2^-32 (the classic trap,
 * sp1-vk.md 6.3). In Montgomery form the output residue is simply
 * reduce(sum) + reduce(d_i * x_i).
 */
#include <config.h>
#include "vk/poseidon2.h"

#include <string.h>

#include "vk/babybear.h"
#include "vk/vk_int.h"

/* d_i of M_I = 1 + diag(d), as residues mod p: [-2, 2^0, ..., 2^13, 2^15] */
const uint32_t vk_p2_diag[16] = {BB_P - 2, 1u << 0,  1u << 1,  1u << 2,
                                 1u << 3,  1u << 4,  1u << 5,  1u << 6,
                                 1u << 7,  1u << 8,  1u << 9,  1u << 10,
                                 1u << 11, 1u << 12, 1u << 13, 1u << 15};

static inline uint32_t sbox(uint32_t x)
{
    uint32_t x2 = bb_mont_mul(x, x);
    uint32_t x3 = bb_mont_mul(x2, x);
    uint32_t x4 = bb_mont_mul(x2, x2);
    return bb_mont_mul(x3, x4);
}

/* M4 = [[2,3,1,1],[1,2,3,1],[1,1,2,3],[3,1,1,2]] on one block of 4. */
static inline void mat4(uint32_t *x)
{
    uint32_t t01 = bb_add(x[0], x[1]);
    uint32_t t23 = bb_add(x[2], x[3]);
    uint32_t t0123 = bb_add(t01, t23);
    uint32_t t01123 = bb_add(t0123, x[1]);
    uint32_t t01233 = bb_add(t0123, x[3]);
    uint32_t y3 = bb_add(t01233, bb_add(x[0], x[0])); /* 3x0+x1+x2+2x3 */
    uint32_t y1 = bb_add(t01123, bb_add(x[2], x[2])); /* x0+2x1+3x2+x3 */
    uint32_t y0 = bb_add(t01123, t01);                /* 2x0+3x1+x2+x3 */
    uint32_t y2 = bb_add(t01233, t23);                /* x0+x1+2x2+3x3 */
    x[0] = y0;
    x[1] = y1;
    x[2] = y2;
    x[3] = y3;
}

/* M_E = circ(2 M4, M4, M4, M4) (sp1-vk.md 6.3). */
static void ext_linear(uint32_t s[16])
{
    for (int b = 0; b < 16; b += 4) {
        mat4(s + b);
    }
    for (int k = 0; k < 4; k++) {
        uint32_t sum =
            bb_add(bb_add(s[k], s[k + 4]), bb_add(s[k + 8], s[k + 12]));
        for (int b = 0; b < 16; b += 4) {
            s[b + k] = bb_add(s[b + k], sum);
        }
    }
}

static void int_linear(uint32_t s[16])
{
    uint32_t sum = 0;
    for (int i = 0; i < 16; i++) {
        sum = bb_add(sum, s[i]);
    }
    uint32_t sr = bb_mont_reduce(sum);
    for (int i = 0; i < 16; i++) {
        s[i] = bb_add(sr, bb_mont_mul(s[i], vk_p2_diag[i]));
    }
}

static void full_round(uint32_t s[16], const uint32_t rc[16])
{
    for (int i = 0; i < 16; i++) {
        s[i] = sbox(bb_add(s[i], rc[i]));
    }
    ext_linear(s);
}

void vk_p2_permute_mont(uint32_t s[16])
{
    ext_linear(s);
    for (int r = 0; r < 4; r++) {
        full_round(s, vk_p2_rc_ext[r]);
    }
    for (int r = 0; r < 13; r++) {
        s[0] = sbox(bb_add(s[0], vk_p2_rc_int[r]));
        int_linear(s);
    }
    for (int r = 4; r < 8; r++) {
        full_round(s, vk_p2_rc_ext[r]);
    }
}

void vk_p2_permute_batch(uint32_t *states, size_t n)
{
    size_t i = 0;
#if VK_HAVE_X86
    if (vk_cpu_has_avx512()) {
        for (; i + 16 <= n; i += 16) {
            vk_p2_permute16_avx512(states + i * 16);
        }
    }
    if (vk_cpu_has_avx2()) {
        for (; i + 8 <= n; i += 8) {
            vk_p2_permute8_avx2(states + i * 16);
        }
    }
#endif
    for (; i < n; i++) {
        vk_p2_permute_mont(states + i * 16);
    }
}

void vk_poseidon2_permute(uint32_t state[VK_P2_WIDTH])
{
    for (int i = 0; i < 16; i++) {
        state[i] = bb_to_mont(state[i]);
    }
    vk_p2_permute_mont(state);
    for (int i = 0; i < 16; i++) {
        state[i] = bb_from_mont(state[i]);
    }
}

void vk_poseidon2_hash(uint32_t out[VK_P2_DIGEST], const uint32_t *in, size_t n)
{
    uint32_t s[16] = {0};
    for (size_t off = 0; off < n; off += VK_P2_RATE) {
        size_t len = n - off < VK_P2_RATE ? n - off : VK_P2_RATE;
        for (size_t j = 0; j < len; j++) {
            s[j] = bb_to_mont(in[off + j]);
        }
        vk_p2_permute_mont(s);
    }
    for (int i = 0; i < VK_P2_DIGEST; i++) {
        out[i] = bb_from_mont(s[i]);
    }
}

void vk_poseidon2_compress(uint32_t out[VK_P2_DIGEST],
                           const uint32_t left[VK_P2_DIGEST],
                           const uint32_t right[VK_P2_DIGEST])
{
    uint32_t s[16];
    for (int i = 0; i < 8; i++) {
        s[i] = bb_to_mont(left[i]);
        s[8 + i] = bb_to_mont(right[i]);
    }
    vk_p2_permute_mont(s);
    for (int i = 0; i < VK_P2_DIGEST; i++) {
        out[i] = bb_from_mont(s[i]);
    }
}
