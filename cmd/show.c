/* show.c — qda show DOC: read a document with line numbers, its speaker
 * turns (the turn number on the line where a turn starts) and the codes
 * margin: the ids of the codes on each line, of every coder or of one. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static const struct col cols[] = {
	{ "line", COL_INT }, { "turn", COL_INT }, { "speaker", COL_STR },
	{ "start", COL_INT }, { "end", COL_INT }, { "text", COL_STR }, { "codes", COL_STR },
	{ "memos", COL_STR },
};
#define NCOLS (sizeof cols / sizeof cols[0])
#define MARGIN_MAX 100 /* the margin's column at most; longer lines push it right */

struct ctx {
	struct out *o;
	char **codes;     /* per line from 1 ("a, b"), NULL when no margin */
	long ncodes;
	size_t width;     /* text: the display column the margin starts at */
	size_t wrap;      /* text: the display width to wrap the text at, 0 for none */
	size_t margin_w;  /* text, wrapping: the margin's width */
	char **memos;     /* --memos: per line from 1, the memos of codings ending there */
	long nmemos;
};

static const char *memos_of(const struct ctx *c, long line)
{
	return c->memos && line >= 1 && line <= c->nmemos && c->memos[line - 1] ? c->memos[line - 1] : "";
}

/* A coding's memo, kept under the line where the coding ends. */
static int keep_memo(void *data, const struct qda_extract *e)
{
	struct ctx *c = data;
	char *m, *old;
	if (!*e->memo)
		return 0;
	if (e->line_last > c->nmemos) {
		long n = e->line_last + 64;
		c->memos = xrealloc(c->memos, (size_t)n * sizeof *c->memos);
		memset(c->memos + c->nmemos, 0, (size_t)(n - c->nmemos) * sizeof *c->memos);
		c->nmemos = n;
	}
	old = c->memos[e->line_last - 1];
	m = xasprintf("%s%scoding %lld %s (%s): %s", old ? old : "", old ? "\n" : "", e->coding_id, e->code,
	              e->coder, e->memo);
	free(old);
	c->memos[e->line_last - 1] = m;
	return 0;
}

static const char *codes_of(const struct ctx *c, long line)
{
	return c->codes && line >= 1 && line <= c->ncodes ? c->codes[line - 1] : "";
}

static int measure(void *data, const struct qda_line_row *r)
{
	struct ctx *c = data;
	size_t w = qda_text_width(r->text);
	if (*codes_of(c, r->n) && w > c->width)
		c->width = w > MARGIN_MAX ? MARGIN_MAX : w;
	return 0;
}

/* The display width of s[0..n). */
static size_t width_of(const char *s, size_t n)
{
	char buf[512];
	char *p = n < sizeof buf ? buf : xmalloc(n + 1);
	size_t w;
	memcpy(p, s, n);
	p[n] = '\0';
	w = qda_text_width(p);
	if (p != buf)
		free(p);
	return w;
}

/* The bytes of s (from its start) that fit in width columns, ending at a
 * space where one is; at least one character. *next: where the next row
 * starts (the spaces skipped). */
static size_t fit(const char *s, size_t width, const char **next)
{
	size_t len = strlen(s), end = 0, last_space = 0, w = 0;
	while (end < len) {
		size_t n = 1;
		while (end + n < len && ((unsigned char)s[end + n] & 0xC0) == 0x80)
			n++;
		w += width_of(s + end, n);
		if (w > width && end > 0)
			break;
		/* no break before French punctuation set off by a space (« oui ? »),
		 * nor after an opening guillemet */
		if (s[end] == ' ' && !strchr("?!:;", s[end + 1]) && strncmp(s + end + 1, "\xC2\xBB", 2) &&
		    !(end >= 2 && !strncmp(s + end - 2, "\xC2\xAB", 2)))
			last_space = end;
		end += n;
	}
	if (end < len && last_space > 0)
		end = last_space;
	*next = s + end;
	while (**next == ' ')
		(*next)++;
	return end;
}

/* A line wrapped to c->wrap columns, each row after the first indented
 * under the text; the codes margin beside the rows, wrapped at its own
 * width after a comma when it is long. */
static void wrapped_row(struct ctx *c, const struct qda_line_row *r, const char *turn, const char *codes)
{
	const char *t = r->text, *m = codes;
	int first = 1;
	while (first || *t || *m) {
		const char *tn = t, *mn = m;
		size_t tl = *t ? fit(t, c->wrap, &tn) : 0, ml = 0;
		if (first)
			fprintf(c->o->fp, "%5ld %-5s ", r->n, turn);
		else
			fprintf(c->o->fp, "%12s", "");
		fprintf(c->o->fp, "%.*s", (int)tl, t);
		if (*m) {
			ml = fit(m, c->margin_w, &mn);
			fprintf(c->o->fp, "%*s  | %.*s", (int)(c->wrap - width_of(t, tl)), "", (int)ml, m);
		}
		fputc('\n', c->o->fp);
		t = tn;
		m = mn;
		first = 0;
	}
}

static int text_row(void *data, const struct qda_line_row *r)
{
	struct ctx *c = data;
	const char *codes = codes_of(c, r->n);
	char turn[24] = "";
	if (r->turn_start)
		snprintf(turn, sizeof turn, "T%ld", r->turn);
	if (c->wrap) {
		wrapped_row(c, r, turn, codes);
		goto memos;
	}
	fprintf(c->o->fp, "%5ld %-5s %s", r->n, turn, r->text);
	if (*codes) {
		size_t w = qda_text_width(r->text);
		fprintf(c->o->fp, "%*s  | %s", (int)(w < c->width ? c->width - w : 0), "", codes);
	}
	fputc('\n', c->o->fp);
memos:
	/* memos under the line their coding ends on, one per line */
	for (const char *p = memos_of(c, r->n); *p;) {
		size_t len = strcspn(p, "\n");
		fprintf(c->o->fp, "%11s memo: %.*s\n", "", (int)len, p);
		p += len + (p[len] == '\n');
	}
	return 0;
}

static int table_row(void *data, const struct qda_line_row *r)
{
	struct ctx *c = data;
	char n[24], turn[24], start[24], end[24];
	const char *v[NCOLS];
	snprintf(n, sizeof n, "%ld", r->n);
	snprintf(turn, sizeof turn, "%ld", r->turn);
	snprintf(start, sizeof start, "%ld", r->start);
	snprintf(end, sizeof end, "%ld", r->end);
	v[0] = n;
	v[1] = r->turn ? turn : NULL;
	v[2] = r->speaker;
	v[3] = start;
	v[4] = end;
	v[5] = r->text;
	v[6] = codes_of(c, r->n);
	v[7] = memos_of(c, r->n);
	out_row(c->o, v);
	return 0;
}

/* qda_codes_by_line's "a,b" kept per line as "a, b". */
static int keep_codes(void *data, long line, const char *codes)
{
	struct ctx *c = data;
	size_t i, j = 0, len = strlen(codes);
	char *s = xmalloc(2 * len + 1);
	for (i = 0; i < len; i++) {
		s[j++] = codes[i];
		if (codes[i] == ',')
			s[j++] = ' ';
	}
	s[j] = '\0';
	if (line > c->ncodes) {
		c->codes = xrealloc(c->codes, (size_t)line * sizeof *c->codes);
		while (c->ncodes < line)
			c->codes[c->ncodes++] = NULL;
	}
	free(c->codes[line - 1]);
	c->codes[line - 1] = s;
	return 0;
}

static void free_codes(struct ctx *c)
{
	long i;
	for (i = 0; i < c->ncodes; i++)
		free(c->codes[i]);
	free(c->codes);
	c->codes = NULL;
	c->ncodes = 0;
}

/* Whether any line has a code: without, there is no margin at all. */
static int any_codes(const struct ctx *c)
{
	long i;
	for (i = 0; i < c->ncodes; i++)
		if (c->codes[i] && *c->codes[i])
			return 1;
	return 0;
}

/* "A-B", "A-" or "A" */
static int parse_range(const char *s, long *a, long *b)
{
	char *end;
	*a = strtol(s, &end, 10);
	if (end == s || *a < 1)
		return -1;
	if (*end == '\0') {
		*b = *a;
		return 0;
	}
	if (*end != '-')
		return -1;
	s = end + 1;
	if (*s == '\0') {
		*b = 0;
		return 0;
	}
	*b = strtol(s, &end, 10);
	return (end == s || *end || *b < *a) ? -1 : 0;
}

struct seen {
	const char *doc;
	int read;
};

static int seen_row(void *ctx, const struct qda_read_row *r)
{
	struct seen *s = ctx;
	if (strcmp(r->doc, s->doc) == 0 && r->at)
		s->read = 1;
	return 0;
}

static int already_read(struct cli *cli, const char *doc, const char *coder)
{
	struct seen s = { doc, 0 };
	return qda_read_list(cli->h, coder, seen_row, &s) != QDA_OK || s.read;
}

/* After the whole document on a terminal, ask whether to mark it read (qda
 * read); never when stdin or stdout is not a terminal (a pipe, a script),
 * nor without a coder, nor when this coder has read it already. */
static int ask_read(struct cli *cli, const char *doc)
{
	const char *coder = getenv("QDA_CODER");
	char answer[16];
	int rc;
	if (cli->coder)
		coder = cli->coder;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO) || !coder || !*coder || already_read(cli, doc, coder))
		return 0;
	fprintf(stderr, "Mark %s as read by %s? [y/N] ", doc, coder);
	fflush(stderr);
	if (!fgets(answer, sizeof answer, stdin) || (answer[0] != 'y' && answer[0] != 'Y'))
		return 0;
	qda_close(cli->h);
	cli->h = NULL;
	if ((rc = cli_open(cli, OPEN_WRITE)))
		return rc;
	return cli_read_mark(cli, doc, NULL);
}

int cmd_show(struct cli *cli, int argc, char **argv)
{
	static const struct usage u = {
		"qda show DOC [--lines A-B] [--coder NAME | --no-codes] [--memos] [--width N] [--format FMT]",
		"Read a document with line numbers; a turn number (T1, T2 ...) marks the line where each\n"
		"speaker turn starts. Lines are numbered from 1 in the stored text (UTF-8, NFC, LF).",
		"When the document has codings, each line is followed by the codes margin: the ids of the\n"
		"codes whose codings touch the line, in codebook order ('  | trust, time'; a codes column\n"
		"in csv, tsv and json). --coder NAME shows that coder's codings only (for blind coding:\n"
		"nothing of the others'); --no-codes hides the margin. --memos shows the coding memos under\n"
		"the line each coding ends on (a memos column in csv, tsv and json).\n"
		"On a terminal, long lines wrap to its width at spaces, under the text, the margin beside\n"
		"them (itself wrapped when long); --width N wraps at N columns anywhere, --width 0 never.",
	};
	const char *lines = NULL, *coder = NULL;
	int no_codes = 0, memos = 0;
	long width = -1;
	const struct opt opts[] = {
		OPT_BOOL("memos", 'm', &memos, "the coding memos under the lines their codings end on"),
		OPT_STRING("lines", 'l', &lines, "A-B", "only lines A to B (A- to the end)"),
		OPT_STRING("coder", 0, &coder, "NAME", "the codes margin of this coder's codings only"),
		OPT_BOOL("no-codes", 0, &no_codes, "no codes margin"),
		OPT_INT("width", 'w', &width, "N", "wrap at N display columns (default: the terminal's; 0: never)"),
		OPT_END(),
	};
	struct ctx c = { 0 };
	enum qda_status st;
	long a = 1, b = 0;
	int rc, margin, whole, n = opts_parse(cli, &u, opts, argc, argv);

	if (n < 0)
		return n == -1 ? 0 : 2;
	if (n != 1)
		return usage_error(cli, n ? "give one document" : "which document? 'qda docs' lists them");
	if (lines && parse_range(lines, &a, &b))
		return usage_error(cli, "--lines wants A-B with 1 <= A <= B (or A- or A), not '%s'", lines);
	if (coder && no_codes)
		return usage_error(cli, "--coder chooses whose codes the margin shows; it goes without --no-codes");
	whole = a == 1 && b == 0;
	if ((rc = cli_open(cli, OPEN_NONE)))
		return rc;
	/* an unknown document is reported by qda_doc_lines, as without codes */
	if (!no_codes && (st = qda_codes_by_line(cli->h, argv[0], coder, keep_codes, &c)) != QDA_OK &&
	    st != QDA_ENOTFOUND) {
		free_codes(&c);
		return cli_fail(cli, st);
	}
	if (memos) {
		struct qda_retrieve_opts ro = { 0 };
		ro.doc = argv[0];
		ro.filter.coder = coder;
		ro.filter.include_interviewer = 1; /* the document as it is: every coding */
		if ((st = qda_retrieve(cli->h, &ro, keep_memo, &c)) != QDA_OK && st != QDA_ENOTFOUND) {
			free_codes(&c);
			return cli_fail(cli, st);
		}
	}
	margin = any_codes(&c);
	if (!margin)
		free_codes(&c);
	if (!(c.o = out_open(cli, OUT_LISTING, &rc))) {
		free_codes(&c);
		return rc;
	}
	if (width < 0)
		width = c.o->fp == stdout ? cli_term_width() : 0;
	if (c.o->fmt == OUT_TEXT && width > 0) {
		/* the line number and turn take 12 columns; a margin a third of
		 * the rest at most, the text the others */
		size_t avail = width > 32 ? (size_t)width - 12 : 20;
		if (margin) {
			size_t longest = 0, word = 0;
			for (long i = 0; i < c.ncodes; i++) {
				const char *p = c.codes[i];
				if (!p)
					continue;
				if (qda_text_width(p) > longest)
					longest = qda_text_width(p);
				/* a code id is never cut: the margin holds the longest */
				while (*p) {
					size_t n = strcspn(p, " ");
					if (width_of(p, n) > word)
						word = width_of(p, n);
					p += n + (p[n] == ' ');
				}
			}
			c.margin_w = longest < avail / 3 ? longest : avail / 3;
			if (c.margin_w < word)
				c.margin_w = word + 4 + 16 <= avail ? word : avail / 2;
			if (c.margin_w < 8)
				c.margin_w = 8;
			avail = avail > c.margin_w + 4 + 10 ? avail - c.margin_w - 4 : 10;
		}
		c.wrap = avail;
	}
	if (c.o->fmt == OUT_TEXT) {
		st = margin && !c.wrap ? qda_doc_lines(cli->h, argv[0], a, b, measure, &c) : QDA_OK;
		if (st == QDA_OK)
			st = qda_doc_lines(cli->h, argv[0], a, b, text_row, &c);
	} else {
		/* The codes column is always there (empty when no code), so scripts can rely on it. */
		out_begin(c.o, cols, no_codes ? NCOLS - 2 : memos ? NCOLS : NCOLS - 1);
		st = qda_doc_lines(cli->h, argv[0], a, b, table_row, &c);
		if (st != QDA_OK)
			out_fail(c.o);
		out_end(c.o);
	}
	free_codes(&c);
	for (long i = 0; i < c.nmemos; i++)
		free(c.memos[i]);
	free(c.memos);
	whole = whole && c.o->fmt == OUT_TEXT && !cli->output;
	rc = out_close(cli, c.o, st != QDA_OK);
	if (st != QDA_OK)
		return cli_fail(cli, st);
	return rc ? rc : whole ? ask_read(cli, argv[0]) : 0;
}
