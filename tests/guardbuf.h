/*
 * guardbuf.h - page-guarded input buffers for parser tests
 * (picohttpparser's trick): the n bytes end exactly where a PROT_NONE page
 * begins, so reading even one byte past the input faults under any build,
 * with or without sanitizers. Header-only; test code only.
 *
 *   struct guardbuf g = guardbuf_new(src, n);   // aborts on mmap failure
 *   parse(g.p, n);
 *   guardbuf_free(&g);
 */
#ifndef ZK_TESTS_GUARDBUF_H
#define ZK_TESTS_GUARDBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

struct guardbuf {
    uint8_t *map;
    size_t map_len;
    uint8_t *p; /* the n bytes, ending at the guard page */
};

static inline struct guardbuf guardbuf_new(const void *src, size_t n)
{
    struct guardbuf g;
    size_t pg = (size_t)sysconf(_SC_PAGESIZE);
    size_t data_pages = n == 0 ? 1 : (n + pg - 1) / pg;
    g.map_len = (data_pages + 1) * pg;
    g.map = mmap(NULL, g.map_len, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (g.map == MAP_FAILED ||
        mprotect(g.map + data_pages * pg, pg, PROT_NONE) != 0) {
        abort();
    }
    g.p = g.map + data_pages * pg - n;
    if (n > 0) {
        memcpy(g.p, src, n);
    }
    return g;
}

static inline void guardbuf_free(struct guardbuf *g)
{
    munmap(g->map, g->map_len);
    g->map = NULL;
    g->p = NULL;
}

#endif
