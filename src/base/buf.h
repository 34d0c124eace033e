/*
 * buf.h - growable byte buffer with a hard ceiling (curl's dynbuf).
 *
 * Every growable buffer in the project is a struct zk_buf with a maximum
 * size set at init. Growing past the ceiling frees the contents and
 * returns ZK_ELIMIT, so no input can make us allocate without bound.
 * The data is always NUL-terminated (not counted in len) for convenience.
 * Not thread-safe; the caller owns the struct.
 */
#ifndef ZK_BASE_BUF_H
#define ZK_BASE_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

struct zk_buf {
    uint8_t *data; /* NULL until the first append */
    size_t len;    /* bytes in use */
    size_t cap;    /* bytes allocated */
    size_t max;    /* ceiling for len */
};

/* Initialises an empty buffer that may hold at most max bytes. Cannot fail. */
void zk_buf_init(struct zk_buf *b, size_t max);
/* Frees the contents; the struct can be reused after zk_buf_init. */
void zk_buf_cleanup(struct zk_buf *b);
/* Empties the buffer but keeps its memory. */
void zk_buf_reset(struct zk_buf *b);

/* Appends n bytes. ZK_ELIMIT (buffer freed) past max, ZK_ENOMEM. */
ZK_NODISCARD enum zk_err zk_buf_append(struct zk_buf *b, const void *p,
                                       size_t n);
ZK_NODISCARD enum zk_err zk_buf_append_str(struct zk_buf *b, const char *s);
ZK_NODISCARD enum zk_err zk_buf_printf(struct zk_buf *b, const char *fmt, ...)
    ZK_PRINTF(2, 3);

/* Transfers ownership of the data to the caller (free with zk_free) and
 * leaves b empty. Returns NULL for an empty buffer that never allocated. */
uint8_t *zk_buf_take(struct zk_buf *b, size_t *len_out);

#endif
