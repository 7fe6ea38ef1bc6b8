/* init.c — qda init [FILE]: create a new project file, mode 0600. */
#include "cmd.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda init [FILE]",
		"Create a new project file (default ./project.qda), readable by you alone (mode 0600):\n"
		"interview data is confidential.",
		NULL,
	};
	struct qda *h = NULL;
	enum qda_status st;
	const char *path;
	int n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 1)
		return usage_error(cli, "give at most one project file");
	path = n == 1 ? argv[0] : cli->project ? cli->project : "project.qda";
	st = qda_init(path, &h);
	if (st != QDA_OK) {
		cli->h = h;
		return cli_fail(cli, st);
	}
	if ((st = qda_set_coder(h, cli_coder(cli))) == QDA_OK && (st = qda_begin(h, cli->cmdline)) == QDA_OK)
		st = qda_commit(h, "project created");
	cli->h = h;
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("Created %s (schema %d). Next: qda import FILE...\n", path, qda_schema_version());
	return 0;
}
