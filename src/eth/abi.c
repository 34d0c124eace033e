/* abi.c - Solidity ABI: type-string parser, encoder, strict decoder. */
#include <config.h>

#include "eth/abi.h"

#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "crypto/keccak.h"

enum tkind {
    T_UINT,
    T_INT,
    T_ADDRESS,
    T_BOOL,
    T_FBYTES,
    T_BYTES,
    T_STRING,
    T_TUPLE,
    T_ARRAY,
    T_DYNARRAY
};

struct atype {
    enum tkind kind;
    unsigned size;          /* bits for (u)int, bytes for bytes<N> */
    size_t count;           /* T_ARRAY length */
    struct atype *elem;     /* T_ARRAY / T_DYNARRAY element */
    struct atype **members; /* T_TUPLE */
    size_t n;
};

/* ---- type parsing ---------------------------------------------------- */

static void type_free(struct atype *t)
{
    if (!t) {
        return;
    }
    type_free(t->elem);
    for (size_t i = 0; i < t->n; i++) {
        type_free(t->members[i]);
    }
    zk_free(t->members);
    zk_free(t);
}

static bool is_ident(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static enum zk_err parse_number(unsigned long *out, const char *s, size_t n)
{
    unsigned long v = 0;
    if (n == 0 || n > 6 || (n > 1 && s[0] == '0')) {
        return ZK_EINVAL;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return ZK_EINVAL;
        }
        v = v * 10 + (unsigned long)(s[i] - '0');
    }
    *out = v;
    return ZK_OK;
}

static enum zk_err parse_base(struct atype *t, const char *s, size_t n)
{
    unsigned long v = 0;
    if (n == 7 && memcmp(s, "address", 7) == 0) {
        t->kind = T_ADDRESS;
    } else if (n == 4 && memcmp(s, "bool", 4) == 0) {
        t->kind = T_BOOL;
    } else if (n == 6 && memcmp(s, "string", 6) == 0) {
        t->kind = T_STRING;
    } else if (n == 5 && memcmp(s, "bytes", 5) == 0) {
        t->kind = T_BYTES;
    } else if (n > 5 && memcmp(s, "bytes", 5) == 0) {
        if (parse_number(&v, s + 5, n - 5) || v < 1 || v > 32) {
            return ZK_EINVAL;
        }
        t->kind = T_FBYTES;
        t->size = (unsigned)v;
    } else if ((n >= 4 && memcmp(s, "uint", 4) == 0) ||
               (n >= 3 && memcmp(s, "int", 3) == 0)) {
        size_t pre = s[0] == 'u' ? 4 : 3; /* "uint" or "int", then bits */
        t->kind = pre == 4 ? T_UINT : T_INT;
        t->size = 256;
        if (n > pre && (parse_number(&v, s + pre, n - pre) || v < 8 ||
                        v > 256 || v % 8 != 0)) {
            return ZK_EINVAL;
        }
        if (n > pre) {
            t->size = (unsigned)v;
        }
    } else {
        return ZK_EINVAL;
    }
    return ZK_OK;
}

static enum zk_err parse_type(struct atype **out, const char **pp,
                              unsigned depth);

static enum zk_err parse_tuple(struct atype *t, const char **pp, unsigned depth)
{
    const char *p = *pp + 1; /* past '(' */
    t->kind = T_TUPLE;
    if (*p == ')') {
        *pp = p + 1;
        return ZK_OK;
    }
    for (;;) {
        struct atype *m = NULL;
        enum zk_err err = parse_type(&m, &p, depth + 1);
        if (err) {
            return err;
        }
        if (t->n >= 256) {
            type_free(m);
            return ZK_ELIMIT;
        }
        struct atype **nm =
            zk_realloc(t->members, (t->n + 1) * sizeof(*t->members));
        if (!nm) {
            type_free(m);
            return ZK_ENOMEM;
        }
        t->members = nm;
        t->members[t->n++] = m;
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == ')') {
            *pp = p + 1;
            return ZK_OK;
        }
        return ZK_EINVAL;
    }
}

static enum zk_err parse_type(struct atype **out, const char **pp,
                              unsigned depth)
{
    const char *p = *pp;
    enum zk_err err = ZK_OK;
    if (depth > ETH_ABI_MAX_DEPTH) {
        return ZK_ELIMIT;
    }
    struct atype *t = zk_calloc(1, sizeof(*t));
    if (!t) {
        return ZK_ENOMEM;
    }
    if (*p == '(') {
        err = parse_tuple(t, &p, depth);
    } else {
        const char *s = p;
        while (is_ident(*p)) {
            p++;
        }
        err = parse_base(t, s, (size_t)(p - s));
    }
    /* Array suffixes: T[], T[k], possibly repeated. */
    while (!err && *p == '[') {
        const char *s = ++p;
        while (*p >= '0' && *p <= '9') {
            p++;
        }
        if (*p != ']') {
            err = ZK_EINVAL;
            break;
        }
        struct atype *arr = zk_calloc(1, sizeof(*arr));
        if (!arr) {
            err = ZK_ENOMEM;
            break;
        }
        arr->elem = t;
        t = arr;
        if (p == s) {
            t->kind = T_DYNARRAY;
        } else {
            unsigned long k = 0;
            t->kind = T_ARRAY;
            err = parse_number(&k, s, (size_t)(p - s));
            if (!err && (k == 0 || k > 4096)) {
                err = ZK_EINVAL;
            }
            t->count = k;
        }
        p++;
        if (++depth > ETH_ABI_MAX_DEPTH) {
            err = ZK_ELIMIT;
        }
    }
    if (err) {
        type_free(t);
        return err;
    }
    *out = t;
    *pp = p;
    return ZK_OK;
}

/* Parses a complete type string. */
static enum zk_err type_parse(struct atype **out, const char *s)
{
    const char *p = s;
    struct atype *t = NULL;
    enum zk_err err = parse_type(&t, &p, 0);
    if (err) {
        return err;
    }
    if (*p != '\0') {
        type_free(t);
        return ZK_EINVAL;
    }
    *out = t;
    return ZK_OK;
}

static bool type_dynamic(const struct atype *t)
{
    switch (t->kind) {
    case T_BYTES:
    case T_STRING:
    case T_DYNARRAY:
        return true;
    case T_ARRAY:
        return type_dynamic(t->elem);
    case T_TUPLE:
        for (size_t i = 0; i < t->n; i++) {
            if (type_dynamic(t->members[i])) {
                return true;
            }
        }
        return false;
    default:
        return false;
    }
}

/* Head size of a static type in bytes. */
static size_t type_static_size(const struct atype *t)
{
    if (t->kind == T_ARRAY) {
        return t->count * type_static_size(t->elem);
    }
    if (t->kind == T_TUPLE) {
        size_t s = 0;
        for (size_t i = 0; i < t->n; i++) {
            s += type_static_size(t->members[i]);
        }
        return s;
    }
    return 32;
}

static size_t head_size(const struct atype *t)
{
    return type_dynamic(t) ? 32 : type_static_size(t);
}

/* ---- word checks ----------------------------------------------------- */

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return false;
        }
    }
    return true;
}

static bool word_valid(const struct atype *t, const uint8_t w[32])
{
    switch (t->kind) {
    case T_UINT:
        return all_zero(w, 32 - t->size / 8);
    case T_INT: {
        size_t pad = 32 - t->size / 8;
        uint8_t ext = (w[pad] & 0x80) ? 0xff : 0x00;
        for (size_t i = 0; i < pad; i++) {
            if (w[i] != ext) {
                return false;
            }
        }
        return true;
    }
    case T_ADDRESS:
        return all_zero(w, 12);
    case T_BOOL:
        return all_zero(w, 31) && w[31] <= 1;
    case T_FBYTES:
        return all_zero(w + t->size, 32 - t->size);
    default:
        return false;
    }
}

/* ---- encoding -------------------------------------------------------- */

static enum zk_err put_u64_word(struct zk_buf *out, uint64_t v)
{
    uint8_t w[32] = {0};
    for (int i = 0; i < 8; i++) {
        w[31 - i] = (uint8_t)(v >> (8 * i));
    }
    return zk_buf_append(out, w, 32);
}

static enum zk_err encode_value(struct zk_buf *out, const struct atype *t,
                                const struct eth_abi_value *v);

/* Encodes n values of types tys[i] (or all `elem` if tys is NULL) as a
 * head/tail sequence. */
static enum zk_err encode_seq(struct zk_buf *out, struct atype *const *tys,
                              const struct atype *elem,
                              const struct eth_abi_value *vals, size_t n)
{
    struct zk_buf tail;
    size_t head = 0;
    enum zk_err err = ZK_OK;
    for (size_t i = 0; i < n; i++) {
        const struct atype *t = tys ? tys[i] : elem;
        ZK_ASSERT(t != NULL);
        head += head_size(t);
    }
    zk_buf_init(&tail, out->max);
    for (size_t i = 0; i < n && !err; i++) {
        const struct atype *t = tys ? tys[i] : elem;
        ZK_ASSERT(t != NULL);
        if (type_dynamic(t)) {
            err = put_u64_word(out, (uint64_t)(head + tail.len));
            if (!err) {
                err = encode_value(&tail, t, &vals[i]);
            }
        } else {
            err = encode_value(out, t, &vals[i]);
        }
    }
    if (!err && tail.len) {
        err = zk_buf_append(out, tail.data, tail.len);
    }
    zk_buf_cleanup(&tail);
    return err;
}

static enum zk_err encode_value(struct zk_buf *out, const struct atype *t,
                                const struct eth_abi_value *v)
{
    static const uint8_t zeros[32];
    switch (t->kind) {
    case T_UINT:
    case T_INT:
    case T_ADDRESS:
    case T_BOOL:
    case T_FBYTES:
        if (v->kind != ETH_ABI_WORD || !word_valid(t, v->word)) {
            return ZK_EINVAL;
        }
        return zk_buf_append(out, v->word, 32);
    case T_BYTES:
    case T_STRING: {
        if (v->kind != ETH_ABI_BYTES || (v->len && !v->data)) {
            return ZK_EINVAL;
        }
        enum zk_err err = put_u64_word(out, (uint64_t)v->len);
        if (!err && v->len) {
            err = zk_buf_append(out, v->data, v->len);
        }
        if (!err && v->len % 32) {
            err = zk_buf_append(out, zeros, 32 - v->len % 32);
        }
        return err;
    }
    case T_TUPLE:
        if (v->kind != ETH_ABI_LIST || v->n != t->n) {
            return ZK_EINVAL;
        }
        return encode_seq(out, t->members, NULL, v->items, v->n);
    case T_ARRAY:
        if (v->kind != ETH_ABI_LIST || v->n != t->count) {
            return ZK_EINVAL;
        }
        return encode_seq(out, NULL, t->elem, v->items, v->n);
    case T_DYNARRAY: {
        if (v->kind != ETH_ABI_LIST) {
            return ZK_EINVAL;
        }
        enum zk_err err = put_u64_word(out, (uint64_t)v->n);
        if (err) {
            return err;
        }
        return encode_seq(out, NULL, t->elem, v->items, v->n);
    }
    }
    return ZK_EINVAL;
}

enum zk_err eth_abi_encode(struct zk_buf *out, const char *types,
                           const struct eth_abi_value *value)
{
    struct atype *t = NULL;
    enum zk_err err = type_parse(&t, types);
    if (err) {
        return err;
    }
    err = encode_value(out, t, value);
    type_free(t);
    return err;
}

enum zk_err eth_abi_encode_call(struct zk_buf *out, const char *signature,
                                const struct eth_abi_value *args)
{
    const char *paren = strchr(signature, '(');
    uint8_t sel[4];
    if (!paren || paren == signature) {
        return ZK_EINVAL;
    }
    eth_abi_selector(sel, signature);
    enum zk_err err = zk_buf_append(out, sel, 4);
    if (err) {
        return err;
    }
    return eth_abi_encode(out, paren, args);
}

void eth_abi_selector(uint8_t out[4], const char *signature)
{
    struct zk_hash32 h;
    crypto_keccak256(&h, (const uint8_t *)signature, strlen(signature));
    memcpy(out, h.b, 4);
}

/* ---- decoding -------------------------------------------------------- */

struct dec {
    size_t nodes;
};

/* Reads a word at p as a size_t offset/length no larger than limit. */
static enum zk_err read_size(size_t *out, const uint8_t *p, size_t limit)
{
    if (!all_zero(p, 24)) {
        return ZK_EINVAL;
    }
    uint64_t v = 0;
    for (int i = 24; i < 32; i++) {
        v = (v << 8) | p[i];
    }
    if (v > limit) {
        return ZK_EINVAL;
    }
    *out = (size_t)v;
    return ZK_OK;
}

static enum zk_err decode_value(struct dec *d, struct eth_abi_value *v,
                                const struct atype *t, const uint8_t *p,
                                size_t len);

/* Decodes a head/tail sequence starting at base (len bytes available). */
static enum zk_err decode_seq(struct dec *d, struct eth_abi_value *list,
                              struct atype *const *tys,
                              const struct atype *elem, size_t n,
                              const uint8_t *base, size_t len)
{
    size_t pos = 0;
    list->kind = ETH_ABI_LIST;
    list->n = 0;
    if (n > ETH_ABI_MAX_NODES - d->nodes) {
        return ZK_ELIMIT;
    }
    d->nodes += n;
    if (n) {
        list->items = zk_calloc(n, sizeof(*list->items));
        if (!list->items) {
            return ZK_ENOMEM;
        }
    }
    for (size_t i = 0; i < n; i++) {
        const struct atype *t = tys ? tys[i] : elem;
        ZK_ASSERT(t != NULL);
        size_t hs = head_size(t);
        enum zk_err err;
        if (hs > len || pos > len - hs) {
            return ZK_EINVAL;
        }
        list->n = i + 1;
        if (type_dynamic(t)) {
            size_t off = 0;
            err = read_size(&off, base + pos, len);
            if (err) {
                return err;
            }
            err = decode_value(d, &list->items[i], t, base + off, len - off);
        } else {
            err = decode_value(d, &list->items[i], t, base + pos, len - pos);
        }
        if (err) {
            return err;
        }
        pos += hs;
    }
    return ZK_OK;
}

static enum zk_err decode_value(struct dec *d, struct eth_abi_value *v,
                                const struct atype *t, const uint8_t *p,
                                size_t len)
{
    switch (t->kind) {
    case T_UINT:
    case T_INT:
    case T_ADDRESS:
    case T_BOOL:
    case T_FBYTES:
        if (len < 32 || !word_valid(t, p)) {
            return ZK_EINVAL;
        }
        v->kind = ETH_ABI_WORD;
        memcpy(v->word, p, 32);
        return ZK_OK;
    case T_BYTES:
    case T_STRING: {
        size_t n = 0;
        if (len < 32) {
            return ZK_EINVAL;
        }
        enum zk_err err = read_size(&n, p, len - 32);
        if (err) {
            return err;
        }
        v->kind = ETH_ABI_BYTES;
        v->data = p + 32;
        v->len = n;
        return ZK_OK;
    }
    case T_TUPLE:
        return decode_seq(d, v, t->members, NULL, t->n, p, len);
    case T_ARRAY:
        return decode_seq(d, v, NULL, t->elem, t->count, p, len);
    case T_DYNARRAY: {
        size_t n = 0;
        if (len < 32) {
            return ZK_EINVAL;
        }
        /* Each element needs at least one 32-byte head slot. */
        enum zk_err err = read_size(&n, p, (len - 32) / 32);
        if (err) {
            return err;
        }
        return decode_seq(d, v, NULL, t->elem, n, p + 32, len - 32);
    }
    }
    return ZK_EINVAL;
}

static void value_clear(struct eth_abi_value *v)
{
    if (v->kind == ETH_ABI_LIST) {
        for (size_t i = 0; i < v->n; i++) {
            value_clear(&v->items[i]);
        }
        zk_free(v->items);
        v->items = NULL;
    }
}

void eth_abi_value_free(struct eth_abi_value *v)
{
    if (!v) {
        return;
    }
    value_clear(v);
    zk_free(v);
}

enum zk_err eth_abi_decode(struct eth_abi_value **out_take, const char *types,
                           const uint8_t *data, size_t len)
{
    struct atype *t = NULL;
    struct eth_abi_value *v = NULL;
    struct dec d = {0};
    enum zk_err err = type_parse(&t, types);
    if (err) {
        return err;
    }
    v = zk_calloc(1, sizeof(*v));
    if (!v) {
        err = ZK_ENOMEM;
        goto out;
    }
    err = decode_value(&d, v, t, data, len);
out:
    type_free(t);
    if (err) {
        eth_abi_value_free(v);
        return err;
    }
    *out_take = v;
    return ZK_OK;
}

enum zk_err eth_abi_value_u64(uint64_t *out, const struct eth_abi_value *v)
{
    if (v->kind != ETH_ABI_WORD || !all_zero(v->word, 24)) {
        return ZK_EINVAL;
    }
    uint64_t r = 0;
    for (int i = 24; i < 32; i++) {
        r = (r << 8) | v->word[i];
    }
    *out = r;
    return ZK_OK;
}

/* ---- constructors ---------------------------------------------------- */

struct eth_abi_value eth_abi_u64(uint64_t v)
{
    struct eth_abi_value r = {.kind = ETH_ABI_WORD};
    for (int i = 0; i < 8; i++) {
        r.word[31 - i] = (uint8_t)(v >> (8 * i));
    }
    return r;
}

struct eth_abi_value eth_abi_word(const uint8_t word[32])
{
    struct eth_abi_value r = {.kind = ETH_ABI_WORD};
    memcpy(r.word, word, 32);
    return r;
}

struct eth_abi_value eth_abi_address(const uint8_t addr[20])
{
    struct eth_abi_value r = {.kind = ETH_ABI_WORD};
    memcpy(r.word + 12, addr, 20);
    return r;
}

struct eth_abi_value eth_abi_bool(bool b)
{
    struct eth_abi_value r = {.kind = ETH_ABI_WORD};
    r.word[31] = b ? 1 : 0;
    return r;
}

struct eth_abi_value eth_abi_bytes(const uint8_t *p, size_t len)
{
    struct eth_abi_value r = {.kind = ETH_ABI_BYTES, .data = p, .len = len};
    return r;
}

struct eth_abi_value eth_abi_string(const char *s)
{
    return eth_abi_bytes((const uint8_t *)s, strlen(s));
}

struct eth_abi_value eth_abi_list(struct eth_abi_value *items, size_t n)
{
    struct eth_abi_value r = {.kind = ETH_ABI_LIST, .items = items, .n = n};
    return r;
}

/* ---- revert reasons -------------------------------------------------- */

struct sink {
    char *p;
    size_t size;
    size_t len;
};

static void sink_put(struct sink *s, const char *str, size_t n)
{
    for (size_t i = 0; i < n && s->len + 1 < s->size; i++) {
        unsigned char c = (unsigned char)str[i];
        char ch = str[i];
        if (c < 0x20 || c >= 0x7f) {
            ch = '?'; /* printable ASCII only */
        }
        s->p[s->len++] = ch;
    }
    if (s->size) {
        s->p[s->len < s->size ? s->len : s->size - 1] = '\0';
    }
}

static void sink_str(struct sink *s, const char *str)
{
    sink_put(s, str, strlen(str));
}

static void sink_hex(struct sink *s, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    sink_str(s, "0x");
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        sink_put(s, two, 2);
    }
}

static void render_value(struct sink *s, const struct atype *t,
                         const struct eth_abi_value *v)
{
    char num[32];
    uint64_t u = 0;
    switch (t->kind) {
    case T_UINT:
        if (eth_abi_value_u64(&u, v) == ZK_OK) {
            (void)snprintf(num, sizeof(num), "%llu", (unsigned long long)u);
            sink_str(s, num);
        } else {
            sink_hex(s, v->word, 32);
        }
        break;
    case T_ADDRESS:
        sink_hex(s, v->word + 12, 20);
        break;
    case T_BOOL:
        sink_str(s, v->word[31] ? "true" : "false");
        break;
    case T_FBYTES:
        sink_hex(s, v->word, t->size);
        break;
    case T_INT:
        sink_hex(s, v->word, 32);
        break;
    case T_STRING:
        sink_str(s, "\"");
        sink_put(s, (const char *)v->data, v->len);
        sink_str(s, "\"");
        break;
    case T_BYTES:
        sink_hex(s, v->data, v->len);
        break;
    case T_TUPLE:
    case T_ARRAY:
    case T_DYNARRAY:
        sink_str(s, t->kind == T_TUPLE ? "(" : "[");
        for (size_t i = 0; i < v->n; i++) {
            if (i) {
                sink_str(s, ", ");
            }
            render_value(s, t->kind == T_TUPLE ? t->members[i] : t->elem,
                         &v->items[i]);
        }
        sink_str(s, t->kind == T_TUPLE ? ")" : "]");
        break;
    }
}

static const char *panic_text(uint64_t code)
{
    switch (code) {
    case 0x00:
        return "generic compiler panic";
    case 0x01:
        return "assertion failed";
    case 0x11:
        return "arithmetic overflow or underflow";
    case 0x12:
        return "division or modulo by zero";
    case 0x21:
        return "invalid enum value";
    case 0x22:
        return "invalid storage byte array";
    case 0x31:
        return "pop on empty array";
    case 0x32:
        return "array index out of bounds";
    case 0x41:
        return "out of memory";
    case 0x51:
        return "call to zero-initialised function";
    default:
        return "unknown panic code";
    }
}

/* Decodes args of signature sig ("Name(T...)") from data after the
 * selector and renders "Name(args)". */
static enum zk_err render_call(struct sink *s, const char *sig,
                               const uint8_t *data, size_t len)
{
    const char *paren = strchr(sig, '(');
    struct atype *t = NULL;
    struct eth_abi_value *v = NULL;
    enum zk_err err;
    if (!paren) {
        return ZK_EINVAL;
    }
    err = type_parse(&t, paren);
    if (err) {
        return err;
    }
    v = zk_calloc(1, sizeof(*v));
    if (!v) {
        type_free(t);
        return ZK_ENOMEM;
    }
    struct dec d = {0};
    err = decode_value(&d, v, t, data, len);
    if (!err) {
        sink_put(s, sig, (size_t)(paren - sig));
        render_value(s, t, v);
    }
    eth_abi_value_free(v);
    type_free(t);
    return err;
}

enum zk_err eth_abi_decode_revert(char *out, size_t out_size,
                                  const uint8_t *data, size_t len,
                                  const char *const *custom_sigs,
                                  size_t n_custom)
{
    struct sink s = {out, out_size, 0};
    uint8_t sel[4];
    if (out_size) {
        out[0] = '\0';
    }
    if (len == 0) {
        sink_str(&s, "reverted without data");
        return ZK_OK;
    }
    if (len < 4) {
        sink_str(&s, "malformed revert data ");
        sink_hex(&s, data, len);
        return ZK_EINVAL;
    }
    eth_abi_selector(sel, "Error(string)");
    if (memcmp(sel, data, 4) == 0) {
        struct eth_abi_value *v = NULL;
        if (eth_abi_decode(&v, "(string)", data + 4, len - 4) == ZK_OK) {
            sink_str(&s, "Error: ");
            sink_put(&s, (const char *)v->items[0].data, v->items[0].len);
            eth_abi_value_free(v);
            return ZK_OK;
        }
        sink_str(&s, "malformed Error(string)");
        return ZK_EINVAL;
    }
    eth_abi_selector(sel, "Panic(uint256)");
    if (memcmp(sel, data, 4) == 0) {
        struct eth_abi_value *v = NULL;
        uint64_t code = 0;
        if (eth_abi_decode(&v, "(uint256)", data + 4, len - 4) == ZK_OK) {
            char num[40];
            enum zk_err err = eth_abi_value_u64(&code, &v->items[0]);
            eth_abi_value_free(v);
            if (!err) {
                (void)snprintf(num, sizeof(num),
                               "Panic 0x%llx: ", (unsigned long long)code);
                sink_str(&s, num);
                sink_str(&s, panic_text(code));
                return ZK_OK;
            }
        }
        sink_str(&s, "malformed Panic(uint256)");
        return ZK_EINVAL;
    }
    for (size_t i = 0; i < n_custom; i++) {
        eth_abi_selector(sel, custom_sigs[i]);
        if (memcmp(sel, data, 4) == 0) {
            enum zk_err err =
                render_call(&s, custom_sigs[i], data + 4, len - 4);
            if (err) {
                sink_str(&s, "malformed ");
                sink_str(&s, custom_sigs[i]);
            }
            return err;
        }
    }
    char tail[48];
    sink_str(&s, "unknown error ");
    sink_hex(&s, data, 4);
    (void)snprintf(tail, sizeof(tail), " (%zu bytes)", len);
    sink_str(&s, tail);
    return ZK_EINVAL;
}
