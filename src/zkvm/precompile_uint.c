/*
 * precompile_uint.c - UINT256_MUL and U256XU2048_MUL (sp1-executor-abi.md
 * §4.2): x*y mod m with m == 0 meaning 2^256, and the full 256x2048-bit
 * product split into its low 2048 and high 256 bits.
 */
#include <config.h>

#include "zkvm/precompile_int.h"

enum zk_err zkvm_uint256_mul(uint32_t x[8], const uint32_t y[8],
                             const uint32_t m[8])
{
    enum zk_err err = ZK_ENOMEM;
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *bx, *by, *bm, *r;

    if (!ctx) {
        return zkvm_pc_oom("BN_CTX_new");
    }
    BN_CTX_start(ctx);
    bx = BN_CTX_get(ctx);
    by = BN_CTX_get(ctx);
    bm = BN_CTX_get(ctx);
    r = BN_CTX_get(ctx);
    if (!r) {
        err = zkvm_pc_oom("BN_CTX_get");
        goto out;
    }
    err = zkvm_bn_from_words(bx, x, 8);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(by, y, 8);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(bm, m, 8);
    if (err) {
        goto out;
    }
    if (!BN_mul(r, bx, by, ctx)) {
        err = zkvm_pc_oom("BN_mul");
        goto out;
    }
    if (BN_is_zero(bm)) {
        /* SP1: a zero modulus means 2^256. */
        if (BN_num_bits(r) > 256 && !BN_mask_bits(r, 256)) {
            err = zkvm_pc_oom("BN_mask_bits");
            goto out;
        }
    } else if (!BN_mod(r, r, bm, ctx)) {
        err = zkvm_pc_oom("BN_mod");
        goto out;
    }
    err = zkvm_bn_to_words(x, 8, r);
out:
    BN_CTX_end(ctx);
    BN_CTX_free(ctx);
    return err;
}

void zkvm_u256x2048_mul(const uint32_t a[8], const uint32_t b[64],
                        uint32_t lo[64], uint32_t hi[8])
{
    uint32_t prod[72] = {0};

    /* Schoolbook multiplication; the 72-word product is exact. */
    for (unsigned i = 0; i < 8; i++) {
        uint64_t carry = 0;
        for (unsigned j = 0; j < 64; j++) {
            uint64_t t = (uint64_t)a[i] * b[j] + prod[i + j] + carry;
            prod[i + j] = (uint32_t)t;
            carry = t >> 32;
        }
        prod[i + 64] = (uint32_t)carry;
    }
    for (unsigned i = 0; i < 64; i++) {
        lo[i] = prod[i];
    }
    for (unsigned i = 0; i < 8; i++) {
        hi[i] = prod[64 + i];
    }
}
