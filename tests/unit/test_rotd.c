/*
 * test_rotd.c - unit tests for src/rotd that need no chain: the operator
 * key file rules (mode 0600/0400 only, regular file, no symlink, hex
 * content, valid scalar) and the transport's URL validation and retry
 * exhaustion. The chain behaviour is in tests/integ/rotator_*.sh.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/limits.h"
#include "crypto/sign.h"
#include "rotd/http.h"
#include "rotd/rotate.h"

static char dir[64];

static int setup(void **state)
{
    (void)state;
    assert_true((size_t)snprintf(dir, sizeof(dir), "/tmp/test_rotd.XXXXXX") <
                sizeof(dir));
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[128];
    (void)state;
    assert_true((size_t)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) <
                sizeof(cmd));
    return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static const char *key_hex =
    "0x0000000000000000000000000000000000000000000000000000000000000001\n";

static void operator_key_file_accepts_0600_and_0400(void **state)
{
    char path[128];
    struct crypto_seckey k;
    uint8_t one[32] = {0};
    (void)state;
    one[31] = 1;
    assert_true((size_t)snprintf(path, sizeof(path), "%s/key600", dir) <
                sizeof(path));
    write_file(path, key_hex, 0600);
    assert_int_equal(rot_operator_key_from_file(&k, path), ZK_OK);
    assert_memory_equal(k.b, one, 32);
    crypto_seckey_clear(&k);
    assert_int_equal(chmod(path, 0400), 0);
    assert_int_equal(rot_operator_key_from_file(&k, path), ZK_OK);
    crypto_seckey_clear(&k);
}

static void operator_key_file_refuses_group_or_world_access(void **state)
{
    static const mode_t bad[] = {0644, 0640, 0604, 0660, 0606, 0610};
    char path[128];
    struct crypto_seckey k;
    (void)state;
    assert_true((size_t)snprintf(path, sizeof(path), "%s/keybad", dir) <
                sizeof(path));
    write_file(path, key_hex, 0600);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(chmod(path, bad[i]), 0);
        assert_int_equal(rot_operator_key_from_file(&k, path), ZK_EINVAL);
    }
}

static void operator_key_file_refuses_symlink_dir_garbage_zero(void **state)
{
    char path[128], link[128];
    struct crypto_seckey k;
    (void)state;
    assert_true((size_t)snprintf(path, sizeof(path), "%s/keyok", dir) <
                sizeof(path));
    assert_true((size_t)snprintf(link, sizeof(link), "%s/keylink", dir) <
                sizeof(link));
    write_file(path, key_hex, 0600);
    assert_int_equal(symlink(path, link), 0);
    assert_int_equal(rot_operator_key_from_file(&k, link), ZK_EIO);
    assert_int_equal(rot_operator_key_from_file(&k, dir), ZK_EINVAL);
    assert_true((size_t)snprintf(path, sizeof(path), "%s/missing", dir) <
                sizeof(path));
    assert_int_equal(rot_operator_key_from_file(&k, path), ZK_EIO);
    assert_true((size_t)snprintf(path, sizeof(path), "%s/garbage", dir) <
                sizeof(path));
    write_file(path, "not a key\n", 0600);
    assert_int_equal(rot_operator_key_from_file(&k, path), ZK_EINVAL);
    assert_true((size_t)snprintf(path, sizeof(path), "%s/short", dir) <
                sizeof(path));
    write_file(path, "0x1234\n", 0600);
    assert_int_equal(rot_operator_key_from_file(&k, path), ZK_EINVAL);
    assert_true((size_t)snprintf(path, sizeof(path), "%s/zero", dir) <
                sizeof(path));
    write_file(
        path,
        "0000000000000000000000000000000000000000000000000000000000000000",
        0600);
    assert_int_equal(rot_operator_key_from_file(&k, path), ZK_ECRYPTO);
}

static void http_validates_urls(void **state)
{
    struct rot_http *h = NULL;
    const char *ftp[] = {"ftp://example.org/"};
    const char *good[] = {"http://127.0.0.1:1/", "https://user:pw@x.org/k"};
    const char *many[ROT_HTTP_MAX_URLS + 1];
    (void)state;
    for (size_t i = 0; i <= ROT_HTTP_MAX_URLS; i++) {
        many[i] = "http://127.0.0.1:1/";
    }
    struct rot_http_opts o = {ftp, 1, 0, 0, 0, 0};
    assert_int_equal(rot_http_new(&h, &o), ZK_EINVAL);
    assert_null(h);
    o.urls = good;
    o.n_urls = 0;
    assert_int_equal(rot_http_new(&h, &o), ZK_EINVAL);
    o.urls = many;
    o.n_urls = ROT_HTTP_MAX_URLS + 1;
    assert_int_equal(rot_http_new(&h, &o), ZK_EINVAL);
    o.urls = good;
    o.n_urls = 2;
    assert_int_equal(rot_http_new(&h, &o), ZK_OK);
    rot_http_free(h);
}

static void http_exhausts_retries_on_a_closed_port(void **state)
{
    struct rot_http *h = NULL;
    struct zk_buf resp;
    /* Port 1 on loopback: connection refused at once. */
    const char *urls[] = {"http://127.0.0.1:1/", "http://127.0.0.1:1/x"};
    struct rot_http_opts o = {urls, 2, 500, 200, 2, 10};
    (void)state;
    assert_int_equal(rot_http_new(&h, &o), ZK_OK);
    zk_buf_init(&resp, ZK_MAX_RPC_RESPONSE);
    const char *req = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"x\"}";
    assert_int_equal(rot_http_transport(h, &resp, req, strlen(req)), ZK_EBUSY);
    assert_int_equal(resp.len, 0);
    zk_buf_cleanup(&resp);
    rot_http_free(h);
}

static void config_defaults_match_the_documentation(void **state)
{
    struct rot_config c;
    (void)state;
    rot_config_default(&c);
    assert_int_equal(c.tee, TDX_MODE_CONFIGFS);
    assert_int_equal(c.interval_s, 1800);
    assert_int_equal(c.confirmations, 1);
    assert_int_equal(c.max_attempts, 3);
    assert_int_equal(c.stuck_after_s, 30);
    assert_int_equal(c.attempt_timeout_s, 300);
    assert_int_equal(c.safety_margin_s, 300);
    assert_true(c.max_fee_wei == 500ull * 1000000000ull);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operator_key_file_accepts_0600_and_0400),
        cmocka_unit_test(operator_key_file_refuses_group_or_world_access),
        cmocka_unit_test(operator_key_file_refuses_symlink_dir_garbage_zero),
        cmocka_unit_test(http_validates_urls),
        cmocka_unit_test(http_exhausts_retries_on_a_closed_port),
        cmocka_unit_test(config_defaults_match_the_documentation),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
