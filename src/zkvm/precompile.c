/*
 * precompile.c - TEMPORARY STUB written by the executor ("zkvm") helper so
 * that libzkvm.a links. It belongs to the precompile helper: replace this
 * whole file with the real dispatch (zkvm_precompile_call, zkvm_hook_call
 * as declared in zkvm_int.h).
 */
#include <config.h>

#include "zkvm/zkvm_int.h"

enum zk_err zkvm_precompile_call(struct zkvm *vm, uint32_t syscall_id,
                                 uint32_t a0, uint32_t a1, bool *handled_out)
{
    (void)vm;
    (void)syscall_id;
    (void)a0;
    (void)a1;
    *handled_out = false;
    return ZK_OK;
}

enum zk_err zkvm_hook_call(struct zkvm *vm, uint32_t fd, const uint8_t *in,
                           size_t len)
{
    (void)in;
    (void)len;
    return zkvm_fail(vm, ZKVM_STATUS_REFUSED, "hook on fd %u not built yet",
                     (unsigned)fd);
}
