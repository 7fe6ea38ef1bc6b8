/* show.c — qda show DOC: read a document with line numbers and its speaker
 * turns (the turn number on the line where a turn starts). */
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "line", COL_INT }, { "turn", COL_INT }, { "speaker", COL_STR },
	{ "start", COL_INT }, { "end", COL_INT }, { "text", COL_STR },
};

struct ctx {
	struct out *o;
};

static int text_row(void *data, const struct qda_line_row *r)
{
	struct ctx *c = data;
	char turn[24] = "";
	if (r->turn_start)
		snprintf(turn, sizeof turn, "T%ld", r->turn);
	fprintf(c->o->fp, "%5ld %-5s %s\n", r->n, turn, r->text);
	return 0;
}

static int table_row(void *data, const struct qda_line_row *r)
{
	struct ctx *c = data;
	char n[24], turn[24], start[24], end[24];
	const char *v[6];
	snprintf(n, sizeof n, "%ld", r->n);
	snprintf(turn, sizeof turn, "%ld", r->turn);
	snprintf(start, sizeof start, "%ld", r->start);
	snprintf(end, sizeof end, "%ld", r->end);
	v[0] = n;
	v[1] = r->turn ? turn : NULL;
	v[2] = r->speaker;
	v[3] = start;
	v[4] = end;
	v[5] = r->text;
	out_row(c->o, v);
	return 0;
}

/* "A-B", "A-" or "A" */
static int parse_range(const char *s, long *a, long *b)
{
	char *end;
	*a = strtol(s, &end, 10);
	if (end == s || *a < 1)
		return -1;
	if (*end == '\0') {
		*b = *a;
		return 0;
	}
	if (*end != '-')
		return -1;
	s = end + 1;
	if (*s == '\0') {
		*b = 0;
		return 0;
	}
	*b = strtol(s, &end, 10);
	return (end == s || *end || *b < *a) ? -1 : 0;
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda show DOC [--lines A-B] [--format FMT]",
		"Read a document with line numbers; a turn number (T1, T2 ...) marks the line where each\n"
		"speaker turn starts. Lines are numbered from 1 in the stored text (UTF-8, NFC, LF).",
		NULL,
	};
	const char *lines = NULL;
	const struct opt opts[] = {
		OPT_STRING("lines", 'l', &lines, "A-B", "only lines A to B (A- to the end)"),
		OPT_END(),
	};
	struct ctx c = { 0 };
	enum qda_status st;
	long a = 1, b = 0;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one document" : "which document? 'qda docs' lists them");
	if (lines && parse_range(lines, &a, &b))
		return usage_error(cli, "--lines wants A-B with 1 <= A <= B (or A- or A), not '%s'", lines);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(c.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if (c.o->fmt == OUT_TEXT) {
		st = qda_doc_lines(cli->h, argv[0], a, b, text_row, &c);
	} else {
		out_begin(c.o, cols, sizeof cols / sizeof cols[0]);
		st = qda_doc_lines(cli->h, argv[0], a, b, table_row, &c);
		out_end(c.o);
	}
	rc = out_close(cli, c.o);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
