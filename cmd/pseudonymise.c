/* pseudonymise.c — qda pseudonymise --map FILE.csv: real names replaced by pseudonyms. */
#include "cmd.h"

int cmd_pseudonymise(struct cli *cli, int argc, char **argv)
{
	return usage_error(cli, "not yet");
}
