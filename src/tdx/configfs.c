/*
 * configfs.c - quote provider over the kernel's configfs-tsm report ABI
 * (Linux >= 6.7, Documentation/ABI/testing/configfs-tsm-report), plus the
 * tdx_quote_get() front door that also serves simulated mode.
 *
 * Sequence per attempt (shared/spec/tdx-attestation.md section 1.1):
 * mkdir a private entry, check provider == tdx_guest, read generation G0,
 * write the 64-byte inblob in one write (applied by configfs at close),
 * read outblob to EOF (the first read runs TDG.MR.REPORT + GetQuote),
 * re-read generation and require G0 + 1, rmdir, then parse the outblob and
 * require its REPORTDATA to echo ours. A failed generation or echo check
 * means another writer used the entry: discard and retry with a new entry.
 */
#include <config.h>
#include "tdx/tsm.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/log.h"

/* ---- plain syscall ops ---- */

static int sys_mkdir(void *ctx, const char *path)
{
    (void)ctx;
    return mkdir(path, 0700) == 0 ? 0 : -errno;
}

static int sys_rmdir(void *ctx, const char *path)
{
    (void)ctx;
    return rmdir(path) == 0 ? 0 : -errno;
}

static int sys_read(void *ctx, const char *path, struct zk_buf *out)
{
    uint8_t chunk[4096];
    int fd, rc = 0;
    (void)ctx;
    zk_buf_reset(out);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof(chunk));
        if (n < 0) {
            rc = -errno;
            break;
        }
        if (n == 0) {
            break;
        }
        enum zk_err err = zk_buf_append(out, chunk, (size_t)n);
        if (err) {
            rc = err == ZK_ELIMIT ? -EFBIG : -ENOMEM;
            break;
        }
    }
    close(fd);
    return rc;
}

static int sys_write(void *ctx, const char *path, const uint8_t *p, size_t n)
{
    int fd, rc = 0;
    (void)ctx;
    fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    /* configfs binary attributes buffer the data and apply it at close();
     * a partial write would store a short blob, so one write or fail. */
    ssize_t w = write(fd, p, n);
    if (w < 0) {
        rc = -errno;
    } else if ((size_t)w != n) {
        rc = -EIO;
    }
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
    }
    return rc;
}

const struct tdx_tsm_ops tdx_tsm_sys_ops = {
    .mkdir = sys_mkdir,
    .rmdir = sys_rmdir,
    .read = sys_read,
    .write = sys_write,
};

/* ---- the sequence ---- */

/* One configfs entry path and its attribute paths. */
struct entry {
    char dir[512];
    char attr[560];
};

static const char *attr_path(struct entry *e, const char *name)
{
    int n = snprintf(e->attr, sizeof(e->attr), "%s/%s", e->dir, name);
    ZK_ASSERT(n > 0 && (size_t)n < sizeof(e->attr));
    return e->attr;
}

/* Errors that mean "this machine cannot give TDX quotes". */
static bool errno_is_no_tdx(int e)
{
    return e == ENXIO || e == ENOTTY || e == ENOENT || e == ENOTDIR ||
           e == ENODEV;
}

static enum zk_err map_errno(int e)
{
    if (errno_is_no_tdx(e)) {
        return ZK_EUNSUPPORTED;
    }
    if (e == EBUSY || e == ETIMEDOUT || e == EINTR || e == EAGAIN) {
        return ZK_EBUSY;
    }
    if (e == EFBIG) {
        return ZK_ELIMIT;
    }
    if (e == ENOMEM) {
        return ZK_ENOMEM;
    }
    return ZK_EIO;
}

/* Creates a uniquely named entry under root. */
static enum zk_err make_entry(const struct tdx_tsm_ops *ops, void *ctx,
                              const char *root, struct entry *e, bool quiet)
{
    for (int tries = 0; tries < 4; tries++) {
        uint32_t r = 0;
        if (getrandom(&r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
            r = (uint32_t)getpid() * 2654435761u + (uint32_t)tries;
        }
        int n = snprintf(e->dir, sizeof(e->dir), "%s/sp1tee-%08x", root,
                         (unsigned)r);
        if (n < 0 || (size_t)n >= sizeof(e->dir)) {
            zk_error("tdx: configfs: root path too long: %s", root);
            return ZK_EINVAL;
        }
        int rc = ops->mkdir(ctx, e->dir);
        if (rc == 0) {
            return ZK_OK;
        }
        if (rc == -EEXIST) {
            continue;
        }
        if (quiet) {
            return map_errno(-rc);
        }
        if (rc == -ENXIO) {
            zk_error("tdx: configfs: mkdir %s: no TSM provider registered "
                     "(not a TD, or tdx_guest not loaded): no TDX",
                     e->dir);
        } else if (rc == -ENOENT || rc == -ENOTDIR) {
            zk_error("tdx: configfs: %s missing (kernel < 6.7 without "
                     "CONFIG_TSM_REPORTS, or configfs not mounted): no TDX",
                     root);
        } else {
            zk_error("tdx: configfs: mkdir %s: %s%s", e->dir, strerror(-rc),
                     rc == -EACCES || rc == -EPERM ? " (run as root)" : "");
        }
        return map_errno(-rc);
    }
    zk_error("tdx: configfs: could not find a free entry name under %s", root);
    return ZK_EIO;
}

/* Reads `generation`: decimal digits and an optional trailing newline. */
static enum zk_err read_generation(const struct tdx_tsm_ops *ops, void *ctx,
                                   struct entry *e, uint64_t *gen)
{
    struct zk_buf b;
    enum zk_err err = ZK_OK;
    zk_buf_init(&b, 64);
    int rc = ops->read(ctx, attr_path(e, "generation"), &b);
    if (rc != 0) {
        zk_error("tdx: configfs: read %s: %s", e->attr, strerror(-rc));
        err = map_errno(-rc);
        goto out;
    }
    size_t n = b.len;
    if (n > 0 && b.data[n - 1] == '\n') {
        n--;
    }
    if (n == 0 || n > 20) {
        goto bad;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        uint8_t d = b.data[i];
        if (d < '0' || d > '9' || v > (UINT64_MAX - (d - '0')) / 10) {
            goto bad;
        }
        v = v * 10 + (d - '0');
    }
    *gen = v;
    goto out;
bad:
    zk_error("tdx: configfs: %s is not a decimal counter", e->attr);
    err = ZK_EINVAL;
out:
    zk_buf_cleanup(&b);
    return err;
}

static enum zk_err check_provider(const struct tdx_tsm_ops *ops, void *ctx,
                                  struct entry *e)
{
    static const char want[] = "tdx_guest";
    struct zk_buf b;
    enum zk_err err = ZK_OK;
    zk_buf_init(&b, 256);
    int rc = ops->read(ctx, attr_path(e, "provider"), &b);
    if (rc != 0) {
        zk_error("tdx: configfs: read %s: %s: no TDX", e->attr, strerror(-rc));
        err = map_errno(-rc);
        goto out;
    }
    size_t n = b.len;
    if (n > 0 && b.data[n - 1] == '\n') {
        n--;
    }
    if (n != sizeof(want) - 1 || memcmp(b.data, want, n) != 0) {
        zk_error("tdx: configfs: provider is '%.*s', not tdx_guest: no TDX",
                 (int)(n > 64 ? 64 : n), b.data ? (const char *)b.data : "");
        err = ZK_EUNSUPPORTED;
    }
out:
    zk_buf_cleanup(&b);
    return err;
}

/*
 * One attempt on a fresh entry. *race is set when the generation check
 * failed (the caller retries). The entry is always removed.
 */
static enum zk_err attempt(const struct tdx_tsm_ops *ops, void *ctx,
                           const char *root, const uint8_t report_data[64],
                           struct zk_buf *outblob, bool *race)
{
    struct entry e;
    uint64_t g0 = 0, g1 = 0;
    enum zk_err err;
    int rc;

    *race = false;
    err = make_entry(ops, ctx, root, &e, false);
    if (err) {
        return err;
    }
    err = check_provider(ops, ctx, &e);
    if (err) {
        goto out;
    }
    err = read_generation(ops, ctx, &e, &g0);
    if (err) {
        goto out;
    }
    rc = ops->write(ctx, attr_path(&e, "inblob"), report_data, 64);
    if (rc != 0) {
        zk_error("tdx: configfs: write %s: %s", e.attr, strerror(-rc));
        err = map_errno(-rc);
        goto out;
    }
    rc = ops->read(ctx, attr_path(&e, "outblob"), outblob);
    if (rc != 0) {
        zk_error("tdx: configfs: read %s: %s", e.attr, strerror(-rc));
        err = map_errno(-rc);
        goto out;
    }
    err = read_generation(ops, ctx, &e, &g1);
    if (err) {
        goto out;
    }
    if (g0 == UINT64_MAX || g1 != g0 + 1) {
        zk_warn("tdx: configfs: generation %llu -> %llu (expected +1): "
                "another writer used %s; discarding the quote",
                (unsigned long long)g0, (unsigned long long)g1, e.dir);
        *race = true;
        err = ZK_EBUSY;
    }
out:
    rc = ops->rmdir(ctx, e.dir);
    if (rc != 0) {
        zk_warn("tdx: configfs: rmdir %s: %s", e.dir, strerror(-rc));
    }
    return err;
}

enum zk_err tdx_tsm_get_quote(const struct tdx_tsm_ops *ops, void *ctx,
                              const char *root, const uint8_t report_data[64],
                              struct zk_buf *quote_out)
{
    struct zk_buf outblob;
    enum zk_err err = ZK_EBUSY;

    zk_buf_reset(quote_out);
    zk_buf_init(&outblob, ZK_MAX_QUOTE_SIZE);
    for (int i = 0; i < TDX_TSM_ATTEMPTS; i++) {
        struct tdx_quote q;
        bool race = false;
        err = attempt(ops, ctx, root, report_data, &outblob, &race);
        if (race) {
            continue;
        }
        if (err) {
            goto out;
        }
        /* Old kernels did not check the VMM status word, so the outblob
         * may be garbage: validate it before trusting anything in it. */
        err = tdx_quote_parse_td(&q, outblob.data, outblob.len);
        if (err) {
            zk_error("tdx: configfs: outblob (%zu bytes) is not a TDX quote: "
                     "%s",
                     outblob.len, zk_strerror(err));
            err = ZK_EINVAL;
            goto out;
        }
        if (q.is_simulated) {
            zk_error("tdx: configfs: outblob carries the simulated-quote "
                     "marker; refusing it");
            err = ZK_EINVAL;
            goto out;
        }
        if (memcmp(q.report_data, report_data, TDX_REPORT_DATA_LEN) != 0) {
            zk_warn("tdx: configfs: quote REPORTDATA differs from inblob "
                    "(race or host fault); retrying");
            err = ZK_EBUSY;
            continue;
        }
        if (q.trailing_len > 0) {
            zk_info("tdx: configfs: trimmed %zu trailing bytes from a "
                    "%zu-byte outblob",
                    q.trailing_len, outblob.len);
        }
        err = zk_buf_append(quote_out, outblob.data, q.signed_len);
        goto out;
    }
    zk_error("tdx: configfs: no consistent quote after %d attempts",
             TDX_TSM_ATTEMPTS);
out:
    zk_buf_cleanup(&outblob);
    if (err) {
        zk_buf_reset(quote_out);
    }
    return err;
}

enum zk_err tdx_quote_get(enum tdx_mode mode, const char *root,
                          const uint8_t report_data[64],
                          struct zk_buf *quote_out)
{
    switch (mode) {
    case TDX_MODE_CONFIGFS:
        return tdx_tsm_get_quote(&tdx_tsm_sys_ops, NULL,
                                 root ? root : TDX_CONFIGFS_ROOT, report_data,
                                 quote_out);
    case TDX_MODE_SIMULATED:
        zk_warn("tdx: simulated quote (NOT a TDX attestation; accepted only "
                "by the mock verifier)");
        return tdx_sim_quote(report_data, NULL, quote_out);
    }
    zk_error("tdx: unknown mode %d", (int)mode);
    return ZK_EINVAL;
}

bool tdx_configfs_available(const char *root)
{
    struct stat st;
    struct entry e;
    if (root == NULL) {
        root = TDX_CONFIGFS_ROOT;
    }
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        return false;
    }
    if (make_entry(&tdx_tsm_sys_ops, NULL, root, &e, true) != ZK_OK) {
        return false;
    }
    /* A plain directory also allows mkdir: require the provider too. */
    struct zk_buf b;
    zk_buf_init(&b, 256);
    bool ok = sys_read(NULL, attr_path(&e, "provider"), &b) == 0 &&
              b.len >= 9 && memcmp(b.data, "tdx_guest", 9) == 0;
    zk_buf_cleanup(&b);
    return rmdir(e.dir) == 0 && ok;
}
