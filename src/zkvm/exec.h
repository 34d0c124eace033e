/*
 * exec.h - executor internals shared by vm.c, exec.c and syscall.c.
 */
#ifndef ZK_ZKVM_EXEC_H
#define ZK_ZKVM_EXEC_H

#include "zkvm/zkvm_int.h"

/* Runs the machine until it stops or fails (status recorded in vm). */
ZK_NODISCARD enum zk_err zkvm_exec_run(struct zkvm *vm);

/* Executes exactly one instruction with the generic (reference) path.
 * Sets *stop when the machine stopped after it. Used by the fast loop for
 * everything unusual, in unconstrained mode, and by tests. */
ZK_NODISCARD enum zk_err zkvm_exec_step(struct zkvm *vm, bool *stop);

/* Monotonic clock in ns. */
uint64_t zkvm_now_ns(void);

/* Sets vm->err_at, the clk of the next budget check: the cycle limit (when
 * it applies in the current mode) or the next wall-clock check. Call after
 * any change of clk other than +1, of unc, or of the deadline. */
void zkvm_budget_rearm(struct zkvm *vm);

/* Called when clk >= err_at: fails with CYCLE_LIMIT or TIME_LIMIT, else
 * re-arms. */
ZK_NODISCARD enum zk_err zkvm_budget_check(struct zkvm *vm);

/* TIME_LIMIT failure when the deadline has passed. */
ZK_NODISCARD enum zk_err zkvm_time_check(struct zkvm *vm);

/* Pre-decodes the text (vm->dec, vm->code). */
ZK_NODISCARD enum zk_err zkvm_exec_prepare(struct zkvm *vm);

/* Handles the ECALL at vm->pc; *next_pc preset to pc + 4. */
ZK_NODISCARD enum zk_err zkvm_ecall(struct zkvm *vm, uint32_t *next_pc);

/* Input queue setup from the caller's stdin. */
ZK_NODISCARD enum zk_err zkvm_input_init(struct zkvm *vm,
                                         const struct zkvm_stdin *in);

/* The syscall table, for the result's counts. */
size_t zkvm_sys_kinds(void);
uint32_t zkvm_sys_id(size_t k);
const char *zkvm_sys_name(size_t k);

#endif
