/*
 * septic.h - the degree-7 extension of BabyBear and SP1's curve over it.
 *
 * F7 = F_p[z] / (z^7 - 2z - 5), p = 2013265921 (sp1-vk-v4v5.md §6.1). An
 * element is 7 canonical BabyBear coefficients, c[i] the coefficient of
 * z^i. The curve is E: y^2 = x^3 + 2x + 26 z^5 (§6.2). SP1 v4/v5 commit to
 * a program's memory image as one point of E: every (addr, word) is hashed
 * onto the curve with Poseidon2 (vk_septic_lift_x, §6.4), negated, and all
 * of them are summed onto a fixed start point (vk_septic_image_sum, §6.5).
 *
 * Every function takes and returns canonical values (each c[i] < p); out
 * may alias an input. Nothing here allocates, and nothing keeps state
 * apart from constant tables built once (thread-safe, on first use).
 */
#ifndef ZK_VK_SEPTIC_H
#define ZK_VK_SEPTIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"
#include "zkvm/program.h"

#define VK_F7_DEGREE 7

struct vk_f7 {
    uint32_t c[VK_F7_DEGREE];
};

/* An affine point of E, or the point at infinity (is_inf, x = y = 0). */
struct vk_septic_point {
    struct vk_f7 x;
    struct vk_f7 y;
    bool is_inf;
};

/* Largest number of hash-to-curve attempts before SP1 gives up (§6.4). */
#define VK_SEPTIC_LIFT_TRIES 256

/* ---- field ---- */

void vk_f7_zero(struct vk_f7 *out);
/* out = the base-field element v (v canonical). */
void vk_f7_from_base(struct vk_f7 *out, uint32_t v);
bool vk_f7_eq(const struct vk_f7 *a, const struct vk_f7 *b);
bool vk_f7_is_zero(const struct vk_f7 *a);

void vk_f7_add(struct vk_f7 *out, const struct vk_f7 *a, const struct vk_f7 *b);
void vk_f7_sub(struct vk_f7 *out, const struct vk_f7 *a, const struct vk_f7 *b);
void vk_f7_neg(struct vk_f7 *out, const struct vk_f7 *a);
void vk_f7_mul(struct vk_f7 *out, const struct vk_f7 *a, const struct vk_f7 *b);
void vk_f7_sqr(struct vk_f7 *out, const struct vk_f7 *a);
/* out = a * s for a base-field scalar s. */
void vk_f7_mul_base(struct vk_f7 *out, const struct vk_f7 *a, uint32_t s);
/* out = a^e for a 64-bit exponent (square-and-multiply). */
void vk_f7_pow(struct vk_f7 *out, const struct vk_f7 *a, uint64_t e);

/* out = phi^k(a) = a^(p^k), the k-th Frobenius power, k in 0..6 (others
 * taken mod 7). */
void vk_f7_frobenius(struct vk_f7 *out, const struct vk_f7 *a, unsigned k);

/* The norm N(a) = a^(1 + p + ... + p^6), an element of F_p. */
uint32_t vk_f7_norm(const struct vk_f7 *a);

/* out = 1/a. Returns false (out = 0) when a = 0. */
bool vk_f7_inv(struct vk_f7 *out, const struct vk_f7 *a);

/* True when a is a square in F7 (0 counts as a square). */
bool vk_f7_is_square(const struct vk_f7 *a);

/*
 * out = a square root of a (§6.3: 0 and 1 map to themselves, otherwise
 * SP1's construction). Returns false (out = 0) when a is not a square.
 * Which of the two roots is returned is not specified: callers normalise
 * the sign themselves.
 */
bool vk_f7_sqrt(struct vk_f7 *out, const struct vk_f7 *a);

/* ---- base field helpers used by the above (exported for tests) ---- */

/* Legendre symbol of a in F_p: 1 for a nonzero square, p-1 for a
 * non-square, 0 for 0 (that is a^((p-1)/2)). */
uint32_t vk_bb_legendre(uint32_t a);
/* A square root of a in F_p (Tonelli-Shanks); false when a is not a
 * square. */
bool vk_bb_sqrt(uint32_t *out, uint32_t a);

/* ---- curve ---- */

/* out = x^3 + 2x + 26 z^5, the curve's right-hand side. */
void vk_septic_curve_rhs(struct vk_f7 *out, const struct vk_f7 *x);
/* True for the point at infinity and for affine points on E. */
bool vk_septic_on_curve(const struct vk_septic_point *pt);

void vk_septic_infinity(struct vk_septic_point *out);
void vk_septic_neg(struct vk_septic_point *out,
                   const struct vk_septic_point *a);
/* out = a + b with the complete group law of §6.2 (doubling included). */
void vk_septic_add(struct vk_septic_point *out, const struct vk_septic_point *a,
                   const struct vk_septic_point *b);

/* CURVE_CUMULATIVE_SUM_START (§6.5). */
void vk_septic_sum_start(struct vk_septic_point *out);

/*
 * SP1's SepticCurve::lift_x for a 7-element message m (canonical values):
 * the first offset in 0..255 whose Poseidon2 image x gives a square
 * x^3 + 2x + 26z^5 with a root whose z^6 coefficient is nonzero; the root
 * is normalised so that this coefficient lies in [1, (p-1)/2].
 * Returns: ZK_OK; ZK_EINTERNAL if all 256 offsets fail (SP1 panics there;
 * never observed).
 * Out:     out (affine point), offset_out (may be NULL).
 */
ZK_NODISCARD enum zk_err vk_septic_lift_x(struct vk_septic_point *out,
                                          unsigned *offset_out,
                                          const uint32_t m[VK_F7_DEGREE]);

/* The lift_x message of one memory word (§6.4 step 1):
 * (1 << 16, 0, addr, b0, b1, b2, b3). addr must be < p. */
void vk_septic_memory_message(uint32_t m[VK_F7_DEGREE], uint32_t addr,
                              uint32_t word);

/*
 * initial_global_cumulative_sum of SP1 v4/v5 (§6.5):
 * START + sum over the image of -lift_x(memory_message(addr, value)).
 * image holds n entries (the whole image, bss zeros included; the order
 * does not matter). Up to n_threads threads share the work (0 or 1:
 * the caller's thread only; see vk_threads_resolve).
 * Returns: ZK_OK; ZK_EINVAL if an address is >= p; ZK_EINTERNAL if a
 *          lift fails or the sum is the point at infinity (SP1 panics);
 *          ZK_EIO if a mutex cannot be created.
 */
ZK_NODISCARD enum zk_err
vk_septic_image_sum(struct vk_septic_point *out,
                    const struct zkvm_image_word *image, size_t n,
                    unsigned n_threads);

#endif
