/*
 * fuzz_precompile.c - libFuzzer harness for the precompile math and the
 * hooks (src/zkvm/precompile_*.c): guest-controlled words and hook bytes
 * must only ever give ZK_OK, ZK_ETRAP (an SP1 panic) or ZK_ELIMIT, never a
 * crash, a sanitizer report or ZK_EINTERNAL, and successful curve/field
 * results must be reduced.
 *
 * Input: byte 0 picks the target, byte 1 the curve/op/version, the rest is
 * the operand bytes (hooks: the bytes the guest WRITEs).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "zkvm/precompile.h"
#include "zkvm/precompile_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum zk_err e)
{
    if (e != ZK_OK && e != ZK_ETRAP && e != ZK_ELIMIT) {
        abort();
    }
}

/* out[0..n) < p for every field element of a successful result */
static void check_reduced(enum zkvm_curve c, const uint32_t *w, size_t k)
{
    size_t n = zkvm_curve_words(c);
    BIGNUM *p = BN_new(), *x = BN_new();
    if (!p || !x || zkvm_bn_hex(p, zkvm_curve_get(c)->p)) {
        abort();
    }
    for (size_t i = 0; i < k; i++) {
        if (zkvm_bn_from_words(x, w + i * n, n) || BN_cmp(x, p) >= 0) {
            abort();
        }
    }
    BN_free(p);
    BN_free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t a[24] = {0}, b[24] = {0};
    enum zkvm_curve c;
    uint8_t sel, sub;
    enum zk_err e;

    zk_log_set_level(ZK_LOG_SILENT);
    if (size < 2) {
        return 0;
    }
    sel = data[0] % 10;
    sub = data[1];
    data += 2;
    size -= 2;
    if (sel == 0) {
        struct zkvm_hook_out o;
        enum zkvm_hook h = (enum zkvm_hook)(1 + sub % 12);
        check(zkvm_hook_run(h, data, size, &o));
        zkvm_hook_out_cleanup(&o);
        return 0;
    }
    memcpy(a, data, size < sizeof(a) ? size : sizeof(a));
    if (size > sizeof(a)) {
        size_t r = size - sizeof(a);
        memcpy(b, data + sizeof(a), r < sizeof(b) ? r : sizeof(b));
    }
    c = (enum zkvm_curve)(sub % 4); /* Weierstrass curves */
    switch (sel) {
    case 1:
        check(e = zkvm_sw_add(c, a, b));
        if (!e) {
            check_reduced(c, a, 2);
        }
        break;
    case 2:
        check(e = zkvm_sw_double(c, a));
        if (!e) {
            check_reduced(c, a, 2);
        }
        break;
    case 3:
        if (c == ZKVM_CURVE_BN254) {
            c = ZKVM_CURVE_BLS12381;
        }
        check(e = zkvm_sw_decompress(c, a, (sub >> 4) & 1));
        if (!e && !(c == ZKVM_CURVE_BLS12381 && a[0] == 1)) {
            check_reduced(c, a, 1);
        }
        break;
    case 4:
        check(e = zkvm_ed_add(a, b));
        if (!e) {
            check_reduced(ZKVM_CURVE_ED25519, a, 2);
        }
        break;
    case 5:
        check(zkvm_ed_decompress(a, (sub >> 4) & 1, 3 + (sub >> 5) % 3));
        break;
    case 6:
    case 7:
        c = (sub & 1) ? ZKVM_CURVE_BLS12381 : ZKVM_CURVE_BN254;
        if (sel == 6) {
            check(
                e = zkvm_fp_op(c, (enum zkvm_field_op)((sub >> 1) % 3), a, b));
            if (!e) {
                check_reduced(c, a, 1);
            }
        } else {
            int major = 3 + (sub >> 4) % 3;
            check(e = zkvm_fp2_op(c, (enum zkvm_field_op)((sub >> 1) % 3), a, b,
                                  major));
            if (!e && major > 3) {
                check_reduced(c, a, 2);
            }
        }
        break;
    case 8:
        check(zkvm_uint256_mul(a, b, b + 8));
        break;
    default: {
        uint32_t lo[64], hi[8], bb[64] = {0};
        memcpy(bb, b, sizeof(b));
        zkvm_u256x2048_mul(a, bb, lo, hi);
        break;
    }
    }
    return 0;
}
