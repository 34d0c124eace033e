/*
 * fuzz_septic.c - properties of the septic field and curve on arbitrary
 * inputs (src/vk/septic.c), plus the v4/v5 Program row builder on
 * arbitrary instruction words (src/vk/vk_v45.c).
 *
 * Input: 28 bytes = 7 little-endian words, reduced mod p, used as an F7
 * element a and as a lift_x message; the rest = instruction words.
 * Aborts if a root does not square back, if the square test and the root
 * disagree, if a * a^-1 != 1, or if a lifted point is off the curve or
 * breaks the sign rule.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/bytes.h"
#include "vk/septic.h"
#include "vk/vk_v45.h"

#define P 2013265921u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vk_f7 a, r, t, one;
    if (size < 4 * VK_F7_DEGREE) {
        return 0;
    }
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        a.c[i] = zk_load_le32(data + 4 * i) % P;
    }
    bool has_root = vk_f7_sqrt(&r, &a);
    if (has_root != vk_f7_is_square(&a)) {
        abort();
    }
    if (has_root) {
        vk_f7_sqr(&t, &r);
        if (!vk_f7_eq(&t, &a)) {
            abort();
        }
    }
    vk_f7_from_base(&one, 1);
    if (vk_f7_inv(&t, &a)) {
        vk_f7_mul(&t, &t, &a);
        if (!vk_f7_eq(&t, &one)) {
            abort();
        }
    } else if (!vk_f7_is_zero(&a)) {
        abort();
    }

    struct vk_septic_point pt, sum;
    if (vk_septic_lift_x(&pt, NULL, a.c) != ZK_OK) {
        abort(); /* SP1 would panic; never seen */
    }
    uint32_t y6 = pt.y.c[VK_F7_DEGREE - 1];
    if (!vk_septic_on_curve(&pt) || y6 == 0 || y6 > (P - 1) / 2) {
        abort();
    }
    vk_septic_sum_start(&sum);
    vk_septic_add(&sum, &sum, &pt);
    vk_septic_add(&sum, &sum, &pt);
    if (!vk_septic_on_curve(&sum)) {
        abort();
    }

    for (size_t off = 4 * VK_F7_DEGREE; off + 4 <= size; off += 4) {
        uint32_t row[VK_V45_PROGRAM_WIDTH];
        if (vk_v45_program_row(row, 0x201000, zk_load_le32(data + off)) ==
            ZK_OK) {
            if (row[1] > 37 || row[2] > 31 || row[11] > 1) {
                abort();
            }
        }
    }
    return 0;
}
