/*
 * rand.h - bytes from the kernel CSPRNG (getrandom(2), blocking until the
 * pool is initialised, retried on EINTR and short reads).
 *
 * Thread-safe. Used for key generation, context blinding, and anything
 * else that needs unpredictable bytes (ids, nonces).
 */
#ifndef ZK_CRYPTO_RAND_H
#define ZK_CRYPTO_RAND_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

/*
 * Fills out[0..len) with random bytes.
 * Returns: ZK_OK, or ZK_EIO if getrandom fails (errno logged); out is
 *          then zeroed.
 */
ZK_NODISCARD enum zk_err crypto_random_bytes(uint8_t *out, size_t len);

#endif
