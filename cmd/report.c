/* report.c — qda report: the phase-6 report in Markdown or one self-contained
 * HTML file: methods facts, the frequency table by group, per theme its
 * definition, sub-themes, counts and exemplar quotes, the co-occurrence heat
 * map and the thematic map. Everything is computed by core/; this file only
 * lays it out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "map.h"
#include "svg.h"

struct fnode {
	char *id, *name, *kind, *definition;
	int depth;
	struct qda_freq_cell all;
	struct qda_freq_cell *groups;
};

struct report {
	struct cli *cli;
	FILE *fp;
	int html;
	const char *by;
	int quotes;
	struct fnode *nodes;
	size_t n, cap;
	struct qda_freq_group *groups;
	size_t n_groups;
	long cases;
	const struct qda_filter *filter; /* what counts, in every count, quote and figure */
	const char *sat_order;          /* --saturation: the order (import, date, ATTR); NULL: none */
	const char *lang;               /* --lang: quotes in their translation into lang, where there is one */
	int originals;                  /* --originals: then each original in a note */
	struct notes notes;
	long quoted, translated;        /* the quotes written, and how many of them translated */
	enum qda_status st;  /* the first error of core/: the report fails with it */
	int rc;              /* or an exit status whose error is already printed */
};

/* Keep the first error: the report is written only when there is none. */
static void fail(struct report *r, enum qda_status st)
{
	if (st != QDA_OK && r->st == QDA_OK)
		r->st = st;
}

static void esc(struct report *r, const char *s)
{
	if (r->html)
		out_html_escape(r->fp, s);
	else
		out_md_escape(r->fp, s, 0);
}

static int keep_row(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *row)
{
	struct report *r = ctx;
	struct fnode *n;
	size_t i;
	if (!r->groups && res->n_groups) {
		r->groups = xcalloc(res->n_groups, sizeof *r->groups);
		for (i = 0; i < res->n_groups; i++) {
			r->groups[i] = res->groups[i];
			r->groups[i].value = xstrdup(res->groups[i].value);
		}
		r->n_groups = res->n_groups;
	}
	r->cases = res->cases;
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->nodes = xrealloc(r->nodes, r->cap * sizeof *r->nodes);
	}
	n = &r->nodes[r->n++];
	n->id = xstrdup(row->id);
	n->name = xstrdup(row->name);
	n->kind = xstrdup(row->kind);
	n->definition = NULL;
	n->depth = row->depth;
	n->all = row->all;
	n->groups = xcalloc(res->n_groups + 1, sizeof *n->groups);
	memcpy(n->groups, row->groups, res->n_groups * sizeof *n->groups);
	return 0;
}

static int keep_definition(void *ctx, const struct qda_node_row *row)
{
	struct report *r = ctx;
	size_t i;
	for (i = 0; i < r->n; i++)
		if (!strcmp(r->nodes[i].id, row->id))
			r->nodes[i].definition = xstrdup(row->definition);
	return 0;
}

static void group_counts(struct report *r, const struct fnode *n)
{
	size_t g;
	if (!r->n_groups)
		return;
	fputs(" (", r->fp);
	for (g = 0; g < r->n_groups; g++) {
		fprintf(r->fp, "%s", g ? ", " : "");
		esc(r, r->groups[g].value);
		fprintf(r->fp, " %ld/%ld", n->groups[g].cases, r->groups[g].cases);
	}
	fputc(')', r->fp);
}

/* " (translated from fr by X)" and the note's reference (--originals), after a quote's attribution */
static void translated_mark(struct report *r, const struct translated *tr, const char *original)
{
	fputs(" (", r->fp);
	esc(r, tr->mark);
	fputc(')', r->fp);
	if (r->originals)
		notes_ref(&r->notes, r->fp, original, tr->from);
}

static int quote(void *ctx, const struct qda_exemplar_row *q)
{
	struct report *r = ctx;
	struct translated tr;
	enum qda_status st;
	/* the attribution names the speaker: their label does not open the quote,
	 * unless others speak in it too; then the labels stay and the case is named */
	int many = qda_text_many_speakers(q->text);
	const char *who = *q->speaker && !many ? q->speaker : q->case_name;
	const char *text, *original = many ? q->text : q->text + qda_label_length(q->text, q->speaker);
	char lines[64];
	if ((st = translated_get(r->cli->h, r->lang, q->coding_id, &tr)) != QDA_OK) {
		fail(r, st);
		return 1;
	}
	/* a translation keeping the speaker's label loses it as the original does */
	text = !tr.text ? original : many ? tr.text : tr.text + qda_label_length(tr.text, q->speaker);
	r->quoted++;
	r->translated += tr.text != NULL;
	if (q->line_first == q->line_last)
		snprintf(lines, sizeof lines, "line %ld", q->line_first);
	else
		snprintf(lines, sizeof lines, "lines %ld–%ld", q->line_first, q->line_last);
	if (r->html) {
		if (tr.text) {
			fputs("<blockquote lang=\"", r->fp);
			esc(r, r->lang);
			fputs("\"><p>", r->fp);
		} else {
			fputs("<blockquote><p>", r->fp);
		}
		esc(r, text);
		fputs("</p><footer>— ", r->fp);
		esc(r, who);
		fputs(" (", r->fp);
		esc(r, q->case_name);
		if (*q->role) {
			fputs(", ", r->fp);
			esc(r, q->role);
		}
		fputs("), ", r->fp);
		esc(r, q->doc);
		fprintf(r->fp, ", %s", lines);
		if (tr.text)
			translated_mark(r, &tr, original);
		fputs("</footer></blockquote>\n", r->fp);
		if (*q->memo) {
			fputs("<p class=\"memo\"><em>Coder's memo (", r->fp);
			esc(r, q->coder);
			fputs("):</em> ", r->fp);
			esc(r, q->memo);
			fputs("</p>\n", r->fp);
		}
	} else {
		const char *p = text;
		/* every line of the extract stays inside the quote */
		fputs("> ", r->fp);
		for (; *p; p++) {
			char one[2] = { *p, 0 };
			esc(r, one);
			if (*p == '\n')
				fputs("> ", r->fp);
		}
		fputs("\n>\n> — ", r->fp);
		esc(r, who);
		fputs(" (", r->fp);
		esc(r, q->case_name);
		fputs(*q->role ? ", " : "", r->fp);
		esc(r, q->role);
		fputs("), ", r->fp);
		esc(r, q->doc);
		fprintf(r->fp, ", %s", lines);
		if (tr.text)
			translated_mark(r, &tr, original);
		fputs("\n\n", r->fp);
		/* the coder's memo, outside the quote */
		if (*q->memo) {
			fputs("*Coder's memo (", r->fp);
			esc(r, q->coder);
			fputs("):* ", r->fp);
			for (p = q->memo; *p;) {
				size_t len = strcspn(p, "\n");
				char *line = xasprintf("%.*s", (int)len, p);
				fputs(p == q->memo ? "" : " / ", r->fp);
				esc(r, line);
				free(line);
				p += len + (p[len] == '\n');
			}
			fputs("\n\n", r->fp);
		}
	}
	translated_free(&tr);
	return 0;
}

/* The originals of a section's translated quotes, as notes at its end. */
static void section_notes(struct report *r)
{
	if (!r->notes.n)
		return;
	notes_write(&r->notes, r->fp);
	if (!r->html)
		fputc('\n', r->fp);
}

/* An SVG made by fn, inlined without its XML prologue. 0, or the exit
 * status of fn's error (printed), and then nothing is inlined. */
static int inline_svg(struct report *r, int (*fn)(struct report *, FILE *))
{
	char *buf = NULL, *p;
	size_t len = 0;
	int rc;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		die_nomem();
	rc = fn(r, mem);
	fclose(mem);
	p = buf && !rc ? strstr(buf, "<svg") : NULL;
	if (p)
		fputs(p, r->fp);
	free(buf);
	return rc;
}

static int svg_freq(struct report *r, FILE *fp)
{
	struct qda_freq_opts fo = { 0 };
	struct out *o = out_new(OUT_SVG, fp);
	fo.level = QDA_LEVEL_THEME;
	fo.by = r->by;
	fo.filter = *r->filter;
	fail(r, freq_write(r->cli->h, o, &fo, FREQ_CASES, 1, 1));
	free(o);
	return 0;
}

static int svg_cooccur(struct report *r, FILE *fp)
{
	struct qda_cooccur_opts co = { 0 };
	struct qda_cooccur *c = NULL;
	enum qda_status st;
	co.level = QDA_LEVEL_SUBTHEME;
	co.filter = *r->filter;
	fail(r, st = qda_cooccur(r->cli->h, &co, &c));
	if (st == QDA_OK && c->n) {
		double *v = xcalloc(c->n * c->n, sizeof *v);
		char **t = xcalloc(c->n * c->n, sizeof *t);
		size_t i;
		for (i = 0; i < c->n * c->n; i++) {
			char b[24];
			v[i] = (double)c->n12[i];
			snprintf(b, sizeof b, "%ld", c->n12[i]);
			t[i] = xstrdup(b);
		}
		svg_heatmap(fp, "Sub-themes applied to the same passages", c->n, (const char *const *)c->ids, v,
		            (const char *const *)t);
		for (i = 0; i < c->n * c->n; i++)
			free(t[i]);
		free(t);
		free(v);
	}
	qda_cooccur_free(c);
	return 0;
}

static int svg_map(struct report *r, FILE *fp)
{
	int rc = map_render(r->cli, fp, "svg", QDA_LEVEL_SUBTHEME, 0.2, 0, r->filter);
	if (rc && !r->rc)
		r->rc = rc;
	return rc;
}

static const char css[] =
	"body{font-family:Georgia,'Times New Roman',serif;max-width:52em;margin:2em auto;padding:0 1em;color:#222;line-height:1.5}"
	"h1,h2,h3{font-family:Helvetica,Arial,sans-serif;color:#1f3b5a}h1{border-bottom:3px solid #4e79a7;padding-bottom:.2em}"
	"h2{margin-top:2em;border-bottom:1px solid #ccc}table.qda{border-collapse:collapse;margin:1em 0;font-family:Helvetica,Arial,sans-serif;font-size:.9em}"
	"table.qda th,table.qda td{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:left}table.qda th{border-bottom:2px solid #444}"
	"table.qda .n{text-align:right}blockquote{margin:1em 0 1em 1em;padding:.5em 1em;border-left:4px solid #4e79a7;background:#f5f7fa}"
	"blockquote footer{font-size:.85em;color:#555;margin-top:.3em}.definition{font-style:italic}.counts{color:#444}"
	"ol.originals{font-size:.85em;color:#555}.facts li{margin:.2em 0}figure{margin:1.5em 0;overflow-x:auto}figcaption{font-size:.85em;color:#555}svg{max-width:100%;height:auto}"
	"@media print{body{max-width:none;margin:0}h2{page-break-before:auto}blockquote,figure,table{page-break-inside:avoid}}";

static void heading(struct report *r, int level, const char *text)
{
	if (r->html) {
		fprintf(r->fp, "<h%d>", level);
		esc(r, text);
		fprintf(r->fp, "</h%d>\n", level);
	} else {
		fprintf(r->fp, "\n%.*s ", level, "######");
		esc(r, text);
		fputs("\n\n", r->fp);
	}
}

/* Agreement rows kept for the methods: each theme's overall kappa. */
struct agree_acc {
	struct report *r;
	int n;
};

static int agree_theme(void *ctx, const struct qda_agree_row *row)
{
	struct agree_acc *a = ctx;
	if (row->doc || row->depth != 1)
		return 0;
	fputs(a->n++ ? ", " : "", a->r->fp);
	esc(a->r, row->name);
	fprintf(a->r->fp, " %.2f", qda_agree_kappa(&row->c));
	return 0;
}

/* A word for the shell (malloc'd): as it is when every byte is one of
 * [A-Za-z0-9_./:=@%+,-], else in single quotes with each ' as '\'', which
 * any POSIX shell reads back as the word ("qda agree --coders 'alice,Marie
 * Dupont'"). The comma stays bare (as Python's shlex.quote leaves it): no
 * shell gives it a meaning outside braces, which are quoted. */
static char *shell_word(const char *s)
{
	const char *p;
	char *q, *o;
	for (p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      strchr("_./:=@%+,-", c)))
			break;
	}
	if (*s && !*p)
		return xstrdup(s);
	o = q = xmalloc(4 * strlen(s) + 3);
	*o++ = '\'';
	for (p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = '\0';
	return q;
}

/* A command to paste, as code: HTML's <code>, or a Markdown code span, whose
 * text is read as it is (no \' escape, no $ math, no emphasis), its fence
 * longer than any run of backticks in it. In Markdown < and > are entities,
 * as everywhere in qda's Markdown: no raw HTML reaches a renderer. */
static void command(struct report *r, const char *cmd)
{
	size_t run = 0, longest = 0, i;
	const char *p;
	if (r->html) {
		fputs("<code>", r->fp);
		esc(r, cmd);
		fputs("</code>", r->fp);
		return;
	}
	for (p = cmd; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (i = 0; i <= longest; i++)
		fputc('`', r->fp);
	out_md_escape(r->fp, cmd, 0);
	for (i = 0; i <= longest; i++)
		fputc('`', r->fp);
}

/* "Details: " and the command: its words, the last one quoted for the shell */
static void details(struct report *r, const char *words, const char *last)
{
	char *w = last ? shell_word(last) : NULL;
	char *cmd = xasprintf("%s%s%s", words, w ? " " : "", w ? w : "");
	fputs(". Details: ", r->fp);
	command(r, cmd);
	free(cmd);
	free(w);
}

/* The two coders' agreement on the documents both coded, per theme, when
 * there are two coders. */
static void agreement(struct report *r, struct qda *h, const struct qda_report_facts *f)
{
	const char *names[2];
	char *themes = NULL, *both = NULL;
	struct qda_agree_opts o = {0};
	struct qda_agree_summary sum = {0};
	struct agree_acc acc = {r, 0};
	size_t len = 0;
	FILE *fp = r->fp, *mem;
	enum qda_status st;
	if (f->n_by_coder != 2)
		return;
	names[0] = f->by_coder[0].name;
	names[1] = f->by_coder[1].name;
	o.coders = names;
	o.n_coders = 2;
	o.unit = QDA_AGREE_CHAR;
	o.filter = *r->filter;
	/* the themes' figures are written aside: nothing shows when there is nothing to compare */
	if (!(mem = open_memstream(&themes, &len)))
		die_nomem();
	r->fp = mem;
	st = qda_agree(h, &o, agree_theme, &acc, &sum);
	r->fp = fp;
	fclose(mem);
	fail(r, st);
	if (st == QDA_OK && sum.docs > 0 && acc.n > 0) {
		fputs("Agreement: ", fp);
		esc(r, names[0]);
		fputs(" and ", fp);
		esc(r, names[1]);
		fprintf(fp, " both coded %ld document%s; Cohen's kappa per theme at the character level, pooled over "
		        "those documents (NVivo's coding comparison: the characters of every document compared are "
		        "counted together, then one kappa is computed)%s: %s",
		        sum.docs, sum.docs == 1 ? "" : "s",
		        r->filter->coder ? ", under the filters below but for the coder" : "", themes);
		both = xasprintf("%s,%s", names[0], names[1]);
		details(r, "qda agree --coders", both);
		free(both);
		fputs(r->html ? ".</li>\n<li>" : ".\n- ", fp);
	} else if (st == QDA_OK) {
		/* say why there is no figure rather than leave it out unsaid */
		fputs("Agreement: not computed: ", fp);
		esc(r, names[0]);
		fputs(" and ", fp);
		esc(r, names[1]);
		fputs(sum.docs > 0 ? " coded no theme in the documents they both coded" : " coded no document in common",
		      fp);
		fputs(r->filter->n_where || r->filter->no_auto || r->filter->review ? " under the filters below" : "", fp);
		fputs(r->html ? ".</li>\n<li>" : ".\n- ", fp);
	}
	free(themes);
}

/* Code saturation with qda saturation's defaults, under the report's
 * filters, when asked (--saturation). */
static void saturation(struct report *r)
{
	struct qda_saturation_opts o = { 0 };
	struct qda_saturation *s = NULL;
	enum qda_status st;
	char *verdict;
	o.level = QDA_LEVEL_CODE;
	o.base = 4;
	o.run = 2;
	o.threshold = 5;
	o.filter = *r->filter;
	if (!strcmp(r->sat_order, "import"))
		o.order = QDA_SAT_IMPORT;
	else if (!strcmp(r->sat_order, "date"))
		o.order = QDA_SAT_DATE;
	else {
		o.order = QDA_SAT_ATTR;
		o.attr = strncmp(r->sat_order, "attr:", 5) ? r->sat_order : r->sat_order + 5;
	}
	fail(r, st = qda_saturation(r->cli->h, &o, &s));
	if (st != QDA_OK)
		return;
	verdict = saturation_sentence(s, &o);
	esc(r, "Code saturation (Guest, Namey & Chen 2020): the documents coded, ");
	if (o.order == QDA_SAT_IMPORT)
		fputs("in the order they were imported", r->fp);
	else if (o.order == QDA_SAT_DATE)
		fputs("in the order of their first coding", r->fp);
	else {
		fputs("in the order of their case's ", r->fp);
		esc(r, o.attr);
		if (s->no_key)
			fprintf(r->fp, " (%ld without one, last)", s->no_key);
	}
	fputs(", each bringing the codes first coded in it; with a base of 4 documents, runs of 2 and a "
	      "new-information threshold of 5% of the base's codes, ", r->fp);
	esc(r, verdict);
	if (o.order != QDA_SAT_IMPORT)
		details(r, "qda saturation --order", r->sat_order);
	else
		details(r, "qda saturation", NULL);
	fputs(r->html ? ".</li>\n<li>" : ".\n- ", r->fp);
	free(verdict);
	qda_saturation_free(s);
}

/* How the quotes were translated (--lang), when there are quotes. */
static void translations(struct report *r)
{
	fputs("Quotes: given in ", r->fp);
	esc(r, r->lang);
	fputs(" where a translation into ", r->fp);
	esc(r, r->lang);
	fprintf(r->fp, " exists (qda translate), each marked with its source language and translator (%ld of the %ld "
	        "quoted)%s; the others in the original", r->translated, r->quoted,
	        r->originals ? ", the original in a note" : "");
	fputs(r->html ? ".</li>\n<li>" : ".\n- ", r->fp);
}

/* The rules the counts follow, as sentences for a methods section. */
static void rules(struct report *r)
{
	char *what = qda_filter_describe(r->filter);
	if (!what)
		die_nomem();
	fputs("What counts: ", r->fp);
	esc(r, what);
	free(what);
	if (!r->filter->include_interviewer)
		fputs(" An interviewer's turn runs on over the blank lines after it, up to the next turn.", r->fp);
	fputs(r->html ? "</li>\n<li>" : "\n- ", r->fp);
	fputs("Co-occurrence: two sub-themes co-occur where a passage of one shares at least one character with a "
	      "passage of the other; n12 is the number of such pairs of passages, and the c-coefficient is "
	      "n12 / (n1 + n2 − n12), n1 and n2 being the two sub-themes' passages. A pair is flagged skewed where "
	      "one sub-theme has more than five times the passages of the other (the coefficient is then biased), "
	      "and inflated where n12 exceeds the rarer sub-theme's passages (one passage meets several of the "
	      "other's, and the coefficient may pass 1).", r->fp);
}

static void facts(struct report *r, const struct qda_report_facts *f, const struct qda_report_counted *counted)
{
	char date[32];
	time_t now = time(NULL);
	size_t i;
	strftime(date, sizeof date, "%Y-%m-%d", localtime(&now));
	heading(r, 2, "Methods");
	fputs(r->html ? "<ul class=\"facts\">\n<li>" : "- ", r->fp);
	fprintf(r->fp, "Documents: %ld interview %s (%ld %s; formats: ", f->documents,
	        noun(f->documents, "transcript", "transcripts"), f->words, noun(f->words, "word", "words"));
	for (i = 0; i < f->n_by_format; i++) {
		fputs(i ? ", " : "", r->fp);
		esc(r, f->by_format[i].name);
		fprintf(r->fp, " %ld", f->by_format[i].n);
	}
	fprintf(r->fp, "), %ld %s", f->cases, noun(f->cases, "case", "cases"));
	if (r->n_groups) {
		size_t g;
		fputs(" — ", r->fp);
		for (g = 0; g < r->n_groups; g++) {
			fprintf(r->fp, "%s", g ? ", " : "");
			esc(r, r->groups[g].value);
			fprintf(r->fp, " n=%ld", r->groups[g].cases);
		}
	}
	fputs(r->html ? ".</li>\n<li>" : ".\n- ", r->fp);
	fprintf(r->fp, "Coding: %ld %s by %ld %s", f->codings, noun(f->codings, "coding", "codings"), f->coders,
	        noun(f->coders, "coder", "coders"));
	if (f->n_by_coder) {
		fputs(" (", r->fp);
		for (i = 0; i < f->n_by_coder; i++) {
			fputs(i ? ", " : "", r->fp);
			esc(r, f->by_coder[i].name);
			fprintf(r->fp, " (%ld)", f->by_coder[i].n);
		}
		fputc(')', r->fp);
	}
	fprintf(r->fp, "; %ld of them, in %ld document%s, counted under the rules below", counted->codings,
	        counted->documents, counted->documents == 1 ? "" : "s");
	fputs(r->html ? ".</li>\n<li>" : ".\n- ", r->fp);
	fprintf(r->fp, "Codebook: %ld %s, %ld %s, %ld %s", f->themes, noun(f->themes, "theme", "themes"), f->subthemes,
	        noun(f->subthemes, "sub-theme", "sub-themes"), f->codes, noun(f->codes, "code", "codes"));
	if (f->codebook_version) {
		fprintf(r->fp, "; version %ld of ", f->codebook_version);
		esc(r, f->codebook_date);
	}
	fputs(r->html ? ".</li>\n<li>" : ".\n- ", r->fp);
	fprintf(r->fp, "Peer review: %ld %s reviewed; %ld accepted, %ld disputed, %ld revised.", f->reviewed,
	        noun(f->reviewed, "coding", "codings"), f->accepted, f->disputed, f->revised);
	fputs(r->html ? "</li>\n<li>" : "\n- ", r->fp);
	agreement(r, r->cli->h, f);
	if (r->sat_order)
		saturation(r);
	if (r->lang && r->quoted)
		translations(r);
	rules(r);
	fprintf(r->fp, r->html ? "</li>\n</ul>\n<p class=\"counts\">Report made by qda %s on %s.</p>\n"
	                       : "\n\n*Report made by qda %s on %s.*\n",
	        QDA_VERSION, date);
}

static void theme_section(struct report *r, size_t i)
{
	struct fnode *t = &r->nodes[i];
	size_t j;
	heading(r, 2, t->name);
	if (t->definition && *t->definition) {
		fputs(r->html ? "<p class=\"definition\">" : "*", r->fp);
		esc(r, t->definition);
		fputs(r->html ? "</p>\n" : "*\n\n", r->fp);
	}
	fputs(r->html ? "<p class=\"counts\">" : "", r->fp);
	fprintf(r->fp, "%ld passage%s in %ld document%s; %ld of %ld cases", t->all.segments,
	        t->all.segments == 1 ? "" : "s", t->all.documents, t->all.documents == 1 ? "" : "s", t->all.cases, r->cases);
	group_counts(r, t);
	fputs(r->html ? ".</p>\n" : ".\n\n", r->fp);
	if (r->html)
		fputs("<ul>\n", r->fp);
	for (j = i + 1; j < r->n && r->nodes[j].depth > 1; j++) {
		struct fnode *s = &r->nodes[j];
		if (s->depth != 2)
			continue;
		fputs(r->html ? "<li><strong>" : "- **", r->fp);
		esc(r, s->name);
		fputs(r->html ? "</strong>" : "**", r->fp);
		fprintf(r->fp, " (%ld passage%s, %ld case%s)", s->all.segments, s->all.segments == 1 ? "" : "s",
		        s->all.cases, s->all.cases == 1 ? "" : "s");
		if (s->definition && *s->definition) {
			fputs(": ", r->fp);
			esc(r, s->definition);
		}
		fputs(r->html ? "</li>\n" : "\n", r->fp);
	}
	fputs(r->html ? "</ul>\n" : "\n", r->fp);
	fail(r, qda_exemplars(r->cli->h, t->id, r->quotes, r->filter, quote, r));
	section_notes(r);
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda report [--format md|html] [-o FILE] [--by ATTR] [--quotes N] [--title TEXT] [--audit]\n"
		"                  [--saturation] [--saturation-order ORDER] [--lang L [--originals]]\n"
		"                  [--coder NAME] [--no-auto] [--review STATE] [--where KEY=V[,V]]...\n"
		"                  [--include-interviewer]",
		"The analysis report (phase 6): methods facts, theme frequencies by group, per theme its\n"
		"definition, sub-themes, counts and exemplar quotes with pseudonym and role, and (HTML) the\n"
		"frequency chart, the co-occurrence heat map and the thematic map inline.",
		"Counting follows the rules of qda freq and qda cooccur, and the filters (--coder, --no-auto,\n"
		"--review, --where, --include-interviewer) hold for every count, figure, quote and the\n"
		"agreement (which compares the two coders whatever --coder): the methods section states\n"
		"them in sentences to paste. Its Documents, Coding and Peer review facts are counts of the\n"
		"record (every document, every coding not removed, every review), then how many codings\n"
		"the rules count. Passages are maximal runs of coded text (touching codings joined).\n"
		"Exemplars are the codings chosen with 'qda exemplar add ID', else the most-coded passages,\n"
		"among the codings the filters keep. HTML is one self-contained file that prints well.\n"
		"--saturation adds to the methods the code saturation of qda saturation with its defaults\n"
		"(codes, base 4, runs of 2, threshold 5%) under the report's filters, the documents in import\n"
		"order, or in --saturation-order's (date, or a case attribute such as an interview date);\n"
		"only when asked, as the order the documents were collected in is the researcher's to give.\n"
		"--audit appends the audit trail (qda log) by Braun & Clarke's phase: per phase the changes,\n"
		"those undone, the coders' counts and the first and last dates, then each change (when, who,\n"
		"the command, what changed; an undone one marked 'undone by log N').\n"
		"--lang L quotes each exemplar in its translation into L where it has one (qda translate),\n"
		"marked '(translated from fr by X)' after its attribution (fr: the document's language);\n"
		"the others stay in the original, unmarked, and the methods say how many were translated.\n"
		"--originals puts each translated quote's original in a note at the end of its theme's\n"
		"section: a footnote ([^1]) in Markdown, a numbered note linked both ways in HTML.\n"
		"-o FILE.html implies --format html.",
	};
	const char *by = NULL, *title = NULL;
	struct filter_args fa = { 0 };
	struct qda_filter filter;
	long quotes = 3;
	int audit = 0, sat = 0, originals = 0;
	const char *sat_order = NULL, *lang = NULL;
	const struct opt opts[] = {
		OPT_STRING("by", 'b', &by, "ATTR", "the case attribute of the groups (default role, when cases have one)"),
		OPT_BOOL("audit", 0, &audit, "append the audit trail by phase (who did what, when)"),
		OPT_BOOL("saturation", 0, &sat, "state code saturation in the methods (import order)"),
		OPT_STRING("saturation-order", 0, &sat_order, "ORDER", "the same, documents in this order: date or a case attribute"),
		OPT_INT("quotes", 'q', &quotes, "N", "exemplar quotes per theme (default 3)"),
		OPT_STRING("title", 't', &title, "TEXT", "the report's title (default the codebook's)"),
		OPT_TRANSLATED(&lang, &originals),
		OPT_FILTERS(&fa),
		OPT_END(),
	};
	struct report r = { 0 };
	struct qda_report_counted counted = { 0 };
	struct qda_report_facts f = { 0 };
	struct qda_freq_opts fo = { 0 };
	struct out *o, *table;
	enum qda_status st;
	char *body = NULL, *sections = NULL;
	size_t i, body_len = 0, sections_len = 0;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0) {
		filter_args_free(&fa);
		return n == -1 ? 0 : 2;
	}
	if (n > 0 || (rc = filter_args_get(cli, &fa, &filter)) || (rc = translated_args(cli, lang, originals))) {
		filter_args_free(&fa);
		return n > 0 ? usage_error(cli, "unexpected argument '%s'", argv[0]) : rc;
	}
	if (!cli->format && cli->output && strlen(cli->output) > 5 &&
	    !strcmp(cli->output + strlen(cli->output) - 5, ".html"))
		cli->format = "html";
	if (!cli->format)
		cli->format = "md";
	if ((rc = cli_open(cli, OPEN_NONE)) || !(o = out_open(cli, (1u << OUT_MD) | (1u << OUT_HTML), &rc))) {
		filter_args_free(&fa);
		return rc;
	}
	r.cli = cli;
	r.filter = &filter;
	r.sat_order = sat_order ? sat_order : sat ? "import" : NULL;
	r.html = o->fmt == OUT_HTML;
	r.quotes = quotes < 0 ? 0 : (int)quotes;
	r.lang = lang;
	r.originals = originals;
	r.notes.style = r.html ? NOTES_HTML : NOTES_MD;
	if (!by) {
		char **keys;
		size_t nk, k;
		if ((st = qda_case_keys(cli->h, &keys, &nk)) != QDA_OK)
			goto done;
		for (k = 0; k < nk; k++)
			if (!strcmp(keys[k], "role"))
				by = "role";
		qda_strv_free(keys, nk);
	}
	r.by = by;
	if ((st = qda_report_facts(cli->h, &f)) != QDA_OK || (st = qda_report_counted(cli->h, &filter, &counted)) != QDA_OK)
		goto done;
	fo.level = QDA_LEVEL_ALL;
	fo.by = by;
	fo.filter = filter;
	if ((st = qda_freq(cli->h, &fo, keep_row, &r)) == QDA_OK)
		st = qda_nodes(cli->h, keep_definition, &r);
	if (st != QDA_OK)
		goto done;
	if (!title)
		title = f.title;
	/* the themes' sections first, aside: the methods count their quotes */
	if (!(r.fp = open_memstream(&sections, &sections_len)))
		die_nomem();
	for (i = 0; i < r.n; i++)
		if (r.nodes[i].depth == 1)
			theme_section(&r, i);
	if (fclose(r.fp) != 0)
		die_nomem();
	/* the report is made aside and written whole: an error leaves no half report */
	if (!(r.fp = open_memstream(&body, &body_len)))
		die_nomem();
	if (r.html) {
		fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", r.fp);
		esc(&r, title);
		fprintf(r.fp, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
	}
	heading(&r, 1, title);
	if (*f.description) {
		fputs(r.html ? "<p>" : "", r.fp);
		esc(&r, f.description);
		fputs(r.html ? "</p>\n" : "\n", r.fp);
	}
	facts(&r, &f, &counted);
	heading(&r, 2, by ? "Theme frequencies by group" : "Theme frequencies");
	fo.level = QDA_LEVEL_THEME;
	table = out_new(r.html ? OUT_HTML : OUT_MD, r.fp);
	fail(&r, freq_write(cli->h, table, &fo, FREQ_CASES, 1, 1));
	free(table);
	if (r.html) {
		fputs("<figure>", r.fp);
		inline_svg(&r, svg_freq);
		fputs("<figcaption>Cases coded per theme, as a share of each group.</figcaption></figure>\n", r.fp);
	}
	fwrite(sections, 1, sections_len, r.fp);
	if (r.html) {
		heading(&r, 2, "How the themes relate");
		fputs("<figure>", r.fp);
		inline_svg(&r, svg_cooccur);
		fputs("<figcaption>Co-occurrence: pairs of passages, one of each sub-theme, that share a character."
		      "</figcaption></figure>\n<figure>", r.fp);
		/* a map that cannot be drawn fails the report: no report without it */
		inline_svg(&r, svg_map);
		fputs("<figcaption>Thematic map: themes, sub-themes, and dashed edges where sub-themes often apply to "
		      "the same passages (c-coefficient ≥ 0.2).</figcaption></figure>\n",
		      r.fp);
		if (audit)
			fail(&r, report_audit(cli->h, r.fp, 1));
		fputs("</body>\n</html>\n", r.fp);
	} else {
		struct qda_cooccur_opts co = { 0 };
		struct qda_cooccur *c = NULL;
		heading(&r, 2, "How the themes relate");
		co.level = QDA_LEVEL_SUBTHEME;
		co.filter = filter;
		fail(&r, st = qda_cooccur(cli->h, &co, &c));
		if (st == QDA_OK) {
			size_t a, b, shown = 0;
			fputs("Sub-themes most often applied to the same passages (c-coefficient of at least 0.2):\n\n", r.fp);
			fputs("| sub-theme | sub-theme | pairs of passages | c | flag |\n| --- | --- | ---: | ---: | --- |\n",
			      r.fp);
			for (a = 0; a < c->n; a++)
				for (b = a + 1; b < c->n && shown < 10; b++)
					if (qda_cooccur_c(c, a, b) >= 0.2) {
						int skewed = qda_cooccur_skewed(c, a, b), inflated = qda_cooccur_inflated(c, a, b);
						fprintf(r.fp, "| %s | %s | %ld | %.2f | %s%s%s |\n", c->ids[a], c->ids[b],
						        c->n12[a * c->n + b], qda_cooccur_c(c, a, b), skewed ? "skewed" : "",
						        skewed && inflated ? ", " : "", inflated ? "inflated" : "");
						shown++;
					}
			if (!shown)
				fputs("| (none at 0.2 or above) | | | | |\n", r.fp);
		}
		qda_cooccur_free(c);
		if (audit)
			fail(&r, report_audit(cli->h, r.fp, 0));
	}
	if (fclose(r.fp) != 0)
		die_nomem();
	r.fp = NULL;
	st = r.st;
	if (st == QDA_OK && !r.rc)
		fwrite(body, 1, body_len, o->fp);
done:
	free(body);
	free(sections);
	notes_free(&r.notes);
	for (i = 0; i < r.n; i++) {
		free(r.nodes[i].id);
		free(r.nodes[i].name);
		free(r.nodes[i].kind);
		free(r.nodes[i].definition);
		free(r.nodes[i].groups);
	}
	free(r.nodes);
	for (i = 0; i < r.n_groups; i++)
		free((char *)r.groups[i].value);
	free(r.groups);
	qda_report_facts_free(&f);
	filter_args_free(&fa);
	rc = out_close(cli, o, st != QDA_OK || r.rc);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return r.rc ? r.rc : rc;
}

static const struct col exemplar_cols[] = {
	{ "theme", COL_STR }, { "coding_id", COL_INT }, { "document", COL_STR }, { "case", COL_STR },
	{ "speaker", COL_STR }, { "role", COL_STR }, { "code", COL_STR }, { "coder", COL_STR },
	{ "line_first", COL_INT }, { "line_last", COL_INT }, { "chosen", COL_STR }, { "text", COL_STR },
	{ "translated", COL_STR }, { "original", COL_STR },
};

/* qda exemplar list: every theme's quotes (theme set to each in turn), or
 * one code's; as the report shows them, or as rows */
struct exemplars {
	struct cli *cli;
	struct out *o;
	struct report *r;
	long quotes;
	int all;             /* every theme: a theme column first */
	const char *theme;
	enum qda_status st;
	long shown;
	struct col cols[14]; /* the table's (the output keeps a pointer to them) */
};

/* The columns: theme (every theme's), the exemplar's, then translated
 * (--lang) and original (--originals). */
static void exemplar_begin(struct exemplars *a)
{
	size_t first = a->all ? 0 : 1, n = 12 - first;
	memcpy(a->cols, exemplar_cols + first, n * sizeof *a->cols);
	if (a->r->lang)
		a->cols[n++] = exemplar_cols[12];
	if (a->r->originals)
		a->cols[n++] = exemplar_cols[13];
	out_begin(a->o, a->cols, n);
}

static int exemplar_row(void *ctx, const struct qda_exemplar_row *q)
{
	struct exemplars *a = ctx;
	struct translated tr;
	char id[32], l1[16], l2[16];
	const char *v[14];
	size_t k = 0;
	if ((a->st = translated_get(a->cli->h, a->r->lang, q->coding_id, &tr)) != QDA_OK)
		return 1;
	snprintf(id, sizeof id, "%lld", q->coding_id);
	snprintf(l1, sizeof l1, "%ld", q->line_first);
	snprintf(l2, sizeof l2, "%ld", q->line_last);
	if (a->all)
		v[k++] = a->theme;
	v[k++] = id;
	v[k++] = q->doc;
	v[k++] = q->case_name;
	v[k++] = q->speaker;
	v[k++] = q->role;
	v[k++] = q->code;
	v[k++] = q->coder;
	v[k++] = l1;
	v[k++] = l2;
	v[k++] = q->chosen ? "yes" : "no";
	v[k++] = tr.text ? tr.text : q->text;
	if (a->r->lang)
		v[k++] = tr.text ? "yes" : "no";
	if (a->r->originals)
		v[k++] = tr.text ? q->text : NULL;
	out_row(a->o, v);
	translated_free(&tr);
	return 0;
}

static int quote_counted(void *ctx, const struct qda_exemplar_row *q)
{
	struct exemplars *a = ctx;
	a->shown++;
	return quote(a->r, q);
}

/* One theme's quotes as the report shows them, its notes after them. */
static enum qda_status exemplar_quotes(struct exemplars *a, const char *node)
{
	enum qda_status st;
	a->shown = 0;
	st = qda_exemplars(a->cli->h, node, (int)a->quotes, NULL, quote_counted, a);
	if (st == QDA_OK)
		st = a->r->st;
	if (st == QDA_OK)
		section_notes(a->r);
	return st;
}

static int each_theme(void *ctx, const struct qda_node_row *n)
{
	struct exemplars *a = ctx;
	if (n->depth != 1)
		return 0;
	a->theme = n->id;
	if (a->o->fmt == OUT_TEXT || a->o->fmt == OUT_MD) {
		fputs("## ", a->o->fp);
		if (a->o->fmt == OUT_MD) {
			out_md_escape(a->o->fp, n->name, 0);
			fputs(" (", a->o->fp);
			out_md_escape(a->o->fp, n->id, 0);
		} else {
			fprintf(a->o->fp, "%s (%s", n->name, n->id);
		}
		fputs(")\n\n", a->o->fp);
		a->st = exemplar_quotes(a, n->id);
		if (a->st == QDA_OK && !a->shown)
			fputs("(no quotes)\n\n", a->o->fp);
	} else {
		enum qda_status st = qda_exemplars(a->cli->h, n->id, (int)a->quotes, NULL, exemplar_row, a);
		if (a->st == QDA_OK)
			a->st = st;
	}
	return a->st != QDA_OK;
}

int cmd_exemplar(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda exemplar add|remove CODING_ID... | qda exemplar list [CODE] [--quotes N] [--lang L [--originals]]",
		"Choose the codings quoted as exemplars of their theme in 'qda report' (add), drop them\n"
		"(remove), or list the exemplars a theme would show (list; without CODE, every theme's).",
		"list prints the quotes as a report without filters shows them; --format csv, tsv or json\n"
		"gives a table (coding_id, document, case, speaker, role, code, coder, line_first, line_last,\n"
		"chosen, text; without CODE a theme column first).\n"
		"--lang L quotes each in its translation into L where it has one (qda translate), marked\n"
		"'(translated from fr by X)' as in the report, and adds a column translated (yes, no);\n"
		"--originals gives each translated quote's original in a note (numbered after the quotes\n"
		"in text, a footnote in md), a column original in csv, tsv and json.",
	};
	long quotes = 3;
	const char *lang = NULL;
	int originals = 0;
	const struct opt opts[] = {
		OPT_INT("quotes", 'q', &quotes, "N", "list: how many exemplars (default 3, as the report)"),
		OPT_TRANSLATED(&lang, &originals),
		OPT_END(),
	};
	enum qda_status st = QDA_OK;
	int i, rc, n = opts_parse(cli, &u, opts, argc, argv);
	int remove;

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n < 1 || (strcmp(argv[0], "add") && strcmp(argv[0], "remove") && strcmp(argv[0], "list")) ||
	    (n < 2 && strcmp(argv[0], "list")))
		return usage_error(cli, "say add, remove or list, then coding ids (or a code for list)");
	if (!strcmp(argv[0], "list")) {
		struct report r = { 0 };
		struct exemplars a = { 0 };
		int human;
		if (n > 2)
			return usage_error(cli, "list takes one code or theme, or none for every theme");
		if ((rc = translated_args(cli, lang, originals)))
			return rc;
		if ((rc = cli_open(cli, OPEN_READ)))
			return rc;
		if (!(a.o = out_open(cli, OUT_LISTING, &rc)))
			return rc;
		human = a.o->fmt == OUT_TEXT || a.o->fmt == OUT_MD;
		r.cli = cli;
		r.fp = a.o->fp;
		r.lang = lang;
		r.originals = originals;
		r.notes.style = a.o->fmt == OUT_MD ? NOTES_MD : NOTES_TEXT;
		a.cli = cli;
		a.r = &r;
		a.quotes = quotes;
		a.all = n == 1;
		if (!human)
			exemplar_begin(&a);
		if (a.all) {
			st = qda_nodes(cli->h, each_theme, &a);
			if (st == QDA_OK)
				st = a.st;
		} else if (human) {
			/* quotes as the report shows them */
			st = exemplar_quotes(&a, argv[1]);
		} else {
			st = qda_exemplars(cli->h, argv[1], quotes, NULL, exemplar_row, &a);
			if (st == QDA_OK)
				st = a.st;
		}
		if (!human) {
			if (st != QDA_OK)
				out_fail(a.o);
			out_end(a.o);
		}
		notes_free(&r.notes);
		rc = out_close(cli, a.o, st != QDA_OK);
		return st != QDA_OK ? cli_fail(cli, st) : rc;
	}
	if (lang || originals)
		return usage_error(cli, "--lang and --originals go with exemplar list");
	remove = !strcmp(argv[0], "remove");
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	for (i = 1; i < n && st == QDA_OK; i++) {
		char *end;
		long long id = strtoll(argv[i], &end, 10);
		if (end == argv[i] || *end) {
			qda_rollback(cli->h);
			return usage_error(cli, "'%s' is not a coding id", argv[i]);
		}
		st = qda_exemplar_set(cli->h, id, remove);
	}
	if (st == QDA_OK)
		st = qda_commit(cli->h, remove ? "exemplars removed" : "exemplars chosen");
	else
		qda_rollback(cli->h);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("%d exemplar%s %s\n", n - 1, n == 2 ? "" : "s", remove ? "removed" : "chosen");
	return 0;
}
