/* status.c — qda status: where the analysis stands in Braun & Clarke's six
 * phases, from what the project holds, and what to do next. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "phase", COL_INT }, { "name", COL_STR }, { "done", COL_STR }, { "detail", COL_STR },
};

/* One phase: a line of text, or a row of the table (csv, json...). */
static void phase(struct out *o, int n, const char *name, int done, const char *what)
{
	char num[8];
	const char *v[4];
	if (o->fmt == OUT_TEXT) {
		fprintf(o->fp, "%s %d. %-32s %s\n", done ? "[x]" : "[ ]", n, name, what);
		return;
	}
	snprintf(num, sizeof num, "%d", n);
	v[0] = num;
	v[1] = name;
	v[2] = done ? "yes" : "no";
	v[3] = what;
	out_row(o, v);
}

/* Themes with at least one passage under the filters. */
static int theme_coded(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *r)
{
	long *n = ctx;
	(void)res;
	*n += r->all.segments > 0;
	return 0;
}

struct readers {
	char *s;
	size_t len, cap;
};

static int reader(void *ctx, const char *coder, long long n)
{
	struct readers *r = ctx;
	char *add = xasprintf("%s%s %lld", r->len ? ", " : "", coder, n);
	size_t k = strlen(add);
	if (r->len + k + 1 > r->cap) {
		r->cap = (r->len + k + 1) * 2;
		r->s = xrealloc(r->s, r->cap);
	}
	memcpy(r->s + r->len, add, k + 1);
	r->len += k;
	free(add);
	return 0;
}

/* Phase 1's read marks, after what buf holds: "; N of M documents read by
 * everyone (camille 4, yanis 1)"; nothing when no one has marked a read. */
static enum qda_status read_status(struct qda *h, char *buf, size_t size)
{
	struct qda_read_counts c;
	struct readers r = { 0 };
	enum qda_status st = qda_read_counts(h, &c, reader, &r);
	size_t len = strlen(buf);
	if (st == QDA_OK && c.readers > 0)
		snprintf(buf + len, size - len, "; %lld of %lld %s read by everyone (%s)", c.read_by_all, c.documents,
		         noun(c.documents, "document", "documents"), r.s);
	free(r.s);
	return st;
}

int cmd_status(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda status [--coder NAME] [--no-auto] [--review STATE] [--where KEY=V[,V]]...\n"
		"                  [--include-interviewer]",
		"Where the analysis stands in Braun & Clarke's six phases (familiarisation, initial codes,\n"
		"searching, reviewing, defining and naming themes, the report), and what is next.",
		"Two kinds of figures. Counts of the record, whatever the filters: documents, cases,\n"
		"memos, codes, codings (every coding not removed; 'automatic' those of autocode), coders,\n"
		"documents coded (holding any coding), reviews, themes in the codebook, exemplars; they\n"
		"decide which phases are done. Counts under the counting rule and the filters (--coder,\n"
		"--no-auto, --review, --where, --include-interviewer, as in qda freq): 'counted', the\n"
		"codings left once the filters and the interviewer rule (codings lying wholly in\n"
		"interviewer turns left out) have applied, and 'themes with passages', the themes qda freq\n"
		"shows at least one passage for.\n"
		"With --format csv, tsv, json or md: one row per phase (phase, name, done, detail), then a\n"
		"row 'next' with the step to take.",
	};
	struct filter_args fa = { 0 };
	const struct opt opts[] = {
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct qda_filter filter;
	struct qda_freq_opts fo = { 0 };
	struct qda_report_counted counted;
	long themes_coded = 0;
	struct qda_report_facts f;
	char buf[512];
	const char *next;
	long themes = 0;
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	if (n > 0 || (rc = filter_args_get(cli, &fa, &filter))) {
		filter_args_free(&fa);
		return n > 0 ? usage_error(cli, "unexpected argument '%s'", argv[0]) : rc;
	}
	if ((rc = cli_open(cli, OPEN_NONE))) {
		filter_args_free(&fa);
		return rc;
	}
	fo.level = QDA_LEVEL_THEME;
	fo.filter = filter;
	if ((st = qda_report_counted(cli->h, &filter, &counted)) != QDA_OK ||
	    (st = qda_freq(cli->h, &fo, theme_coded, &themes_coded)) != QDA_OK) {
		filter_args_free(&fa);
		return cli_fail(cli, st);
	}
	filter_args_free(&fa);
	if ((st = qda_report_facts(cli->h, &f)) != QDA_OK)
		return cli_fail(cli, st);
	if (!(o = out_open(cli, OUT_LISTING, &rc))) {
		qda_report_facts_free(&f);
		return rc;
	}
	themes = f.nodes_candidate + f.nodes_reviewed + f.nodes_defined;
	if (o->fmt == OUT_TEXT)
		fprintf(o->fp, "%s: %s\n\n", qda_path(cli->h), f.title);
	else
		out_begin(o, cols, sizeof cols / sizeof cols[0]);
	snprintf(buf, sizeof buf, "%ld %s (%ld %s), %ld %s; %ld %s, %ld %s", f.documents,
	         noun(f.documents, "document", "documents"), f.words, noun(f.words, "word", "words"), f.cases,
	         noun(f.cases, "case", "cases"), f.memos, noun(f.memos, "memo", "memos"), f.journal,
	         noun(f.journal, "journal entry", "journal entries"));
	if ((st = read_status(cli->h, buf, sizeof buf)) != QDA_OK) {
		out_fail(o);
		qda_report_facts_free(&f);
		out_end(o);
		out_close(cli, o, 1);
		return cli_fail(cli, st);
	}
	phase(o, 1, "Familiarisation", f.documents > 0, buf);
	snprintf(buf, sizeof buf, "%ld %s; %ld %s (%ld automatic) by %ld %s, %ld counted; %ld of %ld %s coded", f.codes,
	         noun(f.codes, "code", "codes"), f.codings, noun(f.codings, "coding", "codings"), f.auto_codings, f.coders,
	         noun(f.coders, "coder", "coders"), counted.codings, f.docs_coded, f.documents,
	         noun(f.documents, "document", "documents"));
	phase(o, 2, "Generating initial codes", f.codings > 0 && f.docs_coded == f.documents, buf);
	snprintf(buf, sizeof buf, "%ld %s and %ld %s in codebook version %ld; %ld %s with passages", f.themes,
	         noun(f.themes, "theme", "themes"), f.subthemes, noun(f.subthemes, "sub-theme", "sub-themes"),
	         f.codebook_version, themes_coded, noun(themes_coded, "theme", "themes"));
	phase(o, 3, "Searching for themes", themes > 0, buf);
	snprintf(buf, sizeof buf, "%ld %s reviewed (%ld accepted, %ld disputed, %ld revised); %ld %s reviewed", f.reviewed,
	         noun(f.reviewed, "coding", "codings"), f.accepted, f.disputed, f.revised, f.nodes_reviewed,
	         noun(f.nodes_reviewed, "node", "nodes"));
	phase(o, 4, "Reviewing themes", f.reviewed > 0 && f.disputed == 0 && f.nodes_candidate == 0, buf);
	snprintf(buf, sizeof buf, "%ld of %ld themes and sub-themes defined", f.nodes_defined, themes);
	phase(o, 5, "Defining and naming themes", themes > 0 && f.nodes_defined == themes, buf);
	snprintf(buf, sizeof buf, "%ld exemplar %s chosen", f.exemplars, noun(f.exemplars, "quote", "quotes"));
	phase(o, 6, "Producing the report", f.exemplars > 0, buf);
	if (!f.documents)
		next = "import your transcripts: qda import FILE...";
	else if (!f.codebook_version && !f.codes)
		next = "write a codebook (see codebooks/braun-clarke-template.yaml) and load it: qda codebook load FILE.yaml";
	else if (f.docs_coded < f.documents)
		next = "code the remaining documents: qda code, qda edit DOC or qda autocode --keywords --dry-run";
	else if (f.reviewed == 0)
		next = "have the codings reviewed: qda review --reviewer NAME, or qda review export -o sheet.csv";
	else if (f.disputed)
		next = "settle the disputed codings: qda review status --disputes, then qda review apply or qda uncode";
	else if (f.nodes_defined < themes)
		next = "define and name the themes: qda theme define ID --definition ..., qda theme status ID defined";
	else if (!f.exemplars)
		next = "choose exemplar quotes (qda exemplar add ID) and write the report: qda report -o report.html";
	else
		next = "write the report: qda report -o report.html";
	if (o->fmt == OUT_TEXT) {
		fprintf(o->fp, "\nNext: %s\n", next);
	} else {
		const char *v[4] = { NULL, "next", NULL, next };
		out_row(o, v);
		out_end(o);
	}
	qda_report_facts_free(&f);
	return out_close(cli, o, 0);
}
