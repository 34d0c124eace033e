/*
 * precompile_field.c - FP_ADD/SUB/MUL and FP2_ADD/SUB/MUL for the bn254
 * and bls12-381 base fields (sp1-executor-abi.md §4.2), as SP1's
 * fptower syscalls compute them:
 *
 *   Fp:   a = x mod p, b = y mod p; (a + b), (a + p - b), a*b, all mod p.
 *   Fp2:  no pre-reduction; add (a + b) mod p, sub (a + p - b) mod p (an
 *         unsigned underflow, b > a + p, panics); mul
 *         c0 = (a0 b0 mod p - a1 b1 mod p) mod p (made non-negative),
 *         c1 = (a0 b1 mod p + a1 b0 mod p) mod p.
 *
 * SP1 v3 wrote the Fp2 result as c0's significant u32 digits followed by
 * c1's, zero padded, so a c0 below 2^(32(n-1)) shifted c1 down; v4.0.0
 * pads c0 to n words. We reproduce both.
 */
#include <config.h>

#include <string.h>

#include "zkvm/precompile_int.h"

struct fq {
    BN_CTX *ctx;
    BIGNUM *p, *a0, *a1, *b0, *b1, *c0, *c1, *t;
};

static enum zk_err fq_open(struct fq *s, enum zkvm_curve c)
{
    BIGNUM **slots[] = {&s->p,  &s->a0, &s->a1, &s->b0,
                        &s->b1, &s->c0, &s->c1, &s->t};
    memset(s, 0, sizeof(*s));
    if (c != ZKVM_CURVE_BN254 && c != ZKVM_CURVE_BLS12381) {
        return zkvm_pc_trap("field op: unsupported field");
    }
    enum zk_err err = zkvm_bn_ctx_open(&s->ctx, slots, ZK_ARRAY_LEN(slots));
    return err ? err : zkvm_bn_hex(s->p, zkvm_curve_get(c)->p);
}

static void fq_close(struct fq *s)
{
    zkvm_bn_ctx_close(s->ctx);
}

/* r = (a op b) mod p for a, b >= 0 (not necessarily reduced); sub traps
 * where SP1's `a + p - b` underflows. */
static enum zk_err fq_addsub(struct fq *s, BIGNUM *r, const BIGNUM *a,
                             const BIGNUM *b, bool sub)
{
    if (sub) {
        if (!BN_add(r, a, s->p) || !BN_sub(r, r, b)) {
            return zkvm_pc_oom("fp sub");
        }
        if (BN_is_negative(r)) {
            return zkvm_pc_trap("fp2 sub: b > a + p underflows");
        }
    } else if (!BN_add(r, a, b)) {
        return zkvm_pc_oom("fp add");
    }
    if (!BN_nnmod(r, r, s->p, s->ctx)) {
        return zkvm_pc_oom("BN_nnmod");
    }
    return ZK_OK;
}

enum zk_err zkvm_fp_op(enum zkvm_curve c, enum zkvm_field_op op, uint32_t *x,
                       const uint32_t *y)
{
    struct fq s;
    enum zk_err err;
    size_t n;

    err = fq_open(&s, c);
    if (err) {
        goto out;
    }
    n = zkvm_curve_words(c);
    err = zkvm_bn_from_words(s.a0, x, n);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.b0, y, n);
    if (err) {
        goto out;
    }
    if (!BN_nnmod(s.a0, s.a0, s.p, s.ctx) ||
        !BN_nnmod(s.b0, s.b0, s.p, s.ctx)) {
        err = zkvm_pc_oom("BN_nnmod");
        goto out;
    }
    if (op == ZKVM_FIELD_MUL) {
        if (!BN_mod_mul(s.c0, s.a0, s.b0, s.p, s.ctx)) {
            err = zkvm_pc_oom("BN_mod_mul");
            goto out;
        }
    } else {
        err = fq_addsub(&s, s.c0, s.a0, s.b0, op == ZKVM_FIELD_SUB);
        if (err) {
            goto out;
        }
    }
    err = zkvm_bn_to_words(x, n, s.c0);
out:
    fq_close(&s);
    return err;
}

/* Fp2 mul: c0 = (a0 b0 - a1 b1) mod p, c1 = (a0 b1 + a1 b0) mod p, with
 * each product reduced first as SP1 does (the result is the same). */
static enum zk_err fq2_mul(struct fq *s)
{
    BN_CTX *ctx = s->ctx;
    if (!BN_mod_mul(s->c0, s->a0, s->b0, s->p, ctx) ||
        !BN_mod_mul(s->t, s->a1, s->b1, s->p, ctx) ||
        !BN_mod_sub(s->c0, s->c0, s->t, s->p, ctx) ||
        !BN_mod_mul(s->c1, s->a0, s->b1, s->p, ctx) ||
        !BN_mod_mul(s->t, s->a1, s->b0, s->p, ctx) ||
        !BN_mod_add(s->c1, s->c1, s->t, s->p, ctx)) {
        return zkvm_pc_oom("fp2 mul");
    }
    return ZK_OK;
}

/* SP1 v3's packing: significant words of c0, then of c1, zero padded. */
static enum zk_err fq2_store_v3(uint32_t *x, size_t n, const BIGNUM *c0,
                                const BIGNUM *c1)
{
    uint32_t w0[12], w1[12];
    size_t k0 = ((size_t)BN_num_bits(c0) + 31) / 32;
    size_t k1 = ((size_t)BN_num_bits(c1) + 31) / 32;
    enum zk_err err;

    err = zkvm_bn_to_words(w0, n, c0);
    if (err) {
        return err;
    }
    err = zkvm_bn_to_words(w1, n, c1);
    if (err) {
        return err;
    }
    memset(x, 0, 2 * n * sizeof(uint32_t));
    memcpy(x, w0, k0 * sizeof(uint32_t));
    memcpy(x + k0, w1, k1 * sizeof(uint32_t));
    return ZK_OK;
}

enum zk_err zkvm_fp2_op(enum zkvm_curve c, enum zkvm_field_op op, uint32_t *x,
                        const uint32_t *y, int major)
{
    struct fq s;
    enum zk_err err;
    size_t n;

    err = fq_open(&s, c);
    if (err) {
        goto out;
    }
    n = zkvm_curve_words(c);
    err = zkvm_bn_from_words(s.a0, x, n);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.a1, x + n, n);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.b0, y, n);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.b1, y + n, n);
    if (err) {
        goto out;
    }
    if (op == ZKVM_FIELD_MUL) {
        err = fq2_mul(&s);
    } else {
        bool sub = op == ZKVM_FIELD_SUB;
        err = fq_addsub(&s, s.c0, s.a0, s.b0, sub);
        if (!err) {
            err = fq_addsub(&s, s.c1, s.a1, s.b1, sub);
        }
    }
    if (err) {
        goto out;
    }
    if (major <= 3) {
        err = fq2_store_v3(x, n, s.c0, s.c1);
    } else {
        err = zkvm_bn_to_words(x, n, s.c0);
        if (!err) {
            err = zkvm_bn_to_words(x + n, n, s.c1);
        }
    }
out:
    fq_close(&s);
    return err;
}
