/*
 * keys.c - the signing-key table shared with the rotator.
 *
 * Secrets enter through store_key_insert and leave only through
 * store_key_get_signing; every other read leaves the secret out of the
 * SELECT list. Nothing here logs a secret (only key ids).
 */
#include <config.h>
#include "store/store.h"

#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "store/store_int.h"

#define KEY_COLS                                                               \
    "id, address, status, tee_mode, created_at, report_data, "                 \
    "quote_sha256, length(quote), tx_hash, ref_block_number, "                 \
    "ref_block_hash, registered_block, expires_at, error, "                    \
    "secret IS NOT NULL"

void store_key_clear(struct store_key *k)
{
    if (k != NULL) {
        zk_memclear(k, sizeof(*k));
    }
}

static int64_t col_int_or(sqlite3_stmt *st, int col, int64_t dflt)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        return dflt;
    }
    return sqlite3_column_int64(st, col);
}

static void read_key(struct store_key *k, sqlite3_stmt *st)
{
    const void *rd;
    size_t n;
    memset(k, 0, sizeof(*k));
    k->id = sqlite3_column_int64(st, 0);
    store_col_text(k->address, sizeof(k->address), st, 1);
    store_col_text(k->status, sizeof(k->status), st, 2);
    store_col_text(k->tee_mode, sizeof(k->tee_mode), st, 3);
    k->created_at = sqlite3_column_int64(st, 4);
    rd = sqlite3_column_blob(st, 5);
    n = (size_t)sqlite3_column_bytes(st, 5);
    if (rd != NULL && n <= sizeof(k->report_data)) {
        memcpy(k->report_data, rd, n);
        k->report_data_len = n;
    }
    store_col_text(k->quote_sha256, sizeof(k->quote_sha256), st, 6);
    k->quote_len = (size_t)col_int_or(st, 7, 0);
    store_col_text(k->tx_hash, sizeof(k->tx_hash), st, 8);
    k->ref_block_number = col_int_or(st, 9, -1);
    store_col_text(k->ref_block_hash, sizeof(k->ref_block_hash), st, 10);
    k->registered_block = col_int_or(st, 11, -1);
    k->expires_at = col_int_or(st, 12, 0);
    store_col_text(k->error, sizeof(k->error), st, 13);
    k->has_secret = sqlite3_column_int(st, 14) != 0;
}

enum zk_err store_key_insert(struct store *s, int64_t *id_out,
                             const char *address, const uint8_t secret[32],
                             const char *tee_mode)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;

    if (address == NULL || strlen(address) != 42 || secret == NULL ||
        tee_mode == NULL ||
        (strcmp(tee_mode, "tdx") != 0 && strcmp(tee_mode, "simulated") != 0)) {
        zk_error("store: insert key: bad address or tee_mode");
        return ZK_EINVAL;
    }
    err = store_prepare(s, &st,
                        "INSERT INTO keys (address, secret, status, "
                        "created_at, tee_mode) VALUES (?, ?, 'generated', "
                        "?, ?)");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, address, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 2, secret, 32, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, store_now_s());
    sqlite3_bind_text(st, 4, tee_mode, -1, SQLITE_STATIC);
    err = store_exec_stmt(s, st, "insert key", NULL);
    if (!err && id_out != NULL) {
        *id_out = sqlite3_last_insert_rowid(s->db);
    }
    return err;
}

/* Runs an UPDATE that must touch exactly one row. */
static enum zk_err update_one(struct store *s, sqlite3_stmt *st,
                              const char *action, int64_t id)
{
    int changes = 0;
    enum zk_err err = store_exec_stmt(s, st, action, &changes);
    if (!err && changes != 1) {
        zk_warn("store: %s: key %lld not found or in the wrong state", action,
                (long long)id);
        err = ZK_ENOTFOUND;
    }
    return err;
}

enum zk_err store_key_set_registering(struct store *s, int64_t id,
                                      const uint8_t *report_data,
                                      size_t report_data_len,
                                      const uint8_t *quote, size_t quote_len,
                                      const char *quote_sha256_hex,
                                      int64_t ref_block_number,
                                      const char *ref_block_hash_hex)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    if (report_data_len > STORE_REPORT_DATA_MAX) {
        return ZK_EINVAL;
    }
    err = store_prepare(s, &st,
                        "UPDATE keys SET status = 'registering', "
                        "report_data = ?, quote = ?, quote_sha256 = ?, "
                        "ref_block_number = ?, ref_block_hash = ?, "
                        "tx_hash = NULL WHERE id = ? AND status IN "
                        "('generated', 'registering')");
    if (err) {
        return err;
    }
    sqlite3_bind_blob(st, 1, report_data, (int)report_data_len, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 2, quote, quote_len, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, quote_sha256_hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, ref_block_number);
    sqlite3_bind_text(st, 5, ref_block_hash_hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 6, id);
    return update_one(s, st, "set key registering", id);
}

enum zk_err store_key_set_tx(struct store *s, int64_t id,
                             const char *tx_hash_hex)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE keys SET tx_hash = ? WHERE id = ? AND status = 'registering'");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, tx_hash_hex, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    return update_one(s, st, "set key tx", id);
}

enum zk_err store_key_activate(struct store *s, int64_t id,
                               int64_t registered_block, int64_t expires_at)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE keys SET status = 'active', registered_block = ?, "
        "expires_at = ? WHERE id = ? AND status = 'registering' AND "
        "secret IS NOT NULL");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, registered_block);
    sqlite3_bind_int64(st, 2, expires_at);
    sqlite3_bind_int64(st, 3, id);
    err = update_one(s, st, "activate key", id);
    if (!err) {
        zk_info("store: activate key: key %lld active until %lld",
                (long long)id, (long long)expires_at);
    }
    return err;
}

enum zk_err store_key_fail(struct store *s, int64_t id, const char *error_text)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE keys SET status = 'failed', error = ?, secret = NULL "
        "WHERE id = ? AND status IN ('generated', 'registering')");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, error_text != NULL ? error_text : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    return update_one(s, st, "fail key", id);
}

enum zk_err store_key_retire_and_wipe(struct store *s, int64_t id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err = store_prepare(
        s, &st,
        "UPDATE keys SET status = CASE WHEN status = 'failed' THEN 'failed' "
        "ELSE 'retired' END, secret = NULL WHERE id = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, id);
    return update_one(s, st, "retire key", id);
}

enum zk_err store_key_get_signing(struct store *s, struct store_key *out,
                                  int64_t now, int64_t safety_margin_s)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    store_key_clear(out);
    err = store_prepare(s, &st,
                        "SELECT " KEY_COLS ", secret FROM keys WHERE "
                        "status = 'active' AND secret IS NOT NULL AND "
                        "length(secret) = 32 AND expires_at > ? "
                        "ORDER BY id DESC LIMIT 1");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, now + safety_margin_s);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_key(out, st);
        memcpy(out->secret, sqlite3_column_blob(st, 15), 32);
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, "get signing key");
    }
    /* SQLite's copy of the secret lives in the statement's row buffer
     * until finalize; secure_delete covers the page cache on writes. */
    sqlite3_finalize(st);
    return err;
}

enum zk_err store_key_get(struct store *s, struct store_key *out, int64_t id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    store_key_clear(out);
    err = store_prepare(s, &st, "SELECT " KEY_COLS " FROM keys WHERE id = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        read_key(out, st);
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, "get key");
    }
    sqlite3_finalize(st);
    return err;
}

enum zk_err store_key_list(struct store *s, struct store_key *out, size_t cap,
                           size_t *n_out, const char *status)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    size_t n = 0;
    int rc;

    *n_out = 0;
    err = store_prepare(s, &st,
                        "SELECT " KEY_COLS " FROM keys WHERE (?1 IS NULL OR "
                        "status = ?1) ORDER BY id DESC LIMIT ?2");
    if (err) {
        return err;
    }
    if (status != NULL) {
        sqlite3_bind_text(st, 1, status, -1, SQLITE_STATIC);
    }
    sqlite3_bind_int64(st, 2, (sqlite3_int64)cap);
    for (;;) {
        rc = sqlite3_step(st);
        if (rc != SQLITE_ROW || n >= cap) {
            break;
        }
        read_key(&out[n++], st);
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = store_fail(s, rc, "list keys");
    }
    sqlite3_finalize(st);
    *n_out = n;
    return err;
}

enum zk_err store_key_get_quote(struct store *s, uint8_t **quote_take,
                                size_t *len_out, int64_t id)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;

    *quote_take = NULL;
    *len_out = 0;
    err = store_prepare(s, &st, "SELECT quote FROM keys WHERE id = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_int64(st, 1, id);
    return store_step_blob(s, st, true, quote_take, len_out, "get quote");
}
