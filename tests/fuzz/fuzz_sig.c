/*
 * fuzz_sig.c - libFuzzer harness for the crypto parsers: signature
 * parsing/validation and recovery, public-key parsing, address text
 * (EIP-55) parsing, and Keccak-256 one-shot vs incremental.
 *
 * Every input runs all paths. For signatures, bytes [0, 32) are the hash
 * (when present) and the rest is the signature candidate; the whole input
 * is also tried as a public key, as address text and as a Keccak message.
 * Invariants checked (abort on violation):
 *   - a signature that crypto_sig_parse accepts passes crypto_sig_check;
 *   - a recovered address formats to EIP-55 text that parses back to it;
 *   - an accepted public key re-parses from its 64-byte form to itself;
 *   - Keccak-256 one-shot equals any two-piece incremental split.
 */
#include <config.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "crypto/crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int init;
    struct zk_hash32 h = {{0}}, h1, h2;
    struct crypto_sig sig;
    struct crypto_addr addr, back;
    struct crypto_pubkey pub, pub2;
    char txt[CRYPTO_ADDR_HEX_SIZE], str[128];
    struct crypto_keccak_ctx kc;

    if (!init) {
        zk_log_set_level(ZK_LOG_SILENT);
        init = 1;
    }
    if (size >= 32) {
        memcpy(h.b, data, 32);
    }
    const uint8_t *rest = size >= 32 ? data + 32 : data;
    size_t rest_len = size >= 32 ? size - 32 : size;

    if (crypto_sig_parse(&sig, rest, rest_len) == ZK_OK) {
        if (crypto_sig_check(&sig) != ZK_OK) {
            abort();
        }
        if (crypto_recover_addr(&addr, &sig, &h) == ZK_OK) {
            crypto_addr_to_hex(txt, &addr);
            if (crypto_addr_from_hex(&back, txt) != ZK_OK ||
                !crypto_addr_eq(&addr, &back)) {
                abort();
            }
        }
        (void)crypto_tee_recover(&addr, &h, &sig);
    }
    /* Also try the raw input as a 65-byte signature without a hash. */
    if (size >= 65) {
        memcpy(sig.b, data, 65);
        (void)crypto_recover_addr(&addr, &sig, &h);
    }

    if (crypto_pubkey_parse(&pub, data, size) == ZK_OK) {
        if (crypto_pubkey_parse(&pub2, pub.b, 64) != ZK_OK ||
            memcmp(pub.b, pub2.b, 64) != 0) {
            abort();
        }
    }

    if (size < sizeof(str)) {
        memcpy(str, data, size);
        str[size] = '\0';
        if (crypto_addr_from_hex(&addr, str) == ZK_OK) {
            crypto_addr_to_hex(txt, &addr);
            if (crypto_addr_from_hex(&back, txt) != ZK_OK ||
                !crypto_addr_eq(&addr, &back)) {
                abort();
            }
        }
    }

    crypto_keccak256(&h1, data, size);
    size_t cut = size ? data[0] % (size + 1) : 0;
    crypto_keccak256_init(&kc);
    crypto_keccak256_update(&kc, data, cut);
    crypto_keccak256_update(&kc, data + cut, size - cut);
    crypto_keccak256_final(&kc, &h2);
    if (memcmp(h1.b, h2.b, 32) != 0) {
        abort();
    }
    return 0;
}
