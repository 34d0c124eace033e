/*
 * cmd_client.c - `sp1-tee submit|wait|proof|history`: the HTTPS client of
 * the prover's API (ARCHITECTURE.md section 5). Parsing and decoding live
 * in client.c; this file does the requests and the printing.
 * Exit status: 0 ok, 1 failure (HTTP error, failed job, timeout), 2 usage.
 */
#include <config.h>
#include <stdio.h>

#include "cli/cli.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/cli_util.h"
#include "cli/client.h"
#include "cli/http.h"

/* Endpoints (the service's docs/README-api.md). */
#define PATH_V1_PROOFS   "/v1/proofs"
#define PATH_V1_PROGRAMS "/v1/programs"
#define PATH_COMPAT_REQ  "/request_proof"
#define PATH_COMPAT_WAIT "/wait_proof"
#define POLL_SLICE_S     30 /* ?wait= per long-poll request */

static void setup_http(struct cli_http *h, const struct cli_client_opts *o)
{
    h->base_url = o->url;
    h->cacert = o->cacert;
    h->insecure = o->insecure;
    h->timeout_s = POLL_SLICE_S + 30;
    if (o->insecure) {
        fprintf(stderr, "sp1-tee: warning: --insecure: TLS certificate not "
                        "verified\n");
    }
}

/* Prints "HTTP 422 unsupported_version: message" for a non-2xx reply. */
static void report_http_error(const char *what, const struct cli_http_resp *r)
{
    char code[64], msg[512];
    const char *body = r->body.data ? (const char *)r->body.data : "";
    if (cli_error_decode(body, r->body.len, code, sizeof(code), msg,
                         sizeof(msg))) {
        fprintf(stderr, "sp1-tee %s: HTTP %ld %s%s%s\n", what, r->status, code,
                code[0] && msg[0] ? ": " : "", msg);
    } else {
        fprintf(stderr, "sp1-tee %s: HTTP %ld %.*s\n", what, r->status,
                (int)(r->body.len > 300 ? 300 : r->body.len), body);
    }
}

/* snprintf's result w for a buffer of size bytes: false (and a message) when
 * the text was cut, since a cut ID or cursor would name another resource. */
static bool path_fits(int w, size_t size)
{
    if (w < 0 || (size_t)w >= size) {
        fprintf(stderr, "sp1-tee: ID or cursor too long\n");
        return false;
    }
    return true;
}

static bool is_2xx(long s)
{
    return s >= 200 && s < 300;
}

/* Statuses worth another poll: the prover's "not_ready" (503 from
 * /wait_proof when its bounded wait ran out), nginx's 502/504 while the
 * prover restarts, 408/429. A 503 with another error code (no database)
 * is final. */
static bool is_retryable(const struct cli_http_resp *r)
{
    char code[64], msg[8];
    if (r->status == 502 || r->status == 504 || r->status == 408 ||
        r->status == 429 || r->status == 202) {
        return true;
    }
    if (r->status != 503) {
        return false;
    }
    return cli_error_decode((const char *)r->body.data, r->body.len, code,
                            sizeof(code), msg, sizeof(msg)) &&
           strcmp(code, "not_ready") == 0;
}

#define MAX_TRANSIENT 5 /* consecutive transport errors / 5xx tolerated */

static void print_proof_text(const struct cli_proof *p)
{
    if (p->id[0]) {
        printf("%-14s %s\n", "id", p->id);
    }
    printf("%-14s %s\n", "status",
           p->status[0] ? p->status
                        : (p->state == CLI_STATE_DONE ? "done" : "pending"));
    if (p->vkey[0]) {
        printf("%-14s %s\n", "vkey", p->vkey);
    }
    if (p->has_vk) {
        printf("%-14s ", "vk");
        cli_print_hex(stdout, p->vk, 32);
        putchar('\n');
    }
    if (p->has_public_values) {
        printf("%-14s ", "public_values");
        cli_print_hex(stdout, p->public_values.data, p->public_values.len);
        putchar('\n');
    }
    if (p->has_digest) {
        printf("%-14s ", "digest");
        cli_print_hex(stdout, p->digest, 32);
        putchar('\n');
    }
    if (p->has_signer) {
        printf("%-14s %s\n", "signer", p->signer);
    }
    if (p->has_signature) {
        printf("%-14s ", "signature");
        cli_print_hex(stdout, p->signature, 65);
        putchar('\n');
    }
    if (p->error_code[0] || p->error_message[0]) {
        printf("%-14s %s%s%s\n", "error", p->error_code,
               p->error_code[0] && p->error_message[0] ? ": " : "",
               p->error_message);
    }
}

/* Prints a finished/failed record; returns the exit status. */
static int print_result(const struct cli_client_opts *o,
                        const struct cli_http_resp *r,
                        const struct cli_proof *p)
{
    if (o->json) {
        printf("%.*s\n", (int)r->body.len, (const char *)r->body.data);
    } else {
        print_proof_text(p);
    }
    return p->state == CLI_STATE_DONE ? 0 : 1;
}

/* ---- wait ---- */

static int wait_v1(const struct cli_client_opts *o, const struct cli_http *h,
                   const char *id)
{
    time_t deadline = time(NULL) + o->timeout_s;
    char path[512];
    int rc = 1, transient = 0;

    for (;;) {
        struct cli_http_resp r;
        struct cli_proof p;
        long left = (long)(deadline - time(NULL));
        long slice = left < POLL_SLICE_S ? (left > 0 ? left : 0) : POLL_SLICE_S;
        if (!path_fits(snprintf(path, sizeof(path),
                                PATH_V1_PROOFS "/%s?wait=%ld", id, slice),
                       sizeof(path))) {
            return 2;
        }
        cli_proof_init(&p);
        enum zk_err err = cli_http_do(h, "GET", path, NULL, NULL, 0, &r);
        if ((err == ZK_EIO || (!err && is_retryable(&r))) &&
            ++transient < MAX_TRANSIENT && time(NULL) < deadline) {
            cli_http_resp_cleanup(&r);
            cli_proof_cleanup(&p);
            sleep(1);
            continue;
        }
        if (err) {
            goto next;
        }
        if (!is_2xx(r.status)) {
            report_http_error("wait", &r);
            err = ZK_EIO;
            goto next;
        }
        transient = 0;
        err = cli_proof_decode(&p, (const char *)r.body.data, r.body.len);
        if (!err && p.state != CLI_STATE_PENDING) {
            rc = print_result(o, &r, &p);
        }
    next:
        cli_http_resp_cleanup(&r);
        bool pending = !err && p.state == CLI_STATE_PENDING;
        cli_proof_cleanup(&p);
        if (!pending) {
            return err ? 1 : rc;
        }
        if (time(NULL) >= deadline) {
            fprintf(stderr, "sp1-tee wait: %s still pending after %ld s\n", id,
                    o->timeout_s);
            return 1;
        }
    }
}

static int wait_compat(const struct cli_client_opts *o,
                       const struct cli_http *h, const char *id)
{
    time_t deadline = time(NULL) + o->timeout_s;
    for (;;) {
        struct cli_http_resp r;
        struct cli_proof p;
        int rc = 1;
        bool again = false;
        cli_proof_init(&p);
        enum zk_err err = cli_http_do(h, "POST", PATH_COMPAT_WAIT, "text/plain",
                                      id, strlen(id), &r);
        if (!err && r.status == 200) {
            err = cli_proof_decode(&p, (const char *)r.body.data, r.body.len);
            rc = err ? 1 : print_result(o, &r, &p);
        } else if (!err && is_retryable(&r) && time(NULL) < deadline) {
            again = true; /* the server's bounded wait ran out */
        } else if (!err) {
            report_http_error("wait", &r);
        }
        cli_http_resp_cleanup(&r);
        cli_proof_cleanup(&p);
        if (!again) {
            return rc;
        }
        sleep(1); /* nginx 502 while the prover restarts: don't spin */
    }
}

static int do_wait(const struct cli_client_opts *o, const char *id)
{
    struct cli_http h;
    setup_http(&h, o);
    return o->compat ? wait_compat(o, &h, id) : wait_v1(o, &h, id);
}

int cli_cmd_wait(int argc, char **argv)
{
    struct cli_client_opts o;
    int rc = cli_client_parse(CLI_WAIT, argc, argv, &o);
    if (rc != 0) {
        return rc == 1 ? 0 : 2;
    }
    if (cli_http_global_init() != ZK_OK) {
        return 1;
    }
    return do_wait(&o, o.id);
}

/* ---- proof ---- */

int cli_cmd_proof(int argc, char **argv)
{
    struct cli_client_opts o;
    struct cli_http h;
    struct cli_http_resp r;
    struct cli_proof p;
    char path[512];
    int rc = cli_client_parse(CLI_PROOF, argc, argv, &o);
    if (rc != 0) {
        return rc == 1 ? 0 : 2;
    }
    if (cli_http_global_init() != ZK_OK) {
        return 1;
    }
    if (!path_fits(snprintf(path, sizeof(path), PATH_V1_PROOFS "/%s", o.id),
                   sizeof(path))) {
        return 2;
    }
    setup_http(&h, &o);
    cli_proof_init(&p);
    rc = 1;
    if (cli_http_do(&h, "GET", path, NULL, NULL, 0, &r) == ZK_OK) {
        if (!is_2xx(r.status)) {
            report_http_error("proof", &r);
        } else if (cli_proof_decode(&p, (const char *)r.body.data,
                                    r.body.len) == ZK_OK) {
            print_result(&o, &r, &p);
            rc = p.state == CLI_STATE_FAILED ? 1 : 0;
        }
    }
    cli_http_resp_cleanup(&r);
    cli_proof_cleanup(&p);
    return rc;
}

/* ---- submit ---- */

/* Reads ELF and stdin and builds the request body for o. */
static enum zk_err build_body(const struct cli_client_opts *o,
                              struct zk_buf *body)
{
    struct zk_buf elf, js;
    struct cli_stdin in = {NULL, 0};
    enum zk_err err;

    zk_buf_init(&elf, ZK_MAX_ELF_SIZE);
    zk_buf_init(&js, ZK_MAX_REQUEST_BODY);
    err = o->elf != NULL ? cli_read_file(o->elf, ZK_MAX_ELF_SIZE, &elf) : ZK_OK;
    if (!err && o->stdin_json != NULL) {
        err = cli_read_file(o->stdin_json, ZK_MAX_REQUEST_BODY, &js);
        err = err ? err : cli_stdin_parse(&in, (const char *)js.data, js.len);
        if (err) {
            fprintf(stderr, "sp1-tee submit: %s: bad stdin JSON\n",
                    o->stdin_json);
        }
    }
    if (!err) {
        err = o->compat ? cli_build_submit_compat(body, elf.data, elf.len, &in)
                        : cli_build_submit_v1(body, elf.data, elf.len,
                                              o->program, o->cycle_limit, &in);
    }
    cli_stdin_cleanup(&in);
    zk_buf_cleanup(&js);
    zk_buf_cleanup(&elf);
    return err;
}

/* Extracts the proof id: JSON {"id":..} (v1) or the text body (compat). */
static bool response_id(const struct cli_http_resp *r, char *id, size_t size)
{
    struct cli_proof p;
    const char *body = (const char *)r->body.data;
    size_t n = r->body.len;
    bool ok = false;
    if (body == NULL || n == 0) {
        return false;
    }
    cli_proof_init(&p);
    if (body[0] == '{') {
        ok = cli_proof_decode(&p, body, n) == ZK_OK && p.id[0] != '\0';
        if (ok) {
            int w = snprintf(id, size, "%s", p.id);
            ok = w >= 0 && (size_t)w < size;
        }
    } else {
        while (n > 0 && (body[n - 1] == '\n' || body[n - 1] == '\r' ||
                         body[n - 1] == ' ')) {
            n--;
        }
        ok = n > 0 && n < size && memchr(body, '\n', n) == NULL;
        if (ok) {
            memcpy(id, body, n);
            id[n] = '\0';
        }
    }
    cli_proof_cleanup(&p);
    return ok;
}

int cli_cmd_submit(int argc, char **argv)
{
    struct cli_client_opts o;
    struct cli_http h;
    struct cli_http_resp r;
    struct zk_buf body;
    char id[128];
    int rc = cli_client_parse(CLI_SUBMIT, argc, argv, &o);
    if (rc != 0) {
        return rc == 1 ? 0 : 2;
    }
    if (cli_http_global_init() != ZK_OK) {
        return 1;
    }
    setup_http(&h, &o);
    h.timeout_s = 600; /* uploads of big ELFs */
    zk_buf_init(&body, ZK_MAX_REQUEST_BODY);
    r.body.data = NULL;
    rc = 1;
    if (build_body(&o, &body) != ZK_OK) {
        goto out;
    }
    if (cli_http_do(&h, "POST", o.compat ? PATH_COMPAT_REQ : PATH_V1_PROOFS,
                    "application/json", body.data, body.len, &r) != ZK_OK) {
        goto out;
    }
    if (!is_2xx(r.status)) {
        report_http_error("submit", &r);
        goto out;
    }
    if (!response_id(&r, id, sizeof(id))) {
        fprintf(stderr, "sp1-tee submit: no proof id in the response\n");
        goto out;
    }
    if (!o.wait) {
        if (o.json && !o.compat) {
            printf("%.*s\n", (int)r.body.len, (const char *)r.body.data);
        } else {
            printf("%s\n", id);
        }
        rc = 0;
        goto out;
    }
    fprintf(stderr, "sp1-tee submit: proof id %s, waiting\n", id);
    rc = do_wait(&o, id);
out:
    cli_http_resp_cleanup(&r);
    zk_buf_cleanup(&body);
    return rc;
}

/* ---- history ---- */

static void print_history_row(const struct cli_proof *p)
{
    printf("%-36s %-16s %-66s %s\n", p->id[0] ? p->id : "-",
           p->status[0] ? p->status : "-", p->vkey[0] ? p->vkey : "-",
           p->has_signer ? p->signer : "-");
}

int cli_cmd_history(int argc, char **argv)
{
    struct cli_client_opts o;
    struct cli_http h;
    struct zk_buf path, query;
    char cursor[256] = "";
    int rc = cli_client_parse(CLI_HISTORY, argc, argv, &o);
    if (rc != 0) {
        return rc == 1 ? 0 : 2;
    }
    if (cli_http_global_init() != ZK_OK) {
        return 1;
    }
    setup_http(&h, &o);
    zk_buf_init(&path, 8192);
    zk_buf_init(&query, 8192);
    if (o.cursor != NULL &&
        !path_fits(snprintf(cursor, sizeof(cursor), "%s", o.cursor),
                   sizeof(cursor))) {
        zk_buf_cleanup(&path);
        zk_buf_cleanup(&query);
        return 2;
    }
    rc = 0;
    for (unsigned page = 0;; page++) {
        struct cli_http_resp r;
        struct cli_proof *items = NULL;
        size_t n = 0;
        char next[256];
        zk_buf_reset(&path);
        if (cli_history_query(&query, &o, cursor[0] ? cursor : NULL) ||
            zk_buf_append_str(&path, PATH_V1_PROOFS) ||
            zk_buf_append(&path, query.data, query.len)) {
            rc = 1;
            break;
        }
        if (cli_http_do(&h, "GET", (const char *)path.data, NULL, NULL, 0,
                        &r) != ZK_OK) {
            cli_http_resp_cleanup(&r);
            rc = 1;
            break;
        }
        if (!is_2xx(r.status)) {
            report_http_error("history", &r);
            cli_http_resp_cleanup(&r);
            rc = 1;
            break;
        }
        if (cli_history_decode((const char *)r.body.data, r.body.len, &items,
                               &n, next, sizeof(next)) != ZK_OK) {
            cli_http_resp_cleanup(&r);
            rc = 1;
            break;
        }
        if (o.json) {
            printf("%.*s\n", (int)r.body.len, (const char *)r.body.data);
        } else {
            if (page == 0) {
                printf("%-36s %-16s %-66s %s\n", "ID", "STATUS", "VKEY",
                       "SIGNER");
            }
            for (size_t i = 0; i < n; i++) {
                print_history_row(&items[i]);
            }
        }
        cli_history_free(items, n);
        cli_http_resp_cleanup(&r);
        if (!o.all || next[0] == '\0' || n == 0 || strcmp(next, cursor) == 0) {
            if (!o.json && next[0] != '\0' && !o.all) {
                printf("next cursor: %s\n", next);
            }
            break;
        }
        (void)snprintf(cursor, sizeof(cursor), "%s", next); /* same size */
    }
    zk_buf_cleanup(&path);
    zk_buf_cleanup(&query);
    return rc;
}

/* ---- upload ---- */

int cli_cmd_upload(int argc, char **argv)
{
    struct cli_client_opts o;
    struct cli_http h;
    struct cli_http_resp r;
    struct zk_buf elf;
    int rc = cli_client_parse(CLI_UPLOAD, argc, argv, &o);
    if (rc != 0) {
        return rc == 1 ? 0 : 2;
    }
    if (cli_http_global_init() != ZK_OK) {
        return 1;
    }
    setup_http(&h, &o);
    h.timeout_s = 600;
    zk_buf_init(&elf, ZK_MAX_ELF_SIZE);
    r.body.data = NULL;
    rc = 1;
    if (cli_read_file(o.elf, ZK_MAX_ELF_SIZE, &elf) != ZK_OK ||
        cli_http_do(&h, "POST", PATH_V1_PROGRAMS, "application/octet-stream",
                    elf.data ? (const void *)elf.data : "", elf.len,
                    &r) != ZK_OK) {
        goto out;
    }
    if (!is_2xx(r.status)) {
        report_http_error("upload", &r);
        goto out;
    }
    if (o.json) {
        printf("%.*s\n", (int)r.body.len, (const char *)r.body.data);
    } else {
        struct cli_program p;
        if (cli_program_decode(&p, (const char *)r.body.data, r.body.len) !=
            ZK_OK) {
            goto out;
        }
        printf("%-12s %s\n%-12s %s\n%-12s %s\n", "sha256", p.sha256,
               "sp1_version", p.sp1_version[0] ? p.sp1_version : "-", "vkey",
               p.vkey[0] ? p.vkey : "- (no vk for this version)");
    }
    rc = 0;
out:
    cli_http_resp_cleanup(&r);
    zk_buf_cleanup(&elf);
    return rc;
}
