/*
 * recover_tool.c - an independent checker for the service tests. It does
 * NOT use src/crypto: SHA-256 comes from OpenSSL, Keccak-256 from a naive
 * FIPS 202 implementation below (round constants and rotation offsets are
 * computed from the spec's definitions, not copied tables), recovery from
 * libsecp256k1 directly (only hex argument parsing comes from src/base).
 *
 *   recover_tool proof VK_HEX PV_HEX SIG_HEX
 *       prints the signer address of a TEE proof (ARCHITECTURE.md 4):
 *       digest = sha256(vk || pv), hash = keccak256(digest),
 *       signature r||s||v with v = 27 + recid -> 0x<40 lower-case hex>
 *       and on a second line the digest (hex, no 0x)
 *   recover_tool address SECKEY_HEX
 *       prints the address of a secret key
 * Hex arguments may have a 0x prefix; an empty PV is "" or "0x".
 */
#include <config.h>
#include "base/hex.h"

#include <openssl/evp.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t rol(uint64_t v, unsigned n)
{
    n %= 64;
    return n == 0 ? v : (v << n) | (v >> (64 - n));
}

/* FIPS 202 3.2.5: rc(t) from the LFSR x^8 + x^6 + x^5 + x^4 + 1. */
static int rc_bit(unsigned t)
{
    unsigned r = 1;
    if (t % 255 == 0) {
        return 1;
    }
    for (unsigned i = 1; i <= t % 255; i++) {
        r <<= 1;
        if (r & 0x100) {
            r ^= 0x171;
        }
    }
    return (int)(r & 1);
}

static void keccak_f(uint64_t a[25])
{
    unsigned rot[25] = {0};
    unsigned x = 1, y = 0;
    for (unsigned t = 0; t < 24; t++) { /* 3.2.2 rho offsets */
        rot[x + 5 * y] = ((t + 1) * (t + 2) / 2) % 64;
        unsigned nx = y, ny = (2 * x + 3 * y) % 5;
        x = nx;
        y = ny;
    }
    for (unsigned ir = 0; ir < 24; ir++) {
        uint64_t c[5], d[5], b[25];
        for (x = 0; x < 5; x++) {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        for (x = 0; x < 5; x++) {
            d[x] = c[(x + 4) % 5] ^ rol(c[(x + 1) % 5], 1);
        }
        for (unsigned i = 0; i < 25; i++) {
            a[i] ^= d[i % 5];
        }
        for (x = 0; x < 5; x++) { /* rho + pi */
            for (y = 0; y < 5; y++) {
                b[y + 5 * ((2 * x + 3 * y) % 5)] =
                    rol(a[x + 5 * y], rot[x + 5 * y]);
            }
        }
        for (x = 0; x < 5; x++) { /* chi */
            for (y = 0; y < 5; y++) {
                a[x + 5 * y] = b[x + 5 * y] ^ (~b[(x + 1) % 5 + 5 * y] &
                                               b[(x + 2) % 5 + 5 * y]);
            }
        }
        uint64_t rc = 0; /* iota */
        for (unsigned j = 0; j <= 6; j++) {
            if (rc_bit(j + 7 * ir)) {
                rc |= 1ull << ((1u << j) - 1);
            }
        }
        a[0] ^= rc;
    }
}

static void keccak256(uint8_t out[32], const uint8_t *in, size_t n)
{
    uint64_t st[25] = {0};
    uint8_t block[136];
    const size_t rate = 136;
    for (;;) {
        size_t take = n < rate ? n : rate;
        memset(block, 0, sizeof(block));
        memcpy(block, in, take);
        if (take < rate) {
            block[take] ^= 0x01;
            block[rate - 1] ^= 0x80;
        }
        for (size_t i = 0; i < rate; i++) {
            st[i / 8] ^= (uint64_t)block[i] << (8 * (i % 8));
        }
        keccak_f(st);
        if (take < rate) {
            break;
        }
        in += take;
        n -= take;
    }
    for (size_t i = 0; i < 32; i++) {
        out[i] = (uint8_t)(st[i / 8] >> (8 * (i % 8)));
    }
}

/* Hex argument (0x optional) into out: 0, or -1 (odd, bad digit, too long).
 * Input parsing only, so base's decoder is used. */
static int unhex(uint8_t *out, size_t cap, size_t *len, const char *s)
{
    return zk_hex_decode(out, cap, len, s, strlen(s)) == ZK_OK ? 0 : -1;
}

static void print_hex(const uint8_t *p, size_t n, const char *pre)
{
    printf("%s", pre);
    for (size_t i = 0; i < n; i++) {
        printf("%02x", p[i]);
    }
    printf("\n");
}

static void addr_of(uint8_t addr[20], const secp256k1_pubkey *pk)
{
    uint8_t ser[65], h[32];
    size_t len = sizeof(ser);
    secp256k1_ec_pubkey_serialize(secp256k1_context_static, ser, &len, pk,
                                  SECP256K1_EC_UNCOMPRESSED);
    keccak256(h, ser + 1, 64);
    memcpy(addr, h + 12, 20);
}

static uint8_t pv[1 << 24];

int main(int argc, char **argv)
{
    static const uint8_t kat[32] = {
        0xc5, 0xd2, 0x46, 0x01, 0x86, 0xf7, 0x23, 0x3c, 0x92, 0x7e, 0x7d,
        0xb2, 0xdc, 0xc7, 0x03, 0xc0, 0xe5, 0x00, 0xb6, 0x53, 0xca, 0x82,
        0x27, 0x3b, 0x7b, 0xfa, 0xd8, 0x04, 0x5d, 0x85, 0xa4, 0x70};
    uint8_t h[32], addr[20];
    secp256k1_context *ctx = secp256k1_context_create(SECP256K1_CONTEXT_NONE);

    keccak256(h, (const uint8_t *)"", 0);
    if (memcmp(h, kat, 32) != 0) {
        fprintf(stderr, "recover_tool: keccak self-test failed\n");
        return 99;
    }
    if (argc == 3 && strcmp(argv[1], "address") == 0) {
        uint8_t sk[32];
        size_t n;
        secp256k1_pubkey pk;
        if (unhex(sk, 32, &n, argv[2]) || n != 32 ||
            !secp256k1_ec_pubkey_create(ctx, &pk, sk)) {
            return 2;
        }
        addr_of(addr, &pk);
        print_hex(addr, 20, "0x");
        secp256k1_context_destroy(ctx);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "proof") == 0) {
        uint8_t vk[32], sig[65], digest[32];
        size_t vn, pn, sn;
        unsigned dlen = 32;
        secp256k1_ecdsa_recoverable_signature rs;
        secp256k1_pubkey pk;
        EVP_MD_CTX *md = EVP_MD_CTX_new();
        if (unhex(vk, 32, &vn, argv[2]) || vn != 32 ||
            unhex(pv, sizeof(pv), &pn, argv[3]) ||
            unhex(sig, 65, &sn, argv[4]) || sn != 65 ||
            (sig[64] != 27 && sig[64] != 28)) {
            fprintf(stderr, "recover_tool: bad arguments\n");
            return 2;
        }
        if (md == NULL || !EVP_DigestInit_ex(md, EVP_sha256(), NULL) ||
            !EVP_DigestUpdate(md, vk, 32) || !EVP_DigestUpdate(md, pv, pn) ||
            !EVP_DigestFinal_ex(md, digest, &dlen)) {
            return 3;
        }
        EVP_MD_CTX_free(md);
        keccak256(h, digest, 32);
        if (!secp256k1_ecdsa_recoverable_signature_parse_compact(
                ctx, &rs, sig, sig[64] - 27) ||
            !secp256k1_ecdsa_recover(ctx, &pk, &rs, h)) {
            fprintf(stderr, "recover_tool: recovery failed\n");
            return 4;
        }
        addr_of(addr, &pk);
        print_hex(addr, 20, "0x");
        print_hex(digest, 32, "");
        secp256k1_context_destroy(ctx);
        return 0;
    }
    fprintf(stderr, "usage: recover_tool proof VK PV SIG | address SECKEY\n");
    secp256k1_context_destroy(ctx);
    return 2;
}
