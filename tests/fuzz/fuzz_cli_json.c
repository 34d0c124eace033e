/*
 * fuzz_cli_json.c - libFuzzer harness for the sp1-tee client's decoders of
 * server answers and user files (src/cli/client.c, attest_check.c): proof
 * records, history pages, stdin JSON, program records, error bodies and
 * /v1/signer answers (including the attestation check on whatever quote
 * they carry). Invariants: fixed-size fields are only marked present with
 * their exact sizes; nothing leaks or reads past the input.
 */
#include <config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "base/log.h"
#include "cli/attest_check.h"
#include "cli/client.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data;
    struct cli_proof pr;
    struct cli_stdin in;
    struct cli_signer sg;
    struct cli_program prog;
    struct cli_attest at;
    struct cli_proof *items = NULL;
    size_t n = 0;
    char cur[64], code[64], msg[128];

    zk_log_set_level(ZK_LOG_SILENT); /* decoders log every rejection */

    cli_proof_init(&pr);
    if (cli_proof_decode(&pr, p, size) == ZK_OK && pr.public_values.len > 0 &&
        pr.public_values.data == NULL) {
        abort();
    }
    cli_proof_cleanup(&pr);
    if (cli_stdin_parse(&in, p, size) == ZK_OK) {
        cli_stdin_cleanup(&in);
    }
    if (cli_history_decode(p, size, &items, &n, cur, sizeof(cur)) == ZK_OK) {
        cli_history_free(items, n);
    }
    if (cli_program_decode(&prog, p, size) == ZK_OK && prog.sha256[0] == '\0') {
        abort();
    }
    (void)cli_error_decode(p, size, code, sizeof(code), msg, sizeof(msg));
    cli_signer_init(&sg);
    if (cli_signer_decode(&sg, p, size) == ZK_OK &&
        cli_attest_check(&at, &sg) == ZK_OK && at.ok && !at.quote_is_td) {
        abort();
    }
    cli_signer_cleanup(&sg);
    return 0;
}
