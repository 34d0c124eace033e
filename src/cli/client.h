/*
 * client.h - the pure (network-free) half of the client commands: option
 * parsing, request bodies, response decoding. cmd_client.c does the I/O.
 *
 * Everything here is unit-tested (tests/unit/test_cli.c) without a server.
 * Wire formats: ARCHITECTURE.md section 5 and the service's
 * docs/README-api.md. Byte strings are accepted both as "0x" hex strings
 * (v1 API) and as arrays of numbers (the reference /wait_proof form).
 */
#ifndef ZK_CLI_CLIENT_H
#define ZK_CLI_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

/* ---- options ---- */

struct cli_client_opts {
    const char *url;        /* --url (required for network commands) */
    const char *cacert;     /* --cacert FILE */
    bool insecure;          /* --insecure / -k */
    bool json;              /* --json: print the server's JSON */
    bool compat;            /* --compat: /request_proof + /wait_proof */
    bool wait;              /* --wait (submit) */
    long timeout_s;         /* --timeout SECONDS for wait (default 600) */
    const char *stdin_json; /* --stdin-json FILE (submit) */
    const char *elf;        /* positional: ELF (submit, upload) */
    const char *program;    /* submit --program SHA256 (instead of an ELF);
                               history --program filter */
    unsigned long long cycle_limit; /* submit --cycle-limit (0 = default) */
    bool quote;     /* signer --quote: decode and check the attestation */
    const char *id; /* positional: proof id (wait, proof) */
    /* history filters, passed through as query parameters */
    const char *vkey, *status, *signer, *since, *until, *cursor;
    long limit; /* 0 = server default */
    bool all;   /* follow cursors until the end */
};

enum cli_client_cmd {
    CLI_SUBMIT,
    CLI_WAIT,
    CLI_PROOF,
    CLI_HISTORY,
    CLI_UPLOAD, /* upload an ELF: POST /v1/programs */
    CLI_SIGNER  /* GET /v1/signer */
};

/*
 * Parses argv[1..argc) for cmd (argv[0] is the command name). Returns 0
 * ok, 1 --help was given (usage printed to stdout), 2 usage error
 * (message on stderr). Pointers in *o point into argv.
 */
int cli_client_parse(enum cli_client_cmd cmd, int argc, char **argv,
                     struct cli_client_opts *o);

/* ---- stdin (SP1Stdin items) ---- */

struct cli_stdin {
    struct zk_buf *items; /* zk_calloc'ed array of n buffers */
    size_t n;
};

/*
 * Decodes a stdin JSON document: either SP1Stdin's serde form
 * {"buffer":[[1,2,...],...],"ptr":0,"proofs":[]} or a plain array of items;
 * each item an array of byte numbers or a "0x" hex string.
 */
ZK_NODISCARD enum zk_err cli_stdin_parse(struct cli_stdin *out,
                                         const char *json, size_t len);
void cli_stdin_cleanup(struct cli_stdin *s);

/* ---- request bodies ---- */

/* Standard base64 (RFC 4648, padded) of p[0..n), appended to out. */
ZK_NODISCARD enum zk_err cli_base64_append(struct zk_buf *out, const uint8_t *p,
                                           size_t n);

/* v1 submit body (NUL-terminated JSON in out):
 *   {"elf":"<base64>"[,"cycle_limit":N],"stdin":["0x..",...]}, or with
 *   program != NULL (the sha256 of an uploaded ELF; elf is then ignored)
 *   {"program":"<sha256>",...}. stdin may be NULL (no items). */
ZK_NODISCARD enum zk_err cli_build_submit_v1(struct zk_buf *out,
                                             const uint8_t *elf, size_t elf_len,
                                             const char *program,
                                             unsigned long long cycle_limit,
                                             const struct cli_stdin *stdin_);

/* Reference /request_proof body: {"elf":[..],"stdin":{"buffer":[[..]],
 * "ptr":0,"proofs":[]},"proof_mode":"TEE"}. */
ZK_NODISCARD enum zk_err cli_build_submit_compat(struct zk_buf *out,
                                                 const uint8_t *elf,
                                                 size_t elf_len,
                                                 const struct cli_stdin *s);

/* ---- responses ---- */

enum cli_proof_state {
    CLI_STATE_PENDING = 0, /* queued, running, waiting_for_key, ... */
    CLI_STATE_DONE,
    CLI_STATE_FAILED
};

struct cli_proof {
    char id[128];
    char status[40]; /* as sent ("" if absent) */
    enum cli_proof_state state;
    bool has_vk, has_signature, has_digest, has_signer, has_public_values;
    uint8_t vk[32];
    uint8_t signature[65];
    uint8_t digest[32];
    char signer[43]; /* "0x" + 40 hex */
    char vkey[67];   /* bytes32 "0x" + 64 hex, "" if absent */
    struct zk_buf public_values;
    char error_code[64];
    char error_message[512];
};

void cli_proof_init(struct cli_proof *p);
void cli_proof_cleanup(struct cli_proof *p);

/*
 * Decodes one proof object (v1 record, possibly wrapped as {"proof":{..}},
 * or the reference {"signature","vk","public_values"}). ZK_EINVAL when it
 * is not JSON / not an object / a field has the wrong shape.
 */
ZK_NODISCARD enum zk_err cli_proof_decode(struct cli_proof *out,
                                          const char *json, size_t len);

/*
 * Decodes {"error":{"code":..,"message":..}} into code/message (either may
 * stay empty). Returns false when body is not such an error.
 */
bool cli_error_decode(const char *json, size_t len, char *code,
                      size_t code_size, char *message, size_t message_size);

/*
 * Decodes a history page: the records under "proofs" (or "items"/"data",
 * or a top-level array) into a zk_calloc'ed array (free with
 * cli_history_free), and the pagination cursor ("next_cursor"; "" at the
 * end).
 */
ZK_NODISCARD enum zk_err cli_history_decode(const char *json, size_t len,
                                            struct cli_proof **items_out,
                                            size_t *n_out, char *next_cursor,
                                            size_t cursor_size);
void cli_history_free(struct cli_proof *items, size_t n);

/* A program record (POST/GET /v1/programs): strings, "" when null. */
struct cli_program {
    char sha256[80];
    char sp1_version[40];
    char vkey[80];
};

/* Decodes a program record. ZK_EINVAL if not an object with a sha256. */
ZK_NODISCARD enum zk_err cli_program_decode(struct cli_program *out,
                                            const char *json, size_t len);

/* Builds the history query string ("?status=done&limit=10", "" if none)
 * into out, URL-escaping values. */
ZK_NODISCARD enum zk_err cli_history_query(struct zk_buf *out,
                                           const struct cli_client_opts *o,
                                           const char *cursor);

#endif
