/*
 * rotate.h - the key lifecycle of sp1-tee-rotator (ARCHITECTURE.md 6).
 *
 * One rotation: generate a key (kernel CSPRNG) -> store it 'generated' ->
 * read the latest block -> report data (ARCHITECTURE.md 4) -> quote (tdx
 * configfs-tsm or simulated) -> 'registering' -> register() as an EIP-1559
 * transaction (legacy EIP-155 when the node has no base fee) signed with
 * the operator key -> receipt with status 1 and the configured number of
 * confirmations, and verifyAttestedProver(signer) true on-chain -> 'active'
 * with expires_at = registration block timestamp + attestValiditySeconds
 * read from the registry. Older active keys are then retired and wiped.
 *
 * Failure handling: a pre-flight eth_estimateGas reverts with the
 * registry's reason (decoded and logged); a stuck transaction is replaced
 * with the same nonce and fees raised by 25%; a dropped one is
 * re-broadcast; a reverted receipt is logged with its decoded reason; in
 * every such case the attempt is retried with a FRESH block reference and
 * a new quote, up to max_attempts; then the key is marked 'failed' (secret
 * wiped). A key is marked active only after a successful receipt: never on
 * a timeout, an RPC error or a revert.
 *
 * Secrets: the new key's secret goes straight into the store; the operator
 * key stays in struct rot_ctx (crypto_seckey) and is wiped by
 * rot_ctx_cleanup. Nothing here logs key material.
 *
 * Not thread-safe; one struct rot_ctx per daemon.
 */
#ifndef ZK_ROTD_ROTATE_H
#define ZK_ROTD_ROTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"
#include "crypto/sign.h"
#include "eth/rpc.h"
#include "tdx/tdx.h"

struct store;

struct rot_config {
    enum tdx_mode tee;          /* TDX_MODE_CONFIGFS or TDX_MODE_SIMULATED */
    const char *tdx_root;       /* configfs-tsm root (NULL = default) */
    uint8_t registry[20];       /* SP1TEEProverRegistry address */
    int64_t interval_s;         /* rotation interval (1800) */
    int64_t safety_margin_s;    /* a key this close to expiry is not usable */
    unsigned confirmations;     /* blocks incl. the receipt's (1 = mined) */
    unsigned max_attempts;      /* per rotation (3) */
    unsigned poll_ms;           /* receipt polling period (500) */
    unsigned stuck_after_s;     /* replace a pending tx after this (30) */
    unsigned attempt_timeout_s; /* give up an attempt after this (300) */
    uint64_t max_fee_wei;       /* fee cap per gas, never exceeded (500 gwei) */
};

struct rot_ctx {
    struct rot_config cfg;
    struct eth_rpc *rpc; /* borrowed */
    struct store *db;    /* borrowed */
    struct crypto_seckey operator_key;
    struct crypto_addr operator_addr;
    uint64_t chain_id;
    /* Last fees used per nonce, so a new attempt replaces our own
     * pending transaction instead of queueing behind it. */
    bool has_last;
    uint64_t last_nonce, last_tip, last_max_fee, last_gas_price;
    volatile int *stop; /* set by a signal handler; may be NULL */
};

/* Fills cfg with the defaults listed above (tee simulated is NOT a
 * default: tee = TDX_MODE_CONFIGFS). */
void rot_config_default(struct rot_config *cfg);

/*
 * Loads the operator (transaction-paying) key from a file holding hex
 * text. The file must be a regular file not readable or writable by group
 * or others (mode 0600 or 0400), else ZK_EINVAL. Returns ZK_OK, ZK_EIO,
 * ZK_EINVAL, ZK_ECRYPTO.
 */
ZK_NODISCARD enum zk_err rot_operator_key_from_file(struct crypto_seckey *out,
                                                    const char *path);

/*
 * Prepares ctx: reads the chain id and checks that cfg.registry answers
 * attestValiditySeconds(). Takes a copy of *operator_key (the caller wipes
 * its own). Returns ZK_OK or the RPC error.
 */
ZK_NODISCARD enum zk_err rot_ctx_init(struct rot_ctx *ctx,
                                      const struct rot_config *cfg,
                                      struct eth_rpc *rpc, struct store *db,
                                      const struct crypto_seckey *operator_key);

/* Wipes the operator key. */
void rot_ctx_cleanup(struct rot_ctx *ctx);

/*
 * Runs one full rotation (see above).
 * Returns: ZK_OK with *key_id_out active; otherwise the class of the last
 *          failure (the key is then 'failed', or left 'registering' if we
 *          were stopped by a signal).
 */
ZK_NODISCARD enum zk_err rot_rotate(struct rot_ctx *ctx, int64_t *key_id_out);

/*
 * Decides whether a rotation is due: no usable key (active, secret
 * present, expires_at > now + safety margin, where now is the later of
 * the wall clock and the latest block's timestamp) or the newest active
 * key is older than interval_s. *due_out tells.
 */
ZK_NODISCARD enum zk_err rot_due(struct rot_ctx *ctx, bool *due_out);

/*
 * Crash recovery at start: keys left 'generated' or 'registering' by a
 * previous run are activated if their recorded transaction has a
 * successful receipt and the registry lists the signer, else marked
 * failed (secret wiped). Returns ZK_OK or an RPC/store error (keys whose
 * state cannot be decided are left alone).
 */
ZK_NODISCARD enum zk_err rot_recover(struct rot_ctx *ctx);

/* Retires (and wipes) every active key except keep_id, and expired ones. */
ZK_NODISCARD enum zk_err rot_retire_old(struct rot_ctx *ctx, int64_t keep_id);

#endif
