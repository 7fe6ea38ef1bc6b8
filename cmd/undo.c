/* undo.c — qda undo [--list]: reverse the current coder's last change, or
 * list the changes undo would reverse, newest first. Parses and prints only;
 * core/undo.c reverses. */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "log_id", COL_INT }, { "at", COL_STR },      { "command", COL_STR },
	{ "summary", COL_STR }, { "undo", COL_STR },
};

static int list_row(void *ctx, const struct qda_undo_row *r)
{
	char id[32];
	const char *v[5];
	snprintf(id, sizeof id, "%lld", r->log_id);
	v[0] = id;
	v[1] = r->at;
	v[2] = r->command;
	v[3] = r->summary;
	v[4] = r->undo;
	out_row(ctx, v);
	return 0;
}

int cmd_undo(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda undo [--list [--limit N]]",
		"Reverse your last change to the project (the coder is --coder or $QDA_CODER; without one,\n"
		"the last change made without a coder): codings, removals, automatic coding, batch coding,\n"
		"imports, codebook loads and theme reshaping, review verdicts and applied suggestions, memos,\n"
		"case attributes. Each undo takes the next change back; --list shows them, newest first.",
		"A change that later work depends on (a coding reviewed since, a document coded since) is\n"
		"not undone: qda says what depends on it and changes nothing. The undo is in the log, and\n"
		"the change it reversed shows undone_by there. Changes made before qda 0.2 cannot be undone.",
	};
	int list = 0;
	long limit = 10;
	const struct opt opts[] = {
		OPT_BOOL("list", 'l', &list, "list the changes undo would reverse, newest first"),
		OPT_INT("limit", 'n', &limit, "N", "with --list: at most N changes (default 10; 0 for all)"),
		OPT_END(),
	};
	struct out *o;
	enum qda_status st;
	long long undone = 0;
	char *summary = NULL;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, list ? OPEN_READ : OPEN_WRITE)))
		return rc;
	if (list) {
		if (!(o = out_open(cli, OUT_LISTING, &rc)))
			return rc;
		out_begin(o, cols, 5);
		st = qda_undo_list(cli->h, limit, list_row, o);
		return out_finish(cli, o, st);
	}
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_undo(cli->h, &undone, &summary)) == QDA_OK) {
		char *done = xasprintf("undid log %lld: %s", undone, summary);
		st = qda_commit(cli->h, done);
		if (st == QDA_OK)
			printf("%s\n", done);
		free(done);
	} else {
		qda_rollback(cli->h);
	}
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}
