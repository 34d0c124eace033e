/*
 * par.c - the vk engine's only concurrency primitive (a fork/join
 * "parallel for" over index ranges) and CPU feature detection.
 *
 * Inside vk_commit the calls are served by a pool of workers opened for
 * that commit (vk_pool_open, registered for the calling thread only, so
 * concurrent vk computations never share one). Other callers get threads
 * created for the call.
 */
#include <config.h>
#include "vk/vk_int.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/mem.h"
#include "vk/commit.h"

#define PAR_MAX               VK_COMMIT_MAX_THREADS
#define PAR_CHUNKS_PER_THREAD 64

/*
 * The pool: worker threads that live for one vk_commit and serve all its
 * vk_par_for calls. Each call publishes a job under a new generation; the
 * next chunk index and the generation share one atomic word, so a worker
 * that wakes late can never take a chunk of a newer job with an old job's
 * function. The owner waits for the *chunks*, not for the workers: a
 * worker that the OS has not scheduled yet costs nothing.
 */
struct pool_job {
    vk_range_fn fn;
    void *ctx;
    size_t n, chunk, n_chunks;
};

struct vk_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv_work; /* workers: a new generation is published */
    pthread_cond_t cv_done; /* owner: the last chunk finished */
    pthread_t tids[PAR_MAX];
    size_t n_workers;
    bool stop;
    bool busy;           /* owner thread only: a job is running (no nesting) */
    uint32_t gen;        /* under mu */
    struct pool_job job; /* under mu */
    atomic_uint_fast64_t next; /* gen << 32 | next chunk index */
    atomic_size_t done;        /* chunks of the current job finished */
};

static _Thread_local struct vk_pool *tl_pool;

static void pool_run(struct vk_pool *p, const struct pool_job *j, uint32_t gen)
{
    for (;;) {
        uint_fast64_t v = atomic_load(&p->next);
        do {
            if ((uint32_t)(v >> 32) != gen ||
                (size_t)(v & 0xffffffffu) >= j->n_chunks) {
                return;
            }
        } while (!atomic_compare_exchange_weak(&p->next, &v, v + 1));
        size_t b = (size_t)(v & 0xffffffffu) * j->chunk;
        size_t e = b + j->chunk < j->n ? b + j->chunk : j->n;
        j->fn(j->ctx, b, e);
        if (atomic_fetch_add(&p->done, 1) + 1 == j->n_chunks) {
            pthread_mutex_lock(&p->mu);
            pthread_cond_signal(&p->cv_done);
            pthread_mutex_unlock(&p->mu);
        }
    }
}

static void *pool_main(void *arg)
{
    struct vk_pool *p = arg;
    uint32_t seen = 0;
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->stop && p->gen == seen) {
            pthread_cond_wait(&p->cv_work, &p->mu);
        }
        if (p->stop) {
            break;
        }
        seen = p->gen;
        struct pool_job j = p->job;
        pthread_mutex_unlock(&p->mu);
        pool_run(p, &j, seen);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

static void pool_par_for(struct vk_pool *p, const struct pool_job *j)
{
    pthread_mutex_lock(&p->mu);
    uint32_t gen = ++p->gen;
    p->job = *j;
    atomic_store(&p->done, 0);
    atomic_store(&p->next, (uint_fast64_t)gen << 32);
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
    pool_run(p, j, gen);
    pthread_mutex_lock(&p->mu);
    while (atomic_load(&p->done) < j->n_chunks) {
        pthread_cond_wait(&p->cv_done, &p->mu);
    }
    pthread_mutex_unlock(&p->mu);
}

struct vk_pool *vk_pool_open(unsigned n_threads)
{
    struct vk_pool *p = NULL;
    if (n_threads <= 1 || tl_pool != NULL) {
        return NULL;
    }
    p = zk_calloc(1, sizeof(*p));
    if (p == NULL) {
        return NULL;
    }
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        zk_free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv_work, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        zk_free(p);
        return NULL;
    }
    if (pthread_cond_init(&p->cv_done, NULL) != 0) {
        pthread_cond_destroy(&p->cv_work);
        pthread_mutex_destroy(&p->mu);
        zk_free(p);
        return NULL;
    }
    atomic_init(&p->next, 0);
    atomic_init(&p->done, 0);
    size_t want = n_threads - 1 < PAR_MAX ? n_threads - 1 : PAR_MAX;
    while (p->n_workers < want &&
           pthread_create(&p->tids[p->n_workers], NULL, pool_main, p) == 0) {
        p->n_workers++;
    }
    tl_pool = p;
    return p;
}

void vk_pool_close(struct vk_pool *p)
{
    if (p == NULL) {
        return;
    }
    pthread_mutex_lock(&p->mu);
    p->stop = true;
    pthread_cond_broadcast(&p->cv_work);
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->n_workers; i++) {
        pthread_join(p->tids[i], NULL);
    }
    pthread_cond_destroy(&p->cv_done);
    pthread_cond_destroy(&p->cv_work);
    pthread_mutex_destroy(&p->mu);
    if (tl_pool == p) {
        tl_pool = NULL;
    }
    zk_free(p);
}

/*
 * The range is cut into about 64 chunks per thread, handed out through an
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
    struct vk_pool *pool = tl_pool;
    if (pool != NULL && pool->busy) {
        fn(ctx, 0, n); /* nested inside a pool job: run it here */
        return;
    }
    if (pool != NULL && pool->n_workers > 0) {
        size_t tp = pool->n_workers + 1;
        size_t pp = units / (tp * PAR_CHUNKS_PER_THREAD);
        struct pool_job j = {fn, ctx, n, (pp == 0 ? 1 : pp) * align, 0};
        j.n_chunks = (n + j.chunk - 1) / j.chunk;
        pool->busy = true;
        pool_par_for(pool, &j);
        pool->busy = false;
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
