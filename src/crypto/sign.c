/*
 * sign.c - secp256k1 through libsecp256k1 0.2.0 (with the recovery
 * module), Ethereum addresses and EIP-55; see sign.h.
 *
 * Specs: SEC 1 v2 (point encodings), RFC 6979 (deterministic nonces, done
 * by libsecp256k1), EIP-2 (low-s), the Yellow Paper appendix F (ECDSA
 * recovery, v = 27 + recovery id, address = last 20 bytes of
 * KEC(pubkey)), EIP-55 (mixed-case checksum).
 *
 * libsecp256k1 types never leave this file.
 */
#include <config.h>
#include "crypto/sign.h"

#include <ctype.h>
#include <pthread.h>
#include <string.h>

#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/keccak.h"
#include "crypto/rand.h"

/* The group order n, big-endian (SEC 2 section 2.4.1). */
static const uint8_t curve_n[32] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xfe, 0xba, 0xae, 0xdc, 0xe6, 0xaf, 0x48,
    0xa0, 0x3b, 0xbf, 0xd2, 0x5e, 0x8c, 0xd0, 0x36, 0x41, 0x41,
};

/* floor(n / 2), big-endian: the largest s EIP-2 accepts. */
static const uint8_t curve_half_n[32] = {
    0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0x5d, 0x57, 0x6e, 0x73, 0x57, 0xa4,
    0x50, 0x1d, 0xdf, 0xe9, 0x2f, 0x46, 0x68, 0x1b, 0x20, 0xa0,
};

/* ---- the process-wide context ----------------------------------------- */

static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;
static secp256k1_context *ctx; /* set once, never freed */
static enum zk_err ctx_err;    /* sticky result of ctx_create */

static void ctx_create(void)
{
    uint8_t seed[32];
    secp256k1_context *c;

    /* Checks the library's own arithmetic once (aborts on failure). */
    secp256k1_selftest();
    c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
    if (c == NULL) {
        zk_error("crypto: context: allocation failed");
        ctx_err = ZK_ENOMEM;
        return;
    }
    /* Blinding against side channels in signing and key generation. */
    ctx_err = crypto_random_bytes(seed, sizeof(seed));
    if (ctx_err) {
        secp256k1_context_destroy(c);
        return;
    }
    if (!secp256k1_context_randomize(c, seed)) {
        zk_error("crypto: context: randomize failed");
        zk_memclear(seed, sizeof(seed));
        secp256k1_context_destroy(c);
        ctx_err = ZK_ECRYPTO;
        return;
    }
    zk_memclear(seed, sizeof(seed));
    ctx = c;
    ctx_err = ZK_OK;
}

enum zk_err crypto_init(void)
{
    if (pthread_once(&ctx_once, ctx_create) != 0) {
        zk_error("crypto: context: pthread_once failed");
        return ZK_EINTERNAL;
    }
    return ctx_err;
}

/* ---- big-endian 256-bit comparisons (public values only) --------------- */

static bool is_zero32(const uint8_t *a)
{
    uint8_t acc = 0;
    for (size_t i = 0; i < 32; i++) {
        acc |= a[i];
    }
    return acc == 0;
}

/* memcmp on equal-length big-endian numbers is numeric comparison. */
static int cmp32(const uint8_t *a, const uint8_t *b)
{
    return memcmp(a, b, 32);
}

/* ---- secret keys ------------------------------------------------------- */

enum zk_err crypto_seckey_generate(struct crypto_seckey *out)
{
    enum zk_err err = crypto_init();

    if (err) {
        goto out;
    }
    /*
     * Rejection sampling: a uniform 256-bit value is >= n with probability
     * about 2^-128, so this loop practically never repeats; the bound only
     * turns a broken RNG (all zeros, all ones) into an error.
     */
    for (int attempt = 0; attempt < 64; attempt++) {
        err = crypto_random_bytes(out->b, sizeof(out->b));
        if (err) {
            goto out;
        }
        if (secp256k1_ec_seckey_verify(ctx, out->b)) {
            return ZK_OK;
        }
    }
    zk_error("crypto: generate key: RNG produced 64 invalid keys in a row");
    err = ZK_EINTERNAL;
out:
    zk_memclear(out, sizeof(*out));
    return err;
}

enum zk_err crypto_seckey_from_bytes(struct crypto_seckey *out,
                                     const uint8_t in[32])
{
    /* The static context suffices for a range check (no blinding used). */
    if (!secp256k1_ec_seckey_verify(secp256k1_context_static, in)) {
        zk_error("crypto: load key: secret key is zero or not below n");
        zk_memclear(out, sizeof(*out));
        return ZK_ECRYPTO;
    }
    memcpy(out->b, in, sizeof(out->b));
    return ZK_OK;
}

enum zk_err crypto_seckey_from_hex(struct crypto_seckey *out, const char *hex)
{
    uint8_t tmp[32];
    size_t start = 0, end = strlen(hex), got = 0;
    enum zk_err err;

    while (start < end && isspace((unsigned char)hex[start])) {
        start++;
    }
    while (end > start && isspace((unsigned char)hex[end - 1])) {
        end--;
    }
    /* 64 digits, plus 2 for an optional 0x. Never log the text itself. */
    if (end - start != 64 && end - start != 66) {
        zk_error("crypto: load key: expected 64 hex digits, got %zu chars",
                 end - start);
        err = ZK_EINVAL;
        goto out;
    }
    err = zk_hex_decode(tmp, sizeof(tmp), &got, hex + start, end - start);
    if (err || got != sizeof(tmp)) {
        zk_error("crypto: load key: not 32 bytes of hex");
        err = ZK_EINVAL;
        goto out;
    }
    err = crypto_seckey_from_bytes(out, tmp);
out:
    if (err) {
        zk_memclear(out, sizeof(*out));
    }
    zk_memclear(tmp, sizeof(tmp));
    return err;
}

void crypto_seckey_clear(struct crypto_seckey *key)
{
    if (key != NULL) {
        zk_memclear(key, sizeof(*key));
    }
}

/* Serialises a libsecp256k1 public key as X || Y (64 bytes). */
static void pubkey_store(struct crypto_pubkey *out, const secp256k1_pubkey *pk)
{
    uint8_t ser[65];
    size_t len = sizeof(ser);

    /* Cannot fail for a valid pubkey object and a 65-byte buffer. */
    (void)secp256k1_ec_pubkey_serialize(ctx, ser, &len, pk,
                                        SECP256K1_EC_UNCOMPRESSED);
    ZK_ASSERT(len == 65 && ser[0] == 0x04);
    memcpy(out->b, ser + 1, 64);
}

enum zk_err crypto_seckey_to_pubkey(struct crypto_pubkey *out,
                                    const struct crypto_seckey *key)
{
    secp256k1_pubkey pk;
    enum zk_err err = crypto_init();

    if (err) {
        return err;
    }
    if (!secp256k1_ec_pubkey_create(ctx, &pk, key->b)) {
        zk_error("crypto: derive pubkey: invalid secret key");
        return ZK_ECRYPTO;
    }
    pubkey_store(out, &pk);
    return ZK_OK;
}

enum zk_err crypto_seckey_to_addr(struct crypto_addr *out,
                                  const struct crypto_seckey *key)
{
    struct crypto_pubkey pub;
    enum zk_err err = crypto_seckey_to_pubkey(&pub, key);

    if (err) {
        return err;
    }
    crypto_pubkey_to_addr(out, &pub);
    return ZK_OK;
}

/* ---- public keys and addresses ----------------------------------------- */

enum zk_err crypto_pubkey_parse(struct crypto_pubkey *out, const uint8_t *in,
                                size_t len)
{
    uint8_t ser[65];
    const uint8_t *p = in;
    secp256k1_pubkey pk;
    enum zk_err err = crypto_init();

    if (err) {
        return err;
    }
    /*
     * libsecp256k1 also accepts the SEC 1 "hybrid" forms 0x06/0x07; we
     * take only the plain compressed and uncompressed ones.
     */
    if (len == 64) {
        ser[0] = 0x04;
        memcpy(ser + 1, in, 64);
        p = ser;
        len = 65;
    } else if (len == 65) {
        if (in[0] != 0x04) {
            zk_warn("crypto: parse pubkey: 65-byte key must start with 04");
            return ZK_EINVAL;
        }
    } else if (len == 33) {
        if (in[0] != 0x02 && in[0] != 0x03) {
            zk_warn("crypto: parse pubkey: 33-byte key must start with "
                    "02 or 03");
            return ZK_EINVAL;
        }
    } else {
        zk_warn("crypto: parse pubkey: length %zu is not 33, 64 or 65", len);
        return ZK_EINVAL;
    }
    if (!secp256k1_ec_pubkey_parse(ctx, &pk, p, len)) {
        zk_warn("crypto: parse pubkey: point is not on the curve");
        return ZK_ECRYPTO;
    }
    pubkey_store(out, &pk);
    return ZK_OK;
}

void crypto_pubkey_to_addr(struct crypto_addr *out,
                           const struct crypto_pubkey *pubkey)
{
    struct zk_hash32 h;

    /* Yellow Paper (284): A(p) = B_{96..255}(KEC(ECDSAPUBKEY(p))). */
    crypto_keccak256(&h, pubkey->b, sizeof(pubkey->b));
    memcpy(out->b, h.b + 12, sizeof(out->b));
}

/* EIP-55: the i-th hex letter is upper case iff the i-th nibble of
 * keccak256(lower-case hex text) is >= 8. */
static void eip55_apply(char digits[40])
{
    struct zk_hash32 h;

    crypto_keccak256(&h, (const uint8_t *)digits, 40);
    for (size_t i = 0; i < 40; i++) {
        unsigned nib = (i % 2 == 0) ? (h.b[i / 2] >> 4) : (h.b[i / 2] & 15u);
        if (digits[i] >= 'a' && digits[i] <= 'f' && nib >= 8) {
            digits[i] = (char)(digits[i] - 'a' + 'A');
        }
    }
}

void crypto_addr_to_hex(char out[CRYPTO_ADDR_HEX_SIZE],
                        const struct crypto_addr *addr)
{
    /* Cannot fail: the buffer is exactly 2 + 40 + 1 bytes. */
    enum zk_err err = zk_hex_encode(out, CRYPTO_ADDR_HEX_SIZE, addr->b,
                                    sizeof(addr->b), true);
    ZK_ASSERT(err == ZK_OK);
    eip55_apply(out + 2);
}

enum zk_err crypto_addr_from_hex(struct crypto_addr *out, const char *str)
{
    char lower[40], checked[40];
    size_t n = strlen(str);
    size_t got = 0;
    bool has_upper = false, has_lower = false;

    if (n >= 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
        str += 2;
        n -= 2;
    }
    if (n != 40) {
        zk_warn("crypto: parse address: expected 40 hex digits, got %zu", n);
        goto bad;
    }
    if (zk_hex_decode(out->b, sizeof(out->b), &got, str, 40) != ZK_OK ||
        got != sizeof(out->b)) {
        zk_warn("crypto: parse address: not hex");
        goto bad;
    }
    for (size_t i = 0; i < 40; i++) {
        char c = str[i];
        has_upper |= (c >= 'A' && c <= 'F');
        has_lower |= (c >= 'a' && c <= 'f');
        lower[i] = (char)tolower((unsigned char)c);
    }
    /* EIP-55 "Implementation": single-case input carries no checksum. */
    if (!(has_upper && has_lower)) {
        return ZK_OK;
    }
    memcpy(checked, lower, sizeof(checked));
    eip55_apply(checked);
    if (memcmp(checked, str, 40) != 0) {
        zk_warn("crypto: parse address: EIP-55 checksum mismatch");
        goto bad;
    }
    return ZK_OK;
bad:
    memset(out, 0, sizeof(*out));
    return ZK_EINVAL;
}

bool crypto_addr_eq(const struct crypto_addr *a, const struct crypto_addr *b)
{
    return memcmp(a->b, b->b, sizeof(a->b)) == 0;
}

/* ---- signatures -------------------------------------------------------- */

enum zk_err crypto_sig_check(const struct crypto_sig *sig)
{
    const uint8_t *r = sig->b, *s = sig->b + 32;
    uint8_t v = sig->b[64];

    if (v != 27 && v != 28) {
        zk_warn("crypto: check signature: v=%u is not 27 or 28", v);
        return ZK_EINVAL;
    }
    if (is_zero32(r) || cmp32(r, curve_n) >= 0) {
        zk_warn("crypto: check signature: r is zero or not below n");
        return ZK_EINVAL;
    }
    if (is_zero32(s) || cmp32(s, curve_n) >= 0) {
        zk_warn("crypto: check signature: s is zero or not below n");
        return ZK_EINVAL;
    }
    /* EIP-2 / OpenZeppelin ECDSA: s must be in the lower half. */
    if (cmp32(s, curve_half_n) > 0) {
        zk_warn("crypto: check signature: s is above n/2 (high-s, "
                "malleable form)");
        return ZK_EINVAL;
    }
    return ZK_OK;
}

enum zk_err crypto_sig_parse(struct crypto_sig *out, const uint8_t *in,
                             size_t len)
{
    enum zk_err err;

    if (len != CRYPTO_SIG_LEN) {
        zk_warn("crypto: parse signature: length %zu is not 65", len);
        memset(out, 0, sizeof(*out));
        return ZK_EINVAL;
    }
    memcpy(out->b, in, CRYPTO_SIG_LEN);
    err = crypto_sig_check(out);
    if (err) {
        memset(out, 0, sizeof(*out));
    }
    return err;
}

enum zk_err crypto_sign_hash(struct crypto_sig *out,
                             const struct crypto_seckey *key,
                             const struct zk_hash32 *hash)
{
    secp256k1_ecdsa_recoverable_signature rsig;
    struct crypto_pubkey mine, back;
    int recid = -1;
    enum zk_err err = crypto_init();

    if (err) {
        return err;
    }
    /* NULL nonce function = RFC 6979; the result is always low-s. */
    if (!secp256k1_ecdsa_sign_recoverable(ctx, &rsig, hash->b, key->b, NULL,
                                          NULL)) {
        zk_error("crypto: sign: invalid secret key");
        return ZK_ECRYPTO;
    }
    (void)secp256k1_ecdsa_recoverable_signature_serialize_compact(
        ctx, out->b, &recid, &rsig);
    ZK_ASSERT(recid >= 0 && recid <= 3);
    /*
     * recid 2/3 means R.x >= n (probability ~2^-127); Ethereum's v cannot
     * express it, and RFC 6979 gives no other nonce for this message, so
     * refuse rather than emit an unverifiable signature.
     */
    if (recid > 1) {
        zk_error("crypto: sign: recovery id %d cannot be encoded as v", recid);
        return ZK_ECRYPTO;
    }
    out->b[64] = (uint8_t)(27 + recid);
    /*
     * Verify before release: a fault during signing must not leak a bad
     * signature (which can reveal the key). Recovery checks the signature
     * against the hash and yields the signer.
     */
    err = crypto_seckey_to_pubkey(&mine, key);
    if (!err) {
        err = crypto_recover_pubkey(&back, out, hash);
    }
    if (err || memcmp(mine.b, back.b, sizeof(mine.b)) != 0) {
        zk_error("crypto: sign: self-check failed, signature discarded");
        memset(out, 0, sizeof(*out));
        return ZK_EINTERNAL;
    }
    return ZK_OK;
}

enum zk_err crypto_recover_pubkey(struct crypto_pubkey *out,
                                  const struct crypto_sig *sig,
                                  const struct zk_hash32 *hash)
{
    secp256k1_ecdsa_recoverable_signature rsig;
    secp256k1_pubkey pk;
    enum zk_err err = crypto_init();

    if (err) {
        return err;
    }
    err = crypto_sig_check(sig);
    if (err) {
        return err;
    }
    if (!secp256k1_ecdsa_recoverable_signature_parse_compact(ctx, &rsig, sig->b,
                                                             sig->b[64] - 27)) {
        /* Unreachable after crypto_sig_check (r, s < n); kept as a guard. */
        zk_warn("crypto: recover: signature rejected by libsecp256k1 parse");
        return ZK_EINVAL;
    }
    if (!secp256k1_ecdsa_recover(ctx, &pk, &rsig, hash->b)) {
        zk_warn("crypto: recover: no public key for this signature and hash");
        return ZK_ECRYPTO;
    }
    pubkey_store(out, &pk);
    return ZK_OK;
}

enum zk_err crypto_recover_addr(struct crypto_addr *out,
                                const struct crypto_sig *sig,
                                const struct zk_hash32 *hash)
{
    struct crypto_pubkey pub;
    enum zk_err err = crypto_recover_pubkey(&pub, sig, hash);

    if (err) {
        return err;
    }
    crypto_pubkey_to_addr(out, &pub);
    return ZK_OK;
}
