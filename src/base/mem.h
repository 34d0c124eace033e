/*
 * mem.h - the only allocation entry points in the project.
 *
 * Raw malloc/free/strdup are banned outside mem.c (`make check-banned`),
 * so that allocation failure can be injected in tests: setting
 * ZK_FAIL_ALLOC_AT=n in the environment makes the n-th allocation fail.
 * All functions return NULL only on out-of-memory; zk_free(NULL) is a no-op.
 * zk_memclear wipes secrets in a way the compiler cannot elide.
 */
#ifndef ZK_BASE_MEM_H
#define ZK_BASE_MEM_H

#include <stddef.h>
#include <stdbool.h>

void *zk_malloc(size_t n);
void *zk_calloc(size_t count, size_t size); /* overflow-checked */
void *zk_realloc(void *p, size_t n);
char *zk_strdup(const char *s);
char *zk_strndup(const char *s, size_t n);
void zk_free(void *p);

/* Wipes n bytes at p (explicit_bzero). */
void zk_memclear(void *p, size_t n);

/* Constant-time equality of two n-byte buffers, for secret data. */
bool zk_ct_memeq(const void *a, const void *b, size_t n);

#endif
