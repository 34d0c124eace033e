/*
 * vk_v45.h - SP1 v4 and v5 verifying-key digests (sp1-vk-v4v5.md).
 *
 * Same commitment engine as v3 (vk/commit.h), other front ends:
 *   v4 (sp1 4.0.0-rc.8 .. 4.2.x): Program trace of 14 columns with the
 *      renumbered opcodes, zero padding; Byte table; no MemoryProgram. The
 *      memory image enters the digest as one point of the septic curve
 *      (vk/septic.h). Digest = Poseidon2 sponge of commit, pc_start, the
 *      point (x then y) and per chip (log2 h, h, 1, omega(h)).
 *   v5 (sp1 5.0.x .. 5.2.x): as v4, but Program padding rows repeat row 0,
 *      and per chip the digest also takes (width, height, name length,
 *      name bytes).
 * vk_compute (vk/vk.h) dispatches here for major 4 and 5; callers normally
 * use that.
 *
 * Versions: the algorithm is chosen from the program's SP1 version and
 * only for releases whose vk is known to follow it (vk_v45_algorithm);
 * anything else is refused with ZK_EUNSUPPORTED, never guessed. A version
 * the caller forced is taken as given.
 *
 * Thread-safe and reentrant (no global mutable state besides constant
 * tables built once). Uses up to opts->n_threads threads.
 */
#ifndef ZK_VK_VK_V45_H
#define ZK_VK_VK_V45_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"
#include "vk/septic.h"
#include "vk/vk.h"
#include "zkvm/program.h"

enum vk_v45_algo { VK_V45_NONE = 0, VK_V45_V4 = 4, VK_V45_V5 = 5 };

/* Width of the v4/v5 Program trace. */
#define VK_V45_PROGRAM_WIDTH 14

/*
 * Which digest algorithm an SP1 version uses.
 * Returns: ZK_OK with *algo_out set for 4.0.x (including 4.0.0-rc.8 and
 *          rc.9), 4.1.x, 4.2.x, 5.0.x, 5.1.x, 5.2.x, or a forced major 4/5;
 *          ZK_EUNSUPPORTED (reason logged) for anything else: another
 *          major, a later minor, an early 4.0.0 release candidate, or a
 *          version that was only guessed (no sp1-zkvm-X.Y.Z in the ELF).
 */
ZK_NODISCARD enum zk_err vk_v45_algorithm(const struct zkvm_sp1_version *v,
                                          enum vk_v45_algo *algo_out);

/* Intermediate values, for tests and debugging. */
struct vk_v45_detail {
    enum vk_v45_algo algo;
    struct vk_septic_point global_sum; /* initial_global_cumulative_sum */
};

/*
 * Computes the vk of a v4/v5 program.
 * Returns: as vk_compute_ex (vk/vk.h): ZK_OK; ZK_EUNSUPPORTED for a version
 *          without an exact algorithm; ZK_EINVAL for an instruction that
 *          does not transpile, an empty text, or an image address >= p;
 *          ZK_ELIMIT above 2^22 instructions; ZK_ENOMEM; ZK_EIO.
 * Out:     out (fully written on ZK_OK, zeroed otherwise); detail may be
 *          NULL.
 * In:      prog (borrowed); opts may be NULL for the defaults.
 */
ZK_NODISCARD enum zk_err vk_v45_compute(struct vk_result *out,
                                        const struct zkvm_program *prog,
                                        const struct vk_options *opts);

ZK_NODISCARD enum zk_err vk_v45_compute_detail(struct vk_result *out,
                                               struct vk_v45_detail *detail,
                                               const struct zkvm_program *prog,
                                               const struct vk_options *opts);

/*
 * Builds row k of the Program trace for one instruction word at pc (the
 * v4/v5 column layout of §4.2).
 * Returns: ZK_OK; ZK_EINVAL if the word does not decode.
 */
ZK_NODISCARD enum zk_err vk_v45_program_row(uint32_t row[VK_V45_PROGRAM_WIDTH],
                                            uint32_t pc, uint32_t word);

#endif
