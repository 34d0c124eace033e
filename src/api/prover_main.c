/*
 * prover_main.c - sp1-tee-prover: configuration, the FastCGI socket,
 * threads, signals and shutdown. No business logic lives here.
 *
 * Socket: fd 0 (systemd StandardInput=socket / spawn-fcgi), or --listen
 * PATH, created here with --socket-mode/-owner/-group so that nginx's
 * workers can connect.
 *
 * Shutdown (SIGTERM, SIGINT): libfcgi would otherwise swallow SIGTERM
 * until one more request arrives; our handler is installed before
 * FCGX_Init (libfcgi only installs its own over SIG_DFL), sets `stopping`
 * and writes to the wake pipe that every poller watches. Runners kill
 * their executor children and put those jobs back in the queue (a clean
 * stop costs no attempt); in-flight requests get up to 5 s to finish.
 */
#include <config.h>

#include <errno.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "api/api.h"
#include "base/hex.h"
#include "base/log.h"
#include "base/mem.h"
#include "crypto/sign.h"

static struct api_server server;

static void on_signal(int sig)
{
    int saved = errno;
    (void)sig;
    atomic_store(&server.stopping, true);
    if (write(server.wake_pipe[1], "x", 1) < 0) {
        /* nothing to do in a signal handler */
    }
    errno = saved;
}

static enum zk_err install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGTERM, &sa, NULL) != 0 ||
        sigaction(SIGINT, &sa, NULL) != 0) {
        return ZK_EIO;
    }
    sa.sa_handler = SIG_IGN;
    (void)sigaction(SIGPIPE, &sa, NULL);
    return ZK_OK;
}

static enum zk_err open_listen(struct api_config *c, int *fd_out)
{
    struct sockaddr_un sa;
    int fd;
    if (c->listen_path[0] == '\0') {
        int acc = 0;
        socklen_t len = sizeof(acc);
        if (getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &acc, &len) != 0 || !acc) {
            zk_error("api: no listening FastCGI socket on fd 0: run under "
                     "systemd (StandardInput=socket) or spawn-fcgi, or give "
                     "--listen PATH");
            return ZK_EINVAL;
        }
        *fd_out = 0;
        return ZK_OK;
    }
    if (strlen(c->listen_path) >= sizeof(sa.sun_path)) {
        zk_error("api: --listen path too long");
        return ZK_EINVAL;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    memcpy(sa.sun_path, c->listen_path, strlen(c->listen_path) + 1);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        zk_error("api: socket: %s", strerror(errno));
        return ZK_EIO;
    }
    (void)unlink(c->listen_path); /* a stale socket from a previous run */
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 1024) != 0) {
        zk_error("api: listen %s: %s", c->listen_path, strerror(errno));
        close(fd);
        return ZK_EIO;
    }
    if (c->socket_owner[0] != '\0' || c->socket_group[0] != '\0') {
        uid_t uid = (uid_t)-1;
        gid_t gid = (gid_t)-1;
        if (c->socket_owner[0] != '\0') {
            struct passwd *pw = getpwnam(c->socket_owner);
            if (pw == NULL) {
                zk_error("api: unknown user %s", c->socket_owner);
                close(fd);
                return ZK_EINVAL;
            }
            uid = pw->pw_uid;
        }
        if (c->socket_group[0] != '\0') {
            struct group *gr = getgrnam(c->socket_group);
            if (gr == NULL) {
                zk_error("api: unknown group %s", c->socket_group);
                close(fd);
                return ZK_EINVAL;
            }
            gid = gr->gr_gid;
        }
        if (chown(c->listen_path, uid, gid) != 0) {
            zk_error("api: chown %s: %s", c->listen_path, strerror(errno));
            close(fd);
            return ZK_EIO;
        }
    }
    if (chmod(c->listen_path, (mode_t)c->socket_mode) != 0) {
        zk_error("api: chmod %s: %s", c->listen_path, strerror(errno));
        close(fd);
        return ZK_EIO;
    }
    *fd_out = fd;
    return ZK_OK;
}

/* Development only: inserts an active, simulated key. Never reachable
 * over HTTP; the rotator is the real source of keys. */
static int dev_insert_key(const struct api_config *c,
                          const struct api_dev_key *dev)
{
    struct crypto_seckey sk;
    struct crypto_addr addr;
    char addr_hex[CRYPTO_ADDR_HEX_SIZE];
    struct store *st = NULL;
    int64_t id = 0;
    uint8_t rd[64];
    enum zk_err err;

    memset(&sk, 0, sizeof(sk));
    if (strcmp(dev->secret, "random") == 0) {
        err = crypto_seckey_generate(&sk);
    } else {
        err = crypto_seckey_from_hex(&sk, dev->secret);
    }
    if (!err) {
        err = crypto_seckey_to_addr(&addr, &sk);
    }
    if (!err) {
        err = store_open(&st, c->db_path);
    }
    if (err) {
        fprintf(stderr, "sp1-tee-prover: --dev-insert-key: %s\n",
                zk_strerror(err));
        crypto_seckey_clear(&sk);
        return 1;
    }
    crypto_addr_to_hex(addr_hex, &addr);
    memset(rd, 0, sizeof(rd));
    memcpy(rd + 12, addr.b, 20);
    err = store_key_insert(st, &id, addr_hex, sk.b, "simulated");
    crypto_seckey_clear(&sk);
    if (!err) {
        err = store_key_set_registering(st, id, rd, 64, NULL, 0, "", 0,
                                        "0x0000000000000000000000000000000000"
                                        "000000000000000000000000000000");
    }
    if (!err) {
        err = store_key_activate(st, id, 0,
                                 (int64_t)time(NULL) + (int64_t)dev->ttl_s);
    }
    store_close(st);
    if (err) {
        fprintf(stderr, "sp1-tee-prover: --dev-insert-key: %s\n",
                zk_strerror(err));
        return 1;
    }
    zk_warn("api: DEV: inserted active SIMULATED key %lld (%s); not "
            "attested, development only",
            (long long)id, addr_hex);
    printf("key_id=%lld address=%s\n", (long long)id, addr_hex);
    return 0;
}

static enum zk_err recover_jobs(const struct api_config *c)
{
    struct store *st = NULL;
    size_t rq = 0, fl = 0;
    enum zk_err err = store_open(&st, c->db_path);
    if (!err) {
        err = store_job_recover(st, (int)c->max_attempts, &rq, &fl);
    }
    store_close(st);
    if (!err && (rq != 0 || fl != 0)) {
        zk_warn("api: restart: %zu interrupted job(s) re-queued, %zu failed "
                "after %u attempts",
                rq, fl, c->max_attempts);
    }
    return err;
}

static void join_with_deadline(pthread_t t, time_t deadline)
{
    struct timespec ts = {deadline, 0};
    if (pthread_timedjoin_np(t, NULL, &ts) != 0) {
        zk_warn("api: shutdown: a worker did not finish in time");
    }
}

int main(int argc, char **argv)
{
    struct api_config *c = &server.cfg;
    struct api_dev_key dev;
    pthread_t *workers = NULL, *runners = NULL, signer;
    bool exit_now = false, signer_started = false;
    unsigned nw = 0, nr = 0;
    int rc = 1;
    char b;

    api_config_defaults(c);
    if (api_config_parse(c, &dev, &exit_now, argc, argv) != ZK_OK) {
        return 2;
    }
    if (exit_now) {
        return 0;
    }
    if (dev.wanted) {
        return dev_insert_key(c, &dev);
    }
    if (pipe2(server.wake_pipe, O_CLOEXEC | O_NONBLOCK) != 0 ||
        install_signals() != ZK_OK) {
        zk_error("api: startup: %s", strerror(errno));
        return 1;
    }
    pthread_mutex_init(&server.mu, NULL);
    pthread_mutex_init(&server.accept_mu, NULL);
    pthread_cond_init(&server.job_cond, NULL);
    pthread_cond_init(&server.queue_cond, NULL);
    pthread_cond_init(&server.key_cond, NULL);
    pthread_cond_init(&server.vk_cond, NULL);
    server.started_at = (int64_t)time(NULL);
    if (access(c->executor_path, X_OK) != 0) {
        zk_error("api: executor %s: %s (see --executor)", c->executor_path,
                 strerror(errno));
        return 1;
    }
    if (crypto_init() != ZK_OK || recover_jobs(c) != ZK_OK ||
        open_listen(c, &server.listen_fd) != ZK_OK) {
        return 1;
    }
    if (FCGX_Init() != 0) {
        zk_error("api: FCGX_Init failed");
        return 1;
    }
    (void)install_signals(); /* in case libfcgi replaced them */

    workers = zk_calloc(c->workers, sizeof(*workers));
    runners = zk_calloc(c->runners, sizeof(*runners));
    if (workers == NULL || runners == NULL) {
        goto stop;
    }
    for (; nr < c->runners; nr++) {
        if (pthread_create(&runners[nr], NULL, api_runner_main, &server)) {
            goto stop;
        }
    }
    if (pthread_create(&signer, NULL, api_signer_main, &server)) {
        goto stop;
    }
    signer_started = true;
    for (; nw < c->workers; nw++) {
        if (pthread_create(&workers[nw], NULL, api_worker_main, &server)) {
            goto stop;
        }
    }
    zk_info("api: sp1-tee-prover %s serving (%u workers, %u runners, db %s)",
            PACKAGE_VERSION, c->workers, c->runners, c->db_path);
    while (!atomic_load(&server.stopping)) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    zk_info("api: shutting down");
    rc = 0;
stop:
    atomic_store(&server.stopping, true);
    while (read(server.wake_pipe[0], &b, 1) > 0) {
    }
    if (write(server.wake_pipe[1], "x", 1) < 0) {
        zk_warn("api: shutdown: wake pipe");
    }
    pthread_mutex_lock(&server.mu);
    pthread_cond_broadcast(&server.job_cond);
    pthread_cond_broadcast(&server.queue_cond);
    pthread_cond_broadcast(&server.key_cond);
    pthread_cond_broadcast(&server.vk_cond);
    pthread_mutex_unlock(&server.mu);
    for (unsigned i = 0; i < nr; i++) {
        pthread_join(runners[i], NULL);
    }
    if (signer_started) {
        pthread_join(signer, NULL);
    }
    time_t deadline = time(NULL) + 5;
    for (unsigned i = 0; i < nw; i++) {
        join_with_deadline(workers[i], deadline);
    }
    if (c->listen_path[0] != '\0') {
        (void)unlink(c->listen_path);
    }
    zk_free(workers);
    zk_free(runners);
    zk_info("api: stopped");
    return rc;
}
