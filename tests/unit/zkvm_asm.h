/*
 * zkvm_asm.h - tiny RV32IM encoder and ELF32 builder for executor tests
 * (header-only, test code). Encodings follow the RISC-V unprivileged spec.
 */
#ifndef ZK_TESTS_ZKVM_ASM_H
#define ZK_TESTS_ZKVM_ASM_H

#include <stdint.h>
#include <string.h>

#include "base/mem.h"

static inline uint32_t rv_r(uint32_t f7, uint32_t rs2, uint32_t rs1,
                            uint32_t f3, uint32_t rd, uint32_t op)
{
    return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static inline uint32_t rv_i(int32_t imm, uint32_t rs1, uint32_t f3, uint32_t rd,
                            uint32_t op)
{
    return ((uint32_t)imm << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}

static inline uint32_t rv_s(int32_t imm, uint32_t rs2, uint32_t rs1,
                            uint32_t f3)
{
    uint32_t u = (uint32_t)imm;
    return (((u >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
           ((u & 0x1f) << 7) | 0x23;
}

static inline uint32_t rv_b(int32_t imm, uint32_t rs2, uint32_t rs1,
                            uint32_t f3)
{
    uint32_t u = (uint32_t)imm;
    return (((u >> 12) & 1) << 31) | (((u >> 5) & 0x3f) << 25) | (rs2 << 20) |
           (rs1 << 15) | (f3 << 12) | (((u >> 1) & 0xf) << 8) |
           (((u >> 11) & 1) << 7) | 0x63;
}

static inline uint32_t rv_u(uint32_t imm20, uint32_t rd, uint32_t op)
{
    return (imm20 << 12) | (rd << 7) | op;
}

static inline uint32_t rv_j(int32_t imm, uint32_t rd)
{
    uint32_t u = (uint32_t)imm;
    return (((u >> 20) & 1) << 31) | (((u >> 1) & 0x3ff) << 21) |
           (((u >> 11) & 1) << 20) | (((u >> 12) & 0xff) << 12) | (rd << 7) |
           0x6f;
}

#define RV_ADDI(rd, rs, imm) rv_i((imm), (rs), 0, (rd), 0x13)
#define RV_ADD(rd, a, b)     rv_r(0, (b), (a), 0, (rd), 0x33)
#define RV_SUB(rd, a, b)     rv_r(0x20, (b), (a), 0, (rd), 0x33)
#define RV_MUL(rd, a, b)     rv_r(1, (b), (a), 0, (rd), 0x33)
#define RV_MULH(rd, a, b)    rv_r(1, (b), (a), 1, (rd), 0x33)
#define RV_MULHSU(rd, a, b)  rv_r(1, (b), (a), 2, (rd), 0x33)
#define RV_MULHU(rd, a, b)   rv_r(1, (b), (a), 3, (rd), 0x33)
#define RV_DIV(rd, a, b)     rv_r(1, (b), (a), 4, (rd), 0x33)
#define RV_DIVU(rd, a, b)    rv_r(1, (b), (a), 5, (rd), 0x33)
#define RV_REM(rd, a, b)     rv_r(1, (b), (a), 6, (rd), 0x33)
#define RV_REMU(rd, a, b)    rv_r(1, (b), (a), 7, (rd), 0x33)
#define RV_LUI(rd, imm20)    rv_u((imm20), (rd), 0x37)
#define RV_AUIPC(rd, imm20)  rv_u((imm20), (rd), 0x17)
#define RV_LB(rd, rs, imm)   rv_i((imm), (rs), 0, (rd), 0x03)
#define RV_LH(rd, rs, imm)   rv_i((imm), (rs), 1, (rd), 0x03)
#define RV_LW(rd, rs, imm)   rv_i((imm), (rs), 2, (rd), 0x03)
#define RV_LBU(rd, rs, imm)  rv_i((imm), (rs), 4, (rd), 0x03)
#define RV_LHU(rd, rs, imm)  rv_i((imm), (rs), 5, (rd), 0x03)
#define RV_SB(rs2, rs1, imm) rv_s((imm), (rs2), (rs1), 0)
#define RV_SH(rs2, rs1, imm) rv_s((imm), (rs2), (rs1), 1)
#define RV_SW(rs2, rs1, imm) rv_s((imm), (rs2), (rs1), 2)
#define RV_BEQ(a, b, off)    rv_b((off), (b), (a), 0)
#define RV_BNE(a, b, off)    rv_b((off), (b), (a), 1)
#define RV_BLT(a, b, off)    rv_b((off), (b), (a), 4)
#define RV_JAL(rd, off)      rv_j((off), (rd))
#define RV_JALR(rd, rs, imm) rv_i((imm), (rs), 0, (rd), 0x67)
#define RV_ECALL             0x00000073u
#define RV_EBREAK            0x00100073u
#define RV_FENCE             0x0ff0000fu

/* li rd, v (2 instructions, always) */
static inline void rv_li(uint32_t *code, size_t *n, uint32_t rd, uint32_t v)
{
    uint32_t lo = v & 0xfff, hi = (v >> 12) + ((lo & 0x800) ? 1 : 0);
    code[(*n)++] = RV_LUI(rd, hi & 0xfffff);
    code[(*n)++] = RV_ADDI(rd, rd, (int32_t)(lo << 20) >> 20);
}

/* syscall: t0 = id, a0 = x, a1 = y, ecall */
static inline void rv_sys(uint32_t *code, size_t *n, uint32_t id, uint32_t a0,
                          uint32_t a1)
{
    rv_li(code, n, 5, id);
    rv_li(code, n, 10, a0);
    rv_li(code, n, 11, a1);
    code[(*n)++] = RV_ECALL;
}

#define TEXT_BASE 0x00200800u
#define DATA_BASE 0x00300000u

/*
 * Builds an ELF32 RISC-V executable: text (R X) at TEXT_BASE, and when
 * data_words > 0 a RW data segment at DATA_BASE (data_words words from
 * data, plus bss_bytes of zeros). Returns a zk_malloc'ed buffer.
 */
static inline uint8_t *rv_elf(const uint32_t *code, size_t n,
                              const uint32_t *data, size_t data_words,
                              uint32_t bss_bytes, size_t *len_out)
{
    size_t nph = data_words || bss_bytes ? 2 : 1;
    size_t text_off = 0x100, data_off = text_off + 4 * n;
    size_t len = data_off + 4 * data_words;
    uint8_t *e = zk_calloc(1, len);
    uint8_t *ph;
    if (!e) {
        return NULL;
    }
#define W16(o, v) (e[o] = (uint8_t)(v), e[(o) + 1] = (uint8_t)((v) >> 8))
#define W32(o, v) (W16(o, (v)&0xffff), W16((o) + 2, (uint32_t)(v) >> 16))
    static const uint8_t elf_magic[4] = {0x7f, 'E', 'L', 'F'};
    memcpy(e, elf_magic, sizeof(elf_magic));
    e[4] = 1;
    e[5] = 1;
    e[6] = 1;
    W16(16, 2);
    W16(18, 243);
    W32(20, 1);
    W32(24, TEXT_BASE);
    W32(28, 52);
    W16(40, 52);
    W16(42, 32);
    W16(44, nph);
    W16(46, 40);
    ph = e + 52;
    W32(52, 1);
    W32(56, text_off);
    W32(60, TEXT_BASE);
    W32(64, TEXT_BASE);
    W32(68, 4 * n);
    W32(72, 4 * n);
    W32(76, 5);
    W32(80, 4);
    if (nph == 2) {
        W32(84, 1);
        W32(88, data_off);
        W32(92, DATA_BASE);
        W32(96, DATA_BASE);
        W32(100, 4 * data_words);
        W32(104, 4 * data_words + bss_bytes);
        W32(108, 6);
        W32(112, 4);
    }
    (void)ph;
    for (size_t k = 0; k < n; k++) {
        W32(text_off + 4 * k, code[k]);
    }
    for (size_t k = 0; k < data_words; k++) {
        W32(data_off + 4 * k, data[k]);
    }
#undef W16
#undef W32
    *len_out = len;
    return e;
}

#endif
