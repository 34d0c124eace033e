/*
 * cli.h - the sp1-tee command-line tool: client and offline toolbox.
 *
 * Each subcommand lives in its own cmd_<name>.c and is listed in the table
 * in cli_main.c. A subcommand gets argv starting at its own name and
 * returns the process exit status (0 ok, 1 failure, 2 usage error).
 * Output goes to stdout; diagnostics to stderr.
 */
#ifndef ZK_CLI_CLI_H
#define ZK_CLI_CLI_H

struct cli_cmd {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
};

/* Subcommands (one per cmd_*.c). */
int cli_cmd_exec(int argc, char **argv);
int cli_cmd_quote(int argc, char **argv);
int cli_cmd_vk(int argc, char **argv);
int cli_cmd_submit(int argc, char **argv);
int cli_cmd_wait(int argc, char **argv);
int cli_cmd_proof(int argc, char **argv);
int cli_cmd_history(int argc, char **argv);
int cli_cmd_verify(int argc, char **argv);
int cli_cmd_upload(int argc, char **argv);
int cli_cmd_signer(int argc, char **argv);

#endif
