/* hex.c - strict hex codec; see hex.h. */
#include <config.h>
#include "base/hex.h"

#include <string.h>

static int nibble(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

enum zk_err zk_hex_encode(char *out, size_t out_size, const uint8_t *in,
                          size_t len, bool with_prefix)
{
    static const char digits[] = "0123456789abcdef";
    size_t pre = with_prefix ? 2 : 0;
    if (len > (SIZE_MAX - 1 - pre) / 2 || out_size < pre + 2 * len + 1) {
        return ZK_ELIMIT;
    }
    if (with_prefix) {
        *out++ = '0';
        *out++ = 'x';
    }
    for (size_t i = 0; i < len; i++) {
        *out++ = digits[in[i] >> 4];
        *out++ = digits[in[i] & 15];
    }
    *out = '\0';
    return ZK_OK;
}

enum zk_err zk_hex_decode(uint8_t *out, size_t out_cap, size_t *len_out,
                          const char *str, size_t str_len)
{
    if (str_len >= 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
        str += 2;
        str_len -= 2;
    }
    if (str_len % 2 != 0) {
        return ZK_EINVAL;
    }
    if (str_len / 2 > out_cap) {
        return ZK_ELIMIT;
    }
    for (size_t i = 0; i < str_len / 2; i++) {
        int hi = nibble(str[2 * i]);
        int lo = nibble(str[2 * i + 1]);
        if (hi < 0 || lo < 0) {
            return ZK_EINVAL;
        }
        out[i] = (uint8_t)((hi << 4) | lo);
    }
    *len_out = str_len / 2;
    return ZK_OK;
}

enum zk_err zk_hex_decode_exact(uint8_t *out, size_t len, const char *str)
{
    size_t n = strlen(str);
    size_t got = 0;
    size_t digits = n;
    enum zk_err err;
    if (n >= 2 && str[0] == '0' && (str[1] == 'x' || str[1] == 'X')) {
        digits -= 2;
    }
    if (digits != 2 * len) {
        return ZK_EINVAL;
    }
    err = zk_hex_decode(out, len, &got, str, n);
    if (err) {
        return err;
    }
    return got == len ? ZK_OK : ZK_EINVAL;
}
