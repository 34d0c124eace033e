/* proof_check.c - off-chain TEE proof check; see proof_check.h. */
#include <config.h>
#include "cli/proof_check.h"

#include <string.h>
#include <strings.h>

#include "base/log.h"
#include "crypto/keccak.h"
#include "crypto/tee.h"

enum zk_err cli_proof_check(const struct cli_proof *p, struct cli_check *out)
{
    struct zk_hash32 vk;
    struct crypto_sig sig;
    struct crypto_addr claimed;
    enum zk_err err;

    memset(out, 0, sizeof(*out));
    if (!p->has_vk || !p->has_signature || !p->has_public_values) {
        zk_error("cli: verify: the proof needs vk, public_values and "
                 "signature");
        return ZK_EINVAL;
    }
    memcpy(vk.b, p->vk, 32);
    err = crypto_tee_digest(&out->digest, &vk, p->public_values.data,
                            p->public_values.len);
    if (err) {
        return err;
    }
    crypto_keccak256(&out->signed_hash, out->digest.b, 32);
    err = crypto_sig_parse(&sig, p->signature, sizeof(p->signature));
    err = err ? err : crypto_tee_recover(&out->signer, &out->digest, &sig);
    if (err) {
        return err;
    }
    crypto_addr_to_hex(out->signer_hex, &out->signer);
    if (p->has_digest) {
        out->digest_checked = true;
        out->digest_ok = memcmp(p->digest, out->digest.b, 32) == 0;
    }
    if (p->has_signer) {
        out->signer_checked = true;
        /* compare bytes, not text: case (EIP-55) does not matter */
        out->signer_ok = strlen(p->signer) == 42 &&
                         strncasecmp(p->signer, "0x", 2) == 0 &&
                         crypto_addr_from_hex(&claimed, p->signer) == ZK_OK &&
                         crypto_addr_eq(&claimed, &out->signer);
    }
    return ZK_OK;
}
