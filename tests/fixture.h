/*
 * fixture.h - how unit tests find and load their files. Header-only; test
 * code only.
 *
 *   fixture_srcdir()           $top_srcdir (set by the harness), else
 *                              TOP_SRCDIR when compiled in, else "."
 *   fixture_path(out, n, dir, name)
 *                              <srcdir>/tests/fixtures/<dir>/<name>; false
 *                              when it does not fit in out[n]
 *   fixture_load(path, &len)   a whole file, zk_malloc'ed, NUL after it
 *                              (len excludes it); NULL when unreadable
 *   fixture_read(dir, name, &len)
 *                              fixture_path + fixture_load; fails the
 *                              running cmocka test when the file is
 *                              missing or empty (include after cmocka.h)
 *
 * Free what fixture_load/fixture_read return with zk_free.
 */
#ifndef ZK_TESTS_FIXTURE_H
#define ZK_TESTS_FIXTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/mem.h"

static inline const char *fixture_srcdir(void)
{
    const char *s = getenv("top_srcdir");
    if (s != NULL && *s != '\0') {
        return s;
    }
#ifdef TOP_SRCDIR
    return TOP_SRCDIR;
#else
    return ".";
#endif
}

static inline bool fixture_path(char *out, size_t n, const char *dir,
                                const char *name)
{
    int w = snprintf(out, n, "%s/tests/fixtures/%s/%s", fixture_srcdir(), dir,
                     name);
    return w > 0 && (size_t)w < n;
}

static inline uint8_t *fixture_load(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = NULL;
    long n;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0) {
        (void)fclose(f);
        return NULL;
    }
    n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
        (void)fclose(f);
        return NULL;
    }
    buf = zk_malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        zk_free(buf);
        buf = NULL;
    }
    (void)fclose(f); /* read-only */
    if (buf != NULL) {
        buf[n] = 0;
        *len = (size_t)n;
    }
    return buf;
}

#ifdef cmocka_unit_test
static inline uint8_t *fixture_read(const char *dir, const char *name,
                                    size_t *len)
{
    char path[1024];
    uint8_t *buf;
    if (!fixture_path(path, sizeof(path), dir, name)) {
        fail_msg("fixture path too long: %s/%s", dir, name);
        abort(); /* not reached, as below */
    }
    buf = fixture_load(path, len);
    if (buf == NULL || *len == 0) {
        zk_free(buf);
        fail_msg("cannot read fixture %s", path);
        abort(); /* not reached: fail_msg leaves the test (cmocka's _fail
                  * is not declared noreturn, so say it for the analyzer) */
    }
    return buf;
}
#endif

#endif
