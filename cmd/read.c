/* read.c — qda read DOC [--memo TEXT] | qda read --list: familiarisation
 * marks, who has read which document. Parses and prints only; the marks
 * are core/read.c. */
#include <string.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "document", COL_STR }, { "case", COL_STR }, { "coder", COL_STR },
	{ "read", COL_STR },     { "at", COL_STR },   { "memo", COL_STR },
};

static int row(void *ctx, const struct qda_read_row *r)
{
	const char *v[6] = { r->doc, r->case_name, r->coder, r->at ? "yes" : "no", r->at, r->memo };
	out_row(ctx, v);
	return 0;
}

static int list(struct cli *cli, const char *by)
{
	struct out *o;
	enum qda_status st;
	int rc;
	if ((rc = cli_open(cli, OPEN_READ)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	st = qda_read_list(cli->h, by, row, o);
	return out_finish(cli, o, st);
}

/* Mark doc as read in one transaction of its own; 0 or the exit status. */
int cli_read_mark(struct cli *cli, const char *doc, const char *memo)
{
	enum qda_status st;
	long long memo_id = 0;
	char *summary;
	int again;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	if ((st = qda_read_mark(cli->h, doc, memo, &again, &memo_id)) != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	if (memo_id)
		summary = xasprintf("%s read %sby %s, memo %lld", doc, again ? "again " : "", cli_coder(cli), memo_id);
	else
		summary = xasprintf("%s read %sby %s", doc, again ? "again " : "", cli_coder(cli));
	st = qda_commit(cli->h, summary);
	if (st == QDA_OK)
		printf("%s\n", summary);
	free(summary);
	return st == QDA_OK ? 0 : cli_fail(cli, st);
}

int cmd_read(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda read DOC [--memo TEXT]\n"
		"       qda read --list [--by NAME] [--format FMT]",
		"Record that you (--coder NAME or $QDA_CODER) have read a document: familiarisation,\n"
		"Braun & Clarke's first phase.",
		"Reading a document again moves the date of the mark. --memo writes a memo on the document\n"
		"(as qda memo add --doc DOC) and links it to the mark. --list shows, for every document, each\n"
		"coder who has read something (and you): read yes or no, when, and the memo; --by NAME only\n"
		"that coder. qda docs shows who has read each document (read_by), qda status how many\n"
		"documents everyone has read. qda show DOC asks on a terminal, after the whole document,\n"
		"whether to mark it read.\n\n"
		"Examples:\n"
		"  qda read P01 --memo \"long silences; she comes back to the GP twice\"\n"
		"  qda read --list --by yanis --format csv",
	};
	const char *memo = NULL, *by = NULL;
	int do_list = 0, rc;
	const struct opt opts[] = {
		OPT_STRING("memo", 'm', &memo, "TEXT", "a memo on the document, written with the mark"),
		OPT_BOOL("list", 'l', &do_list, "list who has read which document"),
		OPT_STRING("by", 0, &by, "NAME", "with --list: only this coder"),
		OPT_END(),
	};
	int n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (do_list) {
		if (n > 0)
			return usage_error(cli, "unexpected argument '%s' with --list", argv[0]);
		if (memo)
			return usage_error(cli, "--memo marks a document read; it does not go with --list");
		return list(cli, by);
	}
	if (by)
		return usage_error(cli, "--by goes with --list");
	if (n != 1)
		return usage_error(cli, n ? "one document at a time" : "which document? (qda docs lists them; --list shows what was read)");
	if (!cli_coder(cli))
		return usage_error(cli, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	return cli_read_mark(cli, argv[0], memo);
}
