/* words.c — qda words: word frequencies over documents, a group of cases or
 * a code's passages, exact or by stem, without stop words; and the project's
 * changes to the stop lists (--stop add|remove|list). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "svg.h"

static const struct col cols[] = {
	{ "word", COL_STR }, { "count", COL_INT }, { "documents", COL_INT }, { "weighted_pct", COL_NUM }, { "forms", COL_STR },
};

struct ctx {
	struct out *o;
	size_t n, cap;
	char **labels;
	double *values;
};

static int row(void *data, const struct qda_words_row *r)
{
	struct ctx *c = data;
	char count[24], docs[24], pct[32];
	const char *v[5];
	if (c->o->fmt == OUT_SVG) {
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 64;
			c->labels = xrealloc(c->labels, c->cap * sizeof *c->labels);
			c->values = xrealloc(c->values, c->cap * sizeof *c->values);
		}
		c->labels[c->n] = xstrdup(r->word);
		c->values[c->n++] = (double)r->count;
		return 0;
	}
	snprintf(count, sizeof count, "%ld", r->count);
	snprintf(docs, sizeof docs, "%ld", r->documents);
	v[0] = r->word;
	v[1] = count;
	v[2] = docs;
	v[3] = cell_num(c->o, pct, r->weighted_pct, 2);
	v[4] = r->forms;
	out_row(c->o, v);
	return 0;
}

static int stop_row(void *data, const char *word, const char *list)
{
	const char *v[2] = { word, list };
	out_row(data, v);
	return 0;
}

static int stop_verb(struct cli *cli, const char *verb, int n, char **argv)
{
	static const struct col scols[] = { { "word", COL_STR }, { "list", COL_STR } };
	enum qda_status st = QDA_OK;
	int rc, i, add = strcmp(verb, "add") == 0;
	long changed = 0;
	char summary[96];

	if (strcmp(verb, "list") == 0) {
		struct out *o;
		if (n)
			return usage_error(cli, "--stop list takes no words");
		if ((rc = cli_open(cli, OPEN_READ)))
			return rc;
		if (!(o = out_open(cli, OUT_LISTING, &rc)))
			return rc;
		out_begin(o, scols, 2);
		st = qda_stop_list(cli->h, stop_row, o);
		if (st != QDA_OK)
			out_fail(o);
		out_end(o);
		rc = out_close(cli, o, st != QDA_OK);
		return st != QDA_OK ? cli_fail(cli, st) : rc;
	}
	if (!add && strcmp(verb, "remove") != 0)
		return usage_error(cli, "--stop wants add, remove or list, not '%s'", verb);
	if (!n)
		return usage_error(cli, "give the words: qda words --stop %s WORD...", verb);
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	for (i = 0; i < n && st == QDA_OK; i++) {
		int ch = 0;
		st = qda_stop_change(cli->h, argv[i], add, &ch);
		changed += ch;
	}
	snprintf(summary, sizeof summary, "%ld stop %s %s", changed, noun(changed, "word", "words"),
	         add ? "added" : "removed");
	if (st == QDA_OK)
		st = qda_commit(cli->h, summary);
	if (st != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	printf("%s\n", summary);
	return 0;
}

int cmd_words(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda words [CODE...] [--doc DOC]... [--where KEY=V[,V]] [--stem] [--min-length N] [--top N]\n"
		"       qda words --stop add|remove WORD...  |  qda words --stop list",
		"Word frequencies (NVivo's Word Frequency query): the words of every document, of some\n"
		"(--doc, --where), or of the passages coded with CODE (each with its descendants), most\n"
		"frequent first: word, count, documents, weighted_pct (per 100 words of the scope, stop\n"
		"words included) and forms.",
		"Words are counted case-folded with their accents (écoute and Écoute are one word, ecoute\n"
		"another); --stem groups the words of one Snowball stem in each document's language\n"
		"(écoute, écouter, écoutez), shown by their most frequent form. Interviewer material and\n"
		"speaker labels are left out (--include-interviewer counts the interviewer's words),\n"
		"numbers too. The French and English stop lists are built in; --stop add WORD puts a word\n"
		"on them for this project, --stop remove WORD takes one off, --stop list shows them.\n"
		"--format svg draws the words as a bar chart.",
	};
	long min_length = 3, top = 50;
	int stem = 0;
	const char *stop = NULL;
	struct strlist docs = { 0 };
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_LIST("doc", 'd', &docs, "DOC", "only this document (repeatable)"),
		OPT_BOOL("stem", 's', &stem, "group the words of one stem (écoute, écouter, écoutez)"),
		OPT_INT("min-length", 0, &min_length, "N", "leave out words of fewer than N letters (default 3)"),
		OPT_INT("top", 'n', &top, "N", "the N most frequent words (default 50; 0: all)"),
		OPT_STRING("stop", 0, &stop, "VERB", "the project's stop words: add WORD..., remove WORD..., list"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_words_opts wo = { 0 };
	struct ctx c = { 0 };
	enum qda_status st;
	long total = 0;
	size_t i;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (stop) {
		rc = stop_verb(cli, stop, n, argv);
		free(docs.v);
		filter_args_free(&fa);
		return rc;
	}
	if (min_length < 1 || top < 0) {
		free(docs.v);
		filter_args_free(&fa);
		return usage_error(cli, "--min-length takes a number from 1, --top a number from 0");
	}
	if ((rc = filter_args_get(cli, &fa, &wo.filter))) {
		free(docs.v);
		filter_args_free(&fa);
		return rc;
	}
	if (!n && (wo.filter.coder || wo.filter.no_auto || wo.filter.review != QDA_REVIEW_ANY)) {
		free(docs.v);
		filter_args_free(&fa);
		return usage_error(cli, "--coder, --no-auto and --review choose codings; name a CODE");
	}
	if ((rc = cli_open(cli, OPEN_READ)) || !(c.o = out_open(cli, OUT_LISTING | (1u << OUT_SVG), &rc))) {
		free(docs.v);
		filter_args_free(&fa);
		return rc;
	}
	wo.docs = docs.v;
	wo.n_docs = docs.n;
	wo.nodes = (const char **)argv;
	wo.n_nodes = (size_t)n;
	wo.stem = stem;
	wo.min_length = min_length;
	wo.top = top;
	if (c.o->fmt != OUT_SVG)
		out_begin(c.o, cols, sizeof cols / sizeof cols[0]);
	st = qda_words(cli->h, &wo, row, &c, &total);
	if (c.o->fmt == OUT_SVG) {
		if (st == QDA_OK)
			svg_bars(c.o->fp, stem ? "Word frequencies (by stem)" : "Word frequencies", "occurrences", c.n,
			         (const char *const *)c.labels, 1, (const char *const[]){ "count" }, c.values, NULL, 0);
	} else {
		if (st != QDA_OK)
			out_fail(c.o);
		out_end(c.o);
	}
	rc = out_close(cli, c.o, st != QDA_OK);
	for (i = 0; i < c.n; i++)
		free(c.labels[i]);
	free(c.labels);
	free(c.values);
	free(docs.v);
	filter_args_free(&fa);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	if (total == 0)
		fprintf(stderr, "qda words: no words in scope\n");
	return rc;
}
