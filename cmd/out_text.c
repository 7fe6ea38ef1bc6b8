/* out_text.c — the text writer: columns aligned by display width (utf8proc,
 * through qda_text_width), numbers to the right, the last column free. */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static void begin(struct out *o)
{
	o->cells = NULL;
	o->cap = 0;
}

static char *flatten(const char *s)
{
	char *d = xstrdup(s ? s : ""), *p;
	for (p = d; *p; p++)
		if (*p == '\n' || *p == '\t' || *p == '\r')
			*p = ' ';
	return d;
}

static void row(struct out *o, const char *const *vals)
{
	size_t i, need = (o->nrows + 1) * o->ncols;
	if (need > o->cap) {
		o->cap = need * 2;
		o->cells = xrealloc(o->cells, o->cap * sizeof *o->cells);
	}
	for (i = 0; i < o->ncols; i++)
		o->cells[o->nrows * o->ncols + i] = flatten(vals[i]);
}

static void pad(FILE *fp, size_t n)
{
	while (n--)
		fputc(' ', fp);
}

static void line(struct out *o, const size_t *w, const char *const *cells, int header)
{
	size_t i;
	for (i = 0; i < o->ncols; i++) {
		size_t cw = qda_text_width(cells[i]);
		int last = i + 1 == o->ncols;
		if (o->cols[i].type != COL_STR && !header) {
			pad(o->fp, w[i] - cw);
			fputs(cells[i], o->fp);
		} else {
			fputs(cells[i], o->fp);
			if (!last)
				pad(o->fp, w[i] - cw);
		}
		if (!last)
			fputs("  ", o->fp);
	}
	fputc('\n', o->fp);
}

static void end(struct out *o)
{
	size_t *w = xcalloc(o->ncols, sizeof *w);
	const char **hdr = xcalloc(o->ncols, sizeof *hdr);
	size_t r, i;

	for (i = 0; i < o->ncols; i++) {
		hdr[i] = o->cols[i].name;
		w[i] = qda_text_width(hdr[i]);
	}
	for (r = 0; r < o->nrows; r++)
		for (i = 0; i < o->ncols; i++) {
			size_t cw = qda_text_width(o->cells[r * o->ncols + i]);
			if (cw > w[i])
				w[i] = cw;
		}
	if (!o->no_header)
		line(o, w, hdr, 1);
	for (r = 0; r < o->nrows; r++) {
		line(o, w, (const char *const *)o->cells + r * o->ncols, 0);
		for (i = 0; i < o->ncols; i++)
			free(o->cells[r * o->ncols + i]);
	}
	free(o->cells);
	o->cells = NULL;
	o->cap = 0;
	free(hdr);
	free(w);
}

const struct out_writer out_text_writer = { begin, row, end };
