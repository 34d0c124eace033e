/* fuzz_rlp.c - libFuzzer harness: strict RLP decoding of hostile bytes,
 * then re-encoding of every decoded string item (must round-trip). */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "eth/rlp.h"

static void walk(const struct eth_rlp_item *it)
{
    if (!it->is_list) {
        struct zk_buf b;
        struct eth_rlp_item back;
        zk_buf_init(&b, it->len + 16);
        if (eth_rlp_encode_bytes(&b, it->data, it->len) == ZK_OK) {
            ZK_ASSERT(eth_rlp_decode(&back, b.data, b.len) == ZK_OK);
            ZK_ASSERT(back.len == it->len);
            ZK_ASSERT(it->len == 0 ||
                      memcmp(back.data, it->data, it->len) == 0);
        }
        zk_buf_cleanup(&b);
        return;
    }
    struct eth_rlp_iter iter;
    struct eth_rlp_item sub;
    eth_rlp_iter_init(&iter, it);
    while (eth_rlp_iter_next(&iter, &sub) == ZK_OK) {
        walk(&sub);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct eth_rlp_item it;
    if (eth_rlp_decode(&it, data, size) == ZK_OK) {
        ZK_ASSERT(it.data >= data && it.data + it.len <= data + size);
        walk(&it);
    }
    uint64_t v;
    if (eth_rlp_decode(&it, data, size) == ZK_OK) {
        (void)(eth_rlp_item_u64(&v, &it) == ZK_OK);
    }
    return 0;
}
