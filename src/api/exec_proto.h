/*
 * exec_proto.h - the byte protocol between the prover and its isolated
 * executor child (sp1-tee-executor).
 *
 * The prover never parses or runs an untrusted ELF itself: for each vk
 * computation or job it fork+execs sp1-tee-executor with no key, no
 * database and no socket, writes one request to the child's stdin and
 * reads one result from the child's stdout. All integers are little-endian.
 *
 * Request:  "ZKX1" u32 mode u32 force_major u64 cycle_limit u64 max_memory
 *           u64 elf_len elf[elf_len] u64 stdin_len stdin[stdin_len]
 *           (stdin is the bincode SP1Stdin, see api_stdin_encode)
 * Result:   "ZKR1" u32 outcome u32 sp1_major char version[32] u8 vk[32]
 *           char vkey[67] u64 cycles u32 exit_code u32 zkvm_status
 *           char reason[256] u64 pv_len pv[pv_len]
 *
 * The parent treats the result as untrusted too: every field is bounded
 * and checked (api_exec_result_decode).
 */
#ifndef ZK_API_EXEC_PROTO_H
#define ZK_API_EXEC_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

#define API_EXEC_MODE_VK  1u /* load the ELF and compute its vk */
#define API_EXEC_MODE_RUN 2u /* load the ELF and execute it on stdin */

/* What happened in the child (u32 on the wire). */
enum api_exec_outcome {
    API_EXEC_OK = 0,       /* vk computed / guest halted with exit 0 and
                              a committed digest equal to sha256(pv) */
    API_EXEC_BAD_ELF,      /* not a loadable SP1 RISC-V ELF */
    API_EXEC_UNSUPPORTED,  /* SP1 version (or feature) not supported */
    API_EXEC_BAD_STDIN,    /* stdin did not parse */
    API_EXEC_GUEST_ERROR,  /* trap, panic, non-zero exit, bad digest */
    API_EXEC_CYCLE_LIMIT,  /* exceeded the cycle limit */
    API_EXEC_MEMORY_LIMIT, /* exceeded the guest memory limit */
    API_EXEC_INTERNAL,     /* executor bug / out of memory */
    API_EXEC_N_OUTCOMES
};

struct api_exec_request {
    uint32_t mode;
    uint32_t force_major; /* 0 = detect */
    uint64_t cycle_limit; /* 0 = none */
    uint64_t max_memory;  /* guest bytes; 0 = default */
    const uint8_t *elf;   /* borrowed */
    size_t elf_len;
    const uint8_t *stdin_data; /* borrowed */
    size_t stdin_len;
};

struct api_exec_result {
    uint32_t outcome; /* enum api_exec_outcome */
    uint32_t sp1_major;
    char version[32];
    uint8_t vk[32];
    char vkey[67];
    uint64_t cycles;
    uint32_t exit_code;
    uint32_t zkvm_status;
    char reason[256];
    uint8_t *public_values; /* owned (zk_free); NULL when empty */
    size_t public_values_len;
};

/* Bytes of the fixed part of a result. */
#define API_EXEC_RESULT_HEAD (4 + 4 + 4 + 32 + 32 + 67 + 8 + 4 + 4 + 256 + 8)

/* Appends the encoded request to out. */
ZK_NODISCARD enum zk_err
api_exec_request_encode(struct zk_buf *out, const struct api_exec_request *r);

/* Decodes a request (child side); pointers borrow from buf.
 * ZK_EINVAL for a malformed request. */
ZK_NODISCARD enum zk_err api_exec_request_decode(struct api_exec_request *out,
                                                 const uint8_t *buf,
                                                 size_t len);

/* Appends the encoded result to out. */
ZK_NODISCARD enum zk_err
api_exec_result_encode(struct zk_buf *out, const struct api_exec_result *r);

/*
 * Decodes a result (parent side). Strings are forced NUL-terminated,
 * outcome range-checked, pv_len bounded by ZK_MAX_PUBLIC_VALUES and by
 * len. Out: *out (public_values copied: api_exec_result_cleanup).
 * Returns ZK_OK, ZK_EINVAL, ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err api_exec_result_decode(struct api_exec_result *out,
                                                const uint8_t *buf, size_t len);

void api_exec_result_cleanup(struct api_exec_result *r);

/* Stable machine names ("ok", "bad_elf", ..., "internal"). */
const char *api_exec_outcome_name(uint32_t outcome);

#endif
