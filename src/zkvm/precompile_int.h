/*
 * precompile_int.h - helpers shared by the precompile_*.c files: curve
 * constants, little-endian word <-> BIGNUM conversion and the trap helper.
 * Internal to src/zkvm; OpenSSL types never leave these files.
 */
#ifndef ZK_ZKVM_PRECOMPILE_INT_H
#define ZK_ZKVM_PRECOMPILE_INT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/bn.h>

#include "base/compiler.h"
#include "base/err.h"
#include "zkvm/precompile.h"

/* Constants of one curve, big-endian hex (a/b NULL when unused). */
struct zkvm_curve_info {
    const char *name;
    size_t words;  /* words per field element */
    const char *p; /* base-field modulus */
    const char *a; /* Weierstrass a (or Edwards d) */
    const char *b; /* Weierstrass b */
    const char *n; /* group order (k1, r1 only) */
};

const struct zkvm_curve_info *zkvm_curve_get(enum zkvm_curve c);

/* Records <what> (a static string) as the last trap reason and returns
 * ZK_ETRAP (an SP1 panic). */
enum zk_err zkvm_pc_trap(const char *what);

/* Records <what> and returns ZK_ELIMIT: an input SP1 would take but we
 * refuse (it would hang SP1 or cost unbounded host time). */
enum zk_err zkvm_pc_refuse(const char *what);

/* Logs an OpenSSL failure, clears its error queue, returns ZK_ENOMEM. */
enum zk_err zkvm_pc_oom(const char *where);

/* r = the n-word little-endian integer at w. */
ZK_NODISCARD enum zk_err zkvm_bn_from_words(BIGNUM *r, const uint32_t *w,
                                            size_t n);

/* w[0..n) = a (a >= 0); ZK_EINTERNAL if a does not fit in n words. */
ZK_NODISCARD enum zk_err zkvm_bn_to_words(uint32_t *w, size_t n,
                                          const BIGNUM *a);

/* *ctx = a new BN_CTX, started, and *slots[i] (i < n) = BIGNUMs from it.
 * On failure (ZK_ENOMEM, logged) *ctx may be set: always pair with
 * zkvm_bn_ctx_close, which takes NULL too. */
ZK_NODISCARD enum zk_err zkvm_bn_ctx_open(BN_CTX **ctx, BIGNUM **const *slots,
                                          size_t n);

/* Ends and frees a context from zkvm_bn_ctx_open (NULL is a no-op). */
void zkvm_bn_ctx_close(BN_CTX *ctx);

/* r = the hex constant (r from a BN_CTX or BN_new). */
ZK_NODISCARD enum zk_err zkvm_bn_hex(BIGNUM *r, const char *hex);

/* r = base^(p-2) mod p computed as an inverse: 0 for base == 0 (what
 * SP1's modpow gives), else the inverse (p prime). base must be < p. */
ZK_NODISCARD enum zk_err zkvm_bn_fermat_inv(BIGNUM *r, const BIGNUM *base,
                                            const BIGNUM *p, BN_CTX *ctx);

#endif
