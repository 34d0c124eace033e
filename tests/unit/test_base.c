/* test_base.c - unit tests for src/base: hex, bounded buffers, mem. */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "base/buf.h"
#include "base/bytes.h"
#include "base/err.h"
#include "base/hex.h"
#include "base/mem.h"

static void hex_round_trips_all_byte_values(void **state)
{
    uint8_t in[256], back[256];
    char txt[2 * 256 + 3];
    size_t n = 0;
    (void)state;
    for (int i = 0; i < 256; i++) {
        in[i] = (uint8_t)i;
    }
    assert_int_equal(zk_hex_encode(txt, sizeof(txt), in, 256, true), ZK_OK);
    assert_memory_equal(txt, "0x000102", 8);
    assert_int_equal(zk_hex_decode(back, sizeof(back), &n, txt, strlen(txt)),
                     ZK_OK);
    assert_int_equal(n, 256);
    assert_memory_equal(in, back, 256);
}

static void hex_decode_accepts_optional_prefix_and_upper_case(void **state)
{
    uint8_t out[4];
    size_t n = 0;
    (void)state;
    assert_int_equal(zk_hex_decode(out, 4, &n, "DEADbeef", 8), ZK_OK);
    assert_int_equal(n, 4);
    assert_int_equal(zk_load_be32(out), 0xdeadbeefu);
    assert_int_equal(zk_hex_decode(out, 4, &n, "0Xdeadbeef", 10), ZK_OK);
    assert_int_equal(zk_load_be32(out), 0xdeadbeefu);
    assert_int_equal(zk_hex_decode(out, 4, &n, "", 0), ZK_OK);
    assert_int_equal(n, 0);
}

static void hex_decode_rejects_odd_length_bad_digits_and_overflow(void **state)
{
    uint8_t out[2];
    size_t n = 0;
    (void)state;
    assert_int_equal(zk_hex_decode(out, 2, &n, "abc", 3), ZK_EINVAL);
    assert_int_equal(zk_hex_decode(out, 2, &n, "0xabg0", 6), ZK_EINVAL);
    assert_int_equal(zk_hex_decode(out, 2, &n, "ab 0", 4), ZK_EINVAL);
    assert_int_equal(zk_hex_decode(out, 2, &n, "0x", 2), ZK_OK);
    assert_int_equal(zk_hex_decode(out, 2, &n, "x0", 2), ZK_EINVAL);
    assert_int_equal(zk_hex_decode(out, 2, &n, "001122", 6), ZK_ELIMIT);
    assert_int_equal(zk_hex_decode_exact(out, 2, "0x0011"), ZK_OK);
    assert_int_equal(zk_hex_decode_exact(out, 2, "00"), ZK_EINVAL);
    assert_int_equal(zk_hex_decode_exact(out, 2, "001122"), ZK_EINVAL);
}

static void hex_encode_refuses_small_output(void **state)
{
    uint8_t in[2] = {1, 2};
    char out[5];
    (void)state;
    assert_int_equal(zk_hex_encode(out, 5, in, 2, false), ZK_OK);
    assert_string_equal(out, "0102");
    assert_int_equal(zk_hex_encode(out, 4, in, 2, false), ZK_ELIMIT);
    assert_int_equal(zk_hex_encode(out, 5, in, 2, true), ZK_ELIMIT);
}

static void buf_grows_until_ceiling_then_frees(void **state)
{
    struct zk_buf b;
    (void)state;
    zk_buf_init(&b, 10);
    assert_int_equal(zk_buf_append(&b, "hello", 5), ZK_OK);
    assert_int_equal(zk_buf_printf(&b, "%d", 1234), ZK_OK);
    assert_int_equal(b.len, 9);
    assert_string_equal((char *)b.data, "hello1234");
    assert_int_equal(zk_buf_append(&b, "ab", 2), ZK_ELIMIT);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    zk_buf_cleanup(&b);
}

static void buf_take_transfers_ownership(void **state)
{
    struct zk_buf b;
    size_t n = 0;
    uint8_t *p;
    (void)state;
    zk_buf_init(&b, 100);
    assert_int_equal(zk_buf_append_str(&b, "abc"), ZK_OK);
    p = zk_buf_take(&b, &n);
    assert_non_null(p);
    assert_int_equal(n, 3);
    assert_null(b.data);
    zk_free(p);
    zk_buf_cleanup(&b);
}

static void bytes_endian_helpers_match_manual_layout(void **state)
{
    uint8_t p[8];
    (void)state;
    zk_store_le32(p, 0x11223344u);
    assert_int_equal(p[0], 0x44);
    assert_int_equal(zk_load_le32(p), 0x11223344u);
    zk_store_be64(p, 0x0102030405060708ull);
    assert_int_equal(p[0], 1);
    assert_int_equal(p[7], 8);
    assert_true(zk_load_be64(p) == 0x0102030405060708ull);
    assert_true(zk_load_le64(p) == 0x0807060504030201ull);
}

static void ct_memeq_and_memclear(void **state)
{
    uint8_t a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 5};
    (void)state;
    assert_true(zk_ct_memeq(a, a, 4));
    assert_false(zk_ct_memeq(a, b, 4));
    zk_memclear(a, 4);
    assert_int_equal(a[0] | a[1] | a[2] | a[3], 0);
    assert_string_equal(zk_strerror(ZK_ELIMIT), "limit exceeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(hex_round_trips_all_byte_values),
        cmocka_unit_test(hex_decode_accepts_optional_prefix_and_upper_case),
        cmocka_unit_test(hex_decode_rejects_odd_length_bad_digits_and_overflow),
        cmocka_unit_test(hex_encode_refuses_small_output),
        cmocka_unit_test(buf_grows_until_ceiling_then_frees),
        cmocka_unit_test(buf_take_transfers_ownership),
        cmocka_unit_test(bytes_endian_helpers_match_manual_layout),
        cmocka_unit_test(ct_memeq_and_memclear),
    };
    return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
