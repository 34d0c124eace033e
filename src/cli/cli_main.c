/*
 * cli_main.c - `sp1-tee COMMAND ...`: dispatches to the subcommands.
 */
#include <config.h>
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

#include "base/compiler.h"

static const struct cli_cmd commands[] = {
    {"exec", "run an SP1 ELF locally and print its public values",
     cli_cmd_exec},
    {"quote", "decode a TDX/SGX DCAP quote file", cli_cmd_quote},
    {"vk", "compute an ELF's SP1 verifying-key digest (programVKey)",
     cli_cmd_vk},
    {"submit", "submit an ELF (+ stdin) to a prover for a TEE proof",
     cli_cmd_submit},
    {"wait", "wait for a proof to finish and print it", cli_cmd_wait},
    {"proof", "fetch one proof record", cli_cmd_proof},
    {"history", "list/filter a prover's proof history", cli_cmd_history},
    {"verify", "check a TEE proof's signature off-chain", cli_cmd_verify},
    {"upload", "upload a program once (then submit --program SHA256)",
     cli_cmd_upload},
    {"signer", "show the prover's signer and check its TDX attestation",
     cli_cmd_signer},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: sp1-tee COMMAND [ARGS...]\n\ncommands:\n");
    for (size_t i = 0; i < ZK_ARRAY_LEN(commands); i++) {
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    }
    fprintf(f, "\n`sp1-tee COMMAND --help` describes a command.\n");
}

/* stdout's error flag is sticky: one check at exit catches a failed write
 * (full disk, closed file) that the commands' printf calls did not look at,
 * so `sp1-tee ... > file` never exits 0 with cut output. */
static int finish(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "sp1-tee: write error on stdout\n");
        return rc == 0 ? 1 : rc;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return finish(0);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("sp1-tee %s\n", PACKAGE_VERSION);
        return finish(0);
    }
    for (size_t i = 0; i < ZK_ARRAY_LEN(commands); i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return finish(commands[i].run(argc - 1, argv + 1));
        }
    }
    fprintf(stderr, "sp1-tee: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
