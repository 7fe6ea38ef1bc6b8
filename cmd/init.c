/* init.c — qda init [FILE]: create a new project file, mode 0600; with
 * --from DIR, the project a 'qda dump' wrote, rebuilt. */

#include "cmd.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda init [FILE] [--lang fr|en]\nqda init --from DIR [FILE]",
		"Create a new project file (default ./project.qda), readable by you alone (mode 0600):\n"
		"interview data is confidential.",
		"--lang is the language of documents that do not say theirs (qda import --lang, or a case\n"
		"attribute language): French unless told; it chooses the stemmer and the stop list.\n"
		"With --from, the new project is the one 'qda dump DIR' wrote, row for row (ids, GUIDs,\n"
		"dates, the log and what undo needs): dumping it again gives the same files. A dump made\n"
		"by an older qda (an older schema) is loaded at its schema, then upgraded as opening an\n"
		"older project upgrades it. The rebuild is not logged, so that the log stays the dumped\n"
		"one. On any error no project is left.",
	};
	const char *from = NULL, *lang_arg = NULL;
	int lang = -1;
	const struct opt opts[] = {
		OPT_STRING("from", 0, &from, "DIR", "rebuild the project from a dump (see qda dump)"),
		OPT_STRING("lang", 0, &lang_arg, "fr|en", "the project's language (default fr)"),
		OPT_END(),
	};
	struct qda *h = NULL;
	enum qda_status st;
	const char *path;
	int n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 1)
		return usage_error(cli, "give at most one project file");
	if (lang_arg && (lang = qda_lang_parse(lang_arg)) < 0)
		return usage_error(cli, "--lang wants fr or en, not '%s'", lang_arg);
	if (lang_arg && from)
		return usage_error(cli, "--from rebuilds the dumped project, its language included; it goes without --lang");
	path = n == 1 ? argv[0] : cli->project ? cli->project : "project.qda";
	if (from) {
		int version;
		st = qda_init_from(path, from, &h, &version);
		cli->h = h;
		if (st != QDA_OK)
			return cli_fail(cli, st);
		if (version < qda_schema_version())
			printf("Created %s from the dump %s (schema %d, upgraded to schema %d).\n", path, from, version,
			       qda_schema_version());
		else
			printf("Created %s from the dump %s (schema %d).\n", path, from, version);
		return 0;
	}
	st = qda_init(path, &h);
	cli->h = h;
	if (st != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_set_coder(h, cli_coder(cli))) == QDA_OK && (st = qda_begin(h, cli->cmdline)) == QDA_OK &&
	    (lang < 0 || (st = qda_lang_set_default(h, lang)) == QDA_OK))
		st = qda_commit(h, "project created");
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("Created %s (schema %d). Next: qda import FILE...\n", path, qda_schema_version());
	return 0;
}
