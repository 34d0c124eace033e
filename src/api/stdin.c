/*
 * stdin.c - SP1Stdin as the prover stores it: the bincode encoding of
 * SP1Stdin { buffer: Vec<Vec<u8>>, ptr: usize, proofs: Vec<..> }, i.e.
 * u64 item count, per item u64 length + bytes, u64 ptr (0), u64 proof
 * count (0); all little-endian. stdin_sha256 in proof records is the
 * sha256 of exactly these bytes. The executor child decodes it with
 * zkvm_stdin_parse_bincode.
 */
#include <config.h>
#include "api/api.h"

#include <string.h>

#include "base/bytes.h"
#include "base/limits.h"

void api_stdin_init(struct api_stdin *s, size_t max_bytes)
{
    /* Each item costs 8 bytes of framing; 24 bytes of header/trailer. */
    zk_buf_init(&s->enc, max_bytes + (size_t)ZK_MAX_STDIN_ITEMS * 8 + 24);
    s->n_items = 0;
    s->total = 0;
    s->max_total = max_bytes;
}

void api_stdin_cleanup(struct api_stdin *s)
{
    zk_buf_cleanup(&s->enc);
}

static enum zk_err put64(struct zk_buf *b, uint64_t v)
{
    uint8_t t[8];
    zk_store_le64(t, v);
    return zk_buf_append(b, t, 8);
}

enum zk_err api_stdin_add(struct api_stdin *s, const uint8_t *p, size_t n)
{
    enum zk_err err;
    if (s->n_items >= ZK_MAX_STDIN_ITEMS || n > s->max_total - s->total) {
        return ZK_ELIMIT;
    }
    if (s->enc.len == 0) {
        err = put64(&s->enc, 0); /* count, patched by finish */
        if (err) {
            return err;
        }
    }
    err = put64(&s->enc, n);
    if (!err && n > 0) {
        err = zk_buf_append(&s->enc, p, n);
    }
    if (!err) {
        s->n_items++;
        s->total += n;
    }
    return err;
}

enum zk_err api_stdin_finish(struct api_stdin *s)
{
    enum zk_err err = ZK_OK;
    if (s->enc.len == 0) {
        err = put64(&s->enc, 0);
    }
    if (!err) {
        zk_store_le64(s->enc.data, s->n_items);
        err = put64(&s->enc, 0); /* ptr */
    }
    if (!err) {
        err = put64(&s->enc, 0); /* proofs: empty */
    }
    return err;
}

enum zk_err api_stdin_from_bincode(struct api_stdin *s, const uint8_t *p,
                                   size_t n)
{
    size_t off = 8;
    uint64_t count;
    enum zk_err err;
    if (n < 8) {
        return ZK_EINVAL;
    }
    count = zk_load_le64(p);
    if (count > ZK_MAX_STDIN_ITEMS) {
        return ZK_ELIMIT;
    }
    for (uint64_t i = 0; i < count; i++) {
        uint64_t len;
        if (n - off < 8) {
            return ZK_EINVAL;
        }
        len = zk_load_le64(p + off);
        off += 8;
        if (len > n - off) {
            return ZK_EINVAL;
        }
        err = api_stdin_add(s, p + off, (size_t)len);
        if (err) {
            return err;
        }
        off += (size_t)len;
    }
    /* ptr and proofs are optional; when present ptr must be 0 and there
     * must be no proofs (we cannot verify SP1 proofs in a TEE). */
    if (off != n) {
        if (n - off != 16 || zk_load_le64(p + off) != 0 ||
            zk_load_le64(p + off + 8) != 0) {
            return ZK_EINVAL;
        }
    }
    return api_stdin_finish(s);
}
