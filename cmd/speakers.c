/* speakers.c — qda speakers DOC: who speaks in a document, how often, and
 * who is marked as interviewer. */
#include <stdio.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "speaker", COL_STR }, { "role", COL_STR }, { "turns", COL_INT }, { "first_turn", COL_INT },
};

static int row(void *ctx, const struct qda_speaker_row *r)
{
	char turns[24], first[24];
	const char *v[4];
	snprintf(turns, sizeof turns, "%ld", r->turns);
	snprintf(first, sizeof first, "%ld", r->first_turn);
	v[0] = r->name;
	v[1] = r->interviewer ? "interviewer" : "participant";
	v[2] = turns;
	v[3] = first;
	out_row(ctx, v);
	return 0;
}

int cmd_speakers(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda speakers DOC [--format FMT]",
		"List the speakers of a document, in order of first appearance, with their turns; speakers\n"
		"marked at import with --interviewer show as interviewer.",
		NULL,
	};
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one document" : "which document? 'qda docs' lists them");
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	out_begin(o, cols, sizeof cols / sizeof cols[0]);
	st = qda_doc_speakers(cli->h, argv[0], row, o);
	return out_finish(cli, o, st);
}
