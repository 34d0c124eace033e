/* fuzz_abi.c - libFuzzer harness: ABI decoding of hostile bytes against a
 * few fixed types, plus revert-reason rendering. */
#include <config.h>

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "eth/abi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *types[] = {
        "(bool,bytes)",
        "((uint256,bytes32,address),bytes)",
        "(uint256[][],string[])",
        "(bytes3[2],int8,uint32[])",
        "((bool,string)[],bytes)",
    };
    static const char *const customs[] = {"Invalid_TEE_Signer(address)",
                                          "Bad(string,uint256[])"};
    char msg[256];
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        struct eth_abi_value *v = NULL;
        if (eth_abi_decode(&v, types[i], data, size) == ZK_OK) {
            ZK_ASSERT(v != NULL);
            eth_abi_value_free(v);
        }
    }
    (void)(eth_abi_decode_revert(msg, sizeof(msg), data, size, customs, 2) ==
           ZK_OK);
    return 0;
}
