/*
 * regtool.c - test helper for the chain tests: builds register() calldata
 * around a simulated quote (src/tdx) and dry-runs it with eth_call through
 * our own JSON-RPC stack (eth/rpc.c + rotd's libcurl transport), printing
 * "OK" or "REVERT <reason decoded by eth_abi_decode_revert>".
 *
 *   regtool --rpc URL --registry ADDR --from ADDR --address A
 *           --number N --hash 0x.. [--report-address B] [--append K]
 *           [--mrtd-zero]
 *
 * --report-address puts B in the quote's report data (a mismatch with A);
 * --append adds K junk bytes after the quote's signed part; --mrtd-zero
 * gives the quote an all-zero MRTD.
 */
#include <config.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/hex.h"
#include "base/limits.h"
#include "crypto/keccak.h"
#include "crypto/sign.h"
#include "eth/abi.h"
#include "eth/rpc.h"
#include "rotd/http.h"
#include "tdx/tdx.h"

static const char *const customs[] = {"Unauthorized()", "InvalidSignature()",
                                      "Invalid_TEE_Signer(address)"};

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"rpc", required_argument, NULL, 'r'},
        {"registry", required_argument, NULL, 'g'},
        {"from", required_argument, NULL, 'f'},
        {"address", required_argument, NULL, 'a'},
        {"number", required_argument, NULL, 'n'},
        {"hash", required_argument, NULL, 'h'},
        {"report-address", required_argument, NULL, 'b'},
        {"append", required_argument, NULL, 'p'},
        {"mrtd-zero", no_argument, NULL, 'z'},
        {NULL, 0, NULL, 0},
    };
    const char *url = NULL;
    struct crypto_addr reg, from, addr, rd_addr;
    bool has_rd_addr = false, mrtd_zero = false;
    uint64_t number = 0;
    uint8_t hash[32] = {0};
    unsigned long append = 0;
    int c;
    for (;;) {
        c = getopt_long(argc, argv, "", opts, NULL);
        if (c == -1) {
            break;
        }
        enum zk_err e = ZK_OK;
        switch (c) {
        case 'r':
            url = optarg;
            break;
        case 'g':
            e = crypto_addr_from_hex(&reg, optarg);
            break;
        case 'f':
            e = crypto_addr_from_hex(&from, optarg);
            break;
        case 'a':
            e = crypto_addr_from_hex(&addr, optarg);
            break;
        case 'b':
            e = crypto_addr_from_hex(&rd_addr, optarg);
            has_rd_addr = true;
            break;
        case 'n':
            number = strtoull(optarg, NULL, 0);
            break;
        case 'h':
            e = zk_hex_decode_exact(hash, 32, optarg);
            break;
        case 'p':
            append = strtoul(optarg, NULL, 0);
            break;
        case 'z':
            mrtd_zero = true;
            break;
        default:
            return 2;
        }
        if (e) {
            fprintf(stderr, "regtool: bad argument for option %c\n", c);
            return 2;
        }
    }
    if (!url) {
        return 2;
    }
    if (!has_rd_addr) {
        rd_addr = addr;
    }

    /* Report data for (number, hash, rd_addr). */
    struct zk_buf enc, quote, calldata, out;
    zk_buf_init(&enc, 256);
    zk_buf_init(&quote, ZK_MAX_QUOTE_SIZE);
    zk_buf_init(&calldata, ZK_MAX_QUOTE_SIZE + 4096);
    zk_buf_init(&out, 4096);
    struct eth_abi_value f[] = {eth_abi_u64(number), eth_abi_word(hash),
                                eth_abi_address(rd_addr.b)};
    struct eth_abi_value t = eth_abi_list(f, 3);
    uint8_t rd[64] = {0};
    struct zk_hash32 h;
    if (eth_abi_encode(&enc, "(uint256,bytes32,address)", &t) != ZK_OK) {
        return 1;
    }
    crypto_keccak256(&h, enc.data, enc.len);
    memcpy(rd + 12, rd_addr.b, 20);
    memcpy(rd + 32, h.b, 32);
    struct tdx_sim_opts so;
    tdx_sim_opts_default(&so);
    if (mrtd_zero) {
        memset(so.mrtd, 0, sizeof(so.mrtd));
    }
    if (tdx_sim_quote(rd, &so, &quote) != ZK_OK) {
        return 1;
    }
    for (unsigned long i = 0; i < append; i++) {
        uint8_t junk = (uint8_t)(0xa5 ^ i);
        if (zk_buf_append(&quote, &junk, 1) != ZK_OK) {
            return 1;
        }
    }
    /* The call data carries the prover address A (not rd_addr). */
    struct eth_abi_value d[] = {eth_abi_u64(number), eth_abi_word(hash),
                                eth_abi_address(addr.b)};
    struct eth_abi_value args[] = {eth_abi_list(d, 3),
                                   eth_abi_bytes(quote.data, quote.len)};
    struct eth_abi_value al = eth_abi_list(args, 2);
    if (eth_abi_encode_call(&calldata,
                            "register((uint256,bytes32,address),bytes)",
                            &al) != ZK_OK) {
        return 1;
    }

    struct rot_http *http = NULL;
    const char *urls[1] = {url};
    struct rot_http_opts ho = {urls, 1, 5000, 2000, 1, 100};
    if (rot_http_new(&http, &ho) != ZK_OK) {
        return 1;
    }
    struct eth_rpc rpc;
    eth_rpc_init(&rpc, rot_http_transport, http);
    struct eth_call_msg msg = {from.b, reg.b, calldata.data, calldata.len};
    enum zk_err err = eth_rpc_call(&rpc, &out, &msg, "latest");
    int rc = 0;
    if (err == ZK_OK) {
        printf("OK\n");
    } else if (err == ZK_ERPC) {
        char reason[512];
        enum zk_err e = eth_abi_decode_revert(
            reason, sizeof(reason), rpc.err_data, rpc.err_data_len, customs, 3);
        printf("REVERT %s%s\n", reason, e ? " (undecoded)" : "");
    } else {
        printf("ERROR %s\n", zk_strerror(err));
        rc = 1;
    }
    rot_http_free(http);
    zk_buf_cleanup(&enc);
    zk_buf_cleanup(&quote);
    zk_buf_cleanup(&calldata);
    zk_buf_cleanup(&out);
    return rc;
}
