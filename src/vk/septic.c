/*
 * septic.c - F_{p^7} arithmetic and SP1's septic curve (sp1-vk-v4v5.md §6).
 *
 * Speed matters only in two places: the F7 product (every curve operation
 * and square root is made of them) and the Frobenius map (norms and
 * inverses). Both accumulate 64-bit products lazily in 128-bit sums and
 * reduce once per output coefficient.
 * Everything else is plain canonical BabyBear from vk/babybear.h.
 */
#include <config.h>

#include "vk/septic.h"

#include <pthread.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/poseidon2.h"
#include "vk/vk_int.h"

#define P       ((uint32_t)BB_P)
#define HALF_UP ((P + 1) / 2) /* (p+1)/2: y6 at or above it is "negative" */

/* p - 1 = 2^27 * 15; 31 generates F_p^* (so it is a non-residue). */
#define TWO_ADICITY 27
#define ODD_PART    15u
#define NON_RESIDUE 31u
#define MEMORY_KIND (1u << 16) /* InteractionKind::Memory (1) << 16 */
#define SUM_ALIGN   1024u      /* words per thread range, at least */

static inline uint32_t red(uint64_t x)
{
    return (uint32_t)(x % P);
}

/* ---- products: 128-bit accumulation, one fold, 7 reductions ---- */

typedef unsigned __int128 u128;

/* 2^64 mod p, to reduce a 128-bit accumulator. */
#define R64 ((uint64_t)BB_MONT_R2)

/* x mod p for x < 2^72 (what the accumulators below stay under). */
static inline uint32_t red128(u128 x)
{
    uint64_t hi = (uint64_t)(x >> 64), lo = (uint64_t)x;
    return red(red(lo) + hi * R64);
}

/*
 * c[0..12] are the coefficients of a product of degree <= 12, each a sum
 * of at most 7 products below p^2 (so below 2^65). Folds from z^12 down:
 * c_i z^i = c_i z^(i-7) (2z + 5). The targets i-7 and i-6 are both <= 6,
 * so one pass suffices, and the results stay below 2^69.
 */
static void fold13(uint32_t r[VK_F7_DEGREE], u128 c[13])
{
    for (int i = 12; i >= 7; i--) {
        c[i - 7] += 5 * c[i];
        c[i - 6] += 2 * c[i];
    }
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        r[i] = red128(c[i]);
    }
}

static void mul_raw(uint32_t r[VK_F7_DEGREE], const uint32_t a[VK_F7_DEGREE],
                    const uint32_t b[VK_F7_DEGREE])
{
    u128 c[13] = {0};
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        for (int j = 0; j < VK_F7_DEGREE; j++) {
            c[i + j] += (uint64_t)a[i] * b[j];
        }
    }
    fold13(r, c);
}

static void sqr_raw(uint32_t r[VK_F7_DEGREE], const uint32_t a[VK_F7_DEGREE])
{
    u128 c[13] = {0};
    /* Cross terms (at most 3 per coefficient, so below 2^64), doubled. */
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        for (int j = i + 1; j < VK_F7_DEGREE; j++) {
            c[i + j] += (uint64_t)a[i] * a[j];
        }
    }
    for (int k = 0; k < 13; k++) {
        c[k] += c[k];
    }
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        c[2 * i] += (uint64_t)a[i] * a[i];
    }
    fold13(r, c);
}

/* ---- Frobenius tables, built once ---- */

/* frob[k][i] = z^(i * p^k) for k = 0..6, i = 0..6. */
static struct vk_f7 frob[VK_F7_DEGREE][VK_F7_DEGREE];
static pthread_once_t frob_once = PTHREAD_ONCE_INIT;

static void frob_apply(struct vk_f7 *out, const struct vk_f7 *a,
                       const struct vk_f7 m[VK_F7_DEGREE])
{
    /* m[0] = 1, so a[0] passes straight through. */
    u128 acc[VK_F7_DEGREE] = {a->c[0], 0, 0, 0, 0, 0, 0};
    for (int i = 1; i < VK_F7_DEGREE; i++) {
        for (int j = 0; j < VK_F7_DEGREE; j++) {
            acc[j] += (uint64_t)a->c[i] * m[i].c[j];
        }
    }
    for (int j = 0; j < VK_F7_DEGREE; j++) {
        out->c[j] = red128(acc[j]);
    }
}

static void powers_of(struct vk_f7 row[VK_F7_DEGREE], const struct vk_f7 *g)
{
    vk_f7_from_base(&row[0], 1);
    for (int i = 1; i < VK_F7_DEGREE; i++) {
        vk_f7_mul(&row[i], &row[i - 1], g);
    }
}

static void frob_init(void)
{
    struct vk_f7 z, zk;
    vk_f7_zero(&z);
    z.c[1] = 1;
    vk_f7_from_base(&zk, 1);
    powers_of(frob[0], &z);
    /* z^p by square-and-multiply; then z^(p^k) = phi(z^(p^(k-1))). */
    vk_f7_pow(&zk, &z, P);
    powers_of(frob[1], &zk);
    for (int k = 2; k < VK_F7_DEGREE; k++) {
        frob_apply(&zk, &zk, frob[1]);
        powers_of(frob[k], &zk);
    }
}

/* ---- field ---- */

void vk_f7_zero(struct vk_f7 *out)
{
    memset(out, 0, sizeof(*out));
}

void vk_f7_from_base(struct vk_f7 *out, uint32_t v)
{
    vk_f7_zero(out);
    out->c[0] = v;
}

bool vk_f7_eq(const struct vk_f7 *a, const struct vk_f7 *b)
{
    return memcmp(a->c, b->c, sizeof(a->c)) == 0;
}

bool vk_f7_is_zero(const struct vk_f7 *a)
{
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        if (a->c[i] != 0) {
            return false;
        }
    }
    return true;
}

static bool f7_is_one(const struct vk_f7 *a)
{
    if (a->c[0] != 1) {
        return false;
    }
    for (int i = 1; i < VK_F7_DEGREE; i++) {
        if (a->c[i] != 0) {
            return false;
        }
    }
    return true;
}

void vk_f7_add(struct vk_f7 *out, const struct vk_f7 *a, const struct vk_f7 *b)
{
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        out->c[i] = bb_add(a->c[i], b->c[i]);
    }
}

void vk_f7_sub(struct vk_f7 *out, const struct vk_f7 *a, const struct vk_f7 *b)
{
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        out->c[i] = bb_sub(a->c[i], b->c[i]);
    }
}

void vk_f7_neg(struct vk_f7 *out, const struct vk_f7 *a)
{
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        out->c[i] = bb_neg(a->c[i]);
    }
}

void vk_f7_mul(struct vk_f7 *out, const struct vk_f7 *a, const struct vk_f7 *b)
{
    uint32_t r[VK_F7_DEGREE];
    mul_raw(r, a->c, b->c);
    memcpy(out->c, r, sizeof(r));
}

void vk_f7_sqr(struct vk_f7 *out, const struct vk_f7 *a)
{
    uint32_t r[VK_F7_DEGREE];
    sqr_raw(r, a->c);
    memcpy(out->c, r, sizeof(r));
}

void vk_f7_mul_base(struct vk_f7 *out, const struct vk_f7 *a, uint32_t s)
{
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        out->c[i] = bb_mul(a->c[i], s);
    }
}

void vk_f7_pow(struct vk_f7 *out, const struct vk_f7 *a, uint64_t e)
{
    struct vk_f7 base = *a, acc;
    vk_f7_from_base(&acc, 1);
    while (e != 0) {
        if (e & 1) {
            vk_f7_mul(&acc, &acc, &base);
        }
        e >>= 1;
        if (e != 0) {
            vk_f7_sqr(&base, &base);
        }
    }
    *out = acc;
}

void vk_f7_frobenius(struct vk_f7 *out, const struct vk_f7 *a, unsigned k)
{
    k %= VK_F7_DEGREE;
    if (k == 0) {
        *out = *a;
        return;
    }
    (void)pthread_once(&frob_once, frob_init);
    struct vk_f7 r;
    frob_apply(&r, a, frob[k]);
    *out = r;
}

/* R(a) = a^(p + p^2 + ... + p^6) = N(a) / a, with 4 Frobenius maps. */
static void norm_rest(struct vk_f7 *out, const struct vk_f7 *a)
{
    struct vk_f7 t, t2, t4, u;
    vk_f7_frobenius(&t, a, 1);   /* a^p */
    vk_f7_frobenius(&u, &t, 1);  /* a^(p^2) */
    vk_f7_mul(&t2, &t, &u);      /* a^(p + p^2) */
    vk_f7_frobenius(&u, &t2, 2); /* a^(p^3 + p^4) */
    vk_f7_mul(&t4, &t2, &u);     /* a^(p + ... + p^4) */
    vk_f7_frobenius(&u, &t2, 4); /* a^(p^5 + p^6) */
    vk_f7_mul(out, &t4, &u);
}

/* The constant term of a * b, which is all of it when a * b is in F_p:
 * only z^0 and the fold of z^7 (-> 2z + 5) reach it. */
static uint32_t mul_const_term(const struct vk_f7 *a, const struct vk_f7 *b)
{
    uint64_t c7 = 0;
    for (int i = 1; i < VK_F7_DEGREE; i++) {
        c7 += (uint64_t)a->c[i] * b->c[7 - i];
        if (i == 3) {
            c7 = red(c7);
        }
    }
    return red((uint64_t)a->c[0] * b->c[0] + 5 * (uint64_t)red(c7));
}

uint32_t vk_f7_norm(const struct vk_f7 *a)
{
    struct vk_f7 r;
    norm_rest(&r, a);
    return mul_const_term(a, &r);
}

bool vk_f7_inv(struct vk_f7 *out, const struct vk_f7 *a)
{
    if (vk_f7_is_zero(a)) {
        vk_f7_zero(out);
        return false;
    }
    struct vk_f7 r;
    norm_rest(&r, a);
    uint32_t n = mul_const_term(a, &r);
    vk_f7_mul_base(out, &r, bb_inv(n));
    return true;
}

uint32_t vk_bb_legendre(uint32_t a)
{
    return bb_pow(a, (P - 1) / 2);
}

bool vk_bb_sqrt(uint32_t *out, uint32_t a)
{
    *out = 0;
    if (a == 0) {
        return true;
    }
    if (vk_bb_legendre(a) != 1) {
        return false;
    }
    /* Tonelli-Shanks with p - 1 = 2^27 * 15. */
    unsigned m = TWO_ADICITY;
    uint32_t c = bb_pow(NON_RESIDUE, ODD_PART);
    uint32_t t = bb_pow(a, ODD_PART);
    uint32_t r = bb_pow(a, (ODD_PART + 1) / 2);
    while (t != 1) {
        unsigned i = 0;
        uint32_t tt = t;
        while (tt != 1) {
            tt = bb_mul(tt, tt);
            i++;
            if (i >= m) {
                return false; /* cannot happen for a square */
            }
        }
        uint32_t b = c;
        for (unsigned j = 0; j + i + 1 < m; j++) {
            b = bb_mul(b, b);
        }
        m = i;
        c = bb_mul(b, b);
        t = bb_mul(t, c);
        r = bb_mul(r, b);
    }
    *out = r;
    return true;
}

bool vk_f7_is_square(const struct vk_f7 *a)
{
    if (vk_f7_is_zero(a)) {
        return true;
    }
    return vk_bb_legendre(vk_f7_norm(a)) == 1;
}

bool vk_f7_sqrt(struct vk_f7 *out, const struct vk_f7 *a)
{
    if (vk_f7_is_zero(a) || f7_is_one(a)) {
        *out = *a;
        return true;
    }
    uint32_t n = vk_f7_norm(a);
    uint32_t s;
    if (vk_bb_legendre(n) != 1 || !vk_bb_sqrt(&s, bb_inv(n))) {
        vk_f7_zero(out);
        return false;
    }
    /*
     * den = phi(a') phi^3(a') phi^5(a') a with a' = a^((p+1)/2), so
     * den^2 = a^(p + ... + p^6) a^2 = N(a) a, and (den s)^2 = a.
     */
    struct vk_f7 ap, den, u;
    vk_f7_pow(&ap, a, (P + 1) / 2);
    vk_f7_frobenius(&den, &ap, 1);
    vk_f7_frobenius(&u, &ap, 3);
    vk_f7_mul(&den, &den, &u);
    vk_f7_frobenius(&u, &ap, 5);
    vk_f7_mul(&den, &den, &u);
    vk_f7_mul(&den, &den, a);
    vk_f7_mul_base(out, &den, s);
    return true;
}

/* ---- curve ---- */

/* E: y^2 = x^3 + A x + B with A = 2, B = 26 z^5. */
#define CURVE_A  2u
#define CURVE_B5 26u

void vk_septic_curve_rhs(struct vk_f7 *out, const struct vk_f7 *x)
{
    struct vk_f7 x2, r;
    vk_f7_sqr(&x2, x);
    x2.c[0] = bb_add(x2.c[0], CURVE_A);
    vk_f7_mul(&r, &x2, x); /* x^3 + 2x */
    r.c[5] = bb_add(r.c[5], CURVE_B5);
    *out = r;
}

bool vk_septic_on_curve(const struct vk_septic_point *pt)
{
    if (pt->is_inf) {
        return true;
    }
    struct vk_f7 lhs, rhs;
    vk_f7_sqr(&lhs, &pt->y);
    vk_septic_curve_rhs(&rhs, &pt->x);
    return vk_f7_eq(&lhs, &rhs);
}

void vk_septic_infinity(struct vk_septic_point *out)
{
    memset(out, 0, sizeof(*out));
    out->is_inf = true;
}

void vk_septic_neg(struct vk_septic_point *out, const struct vk_septic_point *a)
{
    out->x = a->x;
    vk_f7_neg(&out->y, &a->y);
    out->is_inf = a->is_inf;
}

void vk_septic_add(struct vk_septic_point *out, const struct vk_septic_point *a,
                   const struct vk_septic_point *b)
{
    if (a->is_inf) {
        *out = *b;
        return;
    }
    if (b->is_inf) {
        *out = *a;
        return;
    }
    struct vk_f7 num, den, lambda, t, x3, y3;
    if (!vk_f7_eq(&a->x, &b->x)) {
        vk_f7_sub(&num, &b->y, &a->y);
        vk_f7_sub(&den, &b->x, &a->x);
    } else if (vk_f7_eq(&a->y, &b->y) && !vk_f7_is_zero(&a->y)) {
        /* Doubling: lambda = (3 x^2 + A) / (2 y). */
        vk_f7_sqr(&t, &a->x);
        vk_f7_mul_base(&num, &t, 3);
        num.c[0] = bb_add(num.c[0], CURVE_A);
        vk_f7_add(&den, &a->y, &a->y);
    } else {
        /* b = -a (including a 2-torsion point added to itself). */
        vk_septic_infinity(out);
        return;
    }
    (void)vk_f7_inv(&t, &den); /* den != 0 in both branches */
    vk_f7_mul(&lambda, &num, &t);
    vk_f7_sqr(&x3, &lambda);
    vk_f7_sub(&x3, &x3, &a->x);
    vk_f7_sub(&x3, &x3, &b->x);
    vk_f7_sub(&t, &a->x, &x3);
    vk_f7_mul(&y3, &lambda, &t);
    vk_f7_sub(&y3, &y3, &a->y);
    out->x = x3;
    out->y = y3;
    out->is_inf = false;
}

/* CURVE_CUMULATIVE_SUM_START_{X,Y} (SP1 septic_digest.rs). */
static const uint32_t sum_start_x[VK_F7_DEGREE] = {
    0x1434213, 0x5623730, 0x9504880, 0x1688724,
    0x2096980, 0x7856967, 0x1875376};
static const uint32_t sum_start_y[VK_F7_DEGREE] = {
    885797405, 1130275556, 567836311, 52700240,
    239639200, 442612155,  1839439733};

void vk_septic_sum_start(struct vk_septic_point *out)
{
    memcpy(out->x.c, sum_start_x, sizeof(sum_start_x));
    memcpy(out->y.c, sum_start_y, sizeof(sum_start_y));
    out->is_inf = false;
}

void vk_septic_memory_message(uint32_t m[VK_F7_DEGREE], uint32_t addr,
                              uint32_t word)
{
    m[0] = MEMORY_KIND;
    m[1] = 0;
    m[2] = addr;
    m[3] = word & 0xff;
    m[4] = (word >> 8) & 0xff;
    m[5] = (word >> 16) & 0xff;
    m[6] = word >> 24;
}

enum zk_err vk_septic_lift_x(struct vk_septic_point *out, unsigned *offset_out,
                             const uint32_t m[VK_F7_DEGREE])
{
    for (unsigned offset = 0; offset < VK_SEPTIC_LIFT_TRIES; offset++) {
        uint32_t s[16] = {0};
        memcpy(s, m, VK_F7_DEGREE * sizeof(uint32_t));
        s[VK_F7_DEGREE] = offset;
        vk_poseidon2_permute(s);
        struct vk_f7 x, f, y, y2;
        memcpy(x.c, s, sizeof(x.c));
        vk_septic_curve_rhs(&f, &x);
        if (!vk_f7_sqrt(&y, &f)) {
            continue;
        }
        vk_f7_sqr(&y2, &y);
        if (!vk_f7_eq(&y2, &f)) {
            zk_error("vk: septic sqrt: root does not square back");
            return ZK_EINTERNAL;
        }
        uint32_t y6 = y.c[VK_F7_DEGREE - 1];
        if (y6 == 0) {
            continue;
        }
        if (y6 >= HALF_UP) {
            vk_f7_neg(&y, &y);
        }
        out->x = x;
        out->y = y;
        out->is_inf = false;
        if (offset_out != NULL) {
            *offset_out = offset;
        }
        return ZK_OK;
    }
    zk_error("vk: septic lift_x: no point after %d offsets",
             VK_SEPTIC_LIFT_TRIES);
    return ZK_EINTERNAL;
}

/* ---- the image sum, split across threads ---- */

struct sum_ctx {
    const struct zkvm_image_word *image;
    pthread_mutex_t lock;
    struct vk_septic_point total; /* sum of the finished ranges */
    enum zk_err err;              /* first failure */
};

static void sum_range(void *arg, size_t begin, size_t end)
{
    struct sum_ctx *ctx = arg;
    struct vk_septic_point acc, pt;
    enum zk_err err = ZK_OK;
    vk_septic_infinity(&acc);
    for (size_t i = begin; i < end; i++) {
        uint32_t m[VK_F7_DEGREE];
        const struct zkvm_image_word *w = &ctx->image[i];
        if (w->addr >= P) {
            zk_error("vk: image sum: address 0x%08x is not below p", w->addr);
            err = ZK_EINVAL;
            break;
        }
        vk_septic_memory_message(m, w->addr, w->value);
        err = vk_septic_lift_x(&pt, NULL, m);
        if (err != ZK_OK) {
            break;
        }
        vk_septic_neg(&pt, &pt);
        vk_septic_add(&acc, &acc, &pt);
    }
    (void)pthread_mutex_lock(&ctx->lock);
    if (err != ZK_OK && ctx->err == ZK_OK) {
        ctx->err = err;
    }
    vk_septic_add(&ctx->total, &ctx->total, &acc);
    (void)pthread_mutex_unlock(&ctx->lock);
}

enum zk_err vk_septic_image_sum(struct vk_septic_point *out,
                                const struct zkvm_image_word *image, size_t n,
                                unsigned n_threads)
{
    struct sum_ctx ctx;
    vk_septic_infinity(out);
    (void)pthread_once(&frob_once, frob_init);
    ctx.image = image;
    ctx.err = ZK_OK;
    vk_septic_sum_start(&ctx.total);
    if (pthread_mutex_init(&ctx.lock, NULL) != 0) {
        zk_error("vk: image sum: cannot create a mutex");
        return ZK_EIO;
    }
    if (n > 0) {
        vk_par_for(n_threads, n, SUM_ALIGN, sum_range, &ctx);
    }
    (void)pthread_mutex_destroy(&ctx.lock);
    if (ctx.err != ZK_OK) {
        return ctx.err;
    }
    if (ctx.total.is_inf) {
        zk_error("vk: image sum: the sum is the point at infinity");
        return ZK_EINTERNAL;
    }
    *out = ctx.total;
    return ZK_OK;
}
