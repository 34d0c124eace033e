/* rpc.c - JSON-RPC 2.0 bodies for the Ethereum methods we use (cJSON). */
#include <config.h>

#include "eth/rpc.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/hex.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"

void eth_rpc_init(struct eth_rpc *rpc, eth_rpc_transport_fn transport,
                  void *ctx)
{
    memset(rpc, 0, sizeof(*rpc));
    rpc->transport = transport;
    rpc->ctx = ctx;
    rpc->next_id = 1;
}

enum zk_err eth_rpc_parse_quantity(uint64_t *out, const char *s)
{
    uint64_t v = 0;
    size_t n = 0;
    if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) {
        return ZK_EINVAL;
    }
    s += 2;
    if (*s == '\0') {
        return ZK_EINVAL;
    }
    while (*s == '0' && s[1] != '\0') {
        s++; /* tolerate leading zeros some nodes emit */
    }
    for (; *s; s++, n++) {
        int d;
        if (*s >= '0' && *s <= '9') {
            d = *s - '0';
        } else if (*s >= 'a' && *s <= 'f') {
            d = *s - 'a' + 10;
        } else if (*s >= 'A' && *s <= 'F') {
            d = *s - 'A' + 10;
        } else {
            return ZK_EINVAL;
        }
        if (n >= 16) {
            return ZK_EINVAL; /* more than 64 bits */
        }
        v = (v << 4) | (uint64_t)d;
    }
    *out = v;
    return ZK_OK;
}

static enum zk_err parse_data_exact(uint8_t *out, size_t len, const cJSON *j)
{
    if (!cJSON_IsString(j)) {
        return ZK_EINVAL;
    }
    const char *s = j->valuestring;
    if (strncmp(s, "0x", 2) != 0) {
        return ZK_EINVAL;
    }
    return zk_hex_decode_exact(out, len, s);
}

/* Appends decoded 0x-hex data to out. */
static enum zk_err parse_data_buf(struct zk_buf *out, const cJSON *j)
{
    if (!cJSON_IsString(j) || strncmp(j->valuestring, "0x", 2) != 0) {
        return ZK_EINVAL;
    }
    const char *s = j->valuestring + 2;
    size_t n = strlen(s);
    if (n % 2) {
        return ZK_EINVAL;
    }
    uint8_t chunk[256];
    for (size_t off = 0; off < n; off += 2 * sizeof(chunk)) {
        size_t take = n - off;
        size_t got = 0;
        if (take > 2 * sizeof(chunk)) {
            take = 2 * sizeof(chunk);
        }
        enum zk_err err =
            zk_hex_decode(chunk, sizeof(chunk), &got, s + off, take);
        if (!err) {
            err = zk_buf_append(out, chunk, got);
        }
        if (err) {
            return err;
        }
    }
    return ZK_OK;
}

static enum zk_err get_quantity(uint64_t *out, const cJSON *obj,
                                const char *key)
{
    const cJSON *j = key ? cJSON_GetObjectItemCaseSensitive(obj, key) : obj;
    if (!cJSON_IsString(j)) {
        return ZK_EINVAL;
    }
    return eth_rpc_parse_quantity(out, j->valuestring);
}

static void keep_error(struct eth_rpc *rpc, const cJSON *e)
{
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(e, "code");
    const cJSON *msg = cJSON_GetObjectItemCaseSensitive(e, "message");
    const cJSON *data = cJSON_GetObjectItemCaseSensitive(e, "data");
    /* JSON-RPC codes are small integers; a hostile node may send any
     * number (1e300, a fraction): keep only what converts exactly, since
     * casting an out-of-range double is undefined behaviour. */
    rpc->err_code = 0;
    if (cJSON_IsNumber(code) && code->valuedouble >= -9.0e15 &&
        code->valuedouble <= 9.0e15 &&
        code->valuedouble == (double)(long long)code->valuedouble) {
        rpc->err_code = (long long)code->valuedouble;
    }
    (void)snprintf(rpc->err_message, sizeof(rpc->err_message), "%s",
                   cJSON_IsString(msg) ? msg->valuestring : "(no message)");
    for (char *c = rpc->err_message; *c; c++) {
        if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f) {
            *c = '?';
        }
    }
    rpc->err_data_len = 0;
    /* Revert data is a hex string, sometimes nested as {"data": "0x.."}. */
    if (cJSON_IsObject(data)) {
        data = cJSON_GetObjectItemCaseSensitive(data, "data");
    }
    if (cJSON_IsString(data) && strncmp(data->valuestring, "0x", 2) == 0) {
        size_t n = 0;
        const char *s = data->valuestring;
        if (zk_hex_decode(rpc->err_data, sizeof(rpc->err_data), &n, s,
                          strlen(s)) == ZK_OK) {
            rpc->err_data_len = n;
        }
    }
}

/*
 * Sends method(params) and returns the parsed response root and its result
 * member (borrowed from *root_take). params_take is consumed.
 */
static enum zk_err request(struct eth_rpc *rpc, cJSON **root_take,
                           const cJSON **result, const char *method,
                           cJSON *params_take)
{
    cJSON *req = NULL, *root = NULL;
    char *body = NULL;
    struct zk_buf resp;
    enum zk_err err = ZK_ENOMEM;
    uint64_t id = rpc->next_id++;

    zk_buf_init(&resp, ZK_MAX_RPC_RESPONSE);
    rpc->err_code = 0;
    rpc->err_message[0] = '\0';
    rpc->err_data_len = 0;
    req = cJSON_CreateObject();
    if (!req || !params_take) {
        cJSON_Delete(params_take);
        goto out;
    }
    if (!cJSON_AddStringToObject(req, "jsonrpc", "2.0") ||
        !cJSON_AddNumberToObject(req, "id", (double)id) ||
        !cJSON_AddStringToObject(req, "method", method)) {
        cJSON_Delete(params_take);
        goto out;
    }
    cJSON_AddItemToObject(req, "params", params_take);
    body = cJSON_PrintUnformatted(req);
    if (!body) {
        goto out;
    }
    err = rpc->transport(rpc->ctx, &resp, body, strlen(body));
    if (err) {
        goto out;
    }
    err = ZK_EINVAL;
    if (resp.len == 0) {
        zk_warn("eth: %s: empty response", method);
        goto out;
    }
    root = cJSON_ParseWithLength((const char *)resp.data, resp.len);
    if (!cJSON_IsObject(root)) {
        zk_warn("eth: %s: response is not a JSON object", method);
        goto out;
    }
    const cJSON *ver = cJSON_GetObjectItemCaseSensitive(root, "jsonrpc");
    const cJSON *rid = cJSON_GetObjectItemCaseSensitive(root, "id");
    const cJSON *res = cJSON_GetObjectItemCaseSensitive(root, "result");
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (!cJSON_IsString(ver) || strcmp(ver->valuestring, "2.0") != 0) {
        zk_warn("eth: %s: response without jsonrpc 2.0", method);
        goto out;
    }
    if (e && !cJSON_IsNull(e)) {
        if (!cJSON_IsObject(e) || res) {
            zk_warn("eth: %s: malformed error object", method);
            goto out;
        }
        keep_error(rpc, e);
        zk_debug("eth: %s: rpc error %lld: %s", method, rpc->err_code,
                 rpc->err_message);
        err = ZK_ERPC;
        goto out;
    }
    if (!cJSON_IsNumber(rid) || rid->valuedouble != (double)id) {
        zk_warn("eth: %s: response id does not match request", method);
        goto out;
    }
    if (!res) {
        zk_warn("eth: %s: response without result", method);
        goto out;
    }
    *result = res;
    *root_take = root;
    root = NULL;
    err = ZK_OK;
out:
    cJSON_Delete(root);
    cJSON_Delete(req);
    cJSON_free(body);
    zk_buf_cleanup(&resp);
    return err;
}

static cJSON *hex_string(const uint8_t *p, size_t n)
{
    char *s = zk_malloc(2 * n + 3);
    if (!s) {
        return NULL;
    }
    if (zk_hex_encode(s, 2 * n + 3, p, n, true) != ZK_OK) {
        zk_free(s);
        return NULL;
    }
    cJSON *j = cJSON_CreateString(s);
    zk_free(s);
    return j;
}

static cJSON *quantity(uint64_t v)
{
    char s[24];
    (void)snprintf(s, sizeof(s), "0x%llx", (unsigned long long)v);
    return cJSON_CreateString(s);
}

/* Builds a params array from up to 3 items; NULL items mean OOM. */
static cJSON *params(int n, cJSON *a, cJSON *b, cJSON *c)
{
    cJSON *items[3] = {a, b, c};
    cJSON *arr = cJSON_CreateArray();
    bool ok = arr != NULL;
    for (int i = 0; i < n; i++) {
        if (!items[i]) {
            ok = false;
        }
    }
    if (!ok) {
        for (int i = 0; i < n; i++) {
            cJSON_Delete(items[i]);
        }
        cJSON_Delete(arr);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        cJSON_AddItemToArray(arr, items[i]);
    }
    return arr;
}

/* Calls a method whose result is a quantity. */
static enum zk_err call_quantity(struct eth_rpc *rpc, uint64_t *out,
                                 const char *method, cJSON *p)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    enum zk_err err = request(rpc, &root, &res, method, p);
    if (!err) {
        err = get_quantity(out, res, NULL);
        if (err) {
            zk_warn("eth: %s: result is not a quantity", method);
        }
    }
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_raw(struct eth_rpc *rpc, struct zk_buf *result_json,
                        const char *method, const char *params_json)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    cJSON *p = cJSON_Parse(params_json);
    if (p && !cJSON_IsArray(p)) {
        cJSON_Delete(p);
        return ZK_EINVAL;
    }
    if (!p) {
        return ZK_EINVAL;
    }
    enum zk_err err = request(rpc, &root, &res, method, p);
    if (!err) {
        char *txt = cJSON_PrintUnformatted(res);
        err = txt ? zk_buf_append_str(result_json, txt) : ZK_ENOMEM;
        cJSON_free(txt);
    }
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_chain_id(struct eth_rpc *rpc, uint64_t *out)
{
    return call_quantity(rpc, out, "eth_chainId", cJSON_CreateArray());
}

enum zk_err eth_rpc_block_number(struct eth_rpc *rpc, uint64_t *out)
{
    return call_quantity(rpc, out, "eth_blockNumber", cJSON_CreateArray());
}

enum zk_err eth_rpc_get_block(struct eth_rpc *rpc, struct eth_block *out,
                              uint64_t number, bool latest)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    cJSON *p =
        params(2, latest ? cJSON_CreateString("latest") : quantity(number),
               cJSON_CreateFalse(), NULL);
    enum zk_err err = request(rpc, &root, &res, "eth_getBlockByNumber", p);
    if (err) {
        goto out;
    }
    if (cJSON_IsNull(res)) {
        err = ZK_ENOTFOUND;
        goto out;
    }
    memset(out, 0, sizeof(*out));
    err = ZK_EINVAL;
    if (!cJSON_IsObject(res) || get_quantity(&out->number, res, "number") ||
        parse_data_exact(out->hash.b, 32,
                         cJSON_GetObjectItemCaseSensitive(res, "hash")) ||
        get_quantity(&out->timestamp, res, "timestamp") ||
        get_quantity(&out->gas_limit, res, "gasLimit")) {
        zk_warn("eth: eth_getBlockByNumber: malformed block");
        goto out;
    }
    if (!latest && out->number != number) {
        zk_warn("eth: eth_getBlockByNumber: asked for block %llu, got %llu",
                (unsigned long long)number, (unsigned long long)out->number);
        goto out;
    }
    const cJSON *bf = cJSON_GetObjectItemCaseSensitive(res, "baseFeePerGas");
    if (bf && !cJSON_IsNull(bf)) {
        if (get_quantity(&out->base_fee, bf, NULL)) {
            zk_warn("eth: eth_getBlockByNumber: malformed baseFeePerGas");
            goto out;
        }
        out->has_base_fee = true;
    }
    err = ZK_OK;
out:
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_get_transaction_count(struct eth_rpc *rpc, uint64_t *out,
                                          const uint8_t addr[20],
                                          const char *tag)
{
    cJSON *p = params(2, hex_string(addr, 20), cJSON_CreateString(tag), NULL);
    return call_quantity(rpc, out, "eth_getTransactionCount", p);
}

static cJSON *call_object(const struct eth_call_msg *msg)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) {
        return NULL;
    }
    cJSON *from = msg->from ? hex_string(msg->from, 20) : NULL;
    cJSON *to = msg->to ? hex_string(msg->to, 20) : NULL;
    cJSON *data = hex_string(msg->data, msg->data_len);
    bool ok = data && (!msg->from || from) && (!msg->to || to);
    if (from) {
        cJSON_AddItemToObject(o, "from", from);
    }
    if (to) {
        cJSON_AddItemToObject(o, "to", to);
    }
    if (data) {
        cJSON_AddItemToObject(o, "data", data);
    }
    if (!ok) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

enum zk_err eth_rpc_estimate_gas(struct eth_rpc *rpc, uint64_t *out,
                                 const struct eth_call_msg *msg)
{
    return call_quantity(rpc, out, "eth_estimateGas",
                         params(1, call_object(msg), NULL, NULL));
}

enum zk_err eth_rpc_max_priority_fee(struct eth_rpc *rpc, uint64_t *out)
{
    return call_quantity(rpc, out, "eth_maxPriorityFeePerGas",
                         cJSON_CreateArray());
}

enum zk_err eth_rpc_gas_price(struct eth_rpc *rpc, uint64_t *out)
{
    return call_quantity(rpc, out, "eth_gasPrice", cJSON_CreateArray());
}

enum zk_err eth_rpc_fee_history(struct eth_rpc *rpc, uint64_t *next_base_fee,
                                uint64_t *tip_p50)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    cJSON *pct = cJSON_CreateArray();
    if (pct) {
        cJSON *fifty = cJSON_CreateNumber(50);
        if (!fifty) {
            cJSON_Delete(pct);
            pct = NULL;
        } else {
            cJSON_AddItemToArray(pct, fifty);
        }
    }
    cJSON *p = params(3, quantity(1), cJSON_CreateString("latest"), pct);
    enum zk_err err = request(rpc, &root, &res, "eth_feeHistory", p);
    if (err) {
        goto out;
    }
    err = ZK_EINVAL;
    const cJSON *base = cJSON_GetObjectItemCaseSensitive(res, "baseFeePerGas");
    int n = cJSON_GetArraySize(base);
    if (!cJSON_IsArray(base) || n < 1 ||
        get_quantity(next_base_fee, cJSON_GetArrayItem(base, n - 1), NULL)) {
        zk_warn("eth: eth_feeHistory: malformed baseFeePerGas");
        goto out;
    }
    *tip_p50 = 0;
    const cJSON *reward = cJSON_GetObjectItemCaseSensitive(res, "reward");
    if (cJSON_IsArray(reward) && cJSON_GetArraySize(reward) > 0) {
        const cJSON *last =
            cJSON_GetArrayItem(reward, cJSON_GetArraySize(reward) - 1);
        if (!cJSON_IsArray(last) || cJSON_GetArraySize(last) < 1 ||
            get_quantity(tip_p50, cJSON_GetArrayItem(last, 0), NULL)) {
            zk_warn("eth: eth_feeHistory: malformed reward");
            goto out;
        }
    }
    err = ZK_OK;
out:
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_call(struct eth_rpc *rpc, struct zk_buf *out,
                         const struct eth_call_msg *msg, const char *block_tag)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    cJSON *p =
        params(2, call_object(msg),
               cJSON_CreateString(block_tag ? block_tag : "latest"), NULL);
    enum zk_err err = request(rpc, &root, &res, "eth_call", p);
    if (!err) {
        err = parse_data_buf(out, res);
        if (err == ZK_EINVAL) {
            zk_warn("eth: eth_call: result is not hex data");
        }
    }
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_send_raw_transaction(struct eth_rpc *rpc,
                                         struct zk_hash32 *hash,
                                         const uint8_t *raw, size_t len)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    enum zk_err err = request(rpc, &root, &res, "eth_sendRawTransaction",
                              params(1, hex_string(raw, len), NULL, NULL));
    if (!err) {
        err = parse_data_exact(hash->b, 32, res);
        if (err) {
            zk_warn("eth: eth_sendRawTransaction: result is not a hash");
        }
    }
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_get_transaction_receipt(struct eth_rpc *rpc,
                                            struct eth_receipt *out,
                                            const struct zk_hash32 *hash)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    enum zk_err err = request(rpc, &root, &res, "eth_getTransactionReceipt",
                              params(1, hex_string(hash->b, 32), NULL, NULL));
    if (err) {
        goto out;
    }
    if (cJSON_IsNull(res)) {
        err = ZK_ENOTFOUND;
        goto out;
    }
    memset(out, 0, sizeof(*out));
    err = ZK_EINVAL;
    if (!cJSON_IsObject(res) || get_quantity(&out->status, res, "status") ||
        get_quantity(&out->block_number, res, "blockNumber") ||
        parse_data_exact(out->block_hash.b, 32,
                         cJSON_GetObjectItemCaseSensitive(res, "blockHash")) ||
        get_quantity(&out->gas_used, res, "gasUsed")) {
        zk_warn("eth: eth_getTransactionReceipt: malformed receipt");
        goto out;
    }
    const cJSON *th = cJSON_GetObjectItemCaseSensitive(res, "transactionHash");
    struct zk_hash32 got;
    if (th && (parse_data_exact(got.b, 32, th) != ZK_OK ||
               memcmp(got.b, hash->b, 32) != 0)) {
        zk_warn("eth: eth_getTransactionReceipt: receipt of another "
                "transaction");
        goto out;
    }
    if (out->status > 1) {
        zk_warn("eth: eth_getTransactionReceipt: status %llu",
                (unsigned long long)out->status);
        goto out;
    }
    const cJSON *egp =
        cJSON_GetObjectItemCaseSensitive(res, "effectiveGasPrice");
    if (egp && get_quantity(&out->effective_gas_price, egp, NULL)) {
        goto out;
    }
    const cJSON *ca = cJSON_GetObjectItemCaseSensitive(res, "contractAddress");
    if (ca && !cJSON_IsNull(ca)) {
        if (parse_data_exact(out->contract_address, 20, ca)) {
            goto out;
        }
        out->has_contract_address = true;
    }
    err = ZK_OK;
out:
    cJSON_Delete(root);
    return err;
}

enum zk_err eth_rpc_transaction_known(struct eth_rpc *rpc, bool *known,
                                      const struct zk_hash32 *hash)
{
    cJSON *root = NULL;
    const cJSON *res = NULL;
    enum zk_err err = request(rpc, &root, &res, "eth_getTransactionByHash",
                              params(1, hex_string(hash->b, 32), NULL, NULL));
    if (!err) {
        if (cJSON_IsNull(res)) {
            *known = false;
        } else if (cJSON_IsObject(res)) {
            *known = true;
        } else {
            err = ZK_EINVAL;
        }
    }
    cJSON_Delete(root);
    return err;
}
