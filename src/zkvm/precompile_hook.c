/*
 * precompile_hook.c - the host hooks patched guest crates call by WRITE-ing
 * to a hook fd (sp1-executor-abi.md §6): the bytes written go in, a list of
 * byte strings comes out and becomes the next stdin items.
 *
 * Each hook follows SP1's executor/src/hook.rs for the version that
 * registers it; where that code panics (assert, unwrap, expect) we return
 * ZK_ETRAP. secp256k1 recovery goes through libsecp256k1 (the same
 * acceptance rules as k256's recover_from_prehash); everything else is
 * OpenSSL BIGNUM modular arithmetic.
 */
#include <config.h>

#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "base/log.h"
#include "base/mem.h"
#include "zkvm/precompile_int.h"

/* From precompile_ed.c. */
enum zk_err zkvm_ed_hook_check(const uint8_t y_le[32], int major, bool *ok);
enum zk_err zkvm_ed_hook_decompress(const uint8_t *in, size_t len, int *status,
                                    uint8_t vinv_le[32], uint8_t root_le[32]);

enum zkvm_hook zkvm_hook_lookup(int major, int minor, uint32_t fd,
                                bool allow_deprecated)
{
    if (major <= 3) {
        /* v3.0: fd 5; v3.3 adds fd 7; v3.4 adds fd 8. */
        if (fd == 5) {
            return ZKVM_HOOK_ECRECOVER_V1;
        }
        if (fd == 7 && (minor < 0 || minor >= 3)) {
            return ZKVM_HOOK_ECRECOVER_V2;
        }
        if (fd == 8 && (minor < 0 || minor >= 4)) {
            return ZKVM_HOOK_ED_CHECK_V3;
        }
        return ZKVM_HOOK_NONE;
    }
    switch (fd) {
    case 5:
        return allow_deprecated ? ZKVM_HOOK_ECRECOVER_V1 : ZKVM_HOOK_NONE;
    case 6:
        return allow_deprecated ? ZKVM_HOOK_ECRECOVER_R1 : ZKVM_HOOK_NONE;
    case 7:
        return allow_deprecated ? ZKVM_HOOK_ECRECOVER_V2 : ZKVM_HOOK_NONE;
    case 8:
        return allow_deprecated ? ZKVM_HOOK_ED_CHECK : ZKVM_HOOK_NONE;
    case 15:
        return ZKVM_HOOK_ECRECOVER;
    case 16:
        return ZKVM_HOOK_ED_DECOMPRESS;
    case 17:
        return ZKVM_HOOK_RSA_MUL_MOD;
    case 18:
        return ZKVM_HOOK_BLS12381_SQRT;
    case 19:
        return ZKVM_HOOK_BLS12381_INV;
    case 20: /* fp_ops arrived in v4.1.0 */
        return (major > 4 || minor < 0 || minor >= 1) ? ZKVM_HOOK_FP_SQRT
                                                      : ZKVM_HOOK_NONE;
    case 21:
        return (major > 4 || minor < 0 || minor >= 1) ? ZKVM_HOOK_FP_INV
                                                      : ZKVM_HOOK_NONE;
    default:
        return ZKVM_HOOK_NONE;
    }
}

void zkvm_hook_out_cleanup(struct zkvm_hook_out *out)
{
    for (size_t i = 0; i < ZKVM_HOOK_MAX_ITEMS; i++) {
        zk_free(out->item[i]);
        out->item[i] = NULL;
        out->len[i] = 0;
    }
    out->n = 0;
}

static enum zk_err out_push(struct zkvm_hook_out *o, const uint8_t *p, size_t n)
{
    uint8_t *c;
    ZK_ASSERT(o->n < ZKVM_HOOK_MAX_ITEMS);
    c = zk_malloc(n ? n : 1);
    if (!c) {
        return ZK_ENOMEM;
    }
    if (n) {
        memcpy(c, p, n);
    }
    o->item[o->n] = c;
    o->len[o->n] = n;
    o->n++;
    return ZK_OK;
}

static enum zk_err out_byte(struct zkvm_hook_out *o, uint8_t b)
{
    return out_push(o, &b, 1);
}

/* Pushes a as exactly len big-endian bytes (SP1's pad_to_be: the low len
 * bytes of a). */
static enum zk_err out_bn_be(struct zkvm_hook_out *o, const BIGNUM *a,
                             size_t len, BN_CTX *ctx)
{
    enum zk_err err = ZK_OK;
    uint8_t *buf = zk_malloc(len ? len : 1);
    BIGNUM *t;

    if (!buf) {
        return ZK_ENOMEM;
    }
    BN_CTX_start(ctx);
    t = BN_CTX_get(ctx);
    if (!t || !BN_copy(t, a) ||
        ((size_t)BN_num_bits(t) > 8 * len &&
         !BN_mask_bits(t, (int)(8 * len))) ||
        BN_bn2binpad(t, buf, (int)len) < 0) {
        err = zkvm_pc_oom("out_bn_be");
    } else {
        err = out_push(o, buf, len);
    }
    BN_CTX_end(ctx);
    zk_free(buf);
    return err;
}

/* Pushes the one-byte flag, then a as len big-endian bytes (the latter only
 * when the first push succeeded). */
static enum zk_err out_flag_bn(struct zkvm_hook_out *o, uint8_t flag,
                               const BIGNUM *a, size_t len, BN_CTX *ctx)
{
    enum zk_err err = out_byte(o, flag);
    if (err) {
        return err;
    }
    return out_bn_be(o, a, len, ctx);
}

/* ---- scratch ---------------------------------------------------------- */

struct hk {
    BN_CTX *ctx;
    BIGNUM *p, *n, *a, *b, *c, *r, *t, *u;
};

static enum zk_err hk_open(struct hk *s)
{
    BIGNUM **slots[] = {&s->p, &s->n, &s->a, &s->b, &s->c, &s->r, &s->t, &s->u};
    memset(s, 0, sizeof(*s));
    return zkvm_bn_ctx_open(&s->ctx, slots, ZK_ARRAY_LEN(slots));
}

static void hk_close(struct hk *s)
{
    zkvm_bn_ctx_close(s->ctx);
}

/* hk_open, then s->p = the bls12-381 base-field prime and s->a = the
 * big-endian element at in[0..48). On error the caller still hk_closes. */
static enum zk_err hk_open_bls(struct hk *s, const uint8_t *in)
{
    enum zk_err err = hk_open(s);
    if (err) {
        return err;
    }
    err = zkvm_bn_hex(s->p, zkvm_curve_get(ZKVM_CURVE_BLS12381)->p);
    if (err) {
        return err;
    }
    if (!BN_bin2bn(in, 48, s->a)) {
        return zkvm_pc_oom("BN_bin2bn");
    }
    return ZK_OK;
}

/* s->r, s->b = the big-endian r and s at in[0..64); both must lie in
 * [1, n) (s->n set), else the trap <range_trap> (a static string). */
static enum zk_err load_rs(struct hk *s, const uint8_t *in,
                           const char *range_trap)
{
    if (!BN_bin2bn(in, 32, s->r) || !BN_bin2bn(in + 32, 32, s->b)) {
        return zkvm_pc_oom("BN_bin2bn");
    }
    if (BN_is_zero(s->r) || BN_is_zero(s->b) || BN_cmp(s->r, s->n) >= 0 ||
        BN_cmp(s->b, s->n) >= 0) {
        return zkvm_pc_trap(range_trap);
    }
    return ZK_OK;
}

/* r = (base mod m)^e mod m (num's BigUint::modpow for m >= 1). */
static enum zk_err modpow(BIGNUM *r, const BIGNUM *base, const BIGNUM *e,
                          const BIGNUM *m, BN_CTX *ctx)
{
    BIGNUM *t;
    enum zk_err err = ZK_OK;
    BN_CTX_start(ctx);
    t = BN_CTX_get(ctx);
    if (!t || !BN_nnmod(t, base, m, ctx) || !BN_mod_exp(r, t, e, m, ctx)) {
        err = zkvm_pc_oom("BN_mod_exp");
    }
    BN_CTX_end(ctx);
    return err;
}

/* For p = 3 mod 4: r = x^((p+1)/4); *ok = r^2 == x (x < p). */
static enum zk_err sqrt_3mod4(BIGNUM *r, const BIGNUM *x, const BIGNUM *p,
                              BN_CTX *ctx, bool *ok)
{
    BIGNUM *e;
    enum zk_err err = ZK_OK;
    BN_CTX_start(ctx);
    e = BN_CTX_get(ctx);
    if (!e || !BN_copy(e, p) || !BN_add_word(e, 1) || !BN_rshift(e, e, 2)) {
        err = zkvm_pc_oom("sqrt");
        goto out;
    }
    err = modpow(r, x, e, p, ctx);
    if (err) {
        goto out;
    }
    if (!BN_mod_sqr(e, r, p, ctx)) {
        err = zkvm_pc_oom("sqrt");
        goto out;
    }
    *ok = BN_cmp(e, x) == 0;
out:
    BN_CTX_end(ctx);
    return err;
}

/* ---- ecrecover (v4+ fd 15) -------------------------------------------- */

static enum zk_err hook_ecrecover(const uint8_t *in, size_t len,
                                  struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;
    unsigned curve;
    bool odd, ok = false;
    enum zkvm_curve c;

    if (len != 65) {
        return zkvm_pc_trap("ecrecover hook: input must be 65 bytes");
    }
    curve = in[0] & 0x7fu;
    odd = (in[0] & 0x80u) != 0;
    if (curve != 1 && curve != 2) {
        return zkvm_pc_trap("ecrecover hook: unsupported curve id");
    }
    c = curve == 1 ? ZKVM_CURVE_SECP256K1 : ZKVM_CURVE_SECP256R1;
    err = hk_open(&s);
    if (err) {
        goto out;
    }
    err = zkvm_bn_hex(s.p, zkvm_curve_get(c)->p);
    if (err) {
        goto out;
    }
    err = zkvm_bn_hex(s.n, zkvm_curve_get(c)->n);
    if (err) {
        goto out;
    }
    if (!BN_bin2bn(in + 1, 32, s.r) || !BN_bin2bn(in + 33, 32, s.a)) {
        err = zkvm_pc_oom("BN_bin2bn");
        goto out;
    }
    /* FieldElement::from_bytes(..).unwrap() for r and alpha */
    if (BN_cmp(s.r, s.p) >= 0 || BN_cmp(s.a, s.p) >= 0) {
        err = zkvm_pc_trap("ecrecover hook: r or alpha not a field element");
        goto out;
    }
    /* k256 asserts alpha != 0; p256 only debug_asserts it. */
    if (c == ZKVM_CURVE_SECP256K1 && BN_is_zero(s.a)) {
        err = zkvm_pc_trap("ecrecover hook: alpha is zero");
        goto out;
    }
    err = sqrt_3mod4(s.b, s.a, s.p, s.ctx, &ok);
    if (err) {
        goto out;
    }
    if (ok) {
        /* Scalar::from_repr(r).unwrap(), then invert().expect(..) */
        if (BN_cmp(s.r, s.n) >= 0 || BN_is_zero(s.r)) {
            err = zkvm_pc_trap("ecrecover hook: r is not an invertible "
                               "scalar");
            goto out;
        }
        if (!BN_mod_inverse(s.t, s.r, s.n, s.ctx)) {
            err = zkvm_pc_oom("BN_mod_inverse");
            goto out;
        }
        if ((BN_is_odd(s.b) != 0) != odd && !BN_is_zero(s.b) &&
            !BN_sub(s.b, s.p, s.b)) {
            err = zkvm_pc_oom("BN_sub");
            goto out;
        }
        err = out_byte(o, 1);
        if (err) {
            goto out;
        }
        err = out_bn_be(o, s.b, 32, s.ctx);
        if (err) {
            goto out;
        }
        err = out_bn_be(o, s.t, 32, s.ctx);
        if (err) {
            goto out;
        }
        goto out;
    }
    /* not a square: root of 3 * alpha, which must exist */
    if (!BN_mul_word(s.a, 3) || !BN_nnmod(s.a, s.a, s.p, s.ctx)) {
        err = zkvm_pc_oom("ecrecover hook");
        goto out;
    }
    err = sqrt_3mod4(s.b, s.a, s.p, s.ctx, &ok);
    if (err) {
        goto out;
    }
    if (!ok) {
        err = zkvm_pc_trap("ecrecover hook: 3*alpha has no square root");
        goto out;
    }
    err = out_byte(o, 0);
    if (err) {
        goto out;
    }
    err = out_bn_be(o, s.b, 32, s.ctx);
    if (err) {
        goto out;
    }
out:
    hk_close(&s);
    return err;
}

/* ---- v3 / deprecated ecrecover (k256 recover_from_prehash) ------------ */

/*
 * in = r(32 BE) s(32 BE) recid(1) msg_hash(32). Signature::from_slice
 * needs 0 < r, s < n (else panic); high s is normalised with recid ^= 1;
 * recid > 3 panics. *recovered false when recovery fails.
 */
static enum zk_err ecrecover_k256(const uint8_t *in, uint8_t pub33[33],
                                  uint8_t sinv[32], bool *recovered)
{
    struct hk s;
    enum zk_err err;
    uint8_t sig64[64];
    int recid = in[64];
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pk;
    size_t plen = 33;

    *recovered = false;
    err = hk_open(&s);
    if (err) {
        goto out;
    }
    err = zkvm_bn_hex(s.n, zkvm_curve_get(ZKVM_CURVE_SECP256K1)->n);
    if (err) {
        goto out;
    }
    err = load_rs(&s, in, "ecrecover: r or s out of range");
    if (err) {
        goto out;
    }
    /* normalize_s: s > n/2 -> n - s, flip the y parity bit */
    if (!BN_rshift1(s.t, s.n)) {
        err = zkvm_pc_oom("BN_rshift1");
        goto out;
    }
    if (BN_cmp(s.b, s.t) > 0) {
        if (!BN_sub(s.b, s.n, s.b)) {
            err = zkvm_pc_oom("BN_sub");
            goto out;
        }
        recid ^= 1;
    }
    if (recid > 3) {
        err = zkvm_pc_trap("ecrecover: invalid recovery id");
        goto out;
    }
    if (!BN_mod_inverse(s.t, s.b, s.n, s.ctx) ||
        BN_bn2binpad(s.t, sinv, 32) < 0 ||
        BN_bn2binpad(s.b, sig64 + 32, 32) < 0) {
        err = zkvm_pc_oom("ecrecover");
        goto out;
    }
    memcpy(sig64, in, 32);
    if (secp256k1_ecdsa_recoverable_signature_parse_compact(
            secp256k1_context_static, &rsig, sig64, recid) &&
        secp256k1_ecdsa_recover(secp256k1_context_static, &pk, &rsig,
                                in + 65)) {
        secp256k1_ec_pubkey_serialize(secp256k1_context_static, pub33, &plen,
                                      &pk, SECP256K1_EC_COMPRESSED);
        *recovered = true;
    }
out:
    hk_close(&s);
    return err;
}

static enum zk_err hook_ecrecover_v1v2(const uint8_t *in, size_t len, bool v2,
                                       struct zkvm_hook_out *o)
{
    uint8_t pub33[33], sinv[32];
    bool rec = false;
    enum zk_err err;

    if (len != 97) {
        return zkvm_pc_trap("ecrecover hook: input must be 97 bytes");
    }
    err = ecrecover_k256(in, pub33, sinv, &rec);
    if (err) {
        return err;
    }
    if (!rec) {
        if (!v2) {
            return zkvm_pc_trap("ecrecover hook: public key recovery failed");
        }
        return out_byte(o, 0);
    }
    if (v2) {
        err = out_byte(o, 1);
        if (err) {
            return err;
        }
    }
    err = out_push(o, pub33, 33);
    if (err) {
        return err;
    }
    return out_push(o, sinv, 32);
}

/* Deprecated fd 6: p256 Signature::from_slice (0 < r, s < n), out s^-1. */
static enum zk_err hook_ecrecover_r1(const uint8_t *in, size_t len,
                                     struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;

    if (len != 64) {
        return zkvm_pc_trap("r1 ecrecover hook: input must be 64 bytes");
    }
    err = hk_open(&s);
    if (err) {
        goto out;
    }
    err = zkvm_bn_hex(s.n, zkvm_curve_get(ZKVM_CURVE_SECP256R1)->n);
    if (err) {
        goto out;
    }
    err = load_rs(&s, in, "r1 ecrecover hook: r or s out of range");
    if (err) {
        goto out;
    }
    if (!BN_mod_inverse(s.t, s.b, s.n, s.ctx)) {
        err = zkvm_pc_oom("BN_mod_inverse");
        goto out;
    }
    err = out_bn_be(o, s.t, 32, s.ctx);
out:
    hk_close(&s);
    return err;
}

/* ---- ed25519 ---------------------------------------------------------- */

static enum zk_err hook_ed_check(const uint8_t *in, size_t len, int major,
                                 struct zkvm_hook_out *o)
{
    bool ok = false;
    enum zk_err err;
    if (len != 32) { /* CompressedEdwardsY::from_slice fails */
        return out_byte(o, 0);
    }
    err = zkvm_ed_hook_check(in, major, &ok);
    if (err) {
        return err;
    }
    return out_byte(o, ok ? 1 : 0);
}

static enum zk_err hook_ed_decompress(const uint8_t *in, size_t len,
                                      struct zkvm_hook_out *o)
{
    uint8_t vinv[32], root[32];
    int status = 0;
    enum zk_err err;
    err = zkvm_ed_hook_decompress(in, len, &status, vinv, root);
    if (err) {
        return err;
    }
    if (status != 0) {
        return out_byte(o, status > 0 ? 1 : 0);
    }
    err = out_byte(o, 0);
    if (err) {
        return err;
    }
    err = out_push(o, vinv, 32);
    if (err) {
        return err;
    }
    err = out_push(o, root, 32);
    if (err) {
        return err;
    }
    return ZK_OK;
}

/* ---- rsa_mul_mod (fd 17) ---------------------------------------------- */

static enum zk_err hook_rsa(const uint8_t *in, size_t len,
                            struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;
    uint8_t buf[256];

    if (len != 768) {
        return zkvm_pc_trap("rsa_mul_mod hook: input must be 768 bytes");
    }
    err = hk_open(&s);
    if (err) {
        goto out;
    }
    if (!BN_lebin2bn(in, 512, s.a) || !BN_lebin2bn(in + 512, 256, s.n)) {
        err = zkvm_pc_oom("BN_lebin2bn");
        goto out;
    }
    if (BN_is_zero(s.n)) {
        err = zkvm_pc_trap("rsa_mul_mod hook: division by zero");
        goto out;
    }
    if (!BN_div(s.c, s.r, s.a, s.n, s.ctx)) {
        err = zkvm_pc_oom("BN_div");
        goto out;
    }
    /* remainder, then quotient truncated to its low 256 bytes (resize) */
    if (BN_num_bits(s.c) > 2048 && !BN_mask_bits(s.c, 2048)) {
        err = zkvm_pc_oom("BN_mask_bits");
        goto out;
    }
    if (BN_bn2lebinpad(s.r, buf, 256) < 0) {
        err = ZK_EINTERNAL;
        goto out;
    }
    err = out_push(o, buf, 256);
    if (err) {
        goto out;
    }
    if (BN_bn2lebinpad(s.c, buf, 256) < 0) {
        err = ZK_EINTERNAL;
        goto out;
    }
    err = out_push(o, buf, 256);
out:
    hk_close(&s);
    return err;
}

/* ---- bls12-381 sqrt / inverse (fds 18, 19) ---------------------------- */

static enum zk_err hook_bls_sqrt(const uint8_t *in, size_t len,
                                 struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;
    bool ok = false;

    if (len < 48) {
        return zkvm_pc_trap("bls12_381_sqrt hook: input shorter than 48");
    }
    err = hk_open_bls(&s, in);
    if (err) {
        goto out;
    }
    if (BN_is_zero(s.a)) {
        err = out_flag_bn(o, 1, s.a, 48, s.ctx);
        goto out;
    }
    /* sqrt = x^((p+1)/4); a square iff sqrt^2 == x (x itself, unreduced) */
    err = sqrt_3mod4(s.b, s.a, s.p, s.ctx, &ok);
    if (err) {
        goto out;
    }
    if (ok) {
        err = out_flag_bn(o, 1, s.b, 48, s.ctx);
        goto out;
    }
    /* qr = 2x mod p; its root must check out ("NQR sanity check") */
    if (!BN_lshift1(s.a, s.a) || !BN_nnmod(s.a, s.a, s.p, s.ctx)) {
        err = zkvm_pc_oom("bls sqrt");
        goto out;
    }
    err = sqrt_3mod4(s.b, s.a, s.p, s.ctx, &ok);
    if (err) {
        goto out;
    }
    if (!ok) {
        err = zkvm_pc_trap("bls12_381_sqrt hook: NQR sanity check failed");
        goto out;
    }
    err = out_flag_bn(o, 0, s.b, 48, s.ctx);
out:
    hk_close(&s);
    return err;
}

static enum zk_err hook_bls_inv(const uint8_t *in, size_t len,
                                struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;

    if (len < 48) {
        return zkvm_pc_trap("bls12_381_inverse hook: input shorter than 48");
    }
    err = hk_open_bls(&s, in);
    if (err) {
        goto out;
    }
    if (BN_is_zero(s.a)) {
        err = zkvm_pc_trap("bls12_381_inverse hook: zero has no inverse");
        goto out;
    }
    if (!BN_copy(s.t, s.p) || !BN_sub_word(s.t, 2)) {
        err = zkvm_pc_oom("bls inv");
        goto out;
    }
    err = modpow(s.b, s.a, s.t, s.p, s.ctx);
    if (err) {
        goto out;
    }
    err = out_bn_be(o, s.b, 48, s.ctx);
out:
    hk_close(&s);
    return err;
}

/* ---- generic fp_sqrt / fp_inverse (v4.1+ fds 20, 21) ------------------ */

/* Tonelli-Shanks inner loop: *i = the least i with t^(2^i) = 1 mod m
 * (tt is scratch); *none = true when i reaches mm (SP1 returns None). */
static enum zk_err tonelli_order(BIGNUM *tt, const BIGNUM *t, const BIGNUM *m,
                                 int mm, BN_CTX *ctx, int *i_out, bool *none)
{
    int i = 0;
    if (!BN_copy(tt, t)) {
        return zkvm_pc_oom("tonelli");
    }
    while (!BN_is_one(tt)) {
        if (!BN_mod_sqr(tt, tt, m, ctx)) {
            return zkvm_pc_oom("tonelli");
        }
        i++;
        if (i == mm) {
            *none = true;
            return ZK_OK;
        }
        if (i > BN_num_bits(m)) {
            /* Only reachable with mm == 0 (an even modulus): t's order
             * is no power of two, so SP1 loops here forever. */
            return zkvm_pc_refuse("fp_sqrt hook: SP1 would not terminate "
                                  "(Tonelli-Shanks on an even modulus)");
        }
    }
    *i_out = i;
    return ZK_OK;
}

/* SP1's tonelli_shanks(e, m, z): *ok false for None. e != 0 (the
 * Legendre-symbol assert traps otherwise). */
static enum zk_err tonelli(struct hk *s, const BIGNUM *e, const BIGNUM *m,
                           const BIGNUM *z, BIGNUM *root, bool *ok)
{
    BN_CTX *ctx = s->ctx;
    BIGNUM *q, *c, *t, *tt, *bp, *b;
    enum zk_err err = ZK_OK;
    int sbits = 0, mm, i = 0;

    *ok = false;
    if (BN_is_zero(e)) {
        return zkvm_pc_trap("fp_sqrt hook: Legendre symbol of zero");
    }
    BN_CTX_start(ctx);
    q = BN_CTX_get(ctx);
    c = BN_CTX_get(ctx);
    t = BN_CTX_get(ctx);
    tt = BN_CTX_get(ctx);
    bp = BN_CTX_get(ctx);
    b = BN_CTX_get(ctx);
    if (!b || !BN_copy(q, m) || !BN_sub_word(q, 1) || !BN_rshift1(bp, q)) {
        err = zkvm_pc_oom("tonelli");
        goto out;
    }
    /* legendre = e^((m-1)/2) mod m must be 1 */
    err = modpow(t, e, bp, m, ctx);
    if (err) {
        goto out;
    }
    if (!BN_is_one(t)) {
        goto out;
    }
    /* m - 1 = q 2^s (m >= 2 here, so q > 0) */
    while (!BN_is_odd(q)) {
        if (!BN_rshift1(q, q)) {
            err = zkvm_pc_oom("tonelli");
            goto out;
        }
        sbits++;
    }
    err = modpow(c, z, q, m, ctx);
    if (err) {
        goto out;
    }
    err = modpow(t, e, q, m, ctx);
    if (err) {
        goto out;
    }
    if (!BN_copy(bp, q) || !BN_add_word(bp, 1) || !BN_rshift1(bp, bp)) {
        err = zkvm_pc_oom("tonelli");
        goto out;
    }
    err = modpow(root, e, bp, m, ctx);
    if (err) {
        goto out;
    }
    mm = sbits;
    while (!BN_is_one(t)) {
        bool none = false;
        err = tonelli_order(tt, t, m, mm, ctx, &i, &none);
        if (err || none) {
            goto out; /* an error, or None */
        }
        if (mm < i + 1) {
            err = zkvm_pc_trap("fp_sqrt hook: m - i - 1 underflows");
            goto out;
        }
        /* b = c^(2^(mm - i - 1)) */
        BN_zero(bp);
        if (!BN_set_bit(bp, mm - i - 1)) {
            err = zkvm_pc_oom("tonelli");
            goto out;
        }
        err = modpow(b, c, bp, m, ctx);
        if (err) {
            goto out;
        }
        if (!BN_mod_mul(root, root, b, m, ctx) || !BN_mod_sqr(c, b, m, ctx) ||
            !BN_mod_mul(t, t, c, m, ctx)) {
            err = zkvm_pc_oom("tonelli");
            goto out;
        }
        mm = i;
    }
    *ok = true;
out:
    BN_CTX_end(ctx);
    return err;
}

/* SP1's sqrt_fp: x^((m+1)/4) when m = 3 mod 4, else Tonelli-Shanks. */
static enum zk_err sqrt_fp(struct hk *s, const BIGNUM *e, const BIGNUM *m,
                           const BIGNUM *z, BIGNUM *root, bool *ok)
{
    if (BN_mod_word(m, 4) == 3) {
        return sqrt_3mod4(root, e, m, s->ctx, ok);
    }
    return tonelli(s, e, m, z, root, ok);
}

/* Reads the u32 BE length and checks buf = 4 + k*len. */
static enum zk_err fp_hook_len(const uint8_t *in, size_t len, unsigned k,
                               size_t *el)
{
    uint64_t l;
    if (len < 4) {
        return zkvm_pc_trap("fp hook: input shorter than 4 bytes");
    }
    l = ((uint64_t)in[0] << 24) | ((uint64_t)in[1] << 16) |
        ((uint64_t)in[2] << 8) | in[3];
    if ((uint64_t)len != 4 + (uint64_t)k * l) {
        return zkvm_pc_trap("fp hook: invalid buffer length");
    }
    if (l > ZKVM_HOOK_FP_MAX_LEN) {
        return zkvm_pc_refuse("fp hook: field elements above "
                              "ZKVM_HOOK_FP_MAX_LEN bytes are refused");
    }
    *el = (size_t)l;
    return ZK_OK;
}

static enum zk_err hook_fp_sqrt(const uint8_t *in, size_t len,
                                struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;
    size_t l = 0;
    bool ok = false;

    err = fp_hook_len(in, len, 3, &l);
    if (err) {
        return err;
    }
    err = hk_open(&s);
    if (err) {
        goto out;
    }
    if (!BN_bin2bn(in + 4, (int)l, s.a) ||
        !BN_bin2bn(in + 4 + l, (int)l, s.p) ||
        !BN_bin2bn(in + 4 + 2 * l, (int)l, s.c)) {
        err = zkvm_pc_oom("BN_bin2bn");
        goto out;
    }
    if (BN_cmp(s.a, s.p) >= 0 || BN_cmp(s.c, s.p) >= 0) {
        err = zkvm_pc_trap("fp_sqrt hook: element or nqr not canonical");
        goto out;
    }
    if (BN_is_zero(s.a)) {
        err = out_flag_bn(o, 1, s.a, l, s.ctx);
        goto out;
    }
    err = sqrt_fp(&s, s.a, s.p, s.c, s.r, &ok);
    if (err) {
        goto out;
    }
    if (ok) {
        err = out_flag_bn(o, 1, s.r, l, s.ctx);
        goto out;
    }
    /* qr = nqr * x mod m; its root must exist (unwrap) */
    if (!BN_mod_mul(s.b, s.c, s.a, s.p, s.ctx)) {
        err = zkvm_pc_oom("fp sqrt");
        goto out;
    }
    err = sqrt_fp(&s, s.b, s.p, s.c, s.r, &ok);
    if (err) {
        goto out;
    }
    if (!ok) {
        err = zkvm_pc_trap("fp_sqrt hook: nqr * x has no square root");
        goto out;
    }
    err = out_flag_bn(o, 0, s.r, l, s.ctx);
out:
    hk_close(&s);
    return err;
}

static enum zk_err hook_fp_inv(const uint8_t *in, size_t len,
                               struct zkvm_hook_out *o)
{
    struct hk s;
    enum zk_err err;
    size_t l = 0;

    err = fp_hook_len(in, len, 2, &l);
    if (err) {
        return err;
    }
    err = hk_open(&s);
    if (err) {
        goto out;
    }
    if (!BN_bin2bn(in + 4, (int)l, s.a) ||
        !BN_bin2bn(in + 4 + l, (int)l, s.p)) {
        err = zkvm_pc_oom("BN_bin2bn");
        goto out;
    }
    if (BN_is_zero(s.a)) {
        err = zkvm_pc_trap("fp_inverse hook: inverse of zero");
        goto out;
    }
    /* modulus - 2 on an unsigned integer */
    if (BN_cmp(s.p, BN_value_one()) <= 0 || BN_is_word(s.p, 1)) {
        err = zkvm_pc_trap("fp_inverse hook: modulus - 2 underflows");
        goto out;
    }
    if (!BN_copy(s.t, s.p) || !BN_sub_word(s.t, 2)) {
        err = zkvm_pc_oom("fp inv");
        goto out;
    }
    err = modpow(s.b, s.a, s.t, s.p, s.ctx);
    if (err) {
        goto out;
    }
    err = out_bn_be(o, s.b, l, s.ctx);
out:
    hk_close(&s);
    return err;
}

enum zk_err zkvm_hook_run(enum zkvm_hook h, const uint8_t *in, size_t len,
                          struct zkvm_hook_out *out)
{
    memset(out, 0, sizeof(*out));
    switch (h) {
    case ZKVM_HOOK_ECRECOVER:
        return hook_ecrecover(in, len, out);
    case ZKVM_HOOK_ED_DECOMPRESS:
        return hook_ed_decompress(in, len, out);
    case ZKVM_HOOK_RSA_MUL_MOD:
        return hook_rsa(in, len, out);
    case ZKVM_HOOK_BLS12381_SQRT:
        return hook_bls_sqrt(in, len, out);
    case ZKVM_HOOK_BLS12381_INV:
        return hook_bls_inv(in, len, out);
    case ZKVM_HOOK_FP_SQRT:
        return hook_fp_sqrt(in, len, out);
    case ZKVM_HOOK_FP_INV:
        return hook_fp_inv(in, len, out);
    case ZKVM_HOOK_ECRECOVER_V1:
        return hook_ecrecover_v1v2(in, len, false, out);
    case ZKVM_HOOK_ECRECOVER_V2:
        return hook_ecrecover_v1v2(in, len, true, out);
    case ZKVM_HOOK_ECRECOVER_R1:
        return hook_ecrecover_r1(in, len, out);
    case ZKVM_HOOK_ED_CHECK_V3:
        return hook_ed_check(in, len, 3, out);
    case ZKVM_HOOK_ED_CHECK:
        return hook_ed_check(in, len, 4, out);
    case ZKVM_HOOK_NONE:
    default:
        zk_error("zkvm: precompile: no such hook %d", (int)h);
        return ZK_EINVAL;
    }
}
