/* check.c — qda check: the project file's health (SQLite's integrity and
 * foreign-key checks, the full-text index's, qda's invariants), one row per
 * problem; exit 1 when there is any. Parses and prints only; core/check.c
 * checks. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "check", COL_STR },
	{ "where", COL_STR },
	{ "problem", COL_STR },
};

static int row(void *ctx, const struct qda_check_row *r)
{
	const char *v[3] = { r->check, r->where, r->problem };
	out_row(ctx, v);
	return 0;
}

int cmd_check(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda check [--format FMT]",
		"Check the project file: SQLite's integrity_check and foreign_key_check, the full-text\n"
		"index's own check, and qda's invariants: codings inside their documents, start before end,\n"
		"references that resolve, lines and turns that agree with the text, every non-empty line in\n"
		"the full-text index. One row per problem; the exit status is 1 when there is any.",
		"Nothing is changed. A project with problems can still be read: make a copy with 'qda backup'\n"
		"before anything else, then restore the last good backup or 'qda dump' what can be read.",
	};
	struct out *o;
	enum qda_status st;
	long n = 0;
	int rc, argn = opts_parse(cli, &u, NULL, argc, argv);

	if (argn < 0)
		return argn == -1 ? 0 : 2;
	if (argn > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	st = qda_check(cli->h, row, o, &n);
	/* text: a sound project is the one line on stderr, not a bare header;
	 * machine formats keep their empty table (the listing contract) */
	if (st == QDA_OK && n == 0 && o->fmt == OUT_TEXT)
		out_fail(o);
	rc = out_finish(cli, o, st);
	if (rc)
		return rc;
	if (n > 0)
		return cli_errorf(cli, "%ld problem%s found; copy the project with 'qda backup FILE' before changing it",
		                  n, n == 1 ? "" : "s");
	fprintf(stderr, "qda check: ok: no problems found\n");
	return 0;
}
