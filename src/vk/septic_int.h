/*
 * septic_int.h - internals of the septic-curve code shared between
 * septic.c and its SIMD kernels (not a public API).
 */
#ifndef ZK_VK_SEPTIC_INT_H
#define ZK_VK_SEPTIC_INT_H

#include "vk/septic.h"
#include "vk/vk_int.h"

#if VK_HAVE_X86
/* v[j] = v[j]^((p+1)/2) for j = 0..3 (canonical in and out). Only when
 * vk_cpu_has_avx2(). */
void vk_septic_pow_half4_avx2(struct vk_f7 v[4]);
#endif

#endif
