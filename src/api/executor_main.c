/*
 * executor_main.c - sp1-tee-executor, the isolated child that loads and
 * runs one untrusted guest program for the prover.
 *
 * The prover fork+execs this binary per job (and per new ELF, for the vk)
 * with resource limits already applied (RLIMIT_AS, RLIMIT_CPU, no core
 * dumps), a clean environment, stdin/stdout pipes and stderr for logs,
 * and no other file descriptor: it never sees a key, the database or the
 * FastCGI socket. It reads one request (api/exec_proto.h) from stdin and
 * writes one result to stdout. A crash, hang or exploit here costs the
 * prover one job, nothing else.
 *
 * Exit status: 0 when a result was written (whatever the outcome), 2 for
 * a malformed request, 3 when writing the result failed.
 */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "api/exec_proto.h"
#include "base/buf.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/mem.h"
#include "vk/vk.h"
#include "zkvm/program.h"
#include "zkvm/zkvm.h"

#define REQUEST_MAX                                                            \
    ((size_t)ZK_MAX_ELF_SIZE + (size_t)ZK_MAX_STDIN_SIZE * 2 + 4096)

static enum zk_err read_all(struct zk_buf *b, int fd)
{
    uint8_t chunk[65536];
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            zk_error("executor: read request: %s", strerror(errno));
            return ZK_EIO;
        }
        if (n == 0) {
            return ZK_OK;
        }
        enum zk_err err = zk_buf_append(b, chunk, (size_t)n);
        if (err) {
            return err;
        }
    }
}

static enum zk_err write_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return ZK_EIO;
        }
        p += w;
        n -= (size_t)w;
    }
    return ZK_OK;
}

static void set_reason(struct api_exec_result *res, const char *what,
                       enum zk_err err)
{
    (void)snprintf(res->reason, sizeof(res->reason), "%s: %s", what,
                   zk_strerror(err));
}

/* The two fixed-size copies below cannot be cut (their results go unchecked).
 */
_Static_assert(sizeof(((struct api_exec_result *)0)->version) >=
                   sizeof(((struct zkvm_sp1_version *)0)->text),
               "version text fits");
_Static_assert(sizeof(((struct api_exec_result *)0)->vkey) ==
                   sizeof(((struct vk_result *)0)->bytes32),
               "vkey holds bytes32");

static void copy_version(struct api_exec_result *res,
                         const struct zkvm_program *prog)
{
    res->sp1_major = (uint32_t)prog->version.major;
    (void)snprintf(res->version, sizeof(res->version), "%s",
                   prog->version.text[0] != '\0' ? prog->version.text : "?");
}

static void do_vk(struct api_exec_result *res, const struct zkvm_program *prog)
{
    struct vk_result vk;
    enum zk_err err = vk_compute(&vk, prog);
    if (err == ZK_EUNSUPPORTED) {
        res->outcome = API_EXEC_UNSUPPORTED;
        (void)snprintf(
            res->reason, sizeof(res->reason),
            "SP1 %s%s ELF: no exact vk for it (SP1 version not "
            "supported, or only guessed: force it with sp1_version); "
            "refusing to sign an inexact vk",
            res->version[0] == 'v' ? "" : "v", res->version);
        return;
    }
    if (err) {
        res->outcome = err == ZK_ENOMEM ? API_EXEC_MEMORY_LIMIT
                       : err == ZK_EINVAL || err == ZK_ELIMIT
                           ? API_EXEC_BAD_ELF
                           : API_EXEC_INTERNAL;
        set_reason(res, "vk computation failed", err);
        return;
    }
    memcpy(res->vk, vk.hash_bytes, 32);
    (void)snprintf(res->vkey, sizeof(res->vkey), "%s", vk.bytes32);
    res->outcome = API_EXEC_OK;
}

static void do_run(struct api_exec_result *res, const struct zkvm_program *prog,
                   const struct api_exec_request *req)
{
    struct zkvm_stdin in;
    struct zkvm_limits lim;
    struct zkvm_result out;
    enum zk_err err;

    memset(&out, 0, sizeof(out));
    zkvm_stdin_init(&in);
    err = zkvm_stdin_parse_bincode(&in, req->stdin_data, req->stdin_len);
    if (err) {
        res->outcome = API_EXEC_BAD_STDIN;
        set_reason(res, "stdin", err);
        goto out;
    }
    zkvm_limits_default(&lim);
    lim.cycle_limit = req->cycle_limit;
    if (req->max_memory != 0) {
        lim.max_memory = req->max_memory;
    }
    err = zkvm_execute(prog, &in, &lim, &out);
    res->cycles = out.cycles;
    res->exit_code = out.exit_code;
    res->zkvm_status = (uint32_t)out.status;
    if (err == ZK_OK) {
        res->outcome = API_EXEC_OK;
        res->public_values = out.public_values;
        res->public_values_len = out.public_values_len;
        out.public_values = NULL;
        out.public_values_len = 0;
        goto out;
    }
    if (out.status == ZKVM_STATUS_CYCLE_LIMIT) {
        res->outcome = API_EXEC_CYCLE_LIMIT;
    } else if (out.status == ZKVM_STATUS_MEMORY_LIMIT || err == ZK_ENOMEM) {
        res->outcome = API_EXEC_MEMORY_LIMIT;
    } else if (err == ZK_EUNSUPPORTED) {
        res->outcome = API_EXEC_UNSUPPORTED;
    } else {
        res->outcome = API_EXEC_GUEST_ERROR;
    }
    if (err == ZK_ECRYPTO) {
        (void)snprintf(res->reason, sizeof(res->reason),
                       "guest halted but its committed digest does not match "
                       "sha256(public values)");
    } else {
        (void)snprintf(res->reason, sizeof(res->reason),
                       "%s at pc 0x%08x%s%.200s", zkvm_status_name(out.status),
                       (unsigned)out.pc, out.reason[0] != '\0' ? ": " : "",
                       out.reason);
    }
out:
    zkvm_result_cleanup(&out);
    zkvm_stdin_cleanup(&in);
}

int main(int argc, char **argv)
{
    struct zk_buf in, outb;
    struct api_exec_request req;
    struct api_exec_result res;
    struct zkvm_program prog;
    enum zk_err err;
    int rc = 0;

    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: sp1-tee-executor < request > result\n"
                        "(internal helper of sp1-tee-prover; not for direct "
                        "use)\n");
        return 2;
    }
    (void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    (void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
    memset(&res, 0, sizeof(res));
    memset(&prog, 0, sizeof(prog));
    zk_buf_init(&in, REQUEST_MAX);
    zk_buf_init(&outb, (size_t)ZK_MAX_PUBLIC_VALUES + 4096);

    err = read_all(&in, 0);
    if (!err) {
        err = api_exec_request_decode(&req, in.data, in.len);
    }
    if (err) {
        zk_error("executor: request: %s", zk_strerror(err));
        rc = 2;
        goto out;
    }
    /* A clear answer for the common mistake of sending a host binary:
     * e_machine (offset 18, little-endian for both classes we might see)
     * must be EM_RISCV (243). */
    if (req.elf_len >= 20 &&
        memcmp(req.elf,
               "\x7f"
               "ELF",
               4) == 0 &&
        (req.elf[18] | (req.elf[19] << 8)) != 243) {
        res.outcome = API_EXEC_BAD_ELF;
        (void)snprintf(res.reason, sizeof(res.reason),
                       "not a RISC-V ELF (e_machine %u)",
                       (unsigned)(req.elf[18] | (req.elf[19] << 8)));
        goto write;
    }
    err = zkvm_program_load(&prog, req.elf, req.elf_len,
                            (enum zkvm_sp1_major)req.force_major);
    if (err) {
        res.outcome = err == ZK_EUNSUPPORTED ? API_EXEC_UNSUPPORTED
                      : err == ZK_ENOMEM     ? API_EXEC_MEMORY_LIMIT
                                             : API_EXEC_BAD_ELF;
        set_reason(&res, "ELF does not load as an SP1 guest program", err);
    } else {
        copy_version(&res, &prog);
        if (req.mode == API_EXEC_MODE_VK) {
            do_vk(&res, &prog);
        } else {
            do_run(&res, &prog, &req);
        }
    }
write:
    err = api_exec_result_encode(&outb, &res);
    if (!err) {
        err = write_all(1, outb.data, outb.len);
    }
    if (err) {
        zk_error("executor: write result: %s", zk_strerror(err));
        rc = 3;
    }
out:
    zkvm_program_cleanup(&prog);
    api_exec_result_cleanup(&res);
    zk_buf_cleanup(&in);
    zk_buf_cleanup(&outb);
    return rc;
}
