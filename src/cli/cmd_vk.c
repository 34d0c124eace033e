/*
 * cmd_vk.c - `sp1-tee vk ELF [--sp1-version 3|4|5] [--json] [--threads N]
 * [--no-fixed-shapes]`: the SP1 verifying-key digest of a guest ELF in its
 * three forms (bytes32 programVKey, hash_u32, hash_bytes), with the detected
 * SP1 version, pc_start and the preprocessed trace heights.
 * Exit status: 0 ok, 1 failure (bad ELF, unsupported version), 2 usage.
 */
#include <config.h>
#include <stdio.h>

#include "cli/cli.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/cli_util.h"
#include "vk/vk.h"
#include "zkvm/program.h"

static void usage(FILE *f)
{
    fprintf(
        f,
        "usage: sp1-tee vk [--json] [--sp1-version auto|3|4|5] [--threads N]\n"
        "                  [--no-fixed-shapes] ELF\n"
        "  Computes the SP1 verifying-key digest of a guest ELF, as\n"
        "  ProverClient::setup(elf) + vk.bytes32()/hash_bytes() would.\n"
        "  --sp1-version      use this SP1 major instead of detecting it\n"
        "  --threads N        worker threads (default: online CPUs)\n"
        "  --no-fixed-shapes  the vk with FIX_CORE_SHAPES=false (the SDK\n"
        "                     default is fixed shapes)\n"
        "  --json             machine-readable output\n");
}

static void print_text(const struct vk_result *r)
{
    printf("%-13s %s\n", "sp1_version", r->version.text);
    printf("%-13s %s\n", "vkey_bytes32", r->bytes32);
    printf("%-13s", "hash_u32");
    for (int i = 0; i < 8; i++) {
        printf(" %u", r->hash_u32[i]);
    }
    printf("\n%-13s ", "hash_bytes");
    cli_print_hex(stdout, r->hash_bytes, 32);
    printf("\n%-13s 0x%08x\n", "pc_start", r->pc_start);
    printf("%-13s %zu\n%-13s %zu\n", "instructions", r->n_insns, "memory_words",
           r->n_image);
    for (size_t c = 0; c < r->n_chips; c++) {
        printf("%-13s %s 2^%u rows x %zu columns\n", c == 0 ? "chips" : "",
               r->chips[c].name, r->chips[c].log_height, r->chips[c].width);
    }
}

static bool print_json(const struct vk_result *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *u = cJSON_AddArrayToObject(o, "hash_u32");
    cJSON *chips = cJSON_AddArrayToObject(o, "chips");
    char *hb = cli_hex_dup(r->hash_bytes, 32);
    char pc[16];
    bool ok = false;
    if (o == NULL || u == NULL || chips == NULL || hb == NULL) {
        goto out;
    }
    cJSON_AddStringToObject(o, "sp1_version", r->version.text);
    cJSON_AddBoolToObject(o, "version_detected", r->version.is_detected);
    cJSON_AddStringToObject(o, "bytes32", r->bytes32);
    for (int i = 0; i < 8; i++) {
        cJSON_AddItemToArray(u, cJSON_CreateNumber(r->hash_u32[i]));
    }
    cJSON_AddStringToObject(o, "hash_bytes", hb);
    (void)snprintf(pc, sizeof(pc), "0x%08x", r->pc_start); /* fits */
    cJSON_AddStringToObject(o, "pc_start", pc);
    cJSON_AddNumberToObject(o, "instructions", (double)r->n_insns);
    cJSON_AddNumberToObject(o, "memory_words", (double)r->n_image);
    for (size_t c = 0; c < r->n_chips; c++) {
        cJSON *ch = cJSON_CreateObject();
        if (ch == NULL) {
            goto out;
        }
        cJSON_AddStringToObject(ch, "name", r->chips[c].name);
        cJSON_AddNumberToObject(ch, "log2_height", r->chips[c].log_height);
        cJSON_AddNumberToObject(ch, "height",
                                (double)((size_t)1 << r->chips[c].log_height));
        cJSON_AddNumberToObject(ch, "width", (double)r->chips[c].width);
        cJSON_AddItemToArray(chips, ch);
    }
    char *s = cJSON_Print(o);
    if (s != NULL) {
        printf("%s\n", s);
        cJSON_free(s);
        ok = true;
    }
out:
    zk_free(hb);
    cJSON_Delete(o);
    return ok;
}

/* "auto", "3".."5" or "v5.0.0"-style: false on anything else. */
static bool parse_sp1_version(const char *v, enum zkvm_sp1_major *out)
{
    if (v[0] == 'v') {
        v++;
    }
    if (strcmp(v, "auto") == 0) {
        *out = ZKVM_SP1_AUTO;
    } else if (v[0] >= '3' && v[0] <= '5' && (v[1] == '\0' || v[1] == '.')) {
        *out = (enum zkvm_sp1_major)(v[0] - '0');
    } else {
        return false;
    }
    return true;
}

int cli_cmd_vk(int argc, char **argv)
{
    const char *path = NULL;
    bool json = false;
    struct vk_options opts = {0, false};
    enum zkvm_sp1_major force = ZKVM_SP1_AUTO;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--no-fixed-shapes") == 0) {
            opts.no_fixed_shapes = true;
        } else if (strcmp(argv[i], "--sp1-version") == 0 && i + 1 < argc) {
            const char *v = argv[++i];
            if (!parse_sp1_version(v, &force)) {
                fprintf(stderr, "sp1-tee vk: bad --sp1-version '%s'\n",
                        v[0] == 'v' ? v + 1 : v);
                return 2;
            }
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *end = NULL;
            unsigned long t = strtoul(argv[++i], &end, 10);
            if (end == NULL || *end != '\0' || t == 0 || t > 64) {
                fprintf(stderr, "sp1-tee vk: bad --threads value\n");
                return 2;
            }
            opts.n_threads = (unsigned)t;
        } else if ((argv[i][0] == '-' && argv[i][1] != '\0') || path != NULL) {
            usage(stderr); /* an unknown option or a second path */
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    struct zk_buf elf;
    struct zkvm_program prog;
    struct vk_result r;
    int rc = 1;
    memset(&prog, 0, sizeof(prog));
    zk_buf_init(&elf, ZK_MAX_ELF_SIZE);
    if (cli_read_file(path, ZK_MAX_ELF_SIZE, &elf) != ZK_OK) {
        goto out;
    }
    enum zk_err err = zkvm_program_load(&prog, elf.data, elf.len, force);
    if (err) {
        fprintf(stderr, "sp1-tee vk: %s: cannot load ELF: %s\n", path,
                zk_strerror(err));
        goto out;
    }
    err = vk_compute_ex(&r, &prog, &opts);
    if (err) {
        fprintf(stderr, "sp1-tee vk: %s: %s (SP1 %s)\n", path,
                err == ZK_EUNSUPPORTED ? "vk not supported for this SP1 version"
                                       : zk_strerror(err),
                prog.version.text);
        goto out;
    }
    if (json) {
        rc = print_json(&r) ? 0 : 1;
    } else {
        print_text(&r);
        rc = 0;
    }
out:
    zkvm_program_cleanup(&prog);
    zk_buf_cleanup(&elf);
    return rc;
}
