/*
 * tx.h - Ethereum transactions: EIP-1559 (type 2) and legacy EIP-155.
 *
 * eth_tx never signs. The caller computes the signing hash here, signs it
 * with crypto (crypto_sign_hash -> r || s || v, v = recid + 27) and passes
 * the 65-byte signature back to eth_tx_encode_signed for the raw bytes
 * to submit with eth_sendRawTransaction.
 *
 *   type 2 : hash = keccak256(0x02 || rlp([chainId, nonce, maxPriorityFee,
 *            maxFee, gas, to, value, data, accessList]))
 *            raw  = 0x02 || rlp([... , yParity, r, s])
 *   legacy : hash = keccak256(rlp([nonce, gasPrice, gas, to, value, data,
 *            chainId, 0, 0]))                                   (EIP-155)
 *            raw  = rlp([nonce, gasPrice, gas, to, value, data,
 *            v = recid + chainId*2 + 35, r, s])
 *
 * The access list is always empty. Fees are in wei and fit in 64 bits
 * (1.8e19 wei = 18 ETH per gas). Reentrant; no logging.
 */
#ifndef ZK_ETH_TX_H
#define ZK_ETH_TX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"

enum eth_tx_type {
    ETH_TX_LEGACY = 0, /* EIP-155 replay-protected legacy transaction */
    ETH_TX_1559 = 2    /* EIP-1559 dynamic-fee transaction */
};

struct eth_tx {
    enum eth_tx_type type;
    uint64_t chain_id;
    uint64_t nonce;
    uint64_t max_priority_fee; /* type 2: wei per gas tip */
    uint64_t max_fee;          /* type 2: wei per gas cap */
    uint64_t gas_price;        /* legacy */
    uint64_t gas_limit;
    bool has_to; /* false: contract creation */
    uint8_t to[20];
    uint8_t value[32];   /* wei, big-endian uint256 */
    const uint8_t *data; /* calldata, borrowed */
    size_t data_len;
};

/*
 * Out: hash = the hash the sender signs.
 * Returns: ZK_OK; ZK_EINVAL (unknown type, legacy chain id so large that
 *          v overflows); ZK_ENOMEM; ZK_ELIMIT (data too large).
 */
ZK_NODISCARD enum zk_err eth_tx_signing_hash(struct zk_hash32 *hash,
                                             const struct eth_tx *tx);

/*
 * Appends the signed raw transaction to out.
 * In: sig - 65 bytes r || s || v with v in {27, 28}.
 * Returns: ZK_OK; ZK_EINVAL (bad v, unknown type); zk_buf errors.
 */
ZK_NODISCARD enum zk_err eth_tx_encode_signed(struct zk_buf *out,
                                              const struct eth_tx *tx,
                                              const uint8_t sig[65]);

/* Out: hash = keccak256(raw), the transaction hash. Cannot fail. */
void eth_tx_hash(struct zk_hash32 *hash, const uint8_t *raw, size_t len);

#endif
