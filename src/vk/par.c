/*
 * par.c - the vk engine's only concurrency primitive (a fork/join
 * "parallel for" over index ranges) and CPU feature detection.
 *
 * Threads are created per call: the engine makes a few hundred calls per
 * vk, so the ~20 us per thread is noise, and there is no pool to own, lock
 * or shut down (vk_compute stays reentrant).
 */
#include <config.h>
#include "vk/vk_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "vk/commit.h"

#define PAR_MAX VK_COMMIT_MAX_THREADS

struct par_job {
    vk_range_fn fn;
    void *ctx;
    size_t begin, end;
};

static void *par_main(void *arg)
{
    struct par_job *j = arg;
    j->fn(j->ctx, j->begin, j->end);
    return NULL;
}

void vk_par_for(unsigned n_threads, size_t n, size_t align, vk_range_fn fn,
                void *ctx)
{
    struct par_job jobs[PAR_MAX];
    pthread_t tids[PAR_MAX];
    bool started[PAR_MAX] = {false};
    if (align == 0) {
        align = 1;
    }
    size_t units = (n + align - 1) / align;
    size_t t = n_threads == 0 ? 1 : n_threads;
    if (t > PAR_MAX) {
        t = PAR_MAX;
    }
    if (t > units) {
        t = units;
    }
    if (t <= 1) {
        if (n > 0) {
            fn(ctx, 0, n);
        }
        return;
    }
    for (size_t i = 0; i < t; i++) {
        size_t b = units * i / t * align;
        size_t e = units * (i + 1) / t * align;
        jobs[i].fn = fn;
        jobs[i].ctx = ctx;
        jobs[i].begin = b < n ? b : n;
        jobs[i].end = e < n ? e : n;
    }
    for (size_t i = 1; i < t; i++) {
        started[i] = pthread_create(&tids[i], NULL, par_main, &jobs[i]) == 0;
    }
    par_main(&jobs[0]);
    for (size_t i = 1; i < t; i++) {
        if (started[i]) {
            pthread_join(tids[i], NULL);
        } else {
            par_main(&jobs[i]);
        }
    }
}

unsigned vk_threads_resolve(unsigned n)
{
    if (n != 0) {
        return n > PAR_MAX ? PAR_MAX : n;
    }
    long c = sysconf(_SC_NPROCESSORS_ONLN);
    if (c < 1) {
        return 1;
    }
    return c > 8 ? 8u : (unsigned)c;
}

static pthread_once_t cpu_once = PTHREAD_ONCE_INIT;
static bool cpu_avx2;
static bool cpu_avx512;

static void cpu_detect(void)
{
#if VK_HAVE_X86
    const char *off = getenv("ZK_VK_NO_SIMD");
    const char *off512 = getenv("ZK_VK_NO_AVX512");
    __builtin_cpu_init();
    cpu_avx2 = __builtin_cpu_supports("avx2") && (off == NULL || *off == '\0');
    cpu_avx512 = cpu_avx2 && __builtin_cpu_supports("avx512f") &&
                 (off512 == NULL || *off512 == '\0');
#else
    cpu_avx2 = false;
    cpu_avx512 = false;
#endif
}

bool vk_cpu_has_avx2(void)
{
    pthread_once(&cpu_once, cpu_detect);
    return cpu_avx2;
}

bool vk_cpu_has_avx512(void)
{
    pthread_once(&cpu_once, cpu_detect);
    return cpu_avx512;
}
