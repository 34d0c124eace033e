/*
 * zkvm_int.h - internals of the executor shared inside src/zkvm/ only
 * (machine struct, memory access for precompiles, syscall/hook dispatch).
 *
 * Precompiles (precompile*.c, written separately) use only the functions
 * declared here: zkvm_mem_read_words / zkvm_mem_peek_words /
 * zkvm_mem_write_words, zkvm_reg_get, zkvm_input_push, zkvm_fail and
 * zkvm_version. They never touch struct zkvm fields directly.
 */
#ifndef ZK_ZKVM_ZKVM_INT_H
#define ZK_ZKVM_ZKVM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"
#include "zkvm/decode.h"
#include "zkvm/precompile.h"
#include "zkvm/program.h"
#include "zkvm/zkvm.h"

/* -------------------------------------------------------- syscall ids */
#define ZKVM_SYS_HALT                   0x00000000u
#define ZKVM_SYS_WRITE                  0x00000002u
#define ZKVM_SYS_ENTER_UNCONSTRAINED    0x00000003u
#define ZKVM_SYS_EXIT_UNCONSTRAINED     0x00000004u
#define ZKVM_SYS_COMMIT                 0x00000010u
#define ZKVM_SYS_COMMIT_DEFERRED_PROOFS 0x0000001Au
#define ZKVM_SYS_VERIFY_SP1_PROOF       0x0000001Bu
/* precompile ids: zkvm/precompile.h */
#define ZKVM_SYS_HINT_LEN  0x000000F0u
#define ZKVM_SYS_HINT_READ 0x000000F1u

/* Register names used by the ABI. */
#define ZKVM_REG_T0 5u
#define ZKVM_REG_A0 10u
#define ZKVM_REG_A1 11u
#define ZKVM_REG_A2 12u
#define ZKVM_REG_A3 13u

/* ------------------------------------------------------------- memory */
#define ZKVM_PAGE_SHIFT 12u
#define ZKVM_PAGE_WORDS 1024u
#define ZKVM_N_PAGES    (1u << 20) /* 4 GiB / 4 KiB */

/* Ceiling on the bytes of all WRITE syscalls of a run (host time bound). */
#define ZKVM_MAX_WRITE_TOTAL (256ull * 1024 * 1024)

/* One 4 KiB page of guest memory. A word whose touched bit is clear is
 * "absent" in SP1's map and its storage is 0. */
struct zkvm_page {
    uint32_t w[ZKVM_PAGE_WORDS];
    uint32_t touched[ZKVM_PAGE_WORDS / 32];
    uint32_t unc_saved[ZKVM_PAGE_WORDS / 32]; /* logged in this block */
};

/* Pending hint values (HINT_READ), per page. */
struct zkvm_hint_page {
    uint32_t v[ZKVM_PAGE_WORDS];
    uint32_t has[ZKVM_PAGE_WORDS / 32];
};

/* Pre-decoded instruction for the threaded fast loop. */
struct zkvm_dinsn {
    const void *lbl; /* handler label (fast loop) */
    uint32_t imm;    /* immediate; branch/JAL: target index */
    uint8_t rd;      /* 32 (scratch) when the instruction has rd = x0 */
    uint8_t rs1, rs2;
    uint8_t op; /* enum zkvm_op */
};

struct zkvm_undo {
    uint32_t addr;
    uint32_t old;
    uint32_t was_touched;
};

struct zkvm_item {
    uint8_t *p;
    size_t n;
};

struct zkvm {
    const struct zkvm_program *prog;
    struct zkvm_sp1_version ver;
    /* version-derived behaviour */
    bool v3;              /* register aliasing, fds 3/4, no address checks */
    bool hint_len_panics; /* v3, v4.0.0: HINT_LEN on empty input */
    bool limit_in_unc;    /* cycle limit also checked while unconstrained */

    uint32_t regs[33];    /* x0..x31, [32] = scratch target for rd = x0 */
    uint32_t pc;          /* valid outside the fast loop */
    uint64_t clk;         /* global_clk */
    uint64_t limit_at;    /* clk value that is an ExceededCycleLimit */
    uint64_t err_at;      /* next budget check: min(limit_at, time check) */
    uint64_t deadline_ns; /* CLOCK_MONOTONIC deadline; 0: none */
    uint64_t max_wall_ms;
    uint64_t cycle_limit;

    /* text */
    struct zkvm_dinsn *code; /* n_code + 1 entries, last = END */
    struct zkvm_insn *dec;   /* generic decoded form, n_code entries */
    uint32_t n_code;
    uint32_t pc_base;
    bool fast_ready;
    bool force_slow; /* tests: reference stepper only */

    /* memory */
    struct zkvm_page **pt;       /* fast table: never page 0, never v4+ pages
                                    at or above 0x78000000 */
    struct zkvm_page *page0;     /* page 0 (addresses 32..4095 in v4+) */
    struct zkvm_page *pagehi;    /* v4+: page 0x78000 (one valid word) */
    struct zkvm_hint_page **hpt; /* NULL until the first HINT_READ */
    void **pages; /* every allocated page and hint page, for cleanup */
    size_t n_pages, cap_pages;
    uint64_t mem_used;
    uint64_t mem_max;

    /* unconstrained mode */
    bool unc;
    uint32_t unc_pc;
    uint64_t unc_clk;
    uint64_t unc_steps; /* instructions run in unconstrained blocks */
    uint32_t unc_regs[33];
    struct zkvm_undo *undo;
    size_t n_undo, cap_undo;

    /* input queue: items[head..n) unread */
    struct zkvm_item *items;
    size_t head, n, cap;
    size_t push_at; /* insertion cursor for hook responses */

    /* outputs */
    uint64_t write_total; /* bytes of all WRITE syscalls */
    uint8_t *pv;
    size_t pv_len, pv_cap;
    uint8_t *out[2];
    size_t out_len[2], out_cap[2];
    size_t out_max;
    bool out_trunc;
    bool warned_fd; /* the unknown-fd warning was logged */
    uint32_t commit[8];
    uint32_t deferred[8];
    bool halted;
    uint32_t exit_code;
    uint64_t sys_count[ZKVM_MAX_SYSCALL_KINDS];

    /* failure */
    enum zkvm_status status;
    bool failed;
    bool ran;
    char reason[256];
};

/* The program's SP1 version (for version-dependent precompile quirks). */
const struct zkvm_sp1_version *zkvm_version(const struct zkvm *vm);

/*
 * Records the first failure (status + printf reason + current pc/cycle) and
 * returns ZK_ETRAP (ZK_EBUDGET for ZKVM_STATUS_MEMORY_LIMIT/CYCLE_LIMIT,
 * ZK_EUNSUPPORTED for ZKVM_STATUS_REFUSED). Precompiles call it for their
 * assertion failures with ZKVM_STATUS_PANIC.
 */
enum zk_err zkvm_fail(struct zkvm *vm, enum zkvm_status st, const char *fmt,
                      ...) ZK_PRINTF(3, 4);

/* Register x0..x31 (x0 reads 0). */
uint32_t zkvm_reg_get(const struct zkvm *vm, unsigned idx);

/*
 * Word access for syscalls. addr must be 4-aligned (else a PANIC failure,
 * like SP1's precompile asserts); in v4+ every word must be >= 32 and
 * < 0x78000001. read/write use the traced path (first touch sees pending
 * hint data); peek reads materialised memory only (0 elsewhere), with no
 * address checks, as SP1 does for the first operand of several
 * precompiles and for WRITE. Fail with ZK_ETRAP / ZK_EBUDGET (status set).
 */
ZK_NODISCARD enum zk_err zkvm_mem_read_words(struct zkvm *vm, uint32_t addr,
                                             uint32_t *out, size_t n);
ZK_NODISCARD enum zk_err zkvm_mem_peek_words(struct zkvm *vm, uint32_t addr,
                                             uint32_t *out, size_t n);
ZK_NODISCARD enum zk_err zkvm_mem_write_words(struct zkvm *vm, uint32_t addr,
                                              const uint32_t *in, size_t n);

/*
 * Pushes one response item onto the input queue (copied). Inside a hook
 * call the items go to the front of the unread input, in the order pushed.
 */
ZK_NODISCARD enum zk_err zkvm_input_push(struct zkvm *vm, const uint8_t *p,
                                         size_t n);

/* ------------------------------------------ implemented by precompile.c */

/*
 * Runs precompile syscall_id (any id of §4.1 other than HALT, WRITE,
 * ENTER/EXIT_UNCONSTRAINED, COMMIT*, VERIFY_SP1_PROOF, HINT_*), with a0/a1
 * as passed by the guest (more registers via zkvm_reg_get). Sets
 * *handled_out = false if it does not implement the id (the executor then
 * reports an unsupported syscall). The executor has already checked that
 * the id exists in the program's SP1 version and counts the cycle.
 */
ZK_NODISCARD enum zk_err zkvm_precompile_call(struct zkvm *vm,
                                              uint32_t syscall_id, uint32_t a0,
                                              uint32_t a1, bool *handled_out);

/*
 * Runs the default hook registered on fd (sp1-executor-abi.md §6; the
 * executor only calls it for fds that are hooks in the program's version)
 * on the bytes the guest wrote, pushing the response items with
 * zkvm_input_push. A hook failure is a PANIC failure (zkvm_fail).
 */
ZK_NODISCARD enum zk_err zkvm_hook_call(struct zkvm *vm, uint32_t fd,
                                        const uint8_t *in, size_t len);

#endif
