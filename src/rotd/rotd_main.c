/*
 * rotd_main.c - sp1-tee-rotator: the key rotation daemon (composition root:
 * crypto, eth, tdx, store and the libcurl transport).
 *
 *   sp1-tee-rotator --tee tdx|simulated --rpc-url URL [--rpc-url URL2 ...]
 *                   --registry 0xADDR --db PATH
 *                   [--operator-key-file PATH] [--interval 1800] [--once]
 *
 * The operator key (the EOA paying for register()) comes from a 0600 file
 * (--operator-key-file) or the SP1_TEE_OPERATOR_KEY environment variable,
 * never from the command line. Logs go to stderr (journald under systemd).
 * Exit status: 0 success (--once: a key was registered), 1 failure,
 * 2 usage error. SIGTERM/SIGINT stop the daemon between steps.
 */
#include <config.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/mem.h"
#include "crypto/sign.h"
#include "eth/rpc.h"
#include "rotd/http.h"
#include "rotd/rotate.h"
#include "store/store.h"
#include "tdx/tdx.h"

#define ENV_OPERATOR_KEY "SP1_TEE_OPERATOR_KEY"

static volatile int g_stop;

static void on_signal(int sig)
{
    (void)sig;
    g_stop = 1;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: sp1-tee-rotator --tee tdx|simulated --rpc-url URL "
            "[--rpc-url URL ...]\n"
            "         --registry 0xADDR --db PATH [--operator-key-file PATH]\n"
            "         [--interval SECONDS] [--once]\n"
            "options:\n"
            "  --tee MODE              tdx (configfs-tsm) or simulated (dev "
            "only)\n"
            "  --rpc-url URL           JSON-RPC endpoint; repeat for "
            "failover (max %u)\n"
            "  --registry ADDR         SP1TEEProverRegistry address\n"
            "  --db PATH               the prover's SQLite database\n"
            "  --operator-key-file F   hex key of the paying EOA, mode 0600 "
            "(or env %s)\n"
            "  --interval SECONDS      rotation interval (default 1800)\n"
            "  --once                  rotate once now and exit\n"
            "  --tdx-root DIR          configfs-tsm report dir (default %s)\n"
            "  --confirmations N       blocks to wait, incl. the receipt's "
            "(default 1)\n"
            "  --max-attempts N        attempts per rotation (default 3)\n"
            "  --stuck-after SECONDS   replace a pending tx after (default "
            "30)\n"
            "  --attempt-timeout SECONDS  give up an attempt after (default "
            "300)\n"
            "  --poll-ms MS            receipt polling period (default 500)\n"
            "  --safety-margin SECONDS a key this close to expiry is renewed "
            "(default 300)\n"
            "  --rpc-timeout-ms MS     per-request timeout (default 10000)\n"
            "  --max-fee-gwei N        never pay more per gas (default 500)\n",
            ROT_HTTP_MAX_URLS, ENV_OPERATOR_KEY, TDX_CONFIGFS_ROOT);
}

static int parse_num(const char *s, long long min, long long max,
                     long long *out, const char *name)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || !end || *end || end == s || v < min || v > max) {
        fprintf(stderr, "sp1-tee-rotator: bad %s: %s\n", name, s);
        return -1;
    }
    *out = v;
    return 0;
}

static void sleep_s(unsigned s)
{
    for (unsigned i = 0; i < s && !g_stop; i++) {
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
    }
}

enum opt_id {
    OPT_TEE = 256,
    OPT_RPC,
    OPT_REGISTRY,
    OPT_DB,
    OPT_INTERVAL,
    OPT_ONCE,
    OPT_KEYFILE,
    OPT_TDX_ROOT,
    OPT_CONF,
    OPT_ATTEMPTS,
    OPT_STUCK,
    OPT_ATTEMPT_TIMEOUT,
    OPT_POLL,
    OPT_MARGIN,
    OPT_RPC_TIMEOUT,
    OPT_OPERATOR_KEY,
    OPT_MAX_FEE,
    OPT_HELP
};

struct args {
    struct rot_config cfg;
    struct rot_http_opts hopts;
    const char *urls[ROT_HTTP_MAX_URLS];
    const char *db_path, *key_file, *tee;
    bool once, has_registry;
};

/* The numeric options: parse_num's range and the flag's name. */
static const struct {
    int id;
    long long min, max;
    const char *flag;
} num_opts[] = {
    {OPT_INTERVAL, 10, 86400 * 30, "--interval"},
    {OPT_CONF, 1, 1000, "--confirmations"},
    {OPT_ATTEMPTS, 1, 100, "--max-attempts"},
    {OPT_STUCK, 1, 86400, "--stuck-after"},
    {OPT_ATTEMPT_TIMEOUT, 1, 86400, "--attempt-timeout"},
    {OPT_POLL, 10, 60000, "--poll-ms"},
    {OPT_MARGIN, 0, 86400, "--safety-margin"},
    {OPT_RPC_TIMEOUT, 100, 600000, "--rpc-timeout-ms"},
    {OPT_MAX_FEE, 1, 1000000, "--max-fee-gwei"},
};

/* Stores a range-checked value of numeric option id. */
static void set_num(struct args *a, int id, long long v)
{
    switch (id) {
    case OPT_INTERVAL:
        a->cfg.interval_s = v;
        break;
    case OPT_CONF:
        a->cfg.confirmations = (unsigned)v;
        break;
    case OPT_ATTEMPTS:
        a->cfg.max_attempts = (unsigned)v;
        break;
    case OPT_STUCK:
        a->cfg.stuck_after_s = (unsigned)v;
        break;
    case OPT_ATTEMPT_TIMEOUT:
        a->cfg.attempt_timeout_s = (unsigned)v;
        break;
    case OPT_POLL:
        a->cfg.poll_ms = (unsigned)v;
        break;
    case OPT_MARGIN:
        a->cfg.safety_margin_s = v;
        break;
    case OPT_RPC_TIMEOUT:
        a->hopts.timeout_ms = (long)v;
        break;
    case OPT_MAX_FEE:
        a->cfg.max_fee_wei = (uint64_t)v * 1000000000ull;
        break;
    default:
        break;
    }
}

/* Option c with argument arg: 1 when numeric and stored, 0 when not a
 * numeric option, -1 (after parse_num's message) for a bad value. */
static int num_option(struct args *a, int c, const char *arg)
{
    for (size_t i = 0; i < sizeof(num_opts) / sizeof(num_opts[0]); i++) {
        if (num_opts[i].id == c) {
            long long v = 0;
            if (parse_num(arg, num_opts[i].min, num_opts[i].max, &v,
                          num_opts[i].flag)) {
                return -1;
            }
            set_num(a, c, v);
            return 1;
        }
    }
    return 0;
}

/* Parses argv into *a. Returns -1 to go on, else the exit status. */
static int parse_args(struct args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"tee", required_argument, NULL, OPT_TEE},
        {"rpc-url", required_argument, NULL, OPT_RPC},
        {"registry", required_argument, NULL, OPT_REGISTRY},
        {"db", required_argument, NULL, OPT_DB},
        {"interval", required_argument, NULL, OPT_INTERVAL},
        {"once", no_argument, NULL, OPT_ONCE},
        {"operator-key-file", required_argument, NULL, OPT_KEYFILE},
        {"tdx-root", required_argument, NULL, OPT_TDX_ROOT},
        {"confirmations", required_argument, NULL, OPT_CONF},
        {"max-attempts", required_argument, NULL, OPT_ATTEMPTS},
        {"stuck-after", required_argument, NULL, OPT_STUCK},
        {"attempt-timeout", required_argument, NULL, OPT_ATTEMPT_TIMEOUT},
        {"poll-ms", required_argument, NULL, OPT_POLL},
        {"safety-margin", required_argument, NULL, OPT_MARGIN},
        {"rpc-timeout-ms", required_argument, NULL, OPT_RPC_TIMEOUT},
        {"operator-key", required_argument, NULL, OPT_OPERATOR_KEY},
        {"max-fee-gwei", required_argument, NULL, OPT_MAX_FEE},
        {"help", no_argument, NULL, OPT_HELP},
        {NULL, 0, NULL, 0},
    };
    struct crypto_addr reg_addr;
    int c;

    memset(a, 0, sizeof(*a));
    rot_config_default(&a->cfg);
    for (;;) {
        c = getopt_long(argc, argv, "", opts, NULL);
        if (c == -1) {
            break;
        }
        int num = num_option(a, c, optarg);
        if (num < 0) {
            return 2;
        }
        if (num > 0) {
            continue;
        }
        switch (c) {
        case OPT_TEE:
            a->tee = optarg;
            break;
        case OPT_RPC:
            if (a->hopts.n_urls >= ROT_HTTP_MAX_URLS) {
                fprintf(stderr, "sp1-tee-rotator: at most %u --rpc-url\n",
                        ROT_HTTP_MAX_URLS);
                return 2;
            }
            a->urls[a->hopts.n_urls++] = optarg;
            break;
        case OPT_REGISTRY:
            if (crypto_addr_from_hex(&reg_addr, optarg) != ZK_OK) {
                fprintf(stderr, "sp1-tee-rotator: bad --registry address\n");
                return 2;
            }
            memcpy(a->cfg.registry, reg_addr.b, 20);
            a->has_registry = true;
            break;
        case OPT_DB:
            a->db_path = optarg;
            break;
        case OPT_ONCE:
            a->once = true;
            break;
        case OPT_KEYFILE:
            a->key_file = optarg;
            break;
        case OPT_TDX_ROOT:
            a->cfg.tdx_root = optarg;
            break;
        case OPT_OPERATOR_KEY:
            fprintf(stderr,
                    "sp1-tee-rotator: the operator key is never "
                    "accepted on the command line (it would show in "
                    "ps); use --operator-key-file or " ENV_OPERATOR_KEY "\n");
            return 2;
        case OPT_HELP:
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind != argc || !a->tee || a->hopts.n_urls == 0 || !a->has_registry ||
        !a->db_path) {
        usage(stderr);
        return 2;
    }
    if (strcmp(a->tee, "tdx") == 0) {
        a->cfg.tee = TDX_MODE_CONFIGFS;
    } else if (strcmp(a->tee, "simulated") == 0) {
        a->cfg.tee = TDX_MODE_SIMULATED;
    } else {
        fprintf(stderr, "sp1-tee-rotator: --tee must be tdx or simulated\n");
        return 2;
    }
    a->hopts.urls = a->urls;
    return -1;
}

/* The daemon loop: check, rotate when due, sleep; until a signal. */
static void run_daemon(struct rot_ctx *ctx)
{
    const struct rot_config *cfg = &ctx->cfg;
    enum zk_err err;
    zk_info("rotd: running: interval %lld s, safety margin %lld s",
            (long long)cfg->interval_s, (long long)cfg->safety_margin_s);
    while (!g_stop) {
        bool due = false;
        unsigned wait = 60;
        err = rot_due(ctx, &due);
        if (err) {
            zk_warn("rotd: check: %s", zk_strerror(err));
            wait = 15;
        } else if (due) {
            int64_t id = 0;
            if (rot_rotate(ctx, &id) != ZK_OK) {
                wait = 30; /* no usable key may exist: retry soon */
            }
        }
        if ((int64_t)wait > cfg->interval_s) {
            wait = (unsigned)cfg->interval_s;
        }
        sleep_s(wait);
    }
    zk_info("rotd: stopping on signal");
}

/* SIGTERM/SIGINT stop the daemon loop; SIGPIPE is ignored. */
static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    (void)signal(SIGPIPE, SIG_IGN);
}

/* The operator key from key_file (mode 0600), else from the environment.
 * Returns 0, or -1 after logging why. */
static int load_operator_key(struct crypto_seckey *opkey, const char *key_file)
{
    if (key_file) {
        return rot_operator_key_from_file(opkey, key_file) == ZK_OK ? 0 : -1;
    }
    const char *env = getenv(ENV_OPERATOR_KEY);
    if (!env || crypto_seckey_from_hex(opkey, env) != ZK_OK) {
        zk_error("rotd: operator key: pass --operator-key-file (mode "
                 "0600) or set %s",
                 ENV_OPERATOR_KEY);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    struct args a;
    struct crypto_seckey opkey;
    struct store *db = NULL;
    struct rot_http *http = NULL;
    struct eth_rpc rpc;
    struct rot_ctx ctx;
    bool ctx_ready = false;
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0) {
        return rc;
    }
    rc = 1;
    struct rot_config cfg = a.cfg;
    const bool once = a.once;
    memset(&opkey, 0, sizeof(opkey));
    memset(&ctx, 0, sizeof(ctx));

    install_signals();
    if (crypto_init() != ZK_OK || load_operator_key(&opkey, a.key_file)) {
        goto out;
    }
    if (cfg.tee == TDX_MODE_SIMULATED) {
        zk_warn("rotd: SIMULATED TEE MODE: quotes are fake and only the "
                "MockDcapVerifier of a local chain accepts them; never use "
                "this in production");
    } else if (!tdx_configfs_available(cfg.tdx_root)) {
        zk_error("rotd: tdx: configfs-tsm is not usable here (no TDX guest, "
                 "or not root); use --tee simulated for development");
        goto out;
    }
    if (store_open(&db, a.db_path) != ZK_OK) {
        goto out;
    }
    if (rot_http_new(&http, &a.hopts) != ZK_OK) {
        goto out;
    }
    eth_rpc_init(&rpc, rot_http_transport, http);

    /* The node may not be up yet: keep trying unless --once. */
    for (unsigned backoff = 1;; backoff = backoff < 60 ? backoff * 2 : 60) {
        if (rot_ctx_init(&ctx, &cfg, &rpc, db, &opkey) == ZK_OK) {
            ctx_ready = true;
            break;
        }
        rot_ctx_cleanup(&ctx);
        if (once || g_stop) {
            goto out;
        }
        zk_warn("rotd: init failed; retrying in %u s", backoff);
        sleep_s(backoff);
    }
    crypto_seckey_clear(&opkey);
    ctx.stop = &g_stop;

    enum zk_err err = rot_recover(&ctx);
    if (err) {
        zk_warn("rotd: recover: %s (continuing)", zk_strerror(err));
    }
    if (once) {
        int64_t id = 0;
        rc = rot_rotate(&ctx, &id) == ZK_OK ? 0 : 1;
        goto out;
    }
    run_daemon(&ctx);
    rc = 0;
out:
    if (ctx_ready) {
        rot_ctx_cleanup(&ctx);
    }
    crypto_seckey_clear(&opkey);
    rot_http_free(http);
    store_close(db);
    return rc;
}
