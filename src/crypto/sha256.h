/*
 * sha256.h - SHA-256 (FIPS 180-4) through OpenSSL 3 EVP.
 *
 * OpenSSL types never leave crypto/: the incremental context is opaque.
 * The only possible failure is OpenSSL running out of memory (or an
 * internal OpenSSL error); it is logged here and returned as ZK_ENOMEM or
 * ZK_ECRYPTO. Reentrant; a context must not be shared between threads.
 */
#ifndef ZK_CRYPTO_SHA256_H
#define ZK_CRYPTO_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"

/*
 * One-shot SHA-256.
 * Returns: ZK_OK, ZK_ENOMEM or ZK_ECRYPTO (OpenSSL failure; logged).
 * Out:     out - the digest (unspecified on error).
 * In:      in, len - the message (in may be NULL when len == 0).
 */
ZK_NODISCARD enum zk_err crypto_sha256(struct zk_hash32 *out, const uint8_t *in,
                                       size_t len);

/* Incremental SHA-256 (heap object wrapping an EVP_MD_CTX). */
struct crypto_sha256;

/* Returns a fresh context ready for update, or NULL on out-of-memory.
 * Free with crypto_sha256_free. */
struct crypto_sha256 *crypto_sha256_new(void);

/* NULL-safe. */
void crypto_sha256_free(struct crypto_sha256 *ctx);

/* Absorbs len bytes. Returns ZK_OK or ZK_ECRYPTO (logged). */
ZK_NODISCARD enum zk_err crypto_sha256_update(struct crypto_sha256 *ctx,
                                              const uint8_t *in, size_t len);

/*
 * Writes the digest of everything absorbed since new/the last final into
 * out, then re-initialises ctx so it can hash a new message.
 * Returns ZK_OK or ZK_ECRYPTO (logged). After an error the context must
 * only be freed.
 */
ZK_NODISCARD enum zk_err crypto_sha256_final(struct crypto_sha256 *ctx,
                                             struct zk_hash32 *out);

#endif
