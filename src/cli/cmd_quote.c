/*
 * cmd_quote.c - `sp1-tee quote [--json] [--require-tdx] FILE`: decode a
 * DCAP quote (binary or hex text; "-" = stdin) with the tdx parser and
 * print its header, body measurements and signature-section layout.
 * Exit status: 0 decoded, 1 not a (supported) quote, 2 usage.
 */
#include <config.h>
#include <stdio.h>

#include "cli/cli.h"

#include <cJSON.h>
#include <inttypes.h>
#include <string.h>

#include "base/bytes.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "cli/cli_util.h"
#include "crypto/keccak.h"
#include "crypto/sha256.h"
#include "tdx/tdx.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: sp1-tee quote [--json] [--require-tdx] FILE\n"
               "  Decodes a DCAP quote (SGX v3, TDX v4/v5; binary or hex "
               "text, - = stdin).\n"
               "  --json         machine-readable output\n"
               "  --require-tdx  fail (exit 1) unless it is a TDX quote\n");
}

static const char *tee_name(const struct tdx_quote *q)
{
    return q->tee_type == TDX_TEE_TYPE_TDX ? "tdx" : "sgx";
}

static const char *vendor_name(const struct tdx_quote *q)
{
    if (q->is_simulated) {
        return "SIMULATED (SP1TEE-SIMULATED marker; not an attestation)";
    }
    if (memcmp(q->qe_vendor_id, tdx_qe_vendor_intel, 16) == 0) {
        return "intel";
    }
    return "unknown";
}

/* ---- text ---- */

static void line_hex(const char *name, const uint8_t *p, size_t n)
{
    printf("%-16s ", name);
    cli_print_hex(stdout, p, n);
    putchar('\n');
}

static void line_u64(const char *name, uint64_t v)
{
    uint8_t b[8];
    zk_store_le64(b, v);
    printf("%-16s 0x%016" PRIx64 " (bytes ", name, v);
    cli_print_hex(stdout, b, 8);
    printf(")\n");
}

/* Values computed over the quote bytes (not parsed fields). */
struct quote_extra {
    struct zk_hash32 replay; /* keccak256(q[0..signed_len)): replay key */
    bool qe_binding;         /* QE report data = sha256(att key || auth) || 0 */
};

static void print_text(const struct tdx_quote *q, size_t file_len,
                       const struct quote_extra *x)
{
    printf("%-16s %u\n", "version", (unsigned)q->version);
    printf("%-16s %s (0x%08x)\n", "tee_type", tee_name(q),
           (unsigned)q->tee_type);
    printf("%-16s %u (ECDSA-256 P-256)\n", "att_key_type",
           (unsigned)q->att_key_type);
    printf("%-16s %u\n%-16s %u\n", "qe_svn", (unsigned)q->qe_svn, "pce_svn",
           (unsigned)q->pce_svn);
    printf("%-16s ", "qe_vendor_id");
    cli_print_hex(stdout, q->qe_vendor_id, 16);
    printf(" %s\n", vendor_name(q));
    line_hex("user_data", q->user_data, 20);
    printf("%-16s %s at %zu, %zu bytes\n", "body",
           tdx_body_type_name(q->body_type), q->body_offset, q->body_len);
    if (q->is_td) {
        const struct tdx_td_report *r = &q->td;
        line_hex("tee_tcb_svn", r->tee_tcb_svn, 16);
        line_hex("mrseam", r->mrseam, TDX_MR_LEN);
        line_hex("mrsignerseam", r->mrsignerseam, TDX_MR_LEN);
        line_u64("seam_attributes", r->seam_attributes);
        line_u64("td_attributes", r->td_attributes);
        printf("%-16s %s\n", "debug", q->debug ? "YES (debug TD)" : "no");
        line_u64("xfam", r->xfam);
        line_hex("mrtd", r->mrtd, TDX_MR_LEN);
        line_hex("mrconfigid", r->mrconfigid, TDX_MR_LEN);
        line_hex("mrowner", r->mrowner, TDX_MR_LEN);
        line_hex("mrownerconfig", r->mrownerconfig, TDX_MR_LEN);
        for (int i = 0; i < 4; i++) {
            char name[8];
            (void)snprintf(name, sizeof(name), "rtmr%d", i); /* fits */
            line_hex(name, r->rtmr[i], TDX_MR_LEN);
        }
        if (q->body_type == TDX_BODY_TD15) {
            line_hex("tee_tcb_svn2", r->tee_tcb_svn2, 16);
            line_hex("mrservicetd", r->mrservicetd, TDX_MR_LEN);
        }
    } else {
        const struct tdx_sgx_report *r = &q->sgx;
        line_hex("cpusvn", r->cpusvn, 16);
        printf("%-16s 0x%08x\n", "miscselect", (unsigned)r->miscselect);
        line_hex("attributes", r->attributes, 16);
        line_hex("mrenclave", r->mrenclave, 32);
        line_hex("mrsigner", r->mrsigner, 32);
        printf("%-16s %u\n%-16s %u\n", "isvprodid", (unsigned)r->isvprodid,
               "isvsvn", (unsigned)r->isvsvn);
    }
    printf("%-16s at %zu\n", "report_data_off", q->report_data_offset);
    line_hex("report_data", q->report_data, TDX_REPORT_DATA_LEN);
    printf("%-16s %" PRIu32 "\n", "sig_len", q->sig_len);
    printf("%-16s %zu of %zu bytes (%zu trailing ignored)\n", "signed_len",
           q->signed_len, file_len, q->trailing_len);
    printf("%-16s ", "replay_key");
    cli_print_hex(stdout, x->replay.b, 32);
    printf(" (keccak256 of the signed bytes)\n");
    printf("%-16s type %u, %" PRIu32 " bytes\n", "cert_data",
           (unsigned)q->cert_type, q->cert_size);
    printf("%-16s isvprodid %u isvsvn %u mrsigner ", "qe_report",
           (unsigned)q->qe_report.isvprodid, (unsigned)q->qe_report.isvsvn);
    cli_print_hex(stdout, q->qe_report.mrsigner, 32);
    putchar('\n');
    printf("%-16s %u bytes\n", "qe_auth_data", (unsigned)q->qe_auth_len);
    printf("%-16s %s\n", "qe_binding",
           x->qe_binding ? "ok (QE report data = sha256(attestation key || "
                           "QE auth data))"
                         : "MISMATCH (QE report does not bind the "
                           "attestation key)");
    printf("%-16s type %u, %" PRIu32 " bytes, %u PEM certificates\n",
           "pck_chain", (unsigned)q->pck_cert_type, q->pck_cert_size,
           q->pck_pem_certs);
}

/* ---- JSON ---- */

static bool add_hex(cJSON *o, const char *name, const uint8_t *p, size_t n)
{
    char *s = cli_hex_dup(p, n);
    bool ok = s != NULL && cJSON_AddStringToObject(o, name, s) != NULL;
    zk_free(s);
    return ok;
}

static bool add_u64_hex(cJSON *o, const char *name, uint64_t v)
{
    uint8_t b[8];
    zk_store_le64(b, v); /* as the bytes appear in the quote */
    return add_hex(o, name, b, 8);
}

static bool add_body(cJSON *o, const struct tdx_quote *q)
{
    bool ok = true;
    if (q->is_td) {
        const struct tdx_td_report *r = &q->td;
        ok &= add_hex(o, "tee_tcb_svn", r->tee_tcb_svn, 16);
        ok &= add_hex(o, "mrseam", r->mrseam, TDX_MR_LEN);
        ok &= add_hex(o, "mrsignerseam", r->mrsignerseam, TDX_MR_LEN);
        ok &= add_u64_hex(o, "seam_attributes", r->seam_attributes);
        ok &= add_u64_hex(o, "td_attributes", r->td_attributes);
        ok &= cJSON_AddBoolToObject(o, "debug", q->debug) != NULL;
        ok &= add_u64_hex(o, "xfam", r->xfam);
        ok &= add_hex(o, "mrtd", r->mrtd, TDX_MR_LEN);
        ok &= add_hex(o, "mrconfigid", r->mrconfigid, TDX_MR_LEN);
        ok &= add_hex(o, "mrowner", r->mrowner, TDX_MR_LEN);
        ok &= add_hex(o, "mrownerconfig", r->mrownerconfig, TDX_MR_LEN);
        cJSON *rt = cJSON_AddArrayToObject(o, "rtmr");
        ok &= rt != NULL;
        for (int i = 0; ok && i < 4; i++) {
            char *s = cli_hex_dup(r->rtmr[i], TDX_MR_LEN);
            cJSON *item = s ? cJSON_CreateString(s) : NULL;
            zk_free(s);
            ok &= item != NULL && cJSON_AddItemToArray(rt, item);
        }
        if (q->body_type == TDX_BODY_TD15) {
            ok &= add_hex(o, "tee_tcb_svn2", r->tee_tcb_svn2, 16);
            ok &= add_hex(o, "mrservicetd", r->mrservicetd, TDX_MR_LEN);
        }
    } else {
        const struct tdx_sgx_report *r = &q->sgx;
        ok &= add_hex(o, "cpusvn", r->cpusvn, 16);
        ok &= cJSON_AddNumberToObject(o, "miscselect", r->miscselect) != NULL;
        ok &= add_hex(o, "attributes", r->attributes, 16);
        ok &= add_hex(o, "mrenclave", r->mrenclave, 32);
        ok &= add_hex(o, "mrsigner", r->mrsigner, 32);
        ok &= cJSON_AddNumberToObject(o, "isvprodid", r->isvprodid) != NULL;
        ok &= cJSON_AddNumberToObject(o, "isvsvn", r->isvsvn) != NULL;
    }
    return ok;
}

static bool print_json(const struct tdx_quote *q, size_t file_len,
                       const struct quote_extra *x)
{
    cJSON *o = cJSON_CreateObject();
    bool ok = o != NULL;
    if (ok) {
        ok &= cJSON_AddNumberToObject(o, "version", q->version) != NULL;
        ok &= cJSON_AddStringToObject(o, "tee", tee_name(q)) != NULL;
        ok &=
            cJSON_AddNumberToObject(o, "att_key_type", q->att_key_type) != NULL;
        ok &= cJSON_AddNumberToObject(o, "qe_svn", q->qe_svn) != NULL;
        ok &= cJSON_AddNumberToObject(o, "pce_svn", q->pce_svn) != NULL;
        ok &= add_hex(o, "qe_vendor_id", q->qe_vendor_id, 16);
        ok &= cJSON_AddBoolToObject(o, "simulated", q->is_simulated) != NULL;
        ok &= add_hex(o, "user_data", q->user_data, 20);
        ok &= cJSON_AddStringToObject(o, "body_type",
                                      tdx_body_type_name(q->body_type)) != NULL;
        ok &= cJSON_AddNumberToObject(o, "body_offset",
                                      (double)q->body_offset) != NULL;
        ok &= add_body(o, q);
        ok &= cJSON_AddNumberToObject(o, "report_data_offset",
                                      (double)q->report_data_offset) != NULL;
        ok &= add_hex(o, "report_data", q->report_data, TDX_REPORT_DATA_LEN);
        ok &= cJSON_AddNumberToObject(o, "sig_len", q->sig_len) != NULL;
        ok &= cJSON_AddNumberToObject(o, "signed_len", (double)q->signed_len) !=
              NULL;
        ok &= cJSON_AddNumberToObject(o, "file_len", (double)file_len) != NULL;
        ok &= cJSON_AddNumberToObject(o, "trailing_len",
                                      (double)q->trailing_len) != NULL;
        ok &= add_hex(o, "replay_key", x->replay.b, 32);
        ok &= cJSON_AddBoolToObject(o, "qe_binding_ok", x->qe_binding) != NULL;
        ok &= cJSON_AddNumberToObject(o, "cert_type", q->cert_type) != NULL;
        ok &= cJSON_AddNumberToObject(o, "cert_size", q->cert_size) != NULL;
        ok &= cJSON_AddNumberToObject(o, "qe_isvprodid",
                                      q->qe_report.isvprodid) != NULL;
        ok &= cJSON_AddNumberToObject(o, "qe_isvsvn", q->qe_report.isvsvn) !=
              NULL;
        ok &= add_hex(o, "qe_mrsigner", q->qe_report.mrsigner, 32);
        ok &= cJSON_AddNumberToObject(o, "qe_auth_len", q->qe_auth_len) != NULL;
        ok &= cJSON_AddNumberToObject(o, "pck_cert_type", q->pck_cert_type) !=
              NULL;
        ok &= cJSON_AddNumberToObject(o, "pck_cert_size", q->pck_cert_size) !=
              NULL;
        ok &= cJSON_AddNumberToObject(o, "pck_pem_certs", q->pck_pem_certs) !=
              NULL;
    }
    char *s = ok ? cJSON_Print(o) : NULL;
    if (s != NULL) {
        printf("%s\n", s);
        cJSON_free(s);
    }
    cJSON_Delete(o);
    return s != NULL;
}

/*
 * The registry's replay key (keccak256 over the signed bytes only), and
 * the QE binding a DCAP verifier checks first (tdx-attestation.md 2.6):
 * the PCK-signed QE report's REPORTDATA must be sha256(attestation key ||
 * QE authentication data) followed by 32 zero bytes.
 */
static enum zk_err compute_extra(struct quote_extra *x,
                                 const struct tdx_quote *q, const uint8_t *buf)
{
    static const uint8_t zero[32];
    struct zk_hash32 h;
    struct crypto_sha256 *ctx = crypto_sha256_new();
    enum zk_err err = ctx ? ZK_OK : ZK_ENOMEM;
    crypto_keccak256(&x->replay, buf, q->signed_len);
    err = err ? err : crypto_sha256_update(ctx, q->attestation_key, 64);
    err = err ? err
              : crypto_sha256_update(ctx, buf + q->qe_auth_offset,
                                     q->qe_auth_len);
    err = err ? err : crypto_sha256_final(ctx, &h);
    crypto_sha256_free(ctx);
    if (err) {
        return err;
    }
    x->qe_binding = memcmp(q->qe_report.report_data, h.b, 32) == 0 &&
                    memcmp(q->qe_report.report_data + 32, zero, 32) == 0;
    return ZK_OK;
}

int cli_cmd_quote(int argc, char **argv)
{
    bool json = false, require_tdx = false;
    const char *path = NULL;
    struct zk_buf buf;
    struct tdx_quote q;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--require-tdx") == 0) {
            require_tdx = true;
        } else if (strcmp(argv[i], "--help") == 0 ||
                   strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "sp1-tee quote: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (path == NULL) {
            path = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (path == NULL) {
        usage(stderr);
        return 2;
    }
    /* hex text doubles the size, plus whitespace */
    zk_buf_init(&buf, 2 * ZK_MAX_QUOTE_SIZE + 64);
    if (cli_read_file(path, 2 * ZK_MAX_QUOTE_SIZE + 64, &buf) != ZK_OK) {
        goto out;
    }
    cli_maybe_unhex(&buf);
    if (buf.len > ZK_MAX_QUOTE_SIZE) {
        fprintf(stderr, "sp1-tee quote: %s: %zu bytes, more than %u\n", path,
                buf.len, (unsigned)ZK_MAX_QUOTE_SIZE);
        goto out;
    }
    enum zk_err err = require_tdx ? tdx_quote_parse_td(&q, buf.data, buf.len)
                                  : tdx_quote_parse(&q, buf.data, buf.len);
    if (err) {
        fprintf(stderr, "sp1-tee quote: %s: not a %squote: %s%s\n", path,
                require_tdx ? "TDX " : "supported DCAP ", zk_strerror(err),
                zk_log_get_level() > ZK_LOG_DEBUG
                    ? " (ZK_LOG_LEVEL=debug says why)"
                    : "");
        goto out;
    }
    struct quote_extra x;
    if (compute_extra(&x, &q, buf.data) != ZK_OK) {
        goto out;
    }
    if (json ? !print_json(&q, buf.len, &x)
             : (print_text(&q, buf.len, &x), false)) {
        fprintf(stderr, "sp1-tee quote: out of memory\n");
        goto out;
    }
    rc = 0;
out:
    zk_buf_cleanup(&buf);
    return rc;
}
