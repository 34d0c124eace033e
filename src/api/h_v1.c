/*
 * h_v1.c - the v1 REST API: proofs (submit, get with long poll, history
 * with filters and cursor pagination) and programs (upload once, refer to
 * by sha256). Bytes are 0x-hex in JSON; ELF/stdin uploads in JSON are
 * base64; a program may also be uploaded raw (application/octet-stream).
 */
#include <config.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/b64.h"
#include "api/http.h"
#include "base/hex.h"
#include "base/limits.h"
#include "base/mem.h"

static bool program_json(struct zk_buf *b, const struct store_program *p)
{
    return api_json_raw(b, "{\"sha256\":") && api_json_str(b, p->sha256) &&
           api_json_fmt(b, ",\"size\":%lld", (long long)p->size) &&
           api_json_raw(b, ",\"sp1_version\":") &&
           api_json_str(b, p->sp1_version) &&
           api_json_fmt(b, ",\"sp1_major\":%d", p->sp1_major) &&
           api_json_raw(b, ",\"vk\":") &&
           (p->has_vk ? api_json_hex(b, p->vk, 32) : api_json_raw(b, "null")) &&
           api_json_raw(b, ",\"vkey\":") &&
           (p->has_vk ? api_json_str(b, p->vkey) : api_json_raw(b, "null")) &&
           api_json_fmt(b, ",\"created_at\":%lld}", (long long)p->created_at);
}

static bool opt_hex(struct zk_buf *b, bool present, const uint8_t *p, size_t n)
{
    return present ? api_json_hex(b, p, n) : api_json_raw(b, "null");
}

static bool opt_str(struct zk_buf *b, const char *s)
{
    return s[0] != '\0' ? api_json_str(b, s) : api_json_raw(b, "null");
}

static bool opt_ms(struct zk_buf *b, const char *name, int64_t v)
{
    return v != 0 ? api_json_fmt(b, ",\"%s\":%lld", name, (long long)v)
                  : api_json_fmt(b, ",\"%s\":null", name);
}

bool api_proof_json(struct zk_buf *b, const struct store_job *j)
{
    bool ok =
        api_json_raw(b, "{\"id\":") && api_json_str(b, j->id) &&
        api_json_raw(b, ",\"status\":") &&
        api_json_str(b, store_job_status_name(j->status)) &&
        api_json_raw(b, ",\"api\":") && api_json_str(b, j->api) &&
        api_json_raw(b, ",\"program_sha256\":") &&
        api_json_str(b, j->program_sha256) &&
        api_json_raw(b, ",\"sp1_version\":") && opt_str(b, j->sp1_version) &&
        api_json_raw(b, ",\"vk\":") && opt_hex(b, j->has_result, j->vk, 32) &&
        api_json_raw(b, ",\"vkey\":") && opt_str(b, j->vkey) &&
        api_json_raw(b, ",\"stdin_sha256\":") &&
        api_json_str(b, j->stdin_sha256) &&
        api_json_raw(b, ",\"public_values\":") &&
        opt_hex(b, j->has_result, j->public_values, j->public_values_len) &&
        api_json_raw(b, ",\"digest\":") &&
        opt_hex(b, j->is_signed, j->digest, 32) &&
        api_json_raw(b, ",\"signature\":") &&
        opt_hex(b, j->is_signed, j->signature, 65) &&
        api_json_raw(b, ",\"signer\":") && opt_str(b, j->signer);
    if (!ok) {
        return false;
    }
    ok = (j->is_signed
              ? api_json_fmt(b, ",\"key_id\":%lld", (long long)j->key_id)
              : api_json_raw(b, ",\"key_id\":null")) &&
         (j->has_result ? api_json_fmt(b, ",\"cycles\":%llu",
                                       (unsigned long long)j->cycles)
                        : api_json_raw(b, ",\"cycles\":null")) &&
         api_json_fmt(b, ",\"cycle_limit\":%llu,\"attempts\":%d",
                      (unsigned long long)j->cycle_limit, j->attempts) &&
         api_json_raw(b, ",\"timings\":{") &&
         api_json_fmt(b, "\"created_ms\":%lld", (long long)j->created_ms) &&
         opt_ms(b, "started_ms", j->started_ms) &&
         opt_ms(b, "executed_ms", j->executed_ms) &&
         opt_ms(b, "finished_ms", j->finished_ms) &&
         opt_ms(b, "exec_ms", j->has_result ? j->exec_ms : 0) &&
         opt_ms(b, "total_ms",
                j->finished_ms != 0 ? j->finished_ms - j->created_ms : 0) &&
         api_json_raw(b, "},\"error\":");
    if (!ok) {
        return false;
    }
    if (j->status == STORE_JOB_FAILED) {
        ok = api_json_raw(b, "{\"code\":") && api_json_str(b, j->error_code) &&
             api_json_raw(b, ",\"message\":") && api_json_str(b, j->error) &&
             api_json_raw(b, "}");
    } else {
        ok = api_json_raw(b, "null");
    }
    return ok && api_json_raw(b, "}");
}

/* Decodes a base64 JSON string into a new buffer (zk_free). */
static enum zk_err b64_take(uint8_t **out, size_t *len, const char *s,
                            size_t max)
{
    size_t n = strlen(s), cap = api_b64_max_decoded(n);
    enum zk_err err;
    *out = NULL;
    *len = 0;
    if (cap > max + 3) {
        return ZK_ELIMIT;
    }
    *out = zk_malloc(cap > 0 ? cap : 1);
    if (*out == NULL) {
        return ZK_ENOMEM;
    }
    err = api_b64_decode(*out, cap, len, s, n);
    if (!err && *len > max) {
        err = ZK_ELIMIT;
    }
    if (err) {
        zk_free(*out);
        *out = NULL;
    }
    return err;
}

static bool sha_param_ok(char *s)
{
    if (strlen(s) != 64) {
        return false;
    }
    for (char *p = s; *p != '\0'; p++) {
        if (*p >= 'A' && *p <= 'F') {
            *p = (char)(*p - 'A' + 'a');
        }
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'))) {
            return false;
        }
    }
    return true;
}

/* Parses the stdin fields of a submission into in. Returns an HTTP status
 * (0 = ok) and fills msg. */
static int parse_stdin(struct api_stdin *in, const cJSON *root, char *msg,
                       size_t msg_size)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(root, "stdin");
    const cJSON *bin = cJSON_GetObjectItemCaseSensitive(root, "stdin_bincode");
    enum zk_err err = ZK_OK;

    if (items != NULL && bin != NULL) {
        (void)snprintf(msg, msg_size, "give either stdin or stdin_bincode");
        return 400;
    }
    if (bin != NULL) {
        uint8_t *raw = NULL;
        size_t n = 0;
        if (!cJSON_IsString(bin)) {
            (void)snprintf(msg, msg_size,
                           "stdin_bincode must be a base64 string");
            return 400;
        }
        err =
            b64_take(&raw, &n, bin->valuestring, (size_t)ZK_MAX_STDIN_SIZE * 2);
        if (!err) {
            err = api_stdin_from_bincode(in, raw, n);
        }
        zk_free(raw);
        if (err) {
            (void)snprintf(msg, msg_size, "stdin_bincode: %s",
                           err == ZK_ELIMIT ? "too large"
                                            : "not a valid bincode SP1Stdin");
            return err == ZK_ELIMIT ? 413 : 400;
        }
        return 0;
    }
    if (items != NULL) {
        const cJSON *it;
        if (!cJSON_IsArray(items)) {
            (void)snprintf(msg, msg_size,
                           "stdin must be an array of 0x-hex items");
            return 400;
        }
        cJSON_ArrayForEach(it, items)
        {
            size_t sl, n = 0;
            uint8_t *raw;
            if (!cJSON_IsString(it)) {
                (void)snprintf(msg, msg_size,
                               "stdin items must be 0x-hex strings");
                return 400;
            }
            sl = strlen(it->valuestring);
            raw = zk_malloc(sl / 2 + 1);
            if (raw == NULL) {
                return 500;
            }
            err = zk_hex_decode(raw, sl / 2 + 1, &n, it->valuestring, sl);
            if (!err) {
                err = api_stdin_add(in, raw, n);
            }
            zk_free(raw);
            if (err) {
                (void)snprintf(msg, msg_size, "stdin item: %s",
                               err == ZK_ELIMIT ? "too large" : "bad hex");
                return err == ZK_ELIMIT ? 413 : 400;
            }
        }
    }
    if (api_stdin_finish(in) != ZK_OK) {
        (void)snprintf(msg, msg_size, "stdin too large");
        return 413;
    }
    return 0;
}

/* The optional "sp1_version" (3, 4 or 5) that forces the SP1 major.
 * Returns false (and answers 400) when present but invalid. */
static bool force_from_json(struct api_req *r, const cJSON *root, unsigned *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, "sp1_version");
    *out = 0;
    if (v == NULL) {
        return true;
    }
    if (!cJSON_IsNumber(v) ||
        (v->valuedouble != 3 && v->valuedouble != 4 && v->valuedouble != 5)) {
        api_reply_error(r, 400, "bad_request",
                        "sp1_version must be 3, 4 or 5 (the SP1 major)");
        return false;
    }
    *out = (unsigned)v->valuedouble;
    return true;
}

static cJSON *parse_body_json(struct api_req *r)
{
    enum zk_err err = api_read_body(r);
    cJSON *root;
    if (err == ZK_ELIMIT) {
        api_reply_error(r, 413, "too_large", "request body too large");
        return NULL;
    }
    if (err) {
        api_reply_error(r, 400, "bad_request", "could not read the body");
        return NULL;
    }
    root = cJSON_ParseWithLength((const char *)r->body.data, r->body.len);
    if (root == NULL || !cJSON_IsObject(root)) {
        cJSON_Delete(root);
        api_reply_error(r, 400, "bad_request",
                        "the body must be a JSON object");
        return NULL;
    }
    return root;
}

/* The request's cycle_limit into *out (0 when absent: the server's);
 * false after a 400 reply. */
static bool cycle_limit_from_json(struct api_req *r, const cJSON *limit,
                                  uint64_t *out)
{
    *out = 0;
    if (limit == NULL) {
        return true;
    }
    if (!cJSON_IsNumber(limit) || limit->valuedouble < 1 ||
        limit->valuedouble > 1e18 ||
        limit->valuedouble != (double)(uint64_t)limit->valuedouble) {
        api_reply_error(r, 400, "bad_request",
                        "cycle_limit must be a positive integer");
        return false;
    }
    *out = (uint64_t)limit->valuedouble;
    if (*out > r->srv->cfg.cycle_limit) {
        api_reply_error(r, 400, "bad_request",
                        "cycle_limit above the server maximum %llu",
                        (unsigned long long)r->srv->cfg.cycle_limit);
        return false;
    }
    return true;
}

void api_h_submit(struct api_req *r)
{
    struct api_submit_result sr;
    struct api_stdin in;
    const cJSON *prog, *elf, *limit;
    uint64_t cycle_limit = 0;
    unsigned force = 0;
    char msg[256];
    struct zk_buf b;
    int status;
    cJSON *root = parse_body_json(r);

    if (root == NULL) {
        return;
    }
    if (!force_from_json(r, root, &force)) {
        cJSON_Delete(root);
        return;
    }
    memset(&sr, 0, sizeof(sr));
    api_stdin_init(&in, r->srv->cfg.max_stdin);
    prog = cJSON_GetObjectItemCaseSensitive(root, "program");
    elf = cJSON_GetObjectItemCaseSensitive(root, "elf");
    limit = cJSON_GetObjectItemCaseSensitive(root, "cycle_limit");
    if ((prog == NULL) == (elf == NULL)) {
        api_reply_error(r, 400, "bad_request",
                        "give exactly one of program (sha256) or elf "
                        "(base64)");
        goto out;
    }
    if (!cycle_limit_from_json(r, limit, &cycle_limit)) {
        goto out;
    }
    status = parse_stdin(&in, root, msg, sizeof(msg));
    if (status != 0) {
        api_reply_error(r, status, status == 413 ? "too_large" : "bad_request",
                        "%s", msg);
        goto out;
    }
    if (prog != NULL) {
        char sha[80];
        if (!cJSON_IsString(prog) || strlen(prog->valuestring) >= sizeof(sha)) {
            api_reply_error(r, 400, "bad_request",
                            "program must be a sha256 hex string");
            goto out;
        }
        (void)snprintf(sha, sizeof(sha), "%s", prog->valuestring);
        if (!sha_param_ok(sha)) {
            api_reply_error(r, 400, "bad_request",
                            "program must be 64 hex digits (sha256 of the "
                            "ELF)");
            goto out;
        }
        if (store_program_get(r->st, &sr.program, sha) != ZK_OK ||
            !sr.program.has_vk) {
            api_reply_error(r, 404, "not_found",
                            "unknown program %s: upload it first "
                            "(POST /v1/programs)",
                            sha);
            goto out;
        }
    } else {
        uint8_t *raw = NULL;
        size_t n = 0;
        enum zk_err err;
        if (!cJSON_IsString(elf)) {
            api_reply_error(r, 400, "bad_request",
                            "elf must be a base64 string");
            goto out;
        }
        err = b64_take(&raw, &n, elf->valuestring, r->srv->cfg.max_elf);
        if (err) {
            api_reply_error(r, err == ZK_ELIMIT ? 413 : 400,
                            err == ZK_ELIMIT ? "too_large" : "bad_request",
                            "elf: %s",
                            err == ZK_ELIMIT ? "too large" : "invalid base64");
            goto out;
        }
        api_program_ensure(r->srv, r->st, &sr, raw, n, force);
        zk_free(raw);
        if (sr.http_status >= 300) {
            api_reply_error(r, sr.http_status, sr.code, "%s", sr.message);
            goto out;
        }
    }
    api_job_submit(r->srv, r->st, &sr, sr.program.sha256, &in, cycle_limit,
                   "v1");
    if (sr.http_status >= 300) {
        api_reply_error(r, sr.http_status, sr.code, "%s", sr.message);
        goto out;
    }
    zk_buf_init(&b, 4096);
    bool ok = api_json_raw(&b, "{\"id\":") && api_json_str(&b, sr.id) &&
              api_json_raw(&b, ",\"status\":\"queued\",\"program\":") &&
              program_json(&b, &sr.program) &&
              api_json_fmt(&b, ",\"url\":\"/v1/proofs/%s\"}\n", sr.id);
    api_reply_json(r, 202, &b, ok);
    zk_buf_cleanup(&b);
out:
    api_stdin_cleanup(&in);
    cJSON_Delete(root);
}

void api_h_proof_get(struct api_req *r, const char *id)
{
    char w[16];
    unsigned wait_s = 0;
    struct store_job job;
    enum store_job_status st;
    struct zk_buf b;
    enum zk_err err;

    if (!api_id_valid(id)) {
        api_reply_error(r, 404, "not_found", "unknown proof id");
        return;
    }
    if (api_query_get(r, "wait", w, sizeof(w))) {
        char *end = NULL;
        long v = strtol(w, &end, 10);
        if (end == w || *end != '\0' || v < 0) {
            api_reply_error(r, 400, "bad_request",
                            "wait must be a number of seconds");
            return;
        }
        wait_s = v > (long)r->srv->cfg.wait_max_s ? r->srv->cfg.wait_max_s
                                                  : (unsigned)v;
    }
    /* Without ?wait one query does it; with it, wait for a final state
     * first (cheap status polls), then read the record. */
    err = wait_s > 0 ? api_wait_job(r, &st, id, wait_s) : ZK_OK;
    if (!err) {
        err = store_job_get(r->st, &job, id);
    }
    if (err) {
        api_reply_lookup_error(r, err, "proof id", id);
        return;
    }
    zk_buf_init(&b, job.public_values_len * 2 + 4096);
    bool ok = api_proof_json(&b, &job) && api_json_raw(&b, "\n");
    api_reply_json(r, 200, &b, ok);
    zk_buf_cleanup(&b);
    store_job_cleanup(&job);
}

static bool int_param(const struct api_req *r, const char *name, int64_t *out,
                      bool *bad)
{
    char v[32];
    char *end = NULL;
    if (!api_query_get(r, name, v, sizeof(v))) {
        return false;
    }
    long long x = strtoll(v, &end, 10);
    if (end == v || *end != '\0' || x < 0) {
        *bad = true;
        return false;
    }
    *out = x;
    return true;
}

void api_h_proof_list(struct api_req *r)
{
    struct store_job_filter f;
    char vkey[80], signer[80], status[32], prog[80];
    int64_t limit = 20, since = 0, until = 0, cursor = 0, next = 0;
    bool bad = false;
    struct store_job *page = NULL;
    size_t n = 0;
    struct zk_buf b;
    bool ok;

    memset(&f, 0, sizeof(f));
    f.status = -1;
    if (api_query_get(r, "vkey", vkey, sizeof(vkey))) {
        for (char *p = vkey; *p; p++) {
            *p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
        }
        if (strlen(vkey) != 66 || strncmp(vkey, "0x", 2) != 0) {
            api_reply_error(r, 400, "bad_request",
                            "vkey must be 0x + 64 hex digits");
            return;
        }
        f.vkey = vkey;
    }
    if (api_query_get(r, "signer", signer, sizeof(signer))) {
        if (strlen(signer) != 42 || strncmp(signer, "0x", 2) != 0) {
            api_reply_error(r, 400, "bad_request",
                            "signer must be a 0x address");
            return;
        }
        f.signer = signer;
    }
    if (api_query_get(r, "program", prog, sizeof(prog))) {
        if (!sha_param_ok(prog)) {
            api_reply_error(r, 400, "bad_request",
                            "program must be a sha256 (64 hex digits)");
            return;
        }
        f.program_sha256 = prog;
    }
    if (api_query_get(r, "status", status, sizeof(status))) {
        enum store_job_status stv;
        if (store_job_status_parse(&stv, status) != ZK_OK) {
            api_reply_error(r, 400, "bad_request",
                            "status must be queued, running, "
                            "waiting_for_key, done or failed");
            return;
        }
        f.status = (int)stv;
    }
    (void)int_param(r, "limit", &limit, &bad);
    if (int_param(r, "since", &since, &bad)) {
        f.since_ms = since * 1000;
    }
    if (int_param(r, "until", &until, &bad)) {
        f.until_ms = until * 1000;
    }
    if (int_param(r, "cursor", &cursor, &bad)) {
        f.before_seq = cursor;
    }
    if (bad || limit < 1 || limit > (int64_t)r->srv->cfg.list_max) {
        api_reply_error(r, 400, "bad_request",
                        "limit (1..%u), since, until (unix seconds) and "
                        "cursor must be non-negative integers",
                        r->srv->cfg.list_max);
        return;
    }
    page = zk_calloc((size_t)limit, sizeof(*page));
    if (page == NULL ||
        store_job_list(r->st, page, (size_t)limit, &n, &next, &f) != ZK_OK) {
        zk_free(page);
        api_reply_error(r, 503, "unavailable", "database unavailable");
        return;
    }
    zk_buf_init(&b, (size_t)64 * 1024 * 1024);
    ok = api_json_raw(&b, "{\"proofs\":[");
    for (size_t i = 0; ok && i < n; i++) {
        ok = (i == 0 || api_json_raw(&b, ",")) && api_proof_json(&b, &page[i]);
    }
    ok = ok && (next != 0 ? api_json_fmt(&b, "],\"next_cursor\":\"%lld\"}\n",
                                         (long long)next)
                          : api_json_raw(&b, "],\"next_cursor\":null}\n"));
    api_reply_json(r, 200, &b, ok);
    zk_buf_cleanup(&b);
    for (size_t i = 0; i < n; i++) {
        store_job_cleanup(&page[i]);
    }
    zk_free(page);
}

void api_h_program_upload(struct api_req *r)
{
    struct api_submit_result sr;
    struct zk_buf b;
    uint8_t *raw = NULL;
    size_t n = 0;
    const uint8_t *elf;
    enum zk_err err;
    unsigned force = 0;
    char fv[8];

    memset(&sr, 0, sizeof(sr));
    if (api_query_get(r, "sp1_version", fv, sizeof(fv))) {
        if (strcmp(fv, "3") != 0 && strcmp(fv, "4") != 0 &&
            strcmp(fv, "5") != 0) {
            api_reply_error(r, 400, "bad_request",
                            "sp1_version must be 3, 4 or 5 (the SP1 major)");
            return;
        }
        force = (unsigned)(fv[0] - '0');
    }
    if (strncmp(r->content_type, "application/json", 16) == 0) {
        cJSON *root = parse_body_json(r);
        const cJSON *e;
        if (root == NULL) {
            return;
        }
        if (force == 0 && !force_from_json(r, root, &force)) {
            cJSON_Delete(root);
            return;
        }
        e = cJSON_GetObjectItemCaseSensitive(root, "elf");
        if (!cJSON_IsString(e)) {
            cJSON_Delete(root);
            api_reply_error(r, 400, "bad_request",
                            "elf must be a base64 string");
            return;
        }
        err = b64_take(&raw, &n, e->valuestring, r->srv->cfg.max_elf);
        cJSON_Delete(root);
        if (err) {
            api_reply_error(r, err == ZK_ELIMIT ? 413 : 400,
                            err == ZK_ELIMIT ? "too_large" : "bad_request",
                            "elf: %s",
                            err == ZK_ELIMIT ? "too large" : "invalid base64");
            return;
        }
        elf = raw;
    } else {
        err = api_read_body(r);
        if (err) {
            api_reply_error(r, err == ZK_ELIMIT ? 413 : 400,
                            err == ZK_ELIMIT ? "too_large" : "bad_request",
                            "could not read the ELF body");
            return;
        }
        elf = r->body.data;
        n = r->body.len;
    }
    api_program_ensure(r->srv, r->st, &sr, elf, n, force);
    zk_free(raw);
    if (sr.http_status >= 300) {
        api_reply_error(r, sr.http_status, sr.code, "%s", sr.message);
        return;
    }
    zk_buf_init(&b, 4096);
    bool ok = program_json(&b, &sr.program) && api_json_raw(&b, "\n");
    api_reply_json(r, sr.http_status, &b, ok);
    zk_buf_cleanup(&b);
}

void api_h_program_get(struct api_req *r, const char *sha_in)
{
    char sha[80];
    struct store_program p;
    struct zk_buf b;
    enum zk_err err;

    if (strlen(sha_in) >= sizeof(sha)) {
        api_reply_error(r, 404, "not_found", "unknown program");
        return;
    }
    (void)snprintf(sha, sizeof(sha), "%s", sha_in);
    if (!sha_param_ok(sha)) {
        api_reply_error(r, 400, "bad_request",
                        "program id must be a sha256 (64 hex digits)");
        return;
    }
    err = store_program_get(r->st, &p, sha);
    if (err) {
        api_reply_lookup_error(r, err, "program", sha);
        return;
    }
    zk_buf_init(&b, 4096);
    bool ok = program_json(&b, &p) && api_json_raw(&b, "\n");
    api_reply_json(r, 200, &b, ok);
    zk_buf_cleanup(&b);
}
