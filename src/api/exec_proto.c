/*
 * exec_proto.c - encoding and strict decoding of the prover <-> executor
 * messages (see exec_proto.h for the layout).
 */
#include <config.h>
#include "api/exec_proto.h"

#include <string.h>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/mem.h"

static const char *const outcome_names[API_EXEC_N_OUTCOMES] = {
    "ok",          "bad_elf",     "unsupported",  "bad_stdin",
    "guest_error", "cycle_limit", "memory_limit", "internal"};

const char *api_exec_outcome_name(uint32_t outcome)
{
    return outcome < API_EXEC_N_OUTCOMES ? outcome_names[outcome] : "invalid";
}

static enum zk_err put32(struct zk_buf *b, uint32_t v)
{
    uint8_t t[4];
    zk_store_le32(t, v);
    return zk_buf_append(b, t, 4);
}

static enum zk_err put64(struct zk_buf *b, uint64_t v)
{
    uint8_t t[8];
    zk_store_le64(t, v);
    return zk_buf_append(b, t, 8);
}

/* A bounded reader over a byte range. */
struct rd {
    const uint8_t *p;
    size_t left;
};

static bool get(struct rd *r, void *out, size_t n)
{
    if (r->left < n) {
        return false;
    }
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return true;
}

static bool get32(struct rd *r, uint32_t *v)
{
    uint8_t t[4];
    if (!get(r, t, 4)) {
        return false;
    }
    *v = zk_load_le32(t);
    return true;
}

static bool get64(struct rd *r, uint64_t *v)
{
    uint8_t t[8];
    if (!get(r, t, 8)) {
        return false;
    }
    *v = zk_load_le64(t);
    return true;
}

/* Borrows n bytes. */
static bool span(struct rd *r, const uint8_t **out, uint64_t n)
{
    if (n > r->left) {
        return false;
    }
    *out = r->p;
    r->p += n;
    r->left -= (size_t)n;
    return true;
}

enum zk_err api_exec_request_encode(struct zk_buf *out,
                                    const struct api_exec_request *r)
{
    enum zk_err err = zk_buf_append(out, "ZKX1", 4);
    if (!err) {
        err = put32(out, r->mode);
    }
    if (!err) {
        err = put32(out, r->force_major);
    }
    if (!err) {
        err = put64(out, r->cycle_limit);
    }
    if (!err) {
        err = put64(out, r->max_memory);
    }
    if (!err) {
        err = put64(out, r->elf_len);
    }
    if (!err) {
        err = zk_buf_append(out, r->elf, r->elf_len);
    }
    if (!err) {
        err = put64(out, r->stdin_len);
    }
    if (!err && r->stdin_len > 0) {
        err = zk_buf_append(out, r->stdin_data, r->stdin_len);
    }
    return err;
}

enum zk_err api_exec_request_decode(struct api_exec_request *out,
                                    const uint8_t *buf, size_t len)
{
    struct rd r = {buf, len};
    char magic[4];
    uint64_t n;

    memset(out, 0, sizeof(*out));
    if (!get(&r, magic, 4) || memcmp(magic, "ZKX1", 4) != 0 ||
        !get32(&r, &out->mode) || !get32(&r, &out->force_major) ||
        !get64(&r, &out->cycle_limit) || !get64(&r, &out->max_memory) ||
        !get64(&r, &n) || n > ZK_MAX_ELF_SIZE || !span(&r, &out->elf, n)) {
        return ZK_EINVAL;
    }
    out->elf_len = (size_t)n;
    if (!get64(&r, &n) || !span(&r, &out->stdin_data, n) || r.left != 0) {
        return ZK_EINVAL;
    }
    out->stdin_len = (size_t)n;
    if (out->mode != API_EXEC_MODE_VK && out->mode != API_EXEC_MODE_RUN) {
        return ZK_EINVAL;
    }
    return ZK_OK;
}

enum zk_err api_exec_result_encode(struct zk_buf *out,
                                   const struct api_exec_result *r)
{
    enum zk_err err = zk_buf_append(out, "ZKR1", 4);
    if (!err) {
        err = put32(out, r->outcome);
    }
    if (!err) {
        err = put32(out, r->sp1_major);
    }
    if (!err) {
        err = zk_buf_append(out, r->version, sizeof(r->version));
    }
    if (!err) {
        err = zk_buf_append(out, r->vk, sizeof(r->vk));
    }
    if (!err) {
        err = zk_buf_append(out, r->vkey, sizeof(r->vkey));
    }
    if (!err) {
        err = put64(out, r->cycles);
    }
    if (!err) {
        err = put32(out, r->exit_code);
    }
    if (!err) {
        err = put32(out, r->zkvm_status);
    }
    if (!err) {
        err = zk_buf_append(out, r->reason, sizeof(r->reason));
    }
    if (!err) {
        err = put64(out, r->public_values_len);
    }
    if (!err && r->public_values_len > 0) {
        err = zk_buf_append(out, r->public_values, r->public_values_len);
    }
    return err;
}

enum zk_err api_exec_result_decode(struct api_exec_result *out,
                                   const uint8_t *buf, size_t len)
{
    struct rd r = {buf, len};
    char magic[4];
    uint64_t n;
    const uint8_t *pv = NULL;

    memset(out, 0, sizeof(*out));
    if (!get(&r, magic, 4) || memcmp(magic, "ZKR1", 4) != 0 ||
        !get32(&r, &out->outcome) || !get32(&r, &out->sp1_major) ||
        !get(&r, out->version, sizeof(out->version)) ||
        !get(&r, out->vk, sizeof(out->vk)) ||
        !get(&r, out->vkey, sizeof(out->vkey)) || !get64(&r, &out->cycles) ||
        !get32(&r, &out->exit_code) || !get32(&r, &out->zkvm_status) ||
        !get(&r, out->reason, sizeof(out->reason)) || !get64(&r, &n) ||
        n > ZK_MAX_PUBLIC_VALUES || !span(&r, &pv, n) || r.left != 0 ||
        out->outcome >= API_EXEC_N_OUTCOMES) {
        memset(out, 0, sizeof(*out));
        return ZK_EINVAL;
    }
    out->version[sizeof(out->version) - 1] = '\0';
    out->vkey[sizeof(out->vkey) - 1] = '\0';
    out->reason[sizeof(out->reason) - 1] = '\0';
    if (n > 0) {
        out->public_values = zk_malloc((size_t)n);
        if (out->public_values == NULL) {
            return ZK_ENOMEM;
        }
        memcpy(out->public_values, pv, (size_t)n);
        out->public_values_len = (size_t)n;
    }
    return ZK_OK;
}

void api_exec_result_cleanup(struct api_exec_result *r)
{
    if (r != NULL) {
        zk_free(r->public_values);
        memset(r, 0, sizeof(*r));
    }
}
