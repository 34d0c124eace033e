/*
 * precompile_weier.c - the short Weierstrass precompiles (ADD, DOUBLE,
 * DECOMPRESS) for secp256k1, secp256r1, bn254 and bls12-381
 * (sp1-executor-abi.md §4.2).
 *
 * ADD and DOUBLE follow SP1's sp1-curves `sw_add` / `sw_double` (default
 * dashu backend) operation by operation: unsigned big integers whose
 * subtractions panic when they would go negative, inverses as ^(p-2) (so
 * the "inverse" of 0 is 0), no point at infinity, and a panic for
 * add(P, P). Inputs are whatever the guest stored: up to 2^(32n) - 1, not
 * necessarily reduced or on the curve. We compute with signed BIGNUMs and
 * trap exactly where SP1 would panic.
 *
 * DECOMPRESS uses libsecp256k1 for secp256k1 (same acceptance rules as the
 * k256 crate SP1 calls: x < p and x^3 + 7 a square) and OpenSSL's
 * BN_mod_sqrt for P-256 (p256 crate rules) and bls12-381 (amcl's
 * deserialize_g1 rules, including the flag bits in x's top byte).
 */
#include <config.h>

#include <string.h>

#include <openssl/err.h>
#include <secp256k1.h>

#include "zkvm/precompile_int.h"

/* Scratch numbers for one operation, all from one BN_CTX frame. */
struct sw {
    BN_CTX *ctx;
    BIGNUM *p, *a, *x1, *y1, *x2, *y2, *num, *den, *inv, *slope, *x3, *y3, *t;
};

static enum zk_err sw_open(struct sw *s, enum zkvm_curve c)
{
    const struct zkvm_curve_info *ci = zkvm_curve_get(c);
    BIGNUM **slots[] = {&s->p,  &s->a,   &s->x1,  &s->y1,  &s->x2,
                        &s->y2, &s->num, &s->den, &s->inv, &s->slope,
                        &s->x3, &s->y3,  &s->t};
    enum zk_err err;

    memset(s, 0, sizeof(*s));
    err = zkvm_bn_ctx_open(&s->ctx, slots, ZK_ARRAY_LEN(slots));
    if (err) {
        return err;
    }
    err = zkvm_bn_hex(s->p, ci->p);
    if (err) {
        return err;
    }
    err = zkvm_bn_hex(s->a, ci->a);
    if (err) {
        return err;
    }
    return ZK_OK;
}

static void sw_close(struct sw *s)
{
    zkvm_bn_ctx_close(s->ctx);
}

/* r = r mod p for r >= 0 (BN_nnmod), failing like SP1's unsigned
 * arithmetic when r went negative. */
static enum zk_err sw_reduce_nonneg(BIGNUM *r, const BIGNUM *p, BN_CTX *ctx,
                                    const char *what)
{
    if (BN_is_negative(r)) {
        return zkvm_pc_trap(what);
    }
    if (!BN_nnmod(r, r, p, ctx)) {
        return zkvm_pc_oom("BN_nnmod");
    }
    return ZK_OK;
}

/*
 * Common tail of add and double, given num, inv = den^-1 and (x1, y1, x2):
 *   slope = num * inv mod p
 *   x3 = (slope^2 + 2p - x1 - x2) mod p
 *   y3 = (slope * (p + x1 - x3) + p - y1) mod p
 */
static enum zk_err sw_finish(struct sw *s, uint32_t *out, size_t n)
{
    enum zk_err err;
    BN_CTX *ctx = s->ctx;

    if (!BN_mod_mul(s->slope, s->num, s->inv, s->p, ctx)) {
        return zkvm_pc_oom("BN_mod_mul");
    }
    if (!BN_sqr(s->x3, s->slope, ctx) || !BN_add(s->x3, s->x3, s->p) ||
        !BN_add(s->x3, s->x3, s->p) || !BN_sub(s->x3, s->x3, s->x1) ||
        !BN_sub(s->x3, s->x3, s->x2)) {
        return zkvm_pc_oom("sw x3");
    }
    err = sw_reduce_nonneg(s->x3, s->p, ctx,
                           "curve op: x3 underflows (x not reduced)");
    if (err) {
        return err;
    }
    if (!BN_add(s->t, s->p, s->x1) || !BN_sub(s->t, s->t, s->x3) ||
        !BN_mul(s->y3, s->slope, s->t, ctx) || !BN_add(s->y3, s->y3, s->p) ||
        !BN_sub(s->y3, s->y3, s->y1)) {
        return zkvm_pc_oom("sw y3");
    }
    err = sw_reduce_nonneg(s->y3, s->p, ctx,
                           "curve op: y3 underflows (y not reduced)");
    if (err) {
        return err;
    }
    err = zkvm_bn_to_words(out, n, s->x3);
    if (err) {
        return err;
    }
    err = zkvm_bn_to_words(out + n, n, s->y3);
    if (err) {
        return err;
    }
    return ZK_OK;
}

/* x, y = the affine point stored as n little-endian words of x, then n of y. */
static enum zk_err sw_load_point(BIGNUM *x, BIGNUM *y, const uint32_t *w,
                                 size_t n)
{
    enum zk_err err = zkvm_bn_from_words(x, w, n);
    if (err) {
        return err;
    }
    return zkvm_bn_from_words(y, w + n, n);
}

enum zk_err zkvm_sw_add(enum zkvm_curve c, uint32_t *p, const uint32_t *q)
{
    size_t n = zkvm_curve_words(c);
    struct sw s;
    enum zk_err err;

    ZK_ASSERT(c != ZKVM_CURVE_ED25519);
    err = sw_open(&s, c);
    if (err) {
        goto out;
    }
    err = sw_load_point(s.x1, s.y1, p, n);
    if (err) {
        goto out;
    }
    err = sw_load_point(s.x2, s.y2, q, n);
    if (err) {
        goto out;
    }
    /* sw_add: "Points are the same. Use sw_double instead." */
    if (BN_cmp(s.x1, s.x2) == 0 && BN_cmp(s.y1, s.y2) == 0) {
        err = zkvm_pc_trap("curve add: both points are the same");
        goto out;
    }
    /* num = (p + y2 - y1) mod p; den = (p + x2 - x1) mod p */
    if (!BN_add(s.num, s.p, s.y2) || !BN_sub(s.num, s.num, s.y1) ||
        !BN_add(s.den, s.p, s.x2) || !BN_sub(s.den, s.den, s.x1)) {
        err = zkvm_pc_oom("sw add");
        goto out;
    }
    err = sw_reduce_nonneg(s.num, s.p, s.ctx, "curve add: y2 - y1 underflows");
    if (err) {
        goto out;
    }
    err = sw_reduce_nonneg(s.den, s.p, s.ctx, "curve add: x2 - x1 underflows");
    if (err) {
        goto out;
    }
    err = zkvm_bn_fermat_inv(s.inv, s.den, s.p, s.ctx);
    if (err) {
        goto out;
    }
    err = sw_finish(&s, p, n);
out:
    sw_close(&s);
    return err;
}

enum zk_err zkvm_sw_double(enum zkvm_curve c, uint32_t *p)
{
    size_t n = zkvm_curve_words(c);
    struct sw s;
    enum zk_err err;

    ZK_ASSERT(c != ZKVM_CURVE_ED25519);
    err = sw_open(&s, c);
    if (err) {
        goto out;
    }
    err = sw_load_point(s.x1, s.y1, p, n);
    if (err) {
        goto out;
    }
    /* num = (a + 3x^2) mod p; den = 2y mod p; x2 = x1 for sw_finish */
    if (!BN_copy(s.x2, s.x1) || !BN_sqr(s.num, s.x1, s.ctx) ||
        !BN_mul_word(s.num, 3) || !BN_add(s.num, s.num, s.a) ||
        !BN_nnmod(s.num, s.num, s.p, s.ctx) || !BN_lshift1(s.den, s.y1) ||
        !BN_nnmod(s.den, s.den, s.p, s.ctx)) {
        err = zkvm_pc_oom("sw double");
        goto out;
    }
    err = zkvm_bn_fermat_inv(s.inv, s.den, s.p, s.ctx);
    if (err) {
        goto out;
    }
    err = sw_finish(&s, p, n);
out:
    sw_close(&s);
    return err;
}

/* secp256k1: libsecp256k1's compressed-key parser applies k256's rules
 * (x < p, x^3 + 7 square, y parity from the 02/03 tag). */
static enum zk_err decompress_k1(uint32_t *buf, uint32_t sign)
{
    uint8_t in[33], outb[65];
    size_t outlen = sizeof(outb);
    secp256k1_pubkey pk;

    in[0] = sign ? 0x03 : 0x02;
    for (unsigned i = 0; i < 32; i++) {
        /* x big-endian from the upper half's little-endian words */
        unsigned le = 31 - i;
        in[1 + i] = (uint8_t)(buf[8 + le / 4] >> (8 * (le % 4)));
    }
    if (!secp256k1_ec_pubkey_parse(secp256k1_context_static, &pk, in, 33)) {
        return zkvm_pc_trap("secp256k1 decompress: x is not a valid x "
                            "coordinate");
    }
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, outb, &outlen, &pk,
                                  SECP256K1_EC_UNCOMPRESSED);
    for (unsigned w = 0; w < 8; w++) {
        /* y is outb[33..65) big-endian; word w holds bytes 4w..4w+3 LE */
        uint32_t v = 0;
        for (unsigned k = 0; k < 4; k++) {
            v |= (uint32_t)outb[64 - (4 * w + k)] << (8 * k);
        }
        buf[w] = v;
    }
    return ZK_OK;
}

/* y = sqrt(x^3 + a x + b) or ZK_ETRAP; the root BN_mod_sqrt returns. */
static enum zk_err sw_sqrt_rhs(struct sw *s, enum zkvm_curve c, const BIGNUM *x,
                               BIGNUM *y, const char *what)
{
    enum zk_err err;
    err = zkvm_bn_hex(s->t, zkvm_curve_get(c)->b);
    if (err) {
        return err;
    }
    /* num = x^3 + a x + b mod p */
    if (!BN_mod_sqr(s->num, x, s->p, s->ctx) ||
        !BN_mod_add(s->num, s->num, s->a, s->p, s->ctx) ||
        !BN_mod_mul(s->num, s->num, x, s->p, s->ctx) ||
        !BN_mod_add(s->num, s->num, s->t, s->p, s->ctx)) {
        return zkvm_pc_oom("sw rhs");
    }
    if (!BN_mod_sqrt(y, s->num, s->p, s->ctx)) {
        ERR_clear_error(); /* BN_R_NOT_A_SQUARE */
        return zkvm_pc_trap(what);
    }
    return ZK_OK;
}

/* P-256 (p256 crate): x < p, root with y mod 2 == sign. */
static enum zk_err decompress_r1(struct sw *s, uint32_t *buf, uint32_t sign)
{
    enum zk_err err;
    err = zkvm_bn_from_words(s->x1, buf + 8, 8);
    if (err) {
        return err;
    }
    if (BN_cmp(s->x1, s->p) >= 0) {
        return zkvm_pc_trap("secp256r1 decompress: x >= p");
    }
    err = sw_sqrt_rhs(s, ZKVM_CURVE_SECP256R1, s->x1, s->y1,
                      "secp256r1 decompress: x is not on the curve");
    if (err) {
        return err;
    }
    if ((uint32_t)BN_is_odd(s->y1) != sign && !BN_is_zero(s->y1) &&
        !BN_sub(s->y1, s->p, s->y1)) {
        return zkvm_pc_oom("BN_sub");
    }
    return zkvm_bn_to_words(buf, 8, s->y1);
}

/*
 * bls12-381 (amcl deserialize_g1 on x's big-endian bytes with 0x80, and
 * 0x20 when sign == 1, OR-ed into the top byte). The guest's own top bits
 * take part: 0x40 selects amcl's point-at-infinity branch, 0x20 forces the
 * "larger y" flag; x is then read with the top 3 bits cleared.
 */
static enum zk_err decompress_bls(struct sw *s, uint32_t *buf, uint32_t sign)
{
    enum zk_err err;
    uint32_t top = buf[23] >> 24; /* x's most significant byte */
    uint32_t flags = top | 0x80u | (sign ? 0x20u : 0u);
    bool larger;

    if (flags & 0x40u) {
        /* Infinity encoding: valid only as exactly 0xc0 followed by 47 zero
         * bytes; amcl then returns its infinity point, whose affine y
         * reads as 1. Anything else is InvalidPoint -> unwrap panic. */
        bool rest_zero = (buf[23] & 0x00ffffffu) == 0;
        for (unsigned i = 12; i < 23; i++) {
            rest_zero = rest_zero && buf[i] == 0;
        }
        if ((flags & 0x3fu) != 0 || !rest_zero) {
            return zkvm_pc_trap("bls12-381 decompress: bad infinity encoding");
        }
        memset(buf, 0, 12 * sizeof(uint32_t));
        buf[0] = 1;
        return ZK_OK;
    }
    larger = (flags & 0x20u) != 0;
    err = zkvm_bn_from_words(s->x1, buf + 12, 12);
    if (err) {
        return err;
    }
    if (BN_num_bits(s->x1) > 381 && !BN_mask_bits(s->x1, 381)) {
        return zkvm_pc_oom("BN_mask_bits");
    }
    if (BN_cmp(s->x1, s->p) >= 0) {
        return zkvm_pc_trap("bls12-381 decompress: x >= p");
    }
    err = sw_sqrt_rhs(s, ZKVM_CURVE_BLS12381, s->x1, s->y1,
                      "bls12-381 decompress: x is not on the curve");
    if (err) {
        return err;
    }
    /* pick y with (y > p - y) == larger (y != 0: the curve has no
     * 2-torsion point). */
    if (!BN_sub(s->t, s->p, s->y1)) {
        return zkvm_pc_oom("BN_sub");
    }
    if ((BN_cmp(s->y1, s->t) > 0) != larger) {
        BN_swap(s->y1, s->t);
    }
    return zkvm_bn_to_words(buf, 12, s->y1);
}

enum zk_err zkvm_sw_decompress(enum zkvm_curve c, uint32_t *buf, uint32_t sign)
{
    struct sw s;
    enum zk_err err;

    if (sign > 1) {
        return zkvm_pc_trap("decompress: sign must be 0 or 1");
    }
    if (c == ZKVM_CURVE_SECP256K1) {
        return decompress_k1(buf, sign);
    }
    err = sw_open(&s, c);
    if (err) {
        goto out;
    }
    if (c == ZKVM_CURVE_SECP256R1) {
        err = decompress_r1(&s, buf, sign);
    } else if (c == ZKVM_CURVE_BLS12381) {
        err = decompress_bls(&s, buf, sign);
    } else {
        err = zkvm_pc_trap("decompress: unsupported curve");
    }
out:
    sw_close(&s);
    return err;
}
