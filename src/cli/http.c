/*
 * http.c - libcurl transport for the client commands; see http.h.
 */
#include <config.h>
#include "cli/http.h"

#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "base/mem.h"

enum zk_err cli_http_global_init(void)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        zk_error("cli: http: curl_global_init failed");
        return ZK_EIO;
    }
    return ZK_OK;
}

struct sink {
    struct zk_buf *b;
    bool over;
};

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
    struct sink *s = ud;
    size_t n = size * nmemb;
    if (zk_buf_append(s->b, p, n) != ZK_OK) {
        s->over = true;
        return 0; /* aborts the transfer */
    }
    return n;
}

enum zk_err cli_http_do(const struct cli_http *h, const char *method,
                        const char *path, const char *content_type,
                        const void *body, size_t body_len,
                        struct cli_http_resp *resp)
{
    struct zk_buf url;
    struct curl_slist *hdrs = NULL;
    char ctype[160];
    char errbuf[CURL_ERROR_SIZE] = "";
    struct sink sink = {&resp->body, false};
    enum zk_err err = ZK_OK;
    CURL *c = NULL;

    resp->status = 0;
    zk_buf_init(&resp->body, CLI_HTTP_MAX_RESPONSE);
    zk_buf_init(&url, 8192);
    size_t blen = strlen(h->base_url);
    while (blen > 0 && h->base_url[blen - 1] == '/') {
        blen--;
    }
    if (zk_buf_append(&url, h->base_url, blen) ||
        zk_buf_append_str(&url, path)) {
        zk_error("cli: http: URL too long");
        err = ZK_ELIMIT;
        goto out;
    }
    c = curl_easy_init();
    if (c == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    curl_easy_setopt(c, CURLOPT_URL, (const char *)url.data);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sink);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "sp1-tee/" PACKAGE_VERSION);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
    if (h->timeout_s > 0) {
        curl_easy_setopt(c, CURLOPT_TIMEOUT, h->timeout_s);
    }
    if (h->cacert != NULL) {
        curl_easy_setopt(c, CURLOPT_CAINFO, h->cacert);
    }
    if (h->insecure) {
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    if (body != NULL) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, (const char *)body);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        /* callers pass short literal MIME types: this fits */
        (void)snprintf(ctype, sizeof(ctype), "Content-Type: %s",
                       content_type ? content_type
                                    : "application/octet-stream");
        hdrs = curl_slist_append(hdrs, ctype);
        /* no "Expect: 100-continue" round trip for big ELFs */
        hdrs = hdrs ? curl_slist_append(hdrs, "Expect:") : NULL;
        if (hdrs == NULL) {
            err = ZK_ENOMEM;
            goto out;
        }
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
    }
    CURLcode rc = curl_easy_perform(c);
    if (sink.over) {
        zk_error("cli: http: %s %s: response larger than %u bytes", method,
                 (const char *)url.data, (unsigned)CLI_HTTP_MAX_RESPONSE);
        err = ZK_ELIMIT;
        goto out;
    }
    if (rc != CURLE_OK) {
        zk_error("cli: http: %s %s: %s", method, (const char *)url.data,
                 errbuf[0] ? errbuf : curl_easy_strerror(rc));
        err = ZK_EIO;
        goto out;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp->status);
out:
    curl_slist_free_all(hdrs);
    if (c != NULL) {
        curl_easy_cleanup(c);
    }
    zk_buf_cleanup(&url);
    return err;
}

void cli_http_resp_cleanup(struct cli_http_resp *resp)
{
    zk_buf_cleanup(&resp->body);
}
