/*
 * keccak.h - Keccak-f[1600] and Ethereum's Keccak-256.
 *
 * Keccak-256 here is the *original* Keccak submission as used by Ethereum
 * (rate 1088 bits, capacity 512, multi-rate padding with domain byte 0x01),
 * NOT FIPS-202 SHA3-256 (same permutation, domain byte 0x06). OpenSSL 3.0
 * only has SHA3-256, so this module implements the permutation by hand.
 *
 * Never fails, never allocates, never logs. All functions are reentrant;
 * a context must not be shared between threads without locking. Not
 * constant-time concerns: Keccak has no secret-dependent branches or table
 * lookups in this implementation.
 */
#ifndef ZK_CRYPTO_KECCAK_H
#define ZK_CRYPTO_KECCAK_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"

/* Rate of Keccak-256 in bytes (1600 - 2*256 bits). */
#define CRYPTO_KECCAK256_RATE 136u

/*
 * The Keccak-f[1600] permutation, 24 rounds, in place.
 *
 * In/Out: st - the 25 lanes of the state. Lane (x, y) is st[x + 5*y]
 *              (the FIPS-202 / SP1 KECCAK_PERMUTE order). Each lane is a
 *              host-order uint64_t whose value is the little-endian reading
 *              of the 8 state bytes: byte i of the 200-byte state is
 *              (st[i / 8] >> (8 * (i % 8))) & 0xff.
 */
void crypto_keccak_f1600(uint64_t st[25]);

/*
 * Incremental Keccak-256. Caller-embedded; no cleanup needed (final wipes).
 * Usage: init, update any number of times (any lengths, including 0),
 * final once. After final the context is zeroed; call init to reuse it.
 */
struct crypto_keccak_ctx {
    uint64_t st[25]; /* sponge state, lane order as crypto_keccak_f1600 */
    size_t pos;      /* bytes absorbed into the current block, < RATE */
};

/* Out: ctx - an empty Keccak-256 sponge. */
void crypto_keccak256_init(struct crypto_keccak_ctx *ctx);

/* In/Out: ctx - absorbs len bytes at in (in may be NULL when len == 0). */
void crypto_keccak256_update(struct crypto_keccak_ctx *ctx, const uint8_t *in,
                             size_t len);

/* Pads (0x01 ... 0x80), squeezes 32 bytes into out and zeroes ctx. */
void crypto_keccak256_final(struct crypto_keccak_ctx *ctx,
                            struct zk_hash32 *out);

/*
 * One-shot Keccak-256 of len bytes at in (in may be NULL when len == 0).
 * Example: keccak256("") = c5d2460186f7233c927e7db2dcc703c0
 *                          e500b653ca82273b7bfad8045d85a470.
 */
void crypto_keccak256(struct zk_hash32 *out, const uint8_t *in, size_t len);

#endif
