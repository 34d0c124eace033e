/*
 * compiler.h - attributes and assertions shared by every module.
 *
 * ZK_NODISCARD marks every fallible function (its result must be checked).
 * ZK_PRINTF marks printf-like functions. ZK_ASSERT is for internal
 * invariants only, never for external input: it aborts with file:line.
 */
#ifndef ZK_BASE_COMPILER_H
#define ZK_BASE_COMPILER_H

#include <stdio.h>
#include <stdlib.h>

#define ZK_NODISCARD    __attribute__((warn_unused_result))
#define ZK_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ZK_UNUSED(x)    ((void)(x))
#define ZK_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define ZK_LIKELY(x)    __builtin_expect(!!(x), 1)
#define ZK_UNLIKELY(x)  __builtin_expect(!!(x), 0)

#define ZK_ASSERT(cond)                                                        \
    do {                                                                       \
        if (ZK_UNLIKELY(!(cond))) {                                            \
            (void)fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__,   \
                          __LINE__, #cond);                                    \
            abort();                                                           \
        }                                                                      \
    } while (0)

#endif
