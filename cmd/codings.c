/* codings.c — stub, replaced by the real command. */
#include "cmd.h"

int cmd_codings(struct cli *cli, int argc, char **argv)
{
	return cli_errorf(cli, "not yet implemented");
}
