/* attest_check.c - /v1/signer decoding and the attestation binding check;
 * see attest_check.h. */
#include <config.h>
#include "cli/attest_check.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "base/bytes.h"
#include "base/hex.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/keccak.h"
#include "crypto/sha256.h"

void cli_signer_init(struct cli_signer *s)
{
    memset(s, 0, sizeof(*s));
    s->registered_block = -1;
    s->ref_block_number = -1;
    zk_buf_init(&s->quote, ZK_MAX_QUOTE_SIZE);
}

void cli_signer_cleanup(struct cli_signer *s)
{
    zk_buf_cleanup(&s->quote);
}

/* Copies a string field into dst; false when it was cut to fit n. */
static bool get_str(const cJSON *o, const char *name, char *dst, size_t n)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
    dst[0] = '\0';
    if (cJSON_IsString(j)) {
        int w = snprintf(dst, n, "%s", j->valuestring);
        return w >= 0 && (size_t)w < n;
    }
    return true;
}

static bool get_ll(const cJSON *o, const char *name, long long *out)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
    /* the range check also refuses NaN; casting an out-of-range double
     * to an integer is undefined behaviour (found by fuzz_cli_json) */
    if (!cJSON_IsNumber(j) || !(j->valuedouble >= -9.0e18) ||
        !(j->valuedouble <= 9.0e18)) {
        return false;
    }
    *out = (long long)j->valuedouble;
    return true;
}

/* "0x.." string of exactly n bytes into dst; absent/null -> false. */
static enum zk_err get_hex(const cJSON *o, const char *name, uint8_t *dst,
                           size_t n, bool *present)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
    *present = false;
    if (j == NULL || cJSON_IsNull(j)) {
        return ZK_OK;
    }
    if (!cJSON_IsString(j) ||
        zk_hex_decode_exact(dst, n, j->valuestring) != ZK_OK) {
        zk_error("cli: signer: '%s' is not %zu bytes of hex", name, n);
        return ZK_EINVAL;
    }
    *present = true;
    return ZK_OK;
}

static enum zk_err decode_key(struct cli_signer *out, const cJSON *k)
{
    const cJSON *att = cJSON_GetObjectItemCaseSensitive(k, "attestation");
    const cJSON *sim = cJSON_GetObjectItemCaseSensitive(k, "simulated");
    enum zk_err err;

    out->present = true;
    (void)get_ll(k, "key_id", &out->key_id);
    /* a cut address could read as another valid one: refuse it */
    if (!get_str(k, "address", out->address, sizeof(out->address))) {
        zk_error("cli: signer: 'address' is not an address");
        return ZK_EINVAL;
    }
    /* the other strings are display-only: longer values are cut */
    (void)get_str(k, "status", out->status, sizeof(out->status));
    (void)get_str(k, "tee_mode", out->tee_mode, sizeof(out->tee_mode));
    out->simulated = cJSON_IsTrue(sim);
    out->has_expiry = get_ll(k, "expires_at", &out->expires_at);
    (void)get_ll(k, "expires_in_s", &out->expires_in_s);
    (void)get_ll(k, "registered_block", &out->registered_block);
    if (!cJSON_IsObject(att)) {
        return ZK_OK;
    }
    err = get_hex(att, "report_data", out->report_data, 64,
                  &out->has_report_data);
    err = err ? err
              : get_hex(att, "ref_block_hash", out->ref_block_hash, 32,
                        &out->has_ref_block_hash);
    (void)get_str(att, "quote_sha256", out->quote_sha256,
                  sizeof(out->quote_sha256));
    (void)get_str(att, "tx_hash", out->tx_hash, sizeof(out->tx_hash));
    (void)get_ll(att, "ref_block_number", &out->ref_block_number);
    return err;
}

enum zk_err cli_signer_decode(struct cli_signer *out, const char *json,
                              size_t len)
{
    cJSON *root = cJSON_ParseWithLength(json, len);
    enum zk_err err = ZK_OK;
    if (!cJSON_IsObject(root)) {
        zk_error("cli: signer: the answer is not a JSON object");
        cJSON_Delete(root);
        return ZK_EINVAL;
    }
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(root, "error");
    if (cJSON_IsObject(e)) {
        (void)get_str(e, "code", out->error_code, sizeof(out->error_code));
        (void)get_str(e, "message", out->error_message,
                      sizeof(out->error_message));
    }
    const cJSON *k = cJSON_GetObjectItemCaseSensitive(root, "signer");
    if (cJSON_IsObject(k)) {
        err = decode_key(out, k);
    }
    const cJSON *q = cJSON_GetObjectItemCaseSensitive(root, "quote");
    if (!err && cJSON_IsString(q)) {
        const char *s = q->valuestring;
        size_t sl = strlen(s), n = 0;
        if (sl / 2 > ZK_MAX_QUOTE_SIZE + 1) {
            err = ZK_ELIMIT;
        } else {
            uint8_t *tmp = zk_malloc(sl / 2 + 1);
            err = tmp ? zk_hex_decode(tmp, sl / 2 + 1, &n, s, sl) : ZK_ENOMEM;
            err = err ? err : zk_buf_append(&out->quote, tmp, n);
            zk_free(tmp);
        }
        if (err) {
            zk_error("cli: signer: 'quote' is not hex bytes");
        }
    }
    cJSON_Delete(root);
    return err;
}

void cli_report_data(uint8_t out[64], uint64_t ref_block_number,
                     const uint8_t ref_block_hash[32],
                     const struct crypto_addr *addr)
{
    /* abi.encode(uint256, bytes32, address): three 32-byte words */
    uint8_t enc[96];
    struct zk_hash32 h;
    memset(enc, 0, sizeof(enc));
    zk_store_be64(enc + 24, ref_block_number);
    memcpy(enc + 32, ref_block_hash, 32);
    memcpy(enc + 64 + 12, addr->b, 20);
    crypto_keccak256(&h, enc, sizeof(enc));
    memset(out, 0, 12);
    memcpy(out + 12, addr->b, 20);
    memcpy(out + 32, h.b, 32);
}

enum zk_err cli_attest_check(struct cli_attest *out, const struct cli_signer *s)
{
    struct crypto_addr addr;
    uint8_t want[64];
    memset(out, 0, sizeof(*out));
    if (s->quote.len == 0 || s->ref_block_number < 0 ||
        !s->has_ref_block_hash || s->address[0] == '\0') {
        zk_error("cli: signer: no quote / reference block to check");
        return ZK_EINVAL;
    }
    if (crypto_addr_from_hex(&addr, s->address) != ZK_OK) {
        return ZK_EINVAL;
    }
    if (tdx_quote_parse_td(&out->quote, s->quote.data, s->quote.len) != ZK_OK) {
        zk_error("cli: signer: the quote is not a TDX quote");
        return ZK_EINVAL;
    }
    out->quote_is_td = true;
    out->rd_matches_quote =
        s->has_report_data &&
        memcmp(s->report_data, out->quote.report_data, 64) == 0;
    cli_report_data(want, (uint64_t)s->ref_block_number, s->ref_block_hash,
                    &addr);
    out->binds_signer = memcmp(want, out->quote.report_data, 64) == 0;
    if (s->quote_sha256[0] != '\0') {
        struct zk_hash32 h;
        uint8_t claimed[32];
        out->sha_checked = true;
        out->sha_matches =
            crypto_sha256(&h, s->quote.data, s->quote.len) == ZK_OK &&
            zk_hex_decode_exact(claimed, 32, s->quote_sha256) == ZK_OK &&
            memcmp(claimed, h.b, 32) == 0;
    }
    out->ok = out->rd_matches_quote && out->binds_signer &&
              (!out->sha_checked || out->sha_matches);
    return ZK_OK;
}
