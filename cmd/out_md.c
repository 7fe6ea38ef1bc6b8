/* out_md.c — Markdown pipe tables (GitHub and pandoc read them): pipes
 * escaped, newlines as <br>, < > as entities (no raw HTML), numbers
 * right-aligned. */
#include "cmd.h"

static void cell(FILE *fp, const char *s)
{
	out_md_escape(fp, s, 1);
}

static void line(struct out *o, const char *const *v)
{
	size_t i;
	fputc('|', o->fp);
	for (i = 0; i < o->ncols; i++) {
		fputc(' ', o->fp);
		cell(o->fp, v[i]);
		fputs(" |", o->fp);
	}
	fputc('\n', o->fp);
}

static void begin(struct out *o)
{
	size_t i;
	fputc('|', o->fp);
	for (i = 0; i < o->ncols; i++) {
		fputc(' ', o->fp);
		cell(o->fp, o->cols[i].name);
		fputs(" |", o->fp);
	}
	fputs("\n|", o->fp);
	for (i = 0; i < o->ncols; i++)
		fputs(o->cols[i].type == COL_STR ? " --- |" : " ---: |", o->fp);
	fputc('\n', o->fp);
}

static void end(struct out *o)
{
	(void)o;
}

const struct out_writer out_md_writer = { begin, line, end };
