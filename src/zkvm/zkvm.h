/*
 * zkvm.h - public API of the SP1-compatible RV32IM executor.
 *
 * Runs a loaded SP1 guest program (program.h) on its stdin items and
 * reports what SP1's executor would: the public-values bytes, the 8 COMMIT
 * words (committed digest), exit code, instruction count ("cycles"), and
 * per-syscall counts. Semantics follow sp1-executor-abi.md for the
 * program's major version (v3, v4 or v5).
 *
 * Typical use (one shot):
 *     struct zkvm_program prog;   zkvm_program_load(&prog, elf, len, 0);
 *     struct zkvm_stdin in;       zkvm_stdin_init(&in);
 *                                 zkvm_stdin_parse_json(&in, text, n);
 *     struct zkvm_limits lim;     zkvm_limits_default(&lim);
 *     struct zkvm_result res;
 *     enum zk_err e = zkvm_execute(&prog, &in, &lim, &res);
 *     if (e == ZK_OK) ... res.public_values ... (HALT(0), digest matches)
 *     zkvm_result_cleanup(&res); zkvm_stdin_cleanup(&in);
 *     zkvm_program_cleanup(&prog);
 *
 * Thread-safety: a struct zkvm is single-threaded; distinct VMs are
 * independent. No global state.
 */
#ifndef ZK_ZKVM_ZKVM_H
#define ZK_ZKVM_ZKVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"
#include "zkvm/program.h"

struct zkvm; /* the machine; opaque */

/* ---------------------------------------------------------------- stdin */

/* SP1Stdin.buffer: ordered items, each consumed whole by one guest read. */
struct zkvm_stdin_item {
    uint8_t *data; /* owned; may be NULL when len == 0 */
    size_t len;
};

struct zkvm_stdin {
    struct zkvm_stdin_item *items;
    size_t n;
    size_t cap;
    size_t total; /* sum of len, bounded by ZK_MAX_STDIN_SIZE */
};

void zkvm_stdin_init(struct zkvm_stdin *s);
void zkvm_stdin_cleanup(struct zkvm_stdin *s);

/* Appends one item (copied). ZK_ELIMIT past ZK_MAX_STDIN_ITEMS/SIZE.
 * On any error of the zkvm_stdin_* functions s may hold part of the items:
 * discard it with zkvm_stdin_cleanup. */
ZK_NODISCARD enum zk_err zkvm_stdin_add(struct zkvm_stdin *s, const uint8_t *p,
                                        size_t n);

/*
 * Appends the items of a bincode-encoded SP1Stdin: u64 count, then per item
 * u64 length + bytes, then ptr (u64) and proofs (u64 count, must be 0).
 * A buffer that ends right after the items (no ptr/proofs) is accepted.
 * Returns ZK_EINVAL on malformed input, ZK_EUNSUPPORTED for proofs.
 */
ZK_NODISCARD enum zk_err zkvm_stdin_parse_bincode(struct zkvm_stdin *s,
                                                  const uint8_t *p, size_t n);

/*
 * Appends the items of SP1Stdin's serde_json form,
 * {"buffer":[[1,2,...],...],"ptr":0,"proofs":[]}: a strict parser for
 * exactly this shape (keys in any order, "ptr"/"proofs" optional, proofs
 * must be empty). Whitespace allowed; nothing else.
 */
ZK_NODISCARD enum zk_err zkvm_stdin_parse_json(struct zkvm_stdin *s,
                                               const char *text, size_t n);

/* --------------------------------------------------------------- limits */

struct zkvm_limits {
    uint64_t cycle_limit; /* 0: none. Compared as SP1 does for the version */
    uint64_t max_memory;  /* guest memory bytes (pages, hints, pushed
                             input); 0: ZK_MAX_GUEST_MEMORY */
    size_t max_output;    /* bytes of fd 1 / fd 2 kept each;
                             0: ZK_MAX_GUEST_OUTPUT */
    uint64_t max_wall_ms; /* wall-clock budget of zkvm_run; 0: none */
};

/* No cycle limit, default ceilings. */
void zkvm_limits_default(struct zkvm_limits *l);

/* --------------------------------------------------------------- result */

enum zkvm_status {
    ZKVM_STATUS_HALTED = 0,            /* HALT(0) */
    ZKVM_STATUS_PC_OUT,                /* stopped without HALT: jumped to 0
                                          or left the text (SP1 "finishes"
                                          but cannot prove it) */
    ZKVM_STATUS_HALT_NONZERO,          /* HaltWithNonZeroExitCode */
    ZKVM_STATUS_INVALID_MEMORY_ACCESS, /* misaligned load/store */
    ZKVM_STATUS_UNSUPPORTED_SYSCALL,   /* unknown syscall id */
    ZKVM_STATUS_BREAKPOINT,            /* EBREAK */
    ZKVM_STATUS_CYCLE_LIMIT,           /* ExceededCycleLimit */
    ZKVM_STATUS_INVALID_SYSCALL_USAGE, /* forbidden while unconstrained */
    ZKVM_STATUS_UNIMPLEMENTED,         /* FENCE/CSR/WFI/MRET executed */
    ZKVM_STATUS_END_IN_UNCONSTRAINED,
    ZKVM_STATUS_PANIC,        /* SP1's executor would panic (bad address in
                                 v4+, hint misuse, reserved fd, bad UTF-8,
                                 precompile assertion, ...) */
    ZKVM_STATUS_MEMORY_LIMIT, /* our memory ceiling */
    ZKVM_STATUS_REFUSED,      /* valid for SP1 but not supported here
                                 (VERIFY_SP1_PROOF, exotic edge cases) */
    ZKVM_STATUS_TIME_LIMIT,   /* our wall-clock budget (max_wall_ms) */
    ZKVM_STATUS_COUNT
};

/* Short name of a status ("halted", "cycle-limit", ...). */
const char *zkvm_status_name(enum zkvm_status s);

struct zkvm_syscall_count {
    uint32_t id;
    const char *name; /* static */
    uint64_t count;
};

#define ZKVM_MAX_SYSCALL_KINDS 48

struct zkvm_result {
    enum zkvm_status status;
    char reason[256];   /* human-readable detail, "" on success */
    uint32_t pc;        /* faulting instruction's pc, or the final pc */
    uint64_t cycles;    /* SP1's instruction count (global_clk) */
    uint32_t exit_code; /* HALT's a0 (valid when halted) */
    bool halted;        /* a HALT syscall ended the run */

    uint8_t *public_values; /* owned; NULL when empty */
    size_t public_values_len;
    uint8_t committed_digest[32]; /* the 8 COMMIT words, each LE */
    uint8_t deferred_digest[32];  /* the 8 COMMIT_DEFERRED_PROOFS words */
    bool digest_matches;          /* committed_digest == sha256(pv) */

    uint8_t *out_stdout; /* owned; fd 1 bytes (bounded), NUL-terminated */
    size_t out_stdout_len;
    uint8_t *out_stderr; /* owned; fd 2 bytes (bounded), NUL-terminated */
    size_t out_stderr_len;
    bool output_truncated;

    struct zkvm_syscall_count syscalls[ZKVM_MAX_SYSCALL_KINDS]; /* used ids */
    size_t n_syscalls;
    size_t stdin_unread;   /* items left (SP1 only warns) */
    uint64_t memory_bytes; /* guest memory in use at the end */
};

/* Frees the owned buffers; safe on a zeroed struct. */
void zkvm_result_cleanup(struct zkvm_result *r);

/* ------------------------------------------------------------ execution */

/*
 * Creates a VM for prog (borrowed: must outlive the VM) with a copy of the
 * stdin items. in may be NULL (no input).
 * Returns ZK_OK, ZK_ENOMEM, ZK_ELIMIT (image above the memory ceiling).
 */
ZK_NODISCARD enum zk_err zkvm_new(struct zkvm **out,
                                  const struct zkvm_program *prog,
                                  const struct zkvm_stdin *in,
                                  const struct zkvm_limits *lim);

/*
 * Runs to the end and fills res (always, also on failure; clean it up).
 * Returns ZK_OK only when the guest made HALT(0) and its committed digest
 * equals sha256(public values). Otherwise: ZK_ETRAP (guest error, see
 * res->status/reason/pc/cycles), ZK_EBUDGET (cycle or memory limit),
 * ZK_EUNSUPPORTED (refused), ZK_ECRYPTO (halted fine but the digest does
 * not match), ZK_ENOMEM. ZK_EBUDGET covers the cycle limit, the memory
 * ceiling and the wall-clock budget. A VM runs once.
 */
ZK_NODISCARD enum zk_err zkvm_run(struct zkvm *vm, struct zkvm_result *res);

void zkvm_free(struct zkvm *vm);

/* zkvm_new + zkvm_run + zkvm_free. */
ZK_NODISCARD enum zk_err zkvm_execute(const struct zkvm_program *prog,
                                      const struct zkvm_stdin *in,
                                      const struct zkvm_limits *lim,
                                      struct zkvm_result *res);

#endif
