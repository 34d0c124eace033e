/*
 * tsm.h - the configfs-tsm report sequence with pluggable file operations.
 *
 * Module-internal (the rest of the project uses tdx.h). The kernel side of
 * configfs-tsm cannot be reproduced with plain files: mkdir populates the
 * entry with attributes, writing inblob bumps `generation`, the first read
 * of outblob produces the quote, rmdir removes a populated entry. So every
 * file-system action of the sequence goes through struct tdx_tsm_ops:
 * production uses tdx_tsm_sys_ops (plain syscalls on the given paths), and
 * tests wrap those with a fake that adds the kernel's side effects
 * (tests/unit/fake_tsm.c), including races and wrong outblobs.
 *
 * Every op returns 0 or a negative errno value.
 */
#ifndef ZK_TDX_TSM_H
#define ZK_TDX_TSM_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "tdx/tdx.h"

struct tdx_tsm_ops {
    int (*mkdir)(void *ctx, const char *path);
    int (*rmdir)(void *ctx, const char *path);
    /* Reads the whole attribute into out (reset first; out's ceiling
     * applies, exceeding it is -EFBIG). */
    int (*read)(void *ctx, const char *path, struct zk_buf *out);
    /* open(O_WRONLY), ONE write() of all n bytes, close(). */
    int (*write)(void *ctx, const char *path, const uint8_t *p, size_t n);
};

/* Plain syscalls; ctx is ignored. */
extern const struct tdx_tsm_ops tdx_tsm_sys_ops;

/* Maximum attempts when the generation or echo check fails. */
#define TDX_TSM_ATTEMPTS 3

/*
 * The whole sequence of tdx.h (TDX_MODE_CONFIGFS) over ops. root must not
 * be NULL. quote_out as in tdx_quote_get.
 */
ZK_NODISCARD enum zk_err tdx_tsm_get_quote(const struct tdx_tsm_ops *ops,
                                           void *ctx, const char *root,
                                           const uint8_t report_data[64],
                                           struct zk_buf *quote_out);

#endif
