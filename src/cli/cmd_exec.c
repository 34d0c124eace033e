/*
 * cmd_exec.c - `sp1-tee exec`: run an SP1 guest ELF locally with the
 * executor and print public values, committed digest, cycles, exit status,
 * SP1 version and syscall counts (text or --json).
 *
 * Exit status: 0 when the guest made HALT(0) with a committed digest equal
 * to sha256(public values), 1 on any other outcome, 2 on usage errors.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/cli.h"
#include "zkvm/program.h"
#include "zkvm/zkvm.h"

static void usage(void)
{
    fprintf(
        stderr,
        "usage: sp1-tee exec ELF [--stdin FILE | --stdin-json FILE | "
        "--stdin-item HEX...]\n"
        "                    [--sp1-version auto|v3|v4|v5] "
        "[--cycle-limit N] [--timeout-ms N] [--json]\n"
        "  --stdin FILE       bincode-encoded SP1Stdin\n"
        "  --stdin-json FILE  SP1Stdin JSON {\"buffer\":[[..]],...}\n"
        "  --stdin-item HEX   one raw stdin item (repeatable)\n"
        "  --cycle-limit N    SP1 cycle limit (default 2^32; 0 = none)\n"
        "  --timeout-ms N     wall-clock budget of the run (default none)\n");
}

static int read_file(const char *path, uint8_t **out, size_t *len, size_t max)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f) {
        fprintf(stderr, "sp1-tee exec: cannot open %s: %s\n", path,
                strerror(errno));
        return -1;
    }
    for (;;) {
        size_t got;
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 65536;
            void *np;
            if (cap >= max) {
                fprintf(stderr, "sp1-tee exec: %s is larger than %zu bytes\n",
                        path, max);
                goto fail;
            }
            np = zk_realloc(buf, nc + 1);
            if (!np) {
                goto fail;
            }
            buf = np;
            cap = nc;
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (ferror(f)) {
        fprintf(stderr, "sp1-tee exec: read error on %s\n", path);
        goto fail;
    }
    (void)fclose(f); /* read-only: nothing is lost on a close error */
    if (!buf) {
        buf = zk_malloc(1);
        if (!buf) {
            return -1;
        }
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
fail:
    fclose(f);
    zk_free(buf);
    return -1;
}

static void print_hex(FILE *o, const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        fprintf(o, "%02x", p[k]);
    }
}

static void print_json_string(FILE *o, const uint8_t *p, size_t n)
{
    fputc('"', o);
    for (size_t k = 0; k < n; k++) {
        uint8_t c = p[k];
        if (c == '"' || c == '\\') {
            fprintf(o, "\\%c", c);
        } else if (c == '\n') {
            fputs("\\n", o);
        } else if (c == '\t') {
            fputs("\\t", o);
        } else if (c < 0x20 || c == 0x7f) {
            fprintf(o, "\\u%04x", c);
        } else {
            fputc(c, o);
        }
    }
    fputc('"', o);
}

static void print_result(const struct zkvm_program *prog,
                         const struct zkvm_result *r, enum zk_err err,
                         bool json)
{
    FILE *o = stdout;
    if (json) {
        fprintf(o, "{\"ok\":%s,\"status\":\"%s\",", err ? "false" : "true",
                zkvm_status_name(r->status));
        fprintf(o, "\"reason\":");
        print_json_string(o, (const uint8_t *)r->reason, strlen(r->reason));
        fprintf(o, ",\"exit_code\":%u,\"halted\":%s,\"cycles\":%llu,",
                r->exit_code, r->halted ? "true" : "false",
                (unsigned long long)r->cycles);
        fprintf(o, "\"pc\":\"0x%08x\",\"sp1_version\":\"%s\",", r->pc,
                prog->version.text);
        fprintf(o, "\"public_values\":\"");
        print_hex(o, r->public_values, r->public_values_len);
        fprintf(o, "\",\"committed_digest\":\"");
        print_hex(o, r->committed_digest, 32);
        fprintf(o, "\",\"digest_matches\":%s,\"deferred_proofs_digest\":\"",
                r->digest_matches ? "true" : "false");
        print_hex(o, r->deferred_digest, 32);
        fprintf(o, "\",\"syscalls\":{");
        for (size_t k = 0; k < r->n_syscalls; k++) {
            fprintf(o, "%s\"%s\":%llu", k ? "," : "", r->syscalls[k].name,
                    (unsigned long long)r->syscalls[k].count);
        }
        fprintf(o, "},\"stdout\":");
        print_json_string(o, r->out_stdout, r->out_stdout_len);
        fprintf(o, ",\"stderr\":");
        print_json_string(o, r->out_stderr, r->out_stderr_len);
        fprintf(o, ",\"stdin_unread\":%zu}\n", r->stdin_unread);
        return;
    }
    fprintf(o, "status:           %s%s%s\n", zkvm_status_name(r->status),
            r->reason[0] ? ": " : "", r->reason);
    fprintf(o, "sp1 version:      %s\n", prog->version.text);
    fprintf(o, "exit code:        %u%s\n", r->exit_code,
            r->halted ? "" : " (no HALT)");
    fprintf(o, "cycles:           %llu\n", (unsigned long long)r->cycles);
    fprintf(o, "public values:    ");
    print_hex(o, r->public_values, r->public_values_len);
    fprintf(o, "\ncommitted digest: ");
    print_hex(o, r->committed_digest, 32);
    fprintf(o, " (%s sha256(public values))\n",
            r->digest_matches ? "==" : "!=");
    fprintf(o, "syscalls:        ");
    for (size_t k = 0; k < r->n_syscalls; k++) {
        fprintf(o, " %s=%llu", r->syscalls[k].name,
                (unsigned long long)r->syscalls[k].count);
    }
    fprintf(o, "\n");
    if (r->out_stdout_len) {
        fprintf(o, "guest stdout:\n%s\n", (const char *)r->out_stdout);
    }
    if (r->out_stderr_len) {
        fprintf(o, "guest stderr:\n%s\n", (const char *)r->out_stderr);
    }
    fprintf(o, "result:           %s\n", err ? "FAILED" : "OK");
}

struct exec_opts {
    const char *elf_path, *stdin_bin, *stdin_json;
    enum zkvm_sp1_major force;
    bool json, have_items;
};

/* --stdin-item HEX (optional 0x): appended to in. 0 ok, 1 out of memory,
 * 2 bad hex or too much stdin (message printed). */
static int add_stdin_item(struct zkvm_stdin *in, const char *arg)
{
    const char *h = arg;
    size_t hl = strlen(h);
    uint8_t *item;
    size_t il;
    int rc = 0;
    if (hl >= 2 && h[0] == '0' && (h[1] == 'x' || h[1] == 'X')) {
        h += 2;
        hl -= 2;
    }
    item = zk_malloc(hl / 2 + 1);
    if (!item) {
        return 1;
    }
    if (zk_hex_decode(item, hl / 2 + 1, &il, h, hl) != ZK_OK ||
        zkvm_stdin_add(in, item, il) != ZK_OK) {
        fprintf(stderr, "sp1-tee exec: bad --stdin-item %s\n", arg);
        rc = 2;
    }
    zk_free(item);
    return rc;
}

/* "auto", "v3"/"3", "v4"/"4", "v5"/"5"; false on anything else. */
static bool parse_version(const char *v, enum zkvm_sp1_major *out)
{
    if (strcmp(v, "auto") == 0) {
        *out = ZKVM_SP1_AUTO;
    } else if (strcmp(v, "v3") == 0 || strcmp(v, "3") == 0) {
        *out = ZKVM_SP1_V3;
    } else if (strcmp(v, "v4") == 0 || strcmp(v, "4") == 0) {
        *out = ZKVM_SP1_V4;
    } else if (strcmp(v, "v5") == 0 || strcmp(v, "5") == 0) {
        *out = ZKVM_SP1_V5;
    } else {
        return false;
    }
    return true;
}

/* A decimal count without sign; false on anything else. */
static bool parse_count(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    *out = strtoull(s, &end, 10);
    return !(errno || *end || s[0] == '-');
}

/* Parses argv into o, in (--stdin-item) and lim. 0 ok, 1 out of memory,
 * 2 usage error (message printed). */
static int parse_args(int argc, char **argv, struct exec_opts *o,
                      struct zkvm_stdin *in, struct zkvm_limits *lim)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        bool more = i + 1 < argc;
        int rc;
        if (strcmp(a, "--json") == 0) {
            o->json = true;
        } else if (strcmp(a, "--stdin") == 0 && more) {
            o->stdin_bin = argv[++i];
        } else if (strcmp(a, "--stdin-json") == 0 && more) {
            o->stdin_json = argv[++i];
        } else if (strcmp(a, "--stdin-item") == 0 && more) {
            rc = add_stdin_item(in, argv[++i]);
            if (rc != 0) {
                return rc;
            }
            o->have_items = true;
        } else if (strcmp(a, "--sp1-version") == 0 && more) {
            if (!parse_version(argv[++i], &o->force)) {
                usage();
                return 2;
            }
        } else if (strcmp(a, "--cycle-limit") == 0 && more) {
            if (!parse_count(argv[++i], &lim->cycle_limit)) {
                usage();
                return 2;
            }
        } else if (strcmp(a, "--timeout-ms") == 0 && more) {
            if (!parse_count(argv[++i], &lim->max_wall_ms)) {
                usage();
                return 2;
            }
        } else if (a[0] != '-' && !o->elf_path) {
            o->elf_path = a;
        } else {
            usage();
            return 2;
        }
    }
    if (!o->elf_path ||
        (!!o->stdin_bin + !!o->stdin_json + o->have_items) > 1) {
        usage();
        return 2;
    }
    return 0;
}

int cli_cmd_exec(int argc, char **argv)
{
    struct exec_opts o = {NULL, NULL, NULL, ZKVM_SP1_AUTO, false, false};
    struct zkvm_limits lim;
    struct zkvm_stdin in;
    struct zkvm_program prog;
    struct zkvm_result res;
    uint8_t *elf = NULL, *buf = NULL;
    size_t elf_len = 0, len = 0;
    int rc;
    enum zk_err err;

    zkvm_limits_default(&lim);
    lim.cycle_limit = ZK_DEFAULT_CYCLE_LIMIT; /* --cycle-limit 0: none */
    zkvm_stdin_init(&in);
    memset(&prog, 0, sizeof(prog));
    memset(&res, 0, sizeof(res));

    rc = parse_args(argc, argv, &o, &in, &lim);
    if (rc != 0) {
        goto out;
    }
    rc = 1;
    const char *elf_path = o.elf_path, *stdin_bin = o.stdin_bin;
    const char *stdin_json = o.stdin_json;
    if (read_file(elf_path, &elf, &elf_len, ZK_MAX_ELF_SIZE)) {
        goto out;
    }
    if (stdin_bin || stdin_json) {
        if (read_file(stdin_bin ? stdin_bin : stdin_json, &buf, &len,
                      stdin_bin ? ZK_MAX_STDIN_SIZE + 4096
                                : ZK_MAX_REQUEST_BODY)) {
            goto out;
        }
        err = stdin_bin ? zkvm_stdin_parse_bincode(&in, buf, len)
                        : zkvm_stdin_parse_json(&in, (const char *)buf, len);
        if (err) {
            fprintf(stderr, "sp1-tee exec: bad stdin file: %s\n",
                    zk_strerror(err));
            goto out;
        }
    }
    err = zkvm_program_load(&prog, elf, elf_len, o.force);
    if (err) {
        fprintf(stderr, "sp1-tee exec: cannot load %s: %s\n", elf_path,
                zk_strerror(err));
        goto out;
    }
    err = zkvm_execute(&prog, &in, &lim, &res);
    print_result(&prog, &res, err, o.json);
    rc = err ? 1 : 0;
out:
    zkvm_result_cleanup(&res);
    zkvm_program_cleanup(&prog);
    zkvm_stdin_cleanup(&in);
    zk_free(elf);
    zk_free(buf);
    return rc;
}
