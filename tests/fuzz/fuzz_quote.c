/*
 * fuzz_quote.c - libFuzzer harness for the DCAP quote parser (src/tdx).
 * Invariants checked on success: the signed part lies inside the input and
 * signed + trailing == input length; parse_td agrees with is_td.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tdx/tdx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct tdx_quote q;
    size_t sl = 0;
    enum zk_err err = tdx_quote_parse(&q, data, size);
    if (err == ZK_OK) {
        if (q.signed_len > size || q.signed_len + q.trailing_len != size ||
            q.report_data_offset + 64 > q.signed_len) {
            abort();
        }
        if (tdx_quote_signed_len(data, size, &sl) != ZK_OK ||
            sl != q.signed_len) {
            abort();
        }
        struct tdx_quote t;
        if ((tdx_quote_parse_td(&t, data, size) == ZK_OK) != q.is_td) {
            abort();
        }
    }
    return 0;
}
