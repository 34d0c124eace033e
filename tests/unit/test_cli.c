/*
 * test_cli.c - unit tests for the sp1-tee client half that needs no
 * server: option parsing, request bodies (the reference /request_proof
 * format from ARCHITECTURE.md section 5, RFC 4648 base64 vectors),
 * response decoding (v1 hex records, the reference /wait_proof number
 * arrays, errors, history pages) and the off-chain proof check (signer of
 * private key 1 is the well-known 0x7E5F...5Bdf; digests recomputed with
 * Python's hashlib).
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "base/hex.h"
#include "base/limits.h"
#include "base/mem.h"
#include "cli/attest_check.h"
#include "cli/client.h"
#include "cli/proof_check.h"
#include "crypto/sha256.h"
#include "crypto/sign.h"
#include "crypto/tee.h"
#include "tdx/tdx.h"
#include "../guardbuf.h"

/* cli_client_parse never writes to argv; the cast drops const only. */
#define ARGV(...) ((char **)(const char *[]){__VA_ARGS__})
#define ARGC(...)                                                              \
    ((int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(char *)))
#define PARSE(cmd, o, ...)                                                     \
    cli_client_parse(cmd, ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), o)

/* ---- options ---- */

static void submit_parses_url_stdin_wait_and_elf(void **state)
{
    struct cli_client_opts o;
    (void)state;
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url",
                           "https://127.0.0.1:8443", "--stdin-json", "in.json",
                           "--wait", "--timeout=30", "--cacert", "ca.pem",
                           "fib.elf"),
                     0);
    assert_string_equal(o.url, "https://127.0.0.1:8443");
    assert_string_equal(o.stdin_json, "in.json");
    assert_string_equal(o.cacert, "ca.pem");
    assert_string_equal(o.elf, "fib.elf");
    assert_true(o.wait);
    assert_false(o.insecure);
    assert_int_equal(o.timeout_s, 30);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url=http://x", "-k",
                           "--compat", "a.elf"),
                     0);
    assert_string_equal(o.url, "http://x");
    assert_true(o.insecure);
    assert_true(o.compat);
    assert_int_equal(o.timeout_s, 600);
}

static void client_options_reject_usage_errors(void **state)
{
    struct cli_client_opts o;
    (void)state;
    /* missing --url, missing ELF / ID, missing values, unknown options,
     * options of another command, bad numbers, extra positionals */
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "a.elf"), 2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u"), 2);
    assert_int_equal(
        PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "a.elf", "--stdin-json"),
        2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url=", "a.elf"), 2);
    assert_int_equal(
        PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "--frob", "a.elf"), 2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "a", "b"),
                     2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "--timeout",
                           "0", "a.elf"),
                     2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "--timeout",
                           "5x", "a.elf"),
                     2);
    assert_int_equal(PARSE(CLI_WAIT, &o, "wait", "--url", "u"), 2);
    assert_int_equal(PARSE(CLI_WAIT, &o, "wait", "--url", "u", "--wait", "id1"),
                     2);
    assert_int_equal(
        PARSE(CLI_PROOF, &o, "proof", "--url", "u", "--compat", "id1"), 2);
    assert_int_equal(
        PARSE(CLI_HISTORY, &o, "history", "--url", "u", "--limit", "-1"), 2);
    assert_int_equal(PARSE(CLI_HISTORY, &o, "history", "--url", "u", "id"), 2);
    assert_int_equal(
        PARSE(CLI_HISTORY, &o, "history", "--url", "u", "--stdin-json", "x"),
        2);
}

static void client_help_returns_one(void **state)
{
    struct cli_client_opts o;
    (void)state;
    assert_int_equal(PARSE(CLI_HISTORY, &o, "history", "--help"), 1);
    assert_int_equal(PARSE(CLI_WAIT, &o, "wait", "-h"), 1);
}

static void history_query_escapes_values(void **state)
{
    struct cli_client_opts o;
    struct zk_buf q;
    (void)state;
    zk_buf_init(&q, 4096);
    assert_int_equal(PARSE(CLI_HISTORY, &o, "history", "--url", "u", "--status",
                           "done", "--signer", "0xAB", "--since",
                           "2026-01-01T00:00:00Z", "--limit", "5", "--all"),
                     0);
    assert_true(o.all);
    assert_int_equal(cli_history_query(&q, &o, "c/1 2"), ZK_OK);
    assert_string_equal((char *)q.data,
                        "?status=done&signer=0xAB&since=2026-01-01T00%3A00%3A"
                        "00Z&limit=5&cursor=c%2F1%202");
    assert_int_equal(PARSE(CLI_HISTORY, &o, "history", "--url", "u"), 0);
    assert_int_equal(cli_history_query(&q, &o, NULL), ZK_OK);
    assert_string_equal((char *)q.data, "");
    zk_buf_cleanup(&q);
}

/* ---- request bodies ---- */

static void base64_matches_rfc4648_vectors(void **state)
{
    static const char *const in[] = {"",     "f",     "fo",    "foo",
                                     "foob", "fooba", "foobar"};
    static const char *const out[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                      "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    struct zk_buf b;
    (void)state;
    zk_buf_init(&b, 1 << 20);
    for (size_t i = 0; i < 7; i++) {
        zk_buf_reset(&b);
        assert_int_equal(
            cli_base64_append(&b, (const uint8_t *)in[i], strlen(in[i])),
            ZK_OK);
        assert_int_equal(b.len, strlen(out[i]));
        assert_memory_equal(b.data ? (char *)b.data : "", out[i], b.len);
    }
    /* long input crosses the internal chunk boundary: 3 KiB of 0xff */
    uint8_t ff[3072];
    memset(ff, 0xff, sizeof(ff));
    zk_buf_reset(&b);
    assert_int_equal(cli_base64_append(&b, ff, sizeof(ff)), ZK_OK);
    assert_int_equal(b.len, 4096);
    for (size_t i = 0; i < b.len; i++) {
        assert_int_equal(b.data[i], '/');
    }
    zk_buf_cleanup(&b);
}

static void stdin_accepts_serde_form_and_item_arrays(void **state)
{
    struct cli_stdin s;
    const char *serde = "{\"buffer\":[[1,2,3],[],[255]],\"ptr\":0,"
                        "\"proofs\":[]}";
    (void)state;
    assert_int_equal(cli_stdin_parse(&s, serde, strlen(serde)), ZK_OK);
    assert_int_equal(s.n, 3);
    assert_int_equal(s.items[0].len, 3);
    assert_memory_equal(s.items[0].data, "\x01\x02\x03", 3);
    assert_int_equal(s.items[1].len, 0);
    assert_int_equal(s.items[2].data[0], 255);
    cli_stdin_cleanup(&s);
    const char *arr = "[\"0x0a0B\", [7], \"\"]";
    assert_int_equal(cli_stdin_parse(&s, arr, strlen(arr)), ZK_OK);
    assert_int_equal(s.n, 3);
    assert_memory_equal(s.items[0].data, "\x0a\x0b", 2);
    assert_int_equal(s.items[1].data[0], 7);
    assert_int_equal(s.items[2].len, 0);
    cli_stdin_cleanup(&s);
}

static void stdin_rejects_non_bytes(void **state)
{
    static const char *const bad[] = {"[[256]]",    "[[-1]]",         "[[1.5]]",
                                      "[\"0xzz\"]", "[\"abc\"]",      "[{}]",
                                      "[[\"1\"]]",  "{\"buffer\":5}", "{}",
                                      "nope",       "[[1,2]",         "5"};
    struct cli_stdin s;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(cli_stdin_parse(&s, bad[i], strlen(bad[i])),
                             ZK_OK);
        assert_null(s.items);
    }
}

static void compat_submit_body_is_the_reference_format(void **state)
{
    const uint8_t elf[] = {127, 69, 76, 70};
    const char *in = "[[1,2],[3]]";
    struct cli_stdin s;
    struct zk_buf b;
    (void)state;
    zk_buf_init(&b, 1 << 20);
    assert_int_equal(cli_stdin_parse(&s, in, strlen(in)), ZK_OK);
    assert_int_equal(cli_build_submit_compat(&b, elf, 4, &s), ZK_OK);
    assert_string_equal(
        (char *)b.data,
        "{\"elf\":[127,69,76,70],\"stdin\":{\"buffer\":[[1,2],"
        "[3]],\"ptr\":0,\"proofs\":[]},\"proof_mode\":\"TEE\"}");
    zk_buf_reset(&b);
    assert_int_equal(cli_build_submit_v1(&b, NULL, 0, "00ff", 1000, NULL),
                     ZK_OK);
    assert_string_equal((char *)b.data, "{\"program\":\"00ff\","
                                        "\"cycle_limit\":1000,\"stdin\":[]}");
    zk_buf_reset(&b);
    assert_int_equal(cli_build_submit_v1(&b, NULL, 0, "00\"ff", 0, NULL),
                     ZK_EINVAL);
    zk_buf_reset(&b);
    assert_int_equal(cli_build_submit_v1(&b, elf, 4, NULL, 0, &s), ZK_OK);
    assert_string_equal((char *)b.data,
                        "{\"elf\":\"f0VMRg==\",\"stdin\":[\"0x0102\","
                        "\"0x03\"]}");
    zk_buf_reset(&b);
    assert_int_equal(cli_build_submit_compat(&b, elf, 0, NULL), ZK_OK);
    assert_string_equal((char *)b.data,
                        "{\"elf\":[],\"stdin\":{\"buffer\":[],\"ptr\":0,"
                        "\"proofs\":[]},\"proof_mode\":\"TEE\"}");
    cli_stdin_cleanup(&s);

    /* every byte value survives a round trip through the compat body */
    uint8_t all[256];
    for (int i = 0; i < 256; i++) {
        all[i] = (uint8_t)i;
    }
    zk_buf_reset(&b);
    assert_int_equal(cli_build_submit_compat(&b, all, 256, NULL), ZK_OK);
    /* the elf array is a stdin item array too: decode it back */
    const char *start = strchr((char *)b.data, '[');
    const char *end = strchr(start, ']');
    char *wrapped = zk_malloc((size_t)(end - start) + 4);
    assert_non_null(wrapped);
    (void)sprintf(wrapped, "[%.*s]", (int)(end - start + 1), start);
    assert_int_equal(cli_stdin_parse(&s, wrapped, strlen(wrapped)), ZK_OK);
    assert_int_equal(s.items[0].len, 256);
    assert_memory_equal(s.items[0].data, all, 256);
    cli_stdin_cleanup(&s);
    zk_free(wrapped);
    zk_buf_cleanup(&b);
}

/* ---- responses ---- */

static void decodes_reference_wait_proof_answer(void **state)
{
    struct cli_proof p;
    struct zk_buf j;
    (void)state;
    zk_buf_init(&j, 1 << 16);
    assert_int_equal(zk_buf_append_str(&j, "{\"signature\":["), ZK_OK);
    for (int i = 0; i < 65; i++) {
        assert_int_equal(zk_buf_printf(&j, "%s%d", i ? "," : "", i), ZK_OK);
    }
    assert_int_equal(zk_buf_append_str(&j, "],\"vk\":["), ZK_OK);
    for (int i = 0; i < 32; i++) {
        assert_int_equal(zk_buf_printf(&j, "%s%d", i ? "," : "", 200 + i % 50),
                         ZK_OK);
    }
    assert_int_equal(zk_buf_append_str(&j, "],\"public_values\":[1,0,255]}"),
                     ZK_OK);
    cli_proof_init(&p);
    assert_int_equal(cli_proof_decode(&p, (char *)j.data, j.len), ZK_OK);
    assert_int_equal(p.state, CLI_STATE_DONE);
    assert_true(p.has_signature && p.has_vk && p.has_public_values);
    assert_int_equal(p.signature[64], 64);
    assert_int_equal(p.vk[31], 200 + 31 % 50);
    assert_int_equal(p.public_values.len, 3);
    assert_memory_equal(p.public_values.data, "\x01\x00\xff", 3);
    assert_false(p.has_signer);
    cli_proof_cleanup(&p);
    zk_buf_cleanup(&j);
}

static void decodes_v1_records_pending_done_failed(void **state)
{
    struct cli_proof p;
    char sig[200];
    char json[1024];
    (void)state;
    (void)snprintf(sig, sizeof(sig), "0x%0130d", 7); /* fits */
    (void)snprintf(
        json, sizeof(json),
        "{\"proof\":{\"id\":\"p-1\",\"status\":\"done\",\"vkey\":\"0x00a"
        "b\",\"vk\":\"0x%064d\",\"public_values\":\"0x0102\",\"signature"
        "\":\"%s\",\"signer\":\"0x7E5F4552091A69125d5DfCb7b8C2659029395B"
        "df\",\"cycles\":123}}",
        1, sig);
    cli_proof_init(&p);
    assert_int_equal(cli_proof_decode(&p, json, strlen(json)), ZK_OK);
    assert_string_equal(p.id, "p-1");
    assert_string_equal(p.status, "done");
    assert_int_equal(p.state, CLI_STATE_DONE);
    assert_string_equal(p.vkey, "0x00ab");
    assert_int_equal(p.vk[31], 1);
    assert_int_equal(p.signature[64], 7);
    assert_string_equal(p.signer, "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    assert_int_equal(p.public_values.len, 2);
    cli_proof_cleanup(&p);

    const char *running = "{\"id\":42,\"status\":\"running\",\"vk\":null}";
    cli_proof_init(&p);
    assert_int_equal(cli_proof_decode(&p, running, strlen(running)), ZK_OK);
    assert_string_equal(p.id, "42");
    assert_int_equal(p.state, CLI_STATE_PENDING);
    assert_false(p.has_vk);
    cli_proof_cleanup(&p);

    const char *failed = "{\"id\":\"x\",\"status\":\"failed\",\"error\":{"
                         "\"code\":\"guest_panic\",\"message\":\"exit 1\"}}";
    cli_proof_init(&p);
    assert_int_equal(cli_proof_decode(&p, failed, strlen(failed)), ZK_OK);
    assert_int_equal(p.state, CLI_STATE_FAILED);
    assert_string_equal(p.error_code, "guest_panic");
    assert_string_equal(p.error_message, "exit 1");
    cli_proof_cleanup(&p);
}

static void decode_rejects_malformed_records(void **state)
{
    static const char *const bad[] = {
        "",
        "[]",
        "\"id\"",
        "{\"vk\":\"0x00\"}",                 /* 1 byte, not 32 */
        "{\"vk\":[1,2,3]}",                  /* 3 bytes */
        "{\"signature\":\"0xzz\"}",          /* not hex */
        "{\"public_values\":[300]}",         /* not a byte */
        "{\"public_values\":{\"a\":1}}",     /* wrong type */
        "{\"signature\":[1,2,3], \"vk\":1}", /* wrong sizes/types */
        "{\"id\":\"x\"",                     /* truncated */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cli_proof p;
        cli_proof_init(&p);
        assert_int_equal(cli_proof_decode(&p, bad[i], strlen(bad[i])),
                         ZK_EINVAL);
        cli_proof_cleanup(&p);
    }
}

static void decodes_error_bodies(void **state)
{
    char code[64], msg[128];
    const char *e = "{\"error\":{\"code\":\"unsupported_version\",\"message\":"
                    "\"SP1 v5 ELF: vk not supported\"}}";
    (void)state;
    assert_true(
        cli_error_decode(e, strlen(e), code, sizeof(code), msg, sizeof(msg)));
    assert_string_equal(code, "unsupported_version");
    assert_string_equal(msg, "SP1 v5 ELF: vk not supported");
    assert_true(cli_error_decode("{\"error\":\"boom\"}", 16, code, sizeof(code),
                                 msg, sizeof(msg)));
    assert_string_equal(code, "");
    assert_string_equal(msg, "boom");
    assert_false(cli_error_decode("<html>502</html>", 16, code, sizeof(code),
                                  msg, sizeof(msg)));
    assert_false(cli_error_decode("{\"id\":1}", 8, code, sizeof(code), msg,
                                  sizeof(msg)));
}

static void decodes_history_pages(void **state)
{
    struct cli_proof *items = NULL;
    size_t n = 0;
    char next[64];
    const char *page =
        "{\"proofs\":[{\"id\":\"a\",\"status\":\"done\"},{\"id\":"
        "\"b\",\"status\":\"queued\"}],\"next_cursor\":\"c2\"}";
    const char *last = "{\"proofs\":[],\"next_cursor\":null}";
    (void)state;
    assert_int_equal(
        cli_history_decode(page, strlen(page), &items, &n, next, sizeof(next)),
        ZK_OK);
    assert_int_equal(n, 2);
    assert_string_equal(items[0].id, "a");
    assert_int_equal(items[0].state, CLI_STATE_DONE);
    assert_int_equal(items[1].state, CLI_STATE_PENDING);
    assert_string_equal(next, "c2");
    cli_history_free(items, n);
    assert_int_equal(
        cli_history_decode(last, strlen(last), &items, &n, next, sizeof(next)),
        ZK_OK);
    assert_int_equal(n, 0);
    assert_string_equal(next, "");
    cli_history_free(items, n);
    assert_int_equal(
        cli_history_decode("{\"x\":1}", 7, &items, &n, next, sizeof(next)),
        ZK_EINVAL);
    assert_int_equal(
        cli_history_decode("[1]", 3, &items, &n, next, sizeof(next)),
        ZK_EINVAL);
    /* a cursor or id that does not fit is refused, never cut (a cut one
     * would name another page or proof) */
    char body[512];
    int w = snprintf(body, sizeof(body),
                     "{\"proofs\":[],\"next_cursor\":\"%064d\"}", 1);
    assert_true(w > 0 && (size_t)w < sizeof(body));
    assert_int_equal(
        cli_history_decode(body, (size_t)w, &items, &n, next, sizeof(next)),
        ZK_ELIMIT);
    w = snprintf(body, sizeof(body), "{\"proofs\":[{\"id\":\"%0128d\"}]}", 1);
    assert_true(w > 0 && (size_t)w < sizeof(body));
    assert_int_equal(
        cli_history_decode(body, (size_t)w, &items, &n, next, sizeof(next)),
        ZK_ELIMIT);
    assert_null(items);
}

/* ---- off-chain check ---- */

/* Builds a record signed by private key 1. */
static void make_signed(struct cli_proof *p, const char *pv)
{
    struct crypto_seckey k;
    struct crypto_sig sig;
    struct zk_hash32 vk, digest;
    uint8_t one[32] = {0};
    one[31] = 1;
    for (int i = 0; i < 32; i++) {
        vk.b[i] = (uint8_t)i;
    }
    assert_int_equal(crypto_seckey_from_bytes(&k, one), ZK_OK);
    assert_int_equal(crypto_tee_sign(&sig, &digest, &k, &vk,
                                     (const uint8_t *)pv, strlen(pv)),
                     ZK_OK);
    crypto_seckey_clear(&k);
    cli_proof_init(p);
    memcpy(p->vk, vk.b, 32);
    memcpy(p->signature, sig.b, 65);
    assert_int_equal(zk_buf_append_str(&p->public_values, pv), ZK_OK);
    p->has_vk = p->has_signature = p->has_public_values = true;
}

static void proof_check_recovers_key_one_address(void **state)
{
    struct cli_proof p;
    struct cli_check c;
    uint8_t want[32];
    (void)state;
    make_signed(&p, "abc");
    assert_int_equal(cli_proof_check(&p, &c), ZK_OK);
    /* hashlib.sha256(bytes(range(32)) + b"abc") */
    assert_int_equal(
        zk_hex_decode_exact(want, 32,
                            "42fd4a8c529fdb402d577c701b291018f0b2c52207f96e2a0"
                            "57483fd349a9868"),
        ZK_OK);
    assert_memory_equal(c.digest.b, want, 32);
    assert_string_equal(c.signer_hex,
                        "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    assert_false(c.digest_checked);
    assert_false(c.signer_checked);

    /* the record's own digest and signer (lower case) are compared */
    memcpy(p.digest, want, 32);
    p.has_digest = true;
    (void)snprintf(p.signer, sizeof(p.signer), "%s",
                   "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf");
    p.has_signer = true;
    assert_int_equal(cli_proof_check(&p, &c), ZK_OK);
    assert_true(c.digest_checked && c.digest_ok);
    assert_true(c.signer_checked && c.signer_ok);

    /* tampered public values: another digest, another "signer" */
    p.public_values.data[0] = 'x';
    assert_int_equal(cli_proof_check(&p, &c), ZK_OK);
    assert_false(c.digest_ok);
    assert_false(c.signer_ok);
    assert_string_not_equal(c.signer_hex,
                            "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf");
    cli_proof_cleanup(&p);
}

static void proof_check_rejects_missing_fields_and_bad_signatures(void **state)
{
    struct cli_proof p;
    struct cli_check c;
    (void)state;
    make_signed(&p, "");
    assert_int_equal(cli_proof_check(&p, &c), ZK_OK);
    p.signature[64] = 29; /* v must be 27/28 */
    assert_int_equal(cli_proof_check(&p, &c), ZK_EINVAL);
    p.signature[64] = 27;
    memset(p.signature, 0, 32); /* r = 0 */
    assert_int_equal(cli_proof_check(&p, &c), ZK_EINVAL);
    p.has_signature = false;
    assert_int_equal(cli_proof_check(&p, &c), ZK_EINVAL);
    cli_proof_cleanup(&p);
}

/* ---- submit --program, upload, signer ---- */

static void submit_program_upload_and_signer_options(void **state)
{
    struct cli_client_opts o;
    (void)state;
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "--program",
                           "ab12", "--cycle-limit", "1000"),
                     0);
    assert_string_equal(o.program, "ab12");
    assert_null(o.elf);
    assert_int_equal(o.cycle_limit, 1000);
    /* ELF and --program together, or neither; --program with --compat */
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "--program",
                           "ab", "a.elf"),
                     2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u", "--compat",
                           "--program", "ab"),
                     2);
    assert_int_equal(PARSE(CLI_SUBMIT, &o, "submit", "--url", "u",
                           "--cycle-limit", "0", "a.elf"),
                     2);
    assert_int_equal(PARSE(CLI_UPLOAD, &o, "upload", "--url", "u", "a.elf"), 0);
    assert_string_equal(o.elf, "a.elf");
    assert_int_equal(PARSE(CLI_UPLOAD, &o, "upload", "--url", "u"), 2);
    assert_int_equal(PARSE(CLI_SIGNER, &o, "signer", "--url", "u", "--quote"),
                     0);
    assert_true(o.quote);
    assert_int_equal(PARSE(CLI_SIGNER, &o, "signer", "--url", "u", "x"), 2);
    assert_int_equal(PARSE(CLI_HISTORY, &o, "history", "--url", "u", "--quote"),
                     2);
}

static void decodes_program_records(void **state)
{
    struct cli_program p;
    const char *j = "{\"sha256\":\"aa\",\"size\":10,\"sp1_version\":\"3.0.0\","
                    "\"vk\":null,\"vkey\":null}";
    (void)state;
    assert_int_equal(cli_program_decode(&p, j, strlen(j)), ZK_OK);
    assert_string_equal(p.sha256, "aa");
    assert_string_equal(p.sp1_version, "3.0.0");
    assert_string_equal(p.vkey, "");
    assert_int_equal(cli_program_decode(&p, "{\"size\":1}", 10), ZK_EINVAL);
    assert_int_equal(cli_program_decode(&p, "[]", 2), ZK_EINVAL);
}

/* tdx-attestation.md section 4.1 worked vectors (pure-Python keccak). */
static void report_data_matches_spec_vectors(void **state)
{
    struct crypto_addr a;
    uint8_t hash[32], rd[64], want[32];
    (void)state;
    assert_int_equal(
        crypto_addr_from_hex(&a, "0x24f467036294dacac4d86ba2ed17323514fb1616"),
        ZK_OK);
    memset(hash, 0x11, 32);
    cli_report_data(rd, 100, hash, &a);
    for (int i = 0; i < 12; i++) {
        assert_int_equal(rd[i], 0);
    }
    assert_memory_equal(rd + 12, a.b, 20);
    assert_int_equal(zk_hex_decode_exact(want, 32,
                                         "af53913db744fc477a7399f31b2bb81f67a"
                                         "664ca2c31341f6e792dc300b4e34f"),
                     ZK_OK);
    assert_memory_equal(rd + 32, want, 32);
    assert_int_equal(zk_hex_decode_exact(hash, 32,
                                         "4c1912167f7ca550801cb58990a393c5583"
                                         "b1e66fea3a3ee5923dbbe9f57226e"),
                     ZK_OK);
    cli_report_data(rd, 8170640, hash, &a);
    assert_int_equal(zk_hex_decode_exact(want, 32,
                                         "9e60edc522f3bdfdbd2b17aa8c4346cb0da"
                                         "0ab015f0a01162d640118c8934fc1"),
                     ZK_OK);
    assert_memory_equal(rd + 32, want, 32);
}

/* A /v1/signer answer for a simulated key registered at block 100. */
static void signer_json(struct zk_buf *j, const uint8_t rd_stored[64],
                        const uint8_t rd_quote[64], long long ref_block,
                        bool good_sha)
{
    struct zk_buf q;
    struct zk_hash32 h;
    char *qhex, rdhex[131], shahex[65];
    zk_buf_init(&q, ZK_MAX_QUOTE_SIZE);
    assert_int_equal(tdx_sim_quote(rd_quote, NULL, &q), ZK_OK);
    assert_int_equal(crypto_sha256(&h, q.data, q.len), ZK_OK);
    if (!good_sha) {
        h.b[0] ^= 1;
    }
    qhex = zk_malloc(2 * q.len + 3);
    assert_non_null(qhex);
    assert_int_equal(zk_hex_encode(qhex, 2 * q.len + 3, q.data, q.len, true),
                     ZK_OK);
    assert_int_equal(zk_hex_encode(rdhex, sizeof(rdhex), rd_stored, 64, true),
                     ZK_OK);
    assert_int_equal(zk_hex_encode(shahex, sizeof(shahex), h.b, 32, false),
                     ZK_OK);
    zk_buf_reset(j);
    assert_int_equal(
        zk_buf_printf(
            j,
            "{\"signer\":{\"key_id\":3,\"address\":\"0x24f467036294dacac4d86"
            "ba2ed17323514fb1616\",\"status\":\"active\",\"tee_mode\":"
            "\"simulated\",\"simulated\":true,\"created_at\":1,\"expires_at\":"
            "5000,\"expires_in_s\":3599,\"registered_block\":101,"
            "\"attestation\":{\"report_data\":\"%s\",\"quote_sha256\":\"%s\","
            "\"quote_size\":%zu,\"ref_block_number\":%lld,\"ref_block_hash\":"
            "\"0x1111111111111111111111111111111111111111111111111111111111111"
            "111\",\"tx_hash\":\"0xabc\"},\"error\":null},\"quote\":\"%s\","
            "\"recent_keys\":[]}",
            rdhex, shahex, q.len, ref_block, qhex),
        ZK_OK);
    zk_free(qhex);
    zk_buf_cleanup(&q);
}

/* signer_json(j, ...) decoded into *s (initialised here; the caller
 * cleans it up) and checked into *at; both steps must succeed. */
static void signer_checked(struct zk_buf *j, const uint8_t rd_stored[64],
                           const uint8_t rd_quote[64], long long ref_block,
                           bool good_sha, struct cli_signer *s,
                           struct cli_attest *at)
{
    signer_json(j, rd_stored, rd_quote, ref_block, good_sha);
    cli_signer_init(s);
    assert_int_equal(cli_signer_decode(s, (char *)j->data, j->len), ZK_OK);
    assert_int_equal(cli_attest_check(at, s), ZK_OK);
}

static void signer_attestation_binds_key_and_block(void **state)
{
    struct crypto_addr a;
    uint8_t hash[32], rd[64], other[64];
    struct zk_buf j;
    struct cli_signer s;
    struct cli_attest at;
    (void)state;
    assert_int_equal(
        crypto_addr_from_hex(&a, "0x24f467036294dacac4d86ba2ed17323514fb1616"),
        ZK_OK);
    memset(hash, 0x11, 32);
    cli_report_data(rd, 100, hash, &a);
    memcpy(other, rd, 64);
    other[63] ^= 1;
    zk_buf_init(&j, 1 << 20);

    signer_checked(&j, rd, rd, 100, true, &s, &at);
    assert_true(s.present);
    assert_true(s.simulated);
    assert_int_equal(s.key_id, 3);
    assert_int_equal(s.expires_in_s, 3599);
    assert_int_equal(s.registered_block, 101);
    assert_int_equal(s.ref_block_number, 100);
    assert_int_equal(s.quote.len, TDX_SIM_QUOTE_LEN);
    assert_true(at.quote.is_simulated);
    assert_true(at.rd_matches_quote && at.binds_signer);
    assert_true(at.sha_checked && at.sha_matches);
    assert_true(at.ok);
    cli_signer_cleanup(&s);

    /* claimed reference block differs from what the quote binds */
    signer_checked(&j, rd, rd, 101, true, &s, &at);
    assert_false(at.binds_signer);
    assert_false(at.ok);
    cli_signer_cleanup(&s);

    /* the quote carries other report data than the key row */
    signer_checked(&j, rd, other, 100, true, &s, &at);
    assert_false(at.rd_matches_quote);
    assert_false(at.binds_signer);
    assert_false(at.ok);
    cli_signer_cleanup(&s);

    /* quote_sha256 does not match the quote */
    signer_checked(&j, rd, rd, 100, false, &s, &at);
    assert_true(at.binds_signer);
    assert_false(at.sha_matches);
    assert_false(at.ok);
    cli_signer_cleanup(&s);
    zk_buf_cleanup(&j);
}

static void signer_without_key_decodes_reason(void **state)
{
    struct cli_signer s;
    struct cli_attest at;
    const char *j = "{\"error\":{\"code\":\"no_key\",\"message\":\"rotator "
                    "has not registered a key\"},\"signer\":null,"
                    "\"recent_keys\":[]}";
    (void)state;
    cli_signer_init(&s);
    assert_int_equal(cli_signer_decode(&s, j, strlen(j)), ZK_OK);
    assert_false(s.present);
    assert_string_equal(s.error_code, "no_key");
    assert_int_equal(cli_attest_check(&at, &s), ZK_EINVAL);
    cli_signer_cleanup(&s);
    cli_signer_init(&s);
    const char *bad_rd =
        "{\"signer\":{\"attestation\":{\"report_data\":\"0x00\"}}}";
    assert_int_equal(cli_signer_decode(&s, bad_rd, strlen(bad_rd)), ZK_EINVAL);
    cli_signer_cleanup(&s);
    /* out-of-range numbers are ignored, not cast (UB found by fuzzing) */
    cli_signer_init(&s);
    const char *huge = "{\"signer\":{\"key_id\":1e300,\"expires_at\":"
                       "-1e300,\"attestation\":{\"ref_block_number\":"
                       "1e19}}}";
    assert_int_equal(cli_signer_decode(&s, huge, strlen(huge)), ZK_OK);
    assert_true(s.present);
    assert_false(s.has_expiry);
    assert_int_equal(s.ref_block_number, -1);
    cli_signer_cleanup(&s);
    /* an address one character too long is refused, not cut to a valid
     * looking one */
    cli_signer_init(&s);
    const char *long_addr = "{\"signer\":{\"address\":\"0x7E5F4552091A69"
                            "125d5DfCb7b8C2659029395Bdf0\"}}";
    assert_int_equal(cli_signer_decode(&s, long_addr, strlen(long_addr)),
                     ZK_EINVAL);
    cli_signer_cleanup(&s);
    cli_signer_init(&s);
    const char *bad_q = "{\"quote\":\"0xz0\"}";
    assert_int_equal(cli_signer_decode(&s, bad_q, strlen(bad_q)), ZK_EINVAL);
    cli_signer_cleanup(&s);
}

/* Every decoder reads exactly len bytes: the inputs sit right before a
 * PROT_NONE page with no NUL terminator, whole and truncated. */
static void decoders_stay_inside_unterminated_input(void **state)
{
    static const char *const docs[] = {
        ("{\"id\":\"p-1\",\"status\":\"done\",\"vk\":\"0x0001020304050607080910"
         "111213141516171819202122232425262728293031\",\"public_values\":"
         "\"0x0102\",\"signature\":null,\"error\":{\"code\":\"x\",\"message\":"
         "\"y\"}}"),
        "{\"proofs\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"next_cursor\":\"7\"}",
        "{\"buffer\":[[1,2,3],[]],\"ptr\":0,\"proofs\":[]}",
        ("{\"signer\":{\"address\":\"0x24f467036294dacac4d86ba2ed17323514fb1616"
         "\",\"attestation\":{\"ref_block_number\":3}},\"quote\":\"0x0400\"}"),
        "{\"sha256\":\"aa\",\"sp1_version\":\"3.0.0\"}",
    };
    (void)state;
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        size_t n = strlen(docs[d]);
        for (size_t len = 0; len <= n; len++) {
            struct guardbuf g = guardbuf_new(docs[d], len);
            const char *p = (const char *)g.p;
            struct cli_proof pr;
            struct cli_stdin in;
            struct cli_signer sg;
            struct cli_program prog;
            struct cli_proof *items = NULL;
            size_t k = 0;
            char cur[32], code[16], msg[16];
            int accepted = 0;
            cli_proof_init(&pr);
            accepted += cli_proof_decode(&pr, p, len) == ZK_OK;
            cli_proof_cleanup(&pr);
            if (cli_stdin_parse(&in, p, len) == ZK_OK) {
                cli_stdin_cleanup(&in);
            }
            if (cli_history_decode(p, len, &items, &k, cur, sizeof(cur)) ==
                ZK_OK) {
                cli_history_free(items, k);
            }
            cli_signer_init(&sg);
            accepted += cli_signer_decode(&sg, p, len) == ZK_OK;
            cli_signer_cleanup(&sg);
            accepted += cli_program_decode(&prog, p, len) == ZK_OK;
            (void)cli_error_decode(p, len, code, sizeof(code), msg,
                                   sizeof(msg));
            /* each whole document is some decoder's valid input */
            if (len == n) {
                assert_true(accepted > 0 || d == 2);
            }
            guardbuf_free(&g);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(submit_parses_url_stdin_wait_and_elf),
        cmocka_unit_test(client_options_reject_usage_errors),
        cmocka_unit_test(client_help_returns_one),
        cmocka_unit_test(history_query_escapes_values),
        cmocka_unit_test(base64_matches_rfc4648_vectors),
        cmocka_unit_test(stdin_accepts_serde_form_and_item_arrays),
        cmocka_unit_test(stdin_rejects_non_bytes),
        cmocka_unit_test(compat_submit_body_is_the_reference_format),
        cmocka_unit_test(decodes_reference_wait_proof_answer),
        cmocka_unit_test(decodes_v1_records_pending_done_failed),
        cmocka_unit_test(decode_rejects_malformed_records),
        cmocka_unit_test(decodes_error_bodies),
        cmocka_unit_test(decodes_history_pages),
        cmocka_unit_test(proof_check_recovers_key_one_address),
        cmocka_unit_test(proof_check_rejects_missing_fields_and_bad_signatures),
        cmocka_unit_test(submit_program_upload_and_signer_options),
        cmocka_unit_test(decodes_program_records),
        cmocka_unit_test(report_data_matches_spec_vectors),
        cmocka_unit_test(signer_attestation_binds_key_and_block),
        cmocka_unit_test(signer_without_key_decodes_reason),
        cmocka_unit_test(decoders_stay_inside_unterminated_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
