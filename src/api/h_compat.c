/*
 * h_compat.c - the reference prover's endpoints, byte-for-byte:
 *
 *   POST /request_proof  {"elf":[..],"stdin":{..},"proof_mode":"TEE"}
 *        -> 200 text/plain "<proof id>"
 *   POST /wait_proof     "<proof id>" (text body)
 *        -> 200 {"signature":[65 numbers],"vk":[32 numbers],
 *                "public_values":[numbers]}
 *           404 unknown id; a JSON error for a failed job; 503 when it
 *           is still not finished after compat-wait seconds.
 * Both name the program's detected SP1 version in an X-SP1-Version
 * header (the bodies must stay exactly the reference's).
 */
#include <config.h>

#include <stdio.h>
#include <string.h>

#include "api/compat_json.h"
#include "api/http.h"

/* r->sp1_version copies a stored version text whole (result unchecked). */
_Static_assert(sizeof(((struct api_req *)0)->sp1_version) >= STORE_SMALL_SIZE,
               "a stored sp1_version fits the reply header field");

void api_h_request_proof(struct api_req *r)
{
    struct api_compat_req cr;
    struct api_submit_result sr;
    char msg[256];
    enum zk_err err;

    err = api_read_body(r);
    if (err == ZK_ELIMIT) {
        api_reply_error(r, 413, "too_large", "request body too large");
        return;
    }
    if (err) {
        api_reply_error(r, 400, "bad_request", "could not read the body");
        return;
    }
    api_compat_req_init(&cr, r->srv->cfg.max_elf, r->srv->cfg.max_stdin);
    err = api_compat_parse(&cr, msg, sizeof(msg), (const char *)r->body.data,
                           r->body.len);
    if (err == ZK_ELIMIT) {
        api_reply_error(r, 413, "too_large", "%s",
                        msg[0] ? msg : "ELF or stdin too large");
        goto out;
    }
    if (err) {
        api_reply_error(r, 400, "bad_request", "invalid request: %s",
                        msg[0] ? msg : zk_strerror(err));
        goto out;
    }
    memset(&sr, 0, sizeof(sr));
    api_program_ensure(r->srv, r->st, &sr, cr.elf.data, cr.elf.len, 0);
    (void)snprintf(r->sp1_version, sizeof(r->sp1_version), "%s",
                   sr.program.sp1_version);
    if (sr.http_status >= 300) {
        api_reply_error(r, sr.http_status, sr.code, "%s", sr.message);
        goto out;
    }
    api_job_submit(r->srv, r->st, &sr, sr.program.sha256, &cr.in, 0, "compat");
    if (sr.http_status >= 300) {
        api_reply_error(r, sr.http_status, sr.code, "%s", sr.message);
        goto out;
    }
    api_reply(r, 200, "text/plain", sr.id, strlen(sr.id));
out:
    api_compat_req_cleanup(&cr);
}

void api_h_wait_proof(struct api_req *r)
{
    char id[STORE_ID_SIZE];
    size_t n;
    enum store_job_status st;
    struct store_job job;
    struct zk_buf b;
    enum zk_err err;
    bool ok;

    err = api_read_body(r);
    if (err || r->body.len == 0 || r->body.len >= sizeof(id)) {
        api_reply_error(r, err == ZK_ELIMIT ? 413 : 400, "bad_request",
                        "the body must be a proof id");
        return;
    }
    /* The id as plain text; tolerate surrounding whitespace/quotes. */
    n = r->body.len;
    const char *p = (const char *)r->body.data;
    while (n > 0 && (p[0] == ' ' || p[0] == '\n' || p[0] == '"')) {
        p++;
        n--;
    }
    while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\r' ||
                     p[n - 1] == '"')) {
        n--;
    }
    memcpy(id, p, n);
    id[n] = '\0';
    if (!api_id_valid(id)) {
        api_reply_error(r, 404, "not_found", "unknown proof id");
        return;
    }
    err = api_wait_job(r, &st, id, r->srv->cfg.compat_wait_s);
    if (err) {
        api_reply_lookup_error(r, err, "proof id", id);
        return;
    }
    if (st != STORE_JOB_DONE && st != STORE_JOB_FAILED) {
        api_reply_error(r, 503, "not_ready", "proof %s is still %s", id,
                        store_job_status_name(st));
        return;
    }
    if (store_job_get(r->st, &job, id) != ZK_OK) {
        api_reply_error(r, 503, "unavailable", "database unavailable");
        return;
    }
    (void)snprintf(r->sp1_version, sizeof(r->sp1_version), "%s",
                   job.sp1_version);
    if (job.status == STORE_JOB_FAILED) {
        api_reply_error(r, api_failed_status(job.error_code),
                        job.error_code[0] ? job.error_code : "failed", "%s",
                        job.error);
        store_job_cleanup(&job);
        return;
    }
    zk_buf_init(&b, job.public_values_len * 4 + 1024);
    ok = api_json_raw(&b, "{\"signature\":") &&
         api_json_numarray(&b, job.signature, 65) &&
         api_json_raw(&b, ",\"vk\":") && api_json_numarray(&b, job.vk, 32) &&
         api_json_raw(&b, ",\"public_values\":") &&
         api_json_numarray(&b, job.public_values, job.public_values_len) &&
         api_json_raw(&b, "}");
    api_reply_json(r, 200, &b, ok);
    zk_buf_cleanup(&b);
    store_job_cleanup(&job);
}
