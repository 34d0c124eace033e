/*
 * http.c - the FastCGI worker loop, routing, body reading, replies, query
 * strings and JSON writing helpers.
 *
 * Accepting: workers take turns (accept_mu, as libfcgi's threaded example
 * does) and poll the listening socket together with the server's wake
 * pipe, so that shutdown never waits for one more request (libfcgi alone
 * would block in accept until the next connection). A request is served
 * entirely by one worker; long polls sleep on a condition variable and
 * hold no lock, so they never block other requests beyond using a worker.
 */
#include <config.h>
#include "api/http.h"
#include "base/hex.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 400:
        return "Bad Request";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 413:
        return "Payload Too Large";
    case 415:
        return "Unsupported Media Type";
    case 422:
        return "Unprocessable Entity";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Unknown";
    }
}

static void count(struct api_req *r, int status)
{
    int cls = status == 429 ? 5 : status / 100 - 1;
    if (cls < 0 || cls > 5) {
        cls = 4;
    }
    atomic_fetch_add(&r->srv->metrics.requests[r->route][cls], 1);
}

void api_reply(struct api_req *r, int status, const char *content_type,
               const void *body, size_t len)
{
    if (r->status != 0) {
        return; /* already answered */
    }
    r->status = status;
    count(r, status);
    FCGX_FPrintF(r->fr->out,
                 "Status: %d %s\r\nContent-Type: %s\r\nContent-Length: "
                 "%lu\r\nCache-Control: no-store\r\n%s",
                 status, reason(status), content_type, (unsigned long)len,
                 status == 429 || status == 503 ? "Retry-After: 5\r\n" : "");
    if (r->sp1_version[0] != '\0') {
        FCGX_FPrintF(r->fr->out, "X-SP1-Version: %s\r\n", r->sp1_version);
    }
    FCGX_PutS("\r\n", r->fr->out);
    if (len > 0) {
        FCGX_PutStr(body, (int)len, r->fr->out);
    }
}

void api_reply_error(struct api_req *r, int status, const char *code,
                     const char *fmt, ...)
{
    char msg[512];
    struct zk_buf b;
    va_list ap;
    bool ok;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof(msg), fmt, ap); /* display: a cut is fine */
    va_end(ap);
    zk_buf_init(&b, 4096);
    ok = api_json_raw(&b, "{\"error\":{\"code\":") && api_json_str(&b, code) &&
         api_json_raw(&b, ",\"message\":") && api_json_str(&b, msg) &&
         api_json_raw(&b, "}}\n");
    api_reply_json(r, status, &b, ok);
    zk_buf_cleanup(&b);
}

void api_reply_lookup_error(struct api_req *r, enum zk_err err,
                            const char *what, const char *id)
{
    if (err == ZK_ENOTFOUND) {
        api_reply_error(r, 404, "not_found", "unknown %s %s", what, id);
    } else {
        api_reply_error(r, 503, "unavailable", "database unavailable");
    }
}

void api_reply_json(struct api_req *r, int status, struct zk_buf *b, bool ok)
{
    static const char oops[] =
        "{\"error\":{\"code\":\"internal\",\"message\":\"response too "
        "large\"}}\n";
    if (!ok) {
        api_reply(r, 500, "application/json", oops, sizeof(oops) - 1);
        return;
    }
    api_reply(r, status, "application/json", b->data, b->len);
}

enum zk_err api_read_body(struct api_req *r)
{
    const char *cl = FCGX_GetParam("CONTENT_LENGTH", r->fr->envp);
    char *end = NULL;
    unsigned long long want = 0;
    bool known = cl != NULL && cl[0] != '\0';
    if (known) {
        errno = 0;
        want = strtoull(cl, &end, 10);
        if (errno != 0 || *end != '\0') {
            return ZK_EINVAL;
        }
        if (want > r->srv->cfg.max_body) {
            return ZK_ELIMIT;
        }
    }
    /* Without CONTENT_LENGTH (a chunked upload) read to the end of the
     * FastCGI stdin stream, still bounded by max_body. */
    zk_buf_init(&r->body, known ? (size_t)want : r->srv->cfg.max_body);
    while (!known || r->body.len < want) {
        char chunk[65536];
        size_t n = known ? want - r->body.len : sizeof(chunk);
        int got = FCGX_GetStr(
            chunk, n > sizeof(chunk) ? (int)sizeof(chunk) : (int)n, r->fr->in);
        if (got <= 0) {
            if (!known) {
                break; /* end of the body */
            }
            return ZK_EINVAL; /* client went away mid-body */
        }
        if (zk_buf_append(&r->body, chunk, (size_t)got)) {
            return ZK_ELIMIT;
        }
    }
    if (r->body.data == NULL) {
        /* Keep data non-NULL (and NUL-terminated) for parsers. */
        if (zk_buf_append(&r->body, "", 0)) {
            return ZK_ENOMEM;
        }
    }
    return ZK_OK;
}

bool api_query_get(const struct api_req *r, const char *name, char *out,
                   size_t out_size)
{
    size_t nl = strlen(name);
    const char *p = r->query;
    while (p != NULL && *p != '\0') {
        const char *amp = strchr(p, '&');
        size_t seg = amp != NULL ? (size_t)(amp - p) : strlen(p);
        if (seg > nl && strncmp(p, name, nl) == 0 && p[nl] == '=') {
            size_t o = 0;
            for (size_t i = nl + 1; i < seg; i++) {
                char c = p[i];
                uint8_t byte;
                size_t bn = 0;
                if (o + 1 >= out_size) {
                    o = 0; /* too long: "" rather than a cut value */
                    break;
                }
                if (c == '+') {
                    c = ' ';
                } else if (c == '%' && i + 2 < seg &&
                           zk_hex_decode(&byte, 1, &bn, p + i + 1, 2) ==
                               ZK_OK &&
                           bn == 1) {
                    c = (char)byte;
                    i += 2;
                }
                out[o++] = c;
            }
            out[o] = '\0';
            return true;
        }
        if (seg == nl && strncmp(p, name, nl) == 0) {
            out[0] = '\0';
            return true;
        }
        p = amp != NULL ? amp + 1 : NULL;
    }
    return false;
}

bool api_json_raw(struct zk_buf *b, const char *s)
{
    return zk_buf_append_str(b, s) == ZK_OK;
}

bool api_json_fmt(struct zk_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(tmp)) {
        return false;
    }
    return zk_buf_append(b, tmp, (size_t)n) == ZK_OK;
}

bool api_json_str(struct zk_buf *b, const char *s)
{
    if (zk_buf_append(b, "\"", 1)) {
        return false;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        char esc[8];
        const char *rep = NULL;
        if (*p == '"') {
            rep = "\\\"";
        } else if (*p == '\\') {
            rep = "\\\\";
        } else if (*p == '\n') {
            rep = "\\n";
        } else if (*p < 0x20 || *p == 0x7f) {
            (void)snprintf(esc, sizeof(esc), "\\u%04x", *p); /* 6 chars */
            rep = esc;
        } else if (*p >= 0x80) {
            rep = "?"; /* keep output ASCII: messages are ours or guests' */
        }
        if (rep != NULL ? zk_buf_append_str(b, rep) != ZK_OK
                        : zk_buf_append(b, p, 1) != ZK_OK) {
            return false;
        }
    }
    return zk_buf_append(b, "\"", 1) == ZK_OK;
}

bool api_json_hex(struct zk_buf *b, const uint8_t *p, size_t n)
{
    static const char digits[] = "0123456789abcdef";
    if (zk_buf_append(b, "\"0x", 3)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char two[2] = {digits[p[i] >> 4], digits[p[i] & 15]};
        if (zk_buf_append(b, two, 2)) {
            return false;
        }
    }
    return zk_buf_append(b, "\"", 1) == ZK_OK;
}

bool api_json_numarray(struct zk_buf *b, const uint8_t *p, size_t n)
{
    char tmp[8];
    if (zk_buf_append(b, "[", 1)) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        int k = snprintf(tmp, sizeof(tmp), i ? ",%u" : "%u", p[i]);
        if (zk_buf_append(b, tmp, (size_t)k)) {
            return false;
        }
    }
    return zk_buf_append(b, "]", 1) == ZK_OK;
}

bool api_id_valid(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return false;
        }
    }
    return true;
}

int api_failed_status(const char *error_code)
{
    if (strcmp(error_code, "internal") == 0 ||
        strcmp(error_code, "executor_crash") == 0 ||
        strcmp(error_code, "attempts") == 0) {
        return 500;
    }
    return 422;
}

enum zk_err api_wait_job(struct api_req *r, enum store_job_status *st_out,
                         const char *id, unsigned timeout_s)
{
    struct api_server *srv = r->srv;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_s;
    for (;;) {
        uint64_t gen;
        enum zk_err err;
        pthread_mutex_lock(&srv->mu);
        gen = srv->job_gen;
        pthread_mutex_unlock(&srv->mu);
        err = store_job_get_status(r->st, st_out, id);
        if (err) {
            return err;
        }
        if (*st_out == STORE_JOB_DONE || *st_out == STORE_JOB_FAILED ||
            atomic_load(&srv->stopping)) {
            return ZK_OK;
        }
        struct timespec now, until;
        clock_gettime(CLOCK_REALTIME, &now);
        if (now.tv_sec > deadline.tv_sec || (now.tv_sec == deadline.tv_sec &&
                                             now.tv_nsec >= deadline.tv_nsec)) {
            return ZK_OK;
        }
        /* Wake at least every second: another process may change it. */
        until = now;
        until.tv_sec += 1;
        if (until.tv_sec > deadline.tv_sec ||
            (until.tv_sec == deadline.tv_sec &&
             until.tv_nsec > deadline.tv_nsec)) {
            until = deadline;
        }
        pthread_mutex_lock(&srv->mu);
        while (srv->job_gen == gen && !atomic_load(&srv->stopping)) {
            if (pthread_cond_timedwait(&srv->job_cond, &srv->mu, &until) ==
                ETIMEDOUT) {
                break;
            }
        }
        pthread_mutex_unlock(&srv->mu);
    }
}

static bool method_is(const struct api_req *r, const char *m)
{
    return strcmp(r->method, m) == 0;
}

static void route(struct api_req *r)
{
    const char *p = r->path;
    bool get = method_is(r, "GET") || method_is(r, "HEAD");
    bool post = method_is(r, "POST");

    if (strcmp(p, "/request_proof") == 0) {
        r->route = API_R_REQUEST_PROOF;
        if (post) {
            api_h_request_proof(r);
        }
    } else if (strcmp(p, "/wait_proof") == 0) {
        r->route = API_R_WAIT_PROOF;
        if (post) {
            api_h_wait_proof(r);
        }
    } else if (strcmp(p, "/v1/proofs") == 0) {
        r->route = post ? API_R_SUBMIT : API_R_PROOF_LIST;
        if (post) {
            api_h_submit(r);
        } else if (get) {
            api_h_proof_list(r);
        }
    } else if (strncmp(p, "/v1/proofs/", 11) == 0) {
        r->route = API_R_PROOF_GET;
        if (get) {
            api_h_proof_get(r, p + 11);
        }
    } else if (strcmp(p, "/v1/programs") == 0) {
        r->route = API_R_PROGRAM_UPLOAD;
        if (post) {
            api_h_program_upload(r);
        }
    } else if (strncmp(p, "/v1/programs/", 13) == 0) {
        r->route = API_R_PROGRAM_GET;
        if (get) {
            api_h_program_get(r, p + 13);
        }
    } else if (strcmp(p, "/v1/signer") == 0) {
        r->route = API_R_SIGNER;
        if (get) {
            api_h_signer(r);
        }
    } else if (strcmp(p, "/v1/health") == 0) {
        r->route = API_R_HEALTH;
        if (get) {
            api_h_health(r);
        }
    } else if (strcmp(p, "/metrics") == 0) {
        r->route = API_R_METRICS;
        if (get) {
            api_h_metrics(r);
        }
    } else {
        r->route = API_R_NOT_FOUND;
        api_reply_error(r, 404, "not_found", "no such endpoint: %s", p);
        return;
    }
    if (r->status == 0) {
        api_reply_error(r, 405, "method_not_allowed",
                        "method %s not allowed on %s", r->method, p);
    }
}

static void handle(struct api_server *srv, struct store *st, FCGX_Request *fr)
{
    struct api_req r;
    const char *uri, *q;
    size_t plen;

    memset(&r, 0, sizeof(r));
    r.srv = srv;
    r.st = st;
    r.fr = fr;
    r.route = API_R_OTHER;
    zk_buf_init(&r.body, 0);
    r.method = FCGX_GetParam("REQUEST_METHOD", fr->envp);
    if (r.method == NULL) {
        r.method = "GET";
    }
    r.content_type = FCGX_GetParam("CONTENT_TYPE", fr->envp);
    if (r.content_type == NULL) {
        r.content_type = "";
    }
    uri = FCGX_GetParam("REQUEST_URI", fr->envp);
    if (uri == NULL) {
        uri = FCGX_GetParam("DOCUMENT_URI", fr->envp);
    }
    if (uri == NULL) {
        uri = "/";
    }
    q = strchr(uri, '?');
    plen = q != NULL ? (size_t)(q - uri) : strlen(uri);
    r.query = FCGX_GetParam("QUERY_STRING", fr->envp);
    if (r.query == NULL) {
        r.query = q != NULL ? q + 1 : "";
    }
    if (plen >= sizeof(r.path)) {
        r.route = API_R_NOT_FOUND;
        api_reply_error(&r, 404, "not_found", "path too long");
    } else {
        memcpy(r.path, uri, plen);
        r.path[plen] = '\0';
        route(&r);
    }
    zk_buf_cleanup(&r.body);
}

/* Waits until fd is readable; false when the server is stopping. */
static bool wait_readable(struct api_server *srv, int fd)
{
    for (;;) {
        struct pollfd pfd[2] = {{fd, POLLIN, 0},
                                {srv->wake_pipe[0], POLLIN, 0}};
        if (atomic_load(&srv->stopping)) {
            return false;
        }
        int rc = poll(pfd, 2, 1000);
        if (rc < 0 && errno != EINTR) {
            return false;
        }
        if (atomic_load(&srv->stopping)) {
            return false;
        }
        if (rc > 0 && (pfd[0].revents & (POLLIN | POLLERR | POLLHUP))) {
            return true;
        }
    }
}

void *api_worker_main(void *arg)
{
    struct api_server *srv = arg;
    struct store *st = NULL;
    FCGX_Request fr;

    if (store_open(&st, srv->cfg.db_path) != ZK_OK) {
        zk_error("api: worker: cannot open the database");
        return NULL;
    }
    if (FCGX_InitRequest(&fr, srv->listen_fd, 0) != 0) {
        store_close(st);
        return NULL;
    }
    while (!atomic_load(&srv->stopping)) {
        bool kept = fr.ipcFd >= 0; /* FCGI_KEEP_CONN connection */
        int rc;
        if (kept) {
            if (!wait_readable(srv, fr.ipcFd)) {
                break;
            }
            rc = FCGX_Accept_r(&fr);
        } else {
            pthread_mutex_lock(&srv->accept_mu);
            if (!wait_readable(srv, srv->listen_fd)) {
                pthread_mutex_unlock(&srv->accept_mu);
                break;
            }
            rc = FCGX_Accept_r(&fr);
            pthread_mutex_unlock(&srv->accept_mu);
        }
        if (rc < 0) {
            if (!atomic_load(&srv->stopping)) {
                zk_warn("api: accept failed (%d)", rc);
                usleep(100000);
            }
            continue;
        }
        handle(srv, st, &fr);
        FCGX_Finish_r(&fr);
    }
    FCGX_Free(&fr, 1);
    store_close(st);
    return NULL;
}
