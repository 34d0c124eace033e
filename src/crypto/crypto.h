/*
 * crypto.h - umbrella header for the crypto module (libzkcrypto.a).
 *
 *   crypto/keccak.h  Keccak-f[1600], Ethereum Keccak-256 (one-shot and
 *                    incremental)
 *   crypto/sha256.h  SHA-256 via OpenSSL EVP (one-shot and incremental)
 *   crypto/rand.h    getrandom(2) bytes
 *   crypto/sign.h    secp256k1 keys, r||s||v signatures, recovery,
 *                    Ethereum addresses, EIP-55
 *   crypto/tee.h     the TEE proof digest/sign/recover (ARCHITECTURE.md 4)
 *
 * Link with libzkcrypto.a libzkbase.a $(SECP256K1_LIBS) $(OPENSSL_LIBS)
 * $(PTHREAD_LIBS). No OpenSSL or libsecp256k1 type appears in any of these
 * headers. See docs/crypto.md.
 */
#ifndef ZK_CRYPTO_CRYPTO_H
#define ZK_CRYPTO_CRYPTO_H

#include "crypto/keccak.h"
#include "crypto/rand.h"
#include "crypto/sha256.h"
#include "crypto/sign.h"
#include "crypto/tee.h"

#endif
