/*
 * jobs.c - proof jobs: queueing, claiming, results, signatures, history.
 *
 * Every state change is one UPDATE guarded by the expected old state
 * (WHERE status = ...), so a result is recorded once and a proof is
 * signed once even if two runners or two processes race.
 */
#include <config.h>
#include "store/store.h"

#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "base/mem.h"
#include "store/store_int.h"

static const char *const status_names[STORE_JOB_N_STATUS] = {
    "queued", "running", "waiting_for_key", "done", "failed"};

const char *store_job_status_name(enum store_job_status st)
{
    if ((unsigned)st >= STORE_JOB_N_STATUS) {
        return "unknown";
    }
    return status_names[st];
}

enum zk_err store_job_status_parse(enum store_job_status *out, const char *name)
{
    for (int i = 0; i < STORE_JOB_N_STATUS; i++) {
        if (name != NULL && strcmp(name, status_names[i]) == 0) {
            *out = (enum store_job_status)i;
            return ZK_OK;
        }
    }
    return ZK_EINVAL;
}

void store_job_cleanup(struct store_job *j)
{
    if (j == NULL) {
        return;
    }
    zk_free(j->public_values);
    memset(j, 0, sizeof(*j));
}

#define JOB_COLS                                                               \
    "seq, id, program_sha256, stdin_sha256, api, status, attempts, "           \
    "cycle_limit, created_ms, started_ms, executed_ms, finished_ms, "          \
    "exec_ms, cycles, exit_code, sp1_version, vk, vkey, public_values, "       \
    "digest, signature, signer, key_id, error_code, error"

static int64_t col_i64(sqlite3_stmt *st, int col)
{
    return sqlite3_column_type(st, col) == SQLITE_NULL
               ? 0
               : sqlite3_column_int64(st, col);
}

/* Reads a JOB_COLS row; with_pv = copy public values (may fail ENOMEM). */
static enum zk_err read_job(struct store_job *j, sqlite3_stmt *st, bool with_pv)
{
    char status[STORE_SMALL_SIZE];
    enum store_job_status stv = STORE_JOB_FAILED;

    memset(j, 0, sizeof(*j));
    j->seq = sqlite3_column_int64(st, 0);
    store_col_text(j->id, sizeof(j->id), st, 1);
    store_col_text(j->program_sha256, sizeof(j->program_sha256), st, 2);
    store_col_text(j->stdin_sha256, sizeof(j->stdin_sha256), st, 3);
    store_col_text(j->api, sizeof(j->api), st, 4);
    store_col_text(status, sizeof(status), st, 5);
    if (store_job_status_parse(&stv, status) != ZK_OK) {
        stv = STORE_JOB_FAILED;
    }
    j->status = stv;
    j->attempts = sqlite3_column_int(st, 6);
    j->cycle_limit = (uint64_t)sqlite3_column_int64(st, 7);
    j->created_ms = col_i64(st, 8);
    j->started_ms = col_i64(st, 9);
    j->executed_ms = col_i64(st, 10);
    j->finished_ms = col_i64(st, 11);
    j->exec_ms = col_i64(st, 12);
    if (sqlite3_column_type(st, 13) != SQLITE_NULL &&
        sqlite3_column_bytes(st, 16) == 32) {
        j->has_result = true;
        j->cycles = (uint64_t)sqlite3_column_int64(st, 13);
        j->exit_code = sqlite3_column_int(st, 14);
        store_col_text(j->sp1_version, sizeof(j->sp1_version), st, 15);
        memcpy(j->vk, sqlite3_column_blob(st, 16), 32);
        store_col_text(j->vkey, sizeof(j->vkey), st, 17);
        if (with_pv) {
            size_t n = (size_t)sqlite3_column_bytes(st, 18);
            const void *p = sqlite3_column_blob(st, 18);
            j->public_values = zk_malloc(n > 0 ? n : 1);
            if (j->public_values == NULL) {
                return ZK_ENOMEM;
            }
            if (n > 0) {
                memcpy(j->public_values, p, n);
            }
            j->public_values_len = n;
        }
    }
    if (sqlite3_column_bytes(st, 19) == 32 &&
        sqlite3_column_bytes(st, 20) == 65) {
        j->is_signed = true;
        memcpy(j->digest, sqlite3_column_blob(st, 19), 32);
        memcpy(j->signature, sqlite3_column_blob(st, 20), 65);
        store_col_text(j->signer, sizeof(j->signer), st, 21);
        j->key_id = col_i64(st, 22);
    }
    store_col_text(j->error_code, sizeof(j->error_code), st, 23);
    store_col_text(j->error, sizeof(j->error), st, 24);
    return ZK_OK;
}

enum zk_err store_job_insert(struct store *s, const struct store_job_new *j,
                             size_t queue_max)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    if (j->id == NULL || j->program_sha256 == NULL || j->stdin_sha256 == NULL ||
        j->api == NULL) {
        return ZK_EINVAL;
    }
    /* Only what reads back whole into struct store_job: a cut id would
     * name another job. */
    if (strlen(j->id) >= STORE_ID_SIZE ||
        strlen(j->stdin_sha256) >= STORE_SHA256_SIZE ||
        strlen(j->api) >= STORE_SMALL_SIZE) {
        return ZK_EINVAL;
    }
    err = store_begin(s);
    if (err) {
        return err;
    }
    err = store_prepare(s, &st,
                        "SELECT count(*) FROM jobs WHERE status IN "
                        "('queued', 'running')");
    if (err) {
        goto out;
    }
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        err = store_fail(s, rc, "count queue");
        sqlite3_finalize(st);
        goto out;
    }
    if ((uint64_t)sqlite3_column_int64(st, 0) >= queue_max) {
        sqlite3_finalize(st);
        err = ZK_EBUSY;
        goto out;
    }
    sqlite3_finalize(st);
    err = store_prepare(s, &st,
                        "INSERT INTO jobs (id, api, program_sha256, stdin, "
                        "stdin_sha256, cycle_limit, created_ms) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    if (err) {
        goto out;
    }
    sqlite3_bind_text(st, 1, j->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, j->api, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, j->program_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(
        st, 4, j->stdin_data != NULL ? (const void *)j->stdin_data : "",
        j->stdin_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, j->stdin_sha256, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, (sqlite3_int64)j->cycle_limit);
    sqlite3_bind_int64(st, 7, store_now_ms());
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if ((rc & 0xff) == SQLITE_CONSTRAINT) {
        zk_warn("store: insert job: constraint failed (unknown program or "
                "duplicate id)");
        err = ZK_ENOTFOUND;
        goto out;
    }
    if (rc != SQLITE_DONE) {
        err = store_fail(s, rc, "insert job");
        goto out;
    }
    err = store_commit(s);
    return err;
out:
    store_rollback(s);
    return err;
}

enum zk_err store_job_claim(struct store *s, struct store_job *out)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    memset(out, 0, sizeof(*out));
    err = store_prepare(
        s, &st,
        "UPDATE jobs SET status = 'running', attempts = attempts + 1, "
        "started_ms = ? WHERE seq = (SELECT seq FROM jobs WHERE status = "
        "'queued' ORDER BY seq LIMIT 1) AND status = 'queued' "
        "RETURNING " JOB_COLS);
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, store_now_ms());
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        err = read_job(out, st, false);
        rc = sqlite3_step(st);
        if (rc != SQLITE_DONE && !err) {
            err = store_fail(s, rc, "claim job");
        }
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, "claim job");
    }
    sqlite3_finalize(st);
    return err;
}

enum zk_err store_job_recover(struct store *s, int max_attempts,
                              size_t *n_requeued, size_t *n_failed)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int failed = 0, requeued = 0;

    err = store_begin(s);
    if (err) {
        return err;
    }
    err = store_prepare(s, &st,
                        "UPDATE jobs SET status = 'failed', error_code = "
                        "'attempts', error = 'the executor was interrupted "
                        "' || attempts || ' times (prover restarts); giving "
                        "up', finished_ms = ? WHERE status = 'running' AND "
                        "attempts >= ?");
    if (err) {
        goto out;
    }
    sqlite3_bind_int64(st, 1, store_now_ms());
    sqlite3_bind_int(st, 2, max_attempts);
    err = store_exec_stmt(s, st, "recover jobs", &failed);
    if (err) {
        goto out;
    }
    err = store_prepare(s, &st,
                        "UPDATE jobs SET status = 'queued' WHERE status = "
                        "'running'");
    if (err) {
        goto out;
    }
    err = store_exec_stmt(s, st, "recover jobs", &requeued);
    if (err) {
        goto out;
    }
    err = store_commit(s);
    if (err) {
        return err;
    }
    if (n_requeued != NULL) {
        *n_requeued = (size_t)requeued;
    }
    if (n_failed != NULL) {
        *n_failed = (size_t)failed;
    }
    return ZK_OK;
out:
    store_rollback(s);
    return err;
}

enum zk_err store_job_get_stdin(struct store *s, uint8_t **data_take,
                                size_t *len_out, const char *id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;

    *data_take = NULL;
    *len_out = 0;
    err = store_prepare(s, &st, "SELECT stdin FROM jobs WHERE id = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return store_step_blob(s, st, false, data_take, len_out, "get stdin");
}

enum zk_err store_job_get(struct store *s, struct store_job *out,
                          const char *id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    memset(out, 0, sizeof(*out));
    err = store_prepare(s, &st, "SELECT " JOB_COLS " FROM jobs WHERE id = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        err = read_job(out, st, true);
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, "get job");
    }
    sqlite3_finalize(st);
    if (err) {
        store_job_cleanup(out);
    }
    return err;
}

enum zk_err store_job_get_status(struct store *s, enum store_job_status *out,
                                 const char *id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    err = store_prepare(s, &st, "SELECT status FROM jobs WHERE id = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        err = store_job_status_parse(out,
                                     (const char *)sqlite3_column_text(st, 0));
        if (err) {
            err = ZK_EDB;
        }
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, "get job status");
    }
    sqlite3_finalize(st);
    return err;
}

static enum zk_err exactly_one(struct store *s, sqlite3_stmt *st,
                               const char *action, const char *id)
{
    int changes = 0;
    enum zk_err err = store_exec_stmt(s, st, action, &changes);
    if (!err && changes != 1) {
        zk_debug("store: %s: job %s not in the expected state", action, id);
        err = ZK_ENOTFOUND;
    }
    return err;
}

enum zk_err store_job_set_executed(struct store *s, const char *id,
                                   uint64_t cycles, int exit_code,
                                   const char *sp1_version,
                                   const uint8_t vk[32], const char *vkey_hex,
                                   const uint8_t *public_values,
                                   size_t public_values_len, int64_t exec_ms)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err =
        store_prepare(s, &st,
                      "UPDATE jobs SET status = 'waiting_for_key', cycles = ?, "
                      "exit_code = ?, sp1_version = ?, vk = ?, vkey = ?, "
                      "public_values = ?, exec_ms = ?, executed_ms = ? "
                      "WHERE id = ? AND status = 'running'");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)cycles);
    sqlite3_bind_int(st, 2, exit_code);
    sqlite3_bind_text(st, 3, sp1_version, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 4, vk, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, vkey_hex, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 6, public_values != NULL ? public_values : vk,
                        public_values_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, exec_ms);
    sqlite3_bind_int64(st, 8, store_now_ms());
    sqlite3_bind_text(st, 9, id, -1, SQLITE_STATIC);
    return exactly_one(s, st, "set job executed", id);
}

enum zk_err store_job_set_signed(struct store *s, const char *id,
                                 const uint8_t digest[32],
                                 const uint8_t signature[65],
                                 const char *signer_address, int64_t key_id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE jobs SET status = 'done', digest = ?, signature = ?, "
        "signer = ?, key_id = ?, finished_ms = ? WHERE id = ? AND "
        "status = 'waiting_for_key' AND signature IS NULL");
    if (err) {
        return err;
    }
    sqlite3_bind_blob(st, 1, digest, 32, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, signature, 65, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, signer_address, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, key_id);
    sqlite3_bind_int64(st, 5, store_now_ms());
    sqlite3_bind_text(st, 6, id, -1, SQLITE_STATIC);
    return exactly_one(s, st, "set job signed", id);
}

enum zk_err store_job_fail(struct store *s, const char *id,
                           const char *error_code, const char *message)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE jobs SET status = 'failed', error_code = ?, error = ?, "
        "finished_ms = ? WHERE id = ? AND status IN ('queued', 'running', "
        "'waiting_for_key')");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, error_code, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, message != NULL ? message : "", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, store_now_ms());
    sqlite3_bind_text(st, 4, id, -1, SQLITE_STATIC);
    return exactly_one(s, st, "fail job", id);
}

enum zk_err store_job_requeue(struct store *s, const char *id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE jobs SET status = 'queued', attempts = max(attempts - 1, 0) "
        "WHERE id = ? AND status = 'running'");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    return exactly_one(s, st, "requeue job", id);
}

enum zk_err store_job_list_waiting(struct store *s, char (*ids)[STORE_ID_SIZE],
                                   size_t cap, size_t *n_out)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    size_t n = 0;
    int rc;

    *n_out = 0;
    err = store_prepare(s, &st,
                        "SELECT id FROM jobs WHERE status = 'waiting_for_key' "
                        "AND signature IS NULL ORDER BY seq LIMIT ?");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)cap);
    for (;;) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW || n >= cap) {
            break;
        }
        store_col_text(ids[n++], STORE_ID_SIZE, st, 0);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = store_fail(s, rc, "list waiting jobs");
    }
    sqlite3_finalize(st);
    *n_out = n;
    return err;
}

enum zk_err store_job_list(struct store *s, struct store_job *out, size_t cap,
                           size_t *n_out, int64_t *next_cursor,
                           const struct store_job_filter *f)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    size_t n = 0;
    int rc;

    *n_out = 0;
    *next_cursor = 0;
    if (cap == 0) {
        return ZK_EINVAL;
    }
    /* One row past cap tells whether another page exists. */
    err = store_prepare(
        s, &st,
        "SELECT " JOB_COLS " FROM jobs WHERE "
        "(?1 IS NULL OR vkey = lower(?1)) AND "
        "(?2 IS NULL OR program_sha256 = lower(?2)) AND "
        "(?3 IS NULL OR lower(signer) = lower(?3)) AND "
        "(?4 IS NULL OR status = ?4) AND "
        "(?5 = 0 OR created_ms >= ?5) AND (?6 = 0 OR created_ms < ?6) AND "
        "(?7 = 0 OR seq < ?7) ORDER BY seq DESC LIMIT ?8");
    if (err) {
        return err;
    }
    if (f->vkey != NULL) {
        sqlite3_bind_text(st, 1, f->vkey, -1, SQLITE_STATIC);
    }
    if (f->program_sha256 != NULL) {
        sqlite3_bind_text(st, 2, f->program_sha256, -1, SQLITE_STATIC);
    }
    if (f->signer != NULL) {
        sqlite3_bind_text(st, 3, f->signer, -1, SQLITE_STATIC);
    }
    if (f->status >= 0 && f->status < STORE_JOB_N_STATUS) {
        sqlite3_bind_text(st, 4, status_names[f->status], -1, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 5, f->since_ms);
    sqlite3_bind_int64(st, 6, f->until_ms);
    sqlite3_bind_int64(st, 7, f->before_seq);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)cap + 1);
    for (;;) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            break;
        }
        if (n == cap) {
            *next_cursor = out[n - 1].seq;
            break;
        }
        err = read_job(&out[n], st, true);
        n++;
        if (err) {
            break;
        }
    }
    if (!err && rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = store_fail(s, rc, "list jobs");
    }
    sqlite3_finalize(st);
    if (err) {
        for (size_t i = 0; i < n; i++) {
            store_job_cleanup(&out[i]);
        }
        n = 0;
    }
    *n_out = n;
    return err;
}

enum zk_err store_job_count(struct store *s, int64_t *counts)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    memset(counts, 0, sizeof(*counts) * STORE_JOB_N_STATUS);
    err = store_prepare(s, &st,
                        "SELECT status, count(*) FROM jobs GROUP BY status");
    if (err) {
        return err;
    }
    for (;;) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW) {
            break;
        }
        enum store_job_status stv;
        if (!store_job_status_parse(&stv,
                                    (const char *)sqlite3_column_text(st, 0))) {
            counts[stv] = sqlite3_column_int64(st, 1);
        }
    }
    if (rc != SQLITE_DONE) {
        err = store_fail(s, rc, "count jobs");
    }
    sqlite3_finalize(st);
    return err;
}

enum zk_err store_job_totals(struct store *s, uint64_t *cycles_out,
                             int64_t *exec_ms_out)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    *cycles_out = 0;
    *exec_ms_out = 0;
    err =
        store_prepare(s, &st, "SELECT total(cycles), total(exec_ms) FROM jobs");
    if (err) {
        return err;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *cycles_out = (uint64_t)sqlite3_column_double(st, 0);
        *exec_ms_out = (int64_t)sqlite3_column_double(st, 1);
    } else {
        err = store_fail(s, rc, "job totals");
    }
    sqlite3_finalize(st);
    return err;
}
