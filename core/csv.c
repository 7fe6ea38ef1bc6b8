/* csv.c — the one CSV reader behind every CSV qda reads (code --from, review
 * import, case import): libcsv parses it (RFC 4180, strict), streamed; this
 * file feeds it the file and keeps the line and column of every field and
 * every error. It never guesses: a malformed file is an error at the place to
 * correct, never a field that swallows the rows after it. */
#include <csv.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

/* A record longer than this is refused: memory stays bounded, and a quote
 * left open is reported before it has swallowed the whole file. */
#define RECORD_MAX ((size_t)64 << 20)

/* The least libcsv's value buffer grows by (its default is 128 bytes). */
#define BLOCK_MIN ((size_t)4096)

enum { FAIL = -1 };

/* Bytes the scan of a piece stops at: those that can end a field or a record
 * in libcsv (the delimiter, CR, LF), and those the UTF-8 check looks at (NUL
 * and every byte from 0x80). */
enum { K_END = 1, K_CHECK = 2 };

struct field_at {
	size_t start, len;
	long line, col;
};

struct csv_reader {
	struct qda *h;
	const char *path;
	FILE *fp;
	char delim;
	struct csv_parser p;
	unsigned char in[65536];
	size_t pos, len;
	int eof;
	int done;              /* csv_fini has run: the end of the file was reached */
	enum qda_status rc;    /* the error that ended the reading, QDA_OK before */
	/* where the next byte is: line, column (code points from 1), byte offset */
	long line, col;
	size_t off;
	int after_cr;          /* the last byte was CR: an LF now ends no new line */
	/* the UTF-8 check: continuation bytes still due, the range of the next one,
	 * and where the character they belong to starts */
	int need;
	unsigned char lo, hi;
	size_t seq_off;
	long seq_line, seq_col;
	unsigned char seq_byte;
	/* the field libcsv is reading */
	long fline, fcol;      /* where its cell starts */
	int blank;             /* nothing but blanks in it yet */
	int quoted;            /* it starts with a quote ... */
	long qline, qcol;      /* ... there */
	size_t vstart;         /* byte offset of its value (after that quote) */
	size_t quotes, crlf;   /* quoted: the quotes after the first, the CRLFs */
	int cr;                /* a CR in it (in quotes) */
	/* the last piece fed to libcsv */
	int last;              /* its last byte when that can end a field, else -1 */
	long last_line, last_col; /* where that byte is (or the end of the piece) */
	int field_ended, row_ended; /* libcsv ended a field, a record in it */
	/* the record being read */
	struct buf text;       /* the values, each followed by NUL */
	struct field_at *at;
	size_t nf, cap;
	struct csv_field *f;   /* what csv_next hands out, fcap of them */
	size_t fcap;
	size_t header_n;       /* fields in the header; 0 until it is read */
	unsigned char kind[256];
};

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

static int bad_utf8(struct csv_reader *r, size_t off, long line, long col, unsigned char b)
{
	fail_at(r, QDA_EINPUT, line, col,
	        "invalid UTF-8 at byte %zu (byte 0x%02X); the file is in another encoding: save it as \"CSV UTF-8\" "
	        "from the spreadsheet", off, b);
	return FAIL;
}

static int is_blank(const struct csv_reader *r, unsigned char b)
{
	return b == ' ' || (b == '\t' && r->delim != '\t');
}

/* libcsv's callbacks: a field ends, a record ends. */
static void on_field(void *s, size_t len, void *data)
{
	struct csv_reader *r = data;
	struct field_at *a;
	char *v, *p, *q, *e;

	if (r->rc != QDA_OK)
		return;
	if (r->nf == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		if (!(a = realloc(r->at, cap * sizeof *a))) {
			nomem(r);
			return;
		}
		r->at = a;
		r->cap = cap;
	}
	r->field_ended = 1;
	a = &r->at[r->nf++];
	a->start = r->text.len;
	a->line = r->fline;
	a->col = r->fcol;
	/* CSV_APPEND_NULL: the value's NUL comes with it */
	if (buf_add(&r->text, s, len + 1) < 0) {
		nomem(r);
		return;
	}
	/* a line break in a quoted value is LF, as in every text qda stores */
	v = r->text.s + a->start;
	e = v + len;
	if (r->cr && (p = memchr(v, '\r', len))) {
		for (q = p; p < e; p++) {
			if (*p != '\r')
				*q++ = *p;
			else if (p + 1 == e || p[1] != '\n')
				*q++ = '\n';
		}
		*q = '\0';
		len = (size_t)(q - v);
		r->text.len = a->start + len + 1;
	}
	a->len = len;
}

static void on_record(int c, void *data)
{
	struct csv_reader *r = data;
	r->row_ended = 1;
}

/* libcsv refused the byte s[k] of a piece that starts at line, col. */
static int parse_error(struct csv_reader *r, const unsigned char *s, size_t k, long line, long col)
{
	size_t i;
	int st = csv_error(&r->p);
	if (st != CSV_EPARSE) { /* its value buffer could not grow */
		r->rc = seterr(r->h, QDA_ENOMEM, "out of memory (%s)", csv_strerror(st));
		return FAIL;
	}
	for (i = 0; i < k; i++)
		if ((s[i] & 0xC0) != 0x80)
			col++;
	if (!r->quoted)
		fail_at(r, QDA_EINPUT, line, col, "malformed CSV: a quote inside a field that does not start with one; "
		        "put the whole field in quotes and write each \" in it as \"\"");
	else if (r->qline != line) /* text after a closing quote, lines below the opening one */
		fail_at(r, QDA_EINPUT, r->qline, r->qcol, "this quoted field runs on to line %ld, where a quote ends it "
		        "before other text; add the closing \" where the field ends (a \" inside a quoted field is written "
		        "\"\")", line);
	else
		fail_at(r, QDA_EINPUT, line, col, "malformed CSV: text after the closing quote of a field; a \" inside a "
		        "quoted field is written \"\"");
	return FAIL;
}

/* Give libcsv n bytes that start at line, col; FAIL after an error. */
static int parse(struct csv_reader *r, const unsigned char *s, size_t n, long line, long col)
{
	size_t k = csv_parse(&r->p, s, n, on_field, on_record, r);
	if (r->rc != QDA_OK)
		return FAIL;
	return k < n ? parse_error(r, s, k, line, col) : 0;
}

/* The next field starts at the next byte. */
static void start_field(struct csv_reader *r)
{
	r->fline = r->line;
	r->fcol = r->col;
	r->blank = 1;
	r->cr = 0;
}

/* The first byte that is not a blank in a field: whether it is a quote, and
 * where, for the errors about it. */
static void first_byte(struct csv_reader *r, const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_blank(r, s[i]))
		i++;
	if (i == n || (r->kind[s[i]] & K_END))
		return;
	r->blank = 0;
	r->quoted = s[i] == '"';
	r->qline = r->line;
	r->qcol = r->col + (long)i;
	r->vstart = r->off + i + (size_t)r->quoted;
	r->quotes = r->crlf = 0;
}

/* The value bytes of the record before byte k of the piece s: "" and a CRLF
 * in quotes are one byte of the value; the NUL each ended value has in
 * r->text is not. Counts the quotes up to k. */
static size_t record_size(struct csv_reader *r, const unsigned char *s, size_t k)
{
	const unsigned char *q, *e = s + k;
	if (r->blank)
		return r->text.len - r->nf;
	if (r->quoted) {
		q = s + (r->vstart > r->off ? r->vstart - r->off : 0); /* after the opening quote */
		while (q < e && (q = memchr(q, '"', (size_t)(e - q)))) {
			r->quotes++;
			q++;
		}
	}
	return r->text.len - r->nf + (r->off + k - r->vstart) - r->quotes / 2 - r->crlf;
}

/* The record is longer than RECORD_MAX at line. */
static int too_long(struct csv_reader *r, long line)
{
	if (!r->blank && r->quoted && r->quotes % 2 == 0) /* inside the quotes */
		fail_at(r, QDA_EINPUT, r->qline, r->qcol, "this quoted field runs on past 64 MiB (67108864 bytes, to line %ld); add its "
		        "closing \" (a \" inside a quoted field is written \"\")", line);
	else
		fail_at(r, QDA_EINPUT, r->nf ? r->at[0].line : r->fline, r->nf ? r->at[0].col : r->fcol,
		        "a row whose values add up to more than 64 MiB (67108864 bytes); is this a CSV file?");
	return FAIL;
}

/* The piece of s[0, n): up to and with the first byte that can end a field
 * or a record (*last, else -1), or to n; or up to the first byte that is not
 * UTF-8 or a NUL (*err set). Its length; *col advances over it. */
static size_t scan_piece(struct csv_reader *r, const unsigned char *s, size_t n, long line, long *col, int *last,
                         int *err)
{
	size_t i = 0, j;
	unsigned char b;

	*last = -1;
	*err = 0;
	while (i < n) {
		b = s[i];
		if (r->need) {
			if (b < r->lo || b > r->hi) {
				*err = 1;
				return i;
			}
			r->lo = 0x80;
			r->hi = 0xBF;
			r->need--;
			i++;
			continue;
		}
		if (!r->kind[b]) {
			for (j = i++; i < n && !r->kind[s[i]]; i++)
				;
			*col += (long)(i - j);
			continue;
		}
		if (r->kind[b] & K_END) {
			*last = b;
			return i + 1;
		}
		if (b == 0 || b < 0xC2 || b > 0xF4) {
			*err = 1;
			return i;
		}
		r->lo = 0x80;
		r->hi = 0xBF;
		r->need = b <= 0xDF ? 1 : b <= 0xEF ? 2 : 3;
		/* no overlong forms, no surrogates, nothing past U+10FFFF */
		if (b == 0xE0)
			r->lo = 0xA0;
		else if (b == 0xED)
			r->hi = 0x9F;
		else if (b == 0xF0)
			r->lo = 0x90;
		else if (b == 0xF4)
			r->hi = 0x8F;
		r->seq_off = r->off + i;
		r->seq_line = line;
		r->seq_col = *col;
		r->seq_byte = b;
		(*col)++;
		i++;
	}
	return i;
}

/* Give libcsv the next piece of the buffer (scan_piece), so that a field or
 * record it ends was ended by the last byte of the piece: that is how its
 * position is known. An encoding error in the piece is reported after libcsv
 * has read the bytes before it, so the first error in the file is the one
 * reported. 0 or FAIL. */
static int feed_piece(struct csv_reader *r)
{
	const unsigned char *s = r->in + r->pos;
	size_t i, size, grown;
	long line = r->line, col = r->col;
	int last, err;

	r->field_ended = r->row_ended = 0;
	if (r->blank)
		first_byte(r, s, r->len - r->pos);
	i = scan_piece(r, s, r->len - r->pos, line, &col, &last, &err);
	size = record_size(r, s, i - (last >= 0));
	/* libcsv grows its value buffer by the block size: doubling that keeps a
	 * long value from being copied once per block */
	if (!r->blank && r->off + i - r->vstart > BLOCK_MIN) {
		grown = csv_get_buffer_size(&r->p);
		csv_set_blk_size(&r->p, grown > BLOCK_MIN ? grown : BLOCK_MIN);
	}
	if (parse(r, s, i, line, r->col) == FAIL)
		return FAIL;
	if (err) {
		if (r->need)
			return bad_utf8(r, r->seq_off, r->seq_line, r->seq_col, r->seq_byte);
		if (s[i] == 0) {
			fail_at(r, QDA_EINPUT, line, col, "a NUL byte (byte %zu); this is not a text file: save it as \"CSV "
			        "UTF-8\" from the spreadsheet", r->off + i);
			return FAIL;
		}
		return bad_utf8(r, r->off + i, line, col, s[i]);
	}
	if (size > RECORD_MAX)
		return too_long(r, line);
	r->pos += i;
	r->off += i;
	r->last = last;
	r->last_line = line; /* where the last byte is */
	r->last_col = col;
	if (last == '\n' && r->after_cr && i == 1) {
		r->after_cr = 0; /* CRLF: the CR ended the line */
		r->crlf++;
	} else if (last == '\n' || last == '\r') {
		r->cr |= last == '\r'; /* in a value unless it ended the record */
		r->line = line + 1;
		r->col = 1;
		r->after_cr = last == '\r';
	} else {
		r->line = line;
		r->col = col + (last >= 0);
		r->after_cr = 0;
	}
	return 0;
}

/* The record has ended at its line break (a CRLF is one) or at the end of
 * the file; the next field starts a record. */
static int end_record(struct csv_reader *r)
{
	if (r->after_cr && fill(r) == 1 && r->in[r->pos] == '\n') {
		r->last_line = r->line;
		r->last_col = r->col;
		if (parse(r, r->in + r->pos, 1, r->line, r->col) == FAIL)
			return FAIL;
		r->pos++;
		r->off++;
		r->after_cr = 0;
	}
	start_field(r);
	return r->rc == QDA_OK ? 1 : FAIL;
}

/* The end of the file: libcsv ends the last record. */
static int finish(struct csv_reader *r)
{
	r->done = 1;
	r->field_ended = r->row_ended = 0;
	if (r->need)
		return bad_utf8(r, r->seq_off, r->seq_line, r->seq_col, r->seq_byte);
	if (csv_fini(&r->p, on_field, on_record, r) != 0) {
		fail_at(r, QDA_EINPUT, r->qline, r->qcol, "this quoted field is never closed; add the closing \" (a \" "
		        "inside a quoted field is written \"\")");
		return FAIL;
	}
	if (r->rc != QDA_OK)
		return FAIL;
	if (!r->row_ended)
		return 0;
	r->last_line = r->line;
	r->last_col = r->col;
	return end_record(r);
}

/* One record into r->at and r->text: 1, 0 at the end of the file (blank
 * lines skipped), FAIL after setting the error. */
static int read_record(struct csv_reader *r)
{
	int k;

	r->nf = 0;
	r->text.len = 0;
	while (!r->done) {
		if ((k = fill(r)) == FAIL)
			return FAIL;
		if (k == 0)
			return finish(r);
		if (feed_piece(r) == FAIL)
			return FAIL;
		if (r->row_ended)
			return end_record(r);
		if (r->field_ended || (r->blank && !r->nf && (r->last == '\n' || r->last == '\r')))
			start_field(r); /* after a delimiter, or a blank line */
	}
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
	r->last = -1;
	start_field(r);
	for (i = 0x80; i < 256; i++)
		r->kind[i] = K_CHECK;
	r->kind[0] = K_CHECK;
	r->kind['\n'] = r->kind['\r'] = r->kind[(unsigned char)r->delim] = K_END;
	/* Strict: a stray quote is an error, and so is a quote never closed at the
	 * end. Blanks are libcsv's own (space and tab; a tab delimiter is not a
	 * blank), as is_blank says. */
	csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	csv_set_delim(&r->p, (unsigned char)r->delim);
	csv_set_blk_size(&r->p, BLOCK_MIN);
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
	csv_free(&r->p);
	buf_free(&r->text);
	free(r->at);
	free(r->f);
	free(r);
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
	rec->end_line = r->last_line;
	rec->end_col = r->last_col;
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

void csv_unneutralise(char *cell)
{
	/* the inverse of qda's CSV writer (cmd/out_csv.c): a ' before = + - @
	 * tab or CR was put there for spreadsheets; one is taken off */
	if (cell && cell[0] == '\'' && cell[1] && strchr("=+-@\t\r'", cell[1]) &&
	    (cell[1] != '\'' || (cell[2] && strchr("=+-@\t\r", cell[2]))))
		memmove(cell, cell + 1, strlen(cell));
}
