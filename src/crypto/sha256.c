/*
 * sha256.c - SHA-256 (FIPS 180-4) through OpenSSL 3 EVP; see sha256.h.
 *
 * EVP is used instead of the low-level SHA256_* calls, which OpenSSL 3.0
 * deprecates. The digest object is fetched once per call site through
 * EVP_sha256(), which returns a static, thread-safe method table.
 */
#include <config.h>
#include "crypto/sha256.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/log.h"
#include "base/mem.h"

struct crypto_sha256 {
    EVP_MD_CTX *md; /* owned */
};

/* Logs the oldest queued OpenSSL error (if any) and clears the queue. */
static void log_openssl(const char *action)
{
    char buf[256];
    unsigned long e = ERR_get_error();

    if (e == 0) {
        zk_error("crypto: %s: OpenSSL failed (no error queued)", action);
        return;
    }
    ERR_error_string_n(e, buf, sizeof(buf));
    zk_error("crypto: %s: %s", action, buf);
    ERR_clear_error();
}

enum zk_err crypto_sha256(struct zk_hash32 *out, const uint8_t *in, size_t len)
{
    static const uint8_t empty[1];
    unsigned int md_len = 0;

    /* EVP_Digest wants a valid pointer even for 0 bytes. */
    if (in == NULL) {
        in = empty;
        len = 0;
    }
    if (EVP_Digest(in, len, out->b, &md_len, EVP_sha256(), NULL) != 1) {
        log_openssl("sha256");
        return ZK_ECRYPTO;
    }
    if (md_len != sizeof(out->b)) {
        zk_error("crypto: sha256: unexpected digest length %u", md_len);
        return ZK_EINTERNAL;
    }
    return ZK_OK;
}

struct crypto_sha256 *crypto_sha256_new(void)
{
    struct crypto_sha256 *ctx = zk_calloc(1, sizeof(*ctx));

    if (ctx == NULL) {
        return NULL;
    }
    ctx->md = EVP_MD_CTX_new();
    if (ctx->md == NULL) {
        zk_free(ctx);
        return NULL;
    }
    if (EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1) {
        log_openssl("sha256 init");
        crypto_sha256_free(ctx);
        return NULL;
    }
    return ctx;
}

void crypto_sha256_free(struct crypto_sha256 *ctx)
{
    if (ctx == NULL) {
        return;
    }
    EVP_MD_CTX_free(ctx->md);
    zk_free(ctx);
}

enum zk_err crypto_sha256_update(struct crypto_sha256 *ctx, const uint8_t *in,
                                 size_t len)
{
    if (len == 0) {
        return ZK_OK;
    }
    if (EVP_DigestUpdate(ctx->md, in, len) != 1) {
        log_openssl("sha256 update");
        return ZK_ECRYPTO;
    }
    return ZK_OK;
}

enum zk_err crypto_sha256_final(struct crypto_sha256 *ctx,
                                struct zk_hash32 *out)
{
    unsigned int md_len = 0;

    if (EVP_DigestFinal_ex(ctx->md, out->b, &md_len) != 1) {
        log_openssl("sha256 final");
        return ZK_ECRYPTO;
    }
    if (md_len != sizeof(out->b)) {
        zk_error("crypto: sha256: unexpected digest length %u", md_len);
        return ZK_EINTERNAL;
    }
    /* Ready for the next message (the header promises reuse). */
    if (EVP_DigestInit_ex(ctx->md, EVP_sha256(), NULL) != 1) {
        log_openssl("sha256 reinit");
        return ZK_ECRYPTO;
    }
    return ZK_OK;
}
