/*
 * keccak.c - Keccak-f[1600] and Keccak-256 (the Keccak submission's
 * padding, as used by Ethereum). See keccak.h.
 *
 * Spec: "The Keccak reference", version 3.0 (Bertoni, Daemen, Peeters,
 * Van Assche), sections 1.2 (the five step mappings) and 1.1.2 / 5.1
 * (multi-rate padding pad10*1). FIPS 202 section 3.2 describes the same
 * permutation with the same lane indexing A[x, y] = st[x + 5y].
 *
 * The code is the straightforward lane-oriented form: no bit interleaving,
 * no lane complementing, no unrolling. It has no secret-dependent branches
 * or memory accesses.
 */
#include <config.h>
#include "crypto/keccak.h"

#include <string.h>

#include "base/bytes.h"
#include "base/mem.h"

/* Round constants RC[i] for the iota step (Keccak reference 1.2, table 1). */
static const uint64_t round_constants[24] = {
    0x0000000000000001ull, 0x0000000000008082ull, 0x800000000000808aull,
    0x8000000080008000ull, 0x000000000000808bull, 0x0000000080000001ull,
    0x8000000080008081ull, 0x8000000000008009ull, 0x000000000000008aull,
    0x0000000000000088ull, 0x0000000080008009ull, 0x000000008000000aull,
    0x000000008000808bull, 0x800000000000008bull, 0x8000000000008089ull,
    0x8000000000008003ull, 0x8000000000008002ull, 0x8000000000000080ull,
    0x000000000000800aull, 0x800000008000000aull, 0x8000000080008081ull,
    0x8000000000008080ull, 0x0000000080000001ull, 0x8000000080008008ull,
};

/* Rotation offsets r[x + 5y] for the rho step (Keccak reference 1.2,
 * table 2). */
static const unsigned rho_offsets[25] = {
    0,  1,  62, 28, 27, /* y = 0 */
    36, 44, 6,  55, 20, /* y = 1 */
    3,  10, 43, 25, 39, /* y = 2 */
    41, 45, 15, 21, 8,  /* y = 3 */
    18, 2,  61, 56, 14, /* y = 4 */
};

static inline uint64_t rotl64(uint64_t v, unsigned n)
{
    /* n is 0..63; the mask keeps the n == 0 case defined. */
    return (v << n) | (v >> ((64u - n) & 63u));
}

/* pi destination of lane i = x + 5y: B[y, 2x + 3y], i.e. index
 * y + 5 * ((2x + 3y) mod 5) (Keccak reference 1.2). */
static const unsigned char pi_dest[25] = {
    0,  10, 20, 5,  15, /* y = 0 */
    16, 1,  11, 21, 6,  /* y = 1 */
    7,  17, 2,  12, 22, /* y = 2 */
    23, 8,  18, 3,  13, /* y = 3 */
    14, 24, 9,  19, 4,  /* y = 4 */
};

void crypto_keccak_f1600(uint64_t st[25])
{
    uint64_t b[25];

    for (unsigned round = 0; round < 24; round++) {
        /* theta: each column parity is folded into the two neighbours. */
        uint64_t c0 = st[0] ^ st[5] ^ st[10] ^ st[15] ^ st[20];
        uint64_t c1 = st[1] ^ st[6] ^ st[11] ^ st[16] ^ st[21];
        uint64_t c2 = st[2] ^ st[7] ^ st[12] ^ st[17] ^ st[22];
        uint64_t c3 = st[3] ^ st[8] ^ st[13] ^ st[18] ^ st[23];
        uint64_t c4 = st[4] ^ st[9] ^ st[14] ^ st[19] ^ st[24];
        uint64_t d0 = c4 ^ rotl64(c1, 1);
        uint64_t d1 = c0 ^ rotl64(c2, 1);
        uint64_t d2 = c1 ^ rotl64(c3, 1);
        uint64_t d3 = c2 ^ rotl64(c4, 1);
        uint64_t d4 = c3 ^ rotl64(c0, 1);
        for (unsigned y = 0; y < 25; y += 5) {
            st[y] ^= d0;
            st[y + 1] ^= d1;
            st[y + 2] ^= d2;
            st[y + 3] ^= d3;
            st[y + 4] ^= d4;
        }
        /* rho and pi: B[y, 2x + 3y] = rot(A[x, y], r[x, y]). */
        for (unsigned i = 0; i < 25; i++) {
            b[pi_dest[i]] = rotl64(st[i], rho_offsets[i]);
        }
        /* chi: A[x, y] = B[x, y] ^ (~B[x+1, y] & B[x+2, y]). */
        for (unsigned y = 0; y < 25; y += 5) {
            st[y] = b[y] ^ (~b[y + 1] & b[y + 2]);
            st[y + 1] = b[y + 1] ^ (~b[y + 2] & b[y + 3]);
            st[y + 2] = b[y + 2] ^ (~b[y + 3] & b[y + 4]);
            st[y + 3] = b[y + 3] ^ (~b[y + 4] & b[y]);
            st[y + 4] = b[y + 4] ^ (~b[y] & b[y + 1]);
        }
        /* iota */
        st[0] ^= round_constants[round];
    }
}

/* XORs byte v into byte position pos (0..199) of the state. */
static inline void xor_byte(uint64_t st[25], size_t pos, uint8_t v)
{
    st[pos / 8] ^= (uint64_t)v << (8 * (pos % 8));
}

void crypto_keccak256_init(struct crypto_keccak_ctx *ctx)
{
    memset(ctx, 0, sizeof(*ctx));
}

void crypto_keccak256_update(struct crypto_keccak_ctx *ctx, const uint8_t *in,
                             size_t len)
{
    const size_t rate = CRYPTO_KECCAK256_RATE;

    /* Finish a partial block byte by byte. */
    while (len > 0 && ctx->pos != 0) {
        xor_byte(ctx->st, ctx->pos, *in++);
        len--;
        if (++ctx->pos == rate) {
            crypto_keccak_f1600(ctx->st);
            ctx->pos = 0;
        }
    }
    /* Whole blocks: 17 little-endian lanes at a time. */
    while (len >= rate) {
        for (size_t i = 0; i < rate / 8; i++) {
            ctx->st[i] ^= zk_load_le64(in + 8 * i);
        }
        crypto_keccak_f1600(ctx->st);
        in += rate;
        len -= rate;
    }
    /* Tail: fewer than rate bytes remain, so no permutation is due. */
    for (size_t i = 0; i < len; i++) {
        xor_byte(ctx->st, ctx->pos++, in[i]);
    }
}

void crypto_keccak256_final(struct crypto_keccak_ctx *ctx,
                            struct zk_hash32 *out)
{
    /*
     * pad10*1 with the Keccak (pre-FIPS) domain: a 1 bit right after the
     * message (byte 0x01, bits are little-endian within a byte) and a 1
     * bit in the last position of the block (0x80). When pos == rate - 1
     * both land in the same byte (0x81), which the two XORs produce.
     * FIPS 202 SHA3-256 would use 0x06 here instead of 0x01.
     */
    xor_byte(ctx->st, ctx->pos, 0x01);
    xor_byte(ctx->st, CRYPTO_KECCAK256_RATE - 1, 0x80);
    crypto_keccak_f1600(ctx->st);
    /* Squeeze: 32 bytes < rate, so one block suffices. */
    for (size_t i = 0; i < 4; i++) {
        zk_store_le64(out->b + 8 * i, ctx->st[i]);
    }
    /* The state may hold a digest of secret material (e.g. a key). */
    zk_memclear(ctx, sizeof(*ctx));
}

void crypto_keccak256(struct zk_hash32 *out, const uint8_t *in, size_t len)
{
    struct crypto_keccak_ctx ctx;

    crypto_keccak256_init(&ctx);
    crypto_keccak256_update(&ctx, in, len);
    crypto_keccak256_final(&ctx, out);
}
