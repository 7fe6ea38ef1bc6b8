/* search.c — qda search QUERY: full-text search, accent- and case-insensitive,
 * shown as keyword in context with document, line and speaker. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "document", COL_STR }, { "case", COL_STR },   { "line", COL_INT },   { "turn", COL_INT },
	{ "speaker", COL_STR },  { "start", COL_INT },  { "end", COL_INT },    { "before", COL_STR },
	{ "match", COL_STR },    { "after", COL_STR },  { "context", COL_STR },
};

struct ctx {
	struct out *o;
	int width;
	int context;
	long hits;
};

static int row(void *data, const struct qda_search_row *r)
{
	struct ctx *c = data;
	c->hits++;
	if (c->o->fmt == OUT_TEXT) {
		FILE *fp = c->o->fp;
		fprintf(fp, "%s:%ld", r->doc, r->line);
		if (r->speaker)
			fprintf(fp, " (%s)", r->speaker);
		fputs("  ", fp);
		out_kwic(fp, r->before, r->match, r->after, c->width, 0);
		fputc('\n', fp);
		if (r->context && c->context > 0) {
			const char *p = r->context;
			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t len = nl ? (size_t)(nl - p) : strlen(p);
				fprintf(fp, "    %.*s\n", (int)len, p);
				p += len + (nl ? 1 : 0);
			}
			fputc('\n', fp);
		}
	} else {
		char line[24], turn[24], start[24], end[24];
		const char *v[11];
		snprintf(line, sizeof line, "%ld", r->line);
		snprintf(turn, sizeof turn, "%ld", r->turn);
		snprintf(start, sizeof start, "%ld", r->start);
		snprintf(end, sizeof end, "%ld", r->end);
		v[0] = r->doc;
		v[1] = r->case_name;
		v[2] = line;
		v[3] = r->turn ? turn : NULL;
		v[4] = r->speaker;
		v[5] = start;
		v[6] = end;
		v[7] = r->before;
		v[8] = r->match;
		v[9] = r->after;
		v[10] = r->context;
		out_row(c->o, v);
	}
	return 0;
}

int cmd_search(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda search QUERY... [--context N] [--doc DOC] [--limit N] [--width N]",
		"Full-text search in every document, accent- and case-insensitive (ecoute finds écoute),\n"
		"shown as keyword in context: document:line (speaker) ...before [match] after...",
		"Query syntax: words (all must be on the line), \"a phrase\", a prefix with * (ecout*),\n"
		"and AND, OR, NOT between words (in capitals). Several QUERY arguments are joined.",
	};
	long context = 0, limit = 0, width = 40;
	const char *doc = NULL;
	const struct opt opts[] = {
		OPT_INT("context", 'C', &context, "N", "also show N lines before and after each hit"),
		OPT_STRING("doc", 'd', &doc, "DOC", "search one document only"),
		OPT_INT("limit", 'n', &limit, "N", "stop after N hits"),
		OPT_INT("width", 'w', &width, "N", "display columns of context on each side (text format; default 40)"),
		OPT_END(),
	};
	struct qda_search_opts so = { 0 };
	struct ctx c = { 0 };
	enum qda_status st;
	char *query;
	size_t len = 1;
	int i, rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n == 0)
		return usage_error(cli, "what to search for? e.g. qda search ecoute");
	if (context < 0 || limit < 0 || width < 1)
		return usage_error(cli, "--context, --limit and --width take positive numbers");
	for (i = 0; i < n; i++)
		len += strlen(argv[i]) + 1;
	query = xcalloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(query, " ");
		strcat(query, argv[i]);
	}
	if ((rc = cli_open(cli, OPEN_NONE))) {
		free(query);
		return rc;
	}
	if (!(c.o = out_open(cli, OUT_LISTING, &rc))) {
		free(query);
		return rc;
	}
	c.width = (int)width;
	c.context = (int)context;
	so.query = query;
	so.context = (int)context;
	so.doc = doc;
	so.limit = limit;
	if (c.o->fmt != OUT_TEXT)
		out_begin(c.o, cols, sizeof cols / sizeof cols[0]);
	st = qda_search(cli->h, &so, row, &c);
	if (c.o->fmt != OUT_TEXT) {
		if (st != QDA_OK)
			out_fail(c.o);
		out_end(c.o);
	}
	rc = out_close(cli, c.o, st != QDA_OK);
	if (st == QDA_OK && c.hits == 0)
		fprintf(stderr, "qda search: no match for %s\n", query);
	free(query);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return rc;
}
