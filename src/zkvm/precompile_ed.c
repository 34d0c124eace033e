/*
 * precompile_ed.c - ED_ADD and ED_DECOMPRESS for ed25519
 * (sp1-executor-abi.md §4.2), following sp1-curves' `ed_add`,
 * `ed25519_sqrt` and `decompress`:
 *
 *   x3 = (x1 y2 + y1 x2) / (1 + d x1 x2 y1 y2)
 *   y3 = (y1 y2 + x1 x2) / (1 - d x1 x2 y1 y2)      (a = -1, RFC 8032 §5.1)
 *
 * with inverses as ^(p-2) (0 stays 0) and no reduction of the inputs
 * beyond what the products do. The square root is RFC 8032 §5.1.3's
 * candidate beta = a^((p+3)/8), times sqrt(-1) when beta^2 == -a, then
 * made even.
 */
#include <config.h>

#include <string.h>

#include "zkvm/precompile_int.h"

/* sqrt(-1) mod p = 2^((p-1)/4) */
static const char ed_sqrt_m1[] =
    "2B8324804FC1DF0B2B4D00993DFBD7A72F431806AD2FE478C4EE1B274A0EA0B0";

struct ed {
    BN_CTX *ctx;
    BIGNUM *p, *d, *x1, *y1, *x2, *y2, *u, *v, *t, *beta, *e, *s;
};

static enum zk_err ed_open(struct ed *s)
{
    const struct zkvm_curve_info *ci = zkvm_curve_get(ZKVM_CURVE_ED25519);
    BIGNUM **slots[] = {&s->p, &s->d, &s->x1, &s->y1,   &s->x2, &s->y2,
                        &s->u, &s->v, &s->t,  &s->beta, &s->e,  &s->s};
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
    err = zkvm_bn_hex(s->d, ci->a);
    if (err) {
        return err;
    }
    return ZK_OK;
}

static void ed_close(struct ed *s)
{
    zkvm_bn_ctx_close(s->ctx);
}

enum zk_err zkvm_ed_add(uint32_t p[16], const uint32_t q[16])
{
    struct ed s;
    enum zk_err err;
    BN_CTX *ctx;

    err = ed_open(&s);
    if (err) {
        goto out;
    }
    ctx = s.ctx;
    err = zkvm_bn_from_words(s.x1, p, 8);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.y1, p + 8, 8);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.x2, q, 8);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.y2, q + 8, 8);
    if (err) {
        goto out;
    }
    /* u = x3n = (x1 y2 + y1 x2) mod p; v = y3n = (y1 y2 + x1 x2) mod p */
    if (!BN_mul(s.u, s.x1, s.y2, ctx) || !BN_mul(s.t, s.y1, s.x2, ctx) ||
        !BN_add(s.u, s.u, s.t) || !BN_nnmod(s.u, s.u, s.p, ctx) ||
        !BN_mul(s.v, s.y1, s.y2, ctx) || !BN_mul(s.t, s.x1, s.x2, ctx) ||
        !BN_add(s.v, s.v, s.t) || !BN_nnmod(s.v, s.v, s.p, ctx)) {
        err = zkvm_pc_oom("ed add");
        goto out;
    }
    /* e = d * (x1 y1 x2 y2 mod p) mod p */
    if (!BN_mul(s.t, s.x1, s.y1, ctx) || !BN_mul(s.t, s.t, s.x2, ctx) ||
        !BN_mul(s.t, s.t, s.y2, ctx) || !BN_nnmod(s.t, s.t, s.p, ctx) ||
        !BN_mod_mul(s.e, s.d, s.t, s.p, ctx)) {
        err = zkvm_pc_oom("ed add");
        goto out;
    }
    /* x3 = u / (1 + e); y3 = v / (1 - e), both denominators mod p */
    if (!BN_copy(s.t, s.e) || !BN_add_word(s.t, 1) ||
        !BN_nnmod(s.t, s.t, s.p, ctx)) {
        err = zkvm_pc_oom("ed add");
        goto out;
    }
    err = zkvm_bn_fermat_inv(s.beta, s.t, s.p, ctx);
    if (err) {
        goto out;
    }
    if (!BN_mod_mul(s.u, s.u, s.beta, s.p, ctx) || !BN_sub(s.t, s.p, s.e) ||
        !BN_add_word(s.t, 1) || !BN_nnmod(s.t, s.t, s.p, ctx)) {
        err = zkvm_pc_oom("ed add");
        goto out;
    }
    err = zkvm_bn_fermat_inv(s.beta, s.t, s.p, ctx);
    if (err) {
        goto out;
    }
    if (!BN_mod_mul(s.v, s.v, s.beta, s.p, ctx)) {
        err = zkvm_pc_oom("ed add");
        goto out;
    }
    err = zkvm_bn_to_words(p, 8, s.u);
    if (err) {
        goto out;
    }
    err = zkvm_bn_to_words(p + 8, 8, s.v);
    if (err) {
        goto out;
    }
out:
    ed_close(&s);
    return err;
}

/*
 * sp1-curves ed25519_sqrt on a (0 <= a < p): sets s->beta to the even root
 * and *found = true, or *found = false when a is not a square.
 */
static enum zk_err ed_sqrt(struct ed *s, const BIGNUM *a, bool *found)
{
    BN_CTX *ctx = s->ctx;
    enum zk_err err;
    int sq_is_a, sq_is_neg;

    /* e = (p + 3) / 8 */
    if (!BN_copy(s->e, s->p) || !BN_add_word(s->e, 3) ||
        !BN_rshift(s->e, s->e, 3) || !BN_mod_exp(s->beta, a, s->e, s->p, ctx) ||
        !BN_mod_sqr(s->s, s->beta, s->p, ctx) || !BN_sub(s->t, s->p, a)) {
        return zkvm_pc_oom("ed sqrt");
    }
    sq_is_a = BN_cmp(s->s, a) == 0;
    sq_is_neg = BN_cmp(s->s, s->t) == 0; /* t = p - a (p itself for a = 0) */
    if (sq_is_neg) {
        err = zkvm_bn_hex(s->t, ed_sqrt_m1);
        if (err) {
            return err;
        }
        if (!BN_mod_mul(s->beta, s->beta, s->t, s->p, ctx)) {
            return zkvm_pc_oom("ed sqrt");
        }
    }
    *found = sq_is_a || sq_is_neg;
    if (*found && BN_is_odd(s->beta) && !BN_sub(s->beta, s->p, s->beta)) {
        return zkvm_pc_oom("ed sqrt");
    }
    return ZK_OK;
}

/*
 * sp1-curves decompress on y (bit 255 already cleared) and sign; x into
 * s->x1, *found false when there is no square root.
 */
static enum zk_err ed_decompress_bn(struct ed *s, const BIGNUM *y, bool sign,
                                    int major, bool *found)
{
    BN_CTX *ctx = s->ctx;
    enum zk_err err;

    /* t = y^2 mod p; u = y^2 - 1; v = d y^2 + 1 */
    if (!BN_mod_sqr(s->t, y, s->p, ctx)) {
        return zkvm_pc_oom("ed decompress");
    }
    if (major <= 3 && BN_is_zero(s->t)) {
        /* v3: `yy - 1` on unsigned integers panics. */
        return zkvm_pc_trap("ed decompress: y^2 - 1 underflows (SP1 v3)");
    }
    if (!BN_copy(s->u, s->t) || !BN_add(s->u, s->u, s->p) ||
        !BN_sub_word(s->u, 1) || !BN_nnmod(s->u, s->u, s->p, ctx) ||
        !BN_mul(s->v, s->t, s->d, ctx) || !BN_add_word(s->v, 1) ||
        !BN_nnmod(s->v, s->v, s->p, ctx)) {
        return zkvm_pc_oom("ed decompress");
    }
    err = zkvm_bn_fermat_inv(s->x2, s->v, s->p, ctx);
    if (err) {
        return err;
    }
    if (!BN_mod_mul(s->y2, s->u, s->x2, s->p, ctx)) {
        return zkvm_pc_oom("ed decompress");
    }
    err = ed_sqrt(s, s->y2, found);
    if (err || !*found) {
        return err;
    }
    if (!BN_copy(s->x1, s->beta)) {
        return zkvm_pc_oom("ed decompress");
    }
    if (sign) {
        /* v3: x = p - x (x = 0 gives p); v4+: (p - x) mod p */
        if (!BN_sub(s->x1, s->p, s->x1) ||
            (major > 3 && !BN_nnmod(s->x1, s->x1, s->p, ctx))) {
            return zkvm_pc_oom("ed decompress");
        }
    }
    return ZK_OK;
}

enum zk_err zkvm_ed_decompress(uint32_t buf[16], uint32_t sign, int major)
{
    struct ed s;
    enum zk_err err;
    bool found = false;
    uint32_t yw[8];

    if (sign > 1) {
        return zkvm_pc_trap("ed decompress: sign must be 0 or 1");
    }
    memcpy(yw, buf + 8, sizeof(yw));
    yw[7] &= 0x7fffffffu;
    err = ed_open(&s);
    if (err) {
        goto out;
    }
    err = zkvm_bn_from_words(s.y1, yw, 8);
    if (err) {
        goto out;
    }
    err = ed_decompress_bn(&s, s.y1, sign != 0, major, &found);
    if (err) {
        goto out;
    }
    if (!found) {
        err = zkvm_pc_trap("ed decompress: no square root (not a point)");
        goto out;
    }
    err = zkvm_bn_to_words(buf, 8, s.x1);
out:
    ed_close(&s);
    return err;
}

/* ---- hook helpers (precompile_hook.c) -------------------------------- */

enum zk_err zkvm_ed_hook_check(const uint8_t y_le[32], int major, bool *ok);
enum zk_err zkvm_ed_hook_decompress(const uint8_t *in, size_t len, int *status,
                                    uint8_t vinv_le[32], uint8_t root_le[32]);

/* Deprecated/v3 ed-decompress hook: does the 32-byte point decompress? */
enum zk_err zkvm_ed_hook_check(const uint8_t y_le[32], int major, bool *ok)
{
    struct ed s;
    enum zk_err err;
    uint8_t b[32];

    memcpy(b, y_le, 32);
    b[31] &= 0x7f;
    err = ed_open(&s);
    if (err) {
        goto out;
    }
    if (!BN_lebin2bn(b, 32, s.y1)) {
        err = zkvm_pc_oom("BN_lebin2bn");
        goto out;
    }
    err = ed_decompress_bn(&s, s.y1, (y_le[31] & 0x80) != 0, major, ok);
out:
    ed_close(&s);
    return err;
}

/*
 * v4+ ed_decompress hook (fd 16): in = y (32 LE, bit 255 ignored) || v (the
 * rest, LE). *status: 1 = square root exists, 0 = not (then vinv/root are
 * the extra items), -1 = y >= p.
 */
enum zk_err zkvm_ed_hook_decompress(const uint8_t *in, size_t len, int *status,
                                    uint8_t vinv_le[32], uint8_t root_le[32])
{
    struct ed s;
    enum zk_err err;
    uint8_t b[32];
    bool found = false;

    if (len < 32) {
        return zkvm_pc_trap("ed_decompress hook: input shorter than 32 bytes");
    }
    memcpy(b, in, 32);
    b[31] &= 0x7f;
    err = ed_open(&s);
    if (err) {
        goto out;
    }
    if (!BN_lebin2bn(b, 32, s.y1) ||
        !BN_lebin2bn(in + 32, (int)(len - 32), s.v)) {
        err = zkvm_pc_oom("BN_lebin2bn");
        goto out;
    }
    if (BN_cmp(s.y1, s.p) >= 0) {
        *status = -1;
        goto out;
    }
    if (BN_cmp(s.v, s.p) >= 0) {
        err = zkvm_pc_trap("ed_decompress hook: v is not a field element");
        goto out;
    }
    /* x2 = v^-1; u = (y^2 + p - 1) mod p; y2 = u * v^-1 */
    err = zkvm_bn_fermat_inv(s.x2, s.v, s.p, s.ctx);
    if (err) {
        goto out;
    }
    if (!BN_sqr(s.u, s.y1, s.ctx) || !BN_add(s.u, s.u, s.p) ||
        !BN_sub_word(s.u, 1) || !BN_nnmod(s.u, s.u, s.p, s.ctx) ||
        !BN_mod_mul(s.y2, s.u, s.x2, s.p, s.ctx)) {
        err = zkvm_pc_oom("ed hook");
        goto out;
    }
    err = ed_sqrt(&s, s.y2, &found);
    if (err) {
        goto out;
    }
    if (found) {
        *status = 1;
        goto out;
    }
    /* qr = 2 * u/v: 2 is a non-residue mod p, so this one has a root */
    if (!BN_mod_lshift1(s.x1, s.y2, s.p, s.ctx)) {
        err = zkvm_pc_oom("ed hook");
        goto out;
    }
    err = ed_sqrt(&s, s.x1, &found);
    if (err) {
        goto out;
    }
    if (!found) {
        err = zkvm_pc_trap("ed_decompress hook: 2*u/v has no root");
        goto out;
    }
    *status = 0;
    if (BN_bn2lebinpad(s.x2, vinv_le, 32) < 0 ||
        BN_bn2lebinpad(s.beta, root_le, 32) < 0) {
        err = ZK_EINTERNAL;
    }
out:
    ed_close(&s);
    return err;
}
