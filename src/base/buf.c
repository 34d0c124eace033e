/* buf.c - bounded growable buffer; see buf.h. */
#include <config.h>
#include "base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"

void zk_buf_init(struct zk_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void zk_buf_cleanup(struct zk_buf *b)
{
    zk_free(b->data);
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void zk_buf_reset(struct zk_buf *b)
{
    b->len = 0;
    if (b->data != NULL) {
        b->data[0] = 0;
    }
}

static enum zk_err reserve(struct zk_buf *b, size_t extra)
{
    size_t need;
    if (extra > b->max || b->len > b->max - extra) {
        zk_buf_cleanup(b);
        return ZK_ELIMIT;
    }
    need = b->len + extra + 1; /* room for the NUL */
    if (need > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        while (cap < need) {
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
        }
        if (cap > b->max + 1) {
            cap = b->max + 1;
        }
        uint8_t *p = zk_realloc(b->data, cap);
        if (p == NULL) {
            zk_buf_cleanup(b);
            return ZK_ENOMEM;
        }
        b->data = p;
        b->cap = cap;
    }
    return ZK_OK;
}

enum zk_err zk_buf_append(struct zk_buf *b, const void *p, size_t n)
{
    enum zk_err err = reserve(b, n);
    if (err) {
        return err;
    }
    if (n > 0) {
        memcpy(b->data + b->len, p, n);
    }
    b->len += n;
    b->data[b->len] = 0;
    return ZK_OK;
}

enum zk_err zk_buf_append_str(struct zk_buf *b, const char *s)
{
    return zk_buf_append(b, s, strlen(s));
}

enum zk_err zk_buf_printf(struct zk_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    enum zk_err err;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0) {
        return ZK_EINTERNAL;
    }
    err = reserve(b, (size_t)n);
    if (err) {
        return err;
    }
    va_start(ap, fmt);
    (void)vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap); /* n */
    va_end(ap);
    b->len += (size_t)n;
    return ZK_OK;
}

uint8_t *zk_buf_take(struct zk_buf *b, size_t *len_out)
{
    uint8_t *p = b->data;
    if (len_out != NULL) {
        *len_out = b->len;
    }
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    return p;
}
