/*
 * cmd_verify.c - `sp1-tee verify [--signer ADDR] [--vk HEX] [--json] PROOF`:
 * off-chain check of a TEE proof (the JSON of `sp1-tee proof --json`,
 * `wait --json`, the v1 API, or the reference /wait_proof answer; "-" =
 * stdin). Recomputes digest = sha256(vk || public_values), recovers the
 * signer from keccak256(digest) and the 65-byte signature, and compares
 * with --signer / --vk and with the digest/signer fields the record
 * carries. It does not ask the chain whether the signer was attested:
 * that is SP1MultiProof.verifyTEEProof (an on-chain mode can be added
 * here with the eth module).
 * Exit status: 0 valid (and matching), 1 invalid or mismatch, 2 usage.
 */
#include <config.h>
#include <stdio.h>

#include "cli/cli.h"

#include <string.h>

#include "base/hex.h"
#include "base/limits.h"
#include "cli/cli_util.h"
#include "cli/client.h"
#include "cli/proof_check.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: sp1-tee verify [--signer ADDR] [--vk HEX] [--json] "
               "PROOF.json\n"
               "  Off-chain check of a TEE proof: recomputes digest = "
               "sha256(vk || public_values)\n"
               "  and recovers the signer from the signature over "
               "keccak256(digest).\n"
               "  --signer ADDR  require this signer address\n"
               "  --vk HEX       require this 32-byte vk (hash_bytes)\n");
}

static void print_json(const struct cli_check *c, bool ok)
{
    char d[67], h[67];
    if (zk_hex_encode(d, sizeof(d), c->digest.b, 32, true) ||
        zk_hex_encode(h, sizeof(h), c->signed_hash.b, 32, true)) {
        return;
    }
    printf("{\"valid\":%s,\"digest\":\"%s\",\"signed_hash\":\"%s\","
           "\"signer\":\"%s\"}\n",
           ok ? "true" : "false", d, h, c->signer_hex);
}

int cli_cmd_verify(int argc, char **argv)
{
    const char *path = NULL, *want_signer = NULL, *want_vk = NULL;
    bool json = false;
    struct zk_buf buf;
    struct cli_proof p;
    struct cli_check c;
    int rc = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            json = true;
        } else if (strcmp(argv[i], "--signer") == 0 && i + 1 < argc) {
            want_signer = argv[++i];
        } else if (strcmp(argv[i], "--vk") == 0 && i + 1 < argc) {
            want_vk = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "sp1-tee verify: bad option %s\n", argv[i]);
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
    zk_buf_init(&buf, 4u * ZK_MAX_PUBLIC_VALUES + 65536);
    cli_proof_init(&p);
    if (cli_read_file(path, buf.max, &buf) != ZK_OK ||
        cli_proof_decode(&p, (const char *)buf.data, buf.len) != ZK_OK) {
        fprintf(stderr, "sp1-tee verify: %s: not a proof JSON\n", path);
        goto out;
    }
    if (p.state == CLI_STATE_FAILED) {
        fprintf(stderr, "sp1-tee verify: the job failed: %s %s\n", p.error_code,
                p.error_message);
        goto out;
    }
    if (cli_proof_check(&p, &c) != ZK_OK) {
        fprintf(stderr, "sp1-tee verify: INVALID: no signer recovers from "
                        "the signature\n");
        goto out;
    }
    bool ok = true;
    if (c.digest_checked && !c.digest_ok) {
        fprintf(stderr, "sp1-tee verify: MISMATCH: the record's digest is "
                        "not sha256(vk || public_values)\n");
        ok = false;
    }
    if (c.signer_checked && !c.signer_ok) {
        fprintf(stderr,
                "sp1-tee verify: MISMATCH: the record's signer %s "
                "is not the recovered %s\n",
                p.signer, c.signer_hex);
        ok = false;
    }
    if (want_signer != NULL) {
        struct crypto_addr a;
        if (crypto_addr_from_hex(&a, want_signer) != ZK_OK) {
            fprintf(stderr, "sp1-tee verify: bad --signer address\n");
            rc = 2;
            goto out;
        }
        if (!crypto_addr_eq(&a, &c.signer)) {
            fprintf(stderr, "sp1-tee verify: MISMATCH: signed by %s, not %s\n",
                    c.signer_hex, want_signer);
            ok = false;
        }
    }
    if (want_vk != NULL) {
        uint8_t vk[32];
        if (zk_hex_decode_exact(vk, 32, want_vk) != ZK_OK) {
            fprintf(stderr, "sp1-tee verify: bad --vk (32 bytes hex)\n");
            rc = 2;
            goto out;
        }
        if (memcmp(vk, p.vk, 32) != 0) {
            fprintf(stderr, "sp1-tee verify: MISMATCH: proof is for another "
                            "vk\n");
            ok = false;
        }
    }
    if (json) {
        print_json(&c, ok);
    } else {
        printf("%-12s ", "digest");
        cli_print_hex(stdout, c.digest.b, 32);
        printf("\n%-12s ", "signed_hash");
        cli_print_hex(stdout, c.signed_hash.b, 32);
        printf("\n%-12s %s\n%-12s %s\n", "signer", c.signer_hex, "result",
               ok ? "VALID signature (attestation of the signer not checked "
                    "off-chain)"
                  : "INVALID");
    }
    rc = ok ? 0 : 1;
out:
    cli_proof_cleanup(&p);
    zk_buf_cleanup(&buf);
    return rc;
}
