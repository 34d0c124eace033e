/*
 * ntt.c - radix-2 NTTs and the coset LDE over 8-lane rows (see ntt.h).
 *
 * Stages whose butterflies span more than a cache block run over the whole
 * buffer, split between threads by butterfly index; the small stages run
 * block by block (2^VK_NTT_BLOCK_LOG rows, L2-resident), blocks split
 * between threads. Plonky3's Radix2DitParallel computes the same DFT.
 */
#include <config.h>
#include "vk/ntt.h"

#include <string.h>

#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/vk_int.h"

#define VK_NTT_BLOCK_LOG 12u
#define L                VK_NTT_LANES

static void dit_range(uint32_t *x, size_t half, const uint32_t *tw, size_t t0,
                      size_t t1)
{
    for (size_t t = t0; t < t1; t++) {
        size_t j = t & (half - 1);
        size_t i0 = ((t - j) << 1) + j;
        uint32_t *a = x + i0 * L;
        uint32_t *b = x + (i0 + half) * L;
        uint32_t w = tw[half + j];
        for (int l = 0; l < L; l++) {
            uint32_t v = bb_mont_mul(b[l], w);
            uint32_t u = a[l];
            a[l] = bb_add(u, v);
            b[l] = bb_sub(u, v);
        }
    }
}

static void dif_range(uint32_t *x, size_t half, const uint32_t *tw, size_t t0,
                      size_t t1)
{
    for (size_t t = t0; t < t1; t++) {
        size_t j = t & (half - 1);
        size_t i0 = ((t - j) << 1) + j;
        uint32_t *a = x + i0 * L;
        uint32_t *b = x + (i0 + half) * L;
        uint32_t w = tw[half + j];
        for (int l = 0; l < L; l++) {
            uint32_t u = a[l];
            uint32_t v = b[l];
            a[l] = bb_add(u, v);
            b[l] = bb_mont_mul(bb_sub(u, v), w);
        }
    }
}

/* x[j] *= scale[j] (Montgomery multiplication). */
static void scale_rows(uint32_t *x, const uint32_t *scale, size_t j0, size_t j1)
{
    for (size_t j = j0; j < j1; j++) {
        uint32_t *a = x + j * L;
        for (int l = 0; l < L; l++) {
            a[l] = bb_mont_mul(a[l], scale[j]);
        }
    }
}

typedef void (*range_kernel_fn)(uint32_t *, size_t, const uint32_t *, size_t,
                                size_t);

struct kernels {
    range_kernel_fn dit, dif;
    void (*scale)(uint32_t *, const uint32_t *, size_t, size_t);
};

static struct kernels pick_kernels(unsigned simd)
{
    struct kernels k = {dit_range, dif_range, scale_rows};
#if VK_HAVE_X86
    if (simd >= 2) {
        k.dit = vk_ntt_dit_range_avx512;
        k.dif = vk_ntt_dif_range_avx512;
        k.scale = vk_ntt_scale_avx512;
    } else if (simd == 1) {
        k.dit = vk_ntt_dit_range_avx2;
        k.dif = vk_ntt_dif_range_avx2;
        k.scale = vk_ntt_scale_avx2;
    }
#endif
    return k;
}

enum zk_err vk_ntt_plan_init(struct vk_ntt_plan *plan, unsigned log_n,
                             unsigned n_threads)
{
    memset(plan, 0, sizeof(*plan));
    if (log_n + 1 > BB_TWO_ADICITY) {
        return ZK_EINVAL;
    }
    size_t n = (size_t)1 << log_n;
    plan->log_n = log_n;
    plan->n = n;
    plan->n_threads = n_threads;
    plan->block_log = VK_NTT_BLOCK_LOG;
    plan->simd = vk_cpu_has_avx512() ? 2u : vk_cpu_has_avx2() ? 1u : 0u;
    plan->tw_inv = zk_calloc(n, sizeof(uint32_t));
    plan->tw_fwd = zk_calloc(n, sizeof(uint32_t));
    plan->scale[0] = zk_calloc(n, sizeof(uint32_t));
    plan->scale[1] = zk_calloc(n, sizeof(uint32_t));
    if (plan->tw_inv == NULL || plan->tw_fwd == NULL ||
        plan->scale[0] == NULL || plan->scale[1] == NULL) {
        vk_ntt_plan_cleanup(plan);
        return ZK_ENOMEM;
    }
    /* Tables are built in Montgomery form directly (x <- x * step / R). */
    for (size_t h = 1; h < n; h <<= 1) {
        uint32_t w = bb_two_adic_generator((unsigned)__builtin_ctzll(h) + 1);
        uint32_t wm = bb_to_mont(w), wim = bb_to_mont(bb_inv(w));
        uint32_t f = BB_MONT_R, g = BB_MONT_R; /* Montgomery 1 */
        for (size_t j = 0; j < h; j++) {
            plan->tw_fwd[h + j] = f;
            plan->tw_inv[h + j] = g;
            f = bb_mont_mul(f, wm);
            g = bb_mont_mul(g, wim);
        }
    }
    /* scale[s][j] = mont(31^j omega(2n)^(s j) R / n), so that
     * mont_mul(c, scale[s][j]) is the Montgomery form of the scaled
     * coefficient c 31^j omega(2n)^(s j) / n. */
    uint32_t w2n = bb_two_adic_generator(log_n + 1);
    uint32_t s0 = bb_to_mont(bb_mul(bb_inv((uint32_t)(n % BB_P)), BB_MONT_R));
    uint32_t s1 = s0;
    uint32_t step0 = bb_to_mont(BB_GENERATOR);
    uint32_t step1 = bb_to_mont(bb_mul(BB_GENERATOR, w2n));
    for (size_t j = 0; j < n; j++) {
        plan->scale[0][j] = s0;
        plan->scale[1][j] = s1;
        s0 = bb_mont_mul(s0, step0);
        s1 = bb_mont_mul(s1, step1);
    }
    return ZK_OK;
}

void vk_ntt_plan_cleanup(struct vk_ntt_plan *plan)
{
    zk_free(plan->tw_inv);
    zk_free(plan->tw_fwd);
    zk_free(plan->scale[0]);
    zk_free(plan->scale[1]);
    memset(plan, 0, sizeof(*plan));
}

struct stage_ctx {
    struct kernels k;
    uint32_t *x;
    size_t half;
    const uint32_t *tw;
    size_t n;
    const uint32_t *scale;
    unsigned block_log;
    size_t half_lo, half_hi; /* block phase: stages with half in [lo, hi] */
};

static void stage_dit_job(void *arg, size_t b, size_t e)
{
    struct stage_ctx *c = arg;
    c->k.dit(c->x, c->half, c->tw, b, e);
}

static void stage_dif_job(void *arg, size_t b, size_t e)
{
    struct stage_ctx *c = arg;
    c->k.dif(c->x, c->half, c->tw, b, e);
}

/* Blocks [b, e) of 2^block_log rows: all DIT stages with half <= half_hi. */
static void block_dit_job(void *arg, size_t b, size_t e)
{
    struct stage_ctx *c = arg;
    size_t rows = (size_t)1 << c->block_log;
    for (size_t blk = b; blk < e; blk++) {
        uint32_t *x = c->x + blk * rows * L;
        for (size_t h = 1; h <= c->half_hi; h <<= 1) {
            c->k.dit(x, h, c->tw, 0, rows / 2);
        }
    }
}

static void block_dif_job(void *arg, size_t b, size_t e)
{
    struct stage_ctx *c = arg;
    size_t rows = (size_t)1 << c->block_log;
    for (size_t blk = b; blk < e; blk++) {
        uint32_t *x = c->x + blk * rows * L;
        for (size_t h = c->half_hi; h >= 1; h >>= 1) {
            c->k.dif(x, h, c->tw, 0, rows / 2);
        }
    }
}

static void scale_job(void *arg, size_t b, size_t e)
{
    struct stage_ctx *c = arg;
    c->k.scale(c->x, c->scale, b, e);
}

void vk_ntt_lde_segment(const struct vk_ntt_plan *plan, uint32_t *buf,
                        unsigned seg)
{
    struct stage_ctx c;
    memset(&c, 0, sizeof(c));
    c.k = pick_kernels(plan->simd);
    c.x = buf;
    size_t n = plan->n;
    unsigned nt = plan->n_threads;
    unsigned bl = plan->log_n < plan->block_log ? plan->log_n : plan->block_log;
    size_t block_half = ((size_t)1 << bl) >> 1;
    c.block_log = bl;

    /* Inverse DFT, DIT: small stages per cache block, then the big ones. */
    if (n > 1) {
        c.tw = plan->tw_inv;
        c.half_hi = block_half;
        vk_par_for(nt, n >> bl, 1, block_dit_job, &c);
        for (size_t h = (size_t)1 << bl; h < n; h <<= 1) {
            c.half = h;
            vk_par_for(nt, n / 2, 64, stage_dit_job, &c);
        }
    }
    /* 1/n, the coset shift and (segment 1) the odd-row twist. */
    c.scale = plan->scale[seg & 1];
    vk_par_for(nt, n, 64, scale_job, &c);
    /* Forward DFT, DIF: big stages, then the small ones per block. */
    if (n > 1) {
        c.tw = plan->tw_fwd;
        for (size_t h = n >> 1; h > block_half; h >>= 1) {
            c.half = h;
            vk_par_for(nt, n / 2, 64, stage_dif_job, &c);
        }
        c.half_hi = block_half;
        vk_par_for(nt, n >> bl, 1, block_dif_job, &c);
    }
}
