/*
 * compat_json.c - the streaming /request_proof body parser (see
 * compat_json.h). A tiny recursive-descent JSON reader over a bounded
 * cursor (RFC 8259 grammar; strings only need the escapes JSON allows).
 */
#include <config.h>
#include "api/compat_json.h"

#include <stdio.h>
#include <string.h>

#include "base/limits.h"

struct cur {
    const char *p;
    const char *end;
    char *msg;
    size_t msg_size;
};

static enum zk_err fail(struct cur *c, const char *what)
{
    if (c->msg[0] == '\0') {
        (void)snprintf(c->msg, c->msg_size, "%s", what);
    }
    return ZK_EINVAL;
}

static void ws(struct cur *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\t' || *c->p == '\n' || *c->p == '\r')) {
        c->p++;
    }
}

static bool eat(struct cur *c, char ch)
{
    ws(c);
    if (c->p < c->end && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

/* Reads a string into out (truncated at out_size-1; escapes validated but
 * only simple ones decoded, \u kept literally - keys are plain ASCII). */
static enum zk_err str(struct cur *c, char *out, size_t out_size)
{
    size_t o = 0;
    ws(c);
    if (c->p >= c->end || *c->p != '"') {
        return fail(c, "expected a string");
    }
    c->p++;
    while (c->p < c->end && *c->p != '"') {
        char ch = *c->p++;
        if ((unsigned char)ch < 0x20) {
            return fail(c, "control character in string");
        }
        if (ch == '\\') {
            if (c->p >= c->end) {
                break;
            }
            ch = *c->p++;
            if (ch == 'u') {
                for (int k = 0; k < 4; k++) {
                    if (c->p >= c->end ||
                        strchr("0123456789abcdefABCDEF", *c->p) == NULL ||
                        *c->p == '\0') {
                        return fail(c, "bad \\u escape");
                    }
                    c->p++;
                }
                ch = '?';
            } else if (strchr("\"\\/bfnrt", ch) == NULL || ch == '\0') {
                return fail(c, "bad escape in string");
            }
        }
        if (o + 1 < out_size) {
            out[o++] = ch;
        }
    }
    if (c->p >= c->end) {
        return fail(c, "unterminated string");
    }
    c->p++;
    if (out_size > 0) {
        out[o] = '\0';
    }
    return ZK_OK;
}

/* Skips any JSON value (depth-limited). */
static enum zk_err skip(struct cur *c, unsigned depth)
{
    char tmp[2];
    ws(c);
    if (depth > ZK_MAX_JSON_DEPTH) {
        return fail(c, "JSON nested too deeply");
    }
    if (c->p >= c->end) {
        return fail(c, "unexpected end of JSON");
    }
    switch (*c->p) {
    case '"':
        return str(c, tmp, sizeof(tmp));
    case '{':
        c->p++;
        if (eat(c, '}')) {
            return ZK_OK;
        }
        do {
            if (str(c, tmp, sizeof(tmp)) || !eat(c, ':') ||
                skip(c, depth + 1)) {
                return fail(c, "malformed object");
            }
        } while (eat(c, ','));
        return eat(c, '}') ? ZK_OK : fail(c, "malformed object");
    case '[':
        c->p++;
        if (eat(c, ']')) {
            return ZK_OK;
        }
        do {
            if (skip(c, depth + 1)) {
                return ZK_EINVAL;
            }
        } while (eat(c, ','));
        return eat(c, ']') ? ZK_OK : fail(c, "malformed array");
    default:
        break;
    }
    /* number / true / false / null */
    const char *start = c->p;
    while (c->p < c->end && strchr("0123456789+-.eEtruefalsn", *c->p) != NULL &&
           *c->p != '\0') {
        c->p++;
    }
    if (c->p == start) {
        return fail(c, "unexpected character in JSON");
    }
    return ZK_OK;
}

/* An unsigned integer 0..max with no sign, fraction or exponent. */
static enum zk_err uint_(struct cur *c, unsigned long long max,
                         unsigned long long *out)
{
    unsigned long long v = 0;
    const char *start;
    ws(c);
    start = c->p;
    while (c->p < c->end && *c->p >= '0' && *c->p <= '9') {
        v = v * 10 + (unsigned long long)(*c->p - '0');
        if (v > max) {
            return fail(c, "number out of range (bytes are 0..255)");
        }
        c->p++;
    }
    if (c->p == start) {
        return fail(c, "expected a non-negative integer");
    }
    if (c->p - start > 1 && *start == '0') {
        return fail(c, "leading zero in number");
    }
    if (c->p < c->end && (*c->p == '.' || *c->p == 'e' || *c->p == 'E')) {
        return fail(c, "expected an integer");
    }
    *out = v;
    return ZK_OK;
}

/* [n, n, ...] of bytes appended to out. */
static enum zk_err bytes(struct cur *c, struct zk_buf *out)
{
    uint8_t chunk[4096];
    size_t k = 0;
    enum zk_err err;
    if (!eat(c, '[')) {
        return fail(c, "expected an array of byte values");
    }
    if (eat(c, ']')) {
        return ZK_OK;
    }
    do {
        unsigned long long v;
        err = uint_(c, 255, &v);
        if (err) {
            return err;
        }
        chunk[k++] = (uint8_t)v;
        if (k == sizeof(chunk)) {
            err = zk_buf_append(out, chunk, k);
            if (err) {
                return err;
            }
            k = 0;
        }
    } while (eat(c, ','));
    if (!eat(c, ']')) {
        return fail(c, "malformed byte array");
    }
    return zk_buf_append(out, chunk, k);
}

static enum zk_err stdin_obj(struct cur *c, struct api_stdin *in,
                             size_t max_item)
{
    char key[32];
    bool seen_buf = false, seen_ptr = false, seen_proofs = false;
    enum zk_err err;
    struct zk_buf item;

    if (!eat(c, '{')) {
        return fail(c, "stdin: expected an object");
    }
    if (eat(c, '}')) {
        return fail(c, "stdin: missing buffer");
    }
    do {
        if (str(c, key, sizeof(key)) || !eat(c, ':')) {
            return fail(c, "stdin: malformed object");
        }
        if (strcmp(key, "buffer") == 0 && !seen_buf) {
            seen_buf = true;
            if (!eat(c, '[')) {
                return fail(c, "stdin.buffer: expected an array of arrays");
            }
            if (!eat(c, ']')) {
                do {
                    zk_buf_init(&item, max_item);
                    err = bytes(c, &item);
                    if (!err) {
                        err = api_stdin_add(in, item.data, item.len);
                    }
                    zk_buf_cleanup(&item);
                    if (err) {
                        return err;
                    }
                } while (eat(c, ','));
                if (!eat(c, ']')) {
                    return fail(c, "stdin.buffer: malformed array");
                }
            }
        } else if (strcmp(key, "ptr") == 0 && !seen_ptr) {
            unsigned long long v;
            seen_ptr = true;
            err = uint_(c, 0xffffffffull, &v);
            if (err) {
                return err;
            }
            if (v != 0) {
                return fail(c, "stdin.ptr: must be 0 (unread input)");
            }
        } else if (strcmp(key, "proofs") == 0 && !seen_proofs) {
            seen_proofs = true;
            if (!eat(c, '[') || !eat(c, ']')) {
                return fail(c, "stdin.proofs: proof aggregation is not "
                               "supported (must be [])");
            }
        } else {
            return fail(c, "stdin: unknown or duplicate key");
        }
    } while (eat(c, ','));
    if (!eat(c, '}')) {
        return fail(c, "stdin: malformed object");
    }
    if (!seen_buf) {
        return fail(c, "stdin: missing buffer");
    }
    return api_stdin_finish(in);
}

void api_compat_req_init(struct api_compat_req *r, size_t max_elf,
                         size_t max_stdin)
{
    memset(r, 0, sizeof(*r));
    zk_buf_init(&r->elf, max_elf);
    api_stdin_init(&r->in, max_stdin);
}

void api_compat_req_cleanup(struct api_compat_req *r)
{
    zk_buf_cleanup(&r->elf);
    api_stdin_cleanup(&r->in);
}

enum zk_err api_compat_parse(struct api_compat_req *r, char *msg,
                             size_t msg_size, const char *text, size_t n)
{
    struct cur c = {text, text + n, msg, msg_size};
    char key[32];
    bool seen_mode = false;
    enum zk_err err;

    msg[0] = '\0';
    if (!eat(&c, '{')) {
        return fail(&c, "body is not a JSON object");
    }
    if (!eat(&c, '}')) {
        do {
            err = str(&c, key, sizeof(key));
            if (err || !eat(&c, ':')) {
                return fail(&c, "malformed JSON object");
            }
            if (strcmp(key, "elf") == 0 && !r->has_elf) {
                r->has_elf = true;
                err = bytes(&c, &r->elf);
                if (err == ZK_ELIMIT) {
                    (void)snprintf(msg, msg_size, "ELF larger than %zu bytes",
                                   r->elf.max);
                }
            } else if (strcmp(key, "stdin") == 0 && !r->has_stdin) {
                r->has_stdin = true;
                err = stdin_obj(&c, &r->in, r->in.enc.max);
                if (err == ZK_ELIMIT) {
                    (void)snprintf(msg, msg_size, "stdin too large");
                }
            } else if (strcmp(key, "proof_mode") == 0 && !seen_mode) {
                char mode[16];
                seen_mode = true;
                err = str(&c, mode, sizeof(mode));
                if (!err && strcmp(mode, "TEE") != 0) {
                    err = fail(&c, "proof_mode must be \"TEE\"");
                }
            } else if (strcmp(key, "elf") == 0 || strcmp(key, "stdin") == 0) {
                err = fail(&c, "duplicate key");
            } else {
                err = skip(&c, 1);
            }
            if (err) {
                return err;
            }
        } while (eat(&c, ','));
        if (!eat(&c, '}')) {
            return fail(&c, "malformed JSON object");
        }
    }
    ws(&c);
    if (c.p != c.end) {
        return fail(&c, "trailing data after the JSON object");
    }
    if (!r->has_elf) {
        return fail(&c, "missing \"elf\"");
    }
    if (!r->has_stdin) {
        /* The reference client always sends stdin; treat absent as empty
         * to be lenient with hand-written requests. */
        err = api_stdin_finish(&r->in);
        if (err) {
            return err;
        }
    }
    return ZK_OK;
}
