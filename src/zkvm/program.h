/*
 * program.h - an SP1 guest program as loaded from its ELF.
 *
 * zkvm_program_load() applies SP1's ELF rules for the program's major
 * version (sp1-executor-abi.md §1) and produces what both the executor and
 * the vk computation start from: pc_start, pc_base, the instruction words
 * of the executable segments (in order, instruction i at pc_base + 4*i),
 * and the initial memory image (sorted by address, one entry per word).
 * Every instruction word has been checked to decode; a word that does not
 * makes loading fail, as in SP1's transpiler.
 *
 * Ownership: the caller owns the struct; zkvm_program_cleanup frees the
 * arrays. Loading never keeps a pointer to the ELF bytes.
 */
#ifndef ZK_ZKVM_PROGRAM_H
#define ZK_ZKVM_PROGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"
#include "base/err.h"

enum zkvm_sp1_major {
    ZKVM_SP1_AUTO = 0, /* detect from the ELF's sp1-zkvm-X.Y.Z strings */
    ZKVM_SP1_V3 = 3,
    ZKVM_SP1_V4 = 4,
    ZKVM_SP1_V5 = 5
};

/* Where the version came from (zkvm extension; see docs/zkvm.md). */
enum zkvm_version_source {
    ZKVM_VERSION_FORCED = 0, /* the caller's force argument */
    ZKVM_VERSION_STRING,     /* an sp1-zkvm-X.Y.Z string in the ELF */
    ZKVM_VERSION_RUSTC,      /* guessed from the "rustc version 1.N" string */
    ZKVM_VERSION_DEFAULT     /* nothing found: newest major (v5) assumed */
};

struct zkvm_sp1_version {
    enum zkvm_sp1_major major; /* ZKVM_SP1_V3..V5 after loading */
    int minor;                 /* -1 when unknown (forced or not found) */
    int patch;                 /* -1 when unknown */
    bool is_detected;          /* true: read from the ELF; false: forced */
    char text[32];             /* e.g. "4.1.0" or "v3 (forced)" */
    enum zkvm_version_source source;
};

/*
 * Version comparison used for every per-version rule: true when v is at
 * least maj.min.pat. An unknown minor/patch (-1) counts as the newest
 * release of its major, so a forced "v4" gets the v4.2 rules.
 */
bool zkvm_version_ge(const struct zkvm_sp1_version *v, int maj, int min,
                     int pat);

/* Ceiling on the words of the initial image (bss included): 64 MiB. */
#define ZKVM_MAX_IMAGE_WORDS (16u * 1024 * 1024)

struct zkvm_image_word {
    uint32_t addr;  /* word-aligned guest address */
    uint32_t value; /* little-endian word value */
};

struct zkvm_program {
    uint32_t pc_start; /* e_entry */
    uint32_t pc_base;  /* see sp1-executor-abi.md §1.2 */
    uint32_t *insns;   /* raw instruction words, n_insns of them */
    size_t n_insns;
    struct zkvm_image_word *image; /* ascending addr, unique */
    size_t n_image;
    struct zkvm_sp1_version version;
};

/*
 * Loads an SP1 ELF.
 * Returns: ZK_OK; ZK_EINVAL for a malformed or non-SP1 ELF (detail logged);
 *          ZK_ELIMIT past base/limits.h ceilings; ZK_EUNSUPPORTED for an
 *          ELF of an SP1 version we do not run (e.g. 64-bit v6); ZK_ENOMEM.
 * Out:     out (cleaned up by the caller even on error is safe).
 * In:      elf/len: the file bytes (borrowed); force: ZKVM_SP1_AUTO or a
 *          major version to use instead of the detected one.
 */
ZK_NODISCARD enum zk_err zkvm_program_load(struct zkvm_program *out,
                                           const uint8_t *elf, size_t len,
                                           enum zkvm_sp1_major force);

/* Frees the arrays; safe on a zeroed or partially loaded struct. */
void zkvm_program_cleanup(struct zkvm_program *p);

#endif
