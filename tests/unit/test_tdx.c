/*
 * test_tdx.c - unit tests for src/tdx: the quote parser against the
 * decoded values in shared/fixtures/tdx/MANIFEST.md (copied into
 * tests/fixtures/tdx/), hostile inputs behind a guard page, the simulated
 * quote's byte map, and the configfs-tsm provider against a fake tree.
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
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "base/bytes.h"
#include "base/hex.h"
#include "base/limits.h"
#include "base/mem.h"
#include "fake_tsm.h"
#include "../fixture.h"
#include "../guardbuf.h"
#include "tdx/tdx.h"
#include "tdx/tsm.h"

/* ---- helpers ---- */

struct blob {
    uint8_t *p;
    size_t n;
};

static struct blob load_fixture(const char *name)
{
    struct blob b = {NULL, 0};
    b.p = fixture_read("tdx", name, &b.n);
    return b;
}

static void unhex(uint8_t *out, size_t n, const char *hex)
{
    assert_int_equal(zk_hex_decode_exact(out, n, hex), ZK_OK);
}

static void assert_hex(const uint8_t *got, size_t n, const char *hex)
{
    uint8_t want[128];
    assert_true(n <= sizeof(want));
    unhex(want, n, hex);
    assert_memory_equal(got, want, n);
}

static void assert_le64_hex(uint64_t got, const char *hex)
{
    uint8_t b[8];
    zk_store_le64(b, got);
    assert_hex(b, 8, hex);
}

static enum zk_err parse_guarded(struct tdx_quote *q, const uint8_t *src,
                                 size_t n)
{
    struct guardbuf g = guardbuf_new(src, n);
    enum zk_err err = tdx_quote_parse(q, g.p, n);
    guardbuf_free(&g);
    return err;
}

static bool quick(void)
{
    const char *q = getenv("ZK_TEST_QUICK");
    return q != NULL && *q != '\0' && strcmp(q, "0") != 0;
}

/* ---- MANIFEST values ---- */

#define INTEL_VENDOR "939a7233f79c4ca9940a0db3957f0607"
#define ZERO48                                                                 \
    "000000000000000000000000000000000000000000000000000000000000000000000000" \
    "000000000000000000000000"

/* ---- parser: fixtures ---- */

static void parse_go_tdx_guest_quote_matches_manifest(void **state)
{
    struct blob b = load_fixture("tdx_v4_go_tdx_guest_spr_e4.bin");
    struct tdx_quote q;
    (void)state;
    assert_int_equal(b.n, 4974);
    assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_OK);
    assert_int_equal(q.version, 4);
    assert_int_equal(q.att_key_type, 2);
    assert_int_equal(q.tee_type, 0x81);
    assert_int_equal(q.qe_svn, 0);
    assert_int_equal(q.pce_svn, 0);
    assert_hex(q.qe_vendor_id, 16, INTEL_VENDOR);
    assert_hex(q.user_data, 20, "739c3f292a15bace1f726351a70d4b7900000000");
    assert_int_equal(q.body_type, TDX_BODY_TD10);
    assert_int_equal(q.body_offset, 48);
    assert_int_equal(q.body_len, 584);
    assert_int_equal(q.report_data_offset, 568);
    assert_true(q.is_td);
    assert_false(q.debug);
    assert_false(q.is_simulated);
    const char *rd = "6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d"
                     "9899545eb7406a38d1eed313b987a467dacead6f0c87a6d766c66f6f"
                     "29f8acb281f1113";
    assert_hex(q.report_data, 64, rd);
    assert_hex(q.td.report_data, 64, rd);
    assert_hex(b.p + 568, 64, rd);
    assert_hex(q.td.mrtd, 48,
               "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db"
               "86f22fc00b8dcd404bc10d5e119d7215cbb");
    assert_hex(q.td.rtmr[0], 48,
               "2927da70461cd63266f43230cc1849c03ef25ebe490062a801d8fcc80af42"
               "976823adf08f833c1e50b51779c6593f32a");
    assert_hex(q.td.rtmr[1], 48,
               "2c700b8ba9b85783f8be9fb9443647bdc0bb3c50747f06297cc6538c25a5f"
               "589c4b56d035c59107c6bc5800db2cacb61");
    assert_hex(q.td.rtmr[2], 48,
               "8652f0caaba7e215ea442dc36a4499d8fec3362f3a0b2ca151cbe4b3e6466"
               "fe59c7368b3c2287fc7c3bf5c924eb4424e");
    assert_hex(q.td.rtmr[3], 48, ZERO48);
    assert_hex(q.td.tee_tcb_svn, 16, "03000400000000000000000000000000");
    assert_hex(q.td.mrseam, 48,
               "2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced32"
               "0c9a89b4869a9fab60fbe9d0c5a5363c656");
    assert_hex(q.td.mrsignerseam, 48, ZERO48);
    assert_le64_hex(q.td.seam_attributes, "0000000000000000");
    assert_le64_hex(q.td.td_attributes, "0000004000000000");
    assert_le64_hex(q.td.xfam, "e71a060000000000");
    assert_hex(q.td.mrconfigid, 48, ZERO48);
    assert_hex(q.td.mrowner, 48, ZERO48);
    assert_hex(q.td.mrownerconfig, 48, ZERO48);
    assert_int_equal(q.sig_len_offset, 632);
    assert_int_equal(q.sig_len, 4299);
    assert_int_equal(q.signed_len, 4935);
    assert_int_equal(q.trailing_len, 39);
    assert_memory_equal(b.p + 4935, "\nextra bytes(only for testing purpose)\n",
                        39);
    assert_int_equal(q.cert_type, 6);
    assert_int_equal(q.cert_size, 4165);
    assert_int_equal(q.qe_auth_len, 32);
    assert_int_equal(q.pck_cert_type, 5);
    assert_int_equal(q.pck_cert_size, 3677);
    assert_int_equal(q.pck_pem_certs, 3);
    assert_hex(q.qe_report.mrsigner, 32,
               "dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a"
               "8c5");
    assert_int_equal(q.qe_report.isvprodid, 2);
    assert_int_equal(q.qe_report.isvsvn, 4);
    /* The quote signature's last byte sits right before the attestation
     * key, at 636 + 63; cross-check our offsets against the raw bytes. */
    assert_memory_equal(q.signature, b.p + 636, 64);
    assert_memory_equal(q.attestation_key, b.p + 700, 64);
    zk_free(b.p);
}

static void parse_automata_v4_quote_ignores_gcp_zero_padding(void **state)
{
    struct blob b = load_fixture("tdx_v4_automata.bin");
    struct tdx_quote q;
    size_t sl = 0;
    (void)state;
    assert_int_equal(b.n, 8000);
    assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_OK);
    assert_int_equal(q.signed_len, 4935);
    assert_int_equal(q.trailing_len, 3065);
    assert_int_equal(tdx_quote_signed_len(b.p, b.n, &sl), ZK_OK);
    assert_int_equal(sl, 4935);
    assert_hex(q.user_data, 20, "0000000000000000000000000000000000000000");
    assert_hex(q.td.mrtd, 48,
               "935be7742dd89c6a4df6dba8353d89041ae0f052beef993b1e7f4524d3bc5"
               "7650df20e5582158352e1240b3f1fed55d8");
    assert_hex(q.td.tee_tcb_svn, 16, "04010700000000000000000000000000");
    assert_hex(q.td.mrseam, 48,
               "ffc97a88587660fb04e1f7c851300c96ae0b5a463ac46d035d16c2d9f36d0"
               "ed1d23775bcbd27deb219e3a3cc28023895");
    assert_le64_hex(q.td.td_attributes, "0000001000000000");
    assert_true((q.td.td_attributes & TDX_TD_ATTR_SEPT_VE_DISABLE) != 0);
    assert_le64_hex(q.td.xfam, "e700060000000000");
    for (int i = 0; i < 4; i++) {
        assert_hex(q.td.rtmr[i], 48, ZERO48);
    }
    for (int i = 0; i < 64; i++) {
        assert_int_equal(q.report_data[i], 0);
    }
    assert_int_equal(q.sig_len, 4299);
    assert_int_equal(q.cert_size, 4165);
    assert_int_equal(q.pck_cert_size, 3677);
    assert_int_equal(q.pck_pem_certs, 3);
    assert_int_equal(q.qe_report.isvsvn, 6);
    assert_false(q.debug);
    zk_free(b.p);
}

static void parse_sgx_v3_quote_and_reject_it_where_tdx_required(void **state)
{
    struct blob b = load_fixture("sgx_v3_automata.bin");
    struct tdx_quote q;
    (void)state;
    assert_int_equal(b.n, 4734);
    assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_OK);
    assert_int_equal(q.version, 3);
    assert_int_equal(q.tee_type, 0);
    assert_int_equal(q.qe_svn, 9);
    assert_int_equal(q.pce_svn, 14);
    assert_hex(q.qe_vendor_id, 16, INTEL_VENDOR);
    assert_hex(q.user_data, 20, "f28dda234595e56eaeb7ce9b681a62cd00000000");
    assert_int_equal(q.body_type, TDX_BODY_SGX);
    assert_false(q.is_td);
    assert_int_equal(q.report_data_offset, 368);
    assert_hex(q.sgx.mrenclave, 32,
               "a4f45c39dac622cb1dd32ddb35a52ec92db41d0fa88a1c911c49e59c534f6"
               "1cd");
    assert_hex(q.sgx.mrsigner, 32,
               "8f2dbc0f9c5d3378d596974b2deed1f93223cc49242899f83809bcc925461"
               "32c");
    assert_hex(q.sgx.attributes, 16, "0500000000000000e700000000000000");
    assert_hex(q.sgx.cpusvn, 16, "0e0e100fffff01000000000000000000");
    assert_int_equal(q.sgx.isvprodid, 0);
    assert_int_equal(q.sgx.isvsvn, 0);
    assert_int_equal(q.sgx.miscselect, 0);
    assert_int_equal(q.sig_len_offset, 432);
    assert_int_equal(q.sig_len, 4298);
    assert_int_equal(q.signed_len, 4734);
    assert_int_equal(q.trailing_len, 0);
    assert_int_equal(q.qe_auth_len, 32);
    assert_int_equal(q.pck_cert_type, 5);
    assert_int_equal(q.pck_cert_size, 3682);
    assert_int_equal(q.pck_pem_certs, 3);
    assert_hex(q.qe_report.mrsigner, 32,
               "8c4f5775d796503e96137f77c68a829a0056ac8ded70140b081b094490c57"
               "bff");
    assert_int_equal(q.qe_report.isvprodid, 1);
    assert_int_equal(q.qe_report.isvsvn, 9);
    assert_int_equal(tdx_quote_parse_td(&q, b.p, b.n), ZK_EUNSUPPORTED);
    zk_free(b.p);
}

/* Builds a v5 quote from the v4 fixture: header with version 5, the body
 * descriptor, the TD1.0 body, [TD1.5 extra fields], the same signature
 * data. Layout from tdx-attestation.md sections 2.3/2.4. */
static struct blob make_v5(const struct blob *v4, bool td15)
{
    struct blob b;
    size_t extra = td15 ? 64 : 0;
    size_t tail = 4935 - 632;
    b.n = 48 + 6 + 584 + extra + tail;
    b.p = zk_calloc(1, b.n);
    assert_non_null(b.p);
    memcpy(b.p, v4->p, 48);
    b.p[0] = 5;
    b.p[48] = td15 ? 3 : 2;
    zk_store_le32(b.p + 50, td15 ? 648 : 584);
    memcpy(b.p + 54, v4->p + 48, 584);
    if (td15) {
        memset(b.p + 54 + 584, 0x15, 16); /* TEE_TCB_SVN2 */
        memset(b.p + 54 + 600, 0x5e, 48); /* MRSERVICETD */
    }
    memcpy(b.p + 54 + 584 + extra, v4->p + 632, tail);
    return b;
}

static void parse_v5_td10_and_td15_bodies_at_shifted_offsets(void **state)
{
    struct blob v4 = load_fixture("tdx_v4_go_tdx_guest_spr_e4.bin");
    struct tdx_quote q4, q;
    (void)state;
    assert_int_equal(tdx_quote_parse(&q4, v4.p, v4.n), ZK_OK);

    struct blob v5 = make_v5(&v4, false);
    assert_int_equal(parse_guarded(&q, v5.p, v5.n), ZK_OK);
    assert_int_equal(q.version, 5);
    assert_int_equal(q.body_type, TDX_BODY_TD10);
    assert_int_equal(q.body_offset, 54);
    assert_int_equal(q.report_data_offset, 574);
    assert_int_equal(q.sig_len_offset, 638);
    assert_int_equal(q.signed_len, 4941);
    assert_memory_equal(q.report_data, v5.p + 574, 64);
    assert_memory_equal(q.report_data, q4.report_data, 64);
    assert_memory_equal(q.td.mrtd, q4.td.mrtd, 48);
    assert_memory_equal(q.td.rtmr, q4.td.rtmr, sizeof(q.td.rtmr));
    assert_int_equal(q.pck_pem_certs, 3);
    zk_free(v5.p);

    v5 = make_v5(&v4, true);
    assert_int_equal(parse_guarded(&q, v5.p, v5.n), ZK_OK);
    assert_int_equal(q.body_type, TDX_BODY_TD15);
    assert_int_equal(q.body_len, 648);
    assert_int_equal(q.report_data_offset, 574);
    assert_int_equal(q.sig_len_offset, 702);
    assert_int_equal(q.signed_len, 702 + 4 + 4299);
    assert_memory_equal(q.td.mrtd, v5.p + 190, 48);
    assert_int_equal(q.td.tee_tcb_svn2[0], 0x15);
    assert_int_equal(q.td.mrservicetd[47], 0x5e);
    assert_int_equal(tdx_quote_parse_td(&q, v5.p, v5.n), ZK_OK);

    /* descriptor size contradicting the type, unknown type, SGX type
     * under TEE 0x81 */
    zk_store_le32(v5.p + 50, 584);
    assert_int_equal(tdx_quote_parse(&q, v5.p, v5.n), ZK_EINVAL);
    zk_store_le32(v5.p + 50, 648);
    v5.p[48] = 4;
    assert_int_equal(tdx_quote_parse(&q, v5.p, v5.n), ZK_EINVAL);
    v5.p[48] = 1;
    zk_store_le32(v5.p + 50, 384);
    assert_int_equal(tdx_quote_parse(&q, v5.p, v5.n), ZK_EINVAL);
    zk_free(v5.p);
    zk_free(v4.p);
}

static void signed_len_ignores_appended_bytes(void **state)
{
    struct blob b = load_fixture("tdx_v4_go_tdx_guest_spr_e4.bin");
    size_t sl = 0;
    (void)state;
    for (size_t n = 4935; n <= b.n; n++) {
        assert_int_equal(tdx_quote_signed_len(b.p, n, &sl), ZK_OK);
        assert_int_equal(sl, 4935);
    }
    assert_int_equal(tdx_quote_signed_len(b.p, 4934, &sl), ZK_EINVAL);
    zk_free(b.p);
}

/* ---- parser: hostile input ---- */

static void parse_rejects_every_truncation_behind_guard_page(void **state)
{
    const char *names[] = {"tdx_v4_go_tdx_guest_spr_e4.bin",
                           "sgx_v3_automata.bin"};
    (void)state;
    for (size_t f = 0; f < 2; f++) {
        struct blob b = load_fixture(names[f]);
        struct tdx_quote q;
        size_t sl = 0;
        assert_int_equal(tdx_quote_signed_len(b.p, b.n, &sl), ZK_OK);
        size_t step = quick() ? 7 : 1;
        for (size_t n = 0; n < sl; n += step) {
            assert_int_equal(parse_guarded(&q, b.p, n), ZK_EINVAL);
        }
        zk_free(b.p);
    }
}

static void parse_rejects_bad_header_fields(void **state)
{
    struct blob b = load_fixture("tdx_v4_go_tdx_guest_spr_e4.bin");
    struct tdx_quote q;
    (void)state;
    assert_int_equal(tdx_quote_parse(&q, NULL, 0), ZK_EINVAL);
    assert_int_equal(tdx_quote_parse(&q, b.p, 0), ZK_EINVAL);
    static const uint16_t bad_versions[] = {0, 1, 2, 6, 0x0104, 0xffff};
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad_versions); i++) {
        b.p[0] = (uint8_t)bad_versions[i];
        b.p[1] = (uint8_t)(bad_versions[i] >> 8);
        assert_int_equal(tdx_quote_parse(&q, b.p, b.n), ZK_EUNSUPPORTED);
    }
    b.p[0] = 4;
    b.p[1] = 0;
    b.p[2] = 3; /* ECDSA P-384: specified, unsupported */
    assert_int_equal(tdx_quote_parse(&q, b.p, b.n), ZK_EUNSUPPORTED);
    b.p[2] = 2;
    b.p[4] = 0x80; /* unknown TEE type */
    assert_int_equal(tdx_quote_parse(&q, b.p, b.n), ZK_EINVAL);
    b.p[4] = 0x81;
    b.p[0] = 3; /* v3 cannot be TDX */
    assert_int_equal(tdx_quote_parse(&q, b.p, b.n), ZK_EINVAL);
    b.p[0] = 4;
    assert_int_equal(tdx_quote_parse(&q, b.p, b.n), ZK_OK);
    zk_free(b.p);
}

static void parse_rejects_inconsistent_length_fields(void **state)
{
    struct blob b = load_fixture("tdx_v4_go_tdx_guest_spr_e4.bin");
    struct tdx_quote q;
    const size_t sd = 636;              /* first byte of signature data */
    const size_t a_off = sd + 582;      /* QE auth data size */
    const size_t c_off = sd + 586 + 32; /* inner certification data size */
    (void)state;
    /* sig_len: the 39 trailing bytes may be claimed (still consistent?
     * no: the inner sizes no longer add up), one more than the buffer is
     * out of bounds, huge values never wrap */
    static const uint32_t bad_l[] = {0,    1,    133,  134,        4298,
                                     4300, 4338, 4339, 0xffffffffu};
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad_l); i++) {
        zk_store_le32(b.p + 632, bad_l[i]);
        assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_EINVAL);
    }
    zk_store_le32(b.p + 632, 4299);
    static const uint32_t bad_s[] = {0, 4164, 4166, 0xffffffffu};
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad_s); i++) {
        zk_store_le32(b.p + sd + 130, bad_s[i]);
        assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_EINVAL);
    }
    zk_store_le32(b.p + sd + 130, 4165);
    static const uint16_t bad_a[] = {0, 31, 33, 0xffff};
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad_a); i++) {
        b.p[a_off] = (uint8_t)bad_a[i];
        b.p[a_off + 1] = (uint8_t)(bad_a[i] >> 8);
        assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_EINVAL);
    }
    b.p[a_off] = 32;
    b.p[a_off + 1] = 0;
    static const uint32_t bad_c[] = {0, 3676, 3678, 0x80000000u};
    for (size_t i = 0; i < ZK_ARRAY_LEN(bad_c); i++) {
        zk_store_le32(b.p + c_off, bad_c[i]);
        assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_EINVAL);
    }
    zk_store_le32(b.p + c_off, 3677);
    /* certification data types other than 6 / 5 */
    b.p[sd + 128] = 5;
    assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_EUNSUPPORTED);
    b.p[sd + 128] = 6;
    b.p[c_off - 2] = 4;
    assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_EUNSUPPORTED);
    b.p[c_off - 2] = 5;
    assert_int_equal(parse_guarded(&q, b.p, b.n), ZK_OK);
    zk_free(b.p);
}

static void parse_survives_random_mutations(void **state)
{
    const char *names[] = {"tdx_v4_go_tdx_guest_spr_e4.bin",
                           "sgx_v3_automata.bin"};
    unsigned seed = (unsigned)time(NULL);
    const char *s = getenv("ZK_TEST_SEED");
    (void)state;
    if (s != NULL) {
        seed = (unsigned)strtoul(s, NULL, 10);
    }
    printf("parse_survives_random_mutations: ZK_TEST_SEED=%u\n", seed);
    srand(seed);
    int rounds = quick() ? 200 : 3000;
    for (size_t f = 0; f < 2; f++) {
        struct blob b = load_fixture(names[f]);
        uint8_t *m = zk_malloc(b.n);
        assert_non_null(m);
        for (int r = 0; r < rounds; r++) {
            struct tdx_quote q;
            memcpy(m, b.p, b.n);
            int flips = 1 + rand() % 4;
            for (int k = 0; k < flips; k++) {
                /* bias toward the header and length fields */
                size_t pos =
                    rand() % 2 ? (size_t)rand() % 48 : (size_t)rand() % b.n;
                m[pos] = (uint8_t)rand();
            }
            size_t n = (size_t)rand() % (b.n + 1);
            enum zk_err err = parse_guarded(&q, m, n);
            if (err == ZK_OK) {
                assert_true(q.signed_len <= n);
                assert_int_equal(q.signed_len + q.trailing_len, n);
            }
        }
        zk_free(m);
        zk_free(b.p);
    }
}

/* ---- simulated quotes ---- */

static void sim_quote_has_documented_byte_map(void **state)
{
    uint8_t rd[64];
    struct zk_buf out;
    struct tdx_quote q;
    (void)state;
    for (int i = 0; i < 64; i++) {
        rd[i] = (uint8_t)(0xa0 + i);
    }
    zk_buf_init(&out, ZK_MAX_QUOTE_SIZE);
    assert_int_equal(tdx_sim_quote(rd, NULL, &out), ZK_OK);
    assert_int_equal(out.len, 1258);
    /* independent byte map, docs/tdx.md */
    assert_hex(out.data, 8, "0400020081000000");
    assert_memory_equal(out.data + 12, "SP1TEE-SIMULATED", 16);
    assert_memory_equal(out.data + 568, rd, 64);
    assert_memory_equal(out.data + 184,
                        "SP1TEE-SIMULATEDSP1TEE-SIMULATED"
                        "SP1TEE-SIMULATED",
                        48);
    assert_int_equal(zk_load_le32(out.data + 632), 622);
    assert_int_equal(out.data[636 + 128], 6);
    assert_int_equal(zk_load_le32(out.data + 636 + 130), 488);
    assert_memory_equal(out.data + 1258 - 16, "SP1TEE-SIMULATED", 16);
    for (size_t i = 636; i < 636 + 128; i++) {
        assert_int_equal(out.data[i], 0); /* no signature, no key */
    }
    assert_int_equal(tdx_quote_parse_td(&q, out.data, out.len), ZK_OK);
    assert_true(q.is_simulated);
    assert_true(q.is_td);
    assert_false(q.debug);
    assert_int_equal(q.signed_len, 1258);
    assert_int_equal(q.trailing_len, 0);
    assert_int_equal(q.pck_pem_certs, 0);
    assert_memory_equal(q.report_data, rd, 64);

    struct tdx_sim_opts o;
    tdx_sim_opts_default(&o);
    memset(o.rtmr[2], 0x22, 48);
    o.td_attributes = TDX_TD_ATTR_DEBUG;
    assert_int_equal(tdx_sim_quote(rd, &o, &out), ZK_OK);
    assert_int_equal(tdx_quote_parse_td(&q, out.data, out.len), ZK_OK);
    assert_true(q.debug);
    assert_int_equal(out.data[472 + 47], 0x22); /* RTMR2 at abs 472 */
    assert_memory_equal(q.td.rtmr[2], o.rtmr[2], 48);
    zk_buf_cleanup(&out);
}

static void real_quotes_are_never_simulated(void **state)
{
    const char *names[] = {"tdx_v4_go_tdx_guest_spr_e4.bin",
                           "tdx_v4_automata.bin", "sgx_v3_automata.bin"};
    (void)state;
    for (size_t f = 0; f < 3; f++) {
        struct blob b = load_fixture(names[f]);
        struct tdx_quote q;
        assert_int_equal(tdx_quote_parse(&q, b.p, b.n), ZK_OK);
        assert_false(q.is_simulated);
        zk_free(b.p);
    }
}

static void quote_get_simulated_mode_echoes_report_data(void **state)
{
    uint8_t rd[64];
    struct zk_buf out;
    struct tdx_quote q;
    (void)state;
    memset(rd, 0x42, sizeof(rd));
    zk_buf_init(&out, ZK_MAX_QUOTE_SIZE);
    assert_int_equal(
        tdx_quote_get(TDX_MODE_SIMULATED, "/nonexistent", rd, &out), ZK_OK);
    assert_int_equal(tdx_quote_parse_td(&q, out.data, out.len), ZK_OK);
    assert_true(q.is_simulated);
    assert_memory_equal(q.report_data, rd, 64);
    assert_int_equal(tdx_quote_get((enum tdx_mode)7, NULL, rd, &out),
                     ZK_EINVAL);
    zk_buf_cleanup(&out);
}

/* ---- configfs-tsm provider against the fake tree ---- */

struct prov_case {
    struct blob tmpl;
    struct fake_tsm f;
    struct zk_buf out;
    uint8_t rd[64];
};

static void prov_setup(struct prov_case *c, enum fake_tsm_mode mode)
{
    c->tmpl = load_fixture("tdx_v4_go_tdx_guest_spr_e4.bin");
    assert_int_equal(fake_tsm_init(&c->f, mode, c->tmpl.p, 4935), 0);
    zk_buf_init(&c->out, ZK_MAX_QUOTE_SIZE);
    for (int i = 0; i < 64; i++) {
        c->rd[i] = (uint8_t)(i * 7 + 1);
    }
}

static enum zk_err prov_run(struct prov_case *c)
{
    return tdx_tsm_get_quote(&fake_tsm_ops, &c->f, c->f.root, c->rd, &c->out);
}

static void prov_teardown(struct prov_case *c)
{
    /* every entry was removed by the provider itself */
    assert_int_equal(fake_tsm_entries(&c->f), 0);
    assert_int_equal(c->f.mkdirs, c->f.rmdirs);
    fake_tsm_cleanup(&c->f);
    zk_buf_cleanup(&c->out);
    zk_free(c->tmpl.p);
}

static void configfs_quote_binds_report_data_and_is_trimmed(void **state)
{
    struct prov_case c;
    struct tdx_quote q;
    (void)state;
    prov_setup(&c, FAKE_TSM_OK);
    c.f.pad_to = 8000; /* GCP-style zero padding */
    assert_int_equal(prov_run(&c), ZK_OK);
    assert_int_equal(c.out.len, 4935);
    assert_memory_equal(c.out.data + 568, c.rd, 64);
    assert_int_equal(tdx_quote_parse_td(&q, c.out.data, c.out.len), ZK_OK);
    assert_int_equal(q.trailing_len, 0);
    assert_false(q.is_simulated);
    assert_int_equal(c.f.mkdirs, 1);
    assert_int_equal(c.f.inblob_writes, 1);
    assert_int_equal(c.f.outblob_reads, 1);
    prov_teardown(&c);
}

/* A fault in every attempt: ZK_EBUSY after TDX_TSM_ATTEMPTS tries and no
 * output. The same fault in the first attempt only: the retry succeeds. */
static void fails_always_then_once(enum fake_tsm_mode always,
                                   enum fake_tsm_mode once)
{
    struct prov_case c;
    prov_setup(&c, always);
    assert_int_equal(prov_run(&c), ZK_EBUSY);
    assert_int_equal(c.out.len, 0);
    assert_int_equal(c.f.mkdirs, TDX_TSM_ATTEMPTS);
    prov_teardown(&c);

    prov_setup(&c, once);
    assert_int_equal(prov_run(&c), ZK_OK);
    assert_int_equal(c.f.mkdirs, 2);
    assert_memory_equal(c.out.data + 568, c.rd, 64);
    prov_teardown(&c);
}

static void configfs_generation_race_is_caught_and_retried(void **state)
{
    (void)state;
    /* The raced outblob carries our own report data, so only the
     * generation check can reject it. */
    fails_always_then_once(FAKE_TSM_RACE, FAKE_TSM_RACE_ONCE);
}

static void configfs_wrong_report_data_echo_is_rejected(void **state)
{
    (void)state;
    fails_always_then_once(FAKE_TSM_WRONG_ECHO, FAKE_TSM_WRONG_ECHO_ONCE);
}

static void configfs_no_provider_means_no_tdx(void **state)
{
    struct prov_case c;
    (void)state;
    prov_setup(&c, FAKE_TSM_NO_PROVIDER);
    assert_int_equal(prov_run(&c), ZK_EUNSUPPORTED);
    assert_int_equal(c.f.mkdirs, 0);
    prov_teardown(&c);

    prov_setup(&c, FAKE_TSM_WRONG_PROVIDER);
    assert_int_equal(prov_run(&c), ZK_EUNSUPPORTED);
    assert_int_equal(c.f.mkdirs, 1);
    assert_int_equal(c.f.inblob_writes, 0);
    prov_teardown(&c);
}

static void configfs_kernel_errors_map_to_codes(void **state)
{
    struct prov_case c;
    (void)state;
    prov_setup(&c, FAKE_TSM_EBUSY);
    assert_int_equal(prov_run(&c), ZK_EBUSY);
    assert_int_equal(c.f.mkdirs, 1); /* kernel errors are not retried */
    prov_teardown(&c);

    prov_setup(&c, FAKE_TSM_GARBAGE);
    assert_int_equal(prov_run(&c), ZK_EINVAL);
    assert_int_equal(c.out.len, 0);
    prov_teardown(&c);

    prov_setup(&c, FAKE_TSM_HUGE);
    assert_int_equal(prov_run(&c), ZK_ELIMIT);
    prov_teardown(&c);
}

static void configfs_refuses_simulated_quote_from_outblob(void **state)
{
    struct prov_case c;
    struct zk_buf sim;
    uint8_t rd0[64] = {0};
    (void)state;
    prov_setup(&c, FAKE_TSM_OK);
    zk_buf_init(&sim, ZK_MAX_QUOTE_SIZE);
    assert_int_equal(tdx_sim_quote(rd0, NULL, &sim), ZK_OK);
    c.f.tmpl = sim.data;
    c.f.tmpl_len = sim.len;
    assert_int_equal(prov_run(&c), ZK_EINVAL);
    prov_teardown(&c);
    zk_buf_cleanup(&sim);
}

static void configfs_missing_tree_or_plain_dir_means_no_tdx(void **state)
{
    uint8_t rd[64] = {1};
    struct zk_buf out;
    struct fake_tsm f;
    (void)state;
    zk_buf_init(&out, ZK_MAX_QUOTE_SIZE);
    /* real syscalls: the tree does not exist */
    assert_int_equal(tdx_quote_get(TDX_MODE_CONFIGFS,
                                   "/nonexistent/sys/kernel/config/tsm/report",
                                   rd, &out),
                     ZK_EUNSUPPORTED);
    assert_false(tdx_configfs_available("/nonexistent/tsm/report"));
    /* real syscalls on a plain directory: mkdir works, provider is
     * missing; the entry must still be removed */
    assert_int_equal(fake_tsm_init(&f, FAKE_TSM_OK, NULL, 0), 0);
    assert_int_equal(tdx_quote_get(TDX_MODE_CONFIGFS, f.root, rd, &out),
                     ZK_EUNSUPPORTED);
    assert_int_equal(fake_tsm_entries(&f), 0);
    assert_false(tdx_configfs_available(f.root));
    assert_int_equal(fake_tsm_entries(&f), 0);
    assert_int_equal(out.len, 0);
    fake_tsm_cleanup(&f);
    zk_buf_cleanup(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_go_tdx_guest_quote_matches_manifest),
        cmocka_unit_test(parse_automata_v4_quote_ignores_gcp_zero_padding),
        cmocka_unit_test(parse_sgx_v3_quote_and_reject_it_where_tdx_required),
        cmocka_unit_test(parse_v5_td10_and_td15_bodies_at_shifted_offsets),
        cmocka_unit_test(signed_len_ignores_appended_bytes),
        cmocka_unit_test(parse_rejects_every_truncation_behind_guard_page),
        cmocka_unit_test(parse_rejects_bad_header_fields),
        cmocka_unit_test(parse_rejects_inconsistent_length_fields),
        cmocka_unit_test(parse_survives_random_mutations),
        cmocka_unit_test(sim_quote_has_documented_byte_map),
        cmocka_unit_test(real_quotes_are_never_simulated),
        cmocka_unit_test(quote_get_simulated_mode_echoes_report_data),
        cmocka_unit_test(configfs_quote_binds_report_data_and_is_trimmed),
        cmocka_unit_test(configfs_generation_race_is_caught_and_retried),
        cmocka_unit_test(configfs_wrong_report_data_echo_is_rejected),
        cmocka_unit_test(configfs_no_provider_means_no_tdx),
        cmocka_unit_test(configfs_kernel_errors_map_to_codes),
        cmocka_unit_test(configfs_refuses_simulated_quote_from_outblob),
        cmocka_unit_test(configfs_missing_tree_or_plain_dir_means_no_tdx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
