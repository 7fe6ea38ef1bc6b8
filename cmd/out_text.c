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

/* s cut to width display columns, "…" last when cut; malloc'd. */
static char *cut(const char *s, size_t width)
{
	size_t len = strlen(s), end = 0, w = 0;
	char *d;
	if (qda_text_width(s) <= width)
		return xstrdup(s);
	while (end < len) {
		size_t n = 1;
		char ch[8];
		while (end + n < len && ((unsigned char)s[end + n] & 0xC0) == 0x80 && n < 7)
			n++;
		memcpy(ch, s + end, n);
		ch[n] = '\0';
		if (w + qda_text_width(ch) + 1 > width)
			break;
		w += qda_text_width(ch);
		end += n;
	}
	d = xmalloc(end + 4);
	memcpy(d, s, end);
	strcpy(d + end, "…");
	return d;
}

/* Narrow the shrinkable columns, widest first, until a row fits. */
static void fit(struct out *o, size_t *w)
{
	size_t total = 0, i, r;
	for (i = 0; i < o->ncols; i++)
		total += w[i] + (i + 1 < o->ncols ? 2 : 0);
	while (total > o->max_width) {
		size_t widest = o->ncols;
		for (i = 0; i < o->ncols; i++)
			if ((o->shrink & (1u << i)) && w[i] > 8 && (widest == o->ncols || w[i] > w[widest]))
				widest = i;
		if (widest == o->ncols)
			return;
		w[widest]--;
		total--;
	}
	for (r = 0; r < o->nrows; r++)
		for (i = 0; i < o->ncols; i++) {
			char **c = &o->cells[r * o->ncols + i];
			if ((o->shrink & (1u << i)) && qda_text_width(*c) > w[i]) {
				char *d = cut(*c, w[i]);
				free(*c);
				*c = d;
			}
		}
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
	if (o->max_width && o->shrink)
		fit(o, w);
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
