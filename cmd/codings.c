/* codings.c — qda codings: list codings with their document, lines, span,
 * code, coder, method and coded text, filtered by document, code (with its
 * descendants), coder or method. Every format through the output layer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* Text, for reading, leaves out the rule of automatic codings; the other
 * formats, for scripts, have it before the text. */
static const struct col text_cols[] = {
	{ "id", COL_INT },     { "document", COL_STR }, { "lines", COL_STR },  { "start", COL_INT },
	{ "end", COL_INT },    { "code", COL_STR },     { "coder", COL_STR },  { "method", COL_STR },
	{ "text", COL_STR },
};
static const struct col cols[] = {
	{ "id", COL_INT },     { "document", COL_STR }, { "lines", COL_STR },  { "start", COL_INT },
	{ "end", COL_INT },    { "code", COL_STR },     { "coder", COL_STR },  { "method", COL_STR },
	{ "rule", COL_STR },   { "text", COL_STR },
};
#define NCOLS (sizeof cols / sizeof cols[0])
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
	int begun;
};

static int row(void *ctx, const struct qda_extract *e)
{
	struct listing *l = ctx;
	struct out *o = l->o;
	char id[32], lines[64], start[32], end[32], *text = NULL;
	const char *v[NCOLS];
	snprintf(id, sizeof id, "%lld", e->coding_id);
	snprintf(lines, sizeof lines, "%ld-%ld", e->line_first, e->line_last);
	snprintf(start, sizeof start, "%ld", e->start);
	snprintf(end, sizeof end, "%ld", e->end);
	if (o->fmt == OUT_TEXT)
		text = shorten(e->text, TEXT_WIDTH);
	v[0] = id;
	v[1] = e->doc;
	v[2] = lines;
	v[3] = start;
	v[4] = end;
	v[5] = e->code;
	v[6] = e->coder;
	v[7] = e->method;
	if (o->fmt == OUT_TEXT) {
		v[8] = text ? text : e->text;
	} else {
		v[8] = *e->rule ? e->rule : NULL;
		v[9] = e->text;
	}
	/* the table begins with its first row, so an error prints no header */
	if (!l->begun++) {
		if (o->fmt == OUT_TEXT)
			out_begin(o, text_cols, NCOLS - 1);
		else
			out_begin(o, cols, NCOLS);
	}
	out_row(o, v);
	free(text);
	return 0;
}

int cmd_codings(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda codings [--doc DOC] [--code CODE] [--coder NAME] [--auto] [--limit N]",
		"List codings by document (in name order) and position: id, document, lines, start, end\n"
		"(code points, the end excluded), code, coder, method (manual, edit, auto, import, merge)\n"
		"and the coded text (cut to 60 columns in text format, whole in csv, tsv and json).",
		"--code includes the codings of the code's descendants (a theme's sub-themes and codes).",
	};
	const char *doc = NULL, *code = NULL, *coder = NULL;
	int auto_only = 0;
	long limit = 0;
	const struct opt opts[] = {
		OPT_STRING("doc", 'd', &doc, "DOC", "only this document"),
		OPT_STRING("code", 'c', &code, "CODE", "only this code (or theme, with its descendants)"),
		OPT_STRING("coder", 0, &coder, "NAME", "only this coder's codings"),
		OPT_BOOL("auto", 0, &auto_only, "only automatic codings (qda autocode)"),
		OPT_INT("limit", 'n', &limit, "N", "at most N codings"),
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
	ro.coder = coder;
	ro.auto_only = auto_only;
	ro.limit = limit;
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if (!(l.o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	st = qda_retrieve(cli->h, &ro, row, &l);
	if (st == QDA_OK && !l.begun) {
		if (l.o->fmt == OUT_TEXT)
			out_begin(l.o, text_cols, NCOLS - 1);
		else
			out_begin(l.o, cols, NCOLS);
	}
	if (st == QDA_OK || l.begun)
		out_end(l.o);
	rc = out_close(cli, l.o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
