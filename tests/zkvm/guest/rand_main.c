/*
 * rand_main.c - runs a generated random instruction sequence (rand_body,
 * from gen_rv_random) on a 2 KiB scratch area and prints the area and the
 * final registers it dumps there.
 */
#include "rt.h"

extern void rand_body(uint8_t *scratch);

static uint8_t scratch[2048 + 128] __attribute__((aligned(16)));

int main(void)
{
    uint32_t x = 0x2545f491u;
    for (unsigned i = 0; i < sizeof(scratch); i++) {
        x ^= x << 13, x ^= x >> 17, x ^= x << 5;
        scratch[i] = (uint8_t)x;
    }
    rand_body(scratch);
    guest_out(scratch, sizeof(scratch));
    return 0;
}
