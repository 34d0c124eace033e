/* test_api.c - unit tests for the prover's parsers: the compat request
 * body, base64, the stored stdin encoding and the executor protocol. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "api/api.h"
#include "api/b64.h"
#include "api/compat_json.h"
#include "api/exec_proto.h"
#include "base/bytes.h"
#include "base/mem.h"

static enum zk_err parse(struct api_compat_req *r, const char *text, char *msg)
{
    api_compat_req_init(r, 1024, 1024);
    return api_compat_parse(r, msg, 256, text, strlen(text));
}

static void compat_parses_the_reference_body(void **state)
{
    struct api_compat_req r;
    char msg[256];
    (void)state;
    assert_int_equal(
        parse(&r,
              " {\"elf\" : [127,69,76,70] ,\"stdin\":{\"buffer\":[[10,0,0,0],"
              "[],[255]],\"ptr\":0,\"proofs\":[]},\"proof_mode\":\"TEE\"}\n",
              msg),
        ZK_OK);
    assert_int_equal(r.elf.len, 4);
    assert_memory_equal(r.elf.data,
                        "\x7f"
                        "ELF",
                        4);
    /* bincode: count 3, items (4: 0a000000), (0), (1: ff), ptr 0, proofs 0 */
    static const uint8_t want[] = {3, 0, 0, 0, 0, 0, 0, 0, /* 3 items */
                                   4, 0, 0, 0, 0, 0, 0, 0, 10,
                                   0, 0, 0,                     /* 0a000000 */
                                   0, 0, 0, 0, 0, 0, 0, 0,      /* empty */
                                   1, 0, 0, 0, 0, 0, 0, 0, 255, /* ff */
                                   0, 0, 0, 0, 0, 0, 0, 0,      /* ptr */
                                   0, 0, 0, 0, 0, 0, 0, 0};     /* no proofs */
    assert_int_equal(r.in.enc.len, sizeof(want));
    assert_memory_equal(r.in.enc.data, want, sizeof(want));
    assert_int_equal(r.in.n_items, 3);
    api_compat_req_cleanup(&r);
}

static void compat_accepts_any_key_order_and_unknown_keys(void **state)
{
    struct api_compat_req r;
    char msg[256];
    (void)state;
    assert_int_equal(
        parse(&r,
              "{\"x\":{\"a\":[1,{\"b\":null}],\"c\":\"\\u00e9\\\"\"},"
              "\"proof_mode\":\"TEE\",\"stdin\":{\"proofs\":[],"
              "\"buffer\":[]},\"elf\":[1]}",
              msg),
        ZK_OK);
    assert_int_equal(r.elf.len, 1);
    assert_int_equal(r.in.n_items, 0);
    api_compat_req_cleanup(&r);
}

static void compat_rejects_hostile_bodies(void **state)
{
    static const char *bad[] = {
        "",
        "[]",
        "null",
        "{\"elf\":[1,2,3]",          /* truncated */
        "{\"elf\":[256]}",           /* not a byte */
        "{\"elf\":[-1]}",            /* negative */
        "{\"elf\":[1.5]}",           /* fraction */
        "{\"elf\":[1e2]}",           /* exponent */
        "{\"elf\":[01]}",            /* leading zero */
        "{\"elf\":[1,]}",            /* trailing comma */
        "{\"elf\":\"AAAA\"}",        /* wrong type */
        "{\"elf\":[1],\"elf\":[2]}", /* duplicate */
        "{\"elf\":[1]} x",           /* trailing data */
        "{\"elf\":[1],\"proof_mode\":\"PLONK\"}",
        "{\"elf\":[1],\"stdin\":{\"buffer\":[[1]],\"proofs\":[[1]]}}",
        "{\"elf\":[1],\"stdin\":{\"buffer\":[[1]],\"ptr\":1}}",
        "{\"elf\":[1],\"stdin\":{\"buffer\":[1]}}",
        "{\"elf\":[1],\"stdin\":{\"ptr\":0}}",
        "{\"elf\":[1],\"stdin\":[]}",
        "{\"stdin\":{\"buffer\":[]}}",  /* no elf */
        "{\"elf\":[1],\"x\":\"\x01\"}", /* control char */
        "{\"elf\":[1],\"x\":\"\\q\"}",  /* bad escape */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct api_compat_req r;
        char msg[256];
        enum zk_err err = parse(&r, bad[i], msg);
        if (err != ZK_EINVAL) {
            fprintf(stderr, "accepted or wrong error for case %zu: %s\n", i,
                    bad[i]);
        }
        assert_int_equal(err, ZK_EINVAL);
        assert_true(msg[0] != '\0');
        api_compat_req_cleanup(&r);
    }
}

static void compat_enforces_size_limits_and_depth(void **state)
{
    struct api_compat_req r;
    char msg[256];
    char *big = zk_malloc(64 * 1024);
    size_t n = 0;
    (void)state;
    assert_non_null(big);
    n += (size_t)sprintf(big + n, "{\"elf\":[");
    for (int i = 0; i < 2000; i++) {
        n += (size_t)sprintf(big + n, i ? ",%d" : "%d", i & 255);
    }
    (void)sprintf(big + n, "]}");
    assert_int_equal(parse(&r, big, msg), ZK_ELIMIT); /* max_elf 1024 */
    api_compat_req_cleanup(&r);
    /* Deep nesting in an ignored key stops at ZK_MAX_JSON_DEPTH. */
    n = (size_t)sprintf(big, "{\"x\":");
    for (int i = 0; i < 5000; i++) {
        big[n++] = '[';
    }
    big[n] = '\0';
    assert_int_equal(parse(&r, big, msg), ZK_EINVAL);
    api_compat_req_cleanup(&r);
    zk_free(big);
}

static void b64_decodes_rfc4648_vectors(void **state)
{
    static const struct {
        const char *in, *out;
    } v[] = {{"", ""},
             {"Zg==", "f"},
             {"Zm8=", "fo"},
             {"Zm9v", "foo"},
             {"Zm9vYg==", "foob"},
             {"Zm9vYmE=", "fooba"},
             {"Zm9vYmFy", "foobar"}};
    uint8_t out[16];
    size_t n;
    (void)state;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        assert_int_equal(
            api_b64_decode(out, sizeof(out), &n, v[i].in, strlen(v[i].in)),
            ZK_OK);
        assert_int_equal(n, strlen(v[i].out));
        assert_memory_equal(out, v[i].out, n);
    }
    assert_int_equal(api_b64_decode(out, 16, &n, "-_8=", 4), ZK_OK);
    assert_int_equal(out[0], 0xfb);
    assert_int_equal(out[1], 0xff);
}

static void b64_rejects_malformed_input(void **state)
{
    static const char *bad[] = {
        "Zg=", "Zg=a", "Z===", "Zh==", "Zm9v\n", "Zm 9", "====", "Zg==Zg=="};
    uint8_t out[16];
    size_t n;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(
            api_b64_decode(out, sizeof(out), &n, bad[i], strlen(bad[i])),
            ZK_OK);
    }
    assert_int_equal(api_b64_decode(out, 2, &n, "Zm9v", 4), ZK_ELIMIT);
}

static void stdin_bincode_round_trips_and_rejects_garbage(void **state)
{
    struct api_stdin a, b;
    (void)state;
    api_stdin_init(&a, 100);
    assert_int_equal(api_stdin_add(&a, (const uint8_t *)"abc", 3), ZK_OK);
    assert_int_equal(api_stdin_add(&a, NULL, 0), ZK_OK);
    assert_int_equal(api_stdin_finish(&a), ZK_OK);
    api_stdin_init(&b, 100);
    assert_int_equal(api_stdin_from_bincode(&b, a.enc.data, a.enc.len), ZK_OK);
    assert_int_equal(b.enc.len, a.enc.len);
    assert_memory_equal(b.enc.data, a.enc.data, a.enc.len);
    api_stdin_cleanup(&b);
    /* Without the ptr/proofs trailer: accepted (items only). */
    api_stdin_init(&b, 100);
    assert_int_equal(api_stdin_from_bincode(&b, a.enc.data, a.enc.len - 16),
                     ZK_OK);
    api_stdin_cleanup(&b);
    /* Truncated item, huge length, trailing junk, proofs present. */
    uint8_t t[64];
    memcpy(t, a.enc.data, a.enc.len);
    for (size_t cut = 0; cut < a.enc.len - 16; cut++) {
        api_stdin_init(&b, 100);
        assert_int_not_equal(api_stdin_from_bincode(&b, t, cut), ZK_OK);
        api_stdin_cleanup(&b);
    }
    zk_store_le64(t + 8, 0xffffffffffffull);
    api_stdin_init(&b, 100);
    assert_int_equal(api_stdin_from_bincode(&b, t, a.enc.len), ZK_EINVAL);
    api_stdin_cleanup(&b);
    memcpy(t, a.enc.data, a.enc.len);
    t[a.enc.len - 1] = 1; /* proofs count high byte */
    api_stdin_init(&b, 100);
    assert_int_equal(api_stdin_from_bincode(&b, t, a.enc.len), ZK_EINVAL);
    api_stdin_cleanup(&b);
    api_stdin_init(&b, 100);
    assert_int_equal(api_stdin_from_bincode(&b, t, a.enc.len - 1), ZK_EINVAL);
    api_stdin_cleanup(&b);
    /* The size ceiling holds. */
    api_stdin_init(&b, 2);
    uint8_t big[200] = {0};
    assert_int_equal(api_stdin_add(&b, big, sizeof(big)), ZK_ELIMIT);
    api_stdin_cleanup(&b);
    api_stdin_cleanup(&a);
}

static void exec_protocol_round_trips_and_is_strict(void **state)
{
    struct zk_buf buf;
    struct api_exec_request rq = {
        API_EXEC_MODE_RUN,     3, 1000, 0, (const uint8_t *)"ELF!", 4,
        (const uint8_t *)"in", 2};
    struct api_exec_request rq2;
    struct api_exec_result res, res2;
    uint8_t pv[3] = {1, 2, 3};
    (void)state;
    zk_buf_init(&buf, 1 << 20);
    assert_int_equal(api_exec_request_encode(&buf, &rq), ZK_OK);
    assert_int_equal(api_exec_request_decode(&rq2, buf.data, buf.len), ZK_OK);
    assert_int_equal(rq2.cycle_limit, 1000);
    assert_int_equal(rq2.elf_len, 4);
    assert_memory_equal(rq2.stdin_data, "in", 2);
    for (size_t cut = 0; cut < buf.len; cut++) {
        assert_int_equal(api_exec_request_decode(&rq2, buf.data, cut),
                         ZK_EINVAL);
    }
    zk_buf_reset(&buf);
    memset(&res, 0, sizeof(res));
    res.outcome = API_EXEC_OK;
    res.cycles = 77;
    (void)snprintf(res.version, sizeof(res.version), "3.2.0");
    res.public_values = pv;
    res.public_values_len = 3;
    assert_int_equal(api_exec_result_encode(&buf, &res), ZK_OK);
    assert_int_equal(buf.len, API_EXEC_RESULT_HEAD + 3);
    assert_int_equal(api_exec_result_decode(&res2, buf.data, buf.len), ZK_OK);
    assert_int_equal(res2.cycles, 77);
    assert_string_equal(res2.version, "3.2.0");
    assert_memory_equal(res2.public_values, pv, 3);
    api_exec_result_cleanup(&res2);
    /* Truncated, extended, bad outcome, unterminated strings. */
    for (size_t cut = 0; cut < buf.len; cut++) {
        assert_int_equal(api_exec_result_decode(&res2, buf.data, cut),
                         ZK_EINVAL);
    }
    buf.data[4] = 99;
    assert_int_equal(api_exec_result_decode(&res2, buf.data, buf.len),
                     ZK_EINVAL);
    buf.data[4] = 0;
    memset(buf.data + 12, 'A', 32); /* version without NUL */
    assert_int_equal(api_exec_result_decode(&res2, buf.data, buf.len), ZK_OK);
    assert_int_equal(strlen(res2.version), 31);
    api_exec_result_cleanup(&res2);
    zk_buf_cleanup(&buf);
}

static enum zk_err cfg(struct api_config *c, int argc, const char **argv)
{
    struct api_dev_key dev;
    bool exit_now = false;
    api_config_defaults(c);
    return api_config_parse(c, &dev, &exit_now, argc, (char **)argv);
}

static void config_flags_and_file_apply_in_order(void **state)
{
    struct api_config c;
    char path[] = "/tmp/test_api_cfg_XXXXXX";
    int fd = mkstemp(path);
    FILE *f;
    (void)state;
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    assert_non_null(f);
    fprintf(f, "# comment\n\n  workers = 7  \nqueue-max=9\n"
               "db = /x/file.db\nsocket-mode = 0600\n");
    assert_int_equal(fclose(f), 0);
    const char *argv[] = {
        "p",           "--workers",     "3",   "--config", path,
        "--runners=0", "--cycle-limit", "1000"};
    assert_int_equal(cfg(&c, 8, argv), ZK_OK);
    assert_int_equal(c.workers, 3); /* the flag wins over the file */
    assert_int_equal(c.queue_max, 9);
    assert_string_equal(c.db_path, "/x/file.db");
    assert_int_equal(c.socket_mode, 0600);
    assert_int_equal(c.runners, 0);
    assert_int_equal(c.cycle_limit, 1000);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f, "workers 7\n"); /* no '=' */
    assert_int_equal(fclose(f), 0);
    const char *argv2[] = {"p", "--config", path};
    assert_int_not_equal(cfg(&c, 3, argv2), ZK_OK);
    unlink(path);
}

static void config_rejects_bad_values(void **state)
{
    static const char *bad[][3] = {
        {"p", "--workers", "0"},
        {"p", "--workers", "-1"},
        {"p", "--workers", "12x"},
        {"p", "--nope", "1"},
        {"p", "--instance", "A_B"},
        {"p", "--instance", ""},
        {"p", "--max-elf", "999999999999"},
        {"p", "--queue-max", "0"},
        {"p", "--socket-mode", "0999"},
        {"p", "--config", "/nonexistent/x"},
        {"p", "--log-level", "loud"},
        {"p", "positional", "x"},
    };
    struct api_config c;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_not_equal(cfg(&c, 3, bad[i]), ZK_OK);
    }
    const char *tail[] = {"p", "--workers"}; /* missing value */
    assert_int_not_equal(cfg(&c, 2, tail), ZK_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compat_parses_the_reference_body),
        cmocka_unit_test(compat_accepts_any_key_order_and_unknown_keys),
        cmocka_unit_test(compat_rejects_hostile_bodies),
        cmocka_unit_test(compat_enforces_size_limits_and_depth),
        cmocka_unit_test(b64_decodes_rfc4648_vectors),
        cmocka_unit_test(b64_rejects_malformed_input),
        cmocka_unit_test(stdin_bincode_round_trips_and_rejects_garbage),
        cmocka_unit_test(exec_protocol_round_trips_and_is_strict),
        cmocka_unit_test(config_flags_and_file_apply_in_order),
        cmocka_unit_test(config_rejects_bad_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
