/* coders.c — qda coders: who coded what, and when; warns about names that
 * look like one person. Parses and prints only; core/coders.c counts. */
#include <stdio.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "name", COL_STR },  { "codings", COL_INT }, { "removed", COL_INT }, { "reviews", COL_INT },
	{ "memos", COL_INT }, { "first", COL_STR },   { "last", COL_STR },
};

static int row(void *ctx, const struct qda_coder_row *r)
{
	char codings[24], removed[24], reviews[24], memos[24];
	const char *v[7];
	snprintf(codings, sizeof codings, "%ld", r->codings);
	snprintf(removed, sizeof removed, "%ld", r->removed);
	snprintf(reviews, sizeof reviews, "%ld", r->reviews);
	snprintf(memos, sizeof memos, "%ld", r->memos);
	v[0] = r->name;
	v[1] = codings;
	v[2] = removed;
	v[3] = reviews;
	v[4] = memos;
	v[5] = r->first;
	v[6] = r->last;
	out_row(ctx, v);
	return 0;
}

int cmd_coders(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda coders [--format FMT]",
		"List the coders: their current codings, their codings marked removed, their reviews and\n"
		"memos, and their first and last activity (UTC).",
		"Activity is any of: the coder's first use, codings made or removed, reviews, memos, documents\n"
		"imported or removed, codebook versions. A warning on stderr names coders who look like one\n"
		"person: the same name but for case and accents ('Alice', 'alice'), or names of four letters\n"
		"or more one edit apart, with the 'qda coder rename OLD NEW --merge' that would make them one.",
	};
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	st = qda_coders_list(cli->h, row, o);
	return out_finish(cli, o, st);
}
