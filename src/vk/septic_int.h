/*
 * septic_int.h - internals of the septic-curve code shared between
 * septic.c and its SIMD kernels (not a public API).
 */
#ifndef ZK_VK_SEPTIC_INT_H
#define ZK_VK_SEPTIC_INT_H

#include "vk/septic.h"
#include "vk/vk_int.h"

/* frob_mont[k][i] = z^(i p^k) in Montgomery form; valid once any septic
 * function that needs the Frobenius map has run (vk_septic_image_sum
 * ensures it before calling the kernels). */
extern uint32_t vk_septic_frob_mont[VK_F7_DEGREE][VK_F7_DEGREE][VK_F7_DEGREE];

/* Test hook: true makes the image sum use the scalar kernels even where
 * AVX2 is available (the Poseidon2 batch is unaffected). */
void vk_septic_force_scalar(bool on);

#if VK_HAVE_X86
/* For j = 0..3: f[j] = x[j]^3 + 2 x[j] + 26 z^5 and n[j] = N(f[j]), all
 * canonical. Only when vk_cpu_has_avx2(). */
void vk_septic_rhs_norm4_avx2(const struct vk_f7 x[4], struct vk_f7 f[4],
                              uint32_t n[4]);

/* v[j] = the square-root numerator of v[j] (septic.c, sqrt_den) for
 * j = 0..3, canonical in and out. Only when vk_cpu_has_avx2(). */
void vk_septic_sqrt_den4_avx2(struct vk_f7 v[4]);
#endif

#endif
