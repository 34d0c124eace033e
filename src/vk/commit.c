/*
 * commit.c - the preprocessed-trace commitment (commit.h, sp1-vk.md 5).
 *
 * Per group of equal-height matrices (their rows concatenated in order):
 * the LDE is produced 8 concatenated columns at a time (ntt.c) and each
 * committed row's 8 values overwrite its sponge state's rate, followed by a
 * permutation: exactly PaddingFreeSponge absorbing the concatenated row, so
 * a chunk may straddle two matrices and the last chunk may be short. The
 * LDE rows are produced one half at a time (ntt.h explains why), so the
 * sponge states and the LDE buffer only ever cover n = 2^log_height rows.
 * The tallest group's sponge outputs are the Merkle leaves; each half is
 * reduced to its subtree root as soon as it is hashed, inside the states
 * and LDE buffers. Every other group's digests are kept and injected at the
 * layer of their height:
 *   L'[i] = C(C(L[2i], L[2i+1]), D_g[i])      (Plonky3 FieldMerkleTree).
 * All values stay in Montgomery form until the root.
 */
#include <config.h>
#include "vk/commit.h"

#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/ntt.h"
#include "vk/vk_int.h"

#define BATCH 64 /* states permuted per batch (multiple of 8) */

struct col_ref {
    const struct vk_matrix *m;
    size_t col;
};

struct group {
    unsigned log_height;
    size_t n_mats;
    const struct vk_matrix *mats[VK_COMMIT_MAX_MATRICES];
    size_t width;      /* total of the group */
    uint32_t *digests; /* 2^(log_height+1) * 8 words (injected groups) */
};

struct fill_ctx {
    uint32_t *buf;
    unsigned log_n;
    struct col_ref cols[VK_NTT_LANES];
    size_t lanes;
    /* derived by fill_prepare */
    const uint32_t *base[VK_NTT_LANES]; /* column start in the data */
    size_t stride[VK_NTT_LANES];        /* the matrix width */
    size_t n_rows[VK_NTT_LANES];        /* real rows of the lane */
    size_t max_rows;                    /* max of n_rows */
    uint32_t pad[VK_NTT_LANES];         /* padding value of each lane */
};

static void fill_prepare(struct fill_ctx *c)
{
    c->max_rows = 0;
    for (size_t l = 0; l < VK_NTT_LANES; l++) {
        if (l < c->lanes) {
            const struct vk_matrix *m = c->cols[l].m;
            size_t col = c->cols[l].col;
            c->base[l] = m->n_rows > 0 ? m->data + col : NULL;
            c->stride[l] = m->width;
            c->n_rows[l] = m->n_rows;
            c->pad[l] = m->pad_row != NULL ? m->pad_row[col] : 0;
            if (m->n_rows > c->max_rows) {
                c->max_rows = m->n_rows;
            }
        } else {
            c->base[l] = NULL;
            c->stride[l] = 0;
            c->n_rows[l] = 0;
            c->pad[l] = 0;
        }
    }
}

/* buf row q = trace row bitrev(q) of the chunk's columns. */
static void fill_job(void *arg, size_t b, size_t e)
{
    struct fill_ctx *c = arg;
    for (size_t q = b; q < e; q++) {
        size_t r = vk_bitrev(q, c->log_n);
        uint32_t *dst = c->buf + q * VK_NTT_LANES;
        memcpy(dst, c->pad, sizeof(c->pad));
        if (r >= c->max_rows) {
            continue; /* padding row (most rows of Program) */
        }
        for (size_t l = 0; l < c->lanes; l++) {
            if (r < c->n_rows[l]) {
                dst[l] = c->base[l][r * c->stride[l]];
            }
        }
    }
}

struct absorb_ctx {
    uint32_t *states;
    const uint32_t *buf;
    size_t lanes;
};

static void absorb_job(void *arg, size_t b, size_t e)
{
    struct absorb_ctx *c = arg;
    for (size_t r0 = b; r0 < e; r0 += BATCH) {
        size_t cnt = e - r0 < BATCH ? e - r0 : BATCH;
        for (size_t r = r0; r < r0 + cnt; r++) {
            memcpy(c->states + r * 16, c->buf + r * VK_NTT_LANES,
                   c->lanes * sizeof(uint32_t));
        }
        vk_p2_permute_batch(c->states + r0 * 16, cnt);
    }
}

/* Called with the sponge states (stride 16) of LDE rows
 * [seg * n, (seg + 1) * n) once that half of the group is hashed; states and
 * scratch (n * 8 words, the LDE buffer) may be overwritten. */
typedef enum zk_err (*emit_fn)(void *ctx, unsigned seg, uint32_t *states,
                               size_t n, uint32_t *scratch);

/* Sponge-hashes every LDE row of the group, one half at a time. */
static enum zk_err hash_group(struct group *g, unsigned n_threads, emit_fn emit,
                              void *emit_ctx)
{
    struct vk_ntt_plan plan;
    uint32_t *buf = NULL, *states = NULL;
    enum zk_err err = vk_ntt_plan_init(&plan, g->log_height, n_threads);
    if (err) {
        return err;
    }
    size_t n = plan.n;
    states = zk_calloc(n, 16 * sizeof(uint32_t));
    buf = zk_calloc(n, VK_NTT_LANES * sizeof(uint32_t));
    if (states == NULL || buf == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    for (unsigned seg = 0; seg < 2; seg++) {
        struct fill_ctx fc = {.buf = buf, .log_n = g->log_height};
        size_t mi = 0, ci = 0;
        memset(states, 0, n * 16 * sizeof(uint32_t));
        for (size_t done = 0; done < g->width;) {
            fc.lanes = 0;
            while (fc.lanes < VK_NTT_LANES && done < g->width) {
                fc.cols[fc.lanes].m = g->mats[mi];
                fc.cols[fc.lanes].col = ci;
                fc.lanes++;
                done++;
                if (++ci == g->mats[mi]->width) {
                    ci = 0;
                    mi++;
                }
            }
            fill_prepare(&fc);
            vk_par_for(n_threads, n, 256, fill_job, &fc);
            vk_ntt_lde_segment(&plan, buf, seg);
            struct absorb_ctx ac = {states, buf, fc.lanes};
            vk_par_for(n_threads, n, BATCH, absorb_job, &ac);
        }
        err = emit(emit_ctx, seg, states, n, buf);
        if (err) {
            goto out;
        }
    }
out:
    zk_free(buf);
    zk_free(states);
    vk_ntt_plan_cleanup(&plan);
    return err;
}

/* emit for injected groups: keep the 8-word digests. */
static enum zk_err emit_keep(void *ctx, unsigned seg, uint32_t *states,
                             size_t n, uint32_t *scratch)
{
    (void)scratch;
    struct group *g = ctx;
    uint32_t *dst = g->digests + (size_t)seg * n * 8;
    for (size_t r = 0; r < n; r++) {
        memcpy(dst + r * 8, states + r * 16, 8 * sizeof(uint32_t));
    }
    return ZK_OK;
}

struct layer_ctx {
    const uint32_t *in; /* digests, stride in_stride words */
    size_t in_stride;
    uint32_t *out;       /* next layer, stride 8 */
    const uint32_t *inj; /* injected digests (stride 8) or NULL */
};

static void layer_job(void *arg, size_t b, size_t e)
{
    struct layer_ctx *c = arg;
    uint32_t st[BATCH * 16];
    for (size_t i0 = b; i0 < e; i0 += BATCH) {
        size_t cnt = e - i0 < BATCH ? e - i0 : BATCH;
        for (size_t k = 0; k < cnt; k++) {
            size_t i = i0 + k;
            memcpy(st + k * 16, c->in + 2 * i * c->in_stride, 32);
            memcpy(st + k * 16 + 8, c->in + (2 * i + 1) * c->in_stride, 32);
        }
        vk_p2_permute_batch(st, cnt);
        if (c->inj != NULL) {
            for (size_t k = 0; k < cnt; k++) {
                memcpy(st + k * 16 + 8, c->inj + (i0 + k) * 8, 32);
            }
            vk_p2_permute_batch(st, cnt);
        }
        for (size_t k = 0; k < cnt; k++) {
            memcpy(c->out + (i0 + k) * 8, st + k * 16, 32);
        }
    }
}

static enum zk_err check_mats(const struct vk_matrix *mats, size_t n_mats)
{
    if (n_mats == 0 || n_mats > VK_COMMIT_MAX_MATRICES) {
        zk_error("vk: commit: %zu matrices (1..%u allowed)", n_mats,
                 VK_COMMIT_MAX_MATRICES);
        return ZK_EINVAL;
    }
    for (size_t i = 0; i < n_mats; i++) {
        const struct vk_matrix *m = &mats[i];
        if (m->width == 0 || m->width > VK_COMMIT_MAX_WIDTH ||
            m->log_height > VK_COMMIT_MAX_LOG_HEIGHT ||
            m->n_rows > ((size_t)1 << m->log_height) ||
            (m->n_rows > 0 && m->data == NULL)) {
            zk_error("vk: commit: matrix %zu has a bad shape (width %zu, "
                     "height 2^%u, %zu rows)",
                     i, m->width, m->log_height, m->n_rows);
            return ZK_EINVAL;
        }
    }
    return ZK_OK;
}

/* Stable sort by height descending, then group equal heights. */
static size_t make_groups(struct group *groups, const struct vk_matrix *mats,
                          size_t n_mats)
{
    size_t n_groups = 0;
    for (int lh = (int)VK_COMMIT_MAX_LOG_HEIGHT; lh >= 0; lh--) {
        struct group *g = &groups[n_groups];
        memset(g, 0, sizeof(*g));
        g->log_height = (unsigned)lh;
        for (size_t i = 0; i < n_mats; i++) {
            if (mats[i].log_height == (unsigned)lh) {
                g->mats[g->n_mats++] = &mats[i];
                g->width += mats[i].width;
            }
        }
        if (g->n_mats > 0) {
            n_groups++;
        }
    }
    return n_groups;
}

/* The group (index > 0) whose LDE has `rows` rows, or NULL. */
static struct group *group_at(struct group *groups, size_t n_groups,
                              size_t rows)
{
    for (size_t gi = 1; gi < n_groups; gi++) {
        if (((size_t)2 << groups[gi].log_height) == rows) {
            return &groups[gi];
        }
    }
    return NULL;
}

/*
 * The tallest group: each half of its leaves is reduced to its own subtree
 * root right away (pairs never straddle the halves), ping-ponging between
 * the sponge states and the LDE buffer, so the tree needs no memory of its
 * own. The two subtree roots are compressed at the end.
 */
struct top_ctx {
    struct group *groups;
    size_t n_groups;
    unsigned n_threads;
    uint32_t seg_root[2][8];
};

static enum zk_err emit_top(void *ctx, unsigned seg, uint32_t *states, size_t n,
                            uint32_t *scratch)
{
    struct top_ctx *t = ctx;
    const uint32_t *cur = states;
    size_t stride = 16, len = n;
    uint32_t *dst = scratch;
    while (len > 1) {
        size_t half = len / 2;
        /* the global layer being built has 2 * half nodes */
        struct group *g = group_at(t->groups, t->n_groups, 2 * half);
        struct layer_ctx lc = {cur, stride, dst,
                               g != NULL ? g->digests + (size_t)seg * half * 8
                                         : NULL};
        vk_par_for(t->n_threads, half, BATCH, layer_job, &lc);
        cur = dst;
        stride = 8;
        dst = dst == scratch ? states : scratch;
        len = half;
    }
    memcpy(t->seg_root[seg], cur, sizeof(t->seg_root[seg]));
    return ZK_OK;
}

enum zk_err vk_commit(uint32_t root[8], const struct vk_matrix *mats,
                      size_t n_mats, unsigned n_threads)
{
    struct group groups[VK_COMMIT_MAX_LOG_HEIGHT + 1];
    size_t n_groups = 0;
    struct vk_pool *pool = NULL;
    enum zk_err err = check_mats(mats, n_mats);
    memset(root, 0, 8 * sizeof(uint32_t));
    if (err) {
        return err;
    }
    n_threads = vk_threads_resolve(n_threads);
    pool = vk_pool_open(n_threads);
    n_groups = make_groups(groups, mats, n_mats);
    /* Smaller groups first: their digests wait for the tree. */
    for (size_t gi = n_groups; gi-- > 1;) {
        size_t rows = (size_t)2 << groups[gi].log_height;
        groups[gi].digests = zk_calloc(rows, 8 * sizeof(uint32_t));
        if (groups[gi].digests == NULL) {
            err = ZK_ENOMEM;
            goto out;
        }
        err = hash_group(&groups[gi], n_threads, emit_keep, &groups[gi]);
        if (err) {
            goto out;
        }
    }
    /* The tallest group, then the root over its two halves. */
    struct top_ctx tc = {groups, n_groups, n_threads, {{0}}};
    err = hash_group(&groups[0], n_threads, emit_top, &tc);
    if (err) {
        goto out;
    }
    uint32_t st[16];
    memcpy(st, tc.seg_root[0], 32);
    memcpy(st + 8, tc.seg_root[1], 32);
    vk_p2_permute_mont(st);
    for (int i = 0; i < 8; i++) {
        root[i] = bb_from_mont(st[i]);
    }
out:
    vk_pool_close(pool);
    for (size_t gi = 0; gi < n_groups; gi++) {
        zk_free(groups[gi].digests);
    }
    return err;
}
