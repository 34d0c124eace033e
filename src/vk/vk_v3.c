/*
 * vk_v3.c - SP1 v3's vk: the Program / MemoryProgram / Byte preprocessed
 * traces (sp1-vk.md 4), their fixed-shape heights and chip order, the
 * commitment (commit.c) and the final digest (sp1-vk.md 1):
 *   D = Sponge(commit[8], pc_start, per chip: log2 h, h, 1, omega(h)).
 * Only the real rows of Program and MemoryProgram are built; the padding
 * rows are zero and the engine supplies them.
 */
#include <config.h>
#include "vk/vk_int.h"

#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "vk/babybear.h"
#include "vk/commit.h"
#include "vk/poseidon2.h"
#include "vk/transpile.h"
#include "vk/vk.h"

#define PROGRAM_WIDTH        37
#define MEMORY_PROGRAM_WIDTH 6
#define BYTE_WIDTH           11
#define BYTE_LOG_HEIGHT      16
#define SHAPE_MIN_LOG        19 /* smallest fixed core shape */
#define UNFIXED_MIN_LOG      4  /* next_power_of_two, at least 16 */

/* Field element of a u32 the way Plonky3's from_canonical_u32 does in a
 * release build: reduced mod p (addresses >= p never occur in SP1 ELFs). */
static inline uint32_t fe(uint32_t v)
{
    return v >= BB_P ? v - BB_P : v;
}

static void put_word(uint32_t *dst, uint32_t v)
{
    dst[0] = v & 0xffu;
    dst[1] = (v >> 8) & 0xffu;
    dst[2] = (v >> 16) & 0xffu;
    dst[3] = v >> 24;
}

/* Selector column (17..36) of an opcode, or -1 (EBREAK). */
static int selector_col(enum vk_v3_opcode op)
{
    switch (op) {
    case VK_V3_ECALL:
        return 18;
    case VK_V3_LB:
        return 19;
    case VK_V3_LBU:
        return 20;
    case VK_V3_LH:
        return 21;
    case VK_V3_LHU:
        return 22;
    case VK_V3_LW:
        return 23;
    case VK_V3_SB:
        return 24;
    case VK_V3_SH:
        return 25;
    case VK_V3_SW:
        return 26;
    case VK_V3_BEQ:
        return 27;
    case VK_V3_BNE:
        return 28;
    case VK_V3_BLT:
        return 29;
    case VK_V3_BGE:
        return 30;
    case VK_V3_BLTU:
        return 31;
    case VK_V3_BGEU:
        return 32;
    case VK_V3_JALR:
        return 33;
    case VK_V3_JAL:
        return 34;
    case VK_V3_AUIPC:
        return 35;
    case VK_V3_UNIMP:
        return 36;
    case VK_V3_EBREAK:
        return -1;
    default: /* ADD..SLTU, MUL..REMU */
        return 17;
    }
}

/* sp1-vk.md 4.1: one 37-column row per instruction. */
enum zk_err vk_v3_program_rows(uint32_t *rows, const uint32_t *insns, size_t n,
                               uint32_t pc_base)
{
    for (size_t k = 0; k < n; k++) {
        struct vk_insn in;
        uint32_t *r = rows + k * PROGRAM_WIDTH;
        if (!vk_transpile_v3(insns[k], &in)) {
            zk_error("vk: transpile: instruction %zu (pc 0x%08x) = 0x%08x "
                     "does not decode (SP1 setup would panic)",
                     k, pc_base + (uint32_t)(4 * k), insns[k]);
            return ZK_EINVAL;
        }
        memset(r, 0, PROGRAM_WIDTH * sizeof(uint32_t));
        r[0] = fe(pc_base + (uint32_t)(4 * k));
        r[1] = (uint32_t)in.opcode;
        put_word(r + 2, in.op_a);
        put_word(r + 6, in.op_b);
        put_word(r + 10, in.op_c);
        r[14] = in.op_a == 0;
        r[15] = in.imm_b;
        r[16] = in.imm_c;
        int sel = selector_col(in.opcode);
        if (sel >= 0) {
            r[sel] = 1;
        }
    }
    return ZK_OK;
}

/* sp1-vk.md 4.2: address, 4 bytes, is_real; image is ascending. */
static void memory_rows(uint32_t *rows, const struct zkvm_image_word *img,
                        size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t *r = rows + i * MEMORY_PROGRAM_WIDTH;
        r[0] = fe(img[i].addr);
        put_word(r + 1, img[i].value);
        r[5] = 1;
    }
}

/* sp1-vk.md 4.3: the 2^16-row byte lookup table. */
static void byte_rows(uint32_t *rows)
{
    for (uint32_t b = 0; b < 256; b++) {
        for (uint32_t c = 0; c < 256; c++) {
            uint32_t *r = rows + (b * 256 + c) * BYTE_WIDTH;
            uint32_t s = c & 7u;
            r[0] = b;
            r[1] = c;
            r[2] = b & c;
            r[3] = b | c;
            r[4] = b ^ c;
            r[5] = (b << s) & 0xffu;
            r[6] = b >> s;
            r[7] = b & ((1u << s) - 1u);
            r[8] = b < c;
            r[9] = b >> 7;
            r[10] = b * 256 + c;
        }
    }
}

/* sp1-vk.md 4.4: the preprocessed height for count rows. */
static enum zk_err shape_log(unsigned *out, size_t count, bool fixed,
                             const char *what)
{
    unsigned lg = fixed ? SHAPE_MIN_LOG : UNFIXED_MIN_LOG;
    while (lg <= VK_MAX_LOG_HEIGHT && ((size_t)1 << lg) < count) {
        lg++;
    }
    if (lg > VK_MAX_LOG_HEIGHT) {
        zk_error("vk: shape: %zu %s exceed SP1's largest trace (2^%d rows)",
                 count, what, VK_MAX_LOG_HEIGHT);
        return ZK_ELIMIT;
    }
    *out = lg;
    return ZK_OK;
}

/* Chip order: height descending, then name ascending (byte compare). */
static void sort_chips(struct vk_chip *chips, struct vk_matrix *mats, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        for (size_t j = i; j > 0; j--) {
            bool swap = chips[j].log_height > chips[j - 1].log_height ||
                        (chips[j].log_height == chips[j - 1].log_height &&
                         strcmp(chips[j].name, chips[j - 1].name) < 0);
            if (!swap) {
                break;
            }
            struct vk_chip tc = chips[j];
            chips[j] = chips[j - 1];
            chips[j - 1] = tc;
            struct vk_matrix tm = mats[j];
            mats[j] = mats[j - 1];
            mats[j - 1] = tm;
        }
    }
}

/* sp1-vk.md 1: the final sponge over commit, pc_start and chip domains. */
static void v3_digest(struct vk_result *r)
{
    uint32_t in[8 + 1 + 4 * VK_MAX_CHIPS];
    size_t n = 0;
    for (int i = 0; i < 8; i++) {
        in[n++] = r->commit[i];
    }
    in[n++] = fe(r->pc_start);
    for (size_t c = 0; c < r->n_chips; c++) {
        unsigned lg = r->chips[c].log_height;
        in[n++] = lg;
        in[n++] = (uint32_t)1 << lg;
        in[n++] = 1; /* domain shift */
        in[n++] = bb_two_adic_generator(lg);
    }
    vk_poseidon2_hash(r->hash_u32, in, n);
}

enum zk_err vk_v3_compute(struct vk_result *out, const struct zkvm_program *p,
                          const struct vk_options *opts)
{
    uint32_t *prog_rows = NULL, *mem_rows = NULL, *byte_tab = NULL;
    struct vk_matrix mats[3];
    struct vk_chip chips[3];
    unsigned lg_prog = 0, lg_mem = 0;
    bool fixed = !opts->no_fixed_shapes;
    enum zk_err err = shape_log(&lg_prog, p->n_insns, fixed, "instructions");
    if (!err) {
        err = shape_log(&lg_mem, p->n_image, fixed, "memory image words");
    }
    if (err) {
        return err;
    }
    prog_rows = zk_calloc(p->n_insns > 0 ? p->n_insns : 1,
                          PROGRAM_WIDTH * sizeof(uint32_t));
    mem_rows = zk_calloc(p->n_image > 0 ? p->n_image : 1,
                         MEMORY_PROGRAM_WIDTH * sizeof(uint32_t));
    byte_tab =
        zk_calloc((size_t)1 << BYTE_LOG_HEIGHT, BYTE_WIDTH * sizeof(uint32_t));
    if (prog_rows == NULL || mem_rows == NULL || byte_tab == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    err = vk_v3_program_rows(prog_rows, p->insns, p->n_insns, p->pc_base);
    if (err) {
        goto out;
    }
    memory_rows(mem_rows, p->image, p->n_image);
    byte_rows(byte_tab);

    memset(chips, 0, sizeof(chips));
    strcpy(chips[0].name, "Program");
    chips[0].log_height = lg_prog;
    chips[0].width = PROGRAM_WIDTH;
    mats[0] =
        (struct vk_matrix){PROGRAM_WIDTH, lg_prog, prog_rows, p->n_insns, NULL};
    strcpy(chips[1].name, "MemoryProgram");
    chips[1].log_height = lg_mem;
    chips[1].width = MEMORY_PROGRAM_WIDTH;
    mats[1] = (struct vk_matrix){MEMORY_PROGRAM_WIDTH, lg_mem, mem_rows,
                                 p->n_image, NULL};
    strcpy(chips[2].name, "Byte");
    chips[2].log_height = BYTE_LOG_HEIGHT;
    chips[2].width = BYTE_WIDTH;
    mats[2] = (struct vk_matrix){BYTE_WIDTH, BYTE_LOG_HEIGHT, byte_tab,
                                 (size_t)1 << BYTE_LOG_HEIGHT, NULL};
    sort_chips(chips, mats, 3);

    err = vk_commit(out->commit, mats, 3, opts->n_threads);
    if (err) {
        goto out;
    }
    out->n_chips = 3;
    memcpy(out->chips, chips, sizeof(chips));
    out->pc_start = p->pc_start;
    out->n_insns = p->n_insns;
    out->n_image = p->n_image;
    v3_digest(out);
out:
    zk_free(prog_rows);
    zk_free(mem_rows);
    zk_free(byte_tab);
    return err;
}
