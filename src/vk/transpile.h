/*
 * transpile.h - SP1 v3's RISC-V word -> SP1 instruction transpiler
 * (sp1-vk.md 3): rrs-lib's decoding acceptance rules, SP1 v3's opcode
 * numbers and operand mapping. Pure and thread-safe. Internal to src/vk
 * (exported for the fuzz harness and the tests).
 */
#ifndef ZK_VK_TRANSPILE_H
#define ZK_VK_TRANSPILE_H

#include <stdbool.h>
#include <stdint.h>

/* SP1 v3 Opcode discriminants (crates/core/executor/src/opcode.rs @ v3.0.0). */
enum vk_v3_opcode {
    VK_V3_ADD = 0,
    VK_V3_SUB = 1,
    VK_V3_XOR = 2,
    VK_V3_OR = 3,
    VK_V3_AND = 4,
    VK_V3_SLL = 5,
    VK_V3_SRL = 6,
    VK_V3_SRA = 7,
    VK_V3_SLT = 8,
    VK_V3_SLTU = 9,
    VK_V3_LB = 10,
    VK_V3_LH = 11,
    VK_V3_LW = 12,
    VK_V3_LBU = 13,
    VK_V3_LHU = 14,
    VK_V3_SB = 15,
    VK_V3_SH = 16,
    VK_V3_SW = 17,
    VK_V3_BEQ = 18,
    VK_V3_BNE = 19,
    VK_V3_BLT = 20,
    VK_V3_BGE = 21,
    VK_V3_BLTU = 22,
    VK_V3_BGEU = 23,
    VK_V3_JAL = 24,
    VK_V3_JALR = 25,
    VK_V3_AUIPC = 27,
    VK_V3_ECALL = 28,
    VK_V3_EBREAK = 29,
    VK_V3_MUL = 30,
    VK_V3_MULH = 31,
    VK_V3_MULHU = 32,
    VK_V3_MULHSU = 33,
    VK_V3_DIV = 34,
    VK_V3_DIVU = 35,
    VK_V3_REM = 36,
    VK_V3_REMU = 37,
    VK_V3_UNIMP = 39
};

/* SP1's Instruction { opcode, op_a, op_b, op_c, imm_b, imm_c }. */
struct vk_insn {
    enum vk_v3_opcode opcode;
    uint32_t op_a, op_b, op_c; /* immediates sign-extended to 32 bits */
    bool imm_b, imm_c;
};

/*
 * Transpiles one instruction word.
 * Returns: true and *out on success; false when SP1 cannot decode the word
 *          (SP1's transpile unwraps: the program then has no vk).
 */
bool vk_transpile_v3(uint32_t word, struct vk_insn *out);

#endif
