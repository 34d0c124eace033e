/*
 * mem.c - guest memory: sparse 4 KiB pages, SP1's "absent word" and lazy
 * hint semantics, v4+ address checks, v3 register aliasing, and the undo
 * log of unconstrained blocks (sp1-executor-abi.md §2, §7.3, §8).
 *
 * Invariant: a word whose touched bit is clear stores 0. Its first normal
 * read or write ("first touch") sets the bit and loads the pending hint
 * value for it, if any. Peeks never touch.
 */
#include <config.h>

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "base/log.h"
#include "base/mem.h"
#include "zkvm/mem.h"

#define BABYBEAR_P 0x78000001u
#define HI_PAGE    (0x78000000u >> ZKVM_PAGE_SHIFT)

static bool bit_get(const uint32_t *bm, uint32_t i)
{
    return (bm[i >> 5] >> (i & 31)) & 1u;
}

static void bit_set(uint32_t *bm, uint32_t i)
{
    bm[i >> 5] |= 1u << (i & 31);
}

static void bit_clear(uint32_t *bm, uint32_t i)
{
    bm[i >> 5] &= ~(1u << (i & 31));
}

enum zk_err zkvm_mem_charge(struct zkvm *vm, uint64_t bytes)
{
    if (vm->mem_used + bytes > vm->mem_max) {
        return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                         "guest memory above the %llu byte ceiling",
                         (unsigned long long)vm->mem_max);
    }
    vm->mem_used += bytes;
    return ZK_OK;
}

/*
 * Page tables (4 GiB / 4 KiB entries, 8 MiB) are anonymous mappings: the
 * kernel hands out zero pages lazily, so a VM that touches little memory
 * costs little, also under valgrind. Allocated pages are remembered in
 * vm->pages for cleanup.
 */
static void *table_new(void)
{
    void *p = mmap(NULL, (size_t)ZKVM_N_PAGES * sizeof(void *),
                   PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void table_free(void *p)
{
    if (p) {
        munmap(p, (size_t)ZKVM_N_PAGES * sizeof(void *));
    }
}

static enum zk_err remember(struct zkvm *vm, void *page)
{
    if (vm->n_pages == vm->cap_pages) {
        size_t nc = vm->cap_pages ? vm->cap_pages * 2 : 64;
        void *np = zk_realloc(vm->pages, nc * sizeof(*vm->pages));
        if (!np) {
            return ZK_ENOMEM;
        }
        vm->pages = np;
        vm->cap_pages = nc;
    }
    vm->pages[vm->n_pages++] = page;
    return ZK_OK;
}

/* The page for page number pn; NULL if absent and !create (or on error,
 * then *err is set). */
static struct zkvm_page *page_get(struct zkvm *vm, uint32_t pn, bool create,
                                  enum zk_err *err)
{
    struct zkvm_page **slot;
    if (pn == 0) {
        slot = &vm->page0;
    } else if (!vm->v3 && pn >= HI_PAGE) {
        slot = &vm->pagehi;
    } else {
        slot = &vm->pt[pn];
    }
    if (*slot || !create) {
        return *slot;
    }
    *err = zkvm_mem_charge(vm, sizeof(struct zkvm_page));
    if (*err) {
        return NULL;
    }
    *slot = zk_calloc(1, sizeof(struct zkvm_page));
    if (!*slot || remember(vm, *slot)) {
        zk_free(*slot);
        *slot = NULL;
        *err = zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT, "out of host memory");
        return NULL;
    }
    return *slot;
}

static bool hint_lookup(const struct zkvm *vm, uint32_t wa, uint32_t *v)
{
    const struct zkvm_hint_page *h;
    uint32_t i = (wa >> 2) & (ZKVM_PAGE_WORDS - 1);
    if (!vm->hpt) {
        return false;
    }
    h = vm->hpt[wa >> ZKVM_PAGE_SHIFT];
    if (!h || !bit_get(h->has, i)) {
        return false;
    }
    *v = h->v[i];
    return true;
}

uint32_t *zkvm_mem_touch(struct zkvm *vm, uint32_t wa, enum zk_err *err)
{
    struct zkvm_page *p;
    uint32_t i;

    *err = ZK_OK;
    if (vm->v3) {
        if (wa < 32) {
            return &vm->regs[wa]; /* registers live at keys 0..31 */
        }
    } else if (wa < 32 || wa >= BABYBEAR_P) {
        *err = zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "memory access at 0x%08x (must be >= 32 and < "
                         "0x78000001 from v4 on)",
                         wa);
        return NULL;
    }
    p = page_get(vm, wa >> ZKVM_PAGE_SHIFT, true, err);
    if (!p) {
        return NULL;
    }
    i = (wa >> 2) & (ZKVM_PAGE_WORDS - 1);
    if (vm->unc && !bit_get(p->unc_saved, i)) {
        struct zkvm_undo *u;
        if (vm->n_undo == vm->cap_undo) {
            size_t nc = vm->cap_undo ? vm->cap_undo * 2 : 256;
            void *np;
            *err = zkvm_mem_charge(vm, (nc - vm->cap_undo) * sizeof(*u));
            if (*err) {
                return NULL;
            }
            np = zk_realloc(vm->undo, nc * sizeof(*u));
            if (!np) {
                *err = zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                                 "out of host memory");
                return NULL;
            }
            vm->undo = np;
            vm->cap_undo = nc;
        }
        u = &vm->undo[vm->n_undo++];
        u->addr = wa;
        u->old = p->w[i];
        u->was_touched = bit_get(p->touched, i);
        bit_set(p->unc_saved, i);
    }
    if (!bit_get(p->touched, i)) {
        uint32_t hv;
        bit_set(p->touched, i);
        if (hint_lookup(vm, wa, &hv)) {
            p->w[i] = hv;
        }
    }
    return &p->w[i];
}

uint32_t zkvm_mem_peek(struct zkvm *vm, uint32_t wa)
{
    enum zk_err err;
    struct zkvm_page *p;
    if (vm->v3 && wa < 32) {
        return vm->regs[wa];
    }
    if (!vm->v3 && wa >= BABYBEAR_P) {
        return 0;
    }
    p = page_get(vm, wa >> ZKVM_PAGE_SHIFT, false, &err);
    return p ? p->w[(wa >> 2) & (ZKVM_PAGE_WORDS - 1)] : 0;
}

enum zk_err zkvm_mem_store_word(struct zkvm *vm, uint32_t wa, uint32_t v)
{
    enum zk_err err;
    uint32_t *w;
    if (vm->v3 && wa == 0 && v != 0) {
        return zkvm_fail(vm, ZKVM_STATUS_REFUSED,
                         "v3 guest stores a non-zero word at address 0, "
                         "which aliases register x0");
    }
    w = zkvm_mem_touch(vm, wa, &err);
    if (!w) {
        return err;
    }
    *w = v;
    return ZK_OK;
}

void zkvm_mem_unc_rollback(struct zkvm *vm)
{
    for (size_t k = vm->n_undo; k-- > 0;) {
        const struct zkvm_undo *u = &vm->undo[k];
        enum zk_err err;
        struct zkvm_page *p =
            page_get(vm, u->addr >> ZKVM_PAGE_SHIFT, false, &err);
        uint32_t i = (u->addr >> 2) & (ZKVM_PAGE_WORDS - 1);
        if (!p) {
            continue;
        }
        p->w[i] = u->old;
        if (u->was_touched) {
            bit_set(p->touched, i);
        } else {
            bit_clear(p->touched, i);
        }
        bit_clear(p->unc_saved, i);
    }
    vm->n_undo = 0;
}

enum zk_err zkvm_mem_hint(struct zkvm *vm, uint32_t wa, uint32_t v)
{
    struct zkvm_hint_page **slot;
    uint32_t i = (wa >> 2) & (ZKVM_PAGE_WORDS - 1);
    enum zk_err err;

    if (vm->v3 && wa < 32) {
        return zkvm_fail(vm, ZKVM_STATUS_REFUSED,
                         "v3 hint into the register range (0x%08x)", wa);
    }
    if (!vm->hpt) {
        vm->hpt = table_new();
        if (!vm->hpt) {
            return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                             "out of host memory");
        }
    }
    slot = &vm->hpt[wa >> ZKVM_PAGE_SHIFT];
    if (!*slot) {
        err = zkvm_mem_charge(vm, sizeof(**slot));
        if (err) {
            return err;
        }
        *slot = zk_calloc(1, sizeof(**slot));
        if (!*slot || remember(vm, *slot)) {
            zk_free(*slot);
            *slot = NULL;
            return zkvm_fail(vm, ZKVM_STATUS_MEMORY_LIMIT,
                             "out of host memory");
        }
    }
    if (bit_get((*slot)->has, i)) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "hint address 0x%08x already in use", wa);
    }
    bit_set((*slot)->has, i);
    (*slot)->v[i] = v;
    return ZK_OK;
}

enum zk_err zkvm_mem_init(struct zkvm *vm, const struct zkvm_program *prog)
{
    enum zk_err err = ZK_OK;
    vm->pt = table_new();
    if (!vm->pt) {
        return ZK_ENOMEM;
    }
    for (size_t k = 0; k < prog->n_image; k++) {
        uint32_t wa = prog->image[k].addr;
        struct zkvm_page *p;
        uint32_t i;
        if (vm->v3 && wa < 32) {
            if (wa == 0 && prog->image[k].value != 0) {
                zk_error("zkvm: init: v3 image sets address 0 (register x0)");
                return ZK_EUNSUPPORTED;
            }
            vm->regs[wa] = prog->image[k].value;
            continue;
        }
        if (!vm->v3 && wa >= BABYBEAR_P) {
            continue; /* unreachable in v4+ (any access panics) */
        }
        p = page_get(vm, wa >> ZKVM_PAGE_SHIFT, true, &err);
        if (!p) {
            zk_error("zkvm: init: image does not fit the memory ceiling");
            return ZK_ELIMIT;
        }
        i = (wa >> 2) & (ZKVM_PAGE_WORDS - 1);
        p->w[i] = prog->image[k].value;
        bit_set(p->touched, i);
    }
    return ZK_OK;
}

void zkvm_mem_cleanup(struct zkvm *vm)
{
    for (size_t k = 0; k < vm->n_pages; k++) {
        zk_free(vm->pages[k]);
    }
    zk_free(vm->pages);
    table_free(vm->pt);
    table_free(vm->hpt);
    zk_free(vm->undo);
    vm->pages = NULL;
    vm->n_pages = vm->cap_pages = 0;
    vm->pt = NULL;
    vm->hpt = NULL;
    vm->page0 = vm->pagehi = NULL;
    vm->undo = NULL;
}

/* ---------------------------------------------- syscall word access */

static enum zk_err check_aligned(struct zkvm *vm, uint32_t addr, size_t n)
{
    if (addr % 4 != 0) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "syscall pointer 0x%08x is not 4-aligned", addr);
    }
    if (n > 0 && (uint64_t)addr + 4 * (uint64_t)(n - 1) > 0xffffffffu) {
        return zkvm_fail(vm, ZKVM_STATUS_PANIC,
                         "syscall buffer at 0x%08x wraps the address space",
                         addr);
    }
    return ZK_OK;
}

enum zk_err zkvm_mem_read_words(struct zkvm *vm, uint32_t addr, uint32_t *out,
                                size_t n)
{
    enum zk_err err = check_aligned(vm, addr, n);
    for (size_t k = 0; !err && k < n; k++) {
        uint32_t *w = zkvm_mem_touch(vm, addr + 4 * (uint32_t)k, &err);
        if (w) {
            out[k] = *w;
        }
    }
    return err;
}

enum zk_err zkvm_mem_peek_words(struct zkvm *vm, uint32_t addr, uint32_t *out,
                                size_t n)
{
    enum zk_err err = check_aligned(vm, addr, n);
    for (size_t k = 0; !err && k < n; k++) {
        out[k] = zkvm_mem_peek(vm, addr + 4 * (uint32_t)k);
    }
    return err;
}

enum zk_err zkvm_mem_write_words(struct zkvm *vm, uint32_t addr,
                                 const uint32_t *in, size_t n)
{
    enum zk_err err = check_aligned(vm, addr, n);
    for (size_t k = 0; !err && k < n; k++) {
        err = zkvm_mem_store_word(vm, addr + 4 * (uint32_t)k, in[k]);
    }
    return err;
}
