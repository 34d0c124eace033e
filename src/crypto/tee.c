/*
 * tee.c - the TEE proof digest and signature (ARCHITECTURE.md section 4);
 * see tee.h.
 *
 * digest = sha256(vk || public_values); signature over keccak256(digest),
 * which is what SP1MultiProof.verifyTEEProof recovers against.
 */
#include <config.h>
#include "crypto/tee.h"

#include "base/log.h"
#include "crypto/keccak.h"
#include "crypto/sha256.h"

enum zk_err crypto_tee_digest(struct zk_hash32 *out, const struct zk_hash32 *vk,
                              const uint8_t *public_values, size_t len)
{
    struct crypto_sha256 *h = crypto_sha256_new();
    enum zk_err err;

    if (h == NULL) {
        zk_error("crypto: tee digest: out of memory");
        return ZK_ENOMEM;
    }
    err = crypto_sha256_update(h, vk->b, sizeof(vk->b));
    if (err) {
        goto out;
    }
    err = crypto_sha256_update(h, public_values, len);
    if (err) {
        goto out;
    }
    err = crypto_sha256_final(h, out);
out:
    crypto_sha256_free(h);
    return err;
}

enum zk_err crypto_tee_sign_digest(struct crypto_sig *out,
                                   const struct crypto_seckey *key,
                                   const struct zk_hash32 *digest)
{
    struct zk_hash32 signed_hash;

    crypto_keccak256(&signed_hash, digest->b, sizeof(digest->b));
    return crypto_sign_hash(out, key, &signed_hash);
}

enum zk_err crypto_tee_sign(struct crypto_sig *out,
                            struct zk_hash32 *digest_out,
                            const struct crypto_seckey *key,
                            const struct zk_hash32 *vk,
                            const uint8_t *public_values, size_t len)
{
    struct zk_hash32 digest;
    enum zk_err err = crypto_tee_digest(&digest, vk, public_values, len);

    if (err) {
        return err;
    }
    err = crypto_tee_sign_digest(out, key, &digest);
    if (err) {
        return err;
    }
    if (digest_out != NULL) {
        *digest_out = digest;
    }
    return ZK_OK;
}

enum zk_err crypto_tee_recover(struct crypto_addr *out,
                               const struct zk_hash32 *digest,
                               const struct crypto_sig *sig)
{
    struct zk_hash32 signed_hash;

    crypto_keccak256(&signed_hash, digest->b, sizeof(digest->b));
    return crypto_recover_addr(out, sig, &signed_hash);
}
