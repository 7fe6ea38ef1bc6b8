/* log.c — qda log: the audit trail, newest first. */
#include <stdio.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "id", COL_INT }, { "at", COL_STR }, { "coder", COL_STR }, { "command", COL_STR }, { "summary", COL_STR },
	{ "undone_by", COL_INT },
};

static int row(void *ctx, const struct qda_log_row *r)
{
	char id[32], undone[32] = "";
	const char *v[6];
	snprintf(id, sizeof id, "%lld", r->id);
	if (r->undone_by)
		snprintf(undone, sizeof undone, "%lld", r->undone_by);
	v[0] = id;
	v[1] = r->at;
	v[2] = r->coder;
	v[3] = r->command;
	v[4] = r->summary;
	v[5] = undone;
	out_row(ctx, v);
	return 0;
}

int cmd_log(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = { "qda log [--limit N] [--width N]",
		                        "The audit trail: every command that changed the project, newest first; undone_by names\n"
		                        "the 'qda undo' that reversed a change.",
		                        "On a terminal, rows keep to its width, long commands and summaries cut with '…';\n"
		                        "csv, tsv and json carry them whole." };
	long limit = 0, width = -1;
	const struct opt opts[] = {
		OPT_INT("limit", 'n', &limit, "N", "show the N newest entries"),
		OPT_INT("width", 'w', &width, "N", "keep text rows to N columns (default: the terminal's; 0: no limit)"),
		OPT_END(),
	};
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if (o->fmt == OUT_TEXT) {
		o->max_width = width >= 0 ? (size_t)width : o->fp == stdout ? (size_t)cli_term_width() : 0;
		o->shrink = 1u << 3 | 1u << 4; /* command, summary */
	}
	out_begin(o, cols, 6);
	st = qda_log_list(cli->h, limit, row, o);
	return out_finish(cli, o, st);
}
