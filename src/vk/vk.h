/*
 * vk.h - SP1's verifying-key digest ("programVKey") of a guest program,
 * bit-exact with ProverClient::setup(elf) for SP1 v3 (sp1-sdk 3.0.0 ..
 * 3.4.0), see /work/shared/spec/sp1-vk.md. v4/v5 programs are delegated to
 * vk_v45_compute (vk/vk_v45.h) when that is built in, otherwise refused with
 * ZK_EUNSUPPORTED ("vk not supported for this SP1 version").
 *
 * The digest depends only on the ELF (pc_start, the instruction words, the
 * initial memory image), never on execution. Like the SDK default, the
 * preprocessed heights use SP1's fixed core shapes (FIX_CORE_SHAPES unset
 * or "true"); vk_options.no_fixed_shapes gives the FIX_CORE_SHAPES=false vk.
 *
 * Thread-safe and reentrant: no global mutable state; a caller may run
 * several vk_compute calls at once. Each uses up to n_threads threads and
 * about 75 MB for a 2^19-row program (~240 MB at 2^20, ~1.2 GB at 2^22).
 * Caching by sha256(ELF) is the caller's job.
 */
#ifndef ZK_VK_VK_H
#define ZK_VK_VK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"
#include "zkvm/program.h"

#define VK_MAX_CHIPS      4
#define VK_CHIP_NAME_MAX  32
#define VK_MAX_LOG_HEIGHT 22 /* SP1 refuses traces above 2^22 rows */
#define VK_BYTES32_LEN    66 /* "0x" + 64 hex digits, without the NUL */

struct vk_chip {
    char name[VK_CHIP_NAME_MAX]; /* "MemoryProgram", "Program", "Byte" */
    unsigned log_height;         /* preprocessed trace height = 2^log_height */
    size_t width;                /* preprocessed columns */
};

struct vk_result {
    uint32_t hash_u32[8];   /* hash_babybear() as canonical u32 */
    uint8_t hash_bytes[32]; /* hash_bytes(): each word big-endian (signed) */
    char bytes32[VK_BYTES32_LEN + 1]; /* bytes32(): "0x00...", lower case */
    uint32_t commit[8]; /* Merkle root of the preprocessed traces */
    uint32_t pc_start;
    size_t n_chips; /* chips in commit / digest order */
    struct vk_chip chips[VK_MAX_CHIPS];
    struct zkvm_sp1_version version; /* copied from the program */
    size_t n_insns;                  /* instructions transpiled */
    size_t n_image;                  /* memory image words */
};

struct vk_options {
    unsigned n_threads;   /* 0 = online CPUs (max 8) */
    bool no_fixed_shapes; /* true = FIX_CORE_SHAPES=false heights */
};

/*
 * Computes the vk of a loaded program with default options.
 * Returns: ZK_OK; ZK_EINVAL if an instruction word does not transpile (SP1
 *          panics at setup) or the program is inconsistent; ZK_ELIMIT if a
 *          trace would exceed 2^22 rows (SP1 refuses too);
 *          ZK_EUNSUPPORTED for an SP1 version without a vk implementation;
 *          ZK_ENOMEM; ZK_EIO (thread creation). Detail is logged.
 * Out:     out (fully written on ZK_OK, zeroed otherwise).
 * In:      prog (borrowed), as produced by zkvm_program_load.
 */
ZK_NODISCARD enum zk_err vk_compute(struct vk_result *out,
                                    const struct zkvm_program *prog);

/* Same, with options (opts may be NULL for the defaults). */
ZK_NODISCARD enum zk_err vk_compute_ex(struct vk_result *out,
                                       const struct zkvm_program *prog,
                                       const struct vk_options *opts);

/*
 * Fills hash_bytes and bytes32 of r from r->hash_u32 (sp1-vk.md 7):
 * hash_bytes = the words big-endian; bytes32 = sum hash_u32[i] *
 * 2^(31*(7-i)) as 0x + 64 hex digits. Used by v3 and v4/v5 alike.
 */
void vk_result_encode(struct vk_result *r);

/*
 * Inverts bytes32 (a programVKey as 0x + 64 hex digits, case-insensitive)
 * into the 8 digest words; hash_bytes_out may be NULL.
 * Returns: ZK_OK; ZK_EINVAL if it is not 32 hex bytes, not below 2^248,
 *          or a limb is not a canonical BabyBear element.
 */
ZK_NODISCARD enum zk_err vk_bytes32_decode(uint32_t hash_u32_out[8],
                                           uint8_t *hash_bytes_out,
                                           const char *bytes32);

#endif
