/*
 * cmd_signer.c - `sp1-tee signer --url URL [--quote] [--json]`: the
 * prover's current signing key (GET /v1/signer) and, with --quote, its TDX
 * quote decoded and checked to bind the key (attest_check.h).
 * Exit status: 0 ok (and the attestation checks out), 1 no key / mismatch /
 * error, 2 usage.
 */
#include <config.h>
#include <stdio.h>

#include "cli/cli.h"

#include <string.h>

#include "cli/attest_check.h"
#include "cli/cli_util.h"
#include "cli/client.h"
#include "cli/http.h"

static void print_signer(const struct cli_signer *s)
{
    printf("%-16s %s\n%-16s %s\n%-16s %s%s\n", "address", s->address, "status",
           s->status, "tee_mode", s->tee_mode,
           s->simulated ? "  (SIMULATED: accepted only by the mock verifier)"
                        : "");
    if (s->has_expiry) {
        printf("%-16s %lld (in %lld s)\n", "expires_at", s->expires_at,
               s->expires_in_s);
    }
    if (s->registered_block >= 0) {
        printf("%-16s %lld\n", "registered_block", s->registered_block);
    }
    if (s->ref_block_number >= 0) {
        printf("%-16s %lld ", "ref_block", s->ref_block_number);
        cli_print_hex(stdout, s->ref_block_hash, 32);
        putchar('\n');
    }
    if (s->tx_hash[0]) {
        printf("%-16s %s\n", "tx_hash", s->tx_hash);
    }
    if (s->quote_sha256[0]) {
        printf("%-16s %s\n", "quote_sha256", s->quote_sha256);
    }
}

static void print_attest(const struct cli_attest *a)
{
    const struct tdx_quote *q = &a->quote;
    printf("%-16s v%u %s, %zu signed bytes%s%s\n", "quote",
           (unsigned)q->version, tdx_body_type_name(q->body_type),
           q->signed_len, q->is_simulated ? ", SIMULATED" : "",
           q->debug ? ", DEBUG TD" : "");
    printf("%-16s ", "mrtd");
    cli_print_hex(stdout, q->td.mrtd, TDX_MR_LEN);
    for (int i = 0; i < 4; i++) {
        printf("\nrtmr%d            ", i);
        cli_print_hex(stdout, q->td.rtmr[i], TDX_MR_LEN);
    }
    printf("\n%-16s ", "report_data");
    cli_print_hex(stdout, q->report_data, 64);
    printf("\n%-16s report data %s, binds signer + ref block %s%s%s\n",
           "attestation", a->rd_matches_quote ? "matches" : "DIFFERS",
           a->binds_signer ? "yes" : "NO",
           a->sha_checked ? ", quote sha256 " : "",
           a->sha_checked ? (a->sha_matches ? "matches" : "DIFFERS") : "");
}

int cli_cmd_signer(int argc, char **argv)
{
    struct cli_client_opts o;
    struct cli_http h;
    struct cli_http_resp r;
    struct cli_signer s;
    struct cli_attest a;
    int rc = cli_client_parse(CLI_SIGNER, argc, argv, &o);
    if (rc != 0) {
        return rc == 1 ? 0 : 2;
    }
    if (cli_http_global_init() != ZK_OK) {
        return 1;
    }
    h.base_url = o.url;
    h.cacert = o.cacert;
    h.insecure = o.insecure;
    h.timeout_s = 60;
    if (o.insecure) {
        fprintf(stderr, "sp1-tee: warning: --insecure: TLS certificate not "
                        "verified\n");
    }
    cli_signer_init(&s);
    rc = 1;
    if (cli_http_do(&h, "GET", o.quote ? "/v1/signer?quote=1" : "/v1/signer",
                    NULL, NULL, 0, &r) != ZK_OK) {
        goto out;
    }
    if (o.json) {
        printf("%.*s\n", (int)r.body.len, (const char *)r.body.data);
    }
    if (cli_signer_decode(&s, (const char *)r.body.data, r.body.len) != ZK_OK) {
        fprintf(stderr, "sp1-tee signer: HTTP %ld, unexpected answer\n",
                r.status);
        goto out;
    }
    if (!s.present) {
        fprintf(stderr, "sp1-tee signer: no usable key (HTTP %ld): %s%s%s\n",
                r.status, s.error_code, s.error_message[0] ? ": " : "",
                s.error_message);
        goto out;
    }
    if (!o.json) {
        print_signer(&s);
    }
    rc = 0;
    if (o.quote) {
        if (cli_attest_check(&a, &s) != ZK_OK) {
            fprintf(stderr, "sp1-tee signer: cannot check the attestation\n");
            rc = 1;
            goto out;
        }
        if (!o.json) {
            print_attest(&a);
        }
        if (!a.ok) {
            fprintf(stderr, "sp1-tee signer: the quote does NOT bind this "
                            "signer\n");
            rc = 1;
        }
    }
out:
    cli_http_resp_cleanup(&r);
    cli_signer_cleanup(&s);
    return rc;
}
