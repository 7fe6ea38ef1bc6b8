/* code.c — qda code: code a span of a document (lines, turns, characters or
 * a quote) with one or more codes, or many spans at once from a CSV file.
 * Parses and prints only; the spans, checks and writing are core/coding.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

/* "A-B", or "A" when single is allowed (then B = A). */
static int parse_range(const char *s, long *a, long *b, int single)
{
	char *end;
	if (*s < '0' || *s > '9')
		return -1;
	*a = strtol(s, &end, 10);
	if (*end == '\0' && single) {
		*b = *a;
		return 0;
	}
	if (*end != '-' || end[1] < '0' || end[1] > '9')
		return -1;
	*b = strtol(end + 1, &end, 10);
	return *end ? -1 : 0;
}

static void row_error(void *ctx, const char *loc, const char *msg)
{
	struct cli *cli = ctx;
	fprintf(stderr, "qda %s: %s: error: %s\n", cli->cmdname, loc, msg);
}

static int code_from(struct cli *cli, const char *path, char delim)
{
	struct qda_code_import rep;
	enum qda_status st;
	char *summary;
	int rc;

	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	st = qda_code_import_csv(cli->h, path, delim, row_error, cli, &rep);
	if (st != QDA_OK) {
		qda_rollback(cli->h);
		return cli_fail(cli, st);
	}
	summary = xasprintf("%s: %ld coding%s added, %ld already present", path, rep.added, rep.added == 1 ? "" : "s",
	                    rep.present);
	if ((st = qda_commit(cli->h, summary)) == QDA_OK)
		printf("%s\n", summary);
	free(summary);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}

int cmd_code(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda code DOC (--lines A-B | --turns A[-B] | --chars A-B | --quote TEXT) CODE... [--memo TEXT]\n"
		"       qda code DOC (--lines ...) --new --under PARENT TEXT...\n"
		"       qda code --from FILE.csv [--delimiter SEP]",
		"Code a span of a document with one or more codes, as the coder (--coder NAME or $QDA_CODER).",
		"Spans: --lines A-B runs from the start of line A to the end of line B (its line break\n"
		"excluded); --turns A-B the same with speaker turns; --chars A-B is the code points [A, B),\n"
		"counted from 0 with the end excluded, as every qda position; --quote TEXT is the one place\n"
		"TEXT occurs (NFC-normalised; any run of spaces or line breaks in it matches any other). An\n"
		"ambiguous quote is refused with its candidates; use a longer quote or --lines then.\n"
		"The same coder coding the same span with the same code twice is one coding.\n"
		"\n"
		"--new adds an unknown code to the codebook as an in-vivo code: its name is the text given,\n"
		"its id the text when it is a valid id (a-z 0-9 . _ -), else a slug of it; --under names the\n"
		"theme or sub-theme it belongs to (required with --new).\n"
		"\n"
		"--from FILE.csv codes in batch: a header row naming the columns document,unit,from,to,\n"
		"code,coder[,memo]; unit is line or turn (from-to inclusive, from 1) or char ([from, to)\n"
		"from 0); each row names its coder, created on first use. Every row is checked and each\n"
		"bad one reported as FILE:LINE (the header is line 1) before anything is written. The CSV\n"
		"is read strictly: a field holding a comma, a quote or a line break is written in quotes,\n"
		"its quotes doubled; a row with more fields than the header, or a quote never closed, is an\n"
		"error at its line and column. A file separated by ';' (French Excel) or tabs needs\n"
		"--delimiter ';' or --delimiter tab.",
	};
	const char *lines = NULL, *turns = NULL, *chars = NULL, *quote = NULL, *memo = NULL, *under = NULL,
	           *from = NULL, *delimiter = NULL;
	char delim;
	int create = 0;
	const struct opt opts[] = {
		OPT_STRING("lines", 'l', &lines, "A-B", "lines A to B (or one line A)"),
		OPT_STRING("turns", 't', &turns, "A[-B]", "speaker turns A to B (or one turn A)"),
		OPT_STRING("chars", 0, &chars, "A-B", "code points [A, B), from 0, the end excluded"),
		OPT_STRING("quote", 'q', &quote, "TEXT", "the one place the text occurs"),
		OPT_STRING("memo", 'm', &memo, "TEXT", "a memo on the coding"),
		OPT_BOOL("new", 0, &create, "add unknown codes to the codebook (in vivo)"),
		OPT_STRING("under", 0, &under, "PARENT", "with --new: the theme or sub-theme of the new codes"),
		OPT_STRING("from", 0, &from, "FILE.csv", "code in batch from a CSV file"),
		OPT_DELIMITER(&delimiter),
		OPT_END(),
	};
	struct qda_code_opts co = { 0 };
	struct qda_span sp = { 0 };
	enum qda_status st;
	enum qda_unit unit = QDA_UNIT_LINE;
	struct strlist msgs = { 0 };
	long a = 0, b = 0, added = 0;
	int rc, i, nspan, n = opts_parse(cli, &u, opts, argc, argv);
	char *summary, *ids = NULL;

	if (n < 0)
		return n == -1 ? 0 : 2;
	nspan = !!lines + !!turns + !!chars + !!quote;
	if (delimiter && !from)
		return usage_error(cli, "--delimiter goes with --from FILE.csv");
	if (from) {
		if (n > 0 || nspan || create || under || memo)
			return usage_error(cli, "--from FILE.csv takes no document, span, code or other option");
		if ((rc = cli_delimiter(cli, delimiter, &delim)))
			return rc;
		return code_from(cli, from, delim);
	}
	if (n == 0)
		return usage_error(cli, "which document? 'qda docs' lists them");
	if (nspan == 0)
		return usage_error(cli, "say what to code: --lines A-B, --turns A[-B], --chars A-B or --quote TEXT");
	if (nspan > 1)
		return usage_error(cli, "give one of --lines, --turns, --chars or --quote");
	if (n == 1)
		return usage_error(cli, "which code? give one or more code ids ('qda codebook show' lists them)");
	if (under && !create)
		return usage_error(cli, "--under goes with --new");
	if (lines && (parse_range(lines, &a, &b, 1) || a < 1 || b < a))
		return usage_error(cli, "--lines wants A-B with 1 <= A <= B (or one line A), not '%s'", lines);
	if (turns && (parse_range(turns, &a, &b, 1) || a < 1 || b < a))
		return usage_error(cli, "--turns wants A-B with 1 <= A <= B (or one turn A), not '%s'", turns);
	if (chars && (parse_range(chars, &a, &b, 0) || b <= a))
		return usage_error(cli, "--chars wants A-B with 0 <= A < B (code points, the end excluded), not '%s'",
		                   chars);
	unit = turns ? QDA_UNIT_TURN : chars ? QDA_UNIT_CHAR : QDA_UNIT_LINE;
	co.memo = memo;
	co.create = create;
	co.under = under;

	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	/* core/coding.c stores the memo as given: checked here until it checks */
	if (memo && qda_text_check_input(cli->h, "the --memo", memo) != QDA_OK)
		return cli_fail(cli, QDA_EINPUT);
	if ((st = qda_begin(cli->h, cli->cmdline)) != QDA_OK)
		return cli_fail(cli, st);
	st = quote ? qda_span_quote(cli->h, argv[0], quote, &sp) : qda_span_units(cli->h, argv[0], unit, a, b, &sp);
	for (i = 1; st == QDA_OK && i < n; i++) {
		struct qda_code_result r = { 0 };
		if ((st = qda_code_span(cli->h, &sp, argv[i], &co, &r)) != QDA_OK)
			break;
		if (r.node_created) {
			msgs.v = xrealloc(msgs.v, (msgs.n + 1) * sizeof *msgs.v);
			msgs.v[msgs.n++] = xasprintf("added in-vivo code '%s' under '%s'", r.code, under);
		}
		msgs.v = xrealloc(msgs.v, (msgs.n + 1) * sizeof *msgs.v);
		msgs.v[msgs.n++] = xasprintf("%s %s lines %ld-%ld [%ld, %ld) as %s (coding %lld)",
		                             r.created ? "coded" : "already coded", sp.doc, sp.line_first, sp.line_last,
		                             sp.start, sp.end, r.code, r.coding_id);
		added += r.created;
		if (r.created) {
			/* the log names the codings: an id is never given twice */
			char *more = xasprintf("%s%s%lld", ids ? ids : "", ids ? ", " : "", r.coding_id);
			free(ids);
			ids = more;
		}
		qda_code_result_free(&r);
	}
	if (st == QDA_OK) {
		summary = xasprintf("coded %s lines %ld-%ld [%ld, %ld): %ld coding%s added%s%s%s", sp.doc, sp.line_first,
		                    sp.line_last, sp.start, sp.end, added, added == 1 ? "" : "s", ids ? " (" : "",
		                    ids ? ids : "", ids ? ")" : "");
		st = qda_commit(cli->h, summary);
		free(summary);
	} else {
		qda_rollback(cli->h);
	}
	if (st == QDA_OK)
		for (i = 0; i < (int)msgs.n; i++)
			printf("%s\n", msgs.v[i]);
	for (i = 0; i < (int)msgs.n; i++)
		free((char *)msgs.v[i]);
	strlist_free(&msgs);
	free(ids);
	qda_span_free(&sp);
	return st != QDA_OK ? cli_fail(cli, st) : 0;
}
