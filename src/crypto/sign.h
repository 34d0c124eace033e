/*
 * sign.h - secp256k1 keys, Ethereum-style recoverable ECDSA signatures,
 * Ethereum addresses and EIP-55 checksummed address text.
 *
 * This is the only code in the project that talks to libsecp256k1 (0.2.0,
 * recovery module) and the only code that touches private-key bytes.
 *
 * Context: one libsecp256k1 context per process, created on first use (or
 * by crypto_init), self-tested, and blinded with 32 bytes from getrandom.
 * It is never freed (one allocation, reachable until exit).
 *
 * Thread-safety: all functions are thread-safe after the context exists;
 * creation is guarded by pthread_once.
 *
 * Secrets: private keys live only in struct crypto_seckey. Every function
 * here that copies secret bytes wipes its copies; the caller wipes its own
 * struct crypto_seckey with crypto_seckey_clear. Nothing here logs key
 * material (errors log at most an address).
 *
 * Error classes:
 *   ZK_EINVAL  - malformed encoding (wrong length, bad hex, v not 27/28,
 *                r or s zero / >= n / high-s, bad EIP-55 checksum);
 *   ZK_ECRYPTO - well-formed but cryptographically unusable (secret key 0 or
 *                >= n, public key not on the curve, signature that recovers
 *                to no point);
 *   ZK_EIO     - getrandom failed;
 *   ZK_ENOMEM  - the context could not be allocated.
 * Every error is logged once here ("crypto: <action>: <detail>").
 */
#ifndef ZK_CRYPTO_SIGN_H
#define ZK_CRYPTO_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"

#define CRYPTO_SECKEY_LEN 32u
#define CRYPTO_PUBKEY_LEN 64u /* uncompressed X || Y, no 0x04 prefix */
#define CRYPTO_SIG_LEN    65u /* r || s || v */
#define CRYPTO_ADDR_LEN   20u
/* "0x" + 40 hex digits + NUL: size of the buffer for crypto_addr_to_hex. */
#define CRYPTO_ADDR_HEX_SIZE 43u

/* A valid secp256k1 secret key (0 < k < n), big-endian. Wipe with
 * crypto_seckey_clear; never log, never copy outside crypto/. */
struct crypto_seckey {
    uint8_t b[CRYPTO_SECKEY_LEN];
};

/* A public key: big-endian X then Y (the 65-byte SEC1 uncompressed form
 * without its 0x04 prefix, i.e. what Ethereum hashes). */
struct crypto_pubkey {
    uint8_t b[CRYPTO_PUBKEY_LEN];
};

/* An Ethereum signature: r (32, BE) || s (32, BE) || v (1), v = recid+27.
 * For EIP-1559 transactions, y_parity = b[64] - 27. */
struct crypto_sig {
    uint8_t b[CRYPTO_SIG_LEN];
};

/* An Ethereum address: the last 20 bytes of keccak256(pubkey.b). */
struct crypto_addr {
    uint8_t b[CRYPTO_ADDR_LEN];
};

/*
 * Creates the process-wide context now (optional: every function below
 * does it on first use). Call it early in daemons to fail fast.
 * Returns: ZK_OK, ZK_ENOMEM, ZK_EIO (getrandom), ZK_ECRYPTO (self-test or
 *          randomisation failed). A failure is sticky for the process.
 */
ZK_NODISCARD enum zk_err crypto_init(void);

/* ---- secret keys ---------------------------------------------------- */

/*
 * Generates a uniformly random valid secret key from getrandom(2).
 * Returns: ZK_OK, ZK_EIO, or a crypto_init error. On error *out is zeroed.
 */
ZK_NODISCARD enum zk_err crypto_seckey_generate(struct crypto_seckey *out);

/*
 * Loads a 32-byte big-endian secret key.
 * Returns: ZK_OK; ZK_ECRYPTO if it is 0 or >= the curve order n (then *out
 *          is zeroed).
 */
ZK_NODISCARD enum zk_err crypto_seckey_from_bytes(struct crypto_seckey *out,
                                                  const uint8_t in[32]);

/*
 * Loads a secret key from hex text: exactly 64 hex digits, optional
 * "0x", surrounding ASCII whitespace (e.g. a trailing newline from a key
 * file) ignored. The temporary copy is wiped.
 * Returns: ZK_OK; ZK_EINVAL for bad text; ZK_ECRYPTO for 0 or >= n.
 */
ZK_NODISCARD enum zk_err crypto_seckey_from_hex(struct crypto_seckey *out,
                                                const char *hex);

/* Wipes the key (zk_memclear). NULL-safe. */
void crypto_seckey_clear(struct crypto_seckey *key);

/* Out: the public key of key. Returns ZK_OK, ZK_ECRYPTO, or init errors. */
ZK_NODISCARD enum zk_err
crypto_seckey_to_pubkey(struct crypto_pubkey *out,
                        const struct crypto_seckey *key);

/* Out: the Ethereum address of key. Returns as crypto_seckey_to_pubkey. */
ZK_NODISCARD enum zk_err crypto_seckey_to_addr(struct crypto_addr *out,
                                               const struct crypto_seckey *key);

/* ---- public keys and addresses --------------------------------------- */

/*
 * Parses a SEC1 public key: 65 bytes (0x04 || X || Y), 33 bytes (0x02/0x03
 * || X), or 64 bytes (X || Y). Checks that the point is on the curve.
 * Returns: ZK_OK; ZK_EINVAL (length/prefix); ZK_ECRYPTO (not on curve).
 */
ZK_NODISCARD enum zk_err crypto_pubkey_parse(struct crypto_pubkey *out,
                                             const uint8_t *in, size_t len);

/* Out: last 20 bytes of keccak256(pubkey->b). Cannot fail. */
void crypto_pubkey_to_addr(struct crypto_addr *out,
                           const struct crypto_pubkey *pubkey);

/*
 * Formats addr as EIP-55 mixed-case checksummed text, "0x" prefixed,
 * NUL-terminated, into out (CRYPTO_ADDR_HEX_SIZE bytes). Cannot fail.
 * Example: 0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed.
 */
void crypto_addr_to_hex(char out[CRYPTO_ADDR_HEX_SIZE],
                        const struct crypto_addr *addr);

/*
 * Parses address text: optional "0x"/"0X", exactly 40 hex digits, no
 * whitespace. All-lower-case and all-upper-case digits are accepted
 * without a checksum (EIP-55 treats them as unchecksummed); mixed case
 * must match the EIP-55 checksum exactly.
 * Returns: ZK_OK or ZK_EINVAL (logged, *out zeroed).
 */
ZK_NODISCARD enum zk_err crypto_addr_from_hex(struct crypto_addr *out,
                                              const char *str);

/* True iff the 20 bytes are equal (public data: plain compare). */
bool crypto_addr_eq(const struct crypto_addr *a, const struct crypto_addr *b);

/* ---- signatures ------------------------------------------------------ */

/*
 * Signs a 32-byte hash (the caller has already hashed: for Ethereum
 * messages that is some keccak256) with RFC 6979 deterministic nonces.
 * The result is always low-s (s <= n/2, EIP-2) with v = recid + 27.
 * Returns: ZK_OK, ZK_ECRYPTO (invalid key; practically impossible for a key
 *          from this module), or crypto_init errors.
 */
ZK_NODISCARD enum zk_err crypto_sign_hash(struct crypto_sig *out,
                                          const struct crypto_seckey *key,
                                          const struct zk_hash32 *hash);

/*
 * Strict signature validation, the rules this project enforces everywhere
 * (they match OpenZeppelin's ECDSA.recover, which on-chain verifiers use):
 *   v is 27 or 28; 0 < r < n; 0 < s <= n/2 (high-s is REJECTED: every
 *   signer we know, including libsecp256k1, produces low-s, and accepting
 *   both forms would make signatures malleable).
 * Returns: ZK_OK or ZK_EINVAL with a log line naming the rule broken.
 */
ZK_NODISCARD enum zk_err crypto_sig_check(const struct crypto_sig *sig);

/*
 * Copies len bytes into *out after checking len == 65 and
 * crypto_sig_check. Returns ZK_OK or ZK_EINVAL (logged, *out zeroed).
 */
ZK_NODISCARD enum zk_err crypto_sig_parse(struct crypto_sig *out,
                                          const uint8_t *in, size_t len);

/*
 * Recovers the public key that produced sig over hash. Runs
 * crypto_sig_check first.
 * Returns: ZK_OK; ZK_EINVAL (malformed, see crypto_sig_check); ZK_ECRYPTO
 *          (r is not the x of any curve point for this v, or the
 *          recovered point is infinity); init errors. Logged.
 */
ZK_NODISCARD enum zk_err crypto_recover_pubkey(struct crypto_pubkey *out,
                                               const struct crypto_sig *sig,
                                               const struct zk_hash32 *hash);

/* As crypto_recover_pubkey, then crypto_pubkey_to_addr. */
ZK_NODISCARD enum zk_err crypto_recover_addr(struct crypto_addr *out,
                                             const struct crypto_sig *sig,
                                             const struct zk_hash32 *hash);

#endif
