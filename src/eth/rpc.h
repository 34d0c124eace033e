/*
 * rpc.h - Ethereum JSON-RPC 2.0 request and response bodies.
 *
 * eth_rpc builds request bodies and parses responses (cJSON, inside rpc.c
 * only) but never does network I/O: every request goes through the
 * transport callback the caller supplies (rotd/ uses libcurl with
 * timeouts, retries and failover; tests use canned responses). The
 * transport receives a complete JSON body and must fill `response` with the
 * complete response body (bounded by its max, at most ZK_MAX_RPC_RESPONSE).
 *
 * Responses are validated strictly: "jsonrpc":"2.0", the id we sent, and
 * exactly one of result/error. Quantities must be 0x-hex that fits in 64
 * bits; data must be 0x-hex of even length. A JSON-RPC error object is
 * surfaced as ZK_ERPC with its code, message and (hex) data kept in the
 * struct eth_rpc until the next call (e.g. revert data of eth_call and
 * eth_estimateGas: decode it with eth_abi_decode_revert).
 *
 * Not thread-safe: one struct eth_rpc per thread. Nothing is retained
 * between calls except the last error.
 */
#ifndef ZK_ETH_RPC_H
#define ZK_ETH_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/bytes.h"
#include "base/compiler.h"
#include "base/err.h"

#define ETH_RPC_MAX_ERR_DATA 4096u
#define ETH_RPC_MAX_ERR_MSG  256u

/*
 * Transport: POST request[0..request_len) (a JSON text), append the reply
 * body to response. Return ZK_OK when a body was received, ZK_EBUSY for a
 * retryable failure that was not retried further, anything else for a
 * permanent failure (logged by the transport).
 */
typedef enum zk_err (*eth_rpc_transport_fn)(void *ctx, struct zk_buf *response,
                                            const char *request,
                                            size_t request_len);

struct eth_rpc {
    eth_rpc_transport_fn transport;
    void *ctx;
    uint64_t next_id;
    /* Last JSON-RPC error (valid after a call returned ZK_ERPC). */
    long long err_code;
    char err_message[ETH_RPC_MAX_ERR_MSG];
    uint8_t err_data[ETH_RPC_MAX_ERR_DATA];
    size_t err_data_len;
};

struct eth_block {
    uint64_t number;
    struct zk_hash32 hash;
    uint64_t timestamp;
    uint64_t gas_limit;
    bool has_base_fee; /* false before London / on chains without 1559 */
    uint64_t base_fee;
};

struct eth_receipt {
    uint64_t status; /* 1 success, 0 reverted */
    uint64_t block_number;
    struct zk_hash32 block_hash;
    uint64_t gas_used;
    uint64_t effective_gas_price;
    bool has_contract_address;
    uint8_t contract_address[20];
};

/* A call message for eth_call / eth_estimateGas. from and to may be NULL. */
struct eth_call_msg {
    const uint8_t *from; /* 20 bytes or NULL */
    const uint8_t *to;   /* 20 bytes or NULL (creation) */
    const uint8_t *data;
    size_t data_len;
};

/* Initialises rpc with a transport. Cannot fail; nothing to clean up. */
void eth_rpc_init(struct eth_rpc *rpc, eth_rpc_transport_fn transport,
                  void *ctx);

/*
 * Generic call: params_json is a JSON array text (e.g. "[]" or
 * "[\"0x10\",true]"); the result is appended to result_json as JSON text.
 * Returns: ZK_OK; ZK_ERPC (error object; see rpc->err_*); ZK_EINVAL
 *          (malformed response); transport errors; ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err eth_rpc_raw(struct eth_rpc *rpc,
                                     struct zk_buf *result_json,
                                     const char *method,
                                     const char *params_json);

/* The methods below return ZK_OK or the same classes as eth_rpc_raw. */

ZK_NODISCARD enum zk_err eth_rpc_chain_id(struct eth_rpc *rpc, uint64_t *out);
ZK_NODISCARD enum zk_err eth_rpc_block_number(struct eth_rpc *rpc,
                                              uint64_t *out);

/* eth_getBlockByNumber(latest ? "latest" : number, false).
 * ZK_ENOTFOUND if the node returns null. */
ZK_NODISCARD enum zk_err eth_rpc_get_block(struct eth_rpc *rpc,
                                           struct eth_block *out,
                                           uint64_t number, bool latest);

/* eth_getTransactionCount(addr, tag) with tag "latest" or "pending". */
ZK_NODISCARD enum zk_err eth_rpc_get_transaction_count(struct eth_rpc *rpc,
                                                       uint64_t *out,
                                                       const uint8_t addr[20],
                                                       const char *tag);

ZK_NODISCARD enum zk_err eth_rpc_estimate_gas(struct eth_rpc *rpc,
                                              uint64_t *out,
                                              const struct eth_call_msg *msg);

ZK_NODISCARD enum zk_err eth_rpc_max_priority_fee(struct eth_rpc *rpc,
                                                  uint64_t *out);
ZK_NODISCARD enum zk_err eth_rpc_gas_price(struct eth_rpc *rpc, uint64_t *out);

/* eth_feeHistory(1, "latest", [50]). Out: base fee of the next block and
 * the median tip of the latest block (0 if the node gives no rewards). */
ZK_NODISCARD enum zk_err eth_rpc_fee_history(struct eth_rpc *rpc,
                                             uint64_t *next_base_fee,
                                             uint64_t *tip_p50);

/* eth_call(msg, block_tag) -> return data appended to out. A revert is
 * ZK_ERPC with the revert data in rpc->err_data. */
ZK_NODISCARD enum zk_err eth_rpc_call(struct eth_rpc *rpc, struct zk_buf *out,
                                      const struct eth_call_msg *msg,
                                      const char *block_tag);

ZK_NODISCARD enum zk_err eth_rpc_send_raw_transaction(struct eth_rpc *rpc,
                                                      struct zk_hash32 *hash,
                                                      const uint8_t *raw,
                                                      size_t len);

/* ZK_ENOTFOUND while the transaction is not mined (receipt null). */
ZK_NODISCARD enum zk_err
eth_rpc_get_transaction_receipt(struct eth_rpc *rpc, struct eth_receipt *out,
                                const struct zk_hash32 *hash);

/* eth_getTransactionByHash: *known = false if the node does not know the
 * transaction (dropped from the pool, or never received). */
ZK_NODISCARD enum zk_err
eth_rpc_transaction_known(struct eth_rpc *rpc, bool *known,
                          const struct zk_hash32 *hash);

/* Parses a JSON-RPC quantity ("0x1a") into a uint64. ZK_EINVAL otherwise. */
ZK_NODISCARD enum zk_err eth_rpc_parse_quantity(uint64_t *out, const char *s);

#endif
