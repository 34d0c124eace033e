/*
 * http.h - the CLI's HTTPS transport (libcurl), for the client commands.
 *
 * One blocking request at a time, response body bounded by
 * CLI_HTTP_MAX_RESPONSE, TLS verified against the system store, a
 * --cacert file (the dev stack's self-signed certificate), or not at all
 * with --insecure (development only; a warning is printed).
 */
#ifndef ZK_CLI_HTTP_H
#define ZK_CLI_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

#define CLI_HTTP_MAX_RESPONSE (64u * 1024 * 1024)

struct cli_http {
    const char *base_url; /* "https://host:port" (trailing / ignored) */
    const char *cacert;   /* PEM file, or NULL */
    bool insecure;        /* skip peer and host verification */
    long timeout_s;       /* whole request; 0 = none */
};

struct cli_http_resp {
    long status;        /* HTTP status, 0 if no response */
    struct zk_buf body; /* initialised by cli_http_do, free with cleanup */
};

/* curl_global_init; call once before the first request. */
ZK_NODISCARD enum zk_err cli_http_global_init(void);

/*
 * method "GET"/"POST"; path is appended to base_url ("/v1/proofs?x=1");
 * body may be NULL. content_type is sent when body != NULL.
 * ZK_OK whenever a response arrived (any status; check resp->status);
 * ZK_EIO for transport errors (message on stderr), ZK_ELIMIT for an
 * oversized response. resp->body must be released with
 * cli_http_resp_cleanup in every case.
 */
ZK_NODISCARD enum zk_err cli_http_do(const struct cli_http *h,
                                     const char *method, const char *path,
                                     const char *content_type, const void *body,
                                     size_t body_len,
                                     struct cli_http_resp *resp);

void cli_http_resp_cleanup(struct cli_http_resp *resp);

#endif
