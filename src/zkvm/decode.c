/*
 * decode.c - RV32IM decoding as SP1's transpiler does it (rrs-lib rules,
 * sp1-executor-abi.md §3.1). Notable quirks kept on purpose: SLLI ignores
 * funct7, JALR ignores funct3, FENCE/CSR/WFI/MRET decode to UNIMP.
 */
#include <config.h>

#include "zkvm/decode.h"

static const char *const op_names[ZKVM_OP_COUNT] = {
    "add",   "sub",  "xor",  "or",    "and",    "sll",    "srl",
    "sra",   "slt",  "sltu", "mul",   "mulh",   "mulhsu", "mulhu",
    "div",   "divu", "rem",  "remu",  "addi",   "xori",   "ori",
    "andi",  "slli", "srli", "srai",  "slti",   "sltiu",  "lui",
    "auipc", "lb",   "lh",   "lw",    "lbu",    "lhu",    "sb",
    "sh",    "sw",   "beq",  "bne",   "blt",    "bge",    "bltu",
    "bgeu",  "jal",  "jalr", "ecall", "ebreak", "unimp",  "end"};

const char *zkvm_op_name(enum zkvm_op op)
{
    if ((unsigned)op >= ZKVM_OP_COUNT) {
        return "?";
    }
    return op_names[op];
}

static uint32_t imm_i(uint32_t w)
{
    return (uint32_t)((int32_t)w >> 20);
}

static uint32_t imm_s(uint32_t w)
{
    return ((uint32_t)((int32_t)w >> 25) << 5) | ((w >> 7) & 0x1f);
}

static uint32_t imm_b(uint32_t w)
{
    uint32_t v = ((w >> 31) << 12) | (((w >> 7) & 1) << 11) |
                 (((w >> 25) & 0x3f) << 5) | (((w >> 8) & 0xf) << 1);
    return (v & 0x1000) ? (v | 0xffffe000u) : v;
}

static uint32_t imm_j(uint32_t w)
{
    uint32_t v = ((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) |
                 (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3ff) << 1);
    return (v & 0x100000) ? (v | 0xffe00000u) : v;
}

static bool decode_op(uint32_t f3, uint32_t f7, enum zkvm_op *op)
{
    static const enum zkvm_op base[8] = {ZKVM_OP_ADD,  ZKVM_OP_SLL, ZKVM_OP_SLT,
                                         ZKVM_OP_SLTU, ZKVM_OP_XOR, ZKVM_OP_SRL,
                                         ZKVM_OP_OR,   ZKVM_OP_AND};
    static const enum zkvm_op mext[8] = {
        ZKVM_OP_MUL, ZKVM_OP_MULH, ZKVM_OP_MULHSU, ZKVM_OP_MULHU,
        ZKVM_OP_DIV, ZKVM_OP_DIVU, ZKVM_OP_REM,    ZKVM_OP_REMU};
    switch (f7) {
    case 0x00:
        *op = base[f3];
        return true;
    case 0x01:
        *op = mext[f3];
        return true;
    case 0x20:
        if (f3 == 0) {
            *op = ZKVM_OP_SUB;
            return true;
        }
        if (f3 == 5) {
            *op = ZKVM_OP_SRA;
            return true;
        }
        return false;
    default:
        return false;
    }
}

static bool decode_op_imm(uint32_t w, uint32_t f3, struct zkvm_insn *d)
{
    uint32_t f7 = w >> 25;
    d->imm = imm_i(w);
    switch (f3) {
    case 0:
        d->op = ZKVM_OP_ADDI;
        return true;
    case 2:
        d->op = ZKVM_OP_SLTI;
        return true;
    case 3:
        d->op = ZKVM_OP_SLTIU;
        return true;
    case 4:
        d->op = ZKVM_OP_XORI;
        return true;
    case 6:
        d->op = ZKVM_OP_ORI;
        return true;
    case 7:
        d->op = ZKVM_OP_ANDI;
        return true;
    case 1: /* funct7 is not checked by rrs for SLLI */
        d->op = ZKVM_OP_SLLI;
        d->imm &= 0x1f;
        return true;
    default: /* 5 */
        d->imm = (w >> 20) & 0x1f;
        if (f7 == 0x00) {
            d->op = ZKVM_OP_SRLI;
            return true;
        }
        if (f7 == 0x20) {
            d->op = ZKVM_OP_SRAI;
            return true;
        }
        return false;
    }
}

static bool decode_system(uint32_t w, uint32_t f3, struct zkvm_insn *d)
{
    if (f3 == 4) {
        return false;
    }
    if (f3 != 0) { /* CSR instructions */
        d->op = ZKVM_OP_UNIMP;
        return true;
    }
    if (d->rd != 0 || d->rs1 != 0) {
        return false;
    }
    switch (w >> 20) {
    case 0x000:
        d->op = ZKVM_OP_ECALL;
        return true;
    case 0x001:
        d->op = ZKVM_OP_EBREAK;
        return true;
    case 0x105: /* WFI */
    case 0x302: /* MRET */
        d->op = ZKVM_OP_UNIMP;
        return true;
    default:
        return false;
    }
}

bool zkvm_decode(uint32_t w, struct zkvm_insn *d)
{
    uint32_t f3 = (w >> 12) & 7;

    d->rd = (uint8_t)((w >> 7) & 0x1f);
    d->rs1 = (uint8_t)((w >> 15) & 0x1f);
    d->rs2 = (uint8_t)((w >> 20) & 0x1f);
    d->imm = 0;

    switch (w & 0x7f) {
    case 0x33:
        return decode_op(f3, w >> 25, &d->op);
    case 0x13:
        return decode_op_imm(w, f3, d);
    case 0x37:
        d->op = ZKVM_OP_LUI;
        d->imm = w & 0xfffff000u;
        return true;
    case 0x17:
        d->op = ZKVM_OP_AUIPC;
        d->imm = w & 0xfffff000u;
        return true;
    case 0x03: {
        static const int8_t loads[8] = {ZKVM_OP_LB, ZKVM_OP_LH,  ZKVM_OP_LW,
                                        -1,         ZKVM_OP_LBU, ZKVM_OP_LHU,
                                        -1,         -1};
        if (loads[f3] < 0) {
            return false;
        }
        d->op = (enum zkvm_op)loads[f3];
        d->imm = imm_i(w);
        return true;
    }
    case 0x23:
        if (f3 > 2) {
            return false;
        }
        d->op = (enum zkvm_op)(ZKVM_OP_SB + f3);
        d->imm = imm_s(w);
        return true;
    case 0x63: {
        static const int8_t br[8] = {ZKVM_OP_BEQ,  ZKVM_OP_BNE, -1,
                                     -1,           ZKVM_OP_BLT, ZKVM_OP_BGE,
                                     ZKVM_OP_BLTU, ZKVM_OP_BGEU};
        if (br[f3] < 0) {
            return false;
        }
        d->op = (enum zkvm_op)br[f3];
        d->imm = imm_b(w);
        return true;
    }
    case 0x6f:
        d->op = ZKVM_OP_JAL;
        d->imm = imm_j(w);
        return true;
    case 0x67: /* funct3 is not checked */
        d->op = ZKVM_OP_JALR;
        d->imm = imm_i(w);
        return true;
    case 0x0f:
        if (f3 != 0) {
            return false;
        }
        d->op = ZKVM_OP_UNIMP;
        return true;
    case 0x73:
        return decode_system(w, f3, d);
    default:
        return false;
    }
}
