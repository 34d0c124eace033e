/*
 * test_zkvm.c - executor tests: every case of the SP1 ELF fixtures
 * (tests/fixtures/elf/cases.json), decoder quirks, instruction semantics
 * and SP1 quirks on encoder-built programs, fast path vs reference stepper,
 * hint/unconstrained/cycle-limit semantics, and hostile ELFs and stdin.
 */
#include <config.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <cmocka.h>

#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"
#include "zkvm/decode.h"
#include "zkvm/program.h"
#include "zkvm/zkvm.h"
#include "zkvm/zkvm_int.h"
#include "zkvm_asm.h"
#include "../fixture.h"

static bool quick(void)
{
    const char *q = getenv("ZK_TEST_QUICK");
    return q && *q && strcmp(q, "0") != 0;
}

/* ------------------------------------------------------------ helpers */

struct run {
    struct zkvm_program prog;
    struct zkvm *vm;
    struct zkvm_result res;
    enum zk_err err;
};

static enum zk_err run_words(struct run *r, const uint32_t *code, size_t n,
                             const uint32_t *data, size_t data_words,
                             uint32_t bss, enum zkvm_sp1_major major,
                             uint64_t limit, const struct zkvm_stdin *in,
                             bool slow)
{
    size_t len;
    uint8_t *elf = rv_elf(code, n, data, data_words, bss, &len);
    struct zkvm_limits lim;
    enum zk_err err;
    memset(r, 0, sizeof(*r));
    assert_non_null(elf);
    err = zkvm_program_load(&r->prog, elf, len, major);
    zk_free(elf);
    if (err) {
        return err;
    }
    zkvm_limits_default(&lim);
    lim.cycle_limit = limit;
    err = zkvm_new(&r->vm, &r->prog, in, &lim);
    if (err) {
        return err;
    }
    r->vm->force_slow = slow;
    r->err = zkvm_run(r->vm, &r->res);
    return r->err;
}

static void run_done(struct run *r)
{
    zkvm_result_cleanup(&r->res);
    zkvm_free(r->vm);
    zkvm_program_cleanup(&r->prog);
}

/* Runs code (no data, stdin or cycle limit) on the default path under
 * major and expects it to trap with status. */
static void expect_trap(const uint32_t *c, size_t n, enum zkvm_sp1_major major,
                        enum zkvm_status status)
{
    struct run r;
    assert_int_equal(run_words(&r, c, n, NULL, 0, 0, major, 0, NULL, false),
                     ZK_ETRAP);
    assert_int_equal(r.res.status, status);
    run_done(&r);
}

/* Appends a HALT(0). */
static void halt0(uint32_t *c, size_t *n)
{
    rv_sys(c, n, ZKVM_SYS_HALT, 0, 0);
}

/* ------------------------------------------------------- fixtures */

static void check_case(const cJSON *c)
{
    const char *elfname = cJSON_GetObjectItem(c, "elf")->valuestring;
    const char *sem = cJSON_GetObjectItem(c, "semantics")->valuestring;
    const cJSON *items = cJSON_GetObjectItem(c, "stdin_buffer_hex");
    bool expect_ok = cJSON_IsTrue(cJSON_GetObjectItem(c, "expect_success"));
    const char *pv_hex =
        cJSON_GetObjectItem(c, "public_values_hex")->valuestring;
    const char *dig_hex =
        cJSON_GetObjectItem(c, "committed_value_digest_hex")->valuestring;
    const cJSON *err_s = cJSON_GetObjectItem(c, "expected_error");
    const char *out1 = cJSON_GetObjectItem(c, "stdout_fd1")->valuestring;
    const char *err2 = cJSON_GetObjectItem(c, "stderr_fd2_prefix")->valuestring;
    const cJSON *sys = cJSON_GetObjectItem(c, "syscalls_seen");
    size_t elf_len, pv_len, dig_len;
    uint8_t *elf, pv[4096], dig[32];
    struct zkvm_program prog;
    struct zkvm_stdin in;
    struct zkvm_limits lim;
    struct zkvm_result res;
    const cJSON *it;
    enum zk_err err;
    enum zkvm_sp1_major major = sem[1] == '3'   ? ZKVM_SP1_V3
                                : sem[1] == '4' ? ZKVM_SP1_V4
                                                : ZKVM_SP1_V5;

    elf = fixture_read("elf", elfname, &elf_len);
    /* detection must agree with the fixture's stated semantics */
    assert_int_equal(zkvm_program_load(&prog, elf, elf_len, ZKVM_SP1_AUTO),
                     ZK_OK);
    assert_int_equal(prog.version.major, major);
    zkvm_program_cleanup(&prog);
    assert_int_equal(zkvm_program_load(&prog, elf, elf_len, major), ZK_OK);
    zk_free(elf);

    zkvm_stdin_init(&in);
    cJSON_ArrayForEach(it, items)
    {
        uint8_t b[256];
        size_t bl;
        assert_int_equal(zk_hex_decode(b, sizeof(b), &bl, it->valuestring,
                                       strlen(it->valuestring)),
                         ZK_OK);
        assert_int_equal(zkvm_stdin_add(&in, b, bl), ZK_OK);
    }
    /* the JSON form must give the same items */
    {
        struct zkvm_stdin in2;
        const char *js = cJSON_GetObjectItem(c, "stdin_json")->valuestring;
        zkvm_stdin_init(&in2);
        assert_int_equal(zkvm_stdin_parse_json(&in2, js, strlen(js)), ZK_OK);
        assert_int_equal(in2.n, in.n);
        for (size_t k = 0; k < in.n; k++) {
            assert_int_equal(in2.items[k].len, in.items[k].len);
            assert_memory_equal(in2.items[k].data, in.items[k].data,
                                in.items[k].len);
        }
        zkvm_stdin_cleanup(&in2);
    }

    zkvm_limits_default(&lim);
    err = zkvm_execute(&prog, &in, &lim, &res);
    assert_int_equal(
        zk_hex_decode(pv, sizeof(pv), &pv_len, pv_hex, strlen(pv_hex)), ZK_OK);
    assert_int_equal(
        zk_hex_decode(dig, sizeof(dig), &dig_len, dig_hex, strlen(dig_hex)),
        ZK_OK);
    assert_int_equal(res.public_values_len, pv_len);
    if (pv_len) {
        assert_memory_equal(res.public_values, pv, pv_len);
    }
    assert_memory_equal(res.committed_digest, dig, 32);
    assert_true(res.digest_matches);
    if (expect_ok) {
        assert_int_equal(err, ZK_OK);
        assert_int_equal(res.status, ZKVM_STATUS_HALTED);
    } else {
        assert_int_equal(err, ZK_ETRAP);
        assert_true(cJSON_IsString(err_s));
        assert_string_equal(err_s->valuestring, "HaltWithNonZeroExitCode(1)");
        assert_int_equal(res.status, ZKVM_STATUS_HALT_NONZERO);
        assert_int_equal(res.exit_code, 1);
    }
    assert_int_equal(res.out_stdout_len, strlen(out1));
    if (res.out_stdout_len) {
        assert_memory_equal(res.out_stdout, out1, strlen(out1));
    }
    assert_true(res.out_stderr_len >= strlen(err2));
    if (*err2) {
        assert_memory_equal(res.out_stderr, err2, strlen(err2));
    }
    /* syscall counts */
    {
        size_t nsys = 0;
        const cJSON *s;
        cJSON_ArrayForEach(s, sys)
        {
            uint32_t id = (uint32_t)strtoul(s->string, NULL, 16);
            bool found = false;
            for (size_t k = 0; k < res.n_syscalls; k++) {
                if (res.syscalls[k].id == id) {
                    assert_int_equal(res.syscalls[k].count,
                                     (uint64_t)s->valuedouble);
                    found = true;
                }
            }
            assert_true(found);
            nsys++;
        }
        assert_int_equal(res.n_syscalls, nsys);
    }
    /* instruction counts of the manifest's model (a regression hint) */
    assert_int_equal(res.cycles, (uint64_t)cJSON_GetObjectItem(
                                     c, "model_instruction_count_UNVERIFIED")
                                     ->valuedouble);
    zkvm_result_cleanup(&res);
    zkvm_stdin_cleanup(&in);
    zkvm_program_cleanup(&prog);
}

static void test_fixture_cases(void **state)
{
    size_t len;
    char *text = (char *)fixture_read("elf", "cases.json", &len);
    cJSON *root = cJSON_Parse(text);
    const cJSON *c;
    int n = 0;
    (void)state;
    assert_non_null(root);
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(root, "cases"))
    {
        check_case(c);
        n++;
    }
    assert_int_equal(n, 15);
    cJSON_Delete(root);
    zk_free(text);
}

static void test_fixture_bincode_stdin(void **state)
{
    size_t len, elf_len;
    uint8_t *bin =
        fixture_read("elf", "sp1-v1.x_eval-fibonacci.stdin.bincode", &len);
    uint8_t *elf = fixture_read("elf", "sp1-v1.x_eval-fibonacci.elf", &elf_len);
    static const uint8_t pv[] = {0xf4, 0x01, 0,    0,    0xf4, 0x04,
                                 0,    0,    0x86, 0x07, 0,    0};
    struct zkvm_stdin in;
    struct zkvm_program prog;
    struct zkvm_result res;
    (void)state;
    zkvm_stdin_init(&in);
    assert_int_equal(zkvm_stdin_parse_bincode(&in, bin, len), ZK_OK);
    assert_int_equal(in.n, 1);
    assert_int_equal(in.items[0].len, 4);
    assert_int_equal(zkvm_program_load(&prog, elf, elf_len, ZKVM_SP1_AUTO),
                     ZK_OK);
    assert_int_equal(zkvm_execute(&prog, &in, NULL, &res), ZK_OK);
    assert_int_equal(res.public_values_len, sizeof(pv));
    assert_memory_equal(res.public_values, pv, sizeof(pv));
    /* a v3 guest under v5 rules panics on its fd 3 write */
    zkvm_result_cleanup(&res);
    zkvm_program_cleanup(&prog);
    assert_int_equal(zkvm_program_load(&prog, elf, elf_len, ZKVM_SP1_V5),
                     ZK_OK);
    assert_int_equal(zkvm_execute(&prog, &in, NULL, &res), ZK_ETRAP);
    assert_int_equal(res.status, ZKVM_STATUS_PANIC);
    assert_non_null(strstr(res.reason, "reserved file descriptor 3"));
    zkvm_result_cleanup(&res);
    zkvm_program_cleanup(&prog);
    zkvm_stdin_cleanup(&in);
    zk_free(bin);
    zk_free(elf);
}

/* ------------------------------------------------------------ decoder */

static void test_decode_quirks(void **state)
{
    struct zkvm_insn d;
    (void)state;
    /* SLLI ignores funct7 */
    assert_true(zkvm_decode(rv_r(0x7f, 3, 1, 1, 2, 0x13), &d));
    assert_int_equal(d.op, ZKVM_OP_SLLI);
    assert_int_equal(d.imm, 3);
    /* SRLI/SRAI need funct7 0 or 0x20 */
    assert_true(zkvm_decode(rv_r(0x20, 3, 1, 5, 2, 0x13), &d));
    assert_int_equal(d.op, ZKVM_OP_SRAI);
    assert_false(zkvm_decode(rv_r(0x01, 3, 1, 5, 2, 0x13), &d));
    /* JALR does not check funct3 */
    assert_true(zkvm_decode(rv_i(4, 1, 7, 2, 0x67), &d));
    assert_int_equal(d.op, ZKVM_OP_JALR);
    /* FENCE -> UNIMP; FENCE.I fails */
    assert_true(zkvm_decode(RV_FENCE, &d));
    assert_int_equal(d.op, ZKVM_OP_UNIMP);
    assert_false(zkvm_decode(0x0000100f, &d));
    /* SYSTEM */
    assert_true(zkvm_decode(RV_ECALL, &d));
    assert_int_equal(d.op, ZKVM_OP_ECALL);
    assert_true(zkvm_decode(RV_EBREAK, &d));
    assert_int_equal(d.op, ZKVM_OP_EBREAK);
    assert_false(zkvm_decode(RV_ECALL | (1u << 7), &d)); /* rd != 0 */
    assert_true(zkvm_decode(0x10500073u, &d));           /* WFI */
    assert_int_equal(d.op, ZKVM_OP_UNIMP);
    assert_true(zkvm_decode(0x30200073u, &d));  /* MRET */
    assert_false(zkvm_decode(0x00200073u, &d)); /* URET-ish imm 2 */
    assert_true(zkvm_decode(0xc0002573u, &d));  /* csrr a0, cycle */
    assert_int_equal(d.op, ZKVM_OP_UNIMP);
    assert_false(zkvm_decode(0x00004073u, &d)); /* f3 = 4 */
    /* OP with bad funct7 / funct3 combos */
    assert_false(zkvm_decode(rv_r(0x20, 1, 2, 1, 3, 0x33), &d));
    assert_false(zkvm_decode(rv_r(0x02, 1, 2, 0, 3, 0x33), &d));
    /* loads/stores/branches with reserved funct3 */
    assert_false(zkvm_decode(rv_i(0, 1, 3, 2, 0x03), &d));
    assert_false(zkvm_decode(rv_s(0, 1, 2, 3), &d));
    assert_false(zkvm_decode(rv_b(8, 1, 2, 2), &d));
    /* compressed parcels and unknown opcodes */
    assert_false(zkvm_decode(0x00004501u, &d)); /* c.li a0,0 + c.nop */
    assert_false(zkvm_decode(0x00000000u, &d));
    assert_false(zkvm_decode(0xffffffffu, &d));
    /* immediates */
    assert_true(zkvm_decode(rv_b(-4, 1, 2, 0), &d));
    assert_int_equal(d.imm, 0xfffffffcu);
    assert_true(zkvm_decode(rv_j(-2048, 1), &d));
    assert_int_equal(d.imm, (uint32_t)-2048);
    assert_true(zkvm_decode(RV_SW(5, 6, -12), &d));
    assert_int_equal(d.imm, (uint32_t)-12);
    assert_int_equal(d.rs1, 6);
    assert_int_equal(d.rs2, 5);
}

/* ------------------------------------------------------- semantics */

static void test_arith_edge_cases(void **state)
{
    uint32_t c[128];
    size_t n = 0;
    struct run r;
    (void)state;
    rv_li(c, &n, 1, 0x80000000u);
    rv_li(c, &n, 2, 0xffffffffu);
    rv_li(c, &n, 3, 0);
    rv_li(c, &n, 4, 7);
    c[n++] = RV_DIV(6, 1, 2);     /* overflow -> 0x80000000 */
    c[n++] = RV_REM(7, 1, 2);     /* -> 0 */
    c[n++] = RV_DIV(8, 4, 3);     /* /0 -> -1 */
    c[n++] = RV_DIVU(9, 4, 3);    /* -> 0xffffffff */
    c[n++] = RV_REM(12, 4, 3);    /* -> 7 */
    c[n++] = RV_REMU(13, 4, 3);   /* -> 7 */
    c[n++] = RV_MULH(14, 1, 2);   /* (-2^31)*(-1) >> 32 = 0 */
    c[n++] = RV_MULHU(15, 1, 2);  /* 0x7fffffff */
    c[n++] = RV_MULHSU(16, 1, 2); /* -2^31 * (2^32-1) >> 32 = 0x80000000 */
    c[n++] = RV_MUL(17, 4, 2);    /* -7 */
    c[n++] = RV_ADDI(0, 4, 5);    /* write to x0 ignored */
    c[n++] = RV_SUB(18, 3, 4);    /* -7 */
    halt0(c, &n);
    for (int slow = 0; slow < 2; slow++) {
        assert_int_equal(
            run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, 0, NULL, slow),
            ZK_ECRYPTO);
        assert_int_equal(r.vm->regs[6], 0x80000000u);
        assert_int_equal(r.vm->regs[7], 0);
        assert_int_equal(r.vm->regs[8], 0xffffffffu);
        assert_int_equal(r.vm->regs[9], 0xffffffffu);
        assert_int_equal(r.vm->regs[12], 7);
        assert_int_equal(r.vm->regs[13], 7);
        assert_int_equal(r.vm->regs[14], 0);
        assert_int_equal(r.vm->regs[15], 0x7fffffffu);
        assert_int_equal(r.vm->regs[16], 0x80000000u);
        assert_int_equal(r.vm->regs[17], (uint32_t)-7);
        assert_int_equal(r.vm->regs[18], (uint32_t)-7);
        assert_int_equal(r.vm->regs[0], 0);
        assert_int_equal(r.res.cycles, n);
        run_done(&r);
    }
}

static void test_memory_and_alignment(void **state)
{
    uint32_t c[128], data[4] = {0x11223344u, 0x8899aabbu, 0, 0};
    size_t n = 0;
    struct run r;
    (void)state;
    rv_li(c, &n, 1, DATA_BASE);
    c[n++] = RV_LB(2, 1, 4);  /* 0xffffffbb */
    c[n++] = RV_LBU(3, 1, 7); /* 0x88 */
    c[n++] = RV_LH(4, 1, 6);  /* 0xffff8899 */
    c[n++] = RV_LHU(9, 1, 2); /* 0x1122 */
    c[n++] = RV_SB(3, 1, 9);  /* word 2 = 0x00008800 */
    c[n++] = RV_SH(4, 1, 14); /* word 3 = 0x88990000 */
    c[n++] = RV_LW(6, 1, 8);
    c[n++] = RV_LW(7, 1, 12);
    c[n++] = RV_LW(8, 1, 0x400); /* untouched bss -> 0 */
    halt0(c, &n);
    for (int slow = 0; slow < 2; slow++) {
        assert_int_equal(
            run_words(&r, c, n, data, 4, 0x1000, ZKVM_SP1_V5, 0, NULL, slow),
            ZK_ECRYPTO);
        assert_int_equal(r.vm->regs[2], 0xffffffbbu);
        assert_int_equal(r.vm->regs[3], 0x88u);
        assert_int_equal(r.vm->regs[4], 0xffff8899u);
        assert_int_equal(r.vm->regs[9], 0x1122u);
        assert_int_equal(r.vm->regs[6], 0x00008800u);
        assert_int_equal(r.vm->regs[7], 0x88990000u);
        assert_int_equal(r.vm->regs[8], 0);
        run_done(&r);
    }
    /* misaligned LW -> InvalidMemoryAccess */
    n = 0;
    rv_li(c, &n, 1, DATA_BASE);
    c[n++] = RV_LW(2, 1, 2);
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 4, 0, ZKVM_SP1_V5, 0, NULL, false), ZK_ETRAP);
    assert_int_equal(r.res.status, ZKVM_STATUS_INVALID_MEMORY_ACCESS);
    assert_int_equal(r.res.pc, TEXT_BASE + 8);
    assert_int_equal(r.res.cycles, 2);
    run_done(&r);
    /* v4+: access below 32 panics; v3: address 4 aliases x4 */
    n = 0;
    rv_li(c, &n, 1, 0x12345678u);
    c[n++] = RV_SW(1, 0, 4);
    c[n++] = RV_LW(2, 0, 4);
    halt0(c, &n);
    expect_trap(c, n, ZKVM_SP1_V4, ZKVM_STATUS_PANIC);
    assert_int_equal(
        run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V3, 0, NULL, false),
        ZK_ECRYPTO);
    assert_int_equal(r.vm->regs[4], 0x12345678u);
    assert_int_equal(r.vm->regs[2], 0x12345678u);
    run_done(&r);
    /* v4+: address >= 0x78000001 panics */
    n = 0;
    rv_li(c, &n, 1, 0x78000004u);
    c[n++] = RV_LW(2, 1, 0);
    halt0(c, &n);
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    assert_int_equal(
        run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V3, 0, NULL, false),
        ZK_ECRYPTO);
    run_done(&r);
}

static void test_control_flow_quirks(void **state)
{
    uint32_t c[64];
    size_t n = 0;
    struct run r;
    (void)state;
    /* JALR to an odd address: SP1 keeps bit 0; the fetch truncates, and
     * AUIPC/link then carry the odd pc. */
    rv_li(c, &n, 1, TEXT_BASE + 4 * 4 + 1); /* idx 0,1 */
    c[n++] = RV_JALR(2, 1, 0);              /* idx 2 */
    c[n++] = RV_ADDI(3, 0, 1);              /* idx 3: skipped */
    c[n++] = RV_AUIPC(4, 0);                /* idx 4, pc odd */
    c[n++] = RV_JAL(7, 8);                  /* idx 5 -> odd pc + 8 = idx 7 */
    c[n++] = RV_ADDI(6, 0, 1);              /* idx 6: skipped */
    halt0(c, &n);                           /* idx 7.. */
    for (int slow = 0; slow < 2; slow++) {
        assert_int_equal(
            run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, 0, NULL, slow),
            ZK_ECRYPTO);
        assert_int_equal(r.vm->regs[2], TEXT_BASE + 12);
        assert_int_equal(r.vm->regs[3], 0);
        assert_int_equal(r.vm->regs[4], TEXT_BASE + 17);
        assert_int_equal(r.vm->regs[7], TEXT_BASE + 25);
        assert_int_equal(r.vm->regs[6], 0);
        run_done(&r);
    }
    /* falling off the end of the text: a stop without HALT */
    n = 0;
    c[n++] = RV_ADDI(1, 0, 1);
    assert_int_equal(
        run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, 0, NULL, false), ZK_ETRAP);
    assert_int_equal(r.res.status, ZKVM_STATUS_PC_OUT);
    assert_int_equal(r.res.cycles, 1);
    run_done(&r);
    /* EBREAK, UNIMP (FENCE executed) */
    n = 0;
    c[n++] = RV_EBREAK;
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_BREAKPOINT);
    c[0] = RV_FENCE;
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_UNIMPLEMENTED);
    /* unknown syscall */
    n = 0;
    rv_sys(c, &n, 0x12345, 0, 0);
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_UNSUPPORTED_SYSCALL);
    /* v4-only syscall under v3 */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_U256XU2048_MUL, 0, 0);
    expect_trap(c, n, ZKVM_SP1_V3, ZKVM_STATUS_UNSUPPORTED_SYSCALL);
    /* VERIFY_SP1_PROOF is refused */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_VERIFY_SP1_PROOF, DATA_BASE, DATA_BASE);
    assert_int_equal(
        run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, 0, NULL, false),
        ZK_EUNSUPPORTED);
    assert_int_equal(r.res.status, ZKVM_STATUS_REFUSED);
    run_done(&r);
}

/* A loop of exactly `total` instructions ending with HALT. */
static size_t counted_program(uint32_t *c, uint32_t iters)
{
    size_t n = 0;
    rv_li(c, &n, 1, iters);     /* 2 */
    c[n++] = RV_ADDI(1, 1, -1); /* loop: 2 per iteration */
    c[n++] = RV_BNE(1, 0, -4);
    halt0(c, &n); /* 7 */
    return n;
}

static void test_cycle_limit_exact(void **state)
{
    uint32_t c[32];
    size_t n = counted_program(c, 100);
    uint64_t total = 2 + 2 * 100 + 7;
    struct run r;
    (void)state;
    for (int slow = 0; slow < 2; slow++) {
        /* v5 (> limit): exactly `total` passes, total - 1 fails */
        assert_int_equal(
            run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, total, NULL, slow),
            ZK_ECRYPTO); /* halted; no commit -> digest differs */
        assert_int_equal(r.res.status, ZKVM_STATUS_HALTED);
        assert_int_equal(r.res.cycles, total);
        run_done(&r);
        assert_int_equal(
            run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, total - 1, NULL, slow),
            ZK_EBUDGET);
        assert_int_equal(r.res.status, ZKVM_STATUS_CYCLE_LIMIT);
        assert_int_equal(r.res.cycles, total);
        run_done(&r);
        /* v3 (>= limit): total fails even though the last one is HALT */
        assert_int_equal(
            run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V3, total, NULL, slow),
            ZK_EBUDGET);
        assert_int_equal(r.res.cycles, total);
        run_done(&r);
        assert_int_equal(
            run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V3, total + 1, NULL, slow),
            ZK_ECRYPTO);
        run_done(&r);
        assert_int_equal(run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5,
                                   UINT64_MAX, NULL, slow),
                         ZK_ECRYPTO);
        run_done(&r);
    }
}

/* Writes "abc" to PV fd, commits sha256("abc"), halts. */
static void test_public_values_and_commit(void **state)
{
    static const uint8_t abc_sha[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
        0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
        0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    uint32_t c[256], data[1] = {0x00636261u};
    size_t n = 0;
    struct run r;
    (void)state;
    for (int v = 3; v <= 5; v += 2) {
        n = 0;
        rv_li(c, &n, 12, 3);
        rv_sys(c, &n, ZKVM_SYS_WRITE, v == 3 ? 3 : 13, DATA_BASE);
        for (int k = 0; k < 8; k++) {
            rv_sys(c, &n, ZKVM_SYS_COMMIT, (uint32_t)k,
                   (uint32_t)abc_sha[4 * k] |
                       ((uint32_t)abc_sha[4 * k + 1] << 8) |
                       ((uint32_t)abc_sha[4 * k + 2] << 16) |
                       ((uint32_t)abc_sha[4 * k + 3] << 24));
        }
        halt0(c, &n);
        assert_int_equal(run_words(&r, c, n, data, 1, 0, (enum zkvm_sp1_major)v,
                                   0, NULL, false),
                         ZK_OK);
        assert_int_equal(r.res.public_values_len, 3);
        assert_memory_equal(r.res.public_values, "abc", 3);
        assert_true(r.res.digest_matches);
        assert_int_equal(r.vm->regs[5], ZKVM_SYS_HALT); /* t0 = id */
        run_done(&r);
    }
    /* COMMIT index 8 panics */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_COMMIT, 8, 0);
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_PANIC);
    /* stdout capture, non-UTF-8 panics */
    n = 0;
    rv_li(c, &n, 12, 3);
    rv_sys(c, &n, ZKVM_SYS_WRITE, 1, DATA_BASE);
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 1, 0, ZKVM_SP1_V5, 0, NULL, false),
        ZK_ECRYPTO);
    assert_int_equal(r.res.out_stdout_len, 3);
    assert_memory_equal(r.res.out_stdout, "abc", 3);
    run_done(&r);
    data[0] = 0x00ff6261u;
    assert_int_equal(
        run_words(&r, c, n, data, 1, 0, ZKVM_SP1_V5, 0, NULL, false), ZK_ETRAP);
    assert_int_equal(r.res.status, ZKVM_STATUS_PANIC);
    run_done(&r);
}

static void test_hints(void **state)
{
    uint32_t c[256], data[8] = {0};
    size_t n = 0;
    struct zkvm_stdin in;
    static const uint8_t item[6] = {1, 2, 3, 4, 5, 6};
    struct run r;
    (void)state;
    zkvm_stdin_init(&in);
    assert_int_equal(zkvm_stdin_add(&in, item, 6), ZK_OK);

    /* HINT_LEN; HINT_READ beyond the image (bss words are part of the
     * image, hence materialised) */
    rv_sys(c, &n, ZKVM_SYS_HINT_LEN, 0, 0);
    c[n++] = RV_ADDI(20, 5, 0); /* x20 = len */
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2100, 6);
    rv_li(c, &n, 1, DATA_BASE + 0x2000);
    c[n++] = RV_LW(21, 1, 0x100);
    c[n++] = RV_LW(22, 1, 0x104);
    rv_sys(c, &n, ZKVM_SYS_HINT_LEN, 0, 0); /* empty: v5 -> 0xffffffff */
    c[n++] = RV_ADDI(23, 5, 0);
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V5, 0, &in, false),
        ZK_ECRYPTO);
    assert_int_equal(r.vm->regs[20], 6);
    assert_int_equal(r.vm->regs[21], 0x04030201u);
    assert_int_equal(r.vm->regs[22], 0x00000605u);
    assert_int_equal(r.vm->regs[23], 0xffffffffu);
    run_done(&r);
    /* v3: HINT_LEN on empty input panics */
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V3, 0, &in, false),
        ZK_ETRAP);
    assert_int_equal(r.res.status, ZKVM_STATUS_PANIC);
    run_done(&r);

    /* hint into a touched word is ignored; peek (WRITE) sees zeros */
    n = 0;
    rv_li(c, &n, 1, DATA_BASE + 0x2000);
    c[n++] = RV_LW(2, 1, 0x200); /* touch word 0x200 */
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2200, 6);
    rv_li(c, &n, 12, 4);
    rv_sys(c, &n, ZKVM_SYS_WRITE, 13, DATA_BASE + 0x2204); /* peek: 0 */
    rv_li(c, &n, 1, DATA_BASE + 0x2000);
    c[n++] = RV_LW(21, 1, 0x200); /* stays 0 */
    c[n++] = RV_LW(22, 1, 0x204); /* first touch: 0x0605 */
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V5, 0, &in, false),
        ZK_ECRYPTO);
    assert_int_equal(r.vm->regs[21], 0);
    assert_int_equal(r.vm->regs[22], 0x0605u);
    assert_int_equal(r.res.public_values_len, 4);
    assert_memory_equal(r.res.public_values, "\0\0\0\0", 4);
    run_done(&r);

    /* length mismatch, unaligned pointer, duplicate address, empty queue */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2100, 5);
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V5, 0, &in, false),
        ZK_ETRAP);
    assert_non_null(strstr(r.res.reason, "length"));
    run_done(&r);
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2102, 6);
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V5, 0, &in, false),
        ZK_ETRAP);
    run_done(&r);
    assert_int_equal(zkvm_stdin_add(&in, item, 6), ZK_OK);
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2100, 6);
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2104, 6);
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V5, 0, &in, false),
        ZK_ETRAP);
    assert_non_null(strstr(r.res.reason, "already in use"));
    run_done(&r);
    zkvm_stdin_cleanup(&in);
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_HINT_READ, DATA_BASE + 0x2100, 6);
    assert_int_equal(
        run_words(&r, c, n, data, 8, 0x1000, ZKVM_SP1_V5, 0, NULL, false),
        ZK_ETRAP);
    run_done(&r);
}

static void test_hint_fd_order(void **state)
{
    /* v5: WRITE to fd 14 pushes at the front; v3 fd 4 appends */
    uint32_t c[256], data[2] = {0x44434241u, 0};
    size_t n = 0;
    struct zkvm_stdin in;
    static const uint8_t item[2] = {9, 9};
    struct run r;
    (void)state;
    zkvm_stdin_init(&in);
    assert_int_equal(zkvm_stdin_add(&in, item, 2), ZK_OK);
    for (int v = 3; v <= 5; v += 2) {
        n = 0;
        rv_li(c, &n, 12, 4);
        rv_sys(c, &n, ZKVM_SYS_WRITE, v == 3 ? 4 : 14, DATA_BASE);
        rv_sys(c, &n, ZKVM_SYS_HINT_LEN, 0, 0);
        c[n++] = RV_ADDI(20, 5, 0);
        halt0(c, &n);
        assert_int_equal(run_words(&r, c, n, data, 2, 0, (enum zkvm_sp1_major)v,
                                   0, &in, false),
                         ZK_ECRYPTO);
        assert_int_equal(r.vm->regs[20], v == 3 ? 2 : 4);
        assert_int_equal(r.res.stdin_unread, 2);
        run_done(&r);
    }
    /* v4+: reserved fd panics, unknown fd is ignored */
    n = 0;
    rv_li(c, &n, 12, 1);
    rv_sys(c, &n, ZKVM_SYS_WRITE, 7, DATA_BASE);
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 2, 0, ZKVM_SP1_V5, 0, &in, false), ZK_ETRAP);
    assert_int_equal(r.res.status, ZKVM_STATUS_PANIC);
    run_done(&r);
    n = 0;
    rv_li(c, &n, 12, 1);
    rv_sys(c, &n, ZKVM_SYS_WRITE, 99, DATA_BASE);
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 2, 0, ZKVM_SP1_V5, 0, &in, false),
        ZK_ECRYPTO);
    assert_int_equal(r.res.status, ZKVM_STATUS_HALTED);
    run_done(&r);
    zkvm_stdin_cleanup(&in);
}

/* WRITE to a hook fd: the response items go to the front of the input, in
 * order (fd 20 = fp_sqrt, v4.1+): sqrt(2) mod 7 -> [[1], [4]]. */
static void test_hook_push_order(void **state)
{
    /* len = 1 (u32 BE), x = 2, p = 7, nqr = 3 */
    uint32_t c[256], data[2] = {0x01000000u, 0x00030702u};
    size_t n = 0;
    struct zkvm_stdin in;
    static const uint8_t item[2] = {9, 9};
    struct run r;
    (void)state;
    zkvm_stdin_init(&in);
    assert_int_equal(zkvm_stdin_add(&in, item, 2), ZK_OK);
    rv_li(c, &n, 12, 7);
    rv_sys(c, &n, ZKVM_SYS_WRITE, 20, DATA_BASE);
    for (int k = 0; k < 3; k++) {
        rv_sys(c, &n, ZKVM_SYS_HINT_LEN, 0, 0);
        c[n++] = RV_ADDI(20 + (uint32_t)k, 5, 0);
        c[n++] = RV_ADDI(11, 5, 0);
        rv_li(c, &n, 10, DATA_BASE + 0x4000 + 0x10 * (uint32_t)k);
        rv_li(c, &n, 5, ZKVM_SYS_HINT_READ);
        c[n++] = RV_ECALL;
    }
    rv_li(c, &n, 1, DATA_BASE + 0x4000);
    c[n++] = RV_LW(23, 1, 0);
    c[n++] = RV_LW(24, 1, 0x10);
    c[n++] = RV_LW(25, 1, 0x20);
    halt0(c, &n);
    assert_int_equal(
        run_words(&r, c, n, data, 2, 0, ZKVM_SP1_V5, 0, &in, false),
        ZK_ECRYPTO);
    assert_int_equal(r.res.status, ZKVM_STATUS_HALTED);
    assert_int_equal(r.vm->regs[20], 1);
    assert_int_equal(r.vm->regs[21], 1);
    assert_int_equal(r.vm->regs[22], 2);
    assert_int_equal(r.vm->regs[23], 1);
    assert_int_equal(r.vm->regs[24], 4);
    assert_int_equal(r.vm->regs[25], 0x0909);
    run_done(&r);
    /* v3 has no hook on fd 20: ignored, the queue is unchanged */
    assert_int_equal(
        run_words(&r, c, n, data, 2, 0, ZKVM_SP1_V3, 0, &in, false), ZK_ETRAP);
    run_done(&r);
    zkvm_stdin_cleanup(&in);
}

static void test_unconstrained(void **state)
{
    uint32_t c[256], data[2] = {0x1111u, 0};
    size_t n = 0, beq;
    struct run r;
    (void)state;
    rv_li(c, &n, 20, 5);
    rv_sys(c, &n, ZKVM_SYS_ENTER_UNCONSTRAINED, 0, 0); /* t0 = 1 */
    c[n++] = RV_ADDI(21, 5, 0);                        /* x21 = t0 */
    beq = n++;                                         /* t0 == 0: skip */
    rv_li(c, &n, 20, 99);
    rv_li(c, &n, 1, DATA_BASE);
    c[n++] = RV_SW(20, 1, 0);    /* image word */
    c[n++] = RV_SW(20, 1, 0x80); /* fresh word */
    rv_li(c, &n, 12, 1);
    rv_sys(c, &n, ZKVM_SYS_WRITE, 13, DATA_BASE); /* sticks */
    rv_sys(c, &n, ZKVM_SYS_EXIT_UNCONSTRAINED, 0, 0);
    c[beq] = RV_BEQ(5, 0, (int32_t)(4 * (n - beq)));
    /* after the block */
    rv_li(c, &n, 1, DATA_BASE);
    c[n++] = RV_LW(22, 1, 0);
    c[n++] = RV_LW(23, 1, 0x80);
    halt0(c, &n);
    for (int slow = 0; slow < 2; slow++) {
        assert_int_equal(
            run_words(&r, c, n, data, 2, 0x100, ZKVM_SP1_V5, 0, NULL, slow),
            ZK_ECRYPTO);
        assert_int_equal(r.res.status, ZKVM_STATUS_HALTED);
        /* rolled back: registers and memory */
        assert_int_equal(r.vm->regs[20], 5);
        assert_int_equal(r.vm->regs[22], 0x1111u);
        assert_int_equal(r.vm->regs[23], 0);
        /* the ENTER ecall saw t0 = 1 in the block, 0 after EXIT */
        assert_int_equal(r.vm->regs[21], 0);
        /* WRITE effects stick */
        assert_int_equal(r.res.public_values_len, 1);
        /* cycles: li(2) + ENTER sys(7) + addi + beq(taken) + li + 2 lw +
         * halt(7) */
        assert_int_equal(r.res.cycles, 2 + 7 + 1 + 1 + 2 + 2 + 7);
        run_done(&r);
    }
    /* an endless loop inside a block: SP1 v5 would not stop; the guard
     * bounds it by the cycle limit */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_ENTER_UNCONSTRAINED, 0, 0);
    c[n++] = RV_JAL(0, 0);
    assert_int_equal(
        run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, 1000, NULL, false),
        ZK_EBUDGET);
    assert_int_equal(r.res.status, ZKVM_STATUS_CYCLE_LIMIT);
    run_done(&r);
    /* HALT inside an unconstrained block -> InvalidSyscallUsage */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_ENTER_UNCONSTRAINED, 0, 0);
    halt0(c, &n);
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_INVALID_SYSCALL_USAGE);
    /* ending in unconstrained mode */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_ENTER_UNCONSTRAINED, 0, 0);
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_END_IN_UNCONSTRAINED);
    /* nested ENTER panics */
    n = 0;
    rv_sys(c, &n, ZKVM_SYS_ENTER_UNCONSTRAINED, 0, 0);
    rv_sys(c, &n, ZKVM_SYS_ENTER_UNCONSTRAINED, 0, 0);
    expect_trap(c, n, ZKVM_SP1_V5, ZKVM_STATUS_INVALID_SYSCALL_USAGE);
}

/* Random straight-line + forward-branch programs: fast == reference. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)rng_state;
}

static size_t random_program(uint32_t *c, size_t max)
{
    static const uint32_t interesting[] = {
        0, 1, 2, 0xffffffffu, 0x80000000u, 0x7fffffffu, 0xfffff800u, 31, 32};
    size_t n = 0;
    rv_li(c, &n, 8, DATA_BASE); /* s0 = data */
    for (uint32_t r = 1; r < 32; r++) {
        if (r == 8) {
            continue;
        }
        rv_li(c, &n, r,
              rnd() % 3 ? rnd()
                        : interesting[rnd() % ZK_ARRAY_LEN(interesting)]);
    }
    while (n + 40 < max) {
        uint32_t rd = 1 + rnd() % 31, a = rnd() % 32, b = rnd() % 32;
        uint32_t kind = rnd() % 10;
        if (rd == 8) {
            rd = 9;
        }
        if (kind < 4) {
            static const uint32_t f7f3[][2] = {
                {0, 0}, {0x20, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4},
                {0, 5}, {0x20, 5}, {0, 6}, {0, 7}, {1, 0}, {1, 1},
                {1, 2}, {1, 3},    {1, 4}, {1, 5}, {1, 6}, {1, 7}};
            uint32_t k = rnd() % ZK_ARRAY_LEN(f7f3);
            c[n++] = rv_r(f7f3[k][0], b, a, f7f3[k][1], rd, 0x33);
        } else if (kind < 6) {
            uint32_t f3 = rnd() % 8;
            int32_t imm = (int32_t)(rnd() % 4096) - 2048;
            if (f3 == 1) {
                imm &= 31;
            }
            if (f3 == 5) {
                imm = (imm & 31) | ((rnd() & 1) ? 0x400 : 0);
            }
            c[n++] = rv_i(imm, a, f3, rd, 0x13);
        } else if (kind < 8) {
            static const uint32_t lf3[] = {0, 1, 2, 4, 5};
            uint32_t f3 = lf3[rnd() % 5];
            int32_t off = (int32_t)(rnd() % 512) & ~((1 << (f3 & 3)) - 1);
            if ((f3 & 3) == 2) {
                off &= ~3;
            }
            if (rnd() & 1) {
                c[n++] = rv_i(off, 8, f3, rd, 0x03);
            } else {
                c[n++] = rv_s(off, b, 8, f3 & 3);
            }
        } else if (kind < 9) {
            static const uint32_t bf3[] = {0, 1, 4, 5, 6, 7};
            uint32_t skip = 1 + rnd() % 3;
            c[n++] = rv_b((int32_t)(4 * (skip + 1)), b, a, bf3[rnd() % 6]);
            for (uint32_t k = 0; k < skip; k++) {
                c[n++] = RV_ADDI(rd, a, (int32_t)(rnd() % 100));
            }
        } else {
            c[n++] = RV_LUI(rd, rnd() & 0xfffff);
            c[n++] = RV_AUIPC(rd == 31 ? 30 : rd + 1, rnd() & 0xfffff);
        }
    }
    halt0(c, &n);
    return n;
}

static void test_fast_vs_reference_random(void **state)
{
    enum { MAXN = 600 };
    uint32_t *c = zk_calloc(MAXN, sizeof(uint32_t));
    uint32_t data[128];
    int rounds = quick() ? 20 : 200;
    (void)state;
    assert_non_null(c);
    for (int round = 0; round < rounds; round++) {
        struct run f, s;
        size_t n = random_program(c, MAXN);
        for (size_t k = 0; k < ZK_ARRAY_LEN(data); k++) {
            data[k] = rnd();
        }
        run_words(&f, c, n, data, ZK_ARRAY_LEN(data), 0, ZKVM_SP1_V5, 0, NULL,
                  false);
        run_words(&s, c, n, data, ZK_ARRAY_LEN(data), 0, ZKVM_SP1_V5, 0, NULL,
                  true);
        assert_int_equal(f.err, s.err);
        assert_int_equal(f.res.status, s.res.status);
        assert_int_equal(f.res.cycles, s.res.cycles);
        assert_memory_equal(f.vm->regs, s.vm->regs, 32 * sizeof(uint32_t));
        for (uint32_t k = 0; k < ZK_ARRAY_LEN(data); k++) {
            uint32_t a, b;
            assert_int_equal(
                zkvm_mem_peek_words(f.vm, DATA_BASE + 4 * k, &a, 1), ZK_OK);
            assert_int_equal(
                zkvm_mem_peek_words(s.vm, DATA_BASE + 4 * k, &b, 1), ZK_OK);
            assert_int_equal(a, b);
        }
        run_done(&f);
        run_done(&s);
    }
    zk_free(c);
}

/* ------------------------------------------------------ hostile ELFs */

static void test_hostile_elfs(void **state)
{
    uint32_t c[16];
    size_t n = 0, len, flen;
    uint8_t *elf, *fx;
    struct zkvm_program p;
    (void)state;
    halt0(c, &n);
    elf = rv_elf(c, n, c, 2, 0x100, &len);
    assert_non_null(elf);
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_OK);
    assert_int_equal(p.pc_start, TEXT_BASE);
    assert_int_equal(p.pc_base, TEXT_BASE);
    assert_int_equal(p.n_insns, n);
    assert_int_equal(p.n_image, n + 2 + 0x40);
    zkvm_program_cleanup(&p);

    /* every truncation fails cleanly */
    for (size_t k = 0; k < len; k++) {
        assert_int_not_equal(zkvm_program_load(&p, elf, k, ZKVM_SP1_AUTO),
                             ZK_OK);
    }
    /* 64-bit */
    elf[4] = 2;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO),
                     ZK_EUNSUPPORTED);
    elf[4] = 1;
    /* wrong machine, type, endianness */
    elf[18] = 62;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_EINVAL);
    elf[18] = 243;
    elf[16] = 3;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_EINVAL);
    elf[16] = 2;
    /* misaligned entry */
    elf[24] = 0x02;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_EINVAL);
    elf[24] = 0x00;
    /* too many program headers */
    elf[44] = 0x01;
    elf[45] = 0x01;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_EINVAL);
    elf[44] = 2;
    elf[45] = 0;
    /* data segment made W+X: v5 rejects, v3 accepts */
    elf[52 + 32 + 24] = 7;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_EINVAL);
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V3), ZK_OK);
    zkvm_program_cleanup(&p);
    elf[52 + 32 + 24] = 6;
    /* overlapping segments: strict (v4.1.6+/v5) reject, v3 later wins */
    elf[52 + 32 + 8] = 0x00; /* data vaddr -> TEXT_BASE */
    elf[52 + 32 + 9] = 0x08;
    elf[52 + 32 + 10] = 0x20;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_EINVAL);
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V3), ZK_OK);
    assert_int_equal(p.image[0].addr, TEXT_BASE);
    assert_int_equal(p.image[0].value, c[0]); /* data word 0 == c[0] */
    zkvm_program_cleanup(&p);
    elf[52 + 32 + 9] = 0x00;
    elf[52 + 32 + 10] = 0x30;
    /* huge memsz -> limit, file offset past EOF -> invalid */
    elf[52 + 32 + 23] = 0x7f;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V3), ZK_ELIMIT);
    elf[52 + 32 + 23] = 0x00;
    elf[52 + 32 + 6] = 0x10;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V3), ZK_EINVAL);
    elf[52 + 32 + 6] = 0x00;
    /* v5: address beyond the BabyBear prime */
    elf[52 + 32 + 11] = 0x78;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_EINVAL);
    elf[52 + 32 + 11] = 0x00;
    /* undecodable word in the text */
    elf[0x100] = 0x00;
    elf[0x101] = 0x00;
    elf[0x102] = 0x00;
    elf[0x103] = 0x00;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_EINVAL);
    /* no executable segment */
    elf[52 + 24] = 4;
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V3), ZK_EINVAL);
    zk_free(elf);

    /* random byte flips of a real fixture: no crash, any result */
    fx = fixture_read("elf", "sp1-v4.1_sp1-tee-fibonacci.elf", &flen);
    for (int k = 0; k < (quick() ? 50 : 500); k++) {
        size_t pos = rnd() % (k % 2 ? 64 + 256 : flen);
        uint8_t old = fx[pos];
        enum zk_err err;
        fx[pos] ^= (uint8_t)(1 + rnd() % 255);
        err = zkvm_program_load(&p, fx, flen, ZKVM_SP1_AUTO);
        if (!err) {
            zkvm_program_cleanup(&p);
        }
        fx[pos] = old;
    }
    zk_free(fx);
}

static void test_version_detection(void **state)
{
    static const char s4[] = "xx/sp1-zkvm-4.1.7/src/lib.rs";
    uint32_t c[16];
    size_t n = 0, len;
    uint8_t *elf, *big;
    struct zkvm_program p;
    (void)state;
    halt0(c, &n);
    elf = rv_elf(c, n, NULL, 0, 0, &len);
    assert_non_null(elf);
    /* nothing in it: v5 by default */
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_AUTO), ZK_OK);
    assert_int_equal(p.version.major, ZKVM_SP1_V5);
    assert_int_equal(p.version.source, ZKVM_VERSION_DEFAULT);
    zkvm_program_cleanup(&p);
    big = zk_calloc(1, len + sizeof(s4));
    memcpy(big, elf, len);
    memcpy(big + len, s4, sizeof(s4));
    assert_int_equal(
        zkvm_program_load(&p, big, len + sizeof(s4), ZKVM_SP1_AUTO), ZK_OK);
    assert_int_equal(p.version.major, ZKVM_SP1_V4);
    assert_int_equal(p.version.minor, 1);
    assert_int_equal(p.version.patch, 7);
    assert_true(p.version.is_detected);
    assert_string_equal(p.version.text, "4.1.7");
    assert_true(zkvm_version_ge(&p.version, 4, 1, 6));
    assert_false(zkvm_version_ge(&p.version, 4, 2, 0));
    zkvm_program_cleanup(&p);
    /* forced to the same major keeps minor/patch */
    assert_int_equal(zkvm_program_load(&p, big, len + sizeof(s4), ZKVM_SP1_V4),
                     ZK_OK);
    assert_int_equal(p.version.minor, 1);
    assert_false(p.version.is_detected);
    zkvm_program_cleanup(&p);
    assert_int_equal(zkvm_program_load(&p, big, len + sizeof(s4), ZKVM_SP1_V3),
                     ZK_OK);
    assert_int_equal(p.version.major, ZKVM_SP1_V3);
    assert_int_equal(p.version.minor, -1);
    zkvm_program_cleanup(&p);
    assert_int_equal(
        zkvm_program_load(&p, big, len + sizeof(s4), (enum zkvm_sp1_major)6),
        ZK_EINVAL);
    zk_free(big);
    zk_free(elf);
}

/* ------------------------------------------------------------ stdin */

static void test_stdin_parsers(void **state)
{
    struct zkvm_stdin s;
    static const uint8_t good[] = {
        2, 0, 0, 0, 0, 0, 0, 0,                               /* 2 items */
        1, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0, 0, 0, 0, 0, 0, 0, 0, /* [aa], [] */
        0, 0, 0, 0, 0, 0, 0, 0, 0,    0, 0, 0, 0, 0, 0, 0};
    uint8_t bad[sizeof(good)];
    (void)state;
    zkvm_stdin_init(&s);
    assert_int_equal(zkvm_stdin_parse_bincode(&s, good, sizeof(good)), ZK_OK);
    assert_int_equal(s.n, 2);
    assert_int_equal(s.items[0].len, 1);
    assert_int_equal(s.items[0].data[0], 0xaa);
    assert_int_equal(s.items[1].len, 0);
    zkvm_stdin_cleanup(&s);
    /* every truncation except "items only" fails */
    for (size_t k = 0; k < sizeof(good); k++) {
        enum zk_err e;
        zkvm_stdin_init(&s);
        e = zkvm_stdin_parse_bincode(&s, good, k);
        assert_true(e != ZK_OK || k == 25);
        zkvm_stdin_cleanup(&s);
    }
    /* huge count / huge length / proofs */
    memcpy(bad, good, sizeof(good));
    bad[7] = 0x10;
    zkvm_stdin_init(&s);
    assert_int_equal(zkvm_stdin_parse_bincode(&s, bad, sizeof(bad)), ZK_ELIMIT);
    zkvm_stdin_cleanup(&s);
    memcpy(bad, good, sizeof(good));
    bad[15] = 0xff;
    zkvm_stdin_init(&s);
    assert_int_equal(zkvm_stdin_parse_bincode(&s, bad, sizeof(bad)), ZK_EINVAL);
    zkvm_stdin_cleanup(&s);
    memcpy(bad, good, sizeof(good));
    bad[sizeof(bad) - 8] = 1;
    zkvm_stdin_init(&s);
    assert_int_equal(zkvm_stdin_parse_bincode(&s, bad, sizeof(bad)),
                     ZK_EUNSUPPORTED);
    zkvm_stdin_cleanup(&s);

    {
        static const char *ok[] = {
            "{\"buffer\":[[1,2,255],[]],\"ptr\":0,\"proofs\":[]}",
            " { \"proofs\" : [ ] , \"buffer\" : [ [ 0 ] ] } ",
            "{\"buffer\":[]}",
        };
        static const char *no[] = {
            "",
            "{}",
            "[]",
            "{\"buffer\":[[256]]}",
            "{\"buffer\":[[-1]]}",
            "{\"buffer\":[[1.5]]}",
            "{\"buffer\":[[01]]}",
            "{\"buffer\":[[1,]]}",
            "{\"buffer\":[[1]],}",
            "{\"buffer\":[[1]]} x",
            "{\"buffer\":[[1]],\"buffer\":[]}",
            "{\"buffer\":[[1]],\"extra\":1}",
            "{\"buf\\u0066er\":[]}",
            "{\"buffer\":[\"AQI=\"]}",
            "{\"buffer\":[[1]]",
            "{\"buffer\":[[1]],\"proofs\":[[1]]}",
        };
        for (size_t k = 0; k < ZK_ARRAY_LEN(ok); k++) {
            zkvm_stdin_init(&s);
            assert_int_equal(zkvm_stdin_parse_json(&s, ok[k], strlen(ok[k])),
                             ZK_OK);
            zkvm_stdin_cleanup(&s);
        }
        for (size_t k = 0; k < ZK_ARRAY_LEN(no); k++) {
            zkvm_stdin_init(&s);
            assert_int_not_equal(
                zkvm_stdin_parse_json(&s, no[k], strlen(no[k])), ZK_OK);
            zkvm_stdin_cleanup(&s);
        }
        zkvm_stdin_init(&s);
        assert_int_equal(zkvm_stdin_parse_json(&s, ok[0], strlen(ok[0])),
                         ZK_OK);
        assert_int_equal(s.n, 2);
        assert_int_equal(s.items[0].len, 3);
        assert_int_equal(s.items[0].data[2], 255);
        zkvm_stdin_cleanup(&s);
    }
}

static void test_memory_ceiling(void **state)
{
    /* touch one word per page over 64 MiB with a 16 MiB ceiling */
    uint32_t c[64];
    size_t n = 0, len;
    uint8_t *elf;
    struct zkvm_program p;
    struct zkvm *vm;
    struct zkvm_limits lim;
    struct zkvm_result res;
    (void)state;
    rv_li(c, &n, 1, 0x01000000u);
    rv_li(c, &n, 2, 0x05000000u);
    rv_li(c, &n, 3, 4096);
    c[n++] = RV_SW(0, 1, 0);
    c[n++] = RV_ADD(1, 1, 3);
    c[n++] = RV_BNE(1, 2, -8);
    halt0(c, &n);
    elf = rv_elf(c, n, NULL, 0, 0, &len);
    assert_non_null(elf);
    assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_OK);
    zkvm_limits_default(&lim);
    lim.max_memory = 16u << 20;
    assert_int_equal(zkvm_new(&vm, &p, NULL, &lim), ZK_OK);
    assert_int_equal(zkvm_run(vm, &res), ZK_EBUDGET);
    assert_int_equal(res.status, ZKVM_STATUS_MEMORY_LIMIT);
    assert_true(res.memory_bytes <= lim.max_memory);
    zkvm_result_cleanup(&res);
    zkvm_free(vm);
    zkvm_program_cleanup(&p);
    zk_free(elf);
}

/* Repeated large WRITEs hit the total-bytes ceiling (host time bound). */
static void test_write_total_ceiling(void **state)
{
    uint32_t c[64];
    size_t n = 0;
    struct run r;
    (void)state;
    if (quick()) {
        skip();
    }
    rv_li(c, &n, 12, 32u << 20); /* 32 MiB per WRITE */
    rv_li(c, &n, 10, 99);        /* unknown fd: ignored */
    rv_li(c, &n, 11, DATA_BASE);
    rv_li(c, &n, 5, ZKVM_SYS_WRITE);
    c[n++] = RV_ECALL;
    c[n++] = RV_JAL(0, -4 * 3); /* back to li t0 */
    assert_int_equal(
        run_words(&r, c, n, NULL, 0, 0, ZKVM_SP1_V5, 0, NULL, false),
        ZK_EBUDGET);
    assert_int_equal(r.res.status, ZKVM_STATUS_MEMORY_LIMIT);
    assert_non_null(strstr(r.res.reason, "in total"));
    run_done(&r);
}

/* The wall-clock budget stops endless loops, with and without syscalls, on
 * both paths, when no cycle limit is set. */
static void test_wall_clock_budget(void **state)
{
    uint32_t c[64];
    size_t n;
    (void)state;
    for (int kind = 0; kind < 3; kind++) {
        size_t len = 0;
        uint8_t *elf;
        struct zkvm_program p;
        struct zkvm *vm;
        struct zkvm_limits lim;
        struct zkvm_result res;
        n = 0;
        if (kind == 2) {
            rv_li(c, &n, 5, ZKVM_SYS_HINT_LEN);
            c[n++] = RV_ECALL;
            c[n++] = RV_JAL(0, -12);
        } else {
            c[n++] = RV_ADDI(1, 1, 1);
            c[n++] = RV_JAL(0, -4);
        }
        elf = rv_elf(c, n, NULL, 0, 0, &len);
        assert_non_null(elf);
        assert_int_equal(zkvm_program_load(&p, elf, len, ZKVM_SP1_V5), ZK_OK);
        zkvm_limits_default(&lim);
        lim.max_wall_ms = 100;
        assert_int_equal(zkvm_new(&vm, &p, NULL, &lim), ZK_OK);
        vm->force_slow = kind == 1;
        assert_int_equal(zkvm_run(vm, &res), ZK_EBUDGET);
        assert_int_equal(res.status, ZKVM_STATUS_TIME_LIMIT);
        assert_true(res.cycles > 0);
        zkvm_result_cleanup(&res);
        zkvm_free(vm);
        zkvm_program_cleanup(&p);
        zk_free(elf);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fixture_cases),
        cmocka_unit_test(test_fixture_bincode_stdin),
        cmocka_unit_test(test_decode_quirks),
        cmocka_unit_test(test_arith_edge_cases),
        cmocka_unit_test(test_memory_and_alignment),
        cmocka_unit_test(test_control_flow_quirks),
        cmocka_unit_test(test_cycle_limit_exact),
        cmocka_unit_test(test_public_values_and_commit),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_hint_fd_order),
        cmocka_unit_test(test_hook_push_order),
        cmocka_unit_test(test_unconstrained),
        cmocka_unit_test(test_fast_vs_reference_random),
        cmocka_unit_test(test_hostile_elfs),
        cmocka_unit_test(test_version_detection),
        cmocka_unit_test(test_stdin_parsers),
        cmocka_unit_test(test_memory_ceiling),
        cmocka_unit_test(test_write_total_ceiling),
        cmocka_unit_test(test_wall_clock_budget),
    };
    zk_log_set_level(ZK_LOG_SILENT);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
