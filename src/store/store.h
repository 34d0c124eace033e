/*
 * store.h - the prover's SQLite database: programs, jobs/proofs, keys.
 *
 * The store module is the only code in the project that speaks SQL. It
 * holds typed columns and bytes; it never interprets ELFs, stdin or
 * signatures. The schema lives in sql/migrations/NNNN_<name>.sql and is
 * embedded into the binary by a make rule; store_open applies every
 * migration newer than the file's PRAGMA user_version, in one IMMEDIATE
 * transaction per migration, so concurrent openers are safe.
 *
 * Connections: WAL mode, synchronous=FULL (a 2xx answer means the row is
 * on disk), foreign keys on, busy timeout STORE_BUSY_TIMEOUT_MS.
 *
 * Thread-safety: a struct store is ONE SQLite connection and must be used
 * by one thread at a time. Open one handle per thread; any number of
 * handles (and processes: the prover and the rotator) may share a file.
 *
 * Secrets: the keys table holds signing-key secrets (32 bytes) until the
 * rotator retires a key, which sets the column to NULL. Only
 * store_key_get_signing returns secret bytes; the caller wipes them with
 * store_key_clear. The store never logs secrets (it logs key ids).
 *
 * Errors: ZK_EDB for SQLite failures (logged "store: <action>: <sqlite
 * message>"), ZK_EBUSY when the database stayed locked past the busy
 * timeout or a queue is full, ZK_ENOTFOUND, ZK_EINVAL for bad arguments,
 * ZK_ENOMEM.
 */
#ifndef ZK_STORE_STORE_H
#define ZK_STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

#define STORE_BUSY_TIMEOUT_MS 10000

/* Text field sizes (including the NUL). */
#define STORE_ADDR_SIZE   43u  /* "0x" + 40 hex (EIP-55) */
#define STORE_HASH_SIZE   67u  /* "0x" + 64 hex */
#define STORE_SHA256_SIZE 65u  /* 64 lower-case hex, no prefix */
#define STORE_ID_SIZE     72u  /* proof ids: [A-Za-z0-9_-]{1,64} */
#define STORE_ERR_SIZE    512u /* error texts are truncated to fit */
#define STORE_SMALL_SIZE  32u  /* status, tee_mode, sp1 version text */

struct store;

/*
 * Opens (creating if needed) the database at path and migrates it.
 * Returns: ZK_OK; ZK_EDB (cannot open, migration failed, or the file's
 *          user_version is newer than this binary knows); ZK_ENOMEM.
 * Out:     *out, a handle to close with store_close (NULL on error).
 */
ZK_NODISCARD enum zk_err store_open(struct store **out, const char *path);

/* Closes the connection. NULL-safe. */
void store_close(struct store *s);

/* The schema version this binary migrates to (= highest NNNN). */
int store_schema_version(void);

/* ======================================================================
 * keys: shared with the rotator (sp1-tee-rotator fills it, the prover
 * signs with it). Status flow: generated -> registering -> active ->
 * retired; any of the first two may go to failed.
 * ====================================================================== */

#define STORE_REPORT_DATA_MAX 64u

struct store_key {
    int64_t id;
    char address[STORE_ADDR_SIZE];   /* 0x EIP-55 */
    char status[STORE_SMALL_SIZE];   /* generated|registering|active|... */
    char tee_mode[STORE_SMALL_SIZE]; /* tdx|simulated */
    int64_t created_at;              /* unix seconds */
    uint8_t report_data[STORE_REPORT_DATA_MAX];
    size_t report_data_len;               /* 0 until registering */
    char quote_sha256[STORE_SHA256_SIZE]; /* "" until registering */
    size_t quote_len;                     /* bytes of the stored quote */
    char tx_hash[STORE_HASH_SIZE];        /* "" until sent */
    int64_t ref_block_number;             /* -1 until registering */
    char ref_block_hash[STORE_HASH_SIZE];
    int64_t registered_block;   /* -1 until active */
    int64_t expires_at;         /* unix seconds; 0 until active */
    char error[STORE_ERR_SIZE]; /* "" unless failed */
    bool has_secret;            /* the secret column is not NULL */
    uint8_t secret[32];         /* filled ONLY by store_key_get_signing */
};

/* Wipes the secret (zk_memclear) and the rest of the struct. NULL-safe. */
void store_key_clear(struct store_key *k);

/*
 * Inserts a new key with status 'generated' and created_at = now.
 * In: address (0x + 40 hex, stored as given), secret (32 bytes, copied
 *     into SQLite's buffers only), tee_mode ("tdx" or "simulated").
 * Out: *id_out, the new row id.
 * Returns: ZK_OK, ZK_EINVAL (bad tee_mode/address length), ZK_EDB, ZK_EBUSY.
 */
ZK_NODISCARD enum zk_err store_key_insert(struct store *s, int64_t *id_out,
                                          const char *address,
                                          const uint8_t secret[32],
                                          const char *tee_mode);

/*
 * generated -> registering: records the report data, the quote (and its
 * sha256 as lower-case hex), and the reference block.
 * Returns: ZK_OK; ZK_ENOTFOUND if no such key or it is not 'generated'
 *          (or already 'registering': re-recording a new quote for a
 *          retry is allowed); ZK_EDB; ZK_EINVAL (report_data_len > 64).
 */
ZK_NODISCARD enum zk_err store_key_set_registering(
    struct store *s, int64_t id, const uint8_t *report_data,
    size_t report_data_len, const uint8_t *quote, size_t quote_len,
    const char *quote_sha256_hex, int64_t ref_block_number,
    const char *ref_block_hash_hex);

/* Records the registration transaction hash (may be called again when a
 * stuck transaction is replaced). ZK_ENOTFOUND unless 'registering'. */
ZK_NODISCARD enum zk_err store_key_set_tx(struct store *s, int64_t id,
                                          const char *tx_hash_hex);

/* registering -> active with the registration block and expiry (unix s).
 * ZK_ENOTFOUND unless 'registering'. */
ZK_NODISCARD enum zk_err store_key_activate(struct store *s, int64_t id,
                                            int64_t registered_block,
                                            int64_t expires_at);

/* generated|registering -> failed with an error text; the secret is wiped
 * (set NULL) because a failed key is never used. ZK_ENOTFOUND otherwise. */
ZK_NODISCARD enum zk_err store_key_fail(struct store *s, int64_t id,
                                        const char *error_text);

/* Any status -> retired, secret set to NULL (wiped from the database; the
 * WAL is checkpointed by SQLite, and secure_delete is on so freed pages
 * are zeroed). ZK_ENOTFOUND if no such key. */
ZK_NODISCARD enum zk_err store_key_retire_and_wipe(struct store *s, int64_t id);

/*
 * The key to sign with: the newest (highest id) 'active' key with a
 * secret and expires_at > now + safety_margin_s.
 * Out: *out including secret (wipe with store_key_clear).
 * Returns: ZK_OK; ZK_ENOTFOUND if none (out cleared); ZK_EDB.
 */
ZK_NODISCARD enum zk_err store_key_get_signing(struct store *s,
                                               struct store_key *out,
                                               int64_t now,
                                               int64_t safety_margin_s);

/* One key by id, without its secret (has_secret tells whether one is
 * stored). ZK_ENOTFOUND if no such key. */
ZK_NODISCARD enum zk_err store_key_get(struct store *s, struct store_key *out,
                                       int64_t id);

/*
 * Keys newest first (highest id first), without secrets.
 * In:  status: NULL for all, or one status to filter on; cap: room in out.
 * Out: out[0..*n_out).
 * Returns: ZK_OK, ZK_EDB.
 */
ZK_NODISCARD enum zk_err store_key_list(struct store *s, struct store_key *out,
                                        size_t cap, size_t *n_out,
                                        const char *status);

/*
 * The stored quote of a key.
 * Out: *quote_take (free with zk_free; NULL when none), *len_out.
 * Returns: ZK_OK (possibly with no quote), ZK_ENOTFOUND, ZK_EDB, ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err store_key_get_quote(struct store *s,
                                             uint8_t **quote_take,
                                             size_t *len_out, int64_t id);

/* ======================================================================
 * programs: each distinct ELF once, keyed by sha256 (lower-case hex),
 * with its detected SP1 version and the cached vk.
 * ====================================================================== */

struct store_program {
    char sha256[STORE_SHA256_SIZE];
    int64_t size;                       /* ELF bytes */
    char sp1_version[STORE_SMALL_SIZE]; /* e.g. "3.2.0" */
    int sp1_major;                      /* 3, 4, 5 */
    bool has_vk;
    uint8_t vk[32];             /* hash_bytes */
    char vkey[STORE_HASH_SIZE]; /* bytes32 form, "" until has_vk */
    int64_t created_at;         /* unix seconds */
};

/*
 * Stores an ELF unless one with the same sha256 exists.
 * Out: *is_new_out (may be NULL): true when this call inserted it.
 * Returns: ZK_OK, ZK_EINVAL, ZK_EDB, ZK_EBUSY.
 */
ZK_NODISCARD enum zk_err store_program_put(struct store *s, bool *is_new_out,
                                           const char *sha256_hex,
                                           const uint8_t *elf, size_t len,
                                           const char *sp1_version,
                                           int sp1_major);

/* Metadata of one program. ZK_ENOTFOUND if unknown. */
ZK_NODISCARD enum zk_err store_program_get(struct store *s,
                                           struct store_program *out,
                                           const char *sha256_hex);

/* The ELF bytes. Out: *elf_take (zk_free), *len_out. ZK_ENOTFOUND. */
ZK_NODISCARD enum zk_err store_program_get_elf(struct store *s,
                                               uint8_t **elf_take,
                                               size_t *len_out,
                                               const char *sha256_hex);

/* Caches the vk of a program (idempotent). ZK_ENOTFOUND if unknown. */
ZK_NODISCARD enum zk_err store_program_set_vk(struct store *s,
                                              const char *sha256_hex,
                                              const uint8_t vk[32],
                                              const char *vkey_hex);

/* ======================================================================
 * jobs: one row per proof request; the finished row is the proof record
 * (the `proofs` view lists finished ones for sqlite3 users).
 *
 * Status flow: queued -> running -> waiting_for_key -> done
 *                                \-> failed (any time before done)
 * 'waiting_for_key' means the result is stored but not yet signed. A
 * result is recorded once (store_job_set_executed only moves a 'running'
 * job) and signed once (store_job_set_signed only moves an unsigned
 * 'waiting_for_key' job), so a proof is never signed twice.
 * ====================================================================== */

enum store_job_status {
    STORE_JOB_QUEUED = 0,
    STORE_JOB_RUNNING,
    STORE_JOB_WAITING_FOR_KEY,
    STORE_JOB_DONE,
    STORE_JOB_FAILED,
    STORE_JOB_N_STATUS
};

/* "queued", "running", "waiting_for_key", "done", "failed". */
const char *store_job_status_name(enum store_job_status st);
/* Parses a status name. Returns ZK_EINVAL for an unknown name. */
ZK_NODISCARD enum zk_err store_job_status_parse(enum store_job_status *out,
                                                const char *name);

struct store_job_new {
    const char *id;             /* proof id, unique */
    const char *program_sha256; /* must exist in programs */
    const uint8_t *stdin_data;  /* the encoded stdin (opaque here) */
    size_t stdin_len;
    const char *stdin_sha256; /* lower-case hex of stdin_data */
    uint64_t cycle_limit;
    const char *api; /* "compat" or "v1" */
};

struct store_job {
    int64_t seq; /* insertion order, cursor */
    char id[STORE_ID_SIZE];
    char program_sha256[STORE_SHA256_SIZE];
    char stdin_sha256[STORE_SHA256_SIZE];
    char api[STORE_SMALL_SIZE];
    enum store_job_status status;
    int attempts;
    uint64_t cycle_limit;
    int64_t created_ms, started_ms, executed_ms, finished_ms; /* unix ms */
    int64_t exec_ms; /* child wall time, last attempt */
    bool has_result; /* executed: fields below set */
    uint64_t cycles;
    int exit_code;
    char sp1_version[STORE_SMALL_SIZE];
    uint8_t vk[32];
    char vkey[STORE_HASH_SIZE];
    uint8_t *public_values; /* owned; store_job_cleanup */
    size_t public_values_len;
    bool is_signed; /* done: fields below set */
    uint8_t digest[32];
    uint8_t signature[65];
    char signer[STORE_ADDR_SIZE];
    int64_t key_id;
    char error_code[STORE_SMALL_SIZE]; /* "" unless failed */
    char error[STORE_ERR_SIZE];
};

/* Frees public_values; the struct may be reused. NULL-safe. */
void store_job_cleanup(struct store_job *j);

/*
 * Inserts a queued job, refusing when queue_max jobs are already queued
 * or running (checked in the same transaction).
 * Returns: ZK_OK (durable on return); ZK_EBUSY (queue full, or database
 *          locked); ZK_ENOTFOUND (no such program); ZK_EINVAL (a NULL
 *          field, or an id/stdin_sha256/api too long for struct store_job);
 *          ZK_EDB.
 */
ZK_NODISCARD enum zk_err store_job_insert(struct store *s,
                                          const struct store_job_new *j,
                                          size_t queue_max);

/*
 * Takes the oldest queued job: status running, attempts + 1, started_ms.
 * Out: *out (public_values NULL).
 * Returns: ZK_OK; ZK_ENOTFOUND if the queue is empty; ZK_EDB.
 */
ZK_NODISCARD enum zk_err store_job_claim(struct store *s,
                                         struct store_job *out);

/*
 * At startup: every 'running' job (its runner died) goes back to
 * 'queued', or to 'failed' (error_code "attempts") when it already had
 * max_attempts attempts.
 * Out: counts (either may be NULL).
 */
ZK_NODISCARD enum zk_err store_job_recover(struct store *s, int max_attempts,
                                           size_t *n_requeued,
                                           size_t *n_failed);

/* The stdin bytes of a job. Out: *data_take (zk_free), *len_out. */
ZK_NODISCARD enum zk_err store_job_get_stdin(struct store *s,
                                             uint8_t **data_take,
                                             size_t *len_out, const char *id);

/* One job (with public values). ZK_ENOTFOUND if unknown. */
ZK_NODISCARD enum zk_err store_job_get(struct store *s, struct store_job *out,
                                       const char *id);

/* Status of one job only (cheap; for long-poll loops). */
ZK_NODISCARD enum zk_err store_job_get_status(struct store *s,
                                              enum store_job_status *out,
                                              const char *id);

/*
 * running -> waiting_for_key with the execution result.
 * Returns: ZK_OK; ZK_ENOTFOUND if the job is not 'running' (nothing is
 *          changed: a result is never overwritten).
 */
ZK_NODISCARD enum zk_err store_job_set_executed(
    struct store *s, const char *id, uint64_t cycles, int exit_code,
    const char *sp1_version, const uint8_t vk[32], const char *vkey_hex,
    const uint8_t *public_values, size_t public_values_len, int64_t exec_ms);

/*
 * waiting_for_key -> done with the signature.
 * Returns: ZK_OK; ZK_ENOTFOUND if the job is not an unsigned
 *          'waiting_for_key' job (a proof is signed at most once).
 */
ZK_NODISCARD enum zk_err store_job_set_signed(struct store *s, const char *id,
                                              const uint8_t digest[32],
                                              const uint8_t signature[65],
                                              const char *signer_address,
                                              int64_t key_id);

/*
 * Any status but done -> failed with a machine code (e.g. "guest_exit",
 * "cycle_limit", "timeout", "memory", "crash", "attempts") and a message.
 * Returns: ZK_OK; ZK_ENOTFOUND if unknown or already done/failed.
 */
ZK_NODISCARD enum zk_err store_job_fail(struct store *s, const char *id,
                                        const char *error_code,
                                        const char *message);

/* Put a 'running' job back to 'queued' (clean shutdown). */
ZK_NODISCARD enum zk_err store_job_requeue(struct store *s, const char *id);

/*
 * Ids of unsigned waiting_for_key jobs, oldest first.
 * Out: ids[0..*n_out) (each STORE_ID_SIZE bytes).
 */
ZK_NODISCARD enum zk_err store_job_list_waiting(struct store *s,
                                                char (*ids)[STORE_ID_SIZE],
                                                size_t cap, size_t *n_out);

/* History filter; zero/NULL fields do not filter. */
struct store_job_filter {
    const char *vkey; /* bytes32 text, case-insensitive */
    const char *program_sha256;
    const char *signer;         /* address, case-insensitive */
    int status;                 /* -1: any; else enum store_job_status */
    int64_t since_ms, until_ms; /* created_ms in [since, until); 0: open */
    int64_t before_seq;         /* cursor: seq < before_seq; 0: newest */
};

/*
 * Lists jobs newest first (seq descending).
 * Out: out[0..*n_out) (each owns public_values: store_job_cleanup each),
 *      *next_cursor: seq to pass as before_seq for the next page, or 0
 *      when this was the last page.
 */
ZK_NODISCARD enum zk_err store_job_list(struct store *s, struct store_job *out,
                                        size_t cap, size_t *n_out,
                                        int64_t *next_cursor,
                                        const struct store_job_filter *f);

/* Number of jobs per status. Out: counts[STORE_JOB_N_STATUS]. */
ZK_NODISCARD enum zk_err store_job_count(struct store *s, int64_t *counts);

/* Sum of cycles over jobs with a result, and of exec_ms. */
ZK_NODISCARD enum zk_err store_job_totals(struct store *s, uint64_t *cycles_out,
                                          int64_t *exec_ms_out);

#endif
