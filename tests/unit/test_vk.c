/* test_vk.c - unit tests for src/vk: field, Poseidon2, LDE + Merkle
 * commitment against a naive reference, the v3 transpiler, and the end to
 * end vk of the fixture ELFs (tests/fixtures/vk/vkeys.json). */
#include <config.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <cJSON.h>

#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/commit.h"
#include "vk/ntt.h"
#include "vk/poseidon2.h"
#include "vk/transpile.h"
#include "vk/vk.h"
#include "vk/vk_int.h"
#include "zkvm/decode.h"
#include "zkvm/program.h"
#include "../fixture.h"

/* ---- helpers ---- */

static bool quick_mode(void)
{
    const char *q = getenv("ZK_TEST_QUICK");
    return q != NULL && *q != '\0' && strcmp(q, "0") != 0;
}

static uint64_t rng_state;

static void rng_seed(void)
{
    const char *s = getenv("ZK_TEST_SEED");
    rng_state = s != NULL ? strtoull(s, NULL, 0) : 0x5eed0b1dULL;
    if (rng_state == 0) {
        rng_state = 1;
    }
    fprintf(stderr, "test_vk: seed 0x%llx (ZK_TEST_SEED replays)\n",
            (unsigned long long)rng_state);
}

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static uint32_t rng_fe(void)
{
    return (uint32_t)(rng_next() % BB_P);
}

/* sp1 v3.0.0 crates/recursion/gnark-ffi/go/main.go, TestPoseidonBabyBear2 */
static const uint32_t p2_zero_out[16] = {
    348670919,  1568590631, 1535107508, 186917780,  587749971, 1827585060,
    1218809104, 691692291,  1480664293, 1491566329, 366224457, 490018300,
    732772134,  560796067,  484676252,  405025962};

static void poseidon2_permutes_zero_state_like_sp1(void **state)
{
    uint32_t s[16] = {0};
    (void)state;
    vk_poseidon2_permute(s);
    assert_memory_equal(s, p2_zero_out, sizeof(s));
}

static void poseidon2_sponge_matches_vkeys_json_vectors(void **state)
{
    static const uint32_t want21[8] = {1614297941, 1313135393, 402140857,
                                       1411441164, 56727126,   1660135410,
                                       1357888294, 1110477468};
    static const uint32_t want8[8] = {1555239580, 128631211,  1684116930,
                                      960411431,  1807324752, 830205910,
                                      570023255,  721299314};
    uint32_t in[21], out[8];
    (void)state;
    for (uint32_t i = 0; i < 21; i++) {
        in[i] = i;
    }
    vk_poseidon2_hash(out, in, 21);
    assert_memory_equal(out, want21, sizeof(out));
    vk_poseidon2_hash(out, in, 8);
    assert_memory_equal(out, want8, sizeof(out));
}

/* ---- field ---- */

static void babybear_ops_match_naive_modular_arithmetic(void **state)
{
    (void)state;
    for (int i = 0; i < 100000; i++) {
        uint32_t a = rng_fe(), b = rng_fe();
        assert_int_equal(bb_add(a, b), (uint32_t)(((uint64_t)a + b) % BB_P));
        assert_int_equal(bb_sub(a, b),
                         (uint32_t)(((uint64_t)a + BB_P - b) % BB_P));
        assert_int_equal(bb_mul(a, b), (uint32_t)((uint64_t)a * b % BB_P));
        assert_int_equal(bb_from_mont(bb_to_mont(a)), a);
        assert_int_equal(bb_mont_mul(bb_to_mont(a), bb_to_mont(b)),
                         bb_to_mont(bb_mul(a, b)));
        if (a != 0) {
            assert_int_equal(bb_mul(a, bb_inv(a)), 1);
        }
    }
    assert_int_equal(bb_neg(0), 0);
    assert_int_equal(bb_add(bb_neg(5), 5), 0);
    assert_int_equal(bb_inv(0), 0);
    assert_int_equal(bb_pow(3, 0), 1);
    assert_int_equal(bb_pow(BB_GENERATOR, BB_P - 1), 1);
    assert_int_not_equal(bb_pow(BB_GENERATOR, (BB_P - 1) / 2), 1);
    assert_int_equal(BB_MONT_R, (uint32_t)((1ull << 32) % BB_P));
}

static void two_adic_generators_match_spec_table(void **state)
{
    /* sp1-vk.md 6.6 */
    static const uint32_t want[8] = {0x54c131f4, 0x4cabd6a6, 0x5cf5713f,
                                     0x3e9430e8, 0x0ba067a3, 0x18adc27d,
                                     0x21fd55bc, 0x4b859b3d};
    (void)state;
    for (unsigned k = 16; k <= 23; k++) {
        assert_int_equal(bb_two_adic_generator(k), want[k - 16]);
    }
    assert_int_equal(bb_two_adic_generator(27), 0x1a427a41);
    assert_int_equal(bb_two_adic_generator(0), 1);
    assert_int_equal(bb_two_adic_generator(1), BB_P - 1);
    assert_int_equal(bb_two_adic_generator(28), 0);
    uint32_t w = bb_two_adic_generator(19);
    assert_int_equal(bb_pow(w, 1u << 19), 1);
    assert_int_not_equal(bb_pow(w, 1u << 18), 1);
}

/* ---- Poseidon2 ---- */

static void poseidon2_short_and_empty_inputs_follow_overwrite_sponge(void **s)
{
    uint32_t out[8], st[16] = {0}, in[3] = {7, 8, 9};
    (void)s;
    vk_poseidon2_hash(out, in, 0);
    for (int i = 0; i < 8; i++) {
        assert_int_equal(out[i], 0);
    }
    /* one short chunk: overwrite 3 words of the zero state, permute */
    st[0] = 7;
    st[1] = 8;
    st[2] = 9;
    vk_poseidon2_permute(st);
    vk_poseidon2_hash(out, in, 3);
    assert_memory_equal(out, st, sizeof(out));
    /* compress = truncated permutation of left || right */
    uint32_t l[8], r[8], c[8], full[16];
    for (int i = 0; i < 8; i++) {
        l[i] = rng_fe();
        r[i] = rng_fe();
        full[i] = l[i];
        full[8 + i] = r[i];
    }
    vk_poseidon2_compress(c, l, r);
    vk_poseidon2_permute(full);
    assert_memory_equal(c, full, sizeof(c));
}

static void poseidon2_simd_batch_matches_scalar(void **state)
{
    uint32_t a[16 * 37], b[16 * 37];
    (void)state;
    for (size_t i = 0; i < ZK_ARRAY_LEN(a); i++) {
        a[i] = b[i] = rng_fe();
    }
    vk_p2_permute_batch(a, 37); /* 16 + 16 + 8 (AVX2) + scalar tail */
    for (int k = 0; k < 37; k++) {
        vk_p2_permute_mont(b + 16 * k);
    }
    assert_memory_equal(a, b, sizeof(a));
#if VK_HAVE_X86
    if (vk_cpu_has_avx2()) {
        for (size_t i = 0; i < 16 * 8; i++) {
            a[i] = b[i] = rng_fe();
        }
        vk_p2_permute8_avx2(a);
        for (int k = 0; k < 8; k++) {
            vk_p2_permute_mont(b + 16 * k);
        }
        assert_memory_equal(a, b, 16 * 8 * sizeof(uint32_t));
    }
    if (vk_cpu_has_avx512()) {
        for (size_t i = 0; i < 16 * 16; i++) {
            a[i] = b[i] = rng_fe();
        }
        vk_p2_permute16_avx512(a);
        for (int k = 0; k < 16; k++) {
            vk_p2_permute_mont(b + 16 * k);
        }
        assert_memory_equal(a, b, 16 * 16 * sizeof(uint32_t));
    }
#endif
}

/* ---- LDE + commitment against a deliberately naive reference ---- */

static size_t ref_bitrev(size_t x, unsigned bits)
{
    size_t r = 0;
    for (unsigned i = 0; i < bits; i++) {
        if (x & ((size_t)1 << i)) {
            r |= (size_t)1 << (bits - 1 - i);
        }
    }
    return r;
}

/* O(n^2) interpolation, then Horner at every point of 31 * <omega(2n)>,
 * rows bit-reversed: the committed LDE of one column (canonical). */
static void ref_lde(uint32_t *out, const uint32_t *col, unsigned log_n)
{
    size_t n = (size_t)1 << log_n;
    uint32_t winv = bb_inv(bb_two_adic_generator(log_n));
    uint32_t ninv = bb_inv((uint32_t)n);
    uint32_t *c = zk_calloc(n, sizeof(uint32_t));
    uint32_t *e = zk_calloc(2 * n, sizeof(uint32_t));
    assert_non_null(c);
    assert_non_null(e);
    for (size_t j = 0; j < n; j++) {
        uint32_t x = bb_pow(winv, j), pw = 1, acc = 0;
        for (size_t i = 0; i < n; i++) {
            acc = bb_add(acc, bb_mul(col[i], pw));
            pw = bb_mul(pw, x);
        }
        c[j] = bb_mul(acc, ninv);
    }
    uint32_t g = bb_two_adic_generator(log_n + 1);
    for (size_t j = 0; j < 2 * n; j++) {
        uint32_t x = bb_mul(31, bb_pow(g, j)), v = 0;
        for (size_t i = n; i-- > 0;) {
            v = bb_add(bb_mul(v, x), c[i]);
        }
        e[j] = v;
    }
    for (size_t r = 0; r < 2 * n; r++) {
        out[r] = e[ref_bitrev(r, log_n + 1)];
    }
    zk_free(c);
    zk_free(e);
}

struct ref_mat {
    size_t w;
    unsigned lh;
    size_t n_rows;      /* real rows; the rest is padding */
    bool pad_with_row0; /* else zeros */
    uint32_t *full;     /* 2^lh x w, padding applied */
    uint32_t *lde;      /* 2^(lh+1) x w, committed rows */
};

static void ref_mat_make(struct ref_mat *m, size_t w, unsigned lh,
                         size_t n_rows, bool pad_with_row0)
{
    size_t h = (size_t)1 << lh;
    m->w = w;
    m->lh = lh;
    m->n_rows = n_rows;
    m->pad_with_row0 = pad_with_row0;
    m->full = zk_calloc(h * w, sizeof(uint32_t));
    m->lde = zk_calloc(2 * h * w, sizeof(uint32_t));
    uint32_t *col = zk_calloc(h, sizeof(uint32_t));
    uint32_t *ecol = zk_calloc(2 * h, sizeof(uint32_t));
    assert_true(m->full && m->lde && col && ecol);
    for (size_t r = 0; r < h; r++) {
        for (size_t c = 0; c < w; c++) {
            uint32_t v;
            if (r < n_rows) {
                v = rng_next() % 3 == 0 ? rng_fe()
                                        : (uint32_t)(rng_next() & 255);
            } else {
                v = pad_with_row0 && n_rows > 0 ? m->full[c] : 0;
            }
            m->full[r * w + c] = v;
        }
    }
    for (size_t c = 0; c < w; c++) {
        for (size_t r = 0; r < h; r++) {
            col[r] = m->full[r * w + c];
        }
        ref_lde(ecol, col, lh);
        for (size_t r = 0; r < 2 * h; r++) {
            m->lde[r * w + c] = ecol[r];
        }
    }
    zk_free(col);
    zk_free(ecol);
}

static void ref_mat_free(struct ref_mat *m)
{
    zk_free(m->full);
    zk_free(m->lde);
}

/* Hash of row r of every matrix whose LDE has `rows` rows, in order. */
static void ref_row_hash(uint32_t out[8], struct ref_mat **order, size_t n,
                         size_t rows, size_t r)
{
    uint32_t buf[2048];
    size_t len = 0;
    for (size_t k = 0; k < n; k++) {
        if (((size_t)2 << order[k]->lh) == rows) {
            memcpy(buf + len, order[k]->lde + r * order[k]->w,
                   order[k]->w * sizeof(uint32_t));
            len += order[k]->w;
        }
    }
    assert_true(len > 0);
    vk_poseidon2_hash(out, buf, len);
}

static bool ref_has_rows(struct ref_mat **order, size_t n, size_t rows)
{
    for (size_t k = 0; k < n; k++) {
        if (((size_t)2 << order[k]->lh) == rows) {
            return true;
        }
    }
    return false;
}

static void ref_commit(uint32_t root[8], struct ref_mat *mats, size_t n)
{
    struct ref_mat *order[16] = {NULL};
    size_t cnt = 0;
    assert_true(n > 0 && n <= 16);
    for (int lh = 30; lh >= 0; lh--) { /* stable: tallest first */
        for (size_t k = 0; k < n; k++) {
            if (mats[k].lh == (unsigned)lh) {
                order[cnt++] = &mats[k];
            }
        }
    }
    assert_int_equal(cnt, n); /* every height in 0..30 */
    size_t len = (size_t)2 << order[0]->lh;
    uint32_t *layer = zk_calloc(len, 8 * sizeof(uint32_t));
    assert_non_null(layer);
    for (size_t r = 0; r < len; r++) {
        ref_row_hash(layer + 8 * r, order, cnt, len, r);
    }
    while (len > 1) {
        size_t half = len / 2;
        for (size_t i = 0; i < half; i++) {
            uint32_t t[8];
            vk_poseidon2_compress(t, layer + 16 * i, layer + 16 * i + 8);
            if (ref_has_rows(order, cnt, half)) {
                uint32_t h[8];
                ref_row_hash(h, order, cnt, half, i);
                vk_poseidon2_compress(t, t, h);
            }
            memcpy(layer + 8 * i, t, sizeof(t));
        }
        len = half;
    }
    memcpy(root, layer, 8 * sizeof(uint32_t));
    zk_free(layer);
}

static void engine_matches_reference(struct ref_mat *mats, size_t n)
{
    struct vk_matrix vm[16];
    uint32_t want[8], got[8];
    for (size_t k = 0; k < n; k++) {
        vm[k].width = mats[k].w;
        vm[k].log_height = mats[k].lh;
        vm[k].data = mats[k].full;
        vm[k].n_rows = mats[k].n_rows;
        vm[k].pad_row = mats[k].pad_with_row0 ? mats[k].full : NULL;
    }
    ref_commit(want, mats, n);
    for (unsigned t = 1; t <= 3; t++) {
        assert_int_equal(vk_commit(got, vm, n, t), ZK_OK);
        assert_memory_equal(got, want, sizeof(got));
    }
}

static void lde_matches_naive_dft_with_every_kernel_set(void **state)
{
    const unsigned lh = 6;
    const size_t n = (size_t)1 << lh;
    struct ref_mat m;
    (void)state;
    ref_mat_make(&m, VK_NTT_LANES, lh, n, false);
    uint32_t *buf = zk_calloc(n, VK_NTT_LANES * sizeof(uint32_t));
    assert_non_null(buf);
    for (unsigned simd = 0; simd <= 2; simd++) {
        for (unsigned bl = 1; bl <= 8; bl += 3) {
            struct vk_ntt_plan plan;
            assert_int_equal(vk_ntt_plan_init(&plan, lh, 2), ZK_OK);
            plan.block_log = bl;
            plan.simd = simd < plan.simd ? simd : plan.simd;
            for (unsigned seg = 0; seg < 2; seg++) {
                for (size_t q = 0; q < n; q++) {
                    memcpy(buf + q * VK_NTT_LANES,
                           m.full + ref_bitrev(q, lh) * VK_NTT_LANES,
                           VK_NTT_LANES * sizeof(uint32_t));
                }
                vk_ntt_lde_segment(&plan, buf, seg);
                const uint32_t *want = m.lde + seg * n * VK_NTT_LANES;
                for (size_t i = 0; i < n * VK_NTT_LANES; i++) {
                    assert_int_equal(bb_from_mont(buf[i]), want[i]);
                }
            }
            vk_ntt_plan_cleanup(&plan);
        }
    }
    zk_free(buf);
    ref_mat_free(&m);
}

static void commit_equal_heights_like_v3_matches_reference(void **state)
{
    struct ref_mat m[3];
    (void)state;
    /* MemoryProgram 6 + Program 37 at the same height, Byte injected */
    ref_mat_make(&m[0], 6, 5, 20, false);
    ref_mat_make(&m[1], 37, 5, 13, false);
    ref_mat_make(&m[2], 11, 3, 8, false);
    engine_matches_reference(m, 3);
    for (int i = 0; i < 3; i++) {
        ref_mat_free(&m[i]);
    }
}

static void commit_program_taller_than_memory_matches_reference(void **s)
{
    struct ref_mat m[3];
    (void)s;
    /* Program 2^6 alone forms the leaves; MemoryProgram 2^5 and Byte
     * 2^3 are injected one and three layers up. Given in SP1's order. */
    ref_mat_make(&m[0], 37, 6, 40, false);
    ref_mat_make(&m[1], 6, 5, 32, false);
    ref_mat_make(&m[2], 11, 3, 8, false);
    engine_matches_reference(m, 3);
    for (int i = 0; i < 3; i++) {
        ref_mat_free(&m[i]);
    }
}

static void commit_memory_taller_and_unsorted_input_matches_reference(void **s)
{
    struct ref_mat m[4];
    (void)s;
    /* deliberately unsorted: the engine sorts stably by height */
    ref_mat_make(&m[0], 11, 3, 8, false);
    ref_mat_make(&m[1], 37, 4, 3, false);
    ref_mat_make(&m[2], 6, 6, 50, false);
    ref_mat_make(&m[3], 2, 4, 16, false);
    engine_matches_reference(m, 4);
    for (int i = 0; i < 4; i++) {
        ref_mat_free(&m[i]);
    }
}

static void commit_edge_shapes_match_reference(void **state)
{
    struct ref_mat m[2];
    (void)state;
    ref_mat_make(&m[0], 8, 4, 5, true); /* v5-style padding = row 0 */
    engine_matches_reference(m, 1);
    ref_mat_free(&m[0]);
    ref_mat_make(&m[0], 1, 0, 1, false); /* one row, one column */
    engine_matches_reference(m, 1);
    ref_mat_free(&m[0]);
    ref_mat_make(&m[0], 17, 2, 0, false); /* all padding */
    ref_mat_make(&m[1], 9, 1, 2, true);
    engine_matches_reference(m, 2);
    ref_mat_free(&m[0]);
    ref_mat_free(&m[1]);
}

static void commit_large_column_uses_blocked_stages(void **state)
{
    struct ref_mat m;
    (void)state;
    if (quick_mode()) {
        skip();
    }
    ref_mat_make(&m, 3, 13, 5000, false); /* 2^13 > the 2^12 cache block */
    engine_matches_reference(&m, 1);
    ref_mat_free(&m);
}

struct conc_job {
    const struct vk_matrix *m;
    size_t n;
    uint32_t root[8];
    enum zk_err err;
};

static void *conc_main(void *arg)
{
    struct conc_job *j = arg;
    for (int k = 0; k < 4 && j->err == ZK_OK; k++) {
        j->err = vk_commit(j->root, j->m, j->n, 2);
    }
    return NULL;
}

/* vk_commit is reentrant: concurrent calls (each with its own worker
 * pool) give the reference root. */
static void commit_is_reentrant_across_threads(void **state)
{
    struct ref_mat m[2];
    struct vk_matrix vm[2];
    uint32_t want[8];
    struct conc_job jobs[3];
    pthread_t tid[3];
    (void)state;
    ref_mat_make(&m[0], 13, 6, 40, false);
    ref_mat_make(&m[1], 5, 4, 16, false);
    for (size_t k = 0; k < 2; k++) {
        vm[k] =
            (struct vk_matrix){m[k].w, m[k].lh, m[k].full, m[k].n_rows, NULL};
    }
    ref_commit(want, m, 2);
    for (int t = 0; t < 3; t++) {
        jobs[t] = (struct conc_job){vm, 2, {0}, ZK_OK};
        assert_int_equal(pthread_create(&tid[t], NULL, conc_main, &jobs[t]), 0);
    }
    for (int t = 0; t < 3; t++) {
        pthread_join(tid[t], NULL);
        assert_int_equal(jobs[t].err, ZK_OK);
        assert_memory_equal(jobs[t].root, want, sizeof(want));
    }
    ref_mat_free(&m[0]);
    ref_mat_free(&m[1]);
}

static void commit_rejects_bad_shapes(void **state)
{
    uint32_t root[8], data[4] = {1, 2, 3, 4};
    struct vk_matrix m = {2, 1, data, 2, NULL};
    (void)state;
    assert_int_equal(vk_commit(root, &m, 0, 1), ZK_EINVAL);
    m.width = 0;
    assert_int_equal(vk_commit(root, &m, 1, 1), ZK_EINVAL);
    m.width = 2;
    m.n_rows = 3; /* more rows than the height */
    assert_int_equal(vk_commit(root, &m, 1, 1), ZK_EINVAL);
    m.n_rows = 2;
    m.log_height = VK_COMMIT_MAX_LOG_HEIGHT + 1;
    assert_int_equal(vk_commit(root, &m, 1, 1), ZK_EINVAL);
    m.log_height = 1;
    m.data = NULL;
    assert_int_equal(vk_commit(root, &m, 1, 1), ZK_EINVAL);
    m.data = data;
    assert_int_equal(vk_commit(root, &m, 1, 1), ZK_OK);
}

/* ---- transpiler ---- */

static uint32_t enc_r(uint32_t f7, uint32_t rs2, uint32_t rs1, uint32_t f3,
                      uint32_t rd, uint32_t op)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t enc_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd,
                      uint32_t op)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static uint32_t enc_s(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3,
                      uint32_t op)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 5 & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((u & 31) << 7) | op;
}

static uint32_t enc_b(int32_t imm, uint32_t rs2, uint32_t rs1, uint32_t f3)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 12 & 1) << 31) | ((u >> 5 & 0x3f) << 25) | (rs2 << 20) |
           (rs1 << 15) | (f3 << 12) | ((u >> 1 & 0xf) << 8) |
           ((u >> 11 & 1) << 7) | 0x63;
}

static uint32_t enc_j(int32_t imm, uint32_t rd)
{
    uint32_t u = (uint32_t)imm;
    return ((u >> 20 & 1) << 31) | ((u >> 1 & 0x3ff) << 21) |
           ((u >> 11 & 1) << 20) | ((u >> 12 & 0xff) << 12) | (rd << 7) | 0x6f;
}

static void expect(uint32_t w, enum vk_v3_opcode op, uint32_t a, uint32_t b,
                   uint32_t c, bool ib, bool ic)
{
    struct vk_insn in;
    if (!vk_transpile_v3(w, &in)) {
        fail_msg("0x%08x should transpile", w);
    }
    if (in.opcode != op || in.op_a != a || in.op_b != b || in.op_c != c ||
        in.imm_b != ib || in.imm_c != ic) {
        fail_msg("0x%08x -> op %d a %u b %u c 0x%x ib %d ic %d", w,
                 (int)in.opcode, in.op_a, in.op_b, in.op_c, in.imm_b, in.imm_c);
    }
}

static void transpile_maps_every_instruction_class_like_sp1_v3(void **s)
{
    (void)s;
    expect(0x003100b3, VK_V3_ADD, 1, 2, 3, false, false); /* add x1,x2,x3 */
    expect(enc_r(0x20, 3, 2, 0, 1, 0x33), VK_V3_SUB, 1, 2, 3, false, false);
    expect(enc_r(0x20, 3, 2, 5, 1, 0x33), VK_V3_SRA, 1, 2, 3, false, false);
    expect(enc_r(0x01, 3, 2, 2, 1, 0x33), VK_V3_MULHSU, 1, 2, 3, false, false);
    expect(enc_r(0x01, 3, 2, 3, 1, 0x33), VK_V3_MULHU, 1, 2, 3, false, false);
    expect(enc_r(0x01, 3, 2, 7, 1, 0x33), VK_V3_REMU, 1, 2, 3, false, false);
    expect(enc_i(-1, 6, 0, 5, 0x13), VK_V3_ADD, 5, 6, 0xffffffffu, false, true);
    expect(enc_i(-2048, 6, 3, 5, 0x13), VK_V3_SLTU, 5, 6, 0xfffff800u, false,
           true);
    expect(enc_i(0x403, 2, 5, 1, 0x13), VK_V3_SRA, 1, 2, 3, false, true);
    expect(enc_i(0x003, 2, 5, 1, 0x13), VK_V3_SRL, 1, 2, 3, false, true);
    /* slli: rrs-lib does not check funct7 */
    expect(enc_i(0x7e5, 2, 1, 1, 0x13), VK_V3_SLL, 1, 2, 5, false, true);
    expect(enc_i(-4, 8, 2, 7, 0x03), VK_V3_LW, 7, 8, 0xfffffffcu, false, true);
    expect(enc_i(12, 8, 4, 7, 0x03), VK_V3_LBU, 7, 8, 12, false, true);
    /* stores: op_a is the stored register rs2 */
    expect(enc_s(-4, 7, 8, 2, 0x23), VK_V3_SW, 7, 8, 0xfffffffcu, false, true);
    expect(enc_s(2047, 9, 1, 0, 0x23), VK_V3_SB, 9, 1, 2047, false, true);
    expect(enc_b(-8, 2, 1, 0), VK_V3_BEQ, 1, 2, 0xfffffff8u, false, true);
    expect(enc_b(4094, 3, 4, 7), VK_V3_BGEU, 4, 3, 4094, false, true);
    expect(enc_b(-4096, 3, 4, 6), VK_V3_BLTU, 4, 3, 0xfffff000u, false, true);
    expect(enc_j(2048, 1), VK_V3_JAL, 1, 2048, 0, true, true);
    expect(enc_j(-1048576, 0), VK_V3_JAL, 0, 0xfff00000u, 0, true, true);
    expect(enc_i(16, 1, 0, 0, 0x67), VK_V3_JALR, 0, 1, 16, false, true);
    expect(enc_i(16, 1, 7, 0, 0x67), VK_V3_JALR, 0, 1, 16, false, true);
    /* lui becomes ADD rd, x0, imm with both immediates */
    expect(0x123451b7, VK_V3_ADD, 3, 0, 0x12345000u, true, true);
    expect(0xfffff197, VK_V3_AUIPC, 3, 0xfffff000u, 0xfffff000u, true, true);
    expect(0x00000073, VK_V3_ECALL, 5, 10, 11, false, false);
    expect(0x00100073, VK_V3_EBREAK, 0, 0, 0, false, false);
    expect(0x0ff0000f, VK_V3_UNIMP, 0, 0, 0, true, true); /* fence */
    expect(0x30200073, VK_V3_UNIMP, 0, 0, 0, true, true); /* mret */
    expect(0x10500073, VK_V3_UNIMP, 0, 0, 0, true, true); /* wfi */
    expect(0x34011173, VK_V3_UNIMP, 0, 0, 0, true, true); /* csrrw */
    expect(0xc0002573, VK_V3_UNIMP, 0, 0, 0, true, true); /* rdcycle */
}

static void transpile_rejects_what_rrs_lib_cannot_decode(void **s)
{
    static const uint32_t bad[] = {
        0x00000000, 0xffffffff, 0x00000001, /* compressed */
        0x0000100f,                         /* fence.i */
        0x00004073,                         /* SYSTEM funct3 4 */
        0x000000f3,                         /* ecall with rd != 0 */
        0x00008073,                         /* ecall with rs1 != 0 */
        0x00200073,                         /* uret-like imm 2 */
        0x10200073,                         /* sret */
        0x00003003,                         /* ld (funct3 3) */
        0x00006003,                         /* lwu */
        0x00003023,                         /* sd */
        0x00002063,                         /* branch funct3 2 */
        0x0000001b,                         /* OP-IMM-32 (RV64) */
        0x4000103b,
    };
    struct vk_insn in;
    (void)s;
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad); i++) {
        if (vk_transpile_v3(bad[i], &in)) {
            fail_msg("0x%08x should not decode", bad[i]);
        }
    }
    assert_false(vk_transpile_v3(enc_r(0x20, 1, 1, 1, 1, 0x33), &in));
    assert_false(vk_transpile_v3(enc_r(0x02, 1, 1, 0, 1, 0x33), &in));
    assert_false(vk_transpile_v3(enc_i(0x203, 2, 5, 1, 0x13), &in));
}

/* Two independent decoders (zkvm's executor decoder and this transpiler)
 * must agree on which words SP1 accepts. */
static void transpile_accepts_exactly_what_the_zkvm_decoder_accepts(void **s)
{
    struct vk_insn in;
    struct zkvm_insn z;
    (void)s;
    for (uint32_t op = 0; op < 128; op++) {
        for (uint32_t f3 = 0; f3 < 8; f3++) {
            for (uint32_t f7 = 0; f7 < 128; f7++) {
                uint32_t w = (f7 << 25) | (f3 << 12) | op |
                             ((uint32_t)rng_next() & 0x01f08f80u);
                if (rng_next() & 1) {
                    w &= ~0x01f08f80u; /* rd = rs1 = rs2 = 0 half the time */
                }
                bool a = vk_transpile_v3(w, &in), b = zkvm_decode(w, &z);
                if (a != b) {
                    fail_msg("0x%08x: transpile %d, zkvm_decode %d", w, a, b);
                }
            }
        }
    }
    for (int i = 0; i < (quick_mode() ? 20000 : 2000000); i++) {
        uint32_t w = (uint32_t)rng_next();
        bool a = vk_transpile_v3(w, &in), b = zkvm_decode(w, &z);
        if (a != b) {
            fail_msg("0x%08x: transpile %d, zkvm_decode %d", w, a, b);
        }
    }
}

static void program_rows_follow_the_v3_column_layout(void **s)
{
    const uint32_t insns[4] = {
        enc_i(-4, 8, 2, 7, 0x03), /* lw x7, -4(x8) */
        enc_s(8, 0, 2, 1, 0x23),  /* sh x0, 8(x2) */
        0x00100073,               /* ebreak */
        0x123451b7,               /* lui x3, 0x12345 */
    };
    uint32_t rows[4 * 37];
    (void)s;
    assert_int_equal(vk_v3_program_rows(rows, insns, 4, 0x200800), ZK_OK);
    const uint32_t want0[37] = {0x200800, 12,   7,    0,    0, 0, 8, 0, 0, 0,
                                0xfc,     0xff, 0xff, 0xff, 0, 0, 1, 0, 0, 0,
                                0,        0,    0,    1,    0, 0, 0, 0, 0, 0,
                                0,        0,    0,    0,    0, 0, 0};
    assert_memory_equal(rows, want0, sizeof(want0));
    const uint32_t *r1 = rows + 37; /* sh with op_a = x0 */
    assert_int_equal(r1[0], 0x200804);
    assert_int_equal(r1[1], VK_V3_SH);
    assert_int_equal(r1[14], 1);    /* op_a == 0 */
    assert_int_equal(r1[25], 1);    /* is_sh */
    const uint32_t *r2 = rows + 74; /* ebreak: no selector at all */
    assert_int_equal(r2[1], VK_V3_EBREAK);
    for (int c = 17; c < 37; c++) {
        assert_int_equal(r2[c], 0);
    }
    const uint32_t *r3 = rows + 111; /* lui counts as ALU */
    assert_int_equal(r3[1], VK_V3_ADD);
    assert_int_equal(r3[12], 0x34);
    assert_int_equal(r3[13], 0x12);
    assert_int_equal(r3[15], 1);
    assert_int_equal(r3[16], 1);
    assert_int_equal(r3[17], 1);
    const uint32_t bad[2] = {0x00000013, 0x0000100f};
    assert_int_equal(vk_v3_program_rows(rows, bad, 2, 0), ZK_EINVAL);
}

/* ---- end to end on the fixture ELFs (vkeys.json) ---- */

static cJSON *load_manifest(void)
{
    size_t len = 0;
    uint8_t *txt = fixture_read("vk", "vkeys.json", &len);
    cJSON *j = cJSON_Parse((const char *)txt);
    zk_free(txt);
    assert_non_null(j);
    return j;
}

static void load_program(struct zkvm_program *p, const char *file)
{
    size_t len = 0;
    uint8_t *elf = fixture_read("vk", file, &len);
    memset(p, 0, sizeof(*p));
    assert_int_equal(zkvm_program_load(p, elf, len, ZKVM_SP1_AUTO), ZK_OK);
    zk_free(elf);
}

static void check_fixture(const cJSON *fx, bool full)
{
    const char *file = cJSON_GetObjectItem(fx, "file")->valuestring;
    const char *b32 = cJSON_GetObjectItem(fx, "bytes32")->valuestring;
    const char *hb = cJSON_GetObjectItem(fx, "hash_bytes")->valuestring;
    const cJSON *hu = cJSON_GetObjectItem(fx, "hash_u32");
    const cJSON *der = cJSON_GetObjectItem(fx, "derived");
    uint32_t want_u32[8], dec_u32[8];
    uint8_t want_hb[32], dec_hb[32];
    for (int i = 0; i < 8; i++) {
        want_u32[i] = (uint32_t)cJSON_GetArrayItem(hu, i)->valuedouble;
    }
    assert_int_equal(zk_hex_decode_exact(want_hb, 32, hb), ZK_OK);
    /* the bytes32 inverse is exact (sp1-vk.md 7) */
    assert_int_equal(vk_bytes32_decode(dec_u32, dec_hb, b32), ZK_OK);
    assert_memory_equal(dec_u32, want_u32, sizeof(dec_u32));
    assert_memory_equal(dec_hb, want_hb, 32);
    struct vk_result r;
    memset(&r, 0, sizeof(r));
    memcpy(r.hash_u32, want_u32, sizeof(want_u32));
    vk_result_encode(&r);
    assert_string_equal(r.bytes32, b32);
    assert_memory_equal(r.hash_bytes, want_hb, 32);
    if (!full) {
        return;
    }
    struct zkvm_program p;
    load_program(&p, file);
    assert_int_equal(vk_compute(&r, &p), ZK_OK);
    fprintf(stderr, "test_vk: %s -> %s\n", file, r.bytes32);
    assert_string_equal(r.bytes32, b32);
    assert_memory_equal(r.hash_u32, want_u32, sizeof(want_u32));
    assert_memory_equal(r.hash_bytes, want_hb, 32);
    const cJSON *commit = cJSON_GetObjectItem(der, "commit");
    for (int i = 0; i < 8; i++) {
        assert_int_equal(r.commit[i],
                         (uint32_t)cJSON_GetArrayItem(commit, i)->valuedouble);
    }
    assert_int_equal(
        r.pc_start,
        strtoul(cJSON_GetObjectItem(der, "pc_start")->valuestring, NULL, 16));
    assert_int_equal(r.n_insns,
                     cJSON_GetObjectItem(der, "instructions")->valueint);
    assert_int_equal(r.n_image,
                     cJSON_GetObjectItem(der, "memory_words")->valueint);
    const cJSON *lh = cJSON_GetObjectItem(der, "log2_heights");
    assert_int_equal(r.n_chips, 3);
    for (size_t c = 0; c < r.n_chips; c++) {
        assert_int_equal(r.chips[c].log_height,
                         cJSON_GetObjectItem(lh, r.chips[c].name)->valueint);
    }
    assert_string_equal(r.chips[0].name, "MemoryProgram");
    assert_string_equal(r.chips[1].name, "Program");
    assert_string_equal(r.chips[2].name, "Byte");
    assert_int_equal(r.version.major, ZKVM_SP1_V3);
    zkvm_program_cleanup(&p);
}

static void vk_of_every_fixture_elf_matches_published_vkey(void **state)
{
    cJSON *j = load_manifest();
    const cJSON *fx;
    size_t n = 0;
    (void)state;
    cJSON_ArrayForEach(fx, cJSON_GetObjectItem(j, "fixtures"))
    {
        /* ~1-2 s each natively; too slow under valgrind (ZK_TEST_QUICK) */
        check_fixture(fx, !quick_mode());
        n++;
    }
    assert_true(n >= 3);
    cJSON_Delete(j);
}

static void bytes32_decode_rejects_non_digests(void **state)
{
    uint32_t u[8];
    (void)state;
    /* >= 2^248 */
    assert_int_equal(
        vk_bytes32_decode(u, NULL,
                          "0x0167584e2e560847e9e96b5102c082f5e0715542"
                          "9c6622988799df9d95dbb47"),
        ZK_EINVAL);
    assert_int_equal(
        vk_bytes32_decode(u, NULL,
                          "0x0100000000000000000000000000000000000000"
                          "000000000000000000000000"),
        ZK_EINVAL);
    /* lowest limb = 2^31 - 1 >= p */
    assert_int_equal(
        vk_bytes32_decode(u, NULL,
                          "0x0000000000000000000000000000000000000000"
                          "00000000000000007fffffff"),
        ZK_EINVAL);
    assert_int_equal(vk_bytes32_decode(u, NULL, "0x00"), ZK_EINVAL);
    assert_int_equal(vk_bytes32_decode(u, NULL, "zz"), ZK_EINVAL);
    assert_int_equal(
        vk_bytes32_decode(u, NULL,
                          "0x0000000000000000000000000000000000000000"
                          "000000000000000078000000"),
        ZK_OK);
    assert_int_equal(u[7], 0x78000000);
}

/* ---- hostile programs ---- */

static void vk_refuses_bad_programs_with_clear_errors(void **state)
{
    struct zkvm_program p;
    struct vk_result r;
    uint32_t insns[3] = {0x00000013, 0xffffffff, 0x00000013};
    (void)state;
    memset(&p, 0, sizeof(p));
    p.version.major = ZKVM_SP1_V3;
    p.insns = insns;
    p.n_insns = 3;
    assert_int_equal(vk_compute(&r, &p), ZK_EINVAL); /* undecodable word */
    assert_int_equal(r.bytes32[0], '\0');
    p.n_insns = ((size_t)1 << 22) + 1; /* SP1 has no shape for this */
    assert_int_equal(vk_compute(&r, &p), ZK_ELIMIT);
    p.n_insns = 0;
    p.n_image = ((size_t)1 << 22) + 1;
    assert_int_equal(vk_compute(&r, &p), ZK_ELIMIT);
    p.n_image = 0;
    p.version.major = (enum zkvm_sp1_major)6;
    assert_int_equal(vk_compute(&r, &p), ZK_EUNSUPPORTED);
    p.version.major = ZKVM_SP1_AUTO;
    assert_int_equal(vk_compute(&r, &p), ZK_EUNSUPPORTED);
}

static void mutated_fixture_elfs_never_crash_the_transpiler(void **state)
{
    size_t len = 0;
    uint8_t *elf =
        fixture_read("vk", "sp1-v3.0.0-examples-fibonacci.elf", &len);
    uint8_t *mut = zk_malloc(len);
    int loaded = 0;
    (void)state;
    assert_non_null(mut);
    enum zk_log_level lvl = zk_log_get_level();
    zk_log_set_level(ZK_LOG_SILENT);
    for (int it = 0; it < (quick_mode() ? 20 : 300); it++) {
        memcpy(mut, elf, len);
        size_t cut = len;
        if (it % 3 == 0) {
            cut = (size_t)(rng_next() % len);
        }
        for (int k = 0; k < 1 + it % 8; k++) {
            mut[rng_next() % cut] ^= (uint8_t)(1u << (rng_next() % 8));
        }
        struct zkvm_program p;
        memset(&p, 0, sizeof(p));
        if (zkvm_program_load(&p, mut, cut, ZKVM_SP1_V3) == ZK_OK) {
            loaded++;
            uint32_t *rows = zk_calloc(p.n_insns + 1, 37 * sizeof(uint32_t));
            assert_non_null(rows);
            /* the loader validated decoding; the transpiler must agree */
            assert_int_equal(
                vk_v3_program_rows(rows, p.insns, p.n_insns, p.pc_base), ZK_OK);
            zk_free(rows);
        }
        zkvm_program_cleanup(&p);
    }
    zk_log_set_level(lvl);
    fprintf(stderr, "test_vk: %d mutated ELFs still loaded\n", loaded);
    zk_free(mut);
    zk_free(elf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(babybear_ops_match_naive_modular_arithmetic),
        cmocka_unit_test(two_adic_generators_match_spec_table),
        cmocka_unit_test(poseidon2_permutes_zero_state_like_sp1),
        cmocka_unit_test(poseidon2_sponge_matches_vkeys_json_vectors),
        cmocka_unit_test(
            poseidon2_short_and_empty_inputs_follow_overwrite_sponge),
        cmocka_unit_test(poseidon2_simd_batch_matches_scalar),
        cmocka_unit_test(lde_matches_naive_dft_with_every_kernel_set),
        cmocka_unit_test(commit_equal_heights_like_v3_matches_reference),
        cmocka_unit_test(commit_program_taller_than_memory_matches_reference),
        cmocka_unit_test(
            commit_memory_taller_and_unsorted_input_matches_reference),
        cmocka_unit_test(commit_edge_shapes_match_reference),
        cmocka_unit_test(commit_large_column_uses_blocked_stages),
        cmocka_unit_test(commit_is_reentrant_across_threads),
        cmocka_unit_test(commit_rejects_bad_shapes),
        cmocka_unit_test(transpile_maps_every_instruction_class_like_sp1_v3),
        cmocka_unit_test(transpile_rejects_what_rrs_lib_cannot_decode),
        cmocka_unit_test(
            transpile_accepts_exactly_what_the_zkvm_decoder_accepts),
        cmocka_unit_test(program_rows_follow_the_v3_column_layout),
        cmocka_unit_test(bytes32_decode_rejects_non_digests),
        cmocka_unit_test(vk_of_every_fixture_elf_matches_published_vkey),
        cmocka_unit_test(vk_refuses_bad_programs_with_clear_errors),
        cmocka_unit_test(mutated_fixture_elfs_never_crash_the_transpiler),
    };
    rng_seed();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
