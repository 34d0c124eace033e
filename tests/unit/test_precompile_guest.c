/*
 * test_precompile_guest.c - the precompile syscalls and hooks end to end:
 * tests/guest/precompile_guest.elf (an RV32IM guest built with
 * riscv64-unknown-elf-gcc) ecalls each precompile on inputs from stdin and
 * writes the results to the public values; we run it in the executor and
 * compare with the host computation (the precompile functions, which
 * test_precompile checks against OpenSSL/libsecp256k1). The guest also
 * hashes its public values with the SHA_EXTEND/SHA_COMPRESS syscalls and
 * COMMITs the digest, which the executor checks against OpenSSL's SHA-256.
 * Skips (77) when the guest was not built (no RISC-V compiler).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/bn.h>

#include "base/bytes.h"
#include "base/err.h"
#include "base/mem.h"
#include "zkvm/precompile.h"
#include "zkvm/precompile_int.h"
#include "zkvm/zkvm.h"
#include "../fixture.h"

#ifndef PC_GUEST_ELF
#define PC_GUEST_ELF "tests/guest/precompile_guest.elf"
#endif

static uint8_t *g_elf;
static size_t g_elf_len;
static uint64_t rng_state;

static uint32_t rnd32(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1DULL) >> 32);
}

static void rnd_words(uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        w[i] = rnd32();
    }
}

/* A growing byte string (the stdin item, the expected public values). */
struct bytes {
    uint8_t *p;
    size_t n, cap;
};

static void put(struct bytes *b, const void *p, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = (b->n + n) * 2 + 64;
        uint8_t *q = zk_realloc(b->p, cap);
        assert_non_null(q);
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, p, n);
    b->n += n;
}

static void put32(struct bytes *b, uint32_t v)
{
    uint8_t t[4];
    zk_store_le32(t, v);
    put(b, t, 4);
}

static void put_words(struct bytes *b, const uint32_t *w, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        put32(b, w[i]);
    }
}

/* One test run: the stdin item and the public values we expect. */
struct run {
    struct bytes in, want;
    struct bytes extra[8]; /* further stdin items (modes 5 and 6) */
    size_t n_extra;
};

static void run_init(struct run *r, uint32_t pv_fd)
{
    memset(r, 0, sizeof(*r));
    put32(&r->in, pv_fd);
}

static void run_free(struct run *r)
{
    zk_free(r->in.p);
    zk_free(r->want.p);
    for (size_t i = 0; i < r->n_extra; i++) {
        zk_free(r->extra[i].p);
    }
}

/* Appends a stdin item that the guest leaves in the hint area. */
static void extra_item(struct run *r, const uint32_t *w, size_t n)
{
    assert_true(r->n_extra < 8);
    put_words(&r->extra[r->n_extra++], w, n);
}

/* A record: the guest runs syscall id on A (and B or arg). */
static void rec(struct run *r, uint32_t id, uint32_t mode, const uint32_t *a,
                size_t an, const uint32_t *b, size_t bn, uint32_t arg)
{
    put32(&r->in, id);
    put32(&r->in, mode);
    put32(&r->in, (uint32_t)(4 * an));
    put32(&r->in, (uint32_t)(4 * bn));
    put32(&r->in, arg);
    put_words(&r->in, a, an);
    put_words(&r->in, b, bn);
}

/* Expected output of an ordinary record: A then B after the call. */
static void expect(struct run *r, const uint32_t *a, size_t an,
                   const uint32_t *b, size_t bn)
{
    put_words(&r->want, a, an);
    put_words(&r->want, b, bn);
}

/* A hook record: the guest WRITEs len bytes to fd and reads the answers. */
static void hook_rec(struct run *r, int major, uint32_t fd, const uint8_t *in,
                     size_t len)
{
    uint32_t a[256] = {0};
    struct zkvm_hook_out o;
    enum zkvm_hook h = zkvm_hook_lookup(major, -1, fd, false);
    assert_true(len <= sizeof(a));
    memcpy(a, in, len); /* little-endian host: bytes in word order */
    assert_int_not_equal(h, ZKVM_HOOK_NONE);
    assert_int_equal(zkvm_hook_run(h, in, len, &o), ZK_OK);
    put32(&r->in, fd);
    put32(&r->in, 3);
    put32(&r->in, (uint32_t)((len + 3) & ~(size_t)3));
    put32(&r->in, (uint32_t)len);
    put32(&r->in, (uint32_t)o.n);
    put_words(&r->in, a, (len + 3) / 4);
    for (size_t i = 0; i < o.n; i++) {
        put32(&r->want, (uint32_t)o.len[i]);
        put(&r->want, o.item[i], o.len[i]);
    }
    zkvm_hook_out_cleanup(&o);
}

/* Runs the guest on r->in under SP1 major version major. */
static enum zk_err exec_guest(struct run *r, enum zkvm_sp1_major major,
                              struct zkvm_result *res)
{
    struct zkvm_program prog;
    struct zkvm_stdin in;
    struct zkvm_limits lim;
    enum zk_err err;

    memset(&prog, 0, sizeof(prog));
    memset(res, 0, sizeof(*res));
    assert_int_equal(zkvm_program_load(&prog, g_elf, g_elf_len, major), ZK_OK);
    zkvm_stdin_init(&in);
    assert_int_equal(zkvm_stdin_add(&in, r->in.p, r->in.n), ZK_OK);
    for (size_t i = 0; i < r->n_extra; i++) {
        assert_int_equal(zkvm_stdin_add(&in, r->extra[i].p, r->extra[i].n),
                         ZK_OK);
    }
    zkvm_limits_default(&lim);
    lim.cycle_limit = 50000000;
    err = zkvm_execute(&prog, &in, &lim, res);
    zkvm_stdin_cleanup(&in);
    zkvm_program_cleanup(&prog);
    return err;
}

static void check_ok(struct run *r, enum zkvm_sp1_major major)
{
    struct zkvm_result res;
    enum zk_err err = exec_guest(r, major, &res);
    if (err != ZK_OK) {
        fprintf(stderr, "guest failed: %s: %s\n", zkvm_status_name(res.status),
                res.reason);
    }
    assert_int_equal(err, ZK_OK);
    assert_int_equal(res.status, ZKVM_STATUS_HALTED);
    assert_true(res.digest_matches);
    assert_int_equal(res.public_values_len, r->want.n);
    assert_memory_equal(res.public_values, r->want.p, r->want.n);
    zkvm_result_cleanup(&res);
}

static void check_fails(struct run *r, enum zkvm_sp1_major major,
                        enum zkvm_status st)
{
    struct zkvm_result res;
    assert_int_not_equal(exec_guest(r, major, &res), ZK_OK);
    printf("  expected failure: %s: %s\n", zkvm_status_name(res.status),
           res.reason);
    assert_int_equal(res.status, st);
    zkvm_result_cleanup(&res);
}

/* ---------------------------------------------------------- records */

static void rec_sha(struct run *r)
{
    uint32_t w[64], h[8], w2[64];
    rnd_words(w, 64);
    memcpy(w2, w, sizeof(w));
    zkvm_sha_extend(w2);
    rec(r, ZKVM_SYS_SHA_EXTEND, 1, w, 64, NULL, 0, 0);
    expect(r, w2, 64, NULL, 0);
    rnd_words(h, 8);
    rec(r, ZKVM_SYS_SHA_COMPRESS, 0, w2, 64, h, 8, 0);
    zkvm_sha_compress(h, w2);
    expect(r, w2, 64, h, 8);
}

static void rec_keccak_uint(struct run *r, bool v4)
{
    uint32_t st[50], x[8], ym[16], a[8], b[64], lo[64], hi[8];
    rnd_words(st, 50);
    rec(r, ZKVM_SYS_KECCAK_PERMUTE, 1, st, 50, NULL, 0, 0);
    zkvm_keccak_permute(st);
    expect(r, st, 50, NULL, 0);
    for (int k = 0; k < 3; k++) {
        rnd_words(x, 8);
        rnd_words(ym, 16);
        if (k == 0) {
            memset(ym + 8, 0, 32); /* modulus 0 = 2^256 */
        }
        rec(r, ZKVM_SYS_UINT256_MUL, 0, x, 8, ym, 16, 0);
        assert_int_equal(zkvm_uint256_mul(x, ym, ym + 8), ZK_OK);
        expect(r, x, 8, ym, 16);
    }
    if (v4) {
        rnd_words(a, 8);
        rnd_words(b, 64);
        rec(r, ZKVM_SYS_U256XU2048_MUL, 2, a, 8, b, 64, 0);
        zkvm_u256x2048_mul(a, b, lo, hi);
        expect(r, a, 8, b, 64);
        put_words(&r->want, lo, 64);
        put_words(&r->want, hi, 8);
    }
}

/* A valid point: decompress a random x until it works (host side). */
static void host_point(enum zkvm_curve c, uint32_t *pt)
{
    size_t n = zkvm_curve_words(c);
    uint32_t buf[24];
    for (;;) {
        memset(buf, 0, sizeof(buf));
        rnd_words(buf + n, n);
        buf[2 * n - 1] &= 0x0fffffffu; /* below p on every curve */
        if (c == ZKVM_CURVE_BN254 || c == ZKVM_CURVE_ED25519) {
            break;
        }
        if (zkvm_sw_decompress(c, buf, rnd32() & 1) == ZK_OK) {
            memcpy(pt, buf + n, n * sizeof(uint32_t));
            memcpy(pt + n, buf, n * sizeof(uint32_t));
            return;
        }
    }
    if (c == ZKVM_CURVE_BN254) {
        /* bn254: k*G from (1, 2) by doubling */
        memset(pt, 0, 16 * sizeof(uint32_t));
        pt[0] = 1;
        pt[8] = 2;
        for (uint32_t k = rnd32() % 40 + 1; k; k--) {
            assert_int_equal(zkvm_sw_double(c, pt), ZK_OK);
        }
        return;
    }
    for (;;) { /* ed25519 */
        memset(buf, 0, sizeof(buf));
        rnd_words(buf + 8, 8);
        buf[15] &= 0x0fffffffu;
        if (zkvm_ed_decompress(buf, rnd32() & 1, 5) == ZK_OK) {
            memcpy(pt, buf, 16 * sizeof(uint32_t));
            return;
        }
    }
}

static void rec_curve(struct run *r, enum zkvm_curve c, uint32_t add,
                      uint32_t dbl, uint32_t dec)
{
    size_t n = zkvm_curve_words(c);
    uint32_t p[24], q[24], buf[24];
    host_point(c, p);
    do { /* bn254 points are small multiples of G: avoid add(P, P) */
        host_point(c, q);
    } while (memcmp(p, q, 2 * n * sizeof(uint32_t)) == 0);
    rec(r, add, 0, p, 2 * n, q, 2 * n, 0);
    assert_int_equal(c == ZKVM_CURVE_ED25519 ? zkvm_ed_add(p, q)
                                             : zkvm_sw_add(c, p, q),
                     ZK_OK);
    expect(r, p, 2 * n, q, 2 * n);
    if (dbl) {
        rec(r, dbl, 1, q, 2 * n, NULL, 0, 0);
        assert_int_equal(zkvm_sw_double(c, q), ZK_OK);
        expect(r, q, 2 * n, NULL, 0);
    }
    if (dec) {
        uint32_t sign = rnd32() & 1;
        rnd_words(buf, n); /* the lower half is overwritten */
        memcpy(buf + n, c == ZKVM_CURVE_ED25519 ? p + n : p,
               n * sizeof(uint32_t));
        rec(r, dec, 1, buf, 2 * n, NULL, 0, sign);
        assert_int_equal(c == ZKVM_CURVE_ED25519
                             ? zkvm_ed_decompress(buf, sign, 5)
                             : zkvm_sw_decompress(c, buf, sign),
                         ZK_OK);
        expect(r, buf, 2 * n, NULL, 0);
    }
}

static void rec_fields(struct run *r, int major)
{
    static const uint32_t ids[2][6] = {
        {ZKVM_SYS_BN254_FP_ADD, ZKVM_SYS_BN254_FP_SUB, ZKVM_SYS_BN254_FP_MUL,
         ZKVM_SYS_BN254_FP2_ADD, ZKVM_SYS_BN254_FP2_SUB,
         ZKVM_SYS_BN254_FP2_MUL},
        {ZKVM_SYS_BLS12381_FP_ADD, ZKVM_SYS_BLS12381_FP_SUB,
         ZKVM_SYS_BLS12381_FP_MUL, ZKVM_SYS_BLS12381_FP2_ADD,
         ZKVM_SYS_BLS12381_FP2_SUB, ZKVM_SYS_BLS12381_FP2_MUL}};
    for (int f = 0; f < 2; f++) {
        enum zkvm_curve c = f ? ZKVM_CURVE_BLS12381 : ZKVM_CURVE_BN254;
        size_t n = zkvm_curve_words(c);
        for (int k = 0; k < 6; k++) {
            uint32_t x[24], y[24];
            bool fp2 = k >= 3;
            size_t w = fp2 ? 2 * n : n;
            enum zkvm_field_op op = (enum zkvm_field_op)(k % 3);
            rnd_words(x, w);
            rnd_words(y, w);
            x[n - 1] &= 0x0fffffffu;
            y[n - 1] &= 0x0fffffffu;
            x[w - 1] &= 0x0fffffffu;
            y[w - 1] &= 0x0fffffffu;
            if (fp2 && k == 3) {
                memset(x, 0, n * sizeof(uint32_t)); /* c0 small (v3) */
                memset(y, 0, n * sizeof(uint32_t));
                x[0] = 3;
            }
            rec(r, ids[f][k], 0, x, w, y, w, 0);
            assert_int_equal(fp2 ? zkvm_fp2_op(c, op, x, y, major)
                                 : zkvm_fp_op(c, op, x, y),
                             ZK_OK);
            expect(r, x, w, y, w);
        }
    }
}

/* ------------------------------------------------------------ tests */

static void guest_v5_precompiles_match_host(void **state)
{
    struct run r;
    (void)state;
    for (int round = 0; round < 3; round++) {
        run_init(&r, 13);
        rec_sha(&r);
        rec_keccak_uint(&r, true);
        rec_curve(&r, ZKVM_CURVE_SECP256K1, ZKVM_SYS_SECP256K1_ADD,
                  ZKVM_SYS_SECP256K1_DOUBLE, ZKVM_SYS_SECP256K1_DECOMPRESS);
        rec_curve(&r, ZKVM_CURVE_SECP256R1, ZKVM_SYS_SECP256R1_ADD,
                  ZKVM_SYS_SECP256R1_DOUBLE, ZKVM_SYS_SECP256R1_DECOMPRESS);
        rec_curve(&r, ZKVM_CURVE_BN254, ZKVM_SYS_BN254_ADD,
                  ZKVM_SYS_BN254_DOUBLE, 0);
        rec_curve(&r, ZKVM_CURVE_BLS12381, ZKVM_SYS_BLS12381_ADD,
                  ZKVM_SYS_BLS12381_DOUBLE, ZKVM_SYS_BLS12381_DECOMPRESS);
        rec_curve(&r, ZKVM_CURVE_ED25519, ZKVM_SYS_ED_ADD, 0,
                  ZKVM_SYS_ED_DECOMPRESS);
        rec_fields(&r, 5);
        check_ok(&r, ZKVM_SP1_V5);
        run_free(&r);
    }
}

static void guest_v3_keeps_v3_semantics(void **state)
{
    struct run r;
    uint32_t buf[16] = {0}, p[16], q[16];
    (void)state;
    run_init(&r, 3);
    rec_sha(&r);
    rec_keccak_uint(&r, false);
    rec_curve(&r, ZKVM_CURVE_SECP256K1, ZKVM_SYS_SECP256K1_ADD,
              ZKVM_SYS_SECP256K1_DOUBLE, ZKVM_SYS_SECP256K1_DECOMPRESS);
    rec_fields(&r, 3);
    /* ED_DECOMPRESS of y = 1 with sign 1: x = p in v3 */
    buf[8] = 1;
    rec(&r, ZKVM_SYS_ED_DECOMPRESS, 1, buf, 16, NULL, 0, 1);
    assert_int_equal(zkvm_ed_decompress(buf, 1, 3), ZK_OK);
    assert_int_equal(buf[0], 0xffffffedu);
    expect(&r, buf, 16, NULL, 0);
    check_ok(&r, ZKVM_SP1_V3);
    run_free(&r);
    /* secp256r1 does not exist in v3 */
    run_init(&r, 3);
    host_point(ZKVM_CURVE_SECP256R1, p);
    host_point(ZKVM_CURVE_SECP256R1, q);
    rec(&r, ZKVM_SYS_SECP256R1_ADD, 0, p, 16, q, 16, 0);
    check_fails(&r, ZKVM_SP1_V3, ZKVM_STATUS_UNSUPPORTED_SYSCALL);
    run_free(&r);
}

static void guest_hooks_answer_like_host(void **state)
{
    struct run r;
    uint8_t in[768];
    BN_CTX *ctx = BN_CTX_new();
    BIGNUM *x, *p;
    uint32_t pt[16];
    (void)state;
    assert_non_null(ctx);
    BN_CTX_start(ctx);
    x = BN_CTX_get(ctx);
    p = BN_CTX_get(ctx);
    assert_non_null(p);
    assert_true(BN_hex2bn(&p, zkvm_curve_get(ZKVM_CURVE_SECP256K1)->p));
    run_init(&r, 13);
    /* fd 15 ecrecover: r = x of a point, alpha = y^2 (square) and random */
    host_point(ZKVM_CURVE_SECP256K1, pt);
    in[0] = 1 | 0x80;
    for (int i = 0; i < 32; i++) {
        in[1 + i] = (uint8_t)(pt[7 - i / 4] >> (8 * (3 - i % 4)));
    }
    assert_non_null(BN_lebin2bn((const uint8_t *)(pt + 8), 32, x));
    assert_true(BN_mod_sqr(x, x, p, ctx));
    assert_true(BN_bn2binpad(x, in + 33, 32) == 32);
    in[1] &= 0x7f; /* r below the group order */
    hook_rec(&r, 5, 15, in, 65);
    in[40] ^= 0x55;
    hook_rec(&r, 5, 15, in, 65);
    /* fd 16 ed decompress, fd 17 rsa, fd 18/19 bls, fd 20/21 fp */
    rnd_words((uint32_t *)(void *)in, 16);
    in[31] &= 0x3f;
    memset(in + 32, 0, 32);
    in[32] = 9;
    hook_rec(&r, 5, 16, in, 64);
    rnd_words((uint32_t *)(void *)in, 192);
    hook_rec(&r, 5, 17, in, 768);
    rnd_words((uint32_t *)(void *)in, 12);
    in[0] &= 0x0f;
    hook_rec(&r, 5, 18, in, 48);
    hook_rec(&r, 5, 19, in, 48);
    memset(in, 0, 4 + 3 * 32);
    zk_store_be32(in, 32);
    assert_true(BN_bn2binpad(p, in + 4 + 32, 32) == 32);
    in[4 + 64 + 31] = 3;
    in[4 + 31] = 5;
    hook_rec(&r, 5, 20, in, 4 + 3 * 32);
    hook_rec(&r, 5, 21, in, 4 + 2 * 32);
    check_ok(&r, ZKVM_SP1_V5);
    run_free(&r);
    /* v3: fd 5 (ecrecover v1) and fd 8 (ed check) */
    run_init(&r, 3);
    memset(in, 0, 97);
    in[31] = 1; /* r = 1 */
    in[63] = 1; /* s = 1 */
    in[64] = 0; /* recid */
    in[96] = 7; /* msg hash */
    hook_rec(&r, 3, 7, in, 97);
    memset(in, 0, 32);
    in[0] = 1;
    hook_rec(&r, 3, 8, in, 32);
    check_ok(&r, ZKVM_SP1_V3);
    run_free(&r);
    BN_CTX_end(ctx);
    BN_CTX_free(ctx);
}

/*
 * sp1-executor-abi.md §4.2: the first operand of UINT256_MUL, EC add and
 * the FP ops is read with SP1's peek path, which does not see pending hint
 * data (it reads 0), while every other operand is a traced read that does.
 */
static void guest_peek_operands_ignore_pending_hints(void **state)
{
    struct run r;
    uint32_t x[8], ym[16], zero[16] = {0}, q[16], w[64], h[8], y[8];
    (void)state;
    run_init(&r, 13);
    /* UINT256_MUL, x left in the hint area: x reads as 0 */
    rnd_words(x, 8);
    rnd_words(ym, 16);
    ym[8] |= 1;
    rec(&r, ZKVM_SYS_UINT256_MUL, 5, x, 8, ym, 16, 0);
    extra_item(&r, x, 8);
    expect(&r, zero, 8, ym, 16);
    /* UINT256_MUL, y||m left in the hint area: a traced read sees them */
    rec(&r, ZKVM_SYS_UINT256_MUL, 6, x, 8, ym, 16, 0);
    extra_item(&r, ym, 16);
    assert_int_equal(zkvm_uint256_mul(x, ym, ym + 8), ZK_OK);
    expect(&r, x, 8, ym, 16);
    /* BN254_FP_ADD with x in the hint area: 0 + y mod p */
    rnd_words(x, 8);
    rnd_words(y, 8);
    y[7] &= 0x0fffffffu;
    rec(&r, ZKVM_SYS_BN254_FP_ADD, 5, x, 8, y, 8, 0);
    extra_item(&r, x, 8);
    memset(x, 0, sizeof(x));
    assert_int_equal(zkvm_fp_op(ZKVM_CURVE_BN254, ZKVM_FIELD_ADD, x, y), ZK_OK);
    expect(&r, x, 8, y, 8);
    /* SECP256K1_ADD with P in the hint area: P reads as (0, 0) */
    host_point(ZKVM_CURVE_SECP256K1, q);
    host_point(ZKVM_CURVE_SECP256K1, zero);
    rec(&r, ZKVM_SYS_SECP256K1_ADD, 5, zero, 16, q, 16, 0);
    extra_item(&r, zero, 16);
    memset(zero, 0, sizeof(zero));
    assert_int_equal(zkvm_sw_add(ZKVM_CURVE_SECP256K1, zero, q), ZK_OK);
    expect(&r, zero, 16, q, 16);
    /* SHA_COMPRESS reads w with the traced path: hint data is seen */
    rnd_words(w, 64);
    rnd_words(h, 8);
    rec(&r, ZKVM_SYS_SHA_COMPRESS, 5, w, 64, h, 8, 0);
    extra_item(&r, w, 64);
    zkvm_sha_compress(h, w);
    expect(&r, w, 64, h, 8);
    check_ok(&r, ZKVM_SP1_V5);
    run_free(&r);
}

static void guest_precompile_panics_stop_the_run(void **state)
{
    struct run r;
    uint32_t p[16] = {0}, z[50] = {0};
    uint8_t bad[64] = {0};
    (void)state;
    /* add(P, P) */
    run_init(&r, 13);
    host_point(ZKVM_CURVE_SECP256K1, p);
    rec(&r, ZKVM_SYS_SECP256K1_ADD, 0, p, 16, p, 16, 0);
    check_fails(&r, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    run_free(&r);
    /* a misaligned point pointer */
    run_init(&r, 13);
    host_point(ZKVM_CURVE_BN254, p);
    rec(&r, ZKVM_SYS_BN254_DOUBLE, 4, p, 16, NULL, 0, 0);
    check_fails(&r, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    run_free(&r);
    /* KECCAK_PERMUTE with arg2 != 0, decompress with sign 2 */
    run_init(&r, 13);
    rec(&r, ZKVM_SYS_KECCAK_PERMUTE, 1, z, 50, NULL, 0, 1);
    check_fails(&r, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    run_free(&r);
    run_init(&r, 13);
    rec(&r, ZKVM_SYS_SECP256K1_DECOMPRESS, 1, z, 16, NULL, 0, 2);
    check_fails(&r, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    run_free(&r);
    /* a hook input of the wrong size panics */
    run_init(&r, 13);
    put32(&r.in, 15);
    put32(&r.in, 3);
    put32(&r.in, 64);
    put32(&r.in, 64);
    put32(&r.in, 0);
    put(&r.in, bad, 64);
    check_fails(&r, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    run_free(&r);
}

static int load_guest(void **state)
{
    const char *path = getenv("PC_GUEST_ELF");
    (void)state;
    g_elf = fixture_load(path && *path ? path : PC_GUEST_ELF, &g_elf_len);
    if (g_elf != NULL && g_elf_len == 0) {
        zk_free(g_elf);
        g_elf = NULL;
    }
    return g_elf != NULL ? 0 : -1;
}

int main(void)
{
    const char *s = getenv("ZK_TEST_SEED");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(guest_v5_precompiles_match_host),
        cmocka_unit_test(guest_v3_keeps_v3_semantics),
        cmocka_unit_test(guest_hooks_answer_like_host),
        cmocka_unit_test(guest_peek_operands_ignore_pending_hints),
        cmocka_unit_test(guest_precompile_panics_stop_the_run),
    };
    int rc;
    if (load_guest(NULL) != 0) {
        printf("test_precompile_guest: no guest ELF at %s (RISC-V compiler "
               "missing?): skipped\n",
               PC_GUEST_ELF);
        return 77;
    }
    rng_state = s && *s ? strtoull(s, NULL, 0)
                        : (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
    if (!rng_state) {
        rng_state = 1;
    }
    printf("test_precompile_guest: seed %llu (replay with ZK_TEST_SEED)\n",
           (unsigned long long)rng_state);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    zk_free(g_elf);
    return rc;
}
