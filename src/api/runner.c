/*
 * runner.c - job runners and the signer.
 *
 * A runner claims the oldest queued job, runs it in an executor child
 * (spawn.c) and records the result (status waiting_for_key) or the
 * failure. Only the signer thread ever reads a key secret: it signs each
 * stored result with the newest active, unexpired key and records the
 * signature (status done). Both transitions are guarded in the store, so
 * a result is recorded once and signed once, even across crashes: a job
 * whose runner died is re-run from scratch (store_job_recover), and a
 * stored result waiting for a key is never re-executed.
 */
#include <config.h>
#include "api/api.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "crypto/sign.h"
#include "crypto/tee.h"

static void timed_wait(pthread_cond_t *cv, pthread_mutex_t *mu, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    (void)pthread_cond_timedwait(cv, mu, &ts);
}

void api_notify_job(struct api_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    srv->job_gen++;
    pthread_cond_broadcast(&srv->job_cond);
    pthread_cond_signal(&srv->key_cond);
    pthread_mutex_unlock(&srv->mu);
}

void api_notify_queue(struct api_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    srv->job_gen++;
    pthread_cond_signal(&srv->queue_cond);
    pthread_mutex_unlock(&srv->mu);
}

static const char *outcome_code(uint32_t outcome)
{
    switch (outcome) {
    case API_EXEC_GUEST_ERROR:
        return "guest_error";
    case API_EXEC_CYCLE_LIMIT:
        return "cycle_limit";
    case API_EXEC_MEMORY_LIMIT:
        return "memory_limit";
    case API_EXEC_BAD_STDIN:
        return "bad_stdin";
    case API_EXEC_UNSUPPORTED:
        return "unsupported";
    case API_EXEC_BAD_ELF:
        return "invalid_elf";
    default:
        return "internal";
    }
}

static void fail_job(struct api_server *srv, struct store *st, const char *id,
                     const char *code, const char *msg)
{
    if (store_job_fail(st, id, code, msg) != ZK_OK) {
        zk_error("api: fail job %s: could not record the failure", id);
    }
    atomic_fetch_add(&srv->metrics.jobs_failed, 1);
    zk_info("api: job %s failed: %s: %s", id, code, msg);
    api_notify_job(srv);
}

/* Runs one claimed job to a stored result or failure. Returns false when
 * the server is stopping (the job was put back in the queue). */
static bool run_job(struct api_server *srv, struct store *st,
                    const struct store_job *job)
{
    struct store_program prog;
    uint8_t *elf = NULL, *in = NULL;
    size_t elf_len = 0, in_len = 0;
    struct api_exec_request req;
    struct api_exec_result res;
    char detail[200];
    enum api_spawn_status sp;
    struct timespec t0, t1;
    bool keep_going = true;

    memset(&res, 0, sizeof(res));
    if (store_program_get(st, &prog, job->program_sha256) != ZK_OK ||
        !prog.has_vk ||
        store_program_get_elf(st, &elf, &elf_len, job->program_sha256) !=
            ZK_OK ||
        store_job_get_stdin(st, &in, &in_len, job->id) != ZK_OK) {
        fail_job(srv, st, job->id, "internal", "cannot load the job inputs");
        goto out;
    }
    memset(&req, 0, sizeof(req));
    req.mode = API_EXEC_MODE_RUN;
    req.force_major = (uint32_t)prog.sp1_major;
    req.cycle_limit = job->cycle_limit;
    /* Guest memory gets half of the child's address space: running out is
     * then a clean memory_limit result, not an allocation failure. */
    req.max_memory = (srv->cfg.mem_limit_mb << 20) / 2;
    req.elf = elf;
    req.elf_len = elf_len;
    req.stdin_data = in;
    req.stdin_len = in_len;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sp = api_exec_spawn(srv, &res, detail, sizeof(detail), &req,
                        srv->cfg.exec_timeout_s);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    int64_t ms = (int64_t)(t1.tv_sec - t0.tv_sec) * 1000 +
                 (t1.tv_nsec - t0.tv_nsec) / 1000000;
    switch (sp) {
    case API_SPAWN_STOPPED:
        if (store_job_requeue(st, job->id) != ZK_OK) {
            zk_warn("api: job %s: could not re-queue at shutdown", job->id);
        }
        keep_going = false;
        goto out;
    case API_SPAWN_TIMEOUT:
        atomic_fetch_add(&srv->metrics.executor_timeouts, 1);
        fail_job(srv, st, job->id, "timeout", detail);
        goto out;
    case API_SPAWN_CRASH:
        atomic_fetch_add(&srv->metrics.executor_crashes, 1);
        fail_job(srv, st, job->id, "executor_crash", detail);
        goto out;
    case API_SPAWN_ERROR:
        /* Could not even start the child: put it back and slow down. */
        if (store_job_requeue(st, job->id) != ZK_OK) {
            zk_warn("api: job %s: could not re-queue", job->id);
        }
        sleep(1);
        goto out;
    case API_SPAWN_OK:
        break;
    }
    atomic_fetch_add(&srv->metrics.jobs_executed, 1);
    if (res.outcome != API_EXEC_OK) {
        fail_job(srv, st, job->id, outcome_code(res.outcome), res.reason);
        goto out;
    }
    /* The child says HALT(0) with a matching digest; the public values
     * are what we sign. The vk is the cached one of this exact ELF. */
    if (store_job_set_executed(st, job->id, res.cycles, (int)res.exit_code,
                               prog.sp1_version, prog.vk, prog.vkey,
                               res.public_values, res.public_values_len,
                               ms) != ZK_OK) {
        zk_warn("api: job %s: result not recorded (state changed?)", job->id);
    } else {
        zk_info("api: job %s executed: %llu cycles in %lld ms", job->id,
                (unsigned long long)res.cycles, (long long)ms);
    }
    api_notify_job(srv);
out:
    api_exec_result_cleanup(&res);
    zk_free(elf);
    zk_free(in);
    return keep_going;
}

void *api_runner_main(void *arg)
{
    struct api_server *srv = arg;
    struct store *st = NULL;

    if (store_open(&st, srv->cfg.db_path) != ZK_OK) {
        zk_error("api: runner: cannot open the database");
        return NULL;
    }
    while (!atomic_load(&srv->stopping)) {
        struct store_job job;
        enum zk_err err = store_job_claim(st, &job);
        if (err == ZK_OK) {
            bool go = run_job(srv, st, &job);
            store_job_cleanup(&job);
            if (!go) {
                break;
            }
            continue;
        }
        pthread_mutex_lock(&srv->mu);
        if (!atomic_load(&srv->stopping)) {
            /* no job, or a store error: look again in 1 s */
            timed_wait(&srv->queue_cond, &srv->mu, 1000);
        }
        pthread_mutex_unlock(&srv->mu);
    }
    store_close(st);
    return NULL;
}

static void set_signer_status(struct api_server *srv, const char *s)
{
    pthread_mutex_lock(&srv->mu);
    (void)snprintf(srv->signer_status, sizeof(srv->signer_status), "%s", s);
    pthread_mutex_unlock(&srv->mu);
}

/* Explains why there is no usable key, from the key table. */
static void explain_no_key(struct api_server *srv, struct store *st)
{
    struct store_key k;
    size_t n = 0;
    char why[256];
    if (store_key_list(st, &k, 1, &n, NULL) != ZK_OK || n == 0) {
        (void)snprintf(why, sizeof(why),
                       "no signing key yet: the key table is empty (is "
                       "sp1-tee-rotator running?)");
    } else if (strcmp(k.status, "active") == 0) {
        (void)snprintf(
            why, sizeof(why),
            "newest key %lld expires at %lld, within the %u s safety "
            "margin; waiting for the rotator's next key",
            (long long)k.id, (long long)k.expires_at, srv->cfg.key_margin_s);
    } else {
        (void)snprintf(
            why, sizeof(why), "no active key: newest key %lld is '%s'%s%.150s",
            (long long)k.id, k.status, k.error[0] != '\0' ? ": " : "", k.error);
    }
    store_key_clear(&k);
    set_signer_status(srv, why);
}

enum zk_err api_sign_waiting(struct api_server *srv, struct store *st,
                             size_t *n_signed)
{
    char(*ids)[STORE_ID_SIZE] = NULL;
    size_t n = 0;
    struct store_key key;
    struct crypto_seckey sk;
    struct crypto_addr addr, want;
    char addr_hex[CRYPTO_ADDR_HEX_SIZE];
    enum zk_err err;

    *n_signed = 0;
    memset(&sk, 0, sizeof(sk));
    err = store_key_get_signing(st, &key, (int64_t)time(NULL),
                                srv->cfg.key_margin_s);
    if (err == ZK_ENOTFOUND) {
        explain_no_key(srv, st);
        return ZK_OK;
    }
    if (err) {
        return err;
    }
    err = crypto_seckey_from_bytes(&sk, key.secret);
    if (!err) {
        err = crypto_seckey_to_addr(&addr, &sk);
    }
    /* The table's address must be the key's: never sign as someone the
     * registry does not know. */
    if (!err && (crypto_addr_from_hex(&want, key.address) != ZK_OK ||
                 !crypto_addr_eq(&addr, &want))) {
        zk_error("api: sign: key %lld: secret does not match its address",
                 (long long)key.id);
        err = ZK_ECRYPTO;
    }
    if (err) {
        set_signer_status(srv, "the newest active key is unusable (secret "
                               "does not match its address)");
        goto out;
    }
    crypto_addr_to_hex(addr_hex, &addr);
    set_signer_status(srv, "");
    ids = zk_calloc(64, sizeof(*ids));
    if (ids == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    err = store_job_list_waiting(st, ids, 64, &n);
    for (size_t i = 0; !err && i < n; i++) {
        struct store_job job;
        struct zk_hash32 vk, digest;
        struct crypto_sig sig;
        if (store_job_get(st, &job, ids[i]) != ZK_OK) {
            continue;
        }
        memcpy(vk.b, job.vk, 32);
        if (job.has_result &&
            crypto_tee_sign(&sig, &digest, &sk, &vk, job.public_values,
                            job.public_values_len) == ZK_OK &&
            store_job_set_signed(st, job.id, digest.b, sig.b, addr_hex,
                                 key.id) == ZK_OK) {
            (*n_signed)++;
            atomic_fetch_add(&srv->metrics.proofs_signed, 1);
            zk_info("api: job %s signed by key %lld (%s, %s%s)", job.id,
                    (long long)key.id, addr_hex, key.tee_mode,
                    strcmp(key.tee_mode, "tdx") != 0
                        ? ": NOT attested by real TDX hardware"
                        : "");
            api_notify_job(srv);
        }
        store_job_cleanup(&job);
    }
out:
    zk_free(ids);
    crypto_seckey_clear(&sk);
    store_key_clear(&key);
    return err;
}

void *api_signer_main(void *arg)
{
    struct api_server *srv = arg;
    struct store *st = NULL;

    if (store_open(&st, srv->cfg.db_path) != ZK_OK) {
        zk_error("api: signer: cannot open the database");
        return NULL;
    }
    while (!atomic_load(&srv->stopping)) {
        size_t n = 0;
        if (api_sign_waiting(srv, st, &n) != ZK_OK) {
            zk_warn("api: signer: signing pass failed; retrying");
        }
        if (n == 64) {
            continue; /* more may be waiting */
        }
        pthread_mutex_lock(&srv->mu);
        if (!atomic_load(&srv->stopping)) {
            timed_wait(&srv->key_cond, &srv->mu, 1000);
        }
        pthread_mutex_unlock(&srv->mu);
    }
    store_close(st);
    return NULL;
}
