/* fake_tsm.c - fake configfs-tsm report tree; see fake_tsm.h. */
#include <config.h>
#include "fake_tsm.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/limits.h"
#include "base/mem.h"

static const char *const attrs[] = {"provider", "generation", "inblob",
                                    "outblob"};

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* out = the first dlen bytes of dir + "/" + name; -ENAMETOOLONG rather
 * than a cut path */
static int join(char *out, size_t n, const char *dir, size_t dlen,
                const char *name)
{
    int w = snprintf(out, n, "%.*s/%s", (int)dlen, dir, name);
    return w >= 0 && (size_t)w < n ? 0 : -ENAMETOOLONG;
}

/* path of a sibling attribute in the same entry directory */
static int sibling(char *out, size_t n, const char *path, const char *name)
{
    const char *s = strrchr(path, '/');
    return join(out, n, path, s ? (size_t)(s - path) : 0, name);
}

static int put_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        return -errno;
    }
    ssize_t w = n ? write(fd, p, n) : 0;
    close(fd);
    return w == (ssize_t)n ? 0 : -EIO;
}

static int bump_generation(const char *attr_path, unsigned by)
{
    char gpath[600], txt[32];
    struct zk_buf b;
    zk_buf_init(&b, 64);
    int rc = sibling(gpath, sizeof(gpath), attr_path, "generation");
    rc = rc ? rc : tdx_tsm_sys_ops.read(NULL, gpath, &b);
    unsigned long long g = rc == 0 ? strtoull((char *)b.data, NULL, 10) : 0;
    zk_buf_cleanup(&b);
    if (rc != 0) {
        return rc;
    }
    int n = snprintf(txt, sizeof(txt), "%llu\n", g + by);
    return put_file(gpath, txt, (size_t)n);
}

static int fake_mkdir(void *ctx, const char *path)
{
    struct fake_tsm *f = ctx;
    char p[600];
    if (f->mode == FAKE_TSM_NO_PROVIDER) {
        return -ENXIO;
    }
    int rc = tdx_tsm_sys_ops.mkdir(NULL, path);
    if (rc != 0) {
        return rc;
    }
    f->mkdirs++;
    const char *prov =
        f->mode == FAKE_TSM_WRONG_PROVIDER ? "sev_guest\n" : "tdx_guest\n";
    size_t dlen = strlen(path);
    rc = join(p, sizeof(p), path, dlen, "provider");
    rc = rc ? rc : put_file(p, prov, strlen(prov));
    rc = rc ? rc : join(p, sizeof(p), path, dlen, "generation");
    rc = rc ? rc : put_file(p, "0\n", 2);
    rc = rc ? rc : join(p, sizeof(p), path, dlen, "inblob");
    return rc ? rc : put_file(p, "", 0);
}

static int fake_rmdir(void *ctx, const char *path)
{
    struct fake_tsm *f = ctx;
    char p[600];
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        if (join(p, sizeof(p), path, strlen(path), attrs[i]) == 0) {
            unlink(p);
        }
    }
    int rc = tdx_tsm_sys_ops.rmdir(NULL, path);
    if (rc == 0) {
        f->rmdirs++;
    }
    return rc;
}

static int fake_write(void *ctx, const char *path, const uint8_t *p, size_t n)
{
    struct fake_tsm *f = ctx;
    if (strcmp(base_name(path), "inblob") != 0) {
        return -EACCES; /* every other tdx_guest attribute is read-only */
    }
    if (n > 64) {
        return -EFBIG; /* TSM_INBLOB_MAX */
    }
    int rc = tdx_tsm_sys_ops.write(NULL, path, p, n);
    if (rc != 0) {
        return rc;
    }
    f->inblob_writes++;
    return bump_generation(path, 1); /* applied at close() */
}

/* Builds the outblob the "kernel" returns for the inblob next to path. */
static int make_outblob(struct fake_tsm *f, const char *path)
{
    char ipath[600];
    struct zk_buf in, out;
    int rc;
    bool first = f->mkdirs == 1;

    zk_buf_init(&in, 4096);
    zk_buf_init(&out, 2 * ZK_MAX_QUOTE_SIZE);
    rc = sibling(ipath, sizeof(ipath), path, "inblob");
    rc = rc ? rc : tdx_tsm_sys_ops.read(NULL, ipath, &in);
    if (rc == 0 && in.len != 64) {
        rc = -EINVAL; /* tdx_guest insists on exactly 64 bytes */
    }
    if (rc == 0 && f->mode == FAKE_TSM_EBUSY) {
        rc = -EBUSY;
    }
    if (rc != 0) {
        goto out;
    }
    if (f->mode == FAKE_TSM_GARBAGE) {
        uint8_t junk[100];
        memset(junk, 0xaa, sizeof(junk));
        rc = zk_buf_append(&out, junk, sizeof(junk)) ? -ENOMEM : 0;
    } else if (f->mode == FAKE_TSM_HUGE) {
        uint8_t *z = zk_calloc(1, ZK_MAX_QUOTE_SIZE + 1);
        rc = z && !zk_buf_append(&out, z, ZK_MAX_QUOTE_SIZE + 1) ? 0 : -ENOMEM;
        zk_free(z);
    } else {
        rc = zk_buf_append(&out, f->tmpl, f->tmpl_len) ? -ENOMEM : 0;
        if (rc == 0 && f->tmpl_len >= 632) {
            memcpy(out.data + 568, in.data, 64);
            if (f->mode == FAKE_TSM_WRONG_ECHO ||
                (f->mode == FAKE_TSM_WRONG_ECHO_ONCE && first)) {
                out.data[568 + 63] ^= 0x01;
            }
        }
        while (rc == 0 && out.len < f->pad_to) {
            rc = zk_buf_append(&out, "", 1) ? -ENOMEM : 0;
        }
    }
    if (rc == 0) {
        rc = put_file(path, out.data, out.len);
    }
    /* Another writer stores an inblob between our write and our second
     * generation read; the quote still carries OUR report data, so only
     * the generation check can notice. */
    if (rc == 0 && (f->mode == FAKE_TSM_RACE ||
                    (f->mode == FAKE_TSM_RACE_ONCE && first))) {
        rc = bump_generation(path, 1);
    }
out:
    zk_buf_cleanup(&in);
    zk_buf_cleanup(&out);
    return rc;
}

static int fake_read(void *ctx, const char *path, struct zk_buf *out)
{
    struct fake_tsm *f = ctx;
    if (strcmp(base_name(path), "outblob") == 0) {
        f->outblob_reads++;
        int rc = make_outblob(f, path);
        if (rc != 0) {
            zk_buf_reset(out);
            return rc;
        }
    } else if (strcmp(base_name(path), "inblob") == 0) {
        return -EACCES; /* write-only */
    }
    return tdx_tsm_sys_ops.read(NULL, path, out);
}

const struct tdx_tsm_ops fake_tsm_ops = {
    .mkdir = fake_mkdir,
    .rmdir = fake_rmdir,
    .read = fake_read,
    .write = fake_write,
};

int fake_tsm_init(struct fake_tsm *f, enum fake_tsm_mode mode,
                  const uint8_t *tmpl, size_t tmpl_len)
{
    memset(f, 0, sizeof(*f));
    const char *tmp = getenv("TMPDIR");
    tmp = tmp && *tmp ? tmp : "/tmp";
    if (join(f->root, sizeof(f->root), tmp, strlen(tmp), "fake-tsm-XXXXXX") ||
        mkdtemp(f->root) == NULL) {
        return -1;
    }
    f->mode = mode;
    f->tmpl = tmpl;
    f->tmpl_len = tmpl_len;
    return 0;
}

unsigned fake_tsm_entries(const struct fake_tsm *f)
{
    unsigned n = 0;
    DIR *d = opendir(f->root);
    struct dirent *de;
    if (d == NULL) {
        return 0;
    }
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0) {
            n++;
        }
    }
    closedir(d);
    return n;
}

void fake_tsm_cleanup(struct fake_tsm *f)
{
    DIR *d = opendir(f->root);
    struct dirent *de;
    char p[600];
    if (d != NULL) {
        while ((de = readdir(d)) != NULL) {
            if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) {
                continue;
            }
            if (join(p, sizeof(p), f->root, strlen(f->root), de->d_name)) {
                continue;
            }
            fake_rmdir(f, p);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(f->root);
}
