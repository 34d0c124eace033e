/*
 * precompile_keccak.c - KECCAK_PERMUTE (sp1-executor-abi.md §4.2): the
 * 25-lane state travels as 50 little-endian words, lane k = word[2k] |
 * word[2k+1] << 32; the permutation itself is crypto/'s Keccak-f[1600].
 */
#include <config.h>

#include "crypto/keccak.h"
#include "zkvm/precompile.h"

void zkvm_keccak_permute(uint32_t st[50])
{
    uint64_t lanes[25];
    for (unsigned k = 0; k < 25; k++) {
        lanes[k] = (uint64_t)st[2 * k] | ((uint64_t)st[2 * k + 1] << 32);
    }
    crypto_keccak_f1600(lanes);
    for (unsigned k = 0; k < 25; k++) {
        st[2 * k] = (uint32_t)lanes[k];
        st[2 * k + 1] = (uint32_t)(lanes[k] >> 32);
    }
}
