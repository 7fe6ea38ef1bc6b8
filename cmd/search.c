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
	long hits, docs;
	long long last_doc;
};

static int row(void *data, const struct qda_search_row *r)
{
	struct ctx *c = data;
	c->hits++;
	if (r->doc_id != c->last_doc)
		c->docs++;
	c->last_doc = r->doc_id;
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
		"qda search QUERY... [--stem] [--speaker NAME] [--code CODE] [--where KEY=V[,V]] [--doc DOC]\n"
		"                  [--context N] [--limit N] [--width N]",
		"Full-text search in every document, accent- and case-insensitive (ecoute finds écoute),\n"
		"shown as keyword in context: document:line (speaker) ...before [match] after...,\n"
		"then the count: \"12 hits in 5 documents\" (text: last line; other formats: on stderr).",
		"Query syntax: words (all must be on the line), \"a phrase\" (\"prendre le temps\"), a prefix\n"
		"with * (ecout*), and AND, OR, NOT between words (in capitals). Several QUERY arguments\n"
		"are joined. Typographic apostrophes and quotes are the plain ones: d'avoir finds d’avoir.\n"
		"--stem finds every word of the same stem (Snowball), in each document's language:\n"
		"--stem ecoute finds écoute, écoutez, écouter; --stem listen finds listened, listening.\n"
		"A document's language is the one given at import (--lang), else its case attribute\n"
		"language (fr, français, en, English...), else the project's (qda init --lang), else French.\n"
		"--code keeps the hits inside codings of CODE or below it; --coder, --no-auto and --review\n"
		"choose those codings.",
	};
	long context = 0, limit = 0, width = 40;
	const char *doc = NULL, *speaker = NULL, *code = NULL;
	int stem = 0;
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_BOOL("stem", 's', &stem, "match the words of the same stem (écoute, écoutez, écouter)"),
		OPT_STRING("speaker", 0, &speaker, "NAME", "only in this speaker's turns"),
		OPT_STRING("code", 'c', &code, "CODE", "only inside codings of this code or theme (and below)"),
		OPT_STRING("doc", 'd', &doc, "DOC", "search one document only"),
		OPT_INT("context", 'C', &context, "N", "also show N lines before and after each hit"),
		OPT_INT("limit", 'n', &limit, "N", "stop after N hits"),
		OPT_INT("width", 0, &width, "N", "display columns of context on each side (text format; default 40)"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_search_opts so = { 0 };
	struct qda_filter f;
	struct ctx c = { 0 };
	enum qda_status st;
	char *query;
	size_t len = 1;
	int i, rc, text, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n == 0)
		return usage_error(cli, "what to search for? e.g. qda search ecoute");
	if (context < 0 || limit < 0 || width < 1)
		return usage_error(cli, "--context, --limit and --width take positive numbers");
	if ((rc = filter_args_get(cli, &fa, &f)))
		return rc;
	if (!code && (f.coder || f.no_auto || f.review != QDA_REVIEW_ANY))
		return usage_error(cli, "--coder, --no-auto and --review choose the codings of --code; add --code CODE");
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
	so.stem = stem;
	so.speaker = speaker;
	so.code = code;
	so.filter = &f;
	if (c.o->fmt != OUT_TEXT)
		out_begin(c.o, cols, sizeof cols / sizeof cols[0]);
	st = qda_search(cli->h, &so, row, &c);
	if (c.o->fmt != OUT_TEXT) {
		if (st != QDA_OK)
			out_fail(c.o);
		out_end(c.o);
	} else if (st == QDA_OK && c.hits) {
		fprintf(c.o->fp, "%ld %s in %ld %s%s\n", c.hits, noun(c.hits, "hit", "hits"), c.docs,
		        noun(c.docs, "document", "documents"), limit && c.hits >= limit ? " (--limit reached)" : "");
	}
	text = c.o->fmt == OUT_TEXT;
	rc = out_close(cli, c.o, st != QDA_OK);
	if (st == QDA_OK && c.hits == 0)
		fprintf(stderr, "qda search: no match for %s\n", query);
	else if (st == QDA_OK && !text)
		fprintf(stderr, "qda search: %ld %s in %ld %s\n", c.hits, noun(c.hits, "hit", "hits"), c.docs,
		        noun(c.docs, "document", "documents"));
	free(query);
	filter_args_free(&fa);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return rc;
}
