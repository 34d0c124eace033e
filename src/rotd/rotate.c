/* rotate.c - one key rotation, its retries, crash recovery, retirement. */
#include <config.h>

#include "rotd/rotate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/hex.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/keccak.h"
#include "crypto/rand.h"
#include "crypto/sha256.h"
#include "eth/abi.h"
#include "eth/tx.h"
#include "store/store.h"

#define GWEI            1000000000ull
#define MAX_TX_HASHES   32u
#define REGISTER_SIG    "register((uint256,bytes32,address),bytes)"
#define MAX_LISTED_KEYS 64u

/* Custom errors of our contracts, for revert decoding. */
static const char *const custom_errors[] = {
    "Unauthorized()",   "InvalidSignature()",    "Invalid_TEE_Signer(address)",
    "INVALID_REPORT()", "INVALID_REPORT_DATA()",
};

void rot_config_default(struct rot_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->tee = TDX_MODE_CONFIGFS;
    cfg->interval_s = 1800;
    cfg->safety_margin_s = 300;
    cfg->confirmations = 1;
    cfg->max_attempts = 3;
    cfg->poll_ms = 500;
    cfg->stuck_after_s = 30;
    cfg->attempt_timeout_s = 300;
    cfg->max_fee_wei = 500 * GWEI;
}

static int64_t wall_now(void)
{
    return (int64_t)time(NULL);
}

static bool stopped(const struct rot_ctx *ctx)
{
    return ctx->stop && *ctx->stop;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL); /* a signal cuts it short: callers re-check */
}

enum zk_err rot_operator_key_from_file(struct crypto_seckey *out,
                                       const char *path)
{
    char text[256];
    struct stat st;
    enum zk_err err = ZK_EIO;
    ssize_t n;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) {
        zk_error("rotd: operator key: open %s: %s", path, strerror(errno));
        return ZK_EIO;
    }
    if (fstat(fd, &st) != 0) {
        zk_error("rotd: operator key: stat %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode) || (st.st_mode & 077) != 0) {
        zk_error("rotd: operator key: %s must be a regular file with mode "
                 "0600 or 0400 (is %03o); refusing it",
                 path, (unsigned)(st.st_mode & 0777));
        err = ZK_EINVAL;
        goto out;
    }
    n = read(fd, text, sizeof(text) - 1);
    if (n < 0) {
        zk_error("rotd: operator key: read %s: %s", path, strerror(errno));
        goto out;
    }
    text[n] = '\0';
    err = crypto_seckey_from_hex(out, text);
    if (err) {
        zk_error("rotd: operator key: %s does not hold a hex secp256k1 key",
                 path);
    }
out:
    zk_memclear(text, sizeof(text));
    close(fd);
    return err;
}

/* ---- registry reads ---------------------------------------------------- */

/* Describes err; for ZK_ERPC with the node's code and message. The text
 * lives in a static buffer (single-threaded daemon). */
static const char *err_text(const struct rot_ctx *ctx, enum zk_err err)
{
    static char buf[ETH_RPC_MAX_ERR_MSG + 48];
    if (err != ZK_ERPC) {
        return zk_strerror(err);
    }
    (void)snprintf(buf, sizeof(buf), "rpc error %lld: %s", ctx->rpc->err_code,
                   ctx->rpc->err_message);
    return buf;
}

static void log_revert(const struct rot_ctx *ctx, const char *what, char *why,
                       size_t why_size)
{
    char reason[384];
    if (ctx->rpc->err_data_len > 0) {
        enum zk_err e = eth_abi_decode_revert(
            reason, sizeof(reason), ctx->rpc->err_data, ctx->rpc->err_data_len,
            custom_errors, ZK_ARRAY_LEN(custom_errors));
        (void)e; /* the text describes unknown data too */
    } else {
        (void)snprintf(reason, sizeof(reason), "rpc error %lld: %s",
                       ctx->rpc->err_code, ctx->rpc->err_message);
    }
    zk_warn("rotd: %s: %s", what, reason);
    (void)snprintf(why, why_size, "%s: %s", what, reason);
}

/* eth_call of a view returning one word; decoded as u64 or bool. */
static enum zk_err registry_call_word(struct rot_ctx *ctx, uint8_t word[32],
                                      const char *sig,
                                      const struct eth_abi_value *args)
{
    struct zk_buf data, out;
    struct eth_abi_value none = eth_abi_list(NULL, 0);
    enum zk_err err;
    zk_buf_init(&data, 4096);
    zk_buf_init(&out, 4096);
    err = eth_abi_encode_call(&data, sig, args ? args : &none);
    if (!err) {
        struct eth_call_msg msg = {NULL, ctx->cfg.registry, data.data,
                                   data.len};
        err = eth_rpc_call(ctx->rpc, &out, &msg, "latest");
    }
    if (!err && out.len != 32) {
        zk_error("rotd: %s: registry returned %zu bytes (not a registry?)", sig,
                 out.len);
        err = ZK_EINVAL;
    }
    if (!err) {
        memcpy(word, out.data, 32);
    }
    zk_buf_cleanup(&data);
    zk_buf_cleanup(&out);
    return err;
}

static enum zk_err registry_u64(struct rot_ctx *ctx, uint64_t *out,
                                const char *sig)
{
    uint8_t w[32];
    enum zk_err err = registry_call_word(ctx, w, sig, NULL);
    if (err) {
        return err;
    }
    struct eth_abi_value v = eth_abi_word(w);
    err = eth_abi_value_u64(out, &v);
    if (err) {
        zk_error("rotd: %s: value does not fit 64 bits", sig);
    }
    return err;
}

static enum zk_err registry_attested(struct rot_ctx *ctx, bool *out,
                                     const struct crypto_addr *addr)
{
    uint8_t w[32];
    struct eth_abi_value a = eth_abi_address(addr->b);
    struct eth_abi_value args = eth_abi_list(&a, 1);
    enum zk_err err =
        registry_call_word(ctx, w, "verifyAttestedProver(address)", &args);
    if (!err) {
        *out = w[31] == 1;
    }
    return err;
}

enum zk_err rot_ctx_init(struct rot_ctx *ctx, const struct rot_config *cfg,
                         struct eth_rpc *rpc, struct store *db,
                         const struct crypto_seckey *operator_key)
{
    uint64_t validity = 0;
    char hex[CRYPTO_ADDR_HEX_SIZE];
    memset(ctx, 0, sizeof(*ctx));
    ctx->cfg = *cfg;
    ctx->rpc = rpc;
    ctx->db = db;
    ctx->operator_key = *operator_key;
    enum zk_err err = crypto_seckey_to_addr(&ctx->operator_addr, operator_key);
    if (err) {
        return err;
    }
    err = eth_rpc_chain_id(rpc, &ctx->chain_id);
    if (err) {
        zk_error("rotd: init: eth_chainId failed: %s", err_text(ctx, err));
        return err;
    }
    err = registry_u64(ctx, &validity, "attestValiditySeconds()");
    if (err) {
        zk_error("rotd: init: the registry does not answer "
                 "attestValiditySeconds()");
        return err;
    }
    crypto_addr_to_hex(hex, &ctx->operator_addr);
    zk_info("rotd: init: chain %llu, operator %s, attestValiditySeconds %llu",
            (unsigned long long)ctx->chain_id, hex,
            (unsigned long long)validity);
    return ZK_OK;
}

void rot_ctx_cleanup(struct rot_ctx *ctx)
{
    crypto_seckey_clear(&ctx->operator_key);
}

/* ---- report data, calldata -------------------------------------------- */

/* rd = 12 zero bytes || addr || keccak256(abi.encode(num, hash, addr)). */
static enum zk_err build_report_data(uint8_t rd[64], uint64_t number,
                                     const struct zk_hash32 *hash,
                                     const struct crypto_addr *addr)
{
    struct zk_buf b;
    struct zk_hash32 h;
    struct eth_abi_value f[] = {eth_abi_u64(number), eth_abi_word(hash->b),
                                eth_abi_address(addr->b)};
    struct eth_abi_value t = eth_abi_list(f, 3);
    zk_buf_init(&b, 256);
    enum zk_err err = eth_abi_encode(&b, "(uint256,bytes32,address)", &t);
    if (!err) {
        crypto_keccak256(&h, b.data, b.len);
        memset(rd, 0, 12);
        memcpy(rd + 12, addr->b, 20);
        memcpy(rd + 32, h.b, 32);
    }
    zk_buf_cleanup(&b);
    return err;
}

static enum zk_err build_register_call(struct zk_buf *out, uint64_t number,
                                       const struct zk_hash32 *hash,
                                       const struct crypto_addr *addr,
                                       const struct zk_buf *quote)
{
    struct eth_abi_value f[] = {eth_abi_u64(number), eth_abi_word(hash->b),
                                eth_abi_address(addr->b)};
    struct eth_abi_value args[] = {eth_abi_list(f, 3),
                                   eth_abi_bytes(quote->data, quote->len)};
    struct eth_abi_value l = eth_abi_list(args, 2);
    return eth_abi_encode_call(out, REGISTER_SIG, &l);
}

/* ---- transactions ------------------------------------------------------ */

struct pending {
    struct eth_tx tx;
    struct zk_hash32 hashes[MAX_TX_HASHES];
    size_t n;
};

static uint64_t bump(uint64_t v)
{
    /* +25%: above geth's 10% replacement minimum; saturating. */
    return v > (UINT64_MAX - 1) / 5 * 4 ? UINT64_MAX : v + v / 4 + 1;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

/* Applies the configured fee cap: type 2 fees are clamped to it (if the
 * base fee is above the cap the transaction waits in the pool until the
 * attempt times out); a legacy gas price above it is ZK_ELIMIT. */
static enum zk_err cap_fees(const struct rot_ctx *ctx, struct eth_tx *tx)
{
    uint64_t cap = ctx->cfg.max_fee_wei;
    if (tx->type == ETH_TX_LEGACY) {
        if (tx->gas_price > cap) {
            zk_error("rotd: fees: gas price %llu above the cap %llu wei",
                     (unsigned long long)tx->gas_price,
                     (unsigned long long)cap);
            return ZK_ELIMIT;
        }
        return ZK_OK;
    }
    if (tx->max_fee > cap) {
        tx->max_fee = cap;
    }
    if (tx->max_priority_fee > tx->max_fee) {
        tx->max_priority_fee = tx->max_fee;
    }
    return ZK_OK;
}

/* Fills fees and the nonce of tx (EIP-1559 if the chain has a base fee). */
static enum zk_err choose_nonce_and_fees(struct rot_ctx *ctx, struct eth_tx *tx)
{
    struct eth_rpc *rpc = ctx->rpc;
    struct eth_block latest;
    uint64_t n_latest = 0, n_pending = 0;
    enum zk_err err;

    err = eth_rpc_get_transaction_count(rpc, &n_latest, ctx->operator_addr.b,
                                        "latest");
    if (!err) {
        err = eth_rpc_get_transaction_count(rpc, &n_pending,
                                            ctx->operator_addr.b, "pending");
    }
    if (!err) {
        err = eth_rpc_get_block(rpc, &latest, 0, true);
    }
    if (err) {
        return err;
    }
    /* Replace our own still-pending transaction rather than queue behind
     * it; otherwise take the next free nonce. */
    bool replace = ctx->has_last && ctx->last_nonce >= n_latest &&
                   ctx->last_nonce < n_pending;
    tx->nonce = replace ? ctx->last_nonce : n_pending;

    if (latest.has_base_fee) {
        uint64_t tip = 0, base_next = 0;
        tx->type = ETH_TX_1559;
        if (eth_rpc_max_priority_fee(rpc, &tip) != ZK_OK) {
            uint64_t hist_tip = 0;
            if (eth_rpc_fee_history(rpc, &base_next, &hist_tip) == ZK_OK) {
                tip = hist_tip;
            }
        }
        if (tip == 0) {
            tip = 1 * GWEI / 10;
        }
        tx->max_priority_fee = tip;
        uint64_t base = max_u64(latest.base_fee, base_next);
        /* 2*base + tip, saturating (clamped to the cap below). */
        tx->max_fee =
            base > (UINT64_MAX - tip) / 2 ? UINT64_MAX : 2 * base + tip;
        if (replace) {
            tx->max_priority_fee =
                max_u64(tx->max_priority_fee, bump(ctx->last_tip));
            tx->max_fee = max_u64(tx->max_fee, bump(ctx->last_max_fee));
            tx->max_fee = max_u64(tx->max_fee, tx->max_priority_fee);
        }
    } else {
        tx->type = ETH_TX_LEGACY;
        err = eth_rpc_gas_price(rpc, &tx->gas_price);
        if (err) {
            return err;
        }
        if (replace) {
            tx->gas_price = max_u64(tx->gas_price, bump(ctx->last_gas_price));
        }
    }
    return cap_fees(ctx, tx);
}

/* Signs tx with the operator key and sends it; records its hash. */
static enum zk_err sign_and_send(struct rot_ctx *ctx, struct pending *p,
                                 int64_t key_id)
{
    struct zk_hash32 h, txh;
    struct crypto_sig sig;
    struct zk_buf raw;
    char hex[2 * 32 + 3];
    enum zk_err err = eth_tx_signing_hash(&h, &p->tx);
    if (err) {
        return err;
    }
    err = crypto_sign_hash(&sig, &ctx->operator_key, &h);
    if (err) {
        return err;
    }
    zk_buf_init(&raw, ZK_MAX_RLP_ITEM + 8192);
    err = eth_tx_encode_signed(&raw, &p->tx, sig.b);
    if (!err) {
        eth_tx_hash(&txh, raw.data, raw.len);
        err = eth_rpc_send_raw_transaction(ctx->rpc, &h, raw.data, raw.len);
        if (err == ZK_ERPC && strstr(ctx->rpc->err_message, "already known")) {
            err = ZK_OK; /* a re-broadcast the node already has */
            h = txh;
        }
    }
    zk_buf_cleanup(&raw);
    if (err == ZK_ERPC) {
        zk_warn("rotd: send: rpc error %lld: %s", ctx->rpc->err_code,
                ctx->rpc->err_message);
    }
    if (err) {
        return err;
    }
    if (memcmp(h.b, txh.b, 32) != 0) {
        zk_warn("rotd: send: node returned a different transaction hash");
    }
    ctx->has_last = true;
    ctx->last_nonce = p->tx.nonce;
    ctx->last_tip = p->tx.max_priority_fee;
    ctx->last_max_fee = p->tx.max_fee;
    ctx->last_gas_price = p->tx.gas_price;
    if (p->n < MAX_TX_HASHES) {
        p->hashes[p->n++] = txh;
    } else {
        p->hashes[MAX_TX_HASHES - 1] = txh;
    }
    ZK_ASSERT(zk_hex_encode(hex, sizeof(hex), txh.b, 32, true) == ZK_OK);
    err = store_key_set_tx(ctx->db, key_id, hex);
    zk_info("rotd: register: sent tx %s (nonce %llu, %s)", hex,
            (unsigned long long)p->tx.nonce,
            p->tx.type == ETH_TX_1559 ? "eip-1559" : "legacy");
    return err;
}

/* ---- one attempt ------------------------------------------------------- */

struct attempt_result {
    char why[STORE_ERR_SIZE];
};

/* Waits until the block number reaches target (bounded by deadline). */
static enum zk_err wait_block(struct rot_ctx *ctx, uint64_t target,
                              int64_t deadline)
{
    for (;;) {
        uint64_t cur = 0;
        enum zk_err err = eth_rpc_block_number(ctx->rpc, &cur);
        if (!err && cur >= target) {
            return ZK_OK;
        }
        if (stopped(ctx) || wall_now() > deadline) {
            return ZK_EBUSY;
        }
        sleep_ms(ctx->cfg.poll_ms);
    }
}

/* Handles a successful receipt: confirmations, on-chain check, expiry. */
static enum zk_err finish_success(struct rot_ctx *ctx, int64_t key_id,
                                  const struct crypto_addr *addr,
                                  const struct eth_receipt *rc,
                                  const struct zk_hash32 *txh, int64_t deadline,
                                  struct attempt_result *res)
{
    struct eth_receipt again;
    struct eth_block blk;
    uint64_t validity = 0;
    bool listed = false;
    enum zk_err err;
    uint64_t conf = ctx->cfg.confirmations ? ctx->cfg.confirmations : 1;

    err = wait_block(ctx, rc->block_number + conf - 1, deadline);
    if (err) {
        (void)snprintf(res->why, sizeof(res->why),
                       "confirmations not reached in time");
        return err;
    }
    /* Re-read the receipt: after a reorg it may be gone or moved. */
    err = eth_rpc_get_transaction_receipt(ctx->rpc, &again, txh);
    if (err || again.status != 1 ||
        memcmp(again.block_hash.b, rc->block_hash.b, 32) != 0) {
        (void)snprintf(res->why, sizeof(res->why),
                       "receipt changed while waiting for confirmations");
        return err ? err : ZK_EBUSY;
    }
    err = registry_attested(ctx, &listed, addr);
    if (err || !listed) {
        (void)snprintf(res->why, sizeof(res->why),
                       "registry does not list the signer after a successful "
                       "receipt");
        return err ? err : ZK_EINVAL;
    }
    err = eth_rpc_get_block(ctx->rpc, &blk, rc->block_number, false);
    if (!err) {
        err = registry_u64(ctx, &validity, "attestValiditySeconds()");
    }
    if (err) {
        (void)snprintf(res->why, sizeof(res->why), "reading expiry: %s",
                       err_text(ctx, err));
        return err;
    }
    int64_t expires = (int64_t)blk.timestamp + (int64_t)validity;
    err =
        store_key_activate(ctx->db, key_id, (int64_t)rc->block_number, expires);
    if (!err) {
        zk_info("rotd: register: key %lld active from block %llu (%llu "
                "confirmations), expires at %lld (block time %llu + %llu s)",
                (long long)key_id, (unsigned long long)rc->block_number,
                (unsigned long long)conf, (long long)expires,
                (unsigned long long)blk.timestamp,
                (unsigned long long)validity);
    }
    return err;
}

/* Everything one attempt builds and keeps. */
struct reg {
    struct eth_block ref;    /* the reference block */
    uint64_t max_diff;       /* the registry's maxBlockNumberDiff */
    struct zk_buf quote;     /* trimmed quote */
    struct zk_buf calldata;  /* register(data, quote) */
    struct eth_call_msg msg; /* operator -> registry, calldata */
    struct pending p;        /* the transaction and its hashes */
    int64_t deadline;        /* wall-clock end of the attempt */
};

/* Logs the full measurements of a quote: what an operator pins with
 * allowMeasurement (docs/contracts.md). */
static void log_measurements(const struct tdx_quote *q)
{
    char mr[5][2 * TDX_MR_LEN + 1];
    ZK_ASSERT(zk_hex_encode(mr[0], sizeof(mr[0]), q->td.mrtd, TDX_MR_LEN,
                            false) == ZK_OK);
    for (int i = 0; i < 4; i++) {
        ZK_ASSERT(zk_hex_encode(mr[i + 1], sizeof(mr[i + 1]), q->td.rtmr[i],
                                TDX_MR_LEN, false) == ZK_OK);
    }
    zk_info("rotd: quote: MRTD %s RTMR0 %s RTMR1 %s RTMR2 %s RTMR3 %s "
            "TD_ATTRIBUTES %016llx",
            mr[0], mr[1], mr[2], mr[3], mr[4],
            (unsigned long long)q->td.td_attributes);
}

/* Latest block -> report data -> quote -> 'registering' -> calldata. */
static enum zk_err prepare(struct rot_ctx *ctx, struct reg *r, int64_t key_id,
                           const struct crypto_addr *addr,
                           struct attempt_result *res)
{
    struct zk_hash32 qhash;
    struct tdx_quote parsed;
    uint8_t rd[64];
    char qhex[65], refhex[67], mrtd[2 * 8 + 1];
    enum zk_err err = eth_rpc_get_block(ctx->rpc, &r->ref, 0, true);
    if (err) {
        (void)snprintf(res->why, sizeof(res->why), "latest block: %s",
                       err_text(ctx, err));
        return err;
    }
    err = registry_u64(ctx, &r->max_diff, "maxBlockNumberDiff()");
    if (err) {
        (void)snprintf(res->why, sizeof(res->why), "maxBlockNumberDiff: %s",
                       err_text(ctx, err));
        return err;
    }
    err = build_report_data(rd, r->ref.number, &r->ref.hash, addr);
    if (!err) {
        err = tdx_quote_get(ctx->cfg.tee, ctx->cfg.tdx_root, rd, &r->quote);
        if (err) {
            (void)snprintf(res->why, sizeof(res->why), "quote: %s",
                           zk_strerror(err));
        }
    }
    if (!err) {
        err = crypto_sha256(&qhash, r->quote.data, r->quote.len);
    }
    if (err) {
        goto out;
    }
    ZK_ASSERT(zk_hex_encode(qhex, sizeof(qhex), qhash.b, 32, false) == ZK_OK);
    ZK_ASSERT(zk_hex_encode(refhex, sizeof(refhex), r->ref.hash.b, 32, true) ==
              ZK_OK);
    if (tdx_quote_parse_td(&parsed, r->quote.data, r->quote.len) == ZK_OK) {
        ZK_ASSERT(zk_hex_encode(mrtd, sizeof(mrtd), parsed.td.mrtd, 8, false) ==
                  ZK_OK);
        zk_info("rotd: quote: sha256 %s, %zu bytes, v%u, MRTD %s..., "
                "debug %s%s",
                qhex, r->quote.len, (unsigned)parsed.version, mrtd,
                parsed.debug ? "yes" : "no",
                parsed.is_simulated ? ", SIMULATED (mock verifier only)" : "");
        log_measurements(&parsed);
    }
    err = store_key_set_registering(ctx->db, key_id, rd, sizeof(rd),
                                    r->quote.data, r->quote.len, qhex,
                                    (int64_t)r->ref.number, refhex);
    if (err) {
        (void)snprintf(res->why, sizeof(res->why), "store: %s",
                       zk_strerror(err));
        goto out;
    }
    err = build_register_call(&r->calldata, r->ref.number, &r->ref.hash, addr,
                              &r->quote);
    if (!err) {
        r->msg.from = ctx->operator_addr.b;
        r->msg.to = ctx->cfg.registry;
        r->msg.data = r->calldata.data;
        r->msg.data_len = r->calldata.len;
    }
out:
    zk_memclear(rd, sizeof(rd));
    return err;
}

/* Pre-flight (a registration that would revert is not sent), nonce, fees,
 * first send. */
static enum zk_err send_first(struct rot_ctx *ctx, struct reg *r,
                              int64_t key_id, struct attempt_result *res)
{
    uint64_t est = 0;
    enum zk_err err = eth_rpc_estimate_gas(ctx->rpc, &est, &r->msg);
    if (err == ZK_ERPC) {
        log_revert(ctx, "register would revert", res->why, sizeof(res->why));
        return err;
    }
    if (err) {
        (void)snprintf(res->why, sizeof(res->why), "estimateGas: %s",
                       err_text(ctx, err));
        return err;
    }
    r->p.tx.chain_id = ctx->chain_id;
    r->p.tx.gas_limit = est + est / 4 + 10000;
    r->p.tx.has_to = true;
    memcpy(r->p.tx.to, ctx->cfg.registry, 20);
    r->p.tx.data = r->calldata.data;
    r->p.tx.data_len = r->calldata.len;
    err = choose_nonce_and_fees(ctx, &r->p.tx);
    if (!err) {
        err = sign_and_send(ctx, &r->p, key_id);
    }
    if (err) {
        (void)snprintf(res->why, sizeof(res->why), "send: %s",
                       err_text(ctx, err));
    }
    return err;
}

/* A receipt arrived for one of our hashes: reverted -> reason logged and
 * ZK_ERPC; success -> finish_success. */
static enum zk_err on_receipt(struct rot_ctx *ctx, struct reg *r,
                              int64_t key_id, const struct crypto_addr *addr,
                              const struct eth_receipt *rc,
                              const struct zk_hash32 *txh,
                              struct attempt_result *res)
{
    ctx->has_last = false; /* the nonce is consumed */
    if (rc->status == 1) {
        return finish_success(ctx, key_id, addr, rc, txh, r->deadline, res);
    }
    struct zk_buf ignored;
    zk_buf_init(&ignored, 4096);
    enum zk_err e = eth_rpc_call(ctx->rpc, &ignored, &r->msg, "latest");
    zk_buf_cleanup(&ignored);
    if (e == ZK_ERPC) {
        log_revert(ctx, "register reverted", res->why, sizeof(res->why));
    } else {
        (void)snprintf(
            res->why, sizeof(res->why),
            "register reverted in block %llu (reason not reproducible)",
            (unsigned long long)rc->block_number);
        zk_warn("rotd: %s", res->why);
    }
    return ZK_ERPC;
}

/* Stuck or dropped: the same nonce again with fees +25% (under the cap).
 * Returns ZK_EBUSY when the nonce was taken by another transaction, else
 * ZK_OK (keep waiting). *sent_at is reset when a decision was made. */
static enum zk_err maybe_replace(struct rot_ctx *ctx, struct reg *r,
                                 int64_t key_id, int64_t *sent_at,
                                 struct attempt_result *res)
{
    struct pending *p = &r->p;
    int64_t now = wall_now();
    bool known = true;
    uint64_t n_latest = 0;
    if (eth_rpc_transaction_known(ctx->rpc, &known, &p->hashes[p->n - 1]) !=
            ZK_OK ||
        eth_rpc_get_transaction_count(ctx->rpc, &n_latest, ctx->operator_addr.b,
                                      "latest") != ZK_OK) {
        return ZK_OK; /* node unreachable: keep polling until deadline */
    }
    if (n_latest > p->tx.nonce) {
        /* Our nonce was used; a receipt should appear on the next poll
         * unless another transaction took it. */
        if (now - *sent_at > 2 * (int64_t)ctx->cfg.stuck_after_s) {
            (void)snprintf(res->why, sizeof(res->why),
                           "nonce %llu consumed by another transaction",
                           (unsigned long long)p->tx.nonce);
            ctx->has_last = false;
            return ZK_EBUSY;
        }
        return ZK_OK;
    }
    zk_warn("rotd: register: tx %s after %lld s; replacing with higher fees",
            known ? "still pending" : "dropped by the node",
            (long long)(now - *sent_at));
    struct eth_tx before = p->tx;
    if (p->tx.type == ETH_TX_1559) {
        p->tx.max_priority_fee = bump(p->tx.max_priority_fee);
        p->tx.max_fee = max_u64(bump(p->tx.max_fee), p->tx.max_priority_fee);
    } else {
        p->tx.gas_price = bump(p->tx.gas_price);
    }
    if (cap_fees(ctx, &p->tx) != ZK_OK ||
        (known && p->tx.max_fee == before.max_fee &&
         p->tx.gas_price == before.gas_price)) {
        zk_warn("rotd: register: fee cap %llu wei reached; waiting",
                (unsigned long long)ctx->cfg.max_fee_wei);
        p->tx = before;
    } else if (sign_and_send(ctx, p, key_id) != ZK_OK) {
        zk_warn("rotd: register: replacement not accepted (will retry)");
    }
    *sent_at = wall_now();
    return ZK_OK;
}

/* Polls for a receipt of any of our transactions for this nonce. */
static enum zk_err wait_receipt(struct rot_ctx *ctx, struct reg *r,
                                int64_t key_id, const struct crypto_addr *addr,
                                struct attempt_result *res)
{
    int64_t sent_at = wall_now();
    for (;;) {
        if (stopped(ctx)) {
            (void)snprintf(res->why, sizeof(res->why), "stopped");
            return ZK_EBUSY;
        }
        sleep_ms(ctx->cfg.poll_ms);
        for (size_t i = 0; i < r->p.n; i++) {
            struct eth_receipt rc;
            enum zk_err e =
                eth_rpc_get_transaction_receipt(ctx->rpc, &rc, &r->p.hashes[i]);
            if (e == ZK_ENOTFOUND) {
                continue;
            }
            if (e) {
                zk_warn("rotd: receipt: %s (will retry)", err_text(ctx, e));
                break;
            }
            return on_receipt(ctx, r, key_id, addr, &rc, &r->p.hashes[i], res);
        }
        if (wall_now() > r->deadline) {
            (void)snprintf(res->why, sizeof(res->why), "no receipt within %u s",
                           ctx->cfg.attempt_timeout_s);
            return ZK_EBUSY;
        }
        uint64_t cur = 0;
        if (eth_rpc_block_number(ctx->rpc, &cur) == ZK_OK &&
            cur > r->ref.number && cur - r->ref.number + 1 >= r->max_diff) {
            (void)snprintf(res->why, sizeof(res->why),
                           "reference block %llu too old before inclusion",
                           (unsigned long long)r->ref.number);
            return ZK_EBUSY;
        }
        if (wall_now() - sent_at >= (int64_t)ctx->cfg.stuck_after_s) {
            enum zk_err e = maybe_replace(ctx, r, key_id, &sent_at, res);
            if (e) {
                return e;
            }
        }
    }
}

static enum zk_err attempt(struct rot_ctx *ctx, int64_t key_id,
                           const struct crypto_addr *addr,
                           struct attempt_result *res)
{
    struct reg r;
    memset(&r, 0, sizeof(r));
    r.max_diff = 100;
    r.deadline = wall_now() + (int64_t)ctx->cfg.attempt_timeout_s;
    zk_buf_init(&r.quote, ZK_MAX_QUOTE_SIZE);
    zk_buf_init(&r.calldata, ZK_MAX_QUOTE_SIZE + 4096);
    enum zk_err err = prepare(ctx, &r, key_id, addr, res);
    if (!err) {
        err = send_first(ctx, &r, key_id, res);
    }
    if (!err) {
        err = wait_receipt(ctx, &r, key_id, addr, res);
    }
    zk_buf_cleanup(&r.quote);
    zk_buf_cleanup(&r.calldata);
    return err;
}

/* ---- rotation ---------------------------------------------------------- */

enum zk_err rot_rotate(struct rot_ctx *ctx, int64_t *key_id_out)
{
    struct crypto_seckey key;
    struct crypto_addr addr;
    struct attempt_result res;
    char addr_hex[CRYPTO_ADDR_HEX_SIZE];
    int64_t id = 0;
    const char *mode = ctx->cfg.tee == TDX_MODE_SIMULATED ? "simulated" : "tdx";

    enum zk_err err = crypto_seckey_generate(&key);
    if (!err) {
        err = crypto_seckey_to_addr(&addr, &key);
    }
    if (!err) {
        crypto_addr_to_hex(addr_hex, &addr);
        err = store_key_insert(ctx->db, &id, addr_hex, key.b, mode);
    }
    crypto_seckey_clear(&key);
    if (err) {
        zk_error("rotd: rotation: cannot create a key: %s", zk_strerror(err));
        return err;
    }
    zk_info("rotd: rotation: new signer %s (key %lld, tee %s)", addr_hex,
            (long long)id, mode);

    memset(&res, 0, sizeof(res));
    for (unsigned i = 1; i <= ctx->cfg.max_attempts; i++) {
        memset(&res, 0, sizeof(res));
        err = attempt(ctx, id, &addr, &res);
        if (!err) {
            *key_id_out = id;
            enum zk_err e = rot_retire_old(ctx, id);
            if (e) {
                zk_warn("rotd: rotation: retiring old keys: %s",
                        zk_strerror(e));
            }
            return ZK_OK;
        }
        zk_warn("rotd: rotation: attempt %u/%u failed: %s", i,
                ctx->cfg.max_attempts, res.why[0] ? res.why : zk_strerror(err));
        if (stopped(ctx)) {
            return err; /* leave it 'registering'; rot_recover decides */
        }
        if (i < ctx->cfg.max_attempts) {
            sleep_ms(1000u * i);
        }
    }
    char why[STORE_ERR_SIZE + 64];
    (void)snprintf(
        why, sizeof(why), "registration failed after %u attempts: %s",
        ctx->cfg.max_attempts, res.why[0] ? res.why : zk_strerror(err));
    if (store_key_fail(ctx->db, id, why) != ZK_OK) {
        zk_error("rotd: rotation: cannot mark key %lld failed", (long long)id);
    }
    zk_error("rotd: rotation: key %lld %s", (long long)id, why);
    return err;
}

enum zk_err rot_retire_old(struct rot_ctx *ctx, int64_t keep_id)
{
    struct store_key *keys = zk_calloc(MAX_LISTED_KEYS, sizeof(*keys));
    size_t n = 0;
    if (!keys) {
        return ZK_ENOMEM;
    }
    enum zk_err err =
        store_key_list(ctx->db, keys, MAX_LISTED_KEYS, &n, "active");
    for (size_t i = 0; !err && i < n; i++) {
        if (keys[i].id == keep_id) {
            continue;
        }
        err = store_key_retire_and_wipe(ctx->db, keys[i].id);
        if (!err) {
            zk_info("rotd: retire: key %lld (%s) retired, secret wiped",
                    (long long)keys[i].id, keys[i].address);
        }
    }
    for (size_t i = 0; i < MAX_LISTED_KEYS; i++) {
        store_key_clear(&keys[i]);
    }
    zk_free(keys);
    return err;
}

enum zk_err rot_due(struct rot_ctx *ctx, bool *due_out)
{
    struct store_key k;
    struct eth_block latest;
    int64_t now = wall_now();
    memset(&k, 0, sizeof(k));
    if (eth_rpc_get_block(ctx->rpc, &latest, 0, true) == ZK_OK &&
        (int64_t)latest.timestamp > now) {
        now = (int64_t)latest.timestamp; /* chain time ahead of ours */
    }
    enum zk_err err =
        store_key_get_signing(ctx->db, &k, now, ctx->cfg.safety_margin_s);
    if (err == ZK_ENOTFOUND) {
        *due_out = true;
        return ZK_OK;
    }
    if (err) {
        return err;
    }
    *due_out = wall_now() - k.created_at >= ctx->cfg.interval_s;
    store_key_clear(&k);
    return ZK_OK;
}

/* Decides one interrupted key. */
static enum zk_err recover_one(struct rot_ctx *ctx, const struct store_key *k)
{
    struct zk_hash32 h;
    struct eth_receipt rc;
    struct crypto_addr addr;
    struct attempt_result res;
    enum zk_err err;

    if (strcmp(k->status, "generated") == 0 || k->tx_hash[0] == '\0') {
        zk_warn("rotd: recover: key %lld was interrupted before its "
                "transaction; marking it failed",
                (long long)k->id);
        return store_key_fail(ctx->db, k->id,
                              "interrupted before registration was sent");
    }
    err = zk_hex_decode_exact(h.b, 32, k->tx_hash);
    if (!err) {
        err = crypto_addr_from_hex(&addr, k->address);
    }
    if (err) {
        return store_key_fail(ctx->db, k->id, "unreadable key row");
    }
    err = eth_rpc_get_transaction_receipt(ctx->rpc, &rc, &h);
    if (err == ZK_ENOTFOUND) {
        zk_warn("rotd: recover: key %lld: tx %s has no receipt; marking "
                "the key failed",
                (long long)k->id, k->tx_hash);
        return store_key_fail(ctx->db, k->id,
                              "no receipt for its transaction after restart");
    }
    if (err) {
        return err; /* undecidable now; try again next start */
    }
    if (rc.status != 1) {
        return store_key_fail(ctx->db, k->id, "registration reverted");
    }
    memset(&res, 0, sizeof(res));
    err =
        finish_success(ctx, k->id, &addr, &rc, &h,
                       wall_now() + (int64_t)ctx->cfg.attempt_timeout_s, &res);
    if (err) {
        zk_warn("rotd: recover: key %lld: %s", (long long)k->id, res.why);
        if (err == ZK_EINVAL) {
            return store_key_fail(ctx->db, k->id, res.why);
        }
    }
    return err;
}

enum zk_err rot_recover(struct rot_ctx *ctx)
{
    static const char *const statuses[] = {"generated", "registering"};
    struct store_key *keys = zk_calloc(MAX_LISTED_KEYS, sizeof(*keys));
    enum zk_err first = ZK_OK;
    if (!keys) {
        return ZK_ENOMEM;
    }
    for (size_t s = 0; s < ZK_ARRAY_LEN(statuses); s++) {
        size_t n = 0;
        enum zk_err err =
            store_key_list(ctx->db, keys, MAX_LISTED_KEYS, &n, statuses[s]);
        for (size_t i = 0; !err && i < n; i++) {
            enum zk_err e = recover_one(ctx, &keys[i]);
            if (e && !first) {
                first = e;
            }
        }
        if (err && !first) {
            first = err;
        }
    }
    for (size_t i = 0; i < MAX_LISTED_KEYS; i++) {
        store_key_clear(&keys[i]);
    }
    zk_free(keys);
    return first;
}
