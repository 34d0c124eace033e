/*
 * vk_v45.c - SP1 v4/v5 front ends of the vk digest (sp1-vk-v4v5.md).
 *
 * Pipeline: transpile every instruction into the 14-column Program trace
 * (§3, §4.2), add the fixed Byte table (§4.3 of sp1-vk.md), commit both
 * with the shared engine (vk/commit.h), lift the memory image onto the
 * septic curve (vk/septic.h), and hash it all (§8). The two versions differ
 * only in the Program padding (v5 repeats row 0) and in the per-chip data
 * of the final hash.
 */
#include <config.h>

#include "vk/vk_v45.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/commit.h"
#include "vk/poseidon2.h"
#include "vk/transpile.h"
#include "vk/vk_int.h"

#define BYTE_WIDTH      11
#define BYTE_LOG_HEIGHT 16
#define MIN_PROGRAM_LOG 19 /* fixed core shapes: Program in 2^19..2^22 */
#define MAX_PROGRAM_LOG 22
#define MIN_FREE_LOG    4 /* FIX_CORE_SHAPES=false: at least 16 rows */

/*
 * SP1 v4/v5 opcode numbers (§3.1, dense 0..37) indexed by the v3 number:
 * the decoder and the operand mapping did not change, only the numbering.
 * 0xff marks the two numbers v3 never used (26, 38).
 */
static const uint8_t v45_opcode_of_v3[40] = {
    /* ADD..SLTU 0..9 keep their numbers */
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    /* LB LH LW LBU LHU SB SH SW (v3 10..17) -> 18..25 */
    18, 19, 20, 21, 22, 23, 24, 25,
    /* BEQ BNE BLT BGE BLTU BGEU JAL JALR (v3 18..25) -> 26..33 */
    26, 27, 28, 29, 30, 31, 32, 33, 0xff, /* 26 unused */
    /* AUIPC ECALL EBREAK (v3 27..29) -> 34..36 */
    34, 35, 36,
    /* MUL MULH MULHU MULHSU DIV DIVU REM REMU (v3 30..37) -> 10..17 */
    10, 11, 12, 13, 14, 15, 16, 17, 0xff, /* 38 unused */
    37,                                   /* UNIMP */
};

enum zk_err vk_v45_program_row(uint32_t row[VK_V45_PROGRAM_WIDTH], uint32_t pc,
                               uint32_t word)
{
    struct vk_insn s;
    if (!vk_transpile_v3(word, &s) || (unsigned)s.opcode >= 40 ||
        v45_opcode_of_v3[s.opcode] == 0xff) {
        return ZK_EINVAL;
    }
    /* SP1 turns a u32 into a field element with a plain reduction. */
    row[0] = pc % BB_P;
    row[1] = v45_opcode_of_v3[s.opcode];
    row[2] = s.op_a; /* one element: a register number (or 5 for ECALL) */
    for (int i = 0; i < 4; i++) {
        row[3 + i] = (s.op_b >> (8 * i)) & 0xff;
        row[7 + i] = (s.op_c >> (8 * i)) & 0xff;
    }
    row[11] = s.op_a == 0;
    row[12] = s.imm_b;
    row[13] = s.imm_c;
    return ZK_OK;
}

/* ---- version selection ---- */

/* The pre-release number in a version text such as "4.0.0-rc.9", or -1. */
static int prerelease_rc(const char *text)
{
    const char *rc = strstr(text, "-rc.");
    int n = 0;
    if (rc == NULL) {
        return strchr(text, '-') != NULL ? 0 : -1; /* other pre-release */
    }
    rc += 4;
    if (*rc < '0' || *rc > '9') {
        return 0;
    }
    while (*rc >= '0' && *rc <= '9' && n < 1000) {
        n = 10 * n + (*rc++ - '0');
    }
    return n;
}

enum zk_err vk_v45_algorithm(const struct zkvm_sp1_version *v,
                             enum vk_v45_algo *algo_out)
{
    *algo_out = VK_V45_NONE;
    if (v->major != ZKVM_SP1_V4 && v->major != ZKVM_SP1_V5) {
        zk_error("vk: v4/v5: SP1 %s is not v4 or v5", v->text);
        return ZK_EUNSUPPORTED;
    }
    if (v->source == ZKVM_VERSION_FORCED) {
        *algo_out = (enum vk_v45_algo)v->major;
        return ZK_OK;
    }
    if (v->source != ZKVM_VERSION_STRING || v->minor < 0) {
        zk_error("vk: v4/v5: SP1 version %s was guessed, not read from an "
                 "sp1-zkvm-X.Y.Z marker; refusing to guess a vk (force the "
                 "version to override)",
                 v->text);
        return ZK_EUNSUPPORTED;
    }
    /* Releases checked against public vkeys or by source diff (§9). */
    if (v->minor > 2) {
        zk_error("vk: v4/v5: SP1 %s is newer than the releases whose vk "
                 "is known (%d.0 .. %d.2)",
                 v->text, (int)v->major, (int)v->major);
        return ZK_EUNSUPPORTED;
    }
    int rc = prerelease_rc(v->text);
    if (rc >= 0 && !(v->major == ZKVM_SP1_V4 && v->minor == 0 &&
                     v->patch == 0 && rc >= 8)) {
        zk_error("vk: v4/v5: SP1 pre-release %s has no known vk algorithm "
                 "(only 4.0.0-rc.8 and later)",
                 v->text);
        return ZK_EUNSUPPORTED;
    }
    *algo_out = (enum vk_v45_algo)v->major;
    return ZK_OK;
}

/* ---- traces ---- */

/* The Byte table (sp1-vk.md §4.3): row 256 b + c. */
static void byte_trace(uint32_t *t)
{
    for (uint32_t b = 0; b < 256; b++) {
        for (uint32_t c = 0; c < 256; c++) {
            uint32_t *r = t + (size_t)(256 * b + c) * BYTE_WIDTH;
            uint32_t s = c & 7;
            r[0] = b;
            r[1] = c;
            r[2] = b & c;
            r[3] = b | c;
            r[4] = b ^ c;
            r[5] = (b << s) & 0xff;
            r[6] = b >> s;
            r[7] = b & ((1u << s) - 1);
            r[8] = b < c;
            r[9] = b >> 7;
            r[10] = 256 * b + c;
        }
    }
}

struct rows_ctx {
    const struct zkvm_program *prog;
    uint32_t *rows;
    size_t bad; /* index of a word that did not transpile, or SIZE_MAX */
};

static void rows_range(void *arg, size_t begin, size_t end)
{
    struct rows_ctx *ctx = arg;
    for (size_t k = begin; k < end; k++) {
        uint32_t pc = ctx->prog->pc_base + 4 * (uint32_t)k;
        if (vk_v45_program_row(ctx->rows + k * VK_V45_PROGRAM_WIDTH, pc,
                               ctx->prog->insns[k]) != ZK_OK) {
            /* Several threads may race here; any bad index will do. */
            __atomic_store_n(&ctx->bad, k, __ATOMIC_RELAXED);
        }
    }
}

static unsigned ceil_log2(size_t n)
{
    unsigned k = 0;
    while (((size_t)1 << k) < n) {
        k++;
    }
    return k;
}

/* ---- the final hash ---- */

#define HASH_MAX_INPUT 128

struct hash_input {
    uint32_t v[HASH_MAX_INPUT];
    size_t n;
};

static void push(struct hash_input *h, uint32_t x)
{
    ZK_ASSERT(h->n < HASH_MAX_INPUT);
    h->v[h->n++] = x;
}

static void push_chip(struct hash_input *h, const struct vk_chip *c,
                      enum vk_v45_algo algo)
{
    uint32_t height = 1u << c->log_height;
    push(h, c->log_height);
    push(h, height);
    push(h, 1); /* domain shift */
    push(h, bb_two_adic_generator(c->log_height));
    if (algo == VK_V45_V5) {
        size_t len = strlen(c->name);
        push(h, (uint32_t)c->width);
        push(h, height);
        push(h, (uint32_t)len);
        for (size_t i = 0; i < len; i++) {
            push(h, (uint8_t)c->name[i]);
        }
    }
}

static void add_chip(struct vk_result *r, const char *name, unsigned log_h,
                     size_t width)
{
    struct vk_chip *c = &r->chips[r->n_chips++];
    (void)snprintf(c->name, sizeof(c->name), "%s", name); /* literal, fits */
    c->log_height = log_h;
    c->width = width;
}

/* The checks SP1 makes (or would need) before any work; log2 of the
 * Program height. */
static enum zk_err check_program(const struct zkvm_program *prog,
                                 const struct vk_options *opts,
                                 unsigned *log_prog_out)
{
    size_t n = prog->n_insns;
    if (n == 0) {
        zk_error("vk: v4/v5: the program has no instructions");
        return ZK_EINVAL;
    }
    if (n > ((size_t)1 << MAX_PROGRAM_LOG)) {
        zk_error("vk: v4/v5: %zu instructions exceed SP1's largest Program "
                 "shape (2^%d)",
                 n, MAX_PROGRAM_LOG);
        return ZK_ELIMIT;
    }
    /* SP1 v5 refuses such images at load; v4 would hash an address it
     * cannot represent. Check before the expensive part. */
    for (size_t i = 0; i < prog->n_image; i++) {
        if (prog->image[i].addr >= BB_P) {
            zk_error("vk: v4/v5: image address 0x%08x is not below p",
                     prog->image[i].addr);
            return ZK_EINVAL;
        }
    }
    unsigned log_prog = ceil_log2(n);
    unsigned min_log = opts->no_fixed_shapes ? MIN_FREE_LOG : MIN_PROGRAM_LOG;
    *log_prog_out = log_prog < min_log ? min_log : log_prog;
    return ZK_OK;
}

/* Builds the Program and Byte traces, records the chips in SP1's order
 * (height descending, then name) and commits to them. */
static enum zk_err commit_traces(struct vk_result *out,
                                 const struct zkvm_program *prog,
                                 enum vk_v45_algo algo, unsigned log_prog,
                                 unsigned n_threads)
{
    size_t n = prog->n_insns;
    enum zk_err err;
    uint32_t *rows = zk_calloc(n, VK_V45_PROGRAM_WIDTH * sizeof(uint32_t));
    uint32_t *bytes =
        zk_calloc((size_t)1 << BYTE_LOG_HEIGHT, BYTE_WIDTH * sizeof(uint32_t));
    if (rows == NULL || bytes == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    struct rows_ctx rc = {prog, rows, SIZE_MAX};
    vk_par_for(n_threads, n, 1024, rows_range, &rc);
    if (rc.bad != SIZE_MAX) {
        zk_error("vk: v4/v5: instruction %zu (0x%08x at pc 0x%08x) does not "
                 "transpile",
                 rc.bad, prog->insns[rc.bad],
                 prog->pc_base + 4 * (uint32_t)rc.bad);
        err = ZK_EINVAL;
        goto out;
    }
    byte_trace(bytes);

    /* v5 pads the Program with copies of row 0, v4 with zeros. */
    struct vk_matrix prog_m = {VK_V45_PROGRAM_WIDTH, log_prog, rows, n,
                               algo == VK_V45_V5 ? rows : NULL};
    struct vk_matrix byte_m = {BYTE_WIDTH, BYTE_LOG_HEIGHT, bytes,
                               (size_t)1 << BYTE_LOG_HEIGHT, NULL};
    struct vk_matrix mats[2];
    bool program_first = log_prog > BYTE_LOG_HEIGHT; /* "Byte" < "Program" */
    mats[program_first ? 0 : 1] = prog_m;
    mats[program_first ? 1 : 0] = byte_m;
    if (program_first) {
        add_chip(out, "Program", log_prog, VK_V45_PROGRAM_WIDTH);
        add_chip(out, "Byte", BYTE_LOG_HEIGHT, BYTE_WIDTH);
    } else {
        add_chip(out, "Byte", BYTE_LOG_HEIGHT, BYTE_WIDTH);
        add_chip(out, "Program", log_prog, VK_V45_PROGRAM_WIDTH);
    }
    err = vk_commit(out->commit, mats, 2, n_threads);
out:
    zk_free(rows);
    zk_free(bytes);
    return err;
}

/* §8: the digest input and its sponge. */
static void final_hash(struct vk_result *out, const struct zkvm_program *prog,
                       const struct vk_septic_point *sum, enum vk_v45_algo algo)
{
    struct hash_input h = {{0}, 0};
    for (int i = 0; i < 8; i++) {
        push(&h, out->commit[i]);
    }
    push(&h, prog->pc_start % BB_P);
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        push(&h, sum->x.c[i]);
    }
    for (int i = 0; i < VK_F7_DEGREE; i++) {
        push(&h, sum->y.c[i]);
    }
    for (size_t c = 0; c < out->n_chips; c++) {
        push_chip(&h, &out->chips[c], algo);
    }
    vk_poseidon2_hash(out->hash_u32, h.v, h.n);
}

enum zk_err vk_v45_compute_detail(struct vk_result *out,
                                  struct vk_v45_detail *detail,
                                  const struct zkvm_program *prog,
                                  const struct vk_options *opts)
{
    static const struct vk_options defaults = {0, false};
    enum vk_v45_algo algo;
    struct vk_septic_point sum;
    unsigned log_prog = 0;
    enum zk_err err;

    memset(out, 0, sizeof(*out));
    if (detail != NULL) {
        memset(detail, 0, sizeof(*detail));
    }
    if (opts == NULL) {
        opts = &defaults;
    }
    err = vk_v45_algorithm(&prog->version, &algo);
    if (err == ZK_OK) {
        err = check_program(prog, opts, &log_prog);
    }
    if (err != ZK_OK) {
        return err;
    }
    unsigned n_threads = vk_threads_resolve(opts->n_threads);
    err = commit_traces(out, prog, algo, log_prog, n_threads);
    if (err == ZK_OK) {
        /* The memory image as one curve point. */
        err = vk_septic_image_sum(&sum, prog->image, prog->n_image, n_threads);
    }
    if (err != ZK_OK) {
        memset(out, 0, sizeof(*out));
        return err;
    }
    final_hash(out, prog, &sum, algo);
    out->pc_start = prog->pc_start;
    out->version = prog->version;
    out->n_insns = prog->n_insns;
    out->n_image = prog->n_image;
    vk_result_encode(out);
    if (detail != NULL) {
        detail->algo = algo;
        detail->global_sum = sum;
    }
    return ZK_OK;
}

enum zk_err vk_v45_compute(struct vk_result *out,
                           const struct zkvm_program *prog,
                           const struct vk_options *opts)
{
    return vk_v45_compute_detail(out, NULL, prog, opts);
}
