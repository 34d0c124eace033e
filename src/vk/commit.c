/*
 * commit.c - the preprocessed-trace commitment (commit.h, sp1-vk.md 5).
 *
 * Per group of equal-height matrices (their rows concatenated in order):
 * the LDE is produced 8 concatenated columns at a time (ntt.c) and each
 * committed row's 8 values overwrite its sponge state's rate, followed by a
 * permutation: exactly PaddingFreeSponge absorbing the concatenated row, so
 * a chunk may straddle two matrices and the last chunk may be short. The
 * tallest group's sponge outputs are the Merkle leaves; every other group's
 * digests are injected at the layer of their height:
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
    size_t width;     /* total of the group */
    uint32_t *states; /* 2^(log_height+1) * 16 words, Montgomery */
};

struct fill_ctx {
    uint32_t *buf;
    unsigned log_n;
    struct col_ref cols[VK_NTT_LANES];
    size_t lanes;
};

/* buf row q = trace row bitrev(q) of the chunk's columns. */
static void fill_job(void *arg, size_t b, size_t e)
{
    struct fill_ctx *c = arg;
    for (size_t q = b; q < e; q++) {
        size_t r = vk_bitrev(q, c->log_n);
        uint32_t *dst = c->buf + q * VK_NTT_LANES;
        for (size_t l = 0; l < c->lanes; l++) {
            const struct vk_matrix *m = c->cols[l].m;
            size_t col = c->cols[l].col;
            if (r < m->n_rows) {
                dst[l] = m->data[r * m->width + col];
            } else {
                dst[l] = m->pad_row != NULL ? m->pad_row[col] : 0;
            }
        }
        for (size_t l = c->lanes; l < VK_NTT_LANES; l++) {
            dst[l] = 0;
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

/* Sponge-hashes every LDE row of the group into g->states. */
static enum zk_err hash_group(struct group *g, unsigned n_threads)
{
    struct vk_ntt_plan plan;
    uint32_t *buf = NULL;
    size_t rows = (size_t)2 << g->log_height;
    enum zk_err err = vk_ntt_plan_init(&plan, g->log_height, n_threads);
    if (err) {
        return err;
    }
    g->states = zk_calloc(rows, 16 * sizeof(uint32_t));
    buf = zk_calloc(rows, VK_NTT_LANES * sizeof(uint32_t));
    if (g->states == NULL || buf == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    struct fill_ctx fc = {.buf = buf, .log_n = g->log_height};
    size_t mi = 0, ci = 0;
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
        vk_par_for(n_threads, plan.n, 256, fill_job, &fc);
        vk_ntt_lde(&plan, buf);
        struct absorb_ctx ac = {g->states, buf, fc.lanes};
        vk_par_for(n_threads, rows, BATCH, absorb_job, &ac);
    }
out:
    zk_free(buf);
    vk_ntt_plan_cleanup(&plan);
    return err;
}

struct layer_ctx {
    const uint32_t *in; /* digests, stride in_stride words */
    size_t in_stride;
    uint32_t *out;       /* next layer, stride 8 */
    const uint32_t *inj; /* injected digests (stride 16) or NULL */
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
                memcpy(st + k * 16 + 8, c->inj + (i0 + k) * 16, 32);
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

enum zk_err vk_commit(uint32_t root[8], const struct vk_matrix *mats,
                      size_t n_mats, unsigned n_threads)
{
    struct group groups[VK_COMMIT_MAX_LOG_HEIGHT + 1];
    size_t n_groups = 0;
    uint32_t *layer = NULL, *next = NULL;
    enum zk_err err = check_mats(mats, n_mats);
    memset(root, 0, 8 * sizeof(uint32_t));
    if (err) {
        return err;
    }
    n_threads = vk_threads_resolve(n_threads);
    n_groups = make_groups(groups, mats, n_mats);
    /* Smaller groups first: their digests are small and wait for the tree. */
    for (size_t gi = n_groups; gi-- > 0;) {
        err = hash_group(&groups[gi], n_threads);
        if (err) {
            goto out;
        }
    }
    size_t len = (size_t)2 << groups[0].log_height;
    const uint32_t *cur = groups[0].states;
    size_t stride = 16;
    size_t next_group = 1;
    while (len > 1) {
        size_t half = len / 2;
        next = zk_calloc(half, 8 * sizeof(uint32_t));
        if (next == NULL) {
            err = ZK_ENOMEM;
            goto out;
        }
        struct layer_ctx lc = {cur, stride, next, NULL};
        if (next_group < n_groups &&
            ((size_t)2 << groups[next_group].log_height) == half) {
            lc.inj = groups[next_group].states;
            next_group++;
        }
        vk_par_for(n_threads, half, BATCH, layer_job, &lc);
        if (cur == groups[0].states) {
            zk_free(groups[0].states);
            groups[0].states = NULL;
        }
        zk_free(layer);
        layer = next;
        next = NULL;
        cur = layer;
        stride = 8;
        len = half;
    }
    if (next_group != n_groups) {
        zk_error("vk: commit: internal: a group was not injected");
        err = ZK_EINTERNAL;
        goto out;
    }
    for (int i = 0; i < 8; i++) {
        root[i] = bb_from_mont(cur[i]);
    }
out:
    for (size_t gi = 0; gi < n_groups; gi++) {
        zk_free(groups[gi].states);
    }
    zk_free(layer);
    zk_free(next);
    return err;
}
