/*
 * submit.c - validating and storing submissions (shared by the compat and
 * v1 APIs). Nothing is stored unless it is valid: the ELF must load as an
 * SP1 guest and its vk must be computable exactly (validated once per
 * distinct ELF, in an executor child), the stdin must parse, and the
 * limits must hold. A 2xx answer means the job row is committed
 * (synchronous=FULL).
 */
#include <config.h>
#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "base/hex.h"
#include "base/log.h"
#include "crypto/rand.h"
#include "crypto/sha256.h"

static void set_err(struct api_submit_result *r, int status, const char *code,
                    const char *msg)
{
    r->http_status = status;
    (void)snprintf(r->code, sizeof(r->code), "%s", code);
    (void)snprintf(r->message, sizeof(r->message), "%s", msg);
}

/* Waits up to VK_SLOT_WAIT_S for one of the vk-slots: new programs queue
 * for validation instead of failing at once; past the wait, 429. */
#define VK_SLOT_WAIT_S 60

static bool vk_slot_take(struct api_server *srv)
{
    struct timespec until;
    bool ok;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += VK_SLOT_WAIT_S;
    pthread_mutex_lock(&srv->mu);
    while (srv->vk_busy >= srv->cfg.vk_slots && !atomic_load(&srv->stopping)) {
        if (pthread_cond_timedwait(&srv->vk_cond, &srv->mu, &until) ==
            ETIMEDOUT) {
            break;
        }
    }
    ok = srv->vk_busy < srv->cfg.vk_slots && !atomic_load(&srv->stopping);
    if (ok) {
        srv->vk_busy++;
    }
    pthread_mutex_unlock(&srv->mu);
    return ok;
}

static void vk_slot_give(struct api_server *srv)
{
    pthread_mutex_lock(&srv->mu);
    srv->vk_busy--;
    pthread_cond_signal(&srv->vk_cond);
    pthread_mutex_unlock(&srv->mu);
}

static bool major_allowed(const struct api_server *srv, uint32_t major)
{
    for (const char *p = srv->cfg.sp1_versions; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9' && (uint32_t)(*p - '0') == major &&
            (p[1] < '0' || p[1] > '9')) {
            return true;
        }
    }
    return false;
}

/* Maps a failed vk/validation child to the answer. */
static void vk_failure(struct api_submit_result *r,
                       const struct api_exec_result *res)
{
    char msg[320];
    switch (res->outcome) {
    case API_EXEC_UNSUPPORTED:
        (void)snprintf(msg, sizeof(msg), "%s", res->reason);
        set_err(r, 422, "unsupported_sp1_version", msg);
        break;
    case API_EXEC_BAD_ELF:
        (void)snprintf(msg, sizeof(msg), "invalid ELF: %s", res->reason);
        set_err(r, 422, "invalid_elf", msg);
        break;
    case API_EXEC_MEMORY_LIMIT:
        (void)snprintf(msg, sizeof(msg),
                       "program setup exceeded the memory limit: %s",
                       res->reason);
        set_err(r, 422, "invalid_elf", msg);
        break;
    default:
        (void)snprintf(msg, sizeof(msg), "program setup failed: %s",
                       res->reason);
        set_err(r, 500, "internal", msg);
        break;
    }
}

/* Runs the executor child in vk mode on a new ELF, under a vk-slot. true
 * with *res filled (outcome OK; the caller cleans it up), else false with
 * r's error set. */
static bool vk_child(struct api_server *srv, struct api_submit_result *r,
                     const uint8_t *elf, size_t elf_len, unsigned force_major,
                     struct api_exec_result *res)
{
    char detail[200];
    struct api_exec_request req;
    enum api_spawn_status sp;

    if (!vk_slot_take(srv)) {
        set_err(r, 429, "busy",
                "too many new programs waiting for validation; retry "
                "shortly");
        return false;
    }
    memset(&req, 0, sizeof(req));
    req.mode = API_EXEC_MODE_VK;
    req.force_major = force_major;
    req.elf = elf;
    req.elf_len = elf_len;
    sp = api_exec_spawn(srv, res, detail, sizeof(detail), &req,
                        srv->cfg.vk_timeout_s);
    vk_slot_give(srv);
    if (sp == API_SPAWN_ERROR || sp == API_SPAWN_STOPPED) {
        set_err(r, 503, "unavailable", detail);
        return false;
    }
    if (sp != API_SPAWN_OK) {
        char msg[300];
        (void)snprintf(msg, sizeof(msg), "invalid ELF: setup failed: %s",
                       detail);
        set_err(r, 422, "invalid_elf", msg);
        return false;
    }
    if (res->outcome != API_EXEC_OK) {
        vk_failure(r, res);
        api_exec_result_cleanup(res);
        return false;
    }
    return true;
}

void api_program_ensure(struct api_server *srv, struct store *st,
                        struct api_submit_result *r, const uint8_t *elf,
                        size_t elf_len, unsigned force_major)
{
    struct zk_hash32 h;
    char sha[STORE_SHA256_SIZE];
    struct api_exec_result res;
    enum zk_err err;

    r->http_status = 500;
    if (elf_len == 0) {
        set_err(r, 422, "invalid_elf", "empty ELF");
        return;
    }
    if (elf_len > srv->cfg.max_elf) {
        set_err(r, 413, "too_large", "ELF larger than the configured max-elf");
        return;
    }
    if (crypto_sha256(&h, elf, elf_len) != ZK_OK ||
        zk_hex_encode(sha, sizeof(sha), h.b, 32, false) != ZK_OK) {
        set_err(r, 500, "internal", "sha256 failed");
        return;
    }
    err = store_program_get(st, &r->program, sha);
    if (err == ZK_OK && r->program.has_vk) {
        if (force_major != 0 && (unsigned)r->program.sp1_major != force_major) {
            char msg[160];
            (void)snprintf(
                msg, sizeof(msg),
                "this ELF is already stored as SP1 v%d; it cannot be "
                "forced to v%u",
                r->program.sp1_major, force_major);
            set_err(r, 422, "unsupported_sp1_version", msg);
            return;
        }
        r->http_status = 200;
        return;
    }
    if (err && err != ZK_ENOTFOUND) {
        set_err(r, 503, "unavailable", "database unavailable");
        return;
    }
    if (!vk_child(srv, r, elf, elf_len, force_major, &res)) {
        return;
    }
    atomic_fetch_add(&srv->metrics.vk_computed, 1);
    if (!major_allowed(srv, res.sp1_major)) {
        char msg[200];
        (void)snprintf(
            msg, sizeof(msg),
            "SP1 %s%s ELFs are not accepted by this prover (accepted "
            "majors: %s)",
            res.version[0] == 'v' ? "" : "v", res.version,
            srv->cfg.sp1_versions);
        set_err(r, 422, "unsupported_sp1_version", msg);
        api_exec_result_cleanup(&res);
        return;
    }
    err = store_program_put(st, NULL, sha, elf, elf_len, res.version,
                            (int)res.sp1_major);
    if (!err) {
        err = store_program_set_vk(st, sha, res.vk, res.vkey);
    }
    if (!err) {
        err = store_program_get(st, &r->program, sha);
    }
    api_exec_result_cleanup(&res);
    if (err) {
        set_err(r, err == ZK_EBUSY ? 503 : 500, "unavailable",
                "could not store the program");
        return;
    }
    zk_info("api: program %s stored (SP1 %s, vkey %s)", sha,
            r->program.sp1_version, r->program.vkey);
    r->http_status = 201;
}

void api_job_submit(struct api_server *srv, struct store *st,
                    struct api_submit_result *r, const char *program_sha256,
                    const struct api_stdin *in, uint64_t cycle_limit,
                    const char *api_name)
{
    uint8_t rnd[16];
    char hex[33];
    struct zk_hash32 h;
    char sha[STORE_SHA256_SIZE];
    struct store_job_new j;
    enum zk_err err;

    if (cycle_limit == 0 || cycle_limit > srv->cfg.cycle_limit) {
        cycle_limit = srv->cfg.cycle_limit;
    }
    if (in->total > srv->cfg.max_stdin) {
        set_err(r, 413, "too_large", "stdin larger than the configured limit");
        return;
    }
    if (crypto_random_bytes(rnd, sizeof(rnd)) != ZK_OK ||
        zk_hex_encode(hex, sizeof(hex), rnd, sizeof(rnd), false) != ZK_OK ||
        crypto_sha256(&h, in->enc.data, in->enc.len) != ZK_OK ||
        zk_hex_encode(sha, sizeof(sha), h.b, 32, false) != ZK_OK) {
        set_err(r, 500, "internal", "id generation failed");
        return;
    }
    /* fits: instance <= 16 chars (config.c validate) + '_' + 32 hex */
    _Static_assert(STORE_ID_SIZE >= 16 + 1 + sizeof(hex), "proof id fits");
    (void)snprintf(r->id, sizeof(r->id), "%s_%s", srv->cfg.instance, hex);
    memset(&j, 0, sizeof(j));
    j.id = r->id;
    j.program_sha256 = program_sha256;
    j.stdin_data = in->enc.data;
    j.stdin_len = in->enc.len;
    j.stdin_sha256 = sha;
    j.cycle_limit = cycle_limit;
    j.api = api_name;
    err = store_job_insert(st, &j, srv->cfg.queue_max);
    if (err == ZK_EBUSY) {
        atomic_fetch_add(&srv->metrics.jobs_rejected_busy, 1);
        set_err(r, 429, "queue_full", "the job queue is full; retry later");
        return;
    }
    if (err == ZK_ENOTFOUND) {
        set_err(r, 404, "not_found", "unknown program");
        return;
    }
    if (err) {
        set_err(r, 503, "unavailable", "could not store the job");
        return;
    }
    atomic_fetch_add(&srv->metrics.jobs_submitted, 1);
    r->http_status = 202;
    api_notify_queue(srv);
}
