/* csv.c — the one CSV reader behind every CSV qda reads (code --from, review
 * import, case import): RFC 4180 read strictly and streamed, every field with
 * the line and column it starts at. It never guesses: a malformed file is an
 * error at the place to correct, never a field that swallows the rows after it. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* A record longer than this is refused: memory stays bounded, and a quote
 * left open is reported before it has swallowed the whole file. */
#define RECORD_MAX ((size_t)64 << 20)

enum { END = -1, FAIL = -2 };

struct field_at {
	size_t start, len;
	long line, col;
};

struct csv_reader {
	struct qda *h;
	const char *path;
	FILE *fp;
	char delim;
	unsigned char in[65536];
	size_t pos, len;
	int eof;
	enum qda_status rc;    /* the error that ended the reading, QDA_OK before */
	/* where the next byte is: line, column (code points from 1), byte offset */
	long line, col;
	size_t off;
	int after_cr;          /* the last byte was CR: an LF now ends no new line */
	/* where the byte next_byte() returned is */
	long at_line, at_col;
	/* the UTF-8 check: continuation bytes still due, the range of the next one,
	 * and where the character they belong to starts */
	int need;
	unsigned char lo, hi;
	size_t seq_off;
	long seq_line, seq_col;
	unsigned char seq_byte;
	/* the record being read */
	struct buf text;       /* the values, each followed by NUL */
	struct field_at *at;
	size_t nf, cap;
	struct csv_field *f;   /* what csv_next hands out, fcap of them */
	size_t fcap;
	size_t header_n;       /* fields in the header; 0 until it is read */
	unsigned char kind[256]; /* K_STOP, K_BLANK per byte value */
};

/* Bytes that end a run of plain text (take_run), and the blanks around values. */
enum { K_STOP = 1, K_BLANK = 2 };

static const char *delim_name(char d)
{
	return d == ';' ? "';'" : d == '\t' ? "tab" : "comma";
}

static enum qda_status fail_at(struct csv_reader *r, enum qda_status st, long line, long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum qda_status fail_at(struct csv_reader *r, enum qda_status st, long line, long col, const char *fmt, ...)
{
	char loc[600], msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(loc, sizeof loc, "%s:%ld:%ld", r->path, line, col);
	else
		snprintf(loc, sizeof loc, "%s", r->path);
	r->rc = seterr_at(r->h, st, loc, "%s", msg);
	return r->rc;
}

static int nomem(struct csv_reader *r)
{
	r->rc = seterr(r->h, QDA_ENOMEM, "out of memory");
	return FAIL;
}

/* 1 when a byte is buffered, 0 at the end of the file, FAIL on a read error. */
static int fill(struct csv_reader *r)
{
	if (r->pos < r->len)
		return 1;
	if (r->eof)
		return 0;
	r->pos = 0;
	r->len = fread(r->in, 1, sizeof r->in, r->fp);
	if (r->len > 0)
		return 1;
	r->eof = 1;
	if (ferror(r->fp)) {
		fail_at(r, QDA_EIO, 0, 0, "read error: %s", strerror(errno));
		return FAIL;
	}
	return 0;
}

static int peek(struct csv_reader *r)
{
	int k = fill(r);
	return k == 1 ? r->in[r->pos] : k == 0 ? END : FAIL;
}

static int bad_utf8(struct csv_reader *r, size_t off, long line, long col, unsigned char b)
{
	fail_at(r, QDA_EINPUT, line, col,
	        "invalid UTF-8 at byte %zu (byte 0x%02X); the file is in another encoding: save it as \"CSV UTF-8\" "
	        "from the spreadsheet", off, b);
	return FAIL;
}

/* The next byte of the file, checked as UTF-8 and counted in the position
 * (at_line, at_col: where it is); END at the end, FAIL on an error. */
static int next_byte(struct csv_reader *r)
{
	int k = fill(r);
	unsigned char b;
	if (k != 1) {
		if (k == 0 && r->need)
			return bad_utf8(r, r->seq_off, r->seq_line, r->seq_col, r->seq_byte);
		r->at_line = r->line;
		r->at_col = r->col;
		return k == 0 ? END : FAIL;
	}
	b = r->in[r->pos++];
	r->at_line = r->line;
	r->at_col = r->col;
	if (r->need) {
		if (b < r->lo || b > r->hi)
			return bad_utf8(r, r->seq_off, r->seq_line, r->seq_col, r->seq_byte);
		r->lo = 0x80;
		r->hi = 0xBF;
		r->need--;
		r->off++;
		/* a continuation byte: same character, same column */
		r->at_line = r->seq_line;
		r->at_col = r->seq_col;
		return b;
	}
	if (b >= 0x80) {
		r->lo = 0x80;
		r->hi = 0xBF;
		if (b >= 0xC2 && b <= 0xDF)
			r->need = 1;
		else if (b >= 0xE0 && b <= 0xEF)
			r->need = 2;
		else if (b >= 0xF0 && b <= 0xF4)
			r->need = 3;
		else
			return bad_utf8(r, r->off, r->line, r->col, b);
		/* no overlong forms, no surrogates, nothing past U+10FFFF */
		if (b == 0xE0)
			r->lo = 0xA0;
		else if (b == 0xED)
			r->hi = 0x9F;
		else if (b == 0xF0)
			r->lo = 0x90;
		else if (b == 0xF4)
			r->hi = 0x8F;
		r->seq_off = r->off;
		r->seq_line = r->line;
		r->seq_col = r->col;
		r->seq_byte = b;
	} else if (b == 0) {
		fail_at(r, QDA_EINPUT, r->line, r->col,
		        "a NUL byte (byte %zu); this is not a text file: save it as \"CSV UTF-8\" from the spreadsheet", r->off);
		return FAIL;
	}
	r->off++;
	if (b == '\n' && r->after_cr) {
		r->after_cr = 0; /* CRLF: the CR ended the line */
	} else if (b == '\n' || b == '\r') {
		r->line++;
		r->col = 1;
		r->after_cr = b == '\r';
	} else {
		r->col++;
		r->after_cr = 0;
	}
	return b;
}

static int is_blank(const struct csv_reader *r, int c)
{
	return c >= 0 && (r->kind[c] & K_BLANK);
}

static int begin_field(struct csv_reader *r)
{
	if (r->nf == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct field_at *at = realloc(r->at, cap * sizeof *at);
		if (!at)
			return -1;
		r->at = at;
		r->cap = cap;
	}
	r->at[r->nf].start = r->text.len;
	r->at[r->nf].len = 0;
	r->at[r->nf].line = r->line;
	r->at[r->nf].col = r->col;
	r->nf++;
	return 0;
}

/* End the current field at len bytes of text (trailing blanks of an
 * unquoted value left out). */
static int end_field(struct csv_reader *r, size_t len)
{
	struct field_at *a = &r->at[r->nf - 1];
	r->text.len = len;
	a->len = len - a->start;
	return buf_addc(&r->text, '\0');
}

static int add_byte(struct csv_reader *r, int c)
{
	char ch = (char)c;
	return buf_add(&r->text, &ch, 1);
}

/* Take a run of plain ASCII bytes (no quote, line end, delimiter or NUL) of
 * the buffer at once: most of a file, read without the byte-by-byte checks.
 * keep: for an unquoted value, its length without trailing blanks. */
static int take_run(struct csv_reader *r, int unquoted, size_t *keep)
{
	const unsigned char *p = r->in + r->pos, *e = r->in + r->len, *q = p;
	size_t n, last = 0;
	while (q < e && !(r->kind[*q] & K_STOP)) {
		if (!(r->kind[*q++] & K_BLANK))
			last = (size_t)(q - p);
	}
	if (!(n = (size_t)(q - p)))
		return 0;
	if (buf_add(&r->text, p, n) < 0)
		return -1;
	if (unquoted && last)
		*keep = r->text.len - n + last;
	r->pos += n;
	r->off += n;
	r->col += (long)n;
	r->after_cr = 0;
	return 0;
}

/* The header line (the first that is not blank) in the first buffer:
 * separated by another delimiter than r->delim, when it holds none of
 * r->delim outside quotes and more of another. */
static enum qda_status check_delimiter(struct csv_reader *r)
{
	static const char cand[] = { ',', ';', '\t' };
	size_t i, n[3] = { 0, 0, 0 }, best = 3;
	long line = r->line;
	int quoted = 0, filled = 0;

	for (i = r->pos; i < r->len; i++) {
		unsigned char b = r->in[i];
		size_t k;
		if (b == '"')
			quoted = !quoted;
		if (quoted)
			continue;
		if (b == '\n' || b == '\r') {
			if (filled)
				break;
			if (b == '\n' || i + 1 >= r->len || r->in[i + 1] != '\n')
				line++;
			continue;
		}
		if (b != ' ' && b != '\t')
			filled = 1;
		for (k = 0; k < 3; k++)
			if (b == (unsigned char)cand[k])
				n[k]++;
	}
	for (i = 0; i < 3; i++) {
		if (cand[i] == r->delim && n[i])
			return QDA_OK;
		if (cand[i] != r->delim && n[i] && (best == 3 || n[i] > n[best]))
			best = i;
	}
	if (best == 3)
		return QDA_OK;
	if (cand[best] == ';')
		return fail_at(r, QDA_EINPUT, line, 1, "this file is separated by ';' (as French Excel writes CSV); pass "
		               "--delimiter ';' or export with commas");
	if (cand[best] == '\t')
		return fail_at(r, QDA_EINPUT, line, 1,
		               "this file is separated by tabs; pass --delimiter tab or export with commas");
	return fail_at(r, QDA_EINPUT, line, 1, "this file is separated by ','; leave out --delimiter %s (a comma is "
	               "the default)", r->delim == ';' ? "';'" : "tab");
}

enum qda_status csv_open(struct qda *h, const char *path, char delim, struct csv_reader **out)
{
	struct csv_reader *r;
	struct stat sb;
	enum qda_status rc = QDA_OK;
	size_t i;

	*out = NULL;
	if (stat(path, &sb) != 0)
		return seterr_at(h, QDA_EINPUT, path, "cannot read the file: %s; check the path", strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return seterr_at(h, QDA_EINPUT, path, "is a directory, not a CSV file");
	if (!(r = calloc(1, sizeof *r)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	r->h = h;
	r->path = path;
	r->delim = delim ? delim : ',';
	r->line = r->col = 1;
	for (i = 0x80; i < 256; i++)
		r->kind[i] = K_STOP;
	r->kind[0] = r->kind['"'] = r->kind['\n'] = r->kind['\r'] = r->kind[(unsigned char)r->delim] = K_STOP;
	r->kind[' '] |= K_BLANK;
	if (r->delim != '\t')
		r->kind['\t'] |= K_BLANK;
	if (!(r->fp = fopen(path, "rb"))) {
		free(r);
		return seterr_at(h, QDA_EINPUT, path, "cannot open the file: %s", strerror(errno));
	}
	/* a byte order mark, as spreadsheets write it: not part of the text */
	if (fill(r) == FAIL) {
		rc = r->rc;
	} else if (r->len >= 3 && memcmp(r->in, "\xEF\xBB\xBF", 3) == 0) {
		r->pos = 3;
		r->off = 3;
	} else if (r->len >= 2 && (memcmp(r->in, "\xFF\xFE", 2) == 0 || memcmp(r->in, "\xFE\xFF", 2) == 0)) {
		rc = fail_at(r, QDA_EINPUT, 1, 1, "this file is UTF-16 (as Excel's \"Unicode Text\" writes it); save it "
		             "as \"CSV UTF-8\"");
	}
	if (rc == QDA_OK)
		rc = check_delimiter(r);
	if (rc != QDA_OK) {
		csv_close(r);
		return rc;
	}
	*out = r;
	return QDA_OK;
}

void csv_close(struct csv_reader *r)
{
	if (!r)
		return;
	if (r->fp)
		fclose(r->fp);
	buf_free(&r->text);
	free(r->at);
	free(r->f);
	free(r);
}

enum { S_START, S_UNQUOTED, S_QUOTED, S_AFTER_QUOTE };

/* Where the scan of a field is. */
struct scan {
	int state;
	int quoted;            /* the field started with a quote */
	long qline, qcol;      /* where that quote is */
	size_t keep;           /* an unquoted value's length without trailing blanks */
};

static void scan_field(struct csv_reader *r, struct scan *s)
{
	s->state = S_START;
	s->quoted = 0;
	s->keep = r->text.len;
}

static int is_end(const struct csv_reader *r, int c)
{
	return c == r->delim || c == '\n' || c == '\r' || c == END;
}

static int quote_error(struct csv_reader *r, const struct scan *s)
{
	if (s->state == S_QUOTED) /* the end of the file, inside quotes */
		fail_at(r, QDA_EINPUT, s->qline, s->qcol, "this quoted field is never closed; add the closing \" (a \" "
		        "inside a quoted field is written \"\")");
	else if (s->state == S_UNQUOTED)
		fail_at(r, QDA_EINPUT, r->at_line, r->at_col, "malformed CSV: a quote inside a field that does not start "
		        "with one; put the whole field in quotes and write each \" in it as \"\"");
	else if (s->qline != r->at_line) /* text after a closing quote, lines below the opening one */
		fail_at(r, QDA_EINPUT, s->qline, s->qcol, "this quoted field runs on to line %ld, where a quote ends it "
		        "before other text; add the closing \" where the field ends (a \" inside a quoted field is written "
		        "\"\")", r->at_line);
	else
		fail_at(r, QDA_EINPUT, r->at_line, r->at_col, "malformed CSV: text after the closing quote of a field; a \" "
		        "inside a quoted field is written \"\"");
	return FAIL;
}

/* One byte c of a field: 0 when the field goes on, 1 when c ended it (a
 * delimiter, a line end or the end of the file), FAIL after an error. */
static int scan_byte(struct csv_reader *r, struct scan *s, int c)
{
	int d;
	switch (s->state) {
	case S_START:
		if (is_blank(r, c))
			return 0;
		if (c == '"') {
			s->state = S_QUOTED;
			s->quoted = 1;
			s->qline = r->at_line;
			s->qcol = r->at_col;
			return 0;
		}
		s->state = S_UNQUOTED;
		__attribute__((fallthrough));
	case S_UNQUOTED:
		if (c == '"')
			return quote_error(r, s);
		if (is_end(r, c))
			return end_field(r, s->keep) < 0 ? nomem(r) : 1;
		if (add_byte(r, c) < 0)
			return nomem(r);
		if (!is_blank(r, c))
			s->keep = r->text.len;
		return 0;
	case S_QUOTED:
		if (c == END)
			return quote_error(r, s);
		if (c == '"' || c == '\r') {
			if ((d = peek(r)) == FAIL)
				return FAIL;
			if (c == '"' && d != '"') {
				s->state = S_AFTER_QUOTE;
				return 0;
			}
			if (c == '"' || d == '\n')
				next_byte(r); /* "" is one quote; CRLF one line break */
			if (c == '\r')
				c = '\n'; /* a line break in a value is LF, as in every text qda stores */
		}
		return add_byte(r, c) < 0 ? nomem(r) : 0;
	default: /* S_AFTER_QUOTE */
		if (is_blank(r, c))
			return 0;
		if (!is_end(r, c))
			return quote_error(r, s);
		return end_field(r, r->text.len) < 0 ? nomem(r) : 1;
	}
}

/* One record into r->at and r->text: 1, 0 at the end of the file (blank
 * lines skipped), FAIL after setting the error. */
static int read_record(struct csv_reader *r)
{
	struct scan s;
	int c, k;

again:
	r->nf = 0;
	r->text.len = 0;
	if (begin_field(r) < 0)
		return nomem(r);
	scan_field(r, &s);
	for (;;) {
		if ((s.state == S_UNQUOTED || s.state == S_QUOTED) && !r->need &&
		    take_run(r, s.state == S_UNQUOTED, &s.keep) < 0)
			return nomem(r);
		if ((c = next_byte(r)) == FAIL)
			return FAIL;
		if (r->text.len > RECORD_MAX) {
			if (s.state == S_QUOTED)
				fail_at(r, QDA_EINPUT, s.qline, s.qcol, "this quoted field runs on past 64 MiB (to line %ld); add "
				        "its closing \" (a \" inside a quoted field is written \"\")", r->at_line);
			else
				fail_at(r, QDA_EINPUT, r->at[0].line, r->at[0].col, "a row longer than 64 MiB; is this a CSV file?");
			return FAIL;
		}
		if ((k = scan_byte(r, &s, c)) <= 0) {
			if (k == FAIL)
				return FAIL;
			continue;
		}
		/* the field has ended, at a delimiter, a line end or the end */
		if (c == r->delim) {
			if (begin_field(r) < 0)
				return nomem(r);
			scan_field(r, &s);
			continue;
		}
		if (c == '\r') {
			int d = peek(r);
			if (d == FAIL)
				return FAIL;
			if (d == '\n')
				next_byte(r);
		}
		if (r->nf == 1 && !s.quoted && r->at[0].len == 0) {
			if (c == END)
				return 0;
			goto again; /* a blank line */
		}
		return 1;
	}
}

enum qda_status csv_next(struct csv_reader *r, struct csv_record *rec)
{
	size_t i;
	int k;

	memset(rec, 0, sizeof *rec);
	if (r->rc != QDA_OK)
		return r->rc;
	if ((k = read_record(r)) == FAIL)
		return r->rc;
	if (k == 0)
		return QDA_OK;
	if (r->fcap < r->nf) {
		struct csv_field *f = realloc(r->f, r->cap * sizeof *f);
		if (!f) {
			nomem(r);
			return r->rc;
		}
		r->f = f;
		r->fcap = r->cap;
	}
	for (i = 0; i < r->nf; i++) {
		r->f[i].s = r->text.s + r->at[i].start;
		r->f[i].len = r->at[i].len;
		r->f[i].line = r->at[i].line;
		r->f[i].col = r->at[i].col;
	}
	rec->f = r->f;
	rec->n = r->nf;
	rec->line = r->at[0].line;
	rec->end_line = r->at_line;
	rec->end_col = r->at_col;
	if (!r->header_n) {
		r->header_n = r->nf;
		return QDA_OK;
	}
	if (r->nf > r->header_n) {
		char loc[600];
		rec->wide = 1;
		snprintf(loc, sizeof loc, "%s:%ld:%ld", r->path, r->f[r->header_n].line, r->f[r->header_n].col);
		return seterr_at(r->h, QDA_EINPUT, loc, "row has %zu fields but the header has %zu; quote a field that "
		                 "contains a %s", r->nf, r->header_n, delim_name(r->delim));
	}
	return QDA_OK;
}
