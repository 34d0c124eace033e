/*
 * http.h - one FastCGI request as the handlers see it, and the reply and
 * JSON-writing helpers. Internal to src/api/.
 *
 * Every reply goes through api_reply* so that status, content type and
 * length are always set and metrics are counted once. Error bodies are
 * {"error":{"code":"...","message":"..."}}.
 */
#ifndef ZK_API_HTTP_H
#define ZK_API_HTTP_H

#include <fcgiapp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api/api.h"
#include "base/buf.h"
#include "base/compiler.h"

enum api_route {
    API_R_REQUEST_PROOF = 0,
    API_R_WAIT_PROOF,
    API_R_SUBMIT,
    API_R_PROOF_GET,
    API_R_PROOF_LIST,
    API_R_PROGRAM_UPLOAD,
    API_R_PROGRAM_GET,
    API_R_SIGNER,
    API_R_HEALTH,
    API_R_METRICS,
    API_R_NOT_FOUND,
    API_R_OTHER
};

struct api_req {
    struct api_server *srv;
    struct store *st; /* this worker's connection */
    FCGX_Request *fr;
    const char *method; /* "GET", "POST", ... */
    char path[256];     /* REQUEST_URI without the query */
    const char *query;  /* after '?', or "" */
    const char *content_type;
    struct zk_buf body; /* read by api_read_body */
    enum api_route route;
    int status; /* set by api_reply */
    /* When set, replies carry "X-SP1-Version: <this>": the compat
     * endpoints' JSON shape is fixed, so the detected version of the
     * program travels in a header there. */
    char sp1_version[64];
};

/* Reads the body (bounded by cfg.max_body). ZK_ELIMIT when too large. */
ZK_NODISCARD enum zk_err api_read_body(struct api_req *r);

/* Sends a complete response. */
void api_reply(struct api_req *r, int status, const char *content_type,
               const void *body, size_t len);
/* Sends {"error":{...}} with status. */
void api_reply_error(struct api_req *r, int status, const char *code,
                     const char *fmt, ...) ZK_PRINTF(4, 5);
/*
 * After a failed store lookup of "<what> <id>" (err != ZK_OK): replies 404
 * not_found for ZK_ENOTFOUND, 503 "database unavailable" for any other error.
 */
void api_reply_lookup_error(struct api_req *r, enum zk_err err,
                            const char *what, const char *id);
/* Sends a JSON body from b (or a 500 if b overflowed: ok=false). */
void api_reply_json(struct api_req *r, int status, struct zk_buf *b, bool ok);

/*
 * Finds a query parameter and percent-decodes it into out.
 * Returns true if present (out may be "" for "name="). A value that does
 * not fit in out_size - 1 bytes gives "" too (never a cut value, which could
 * read as another valid one); every caller refuses an empty value.
 */
bool api_query_get(const struct api_req *r, const char *name, char *out,
                   size_t out_size);

/* JSON writers: all return false once the buffer overflowed. */
bool api_json_str(struct zk_buf *b, const char *s);
bool api_json_hex(struct zk_buf *b, const uint8_t *p, size_t n);
bool api_json_raw(struct zk_buf *b, const char *s);
bool api_json_fmt(struct zk_buf *b, const char *fmt, ...) ZK_PRINTF(2, 3);
bool api_json_numarray(struct zk_buf *b, const uint8_t *p, size_t n);

/* Handlers. */
void api_h_request_proof(struct api_req *r);
void api_h_wait_proof(struct api_req *r);
void api_h_submit(struct api_req *r);
void api_h_proof_get(struct api_req *r, const char *id);
void api_h_proof_list(struct api_req *r);
void api_h_program_upload(struct api_req *r);
void api_h_program_get(struct api_req *r, const char *sha);
void api_h_signer(struct api_req *r);
void api_h_health(struct api_req *r);
void api_h_metrics(struct api_req *r);

/* Shared by handlers: a proof record as v1 JSON (appended to b). */
bool api_proof_json(struct zk_buf *b, const struct store_job *j);
/* Waits until job id is done/failed, timeout or shutdown.
 * Out: *st_out. Returns ZK_ENOTFOUND for an unknown id. */
ZK_NODISCARD enum zk_err api_wait_job(struct api_req *r,
                                      enum store_job_status *st_out,
                                      const char *id, unsigned timeout_s);
/* True for [A-Za-z0-9_-]{1,64}. */
bool api_id_valid(const char *id);
/* Maps a failed job's error code to its HTTP status. */
int api_failed_status(const char *error_code);

#endif
