/*
 * hex.h - strict hexadecimal encoding and decoding.
 *
 * Decoding accepts an optional "0x"/"0X" prefix, upper or lower case
 * digits, and rejects odd lengths, any non-hex character and an output
 * that does not fit. Encoding writes lower case, NUL-terminated.
 */
#ifndef ZK_BASE_HEX_H
#define ZK_BASE_HEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

/* Writes 2*len hex digits and a NUL to out (out_size >= 2*len+1, plus 2
 * if with_prefix). Returns ZK_ELIMIT if out is too small. */
ZK_NODISCARD enum zk_err zk_hex_encode(char *out, size_t out_size,
                                       const uint8_t *in, size_t len,
                                       bool with_prefix);

/* Decodes the first str_len chars of str into out (capacity out_cap).
 * *len_out = bytes written. ZK_EINVAL on odd length / bad digit,
 * ZK_ELIMIT if out_cap is too small. */
ZK_NODISCARD enum zk_err zk_hex_decode(uint8_t *out, size_t out_cap,
                                       size_t *len_out, const char *str,
                                       size_t str_len);

/* Decodes exactly len bytes (e.g. a 32-byte hash); any other length is
 * ZK_EINVAL. str is NUL-terminated. */
ZK_NODISCARD enum zk_err zk_hex_decode_exact(uint8_t *out, size_t len,
                                             const char *str);

#endif
