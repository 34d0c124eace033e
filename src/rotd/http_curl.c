/* http_curl.c - libcurl JSON-RPC transport with retries and failover. */
#include <config.h>

#include "rotd/http.h"

#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"

struct rot_http {
    CURL *curl;
    struct curl_slist *headers;
    char *urls[ROT_HTTP_MAX_URLS];
    char hosts[ROT_HTTP_MAX_URLS][64]; /* for logs: host part only */
    size_t n_urls;
    size_t preferred;
    long timeout_ms;
    long connect_timeout_ms;
    unsigned retries;
    unsigned backoff_ms;
};

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0) {
        /* EINTR: keep sleeping the remainder (signals are polled by the
         * caller between requests). */
    }
}

/* Copies the host[:port] part of url into out for logging. */
static void url_host(char *out, size_t size, const char *url)
{
    const char *p = strstr(url, "://");
    p = p ? p + 3 : url;
    const char *at = strchr(p, '@');
    const char *slash = strchr(p, '/');
    if (at && (!slash || at < slash)) {
        p = at + 1; /* drop userinfo */
        slash = strchr(p, '/');
    }
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n >= size) {
        n = size - 1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
}

enum zk_err rot_http_new(struct rot_http **out,
                         const struct rot_http_opts *opts)
{
    static bool global_done;
    struct rot_http *h = NULL;
    enum zk_err err = ZK_EINVAL;

    *out = NULL;
    if (opts->n_urls == 0 || opts->n_urls > ROT_HTTP_MAX_URLS) {
        zk_error("rotd: rpc: need 1..%u --rpc-url, got %zu", ROT_HTTP_MAX_URLS,
                 opts->n_urls);
        return ZK_EINVAL;
    }
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            zk_error("rotd: rpc: curl_global_init failed");
            return ZK_EIO;
        }
        global_done = true;
    }
    h = zk_calloc(1, sizeof(*h));
    if (!h) {
        return ZK_ENOMEM;
    }
    for (size_t i = 0; i < opts->n_urls; i++) {
        const char *u = opts->urls[i];
        if (strncmp(u, "http://", 7) != 0 && strncmp(u, "https://", 8) != 0) {
            zk_error("rotd: rpc: endpoint #%zu is not an http(s) URL", i);
            goto fail;
        }
        h->urls[i] = zk_strdup(u);
        if (!h->urls[i]) {
            err = ZK_ENOMEM;
            goto fail;
        }
        url_host(h->hosts[i], sizeof(h->hosts[i]), u);
        h->n_urls++;
    }
    h->timeout_ms = opts->timeout_ms > 0 ? opts->timeout_ms : 10000;
    h->connect_timeout_ms =
        opts->connect_timeout_ms > 0 ? opts->connect_timeout_ms : 3000;
    h->retries = opts->retries ? opts->retries : 2;
    h->backoff_ms = opts->backoff_ms ? opts->backoff_ms : 250;
    h->curl = curl_easy_init();
    h->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (!h->curl || !h->headers) {
        err = ZK_EIO;
        zk_error("rotd: rpc: curl_easy_init failed");
        goto fail;
    }
    *out = h;
    return ZK_OK;
fail:
    rot_http_free(h);
    return err;
}

void rot_http_free(struct rot_http *h)
{
    if (!h) {
        return;
    }
    if (h->curl) {
        curl_easy_cleanup(h->curl);
    }
    curl_slist_free_all(h->headers);
    for (size_t i = 0; i < h->n_urls; i++) {
        zk_free(h->urls[i]);
    }
    zk_free(h);
}

struct sink {
    struct zk_buf *buf;
    bool too_big;
};

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *userdata)
{
    struct sink *s = userdata;
    size_t n = size * nmemb;
    if (zk_buf_append(s->buf, ptr, n) != ZK_OK) {
        s->too_big = true;
        return 0; /* aborts the transfer */
    }
    return n;
}

enum post_result { POST_OK, POST_RETRY, POST_FATAL };

static enum post_result post_one(struct rot_http *h, size_t idx,
                                 struct zk_buf *resp, const char *req,
                                 size_t len, enum zk_err *fatal)
{
    CURL *c = h->curl;
    struct sink s = {resp, false};
    long status = 0;
    zk_buf_reset(resp);
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, h->urls[idx]);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h->headers);
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, h->timeout_ms);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE,
                     (curl_off_t)ZK_MAX_RPC_RESPONSE);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &s);
    CURLcode rc = curl_easy_perform(c);
    if (s.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
        zk_error("rotd: rpc: endpoint #%zu (%s): response larger than %u "
                 "bytes",
                 idx, h->hosts[idx], ZK_MAX_RPC_RESPONSE);
        *fatal = ZK_ELIMIT;
        return POST_FATAL;
    }
    if (rc != CURLE_OK) {
        zk_warn("rotd: rpc: endpoint #%zu (%s): %s", idx, h->hosts[idx],
                curl_easy_strerror(rc));
        return POST_RETRY;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status == 429 || status >= 500 || resp->len == 0) {
        zk_warn("rotd: rpc: endpoint #%zu (%s): HTTP %ld", idx, h->hosts[idx],
                status);
        return POST_RETRY;
    }
    if (status != 200) {
        zk_debug("rotd: rpc: endpoint #%zu: HTTP %ld with a body", idx, status);
    }
    return POST_OK;
}

enum zk_err rot_http_transport(void *ctx, struct zk_buf *response,
                               const char *request, size_t request_len)
{
    struct rot_http *h = ctx;
    unsigned delay = h->backoff_ms;
    for (unsigned round = 0; round <= h->retries; round++) {
        if (round > 0) {
            sleep_ms(delay);
            delay = delay * 2 > 10000 ? 10000 : delay * 2;
        }
        for (size_t k = 0; k < h->n_urls; k++) {
            size_t idx = (h->preferred + k) % h->n_urls;
            enum zk_err fatal = ZK_OK;
            enum post_result r =
                post_one(h, idx, response, request, request_len, &fatal);
            if (r == POST_OK) {
                if (idx != h->preferred) {
                    zk_info("rotd: rpc: failing over to endpoint #%zu (%s)",
                            idx, h->hosts[idx]);
                    h->preferred = idx;
                }
                return ZK_OK;
            }
            if (r == POST_FATAL) {
                zk_buf_reset(response);
                return fatal;
            }
        }
    }
    zk_buf_reset(response);
    zk_warn("rotd: rpc: every endpoint failed %u times", h->retries + 1);
    return ZK_EBUSY;
}
