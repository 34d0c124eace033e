/*
 * api.h - internals of the sp1-tee-prover daemon (src/api/), shared by its
 * files. This is a composition root: it wires store (SQLite), crypto
 * (signing) and the isolated executor child together and serves the HTTP
 * API over FastCGI. libfcgi and cJSON types stay inside this module.
 *
 * Threads: FastCGI workers (config.workers) answer requests; runners
 * (config.runners) execute jobs through sp1-tee-executor children; one
 * signer thread signs results waiting for a key. Each thread owns its own
 * struct store (SQLite connection). Shared state lives in struct
 * api_server and is guarded by its mutex or is atomic.
 */
#ifndef ZK_API_API_H
#define ZK_API_API_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "api/exec_proto.h"
#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"
#include "store/store.h"

/* ------------------------------------------------------------ config */

struct api_config {
    char db_path[512];
    char listen_path[512]; /* "" = FastCGI socket on fd 0 */
    unsigned socket_mode;  /* for --listen */
    char socket_owner[64];
    char socket_group[64];
    char executor_path[512];
    char instance[32];       /* proof id prefix */
    unsigned workers;        /* FastCGI threads */
    unsigned runners;        /* concurrent jobs */
    unsigned vk_slots;       /* concurrent vk computations */
    size_t queue_max;        /* queued + running jobs before 429 */
    size_t max_elf;          /* bytes */
    size_t max_stdin;        /* bytes */
    size_t max_body;         /* request body bytes */
    uint64_t cycle_limit;    /* default and maximum per job */
    uint64_t mem_limit_mb;   /* executor address space (RLIMIT_AS) */
    unsigned exec_timeout_s; /* wall clock per job (kill) */
    unsigned vk_timeout_s;   /* wall clock per vk computation */
    unsigned max_attempts;   /* restarts a job survives */
    unsigned wait_max_s;     /* v1 ?wait= ceiling */
    unsigned compat_wait_s;  /* /wait_proof bound */
    unsigned key_margin_s;   /* stop using a key this long before expiry */
    unsigned list_max;       /* page size ceiling for history */
    char sp1_versions[32];   /* accepted SP1 majors, e.g. "3,4,5" */
};

/* Fills the built-in defaults. */
void api_config_defaults(struct api_config *c);

/*
 * Applies argv (and a --config FILE first, wherever it appears).
 * Returns ZK_OK; ZK_EINVAL on a bad option or value (message printed);
 * *exit_now is set for --help/--version (exit 0 after printing).
 * Dev-only admin actions are reported through *dev_key (see prover_main).
 */
struct api_dev_key {
    bool wanted;     /* --dev-insert-key given */
    char secret[80]; /* hex, or "random" */
    unsigned ttl_s;
};
ZK_NODISCARD enum zk_err api_config_parse(struct api_config *c,
                                          struct api_dev_key *dev,
                                          bool *exit_now, int argc,
                                          char **argv);

/* ------------------------------------------------------------ server */

/* Prometheus counters kept in memory (the rest is read from the DB). */
#define API_N_ROUTES 12
struct api_metrics {
    atomic_uint_fast64_t requests[API_N_ROUTES][6]; /* by route, status class
                                                       (1xx..5xx) + 429 */
    atomic_uint_fast64_t jobs_submitted;
    atomic_uint_fast64_t jobs_rejected_busy;
    atomic_uint_fast64_t jobs_executed;
    atomic_uint_fast64_t jobs_failed;
    atomic_uint_fast64_t proofs_signed;
    atomic_uint_fast64_t vk_computed;
    atomic_uint_fast64_t executor_crashes;
    atomic_uint_fast64_t executor_timeouts;
};

struct api_server {
    struct api_config cfg;
    int listen_fd;
    int wake_pipe[2]; /* written on shutdown: wakes pollers */
    atomic_bool stopping;

    pthread_mutex_t mu;        /* guards the fields below */
    pthread_cond_t job_cond;   /* broadcast: a job changed state */
    pthread_cond_t queue_cond; /* signal: a job was queued */
    pthread_cond_t key_cond;   /* signal: try signing now */
    pthread_cond_t vk_cond;    /* signal: a vk slot was freed */
    uint64_t job_gen;          /* bumped on every job state change */
    unsigned vk_busy;          /* vk children running */
    pid_t *children;           /* running executor pids (runners) */

    pthread_mutex_t accept_mu; /* serialises FCGX_Accept_r */
    struct api_metrics metrics;
    int64_t started_at;
    char signer_status[256]; /* why no key, for /v1/signer (under mu) */
};

/* Wakes long-pollers and the signer after a job changed. */
void api_notify_job(struct api_server *srv);
/* Wakes one runner (a job was queued). */
void api_notify_queue(struct api_server *srv);

/* ------------------------------------------------------------ executor */

/* How a child ended, beyond its own result. */
enum api_spawn_status {
    API_SPAWN_OK = 0,  /* result decoded into *res */
    API_SPAWN_TIMEOUT, /* killed at the wall-clock limit */
    API_SPAWN_CRASH,   /* died by a signal, or exited without a result */
    API_SPAWN_ERROR,   /* could not start it (logged) */
    API_SPAWN_STOPPED  /* killed because the server is stopping */
};

/*
 * Runs one request in a fresh sp1-tee-executor child under the configured
 * limits, with timeout_s of wall clock.
 * Out: *res (api_exec_result_cleanup) when API_SPAWN_OK; *detail a short
 *      explanation otherwise.
 */
enum api_spawn_status api_exec_spawn(struct api_server *srv,
                                     struct api_exec_result *res, char *detail,
                                     size_t detail_size,
                                     const struct api_exec_request *req,
                                     unsigned timeout_s);

/* ------------------------------------------------------------ jobs */

/* Stdin items, as parsed from a request. */
struct api_stdin {
    struct zk_buf enc; /* bincode SP1Stdin, built incrementally */
    size_t n_items;
    size_t total;     /* bytes of item data */
    size_t max_total; /* ceiling for total */
};

/* Starts an empty stdin with the configured size ceiling. */
void api_stdin_init(struct api_stdin *s, size_t max_bytes);
void api_stdin_cleanup(struct api_stdin *s);
/* Adds one item. ZK_ELIMIT past the ceilings. */
ZK_NODISCARD enum zk_err api_stdin_add(struct api_stdin *s, const uint8_t *p,
                                       size_t n);
/* Finishes the encoding (ptr = 0, no proofs); call once before use. */
ZK_NODISCARD enum zk_err api_stdin_finish(struct api_stdin *s);
/* Parses a bincode SP1Stdin (strictly) into s. */
ZK_NODISCARD enum zk_err api_stdin_from_bincode(struct api_stdin *s,
                                                const uint8_t *p, size_t n);

/* Outcome of a submission, with the HTTP status to answer. */
struct api_submit_result {
    int http_status; /* 2xx on success */
    char code[32];   /* error code when not 2xx */
    char message[320];
    char id[STORE_ID_SIZE];
    struct store_program program;
};

/*
 * Makes sure a program is stored with its vk: looks it up by sha256 and,
 * if new, validates it in an executor child (ELF loads, SP1 version
 * supported, vk computed), then stores it. force_major (0, or 3..5)
 * overrides the detected SP1 version; a program already stored under
 * another major is refused (422). Out: r->program, or an error
 * status in r (422 invalid/unsupported ELF, 429 too many vk computations,
 * 500/503).
 */
void api_program_ensure(struct api_server *srv, struct store *st,
                        struct api_submit_result *r, const uint8_t *elf,
                        size_t elf_len, unsigned force_major);

/*
 * Stores a job for a program already ensured, with a fresh id. Out: r->id
 * and 202/200-class status, or 429 queue full / 500.
 */
void api_job_submit(struct api_server *srv, struct store *st,
                    struct api_submit_result *r, const char *program_sha256,
                    const struct api_stdin *in, uint64_t cycle_limit,
                    const char *api_name);

/* Runner and signer thread bodies (arg = struct api_server *). */
void *api_runner_main(void *arg);
void *api_signer_main(void *arg);

/* Signs every waiting job it can with the current key.
 * Out: *n_signed. Updates srv->signer_status. */
ZK_NODISCARD enum zk_err api_sign_waiting(struct api_server *srv,
                                          struct store *st, size_t *n_signed);

/* ------------------------------------------------------------ http */

/* FastCGI worker thread body (arg = struct api_server *). */
void *api_worker_main(void *arg);

#endif
