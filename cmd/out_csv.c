/* out_csv.c — CSV as RFC 4180 (header row, CRLF-free LF lines, fields with
 * comma, quote or newline quoted, quotes doubled) and TSV (tab-separated,
 * with \t \n \r \\ escaped, as R's and pandas' readers take it). A text
 * cell a spreadsheet would run as a formula is neutralised (see below). */
#include <math.h>
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

/* OWASP's rule against formula injection (CSV injection): a text cell
 * starting with = + - @ tab or carriage return is written after a ', so
 * that Excel and LibreOffice show it as text instead of running it; a
 * cell already starting with ' and one of those gets a second ', so that
 * review import, which takes one ' off such a cell (qda_csv_unneutralise),
 * reads every cell back as it was. A plain number (-0.5) is left as it is:
 * it computes nothing. --raw (o->neutralise 0) turns this off. */
static int formula_like(const char *s)
{
	char *end;
	if (!s || !*s)
		return 0;
	if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
		return 1;
	if (!strchr("=+-@\t\r", s[0]))
		return 0;
	if (s[0] == '-' || s[0] == '+') {
		double d = strtod(s, &end);
		if (end != s && !*end && isfinite(d))
			return 0;
	}
	return 1;
}

/* v[i] as written: neutralised when it is a text cell that needs it
 * (*tmp, freed by the caller, holds the copy). */
static const char *cell_value(struct out *o, const char *const *v, size_t i, int header, char **tmp)
{
	*tmp = NULL;
	if (header || !o->neutralise || o->cols[i].type != COL_STR || !formula_like(v[i]))
		return v[i];
	*tmp = xasprintf("'%s", v[i]);
	return *tmp;
}

static void csv_write(struct out *o, const char *const *v, int header)
{
	size_t i;
	for (i = 0; i < o->ncols; i++) {
		char *tmp;
		if (i)
			fputc(',', o->fp);
		csv_field(o->fp, cell_value(o, v, i, header, &tmp));
		free(tmp);
	}
	fputc('\n', o->fp);
}

static void csv_line(struct out *o, const char *const *v)
{
	csv_write(o, v, 0);
}

static void csv_begin(struct out *o)
{
	size_t i;
	const char **h = xcalloc(o->ncols, sizeof *h);
	for (i = 0; i < o->ncols; i++)
		h[i] = o->cols[i].name;
	if (!o->no_header)
		csv_write(o, h, 1);
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

static void tsv_write(struct out *o, const char *const *v, int header)
{
	size_t i;
	for (i = 0; i < o->ncols; i++) {
		char *tmp;
		if (i)
			fputc('\t', o->fp);
		tsv_field(o->fp, cell_value(o, v, i, header, &tmp));
		free(tmp);
	}
	fputc('\n', o->fp);
}

static void tsv_line(struct out *o, const char *const *v)
{
	tsv_write(o, v, 0);
}

static void tsv_begin(struct out *o)
{
	size_t i;
	const char **h = xcalloc(o->ncols, sizeof *h);
	for (i = 0; i < o->ncols; i++)
		h[i] = o->cols[i].name;
	if (!o->no_header)
		tsv_write(o, h, 1);
	free(h);
}

const struct out_writer out_csv_writer = { csv_begin, csv_line, nothing };
const struct out_writer out_tsv_writer = { tsv_begin, tsv_line, nothing };
