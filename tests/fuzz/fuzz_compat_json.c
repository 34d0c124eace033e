/*
 * fuzz_compat_json.c - libFuzzer harness for the prover's untrusted-input
 * parsers: the /request_proof body (api/compat_json.c), the stored stdin
 * encoding (api/stdin.c), base64 (api/b64.c) and the executor result
 * decoder (api/exec_proto.c). The first input byte picks the parser.
 * Invariants: no crash or leak; accepted compat bodies yield a stdin
 * encoding that the bincode parser accepts back unchanged.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/b64.h"
#include "api/compat_json.h"
#include "api/exec_proto.h"
#include "base/mem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    uint8_t sel = data[0] % 4;
    data++;
    size--;
    if (sel == 0) {
        struct api_compat_req r;
        char msg[256];
        api_compat_req_init(&r, 1 << 16, 1 << 16);
        if (api_compat_parse(&r, msg, sizeof(msg), (const char *)data, size) ==
            ZK_OK) {
            struct api_stdin back;
            api_stdin_init(&back, 1 << 16);
            if (api_stdin_from_bincode(&back, r.in.enc.data, r.in.enc.len) !=
                    ZK_OK ||
                back.enc.len != r.in.enc.len ||
                memcmp(back.enc.data, r.in.enc.data, back.enc.len) != 0) {
                abort();
            }
            api_stdin_cleanup(&back);
        }
        api_compat_req_cleanup(&r);
    } else if (sel == 1) {
        struct api_stdin in;
        api_stdin_init(&in, 1 << 16);
        (void)api_stdin_from_bincode(&in, data, size);
        api_stdin_cleanup(&in);
    } else if (sel == 2) {
        size_t cap = api_b64_max_decoded(size), n = 0;
        uint8_t *out = zk_malloc(cap + 1);
        if (out != NULL) {
            (void)api_b64_decode(out, cap, &n, (const char *)data, size);
            if (n > cap) {
                abort();
            }
        }
        zk_free(out);
    } else {
        struct api_exec_result res;
        if (api_exec_result_decode(&res, data, size) == ZK_OK) {
            if (res.public_values_len > size) {
                abort();
            }
            api_exec_result_cleanup(&res);
        }
    }
    return 0;
}
