/*
 * mem.c - allocation wrappers with an optional failure injector.
 *
 * ZK_FAIL_ALLOC_AT=n (read once) makes the n-th allocation return NULL, so
 * tests can walk every out-of-memory path (curl's torture idea).
 */
#include <config.h>
#include "base/mem.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_long alloc_count;
static long fail_at = -1;
static atomic_int fail_init;

static bool should_fail(void)
{
    if (atomic_exchange(&fail_init, 1) == 0) {
        const char *env = getenv("ZK_FAIL_ALLOC_AT");
        if (env != NULL) {
            fail_at = strtol(env, NULL, 10);
        }
    }
    if (fail_at < 0) {
        return false;
    }
    return atomic_fetch_add(&alloc_count, 1) + 1 == fail_at;
}

void *zk_malloc(size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return malloc(n == 0 ? 1 : n);
}

void *zk_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size) {
        return NULL;
    }
    if (should_fail()) {
        return NULL;
    }
    return calloc(count == 0 ? 1 : count, size == 0 ? 1 : size);
}

void *zk_realloc(void *p, size_t n)
{
    if (should_fail()) {
        return NULL;
    }
    return realloc(p, n == 0 ? 1 : n);
}

char *zk_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = zk_malloc(len + 1);
    if (d != NULL) {
        memcpy(d, s, len);
        d[len] = '\0';
    }
    return d;
}

char *zk_strdup(const char *s)
{
    return zk_strndup(s, strlen(s));
}

void zk_free(void *p)
{
    free(p);
}

void zk_memclear(void *p, size_t n)
{
    if (p != NULL && n != 0) {
        explicit_bzero(p, n);
    }
}

bool zk_ct_memeq(const void *a, const void *b, size_t n)
{
    const volatile unsigned char *x = a;
    const volatile unsigned char *y = b;
    unsigned char acc = 0;
    for (size_t i = 0; i < n; i++) {
        acc |= (unsigned char)(x[i] ^ y[i]);
    }
    return acc == 0;
}
