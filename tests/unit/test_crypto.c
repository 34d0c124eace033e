/*
 * test_crypto.c - unit tests for src/crypto: Keccak-f[1600], Keccak-256,
 * SHA-256, secp256k1 keys/signatures/recovery, addresses, EIP-55, and the
 * TEE proof signature.
 *
 * Every expected value comes from outside this code: published vectors
 * (cited inline and in tests/fixtures/crypto/ORIGIN.md), or an independent
 * recomputation through OpenSSL (SHA3-256, SHA-256) or libsecp256k1 used
 * directly. Randomised tests print their seed; ZK_TEST_SEED replays it and
 * ZK_TEST_QUICK=1 shrinks them (valgrind/ASan runs).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <secp256k1.h>
#include <secp256k1_recovery.h>

#include "base/bytes.h"
#include "base/err.h"
#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/crypto.h"
#include "../fixture.h"

/* ---- helpers --------------------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
    /* splitmix64: deterministic, seedable, good enough for test inputs. */
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void rng_fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (uint8_t)rng_next();
    }
}

static bool quick(void)
{
    const char *q = getenv("ZK_TEST_QUICK");
    return q != NULL && *q != '\0' && strcmp(q, "0") != 0;
}

static void hash_from_hex(struct zk_hash32 *out, const char *hex)
{
    assert_int_equal(zk_hex_decode_exact(out->b, 32, hex), ZK_OK);
}

static void assert_hash_hex(const struct zk_hash32 *h, const char *hex)
{
    struct zk_hash32 want;
    hash_from_hex(&want, hex);
    assert_memory_equal(h->b, want.b, 32);
}

static void sig_from_hex(struct crypto_sig *out, const char *hex)
{
    assert_int_equal(zk_hex_decode_exact(out->b, 65, hex), ZK_OK);
}

/* The group order n, big-endian (SEC 2 section 2.4.1). */
static const char curve_n_hex[] =
    "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

/* out = n - a (big-endian, a < n), for building high-s twins. */
static void n_minus(uint8_t out[32], const uint8_t a[32])
{
    uint8_t n[32];
    unsigned borrow = 0;
    assert_int_equal(zk_hex_decode_exact(n, 32, curve_n_hex), ZK_OK);
    for (int i = 31; i >= 0; i--) {
        int d = (int)n[i] - (int)a[i] - (int)borrow;
        borrow = d < 0;
        out[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    assert_int_equal(borrow, 0);
}

/* ---- Keccak-f[1600] and Keccak-256 ------------------------------------ */

static void keccak_f1600_of_zero_state_matches_xkcp(void **state)
{
    /* XKCP tests/TestVectors/KeccakF-1600-IntermediateValues.txt: the
     * state after one and after two permutations of the all-zero state. */
    static const uint64_t first[25] = {
        0xF1258F7940E1DDE7ull, 0x84D5CCF933C0478Aull, 0xD598261EA65AA9EEull,
        0xBD1547306F80494Dull, 0x8B284E056253D057ull, 0xFF97A42D7F8E6FD4ull,
        0x90FEE5A0A44647C4ull, 0x8C5BDA0CD6192E76ull, 0xAD30A6F71B19059Cull,
        0x30935AB7D08FFC64ull, 0xEB5AA93F2317D635ull, 0xA9A6E6260D712103ull,
        0x81A57C16DBCF555Full, 0x43B831CD0347C826ull, 0x01F22F1A11A5569Full,
        0x05E5635A21D9AE61ull, 0x64BEFEF28CC970F2ull, 0x613670957BC46611ull,
        0xB87C5A554FD00ECBull, 0x8C3EE88A1CCF32C8ull, 0x940C7922AE3A2614ull,
        0x1841F924A2C509E4ull, 0x16F53526E70465C2ull, 0x75F644E97F30A13Bull,
        0xEAF1FF7B5CECA249ull,
    };
    uint64_t st[25] = {0};
    (void)state;
    crypto_keccak_f1600(st);
    for (int i = 0; i < 25; i++) {
        assert_true(st[i] == first[i]);
    }
    crypto_keccak_f1600(st);
    assert_true(st[0] == 0x2D5C954DF96ECB3Cull);
    assert_true(st[1] == 0x6A332CD07057B56Dull);
}

static void keccak256_of_empty_and_abc_match_published(void **state)
{
    struct zk_hash32 h;
    (void)state;
    crypto_keccak256(&h, NULL, 0);
    assert_hash_hex(&h, "c5d2460186f7233c927e7db2dcc703c0"
                        "e500b653ca82273b7bfad8045d85a470");
    crypto_keccak256(&h, (const uint8_t *)"abc", 3);
    assert_hash_hex(&h, "4e03657aea45a94fc7d47ba826c8d667"
                        "c0d1e6e33a64a036ec44f58fa12d6c45");
    /* EIP-20: topic of Transfer(address,address,uint256). */
    const char *sig = "Transfer(address,address,uint256)";
    crypto_keccak256(&h, (const uint8_t *)sig, strlen(sig));
    assert_hash_hex(&h, "ddf252ad1be2c89b69c2b068fc378daa"
                        "952ba7f163c4a11628f55a4df523b3ef");
    /* EIP-155 example: keccak256(signing data) = signing hash. */
    uint8_t data[64];
    size_t n = 0;
    const char *rlp = "ec098504a817c800825208943535353535353535353535353535"
                      "353535353535880de0b6b3a764000080018080";
    assert_int_equal(zk_hex_decode(data, sizeof(data), &n, rlp, strlen(rlp)),
                     ZK_OK);
    crypto_keccak256(&h, data, n);
    assert_hash_hex(&h, "daf5a779ae972f972197303d7b574746"
                        "c7ef83eadac0f2791ad23db92e4c8e53");
}

/* One vector from keccak256_kat.txt, checked one-shot and split. */
static void check_kat(const uint8_t *msg, size_t len,
                      const struct zk_hash32 *want)
{
    static const size_t chunks[] = {1, 7, 64, 135, 136, 137, 1000};
    struct zk_hash32 h;
    struct crypto_keccak_ctx ctx;

    crypto_keccak256(&h, msg, len);
    assert_memory_equal(h.b, want->b, 32);
    for (size_t c = 0; c < ZK_ARRAY_LEN(chunks); c++) {
        crypto_keccak256_init(&ctx);
        for (size_t off = 0; off < len; off += chunks[c]) {
            size_t take = len - off < chunks[c] ? len - off : chunks[c];
            crypto_keccak256_update(&ctx, msg + off, take);
            crypto_keccak256_update(&ctx, msg + off, 0);
        }
        crypto_keccak256_final(&ctx, &h);
        assert_memory_equal(h.b, want->b, 32);
    }
}

static void keccak256_matches_keccak_team_kat_file(void **state)
{
    char path[4096], line[2048];
    uint8_t msg[600];
    size_t msg_len = 0, count = 0, lens_seen = 0;
    bool have_msg = false;
    struct zk_hash32 want;
    FILE *f;
    (void)state;

    assert_true(
        fixture_path(path, sizeof(path), "crypto", "keccak256_kat.txt"));
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "Msg =", 5) == 0) {
            const char *hex = line + 5;
            hex += strspn(hex, " ");
            assert_int_equal(
                zk_hex_decode(msg, sizeof(msg), &msg_len, hex, strlen(hex)),
                ZK_OK);
            have_msg = true;
        } else if (strncmp(line, "MD = ", 5) == 0) {
            assert_true(have_msg);
            hash_from_hex(&want, line + 5);
            check_kat(msg, msg_len, &want);
            count++;
            lens_seen |= (msg_len == 136) | ((msg_len == 200) << 1);
            have_msg = false;
        }
    }
    (void)fclose(f);
    /* The file must not silently shrink: 23 vectors, incl. 136 and 200. */
    assert_int_equal(count, 23);
    assert_int_equal(lens_seen, 3);
}

/* SHA3-256 (FIPS 202) built from OUR permutation: same sponge, domain
 * byte 0x06 instead of 0x01. */
static void sha3_256_with_our_permutation(uint8_t out[32], const uint8_t *in,
                                          size_t len)
{
    uint64_t st[25] = {0};
    uint8_t block[136];
    size_t rate = 136;

    while (len >= rate) {
        for (size_t i = 0; i < rate / 8; i++) {
            st[i] ^= zk_load_le64(in + 8 * i);
        }
        crypto_keccak_f1600(st);
        in += rate;
        len -= rate;
    }
    memset(block, 0, sizeof(block));
    if (len > 0) {
        memcpy(block, in, len);
    }
    block[len] ^= 0x06;
    block[rate - 1] ^= 0x80;
    for (size_t i = 0; i < rate / 8; i++) {
        st[i] ^= zk_load_le64(block + 8 * i);
    }
    crypto_keccak_f1600(st);
    for (size_t i = 0; i < 4; i++) {
        zk_store_le64(out + 8 * i, st[i]);
    }
}

static void openssl_sha3_256(uint8_t out[32], const uint8_t *in, size_t len)
{
    unsigned int n = 0;
    static const uint8_t empty[1];
    assert_int_equal(
        EVP_Digest(len ? in : empty, len, out, &n, EVP_sha3_256(), NULL), 1);
    assert_int_equal(n, 32);
}

static void keccak256_differs_from_sha3_but_shares_the_permutation(void **s)
{
    uint8_t in[400], ours[32], ossl[32];
    struct zk_hash32 k;
    size_t iters = quick() ? 40 : 400;
    (void)s;

    /* NIST example value: SHA3-256("") through our permutation. */
    sha3_256_with_our_permutation(ours, NULL, 0);
    struct zk_hash32 tmp;
    memcpy(tmp.b, ours, 32);
    assert_hash_hex(&tmp, "a7ffc6f8bf1ed76651c14756a061d662"
                          "f580ff4de43b49fa82d80a4b80f8434a");
    for (size_t it = 0; it < iters; it++) {
        size_t len = it < 300 ? it : (size_t)(rng_next() % sizeof(in));
        rng_fill(in, len);
        sha3_256_with_our_permutation(ours, in, len);
        openssl_sha3_256(ossl, in, len);
        assert_memory_equal(ours, ossl, 32);
        /* Same input, Ethereum padding: must differ from SHA3-256. */
        crypto_keccak256(&k, in, len);
        assert_memory_not_equal(k.b, ossl, 32);
    }
}

/* ---- SHA-256 ---------------------------------------------------------- */

static void sha256_matches_fips180_examples(void **state)
{
    struct zk_hash32 h;
    const char *two =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    (void)state;
    assert_int_equal(crypto_sha256(&h, (const uint8_t *)"abc", 3), ZK_OK);
    assert_hash_hex(&h, "ba7816bf8f01cfea414140de5dae2223"
                        "b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(crypto_sha256(&h, NULL, 0), ZK_OK);
    assert_hash_hex(&h, "e3b0c44298fc1c149afbf4c8996fb924"
                        "27ae41e4649b934ca495991b7852b855");
    assert_int_equal(crypto_sha256(&h, (const uint8_t *)two, strlen(two)),
                     ZK_OK);
    assert_hash_hex(&h, "248d6a61d20638b8e5c026930c3e6039"
                        "a33ce45964ff2167f6ecedd419db06c1");

    /* One million 'a', incrementally in uneven pieces; then reuse. */
    struct crypto_sha256 *ctx = crypto_sha256_new();
    uint8_t a[1000];
    assert_non_null(ctx);
    memset(a, 'a', sizeof(a));
    for (size_t done = 0, step = 1; done < 1000000; done += step) {
        step = (done % 997) + 1;
        if (step > 1000000 - done) {
            step = 1000000 - done;
        }
        if (step > sizeof(a)) {
            step = sizeof(a);
        }
        assert_int_equal(crypto_sha256_update(ctx, a, step), ZK_OK);
    }
    assert_int_equal(crypto_sha256_final(ctx, &h), ZK_OK);
    assert_hash_hex(&h, "cdc76e5c9914fb9281a1c7e284d73e67"
                        "f1809a48a497200e046d39ccc7112cd0");
    assert_int_equal(crypto_sha256_update(ctx, (const uint8_t *)"ab", 2),
                     ZK_OK);
    assert_int_equal(crypto_sha256_update(ctx, NULL, 0), ZK_OK);
    assert_int_equal(crypto_sha256_update(ctx, (const uint8_t *)"c", 1), ZK_OK);
    assert_int_equal(crypto_sha256_final(ctx, &h), ZK_OK);
    assert_hash_hex(&h, "ba7816bf8f01cfea414140de5dae2223"
                        "b00361a396177a9cb410ff61f20015ad");
    crypto_sha256_free(ctx);
    crypto_sha256_free(NULL);
}

/* ---- keys and addresses ----------------------------------------------- */

static void addr_hex(char out[CRYPTO_ADDR_HEX_SIZE],
                     const struct crypto_seckey *k)
{
    struct crypto_addr a;
    assert_int_equal(crypto_seckey_to_addr(&a, k), ZK_OK);
    crypto_addr_to_hex(out, &a);
}

static void eip155_key_has_published_checksummed_address(void **state)
{
    struct crypto_seckey k;
    uint8_t raw[32];
    char txt[CRYPTO_ADDR_HEX_SIZE];
    (void)state;
    memset(raw, 0x46, sizeof(raw));
    assert_int_equal(crypto_seckey_from_bytes(&k, raw), ZK_OK);
    addr_hex(txt, &k);
    assert_string_equal(txt, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");

    /* Private key 1 -> the generator G -> a well-known address. */
    memset(raw, 0, sizeof(raw));
    raw[31] = 1;
    assert_int_equal(crypto_seckey_from_bytes(&k, raw), ZK_OK);
    addr_hex(txt, &k);
    assert_string_equal(txt, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    struct crypto_pubkey pub;
    assert_int_equal(crypto_seckey_to_pubkey(&pub, &k), ZK_OK);
    uint8_t g[64];
    assert_int_equal(
        zk_hex_decode_exact(g, 64,
                            "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D9"
                            "59F2815B16F81798483ADA7726A3C4655DA4FBFC0E1108A8"
                            "FD17B448A68554199C47D08FFB10D4B8"),
        ZK_OK);
    assert_memory_equal(pub.b, g, 64);

    /* Ganache's first default account (from its documentation). */
    assert_int_equal(crypto_seckey_from_hex(&k, "0x4f3edf983ac636a65a842ce7c78"
                                                "d9aa706d3b113bce9c46f30d7d217"
                                                "15b23b1d\n"),
                     ZK_OK);
    addr_hex(txt, &k);
    assert_string_equal(txt, "0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1");
    crypto_seckey_clear(&k);
}

static void eip155_example_signature_is_reproduced_exactly(void **state)
{
    /* EIP-155: key 0x46..46 signs the signing hash below with RFC 6979;
     * the published (v=37 for chain 1, i.e. recid 0), r, s. */
    struct crypto_seckey k;
    struct zk_hash32 h;
    struct crypto_sig sig, want;
    struct crypto_addr who;
    char txt[CRYPTO_ADDR_HEX_SIZE];
    (void)state;
    assert_int_equal(crypto_seckey_from_hex(&k,
                                            "46464646464646464646464646464646"
                                            "46464646464646464646464646464646"),
                     ZK_OK);
    hash_from_hex(&h, "daf5a779ae972f972197303d7b574746"
                      "c7ef83eadac0f2791ad23db92e4c8e53");
    assert_int_equal(crypto_sign_hash(&sig, &k, &h), ZK_OK);
    sig_from_hex(
        &want,
        "28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276"
        "67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
        "1b");
    assert_memory_equal(sig.b, want.b, 65);
    assert_int_equal(crypto_recover_addr(&who, &sig, &h), ZK_OK);
    crypto_addr_to_hex(txt, &who);
    assert_string_equal(txt, "0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F");
    crypto_seckey_clear(&k);
}

static void seckey_loading_rejects_bad_keys(void **state)
{
    struct crypto_seckey k;
    uint8_t raw[32];
    (void)state;
    memset(raw, 0, sizeof(raw));
    assert_int_equal(crypto_seckey_from_bytes(&k, raw), ZK_ECRYPTO);
    assert_int_equal(zk_hex_decode_exact(raw, 32, curve_n_hex), ZK_OK);
    assert_int_equal(crypto_seckey_from_bytes(&k, raw), ZK_ECRYPTO);
    raw[31] = 0x40; /* n - 1 is the largest valid key */
    assert_int_equal(crypto_seckey_from_bytes(&k, raw), ZK_OK);
    memset(raw, 0xff, sizeof(raw));
    assert_int_equal(crypto_seckey_from_bytes(&k, raw), ZK_ECRYPTO);
    assert_int_equal(k.b[0] | k.b[31], 0); /* zeroed on error */

    const char *bad_text[] = {
        "",
        "46",
        "0x",
        ("4646464646464646464646464646464646464646464646464646464646464646"
         "46"),
        "464646464646464646464646464646464646464646464646464646464646464",
        "46464646464646464646464646464646464646464646464646464646464646zz",
        "0x46464646464646464646464646464646464646464646464646464646464646 4",
        "0y4646464646464646464646464646464646464646464646464646464646464646",
    };
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad_text); i++) {
        assert_int_equal(crypto_seckey_from_hex(&k, bad_text[i]), ZK_EINVAL);
    }
    assert_int_equal(
        crypto_seckey_from_hex(&k, " 0000000000000000000000000000000000000000"
                                   "000000000000000000000000\t"),
        ZK_ECRYPTO);
    assert_int_equal(
        crypto_seckey_from_hex(&k, "\t 0X464646464646464646464646464646464646"
                                   "4646464646464646464646464646 \r\n"),
        ZK_OK);
    assert_int_equal(k.b[0], 0x46);
    crypto_seckey_clear(&k);
    for (size_t i = 0; i < sizeof(k.b); i++) {
        assert_int_equal(k.b[i], 0);
    }
    crypto_seckey_clear(NULL);
}

static void pubkey_parse_accepts_sec1_forms_and_rejects_others(void **state)
{
    static const char gx[] =
        "79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798";
    static const char gy[] =
        "483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8";
    uint8_t enc[65];
    struct crypto_pubkey a, b, c;
    struct crypto_addr addr;
    char txt[CRYPTO_ADDR_HEX_SIZE];
    (void)state;

    enc[0] = 0x04;
    assert_int_equal(zk_hex_decode_exact(enc + 1, 32, gx), ZK_OK);
    assert_int_equal(zk_hex_decode_exact(enc + 33, 32, gy), ZK_OK);
    assert_int_equal(crypto_pubkey_parse(&a, enc, 65), ZK_OK);
    assert_int_equal(crypto_pubkey_parse(&b, enc + 1, 64), ZK_OK);
    uint8_t comp[33];
    comp[0] = 0x02; /* G.y is even: 02 || X */
    memcpy(comp + 1, enc + 1, 32);
    assert_int_equal(crypto_pubkey_parse(&c, comp, 33), ZK_OK);
    assert_memory_equal(a.b, b.b, 64);
    assert_memory_equal(a.b, c.b, 64);
    crypto_pubkey_to_addr(&addr, &a);
    crypto_addr_to_hex(txt, &addr);
    assert_string_equal(txt, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");

    /* wrong prefixes (incl. SEC 1 hybrid 06/07), lengths, off-curve. */
    comp[0] = 0x04;
    assert_int_equal(crypto_pubkey_parse(&c, comp, 33), ZK_EINVAL);
    comp[0] = 0x03; /* odd-y twin of G: valid, different key */
    assert_int_equal(crypto_pubkey_parse(&c, comp, 33), ZK_OK);
    assert_memory_not_equal(a.b, c.b, 64);
    enc[0] = 0x06;
    assert_int_equal(crypto_pubkey_parse(&c, enc, 65), ZK_EINVAL);
    enc[0] = 0x04;
    assert_int_equal(crypto_pubkey_parse(&c, enc, 63), ZK_EINVAL);
    assert_int_equal(crypto_pubkey_parse(&c, enc, 0), ZK_EINVAL);
    enc[64] ^= 1; /* y no longer matches x */
    assert_int_equal(crypto_pubkey_parse(&c, enc, 65), ZK_ECRYPTO);
}

static void eip55_formats_and_parses_the_eip_examples(void **state)
{
    /* EIP-55 "Test Cases": all caps, all lower, normal. */
    static const char *vectors[] = {
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
        "0xde709f2102306220921060314715629080e2fb77",
        "0x27b1fdb04752bbc536007a920d24acb045561c26",
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    };
    struct crypto_addr a, b;
    char txt[CRYPTO_ADDR_HEX_SIZE], alt[64];
    uint8_t raw[20];
    (void)state;

    for (size_t i = 0; i < ZK_ARRAY_LEN(vectors); i++) {
        assert_int_equal(zk_hex_decode_exact(raw, 20, vectors[i]), ZK_OK);
        memcpy(a.b, raw, 20);
        crypto_addr_to_hex(txt, &a);
        assert_string_equal(txt, vectors[i]);
        /* parse: checksummed, without 0x, all lower, all upper */
        assert_int_equal(crypto_addr_from_hex(&b, vectors[i]), ZK_OK);
        assert_true(crypto_addr_eq(&a, &b));
        assert_int_equal(crypto_addr_from_hex(&b, vectors[i] + 2), ZK_OK);
        assert_true(crypto_addr_eq(&a, &b));
        for (size_t j = 0; j < 42; j++) {
            alt[j] = (char)(j < 2 ? vectors[i][j]
                            : (vectors[i][j] >= 'A' && vectors[i][j] <= 'F')
                                ? vectors[i][j] + 32
                                : vectors[i][j]);
        }
        alt[42] = '\0';
        assert_int_equal(crypto_addr_from_hex(&b, alt), ZK_OK);
        assert_true(crypto_addr_eq(&a, &b));
        for (size_t j = 2; j < 42; j++) {
            if (alt[j] >= 'a' && alt[j] <= 'f') {
                alt[j] = (char)(alt[j] - 32);
            }
        }
        assert_int_equal(crypto_addr_from_hex(&b, alt), ZK_OK);
        assert_true(crypto_addr_eq(&a, &b));
    }
    /* One flipped letter in a mixed-case address breaks the checksum. */
    strcpy(alt, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
    alt[3] = 'A'; /* 'a' -> 'A' */
    assert_int_equal(crypto_addr_from_hex(&b, alt), ZK_EINVAL);
    strcpy(alt, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD");
    assert_int_equal(crypto_addr_from_hex(&b, alt), ZK_EINVAL);
    /* Lengths and characters. */
    assert_int_equal(crypto_addr_from_hex(&b, ""), ZK_EINVAL);
    assert_int_equal(crypto_addr_from_hex(&b, "0x"), ZK_EINVAL);
    assert_int_equal(
        crypto_addr_from_hex(&b, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAe"),
        ZK_EINVAL);
    assert_int_equal(
        crypto_addr_from_hex(&b, "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed0"),
        ZK_EINVAL);
    assert_int_equal(
        crypto_addr_from_hex(&b, "0xde709f2102306220921060314715629080e2fbzz"),
        ZK_EINVAL);
    assert_int_equal(
        crypto_addr_from_hex(&b, " 0xde709f2102306220921060314715629080e2fb77"),
        ZK_EINVAL);
    assert_int_equal(
        crypto_addr_from_hex(&b, "0xde709f2102306220921060314715629080e2fb7 "),
        ZK_EINVAL);
}

/* ---- signatures --------------------------------------------------------- */

static secp256k1_context *raw_ctx(void)
{
    static secp256k1_context *c;
    if (c == NULL) {
        c = secp256k1_context_create(SECP256K1_CONTEXT_NONE);
        assert_non_null(c);
    }
    return c;
}

/* Independent check with libsecp256k1 used directly: the signature
 * verifies under the key's public key as a plain ECDSA signature. */
static void verify_independently(const struct crypto_seckey *k,
                                 const struct crypto_sig *sig,
                                 const struct zk_hash32 *h)
{
    secp256k1_pubkey pk;
    secp256k1_ecdsa_signature es;
    secp256k1_ecdsa_recoverable_signature rs;
    secp256k1_pubkey rec;
    uint8_t a[65], b[65];
    size_t la = 65, lb = 65;

    assert_int_equal(secp256k1_ec_pubkey_create(raw_ctx(), &pk, k->b), 1);
    assert_int_equal(
        secp256k1_ecdsa_signature_parse_compact(raw_ctx(), &es, sig->b), 1);
    assert_int_equal(secp256k1_ecdsa_verify(raw_ctx(), &es, h->b, &pk), 1);
    /* Already normalised (low-s): normalize reports "was not high". */
    assert_int_equal(secp256k1_ecdsa_signature_normalize(raw_ctx(), NULL, &es),
                     0);
    assert_int_equal(secp256k1_ecdsa_recoverable_signature_parse_compact(
                         raw_ctx(), &rs, sig->b, sig->b[64] - 27),
                     1);
    assert_int_equal(secp256k1_ecdsa_recover(raw_ctx(), &rec, &rs, h->b), 1);
    (void)secp256k1_ec_pubkey_serialize(raw_ctx(), a, &la, &pk,
                                        SECP256K1_EC_UNCOMPRESSED);
    (void)secp256k1_ec_pubkey_serialize(raw_ctx(), b, &lb, &rec,
                                        SECP256K1_EC_UNCOMPRESSED);
    assert_memory_equal(a, b, 65);
}

static void sign_then_recover_round_trips_for_random_keys(void **state)
{
    size_t iters = quick() ? 20 : 300;
    (void)state;

    for (size_t i = 0; i < iters; i++) {
        uint8_t raw[32];
        struct crypto_seckey k;
        struct crypto_sig sig;
        struct zk_hash32 h;
        struct crypto_addr mine, back;
        struct crypto_pubkey pub, pub_back;

        rng_fill(raw, sizeof(raw));
        if (crypto_seckey_from_bytes(&k, raw) != ZK_OK) {
            continue; /* ~2^-128: not a valid key */
        }
        rng_fill(h.b, sizeof(h.b));
        assert_int_equal(crypto_sign_hash(&sig, &k, &h), ZK_OK);
        assert_true(sig.b[64] == 27 || sig.b[64] == 28);
        assert_int_equal(crypto_sig_check(&sig), ZK_OK);
        verify_independently(&k, &sig, &h);
        assert_int_equal(crypto_seckey_to_pubkey(&pub, &k), ZK_OK);
        assert_int_equal(crypto_recover_pubkey(&pub_back, &sig, &h), ZK_OK);
        assert_memory_equal(pub.b, pub_back.b, 64);
        assert_int_equal(crypto_seckey_to_addr(&mine, &k), ZK_OK);
        assert_int_equal(crypto_recover_addr(&back, &sig, &h), ZK_OK);
        assert_true(crypto_addr_eq(&mine, &back));
        /* Deterministic (RFC 6979): signing again gives the same bytes. */
        struct crypto_sig again;
        assert_int_equal(crypto_sign_hash(&again, &k, &h), ZK_OK);
        assert_memory_equal(sig.b, again.b, 65);
        /* A different hash recovers someone else. */
        h.b[0] ^= 1;
        if (crypto_recover_addr(&back, &sig, &h) == ZK_OK) {
            assert_false(crypto_addr_eq(&mine, &back));
        }
        crypto_seckey_clear(&k);
    }

    /* Keys from getrandom behave the same and differ from each other. */
    struct crypto_seckey k1, k2;
    struct crypto_sig sig;
    struct zk_hash32 h;
    struct crypto_addr a1, back;
    assert_int_equal(crypto_seckey_generate(&k1), ZK_OK);
    assert_int_equal(crypto_seckey_generate(&k2), ZK_OK);
    assert_memory_not_equal(k1.b, k2.b, 32);
    rng_fill(h.b, 32);
    assert_int_equal(crypto_sign_hash(&sig, &k1, &h), ZK_OK);
    verify_independently(&k1, &sig, &h);
    assert_int_equal(crypto_seckey_to_addr(&a1, &k1), ZK_OK);
    assert_int_equal(crypto_recover_addr(&back, &sig, &h), ZK_OK);
    assert_true(crypto_addr_eq(&a1, &back));
    crypto_seckey_clear(&k1);
    crypto_seckey_clear(&k2);
}

static void malformed_signatures_are_rejected(void **state)
{
    struct crypto_seckey k;
    struct crypto_sig good, bad, parsed;
    struct zk_hash32 h;
    struct crypto_addr a;
    uint8_t n[32], buf[70];
    (void)state;

    assert_int_equal(zk_hex_decode_exact(n, 32, curve_n_hex), ZK_OK);
    memset(buf, 0x46, 32);
    assert_int_equal(crypto_seckey_from_bytes(&k, buf), ZK_OK);
    rng_fill(h.b, 32);
    assert_int_equal(crypto_sign_hash(&good, &k, &h), ZK_OK);
    assert_int_equal(crypto_sig_parse(&parsed, good.b, 65), ZK_OK);
    assert_memory_equal(parsed.b, good.b, 65);

    /* wrong lengths */
    memcpy(buf, good.b, 65);
    buf[65] = 0;
    assert_int_equal(crypto_sig_parse(&parsed, buf, 64), ZK_EINVAL);
    assert_int_equal(crypto_sig_parse(&parsed, buf, 66), ZK_EINVAL);
    assert_int_equal(crypto_sig_parse(&parsed, buf, 0), ZK_EINVAL);
    assert_int_equal(parsed.b[0] | parsed.b[64], 0);

    /* v other than 27/28, including raw recids and EIP-155 values */
    static const uint8_t bad_v[] = {0, 1, 2, 3, 26, 29, 35, 36, 37, 38, 255};
    for (size_t i = 0; i < sizeof(bad_v); i++) {
        bad = good;
        bad.b[64] = bad_v[i];
        assert_int_equal(crypto_sig_check(&bad), ZK_EINVAL);
        assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
        assert_int_equal(crypto_sig_parse(&parsed, bad.b, 65), ZK_EINVAL);
    }
    /* r = 0, r = n, r = 2^256 - 1 */
    bad = good;
    memset(bad.b, 0, 32);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
    memcpy(bad.b, n, 32);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
    memset(bad.b, 0xff, 32);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
    /* s = 0, s = n, s = n + small (all < 2^256) */
    bad = good;
    memset(bad.b + 32, 0, 32);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
    memcpy(bad.b + 32, n, 32);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
    bad.b[63] = 0x50;
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);

    /*
     * High-s twin (r, n - s, v ^ 1): mathematically valid - libsecp256k1
     * used directly recovers the same key from it - but rejected here by
     * policy (EIP-2, OpenZeppelin ECDSA).
     */
    bad = good;
    n_minus(bad.b + 32, good.b + 32);
    bad.b[64] = (uint8_t)(55 - good.b[64]); /* 27 <-> 28 */
    assert_int_equal(crypto_sig_check(&bad), ZK_EINVAL);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_EINVAL);
    {
        secp256k1_ecdsa_recoverable_signature rs;
        secp256k1_pubkey p1, p2;
        secp256k1_ecdsa_recoverable_signature rs_good;
        assert_int_equal(secp256k1_ecdsa_recoverable_signature_parse_compact(
                             raw_ctx(), &rs, bad.b, bad.b[64] - 27),
                         1);
        assert_int_equal(secp256k1_ecdsa_recover(raw_ctx(), &p1, &rs, h.b), 1);
        assert_int_equal(secp256k1_ecdsa_recoverable_signature_parse_compact(
                             raw_ctx(), &rs_good, good.b, good.b[64] - 27),
                         1);
        assert_int_equal(secp256k1_ecdsa_recover(raw_ctx(), &p2, &rs_good, h.b),
                         1);
        assert_int_equal(secp256k1_ec_pubkey_cmp(raw_ctx(), &p1, &p2), 0);
    }
    /* s = n/2 + 1 is the smallest high s; s = n/2 is still accepted. */
    bad = good;
    assert_int_equal(zk_hex_decode_exact(bad.b + 32, 32,
                                         "7fffffffffffffffffffffffffffffff"
                                         "5d576e7357a4501ddfe92f46681b20a1"),
                     ZK_OK);
    assert_int_equal(crypto_sig_check(&bad), ZK_EINVAL);
    bad.b[63] = 0xa0;
    assert_int_equal(crypto_sig_check(&bad), ZK_OK);

    /*
     * r in range but not the x-coordinate of any curve point: recovery
     * fails cryptographically. Find such an x with libsecp256k1 directly
     * (02 || x does not parse).
     */
    bad = good;
    memset(bad.b, 0, 32);
    secp256k1_pubkey tmp;
    uint8_t comp[33] = {0x02};
    int found = 0;
    for (unsigned x = 1; x < 256 && !found; x++) {
        memset(comp + 1, 0, 32);
        comp[32] = (uint8_t)x;
        if (!secp256k1_ec_pubkey_parse(raw_ctx(), &tmp, comp, 33)) {
            bad.b[31] = (uint8_t)x;
            found = 1;
        }
    }
    assert_true(found);
    assert_int_equal(crypto_sig_check(&bad), ZK_OK);
    assert_int_equal(crypto_recover_addr(&a, &bad, &h), ZK_ECRYPTO);
    crypto_seckey_clear(&k);
}

/* ---- the TEE proof signature ------------------------------------------ */

static void tee_reference_prover_log_recovers_to_published_signer(void **s)
{
    /* The reference prover's published log: digest, signature, signer. */
    struct zk_hash32 digest;
    struct crypto_sig sig;
    struct crypto_addr who, want;
    (void)s;
    hash_from_hex(&digest, "a50f6fca342d194a8443e9e8299cc6c0"
                           "338bde0943ddc8efcd2d0c126a764a6b");
    sig_from_hex(&sig, "22e32fe8df3cf338a4d60578b51972d0e56e2e6114da843c4af130"
                       "1524dbfaee0f8c4e8193db093c718a646f33cd39dee94829db1aab"
                       "019541875e5ad25501ea1c");
    assert_int_equal(crypto_tee_recover(&who, &digest, &sig), ZK_OK);
    assert_int_equal(crypto_addr_from_hex(
                         &want, "0x24f467036294dacac4d86ba2ed17323514fb1616"),
                     ZK_OK);
    assert_true(crypto_addr_eq(&who, &want));
    /* Recovering over the digest itself (no keccak) gives someone else. */
    assert_int_equal(crypto_recover_addr(&who, &sig, &digest), ZK_OK);
    assert_false(crypto_addr_eq(&who, &want));
}

static void tee_sign_uses_sha256_of_vk_and_public_values(void **s)
{
    struct crypto_seckey k;
    struct zk_hash32 vk, digest, digest2, want, kh;
    struct crypto_sig sig, sig2;
    struct crypto_addr signer, back;
    uint8_t pv[300], cat[332];
    unsigned int n = 0;
    (void)s;

    assert_int_equal(crypto_seckey_generate(&k), ZK_OK);
    rng_fill(vk.b, 32);
    for (size_t len = 0; len <= sizeof(pv); len += quick() ? 150 : 37) {
        rng_fill(pv, len);
        /* independent digest: OpenSSL one-shot over the concatenation */
        memcpy(cat, vk.b, 32);
        memcpy(cat + 32, pv, len);
        assert_int_equal(
            EVP_Digest(cat, 32 + len, want.b, &n, EVP_sha256(), NULL), 1);
        assert_int_equal(crypto_tee_digest(&digest, &vk, len ? pv : NULL, len),
                         ZK_OK);
        assert_memory_equal(digest.b, want.b, 32);

        assert_int_equal(crypto_tee_sign(&sig, &digest2, &k, &vk, pv, len),
                         ZK_OK);
        assert_memory_equal(digest2.b, want.b, 32);
        assert_int_equal(crypto_tee_sign_digest(&sig2, &k, &digest), ZK_OK);
        assert_memory_equal(sig.b, sig2.b, 65);
        /* the signed hash is keccak256(digest) */
        crypto_keccak256(&kh, digest.b, 32);
        verify_independently(&k, &sig, &kh);
        assert_int_equal(crypto_seckey_to_addr(&signer, &k), ZK_OK);
        assert_int_equal(crypto_tee_recover(&back, &digest, &sig), ZK_OK);
        assert_true(crypto_addr_eq(&signer, &back));
    }
    assert_int_equal(crypto_tee_sign(&sig, NULL, &k, &vk, NULL, 0), ZK_OK);
    crypto_seckey_clear(&k);
}

static void random_bytes_fill_and_differ(void **state)
{
    uint8_t a[64], b[64];
    (void)state;
    assert_int_equal(crypto_random_bytes(a, sizeof(a)), ZK_OK);
    assert_int_equal(crypto_random_bytes(b, sizeof(b)), ZK_OK);
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(crypto_random_bytes(a, 0), ZK_OK);
    assert_int_equal(crypto_init(), ZK_OK);
}

int main(void)
{
    const char *seed_env = getenv("ZK_TEST_SEED");
    uint64_t seed = seed_env
                        ? strtoull(seed_env, NULL, 0)
                        : ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid();
    rng_state = seed;
    printf("test_crypto: seed %llu (replay with ZK_TEST_SEED=%llu)\n",
           (unsigned long long)seed, (unsigned long long)seed);
    /* Rejection tests log by design; keep the output readable. */
    if (getenv("ZK_LOG_LEVEL") == NULL) {
        zk_log_set_level(ZK_LOG_SILENT);
    }

    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keccak_f1600_of_zero_state_matches_xkcp),
        cmocka_unit_test(keccak256_of_empty_and_abc_match_published),
        cmocka_unit_test(keccak256_matches_keccak_team_kat_file),
        cmocka_unit_test(
            keccak256_differs_from_sha3_but_shares_the_permutation),
        cmocka_unit_test(sha256_matches_fips180_examples),
        cmocka_unit_test(eip155_key_has_published_checksummed_address),
        cmocka_unit_test(eip155_example_signature_is_reproduced_exactly),
        cmocka_unit_test(seckey_loading_rejects_bad_keys),
        cmocka_unit_test(pubkey_parse_accepts_sec1_forms_and_rejects_others),
        cmocka_unit_test(eip55_formats_and_parses_the_eip_examples),
        cmocka_unit_test(sign_then_recover_round_trips_for_random_keys),
        cmocka_unit_test(malformed_signatures_are_rejected),
        cmocka_unit_test(tee_reference_prover_log_recovers_to_published_signer),
        cmocka_unit_test(tee_sign_uses_sha256_of_vk_and_public_values),
        cmocka_unit_test(random_bytes_fill_and_differ),
    };
    int rc = cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
    if (rc != 0) {
        printf("test_crypto: failures with seed %llu\n",
               (unsigned long long)seed);
    }
    return rc;
}
