/* out_csv.c — CSV as RFC 4180 (header row, CRLF-free LF lines, fields with
 * comma, quote or newline quoted, quotes doubled) and TSV (tab-separated,
 * with \t \n \r \\ escaped, as R's and pandas' readers take it). */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void csv_field(FILE *fp, const char *s)
{
	if (!s)
		return;
	/* a space or tab at either end is quoted too: CSV readers (qda's own
	 * among them) trim it from an unquoted value */
	size_t n = strlen(s);
	if (!strpbrk(s, ",\"\n\r") && !(n && strchr(" \t", s[0])) && !(n && strchr(" \t", s[n - 1]))) {
		fputs(s, fp);
		return;
	}
	fputc('"', fp);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', fp);
		fputc(*s, fp);
	}
	fputc('"', fp);
}

static void csv_line(struct out *o, const char *const *v)
{
	size_t i;
	for (i = 0; i < o->ncols; i++) {
		if (i)
			fputc(',', o->fp);
		csv_field(o->fp, v[i]);
	}
	fputc('\n', o->fp);
}

static void csv_begin(struct out *o)
{
	size_t i;
	const char **h = xcalloc(o->ncols, sizeof *h);
	for (i = 0; i < o->ncols; i++)
		h[i] = o->cols[i].name;
	if (!o->no_header)
		csv_line(o, h);
	free(h);
}

static void nothing(struct out *o)
{
	(void)o;
}

static void tsv_field(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '\t': fputs("\\t", fp); break;
		case '\n': fputs("\\n", fp); break;
		case '\r': fputs("\\r", fp); break;
		case '\\': fputs("\\\\", fp); break;
		default: fputc(*s, fp);
		}
	}
}

static void tsv_line(struct out *o, const char *const *v)
{
	size_t i;
	for (i = 0; i < o->ncols; i++) {
		if (i)
			fputc('\t', o->fp);
		tsv_field(o->fp, v[i]);
	}
	fputc('\n', o->fp);
}

static void tsv_begin(struct out *o)
{
	size_t i;
	const char **h = xcalloc(o->ncols, sizeof *h);
	for (i = 0; i < o->ncols; i++)
		h[i] = o->cols[i].name;
	if (!o->no_header)
		tsv_line(o, h);
	free(h);
}

const struct out_writer out_csv_writer = { csv_begin, csv_line, nothing };
const struct out_writer out_tsv_writer = { tsv_begin, tsv_line, nothing };
