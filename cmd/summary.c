/* summary.c — qda summary set|grid: the framework matrix, one summary per
 * case and theme, shown as a grid with the passages behind each cell (as
 * qda freq counts them). Parses and prints only; the summaries are
 * core/summary.c, the counts core/freq.c. */
#include <string.h>

#include "cmd.h"

static int summary_set(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda summary set CASE THEME [TEXT...]",
		"Write the framework matrix's summary of a case for a theme (any codebook node), signed\n"
		"with the coder (--coder NAME or $QDA_CODER).",
		"One summary per case and node: setting it again replaces the text (the last writer's is\n"
		"kept; the audit trail and qda undo keep the earlier one). Without TEXT the summary is\n"
		"written in $VISUAL or $EDITOR, starting from the current one; TEXT - reads standard input.\n\n"
		"Example:\n"
		"  qda summary set P01 listening-space \"Time given, not taken: weekly calls at first\"",
	};
	char *text = NULL, *prev = NULL, *summary;
	enum qda_status st;
	size_t len;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n < 2)
		return usage_error(cli, "give a case and a theme (qda cases, qda codebook show)");
	if (!cli_coder(cli))
		return usage_error(cli, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	{
		char *header = xasprintf("# The summary of case %s for %s, above; lines starting with '#' are left out.\n"
		                         "# An empty summary writes nothing.\n", argv[0], argv[1]);
		text = cli_text_args(cli, n - 2, argv + 2, header);
		free(header);
		if (!text)
			return 1;
	}
	len = strlen(text);
	while (len > 0 && strchr(" \t\r\n", text[len - 1]))
		text[--len] = '\0';
	if ((st = qda_begin(cli->h, cli->cmdline)) == QDA_OK) {
		if ((st = qda_summary_set(cli->h, argv[0], argv[1], text, &prev)) == QDA_OK) {
			if (prev)
				summary = xasprintf("summary of %s for %s replaced by %s (was %s's)", argv[0], argv[1],
				                    cli_coder(cli), prev);
			else
				summary = xasprintf("summary of %s for %s written by %s", argv[0], argv[1], cli_coder(cli));
			if ((st = qda_commit(cli->h, summary)) == QDA_OK)
				printf("%s\n", summary);
			free(summary);
		} else {
			qda_rollback(cli->h);
		}
	}
	free(prev);
	free(text);
	return st == QDA_OK ? 0 : cli_fail(cli, st);
}

/* The grid in memory: nodes (columns) x cases, passages per cell, and the
 * summaries; small (cases x themes). */
struct grid {
	const char *kind;     /* "theme" or "subtheme" */
	char **node;          /* node ids, in codebook order */
	size_t nnodes;
	char **cases;         /* the case names of the freq groups */
	size_t ncases;
	long *passages;       /* nnodes x ncases */
	char **rowcase, **rowval; /* cases by row value (qda_summary_cases) */
	size_t nrows;
	char **sum;           /* nnodes x nrows: the summaries (by row case) */
};

static int freq_row(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *r)
{
	struct grid *g = ctx;
	size_t i;
	if (!g->cases) {
		g->ncases = res->n_groups;
		g->cases = xcalloc(res->n_groups + 1, sizeof *g->cases);
		for (i = 0; i < res->n_groups; i++)
			g->cases[i] = xstrdup(res->groups[i].value);
	}
	if (strcmp(r->kind, g->kind) != 0)
		return 0;
	g->node = xrealloc(g->node, (g->nnodes + 1) * sizeof *g->node);
	g->node[g->nnodes] = xstrdup(r->id);
	g->passages = xrealloc(g->passages, (g->nnodes + 1) * (g->ncases + 1) * sizeof *g->passages);
	for (i = 0; i < g->ncases; i++)
		g->passages[g->nnodes * g->ncases + i] = r->groups[i].segments;
	g->nnodes++;
	return 0;
}

static int case_row(void *ctx, const char *name, const char *value)
{
	struct grid *g = ctx;
	g->rowcase = xrealloc(g->rowcase, (g->nrows + 1) * sizeof *g->rowcase);
	g->rowval = xrealloc(g->rowval, (g->nrows + 1) * sizeof *g->rowval);
	g->rowcase[g->nrows] = xstrdup(name);
	g->rowval[g->nrows] = xstrdup(value);
	g->nrows++;
	return 0;
}

static int sum_row(void *ctx, const struct qda_summary_row *r)
{
	struct grid *g = ctx;
	size_t i, j;
	for (i = 0; i < g->nnodes; i++)
		if (strcmp(g->node[i], r->node) == 0)
			for (j = 0; j < g->nrows; j++)
				if (strcmp(g->rowcase[j], r->case_name) == 0) {
					free(g->sum[i * g->nrows + j]);
					g->sum[i * g->nrows + j] = xstrdup(r->text);
				}
	return 0;
}

static long passages_of(const struct grid *g, size_t node, const char *case_name)
{
	size_t i;
	for (i = 0; i < g->ncases; i++)
		if (strcmp(g->cases[i], case_name) == 0)
			return g->passages[node * g->ncases + i];
	return 0;
}

/* One case's cell: "TEXT (N passages)", "(to do: N passages)" or "". */
static char *cell_of(const struct grid *g, size_t node, size_t row, int with_case)
{
	long n = passages_of(g, node, g->rowcase[row]);
	const char *text = g->sum[node * g->nrows + row];
	const char *who = with_case ? g->rowcase[row] : "", *sep = with_case ? ": " : "";
	if (text)
		return xasprintf("%s%s%s (%ld %s)", who, sep, text, n, noun(n, "passage", "passages"));
	if (n)
		return xasprintf("%s%s(to do: %ld %s)", who, sep, n, noun(n, "passage", "passages"));
	return NULL;
}

static void grid_free(struct grid *g)
{
	size_t i;
	for (i = 0; i < g->nnodes; i++)
		free(g->node[i]);
	for (i = 0; i < g->ncases; i++)
		free(g->cases[i]);
	for (i = 0; i < g->nrows; i++)
		free(g->rowcase[i]), free(g->rowval[i]);
	for (i = 0; g->sum && i < g->nnodes * g->nrows; i++)
		free(g->sum[i]);
	free(g->node), free(g->cases), free(g->passages), free(g->rowcase), free(g->rowval), free(g->sum);
}

static void grid_print(struct out *o, const struct grid *g, const char *first, int by_attr)
{
	struct col *cols = xcalloc(g->nnodes + 1, sizeof *cols);
	const char **v = xcalloc(g->nnodes + 1, sizeof *v);
	char **cells = xcalloc(g->nnodes + 1, sizeof *cells);
	size_t i, j, k;
	cols[0].name = first;
	cols[0].type = COL_STR;
	for (i = 0; i < g->nnodes; i++)
		cols[i + 1].name = g->node[i], cols[i + 1].type = COL_STR;
	out_begin(o, cols, g->nnodes + 1);
	for (j = 0; j < g->nrows; j = k) {
		/* a row per case, or per attribute value with its cases' cells joined */
		for (k = j + 1; by_attr && k < g->nrows && strcmp(g->rowval[k], g->rowval[j]) == 0; k++)
			;
		v[0] = by_attr ? g->rowval[j] : g->rowcase[j];
		for (i = 0; i < g->nnodes; i++) {
			size_t r;
			cells[i] = NULL;
			for (r = j; r < k; r++) {
				char *c = cell_of(g, i, r, by_attr), *joined;
				if (c && cells[i]) {
					joined = xasprintf("%s; %s", cells[i], c);
					free(cells[i]);
					free(c);
					cells[i] = joined;
				} else if (c) {
					cells[i] = c;
				}
			}
			v[i + 1] = cells[i];
		}
		out_row(o, v);
		for (i = 0; i < g->nnodes; i++)
			free(cells[i]);
	}
	out_end(o);
	free(cells);
	free(v);
	free(cols);
}

static int summary_grid(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda summary grid [--rows cases|ATTR] [--cols themes|subthemes] [--format FMT]",
		"The framework matrix: a row per case (or per value of a case attribute), a column per theme\n"
		"(or sub-theme), each cell the summary with the number of coded passages behind it.",
		"Passages are counted as qda freq counts them (one rule, the same filters). A cell with\n"
		"codings but no summary reads '(to do: N passages)'; with neither it is empty. --rows ATTR\n"
		"makes a row per value of the attribute, its cells each case's summary ('P01: ...; P03:\n"
		"...'). Formats: text, csv, tsv, json, md, latex, html.\n\n"
		"Examples:\n"
		"  qda summary grid --format md -o matrix.md\n"
		"  qda summary grid --rows role --cols subthemes --format html -o matrix.html",
	};
	const char *rows = "cases", *cols = "themes";
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_STRING("rows", 0, &rows, "cases|ATTR", "a row per case (the default) or per attribute value"),
		OPT_STRING("cols", 0, &cols, "themes|subthemes", "a column per theme (the default) or sub-theme"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_freq_opts fo = { 0 };
	struct grid g = { 0 };
	struct out *o;
	enum qda_status st;
	int by_attr, rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0 || (n == 0 && (rc = filter_args_get(cli, &fa, &fo.filter)))) {
		filter_args_free(&fa);
		return n == -1 ? 0 : n < 0 ? 2 : rc;
	}
	if (n > 0) {
		filter_args_free(&fa);
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	}
	if (strcmp(cols, "themes") && strcmp(cols, "subthemes")) {
		filter_args_free(&fa);
		return usage_error(cli, "--cols is themes or subthemes, not '%s'", cols);
	}
	by_attr = strcmp(rows, "cases") != 0;
	fo.level = strcmp(cols, "themes") ? QDA_LEVEL_SUBTHEME : QDA_LEVEL_THEME;
	fo.by_case = 1;
	g.kind = fo.level == QDA_LEVEL_THEME ? "theme" : "subtheme";
	if ((rc = cli_open(cli, OPEN_READ))) {
		filter_args_free(&fa);
		return rc;
	}
	st = qda_freq(cli->h, &fo, freq_row, &g);
	filter_args_free(&fa);
	if (st == QDA_OK)
		st = qda_summary_cases(cli->h, by_attr ? rows : NULL, case_row, &g);
	if (st == QDA_OK) {
		g.sum = xcalloc(g.nnodes * g.nrows + 1, sizeof *g.sum);
		st = qda_summary_list(cli->h, sum_row, &g);
	}
	if (st != QDA_OK) {
		grid_free(&g);
		return cli_fail(cli, st);
	}
	if (!(o = out_open(cli, OUT_REPORT, &rc))) {
		grid_free(&g);
		return rc;
	}
	grid_print(o, &g, by_attr ? rows : "case", by_attr);
	grid_free(&g);
	return out_close(cli, o, 0);
}

int cmd_summary(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "set", summary_set, OPEN_WRITE, "write a case's summary for a theme" },
		{ "grid", summary_grid, OPEN_READ, "the framework matrix: cases by themes, summaries and passages" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	return run_subcmd_hint(cli, "summary", verbs, argc, argv, "'qda summary grid' shows the matrix");
}
