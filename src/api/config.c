/*
 * config.c - sp1-tee-prover settings: built-in defaults, then a config
 * file (--config FILE: "name = value" lines, '#' comments, the same names
 * as the long options), then command-line flags, which win.
 */
#include <config.h>
#include "api/api.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"

#ifndef ZK_LIBEXECDIR
#define ZK_LIBEXECDIR "/usr/local/libexec"
#endif

void api_config_defaults(struct api_config *c)
{
    memset(c, 0, sizeof(*c));
    (void)snprintf(c->db_path, sizeof(c->db_path), "%s",
                   "/var/lib/sp1-tee/prover.db");
    (void)snprintf(c->executor_path, sizeof(c->executor_path), "%s",
                   ZK_LIBEXECDIR "/sp1-tee-executor");
    (void)snprintf(c->instance, sizeof(c->instance), "%s", "p0");
    c->socket_mode = 0660;
    c->workers = 32;
    c->runners = 1;
    c->vk_slots = 1;
    c->queue_max = 256;
    c->max_elf = ZK_MAX_ELF_SIZE;
    c->max_stdin = ZK_MAX_STDIN_SIZE;
    c->max_body = ZK_MAX_REQUEST_BODY;
    c->cycle_limit = ZK_DEFAULT_CYCLE_LIMIT;
    c->mem_limit_mb = 4096;
    c->exec_timeout_s = 600;
    c->vk_timeout_s = 300;
    c->max_attempts = 3;
    c->wait_max_s = 60;
    c->compat_wait_s = 300;
    c->key_margin_s = 120;
    c->list_max = 100;
    (void)snprintf(c->sp1_versions, sizeof(c->sp1_versions), "%s", "3,4,5");
}

enum opt_kind { OPT_STR, OPT_UINT, OPT_SIZE, OPT_U64, OPT_MODE };

struct opt {
    const char *name;
    enum opt_kind kind;
    size_t off;
    size_t size; /* strings: buffer size */
    const char *help;
};

#define O(field) offsetof(struct api_config, field)
#define S(field) sizeof(((struct api_config *)0)->field)
static const struct opt opts[] = {
    {"db", OPT_STR, O(db_path), S(db_path), "SQLite database file"},
    {"listen", OPT_STR, O(listen_path), S(listen_path),
     "create and listen on this unix socket (default: FastCGI socket on "
     "fd 0, as from systemd StandardInput=socket or spawn-fcgi)"},
    {"socket-mode", OPT_MODE, O(socket_mode), 0,
     "octal permissions of the --listen socket (0660)"},
    {"socket-owner", OPT_STR, O(socket_owner), S(socket_owner),
     "owner user of the --listen socket"},
    {"socket-group", OPT_STR, O(socket_group), S(socket_group),
     "group of the --listen socket (e.g. www-data, so nginx can connect)"},
    {"executor", OPT_STR, O(executor_path), S(executor_path),
     "path of the sp1-tee-executor helper"},
    {"instance", OPT_STR, O(instance), S(instance),
     "proof id prefix of this instance ([a-z0-9], routes reads in "
     "scale-out)"},
    {"workers", OPT_UINT, O(workers), 0,
     "FastCGI worker threads (concurrent requests, long polls included)"},
    {"runners", OPT_UINT, O(runners), 0,
     "jobs executed concurrently (0: accept and store only, e.g. for "
     "maintenance or benchmarks)"},
    {"vk-slots", OPT_UINT, O(vk_slots), 0,
     "vk computations for new ELFs run concurrently (beyond: 429)"},
    {"queue-max", OPT_SIZE, O(queue_max), 0,
     "queued + running jobs before submissions get 429"},
    {"max-elf", OPT_SIZE, O(max_elf), 0, "largest ELF accepted (bytes)"},
    {"max-stdin", OPT_SIZE, O(max_stdin), 0,
     "largest total stdin accepted (bytes)"},
    {"max-body", OPT_SIZE, O(max_body), 0,
     "largest request body (bytes; nginx client_max_body_size must match)"},
    {"cycle-limit", OPT_U64, O(cycle_limit), 0,
     "default and maximum guest cycles per job"},
    {"mem-limit-mb", OPT_U64, O(mem_limit_mb), 0,
     "executor child address-space limit (MiB)"},
    {"exec-timeout", OPT_UINT, O(exec_timeout_s), 0,
     "wall-clock seconds per job before the child is killed"},
    {"vk-timeout", OPT_UINT, O(vk_timeout_s), 0,
     "wall-clock seconds per vk computation"},
    {"max-attempts", OPT_UINT, O(max_attempts), 0,
     "a job interrupted by this many prover restarts fails"},
    {"wait-max", OPT_UINT, O(wait_max_s), 0,
     "ceiling of GET /v1/proofs/ID?wait=SECONDS"},
    {"compat-wait", OPT_UINT, O(compat_wait_s), 0,
     "how long POST /wait_proof waits before answering 503"},
    {"key-margin", OPT_UINT, O(key_margin_s), 0,
     "stop signing with a key this many seconds before it expires"},
    {"list-max", OPT_UINT, O(list_max), 0, "history page size ceiling"},
    {"sp1-versions", OPT_STR, O(sp1_versions), S(sp1_versions),
     "SP1 major versions accepted, comma-separated (3,4,5); others get "
     "422"},
};
#undef O
#undef S

static void usage(void)
{
    printf("usage: sp1-tee-prover [--config FILE] [--OPTION VALUE]...\n"
           "\n"
           "SP1 TEE prover: FastCGI application serving the compat and v1 "
           "HTTP APIs\n(behind nginx), storing jobs and proofs in SQLite, "
           "executing guests in\nisolated sp1-tee-executor children and "
           "signing results with the active\nkey of the keys table "
           "(filled by sp1-tee-rotator).\n\n"
           "Every option can also be set in the config file as "
           "\"name = value\".\n\n"
           "  --config FILE          read settings from FILE first\n");
    for (size_t i = 0; i < ZK_ARRAY_LEN(opts); i++) {
        char left[40];
        (void)snprintf(left, sizeof(left), "--%s %s", opts[i].name,
                       opts[i].kind == OPT_STR ? "S" : "N");
        printf("  %-22s %s\n", left, opts[i].help);
    }
    printf("  --log-level L          debug|info|warn|error (env "
           "ZK_LOG_LEVEL)\n"
           "  --help                 this text\n"
           "  --version              print the version\n"
           "\nDevelopment only (never reachable over HTTP):\n"
           "  --dev-insert-key HEX|random  insert an ACTIVE signing key "
           "(tee_mode\n"
           "                         'simulated', no attestation) into "
           "--db, print its id\n"
           "                         and address, and exit\n"
           "  --dev-key-ttl N        lifetime of that key in seconds "
           "(86400)\n"
           "\nSignals: SIGTERM/SIGINT stop accepting, re-queue running "
           "jobs and exit.\n");
}

static enum zk_err parse_u64(uint64_t *out, const char *v, int base)
{
    char *end = NULL;
    errno = 0;
    if (v[0] == '-' || v[0] == '\0') {
        return ZK_EINVAL;
    }
    unsigned long long x = strtoull(v, &end, base);
    if (errno != 0 || end == v || *end != '\0') {
        return ZK_EINVAL;
    }
    *out = x;
    return ZK_OK;
}

static enum zk_err set_opt(struct api_config *c, const char *name,
                           const char *val)
{
    for (size_t i = 0; i < ZK_ARRAY_LEN(opts); i++) {
        const struct opt *o = &opts[i];
        uint8_t *field = (uint8_t *)c + o->off;
        uint64_t x = 0;
        if (strcmp(o->name, name) != 0) {
            continue;
        }
        if (o->kind == OPT_STR) {
            if (strlen(val) >= o->size) {
                fprintf(stderr, "sp1-tee-prover: --%s: value too long\n", name);
                return ZK_EINVAL;
            }
            memcpy(field, val, strlen(val) + 1);
            return ZK_OK;
        }
        if (parse_u64(&x, val, o->kind == OPT_MODE ? 8 : 10)) {
            fprintf(stderr, "sp1-tee-prover: --%s: not a number: %s\n", name,
                    val);
            return ZK_EINVAL;
        }
        switch (o->kind) {
        case OPT_UINT:
        case OPT_MODE:
            if (x > 0xffffffffu) {
                return ZK_EINVAL;
            }
            *(unsigned *)(void *)field = (unsigned)x;
            break;
        case OPT_SIZE:
            *(size_t *)(void *)field = (size_t)x;
            break;
        case OPT_U64:
            *(uint64_t *)(void *)field = x;
            break;
        case OPT_STR:
            break;
        }
        return ZK_OK;
    }
    fprintf(stderr, "sp1-tee-prover: unknown option --%s (see --help)\n", name);
    return ZK_EINVAL;
}

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t') {
        s++;
    }
    e = s + strlen(s);
    while (e > s &&
           (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r')) {
        *--e = '\0';
    }
    return s;
}

static enum zk_err load_file(struct api_config *c, const char *path)
{
    char line[1024];
    int lineno = 0;
    enum zk_err err = ZK_OK;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        fprintf(stderr, "sp1-tee-prover: --config %s: %s\n", path,
                strerror(errno));
        return ZK_EIO;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        char *s = trim(line), *eq;
        lineno++;
        if (*s == '\0' || *s == '#') {
            continue;
        }
        eq = strchr(s, '=');
        if (eq == NULL) {
            fprintf(stderr, "sp1-tee-prover: %s:%d: expected name = value\n",
                    path, lineno);
            err = ZK_EINVAL;
            break;
        }
        *eq = '\0';
        err = set_opt(c, trim(s), trim(eq + 1));
        if (err) {
            fprintf(stderr, "sp1-tee-prover: %s:%d: bad setting\n", path,
                    lineno);
            break;
        }
    }
    (void)fclose(f);
    return err;
}

static enum zk_err validate(const struct api_config *c)
{
    if (c->workers == 0 || c->workers > 1024 || c->runners > 64 ||
        c->vk_slots == 0 || c->queue_max == 0 || c->list_max == 0 ||
        c->max_attempts == 0) {
        fprintf(stderr, "sp1-tee-prover: workers, vk-slots, queue-max, "
                        "list-max and max-attempts must be positive "
                        "(workers <= 1024, runners <= 64)\n");
        return ZK_EINVAL;
    }
    if (c->max_elf > ZK_MAX_ELF_SIZE || c->max_stdin > ZK_MAX_STDIN_SIZE) {
        fprintf(stderr, "sp1-tee-prover: max-elf/max-stdin above the "
                        "compiled ceilings\n");
        return ZK_EINVAL;
    }
    for (const char *p = c->instance; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            fprintf(stderr, "sp1-tee-prover: --instance must be [a-z0-9]\n");
            return ZK_EINVAL;
        }
    }
    if (c->instance[0] == '\0' || strlen(c->instance) > 16) {
        fprintf(stderr, "sp1-tee-prover: --instance: 1 to 16 characters\n");
        return ZK_EINVAL;
    }
    return ZK_OK;
}

enum zk_err api_config_parse(struct api_config *c, struct api_dev_key *dev,
                             bool *exit_now, int argc, char **argv)
{
    enum zk_err err;
    *exit_now = false;
    memset(dev, 0, sizeof(*dev));
    dev->ttl_s = 86400;
    /* The config file first, so that flags override it. */
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--config") == 0 && i + 1 < argc) {
            err = load_file(c, argv[i + 1]);
            if (err) {
                return err;
            }
        } else if (strncmp(argv[i], "--config=", 9) == 0) {
            err = load_file(c, argv[i] + 9);
            if (err) {
                return err;
            }
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *val = NULL;
        char name[64];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage();
            *exit_now = true;
            return ZK_OK;
        }
        if (strcmp(a, "--version") == 0) {
            printf("sp1-tee-prover %s (schema %d)\n", PACKAGE_VERSION,
                   store_schema_version());
            *exit_now = true;
            return ZK_OK;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "sp1-tee-prover: unexpected argument %s\n", a);
            return ZK_EINVAL;
        }
        const char *eq = strchr(a, '=');
        size_t nl = eq != NULL ? (size_t)(eq - a - 2) : strlen(a + 2);
        if (nl >= sizeof(name)) {
            return ZK_EINVAL;
        }
        memcpy(name, a + 2, nl);
        name[nl] = '\0';
        if (eq != NULL) {
            val = eq + 1;
        } else if (i + 1 < argc) {
            val = argv[++i];
        } else {
            fprintf(stderr, "sp1-tee-prover: --%s needs a value\n", name);
            return ZK_EINVAL;
        }
        if (strcmp(name, "config") == 0) {
            continue;
        }
        if (strcmp(name, "log-level") == 0) {
            static const char *lv[] = {"debug", "info", "warn", "error"};
            bool ok = false;
            for (size_t k = 0; k < ZK_ARRAY_LEN(lv); k++) {
                if (strcmp(val, lv[k]) == 0) {
                    zk_log_set_level((enum zk_log_level)k);
                    ok = true;
                }
            }
            if (!ok) {
                fprintf(stderr, "sp1-tee-prover: bad --log-level\n");
                return ZK_EINVAL;
            }
            continue;
        }
        if (strcmp(name, "dev-insert-key") == 0) {
            if (strlen(val) >= sizeof(dev->secret)) {
                return ZK_EINVAL;
            }
            dev->wanted = true;
            (void)snprintf(dev->secret, sizeof(dev->secret), "%s", val);
            continue;
        }
        if (strcmp(name, "dev-key-ttl") == 0) {
            uint64_t t = 0;
            if (parse_u64(&t, val, 10) || t == 0 || t > 100000000) {
                fprintf(stderr, "sp1-tee-prover: bad --dev-key-ttl\n");
                return ZK_EINVAL;
            }
            dev->ttl_s = (unsigned)t;
            continue;
        }
        err = set_opt(c, name, val);
        if (err) {
            return err;
        }
    }
    return validate(c);
}
