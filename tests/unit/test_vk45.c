/*
 * test_vk45.c - SP1 v4/v5 vk digests (src/vk/vk_v45.c) against the
 * published vkeys of tests/fixtures/vk45 (vkeys.json), the transpiler
 * tables of sp1-vk-v4v5.md §3/§4.2, and the version refusals.
 *
 * With ZK_TEST_QUICK set (valgrind / sanitizer runs) only the smallest
 * fixture's curve sum is checked instead of the seven full digests.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <cjson/cJSON.h>

#include "base/mem.h"
#include "../fixture.h"
#include "vk/vk.h"
#include "vk/vk_v45.h"
#include "zkvm/program.h"

#define P 2013265921u

static bool quick(void)
{
    const char *q = getenv("ZK_TEST_QUICK");
    return q != NULL && q[0] != '\0' && q[0] != '0';
}

static uint8_t *read_file(const char *rel, size_t *len)
{
    return fixture_read("vk45", rel, len);
}

static cJSON *load_manifest(void)
{
    size_t len;
    uint8_t *txt = read_file("vkeys.json", &len);
    cJSON *j = cJSON_Parse((const char *)txt);
    zk_free(txt);
    assert_non_null(j);
    return j;
}

static void u32_array(const cJSON *arr, uint32_t *out, int n)
{
    assert_true(cJSON_IsArray(arr));
    assert_int_equal(cJSON_GetArraySize(arr), n);
    for (int i = 0; i < n; i++) {
        const cJSON *v = cJSON_GetArrayItem(arr, i);
        assert_true(cJSON_IsNumber(v));
        out[i] = (uint32_t)v->valuedouble;
    }
}

static void load_program(struct zkvm_program *p, const char *file)
{
    size_t len;
    uint8_t *elf = read_file(file, &len);
    assert_int_equal(zkvm_program_load(p, elf, len, ZKVM_SP1_AUTO), ZK_OK);
    zk_free(elf);
}

static void hex_of(char *out, const uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        (void)sprintf(out + 2 * i, "%02x", b[i]);
    }
}

/* ---- every fixture, end to end ---- */

static void fixtures_match_published_vkeys(void **state)
{
    (void)state;
    cJSON *j = load_manifest();
    const cJSON *fx = cJSON_GetObjectItem(j, "fixtures");
    int n = cJSON_GetArraySize(fx);
    assert_int_equal(n, 7);
    bool is_quick = quick();
    int checked = 0;
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(fx, i);
        const char *file = cJSON_GetObjectItem(e, "file")->valuestring;
        const char *algo =
            cJSON_GetObjectItem(e, "sp1_vk_algorithm")->valuestring;
        const cJSON *derived = cJSON_GetObjectItem(e, "derived");
        const cJSON *sum =
            cJSON_GetObjectItem(derived, "initial_global_cumulative_sum");
        uint32_t want_x[7], want_y[7];
        u32_array(cJSON_GetObjectItem(sum, "x"), want_x, 7);
        u32_array(cJSON_GetObjectItem(sum, "y"), want_y, 7);

        /* Quick mode: the curve sum of the smallest fixture only. */
        if (is_quick) {
            if (strcmp(file, "sp1-vector-2701167-v4.0.0-rc.9.elf") != 0) {
                continue;
            }
            struct zkvm_program p;
            struct vk_septic_point s;
            load_program(&p, file);
            assert_int_equal(vk_septic_image_sum(&s, p.image, p.n_image, 2),
                             ZK_OK);
            assert_memory_equal(s.x.c, want_x, sizeof(want_x));
            assert_memory_equal(s.y.c, want_y, sizeof(want_y));
            zkvm_program_cleanup(&p);
            checked++;
            continue;
        }

        struct zkvm_program p;
        struct vk_result r;
        struct vk_v45_detail d;
        load_program(&p, file);
        assert_int_equal(vk_v45_compute_detail(&r, &d, &p, NULL), ZK_OK);
        /* The published values. */
        uint32_t want_u32[8];
        char hex[65];
        u32_array(cJSON_GetObjectItem(e, "hash_u32"), want_u32, 8);
        assert_string_equal(r.bytes32,
                            cJSON_GetObjectItem(e, "bytes32")->valuestring);
        assert_memory_equal(r.hash_u32, want_u32, sizeof(want_u32));
        hex_of(hex, r.hash_bytes, 32);
        assert_string_equal(hex,
                            cJSON_GetObjectItem(e, "hash_bytes")->valuestring);
        /* The intermediate values, for a precise failure message. */
        uint32_t want_commit[8];
        u32_array(cJSON_GetObjectItem(derived, "commit"), want_commit, 8);
        assert_memory_equal(r.commit, want_commit, sizeof(want_commit));
        assert_memory_equal(d.global_sum.x.c, want_x, sizeof(want_x));
        assert_memory_equal(d.global_sum.y.c, want_y, sizeof(want_y));
        assert_int_equal(d.algo, algo[1] - '0');
        assert_int_equal(
            r.n_insns,
            (size_t)cJSON_GetObjectItem(derived, "instructions")->valuedouble);
        assert_int_equal(
            r.n_image,
            (size_t)cJSON_GetObjectItem(derived, "memory_words")->valuedouble);
        const cJSON *lh = cJSON_GetObjectItem(derived, "log2_heights");
        assert_int_equal(r.n_chips, 2);
        assert_string_equal(r.chips[0].name, "Program");
        assert_int_equal(r.chips[0].width, 14);
        assert_int_equal(
            r.chips[0].log_height,
            (unsigned)cJSON_GetObjectItem(lh, "Program")->valuedouble);
        assert_string_equal(r.chips[1].name, "Byte");
        assert_int_equal(r.chips[1].log_height, 16);
        /* The public dispatcher gives the same. */
        struct vk_result r2;
        assert_int_equal(vk_compute(&r2, &p), ZK_OK);
        assert_string_equal(r2.bytes32, r.bytes32);
        zkvm_program_cleanup(&p);
        checked++;
    }
    assert_int_equal(checked, is_quick ? 1 : 7);
    cJSON_Delete(j);
}

/* ---- Program rows (§3.1, §4.2) ---- */

struct row_case {
    uint32_t word;
    uint32_t row[VK_V45_PROGRAM_WIDTH]; /* pc column left 0 here */
};

static const struct row_case row_cases[] = {
    /* addi a0, zero, 5: ADD 0, a=10, b=x0, c=5, imm_c */
    {0x00500513, {0, 0, 10, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 1}},
    /* addi a0, a0, -1: op_c = 0xffffffff */
    {0xfff50513, {0, 0, 10, 10, 0, 0, 0, 255, 255, 255, 255, 0, 0, 1}},
    /* lui a5, 0x12345: ADD, b = 0, c = 0x12345000, imm_b = imm_c = 1 */
    {0x123457b7, {0, 0, 15, 0, 0, 0, 0, 0, 0x50, 0x34, 0x12, 0, 1, 1}},
    /* auipc a0, 0x1: AUIPC 34, b = c = 0x1000 */
    {0x00001517, {0, 34, 10, 0, 0x10, 0, 0, 0, 0x10, 0, 0, 0, 1, 1}},
    /* mul a0, a1, a2: MUL 10 */
    {0x02c58533, {0, 10, 10, 11, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0}},
    /* mulhu a0, a1, a2: 12; mulhsu: 13 */
    {0x02c5b533, {0, 12, 10, 11, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0}},
    {0x02c5a533, {0, 13, 10, 11, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0}},
    /* remu a0, a1, a2: 17 */
    {0x02c5f533, {0, 17, 10, 11, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0}},
    /* lw a0, 8(sp): LW 20 */
    {0x00812503, {0, 20, 10, 2, 0, 0, 0, 8, 0, 0, 0, 0, 0, 1}},
    /* lhu a0, 2(a1): LHU 22 */
    {0x0025d503, {0, 22, 10, 11, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1}},
    /* sw a0, 12(sp): SW 25, a = rs2 */
    {0x00a12623, {0, 25, 10, 2, 0, 0, 0, 12, 0, 0, 0, 0, 0, 1}},
    /* bne a0, zero, -8: BNE 27, a = rs1, b = rs2 */
    {0xfe051ce3, {0, 27, 10, 0, 0, 0, 0, 0xf8, 255, 255, 255, 0, 0, 1}},
    /* jal ra, 16: JAL 32, b = 16, imm_b = imm_c = 1 */
    {0x010000ef, {0, 32, 1, 16, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1}},
    /* jalr zero, 0(ra): JALR 33, op_a = 0 */
    {0x00008067, {0, 33, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1}},
    /* ecall: 35, (5, 10, 11) */
    {0x00000073, {0, 35, 5, 10, 0, 0, 0, 11, 0, 0, 0, 0, 0, 0}},
    /* ebreak: 36, all zero, op_a = 0 */
    {0x00100073, {0, 36, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0}},
    /* fence: UNIMP 37 (0, 0, 0, 1, 1) */
    {0x0ff0000f, {0, 37, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1}},
    /* srai a0, a0, 3: SRA 7, c = 3 */
    {0x40355513, {0, 7, 10, 10, 0, 0, 0, 3, 0, 0, 0, 0, 0, 1}},
    /* sltu a0, a1, a2: 9 */
    {0x00c5b533, {0, 9, 10, 11, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0}},
};

static void program_rows_follow_the_v45_layout(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(row_cases) / sizeof(row_cases[0]); i++) {
        uint32_t row[VK_V45_PROGRAM_WIDTH], want[VK_V45_PROGRAM_WIDTH];
        memcpy(want, row_cases[i].row, sizeof(want));
        want[0] = 0x201000 + 4 * (uint32_t)i;
        assert_int_equal(vk_v45_program_row(row, want[0], row_cases[i].word),
                         ZK_OK);
        if (memcmp(row, want, sizeof(row)) != 0) {
            fprintf(stderr, "case %zu (0x%08x) differs\n", i,
                    row_cases[i].word);
        }
        assert_memory_equal(row, want, sizeof(row));
    }
    uint32_t row[VK_V45_PROGRAM_WIDTH];
    /* Words SP1 cannot transpile. */
    assert_int_equal(vk_v45_program_row(row, 0, 0xffffffff), ZK_EINVAL);
    assert_int_equal(vk_v45_program_row(row, 0, 0x00000000), ZK_EINVAL);
    assert_int_equal(vk_v45_program_row(row, 0, 0x0000100f), ZK_EINVAL);
}

/* ---- versions ---- */

static enum zk_err algo_of(int major, int minor, int patch,
                           enum zkvm_version_source src, const char *text,
                           enum vk_v45_algo *algo)
{
    struct zkvm_sp1_version v;
    memset(&v, 0, sizeof(v));
    v.major = (enum zkvm_sp1_major)major;
    v.minor = minor;
    v.patch = patch;
    v.source = src;
    v.is_detected = src != ZKVM_VERSION_FORCED;
    (void)snprintf(v.text, sizeof(v.text), "%s", text);
    return vk_v45_algorithm(&v, algo);
}

static void versions_are_matched_exactly_or_refused(void **state)
{
    (void)state;
    enum vk_v45_algo a;
    const enum zkvm_version_source S = ZKVM_VERSION_STRING;
    /* Known releases. */
    assert_int_equal(algo_of(4, 0, 0, S, "4.0.0", &a), ZK_OK);
    assert_int_equal(a, VK_V45_V4);
    assert_int_equal(algo_of(4, 0, 0, S, "4.0.0-rc.9", &a), ZK_OK);
    assert_int_equal(a, VK_V45_V4);
    assert_int_equal(algo_of(4, 0, 0, S, "4.0.0-rc.8", &a), ZK_OK);
    assert_int_equal(algo_of(4, 1, 7, S, "4.1.7", &a), ZK_OK);
    assert_int_equal(algo_of(4, 2, 1, S, "4.2.1", &a), ZK_OK);
    assert_int_equal(a, VK_V45_V4);
    assert_int_equal(algo_of(5, 0, 0, S, "5.0.0", &a), ZK_OK);
    assert_int_equal(a, VK_V45_V5);
    assert_int_equal(algo_of(5, 1, 1, S, "5.1.1", &a), ZK_OK);
    assert_int_equal(algo_of(5, 2, 4, S, "5.2.4", &a), ZK_OK);
    assert_int_equal(a, VK_V45_V5);
    /* Forced majors are taken as given. */
    assert_int_equal(algo_of(4, -1, -1, ZKVM_VERSION_FORCED, "v4 (forced)", &a),
                     ZK_OK);
    assert_int_equal(a, VK_V45_V4);
    assert_int_equal(algo_of(5, -1, -1, ZKVM_VERSION_FORCED, "v5 (forced)", &a),
                     ZK_OK);
    assert_int_equal(a, VK_V45_V5);
    /* Refused: unknown minors, early pre-releases, other majors, guesses. */
    assert_int_equal(algo_of(4, 3, 0, S, "4.3.0", &a), ZK_EUNSUPPORTED);
    assert_int_equal(a, VK_V45_NONE);
    assert_int_equal(algo_of(5, 3, 0, S, "5.3.0", &a), ZK_EUNSUPPORTED);
    assert_int_equal(algo_of(4, 0, 0, S, "4.0.0-rc.1", &a), ZK_EUNSUPPORTED);
    assert_int_equal(algo_of(4, 0, 0, S, "4.0.0-rc.7", &a), ZK_EUNSUPPORTED);
    assert_int_equal(algo_of(5, 0, 0, S, "5.0.0-rc.1", &a), ZK_EUNSUPPORTED);
    assert_int_equal(algo_of(4, 0, 0, S, "4.0.0-prerelease-1", &a),
                     ZK_EUNSUPPORTED);
    assert_int_equal(algo_of(3, 4, 0, S, "3.4.0", &a), ZK_EUNSUPPORTED);
    assert_int_equal(algo_of(6, 0, 0, S, "6.0.0", &a), ZK_EUNSUPPORTED);
    assert_int_equal(
        algo_of(5, -1, -1, ZKVM_VERSION_RUSTC, "v5 (rustc 1.85)", &a),
        ZK_EUNSUPPORTED);
    assert_int_equal(
        algo_of(5, -1, -1, ZKVM_VERSION_DEFAULT, "v5 (default)", &a),
        ZK_EUNSUPPORTED);
}

/* Replaces every occurrence of from by to (same length) in buf. */
static int patch_all(uint8_t *buf, size_t len, const char *from, const char *to)
{
    size_t n = strlen(from);
    int hits = 0;
    assert_int_equal(strlen(to), n);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(buf + i, from, n) == 0) {
            memcpy(buf + i, to, n);
            hits++;
        }
    }
    return hits;
}

static void unsupported_elfs_are_refused(void **state)
{
    (void)state;
    size_t len;
    struct zkvm_program p;
    struct vk_result r;
    uint8_t *elf = read_file("sp1-vector-dab8c1f-v5.0.0.elf", &len);

    /* A doctored version string naming an unknown minor. */
    uint8_t *doc = zk_malloc(len);
    assert_non_null(doc);
    memcpy(doc, elf, len);
    assert_true(patch_all(doc, len, "sp1-zkvm-5.0.0", "sp1-zkvm-5.9.0") > 0);
    assert_int_equal(zkvm_program_load(&p, doc, len, ZKVM_SP1_AUTO), ZK_OK);
    assert_int_equal(vk_compute(&r, &p), ZK_EUNSUPPORTED);
    assert_int_equal(r.bytes32[0], '\0');
    zkvm_program_cleanup(&p);

    /* A v6 version string: not a version we know at all. Whatever the
     * loader makes of it, no vk comes out. */
    memcpy(doc, elf, len);
    assert_true(patch_all(doc, len, "sp1-zkvm-5.0.0", "sp1-zkvm-6.0.0") > 0);
    if (zkvm_program_load(&p, doc, len, ZKVM_SP1_AUTO) == ZK_OK) {
        assert_int_equal(vk_compute(&r, &p), ZK_EUNSUPPORTED);
        zkvm_program_cleanup(&p);
    }

    /* A 64-bit ELF (v6 guests are RV64): the loader refuses it. */
    memcpy(doc, elf, len);
    doc[4] = 2; /* EI_CLASS = ELFCLASS64 */
    assert_int_not_equal(zkvm_program_load(&p, doc, len, ZKVM_SP1_AUTO), ZK_OK);
    zkvm_program_cleanup(&p);

    zk_free(doc);
    zk_free(elf);

    /* An early 4.0.0 release candidate: the loader keeps the pre-release
     * suffix, and the vk is refused (its algorithm differs from 4.0.0). */
    elf = read_file("sp1-vector-2701167-v4.0.0-rc.9.elf", &len);
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_OK);
    assert_string_equal(p.version.text, "4.0.0-rc.9");
    zkvm_program_cleanup(&p);
    assert_true(
        patch_all(elf, len, "sp1-zkvm-4.0.0-rc.9", "sp1-zkvm-4.0.0-rc.3") > 0);
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_OK);
    assert_string_equal(p.version.text, "4.0.0-rc.3");
    assert_int_equal(vk_compute(&r, &p), ZK_EUNSUPPORTED);
    zkvm_program_cleanup(&p);
    zk_free(elf);
}

/* ---- hostile or degenerate programs ---- */

static void fake_program(struct zkvm_program *p, uint32_t *insns, size_t n,
                         struct zkvm_image_word *img, size_t n_img)
{
    memset(p, 0, sizeof(*p));
    p->pc_start = 0x201000;
    p->pc_base = 0x201000;
    p->insns = insns;
    p->n_insns = n;
    p->image = img;
    p->n_image = n_img;
    p->version.major = ZKVM_SP1_V5;
    p->version.minor = -1;
    p->version.patch = -1;
    p->version.source = ZKVM_VERSION_FORCED;
    (void)snprintf(p->version.text, sizeof(p->version.text), "v5 (forced)");
}

static void bad_programs_are_refused(void **state)
{
    (void)state;
    uint32_t insns[3] = {0x00500513, 0xffffffff, 0x00000073};
    struct zkvm_image_word img[3] = {
        {0x201000, 0x00500513}, {0x201004, 0xffffffff}, {0x201008, 0x73}};
    struct zkvm_program p;
    struct vk_result r;
    struct vk_options small = {2, true};

    fake_program(&p, insns, 0, img, 0);
    assert_int_equal(vk_v45_compute(&r, &p, &small), ZK_EINVAL);
    /* an instruction that does not transpile */
    fake_program(&p, insns, 3, img, 3);
    assert_int_equal(vk_v45_compute(&r, &p, &small), ZK_EINVAL);
    assert_int_equal(r.bytes32[0], '\0');
    /* an image address that is not a field element */
    insns[1] = 0x00000013;
    img[2].addr = P;
    fake_program(&p, insns, 3, img, 3);
    assert_int_equal(vk_v45_compute(&r, &p, &small), ZK_EINVAL);
    /* more instructions than SP1's largest shape (never read) */
    fake_program(&p, insns, ((size_t)1 << 22) + 1, img, 2);
    assert_int_equal(vk_v45_compute(&r, &p, NULL), ZK_ELIMIT);
    /* a v3 program is not ours */
    fake_program(&p, insns, 3, img, 2);
    p.version.major = ZKVM_SP1_V3;
    (void)snprintf(p.version.text, sizeof(p.version.text), "v3 (forced)");
    assert_int_equal(vk_v45_compute(&r, &p, &small), ZK_EUNSUPPORTED);
}

static void small_program_is_deterministic_across_threads(void **state)
{
    (void)state;
    uint32_t insns[3] = {0x00500513, 0x00000013, 0x00000073};
    struct zkvm_image_word img[4] = {{0x201000, 0x00500513},
                                     {0x201004, 0x00000013},
                                     {0x201008, 0x73},
                                     {0x300000, 0}};
    struct zkvm_program p;
    struct vk_result r1, r2, r4;
    struct vk_options o1 = {1, true}, o2 = {2, true};
    fake_program(&p, insns, 3, img, 4);
    assert_int_equal(vk_v45_compute(&r1, &p, &o1), ZK_OK);
    assert_int_equal(vk_v45_compute(&r2, &p, &o2), ZK_OK);
    assert_string_equal(r1.bytes32, r2.bytes32);
    assert_memory_equal(r1.hash_u32, r2.hash_u32, sizeof(r1.hash_u32));
    /* FIX_CORE_SHAPES=false: Program 2^4 < Byte 2^16, so Byte first */
    assert_int_equal(r1.n_chips, 2);
    assert_string_equal(r1.chips[0].name, "Byte");
    assert_string_equal(r1.chips[1].name, "Program");
    assert_int_equal(r1.chips[1].log_height, 4);
    /* v4 and v5 hash differently; so does another image word */
    p.version.major = ZKVM_SP1_V4;
    assert_int_equal(vk_v45_compute(&r4, &p, &o2), ZK_OK);
    assert_string_not_equal(r4.bytes32, r1.bytes32);
    p.version.major = ZKVM_SP1_V5;
    img[3].value = 1;
    assert_int_equal(vk_v45_compute(&r2, &p, &o2), ZK_OK);
    assert_string_not_equal(r2.bytes32, r1.bytes32);
    assert_memory_equal(r2.commit, r1.commit, sizeof(r1.commit));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(program_rows_follow_the_v45_layout),
        cmocka_unit_test(versions_are_matched_exactly_or_refused),
        cmocka_unit_test(unsupported_elfs_are_refused),
        cmocka_unit_test(bad_programs_are_refused),
        cmocka_unit_test(small_program_is_deterministic_across_threads),
        cmocka_unit_test(fixtures_match_published_vkeys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
