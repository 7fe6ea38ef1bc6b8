/* case.c — qda case set|import: give cases their attributes, one by one or
 * from a CSV file (first column the case, the others attributes). */
#include <stdio.h>

#include "cmd.h"

static int case_set(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda case set CASE KEY=VALUE... [--create]",
		"Set attributes of a case (role=patient age_group=35-49 ...). An empty VALUE removes the\n"
		"attribute. The case must exist (made by import) unless --create is given.",
		NULL,
	};
	int create = 0;
	const struct opt opts[] = {
		OPT_BOOL("create", 0, &create, "create the case if it does not exist"),
		OPT_END(),
	};
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n < 2)
		return usage_error(cli, "give a case and at least one KEY=VALUE");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	st = qda_case_set(cli->h, argv[0], (const char **)argv + 1, (size_t)n - 1, create);
	if (st == QDA_OK) {
		char *summary = xasprintf("case %s: %d attribute%s set", argv[0], n - 1, n == 2 ? "" : "s");
		st = qda_commit(cli->h, summary);
		if (st == QDA_OK)
			printf("%s\n", summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

static int case_import(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda case import FILE.csv [--delimiter SEP]",
		"Set case attributes from a CSV file: a header row, the first column the case name, the\n"
		"other columns attributes (e.g. case,role,gender,age_group). Cases not yet in the project\n"
		"are created; an empty cell removes that attribute. UTF-8, with or without a BOM.",
		"The file is read strictly: a cell holding a comma, a quote or a line break is written in\n"
		"quotes, its quotes doubled; every row has the header's cells. A file separated by ';'\n"
		"(French Excel) or tabs needs --delimiter ';' or --delimiter tab.",
	};
	const char *delimiter = NULL;
	const struct opt opts[] = {
		OPT_DELIMITER(&delimiter),
		OPT_END(),
	};
	enum qda_status st;
	long ncases = 0;
	char delim;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one CSV file");
	if ((rc = cli_delimiter(cli, delimiter, &delim)))
		return rc;
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	st = qda_case_import_csv(cli->h, argv[0], delim, &ncases);
	if (st == QDA_OK) {
		char *summary = xasprintf("attributes set for %ld case%s from %s", ncases, ncases == 1 ? "" : "s",
		                          argv[0]);
		st = qda_commit(cli->h, summary);
		if (st == QDA_OK)
			printf("%s\n", summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_case(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "set", case_set, OPEN_WRITE, "set attributes of a case" },
		{ "import", case_import, OPEN_WRITE, "set case attributes from a CSV file" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd(cli, "case", verbs, argc, argv);
}
