/*
 * spawn.c - running one request in an isolated sp1-tee-executor child.
 *
 * fork + execve of a separate binary (not just fork): the child starts
 * from a fresh image, so no key material, database handle or heap of the
 * prover is ever mapped into the process that runs untrusted guest code.
 * Before exec the child (async-signal-safe calls only) moves the pipes to
 * fds 0/1, closes every other descriptor except stderr, and applies
 * RLIMIT_AS (memory), RLIMIT_CPU and RLIMIT_CORE=0. The parent enforces
 * the wall clock with poll() and SIGKILL, bounds what it reads, and
 * treats the result bytes as untrusted (api_exec_result_decode).
 */
#include <config.h>
#include "api/api.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log.h"

#ifndef CLOSE_RANGE_UNSHARE
#include <linux/close_range.h>
#endif
#include <sys/syscall.h>

/* AddressSanitizer reserves terabytes of shadow memory: an RLIMIT_AS
 * would kill every child of a sanitizer build. The guest-memory ceiling
 * still applies there. */
#if defined(__SANITIZE_ADDRESS__)
#define SPAWN_NO_RLIMIT_AS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SPAWN_NO_RLIMIT_AS 1
#endif
#endif

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void child_exec(int in_fd, int out_fd, const char *path,
                       char *const argv[], char *const envp[],
                       const struct rlimit *as, const struct rlimit *cpu)
{
    struct rlimit zero = {0, 0};
    /* Die with the prover (kill -9 included): an orphaned guest must not
     * keep running. */
    (void)prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    if (dup2(in_fd, 0) < 0 || dup2(out_fd, 1) < 0) {
        _exit(126);
    }
    /* Everything above stderr goes: db, sockets, other children's pipes. */
    (void)syscall(SYS_close_range, 3u, ~0u, 0u);
    (void)setrlimit(RLIMIT_CORE, &zero);
    if (as->rlim_cur != 0 && setrlimit(RLIMIT_AS, as) != 0) {
        _exit(126);
    }
    if (setrlimit(RLIMIT_CPU, cpu) != 0) {
        _exit(126);
    }
    execve(path, argv, envp);
    _exit(127);
}

enum api_spawn_status api_exec_spawn(struct api_server *srv,
                                     struct api_exec_result *res, char *detail,
                                     size_t detail_size,
                                     const struct api_exec_request *req,
                                     unsigned timeout_s)
{
    enum api_spawn_status status = API_SPAWN_ERROR;
    struct zk_buf reqb, outb;
    int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1};
    pid_t pid = -1;
    size_t written = 0;
    int wstatus = 0;
    bool out_eof = false, killed_timeout = false, killed_stop = false;
    bool killed_big = false;
    char *argv[] = {srv->cfg.executor_path, NULL};
    char loglevel[40];
    char *envp[] = {loglevel, NULL};
    struct rlimit as, cpu;
    int64_t deadline;

    memset(res, 0, sizeof(*res));
    detail[0] = '\0';
    zk_buf_init(&reqb,
                (size_t)ZK_MAX_ELF_SIZE + (size_t)ZK_MAX_STDIN_SIZE * 2 + 4096);
    zk_buf_init(&outb, API_EXEC_RESULT_HEAD + (size_t)ZK_MAX_PUBLIC_VALUES);
    if (api_exec_request_encode(&reqb, req) != ZK_OK) {
        (void)snprintf(detail, detail_size, "request too large");
        goto out;
    }
    (void)snprintf(loglevel, sizeof(loglevel), "ZK_LOG_LEVEL=%s",
                   zk_log_get_level() <= ZK_LOG_DEBUG ? "debug" : "warn");
    as.rlim_cur = as.rlim_max = (rlim_t)(srv->cfg.mem_limit_mb << 20);
#ifdef SPAWN_NO_RLIMIT_AS
    as.rlim_cur = as.rlim_max = 0;
#endif
    /* CPU seconds across the vk's threads can exceed wall seconds. */
    cpu.rlim_cur = (rlim_t)timeout_s * 4 + 5;
    cpu.rlim_max = cpu.rlim_cur + 5;

    if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0) {
        zk_error("api: spawn executor: pipe: %s", strerror(errno));
        (void)snprintf(detail, detail_size, "cannot create pipes");
        goto out;
    }
    pid = fork();
    if (pid < 0) {
        zk_error("api: spawn executor: fork: %s", strerror(errno));
        (void)snprintf(detail, detail_size, "cannot fork");
        goto out;
    }
    if (pid == 0) {
        child_exec(in_pipe[0], out_pipe[1], srv->cfg.executor_path, argv, envp,
                   &as, &cpu);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    in_pipe[0] = out_pipe[1] = -1;
    (void)fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
    (void)fcntl(out_pipe[0], F_SETFL, O_NONBLOCK);

    deadline = mono_ms() + (int64_t)timeout_s * 1000;
    while (!out_eof) {
        struct pollfd pfd[2];
        nfds_t n = 0;
        int64_t now = mono_ms();
        if (now >= deadline) {
            killed_timeout = true;
            break;
        }
        if (atomic_load(&srv->stopping)) {
            killed_stop = true;
            break;
        }
        pfd[n].fd = out_pipe[0];
        pfd[n].events = POLLIN;
        n++;
        if (in_pipe[1] >= 0) {
            pfd[n].fd = in_pipe[1];
            pfd[n].events = POLLOUT;
            n++;
        }
        int64_t wait = deadline - now;
        int r = poll(pfd, n, wait > 200 ? 200 : (int)wait);
        if (r < 0 && errno != EINTR) {
            zk_error("api: spawn executor: poll: %s", strerror(errno));
            break;
        }
        if (r <= 0) {
            continue;
        }
        if (n == 2 && (pfd[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t w =
                write(in_pipe[1], reqb.data + written, reqb.len - written);
            if (w > 0) {
                written += (size_t)w;
            }
            if ((w < 0 && errno != EAGAIN && errno != EINTR) ||
                written == reqb.len) {
                close(in_pipe[1]); /* EOF for the child (or it died) */
                in_pipe[1] = -1;
            }
        }
        if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            uint8_t chunk[65536];
            ssize_t rd = read(out_pipe[0], chunk, sizeof(chunk));
            if (rd == 0) {
                out_eof = true;
            } else if (rd > 0 && zk_buf_append(&outb, chunk, (size_t)rd)) {
                killed_big = true; /* more than any valid result */
                break;
            }
        }
    }
    if (!out_eof) {
        kill(pid, SIGKILL);
    }
    while (waitpid(pid, &wstatus, 0) < 0 && errno == EINTR) {
    }
    pid = -1;
    if (killed_stop) {
        status = API_SPAWN_STOPPED;
        (void)snprintf(detail, detail_size, "prover shutting down");
    } else if (killed_timeout) {
        status = API_SPAWN_TIMEOUT;
        (void)snprintf(detail, detail_size,
                       "executor exceeded the wall-clock limit of %u s and was "
                       "killed",
                       timeout_s);
    } else if (killed_big) {
        status = API_SPAWN_CRASH;
        (void)snprintf(detail, detail_size,
                       "executor wrote an oversized result");
    } else if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        status = sig == SIGXCPU ? API_SPAWN_TIMEOUT : API_SPAWN_CRASH;
        (void)snprintf(detail, detail_size, "executor killed by signal %d (%s)",
                       sig, sig == SIGXCPU ? "CPU time limit" : strsignal(sig));
    } else if (WEXITSTATUS(wstatus) != 0) {
        status = API_SPAWN_CRASH;
        (void)snprintf(detail, detail_size, "executor exited with status %d%s",
                       WEXITSTATUS(wstatus),
                       WEXITSTATUS(wstatus) == 127 ? " (cannot exec it)" : "");
    } else if (api_exec_result_decode(res, outb.data, outb.len) != ZK_OK) {
        status = API_SPAWN_CRASH;
        (void)snprintf(detail, detail_size,
                       "executor returned a malformed result");
    } else {
        status = API_SPAWN_OK;
    }
out:
    if (pid > 0) {
        kill(pid, SIGKILL);
        while (waitpid(pid, NULL, 0) < 0 && errno == EINTR) {
        }
    }
    for (int i = 0; i < 2; i++) {
        if (in_pipe[i] >= 0) {
            close(in_pipe[i]);
        }
        if (out_pipe[i] >= 0) {
            close(out_pipe[i]);
        }
    }
    zk_buf_cleanup(&reqb);
    zk_buf_cleanup(&outb);
    if (status != API_SPAWN_OK) {
        zk_warn("api: executor: %s", detail);
    }
    return status;
}
