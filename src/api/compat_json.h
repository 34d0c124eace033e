/*
 * compat_json.h - a streaming parser for the reference client's
 * POST /request_proof body:
 *
 *   {"elf":[127,69,76,70,...],
 *    "stdin":{"buffer":[[10,0,0,0],...],"ptr":0,"proofs":[]},
 *    "proof_mode":"TEE"}
 *
 * serde writes byte vectors as arrays of numbers, so an ELF of N bytes is
 * ~4N bytes of JSON; a DOM parser would need tens of bytes per element.
 * This parser writes bytes straight into bounded buffers. Keys may come
 * in any order; unknown keys are skipped (depth-limited); duplicate keys,
 * non-integers, values > 255, trailing garbage, a non-empty "proofs" and
 * a proof_mode other than "TEE" are refused. Not thread-safe per object.
 */
#ifndef ZK_API_COMPAT_JSON_H
#define ZK_API_COMPAT_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include "api/api.h"
#include "base/buf.h"

struct api_compat_req {
    struct zk_buf elf;   /* the ELF bytes */
    struct api_stdin in; /* the stdin items (finished) */
    bool has_elf;
    bool has_stdin;
};

/* Prepares an empty request with the given ceilings. */
void api_compat_req_init(struct api_compat_req *r, size_t max_elf,
                         size_t max_stdin);
void api_compat_req_cleanup(struct api_compat_req *r);

/*
 * Parses text[0..n). Returns ZK_OK; ZK_EINVAL (malformed or wrong types,
 * reason in msg); ZK_ELIMIT (ELF or stdin too large); ZK_ENOMEM.
 */
ZK_NODISCARD enum zk_err api_compat_parse(struct api_compat_req *r, char *msg,
                                          size_t msg_size, const char *text,
                                          size_t n);

#endif
