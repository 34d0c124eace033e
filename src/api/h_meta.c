/*
 * h_meta.c - /v1/signer (current key and its attestation, or why there is
 * none), /v1/health and the Prometheus /metrics text exposition.
 */
#include <config.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/http.h"
#include "base/mem.h"

static bool key_json(struct zk_buf *b, const struct store_key *k)
{
    int64_t now = (int64_t)time(NULL);
    return api_json_fmt(b, "{\"key_id\":%lld,\"address\":", (long long)k->id) &&
           api_json_str(b, k->address) && api_json_raw(b, ",\"status\":") &&
           api_json_str(b, k->status) && api_json_raw(b, ",\"tee_mode\":") &&
           api_json_str(b, k->tee_mode) &&
           api_json_fmt(b, ",\"simulated\":%s",
                        strcmp(k->tee_mode, "simulated") == 0 ? "true"
                                                              : "false") &&
           api_json_fmt(b, ",\"created_at\":%lld", (long long)k->created_at) &&
           (k->expires_at != 0
                ? api_json_fmt(b, ",\"expires_at\":%lld,\"expires_in_s\":%lld",
                               (long long)k->expires_at,
                               (long long)(k->expires_at - now))
                : api_json_raw(b, ",\"expires_at\":null")) &&
           (k->registered_block >= 0
                ? api_json_fmt(b, ",\"registered_block\":%lld",
                               (long long)k->registered_block)
                : api_json_raw(b, ",\"registered_block\":null")) &&
           api_json_raw(b, ",\"attestation\":{\"report_data\":") &&
           (k->report_data_len > 0
                ? api_json_hex(b, k->report_data, k->report_data_len)
                : api_json_raw(b, "null")) &&
           api_json_raw(b, ",\"quote_sha256\":") &&
           (k->quote_sha256[0] ? api_json_str(b, k->quote_sha256)
                               : api_json_raw(b, "null")) &&
           api_json_fmt(b, ",\"quote_size\":%zu", k->quote_len) &&
           (k->ref_block_number >= 0
                ? api_json_fmt(b, ",\"ref_block_number\":%lld",
                               (long long)k->ref_block_number)
                : api_json_raw(b, ",\"ref_block_number\":null")) &&
           api_json_raw(b, ",\"ref_block_hash\":") &&
           (k->ref_block_hash[0] ? api_json_str(b, k->ref_block_hash)
                                 : api_json_raw(b, "null")) &&
           api_json_raw(b, ",\"tx_hash\":") &&
           (k->tx_hash[0] ? api_json_str(b, k->tx_hash)
                          : api_json_raw(b, "null")) &&
           api_json_raw(b, "},\"error\":") &&
           (k->error[0] ? api_json_str(b, k->error)
                        : api_json_raw(b, "null")) &&
           api_json_raw(b, "}");
}

void api_h_signer(struct api_req *r)
{
    struct store_key key, *recent = NULL;
    size_t n = 0;
    struct zk_buf b;
    char quote_q[8];
    bool ok, has;
    enum zk_err err;

    err = store_key_get_signing(r->st, &key, (int64_t)time(NULL),
                                r->srv->cfg.key_margin_s);
    if (err && err != ZK_ENOTFOUND) {
        api_reply_error(r, 503, "unavailable", "database unavailable");
        return;
    }
    has = err == ZK_OK;
    zk_memclear(key.secret, sizeof(key.secret)); /* never leaves here */
    recent = zk_calloc(5, sizeof(*recent));
    if (recent == NULL || store_key_list(r->st, recent, 5, &n, NULL)) {
        n = 0;
    }
    zk_buf_init(&b, 1024 * 1024);
    if (has) {
        ok = api_json_raw(&b, "{\"signer\":") && key_json(&b, &key);
        if (ok && api_query_get(r, "quote", quote_q, sizeof(quote_q))) {
            uint8_t *q = NULL;
            size_t qn = 0;
            ok = store_key_get_quote(r->st, &q, &qn, key.id) == ZK_OK &&
                 api_json_raw(&b, ",\"quote\":") &&
                 (q != NULL ? api_json_hex(&b, q, qn)
                            : api_json_raw(&b, "null"));
            zk_free(q);
        }
    } else {
        char why[256];
        pthread_mutex_lock(&r->srv->mu);
        (void)snprintf(why, sizeof(why), "%s",
                       r->srv->signer_status[0] ? r->srv->signer_status
                                                : "no active, unexpired key");
        pthread_mutex_unlock(&r->srv->mu);
        ok = api_json_raw(&b, "{\"error\":{\"code\":\"no_key\",\"message\":") &&
             api_json_str(&b, why) && api_json_raw(&b, "},\"signer\":null");
    }
    ok = ok && api_json_raw(&b, ",\"recent_keys\":[");
    for (size_t i = 0; ok && i < n; i++) {
        ok = (i == 0 || api_json_raw(&b, ",")) && key_json(&b, &recent[i]);
    }
    ok = ok && api_json_raw(&b, "]}\n");
    api_reply_json(r, has ? 200 : 503, &b, ok);
    zk_buf_cleanup(&b);
    store_key_clear(&key);
    zk_free(recent);
}

void api_h_health(struct api_req *r)
{
    int64_t counts[STORE_JOB_N_STATUS];
    struct store_key key;
    struct zk_buf b;
    bool db_ok, key_ok;

    db_ok = store_job_count(r->st, counts) == ZK_OK;
    key_ok = db_ok && store_key_get_signing(r->st, &key, (int64_t)time(NULL),
                                            r->srv->cfg.key_margin_s) == ZK_OK;
    store_key_clear(&key);
    zk_buf_init(&b, 4096);
    bool ok =
        api_json_fmt(&b, "{\"status\":\"%s\",\"database\":\"%s\"",
                     db_ok ? "ok" : "unavailable", db_ok ? "ok" : "error") &&
        api_json_fmt(&b, ",\"signer\":\"%s\"",
                     key_ok ? "active" : "waiting_for_key") &&
        (db_ok ? api_json_fmt(&b,
                              ",\"queue_depth\":%lld,\"waiting_for_key\":%lld",
                              (long long)counts[STORE_JOB_QUEUED] +
                                  (long long)counts[STORE_JOB_RUNNING],
                              (long long)counts[STORE_JOB_WAITING_FOR_KEY])
               : true) &&
        api_json_fmt(&b, ",\"uptime_s\":%lld,\"version\":\"%s\"}\n",
                     (long long)((int64_t)time(NULL) - r->srv->started_at),
                     PACKAGE_VERSION);
    api_reply_json(r, db_ok ? 200 : 503, &b, ok);
    zk_buf_cleanup(&b);
}

static const char *const route_names[API_N_ROUTES] = {
    "request_proof", "wait_proof",     "submit",      "proof_get",
    "proof_list",    "program_upload", "program_get", "signer",
    "health",        "metrics",        "not_found",   "other"};
static const char *const class_names[6] = {"1xx", "2xx", "3xx",
                                           "4xx", "5xx", "429"};

void api_h_metrics(struct api_req *r)
{
    struct api_metrics *m = &r->srv->metrics;
    int64_t counts[STORE_JOB_N_STATUS];
    uint64_t cycles = 0;
    int64_t exec_ms = 0;
    struct store_key key;
    struct zk_buf b;
    bool ok, db_ok, has_key;

    db_ok = store_job_count(r->st, counts) == ZK_OK &&
            store_job_totals(r->st, &cycles, &exec_ms) == ZK_OK;
    has_key =
        store_key_get_signing(r->st, &key, (int64_t)time(NULL), 0) == ZK_OK;
    zk_memclear(key.secret, sizeof(key.secret));
    zk_buf_init(&b, 256 * 1024);
    ok = api_json_raw(&b, "# HELP sp1tee_http_requests_total HTTP requests "
                          "answered, by route and status class.\n"
                          "# TYPE sp1tee_http_requests_total counter\n");
    for (int i = 0; ok && i < API_N_ROUTES; i++) {
        for (int c = 0; ok && c < 6; c++) {
            uint64_t v = atomic_load(&m->requests[i][c]);
            if (v != 0) {
                ok = api_json_fmt(&b,
                                  "sp1tee_http_requests_total{route=\"%s\","
                                  "code=\"%s\"} %llu\n",
                                  route_names[i], class_names[c],
                                  (unsigned long long)v);
            }
        }
    }
    ok = ok && api_json_raw(&b, "# HELP sp1tee_jobs Jobs in the database by "
                                "state.\n# TYPE sp1tee_jobs gauge\n");
    for (int s = 0; ok && db_ok && s < STORE_JOB_N_STATUS; s++) {
        ok = api_json_fmt(&b, "sp1tee_jobs{state=\"%s\"} %lld\n",
                          store_job_status_name((enum store_job_status)s),
                          (long long)counts[s]);
    }
    ok = ok &&
         api_json_raw(&b, "# HELP sp1tee_queue_depth Jobs queued or "
                          "running.\n# TYPE sp1tee_queue_depth gauge\n") &&
         api_json_fmt(&b, "sp1tee_queue_depth %lld\n",
                      db_ok ? (long long)(counts[STORE_JOB_QUEUED] +
                                          counts[STORE_JOB_RUNNING])
                            : 0LL) &&
         api_json_raw(&b, "# HELP sp1tee_cycles_executed_total Guest cycles "
                          "of stored results.\n# TYPE "
                          "sp1tee_cycles_executed_total counter\n") &&
         api_json_fmt(&b, "sp1tee_cycles_executed_total %llu\n",
                      (unsigned long long)cycles) &&
         api_json_raw(&b, "# HELP sp1tee_execution_seconds_total Executor "
                          "wall time of stored results.\n# TYPE "
                          "sp1tee_execution_seconds_total counter\n") &&
         api_json_fmt(&b, "sp1tee_execution_seconds_total %.3f\n",
                      (double)exec_ms / 1000.0);
    struct {
        const char *name, *help;
        atomic_uint_fast64_t *v;
    } ctr[] = {
        {"sp1tee_jobs_submitted_total", "Jobs accepted.", &m->jobs_submitted},
        {"sp1tee_jobs_rejected_total", "Submissions refused: queue full.",
         &m->jobs_rejected_busy},
        {"sp1tee_jobs_executed_total", "Executor runs that returned.",
         &m->jobs_executed},
        {"sp1tee_jobs_failed_total", "Jobs that failed.", &m->jobs_failed},
        {"sp1tee_proofs_signed_total", "Proofs signed.", &m->proofs_signed},
        {"sp1tee_vk_computed_total", "vk computations (new programs).",
         &m->vk_computed},
        {"sp1tee_executor_crashes_total", "Executor children that crashed.",
         &m->executor_crashes},
        {"sp1tee_executor_timeouts_total",
         "Executor children killed at "
         "the time limit.",
         &m->executor_timeouts},
    };
    for (size_t i = 0; ok && i < ZK_ARRAY_LEN(ctr); i++) {
        ok = api_json_fmt(&b, "# HELP %s %s\n# TYPE %s counter\n%s %llu\n",
                          ctr[i].name, ctr[i].help, ctr[i].name, ctr[i].name,
                          (unsigned long long)atomic_load(ctr[i].v));
    }
    ok = ok &&
         api_json_raw(&b, "# HELP sp1tee_signer_expiry_seconds Seconds until "
                          "the signing key expires (0: none).\n# TYPE "
                          "sp1tee_signer_expiry_seconds gauge\n") &&
         api_json_fmt(&b, "sp1tee_signer_expiry_seconds %lld\n",
                      has_key ? (long long)(key.expires_at - time(NULL))
                              : 0LL) &&
         api_json_raw(&b, "# HELP sp1tee_signer_available 1 when a key can "
                          "sign.\n# TYPE sp1tee_signer_available gauge\n") &&
         api_json_fmt(&b, "sp1tee_signer_available %d\n",
                      has_key && key.expires_at - time(NULL) >
                                     (int64_t)r->srv->cfg.key_margin_s
                          ? 1
                          : 0) &&
         api_json_raw(&b, "# HELP sp1tee_up 1 when the database answers.\n"
                          "# TYPE sp1tee_up gauge\n") &&
         api_json_fmt(&b, "sp1tee_up %d\n", db_ok ? 1 : 0);
    store_key_clear(&key);
    if (!ok) {
        api_reply_error(r, 500, "internal", "metrics too large");
    } else {
        api_reply(r, 200, "text/plain; version=0.0.4", b.data, b.len);
    }
    zk_buf_cleanup(&b);
}
