/*
 * septic.c - F_{p^7} arithmetic and SP1's septic curve (sp1-vk-v4v5.md §6).
 *
 * Speed matters only in two places: the F7 product (every curve operation
 * and square root is made of them) and the Frobenius map (norms and
 * inverses). Both accumulate 64-bit products lazily and reduce
 * canonically once per output coefficient (see partial()).
 * Everything else is plain canonical BabyBear from vk/babybear.h.
 */
#include <config.h>

#include "vk/septic.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/poseidon2.h"
#include "vk/septic_int.h"
#include "vk/vk_int.h"

#define P       ((uint32_t)BB_P)
#define HALF_UP ((P + 1) / 2) /* (p+1)/2: y6 at or above it is "negative" */

/* p - 1 = 2^27 * 15; 31 generates F_p^* (so it is a non-residue). */
#define TWO_ADICITY 27
#define NON_RESIDUE 31u
#define MEMORY_KIND (1u << 16) /* InteractionKind::Memory (1) << 16 */
#define SUM_ALIGN   1024u      /* words per thread range, at least */

static inline uint32_t red(uint64_t x)
{
    return (uint32_t)(x % P);
}

/* ---- products: lazy 64-bit accumulation ---- */

/*
 * The kernels below are unrolled by hand-picked pragmas: the loop bounds
 * are constants, and full unrolling doubles their speed at -O2.
 */
#define PRAGMA(x) _Pragma(#x)
#define UNROLL(n) PRAGMA(GCC unroll n)

/*
 * A value congruent to x mod p and below 2^60 + 2^31, without a
 * multiplication: 2^31 = 2^27 - 1 (mod p), so x = hi 2^31 + lo becomes
 * hi (2^27 - 1) + lo with hi < 2^33. Applied to a value below 2^61 it
 * gives one below 2^56 + 2^31.
 */
static inline uint64_t partial(uint64_t x)
{
    uint64_t hi = x >> 31;
    return (x & 0x7fffffffu) + (hi << 27) - hi;
}

/*
 * c[0..12] are the coefficients of a product of degree <= 12, each below
 * 2^63.6. Folds from z^12 down: c_i z^i = c_i z^(i-7) (2z + 5). The
 * targets i-7 and i-6 are both <= 6, so one pass suffices; the high
 * coefficients are first brought below 2^56.1, so each low one grows by
 * less than 7 * 2^56.1 and stays below 2^64.
 */
static inline void fold13(uint32_t r[VK_F7_DEGREE], uint64_t c[13])
{
    UNROLL(6)
    for (int i = 12; i >= 7; i--) {
        uint64_t t = partial(partial(c[i]));
        c[i - 7] += 5 * t;
        c[i - 6] += 2 * t;
    }
    UNROLL(7)
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        r[i] = red(c[i]);
    }
}

/*
 * A product of canonical values is below p^2 < 2^61.82: four of them fit
 * in 64 bits. So a[0..3] are accumulated first (<= 4 terms per
 * coefficient), partially reduced, then a[4..6] (<= 3 more terms).
 */
static void mul_raw(uint32_t r[VK_F7_DEGREE], const uint32_t a[VK_F7_DEGREE],
                    const uint32_t b[VK_F7_DEGREE])
{
    uint64_t c[13] = {0};
    UNROLL(4)
    for (int i = 0; i < 4; i++) {
        UNROLL(7)
        for (int j = 0; j < VK_F7_DEGREE; j++) {
            c[i + j] += (uint64_t)a[i] * b[j];
        }
    }
    UNROLL(13)
    for (int k = 0; k < 13; k++) {
        c[k] = partial(c[k]);
    }
    UNROLL(3)
    for (int i = 4; i < VK_F7_DEGREE; i++) {
        UNROLL(7)
        for (int j = 0; j < VK_F7_DEGREE; j++) {
            c[i + j] += (uint64_t)a[i] * b[j];
        }
    }
    fold13(r, c);
}

static void sqr_raw(uint32_t r[VK_F7_DEGREE], const uint32_t a[VK_F7_DEGREE])
{
    uint64_t c[13] = {0};
    /* Cross terms: at most 3 pairs i < j with i + j = k. */
    UNROLL(7)
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        UNROLL(6)
        for (int j = i + 1; j < VK_F7_DEGREE; j++) {
            c[i + j] += (uint64_t)a[i] * a[j];
        }
    }
    UNROLL(13)
    for (int k = 0; k < 13; k++) {
        c[k] = 2 * partial(c[k]);
    }
    UNROLL(7)
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        c[(size_t)2 * i] += (uint64_t)a[i] * a[i];
    }
    fold13(r, c);
}

/* ---- F_p in Montgomery form: Legendre symbol, inverse, square root ---- */

static inline uint32_t mm(uint32_t a, uint32_t b)
{
    return bb_mont_mul(a, b);
}

static inline uint32_t msq_n(uint32_t x, unsigned k)
{
    while (k-- > 0) {
        x = mm(x, x);
    }
    return x;
}

/* x^15, the odd part of p - 1. */
static inline uint32_t mpow15(uint32_t x)
{
    uint32_t x2 = mm(x, x), x3 = mm(x2, x), x12 = msq_n(x3, 2);
    return mm(x12, x3);
}

static uint32_t mpow(uint32_t x, uint32_t e)
{
    uint32_t acc = BB_MONT_R; /* 1 */
    for (int bit = 31; bit >= 0; bit--) {
        acc = mm(acc, acc);
        if ((e >> bit) & 1) {
            acc = mm(acc, x);
        }
    }
    return acc;
}

/* 1/x (Fermat), x != 0. */
static inline uint32_t minv(uint32_t x)
{
    return mpow(x, P - 2);
}

/* x^((p-1)/2) = (x^15)^(2^26): 1 for a nonzero square. */
static inline bool mis_square(uint32_t x)
{
    return msq_n(mpow15(x), TWO_ADICITY - 1) == BB_MONT_R;
}

/*
 * Square roots by Tonelli-Shanks with table lookups instead of the search
 * loop (the discrete logarithm in the 2-Sylow subgroup, 9 bits at a time).
 * G = 31^15 generates the subgroup of order 2^27 and H = G^(2^18) the one
 * of order 2^9. For a square a, t = a^15 = G^e with e even, and
 * sqrt(a) = a^8 G^(-e/2). All tables are in Montgomery form.
 */
#define SQ_W 9u
#define SQ_D (1u << SQ_W)

struct sq_log_entry {
    uint32_t v; /* H^d */
    uint32_t d;
};

static uint32_t sq_gi[SQ_D];             /* G^-d */
static uint32_t sq_gi8[SQ_D];            /* G^-(d 2^8) */
static uint32_t sq_gi9[SQ_D];            /* G^-(d 2^9) */
static uint32_t sq_gi17[SQ_D];           /* G^-(d 2^17) */
static struct sq_log_entry sq_log[SQ_D]; /* sorted by v */
static pthread_once_t sq_once = PTHREAD_ONCE_INIT;

static int sq_log_cmp(const void *a, const void *b)
{
    uint32_t x = ((const struct sq_log_entry *)a)->v;
    uint32_t y = ((const struct sq_log_entry *)b)->v;
    return x < y ? -1 : (x > y ? 1 : 0);
}

static void powers_table(uint32_t *t, uint32_t g)
{
    t[0] = BB_MONT_R;
    for (unsigned d = 1; d < SQ_D; d++) {
        t[d] = mm(t[d - 1], g);
    }
}

static void sq_init(void)
{
    uint32_t g = mpow15(bb_to_mont(NON_RESIDUE));
    uint32_t gi = minv(g);
    powers_table(sq_gi, gi);
    powers_table(sq_gi8, msq_n(gi, 8));
    powers_table(sq_gi9, msq_n(gi, 9));
    powers_table(sq_gi17, msq_n(gi, 17));
    uint32_t h = msq_n(g, TWO_ADICITY - SQ_W), hd = BB_MONT_R;
    for (unsigned d = 0; d < SQ_D; d++) {
        sq_log[d].v = hd;
        sq_log[d].d = d;
        hd = mm(hd, h);
    }
    qsort(sq_log, SQ_D, sizeof(sq_log[0]), sq_log_cmp);
}

/* d with H^d = v, or -1 when v is not in <H>. */
static int sq_dlog(uint32_t v)
{
    size_t lo = 0, hi = SQ_D;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sq_log[mid].v < v) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo < SQ_D && sq_log[lo].v == v ? (int)sq_log[lo].d : -1;
}

/* A square root of the nonzero Montgomery-form a; false if a is not a
 * square. */
static bool msqrt(uint32_t *out, uint32_t a)
{
    (void)pthread_once(&sq_once, sq_init);
    uint32_t t = mpow15(a);
    int e0 = sq_dlog(msq_n(t, 2 * SQ_W));
    if (e0 < 0 || (e0 & 1)) {
        return false; /* t has order 2^27: a is not a square */
    }
    uint32_t t1 = mm(t, sq_gi[e0]);
    int e1 = sq_dlog(msq_n(t1, SQ_W));
    if (e1 < 0) {
        return false; /* cannot happen */
    }
    int e2 = sq_dlog(mm(t1, sq_gi9[e1]));
    if (e2 < 0) {
        return false; /* cannot happen */
    }
    /* e/2 = e0/2 + e1 2^8 + e2 2^17 */
    uint32_t r = msq_n(a, 3); /* a^8 */
    r = mm(r, sq_gi[e0 / 2]);
    r = mm(r, sq_gi8[e1]);
    *out = mm(r, sq_gi17[e2]);
    return true;
}

uint32_t vk_bb_legendre(uint32_t a)
{
    if (a == 0) {
        return 0;
    }
    return mis_square(bb_to_mont(a)) ? 1 : P - 1;
}

bool vk_bb_sqrt(uint32_t *out, uint32_t a)
{
    uint32_t r;
    *out = 0;
    if (a == 0) {
        return true;
    }
    if (!msqrt(&r, bb_to_mont(a))) {
        return false;
    }
    *out = bb_from_mont(r);
    return true;
}

/* ---- Frobenius tables, built once ---- */

/* frob[k][i] = z^(i * p^k) for k = 0..6, i = 0..6. */
static struct vk_f7 frob[VK_F7_DEGREE][VK_F7_DEGREE];
static pthread_once_t frob_once = PTHREAD_ONCE_INIT;
/* The same in Montgomery form, for the SIMD kernels (septic_int.h). */
uint32_t vk_septic_frob_mont[VK_F7_DEGREE][VK_F7_DEGREE][VK_F7_DEGREE];

static void frob_apply(struct vk_f7 *out, const struct vk_f7 *a,
                       const struct vk_f7 m[VK_F7_DEGREE])
{
    /* m[0] = 1, so a[0] passes straight through; 3 + 3 terms as above. */
    uint64_t acc[VK_F7_DEGREE] = {a->c[0], 0, 0, 0, 0, 0, 0};
    UNROLL(3)
    for (int i = 1; i < 4; i++) {
        UNROLL(7)
        for (int j = 0; j < VK_F7_DEGREE; j++) {
            acc[j] += (uint64_t)a->c[i] * m[i].c[j];
        }
    }
    UNROLL(7)
    for (int j = 0; j < VK_F7_DEGREE; j++) {
        acc[j] = partial(acc[j]);
    }
    UNROLL(3)
    for (int i = 4; i < VK_F7_DEGREE; i++) {
        UNROLL(7)
        for (int j = 0; j < VK_F7_DEGREE; j++) {
            acc[j] += (uint64_t)a->c[i] * m[i].c[j];
        }
    }
    UNROLL(7)
    for (int j = 0; j < VK_F7_DEGREE; j++) {
        out->c[j] = red(acc[j]);
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
    for (int k = 0; k < VK_F7_DEGREE; k++) {
        for (int i = 0; i < VK_F7_DEGREE; i++) {
            for (int j = 0; j < VK_F7_DEGREE; j++) {
                vk_septic_frob_mont[k][i][j] = bb_to_mont(frob[k][i].c[j]);
            }
        }
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
    vk_f7_mul_base(out, &r, bb_from_mont(minv(bb_to_mont(n))));
    return true;
}

bool vk_f7_is_square(const struct vk_f7 *a)
{
    if (vk_f7_is_zero(a)) {
        return true;
    }
    return mis_square(bb_to_mont(vk_f7_norm(a)));
}

/*
 * The square root in parts around its one expensive step, so that a batch
 * can do that step (sqrt_den) several elements at a time.
 */
enum sqrt_kind {
    SQRT_SELF,      /* a = 0 or 1: the root is a itself */
    SQRT_NONSQUARE, /* no root */
    SQRT_POW        /* call sqrt_finish with sqrt_den(a) */
};

/* The kind of a, given its norm (canonical); *n_mont = the norm in
 * Montgomery form for sqrt_finish. */
static enum sqrt_kind sqrt_kind_of(const struct vk_f7 *a, uint32_t norm,
                                   uint32_t *n_mont)
{
    if (vk_f7_is_zero(a) || f7_is_one(a)) {
        return SQRT_SELF;
    }
    *n_mont = bb_to_mont(norm); /* nonzero: a != 0 */
    return mis_square(*n_mont) ? SQRT_POW : SQRT_NONSQUARE;
}

static enum sqrt_kind sqrt_start(const struct vk_f7 *a, uint32_t *n_mont)
{
    if (vk_f7_is_zero(a) || f7_is_one(a)) {
        return SQRT_SELF;
    }
    return sqrt_kind_of(a, vk_f7_norm(a), n_mont);
}

/*
 * den = phi(a') phi^3(a') phi^5(a') a with a' = a^((p+1)/2), so that
 * den^2 = a^(p + ... + p^6) a^2 = N(a) a, and (den s)^2 = a for s^2 =
 * 1/N(a). The expensive half of the root; batches run it four at a time.
 */
static void sqrt_den(struct vk_f7 *den, const struct vk_f7 *a)
{
    struct vk_f7 ap, u, d;
    vk_f7_pow(&ap, a, (P + 1) / 2);
    vk_f7_frobenius(&d, &ap, 1);
    vk_f7_frobenius(&u, &ap, 3);
    vk_f7_mul(&d, &d, &u);
    vk_f7_frobenius(&u, &ap, 5);
    vk_f7_mul(&d, &d, &u);
    vk_f7_mul(den, &d, a); /* den may alias a */
}

/* out = den s with s^2 = 1/N(a). False only if N(a) has no root (a bug:
 * sqrt_start checked it). */
static bool sqrt_finish(struct vk_f7 *out, const struct vk_f7 *den,
                        uint32_t n_mont)
{
    uint32_t s;
    if (!msqrt(&s, minv(n_mont))) {
        vk_f7_zero(out);
        return false;
    }
    vk_f7_mul_base(out, den, bb_from_mont(s));
    return true;
}

bool vk_f7_sqrt(struct vk_f7 *out, const struct vk_f7 *a)
{
    uint32_t n;
    struct vk_f7 den;
    switch (sqrt_start(a, &n)) {
    case SQRT_SELF:
        *out = *a;
        return true;
    case SQRT_NONSQUARE:
        vk_f7_zero(out);
        return false;
    case SQRT_POW:
        break;
    }
    sqrt_den(&den, a);
    return sqrt_finish(out, &den, n);
}

/* Tests switch the SIMD kernels off to cover the scalar path in-process. */
static bool force_scalar;

void vk_septic_force_scalar(bool on)
{
    __atomic_store_n(&force_scalar, on, __ATOMIC_RELAXED);
}

static bool use_avx2(void)
{
#if VK_HAVE_X86
    return !__atomic_load_n(&force_scalar, __ATOMIC_RELAXED) &&
           vk_cpu_has_avx2();
#else
    return false;
#endif
}

/* f[i] = rhs(x[i]) and n[i] = N(f[i]) for i < n, four at a time with
 * AVX2. */
static void rhs_norm_many(const struct vk_f7 *x, struct vk_f7 *f, uint32_t *n,
                          size_t count)
{
    size_t i = 0;
#if VK_HAVE_X86
    if (use_avx2()) {
        for (; i + 4 <= count; i += 4) {
            vk_septic_rhs_norm4_avx2(x + i, f + i, n + i);
        }
        if (i < count) {
            struct vk_f7 tx[4], tf[4];
            uint32_t tn[4];
            for (size_t k = 0; k < 4; k++) {
                tx[k] = x[i + (k < count - i ? k : 0)];
            }
            vk_septic_rhs_norm4_avx2(tx, tf, tn);
            for (size_t k = 0; i + k < count; k++) {
                f[i + k] = tf[k];
                n[i + k] = tn[k];
            }
            i = count;
        }
    }
#endif
    for (; i < count; i++) {
        vk_septic_curve_rhs(&f[i], &x[i]);
        n[i] = vk_f7_norm(&f[i]);
    }
}

/* v[i] = sqrt_den(v[i]) for i < n, four at a time with AVX2. */
static void sqrt_den_many(struct vk_f7 *v, size_t n)
{
    size_t i = 0;
#if VK_HAVE_X86
    if (use_avx2()) {
        for (; i + 4 <= n; i += 4) {
            vk_septic_sqrt_den4_avx2(v + i);
        }
        if (i < n) {
            struct vk_f7 tail[4];
            for (size_t k = 0; k < 4; k++) {
                tail[k] = v[i + (k < n - i ? k : 0)];
            }
            vk_septic_sqrt_den4_avx2(tail);
            for (size_t k = 0; i + k < n; k++) {
                v[i + k] = tail[k];
            }
            i = n;
        }
    }
#endif
    for (; i < n; i++) {
        sqrt_den(&v[i], &v[i]);
    }
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

/* The tail of point addition and doubling given the slope lambda:
 * x3 = lambda^2 - a.x - b.x, y3 = lambda (a.x - x3) - a.y. */
static inline void chord_tail(struct vk_f7 *x3, struct vk_f7 *y3,
                              const struct vk_f7 *lambda,
                              const struct vk_septic_point *a,
                              const struct vk_septic_point *b)
{
    struct vk_f7 t;
    vk_f7_sqr(x3, lambda);
    vk_f7_sub(x3, x3, &a->x);
    vk_f7_sub(x3, x3, &b->x);
    vk_f7_sub(&t, &a->x, x3);
    vk_f7_mul(y3, lambda, &t);
    vk_f7_sub(y3, y3, &a->y);
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
    chord_tail(&x3, &y3, &lambda, a, b);
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

/* Outcome of one hash-to-curve attempt. */
enum lift_step {
    LIFT_FOUND,
    LIFT_NEXT,  /* try the next offset */
    LIFT_BROKEN /* a square root did not square back: a bug */
};

/* Steps 2d-2e of §6.4: y is a root of f = rhs(x). */
static enum lift_step lift_end(struct vk_septic_point *out,
                               const struct vk_f7 *x, const struct vk_f7 *f,
                               struct vk_f7 *y)
{
    struct vk_f7 y2;
    vk_f7_sqr(&y2, y);
    if (!vk_f7_eq(&y2, f)) {
        zk_error("vk: septic sqrt: root does not square back");
        return LIFT_BROKEN;
    }
    uint32_t y6 = y->c[VK_F7_DEGREE - 1];
    if (y6 == 0) {
        return LIFT_NEXT;
    }
    if (y6 >= HALF_UP) {
        vk_f7_neg(y, y);
    }
    out->x = *x;
    out->y = *y;
    out->is_inf = false;
    return LIFT_FOUND;
}

/* Steps 2b-2e of §6.4 for the candidate x = the first 7 hash outputs. */
static enum lift_step lift_try(struct vk_septic_point *out,
                               const struct vk_f7 *x)
{
    struct vk_f7 f, y;
    vk_septic_curve_rhs(&f, x);
    if (!vk_f7_sqrt(&y, &f)) {
        return LIFT_NEXT;
    }
    return lift_end(out, x, &f, &y);
}

enum zk_err vk_septic_lift_x(struct vk_septic_point *out, unsigned *offset_out,
                             const uint32_t m[VK_F7_DEGREE])
{
    for (unsigned offset = 0; offset < VK_SEPTIC_LIFT_TRIES; offset++) {
        uint32_t s[16] = {0};
        memcpy(s, m, VK_F7_DEGREE * sizeof(uint32_t));
        s[VK_F7_DEGREE] = offset;
        vk_poseidon2_permute(s);
        struct vk_f7 x;
        memcpy(x.c, s, sizeof(x.c));
        switch (lift_try(out, &x)) {
        case LIFT_FOUND:
            if (offset_out != NULL) {
                *offset_out = offset;
            }
            return ZK_OK;
        case LIFT_NEXT:
            break;
        case LIFT_BROKEN:
            return ZK_EINTERNAL;
        }
    }
    zk_error("vk: septic lift_x: no point after %d offsets",
             VK_SEPTIC_LIFT_TRIES);
    return ZK_EINTERNAL;
}

/* ---- many points at once ---- */

#define BLOCK 128 /* image words lifted and summed together */

/*
 * pts[0..n) += ... : replaces pts[0] by the sum of pts[0..n), adding
 * pairs level by level so that all the chord slopes of one level share a
 * single inversion (Montgomery's trick: 3 products per pair instead of
 * one F7 inverse each). Pairs with equal x or a point at infinity take
 * the complete law instead.
 */
static void sum_points(struct vk_septic_point *pts, size_t n)
{
    struct vk_f7 den[BLOCK / 2], pre[BLOCK / 2];
    size_t idx[BLOCK / 2];
    while (n > 1) {
        size_t half = n / 2, m = 0;
        /* Denominators x2 - x1 of the chord pairs. */
        for (size_t i = 0; i < half; i++) {
            struct vk_septic_point *a = &pts[2 * i], *b = &pts[2 * i + 1];
            if (a->is_inf || b->is_inf || vk_f7_eq(&a->x, &b->x)) {
                vk_septic_add(a, a, b);
                continue;
            }
            vk_f7_sub(&den[m], &b->x, &a->x);
            if (m == 0) {
                pre[0] = den[0];
            } else {
                vk_f7_mul(&pre[m], &pre[m - 1], &den[m]);
            }
            idx[m++] = i;
        }
        if (m > 0) {
            struct vk_f7 inv, inv_k, t, lambda, x3, y3;
            (void)vk_f7_inv(&inv, &pre[m - 1]); /* nonzero: a product of
                                                   nonzero elements */
            for (size_t k = m; k-- > 0;) {
                if (k > 0) {
                    vk_f7_mul(&inv_k, &inv, &pre[k - 1]);
                    vk_f7_mul(&inv, &inv, &den[k]);
                } else {
                    inv_k = inv;
                }
                struct vk_septic_point *a = &pts[2 * idx[k]];
                const struct vk_septic_point *b = &pts[2 * idx[k] + 1];
                vk_f7_sub(&t, &b->y, &a->y);
                vk_f7_mul(&lambda, &t, &inv_k);
                chord_tail(&x3, &y3, &lambda, a, b);
                a->x = x3;
                a->y = y3;
            }
        }
        /* Compact: sums to the front, an odd last point carried along. */
        for (size_t i = 0; i < half; i++) {
            pts[i] = pts[2 * i];
        }
        if (n & 1) {
            pts[half] = pts[n - 1];
        }
        n = half + (n & 1);
    }
}

/* Working set of one block of words: ~40 KB, kept on the stack. */
struct lift_work {
    struct vk_septic_point pts[BLOCK];
    uint32_t msg[BLOCK][VK_F7_DEGREE]; /* Montgomery form */
    uint32_t states[BLOCK * 16];
    size_t pending[BLOCK]; /* words without a point yet */
    size_t n_pending;
    struct {
        struct vk_f7 x, f; /* candidate and x^3 + 2x + 26 z^5 */
        uint32_t n;        /* N(f), Montgomery form */
        size_t word;
    } cand[BLOCK];
    struct vk_f7 pw[BLOCK]; /* f, then sqrt_den(f) */
    struct vk_f7 xs[BLOCK], fs[BLOCK];
    uint32_t norms[BLOCK];
};

/* Hashes (m, offset) for every pending word; w->xs = the candidates. */
static void hash_candidates(struct lift_work *w, unsigned offset)
{
    uint32_t off_mont = bb_to_mont(offset);
    for (size_t k = 0; k < w->n_pending; k++) {
        uint32_t *s = w->states + 16 * k;
        memcpy(s, w->msg[w->pending[k]], sizeof(w->msg[0]));
        s[VK_F7_DEGREE] = off_mont;
        memset(s + VK_F7_DEGREE + 1, 0,
               (16 - VK_F7_DEGREE - 1) * sizeof(uint32_t));
    }
    /* Round up to whole 8-state SIMD groups: a spare lane costs less than
     * a scalar permutation. */
    size_t n_batch = (w->n_pending + 7) & ~(size_t)7;
    for (size_t k = w->n_pending; k < n_batch; k++) {
        memset(w->states + 16 * k, 0, 16 * sizeof(uint32_t));
    }
    vk_p2_permute_batch(w->states, n_batch);
    for (size_t k = 0; k < w->n_pending; k++) {
        for (int c = 0; c < VK_F7_DEGREE; c++) {
            w->xs[k].c[c] = bb_from_mont(w->states[16 * k + c]);
        }
    }
}

/*
 * One offset for every pending word: right-hand sides and norm tests
 * (batched), then the squares' exponentiations (batched), then the roots.
 * Words left without a point stay pending for the next offset.
 */
static enum zk_err lift_round(struct lift_work *w, unsigned offset)
{
    hash_candidates(w, offset);
    rhs_norm_many(w->xs, w->fs, w->norms, w->n_pending);
    size_t still = 0, n_sq = 0;
    for (size_t k = 0; k < w->n_pending; k++) {
        switch (sqrt_kind_of(&w->fs[k], w->norms[k], &w->cand[n_sq].n)) {
        case SQRT_POW:
            w->cand[n_sq].x = w->xs[k];
            w->cand[n_sq].f = w->fs[k];
            w->cand[n_sq].word = w->pending[k];
            w->pw[n_sq++] = w->fs[k];
            break;
        case SQRT_SELF: /* f = 0 or 1: y = f has y6 = 0 */
        case SQRT_NONSQUARE:
            w->pending[still++] = w->pending[k];
            break;
        }
    }
    sqrt_den_many(w->pw, n_sq);
    for (size_t q = 0; q < n_sq; q++) {
        struct vk_f7 y;
        size_t word = w->cand[q].word;
        if (!sqrt_finish(&y, &w->pw[q], w->cand[q].n)) {
            zk_error("vk: septic sqrt: a square norm has no root");
            return ZK_EINTERNAL;
        }
        switch (lift_end(&w->pts[word], &w->cand[q].x, &w->cand[q].f, &y)) {
        case LIFT_FOUND:
            vk_septic_neg(&w->pts[word], &w->pts[word]);
            break;
        case LIFT_NEXT:
            w->pending[still++] = word;
            break;
        case LIFT_BROKEN:
            return ZK_EINTERNAL;
        }
    }
    w->n_pending = still;
    return ZK_OK;
}

/*
 * Lifts the words image[0..n) (n <= BLOCK) and returns the sum of their
 * negated points. The Poseidon2 permutations of all pending candidates
 * run as one batch (8 or 16 states per SIMD call when available).
 */
static enum zk_err lift_block(struct vk_septic_point *sum_out,
                              const struct zkvm_image_word *image, size_t n)
{
    struct lift_work w;
    for (size_t i = 0; i < n; i++) {
        if (image[i].addr >= P) {
            zk_error("vk: image sum: address 0x%08x is not below p",
                     image[i].addr);
            return ZK_EINVAL;
        }
        vk_septic_memory_message(w.msg[i], image[i].addr, image[i].value);
        for (int k = 0; k < VK_F7_DEGREE; k++) {
            w.msg[i][k] = bb_to_mont(w.msg[i][k]);
        }
        w.pending[i] = i;
    }
    w.n_pending = n;
    for (unsigned offset = 0; w.n_pending > 0; offset++) {
        if (offset >= VK_SEPTIC_LIFT_TRIES) {
            zk_error("vk: septic lift_x: no point after %d offsets",
                     VK_SEPTIC_LIFT_TRIES);
            return ZK_EINTERNAL;
        }
        enum zk_err err = lift_round(&w, offset);
        if (err != ZK_OK) {
            return err;
        }
    }
    sum_points(w.pts, n);
    *sum_out = w.pts[0];
    return ZK_OK;
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
    struct vk_septic_point acc, part;
    enum zk_err err = ZK_OK;
    vk_septic_infinity(&acc);
    for (size_t i = begin; i < end; i += BLOCK) {
        size_t n = end - i < BLOCK ? end - i : BLOCK;
        err = lift_block(&part, ctx->image + i, n);
        if (err != ZK_OK) {
            break;
        }
        vk_septic_add(&acc, &acc, &part);
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
