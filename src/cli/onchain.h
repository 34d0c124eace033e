/*
 * onchain.h - on-chain check of a TEE proof for `sp1-tee verify`:
 * SP1MultiProof.verifyTEEProof(digest, signature) through eth_call
 * (eth/abi + eth/rpc over the CLI's libcurl transport). The contract
 * recovers the signer from keccak256(digest) and requires
 * registry.verifyAttestedProver(signer): "valid" means the signer holds a
 * current TDX-attested registration on that chain.
 */
#ifndef ZK_CLI_ONCHAIN_H
#define ZK_CLI_ONCHAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"

/*
 * Out: *valid - the call returned normally; reason - on a revert, the
 *      decoded revert ("Invalid_TEE_Signer(0x...)", "InvalidSignature()",
 *      "Error: ..."), else "".
 * In:  rpc_url (http/https JSON-RPC endpoint), multiproof (20 bytes),
 *      digest (32 bytes), sig (65 bytes r||s||v), timeout_s (0 = none).
 * Returns: ZK_OK when the chain answered (valid or not); ZK_EIO, ZK_EINVAL,
 *          ZK_ERPC (a node error other than a revert), ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err
cli_onchain_verify(bool *valid, char *reason, size_t reason_size,
                   const char *rpc_url, const uint8_t multiproof[20],
                   const struct zk_hash32 *digest, const uint8_t sig[65],
                   long timeout_s);

#endif
