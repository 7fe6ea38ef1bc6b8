/* backup.c — qda backup FILE: a whole, consistent copy of the project
 * through SQLite's online backup API, written beside FILE then renamed.
 * Parses and prints only; core/check.c copies. */
#include <stdio.h>

#include "cmd.h"

int cmd_backup(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda backup FILE",
		"Copy the project to FILE, whole and consistent even while another qda command writes to it\n"
		"(SQLite's online backup API). FILE is written beside itself under a temporary name, then\n"
		"renamed (mode 0600): it is the complete copy or, on any error, left as it was.",
		"FILE cannot be the project itself. 'qda check' on the copy says whether it is sound.",
	};
	enum qda_status st;
	int rc, argn = opts_parse(cli, &u, NULL, argc, argv);

	if (argn < 0)
		return argn == -1 ? 0 : 2;
	if (argn == 0)
		return usage_error(cli, "give the file to write the backup to");
	if (argn > 1)
		return usage_error(cli, "unexpected argument '%s'", argv[1]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_backup(cli->h, argv[0])) != QDA_OK)
		return cli_fail(cli, st);
	printf("backed up the project to %s\n", argv[0]);
	return 0;
}
