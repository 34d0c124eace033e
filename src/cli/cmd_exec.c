/* placeholder until the zkvm issue lands: exec subcommand. */
#include <config.h>
#include "cli/cli.h"

#include <stdio.h>

int cli_cmd_exec(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "sp1-tee exec: not built yet\n");
    return 1;
}
