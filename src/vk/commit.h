/*
 * commit.h - Plonky3 TwoAdicFriPcs::commit for SP1's preprocessed traces:
 * the 8-element Poseidon2 Merkle root of a list of matrices, each first
 * low-degree-extended (blowup 2, coset shift 31, rows bit-reversed) and
 * then hashed into a mixed-height Merkle tree with height injection
 * (sp1-vk.md 5, Plonky3 0.1.4-succinct FieldMerkleTreeMmcs).
 *
 * The engine never materialises a trace or its LDE: it streams the LDE into
 * the sponge states 8 columns at a time. A matrix is given compactly as its
 * first n_rows rows (row-major); rows n_rows .. 2^log_height - 1 are padding,
 * each equal to pad_row (or all zeros when pad_row is NULL). That covers SP1
 * v3 (zero padding) and v5 (padding = row 0) without copying the padding.
 *
 * Thread-safe and reentrant: no global state. Uses up to n_threads threads
 * internally. Memory for the tallest height n = 2^log_height: 64 B * n of
 * sponge states, 32 B * n of LDE buffer (both reused for the Merkle tree)
 * and 16 B * n of NTT tables, i.e. about 112 B per trace row (56 MB for
 * 2^19), plus 64 B per LDE row of every shorter matrix height.
 */
#ifndef ZK_VK_COMMIT_H
#define ZK_VK_COMMIT_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

#define VK_COMMIT_MAX_LOG_HEIGHT 22u   /* SP1's largest preprocessed shape */
#define VK_COMMIT_MAX_WIDTH      1024u /* per matrix; sanity ceiling */
#define VK_COMMIT_MAX_MATRICES   64u
#define VK_COMMIT_MAX_THREADS    64u

struct vk_matrix {
    size_t width;            /* columns, 1 .. VK_COMMIT_MAX_WIDTH */
    unsigned log_height;     /* trace height 2^log_height (pre-LDE), 0..22 */
    const uint32_t *data;    /* n_rows * width canonical values, row-major */
    size_t n_rows;           /* real rows given, <= 2^log_height */
    const uint32_t *pad_row; /* width values for every row >= n_rows, or
                                NULL for zero padding */
};

/*
 * Commits to mats[0..n_mats) in the given order; like Plonky3 the engine
 * stable-sorts them by height (tallest first), so pass them in SP1's chip
 * order (height descending, then name) to reproduce SP1.
 * Returns: ZK_OK; ZK_EINVAL (logged) for an empty list, a zero width, a
 *          width or height above the ceilings, or n_rows > height; ZK_ENOMEM.
 *          Values must be canonical (< p): that is the caller's contract,
 *          not checked.
 * Out:     root: the 8 canonical BabyBear words of the Merkle root.
 * In:      mats (borrowed for the call); n_threads: 0 = number of online
 *          CPUs (capped at 8), else at most VK_COMMIT_MAX_THREADS.
 */
ZK_NODISCARD enum zk_err vk_commit(uint32_t root[8],
                                   const struct vk_matrix *mats, size_t n_mats,
                                   unsigned n_threads);

#endif
