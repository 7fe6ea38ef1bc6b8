/* matrix.c — qda matrix: NVivo's matrix coding query. Rows are codes or
 * themes; columns an attribute's values, the cases, or other codes; a cell
 * counts segments, cases, documents or words (or, code by code, passages
 * coded with both). Open a cell with qda retrieve CODE --where KEY=VALUE. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct ids {
	char **v;
	size_t n;
	enum qda_level level;
	int all_known;
	const char *missing;
};

static int collect_ids(void *ctx, const struct qda_node_row *r)
{
	struct ids *l = ctx;
	int keep = l->level == QDA_LEVEL_ALL || (l->level == QDA_LEVEL_THEME && r->depth == 1) ||
	           (l->level == QDA_LEVEL_SUBTHEME && !strcmp(r->kind, "subtheme")) ||
	           (l->level == QDA_LEVEL_CODE && !strcmp(r->kind, "code"));
	if (keep) {
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = xstrdup(r->id);
	}
	return 0;
}

static void split(const char *s, struct ids *l)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
		l->v[l->n++] = xstrdup(tok);
	}
	free(copy);
}

static void free_ids(struct ids *l)
{
	size_t i;
	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static int level_word(const char *s, enum qda_level *l)
{
	if (!strcmp(s, "themes") || !strcmp(s, "theme"))
		*l = QDA_LEVEL_THEME;
	else if (!strcmp(s, "subthemes") || !strcmp(s, "subtheme"))
		*l = QDA_LEVEL_SUBTHEME;
	else if (!strcmp(s, "codes") || !strcmp(s, "code"))
		*l = QDA_LEVEL_CODE;
	else
		return -1;
	return 0;
}

/* Whether every id names a node (for telling codes from an attribute);
 * -1 when the codebook could not be read (*st says why). */
static int known(struct cli *cli, struct ids *l, enum qda_status *st)
{
	struct ids all = { 0 };
	size_t i, j;
	all.level = QDA_LEVEL_ALL;
	if ((*st = qda_nodes(cli->h, collect_ids, &all)) != QDA_OK) {
		free_ids(&all);
		return -1;
	}
	for (i = 0; i < l->n; i++) {
		int found = 0;
		for (j = 0; j < all.n; j++)
			found |= !strcmp(l->v[i], all.v[j]);
		if (!found) {
			l->missing = l->v[i];
			free_ids(&all);
			return 0;
		}
	}
	free_ids(&all);
	return 1;
}

static int code_by_code(struct cli *cli, struct out *o, struct ids *rows, struct ids *cols, const struct qda_filter *f)
{
	struct qda_cooccur_opts co = { 0 };
	struct qda_cooccur *c = NULL;
	const char **all = xcalloc(rows->n + cols->n, sizeof *all);
	struct col *hdr = xcalloc(cols->n + 1, sizeof *hdr);
	const char **v = xcalloc(cols->n + 1, sizeof *v);
	char (*cells)[24] = xcalloc(cols->n + 1, sizeof *cells);
	enum qda_status st;
	size_t i, j, n = 0;

	for (i = 0; i < rows->n; i++)
		all[n++] = rows->v[i];
	for (i = 0; i < cols->n; i++)
		all[n++] = cols->v[i];
	co.nodes = all;
	co.n_nodes = n;
	co.scope = QDA_SCOPE_OVERLAP;
	co.filter = *f;
	st = qda_cooccur(cli->h, &co, &c);
	if (st == QDA_OK) {
		hdr[0] = (struct col){ "code", COL_STR };
		for (j = 0; j < cols->n; j++)
			hdr[j + 1] = (struct col){ cols->v[j], COL_INT };
		out_begin(o, hdr, cols->n + 1);
		for (i = 0; i < rows->n; i++) {
			size_t a = 0, b;
			while (a < c->n && strcmp(c->ids[a], rows->v[i]))
				a++;
			v[0] = rows->v[i];
			for (j = 0; j < cols->n; j++) {
				b = 0;
				while (b < c->n && strcmp(c->ids[b], cols->v[j]))
					b++;
				snprintf(cells[j], sizeof cells[j], "%ld", a < c->n && b < c->n ? c->n12[a * c->n + b] : 0);
				v[j + 1] = cells[j];
			}
			out_row(o, v);
		}
		out_end(o);
	}
	qda_cooccur_free(c);
	free(cells);
	free(v);
	free(hdr);
	free(all);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_matrix(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda matrix --rows themes|subthemes|codes|ID,ID... --cols ATTR|cases|ID,ID...\n"
		"                  [--count cases|documents|segments|words] [--percent] [--coder NAME] [--no-auto]\n"
		"                  [--review STATE] [--where KEY=V[,V]]... [--include-interviewer]",
		"Matrix coding (NVivo's matrix coding query): rows of codes or themes, columns the values of a\n"
		"case attribute (--cols role), every case (--cols cases) or other codes (--cols a,b,c); a cell\n"
		"counts cases (default), documents, segments or words, or for codes by codes the passages\n"
		"coded with both. Open a cell with: qda retrieve CODE --where ATTR=VALUE.",
		"Counted as qda freq counts: a passage is a maximal run of coded text (overlapping and\n"
		"touching codings are one), a theme counts its descendants' codings as the union of their\n"
		"spans, and codings in interviewer turns are left out unless --include-interviewer. For\n"
		"codes by codes, a cell is the number of pairs of passages of the two that overlap.",
	};
	const char *rows_s = "themes", *cols_s = NULL, *what = "cases";
	int percent = 0;
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_STRING("rows", 'r', &rows_s, "ROWS", "themes (default), subthemes, codes or a list of ids"),
		OPT_STRING("cols", 'c', &cols_s, "COLS", "an attribute, cases, or a list of code ids"),
		OPT_STRING("count", 0, &what, "WHAT", "cases (default), documents, segments or words"),
		OPT_BOOL("percent", 0, &percent, "add percentages of the column's size"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct ids rows = { 0 }, cols = { 0 };
	struct qda_freq_opts fo = { 0 };
	struct out *o = NULL;
	enum qda_status st = QDA_OK;
	int count, k, rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	rc = filter_args_get(cli, &fa, &fo.filter);
	if (rc)
		;
	else if (n > 0)
		rc = usage_error(cli, "unexpected argument '%s'", argv[0]);
	else if (!cols_s)
		rc = usage_error(cli, "say what the columns are: --cols role, --cols cases or --cols CODE,CODE");
	count = !strcmp(what, "cases") ? FREQ_CASES : !strcmp(what, "documents") ? FREQ_DOCUMENTS
	        : !strcmp(what, "segments") ? FREQ_SEGMENTS : !strcmp(what, "words") ? FREQ_WORDS : -1;
	if (!rc && count < 0)
		rc = usage_error(cli, "--count is cases, documents, segments or words, not '%s'", what);
	if (rc || (rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, OUT_REPORT, &rc)))
		goto out;
	if (level_word(rows_s, &rows.level) == 0) {
		if ((st = qda_nodes(cli->h, collect_ids, &rows)) != QDA_OK)
			goto out;
	} else {
		split(rows_s, &rows);
		if ((k = known(cli, &rows, &st)) <= 0) {
			if (k == 0)
				rc = cli_errorf(cli, "--rows: no code '%s' in the codebook; 'qda codebook show' lists them",
				                rows.missing);
			goto out;
		}
	}
	if (strcmp(cols_s, "cases")) {
		split(cols_s, &cols);
		if ((k = known(cli, &cols, &st)) < 0)
			goto out;
		if (strchr(cols_s, ',') || k) {
			if (!k) {
				rc = cli_errorf(cli, "--cols: no code '%s' in the codebook; 'qda codebook show' lists them",
				                cols.missing);
				goto out;
			}
			rc = code_by_code(cli, o, &rows, &cols, &fo.filter);
			goto out;
		}
		{
			char **keys;
			size_t nk, j;
			int found = 0;
			if ((st = qda_case_keys(cli->h, &keys, &nk)) != QDA_OK)
				goto out;
			for (j = 0; j < nk; j++)
				found |= !strcmp(keys[j], cols_s);
			qda_strv_free(keys, nk);
			if (!found) {
				rc = cli_errorf(cli, "--cols: '%s' is neither a case attribute nor a code; 'qda cases' shows the "
				                     "attributes, 'qda codebook show' the codes", cols_s);
				goto out;
			}
		}
		fo.by = cols_s;
	} else {
		fo.by_case = 1;
	}
	fo.level = QDA_LEVEL_ALL;
	fo.nodes = (const char **)rows.v;
	fo.n_nodes = rows.n;
	fo.words = count == FREQ_WORDS;
	st = freq_write(cli->h, o, &fo, count, percent, 1);
out:
	if (o) {
		int c = out_close(cli, o, rc || st != QDA_OK);
		if (!rc)
			rc = c;
	}
	free_ids(&rows);
	free_ids(&cols);
	filter_args_free(&fa);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
