/*
 * client.c - option parsing, request bodies and response decoding for the
 * client commands (submit, wait, proof, history); see client.h. No I/O
 * here except usage text, so all of it is unit-tested.
 */
#include <config.h>
#include <stdio.h>

#include "cli/client.h"

#include <cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/hex.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"

/* ---- options ---- */

static const char *const usages[] = {
    [CLI_SUBMIT] =
        "usage: sp1-tee submit --url URL [--stdin-json FILE] [--wait] "
        "[--timeout S]\n"
        "                      [--compat] [--json] [--cycle-limit N] "
        "[--cacert PEM]\n"
        "                      [--insecure] (ELF | --program SHA256)\n"
        "  Uploads an SP1 ELF (and its stdin) for a TEE proof; prints the "
        "proof id,\n"
        "  or with --wait the finished proof.\n"
        "  --stdin-json FILE  SP1Stdin as {\"buffer\":[[..],..]} or an "
        "array of items\n"
        "                     (arrays of bytes or \"0x\" hex strings)\n"
        "  --compat           use the reference API (/request_proof, "
        "/wait_proof)\n"
        "  --program SHA256   use a program uploaded before (sp1-tee "
        "upload) instead of ELF\n"
        "  --cycle-limit N    lower cycle limit for this job\n",
    [CLI_WAIT] = "usage: sp1-tee wait --url URL [--timeout S] [--compat] "
                 "[--json] [--cacert PEM]\n"
                 "                    [--insecure] ID\n"
                 "  Waits (long-polls) until the proof is done or failed and "
                 "prints it.\n"
                 "  Exit 0 done, 1 failed / timeout / error.\n",
    [CLI_PROOF] = "usage: sp1-tee proof --url URL [--json] [--cacert PEM] "
                  "[--insecure] ID\n"
                  "  Fetches one proof record once (no waiting).\n",
    [CLI_HISTORY] =
        "usage: sp1-tee history --url URL [--vkey V] [--program SHA256] "
        "[--status S]\n"
        "                       [--signer ADDR] [--since T] [--until T] "
        "[--limit N]\n"
        "                       [--cursor C] [--all] [--json] [--cacert "
        "PEM] [--insecure]\n"
        "  Lists proofs, newest first, with the service's filters; --all "
        "follows\n"
        "  the pagination cursor to the end.\n",
    [CLI_UPLOAD] = "usage: sp1-tee upload --url URL [--json] [--cacert PEM] "
                   "[--insecure] ELF\n"
                   "  Uploads a program once (POST /v1/programs); prints its "
                   "sha256, SP1 version\n"
                   "  and vkey. Submit it later with `submit --program "
                   "SHA256`.\n",
    [CLI_SIGNER] =
        "usage: sp1-tee signer --url URL [--quote] [--json] [--cacert PEM] "
        "[--insecure]\n"
        "  Shows the prover's current signing key and its registration.\n"
        "  --quote  also fetch the TDX quote, decode it and check that it "
        "binds the\n"
        "           signer: REPORTDATA = 12 zero bytes || address || "
        "keccak256(abi.encode(\n"
        "           ref block number, ref block hash, address)). Exit 1 on a "
        "mismatch.\n",
};

static bool take_value(int argc, char **argv, int *i, const char *name,
                       const char **out)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') {
        *out = argv[*i] + n + 1;
        return true;
    }
    if (strcmp(argv[*i], name) != 0) {
        return false;
    }
    if (*i + 1 >= argc) {
        *out = NULL;
        return true;
    }
    *out = argv[++*i];
    return true;
}

static bool parse_long(const char *s, long min, long max, long *out)
{
    char *end = NULL;
    if (s == NULL || *s == '\0') {
        return false;
    }
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) {
        return false;
    }
    *out = v;
    return true;
}

#define CMD_BIT(c) (1u << (c))
#define ALL_CMDS   0xffu

/* The options without a value: true (and the flag set) when a is one that
 * cmd takes. */
static bool take_flag(enum cli_client_cmd cmd, const char *a,
                      struct cli_client_opts *o)
{
    const struct {
        const char *name, *alias;
        unsigned cmds;
        bool *flag;
    } flags[] = {
        {"--insecure", "-k", ALL_CMDS, &o->insecure},
        {"--json", NULL, ALL_CMDS, &o->json},
        {"--compat", NULL, CMD_BIT(CLI_SUBMIT) | CMD_BIT(CLI_WAIT), &o->compat},
        {"--wait", NULL, CMD_BIT(CLI_SUBMIT), &o->wait},
        {"--all", NULL, CMD_BIT(CLI_HISTORY), &o->all},
        {"--quote", NULL, CMD_BIT(CLI_SIGNER), &o->quote},
    };
    for (size_t k = 0; k < ZK_ARRAY_LEN(flags); k++) {
        if ((flags[k].cmds & CMD_BIT(cmd)) &&
            (strcmp(a, flags[k].name) == 0 ||
             (flags[k].alias != NULL && strcmp(a, flags[k].alias) == 0))) {
            *flags[k].flag = true;
            return true;
        }
    }
    return false;
}

/* The numeric options: 1 taken, 0 argv[*i] is none of them, -1 a bad
 * value (message printed). */
static int take_number(enum cli_client_cmd cmd, int argc, char **argv, int *i,
                       const char *name, struct cli_client_opts *o)
{
    const char *v = NULL;
    long lim = 0;
    if (cmd == CLI_SUBMIT && take_value(argc, argv, i, "--cycle-limit", &v)) {
        if (!parse_long(v, 1, LONG_MAX, &lim)) {
            fprintf(stderr, "sp1-tee %s: bad --cycle-limit\n", name);
            return -1;
        }
        o->cycle_limit = (unsigned long long)lim;
        return 1;
    }
    if ((cmd == CLI_SUBMIT || cmd == CLI_WAIT) &&
        take_value(argc, argv, i, "--timeout", &v)) {
        if (!parse_long(v, 1, 86400 * 7, &o->timeout_s)) {
            fprintf(stderr, "sp1-tee %s: bad --timeout\n", name);
            return -1;
        }
        return 1;
    }
    if (cmd == CLI_HISTORY && take_value(argc, argv, i, "--limit", &v)) {
        if (!parse_long(v, 1, 100000, &o->limit)) {
            fprintf(stderr, "sp1-tee %s: bad --limit\n", name);
            return -1;
        }
        return 1;
    }
    return 0;
}

/* The string options: true when argv[*i] is one that cmd takes; *slot =
 * where its value goes, *v = the value (NULL when missing). */
static bool take_string(enum cli_client_cmd cmd, int argc, char **argv, int *i,
                        struct cli_client_opts *o, const char ***slot,
                        const char **v)
{
    const unsigned hist = CMD_BIT(CLI_HISTORY);
    const struct {
        const char *name;
        unsigned cmds;
        const char **slot;
    } opts[] = {
        {"--url", ALL_CMDS, &o->url},
        {"--cacert", ALL_CMDS, &o->cacert},
        {"--stdin-json", CMD_BIT(CLI_SUBMIT), &o->stdin_json},
        {"--program", hist | CMD_BIT(CLI_SUBMIT), &o->program},
        {"--vkey", hist, &o->vkey},
        {"--status", hist, &o->status},
        {"--signer", hist, &o->signer},
        {"--since", hist, &o->since},
        {"--until", hist, &o->until},
        {"--cursor", hist, &o->cursor},
    };
    for (size_t k = 0; k < ZK_ARRAY_LEN(opts); k++) {
        if ((opts[k].cmds & CMD_BIT(cmd)) &&
            take_value(argc, argv, i, opts[k].name, v)) {
            *slot = opts[k].slot;
            return true;
        }
    }
    return false;
}

/* The checks across options once all are read; false after a message. */
static bool options_complete(enum cli_client_cmd cmd, const char *name,
                             const struct cli_client_opts *o)
{
    if (o->url == NULL) {
        fprintf(stderr, "sp1-tee %s: --url is required\n", name);
        return false;
    }
    if (cmd == CLI_SUBMIT && (o->elf == NULL) == (o->program == NULL)) {
        fprintf(stderr,
                "sp1-tee %s: give an ELF or --program SHA256 (one "
                "of them)\n",
                name);
        return false;
    }
    if (cmd == CLI_SUBMIT && o->compat && o->program != NULL) {
        fprintf(stderr,
                "sp1-tee %s: --program needs the v1 API, not "
                "--compat\n",
                name);
        return false;
    }
    if ((cmd == CLI_UPLOAD && o->elf == NULL) ||
        ((cmd == CLI_WAIT || cmd == CLI_PROOF) && o->id == NULL)) {
        fprintf(stderr, "sp1-tee %s: missing %s\n", name,
                cmd == CLI_UPLOAD ? "ELF" : "ID");
        return false;
    }
    return true;
}

int cli_client_parse(enum cli_client_cmd cmd, int argc, char **argv,
                     struct cli_client_opts *o)
{
    const char *name = argc > 0 ? argv[0] : "?";

    memset(o, 0, sizeof(*o));
    o->timeout_s = 600;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = NULL;
        const char *v = NULL;
        int num;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            fputs(usages[cmd], stdout);
            return 1;
        }
        if (take_flag(cmd, a, o)) {
            continue;
        }
        num = take_number(cmd, argc, argv, &i, name, o);
        if (num != 0) {
            if (num < 0) {
                return 2;
            }
            continue;
        }
        if (take_string(cmd, argc, argv, &i, o, &slot, &v)) {
            if (v == NULL || *v == '\0') {
                fprintf(stderr, "sp1-tee %s: %s needs a value\n", name, a);
                goto usage;
            }
            *slot = v;
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "sp1-tee %s: unknown option %s\n", name, a);
            goto usage;
        } else if ((cmd == CLI_SUBMIT || cmd == CLI_UPLOAD) && o->elf == NULL) {
            o->elf = a;
        } else if ((cmd == CLI_WAIT || cmd == CLI_PROOF) && o->id == NULL) {
            o->id = a;
        } else {
            fprintf(stderr, "sp1-tee %s: unexpected argument %s\n", name, a);
            goto usage;
        }
    }
    if (options_complete(cmd, name, o)) {
        return 0;
    }
usage:
    fputs(usages[cmd], stderr);
    return 2;
}

/* ---- byte fields: "0x.." or [n, n, ...] ---- */

static enum zk_err bytes_from_json(const cJSON *j, struct zk_buf *out)
{
    zk_buf_reset(out);
    if (cJSON_IsString(j)) {
        const char *s = j->valuestring;
        size_t slen = strlen(s);
        size_t n = 0;
        uint8_t *tmp = zk_malloc(slen / 2 + 1);
        if (tmp == NULL) {
            return ZK_ENOMEM;
        }
        enum zk_err err = zk_hex_decode(tmp, slen / 2 + 1, &n, s, slen);
        if (!err) {
            err = zk_buf_append(out, tmp, n);
        }
        zk_free(tmp);
        return err;
    }
    if (!cJSON_IsArray(j)) {
        return ZK_EINVAL;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, j)
    {
        if (!cJSON_IsNumber(e) || e->valuedouble < 0 || e->valuedouble > 255 ||
            e->valuedouble != (double)e->valueint) {
            return ZK_EINVAL;
        }
        uint8_t b = (uint8_t)e->valueint;
        enum zk_err err = zk_buf_append(out, &b, 1);
        if (err) {
            return err;
        }
    }
    return ZK_OK;
}

/* Fixed-size byte field; *present false when absent or JSON null. */
static enum zk_err fixed_bytes(const cJSON *obj, const char *name, uint8_t *dst,
                               size_t n, bool *present)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, name);
    struct zk_buf b;
    *present = false;
    if (j == NULL || cJSON_IsNull(j)) {
        return ZK_OK;
    }
    zk_buf_init(&b, 4096);
    enum zk_err err = bytes_from_json(j, &b);
    if (!err && b.len != n) {
        err = ZK_EINVAL;
    }
    if (!err) {
        memcpy(dst, b.data, n);
        *present = true;
    } else {
        zk_error("cli: response field '%s' is not %zu bytes", name, n);
        err = ZK_EINVAL;
    }
    zk_buf_cleanup(&b);
    return err;
}

/* First string-or-number field among names, copied into dst. Returns
 * false when the value was cut to fit size (dst then holds the prefix);
 * callers that reuse the value (a cursor) must refuse a cut one. */
static bool copy_str(const cJSON *obj, const char *const *names, char *dst,
                     size_t size)
{
    int n = 0;
    dst[0] = '\0';
    for (; *names != NULL; names++) {
        const cJSON *j = cJSON_GetObjectItemCaseSensitive(obj, *names);
        if (cJSON_IsString(j)) {
            n = snprintf(dst, size, "%s", j->valuestring);
            break;
        }
        if (cJSON_IsNumber(j)) {
            n = snprintf(dst, size, "%.0f", j->valuedouble);
            break;
        }
    }
    return n >= 0 && (size_t)n < size;
}

/* ---- stdin ---- */

void cli_stdin_cleanup(struct cli_stdin *s)
{
    for (size_t i = 0; s->items != NULL && i < s->n; i++) {
        zk_buf_cleanup(&s->items[i]);
    }
    zk_free(s->items);
    s->items = NULL;
    s->n = 0;
}

enum zk_err cli_stdin_parse(struct cli_stdin *out, const char *json, size_t len)
{
    enum zk_err err = ZK_OK;
    const cJSON *arr;
    size_t total = 0;
    cJSON *root = cJSON_ParseWithLength(json, len);

    out->items = NULL;
    out->n = 0;
    if (root == NULL) {
        zk_error("cli: stdin JSON does not parse");
        return ZK_EINVAL;
    }
    arr = cJSON_IsObject(root)
              ? cJSON_GetObjectItemCaseSensitive(root, "buffer")
              : root;
    if (!cJSON_IsArray(arr)) {
        zk_error("cli: stdin JSON: expected an array or {\"buffer\":[..]}");
        err = ZK_EINVAL;
        goto out;
    }
    size_t n = (size_t)cJSON_GetArraySize(arr);
    if (n > ZK_MAX_STDIN_ITEMS) {
        err = ZK_ELIMIT;
        goto out;
    }
    out->items = zk_calloc(n ? n : 1, sizeof(*out->items));
    if (out->items == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        struct zk_buf *b = &out->items[out->n++];
        zk_buf_init(b, ZK_MAX_STDIN_SIZE);
        err = bytes_from_json(e, b);
        if (err) {
            zk_error("cli: stdin item %zu is not bytes", out->n - 1);
            goto out;
        }
        total += b->len;
        if (total > ZK_MAX_STDIN_SIZE) {
            err = ZK_ELIMIT;
            goto out;
        }
    }
out:
    cJSON_Delete(root);
    if (err) {
        cli_stdin_cleanup(out);
    }
    return err;
}

/* ---- request bodies ---- */

enum zk_err cli_base64_append(struct zk_buf *out, const uint8_t *p, size_t n)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char chunk[4 * 1024];
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16;
        if (i + 1 < n) {
            v |= (uint32_t)p[i + 1] << 8;
        }
        if (i + 2 < n) {
            v |= p[i + 2];
        }
        chunk[k++] = tbl[(v >> 18) & 63];
        chunk[k++] = tbl[(v >> 12) & 63];
        chunk[k++] = (char)(i + 1 < n ? tbl[(v >> 6) & 63] : '=');
        chunk[k++] = (char)(i + 2 < n ? tbl[v & 63] : '=');
        if (k == sizeof(chunk)) {
            enum zk_err err = zk_buf_append(out, chunk, k);
            if (err) {
                return err;
            }
            k = 0;
        }
    }
    return zk_buf_append(out, chunk, k);
}

/* Appends "[1,2,3]" quickly (ELFs are megabytes). */
static enum zk_err append_num_array(struct zk_buf *out, const uint8_t *p,
                                    size_t n)
{
    char chunk[4096];
    size_t k = 0;
    chunk[k++] = '[';
    for (size_t i = 0; i < n; i++) {
        if (k > sizeof(chunk) - 8) {
            enum zk_err err = zk_buf_append(out, chunk, k);
            if (err) {
                return err;
            }
            k = 0;
        }
        if (i > 0) {
            chunk[k++] = ',';
        }
        unsigned v = p[i];
        if (v >= 100) {
            chunk[k++] = (char)('0' + v / 100);
        }
        if (v >= 10) {
            chunk[k++] = (char)('0' + v / 10 % 10);
        }
        chunk[k++] = (char)('0' + v % 10);
    }
    chunk[k++] = ']';
    return zk_buf_append(out, chunk, k);
}

static enum zk_err append_hex(struct zk_buf *out, const uint8_t *p, size_t n)
{
    static const char d[] = "0123456789abcdef";
    char chunk[4096];
    size_t k = 0;
    chunk[k++] = '"';
    chunk[k++] = '0';
    chunk[k++] = 'x';
    for (size_t i = 0; i < n; i++) {
        if (k > sizeof(chunk) - 4) {
            enum zk_err err = zk_buf_append(out, chunk, k);
            if (err) {
                return err;
            }
            k = 0;
        }
        chunk[k++] = d[p[i] >> 4];
        chunk[k++] = d[p[i] & 15];
    }
    chunk[k++] = '"';
    return zk_buf_append(out, chunk, k);
}

enum zk_err cli_build_submit_v1(struct zk_buf *out, const uint8_t *elf,
                                size_t elf_len, const char *program,
                                unsigned long long cycle_limit,
                                const struct cli_stdin *stdin_)
{
    enum zk_err err;
    if (program != NULL) {
        /* a sha256 is hex only: nothing to escape, but make sure */
        for (const char *c = program; *c; c++) {
            if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f') ||
                  (*c >= 'A' && *c <= 'F'))) {
                zk_error("cli: --program must be a hex sha256");
                return ZK_EINVAL;
            }
        }
        err = zk_buf_printf(out, "{\"program\":\"%s", program);
    } else {
        err = zk_buf_append_str(out, "{\"elf\":\"");
        err = err ? err : cli_base64_append(out, elf, elf_len);
    }
    if (!err && cycle_limit > 0) {
        err = zk_buf_printf(out, "\",\"cycle_limit\":%llu,\"stdin\":[",
                            cycle_limit);
    } else {
        err = err ? err : zk_buf_append_str(out, "\",\"stdin\":[");
    }
    for (size_t i = 0; !err && stdin_ != NULL && i < stdin_->n; i++) {
        if (i > 0) {
            err = zk_buf_append_str(out, ",");
        }
        err =
            err ? err
                : append_hex(out, stdin_->items[i].data, stdin_->items[i].len);
    }
    return err ? err : zk_buf_append_str(out, "]}");
}

enum zk_err cli_build_submit_compat(struct zk_buf *out, const uint8_t *elf,
                                    size_t elf_len, const struct cli_stdin *s)
{
    enum zk_err err = zk_buf_append_str(out, "{\"elf\":");
    err = err ? err : append_num_array(out, elf, elf_len);
    err = err ? err : zk_buf_append_str(out, ",\"stdin\":{\"buffer\":[");
    for (size_t i = 0; !err && s != NULL && i < s->n; i++) {
        if (i > 0) {
            err = zk_buf_append_str(out, ",");
        }
        err = err ? err
                  : append_num_array(out, s->items[i].data, s->items[i].len);
    }
    return err ? err
               : zk_buf_append_str(out, "],\"ptr\":0,\"proofs\":[]},"
                                        "\"proof_mode\":\"TEE\"}");
}

/* ---- responses ---- */

void cli_proof_init(struct cli_proof *p)
{
    memset(p, 0, sizeof(*p));
    zk_buf_init(&p->public_values, ZK_MAX_PUBLIC_VALUES);
}

void cli_proof_cleanup(struct cli_proof *p)
{
    zk_buf_cleanup(&p->public_values);
}

static enum cli_proof_state state_of(const char *status, bool has_sig)
{
    static const char *const done[] = {"done",   "succeeded", "success",
                                       "signed", "completed", "proved"};
    static const char *const failed[] = {"failed", "error", "rejected",
                                         "cancelled", "expired"};
    if (status[0] == '\0') {
        return has_sig ? CLI_STATE_DONE : CLI_STATE_PENDING;
    }
    for (size_t i = 0; i < sizeof(done) / sizeof(done[0]); i++) {
        if (strcmp(status, done[i]) == 0) {
            return CLI_STATE_DONE;
        }
    }
    for (size_t i = 0; i < sizeof(failed) / sizeof(failed[0]); i++) {
        if (strcmp(status, failed[i]) == 0) {
            return CLI_STATE_FAILED;
        }
    }
    return CLI_STATE_PENDING;
}

static void decode_error_obj(const cJSON *e, char *code, size_t code_size,
                             char *msg, size_t msg_size)
{
    static const char *const codes[] = {"code", NULL};
    static const char *const msgs[] = {"message", NULL};
    /* display-only text: a long message is cut */
    if (cJSON_IsString(e)) {
        (void)snprintf(msg, msg_size, "%s", e->valuestring);
        return;
    }
    if (cJSON_IsObject(e)) {
        (void)copy_str(e, codes, code, code_size);
        (void)copy_str(e, msgs, msg, msg_size);
    }
}

/* The record itself: top level, or under "proof"/"job"/"data". */
static const cJSON *record_of(const cJSON *root)
{
    static const char *const wraps[] = {"proof", "job", "data"};
    for (size_t i = 0; i < sizeof(wraps) / sizeof(wraps[0]); i++) {
        const cJSON *w = cJSON_GetObjectItemCaseSensitive(root, wraps[i]);
        if (cJSON_IsObject(w)) {
            return w;
        }
    }
    return root;
}

static enum zk_err decode_record(struct cli_proof *out, const cJSON *r)
{
    static const char *const ids[] = {"id", "proof_id", "job_id", NULL};
    static const char *const sts[] = {"status", "state", NULL};
    static const char *const signers[] = {"signer", "signer_address", NULL};
    static const char *const vkeys[] = {"vkey", "program_vkey", NULL};
    enum zk_err err;

    /* the id is sent back in later requests: refuse a cut one */
    if (!copy_str(r, ids, out->id, sizeof(out->id))) {
        zk_error("cli: response field 'id' longer than %zu bytes",
                 sizeof(out->id) - 1);
        return ZK_ELIMIT;
    }
    (void)copy_str(r, sts, out->status, sizeof(out->status)); /* display */
    (void)copy_str(r, vkeys, out->vkey, sizeof(out->vkey));   /* display */
    char signer[64];
    (void)copy_str(r, signers, signer, sizeof(signer)); /* length checked */
    size_t slen = strlen(signer);
    if (slen >= sizeof(out->signer)) {
        zk_error("cli: response field 'signer' is not an address");
        return ZK_EINVAL;
    }
    if (slen > 0) {
        memcpy(out->signer, signer, slen + 1);
        out->has_signer = true;
    }
    err = fixed_bytes(r, "vk", out->vk, 32, &out->has_vk);
    err = err ? err
              : fixed_bytes(r, "signature", out->signature, 65,
                            &out->has_signature);
    err =
        err ? err : fixed_bytes(r, "digest", out->digest, 32, &out->has_digest);
    if (err) {
        return err;
    }
    const cJSON *pv = cJSON_GetObjectItemCaseSensitive(r, "public_values");
    if (pv != NULL && !cJSON_IsNull(pv)) {
        if (bytes_from_json(pv, &out->public_values) != ZK_OK) {
            zk_error("cli: response field 'public_values' is not bytes");
            return ZK_EINVAL;
        }
        out->has_public_values = true;
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(r, "error");
    if (e != NULL && !cJSON_IsNull(e)) {
        decode_error_obj(e, out->error_code, sizeof(out->error_code),
                         out->error_message, sizeof(out->error_message));
    }
    out->state = state_of(out->status, out->has_signature);
    return ZK_OK;
}

enum zk_err cli_proof_decode(struct cli_proof *out, const char *json,
                             size_t len)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    enum zk_err err;
    if (!cJSON_IsObject(root)) {
        zk_error("cli: response is not a JSON object");
        cJSON_Delete(root);
        return ZK_EINVAL;
    }
    err = decode_record(out, record_of(root));
    cJSON_Delete(root);
    return err;
}

bool cli_error_decode(const char *json, size_t len, char *code,
                      size_t code_size, char *message, size_t message_size)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    bool ok = false;
    code[0] = '\0';
    message[0] = '\0';
    const cJSON *e = cJSON_IsObject(root)
                         ? cJSON_GetObjectItemCaseSensitive(root, "error")
                         : NULL;
    if (e != NULL && (cJSON_IsObject(e) || cJSON_IsString(e))) {
        decode_error_obj(e, code, code_size, message, message_size);
        ok = true;
    }
    cJSON_Delete(root);
    return ok;
}

static enum zk_err append_param(struct zk_buf *out, const char *name,
                                const char *value)
{
    static const char hex[] = "0123456789ABCDEF";
    enum zk_err err;
    if (value == NULL) {
        return ZK_OK;
    }
    err = zk_buf_append_str(out, out->len == 0 ? "?" : "&");
    err = err ? err : zk_buf_append_str(out, name);
    err = err ? err : zk_buf_append_str(out, "=");
    for (const char *p = value; !err && *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
            (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
            c == '~') {
            err = zk_buf_append(out, &c, 1);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            err = zk_buf_append(out, esc, 3);
        }
    }
    return err;
}

enum zk_err cli_history_query(struct zk_buf *out,
                              const struct cli_client_opts *o,
                              const char *cursor)
{
    char limit[24];
    enum zk_err err;
    zk_buf_reset(out);
    (void)snprintf(limit, sizeof(limit), "%ld", o->limit); /* fits */
    err = append_param(out, "vkey", o->vkey);
    err = err ? err : append_param(out, "program", o->program);
    err = err ? err : append_param(out, "status", o->status);
    err = err ? err : append_param(out, "signer", o->signer);
    err = err ? err : append_param(out, "since", o->since);
    err = err ? err : append_param(out, "until", o->until);
    err = err ? err : append_param(out, "limit", o->limit > 0 ? limit : NULL);
    err = err ? err : append_param(out, "cursor", cursor);
    if (!err && out->data == NULL) {
        err = zk_buf_append(out, "", 0); /* a valid empty string */
    }
    return err;
}

enum zk_err cli_history_decode(const char *json, size_t len,
                               struct cli_proof **items_out, size_t *n_out,
                               char *next_cursor, size_t cursor_size)
{
    static const char *const lists[] = {"proofs", "items", "data", "jobs"};
    static const char *const cursors[] = {"next_cursor", "next", "cursor",
                                          NULL};
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *arr = NULL;
    struct cli_proof *items = NULL;
    size_t n = 0;
    enum zk_err err = ZK_OK;

    *items_out = NULL;
    *n_out = 0;
    next_cursor[0] = '\0';
    if (cJSON_IsArray(root)) {
        arr = root;
    } else if (cJSON_IsObject(root)) {
        for (size_t i = 0; arr == NULL && i < ZK_ARRAY_LEN(lists); i++) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, lists[i]);
            arr = cJSON_IsArray(a) ? a : NULL;
        }
        if (!copy_str(root, cursors, next_cursor, cursor_size)) {
            /* a cut cursor would ask for another page */
            zk_error("cli: history next_cursor longer than %zu bytes",
                     cursor_size - 1);
            err = ZK_ELIMIT;
            goto out;
        }
    }
    if (arr == NULL) {
        zk_error("cli: history response has no list of proofs");
        err = ZK_EINVAL;
        goto out;
    }
    size_t total = (size_t)cJSON_GetArraySize(arr);
    items = zk_calloc(total ? total : 1, sizeof(*items));
    if (items == NULL) {
        err = ZK_ENOMEM;
        goto out;
    }
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        cli_proof_init(&items[n]);
        n++;
        if (!cJSON_IsObject(e)) {
            err = ZK_EINVAL;
            goto out;
        }
        err = decode_record(&items[n - 1], e);
        if (err) {
            goto out;
        }
    }
out:
    cJSON_Delete(root);
    if (err) {
        cli_history_free(items, n);
        return err;
    }
    *items_out = items;
    *n_out = n;
    return ZK_OK;
}

void cli_history_free(struct cli_proof *items, size_t n)
{
    for (size_t i = 0; items != NULL && i < n; i++) {
        cli_proof_cleanup(&items[i]);
    }
    zk_free(items);
}

enum zk_err cli_program_decode(struct cli_program *out, const char *json,
                               size_t len)
{
    static const char *const sha[] = {"sha256", NULL};
    static const char *const ver[] = {"sp1_version", NULL};
    static const char *const vkey[] = {"vkey", NULL};
    cJSON *root = cJSON_ParseWithLength(json, len);
    const cJSON *r = cJSON_IsObject(root) ? record_of(root) : NULL;
    if (r != NULL) {
        /* display fields: longer values are cut */
        (void)copy_str(r, sha, out->sha256, sizeof(out->sha256));
        (void)copy_str(r, ver, out->sp1_version, sizeof(out->sp1_version));
        (void)copy_str(r, vkey, out->vkey, sizeof(out->vkey));
    }
    cJSON_Delete(root);
    if (r == NULL || out->sha256[0] == '\0') {
        zk_error("cli: response is not a program record");
        return ZK_EINVAL;
    }
    return ZK_OK;
}
