/*
 * precompile.c - the glue between the ECALL dispatcher and the precompile
 * math: for each syscall id of sp1-executor-abi.md §4.1 it reads the
 * operands with the memory path SP1 uses (§4.2: "peek" for the first
 * operand of EC add/double, UINT256_MUL and the FP/FP2 ops, traced reads
 * elsewhere), checks SP1's argument asserts, computes, and writes back.
 * Failures become zkvm_fail(PANIC) with the precompile's reason.
 */
#include <config.h>

#include <string.h>

#include "zkvm/precompile.h"
#include "zkvm/zkvm_int.h"

/* Turns a math error into the run's failure record. */
static enum zk_err pc_fail(struct zkvm *vm, enum zk_err err)
{
    switch (err) {
    case ZK_OK:
        return ZK_OK;
    case ZK_ETRAP:
        return zkvm_fail(vm, ZKVM_STATUS_PANIC, "%s",
                         zkvm_precompile_last_trap());
    case ZK_ELIMIT:
        return zkvm_fail(vm, ZKVM_STATUS_REFUSED, "%s",
                         zkvm_precompile_last_trap());
    case ZK_ENOMEM:
        return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                         "out of memory in a precompile");
    default:
        return zkvm_fail(vm, ZKVM_STATUS_PANIC, "precompile failed: %s",
                         zk_strerror(err));
    }
}

/* SP1's `if ptr % 4 != 0 { panic!() }` on the pointer arguments. */
static enum zk_err need_aligned(struct zkvm *vm, uint32_t a, uint32_t b,
                                bool check_b)
{
    if ((a & 3u) || (check_b && (b & 3u))) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "precompile pointer is not 4-byte aligned");
    }
    return ZK_OK;
}

/* SHA_EXTEND: w at a0 (64 words), a1 must be 0. */
static enum zk_err do_sha_extend(struct zkvm *vm, uint32_t a0, uint32_t a1)
{
    uint32_t w[64] = {0};
    enum zk_err err;
    if (a1 != 0) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC, "SHA_EXTEND: arg2 must be 0");
    }
    /* w[62], w[63] are only written; reading w[0..62) is what SP1 reads. */
    err = zkvm_mem_read_words(vm, a0, w, 62);
    if (err) {
        return err;
    }
    zkvm_sha_extend(w);
    return zkvm_mem_write_words(vm, a0 + 16 * 4, w + 16, 48);
}

/* SHA_COMPRESS: w at a0 (64 words), h at a1 (8 words), a0 != a1. */
static enum zk_err do_sha_compress(struct zkvm *vm, uint32_t a0, uint32_t a1)
{
    uint32_t w[64], h[8];
    enum zk_err err;
    if (a0 == a1) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "SHA_COMPRESS: w and h pointers are equal");
    }
    err = zkvm_mem_read_words(vm, a1, h, 8);
    if (err) {
        return err;
    }
    err = zkvm_mem_read_words(vm, a0, w, 64);
    if (err) {
        return err;
    }
    zkvm_sha_compress(h, w);
    return zkvm_mem_write_words(vm, a1, h, 8);
}

static enum zk_err do_keccak(struct zkvm *vm, uint32_t a0, uint32_t a1)
{
    uint32_t st[50];
    enum zk_err err;
    if (a1 != 0) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "KECCAK_PERMUTE: arg2 must be 0");
    }
    err = zkvm_mem_read_words(vm, a0, st, 50);
    if (err) {
        return err;
    }
    zkvm_keccak_permute(st);
    return zkvm_mem_write_words(vm, a0, st, 50);
}

static enum zk_err do_uint256(struct zkvm *vm, uint32_t a0, uint32_t a1)
{
    uint32_t x[8], ym[16];
    enum zk_err err;
    err = need_aligned(vm, a0, a1, true);
    if (err) {
        return err;
    }
    err = zkvm_mem_peek_words(vm, a0, x, 8);
    if (err) {
        return err;
    }
    err = zkvm_mem_read_words(vm, a1, ym, 8);
    if (err) {
        return err;
    }
    err = zkvm_mem_read_words(vm, a1 + 32, ym + 8, 8);
    if (err) {
        return err;
    }
    err = pc_fail(vm, zkvm_uint256_mul(x, ym, ym + 8));
    if (err) {
        return err;
    }
    return zkvm_mem_write_words(vm, a0, x, 8);
}

/* U256XU2048_MUL: a at a0, b at a1, lo pointer in x12, hi pointer in x13.
 * SP1 has no explicit alignment assert here; its memory checks apply. */
static enum zk_err do_u256x2048(struct zkvm *vm, uint32_t a0, uint32_t a1)
{
    uint32_t a[8], b[64], lo[64], hi[8];
    uint32_t lo_ptr = zkvm_reg_get(vm, ZKVM_REG_A2);
    uint32_t hi_ptr = zkvm_reg_get(vm, ZKVM_REG_A3);
    enum zk_err err;
    err = zkvm_mem_read_words(vm, a0, a, 8);
    if (err) {
        return err;
    }
    err = zkvm_mem_read_words(vm, a1, b, 64);
    if (err) {
        return err;
    }
    zkvm_u256x2048_mul(a, b, lo, hi);
    err = zkvm_mem_write_words(vm, lo_ptr, lo, 64);
    if (err) {
        return err;
    }
    return zkvm_mem_write_words(vm, hi_ptr, hi, 8);
}

/* EC add (Weierstrass or Edwards): P at a0 (peek), Q at a1. */
static enum zk_err do_ec_add(struct zkvm *vm, enum zkvm_curve c, uint32_t a0,
                             uint32_t a1)
{
    uint32_t p[24], q[24];
    size_t n = 2 * zkvm_curve_words(c);
    enum zk_err err;
    err = need_aligned(vm, a0, a1, true);
    if (err) {
        return err;
    }
    err = zkvm_mem_peek_words(vm, a0, p, n);
    if (err) {
        return err;
    }
    err = zkvm_mem_read_words(vm, a1, q, n);
    if (err) {
        return err;
    }
    err = c == ZKVM_CURVE_ED25519 ? zkvm_ed_add(p, q) : zkvm_sw_add(c, p, q);
    err = pc_fail(vm, err);
    if (err) {
        return err;
    }
    return zkvm_mem_write_words(vm, a0, p, n);
}

static enum zk_err do_ec_double(struct zkvm *vm, enum zkvm_curve c, uint32_t a0)
{
    uint32_t p[24];
    size_t n = 2 * zkvm_curve_words(c);
    enum zk_err err;
    err = need_aligned(vm, a0, 0, false);
    if (err) {
        return err;
    }
    err = zkvm_mem_peek_words(vm, a0, p, n);
    if (err) {
        return err;
    }
    err = pc_fail(vm, zkvm_sw_double(c, p));
    if (err) {
        return err;
    }
    return zkvm_mem_write_words(vm, a0, p, n);
}

/* Decompress: x (or ed25519's y) in the upper half at a0 + 4n, the result
 * into the lower half; a1 is the sign bit (0 or 1, asserted). */
static enum zk_err do_decompress(struct zkvm *vm, enum zkvm_curve c,
                                 uint32_t a0, uint32_t a1)
{
    uint32_t buf[24] = {0};
    size_t n = zkvm_curve_words(c);
    enum zk_err err;
    err = need_aligned(vm, a0, 0, false);
    if (err) {
        return err;
    }
    if (a1 > 1) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "decompress: sign bit must be 0 or 1");
    }
    err = zkvm_mem_read_words(vm, a0 + (uint32_t)(4 * n), buf + n, n);
    if (err) {
        return err;
    }
    if (c == ZKVM_CURVE_ED25519) {
        err = zkvm_ed_decompress(buf, a1, (int)zkvm_version(vm)->major);
    } else {
        err = zkvm_sw_decompress(c, buf, a1);
    }
    err = pc_fail(vm, err);
    if (err) {
        return err;
    }
    return zkvm_mem_write_words(vm, a0, buf, n);
}

static enum zk_err do_field(struct zkvm *vm, enum zkvm_curve c, bool fp2,
                            enum zkvm_field_op op, uint32_t a0, uint32_t a1)
{
    uint32_t x[24], y[24];
    size_t n = (fp2 ? 2 : 1) * zkvm_curve_words(c);
    enum zk_err err;
    err = need_aligned(vm, a0, a1, true);
    if (err) {
        return err;
    }
    err = zkvm_mem_peek_words(vm, a0, x, n);
    if (err) {
        return err;
    }
    err = zkvm_mem_read_words(vm, a1, y, n);
    if (err) {
        return err;
    }
    err = fp2 ? zkvm_fp2_op(c, op, x, y, (int)zkvm_version(vm)->major)
              : zkvm_fp_op(c, op, x, y);
    err = pc_fail(vm, err);
    if (err) {
        return err;
    }
    return zkvm_mem_write_words(vm, a0, x, n);
}

/* One row per field-op syscall: id, curve, fp2?, op. */
static const struct {
    uint32_t id;
    enum zkvm_curve c;
    bool fp2;
    enum zkvm_field_op op;
} field_ops[] = {
    {ZKVM_SYS_BLS12381_FP_ADD, ZKVM_CURVE_BLS12381, false, ZKVM_FIELD_ADD},
    {ZKVM_SYS_BLS12381_FP_SUB, ZKVM_CURVE_BLS12381, false, ZKVM_FIELD_SUB},
    {ZKVM_SYS_BLS12381_FP_MUL, ZKVM_CURVE_BLS12381, false, ZKVM_FIELD_MUL},
    {ZKVM_SYS_BLS12381_FP2_ADD, ZKVM_CURVE_BLS12381, true, ZKVM_FIELD_ADD},
    {ZKVM_SYS_BLS12381_FP2_SUB, ZKVM_CURVE_BLS12381, true, ZKVM_FIELD_SUB},
    {ZKVM_SYS_BLS12381_FP2_MUL, ZKVM_CURVE_BLS12381, true, ZKVM_FIELD_MUL},
    {ZKVM_SYS_BN254_FP_ADD, ZKVM_CURVE_BN254, false, ZKVM_FIELD_ADD},
    {ZKVM_SYS_BN254_FP_SUB, ZKVM_CURVE_BN254, false, ZKVM_FIELD_SUB},
    {ZKVM_SYS_BN254_FP_MUL, ZKVM_CURVE_BN254, false, ZKVM_FIELD_MUL},
    {ZKVM_SYS_BN254_FP2_ADD, ZKVM_CURVE_BN254, true, ZKVM_FIELD_ADD},
    {ZKVM_SYS_BN254_FP2_SUB, ZKVM_CURVE_BN254, true, ZKVM_FIELD_SUB},
    {ZKVM_SYS_BN254_FP2_MUL, ZKVM_CURVE_BN254, true, ZKVM_FIELD_MUL},
};

enum zk_err zkvm_precompile_call(struct zkvm *vm, uint32_t syscall_id,
                                 uint32_t a0, uint32_t a1, bool *handled_out)
{
    bool v4 = zkvm_version(vm)->major >= 4;

    *handled_out = true;
    switch (syscall_id) {
    case ZKVM_SYS_SHA_EXTEND:
        return do_sha_extend(vm, a0, a1);
    case ZKVM_SYS_SHA_COMPRESS:
        return do_sha_compress(vm, a0, a1);
    case ZKVM_SYS_KECCAK_PERMUTE:
        return do_keccak(vm, a0, a1);
    case ZKVM_SYS_UINT256_MUL:
        return do_uint256(vm, a0, a1);
    case ZKVM_SYS_ED_ADD:
        return do_ec_add(vm, ZKVM_CURVE_ED25519, a0, a1);
    case ZKVM_SYS_ED_DECOMPRESS:
        return do_decompress(vm, ZKVM_CURVE_ED25519, a0, a1);
    case ZKVM_SYS_SECP256K1_ADD:
        return do_ec_add(vm, ZKVM_CURVE_SECP256K1, a0, a1);
    case ZKVM_SYS_SECP256K1_DOUBLE:
        return do_ec_double(vm, ZKVM_CURVE_SECP256K1, a0);
    case ZKVM_SYS_SECP256K1_DECOMPRESS:
        return do_decompress(vm, ZKVM_CURVE_SECP256K1, a0, a1);
    case ZKVM_SYS_BN254_ADD:
        return do_ec_add(vm, ZKVM_CURVE_BN254, a0, a1);
    case ZKVM_SYS_BN254_DOUBLE:
        return do_ec_double(vm, ZKVM_CURVE_BN254, a0);
    case ZKVM_SYS_BLS12381_ADD:
        return do_ec_add(vm, ZKVM_CURVE_BLS12381, a0, a1);
    case ZKVM_SYS_BLS12381_DOUBLE:
        return do_ec_double(vm, ZKVM_CURVE_BLS12381, a0);
    case ZKVM_SYS_BLS12381_DECOMPRESS:
        return do_decompress(vm, ZKVM_CURVE_BLS12381, a0, a1);
    default:
        break;
    }
    if (v4) {
        switch (syscall_id) {
        case ZKVM_SYS_SECP256R1_ADD:
            return do_ec_add(vm, ZKVM_CURVE_SECP256R1, a0, a1);
        case ZKVM_SYS_SECP256R1_DOUBLE:
            return do_ec_double(vm, ZKVM_CURVE_SECP256R1, a0);
        case ZKVM_SYS_SECP256R1_DECOMPRESS:
            return do_decompress(vm, ZKVM_CURVE_SECP256R1, a0, a1);
        case ZKVM_SYS_U256XU2048_MUL:
            return do_u256x2048(vm, a0, a1);
        default:
            break;
        }
    }
    for (size_t i = 0; i < ZK_ARRAY_LEN(field_ops); i++) {
        if (field_ops[i].id == syscall_id) {
            return do_field(vm, field_ops[i].c, field_ops[i].fp2,
                            field_ops[i].op, a0, a1);
        }
    }
    *handled_out = false;
    return ZK_OK;
}

enum zk_err zkvm_hook_call(struct zkvm *vm, uint32_t fd, const uint8_t *in,
                           size_t len)
{
    const struct zkvm_sp1_version *v = zkvm_version(vm);
    struct zkvm_hook_out out;
    enum zkvm_hook h = zkvm_hook_lookup((int)v->major, v->minor, fd, false);
    enum zk_err err;

    if (h == ZKVM_HOOK_NONE) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC, "no hook on fd %u",
                         (unsigned)fd);
    }
    err = zkvm_hook_run(h, in, len, &out);
    for (size_t i = 0; !err && i < out.n; i++) {
        err = zkvm_input_push(vm, out.item[i], out.len[i]);
    }
    zkvm_hook_out_cleanup(&out);
    return pc_fail(vm, err);
}
