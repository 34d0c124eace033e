/*
 * http.h - the rotator's JSON-RPC transport: HTTP POST over libcurl with
 * timeouts, retries with exponential backoff and failover across several
 * endpoints (an eth_rpc_transport_fn, see eth/rpc.h).
 *
 * A request is tried on the preferred endpoint first (the last one that
 * answered), then on the others in order; a round that fails everywhere is
 * retried after backoff_ms, 2*backoff_ms, ... (capped at 10 s) up to
 * `retries` more rounds. Retryable: connection errors, timeouts, HTTP 429
 * and 5xx. Any other HTTP answer with a body is handed to the JSON-RPC
 * layer, which surfaces error objects with their codes. Responses are
 * bounded by ZK_MAX_RPC_RESPONSE; larger ones are ZK_ELIMIT (not retried).
 * Only http:// and https:// URLs are followed; redirects are not.
 * Endpoint URLs are never logged in full (they often embed API keys): logs
 * name endpoints by index and host.
 *
 * Not thread-safe: one struct rot_http per thread. It retains copies of
 * the URLs.
 */
#ifndef ZK_ROTD_HTTP_H
#define ZK_ROTD_HTTP_H

#include <stddef.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

#define ROT_HTTP_MAX_URLS 8u

struct rot_http_opts {
    const char *const *urls; /* 1..ROT_HTTP_MAX_URLS endpoints */
    size_t n_urls;
    long timeout_ms;         /* whole request; default 10000 */
    long connect_timeout_ms; /* default 3000 */
    unsigned retries;        /* extra rounds after the first; default 2 */
    unsigned backoff_ms;     /* first backoff; default 250 */
};

struct rot_http;

/*
 * Creates a transport. Zero fields of opts take the defaults.
 * Returns: ZK_OK; ZK_EINVAL (no URL, too many, not http/https); ZK_ENOMEM;
 *          ZK_EIO (curl initialisation failed).
 */
ZK_NODISCARD enum zk_err rot_http_new(struct rot_http **out,
                                      const struct rot_http_opts *opts);

/* Frees the transport. NULL-safe. */
void rot_http_free(struct rot_http *h);

/* The eth_rpc_transport_fn: ctx is a struct rot_http. Returns ZK_OK with
 * a body in response; ZK_EBUSY when every endpoint failed in every round;
 * ZK_ELIMIT for an oversized response; ZK_ENOMEM. */
ZK_NODISCARD enum zk_err rot_http_transport(void *ctx, struct zk_buf *response,
                                            const char *request,
                                            size_t request_len);

#endif
