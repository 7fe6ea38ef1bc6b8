/* out.h — the output layer: every listing goes through one interface
 * (begin, row, end) and one writer per format turns rows into text, CSV,
 * TSV, JSON or Markdown. No command writes its own quoting or escaping. */
#ifndef QDA_OUT_H
#define QDA_OUT_H

#include <stddef.h>
#include <stdio.h>

struct cli;

enum out_format { OUT_TEXT, OUT_CSV, OUT_TSV, OUT_JSON, OUT_MD, OUT_LATEX, OUT_HTML, OUT_SVG, OUT_YAML, OUT_DOT, OUT_QDC };
enum col_type { COL_STR, COL_INT, COL_NUM };

struct col {
	const char *name;
	enum col_type type;
};

struct out;

struct out_writer {
	void (*begin)(struct out *o);
	void (*row)(struct out *o, const char *const *vals);
	void (*end)(struct out *o);
};

struct out {
	enum out_format fmt;
	FILE *fp;
	struct outfile *file; /* -o FILE: fp writes it whole, put in place by out_close */
	FILE *clean_to;       /* fp is out_clean_stream(clean_to): text, md, latex */
	int neutralise;       /* CSV, TSV: text cells a spreadsheet would run as formulas get a ' (out_csv.c);
	                       * set by out_open unless --raw */
	const struct out_writer *w;
	const struct col *cols;
	size_t ncols;
	size_t nrows;
	/* text: rows kept to align columns by display width */
	char **cells;
	size_t cap;
	int no_header;
	int begun;  /* the writer's begin has run: the header goes out with the first row */
	int failed; /* out_fail: an empty table is not written at all */
	/* text: rows kept to max_width display columns (0: no limit) by cutting
	 * the cells of the columns in the shrink mask (1 << column), widest
	 * first, an ellipsis marking each cut */
	size_t max_width;
	unsigned shrink;
};

/* Parse a format name; "allowed" is a mask of 1 << enum out_format. */
int out_parse_format(const char *s, unsigned allowed, enum out_format *f);
#define OUT_LISTING ((1u << OUT_TEXT) | (1u << OUT_CSV) | (1u << OUT_TSV) | (1u << OUT_JSON) | (1u << OUT_MD))
/* Open the output the cli asks for (--format within allowed, -o FILE, which
 * is written whole: see outfile_open). Returns NULL after printing a usage
 * error (*rc set to 2: an unknown format, or -o naming the project file or
 * another SQLite database) or an I/O error (1). */
struct out *out_open(struct cli *cli, unsigned allowed, int *rc);
/* A file qda writes must never be the project (codings -o project.qda once
 * left it empty), its journals, or another project: 0, or 2 after printing
 * why, the file named as opt (e.g. "-o ", or "" for an argument) then out. */
int out_refuse_project(struct cli *cli, const char *out, const char *opt);
/* An output of a given format on an open stream (not closed by out_close). */
struct out *out_new(enum out_format fmt, FILE *fp);
/* Start a table with these columns; the array must outlive the table. The
 * header is written with the first row, or by out_end. */
void out_begin(struct out *o, const struct col *cols, size_t ncols);
/* The command failed: if no row was written, out_end writes nothing (no
 * header above an error message). */
void out_fail(struct out *o);
/* End a listing made while a command ran to status st, and close it: on a
 * failure no header is left above the error, which is printed, and no -o
 * file is written. Returns the exit status. */
int out_finish(struct cli *cli, struct out *o, enum qda_status st);
/* One row: ncols strings, NULL for an empty cell (JSON null). */
void out_row(struct out *o, const char *const *vals);
void out_end(struct out *o);
/* Close the output of a command; failed: it did not succeed. The -o file
 * is then put in place whole, or, when failed, not written at all (a file
 * of that name stays as it was). Returns 0, or 1 after printing a write
 * error. NULL does nothing. */
int out_close(struct cli *cli, struct out *o, int failed);

/* Files written whole (outfile.c): written into a temporary file beside
 * name, which outfile_commit flushes to disk and renames over name, and
 * which outfile_discard, or a signal that ends qda, removes, name left as it
 * was. A new file is mode 0600 (interview data is confidential); a file
 * replaced keeps its mode. A symbolic link is refused (*rc 2) unless
 * cli->force (--force): then its target is replaced and the link stays. A
 * name that is not a regular file (a named pipe, /dev/null) is written as it
 * is; /dev/... and /proc/... names are the streams they stand for. */
struct outfile;
/* NULL after printing the error (*rc set to 1, or 2 for a link refused). */
struct outfile *outfile_open(struct cli *cli, const char *name, int *rc);
FILE *outfile_fp(struct outfile *f);
/* Put the file in place and free f; 0, or 1 after printing the error (the
 * file is then discarded). */
int outfile_commit(struct cli *cli, struct outfile *f);
/* Remove the temporary file and free f; NULL does nothing. */
void outfile_discard(struct outfile *f);

extern const struct out_writer out_text_writer, out_csv_writer, out_tsv_writer, out_json_writer,
	out_md_writer, out_latex_writer, out_html_writer;
#define OUT_REPORT (OUT_LISTING | (1u << OUT_LATEX) | (1u << OUT_HTML))
/* The one escaping of every value put in HTML, SVG or XML (out_clean.c):
 * & < > " ' as entities, a control character as U+FFFD (XML allows none),
 * a newline as <br> when br, else as a space. */
void out_markup_escape(FILE *fp, const char *s, int br);
/* out_markup_escape with newlines as <br>: HTML text. */
void out_html_escape(FILE *fp, const char *s);
/* A value in Markdown: < > as entities (& is left: an entity shows text), so that no raw HTML (a <script>
 * in a quote, an <img onerror> in a name) reaches a Markdown renderer; in a
 * table cell (table) also | escaped and newlines as <br>. Control
 * characters are left to the stream (out_clean_stream). */
void out_md_escape(FILE *fp, const char *s, int table);
/* The byte length of the control character s starts with (C0 but tab and
 * newline, DEL, C1 in UTF-8), or 0. */
size_t out_control_len(const char *s);
/* s to fp, each control character replaced by U+FFFD. */
void out_clean(FILE *fp, const char *s);
/* A stream that writes into `to` with each control character replaced by
 * U+FFFD: text, Markdown and LaTeX outputs go through it (out_open), so no
 * name, memo or transcript can send escape sequences to a terminal. Closing
 * it flushes `to`, and leaves it open. */
FILE *out_clean_stream(FILE *to);
/* A keyword in context on one text line: the last `width` display columns
 * of before, [match] (cut to match_width columns when that is positive),
 * then the first `width` columns of after; an ellipsis marks each cut. */
void out_kwic(FILE *fp, const char *before, const char *match, const char *after, int width, int match_width);

#endif
