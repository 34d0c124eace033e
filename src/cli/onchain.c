/* onchain.c - SP1MultiProof.verifyTEEProof through eth_call. */
#include <config.h>

#include "cli/onchain.h"

#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "cli/http.h"
#include "eth/abi.h"
#include "eth/rpc.h"

static const char *const custom_errors[] = {
    "Invalid_TEE_Signer(address)",
    "InvalidSignature()",
};

/* eth_rpc_transport_fn over cli_http (POST to the endpoint URL itself). */
static enum zk_err transport(void *ctx, struct zk_buf *response,
                             const char *request, size_t request_len)
{
    const struct cli_http *h = ctx;
    struct cli_http_resp resp;
    enum zk_err err = cli_http_do(h, "POST", "", "application/json", request,
                                  request_len, &resp);
    if (!err && (resp.status == 429 || resp.status >= 500)) {
        fprintf(stderr, "sp1-tee: rpc: HTTP %ld\n", resp.status);
        err = ZK_EBUSY;
    }
    if (!err && resp.body.len > ZK_MAX_RPC_RESPONSE) {
        err = ZK_ELIMIT;
    }
    if (!err) {
        err = zk_buf_append(response, resp.body.data, resp.body.len);
    }
    cli_http_resp_cleanup(&resp);
    return err;
}

enum zk_err cli_onchain_verify(bool *valid, char *reason, size_t reason_size,
                               const char *rpc_url,
                               const uint8_t multiproof[20],
                               const struct zk_hash32 *digest,
                               const uint8_t sig[65], long timeout_s)
{
    struct cli_http h = {rpc_url, NULL, false, timeout_s};
    struct eth_rpc rpc;
    struct zk_buf data, out;
    enum zk_err err;

    *valid = false;
    if (reason_size) {
        reason[0] = '\0';
    }
    err = cli_http_global_init();
    if (err) {
        return err;
    }
    zk_buf_init(&data, 4096);
    zk_buf_init(&out, 4096);
    struct eth_abi_value args[] = {eth_abi_bytes(digest->b, 32),
                                   eth_abi_bytes(sig, 65)};
    struct eth_abi_value l = eth_abi_list(args, 2);
    err = eth_abi_encode_call(&data, "verifyTEEProof(bytes,bytes)", &l);
    if (err) {
        goto out;
    }
    eth_rpc_init(&rpc, transport, &h);
    /* An address without code would "succeed" with empty output. */
    char params[80];
    char hex[43];
    static const char digits[] = "0123456789abcdef";
    hex[0] = '0';
    hex[1] = 'x';
    for (int i = 0; i < 20; i++) {
        hex[2 + 2 * i] = digits[multiproof[i] >> 4];
        hex[3 + 2 * i] = digits[multiproof[i] & 15];
    }
    hex[42] = '\0';
    (void)snprintf(params, sizeof(params), "[\"%s\",\"latest\"]",
                   hex); /* fits */
    err = eth_rpc_raw(&rpc, &out, "eth_getCode", params);
    if (err) {
        goto out;
    }
    if (out.len <= 4) { /* "\"0x\"" */
        (void)snprintf(reason, reason_size, "no contract at %s", hex);
        err = ZK_EINVAL;
        goto out;
    }
    zk_buf_reset(&out);
    struct eth_call_msg msg = {NULL, multiproof, data.data, data.len};
    err = eth_rpc_call(&rpc, &out, &msg, "latest");
    if (err == ZK_OK) {
        *valid = true;
    } else if (err == ZK_ERPC && rpc.err_data_len > 0) {
        enum zk_err e = eth_abi_decode_revert(
            reason, reason_size, rpc.err_data, rpc.err_data_len, custom_errors,
            sizeof(custom_errors) / sizeof(custom_errors[0]));
        (void)e; /* the text also describes unknown data */
        err = ZK_OK;
    } else if (err == ZK_ERPC) {
        /* A revert without data, or a node error (no contract, bad
         * address): report the node's message. */
        /* display text: a long node message is cut */
        (void)snprintf(reason, reason_size, "rpc error %lld: %s", rpc.err_code,
                       rpc.err_message);
        if (strstr(rpc.err_message, "revert") != NULL) {
            err = ZK_OK;
        }
    }
out:
    zk_buf_cleanup(&data);
    zk_buf_cleanup(&out);
    return err;
}
