/*
 * tee.h - the TEE proof signature (ARCHITECTURE.md section 4).
 *
 *   digest      = sha256(vk || public_values)           (32 bytes)
 *   signed hash = keccak256(digest)
 *   signature   = r || s || v, low-s, v = recid + 27     (65 bytes)
 *   signer      = recover(keccak256(digest), signature)  (an address)
 *
 * This mirrors SP1MultiProof.verifyTEEProof(encodedMessageBytes = digest,
 * signature), which does ecrecover(keccak256(digest), ...). Thread-safe.
 * Errors are logged at the site (see sign.h for the classes).
 */
#ifndef ZK_CRYPTO_TEE_H
#define ZK_CRYPTO_TEE_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"
#include "crypto/sign.h"

/*
 * Out: digest = sha256(vk->b || public_values[0..len)).
 * In:  public_values may be NULL when len == 0.
 * Returns: ZK_OK, ZK_ENOMEM, ZK_ECRYPTO (OpenSSL failure).
 */
ZK_NODISCARD enum zk_err crypto_tee_digest(struct zk_hash32 *out,
                                           const struct zk_hash32 *vk,
                                           const uint8_t *public_values,
                                           size_t len);

/*
 * Out: sig = sign(key, keccak256(digest)).
 * Returns: as crypto_sign_hash.
 */
ZK_NODISCARD enum zk_err crypto_tee_sign_digest(struct crypto_sig *out,
                                                const struct crypto_seckey *key,
                                                const struct zk_hash32 *digest);

/*
 * Convenience: computes the digest of (vk, public_values) and signs it.
 * Out: sig, and digest_out if not NULL.
 */
ZK_NODISCARD enum zk_err
crypto_tee_sign(struct crypto_sig *out, struct zk_hash32 *digest_out,
                const struct crypto_seckey *key, const struct zk_hash32 *vk,
                const uint8_t *public_values, size_t len);

/*
 * Verification counterpart: recovers the signer address of sig over
 * keccak256(digest). The caller compares it with the expected/registered
 * signer. Strict signature rules apply (crypto_sig_check).
 * Returns: as crypto_recover_addr.
 */
ZK_NODISCARD enum zk_err crypto_tee_recover(struct crypto_addr *out,
                                            const struct zk_hash32 *digest,
                                            const struct crypto_sig *sig);

#endif
