/* code.c — stub, replaced by the real command. */
#include "cmd.h"

int cmd_code(struct cli *cli, int argc, char **argv)
{
	return cli_errorf(cli, "not yet implemented");
}
