/*
 * b64.c - strict base64 (RFC 4648 section 4, standard alphabet, '='
 * padding required) and URL-safe variant accepted on decode; whitespace
 * is not allowed. Used for ELF and stdin bytes in v1 JSON bodies.
 */
#include <config.h>
#include "api/b64.h"

static int val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

enum zk_err api_b64_decode(uint8_t *out, size_t out_cap, size_t *len_out,
                           const char *in, size_t in_len)
{
    size_t o = 0;
    *len_out = 0;
    if (in_len % 4 != 0) {
        return ZK_EINVAL;
    }
    for (size_t i = 0; i < in_len; i += 4) {
        int v[4], pad = 0;
        for (int k = 0; k < 4; k++) {
            unsigned char c = (unsigned char)in[i + (size_t)k];
            if (c == '=' && i + 4 == in_len && k >= 2) {
                v[k] = 0;
                pad++;
                continue;
            }
            if (pad > 0) {
                return ZK_EINVAL; /* data after '=' */
            }
            v[k] = val(c);
            if (v[k] < 0) {
                return ZK_EINVAL;
            }
        }
        uint32_t w = ((uint32_t)v[0] << 18) | ((uint32_t)v[1] << 12) |
                     ((uint32_t)v[2] << 6) | (uint32_t)v[3];
        size_t n = 3 - (size_t)pad;
        if (out_cap - o < n) {
            return ZK_ELIMIT;
        }
        /* Non-canonical encodings (bits set in the padding) are refused. */
        if ((pad == 1 && (w & 0xff) != 0) || (pad == 2 && (w & 0xffff) != 0)) {
            return ZK_EINVAL;
        }
        out[o++] = (uint8_t)(w >> 16);
        if (n > 1) {
            out[o++] = (uint8_t)(w >> 8);
        }
        if (n > 2) {
            out[o++] = (uint8_t)w;
        }
    }
    *len_out = o;
    return ZK_OK;
}
