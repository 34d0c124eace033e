/* cli_util.c - helpers shared by the subcommands; see cli_util.h. */
#include <config.h>
#include <stdio.h>

#include "cli/cli_util.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"

enum zk_err cli_read_file(const char *path, size_t max, struct zk_buf *out)
{
    uint8_t chunk[65536];
    enum zk_err err = ZK_OK;
    bool is_stdin = strcmp(path, "-") == 0;
    FILE *f = is_stdin ? stdin : fopen(path, "rb");

    zk_buf_reset(out);
    out->max = max;
    if (f == NULL) {
        zk_error("cli: open %s: %s", path, strerror(errno));
        return ZK_EIO;
    }
    for (;;) {
        size_t n = fread(chunk, 1, sizeof(chunk), f);
        if (n > 0) {
            err = zk_buf_append(out, chunk, n);
            if (err) {
                zk_error("cli: read %s: larger than %zu bytes", path, max);
                break;
            }
        }
        if (n < sizeof(chunk)) {
            if (ferror(f)) {
                zk_error("cli: read %s: %s", path, strerror(errno));
                err = ZK_EIO;
            }
            break;
        }
    }
    if (!is_stdin) {
        (void)fclose(f); /* read-only: nothing is lost on a close error */
    }
    return err;
}

bool cli_maybe_unhex(struct zk_buf *buf)
{
    size_t w = 0, n = 0, digits = 0;
    uint8_t *d = buf->data;
    /* First pass: only hex digits and whitespace, one optional 0x. */
    for (size_t i = 0; i < buf->len; i++) {
        if (isspace(d[i])) {
            continue;
        }
        if (digits == 0 && d[i] == '0' && i + 1 < buf->len &&
            (d[i + 1] == 'x' || d[i + 1] == 'X')) {
            i++;
            continue;
        }
        if (!isxdigit(d[i])) {
            return false;
        }
        digits++;
    }
    if (digits == 0 || digits % 2 != 0) {
        return false;
    }
    /* Second pass: compact the digits in place (w never passes i). */
    for (size_t i = 0; i < buf->len; i++) {
        if (isxdigit(d[i]) && !(d[i] == '0' && i + 1 < buf->len &&
                                (d[i + 1] == 'x' || d[i + 1] == 'X'))) {
            d[w++] = d[i];
        } else if (d[i] == '0') {
            i++; /* the 0x prefix */
        }
    }
    /* Decoding in place is safe: byte k is written after digits 2k and
     * 2k+1 were read. */
    if (zk_hex_decode(d, buf->len, &n, (const char *)d, w) != ZK_OK) {
        return false;
    }
    buf->len = n;
    d[n] = 0;
    return true;
}

void cli_print_hex(FILE *f, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    fputs("0x", f);
    for (size_t i = 0; i < n; i++) {
        fputc(digits[p[i] >> 4], f);
        fputc(digits[p[i] & 15], f);
    }
}

char *cli_hex_dup(const uint8_t *p, size_t n)
{
    size_t size = 2 * n + 3;
    char *s = zk_malloc(size);
    if (s == NULL) {
        return NULL;
    }
    if (zk_hex_encode(s, size, p, n, true) != ZK_OK) {
        zk_free(s);
        return NULL;
    }
    return s;
}
