/*
 * precompile_bn.c - curve constants and OpenSSL BIGNUM glue for the
 * precompiles (sp1-executor-abi.md §4.2: "n words LE" integers).
 *
 * The constants are the standard ones (SEC 2 for secp256k1, FIPS 186-4 /
 * SEC 2 for P-256, EIP-196 for bn254's base field, the BLS12-381 draft for
 * its base field, RFC 8032 for ed25519); the unit tests recheck them
 * against OpenSSL's named curves and published decimal values.
 */
#include <config.h>

#include <string.h>

#include <openssl/err.h>

#include "base/bytes.h"
#include "base/log.h"
#include "zkvm/precompile_int.h"

static const struct zkvm_curve_info curves[ZKVM_CURVE_COUNT] = {
    [ZKVM_CURVE_SECP256K1] =
        {"secp256k1", 8,
         "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F",
         "0", "7",
         "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141"},
    [ZKVM_CURVE_SECP256R1] =
        {"secp256r1", 8,
         "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
         "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC",
         "5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B",
         "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"},
    [ZKVM_CURVE_BN254] =
        {"bn254", 8,
         "30644E72E131A029B85045B68181585D97816A916871CA8D3C208C16D87CFD47",
         "0", "3", NULL},
    [ZKVM_CURVE_BLS12381] =
        {"bls12-381", 12,
         "1A0111EA397FE69A4B1BA7B6434BACD764774B84F38512BF6730D2A0F6B0F624"
         "1EABFFFEB153FFFFB9FEFFFFFFFFAAAB",
         "0", "4", NULL},
    [ZKVM_CURVE_ED25519] =
        {"ed25519", 8,
         "7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFED",
         /* d = -121665/121666 mod p */
         "52036CEE2B6FFE738CC740797779E89800700A4D4141D8AB75EB4DCA135978A3",
         NULL, NULL},
};

const struct zkvm_curve_info *zkvm_curve_get(enum zkvm_curve c)
{
    ZK_ASSERT((unsigned)c < ZKVM_CURVE_COUNT);
    return &curves[c];
}

size_t zkvm_curve_words(enum zkvm_curve c)
{
    return zkvm_curve_get(c)->words;
}

/* The reason of this thread's last trap, for zkvm_fail's message. */
static _Thread_local const char *last_trap = "";

enum zk_err zkvm_pc_trap(const char *what)
{
    /* Logged at debug level only: the executor reports the reason (and the
     * pc and cycle) through zkvm_fail, so it is not printed twice. */
    zk_debug("zkvm: precompile: %s", what);
    last_trap = what;
    return ZK_ETRAP;
}

enum zk_err zkvm_pc_refuse(const char *what)
{
    zk_debug("zkvm: precompile: %s", what);
    last_trap = what;
    return ZK_ELIMIT;
}

const char *zkvm_precompile_last_trap(void)
{
    return last_trap;
}

enum zk_err zkvm_pc_oom(const char *where)
{
    unsigned long e = ERR_get_error();
    zk_error("zkvm: precompile: OpenSSL failure in %s (%lu)", where, e);
    ERR_clear_error();
    return ZK_ENOMEM;
}

/* Big enough for the widest operand (a 2048-bit u2048). */
#define ZKVM_BN_MAX_WORDS 64u

enum zk_err zkvm_bn_from_words(BIGNUM *r, const uint32_t *w, size_t n)
{
    uint8_t buf[4 * ZKVM_BN_MAX_WORDS];
    ZK_ASSERT(n <= ZKVM_BN_MAX_WORDS);
    for (size_t i = 0; i < n; i++) {
        zk_store_le32(buf + 4 * i, w[i]);
    }
    if (!BN_lebin2bn(buf, (int)(4 * n), r)) {
        return zkvm_pc_oom("BN_lebin2bn");
    }
    return ZK_OK;
}

enum zk_err zkvm_bn_to_words(uint32_t *w, size_t n, const BIGNUM *a)
{
    uint8_t buf[4 * ZKVM_BN_MAX_WORDS];
    ZK_ASSERT(n <= ZKVM_BN_MAX_WORDS);
    if (BN_is_negative(a) || BN_bn2lebinpad(a, buf, (int)(4 * n)) < 0) {
        zk_error("zkvm: precompile: result does not fit in %zu words", n);
        return ZK_EINTERNAL;
    }
    for (size_t i = 0; i < n; i++) {
        w[i] = zk_load_le32(buf + 4 * i);
    }
    return ZK_OK;
}

enum zk_err zkvm_bn_ctx_open(BN_CTX **ctx, BIGNUM **const *slots, size_t n)
{
    *ctx = BN_CTX_new();
    if (*ctx == NULL) {
        return zkvm_pc_oom("BN_CTX_new");
    }
    BN_CTX_start(*ctx);
    for (size_t i = 0; i < n; i++) {
        *slots[i] = BN_CTX_get(*ctx);
        if (*slots[i] == NULL) {
            return zkvm_pc_oom("BN_CTX_get");
        }
    }
    return ZK_OK;
}

void zkvm_bn_ctx_close(BN_CTX *ctx)
{
    if (ctx) {
        BN_CTX_end(ctx);
        BN_CTX_free(ctx);
    }
}

enum zk_err zkvm_bn_hex(BIGNUM *r, const char *hex)
{
    BIGNUM *t = r;
    if (!BN_hex2bn(&t, hex)) {
        return zkvm_pc_oom("BN_hex2bn");
    }
    return ZK_OK;
}

enum zk_err zkvm_bn_fermat_inv(BIGNUM *r, const BIGNUM *base, const BIGNUM *p,
                               BN_CTX *ctx)
{
    if (BN_is_zero(base)) {
        BN_zero(r);
        return ZK_OK;
    }
    if (!BN_mod_inverse(r, base, p, ctx)) {
        return zkvm_pc_oom("BN_mod_inverse");
    }
    return ZK_OK;
}
