/* codings.c — qda codings: list codings with their document, lines, span,
 * code, coder, method and coded text, filtered by document, code (with its
 * descendants), coder or method. Every format through the output layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* The columns: text, for reading, leaves out the rule of automatic codings
 * (the other formats, for scripts, have it); the memo comes before the text;
 * --removed adds who removed each coding, when and why. */
enum { C_ID, C_DOC, C_LINES, C_START, C_END, C_CODE, C_CODER, C_METHOD, C_RULE, C_MEMO, C_REMOVED_AT,
       C_REMOVED_BY, C_WHY, C_TEXT, C_N };
static const struct col all_cols[C_N] = {
	{ "id", COL_INT },          { "document", COL_STR },   { "lines", COL_STR },       { "start", COL_INT },
	{ "end", COL_INT },         { "code", COL_STR },       { "coder", COL_STR },       { "method", COL_STR },
	{ "rule", COL_STR },        { "memo", COL_STR },       { "removed_at", COL_STR },  { "removed_by", COL_STR },
	{ "removed_why", COL_STR }, { "text", COL_STR },
};
#define MEMO_WIDTH 30
#define TEXT_WIDTH 60

/* The text on one line, cut to max display columns with an ellipsis. */
static char *shorten(const char *s, size_t max)
{
	size_t len = strlen(s), i = 0, w = 0, o = 0;
	char *d = xmalloc(len + 4);
	int space = 0;

	while (i < len) {
		size_t k = 1;
		char cp[8];
		size_t cw;
		while (i + k < len && ((unsigned char)s[i + k] & 0xC0) == 0x80 && k < 4)
			k++;
		if (s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == ' ') {
			/* line breaks and runs of spaces read as one space */
			if (!space && o > 0) {
				if (w + 1 > max)
					goto cut;
				d[o++] = ' ';
				w++;
			}
			space = 1;
			i += k;
			continue;
		}
		space = 0;
		memcpy(cp, s + i, k);
		cp[k] = '\0';
		cw = qda_text_width(cp);
		if (w + cw > max)
			goto cut;
		memcpy(d + o, s + i, k);
		o += k;
		w += cw;
		i += k;
	}
	d[o] = '\0';
	return d;
cut:
	/* room for the ellipsis: drop the last character when full */
	if (w + 1 > max && o > 0) {
		do
			o--;
		while (o > 0 && ((unsigned char)d[o] & 0xC0) == 0x80);
	}
	while (o > 0 && d[o - 1] == ' ')
		o--;
	memcpy(d + o, "…", 3);
	d[o + 3] = '\0';
	return d;
}

struct listing {
	struct out *o;
	int begun, removed;
	struct col cols[C_N];
	int pick[C_N]; /* the columns shown, in order */
	size_t n;
};

static void columns(struct listing *l)
{
	int c;
	l->n = 0;
	for (c = 0; c < C_N; c++) {
		if (c == C_RULE && l->o->fmt == OUT_TEXT)
			continue;
		if ((c == C_REMOVED_AT || c == C_REMOVED_BY || c == C_WHY) && !l->removed)
			continue;
		l->pick[l->n] = c;
		l->cols[l->n++] = all_cols[c];
	}
}

static int row(void *ctx, const struct qda_extract *e)
{
	struct listing *l = ctx;
	struct out *o = l->o;
	char id[32], lines[64], start[32], end[32], *text = NULL, *memo = NULL;
	const char *all[C_N], *v[C_N];
	size_t i;

	snprintf(id, sizeof id, "%lld", e->coding_id);
	snprintf(lines, sizeof lines, "%ld-%ld", e->line_first, e->line_last);
	snprintf(start, sizeof start, "%ld", e->start);
	snprintf(end, sizeof end, "%ld", e->end);
	if (o->fmt == OUT_TEXT) {
		text = shorten(e->text, TEXT_WIDTH);
		memo = shorten(e->memo, MEMO_WIDTH);
	}
	all[C_ID] = id;
	all[C_DOC] = e->doc;
	all[C_LINES] = lines;
	all[C_START] = start;
	all[C_END] = end;
	all[C_CODE] = e->code;
	all[C_CODER] = e->coder;
	all[C_METHOD] = e->method;
	all[C_RULE] = *e->rule ? e->rule : NULL;
	all[C_MEMO] = memo ? memo : *e->memo ? e->memo : NULL;
	all[C_REMOVED_AT] = e->removed_at;
	all[C_REMOVED_BY] = e->removed_by && *e->removed_by ? e->removed_by : NULL;
	all[C_WHY] = e->removed_why;
	all[C_TEXT] = text ? text : e->text;
	for (i = 0; i < l->n; i++)
		v[i] = all[l->pick[i]];
	/* the table begins with its first row, so an error prints no header */
	if (!l->begun++)
		out_begin(o, l->cols, l->n);
	out_row(o, v);
	free(text);
	free(memo);
	return 0;
}

int cmd_codings(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codings [--doc DOC] [--code CODE] [--coder NAME] [--auto] [--removed] [--limit N]",
		"List codings by document (in name order) and position: id, document, lines, start, end\n"
		"(code points, the end excluded), code, coder, method (manual, edit, auto, import, merge)\n"
		"the memo (the coding's own and the memos written on it since) and the coded text (cut to\n"
		"60 columns in text format, whole in csv, tsv and json).",
		"--code includes the codings of the code's descendants (a theme's sub-themes and codes).\n"
		"--removed lists the removed codings instead, with who removed them, when and why (uncode,\n"
		"revised by a review, merged by theme merge, document removed): removal keeps them.",
	};
	const char *doc = NULL, *code = NULL, *coder = NULL;
	int auto_only = 0, removed = 0;
	long limit = 0;
	const struct opt opts[] = {
		OPT_STRING("doc", 'd', &doc, "DOC", "only this document"),
		OPT_STRING("code", 'c', &code, "CODE", "only this code (or theme, with its descendants)"),
		OPT_STRING("coder", 0, &coder, "NAME", "only this coder's codings"),
		OPT_BOOL("auto", 0, &auto_only, "only automatic codings (qda autocode)"),
		OPT_INT("limit", 'n', &limit, "N", "at most N codings"),
		OPT_BOOL("removed", 0, &removed, "the removed codings, with who removed them, when and why"),
		OPT_END(),
	};
	struct qda_retrieve_opts ro = { 0 };
	struct listing l = { 0 };
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (limit < 0)
		return usage_error(cli, "--limit wants a number of codings, 1 or more");
	ro.doc = doc;
	ro.codes = code ? &code : NULL;
	ro.n_codes = code ? 1 : 0;
	ro.filter.coder = coder;
	ro.filter.include_interviewer = 1; /* a listing of the record: every coding */
	ro.auto_only = auto_only;
	ro.limit = limit;
	ro.removed = removed;
	l.removed = removed;
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(l.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	columns(&l);
	st = qda_retrieve(cli->h, &ro, row, &l);
	if (st == QDA_OK && !l.begun)
		out_begin(l.o, l.cols, l.n);
	if (st == QDA_OK || l.begun)
		out_end(l.o);
	rc = out_close(cli, l.o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
