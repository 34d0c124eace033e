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
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "vk/commit.h"

#define PAR_MAX               VK_COMMIT_MAX_THREADS
#define PAR_CHUNKS_PER_THREAD 16

/*
 * The range is cut into about 16 chunks per thread, handed out through an
 * atomic counter: when the machine is busy and one worker is descheduled,
 * the others take its share instead of waiting at the join for it (static
 * halves made a loaded 2-CPU box 2.5x slower with 2 threads than with 1).
 */
struct par_shared {
    vk_range_fn fn;
    void *ctx;
    size_t n, chunk;
    size_t n_chunks;
    atomic_size_t next;
};

static void *par_main(void *arg)
{
    struct par_shared *sh = arg;
    for (;;) {
        size_t i =
            atomic_fetch_add_explicit(&sh->next, 1, memory_order_relaxed);
        if (i >= sh->n_chunks) {
            break;
        }
        size_t b = i * sh->chunk;
        size_t e = b + sh->chunk < sh->n ? b + sh->chunk : sh->n;
        sh->fn(sh->ctx, b, e);
    }
    return NULL;
}

void vk_par_for(unsigned n_threads, size_t n, size_t align, vk_range_fn fn,
                void *ctx)
{
    pthread_t tids[PAR_MAX];
    bool started[PAR_MAX] = {false};
    struct par_shared sh;
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
    size_t per = units / (t * PAR_CHUNKS_PER_THREAD);
    sh.fn = fn;
    sh.ctx = ctx;
    sh.n = n;
    sh.chunk = (per == 0 ? 1 : per) * align;
    sh.n_chunks = (n + sh.chunk - 1) / sh.chunk;
    atomic_init(&sh.next, 0);
    for (size_t i = 1; i < t; i++) {
        started[i] = pthread_create(&tids[i], NULL, par_main, &sh) == 0;
    }
    par_main(&sh); /* also finishes the work of threads that did not start */
    for (size_t i = 1; i < t; i++) {
        if (started[i]) {
            pthread_join(tids[i], NULL);
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
