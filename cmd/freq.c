/* freq.c — qda freq: theme frequency tables (segments, documents, cases,
 * words), crossed with a case attribute as "cases coded / group size". */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "svg.h"

enum count { COUNT_SEGMENTS = FREQ_SEGMENTS, COUNT_DOCUMENTS = FREQ_DOCUMENTS, COUNT_CASES = FREQ_CASES, COUNT_WORDS = FREQ_WORDS };

struct ctx {
	struct out *o;
	enum count count;
	int percent, words, began;
	int slim;       /* a table for a paper: names and counts only */
	struct col *cols;
	char **names;   /* owned column names */
	size_t ncols;
	char (*cells)[48];
	const char **vals;
	/* svg: the bars kept until the end */
	char **labels, **series, **bar_text;
	double *values;
	size_t rows, n_series, cap;
};

static long cell_value(const struct qda_freq_cell *c, enum count k)
{
	switch (k) {
	case COUNT_SEGMENTS: return c->segments;
	case COUNT_DOCUMENTS: return c->documents;
	case COUNT_WORDS: return c->words;
	default: return c->cases;
	}
}

static int svg_row(struct ctx *c, const struct qda_freq_result *res, const struct qda_freq_row *r)
{
	int ratio = c->count == COUNT_CASES || c->count == COUNT_DOCUMENTS;
	size_t i, ns = res->n_groups ? res->n_groups : 1;
	if (!c->began) {
		c->n_series = ns;
		c->series = xcalloc(ns, sizeof *c->series);
		for (i = 0; i < res->n_groups; i++)
			c->series[i] = xasprintf("%s (n=%ld)", res->groups[i].value,
			                         c->count == COUNT_DOCUMENTS ? res->groups[i].documents : res->groups[i].cases);
		if (!res->n_groups)
			c->series[0] = xstrdup("all");
		c->began = 1;
	}
	if (c->rows == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 16;
		c->labels = xrealloc(c->labels, c->cap * sizeof *c->labels);
		c->values = xrealloc(c->values, c->cap * ns * sizeof *c->values);
		c->bar_text = xrealloc(c->bar_text, c->cap * ns * sizeof *c->bar_text);
	}
	c->labels[c->rows] = xstrdup(r->name);
	for (i = 0; i < ns; i++) {
		const struct qda_freq_cell *cell = res->n_groups ? &r->groups[i] : &r->all;
		long v = cell_value(cell, c->count);
		long size = !res->n_groups ? (c->count == COUNT_DOCUMENTS ? res->documents : res->cases)
		            : c->count == COUNT_DOCUMENTS ? res->groups[i].documents : res->groups[i].cases;
		char buf[64];
		if (ratio && c->percent) {
			c->values[c->rows * ns + i] = size ? 100.0 * (double)v / (double)size : 0;
			snprintf(buf, sizeof buf, "%ld/%ld (%.0f%%)", v, size, c->values[c->rows * ns + i]);
		} else if (ratio) {
			c->values[c->rows * ns + i] = (double)v;
			snprintf(buf, sizeof buf, "%ld/%ld", v, size);
		} else {
			c->values[c->rows * ns + i] = (double)v;
			snprintf(buf, sizeof buf, "%ld", v);
		}
		c->bar_text[c->rows * ns + i] = xstrdup(buf);
	}
	c->rows++;
	return 0;
}

static void svg_end(struct ctx *c)
{
	static const char *const what[] = { "segments", "documents", "cases", "words" };
	char unit[64];
	size_t i;
	snprintf(unit, sizeof unit, "%s%s", what[c->count], c->percent && (c->count == COUNT_CASES || c->count == COUNT_DOCUMENTS) ? " (% of the group)" : "");
	svg_bars(c->o->fp, "Theme frequencies", unit, c->rows, (const char *const *)c->labels, c->n_series,
	         (const char *const *)c->series, c->values, (const char *const *)c->bar_text,
	         c->percent ? 100.0 : 0.0);
	for (i = 0; i < c->rows; i++)
		free(c->labels[i]);
	for (i = 0; i < c->rows * c->n_series; i++)
		free(c->bar_text[i]);
	for (i = 0; i < c->n_series; i++)
		free(c->series[i]);
	free(c->labels);
	free(c->bar_text);
	free(c->values);
	free(c->series);
}

static void begin(struct ctx *c, const struct qda_freq_result *res)
{
	int wide = c->o->fmt == OUT_CSV || c->o->fmt == OUT_TSV || c->o->fmt == OUT_JSON;
	size_t per = wide ? (c->count == COUNT_CASES || c->count == COUNT_DOCUMENTS ? 2 : 1) + (c->percent ? 1 : 0) : 1;
	size_t n = 7 + (c->words ? 1 : 0) + res->n_groups * per, i, k = 0;
	c->cols = xcalloc(n, sizeof *c->cols);
	c->names = xcalloc(n, sizeof *c->names);
	c->cells = xcalloc(n, sizeof *c->cells);
	c->vals = xcalloc(n, sizeof *c->vals);
	c->cols[k++] = (struct col){ c->o->fmt == OUT_TEXT ? "node" : c->o->fmt == OUT_LATEX || c->o->fmt == OUT_HTML ? "Theme" : "name", COL_STR };
	if (!c->slim) {
		c->cols[k++] = (struct col){ "id", COL_STR };
		c->cols[k++] = (struct col){ "kind", COL_STR };
		c->cols[k++] = (struct col){ "parent", COL_STR };
	}
	c->cols[k++] = (struct col){ "segments", COL_INT };
	c->cols[k++] = (struct col){ "documents", COL_INT };
	c->cols[k++] = (struct col){ "cases", COL_INT };
	if (c->words)
		c->cols[k++] = (struct col){ "words", COL_INT };
	for (i = 0; i < res->n_groups; i++) {
		const char *v = res->groups[i].value;
		if (!wide) {
			c->names[k] = xasprintf("%s (n=%ld)", v,
			                        c->count == COUNT_DOCUMENTS ? res->groups[i].documents : res->groups[i].cases);
			c->cols[k] = (struct col){ c->names[k], c->count == COUNT_CASES || c->count == COUNT_DOCUMENTS ? COL_NUM : COL_INT };
			k++;
			continue;
		}
		c->names[k] = xstrdup(v);
		c->cols[k] = (struct col){ c->names[k], COL_INT };
		k++;
		if (per >= 2 + (c->percent ? 1 : 0)) {
			c->names[k] = xasprintf("%s_n", v);
			c->cols[k] = (struct col){ c->names[k], COL_INT };
			k++;
		}
		if (c->percent) {
			c->names[k] = xasprintf("%s_pct", v);
			c->cols[k] = (struct col){ c->names[k], COL_NUM };
			k++;
		}
	}
	c->ncols = k;
	out_begin(c->o, c->cols, k);
	c->began = 1;
}

static int row(void *data, const struct qda_freq_result *res, const struct qda_freq_row *r)
{
	struct ctx *c = data;
	int wide = c->o->fmt == OUT_CSV || c->o->fmt == OUT_TSV || c->o->fmt == OUT_JSON;
	int ratio = c->count == COUNT_CASES || c->count == COUNT_DOCUMENTS;
	char *name;
	size_t i, k = 0;

	if (c->o->fmt == OUT_SVG)
		return svg_row(c, res, r);
	if (!c->began)
		begin(c, res);
	name = xasprintf("%*s%s", c->o->fmt == OUT_TEXT || c->o->fmt == OUT_MD ? (r->depth - 1) * 2 : 0, "", r->name);
	c->vals[k++] = name;
	if (!c->slim) {
		c->vals[k++] = r->id;
		c->vals[k++] = r->kind;
		c->vals[k++] = *r->parent ? r->parent : NULL;
	}
	snprintf(c->cells[k], sizeof c->cells[k], "%ld", r->all.segments);
	c->vals[k] = c->cells[k], k++;
	snprintf(c->cells[k], sizeof c->cells[k], "%ld", r->all.documents);
	c->vals[k] = c->cells[k], k++;
	snprintf(c->cells[k], sizeof c->cells[k], "%ld", r->all.cases);
	c->vals[k] = c->cells[k], k++;
	if (c->words) {
		snprintf(c->cells[k], sizeof c->cells[k], "%ld", r->all.words);
		c->vals[k] = c->cells[k], k++;
	}
	for (i = 0; i < res->n_groups; i++) {
		long v = cell_value(&r->groups[i], c->count);
		long size = c->count == COUNT_DOCUMENTS ? res->groups[i].documents : res->groups[i].cases;
		/* cases and documents: the share of the group; segments and words:
		 * the group's share of the node's total */
		long total = cell_value(&r->all, c->count);
		/* no share of nothing: an empty group or node has no percentage */
		double pct = ratio ? (size ? 100.0 * (double)v / (double)size : NAN)
		                   : (total ? 100.0 * (double)v / (double)total : NAN);
		if (!wide) {
			if (isnan(pct) && ratio)
				snprintf(c->cells[k], sizeof c->cells[k], "%ld/%ld", v, size);
			else if (isnan(pct))
				snprintf(c->cells[k], sizeof c->cells[k], "%ld", v);
			else if (ratio && c->percent)
				snprintf(c->cells[k], sizeof c->cells[k], "%ld/%ld (%.0f%%)", v, size, pct);
			else if (c->percent)
				snprintf(c->cells[k], sizeof c->cells[k], "%ld (%.0f%%)", v, pct);
			else if (ratio)
				snprintf(c->cells[k], sizeof c->cells[k], "%ld/%ld", v, size);
			else
				snprintf(c->cells[k], sizeof c->cells[k], "%ld", v);
			c->vals[k] = c->cells[k], k++;
			continue;
		}
		snprintf(c->cells[k], sizeof c->cells[k], "%ld", v);
		c->vals[k] = c->cells[k], k++;
		if (ratio) {
			snprintf(c->cells[k], sizeof c->cells[k], "%ld", size);
			c->vals[k] = c->cells[k], k++;
		}
		if (c->percent) {
			c->vals[k] = cell_num(c->o, c->cells[k], pct, 1);
			k++;
		}
	}
	out_row(c->o, c->vals);
	free(name);
	return 0;
}

enum qda_status freq_write(struct qda *h, struct out *o, const struct qda_freq_opts *fo, int count, int percent, int slim)
{
	struct ctx c = { 0 };
	enum qda_status st;
	size_t i;

	c.o = o;
	c.count = (enum count)count;
	c.slim = slim || o->fmt == OUT_LATEX || o->fmt == OUT_HTML;
	c.percent = percent;
	c.words = fo->words;
	st = qda_freq(h, fo, row, &c);
	if (o->fmt == OUT_SVG) {
		if (st == QDA_OK && c.began)
			svg_end(&c);
	} else {
		if (st == QDA_OK && !c.began) {
			struct qda_freq_result empty = { 0 };
			begin(&c, &empty);
		}
		if (c.began)
			out_end(o);
	}
	for (i = 0; i < c.ncols; i++)
		free(c.names[i]);
	free(c.names);
	free(c.cols);
	free(c.cells);
	free(c.vals);
	return st;
}

int cmd_freq(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda freq [--level theme|subtheme|code|all] [--by ATTR] [--count segments|documents|cases|words]\n"
		"                [--percent] [--coder NAME] [--no-auto] [--review STATE] [--where KEY=V[,V]]...\n"
		"                [--include-interviewer]",
		"Theme frequency tables: per node of the codebook, the coded segments, documents and cases;\n"
		"with --by, one column per attribute value (e.g. role): cases coded out of the group's size.",
		"Segments are passages: a passage is a maximal run of coded text, so overlapping and touching\n"
		"codings of a node are one; a node counts its own codings and its descendants' as the union\n"
		"of their spans (a passage coded twice within a theme counts once). Codings of every coder\n"
		"are pooled unless --coder. Codings lying wholly in interviewer material (the turns of\n"
		"speakers marked with import --interviewer, with the blank lines after them) are left out\n"
		"unless --include-interviewer. --no-auto leaves out autocoded codings; --review accepted\n"
		"keeps only those a reviewer accepted, not-disputed all but the disputed ones.\n"
		"Formats: text (a tree), csv, tsv, json (a column per group, then GROUP_n and GROUP_pct),\n"
		"md, latex (a booktabs table), html, svg (a bar chart, one bar per group; try --level theme).",
	};
	const char *level = "all", *by = NULL, *what = NULL;
	int percent = 0;
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_STRING("level", 'l', &level, "LEVEL", "theme, subtheme, code or all (default all)"),
		OPT_STRING("by", 'b', &by, "ATTR", "cross with a case attribute (e.g. role)"),
		OPT_STRING("count", 'c', &what, "WHAT", "in the --by columns: cases (default), documents, segments or words"),
		OPT_BOOL("percent", 0, &percent, "add percentages: of the group's size (cases, documents), of the node's total (segments, words)"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_freq_opts fo = { 0 };
	struct out *o;
	enum qda_status st;
	int count = FREQ_CASES;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	if (n > 0 || (rc = filter_args_get(cli, &fa, &fo.filter))) {
		filter_args_free(&fa);
		return n > 0 ? usage_error(cli, "unexpected argument '%s'", argv[0]) : rc;
	}
	if (strcmp(level, "all") == 0)
		fo.level = QDA_LEVEL_ALL;
	else if (strcmp(level, "theme") == 0)
		fo.level = QDA_LEVEL_THEME;
	else if (strcmp(level, "subtheme") == 0)
		fo.level = QDA_LEVEL_SUBTHEME;
	else if (strcmp(level, "code") == 0)
		fo.level = QDA_LEVEL_CODE;
	else {
		filter_args_free(&fa);
		return usage_error(cli, "--level is theme, subtheme, code or all, not '%s'", level);
	}
		if (what) {
		if (strcmp(what, "segments") == 0)
			count = FREQ_SEGMENTS;
		else if (strcmp(what, "documents") == 0)
			count = FREQ_DOCUMENTS;
		else if (strcmp(what, "words") == 0)
			count = FREQ_WORDS;
		else if (strcmp(what, "cases") != 0) {
			filter_args_free(&fa);
			return usage_error(cli, "--count is segments, documents, cases or words, not '%s'", what);
		}
	}
	if ((rc = cli_open(cli, OPEN_NONE)) ||
	    !(o = out_open(cli, OUT_REPORT | (1u << OUT_SVG), &rc))) {
		filter_args_free(&fa);
		return rc;
	}
	fo.by = by;
	fo.words = count == FREQ_WORDS;
	st = freq_write(cli->h, o, &fo, count, percent, 0);
	rc = out_close(cli, o, st != QDA_OK);
	filter_args_free(&fa);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
