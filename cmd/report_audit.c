/* report_audit.c — the report's audit appendix (qda report --audit): the log
 * read as a method, grouped by Braun & Clarke's phases (core/audit.c's
 * table), with counts per coder, first and last dates, undone changes
 * marked. Markdown or HTML; only lays out what core/ gives. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct entry {
	long long id, undone_by;
	char *at, *coder, *what, *summary;
	enum qda_phase phase;
};

struct entries {
	struct entry *v;
	size_t n, cap;
};

static int keep(void *ctx, const struct qda_log_row *row)
{
	struct entries *e = ctx;
	struct entry *x;
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 64;
		e->v = xrealloc(e->v, e->cap * sizeof *e->v);
	}
	x = &e->v[e->n++];
	x->id = row->id;
	x->undone_by = row->undone_by;
	x->at = xstrdup(row->at ? row->at : "");
	x->coder = xstrdup(row->coder ? row->coder : "");
	x->summary = xstrdup(row->summary ? row->summary : "");
	/* the command line for now; its phase and short form once in order */
	x->what = xstrdup(row->command ? row->command : "");
	return 0;
}

/* A cell's text: HTML-escaped, or for a Markdown table with '|' escaped and
 * line breaks made spaces. */
static void cell(FILE *fp, int html, const char *s)
{
	if (html) {
		out_html_escape(fp, s);
		return;
	}
	for (; *s; s++) {
		char one[2] = { *s == '\n' || *s == '\r' ? ' ' : *s, 0 };
		out_md_escape(fp, one, 1);
	}
}

static void row_begin(FILE *fp, int html)
{
	fputs(html ? "<tr><td>" : "| ", fp);
}

static void row_next(FILE *fp, int html, int num)
{
	fputs(html ? (num ? "</td><td class=\"n\">" : "</td><td>") : " | ", fp);
}

static void row_end(FILE *fp, int html)
{
	fputs(html ? "</td></tr>\n" : " |\n", fp);
}

static void table_begin(FILE *fp, int html, const char *const *heads, const int *num, size_t n)
{
	size_t i;
	fputs(html ? "<table class=\"qda\">\n<thead><tr>" : "|", fp);
	for (i = 0; i < n; i++) {
		if (html)
			fprintf(fp, "<th%s>%s</th>", num[i] ? " class=\"n\"" : "", heads[i]);
		else
			fprintf(fp, " %s |", heads[i]);
	}
	fputs(html ? "</tr></thead>\n<tbody>\n" : "\n|", fp);
	for (i = 0; !html && i < n; i++)
		fputs(num[i] ? " ---: |" : " --- |", fp);
	if (!html)
		fputc('\n', fp);
}

static void table_end(FILE *fp, int html)
{
	fputs(html ? "</tbody>\n</table>\n" : "\n", fp);
}

/* "alice 3, bob 1, (no coder) 2" for the entries of a phase (or all: -1),
 * coders by name, the unnamed last. */
static void coder_counts(FILE *fp, int html, const struct entries *e, int phase)
{
	size_t i, shown = 0;
	long none = 0;
	const char *last = NULL;
	for (i = 0; i < e->n; i++)
		none += (phase < 0 || (int)e->v[i].phase == phase) && !*e->v[i].coder;
	/* by name, chosen one at a time: a project has a few coders */
	for (;;) {
		const char *next = NULL;
		long cnt = 0;
		for (i = 0; i < e->n; i++) {
			const struct entry *x = &e->v[i];
			if ((phase >= 0 && (int)x->phase != phase) || !*x->coder)
				continue;
			if ((!last || strcmp(x->coder, last) > 0) && (!next || strcmp(x->coder, next) < 0))
				next = x->coder;
		}
		if (!next)
			break;
		for (i = 0; i < e->n; i++)
			if ((phase < 0 || (int)e->v[i].phase == phase) && !strcmp(e->v[i].coder, next))
				cnt++;
		fputs(shown++ ? ", " : "", fp);
		cell(fp, html, next);
		fprintf(fp, " %ld", cnt);
		last = next;
	}
	if (none)
		fprintf(fp, "%s(no coder) %ld", shown ? ", " : "", none);
}
enum qda_status report_audit(struct qda *h, FILE *fp, int html)
{
	static const char *const sum_heads[] = { "phase", "changes", "undone", "by coder", "first", "last" };
	static const int sum_num[] = { 0, 1, 1, 0, 0, 0 };
	static const char *const heads[] = { "log", "when (UTC)", "coder", "command", "what changed" };
	static const int num[] = { 1, 0, 0, 0, 0 };
	struct entries e = { 0 };
	enum qda_status st;
	size_t i, k, undone = 0;
	int p, codebook_before = 0;

	if ((st = qda_log_list(h, 0, keep, &e)) != QDA_OK)
		goto out;
	/* oldest first */
	for (i = 0; i < e.n / 2; i++) {
		struct entry t = e.v[i];
		e.v[i] = e.v[e.n - 1 - i];
		e.v[e.n - 1 - i] = t;
	}
	for (i = 0; i < e.n; i++) {
		char what[160];
		struct entry *x = &e.v[i];
		x->phase = qda_log_phase(x->what, !codebook_before, what, sizeof what);
		/* an undone load did not give the codebook: the next one is the first */
		if (!strcmp(what, "codebook load") && !x->undone_by)
			codebook_before = 1;
		free(x->what);
		x->what = xstrdup(what);
		undone += x->undone_by != 0;
	}
	fputs(html ? "<h2>Audit trail</h2>\n<p>" : "\n## Audit trail\n\n", fp);
	fprintf(fp, "The project's log (qda log): %zu %s", e.n, e.n == 1 ? "change" : "changes");
	if (e.n)
		fprintf(fp, " from %.10s to %.10s", e.v[0].at, e.v[e.n - 1].at);
	if (undone)
		fprintf(fp, ", %zu of them undone (marked)", undone);
	fputs(". Each change is placed in one of Braun and Clarke's (2006) phases by the command that made it"
	      " (the table is in qda's README); times are UTC. Changes per coder: ",
	      fp);
	coder_counts(fp, html, &e, -1);
	fputs(e.n ? ".\n" : "none.\n", fp);
	fputs(html ? "</p>\n" : "\n", fp);
	table_begin(fp, html, sum_heads, sum_num, 6);
	for (p = 0; p < QDA_PHASE_N; p++) {
		size_t n = 0, u = 0;
		const char *first = NULL, *last = NULL;
		for (i = 0; i < e.n; i++)
			if ((int)e.v[i].phase == p) {
				n++;
				u += e.v[i].undone_by != 0;
				if (!first)
					first = e.v[i].at;
				last = e.v[i].at;
			}
		row_begin(fp, html);
		cell(fp, html, qda_phase_name((enum qda_phase)p));
		row_next(fp, html, 1);
		fprintf(fp, "%zu", n);
		row_next(fp, html, 1);
		fprintf(fp, "%zu", u);
		row_next(fp, html, 0);
		coder_counts(fp, html, &e, p);
		row_next(fp, html, 0);
		fprintf(fp, "%.10s", first ? first : "");
		row_next(fp, html, 0);
		fprintf(fp, "%.10s", last ? last : "");
		row_end(fp, html);
	}
	table_end(fp, html);
	for (p = 0; p < QDA_PHASE_N; p++) {
		for (k = 0, i = 0; i < e.n; i++)
			k += (int)e.v[i].phase == p;
		if (!k)
			continue;
		if (html) {
			fputs("<h3>", fp);
			cell(fp, html, qda_phase_name((enum qda_phase)p));
			fputs("</h3>\n", fp);
		} else {
			fprintf(fp, "### %s\n\n", qda_phase_name((enum qda_phase)p));
		}
		table_begin(fp, html, heads, num, 5);
		for (i = 0; i < e.n; i++) {
			const struct entry *x = &e.v[i];
			if ((int)x->phase != p)
				continue;
			row_begin(fp, html);
			fprintf(fp, "%lld", x->id);
			row_next(fp, html, 0);
			/* "2026-12-03T07:04:10.062Z" as "2026-12-03 07:04" */
			fprintf(fp, "%.10s %.5s", x->at, strlen(x->at) > 11 ? x->at + 11 : "");
			row_next(fp, html, 0);
			cell(fp, html, *x->coder ? x->coder : "(none)");
			row_next(fp, html, 0);
			cell(fp, html, x->what);
			row_next(fp, html, 0);
			cell(fp, html, x->summary);
			if (x->undone_by)
				fprintf(fp, " (undone by log %lld)", x->undone_by);
			row_end(fp, html);
		}
		table_end(fp, html);
	}
out:
	for (i = 0; i < e.n; i++) {
		free(e.v[i].at);
		free(e.v[i].coder);
		free(e.v[i].what);
		free(e.v[i].summary);
	}
	free(e.v);
	return st;
}
