/*
 * attest_check.h - `sp1-tee signer`: decode the prover's /v1/signer answer
 * and check, off-chain, that the key's TDX quote binds it the way the
 * registry requires (ARCHITECTURE.md section 4, tdx-attestation.md 4.1):
 *
 *   REPORTDATA = 12 zero bytes || signer address (20) ||
 *                keccak256(abi.encode(uint256 refBlockNumber,
 *                                     bytes32 refBlockHash, address signer))
 *
 * plus: the stored report data equals the quote's REPORTDATA, and the
 * stored quote_sha256 is sha256 of the quote. The DCAP signature chain
 * itself is the on-chain verifier's job and is not checked here.
 */
#ifndef ZK_CLI_ATTEST_CHECK_H
#define ZK_CLI_ATTEST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"
#include "crypto/sign.h"
#include "tdx/tdx.h"

/* The /v1/signer answer. */
struct cli_signer {
    bool present; /* a signing key exists ("signer" not null) */
    long long key_id;
    char address[43];
    char status[32];
    char tee_mode[32];
    bool simulated;
    bool has_expiry;
    long long expires_at, expires_in_s;
    long long registered_block; /* -1 if unknown */
    bool has_report_data;
    uint8_t report_data[64];
    char quote_sha256[80];
    long long ref_block_number; /* -1 if unknown */
    bool has_ref_block_hash;
    uint8_t ref_block_hash[32];
    char tx_hash[80];
    struct zk_buf quote; /* "quote" (with ?quote=1), empty if absent */
    char error_code[64];
    char error_message[256];
};

void cli_signer_init(struct cli_signer *s);
void cli_signer_cleanup(struct cli_signer *s);

/* Decodes the JSON answer (200 with a signer, or 503 with
 * {"error":..,"signer":null}). ZK_EINVAL if malformed. */
ZK_NODISCARD enum zk_err cli_signer_decode(struct cli_signer *out,
                                           const char *json, size_t len);

/* Report data for (block number, block hash, address), section 4.1. */
void cli_report_data(uint8_t out[64], uint64_t ref_block_number,
                     const uint8_t ref_block_hash[32],
                     const struct crypto_addr *addr);

struct cli_attest {
    struct tdx_quote quote;        /* parsed quote */
    bool quote_is_td;              /* parsed as TDX */
    bool rd_matches_quote;         /* stored report data == quote REPORTDATA */
    bool binds_signer;             /* REPORTDATA == cli_report_data(...) */
    bool sha_checked, sha_matches; /* stored quote_sha256 vs the quote */
    bool ok;                       /* everything above that applies holds */
};

/*
 * Checks s (which must carry quote, address, ref block number and hash).
 * ZK_EINVAL when something needed is missing or the quote does not parse
 * (out->ok false); mismatches are reported in *out with ZK_OK.
 */
ZK_NODISCARD enum zk_err cli_attest_check(struct cli_attest *out,
                                          const struct cli_signer *s);

#endif
