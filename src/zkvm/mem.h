/*
 * mem.h - guest memory internals of the executor (see mem.c).
 * Word addresses (wa) are 4-aligned byte addresses.
 */
#ifndef ZK_ZKVM_MEM_H
#define ZK_ZKVM_MEM_H

#include "zkvm/zkvm_int.h"

/* Sets up the page table and the initial image. */
ZK_NODISCARD enum zk_err zkvm_mem_init(struct zkvm *vm,
                                       const struct zkvm_program *prog);
void zkvm_mem_cleanup(struct zkvm *vm);

/* Accounts bytes of guest memory; MEMORY_LIMIT failure past the ceiling. */
ZK_NODISCARD enum zk_err zkvm_mem_charge(struct zkvm *vm, uint64_t bytes);

/* Traced access to word wa: address checks, first touch (hint value),
 * undo logging while unconstrained. NULL with *err set on failure. */
uint32_t *zkvm_mem_touch(struct zkvm *vm, uint32_t wa, enum zk_err *err);

/* Materialised value of word wa (0 when absent); no checks. */
uint32_t zkvm_mem_peek(struct zkvm *vm, uint32_t wa);

/* Traced write of a whole word. */
ZK_NODISCARD enum zk_err zkvm_mem_store_word(struct zkvm *vm, uint32_t wa,
                                             uint32_t v);

/* Records the pending hint value of word wa (HINT_READ). */
ZK_NODISCARD enum zk_err zkvm_mem_hint(struct zkvm *vm, uint32_t wa,
                                       uint32_t v);

/* Undoes every memory change of the unconstrained block. */
void zkvm_mem_unc_rollback(struct zkvm *vm);

#endif
