/* test_store.c - unit tests for src/store on a temporary database file. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "base/err.h"
#include "base/mem.h"
#include "store/store.h"

static char db_path[256];

static int setup(void **state)
{
    const char *tmp = getenv("TMPDIR");
    assert_true((size_t)snprintf(db_path, sizeof(db_path),
                                 "%s/test_store_%d_XXXXXX",
                                 tmp != NULL ? tmp : "/tmp",
                                 (int)getpid()) < sizeof(db_path));
    int fd = mkstemp(db_path);
    if (fd < 0) {
        return -1;
    }
    close(fd);
    unlink(db_path);
    struct store *s = NULL;
    if (store_open(&s, db_path) != ZK_OK) {
        return -1;
    }
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    char p[300];
    store_close(*state);
    unlink(db_path);
    assert_true((size_t)snprintf(p, sizeof(p), "%s-wal", db_path) < sizeof(p));
    unlink(p);
    assert_true((size_t)snprintf(p, sizeof(p), "%s-shm", db_path) < sizeof(p));
    unlink(p);
    return 0;
}

/* Runs a scalar query with the raw sqlite3 API (independent of store). */
static long long raw_int(const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long v = -999;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        v = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static const char *addr_a = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
static const char *addr_b = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359";

static void open_sets_wal_and_schema_version(void **state)
{
    struct store *s2 = NULL;
    (void)state;
    assert_true(store_schema_version() >= 1);
    assert_int_equal(raw_int("PRAGMA user_version"), store_schema_version());
    /* A second handle on the same file migrates nothing and works. */
    assert_int_equal(store_open(&s2, db_path), ZK_OK);
    store_close(s2);
    assert_int_equal(raw_int("SELECT count(*) FROM keys"), 0);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void open_refuses_a_newer_schema(void **state)
{
    struct store *s2 = NULL;
    sqlite3 *db = NULL;
    (void)state;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db, "PRAGMA user_version = 999", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(store_open(&s2, db_path), ZK_EDB);
    assert_null(s2);
}

static void key_lifecycle_follows_the_states(void **state)
{
    struct store *s = *state;
    uint8_t secret[32];
    int64_t id = 0;
    struct store_key k;
    memset(secret, 0x42, sizeof(secret));

    assert_int_equal(store_key_insert(s, &id, addr_a, secret, "simulated"),
                     ZK_OK);
    assert_true(id > 0);
    /* Not active yet: nothing to sign with. */
    assert_int_equal(store_key_get_signing(s, &k, 1000, 0), ZK_ENOTFOUND);
    assert_int_equal(store_key_activate(s, id, 5, 99999), ZK_ENOTFOUND);
    uint8_t rd[64] = {0}, quote[100];
    memset(quote, 7, sizeof(quote));
    assert_int_equal(
        store_key_set_registering(s, id, rd, 64, quote, 100, "ab", 12, "0x01"),
        ZK_OK);
    assert_int_equal(store_key_set_tx(s, id, "0xfeed"), ZK_OK);
    assert_int_equal(store_key_activate(s, id, 13, 5000), ZK_OK);

    assert_int_equal(store_key_get_signing(s, &k, 1000, 60), ZK_OK);
    assert_int_equal(k.id, id);
    assert_string_equal(k.address, addr_a);
    assert_memory_equal(k.secret, secret, 32);
    assert_string_equal(k.status, "active");
    assert_string_equal(k.tee_mode, "simulated");
    assert_int_equal(k.registered_block, 13);
    assert_int_equal(k.ref_block_number, 12);
    assert_int_equal(k.quote_len, 100);
    assert_string_equal(k.tx_hash, "0xfeed");
    store_key_clear(&k);
    assert_int_equal(k.id, 0);

    /* Within the safety margin of expiry the key is not used. */
    assert_int_equal(store_key_get_signing(s, &k, 4950, 60), ZK_ENOTFOUND);
    assert_int_equal(store_key_get_signing(s, &k, 5000, 0), ZK_ENOTFOUND);

    uint8_t *q = NULL;
    size_t qn = 0;
    assert_int_equal(store_key_get_quote(s, &q, &qn, id), ZK_OK);
    assert_int_equal(qn, 100);
    assert_memory_equal(q, quote, 100);
    zk_free(q);
    q = NULL;
    qn = 0;
    assert_int_equal(store_key_get_quote(s, &q, &qn, id + 1000), ZK_ENOTFOUND);
    assert_null(q);
    assert_int_equal(qn, 0);

    assert_int_equal(store_key_retire_and_wipe(s, id), ZK_OK);
    assert_int_equal(raw_int("SELECT count(*) FROM keys WHERE secret IS NULL "
                             "AND status = 'retired'"),
                     1);
    assert_int_equal(store_key_get_signing(s, &k, 1000, 0), ZK_ENOTFOUND);
    assert_int_equal(store_key_get(s, &k, id), ZK_OK);
    assert_false(k.has_secret);
    assert_int_equal(store_key_get(s, &k, id + 100), ZK_ENOTFOUND);
}

static void signing_key_is_the_newest_active_one(void **state)
{
    struct store *s = *state;
    uint8_t sa[32], sb[32];
    int64_t a = 0, b = 0, c = 0;
    struct store_key k, list[8];
    size_t n = 0;
    memset(sa, 1, 32);
    memset(sb, 2, 32);
    assert_int_equal(store_key_insert(s, &a, addr_a, sa, "tdx"), ZK_OK);
    assert_int_equal(store_key_insert(s, &b, addr_b, sb, "tdx"), ZK_OK);
    assert_int_equal(store_key_insert(s, &c, addr_b, sb, "tdx"), ZK_OK);
    for (int i = 0; i < 2; i++) {
        int64_t id = i == 0 ? a : b;
        assert_int_equal(
            store_key_set_registering(s, id, NULL, 0, NULL, 0, "", 1, "0x"),
            ZK_OK);
        assert_int_equal(store_key_activate(s, id, 2, 10000), ZK_OK);
    }
    assert_int_equal(store_key_fail(s, c, "rpc down"), ZK_OK);
    assert_int_equal(store_key_fail(s, c, "again"), ZK_ENOTFOUND);
    assert_int_equal(store_key_get_signing(s, &k, 0, 0), ZK_OK);
    assert_int_equal(k.id, b);
    assert_memory_equal(k.secret, sb, 32);
    store_key_clear(&k);

    assert_int_equal(store_key_list(s, list, 8, &n, NULL), ZK_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, c);
    assert_string_equal(list[0].status, "failed");
    assert_string_equal(list[0].error, "rpc down");
    assert_false(list[0].has_secret);
    for (size_t i = 0; i < n; i++) {
        static const uint8_t zero[32];
        assert_memory_equal(list[i].secret, zero, 32);
    }
    assert_int_equal(store_key_list(s, list, 8, &n, "active"), ZK_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_key_list(s, list, 1, &n, NULL), ZK_OK);
    assert_int_equal(n, 1);
}

static void key_insert_rejects_bad_arguments(void **state)
{
    struct store *s = *state;
    uint8_t sec[32] = {1};
    int64_t id;
    assert_int_equal(store_key_insert(s, &id, addr_a, sec, "sgx"), ZK_EINVAL);
    assert_int_equal(store_key_insert(s, &id, "0x12", sec, "tdx"), ZK_EINVAL);
    assert_int_equal(store_key_insert(s, &id, addr_a, NULL, "tdx"), ZK_EINVAL);
}

static const char *sha_a =
    "a21ff5ef3a7d8862ff4d68585529d487ce5ddab04ee3cc8bf2abe37fccd46887";
static const char *sha_b =
    "fbfd08b8f293789cc5d2b36834e9bbffdfc4cf94aeaa64b52c92a7ab8b945d85";

static void programs_are_stored_once(void **state)
{
    struct store *s = *state;
    const uint8_t elf[] = {0x7f, 'E', 'L', 'F', 1, 2, 3};
    bool is_new = false;
    struct store_program p;
    uint8_t *back = NULL;
    size_t n = 0;
    uint8_t vk[32];

    assert_int_equal(
        store_program_put(s, &is_new, sha_a, elf, sizeof(elf), "3.2.0", 3),
        ZK_OK);
    assert_true(is_new);
    assert_int_equal(
        store_program_put(s, &is_new, sha_a, elf, sizeof(elf), "3.2.0", 3),
        ZK_OK);
    assert_false(is_new);
    assert_int_equal(raw_int("SELECT count(*) FROM programs"), 1);
    assert_int_equal(store_program_get(s, &p, sha_a), ZK_OK);
    assert_int_equal(p.size, sizeof(elf));
    assert_false(p.has_vk);
    assert_string_equal(p.sp1_version, "3.2.0");
    assert_int_equal(store_program_get_elf(s, &back, &n, sha_a), ZK_OK);
    assert_int_equal(n, sizeof(elf));
    assert_memory_equal(back, elf, n);
    zk_free(back);
    back = NULL;
    assert_int_equal(store_program_get_elf(s, &back, &n, sha_b), ZK_ENOTFOUND);
    assert_null(back);
    assert_int_equal(n, 0);
    memset(vk, 0xab, 32);
    assert_int_equal(store_program_set_vk(s, sha_a, vk, "0x00ab"), ZK_OK);
    assert_int_equal(store_program_get(s, &p, sha_a), ZK_OK);
    assert_true(p.has_vk);
    assert_memory_equal(p.vk, vk, 32);
    assert_string_equal(p.vkey, "0x00ab");
    assert_int_equal(store_program_get(s, &p, sha_b), ZK_ENOTFOUND);
    assert_int_equal(store_program_set_vk(s, sha_b, vk, "0x"), ZK_ENOTFOUND);
    assert_int_equal(store_program_put(s, NULL, "abc", elf, 3, "", 3),
                     ZK_EINVAL);
}

static void put_program(struct store *s, const char *sha)
{
    const uint8_t elf[] = {0x7f, 'E', 'L', 'F'};
    assert_int_equal(store_program_put(s, NULL, sha, elf, 4, "3.0.0", 3),
                     ZK_OK);
}

static void insert_job(struct store *s, const char *id, const char *prog,
                       size_t queue_max, enum zk_err want)
{
    const uint8_t in[] = {1, 0, 0, 0, 0, 0, 0, 0};
    struct store_job_new j = {.id = id,
                              .program_sha256 = prog,
                              .stdin_data = in,
                              .stdin_len = sizeof(in),
                              .stdin_sha256 = sha_b,
                              .cycle_limit = 1000,
                              .api = "v1"};
    assert_int_equal(store_job_insert(s, &j, queue_max), want);
}

static void job_runs_through_states_and_is_signed_once(void **state)
{
    struct store *s = *state;
    struct store_job j;
    uint8_t vk[32], dg[32], sig[65], sig2[65];
    const uint8_t pv[] = {10, 0, 0, 0, 55, 0, 0, 0};
    uint8_t *in = NULL;
    size_t inn = 0;
    enum store_job_status stv;

    put_program(s, sha_a);
    insert_job(s, "job-1", sha_a, 10, ZK_OK);
    insert_job(s, "job-1", sha_a, 10, ZK_ENOTFOUND); /* duplicate id */
    insert_job(s, "job-x", sha_b, 10, ZK_ENOTFOUND); /* unknown program */
    /* an id that would not read back whole (STORE_ID_SIZE - 1 chars max) */
    char long_id[STORE_ID_SIZE + 1];
    memset(long_id, 'a', STORE_ID_SIZE);
    long_id[STORE_ID_SIZE] = '\0';
    insert_job(s, long_id, sha_a, 10, ZK_EINVAL);
    assert_int_equal(store_job_get_status(s, &stv, "job-1"), ZK_OK);
    assert_int_equal(stv, STORE_JOB_QUEUED);
    assert_int_equal(store_job_get_stdin(s, &in, &inn, "job-1"), ZK_OK);
    assert_int_equal(inn, 8);
    zk_free(in);
    in = NULL;
    assert_int_equal(store_job_get_stdin(s, &in, &inn, "job-x"), ZK_ENOTFOUND);
    assert_null(in);
    assert_int_equal(inn, 0);

    assert_int_equal(store_job_claim(s, &j), ZK_OK);
    assert_string_equal(j.id, "job-1");
    assert_int_equal(j.status, STORE_JOB_RUNNING);
    assert_int_equal(j.attempts, 1);
    store_job_cleanup(&j);
    assert_int_equal(store_job_claim(s, &j), ZK_ENOTFOUND);

    memset(vk, 3, 32);
    assert_int_equal(store_job_set_executed(s, "job-1", 1528, 0, "3.2.0", vk,
                                            "0x0003", pv, sizeof(pv), 12),
                     ZK_OK);
    /* A result is recorded once. */
    assert_int_equal(store_job_set_executed(s, "job-1", 1, 0, "3.2.0", vk,
                                            "0x0003", pv, 1, 12),
                     ZK_ENOTFOUND);
    char ids[4][STORE_ID_SIZE];
    size_t n = 0;
    assert_int_equal(store_job_list_waiting(s, ids, 4, &n), ZK_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ids[0], "job-1");

    memset(dg, 4, 32);
    memset(sig, 5, 65);
    memset(sig2, 6, 65);
    assert_int_equal(store_job_set_signed(s, "job-1", dg, sig, addr_a, 1),
                     ZK_EDB); /* key 1 does not exist (FK) */
    uint8_t sec[32] = {9};
    int64_t kid = 0;
    assert_int_equal(store_key_insert(s, &kid, addr_a, sec, "simulated"),
                     ZK_OK);
    assert_int_equal(store_job_set_signed(s, "job-1", dg, sig, addr_a, kid),
                     ZK_OK);
    assert_int_equal(store_job_set_signed(s, "job-1", dg, sig2, addr_a, kid),
                     ZK_ENOTFOUND);
    assert_int_equal(store_job_fail(s, "job-1", "x", "y"), ZK_ENOTFOUND);

    assert_int_equal(store_job_get(s, &j, "job-1"), ZK_OK);
    assert_int_equal(j.status, STORE_JOB_DONE);
    assert_true(j.has_result);
    assert_true(j.is_signed);
    assert_int_equal(j.cycles, 1528);
    assert_int_equal(j.public_values_len, sizeof(pv));
    assert_memory_equal(j.public_values, pv, sizeof(pv));
    assert_memory_equal(j.signature, sig, 65);
    assert_string_equal(j.signer, addr_a);
    assert_int_equal(j.key_id, kid);
    assert_true(j.finished_ms >= j.created_ms);
    store_job_cleanup(&j);
    assert_int_equal(raw_int("SELECT count(*) FROM proofs WHERE signer = "
                             "'0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'"),
                     1);
    assert_int_equal(store_job_get(s, &j, "nope"), ZK_ENOTFOUND);
}

static void queue_limit_refuses_with_busy(void **state)
{
    struct store *s = *state;
    struct store_job j;
    put_program(s, sha_a);
    insert_job(s, "q1", sha_a, 2, ZK_OK);
    insert_job(s, "q2", sha_a, 2, ZK_OK);
    insert_job(s, "q3", sha_a, 2, ZK_EBUSY);
    assert_int_equal(raw_int("SELECT count(*) FROM jobs"), 2);
    /* Failing one frees a slot. */
    assert_int_equal(store_job_claim(s, &j), ZK_OK);
    assert_int_equal(store_job_fail(s, j.id, "guest_exit", "exit 1"), ZK_OK);
    store_job_cleanup(&j);
    insert_job(s, "q3", sha_a, 2, ZK_OK);
}

static void recover_requeues_then_gives_up(void **state)
{
    struct store *s = *state;
    struct store_job j;
    size_t rq = 9, fl = 9;
    put_program(s, sha_a);
    insert_job(s, "r1", sha_a, 10, ZK_OK);
    for (int attempt = 1; attempt <= 3; attempt++) {
        assert_int_equal(store_job_claim(s, &j), ZK_OK);
        assert_int_equal(j.attempts, attempt);
        store_job_cleanup(&j);
        assert_int_equal(store_job_recover(s, 3, &rq, &fl), ZK_OK);
        if (attempt < 3) {
            assert_int_equal(rq, 1);
            assert_int_equal(fl, 0);
        } else {
            assert_int_equal(rq, 0);
            assert_int_equal(fl, 1);
        }
    }
    assert_int_equal(store_job_get(s, &j, "r1"), ZK_OK);
    assert_int_equal(j.status, STORE_JOB_FAILED);
    assert_string_equal(j.error_code, "attempts");
    store_job_cleanup(&j);
    /* Clean-shutdown requeue does not count as an attempt. */
    insert_job(s, "r2", sha_a, 10, ZK_OK);
    assert_int_equal(store_job_claim(s, &j), ZK_OK);
    assert_int_equal(store_job_requeue(s, "r2"), ZK_OK);
    store_job_cleanup(&j);
    assert_int_equal(store_job_claim(s, &j), ZK_OK);
    assert_int_equal(j.attempts, 1);
    store_job_cleanup(&j);
}

static void history_filters_and_paginates(void **state)
{
    struct store *s = *state;
    char id[32];
    struct store_job page[4];
    size_t n = 0, total = 0;
    int64_t cursor = 0;
    int64_t counts[STORE_JOB_N_STATUS];
    put_program(s, sha_a);
    put_program(s, sha_b);
    for (int i = 0; i < 10; i++) {
        assert_true((size_t)snprintf(id, sizeof(id), "h%d", i) < sizeof(id));
        insert_job(s, id, i % 2 ? sha_a : sha_b, 100, ZK_OK);
    }
    struct store_job_filter f = {.status = -1};
    do {
        f.before_seq = cursor;
        assert_int_equal(store_job_list(s, page, 4, &n, &cursor, &f), ZK_OK);
        for (size_t i = 0; i < n; i++) {
            assert_true((size_t)snprintf(id, sizeof(id), "h%zu",
                                         9 - total - i) < sizeof(id));
            assert_string_equal(page[i].id, id);
            store_job_cleanup(&page[i]);
        }
        total += n;
    } while (cursor != 0);
    assert_int_equal(total, 10);

    f.program_sha256 = sha_a;
    f.before_seq = 0;
    assert_int_equal(store_job_list(s, page, 4, &n, &cursor, &f), ZK_OK);
    assert_int_equal(n, 4);
    assert_true(cursor != 0);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(page[i].program_sha256, sha_a);
        store_job_cleanup(&page[i]);
    }
    f.program_sha256 = NULL;
    f.status = STORE_JOB_DONE;
    assert_int_equal(store_job_list(s, page, 4, &n, &cursor, &f), ZK_OK);
    assert_int_equal(n, 0);
    assert_int_equal(cursor, 0);
    f.status = -1;
    f.since_ms = 1;
    f.until_ms = 2; /* 1970: nothing */
    assert_int_equal(store_job_list(s, page, 4, &n, &cursor, &f), ZK_OK);
    assert_int_equal(n, 0);

    assert_int_equal(store_job_count(s, counts), ZK_OK);
    assert_int_equal(counts[STORE_JOB_QUEUED], 10);
    assert_int_equal(counts[STORE_JOB_DONE], 0);
    uint64_t cyc = 1;
    int64_t ms = 1;
    assert_int_equal(store_job_totals(s, &cyc, &ms), ZK_OK);
    assert_int_equal(cyc, 0);
}

static void status_names_round_trip(void **state)
{
    enum store_job_status st;
    (void)state;
    for (int i = 0; i < STORE_JOB_N_STATUS; i++) {
        assert_int_equal(
            store_job_status_parse(
                &st, store_job_status_name((enum store_job_status)i)),
            ZK_OK);
        assert_int_equal(st, i);
    }
    assert_int_equal(store_job_status_parse(&st, "DONE"), ZK_EINVAL);
    assert_int_equal(store_job_status_parse(&st, NULL), ZK_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_sets_wal_and_schema_version, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(open_refuses_a_newer_schema, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(key_lifecycle_follows_the_states, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(signing_key_is_the_newest_active_one,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(key_insert_rejects_bad_arguments, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(programs_are_stored_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            job_runs_through_states_and_is_signed_once, setup, teardown),
        cmocka_unit_test_setup_teardown(queue_limit_refuses_with_busy, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(recover_requeues_then_gives_up, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(history_filters_and_paginates, setup,
                                        teardown),
        cmocka_unit_test(status_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
