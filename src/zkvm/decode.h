/*
 * decode.h - RV32IM instruction decoding with SP1's (rrs-lib) rules.
 *
 * sp1-executor-abi.md §3.1: a word that SP1 cannot decode makes the whole
 * ELF unloadable, so zkvm_decode() is used both by the loader (validation)
 * and by the executor (pre-decoding the text once).
 */
#ifndef ZK_ZKVM_DECODE_H
#define ZK_ZKVM_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum zkvm_op {
    ZKVM_OP_ADD = 0,
    ZKVM_OP_SUB,
    ZKVM_OP_XOR,
    ZKVM_OP_OR,
    ZKVM_OP_AND,
    ZKVM_OP_SLL,
    ZKVM_OP_SRL,
    ZKVM_OP_SRA,
    ZKVM_OP_SLT,
    ZKVM_OP_SLTU,
    ZKVM_OP_MUL,
    ZKVM_OP_MULH,
    ZKVM_OP_MULHSU,
    ZKVM_OP_MULHU,
    ZKVM_OP_DIV,
    ZKVM_OP_DIVU,
    ZKVM_OP_REM,
    ZKVM_OP_REMU,
    ZKVM_OP_ADDI,
    ZKVM_OP_XORI,
    ZKVM_OP_ORI,
    ZKVM_OP_ANDI,
    ZKVM_OP_SLLI,
    ZKVM_OP_SRLI,
    ZKVM_OP_SRAI,
    ZKVM_OP_SLTI,
    ZKVM_OP_SLTIU,
    ZKVM_OP_LUI,
    ZKVM_OP_AUIPC,
    ZKVM_OP_LB,
    ZKVM_OP_LH,
    ZKVM_OP_LW,
    ZKVM_OP_LBU,
    ZKVM_OP_LHU,
    ZKVM_OP_SB,
    ZKVM_OP_SH,
    ZKVM_OP_SW,
    ZKVM_OP_BEQ,
    ZKVM_OP_BNE,
    ZKVM_OP_BLT,
    ZKVM_OP_BGE,
    ZKVM_OP_BLTU,
    ZKVM_OP_BGEU,
    ZKVM_OP_JAL,
    ZKVM_OP_JALR,
    ZKVM_OP_ECALL,
    ZKVM_OP_EBREAK,
    ZKVM_OP_UNIMP, /* FENCE, CSR*, WFI, MRET: decode fine, trap if run */
    ZKVM_OP_END,   /* executor sentinel past the text; never decoded */
    ZKVM_OP_COUNT
};

/* One decoded instruction. imm is the sign-extended immediate (the shift
 * amount for SLLI/SRLI/SRAI, insn & 0xfffff000 for LUI/AUIPC). */
struct zkvm_insn {
    enum zkvm_op op;
    uint8_t rd, rs1, rs2;
    uint32_t imm;
};

/* Decodes w. Returns false when SP1 would fail to decode it. */
bool zkvm_decode(uint32_t w, struct zkvm_insn *out);

/* Mnemonic of op ("add", ...), for messages. */
const char *zkvm_op_name(enum zkvm_op op);

#endif
