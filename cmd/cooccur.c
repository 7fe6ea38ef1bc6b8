/* cooccur.c — qda cooccur: the code co-occurrence matrix, or its top pairs,
 * counted as co-occurrences, Jaccard or the c-coefficient. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "svg.h"

enum measure { M_COUNT, M_JACCARD, M_C };

static double value(const struct qda_cooccur *c, size_t i, size_t j, enum measure m, enum qda_scope scope)
{
	switch (m) {
	case M_JACCARD: return qda_cooccur_jaccard(c, i, j, scope);
	case M_C: return qda_cooccur_c(c, i, j);
	default: return (double)c->n12[i * c->n + j];
	}
}

/* A cell: counts as integers, measures through cell_num (NULL: no value,
 * a zero denominator). */
static const char *fmt(const struct out *o, char *buf, double v, enum measure m)
{
	if (m == M_COUNT) {
		snprintf(buf, 32, "%.0f", v);
		return buf;
	}
	return cell_num(o, buf, v, 3);
}

static void heatmap(struct out *o, const struct qda_cooccur *c, enum measure m, enum qda_scope scope)
{
	double *v = xcalloc(c->n * c->n + 1, sizeof *v);
	char **t = xcalloc(c->n * c->n + 1, sizeof *t);
	size_t i, j;
	for (i = 0; i < c->n; i++)
		for (j = 0; j < c->n; j++) {
			char buf[32];
			const char *s;
			v[i * c->n + j] = value(c, i, j, m, scope);
			s = fmt(o, buf, v[i * c->n + j], m);
			if (isnan(v[i * c->n + j]))
				v[i * c->n + j] = 0;
			t[i * c->n + j] = i == j && m != M_COUNT ? NULL : s ? xstrdup(s) : NULL;
		}
	svg_heatmap(o->fp, m == M_COUNT ? "Code co-occurrence" : m == M_C ? "Code co-occurrence (c-coefficient)"
	                                                                   : "Code co-occurrence (Jaccard)",
	            c->n, (const char *const *)c->ids, v, (const char *const *)t);
	for (i = 0; i < c->n * c->n; i++)
		free(t[i]);
	free(t);
	free(v);
}

static int matrix(struct out *o, const struct qda_cooccur *c, enum measure m, enum qda_scope scope)
{
	struct col *cols = xcalloc(c->n + 1, sizeof *cols);
	const char **v = xcalloc(c->n + 1, sizeof *v);
	char (*cells)[40] = xcalloc(c->n + 1, sizeof *cells);
	size_t i, j;

	cols[0] = (struct col){ "code", COL_STR };
	for (i = 0; i < c->n; i++)
		cols[i + 1] = (struct col){ c->ids[i], COL_NUM };
	out_begin(o, cols, c->n + 1);
	for (i = 0; i < c->n; i++) {
		v[0] = c->ids[i];
		for (j = 0; j < c->n; j++) {
			if (i == j && m != M_COUNT) {
				v[j + 1] = NULL;
				continue;
			}
			v[j + 1] = fmt(o, cells[j], value(c, i, j, m, scope), m);
			/* a c-coefficient between codes of very unequal use is biased */
			if (v[j + 1] && m == M_C && o->fmt == OUT_TEXT && qda_cooccur_skewed(c, i, j) && c->n12[i * c->n + j])
				strcat(cells[j], "*");
		}
		out_row(o, v);
	}
	out_end(o);
	free(cells);
	free(v);
	free(cols);
	return 0;
}

struct pair {
	size_t i, j;
	double v;
};

static int by_value(const void *a, const void *b)
{
	const struct pair *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? 1 : -1;
	if (x->i != y->i)
		return x->i < y->i ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

static int pairs(struct out *o, const struct qda_cooccur *c, enum measure m, enum qda_scope scope, long top)
{
	static const struct col cols[] = {
		{ "code_a", COL_STR }, { "code_b", COL_STR }, { "n12", COL_INT }, { "n1", COL_INT }, { "n2", COL_INT },
		{ "c", COL_NUM }, { "jaccard", COL_NUM }, { "flag", COL_STR },
	};
	struct pair *p = xcalloc(c->n * c->n / 2 + 1, sizeof *p);
	size_t np = 0, i, j;
	char n12[24], n1[24], n2[24], cc[32], jac[32];
	const char *v[8];
	struct buf_flag { char s[32]; } flag;

	for (i = 0; i < c->n; i++)
		for (j = i + 1; j < c->n; j++)
			if (c->n12[i * c->n + j] > 0)
				p[np++] = (struct pair){ i, j, value(c, i, j, m, scope) };
	qsort(p, np, sizeof *p, by_value);
	out_begin(o, cols, 8);
	for (i = 0; i < np && (top <= 0 || (long)i < top); i++) {
		snprintf(n12, sizeof n12, "%ld", c->n12[p[i].i * c->n + p[i].j]);
		snprintf(n1, sizeof n1, "%ld", c->freq[p[i].i]);
		snprintf(n2, sizeof n2, "%ld", c->freq[p[i].j]);
		v[0] = c->ids[p[i].i];
		v[1] = c->ids[p[i].j];
		v[2] = n12;
		v[3] = n1;
		v[4] = n2;
		v[5] = cell_num(o, cc, qda_cooccur_c(c, p[i].i, p[i].j), 3);
		v[6] = cell_num(o, jac, qda_cooccur_jaccard(c, p[i].i, p[i].j, scope), 3);
		flag.s[0] = '\0';
		if (qda_cooccur_skewed(c, p[i].i, p[i].j))
			strcat(flag.s, "skewed");
		if (qda_cooccur_inflated(c, p[i].i, p[i].j))
			strcat(strcat(flag.s, flag.s[0] ? "," : ""), "inflated");
		v[7] = flag.s[0] ? flag.s : NULL;
		out_row(o, v);
	}
	out_end(o);
	free(p);
	return 0;
}

int parse_level(const char *s, enum qda_level *l)
{
	if (strcmp(s, "theme") == 0)
		*l = QDA_LEVEL_THEME;
	else if (strcmp(s, "subtheme") == 0)
		*l = QDA_LEVEL_SUBTHEME;
	else if (strcmp(s, "code") == 0)
		*l = QDA_LEVEL_CODE;
	else if (strcmp(s, "all") == 0)
		*l = QDA_LEVEL_ALL;
	else
		return -1;
	return 0;
}

int cmd_cooccur(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda cooccur [--level theme|subtheme|code] [--scope overlap|near:N|turn|doc|case]\n"
		"                   [--measure count|jaccard|c] [--pairs [--top N]] [--coder NAME] [--no-auto]\n"
		"                   [--review STATE] [--where KEY=V[,V]]... [--include-interviewer]",
		"How often two codes or themes apply to the same passage (overlap), within N characters\n"
		"(near:N), in the same turn, document or case: a symmetric matrix, or with --pairs the pairs\n"
		"in decreasing order.",
		"Counting: a passage is a maximal run of coded text (overlapping and touching codings of a\n"
		"code are one); a theme stands for the union of its descendants' codings. The diagonal is\n"
		"each code's number of passages. For overlap and near:N, n12 is the number of pairs of a\n"
		"passage of one code and a passage of the other that share a character (overlap) or lie at\n"
		"most N characters apart (near:0: touching counts); a wider window never lowers it. For\n"
		"turn, doc and case, n12 is the number of units holding both codes.\n"
		"Measures: count; c, the c-coefficient n12 / (n1 + n2 - n12), marked * (flag 'skewed')\n"
		"where one code is used more than five times as often as the other, and flagged 'inflated'\n"
		"where n12 exceeds the rarer code's passages (one passage meets several of the other's);\n"
		"jaccard, characters coded by both over characters coded by either (for unit scopes,\n"
		"equal to c). A measure with a zero denominator (two unused codes) is empty (JSON null).\n"
		"CSV, TSV and JSON carry full precision; text rounds to 3 decimals.\n"
		"Codings wholly in interviewer turns are left out unless --include-interviewer.\n"
		"--format svg draws the matrix as a heat map.",
	};
	const char *level = "theme", *scope = "overlap", *measure = "count";
	int want_pairs = 0;
	long top = 0;
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_STRING("level", 'l', &level, "LEVEL", "theme (default), subtheme or code"),
		OPT_STRING("scope", 's', &scope, "SCOPE", "overlap (default), near:N, turn, doc or case"),
		OPT_STRING("measure", 'm', &measure, "M", "count (default), jaccard or c"),
		OPT_BOOL("pairs", 0, &want_pairs, "list the pairs that co-occur, strongest first"),
		OPT_INT("top", 'n', &top, "N", "with --pairs, only the N first"),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_cooccur_opts co = { 0 };
	struct qda_cooccur *c = NULL;
	struct out *o;
	enum measure m = M_COUNT;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	rc = filter_args_get(cli, &fa, &co.filter);
	if (rc)
		;
	else if (n > 0)
		rc = usage_error(cli, "unexpected argument '%s'", argv[0]);
	else if (parse_level(level, &co.level))
		rc = usage_error(cli, "--level is theme, subtheme or code, not '%s'", level);
	else if (strcmp(scope, "overlap") == 0)
		co.scope = QDA_SCOPE_OVERLAP;
	else if (strncmp(scope, "near:", 5) == 0) {
		char *end;
		co.scope = QDA_SCOPE_NEAR;
		co.near = strtol(scope + 5, &end, 10);
		if (end == scope + 5 || *end || co.near < 0)
			rc = usage_error(cli, "--scope near:N wants a number of characters, not '%s'", scope);
	} else if (strcmp(scope, "turn") == 0)
		co.scope = QDA_SCOPE_TURN;
	else if (strcmp(scope, "doc") == 0)
		co.scope = QDA_SCOPE_DOC;
	else if (strcmp(scope, "case") == 0)
		co.scope = QDA_SCOPE_CASE;
	else
		rc = usage_error(cli, "--scope is overlap, near:N, turn, doc or case, not '%s'", scope);
	if (!rc) {
		if (strcmp(measure, "count") == 0)
			m = M_COUNT;
		else if (strcmp(measure, "jaccard") == 0)
			m = M_JACCARD;
		else if (strcmp(measure, "c") == 0)
			m = M_C;
		else
			rc = usage_error(cli, "--measure is count, jaccard or c, not '%s'", measure);
	}
	if (rc || (rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, OUT_REPORT | (1u << OUT_SVG), &rc))) {
		filter_args_free(&fa);
		return rc;
	}
	st = qda_cooccur(cli->h, &co, &c);
	if (st == QDA_OK) {
		if (o->fmt == OUT_SVG)
			heatmap(o, c, m, co.scope);
		else if (want_pairs)
			pairs(o, c, m, co.scope, top);
		else
			matrix(o, c, m, co.scope);
	}
	rc = out_close(cli, o, st != QDA_OK);
	qda_cooccur_free(c);
	filter_args_free(&fa);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}
