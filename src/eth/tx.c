/* tx.c - EIP-1559 and EIP-155 transaction encoding and signing hashes. */
#include <config.h>

#include "eth/tx.h"

#include <string.h>

#include "base/limits.h"
#include "crypto/keccak.h"
#include "eth/rlp.h"

/* Upper bound of one encoded transaction (calldata plus fields). */
#define TX_MAX_SIZE (ZK_MAX_RLP_ITEM + 4096u)

/* Appends the common fields in order; for legacy the fee is gas_price. */
static enum zk_err put_fields(struct zk_buf *p, const struct eth_tx *tx)
{
    enum zk_err err = ZK_OK;
    if (tx->data_len > ZK_MAX_RLP_ITEM) {
        return ZK_ELIMIT;
    }
    if (tx->type == ETH_TX_1559) {
        err = eth_rlp_encode_u64(p, tx->chain_id);
        if (!err) {
            err = eth_rlp_encode_u64(p, tx->nonce);
        }
        if (!err) {
            err = eth_rlp_encode_u64(p, tx->max_priority_fee);
        }
        if (!err) {
            err = eth_rlp_encode_u64(p, tx->max_fee);
        }
    } else if (tx->type == ETH_TX_LEGACY) {
        err = eth_rlp_encode_u64(p, tx->nonce);
        if (!err) {
            err = eth_rlp_encode_u64(p, tx->gas_price);
        }
    } else {
        return ZK_EINVAL;
    }
    if (!err) {
        err = eth_rlp_encode_u64(p, tx->gas_limit);
    }
    if (!err) {
        err = eth_rlp_encode_bytes(p, tx->to, tx->has_to ? 20 : 0);
    }
    if (!err) {
        err = eth_rlp_encode_u256(p, tx->value);
    }
    if (!err) {
        err = eth_rlp_encode_bytes(p, tx->data, tx->data_len);
    }
    if (!err && tx->type == ETH_TX_1559) {
        err = eth_rlp_encode_list_header(p, 0); /* empty access list */
    }
    return err;
}

/* Wraps payload as an RLP list, with the type byte first for type 2. */
static enum zk_err wrap(struct zk_buf *out, const struct eth_tx *tx,
                        const struct zk_buf *payload)
{
    enum zk_err err = ZK_OK;
    if (tx->type == ETH_TX_1559) {
        uint8_t type = 0x02;
        err = zk_buf_append(out, &type, 1);
    }
    if (!err) {
        err = eth_rlp_encode_list(out, payload->data, payload->len);
    }
    return err;
}

enum zk_err eth_tx_signing_hash(struct zk_hash32 *hash, const struct eth_tx *tx)
{
    struct zk_buf p, whole;
    enum zk_err err;
    zk_buf_init(&p, TX_MAX_SIZE);
    zk_buf_init(&whole, TX_MAX_SIZE);
    err = put_fields(&p, tx);
    if (!err && tx->type == ETH_TX_LEGACY) {
        if (tx->chain_id > (UINT64_MAX - 36) / 2) {
            err = ZK_EINVAL;
        }
        if (!err) {
            err = eth_rlp_encode_u64(&p, tx->chain_id);
        }
        if (!err) {
            err = eth_rlp_encode_u64(&p, 0);
        }
        if (!err) {
            err = eth_rlp_encode_u64(&p, 0);
        }
    }
    if (!err) {
        err = wrap(&whole, tx, &p);
    }
    if (!err) {
        crypto_keccak256(hash, whole.data, whole.len);
    }
    zk_buf_cleanup(&p);
    zk_buf_cleanup(&whole);
    return err;
}

/* Appends a 32-byte big-endian scalar without leading zeros. */
static enum zk_err put_scalar(struct zk_buf *p, const uint8_t be[32])
{
    return eth_rlp_encode_u256(p, be);
}

enum zk_err eth_tx_encode_signed(struct zk_buf *out, const struct eth_tx *tx,
                                 const uint8_t sig[65])
{
    struct zk_buf p;
    enum zk_err err;
    if (sig[64] != 27 && sig[64] != 28) {
        return ZK_EINVAL;
    }
    uint64_t recid = (uint64_t)(sig[64] - 27);
    zk_buf_init(&p, TX_MAX_SIZE);
    err = put_fields(&p, tx);
    if (!err) {
        if (tx->type == ETH_TX_1559) {
            err = eth_rlp_encode_u64(&p, recid);
        } else if (tx->chain_id > (UINT64_MAX - 36) / 2) {
            err = ZK_EINVAL;
        } else {
            err = eth_rlp_encode_u64(&p, recid + tx->chain_id * 2 + 35);
        }
    }
    if (!err) {
        err = put_scalar(&p, sig);
    }
    if (!err) {
        err = put_scalar(&p, sig + 32);
    }
    if (!err) {
        err = wrap(out, tx, &p);
    }
    zk_buf_cleanup(&p);
    return err;
}

void eth_tx_hash(struct zk_hash32 *hash, const uint8_t *raw, size_t len)
{
    crypto_keccak256(hash, raw, len);
}
