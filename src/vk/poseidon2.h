/*
 * poseidon2.h - Poseidon2 over BabyBear, width 16, exactly as SP1 v3..v5
 * use it (sp1-vk.md 6): x^7 S-box, 8 full + 13 partial rounds, SP1's
 * RC_16_30 constants, the Plonky3 external/internal linear layers.
 *
 * All values in and out are CANONICAL BabyBear elements (< p). Inputs >= p
 * are a caller bug. Pure functions: thread-safe and reentrant.
 */
#ifndef ZK_VK_POSEIDON2_H
#define ZK_VK_POSEIDON2_H

#include <stddef.h>
#include <stdint.h>

#define VK_P2_WIDTH  16
#define VK_P2_RATE   8
#define VK_P2_DIGEST 8

/* The permutation, in place. */
void vk_poseidon2_permute(uint32_t state[VK_P2_WIDTH]);

/*
 * SP1's PaddingFreeSponge<16, 8, 8>: state = 0^16; for each chunk of up
 * to 8 inputs, overwrite state[0..len) (a short last chunk keeps the rest
 * of the state), permute; out = state[0..8). No padding, no length. An
 * empty input gives 8 zeros (no permutation at all), as Plonky3 does.
 */
void vk_poseidon2_hash(uint32_t out[VK_P2_DIGEST], const uint32_t *in,
                       size_t n);

/* TruncatedPermutation 2-to-1: out = permute(left || right)[0..8). */
void vk_poseidon2_compress(uint32_t out[VK_P2_DIGEST],
                           const uint32_t left[VK_P2_DIGEST],
                           const uint32_t right[VK_P2_DIGEST]);

#endif
