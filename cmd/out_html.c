/* out_html.c — an HTML table fragment (<table class="qda">), text escaped,
 * numbers right-aligned; reports embed it in their own page. */
#include "cmd.h"

static void line(struct out *o, const char *const *v)
{
	size_t i;
	fputs("<tr>", o->fp);
	for (i = 0; i < o->ncols; i++) {
		fputs(o->cols[i].type == COL_STR ? "<td>" : "<td class=\"n\">", o->fp);
		out_html_escape(o->fp, v[i]);
		fputs("</td>", o->fp);
	}
	fputs("</tr>\n", o->fp);
}

static void begin(struct out *o)
{
	size_t i;
	fputs("<table class=\"qda\">\n<thead><tr>", o->fp);
	for (i = 0; i < o->ncols; i++) {
		fputs(o->cols[i].type == COL_STR ? "<th>" : "<th class=\"n\">", o->fp);
		out_html_escape(o->fp, o->cols[i].name);
		fputs("</th>", o->fp);
	}
	fputs("</tr></thead>\n<tbody>\n", o->fp);
}

static void end(struct out *o)
{
	fputs("</tbody>\n</table>\n", o->fp);
}

const struct out_writer out_html_writer = { begin, line, end };
