/*
 * stdin.c - SP1Stdin in its three forms: raw items, bincode
 * (sp1-executor-abi.md §7.1) and serde_json. The JSON parser is a small
 * strict one for exactly {"buffer":[[u8,...],...],"ptr":N,"proofs":[]} so
 * that libzkvm.a needs no JSON library.
 */
#include <config.h>

#include <string.h>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "zkvm/zkvm.h"

void zkvm_stdin_init(struct zkvm_stdin *s)
{
    memset(s, 0, sizeof(*s));
}

void zkvm_stdin_cleanup(struct zkvm_stdin *s)
{
    if (!s) {
        return;
    }
    for (size_t k = 0; k < s->n; k++) {
        zk_free(s->items[k].data);
    }
    zk_free(s->items);
    memset(s, 0, sizeof(*s));
}

enum zk_err zkvm_stdin_add(struct zkvm_stdin *s, const uint8_t *p, size_t n)
{
    uint8_t *copy = NULL;
    if (s->n >= ZK_MAX_STDIN_ITEMS || n > ZK_MAX_STDIN_SIZE ||
        s->total + n > ZK_MAX_STDIN_SIZE) {
        zk_error("zkvm: stdin: more than %u items or %u bytes",
                 ZK_MAX_STDIN_ITEMS, ZK_MAX_STDIN_SIZE);
        return ZK_ELIMIT;
    }
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 8;
        void *np = zk_realloc(s->items, nc * sizeof(*s->items));
        if (!np) {
            return ZK_ENOMEM;
        }
        s->items = np;
        s->cap = nc;
    }
    if (n) {
        copy = zk_malloc(n);
        if (!copy) {
            return ZK_ENOMEM;
        }
        memcpy(copy, p, n);
    }
    s->items[s->n].data = copy;
    s->items[s->n].len = n;
    s->n++;
    s->total += n;
    return ZK_OK;
}

enum zk_err zkvm_stdin_parse_bincode(struct zkvm_stdin *s, const uint8_t *p,
                                     size_t n)
{
    size_t off = 8;
    uint64_t count;
    enum zk_err err;

    if (n < 8) {
        zk_error("zkvm: stdin: bincode SP1Stdin shorter than 8 bytes");
        return ZK_EINVAL;
    }
    count = zk_load_le64(p);
    if (count > ZK_MAX_STDIN_ITEMS) {
        zk_error("zkvm: stdin: bincode item count %llu is above %u",
                 (unsigned long long)count, ZK_MAX_STDIN_ITEMS);
        return ZK_ELIMIT;
    }
    for (uint64_t k = 0; k < count; k++) {
        uint64_t len;
        if (n - off < 8) {
            zk_error("zkvm: stdin: bincode truncated at item %llu",
                     (unsigned long long)k);
            return ZK_EINVAL;
        }
        len = zk_load_le64(p + off);
        off += 8;
        if (len > n - off) {
            zk_error("zkvm: stdin: bincode item %llu is longer than the "
                     "input",
                     (unsigned long long)k);
            return ZK_EINVAL;
        }
        err = zkvm_stdin_add(s, p + off, (size_t)len);
        if (err) {
            return err;
        }
        off += (size_t)len;
    }
    if (off == n) {
        return ZK_OK; /* buffer only */
    }
    if (n - off != 16) {
        zk_error("zkvm: stdin: bincode SP1Stdin has %zu unexpected trailing "
                 "bytes",
                 n - off);
        return n - off > 16 ? ZK_EUNSUPPORTED : ZK_EINVAL;
    }
    if (zk_load_le64(p + off + 8) != 0) {
        zk_error("zkvm: stdin: SP1Stdin carries proofs (deferred proof "
                 "verification is not supported)");
        return ZK_EUNSUPPORTED;
    }
    return ZK_OK;
}

/* ------------------------------------------------------------- JSON */

struct jp {
    const char *s;
    size_t n, i;
};

static void ws(struct jp *j)
{
    while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
                           j->s[j->i] == '\n' || j->s[j->i] == '\r')) {
        j->i++;
    }
}

static bool eat(struct jp *j, char c)
{
    ws(j);
    if (j->i < j->n && j->s[j->i] == c) {
        j->i++;
        return true;
    }
    return false;
}

/* A JSON number that is a non-negative integer <= max. */
static bool uint_val(struct jp *j, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    size_t start;
    ws(j);
    start = j->i;
    while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9') {
        v = v * 10 + (uint64_t)(j->s[j->i] - '0');
        if (v > max) {
            return false;
        }
        j->i++;
    }
    if (j->i == start || (j->i - start > 1 && j->s[start] == '0')) {
        return false;
    }
    *out = v;
    return true;
}

/* A key string without escapes. */
static bool key(struct jp *j, const char **k, size_t *kl)
{
    if (!eat(j, '"')) {
        return false;
    }
    *k = j->s + j->i;
    while (j->i < j->n && j->s[j->i] != '"') {
        if (j->s[j->i] == '\\') {
            return false;
        }
        j->i++;
    }
    if (j->i >= j->n) {
        return false;
    }
    *kl = (size_t)(j->s + j->i - *k);
    j->i++;
    return eat(j, ':');
}

static enum zk_err item(struct jp *j, struct zkvm_stdin *s, uint8_t **buf,
                        size_t *cap)
{
    size_t len = 0;
    if (!eat(j, '[')) {
        return ZK_EINVAL;
    }
    if (!eat(j, ']')) {
        do {
            uint64_t v;
            if (!uint_val(j, 255, &v)) {
                return ZK_EINVAL;
            }
            if (len == *cap) {
                size_t nc = *cap ? *cap * 2 : 64;
                void *np;
                if (nc > ZK_MAX_STDIN_SIZE) {
                    return ZK_ELIMIT;
                }
                np = zk_realloc(*buf, nc);
                if (!np) {
                    return ZK_ENOMEM;
                }
                *buf = np;
                *cap = nc;
            }
            (*buf)[len++] = (uint8_t)v;
        } while (eat(j, ','));
        if (!eat(j, ']')) {
            return ZK_EINVAL;
        }
    }
    return zkvm_stdin_add(s, *buf, len);
}

static enum zk_err buffer_field(struct jp *j, struct zkvm_stdin *s)
{
    uint8_t *buf = NULL;
    size_t cap = 0;
    enum zk_err err = ZK_OK;
    if (!eat(j, '[')) {
        return ZK_EINVAL;
    }
    if (!eat(j, ']')) {
        do {
            err = item(j, s, &buf, &cap);
        } while (!err && eat(j, ','));
        if (!err && !eat(j, ']')) {
            err = ZK_EINVAL;
        }
    }
    zk_free(buf);
    return err;
}

enum zk_err zkvm_stdin_parse_json(struct zkvm_stdin *s, const char *text,
                                  size_t n)
{
    struct jp j = {text, n, 0};
    bool seen_buf = false, seen_ptr = false, seen_proofs = false;
    enum zk_err err = ZK_EINVAL;

    if (!eat(&j, '{')) {
        goto bad;
    }
    if (!eat(&j, '}')) {
        do {
            const char *k;
            size_t kl;
            if (!key(&j, &k, &kl)) {
                goto bad;
            }
            if (kl == 6 && memcmp(k, "buffer", 6) == 0 && !seen_buf) {
                seen_buf = true;
                err = buffer_field(&j, s);
                if (err) {
                    goto bad;
                }
            } else if (kl == 3 && memcmp(k, "ptr", 3) == 0 && !seen_ptr) {
                uint64_t v;
                seen_ptr = true;
                if (!uint_val(&j, UINT64_MAX / 10, &v)) {
                    goto bad;
                }
            } else if (kl == 6 && memcmp(k, "proofs", 6) == 0 && !seen_proofs) {
                seen_proofs = true;
                if (!eat(&j, '[')) {
                    goto bad;
                }
                if (!eat(&j, ']')) {
                    zk_error("zkvm: stdin: SP1Stdin JSON carries proofs "
                             "(not supported)");
                    return ZK_EUNSUPPORTED;
                }
            } else {
                goto bad;
            }
        } while (eat(&j, ','));
        if (!eat(&j, '}')) {
            goto bad;
        }
    }
    ws(&j);
    if (j.i != j.n || !seen_buf) {
        goto bad;
    }
    return ZK_OK;
bad:
    if (err == ZK_ELIMIT || err == ZK_ENOMEM) {
        return err;
    }
    zk_error("zkvm: stdin: not an SP1Stdin JSON object (byte %zu); expected "
             "{\"buffer\":[[...],...],\"ptr\":0,\"proofs\":[]}",
             j.i);
    return ZK_EINVAL;
}
