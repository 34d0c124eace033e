/*
 * store_int.h - internals shared by the store module's files.
 * Not for use outside src/store/.
 */
#ifndef ZK_STORE_STORE_INT_H
#define ZK_STORE_STORE_INT_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

/* Generated from sql/migrations/ by sql/embed.sh (store_schema.c). */
extern const char *const store_migrations[];
extern const int store_n_migrations;

struct store {
    sqlite3 *db;
};

/* Prepares sql on s. Logs and returns ZK_EDB/ZK_EBUSY on failure. */
enum zk_err store_prepare(struct store *s, sqlite3_stmt **out, const char *sql);

/* Maps a SQLite result code to a zk_err, logging action and message. */
enum zk_err store_fail(struct store *s, int rc, const char *action);

/* Steps a statement expected to finish (SQLITE_DONE), then finalizes it.
 * Out: *changes_out (may be NULL) = rows changed. */
enum zk_err store_exec_stmt(struct store *s, sqlite3_stmt *st,
                            const char *action, int *changes_out);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK. */
enum zk_err store_begin(struct store *s);
enum zk_err store_commit(struct store *s);
void store_rollback(struct store *s);

/* Steps st (prepared, parameters bound) for one row, copies its column 0
 * blob into a zk_malloc'ed *take of *len_out bytes (a 1-byte buffer for an
 * empty blob, or *take = NULL when empty_is_null), then finalizes st.
 * ZK_ENOTFOUND without a row; store_fail(action) on a SQLite error. */
enum zk_err store_step_blob(struct store *s, sqlite3_stmt *st,
                            bool empty_is_null, uint8_t **take, size_t *len_out,
                            const char *action);

/* Copies column text (or "" for NULL) into out[size], truncating. */
void store_col_text(char *out, size_t size, sqlite3_stmt *st, int col);

/* Current time in unix seconds / milliseconds. */
int64_t store_now_s(void);
int64_t store_now_ms(void);

#endif
