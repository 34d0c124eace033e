/*
 * store.c - opening the database, migrations and shared SQL helpers.
 *
 * Migrations come from sql/migrations/NNNN_name.sql (embedded by
 * sql/embed.sh). Migration i moves PRAGMA user_version from i-1 to i; each
 * runs in its own BEGIN IMMEDIATE transaction that re-reads user_version,
 * so two processes opening a fresh file at once apply it exactly once.
 */
#include <config.h>
#include "store/store.h"

#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/mem.h"
#include "store/store_int.h"

int store_schema_version(void)
{
    return store_n_migrations;
}

enum zk_err store_fail(struct store *s, int rc, const char *action)
{
    int primary = rc & 0xff;
    zk_error("store: %s: %s", action,
             s != NULL && s->db != NULL ? sqlite3_errmsg(s->db)
                                        : sqlite3_errstr(rc));
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
        return ZK_EBUSY;
    }
    if (primary == SQLITE_NOMEM) {
        return ZK_ENOMEM;
    }
    return ZK_EDB;
}

enum zk_err store_prepare(struct store *s, sqlite3_stmt **out, const char *sql)
{
    int rc = sqlite3_prepare_v2(s->db, sql, -1, out, NULL);
    if (rc != SQLITE_OK) {
        *out = NULL;
        return store_fail(s, rc, "prepare");
    }
    return ZK_OK;
}

enum zk_err store_exec_stmt(struct store *s, sqlite3_stmt *st,
                            const char *action, int *changes_out)
{
    enum zk_err err = ZK_OK;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        err = store_fail(s, rc, action);
    } else if (changes_out != NULL) {
        *changes_out = sqlite3_changes(s->db);
    }
    sqlite3_finalize(st);
    return err;
}

static enum zk_err exec_sql(struct store *s, const char *sql,
                            const char *action)
{
    char *msg = NULL;
    int rc = sqlite3_exec(s->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        int primary = rc & 0xff;
        zk_error("store: %s: %s", action, msg != NULL ? msg : "?");
        sqlite3_free(msg);
        return primary == SQLITE_BUSY || primary == SQLITE_LOCKED ? ZK_EBUSY
                                                                  : ZK_EDB;
    }
    return ZK_OK;
}

enum zk_err store_begin(struct store *s)
{
    return exec_sql(s, "BEGIN IMMEDIATE", "begin");
}

enum zk_err store_commit(struct store *s)
{
    enum zk_err err = exec_sql(s, "COMMIT", "commit");
    if (err) {
        store_rollback(s);
    }
    return err;
}

void store_rollback(struct store *s)
{
    if (!sqlite3_get_autocommit(s->db)) {
        (void)sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
}

enum zk_err store_step_blob(struct store *s, sqlite3_stmt *st,
                            bool empty_is_null, uint8_t **take, size_t *len_out,
                            const char *action)
{
    enum zk_err err = ZK_OK;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const void *p = sqlite3_column_blob(st, 0);
        size_t n = (size_t)sqlite3_column_bytes(st, 0);
        if (!empty_is_null || (p != NULL && n > 0)) {
            *take = zk_malloc(n > 0 ? n : 1);
            if (*take == NULL) {
                err = ZK_ENOMEM;
            } else {
                if (n > 0) {
                    memcpy(*take, p, n);
                }
                *len_out = n;
            }
        }
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, action);
    }
    sqlite3_finalize(st);
    return err;
}

void store_col_text(char *out, size_t size, sqlite3_stmt *st, int col)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    size_t n = 0;
    if (size == 0) {
        return;
    }
    if (t != NULL) {
        n = (size_t)sqlite3_column_bytes(st, col);
        if (n > size - 1) {
            n = size - 1;
        }
        memcpy(out, t, n);
    }
    out[n] = '\0';
}

int64_t store_now_s(void)
{
    return (int64_t)time(NULL);
}

int64_t store_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static enum zk_err user_version(struct store *s, int *out)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(s, &st, "PRAGMA user_version");
    if (err) {
        return err;
    }
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        err = store_fail(s, rc, "read user_version");
    } else {
        *out = sqlite3_column_int(st, 0);
    }
    sqlite3_finalize(st);
    return err;
}

static enum zk_err migrate(struct store *s)
{
    enum zk_err err = ZK_OK;
    for (int target = 1; target <= store_n_migrations; target++) {
        int v = 0;
        char pragma[64];
        err = store_begin(s);
        if (err) {
            return err;
        }
        err = user_version(s, &v);
        if (err) {
            goto fail;
        }
        if (v > store_n_migrations) {
            zk_error("store: open: schema version %d is newer than this "
                     "binary's %d",
                     v, store_n_migrations);
            err = ZK_EDB;
            goto fail;
        }
        if (v >= target) {
            store_rollback(s);
            continue;
        }
        err = exec_sql(s, store_migrations[target - 1], "migrate");
        if (err) {
            goto fail;
        }
        (void)snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d",
                       target);
        err = exec_sql(s, pragma, "set user_version");
        if (err) {
            goto fail;
        }
        err = store_commit(s);
        if (err) {
            return err;
        }
        zk_info("store: migrate: schema now at version %d", target);
    }
    return ZK_OK;
fail:
    store_rollback(s);
    return err;
}

enum zk_err store_open(struct store **out, const char *path)
{
    enum zk_err err = ZK_OK;
    struct store *s = NULL;
    int rc;

    *out = NULL;
    s = zk_calloc(1, sizeof(*s));
    if (s == NULL) {
        return ZK_ENOMEM;
    }
    rc = sqlite3_open_v2(
        path, &s->db,
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        err = store_fail(s, rc, "open");
        goto out;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT_MS);
    err = exec_sql(s,
                   "PRAGMA journal_mode = WAL;"
                   "PRAGMA synchronous = FULL;"
                   "PRAGMA foreign_keys = ON;"
                   "PRAGMA secure_delete = ON;",
                   "configure");
    if (err) {
        goto out;
    }
    err = migrate(s);
out:
    if (err) {
        store_close(s);
        return err;
    }
    *out = s;
    return ZK_OK;
}

void store_close(struct store *s)
{
    if (s == NULL) {
        return;
    }
    if (s->db != NULL) {
        sqlite3_close(s->db);
    }
    zk_free(s);
}
