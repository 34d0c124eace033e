/*
 * transpile.c - SP1 v3 transpilation of RV32IM words (sp1-vk.md 3.1-3.2).
 *
 * Decoding follows rrs-lib (the upstream of SP1's rrs-succinct decoder):
 * RISC-V unprivileged ISA 20191213, chapters 2 (RV32I) and 7 (M), with
 * rrs-lib's own acceptance quirks (slli does not check funct7, jalr does
 * not check funct3, CSR ops / fence / mret / wfi decode to UNIMP).
 */
#include <config.h>
#include "vk/transpile.h"

#include <string.h>

static inline uint32_t imm_i(uint32_t w)
{
    return (uint32_t)((int32_t)w >> 20);
}

static inline uint32_t imm_s(uint32_t w)
{
    return (uint32_t)((int32_t)(w & 0xfe000000u) >> 20) | ((w >> 7) & 0x1fu);
}

static inline uint32_t imm_b(uint32_t w)
{
    uint32_t v = ((w >> 31) << 12) | (((w >> 7) & 1u) << 11) |
                 (((w >> 25) & 0x3fu) << 5) | (((w >> 8) & 0xfu) << 1);
    return (uint32_t)((int32_t)(v << 19) >> 19);
}

static inline uint32_t imm_j(uint32_t w)
{
    uint32_t v = ((w >> 31) << 20) | (((w >> 12) & 0xffu) << 12) |
                 (((w >> 20) & 1u) << 11) | (((w >> 21) & 0x3ffu) << 1);
    return (uint32_t)((int32_t)(v << 11) >> 11);
}

static void set(struct vk_insn *o, enum vk_v3_opcode op, uint32_t a, uint32_t b,
                uint32_t c, bool ib, bool ic)
{
    o->opcode = op;
    o->op_a = a;
    o->op_b = b;
    o->op_c = c;
    o->imm_b = ib;
    o->imm_c = ic;
}

/* OP (0x33): R-type ALU and M extension. */
static bool op_reg(uint32_t w, struct vk_insn *o)
{
    static const enum vk_v3_opcode base[8] = {VK_V3_ADD,  VK_V3_SLL, VK_V3_SLT,
                                              VK_V3_SLTU, VK_V3_XOR, VK_V3_SRL,
                                              VK_V3_OR,   VK_V3_AND};
    static const enum vk_v3_opcode mext[8] = {
        VK_V3_MUL, VK_V3_MULH, VK_V3_MULHSU, VK_V3_MULHU,
        VK_V3_DIV, VK_V3_DIVU, VK_V3_REM,    VK_V3_REMU};
    uint32_t f3 = (w >> 12) & 7u, f7 = w >> 25;
    uint32_t rd = (w >> 7) & 31u, rs1 = (w >> 15) & 31u, rs2 = (w >> 20) & 31u;
    enum vk_v3_opcode op;
    if (f7 == 0x00) {
        op = base[f3];
    } else if (f7 == 0x01) {
        op = mext[f3];
    } else if (f7 == 0x20 && f3 == 0) {
        op = VK_V3_SUB;
    } else if (f7 == 0x20 && f3 == 5) {
        op = VK_V3_SRA;
    } else {
        return false;
    }
    set(o, op, rd, rs1, rs2, false, false);
    return true;
}

/* OP-IMM (0x13). */
static bool op_imm(uint32_t w, struct vk_insn *o)
{
    static const enum vk_v3_opcode ops[8] = {VK_V3_ADD,  VK_V3_SLL, VK_V3_SLT,
                                             VK_V3_SLTU, VK_V3_XOR, VK_V3_SRL,
                                             VK_V3_OR,   VK_V3_AND};
    uint32_t f3 = (w >> 12) & 7u, f7 = w >> 25;
    uint32_t rd = (w >> 7) & 31u, rs1 = (w >> 15) & 31u;
    uint32_t imm = imm_i(w);
    enum vk_v3_opcode op = ops[f3];
    if (f3 == 1) {
        imm &= 31u; /* slli: rrs-lib does not check funct7 */
    } else if (f3 == 5) {
        if (f7 == 0x20) {
            op = VK_V3_SRA;
        } else if (f7 != 0x00) {
            return false;
        }
        imm &= 31u;
    }
    set(o, op, rd, rs1, imm, false, true);
    return true;
}

/* SYSTEM (0x73). */
static bool op_system(uint32_t w, struct vk_insn *o)
{
    uint32_t f3 = (w >> 12) & 7u;
    uint32_t rd = (w >> 7) & 31u, rs1 = (w >> 15) & 31u, imm12 = w >> 20;
    if (f3 == 4) {
        return false;
    }
    if (f3 != 0) { /* csrrw/csrrs/csrrc/csrrwi/csrrsi/csrrci */
        set(o, VK_V3_UNIMP, 0, 0, 0, true, true);
        return true;
    }
    if (rd != 0 || rs1 != 0) {
        return false;
    }
    switch (imm12) {
    case 0x000: /* ecall: t0 = syscall id, a0, a1 */
        set(o, VK_V3_ECALL, 5, 10, 11, false, false);
        return true;
    case 0x001:
        set(o, VK_V3_EBREAK, 0, 0, 0, false, false);
        return true;
    case 0x105: /* wfi */
    case 0x302: /* mret */
        set(o, VK_V3_UNIMP, 0, 0, 0, true, true);
        return true;
    default:
        return false;
    }
}

bool vk_transpile_v3(uint32_t w, struct vk_insn *o)
{
    static const enum vk_v3_opcode loads[8] = {
        VK_V3_LB, VK_V3_LH, VK_V3_LW, 0, VK_V3_LBU, VK_V3_LHU, 0, 0};
    static const enum vk_v3_opcode stores[3] = {VK_V3_SB, VK_V3_SH, VK_V3_SW};
    static const enum vk_v3_opcode branches[8] = {
        VK_V3_BEQ, VK_V3_BNE, 0,          0,
        VK_V3_BLT, VK_V3_BGE, VK_V3_BLTU, VK_V3_BGEU};
    uint32_t f3 = (w >> 12) & 7u;
    uint32_t rd = (w >> 7) & 31u, rs1 = (w >> 15) & 31u, rs2 = (w >> 20) & 31u;
    memset(o, 0, sizeof(*o));
    switch (w & 0x7fu) {
    case 0x33:
        return op_reg(w, o);
    case 0x13:
        return op_imm(w, o);
    case 0x03: /* LOAD */
        if (f3 == 3 || f3 > 5) {
            return false;
        }
        set(o, loads[f3], rd, rs1, imm_i(w), false, true);
        return true;
    case 0x23: /* STORE: op_a is rs2 (the value stored) */
        if (f3 > 2) {
            return false;
        }
        set(o, stores[f3], rs2, rs1, imm_s(w), false, true);
        return true;
    case 0x63: /* BRANCH */
        if (f3 == 2 || f3 == 3) {
            return false;
        }
        set(o, branches[f3], rs1, rs2, imm_b(w), false, true);
        return true;
    case 0x6f: /* JAL */
        set(o, VK_V3_JAL, rd, imm_j(w), 0, true, true);
        return true;
    case 0x67: /* JALR: funct3 not checked */
        set(o, VK_V3_JALR, rd, rs1, imm_i(w), false, true);
        return true;
    case 0x37: /* LUI becomes ADD rd, x0, imm */
        set(o, VK_V3_ADD, rd, 0, w & 0xfffff000u, true, true);
        return true;
    case 0x17: /* AUIPC */
        set(o, VK_V3_AUIPC, rd, w & 0xfffff000u, w & 0xfffff000u, true, true);
        return true;
    case 0x0f: /* MISC-MEM: fence only (fence.i does not decode) */
        if (f3 != 0) {
            return false;
        }
        set(o, VK_V3_UNIMP, 0, 0, 0, true, true);
        return true;
    case 0x73:
        return op_system(w, o);
    default:
        return false;
    }
}
