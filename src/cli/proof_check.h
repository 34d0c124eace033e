/*
 * proof_check.h - off-chain check of a TEE proof record (ARCHITECTURE.md
 * section 4): digest = sha256(vk || public_values), signer = ecrecover(
 * keccak256(digest), signature). The same computation
 * SP1MultiProof.verifyTEEProof does on chain, minus the registry lookup.
 */
#ifndef ZK_CLI_PROOF_CHECK_H
#define ZK_CLI_PROOF_CHECK_H

#include <stdbool.h>

#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"
#include "cli/client.h"
#include "crypto/sign.h"

struct cli_check {
    struct zk_hash32 digest;               /* recomputed */
    struct zk_hash32 signed_hash;          /* keccak256(digest) */
    struct crypto_addr signer;             /* recovered */
    char signer_hex[CRYPTO_ADDR_HEX_SIZE]; /* EIP-55 */
    bool digest_checked, digest_ok; /* record carried a digest / it matched */
    bool signer_checked, signer_ok; /* record carried a signer / it matched */
};

/*
 * Recomputes the digest and recovers the signer of p. p needs vk,
 * signature and public_values (empty is fine). When p also carries
 * digest / signer, they are compared (results in *out; a mismatch is not
 * an error return). ZK_EINVAL: fields missing or the signature malformed;
 * ZK_ECRYPTO: no key recovers.
 */
ZK_NODISCARD enum zk_err cli_proof_check(const struct cli_proof *p,
                                         struct cli_check *out);

#endif
