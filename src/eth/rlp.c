/* rlp.c - strict RLP encoder and zero-copy decoder. */
#include <config.h>

#include "eth/rlp.h"

#include <string.h>

#include "base/limits.h"
#include "base/log.h"

/* Writes the big-endian form of v without leading zeros into out[8];
 * returns the number of bytes (0 for v == 0). */
static size_t be_minimal(uint8_t out[8], uint64_t v)
{
    size_t n = 0;
    for (int shift = 56; shift >= 0; shift -= 8) {
        uint8_t b = (uint8_t)(v >> shift);
        if (n == 0 && b == 0) {
            continue;
        }
        out[n++] = b;
    }
    return n;
}

static enum zk_err encode_prefix(struct zk_buf *out, uint8_t short_base,
                                 size_t len)
{
    uint8_t hdr[9];
    if (len <= 55) {
        hdr[0] = (uint8_t)(short_base + len);
        return zk_buf_append(out, hdr, 1);
    }
    size_t n = be_minimal(hdr + 1, (uint64_t)len);
    hdr[0] = (uint8_t)(short_base + 55 + n);
    return zk_buf_append(out, hdr, n + 1);
}

enum zk_err eth_rlp_encode_bytes(struct zk_buf *out, const uint8_t *p, size_t n)
{
    if (n == 1 && p[0] < 0x80) {
        return zk_buf_append(out, p, 1);
    }
    enum zk_err err = encode_prefix(out, 0x80, n);
    if (err) {
        return err;
    }
    return n ? zk_buf_append(out, p, n) : ZK_OK;
}

enum zk_err eth_rlp_encode_u64(struct zk_buf *out, uint64_t v)
{
    uint8_t b[8];
    size_t n = be_minimal(b, v);
    return eth_rlp_encode_bytes(out, b, n);
}

enum zk_err eth_rlp_encode_u256(struct zk_buf *out, const uint8_t be[32])
{
    size_t i = 0;
    while (i < 32 && be[i] == 0) {
        i++;
    }
    return eth_rlp_encode_bytes(out, be + i, 32 - i);
}

enum zk_err eth_rlp_encode_list_header(struct zk_buf *out, size_t payload_len)
{
    return encode_prefix(out, 0xc0, payload_len);
}

enum zk_err eth_rlp_encode_list(struct zk_buf *out, const uint8_t *payload,
                                size_t payload_len)
{
    enum zk_err err = eth_rlp_encode_list_header(out, payload_len);
    if (err) {
        return err;
    }
    return payload_len ? zk_buf_append(out, payload, payload_len) : ZK_OK;
}

/* Reads a long-form length of n bytes (1..8) at p. */
static enum zk_err read_long_len(size_t *out, const uint8_t *p, size_t n)
{
    if (n == 0 || n > 8 || p[0] == 0) {
        return ZK_EINVAL; /* leading zero in a length is non-canonical */
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        v = (v << 8) | p[i];
    }
    if (v <= 55) {
        return ZK_EINVAL; /* should have used the short form */
    }
    if (v > ZK_MAX_RLP_ITEM) {
        return ZK_ELIMIT;
    }
    *out = (size_t)v;
    return ZK_OK;
}

enum zk_err eth_rlp_decode_head(struct eth_rlp_item *item, size_t *consumed,
                                const uint8_t *in, size_t len)
{
    if (len == 0) {
        return ZK_EINVAL;
    }
    uint8_t b = in[0];
    size_t hdr = 1, plen = 0;
    bool is_list = false;
    if (b < 0x80) {
        item->is_list = false;
        item->data = in;
        item->len = 1;
        *consumed = 1;
        return ZK_OK;
    } else if (b <= 0xb7) {
        plen = (size_t)(b - 0x80);
    } else if (b >= 0xc0 && b <= 0xf7) {
        is_list = true;
        plen = (size_t)(b - 0xc0);
    } else {
        /* 0xb8..0xbf a string, 0xf8..0xff a list: an n-byte length follows */
        is_list = b >= 0xf8;
        size_t n = (size_t)(b - (is_list ? 0xf7 : 0xb7));
        if (len < 1 + n) {
            return ZK_EINVAL;
        }
        enum zk_err err = read_long_len(&plen, in + 1, n);
        if (err) {
            return err;
        }
        hdr = 1 + n;
    }
    if (plen > len - hdr) {
        return ZK_EINVAL; /* truncated */
    }
    /* A single byte below 0x80 must be encoded as itself. */
    if (!is_list && plen == 1 && hdr == 1 && in[1] < 0x80) {
        return ZK_EINVAL;
    }
    item->is_list = is_list;
    item->data = in + hdr;
    item->len = plen;
    *consumed = hdr + plen;
    return ZK_OK;
}

static enum zk_err validate(const struct eth_rlp_item *item, unsigned depth)
{
    if (!item->is_list) {
        return ZK_OK;
    }
    if (depth >= ZK_MAX_RLP_DEPTH) {
        return ZK_ELIMIT;
    }
    struct eth_rlp_iter it;
    struct eth_rlp_item sub;
    eth_rlp_iter_init(&it, item);
    for (;;) {
        enum zk_err err = eth_rlp_iter_next(&it, &sub);
        if (err == ZK_ENOTFOUND) {
            return ZK_OK;
        }
        if (err) {
            return err;
        }
        err = validate(&sub, depth + 1);
        if (err) {
            return err;
        }
    }
}

enum zk_err eth_rlp_decode(struct eth_rlp_item *item, const uint8_t *in,
                           size_t len)
{
    size_t used = 0;
    enum zk_err err = eth_rlp_decode_head(item, &used, in, len);
    if (err) {
        return err;
    }
    if (used != len) {
        return ZK_EINVAL; /* trailing bytes */
    }
    return validate(item, 0);
}

void eth_rlp_iter_init(struct eth_rlp_iter *it, const struct eth_rlp_item *list)
{
    it->p = list->data;
    it->left = list->is_list ? list->len : 0;
}

enum zk_err eth_rlp_iter_next(struct eth_rlp_iter *it, struct eth_rlp_item *out)
{
    if (it->left == 0) {
        return ZK_ENOTFOUND;
    }
    size_t used = 0;
    enum zk_err err = eth_rlp_decode_head(out, &used, it->p, it->left);
    if (err) {
        return err;
    }
    it->p += used;
    it->left -= used;
    return ZK_OK;
}

enum zk_err eth_rlp_list_count(size_t *n_out, const struct eth_rlp_item *list)
{
    struct eth_rlp_iter it;
    struct eth_rlp_item sub;
    size_t n = 0;
    if (!list->is_list) {
        return ZK_EINVAL;
    }
    eth_rlp_iter_init(&it, list);
    for (;;) {
        enum zk_err err = eth_rlp_iter_next(&it, &sub);
        if (err == ZK_ENOTFOUND) {
            break;
        }
        if (err) {
            return err;
        }
        n++;
    }
    *n_out = n;
    return ZK_OK;
}

enum zk_err eth_rlp_item_u64(uint64_t *out, const struct eth_rlp_item *item)
{
    if (item->is_list || item->len > 8 ||
        (item->len > 0 && item->data[0] == 0)) {
        return ZK_EINVAL;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < item->len; i++) {
        v = (v << 8) | item->data[i];
    }
    *out = v;
    return ZK_OK;
}
