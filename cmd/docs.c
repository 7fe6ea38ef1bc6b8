/* docs.c — qda docs: the documents with their case, role, format, turns,
 * words and speakers. */
#include <stdio.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "name", COL_STR },   { "case", COL_STR },  { "role", COL_STR },     { "format", COL_STR },
	{ "turns", COL_INT },  { "words", COL_INT }, { "lines", COL_INT },    { "speakers", COL_STR },
	{ "read_by", COL_STR },
};

static int row(void *ctx, const struct qda_doc_row *r)
{
	char turns[24], words[24], lines[24];
	const char *v[9];
	snprintf(turns, sizeof turns, "%ld", r->turns);
	snprintf(words, sizeof words, "%ld", r->words);
	snprintf(lines, sizeof lines, "%ld", r->lines);
	v[0] = r->name;
	v[1] = r->case_name;
	v[2] = r->role;
	v[3] = r->format;
	v[4] = turns;
	v[5] = words;
	v[6] = lines;
	v[7] = r->speakers;
	v[8] = r->read_by;
	out_row(ctx, v);
	return 0;
}

int cmd_docs(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda docs [--format FMT]",
		"List the documents: name, case, the case's role attribute, format, speaker turns, words, lines\n"
		"and speakers, and who has read it (qda read). Words are runs of letters and digits, speaker labels and header lines excluded.",
		NULL,
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
	st = qda_docs_list(cli->h, row, o);
	return out_finish(cli, o, st);
}
