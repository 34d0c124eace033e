/*
 * programs.c - each distinct ELF stored once (by sha256), with its
 * detected SP1 version and the vk cached after the first computation.
 */
#include <config.h>
#include "store/store.h"

#include <string.h>

#include "base/log.h"
#include "base/mem.h"
#include "store/store_int.h"

enum zk_err store_program_put(struct store *s, bool *is_new_out,
                              const char *sha256_hex, const uint8_t *elf,
                              size_t len, const char *sp1_version,
                              int sp1_major)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int changes = 0;

    if (sha256_hex == NULL || strlen(sha256_hex) != 64 || elf == NULL) {
        return ZK_EINVAL;
    }
    err = store_prepare(s, &st,
                        "INSERT OR IGNORE INTO programs (sha256, elf, size, "
                        "sp1_version, sp1_major, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 2, elf, len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, (sqlite3_int64)len);
    sqlite3_bind_text(st, 4, sp1_version != NULL ? sp1_version : "", -1,
                      SQLITE_STATIC);
    sqlite3_bind_int(st, 5, sp1_major);
    sqlite3_bind_int64(st, 6, store_now_s());
    err = store_exec_stmt(s, st, "put program", &changes);
    if (!err && is_new_out != NULL) {
        *is_new_out = changes == 1;
    }
    return err;
}

enum zk_err store_program_get(struct store *s, struct store_program *out,
                              const char *sha256_hex)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;
    int rc;

    memset(out, 0, sizeof(*out));
    err = store_prepare(s, &st,
                        "SELECT sha256, size, sp1_version, sp1_major, vk, "
                        "vkey, created_at FROM programs WHERE sha256 = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        store_col_text(out->sha256, sizeof(out->sha256), st, 0);
        out->size = sqlite3_column_int64(st, 1);
        store_col_text(out->sp1_version, sizeof(out->sp1_version), st, 2);
        out->sp1_major = sqlite3_column_int(st, 3);
        if (sqlite3_column_bytes(st, 4) == 32) {
            memcpy(out->vk, sqlite3_column_blob(st, 4), 32);
            out->has_vk = true;
            store_col_text(out->vkey, sizeof(out->vkey), st, 5);
        }
        out->created_at = sqlite3_column_int64(st, 6);
    } else if (rc == SQLITE_DONE) {
        err = ZK_ENOTFOUND;
    } else {
        err = store_fail(s, rc, "get program");
    }
    sqlite3_finalize(st);
    return err;
}

enum zk_err store_program_get_elf(struct store *s, uint8_t **elf_take,
                                  size_t *len_out, const char *sha256_hex)
{
    sqlite3_stmt *st = NULL;
    enum zk_err err;

    *elf_take = NULL;
    *len_out = 0;
    err = store_prepare(s, &st, "SELECT elf FROM programs WHERE sha256 = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_text(st, 1, sha256_hex, -1, SQLITE_STATIC);
    return store_step_blob(s, st, false, elf_take, len_out, "get program elf");
}

enum zk_err store_program_set_vk(struct store *s, const char *sha256_hex,
                                 const uint8_t vk[32], const char *vkey_hex)
{
    sqlite3_stmt *st = NULL;
    int changes = 0;
    enum zk_err err = store_prepare(
        s, &st, "UPDATE programs SET vk = ?, vkey = ? WHERE sha256 = ?");
    if (err) {
        return err;
    }
    sqlite3_bind_blob(st, 1, vk, 32, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, vkey_hex, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, sha256_hex, -1, SQLITE_STATIC);
    err = store_exec_stmt(s, st, "set program vk", &changes);
    if (!err && changes != 1) {
        err = ZK_ENOTFOUND;
    }
    return err;
}
