/*
 * vm.c - executor lifecycle and results: zkvm_new / zkvm_run / zkvm_free,
 * failure recording, and the success rule (HALT(0) and the 8 COMMIT words
 * equal sha256(public values)).
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/sha256.h"
#include "zkvm/exec.h"
#include "zkvm/mem.h"

static const char *const status_names[ZKVM_STATUS_COUNT] = {
    "halted",
    "pc-out-of-text",
    "halt-nonzero-exit",
    "invalid-memory-access",
    "unsupported-syscall",
    "breakpoint",
    "cycle-limit",
    "invalid-syscall-usage",
    "unimplemented",
    "end-in-unconstrained",
    "panic",
    "memory-limit",
    "refused",
    "time-limit"};

const char *zkvm_status_name(enum zkvm_status s)
{
    if ((unsigned)s >= ZKVM_STATUS_COUNT) {
        return "?";
    }
    return status_names[s];
}

static enum zk_err status_err(enum zkvm_status st)
{
    switch (st) {
    case ZKVM_STATUS_HALTED:
        return ZK_OK;
    case ZKVM_STATUS_CYCLE_LIMIT:
    case ZKVM_STATUS_MEMORY_LIMIT:
    case ZKVM_STATUS_TIME_LIMIT:
        return ZK_EBUDGET;
    case ZKVM_STATUS_REFUSED:
        return ZK_EUNSUPPORTED;
    default:
        return ZK_ETRAP;
    }
}

enum zk_err zkvm_fail(struct zkvm *vm, enum zkvm_status st, const char *fmt,
                      ...)
{
    va_list ap;
    if (vm->failed) {
        return status_err(vm->status);
    }
    vm->failed = true;
    vm->status = st;
    va_start(ap, fmt);
    (void)vsnprintf(vm->reason, sizeof(vm->reason), fmt, ap);
    va_end(ap);
    return status_err(st);
}

const struct zkvm_sp1_version *zkvm_version(const struct zkvm *vm)
{
    return &vm->ver;
}

uint32_t zkvm_reg_get(const struct zkvm *vm, unsigned idx)
{
    return idx == 0 || idx > 31 ? 0 : vm->regs[idx];
}

void zkvm_limits_default(struct zkvm_limits *l)
{
    memset(l, 0, sizeof(*l));
}

enum zk_err zkvm_new(struct zkvm **out, const struct zkvm_program *prog,
                     const struct zkvm_stdin *in, const struct zkvm_limits *lim)
{
    struct zkvm *vm;
    enum zk_err err;
    const struct zkvm_sp1_version *v = &prog->version;

    *out = NULL;
    vm = zk_calloc(1, sizeof(*vm));
    if (!vm) {
        return ZK_ENOMEM;
    }
    vm->prog = prog;
    vm->ver = *v;
    vm->v3 = v->major == ZKVM_SP1_V3;
    vm->hint_len_panics = vm->v3 || !zkvm_version_ge(v, 4, 0, 1);
    vm->limit_in_unc = !zkvm_version_ge(v, 4, 1, 2);
    vm->mem_max =
        lim && lim->max_memory ? lim->max_memory : ZK_MAX_GUEST_MEMORY;
    vm->out_max =
        lim && lim->max_output ? lim->max_output : ZK_MAX_GUEST_OUTPUT;
    vm->cycle_limit = lim ? lim->cycle_limit : 0;
    if (vm->cycle_limit == 0 || vm->cycle_limit == UINT64_MAX) {
        vm->limit_at = UINT64_MAX; /* unreachable */
    } else if (zkvm_version_ge(v, 4, 1, 4)) {
        vm->limit_at = vm->cycle_limit + 1; /* global_clk > limit */
    } else {
        vm->limit_at = vm->cycle_limit; /* global_clk >= limit */
    }
    vm->max_wall_ms = lim ? lim->max_wall_ms : 0;
    zkvm_budget_rearm(vm);
    vm->pc = prog->pc_start;

    err = zkvm_mem_init(vm, prog);
    if (!err) {
        err = zkvm_exec_prepare(vm);
    }
    if (!err) {
        err = zkvm_input_init(vm, in);
    }
    if (err) {
        if (vm->failed && vm->status == ZKVM_STATUS_MEMORY_LIMIT) {
            err = ZK_ELIMIT;
        }
        zkvm_free(vm);
        return err;
    }
    *out = vm;
    return ZK_OK;
}

void zkvm_free(struct zkvm *vm)
{
    if (!vm) {
        return;
    }
    zkvm_mem_cleanup(vm);
    for (size_t k = vm->head; k < vm->n; k++) {
        zk_free(vm->items[k].p);
    }
    zk_free(vm->items);
    zk_free(vm->code);
    zk_free(vm->dec);
    zk_free(vm->pv);
    zk_free(vm->out[0]);
    zk_free(vm->out[1]);
    zk_free(vm);
}

void zkvm_result_cleanup(struct zkvm_result *r)
{
    if (!r) {
        return;
    }
    zk_free(r->public_values);
    zk_free(r->out_stdout);
    zk_free(r->out_stderr);
    memset(r, 0, sizeof(*r));
}

static void fill_result(struct zkvm *vm, struct zkvm_result *res)
{
    size_t m = 0;
    res->status = vm->status;
    (void)snprintf(res->reason, sizeof(res->reason), "%s", vm->reason);
    res->pc = vm->pc;
    res->cycles = vm->clk;
    res->exit_code = vm->exit_code;
    res->halted = vm->halted;
    res->public_values = vm->pv;
    res->public_values_len = vm->pv_len;
    vm->pv = NULL;
    for (int k = 0; k < 8; k++) {
        for (int j = 0; j < 4; j++) {
            res->committed_digest[4 * k + j] =
                (uint8_t)(vm->commit[k] >> (8 * j));
            res->deferred_digest[4 * k + j] =
                (uint8_t)(vm->deferred[k] >> (8 * j));
        }
    }
    res->out_stdout = vm->out[0];
    res->out_stdout_len = vm->out_len[0];
    res->out_stderr = vm->out[1];
    res->out_stderr_len = vm->out_len[1];
    vm->out[0] = vm->out[1] = NULL;
    res->output_truncated = vm->out_trunc;
    for (size_t k = 0; k < zkvm_sys_kinds(); k++) {
        if (!vm->sys_count[k]) {
            continue;
        }
        res->syscalls[m].id = zkvm_sys_id(k);
        res->syscalls[m].name = zkvm_sys_name(k);
        res->syscalls[m].count = vm->sys_count[k];
        m++;
    }
    res->n_syscalls = m;
    res->stdin_unread = vm->n - vm->head;
    res->memory_bytes = vm->mem_used;
}

enum zk_err zkvm_run(struct zkvm *vm, struct zkvm_result *res)
{
    enum zk_err err;
    struct zk_hash32 h;

    memset(res, 0, sizeof(*res));
    if (vm->ran) {
        zk_error("zkvm: run: a VM runs only once");
        return ZK_EINTERNAL;
    }
    vm->ran = true;
    if (vm->max_wall_ms) {
        vm->deadline_ns = zkvm_now_ns() + vm->max_wall_ms * 1000000ull;
        zkvm_budget_rearm(vm);
    }
    err = zkvm_exec_run(vm);
    if (!err && !vm->failed) {
        if (!vm->halted) {
            (void)zkvm_fail(vm, ZKVM_STATUS_PC_OUT,
                            "the program left the text at pc 0x%08x without "
                            "HALT",
                            vm->pc);
        } else if (vm->exit_code != 0) {
            (void)zkvm_fail(vm, ZKVM_STATUS_HALT_NONZERO,
                            "HaltWithNonZeroExitCode(%u)", vm->exit_code);
        }
    }
    fill_result(vm, res);
    if (crypto_sha256(&h, res->public_values, res->public_values_len) ==
        ZK_OK) {
        res->digest_matches =
            memcmp(h.b, res->committed_digest, sizeof(h.b)) == 0;
    }
    if (vm->failed) {
        if (vm->status != ZKVM_STATUS_HALT_NONZERO &&
            vm->status != ZKVM_STATUS_PC_OUT) {
            zk_debug("zkvm: run: %s at pc 0x%08x after %llu cycles: %s",
                     zkvm_status_name(vm->status), vm->pc,
                     (unsigned long long)vm->clk, vm->reason);
        }
        return status_err(vm->status);
    }
    if (!res->digest_matches) {
        (void)snprintf(res->reason, sizeof(res->reason),
                       "committed digest does not equal sha256(public values)");
        return ZK_ECRYPTO;
    }
    return ZK_OK;
}

enum zk_err zkvm_execute(const struct zkvm_program *prog,
                         const struct zkvm_stdin *in,
                         const struct zkvm_limits *lim, struct zkvm_result *res)
{
    struct zkvm *vm;
    enum zk_err err;
    memset(res, 0, sizeof(*res));
    err = zkvm_new(&vm, prog, in, lim);
    if (err) {
        res->status = ZKVM_STATUS_MEMORY_LIMIT;
        (void)snprintf(res->reason, sizeof(res->reason),
                       "cannot set up the VM: %s", zk_strerror(err));
        return err;
    }
    err = zkvm_run(vm, res);
    zkvm_free(vm);
    return err;
}
