/*
 * syscall.c - the ECALL ABI apart from precompile math
 * (sp1-executor-abi.md §4-§8): HALT, WRITE and its file descriptors,
 * HINT_LEN/HINT_READ, COMMIT*, ENTER/EXIT_UNCONSTRAINED, VERIFY_SP1_PROOF
 * (refused), and dispatch of precompiles and hooks.
 */
#include <config.h>

#include <string.h>

#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "zkvm/exec.h"
#include "zkvm/mem.h"

struct sys_desc {
    uint32_t id;
    const char *name;
    int min_major;
};

static const struct sys_desc sys_table[] = {
    {ZKVM_SYS_HALT, "HALT", 3},
    {ZKVM_SYS_WRITE, "WRITE", 3},
    {ZKVM_SYS_ENTER_UNCONSTRAINED, "ENTER_UNCONSTRAINED", 3},
    {ZKVM_SYS_EXIT_UNCONSTRAINED, "EXIT_UNCONSTRAINED", 3},
    {ZKVM_SYS_SHA_EXTEND, "SHA_EXTEND", 3},
    {ZKVM_SYS_SHA_COMPRESS, "SHA_COMPRESS", 3},
    {ZKVM_SYS_ED_ADD, "ED_ADD", 3},
    {ZKVM_SYS_ED_DECOMPRESS, "ED_DECOMPRESS", 3},
    {ZKVM_SYS_KECCAK_PERMUTE, "KECCAK_PERMUTE", 3},
    {ZKVM_SYS_SECP256K1_ADD, "SECP256K1_ADD", 3},
    {ZKVM_SYS_SECP256K1_DOUBLE, "SECP256K1_DOUBLE", 3},
    {ZKVM_SYS_SECP256K1_DECOMPRESS, "SECP256K1_DECOMPRESS", 3},
    {ZKVM_SYS_BN254_ADD, "BN254_ADD", 3},
    {ZKVM_SYS_BN254_DOUBLE, "BN254_DOUBLE", 3},
    {ZKVM_SYS_COMMIT, "COMMIT", 3},
    {ZKVM_SYS_COMMIT_DEFERRED_PROOFS, "COMMIT_DEFERRED_PROOFS", 3},
    {ZKVM_SYS_VERIFY_SP1_PROOF, "VERIFY_SP1_PROOF", 3},
    {ZKVM_SYS_BLS12381_DECOMPRESS, "BLS12381_DECOMPRESS", 3},
    {ZKVM_SYS_UINT256_MUL, "UINT256_MUL", 3},
    {ZKVM_SYS_BLS12381_ADD, "BLS12381_ADD", 3},
    {ZKVM_SYS_BLS12381_DOUBLE, "BLS12381_DOUBLE", 3},
    {ZKVM_SYS_BLS12381_FP_ADD, "BLS12381_FP_ADD", 3},
    {ZKVM_SYS_BLS12381_FP_SUB, "BLS12381_FP_SUB", 3},
    {ZKVM_SYS_BLS12381_FP_MUL, "BLS12381_FP_MUL", 3},
    {ZKVM_SYS_BLS12381_FP2_ADD, "BLS12381_FP2_ADD", 3},
    {ZKVM_SYS_BLS12381_FP2_SUB, "BLS12381_FP2_SUB", 3},
    {ZKVM_SYS_BLS12381_FP2_MUL, "BLS12381_FP2_MUL", 3},
    {ZKVM_SYS_BN254_FP_ADD, "BN254_FP_ADD", 3},
    {ZKVM_SYS_BN254_FP_SUB, "BN254_FP_SUB", 3},
    {ZKVM_SYS_BN254_FP_MUL, "BN254_FP_MUL", 3},
    {ZKVM_SYS_BN254_FP2_ADD, "BN254_FP2_ADD", 3},
    {ZKVM_SYS_BN254_FP2_SUB, "BN254_FP2_SUB", 3},
    {ZKVM_SYS_BN254_FP2_MUL, "BN254_FP2_MUL", 3},
    {ZKVM_SYS_SECP256R1_ADD, "SECP256R1_ADD", 4},
    {ZKVM_SYS_SECP256R1_DOUBLE, "SECP256R1_DOUBLE", 4},
    {ZKVM_SYS_SECP256R1_DECOMPRESS, "SECP256R1_DECOMPRESS", 4},
    {ZKVM_SYS_U256XU2048_MUL, "U256XU2048_MUL", 4},
    {ZKVM_SYS_HINT_LEN, "HINT_LEN", 3},
    {ZKVM_SYS_HINT_READ, "HINT_READ", 3},
};

_Static_assert(sizeof(sys_table) / sizeof(sys_table[0]) <=
                   ZKVM_MAX_SYSCALL_KINDS,
               "syscall table larger than the result array");

size_t zkvm_sys_kinds(void)
{
    return ZK_ARRAY_LEN(sys_table);
}

uint32_t zkvm_sys_id(size_t k)
{
    return sys_table[k].id;
}

const char *zkvm_sys_name(size_t k)
{
    return sys_table[k].name;
}

static int sys_index(const struct zkvm *vm, uint32_t id)
{
    for (size_t k = 0; k < ZK_ARRAY_LEN(sys_table); k++) {
        if (sys_table[k].id == id) {
            return (int)vm->ver.major >= sys_table[k].min_major ? (int)k : -1;
        }
    }
    return -1;
}

/* ------------------------------------------------------------ input */

static enum zk_err input_insert(struct zkvm *vm, size_t pos, const uint8_t *p,
                                size_t n)
{
    uint8_t *copy = NULL;
    enum zk_err err;

    if (vm->n - vm->head >= ZK_MAX_STDIN_ITEMS) {
        return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                         "more than %u unread input items", ZK_MAX_STDIN_ITEMS);
    }
    err = zkvm_mem_charge(vm, n + sizeof(struct zkvm_item));
    if (err) {
        return err;
    }
    if (vm->n == vm->cap) {
        size_t nc = vm->cap ? vm->cap * 2 : 16;
        void *np = zk_realloc(vm->items, nc * sizeof(*vm->items));
        if (!np) {
            return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT, "out of memory");
        }
        vm->items = np;
        vm->cap = nc;
    }
    if (n) {
        copy = zk_malloc(n);
        if (!copy) {
            return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT, "out of memory");
        }
        memcpy(copy, p, n);
    }
    memmove(&vm->items[pos + 1], &vm->items[pos],
            (vm->n - pos) * sizeof(*vm->items));
    vm->items[pos].p = copy;
    vm->items[pos].n = n;
    vm->n++;
    return ZK_OK;
}

enum zk_err zkvm_input_push(struct zkvm *vm, const uint8_t *p, size_t n)
{
    size_t pos = vm->push_at;
    enum zk_err err;
    if (pos == SIZE_MAX || pos < vm->head || pos > vm->n) {
        pos = vm->n;
    }
    err = input_insert(vm, pos, p, n);
    if (!err && vm->push_at != SIZE_MAX) {
        vm->push_at = pos + 1;
    }
    return err;
}

enum zk_err zkvm_input_init(struct zkvm *vm, const struct zkvm_stdin *in)
{
    vm->push_at = SIZE_MAX;
    for (size_t k = 0; in && k < in->n; k++) {
        enum zk_err err =
            input_insert(vm, vm->n, in->items[k].data, in->items[k].len);
        if (err) {
            return err;
        }
    }
    return ZK_OK;
}

/* ----------------------------------------------------------- output */

static enum zk_err grow_append(uint8_t **buf, size_t *len, size_t *cap,
                               const uint8_t *p, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = *cap ? *cap : 256;
        void *np;
        while (nc < *len + n + 1) {
            nc *= 2;
        }
        np = zk_realloc(*buf, nc);
        if (!np) {
            return ZK_ENOMEM;
        }
        *buf = np;
        *cap = nc;
    }
    memcpy(*buf + *len, p, n);
    *len += n;
    (*buf)[*len] = 0;
    return ZK_OK;
}

static bool utf8_valid(const uint8_t *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint8_t c = s[i];
        size_t k;
        uint32_t cp;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) {
            k = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            k = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            k = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (n - i <= k) {
            return false;
        }
        for (size_t j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80) {
                return false;
            }
            cp = (cp << 6) | (s[i + j] & 0x3f);
        }
        if ((k == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
            (k == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
            return false;
        }
        i += k + 1;
    }
    return true;
}

static bool is_cycle_tracker(const uint8_t *s, size_t n)
{
    static const char *const pfx[] = {
        "cycle-tracker-start:", "cycle-tracker-end:",
        "cycle-tracker-report-start:", "cycle-tracker-report-end:"};
    for (size_t k = 0; k < ZK_ARRAY_LEN(pfx); k++) {
        size_t l = strlen(pfx[k]);
        if (n >= l && memcmp(s, pfx[k], l) == 0) {
            return true;
        }
    }
    return false;
}

static enum zk_err write_console(struct zkvm *vm, int which, const uint8_t *b,
                                 size_t n)
{
    size_t room;
    if (!utf8_valid(b, n)) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "WRITE to fd %d with bytes that are not UTF-8",
                         which + 1);
    }
    if (which == 0 && is_cycle_tracker(b, n)) { /* fd 1 only */
        return ZK_OK;
    }
    room = vm->out_max - vm->out_len[which];
    if (n > room) {
        n = room;
        vm->out_trunc = true;
    }
    if (n && grow_append(&vm->out[which], &vm->out_len[which],
                         &vm->out_cap[which], b, n)) {
        return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT, "out of memory");
    }
    return ZK_OK;
}

/* Hook fds per version: one table, the precompile side's. */
static bool is_hook_fd(const struct zkvm *vm, uint32_t fd)
{
    return zkvm_hook_lookup((int)vm->ver.major, vm->ver.minor, fd, false) !=
           ZKVM_HOOK_NONE;
}

static enum zk_err sys_write(struct zkvm *vm, uint32_t fd, uint32_t ptr,
                             uint32_t len)
{
    uint8_t *b = NULL;
    enum zk_err err = ZK_OK;
    uint32_t pv_fd = vm->v3 ? 3 : 13, hint_fd = vm->v3 ? 4 : 14;

    if (!vm->v3 && fd <= 10 && fd != 1 && fd != 2) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "WRITE to reserved file descriptor %u", fd);
    }
    if (len > ZK_MAX_STDIN_SIZE) {
        return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                         "WRITE of %u bytes is above the %u byte limit", len,
                         ZK_MAX_STDIN_SIZE);
    }
    /* bounds host time: every WRITE copies its bytes */
    vm->write_total += len;
    if (vm->write_total > ZKVM_MAX_WRITE_TOTAL) {
        return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                         "the guest wrote more than %llu bytes in total",
                         (unsigned long long)ZKVM_MAX_WRITE_TOTAL);
    }
    if (len) {
        b = zk_malloc(len);
        if (!b) {
            return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT, "out of memory");
        }
        for (uint32_t k = 0; k < len;) {
            uint32_t a = ptr + k;
            uint32_t w = zkvm_mem_peek(vm, a & ~3u);
            b[k++] = (uint8_t)(w >> (8 * (a & 3)));
        }
    }
    if (fd == 1 || fd == 2) {
        err = write_console(vm, (int)fd - 1, b, len);
    } else if (fd == pv_fd) {
        if (vm->pv_len + len > ZK_MAX_PUBLIC_VALUES) {
            err =
                zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                          "public values above %u bytes", ZK_MAX_PUBLIC_VALUES);
        } else if (len &&
                   grow_append(&vm->pv, &vm->pv_len, &vm->pv_cap, b, len)) {
            err = zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT, "out of memory");
        }
    } else if (fd == hint_fd) {
        /* v3 appends, v4+ pushes at the front */
        err = input_insert(vm, vm->v3 ? vm->n : vm->head, b, len);
    } else if (is_hook_fd(vm, fd)) {
        vm->push_at = vm->head;
        err = zkvm_hook_call(vm, fd, b, len);
        vm->push_at = SIZE_MAX;
        if (err && !vm->failed) {
            err = zkvm_fail(vm, ZKVM_STATUS_PANIC, "hook on fd %u failed", fd);
        }
    } else if (!vm->warned_fd) { /* once per run: no log flooding */
        vm->warned_fd = true;
        zk_warn("zkvm: write: guest wrote %u bytes to unknown fd %u (ignored; "
                "further ones not logged)",
                len, fd);
    }
    zk_free(b);
    return err;
}

static enum zk_err sys_hint_read(struct zkvm *vm, uint32_t ptr, uint32_t len)
{
    struct zkvm_item it;
    enum zk_err err = ZK_OK;

    if (vm->head == vm->n) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "HINT_READ with no input left (the guest read past "
                         "the end of stdin)");
    }
    it = vm->items[vm->head];
    vm->items[vm->head].p = NULL;
    vm->head++;
    if (it.n != len) {
        err = zkvm_fail(vm, ZKVM_STATUS_PANIC,
                        "HINT_READ length %u does not match the input item "
                        "length %zu",
                        len, it.n);
        goto out;
    }
    if (ptr % 4 != 0) {
        err = zkvm_fail(vm, ZKVM_STATUS_PANIC,
                        "HINT_READ pointer 0x%08x is not 4-aligned", ptr);
        goto out;
    }
    if (len && (uint64_t)ptr + len - 1 > 0xffffffffu) {
        err = zkvm_fail(vm, ZKVM_STATUS_REFUSED,
                        "HINT_READ buffer wraps the address space");
        goto out;
    }
    for (size_t k = 0; k < it.n && !err; k += 4) {
        uint32_t w = 0;
        for (size_t j = 0; j < 4 && k + j < it.n; j++) {
            w |= (uint32_t)it.p[k + j] << (8 * j);
        }
        err = zkvm_mem_hint(vm, ptr + (uint32_t)k, w);
    }
out:
    zk_free(it.p);
    return err;
}

static void unc_enter(struct zkvm *vm)
{
    vm->unc = true;
    vm->unc_pc = vm->pc;
    vm->unc_clk = vm->clk;
    memcpy(vm->unc_regs, vm->regs, sizeof(vm->regs));
    vm->n_undo = 0;
    zkvm_budget_rearm(vm);
}

static void unc_exit(struct zkvm *vm, uint32_t *next_pc)
{
    memcpy(vm->regs, vm->unc_regs, sizeof(vm->regs));
    zkvm_mem_unc_rollback(vm);
    vm->clk = vm->unc_clk;
    *next_pc = vm->unc_pc + 4;
    vm->unc = false;
    zkvm_budget_rearm(vm);
}

enum zk_err zkvm_ecall(struct zkvm *vm, uint32_t *next_pc)
{
    uint32_t id = vm->regs[ZKVM_REG_T0];
    uint32_t a0 = vm->regs[ZKVM_REG_A0], a1 = vm->regs[ZKVM_REG_A1];
    uint32_t ret = id;
    enum zk_err err = ZK_OK;
    int k = sys_index(vm, id);

    if (k < 0) {
        return zkvm_fail(vm, ZKVM_STATUS_UNSUPPORTED_SYSCALL,
                         "invalid syscall number 0x%08x", id);
    }
    if (vm->deadline_ns) { /* syscalls can be slow: check at each one */
        err = zkvm_time_check(vm);
        if (err) {
            return err;
        }
    }
    if (vm->unc && id != ZKVM_SYS_WRITE && id != ZKVM_SYS_EXIT_UNCONSTRAINED) {
        return zkvm_fail(vm, ZKVM_STATUS_INVALID_SYSCALL_USAGE,
                         "syscall %s is not allowed in unconstrained mode",
                         sys_table[k].name);
    }
    if (!vm->unc) {
        vm->sys_count[k]++;
    }

    switch (id) {
    case ZKVM_SYS_HALT:
        vm->halted = true;
        vm->exit_code = a0;
        *next_pc = 0;
        if (a0 != 0) { /* SP1 errors inside the ECALL, before global_clk++ */
            return zkvm_fail(vm, ZKVM_STATUS_HALT_NONZERO,
                             "HaltWithNonZeroExitCode(%u)", a0);
        }
        break;
    case ZKVM_SYS_WRITE:
        err = sys_write(vm, a0, a1, vm->regs[ZKVM_REG_A2]);
        break;
    case ZKVM_SYS_ENTER_UNCONSTRAINED:
        if (vm->unc) {
            return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                             "ENTER_UNCONSTRAINED while unconstrained");
        }
        unc_enter(vm);
        ret = 1;
        break;
    case ZKVM_SYS_EXIT_UNCONSTRAINED:
        if (vm->unc) {
            unc_exit(vm, next_pc);
        }
        ret = 0;
        break;
    case ZKVM_SYS_COMMIT:
    case ZKVM_SYS_COMMIT_DEFERRED_PROOFS:
        if (a0 >= 8) {
            return zkvm_fail(vm, ZKVM_STATUS_PANIC, "%s index %u >= 8",
                             sys_table[k].name, a0);
        }
        if (id == ZKVM_SYS_COMMIT) {
            vm->commit[a0] = a1;
        } else {
            vm->deferred[a0] = a1;
        }
        break;
    case ZKVM_SYS_VERIFY_SP1_PROOF:
        return zkvm_fail(vm, ZKVM_STATUS_REFUSED,
                         "VERIFY_SP1_PROOF (deferred proof verification) is "
                         "not supported by this executor");
    case ZKVM_SYS_HINT_LEN:
        if (vm->head == vm->n) {
            if (vm->hint_len_panics) {
                return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                                 "HINT_LEN with no input left");
            }
            ret = 0xffffffffu;
        } else {
            ret = (uint32_t)vm->items[vm->head].n;
        }
        break;
    case ZKVM_SYS_HINT_READ:
        err = sys_hint_read(vm, a0, a1);
        break;
    default: {
        bool handled = false;
        err = zkvm_precompile_call(vm, id, a0, a1, &handled);
        if (!err && !handled) {
            return zkvm_fail(vm, ZKVM_STATUS_UNSUPPORTED_SYSCALL,
                             "precompile %s is not implemented",
                             sys_table[k].name);
        }
        if (err && !vm->failed) {
            err = zkvm_fail(vm, ZKVM_STATUS_PANIC, "precompile %s failed",
                            sys_table[k].name);
        }
        break;
    }
    }
    if (err) {
        return err;
    }
    vm->regs[ZKVM_REG_T0] = ret;
    return ZK_OK;
}
