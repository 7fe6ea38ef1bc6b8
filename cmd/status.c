/* status.c — qda status: where the analysis stands in Braun & Clarke's six
 * phases, from what the project holds, and what to do next. */
#include <stdio.h>

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

int cmd_status(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda status",
		"Where the analysis stands in Braun & Clarke's six phases (familiarisation, initial codes,\n"
		"searching, reviewing, defining and naming themes, the report), and what is next.",
		"With --format csv, tsv, json or md: one row per phase (phase, name, done, detail), then a\n"
		"row 'next' with the step to take.",
	};
	struct qda_report_facts f;
	char buf[512];
	const char *next;
	long themes = 0;
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
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
	snprintf(buf, sizeof buf, "%ld documents (%ld words), %ld cases; %ld memos, %ld journal entries", f.documents,
	         f.words, f.cases, f.memos, f.journal);
	phase(o, 1, "Familiarisation", f.documents > 0, buf);
	snprintf(buf, sizeof buf, "%ld codes; %ld codings (%ld automatic) by %ld coders; %ld of %ld documents coded",
	         f.codes, f.codings, f.auto_codings, f.coders, f.docs_coded, f.documents);
	phase(o, 2, "Generating initial codes", f.codings > 0 && f.docs_coded == f.documents, buf);
	snprintf(buf, sizeof buf, "%ld themes and %ld sub-themes in codebook version %ld", f.themes, f.subthemes,
	         f.codebook_version);
	phase(o, 3, "Searching for themes", themes > 0, buf);
	snprintf(buf, sizeof buf, "%ld codings reviewed (%ld accepted, %ld disputed, %ld revised); %ld nodes reviewed",
	         f.reviewed, f.accepted, f.disputed, f.revised, f.nodes_reviewed);
	phase(o, 4, "Reviewing themes", f.reviewed > 0 && f.disputed == 0 && f.nodes_candidate == 0, buf);
	snprintf(buf, sizeof buf, "%ld of %ld themes and sub-themes defined", f.nodes_defined, themes);
	phase(o, 5, "Defining and naming themes", themes > 0 && f.nodes_defined == themes, buf);
	snprintf(buf, sizeof buf, "%ld exemplar quotes chosen", f.exemplars);
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
