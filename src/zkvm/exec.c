/*
 * exec.c - the RV32IM interpreter with SP1's semantics
 * (sp1-executor-abi.md §2, §3, §9).
 *
 * Two paths share one machine state:
 *  - zkvm_exec_step(): the generic reference stepper, one instruction at a
 *    time, exact for everything (odd pcs, unconstrained mode, syscalls,
 *    v3 register aliasing, every fault).
 *  - run_fast(): a direct-threaded loop over the pre-decoded text for the
 *    common case (constrained mode, aligned pc, aligned in-range accesses
 *    to already-touched memory). Anything else jumps to L_SLOW, which hands
 *    the current instruction, untouched, to the reference stepper.
 * Every instruction increments global_clk and is followed by the exact
 * cycle-limit test of the version (err_at), then the termination test.
 */
#include <config.h>

#include <string.h>
#include <time.h>

#include "base/log.h"
#include "base/mem.h"
#include "zkvm/exec.h"
#include "zkvm/mem.h"

/* ------------------------------------------------------ arithmetic */

static uint32_t mulh(uint32_t a, uint32_t b)
{
    return (uint32_t)((uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b) >>
                      32);
}

static uint32_t mulhsu(uint32_t a, uint32_t b)
{
    return (uint32_t)((uint64_t)((int64_t)(int32_t)a * (int64_t)(uint64_t)b) >>
                      32);
}

static uint32_t mulhu(uint32_t a, uint32_t b)
{
    return (uint32_t)(((uint64_t)a * (uint64_t)b) >> 32);
}

static uint32_t div_s(uint32_t a, uint32_t b)
{
    if (b == 0) {
        return 0xffffffffu;
    }
    if (a == 0x80000000u && b == 0xffffffffu) {
        return 0x80000000u;
    }
    return (uint32_t)((int32_t)a / (int32_t)b);
}

static uint32_t div_u(uint32_t a, uint32_t b)
{
    return b == 0 ? 0xffffffffu : a / b;
}

static uint32_t rem_s(uint32_t a, uint32_t b)
{
    if (b == 0) {
        return a;
    }
    if (a == 0x80000000u && b == 0xffffffffu) {
        return 0;
    }
    return (uint32_t)((int32_t)a % (int32_t)b);
}

static uint32_t rem_u(uint32_t a, uint32_t b)
{
    return b == 0 ? a : a % b;
}

static uint32_t sra(uint32_t a, uint32_t sh)
{
    return (uint32_t)((int32_t)a >> (sh & 31));
}

/* ------------------------------------------------------------ budget */

/* Instructions between two wall-clock checks (~10-50 ms). */
#define TIME_CHECK_INTERVAL (1ull << 24)

uint64_t zkvm_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void zkvm_budget_rearm(struct zkvm *vm)
{
    uint64_t e = vm->limit_at;
    if (vm->unc && !vm->limit_in_unc) {
        e = UINT64_MAX; /* no cycle-limit test inside the block */
    }
    if (vm->deadline_ns && vm->clk + TIME_CHECK_INTERVAL < e) {
        e = vm->clk + TIME_CHECK_INTERVAL;
    }
    vm->err_at = e;
}

enum zk_err zkvm_time_check(struct zkvm *vm)
{
    if (vm->deadline_ns && zkvm_now_ns() > vm->deadline_ns) {
        return zkvm_fail(vm, ZKVM_STATUS_TIME_LIMIT,
                         "wall-clock budget of %llu ms exceeded",
                         (unsigned long long)vm->max_wall_ms);
    }
    return ZK_OK;
}

enum zk_err zkvm_budget_check(struct zkvm *vm)
{
    enum zk_err err;
    if (vm->clk >= vm->limit_at && (!vm->unc || vm->limit_in_unc)) {
        return zkvm_fail(vm, ZKVM_STATUS_CYCLE_LIMIT,
                         "exceeded the cycle limit %llu",
                         (unsigned long long)vm->cycle_limit);
    }
    err = zkvm_time_check(vm);
    if (err) {
        return err;
    }
    zkvm_budget_rearm(vm);
    return ZK_OK;
}

/* ---------------------------------------------------- reference path */

static enum zk_err load(struct zkvm *vm, enum zkvm_op op, uint32_t addr,
                        uint32_t *out)
{
    enum zk_err err;
    uint32_t *w, v;
    bool misaligned = (op == ZKVM_OP_LW && (addr & 3)) ||
                      ((op == ZKVM_OP_LH || op == ZKVM_OP_LHU) && (addr & 1));

    /* v3 checks alignment first; v4+ reads the word (address check) first */
    if (vm->v3 && misaligned) {
        goto bad;
    }
    w = zkvm_mem_touch(vm, addr & ~3u, &err);
    if (!w) {
        return err;
    }
    if (misaligned) {
        goto bad;
    }
    v = *w;
    switch (op) {
    case ZKVM_OP_LB:
        *out = (uint32_t)(int32_t)(int8_t)(v >> (8 * (addr & 3)));
        break;
    case ZKVM_OP_LBU:
        *out = (v >> (8 * (addr & 3))) & 0xff;
        break;
    case ZKVM_OP_LH:
        *out = (uint32_t)(int32_t)(int16_t)(v >> (8 * (addr & 2)));
        break;
    case ZKVM_OP_LHU:
        *out = (v >> (8 * (addr & 2))) & 0xffff;
        break;
    default:
        *out = v;
        break;
    }
    return ZK_OK;
bad:
    return zkvm_fail(vm, ZKVM_STATUS_INVALID_MEMORY_ACCESS,
                     "misaligned %s at 0x%08x", zkvm_op_name(op), addr);
}

static enum zk_err store(struct zkvm *vm, enum zkvm_op op, uint32_t addr,
                         uint32_t val)
{
    uint32_t wa = addr & ~3u, old, sh;
    if ((op == ZKVM_OP_SW && (addr & 3)) || (op == ZKVM_OP_SH && (addr & 1))) {
        return zkvm_fail(vm, ZKVM_STATUS_INVALID_MEMORY_ACCESS,
                         "misaligned %s at 0x%08x", zkvm_op_name(op), addr);
    }
    if (op == ZKVM_OP_SW) {
        return zkvm_mem_store_word(vm, wa, val);
    }
    /* sub-word: the old value is a peek (no hint data), then a normal write */
    if (!vm->v3 && (wa < 32 || wa >= 0x78000001u)) {
        return zkvm_mem_store_word(vm, wa, 0); /* fails with the v4+ panic */
    }
    old = zkvm_mem_peek(vm, wa);
    if (op == ZKVM_OP_SB) {
        sh = 8 * (addr & 3);
        val = (old & ~(0xffu << sh)) | ((val & 0xffu) << sh);
    } else {
        sh = 8 * (addr & 2);
        val = (old & ~(0xffffu << sh)) | ((val & 0xffffu) << sh);
    }
    return zkvm_mem_store_word(vm, wa, val);
}

static bool cond(enum zkvm_op op, uint32_t a, uint32_t b)
{
    switch (op) {
    case ZKVM_OP_BEQ:
        return a == b;
    case ZKVM_OP_BNE:
        return a != b;
    case ZKVM_OP_BLT:
        return (int32_t)a < (int32_t)b;
    case ZKVM_OP_BGE:
        return (int32_t)a >= (int32_t)b;
    case ZKVM_OP_BLTU:
        return a < b;
    default:
        return a >= b;
    }
}

enum zk_err zkvm_exec_step(struct zkvm *vm, bool *stop)
{
    uint32_t pc = vm->pc, off = pc - vm->pc_base;
    const struct zkvm_insn *in;
    uint32_t *r = vm->regs;
    uint32_t a, b, v = 0, next = pc + 4;
    bool wr = true;
    enum zk_err err = ZK_OK;

    *stop = false;
    if (off >= 4 * (uint64_t)vm->n_code) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "instruction fetch outside the text at 0x%08x", pc);
    }
    in = &vm->dec[off >> 2];
    a = r[in->rs1];
    b = r[in->rs2];
    switch (in->op) {
    case ZKVM_OP_ADD:
        v = a + b;
        break;
    case ZKVM_OP_SUB:
        v = a - b;
        break;
    case ZKVM_OP_XOR:
        v = a ^ b;
        break;
    case ZKVM_OP_OR:
        v = a | b;
        break;
    case ZKVM_OP_AND:
        v = a & b;
        break;
    case ZKVM_OP_SLL:
        v = a << (b & 31);
        break;
    case ZKVM_OP_SRL:
        v = a >> (b & 31);
        break;
    case ZKVM_OP_SRA:
        v = sra(a, b);
        break;
    case ZKVM_OP_SLT:
        v = (int32_t)a < (int32_t)b;
        break;
    case ZKVM_OP_SLTU:
        v = a < b;
        break;
    case ZKVM_OP_MUL:
        v = a * b;
        break;
    case ZKVM_OP_MULH:
        v = mulh(a, b);
        break;
    case ZKVM_OP_MULHSU:
        v = mulhsu(a, b);
        break;
    case ZKVM_OP_MULHU:
        v = mulhu(a, b);
        break;
    case ZKVM_OP_DIV:
        v = div_s(a, b);
        break;
    case ZKVM_OP_DIVU:
        v = div_u(a, b);
        break;
    case ZKVM_OP_REM:
        v = rem_s(a, b);
        break;
    case ZKVM_OP_REMU:
        v = rem_u(a, b);
        break;
    case ZKVM_OP_ADDI:
        v = a + in->imm;
        break;
    case ZKVM_OP_XORI:
        v = a ^ in->imm;
        break;
    case ZKVM_OP_ORI:
        v = a | in->imm;
        break;
    case ZKVM_OP_ANDI:
        v = a & in->imm;
        break;
    case ZKVM_OP_SLLI:
        v = a << in->imm;
        break;
    case ZKVM_OP_SRLI:
        v = a >> in->imm;
        break;
    case ZKVM_OP_SRAI:
        v = sra(a, in->imm);
        break;
    case ZKVM_OP_SLTI:
        v = (int32_t)a < (int32_t)in->imm;
        break;
    case ZKVM_OP_SLTIU:
        v = a < in->imm;
        break;
    case ZKVM_OP_LUI:
        v = in->imm;
        break;
    case ZKVM_OP_AUIPC:
        v = pc + in->imm;
        break;
    case ZKVM_OP_LB:
    case ZKVM_OP_LH:
    case ZKVM_OP_LW:
    case ZKVM_OP_LBU:
    case ZKVM_OP_LHU:
        err = load(vm, in->op, a + in->imm, &v);
        break;
    case ZKVM_OP_SB:
    case ZKVM_OP_SH:
    case ZKVM_OP_SW:
        wr = false;
        err = store(vm, in->op, a + in->imm, b);
        break;
    case ZKVM_OP_BEQ:
    case ZKVM_OP_BNE:
    case ZKVM_OP_BLT:
    case ZKVM_OP_BGE:
    case ZKVM_OP_BLTU:
    case ZKVM_OP_BGEU:
        wr = false;
        if (cond(in->op, a, b)) {
            next = pc + in->imm;
        }
        break;
    case ZKVM_OP_JAL:
        v = pc + 4;
        next = pc + in->imm;
        break;
    case ZKVM_OP_JALR: /* SP1 does not clear bit 0 */
        v = pc + 4;
        next = a + in->imm;
        break;
    case ZKVM_OP_ECALL:
        wr = false;
        err = zkvm_ecall(vm, &next);
        break;
    case ZKVM_OP_EBREAK:
        return zkvm_fail(vm, ZKVM_STATUS_BREAKPOINT, "ebreak");
    default:
        return zkvm_fail(vm, ZKVM_STATUS_UNIMPLEMENTED,
                         "unimplemented instruction 0x%08x",
                         vm->prog->insns[off >> 2]);
    }
    if (err) {
        return err;
    }
    if (wr) {
        r[in->rd] = in->rd ? v : 0;
    }
    vm->pc = next;
    vm->clk++;
    if (vm->unc && ++vm->unc_steps > vm->cycle_limit && vm->cycle_limit) {
        /* Guard (not SP1): from v4.1.2 SP1 does not limit unconstrained
         * blocks, so one could spin forever. Bound them by the limit too. */
        return zkvm_fail(vm, ZKVM_STATUS_CYCLE_LIMIT,
                         "unconstrained blocks ran more than %llu "
                         "instructions",
                         (unsigned long long)vm->cycle_limit);
    }
    if (vm->clk >= vm->err_at) {
        err = zkvm_budget_check(vm);
        if (err) {
            return err;
        }
    }
    if (next == 0 || next - vm->pc_base >= 4 * (uint64_t)vm->n_code) {
        if (vm->unc) {
            return zkvm_fail(vm, ZKVM_STATUS_END_IN_UNCONSTRAINED,
                             "program ended in unconstrained mode");
        }
        *stop = true;
    }
    return ZK_OK;
}

/* ------------------------------------------------------- fast path */

enum fast_result { FAST_SLOW, FAST_END, FAST_FAIL };

static bool target_ok(const struct zkvm *vm, uint32_t t)
{
    return t != 0 && (t & 3) == 0 && t - vm->pc_base < 4 * (uint64_t)vm->n_code;
}

static enum fast_result run_fast(struct zkvm *vm)
{
    static const void *const labels[ZKVM_OP_COUNT] = {
        [ZKVM_OP_ADD] = &&L_ADD,       [ZKVM_OP_SUB] = &&L_SUB,
        [ZKVM_OP_XOR] = &&L_XOR,       [ZKVM_OP_OR] = &&L_OR,
        [ZKVM_OP_AND] = &&L_AND,       [ZKVM_OP_SLL] = &&L_SLL,
        [ZKVM_OP_SRL] = &&L_SRL,       [ZKVM_OP_SRA] = &&L_SRA,
        [ZKVM_OP_SLT] = &&L_SLT,       [ZKVM_OP_SLTU] = &&L_SLTU,
        [ZKVM_OP_MUL] = &&L_MUL,       [ZKVM_OP_MULH] = &&L_MULH,
        [ZKVM_OP_MULHSU] = &&L_MULHSU, [ZKVM_OP_MULHU] = &&L_MULHU,
        [ZKVM_OP_DIV] = &&L_DIV,       [ZKVM_OP_DIVU] = &&L_DIVU,
        [ZKVM_OP_REM] = &&L_REM,       [ZKVM_OP_REMU] = &&L_REMU,
        [ZKVM_OP_ADDI] = &&L_ADDI,     [ZKVM_OP_XORI] = &&L_XORI,
        [ZKVM_OP_ORI] = &&L_ORI,       [ZKVM_OP_ANDI] = &&L_ANDI,
        [ZKVM_OP_SLLI] = &&L_SLLI,     [ZKVM_OP_SRLI] = &&L_SRLI,
        [ZKVM_OP_SRAI] = &&L_SRAI,     [ZKVM_OP_SLTI] = &&L_SLTI,
        [ZKVM_OP_SLTIU] = &&L_SLTIU,   [ZKVM_OP_LUI] = &&L_LUI,
        [ZKVM_OP_AUIPC] = &&L_AUIPC,   [ZKVM_OP_LB] = &&L_LB,
        [ZKVM_OP_LH] = &&L_LH,         [ZKVM_OP_LW] = &&L_LW,
        [ZKVM_OP_LBU] = &&L_LBU,       [ZKVM_OP_LHU] = &&L_LHU,
        [ZKVM_OP_SB] = &&L_SB,         [ZKVM_OP_SH] = &&L_SH,
        [ZKVM_OP_SW] = &&L_SW,         [ZKVM_OP_BEQ] = &&L_BEQ,
        [ZKVM_OP_BNE] = &&L_BNE,       [ZKVM_OP_BLT] = &&L_BLT,
        [ZKVM_OP_BGE] = &&L_BGE,       [ZKVM_OP_BLTU] = &&L_BLTU,
        [ZKVM_OP_BGEU] = &&L_BGEU,     [ZKVM_OP_JAL] = &&L_JAL,
        [ZKVM_OP_JALR] = &&L_JALR,     [ZKVM_OP_ECALL] = &&L_SLOW,
        [ZKVM_OP_EBREAK] = &&L_SLOW,   [ZKVM_OP_UNIMP] = &&L_SLOW,
        [ZKVM_OP_END] = &&L_END};
    struct zkvm_dinsn *const code = vm->code;
    const struct zkvm_dinsn *d;
    uint32_t *const r = vm->regs;
    struct zkvm_page **const pt = vm->pt;
    const uint32_t base = vm->pc_base;
    const uint32_t text_bytes = 4 * vm->n_code;
    uint64_t err_at = vm->err_at;
    uint64_t clk = vm->clk;

    if (!vm->fast_ready) {
        for (uint32_t k = 0; k <= vm->n_code; k++) {
            struct zkvm_dinsn *c = &code[k];
            c->lbl = labels[c->op];
            if (c->op >= ZKVM_OP_BEQ && c->op <= ZKVM_OP_JAL) {
                uint32_t t = base + 4 * k + c->imm;
                if (target_ok(vm, t)) {
                    c->imm = (t - base) >> 2;
                } else {
                    c->lbl = &&L_SLOW;
                }
            }
        }
        vm->fast_ready = true;
    }

#define PC_OF(x) (base + ((uint32_t)((x)-code) << 2))
/* The empty asm, different on each line, keeps the compiler from merging
 * the dispatch jumps of all handlers into one (cross-jumping): one indirect
 * jump per handler predicts much better. */
#define DISPATCH_STR2(l) #l
#define DISPATCH_STR(l)  DISPATCH_STR2(l)
#define JUMP(nd)                                                               \
    do {                                                                       \
        d = (nd);                                                              \
        if (ZK_UNLIKELY(++clk >= err_at))                                      \
            goto budget;                                                       \
        __asm__ volatile("# dispatch " DISPATCH_STR(__LINE__));                \
        goto * d->lbl;                                                         \
    } while (0)
#define NEXT JUMP(d + 1)
#define RS1  r[d->rs1]
#define RS2  r[d->rs2]
#define RD   r[d->rd]
#define MEMW(a, mask)                                                          \
    struct zkvm_page *p_ = pt[(a) >> ZKVM_PAGE_SHIFT];                         \
    uint32_t i_ = ((a) >> 2) & (ZKVM_PAGE_WORDS - 1);                          \
    if (ZK_UNLIKELY(!p_ || ((a) & (mask)) ||                                   \
                    !((p_->touched[i_ >> 5] >> (i_ & 31)) & 1u)))              \
        goto L_SLOW;

    d = code + ((vm->pc - base) >> 2);
    goto * d->lbl;

L_ADD:
    RD = RS1 + RS2;
    NEXT;
L_SUB:
    RD = RS1 - RS2;
    NEXT;
L_XOR:
    RD = RS1 ^ RS2;
    NEXT;
L_OR:
    RD = RS1 | RS2;
    NEXT;
L_AND:
    RD = RS1 & RS2;
    NEXT;
L_SLL:
    RD = RS1 << (RS2 & 31);
    NEXT;
L_SRL:
    RD = RS1 >> (RS2 & 31);
    NEXT;
L_SRA:
    RD = sra(RS1, RS2);
    NEXT;
L_SLT:
    RD = (int32_t)RS1 < (int32_t)RS2;
    NEXT;
L_SLTU:
    RD = RS1 < RS2;
    NEXT;
L_MUL:
    RD = RS1 * RS2;
    NEXT;
L_MULH:
    RD = mulh(RS1, RS2);
    NEXT;
L_MULHSU:
    RD = mulhsu(RS1, RS2);
    NEXT;
L_MULHU:
    RD = mulhu(RS1, RS2);
    NEXT;
L_DIV:
    RD = div_s(RS1, RS2);
    NEXT;
L_DIVU:
    RD = div_u(RS1, RS2);
    NEXT;
L_REM:
    RD = rem_s(RS1, RS2);
    NEXT;
L_REMU:
    RD = rem_u(RS1, RS2);
    NEXT;
L_ADDI:
    RD = RS1 + d->imm;
    NEXT;
L_XORI:
    RD = RS1 ^ d->imm;
    NEXT;
L_ORI:
    RD = RS1 | d->imm;
    NEXT;
L_ANDI:
    RD = RS1 & d->imm;
    NEXT;
L_SLLI:
    RD = RS1 << d->imm;
    NEXT;
L_SRLI:
    RD = RS1 >> d->imm;
    NEXT;
L_SRAI:
    RD = sra(RS1, d->imm);
    NEXT;
L_SLTI:
    RD = (int32_t)RS1 < (int32_t)d->imm;
    NEXT;
L_SLTIU:
    RD = RS1 < d->imm;
    NEXT;
L_LUI:
    RD = d->imm;
    NEXT;
L_AUIPC:
    RD = PC_OF(d) + d->imm;
    NEXT;
L_LB : {
    uint32_t a = RS1 + d->imm;
    MEMW(a, 0)
    RD = (uint32_t)(int32_t)(int8_t)(p_->w[i_] >> (8 * (a & 3)));
    NEXT;
}
L_LBU : {
    uint32_t a = RS1 + d->imm;
    MEMW(a, 0)
    RD = (p_->w[i_] >> (8 * (a & 3))) & 0xff;
    NEXT;
}
L_LH : {
    uint32_t a = RS1 + d->imm;
    MEMW(a, 1)
    RD = (uint32_t)(int32_t)(int16_t)(p_->w[i_] >> (8 * (a & 2)));
    NEXT;
}
L_LHU : {
    uint32_t a = RS1 + d->imm;
    MEMW(a, 1)
    RD = (p_->w[i_] >> (8 * (a & 2))) & 0xffff;
    NEXT;
}
L_LW : {
    uint32_t a = RS1 + d->imm;
    MEMW(a, 3)
    RD = p_->w[i_];
    NEXT;
}
L_SB : {
    uint32_t a = RS1 + d->imm, sh = 8 * (a & 3);
    MEMW(a, 0)
    p_->w[i_] = (p_->w[i_] & ~(0xffu << sh)) | ((RS2 & 0xffu) << sh);
    NEXT;
}
L_SH : {
    uint32_t a = RS1 + d->imm, sh = 8 * (a & 2);
    MEMW(a, 1)
    p_->w[i_] = (p_->w[i_] & ~(0xffffu << sh)) | ((RS2 & 0xffffu) << sh);
    NEXT;
}
L_SW : {
    uint32_t a = RS1 + d->imm;
    MEMW(a, 3)
    p_->w[i_] = RS2;
    NEXT;
}
L_BEQ:
    if (RS1 == RS2) {
        JUMP(code + d->imm);
    }
    NEXT;
L_BNE:
    if (RS1 != RS2) {
        JUMP(code + d->imm);
    }
    NEXT;
L_BLT:
    if ((int32_t)RS1 < (int32_t)RS2) {
        JUMP(code + d->imm);
    }
    NEXT;
L_BGE:
    if ((int32_t)RS1 >= (int32_t)RS2) {
        JUMP(code + d->imm);
    }
    NEXT;
L_BLTU:
    if (RS1 < RS2) {
        JUMP(code + d->imm);
    }
    NEXT;
L_BGEU:
    if (RS1 >= RS2) {
        JUMP(code + d->imm);
    }
    NEXT;
L_JAL:
    RD = PC_OF(d) + 4;
    JUMP(code + d->imm);
L_JALR : {
    uint32_t t = RS1 + d->imm, o = t - base;
    if (ZK_LIKELY(t != 0 && (t & 3) == 0 && o < text_bytes)) {
        RD = PC_OF(d) + 4;
        JUMP(code + (o >> 2));
    }
    goto L_SLOW;
}
L_SLOW:
    vm->pc = PC_OF(d);
    vm->clk = clk;
    return FAST_SLOW;
L_END:
    vm->pc = PC_OF(d);
    vm->clk = clk;
    return FAST_END;
budget: /* d is the next instruction; the previous one completed */
    vm->pc = PC_OF(d);
    vm->clk = clk;
    if (zkvm_budget_check(vm)) {
        return FAST_FAIL;
    }
    err_at = vm->err_at;
    goto * d->lbl;
#undef PC_OF
#undef JUMP
#undef NEXT
#undef RS1
#undef RS2
#undef RD
#undef MEMW
}

enum zk_err zkvm_exec_prepare(struct zkvm *vm)
{
    const struct zkvm_program *p = vm->prog;
    if (p->n_insns >= 0x3fffffffu) {
        return ZK_ELIMIT;
    }
    vm->n_code = (uint32_t)p->n_insns;
    vm->pc_base = p->pc_base;
    vm->dec = zk_calloc(p->n_insns ? p->n_insns : 1, sizeof(*vm->dec));
    vm->code = zk_calloc((size_t)p->n_insns + 1, sizeof(*vm->code));
    if (!vm->dec || !vm->code) {
        return ZK_ENOMEM;
    }
    for (size_t k = 0; k < p->n_insns; k++) {
        struct zkvm_insn *in = &vm->dec[k];
        struct zkvm_dinsn *c = &vm->code[k];
        if (!zkvm_decode(p->insns[k], in)) {
            zk_error("zkvm: prepare: undecodable instruction 0x%08x",
                     p->insns[k]);
            return ZK_EINVAL;
        }
        c->op = (uint8_t)in->op;
        c->rd = in->rd ? in->rd : 32;
        c->rs1 = in->rs1;
        c->rs2 = in->rs2;
        c->imm = in->imm;
    }
    vm->code[p->n_insns].op = ZKVM_OP_END;
    return ZK_OK;
}

enum zk_err zkvm_exec_run(struct zkvm *vm)
{
    enum zk_err err;
    bool stop = false;

    while (!stop) {
        if (!vm->unc && !vm->force_slow && (vm->pc & 3) == 0 &&
            vm->pc - vm->pc_base < 4 * (uint64_t)vm->n_code) {
            enum fast_result fr = run_fast(vm);
            if (fr == FAST_FAIL) {
                return ZK_ETRAP;
            }
            if (fr == FAST_END) {
                break;
            }
        }
        err = zkvm_exec_step(vm, &stop);
        if (err) {
            return err;
        }
    }
    return ZK_OK;
}
