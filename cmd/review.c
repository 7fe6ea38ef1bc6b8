/* review.c — qda review: a co-researcher checks theme assignments, one
 * coding at a time at the terminal (or through stdin), or in a spreadsheet
 * (review export / import); review status counts and lists disputes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static const char *reviewer_of(struct cli *cli, const char *reviewer)
{
	return reviewer && *reviewer ? reviewer : cli_coder(cli);
}

struct session {
	struct cli *cli;
	const char *reviewer;
	long accepted, disputed, suggested, commented, skipped;
	int quit;
	enum qda_status st;
};

static char *ask(const char *prompt)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	fputs(prompt, stdout);
	fflush(stdout);
	n = getline(&line, &cap, stdin);
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static void indent(const char *text, const char *mark)
{
	const char *p = text;
	while (p && *p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		printf("%s%.*s\n", mark, (int)len, p);
		p += len + (nl ? 1 : 0);
	}
}

/* Record one verdict in its own transaction, so quitting keeps what was done. */
static int record(struct session *s, long long id, const char *verdict, const char *comment, const char *code)
{
	struct qda *h = s->cli->h;
	int added = 0;
	enum qda_status st;
	/* the verdict is the reviewer's change: the log and undo say so */
	if ((st = qda_set_coder(h, s->reviewer)) == QDA_OK)
		st = qda_begin(h, s->cli->cmdline);
	if (st == QDA_OK)
		st = qda_review_add(h, id, s->reviewer, verdict, comment, code, &added);
	if (st == QDA_OK) {
		char summary[128];
		snprintf(summary, sizeof summary, "review: coding %lld %s", id, verdict);
		st = qda_commit(h, summary);
	} else {
		qda_rollback(h);
	}
	if (st != QDA_OK) {
		if (st == QDA_ENOTFOUND || st == QDA_EINPUT) {
			fprintf(stderr, "qda review: error: %s\n", qda_errmsg(h));
			return 1; /* ask again */
		}
		s->st = st;
		s->quit = 1;
	}
	return 0;
}

static int show_one(void *ctx, const struct qda_review_item *it)
{
	struct session *s = ctx;
	printf("\n[%ld/%ld] coding %lld · %s (%s) lines %ld-%ld · %s · coder %s · %s%s%s%s · %s\n", it->index, it->total,
	       it->coding_id, it->doc, it->case_name, it->line_first, it->line_last, it->speaker ? it->speaker : "-",
	       it->coder, it->method, *it->rule ? " (" : "", it->rule, *it->rule ? ")" : "", it->state);
	printf("code: %s — %s\n", it->code, it->code_name);
	if (*it->definition)
		printf("definition: %s\n", it->definition);
	if (*it->include)
		printf("include: %s\n", it->include);
	if (*it->exclude)
		printf("exclude: %s\n", it->exclude);
	putchar('\n');
	indent(it->before, "  ");
	indent(it->text, "> ");
	indent(it->after, "  ");
	for (;;) {
		char *key = ask("\n[a]ccept [d]ispute [s]uggest another code [c]omment [k] skip [q]uit > ");
		char *comment = NULL, *code = NULL;
		int again = 0;
		if (!key || key[0] == 'q') {
			free(key);
			s->quit = 1;
			return 1;
		}
		switch (key[0]) {
		case 'a':
			again = record(s, it->coding_id, "accept", NULL, NULL);
			s->accepted += !again;
			break;
		case 'd':
			comment = ask("why? > ");
			again = record(s, it->coding_id, "dispute", comment, NULL);
			s->disputed += !again;
			break;
		case 's':
			code = ask("which code instead? > ");
			if (code && *code && qda_node_check(s->cli->h, code) != QDA_OK) {
				/* said before the comment is asked, so nothing typed is lost */
				fprintf(stderr, "qda review: error: %s\n", qda_errmsg(s->cli->h));
				again = 1;
			} else if (code && *code) {
				comment = ask("why? (optional) > ");
				again = record(s, it->coding_id, "suggest", comment, code);
				s->suggested += !again;
			} else {
				again = 1;
			}
			break;
		case 'c':
			comment = ask("comment > ");
			again = !comment || !*comment || record(s, it->coding_id, "comment", comment, NULL);
			s->commented += !again;
			break;
		case 'k':
		case 'n':
		case '\0':
			s->skipped++;
			break;
		default:
			again = 1;
			printf("keys: a, d, s, c, k or q\n");
		}
		free(key);
		free(comment);
		free(code);
		if (s->quit)
			return 1;
		if (!again)
			return 0;
	}
}

static int review_interactive(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda review [--reviewer NAME] [--code CODE] [--coder NAME] [--auto] [--all] [--context N]",
		"Review codings one at a time: the extract with its context, the code's definition and its\n"
		"inclusion and exclusion criteria; then a key: a accept, d dispute (with a comment), s suggest\n"
		"another code, c comment, k skip, q quit. Each verdict is saved at once; the next session\n"
		"resumes with the codings this reviewer has not reviewed yet.",
		"Verbs: qda review export | import | status | apply (see qda review VERB --help).\n"
		"The reviewer is --reviewer, else --coder or $QDA_CODER. With --reviewer, --coder NAME keeps\n"
		"the codings NAME made (as --by NAME).",
	};
	const char *reviewer = NULL, *code = NULL, *coder = NULL;
	int auto_only = 0, all = 0;
	long context = 1;
	const struct opt opts[] = {
		OPT_STRING("reviewer", 'r', &reviewer, "NAME", "who is reviewing"),
		OPT_STRING("code", 'c', &code, "CODE", "only codings of this code or theme (and below)"),
		OPT_STRING("by", 0, &coder, "NAME", "only codings made by this coder"),
		OPT_BOOL("auto", 'a', &auto_only, "only automatic codings"),
		OPT_BOOL("all", 0, &all, "also codings you have already reviewed"),
		OPT_INT("context", 'C', &context, "N", "lines of context around the extract (default 1)"),
		OPT_END(),
	};
	struct qda_review_opts ro = { 0 };
	struct session s = { 0 };
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	s.reviewer = reviewer_of(cli, reviewer);
	if (!s.reviewer)
		return usage_error(cli, "no reviewer: say who is reviewing with --reviewer NAME (or --coder, $QDA_CODER)");
	/* the reviewer named, --coder says whose codings to review */
	if (reviewer && *reviewer && cli->coder && !coder)
		coder = cli->coder;
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	ro.reviewer = s.reviewer;
	ro.code = code;
	ro.coder = coder;
	ro.auto_only = auto_only;
	ro.all = all;
	ro.context = (int)(context < 0 ? 0 : context);
	s.cli = cli;
	st = qda_review_queue(cli->h, &ro, show_one, &s);
	if (st == QDA_OK)
		st = s.st;
	if (st != QDA_OK)
		return cli_fail(cli, st);
	printf("\n%s: %ld accepted, %ld disputed, %ld suggested, %ld commented, %ld skipped%s\n", s.reviewer, s.accepted,
	       s.disputed, s.suggested, s.commented, s.skipped, s.quit ? " (stopped; run it again to resume)" : "");
	return 0;
}

static const struct col sheet_cols[] = {
	{ "id", COL_INT },        { "document", COL_STR },   { "case", COL_STR },   { "lines", COL_STR },
	{ "speaker", COL_STR },   { "extract", COL_STR },    { "code", COL_STR },   { "code_name", COL_STR },
	{ "definition", COL_STR }, { "coder", COL_STR },     { "method", COL_STR }, { "state", COL_STR },
	{ "verdict", COL_STR },   { "comment", COL_STR },    { "suggested_code", COL_STR },
};

static int sheet_row(void *ctx, const struct qda_review_item *it)
{
	char id[24], lines[48];
	const char *v[15];
	snprintf(id, sizeof id, "%lld", it->coding_id);
	snprintf(lines, sizeof lines, "%ld-%ld", it->line_first, it->line_last);
	v[0] = id;
	v[1] = it->doc;
	v[2] = it->case_name;
	v[3] = lines;
	v[4] = it->speaker;
	v[5] = it->text;
	v[6] = it->code;
	v[7] = it->code_name;
	v[8] = it->definition;
	v[9] = it->coder;
	v[10] = it->method;
	v[11] = it->state;
	v[12] = v[13] = v[14] = "";
	out_row(ctx, v);
	return 0;
}

static void row_error(void *ctx, const char *loc, const char *msg)
{
	struct cli *cli = ctx;
	fprintf(stderr, "qda %s: %s: error: %s\n", cli->cmdname, loc, msg);
}

static int review_export(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda review export [-o SHEET.csv] [--code CODE] [--coder NAME] [--auto] [--reviewer NAME] [--no-bom]",
		"Write a review sheet: one row per coding with its extract, code, definition and coder, and\n"
		"empty verdict, comment and suggested_code columns for the reviewer to fill in a spreadsheet.",
		"The CSV is UTF-8 with a byte-order mark, so LibreOffice and Excel show accents right (LibreOffice:\n"
		"choose 'Unicode (UTF-8)' and comma as separator if it asks). Verdicts: accept, dispute,\n"
		"suggest (with suggested_code), comment. Read it back with 'qda review import SHEET.csv'.\n"
		"With --reviewer, codings that reviewer has already reviewed are left out. --coder NAME (or\n"
		"--by NAME) keeps the codings NAME made.",
	};
	const char *reviewer = NULL, *code = NULL, *coder = NULL;
	int auto_only = 0, no_bom = 0;
	const struct opt opts[] = {
		OPT_STRING("code", 'c', &code, "CODE", "only codings of this code or theme (and below)"),
		OPT_STRING("by", 0, &coder, "NAME", "only codings made by this coder"),
		OPT_BOOL("auto", 'a', &auto_only, "only automatic codings"),
		OPT_STRING("reviewer", 'r', &reviewer, "NAME", "leave out codings this reviewer has reviewed"),
		OPT_BOOL("no-bom", 0, &no_bom, "no UTF-8 byte-order mark"),
		OPT_END(),
	};
	struct qda_review_opts ro = { 0 };
	struct out *o;
	enum qda_status st;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if (!cli->format)
		cli->format = "csv";
	if ((rc = cli_open(cli, OPEN_READ)) || !(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if (o->fmt == OUT_CSV && !no_bom)
		fputs("\xEF\xBB\xBF", o->fp);
	ro.reviewer = reviewer;
	ro.all = reviewer == NULL;
	ro.code = code;
	ro.coder = coder ? coder : cli->coder; /* --coder: whose codings go in the sheet */
	ro.auto_only = auto_only;
	out_begin(o, sheet_cols, sizeof sheet_cols / sizeof sheet_cols[0]);
	st = qda_review_queue(cli->h, &ro, sheet_row, o);
	return out_finish(cli, o, st);
}

static int review_import(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda review import SHEET.csv [--reviewer NAME] [--delimiter SEP]",
		"Record the verdicts of a filled review sheet. Every row is checked first; bad verdicts,\n"
		"unknown codings or codes are reported with their line and nothing is recorded. Importing the\n"
		"same sheet again records nothing new. Rows with an empty verdict are left alone.",
		"The sheet is read strictly: a cell holding a comma, a quote or a line break is written in\n"
		"quotes, its quotes doubled; a row with more fields than the header, or a quote never\n"
		"closed, is an error at its line and column. A sheet saved by French Excel is separated\n"
		"by ';': give --delimiter ';' (or --delimiter tab for tabs).",
	};
	const char *reviewer = NULL, *delimiter = NULL;
	const struct opt opts[] = {
		OPT_STRING("reviewer", 'r', &reviewer, "NAME", "who reviewed (else --coder or $QDA_CODER)"),
		OPT_DELIMITER(&delimiter),
		OPT_END(),
	};
	struct qda_review_import rep;
	enum qda_status st;
	char delim;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, "give one review sheet");
	if ((rc = cli_delimiter(cli, delimiter, &delim)))
		return rc;
	reviewer = reviewer_of(cli, reviewer);
	if (!reviewer)
		return usage_error(cli, "no reviewer: say who reviewed with --reviewer NAME (or --coder, $QDA_CODER)");
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	/* the verdicts are the reviewer's change */
	if ((st = qda_set_coder(cli->h, reviewer)) != QDA_OK || (st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	/* a bad row stops the import: it is an error, not a warning */
	qda_set_warn(cli->h, row_error, cli);
	st = qda_review_import_csv(cli->h, argv[0], delim, reviewer, &rep);
	if (st == QDA_OK) {
		char *summary = xasprintf("%s: %ld verdicts recorded, %ld already recorded, %ld rows without verdict",
		                          argv[0], rep.added, rep.unchanged, rep.blank);
		st = qda_commit(cli->h, summary);
		if (st == QDA_OK)
			printf("%s\n", summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

static int count_row(void *ctx, const struct qda_review_count *r)
{
	char p[24], a[24], d[24], v[24], n[24];
	const char *vals[7];
	snprintf(p, sizeof p, "%ld", r->proposed);
	snprintf(a, sizeof a, "%ld", r->accepted);
	snprintf(d, sizeof d, "%ld", r->disputed);
	snprintf(v, sizeof v, "%ld", r->revised);
	snprintf(n, sizeof n, "%ld", r->reviews);
	vals[0] = r->theme;
	vals[1] = *r->reviewer ? r->reviewer : "(codings)";
	vals[2] = *r->reviewer ? NULL : p;
	vals[3] = a;
	vals[4] = d;
	vals[5] = v;
	vals[6] = *r->reviewer ? n : NULL;
	out_row(ctx, vals);
	return 0;
}

static int dispute_row(void *ctx, const struct qda_review_dispute *r)
{
	char id[24], lines[48];
	const char *v[10];
	snprintf(id, sizeof id, "%lld", r->coding_id);
	snprintf(lines, sizeof lines, "%ld-%ld", r->line_first, r->line_last);
	v[0] = id;
	v[1] = r->doc;
	v[2] = lines;
	v[3] = r->code;
	v[4] = r->coder;
	v[5] = r->reviewer;
	v[6] = *r->suggested ? r->suggested : NULL;
	v[7] = r->comment;
	v[8] = r->text;
	v[9] = *r->removed ? r->removed : NULL;
	out_row(ctx, v);
	return 0;
}

static int review_status(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda review status [--disputes]",
		"Where the review stands: per theme, the codings proposed, accepted, disputed and revised,\n"
		"and per reviewer their verdicts; then the disputed codings with their comments.",
		NULL,
	};
	static const struct col ccols[] = {
		{ "theme", COL_STR }, { "reviewer", COL_STR }, { "proposed", COL_INT }, { "accepted", COL_INT },
		{ "disputed", COL_INT }, { "revised", COL_INT }, { "reviews", COL_INT },
	};
	static const struct col dcols[] = {
		{ "coding", COL_INT }, { "document", COL_STR }, { "lines", COL_STR }, { "code", COL_STR },
		{ "coder", COL_STR }, { "reviewer", COL_STR }, { "suggested", COL_STR }, { "comment", COL_STR },
		{ "extract", COL_STR },      { "removed", COL_STR },
	};
	int disputes_only = 0;
	const struct opt opts[] = {
		OPT_BOOL("disputes", 0, &disputes_only, "only the disputed codings"),
		OPT_END(),
	};
	struct out *o;
	enum qda_status st = QDA_OK;
	int rc, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n > 0)
		return usage_error(cli, "unexpected argument '%s'", argv[0]);
	if ((rc = cli_open(cli, OPEN_READ)) || !(o = out_open(cli, OUT_LISTING, &rc)))
		return rc;
	if (!disputes_only) {
		out_begin(o, ccols, 7);
		st = qda_review_counts(cli->h, count_row, o);
		if (st != QDA_OK)
			out_fail(o);
		out_end(o);
		if (o->fmt == OUT_TEXT)
			fputs("\ndisputed codings:\n", o->fp);
	}
	if (st == QDA_OK && (disputes_only || o->fmt == OUT_TEXT)) {
		out_begin(o, dcols, 10);
		st = qda_review_disputes(cli->h, dispute_row, o);
		if (st != QDA_OK)
			out_fail(o);
		out_end(o);
	}
	rc = out_close(cli, o, st != QDA_OK);
	return st != QDA_OK ? cli_fail(cli, st) : rc;
}

static int review_apply(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda review apply CODING_ID...",
		"Accept the code a reviewer suggested for these codings: a revision with the suggested code\n"
		"takes each coding's place (a new coding id, the passage still the coder's, the change the\n"
		"reviewer's). The original is kept as revised: its memos and reviews stay, and 'qda agree'\n"
		"still compares the coders' own work.",
		NULL,
	};
	enum qda_status st;
	int i, rc, n = opts_parse(cli, &u, NULL, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n == 0)
		return usage_error(cli, "which codings? 'qda review status' lists the suggestions");
	if (!cli_coder(cli))
		return usage_error(cli, "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	for (i = 0; i < n && st == QDA_OK; i++) {
		char *end, code[128] = "";
		long long revision = 0;
		long long id = strtoll(argv[i], &end, 10);
		if (end == argv[i] || *end) {
			qda_rollback(cli->h);
			return usage_error(cli, "'%s' is not a coding id", argv[i]);
		}
		st = qda_review_apply(cli->h, id, cli_coder(cli), code, sizeof code, &revision);
		if (st == QDA_OK)
			printf("coding %lld revised: now %s, as coding %lld\n", id, code, revision);
	}
	if (st == QDA_OK)
		st = qda_commit(cli->h, "applied suggested codes");
	else
		qda_rollback(cli->h);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_review(struct cli *cli, int argc, char **argv)
{
	static const struct subcmd verbs[] = {
		{ "export", review_export, OPEN_READ, "write a review sheet (CSV) for a spreadsheet" },
		{ "import", review_import, OPEN_WRITE, "record the verdicts of a filled review sheet" },
		{ "status", review_status, OPEN_READ, "counts per theme and reviewer, and the disputes" },
		{ "apply", review_apply, OPEN_WRITE, "accept suggested codes (codings become revised)" },
		{ NULL, NULL, OPEN_NONE, NULL },
	};
	const struct subcmd *s;
	if (argc >= 2 && argv[1][0] != '-') {
		for (s = verbs; s->name; s++)
			if (!strcmp(s->name, argv[1]))
				return run_subcmd(cli, "review", verbs, argc, argv);
		return usage_error(cli, "unknown verb '%s'; verbs: export, import, status, apply (or none to review)", argv[1]);
	}
	return review_interactive(cli, argc, argv);
}
