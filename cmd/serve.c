/* serve.c — qda serve: the project in a browser (placeholder until the web layer lands). */
#include "cmd.h"

int cmd_serve(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = { "qda serve [--port N]", "Serve the project in a browser.", NULL };
	int n = opts_parse(cli, &u, NULL, argc, argv);
	if (n < 0)
		return n == -1 ? 0 : 2;
	return cli_errorf(cli, "not yet");
}
