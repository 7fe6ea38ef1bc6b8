/* init.c — qda init [FILE]: create a new project file, mode 0600. */
#include "cmd.h"

int cmd_init(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda init [FILE] [--lang fr|en]",
		"Create a new project file (default ./project.qda), readable by you alone (mode 0600):\n"
		"interview data is confidential.",
		"--lang is the language of documents that do not say theirs (qda import --lang, or a case\n"
		"attribute language): French unless told; it chooses the stemmer and the stop list.",
	};
	const char *lang_arg = NULL;
	int lang = -1;
	const struct opt opts[] = {
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
	path = n == 1 ? argv[0] : cli->project ? cli->project : "project.qda";
	st = qda_init(path, &h);
	if (st != QDA_OK) {
		cli->h = h;
		return cli_fail(cli, st);
	}
	if ((st = qda_set_coder(h, cli_coder(cli))) == QDA_OK && (st = qda_begin(h, cli->cmdline)) == QDA_OK &&
	    (lang < 0 || (st = qda_lang_set_default(h, lang)) == QDA_OK))
		st = qda_commit(h, "project created");
	cli->h = h;
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("Created %s (schema %d). Next: qda import FILE...\n", path, qda_schema_version());
	return 0;
}
