/*
 * cmd_verify.c - `sp1-tee verify [--signer ADDR] [--vk HEX] [--json] PROOF`:
 * off-chain check of a TEE proof (the JSON of `sp1-tee proof --json`,
 * `wait --json`, the v1 API, or the reference /wait_proof answer; "-" =
 * stdin). Recomputes digest = sha256(vk || public_values), recovers the
 * signer from keccak256(digest) and the 65-byte signature, and compares
 * with --signer / --vk and with the digest/signer fields the record
 * carries. It does not ask the chain whether the signer was attested:
 * that is SP1MultiProof.verifyTEEProof: with --rpc-url and --multiproof
 * the proof is also checked on-chain through eth_call (cli/onchain.c).
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
#include "cli/onchain.h"
#include "cli/proof_check.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: sp1-tee verify [--signer ADDR] [--vk HEX] [--json] "
               "[--rpc-url URL --multiproof ADDR] PROOF.json\n"
               "  Off-chain check of a TEE proof: recomputes digest = "
               "sha256(vk || public_values)\n"
               "  and recovers the signer from the signature over "
               "keccak256(digest).\n"
               "  --signer ADDR  require this signer address\n"
               "  --vk HEX       require this 32-byte vk (hash_bytes)\n"
               "  --rpc-url URL --multiproof ADDR\n"
               "                 also check on-chain: "
               "SP1MultiProof.verifyTEEProof(digest, signature)\n"
               "                 via eth_call (signer must be attested "
               "and unexpired)\n");
}

static void print_json(const struct cli_check *c, bool ok, int onchain)
{
    char d[67], h[67];
    if (zk_hex_encode(d, sizeof(d), c->digest.b, 32, true) ||
        zk_hex_encode(h, sizeof(h), c->signed_hash.b, 32, true)) {
        return;
    }
    printf("{\"valid\":%s,\"digest\":\"%s\",\"signed_hash\":\"%s\","
           "\"signer\":\"%s\"%s}\n",
           ok ? "true" : "false", d, h, c->signer_hex,
           onchain < 0    ? ""
           : onchain == 1 ? ",\"onchain\":true"
                          : ",\"onchain\":false");
}

struct verify_opts {
    const char *path, *want_signer, *want_vk, *rpc_url, *multiproof;
    bool json;
};

/* -1 go on, else the exit status (0 after --help, 2 usage error). */
static int parse_args(int argc, char **argv, struct verify_opts *o)
{
    memset(o, 0, sizeof(*o));
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--json") == 0) {
            o->json = true;
        } else if (strcmp(argv[i], "--signer") == 0 && i + 1 < argc) {
            o->want_signer = argv[++i];
        } else if (strcmp(argv[i], "--vk") == 0 && i + 1 < argc) {
            o->want_vk = argv[++i];
        } else if (strcmp(argv[i], "--rpc-url") == 0 && i + 1 < argc) {
            o->rpc_url = argv[++i];
        } else if (strcmp(argv[i], "--multiproof") == 0 && i + 1 < argc) {
            o->multiproof = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            fprintf(stderr, "sp1-tee verify: bad option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else if (o->path == NULL) {
            o->path = argv[i];
        } else {
            usage(stderr);
            return 2;
        }
    }
    if (o->path == NULL || (o->rpc_url == NULL) != (o->multiproof == NULL)) {
        usage(stderr);
        return 2;
    }
    return -1;
}

/* --signer / --vk: -1 both match (or were not given), 1 a mismatch
 * (printed), 2 a malformed option. */
static int check_wanted(const struct verify_opts *o, const struct cli_proof *p,
                        const struct cli_check *c)
{
    int rc = -1;
    if (o->want_signer != NULL) {
        struct crypto_addr a;
        if (crypto_addr_from_hex(&a, o->want_signer) != ZK_OK) {
            fprintf(stderr, "sp1-tee verify: bad --signer address\n");
            return 2;
        }
        if (!crypto_addr_eq(&a, &c->signer)) {
            fprintf(stderr, "sp1-tee verify: MISMATCH: signed by %s, not %s\n",
                    c->signer_hex, o->want_signer);
            rc = 1;
        }
    }
    if (o->want_vk != NULL) {
        uint8_t vk[32];
        if (zk_hex_decode_exact(vk, 32, o->want_vk) != ZK_OK) {
            fprintf(stderr, "sp1-tee verify: bad --vk (32 bytes hex)\n");
            return 2;
        }
        if (memcmp(vk, p->vk, 32) != 0) {
            fprintf(stderr, "sp1-tee verify: MISMATCH: proof is for another "
                            "vk\n");
            rc = 1;
        }
    }
    return rc;
}

static void print_text(const struct cli_check *c, bool ok, int onchain,
                       const char *reason)
{
    printf("%-12s ", "digest");
    cli_print_hex(stdout, c->digest.b, 32);
    printf("\n%-12s ", "signed_hash");
    cli_print_hex(stdout, c->signed_hash.b, 32);
    printf("\n%-12s %s\n", "signer", c->signer_hex);
    if (onchain >= 0) {
        printf("%-12s %s%s\n", "onchain",
               onchain ? "VALID (SP1MultiProof.verifyTEEProof)" : "INVALID: ",
               onchain ? "" : reason);
    }
    printf("%-12s %s\n", "result",
           !ok            ? "INVALID"
           : onchain == 1 ? "VALID signature by an attested signer"
                          : "VALID signature (attestation of the signer "
                            "not checked off-chain)");
}

int cli_cmd_verify(int argc, char **argv)
{
    struct verify_opts o;
    char reason[256] = "";
    int onchain = -1; /* -1 not asked, 0 invalid, 1 valid */
    struct zk_buf buf;
    struct cli_proof p;
    struct cli_check c;
    int rc = parse_args(argc, argv, &o);
    const char *path = o.path, *rpc_url = o.rpc_url;
    const char *multiproof = o.multiproof;

    if (rc >= 0) {
        return rc;
    }
    rc = 1;
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
    int wanted = check_wanted(&o, &p, &c);
    if (wanted == 2) {
        rc = 2;
        goto out;
    }
    if (wanted == 1) {
        ok = false;
    }
    if (ok && rpc_url != NULL) {
        struct crypto_addr mp;
        bool valid = false;
        if (crypto_addr_from_hex(&mp, multiproof) != ZK_OK) {
            fprintf(stderr, "sp1-tee verify: bad --multiproof address\n");
            rc = 2;
            goto out;
        }
        if (cli_onchain_verify(&valid, reason, sizeof(reason), rpc_url, mp.b,
                               &c.digest, p.signature, 30) != ZK_OK) {
            fprintf(stderr, "sp1-tee verify: on-chain check failed%s%s\n",
                    reason[0] ? ": " : "", reason);
            goto out;
        }
        onchain = valid ? 1 : 0;
        if (!valid) {
            fprintf(stderr, "sp1-tee verify: INVALID on-chain: %s\n", reason);
            ok = false;
        }
    }
    if (o.json) {
        print_json(&c, ok, onchain);
    } else {
        print_text(&c, ok, onchain, reason);
    }
    rc = ok ? 0 : 1;
out:
    cli_proof_cleanup(&p);
    zk_buf_cleanup(&buf);
    return rc;
}
