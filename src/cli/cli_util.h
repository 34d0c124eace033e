/*
 * cli_util.h - small helpers shared by the sp1-tee subcommands.
 *
 * Reading input files with a ceiling, and hex helpers for output. All
 * functions log their failures (base/log.h) and return enum zk_err.
 */
#ifndef ZK_CLI_CLI_UTIL_H
#define ZK_CLI_CLI_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/err.h"

/* Reads the whole file at path ("-" = stdin) into out (reset first),
 * refusing more than max bytes (ZK_ELIMIT). */
ZK_NODISCARD enum zk_err cli_read_file(const char *path, size_t max,
                                       struct zk_buf *out);

/* If buf holds only hex text (optional 0x, surrounding whitespace), decodes
 * it in place and returns true; binary data is left alone (false). */
bool cli_maybe_unhex(struct zk_buf *buf);

/* Prints "0x" + lower-case hex of p[0..n) to f (no newline). */
void cli_print_hex(FILE *f, const uint8_t *p, size_t n);

/* Returns a zk_malloc'ed "0x..." string of p[0..n), or NULL (ENOMEM). */
char *cli_hex_dup(const uint8_t *p, size_t n);

#endif
