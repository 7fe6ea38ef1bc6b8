/* out_latex.c — a booktabs table ready for a paper (\usepackage{booktabs}):
 * LaTeX specials escaped, numbers right-aligned. */
#include "cmd.h"

static void cell(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': case '%': case '$': case '#': case '_': case '{': case '}':
			fputc('\\', fp);
			fputc(*s, fp);
			break;
		case '~': fputs("\\textasciitilde{}", fp); break;
		case '^': fputs("\\textasciicircum{}", fp); break;
		case '\\': fputs("\\textbackslash{}", fp); break;
		case '\n': fputc(' ', fp); break;
		default: fputc(*s, fp);
		}
	}
}

static void line(struct out *o, const char *const *v)
{
	size_t i;
	for (i = 0; i < o->ncols; i++) {
		if (i)
			fputs(" & ", o->fp);
		cell(o->fp, v[i]);
	}
	fputs(" \\\\\n", o->fp);
}

static void begin(struct out *o)
{
	size_t i;
	fputs("\\begin{tabular}{", o->fp);
	for (i = 0; i < o->ncols; i++)
		fputc(o->cols[i].type == COL_STR ? 'l' : 'r', o->fp);
	fputs("}\n\\toprule\n", o->fp);
	for (i = 0; i < o->ncols; i++) {
		if (i)
			fputs(" & ", o->fp);
		cell(o->fp, o->cols[i].name);
	}
	fputs(" \\\\\n\\midrule\n", o->fp);
}

static void end(struct out *o)
{
	fputs("\\bottomrule\n\\end{tabular}\n", o->fp);
}

const struct out_writer out_latex_writer = { begin, line, end };
