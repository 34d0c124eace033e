/* fuzz_rpc.c - libFuzzer harness: hostile JSON-RPC responses (an untrusted
 * or compromised node) fed to every eth_rpc method through a transport
 * that returns the fuzz input. The id in the input is used as is, so most
 * inputs exercise the id check; inputs containing "%ID%" get the real id
 * substituted so the result parsers are reached too. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "eth/rpc.h"

struct feed {
    const uint8_t *data;
    size_t size;
};

static enum zk_err transport(void *ctx, struct zk_buf *resp, const char *req,
                             size_t len)
{
    const struct feed *f = ctx;
    const char *idp = strstr(req, "\"id\":");
    char id[24] = "0";
    (void)len;
    if (idp) {
        size_t n = strspn(idp + 5, "0123456789");
        if (n > 0 && n < sizeof(id)) {
            memcpy(id, idp + 5, n);
            id[n] = '\0';
        }
    }
    for (size_t i = 0; i < f->size; i++) {
        enum zk_err err;
        if (i + 4 <= f->size && memcmp(f->data + i, "%ID%", 4) == 0) {
            err = zk_buf_append_str(resp, id);
            i += 3;
        } else {
            err = zk_buf_append(resp, f->data + i, 1);
        }
        if (err) {
            return err;
        }
    }
    return ZK_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct feed f = {data, size};
    struct eth_rpc rpc;
    struct zk_buf out;
    uint64_t u = 0, v = 0;
    bool known = false;
    uint8_t addr[20] = {0};
    struct zk_hash32 h = {{0}};
    struct eth_block blk;
    struct eth_receipt rc;
    struct eth_call_msg msg = {addr, addr, addr, 20};

    eth_rpc_init(&rpc, transport, &f);
    zk_buf_init(&out, 1 << 20);
    (void)(eth_rpc_chain_id(&rpc, &u) == ZK_OK);
    (void)(eth_rpc_get_block(&rpc, &blk, 5, false) == ZK_OK);
    (void)(eth_rpc_get_transaction_receipt(&rpc, &rc, &h) == ZK_OK);
    (void)(eth_rpc_fee_history(&rpc, &u, &v) == ZK_OK);
    (void)(eth_rpc_transaction_known(&rpc, &known, &h) == ZK_OK);
    (void)(eth_rpc_send_raw_transaction(&rpc, &h, addr, 20) == ZK_OK);
    if (eth_rpc_call(&rpc, &out, &msg, "latest") == ZK_ERPC) {
        ZK_ASSERT(rpc.err_data_len <= sizeof(rpc.err_data));
        ZK_ASSERT(strlen(rpc.err_message) < sizeof(rpc.err_message));
    }
    zk_buf_reset(&out);
    (void)(eth_rpc_raw(&rpc, &out, "x", "[]") == ZK_OK);
    zk_buf_cleanup(&out);
    return 0;
}
