/*
 * b64.h - strict base64 decoding for the v1 API (standard or URL-safe
 * alphabet, '=' padding required, no whitespace, canonical only).
 */
#ifndef ZK_API_B64_H
#define ZK_API_B64_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

/* Bytes needed to decode in_len characters. */
static inline size_t api_b64_max_decoded(size_t in_len)
{
    return in_len / 4 * 3;
}

/*
 * Decodes in[0..in_len) into out (capacity out_cap).
 * Returns ZK_OK (*len_out = bytes), ZK_EINVAL (bad character, length or
 * padding), ZK_ELIMIT (out too small).
 */
ZK_NODISCARD enum zk_err api_b64_decode(uint8_t *out, size_t out_cap,
                                        size_t *len_out, const char *in,
                                        size_t in_len);

#endif
