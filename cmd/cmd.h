/* cmd.h — what every command file shares: the cli state, the cmd_* entry
 * points, and helpers to open the project and report errors.
 *
 * To add a command:
 *   1. write cmd/<name>.c with int cmd_<name>(struct cli *cli, int argc, char **argv),
 *      parsing its options with opts_parse() (that gives --help for free);
 *   2. declare it below and add a line to the command table in cmd/main.c;
 *   3. put its logic in a core/ module and its tests in tests/cli/ (and tests/unit/).
 */
#ifndef QDA_CMD_H
#define QDA_CMD_H

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>

#include "../core/qda.h"
#include "opts.h"
#include "out.h"

enum open_mode { OPEN_NONE, OPEN_READ, OPEN_WRITE };

struct cli {
	const char *cmdname;  /* "import", "codebook load", ... for messages */
	const char *project;  /* -p */
	const char *coder;    /* --coder */
	const char *format;   /* --format */
	const char *output;   /* -o */
	int force;            /* --force: -o may write through a symbolic link */
	int raw;              /* --raw: CSV/TSV cells as they are, not neutralised for spreadsheets */
	enum open_mode mode;  /* from the command table */
	char *cmdline;        /* the whole command line, for the audit trail */
	struct qda *h;        /* opened by cli_open() */
	int progress_tty;     /* stderr is a terminal: show progress */
};

/* Open the project as the command table says (or as mode says when not
 * OPEN_NONE), find it as DESIGN.md says, set the coder and the hooks.
 * Returns 0 or the exit status after printing the error. */
int cli_open(struct cli *cli, enum open_mode mode);
/* The project file a command would open: -p, else $QDA_PROJECT, else the
 * nearest project.qda; NULL when there is none. The caller frees it. */
char *cli_project_path(struct cli *cli);
/* Progress of long work on stderr when it is a terminal: nothing for the
 * first second, then "what done/total (P%), R/s, about S s left" redrawn
 * at most ten times a second, erased when done reaches total. what names
 * one piece of work: the same text throughout it. */
void cli_progress(struct cli *cli, const char *what, uint64_t done, uint64_t total);
/* The width of the terminal stdout is, or 0 when it is not one. */
int cli_term_width(void);
/* Print the handle's error as "qda CMD: LOC: error: MSG" and return the exit status. */
int cli_fail(struct cli *cli, enum qda_status st);
/* Print "qda CMD: error: MSG" (printf-style); returns 1. */
int cli_errorf(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "qda CMD: LOC: KIND: MSG" (LOC may be NULL), control characters
 * replaced (out_clean); vdiag formats MSG. */
void diag(struct cli *cli, const char *loc, const char *kind, const char *msg);
void vdiag(struct cli *cli, const char *kind, const char *fmt, va_list ap);
/* Print "qda CMD: warning: MSG". */
void cli_warnf(struct cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Exit status for a status: 0, 1 bad input or failed check, 2 usage. */
int exit_code(enum qda_status st);
/* The coder from --coder or $QDA_CODER, or NULL. */
const char *cli_coder(struct cli *cli);
/* The CSV delimiter of --delimiter (NULL: a comma): ',' or comma, ';' or
 * semicolon, tab. Returns 0, or 2 after printing the usage error. */
int cli_delimiter(struct cli *cli, const char *arg, char *delim);
/* The --delimiter line of a CSV-reading command's option table. */
#define OPT_DELIMITER(v) \
	OPT_STRING("delimiter", 0, v, "SEP", "the CSV's separator: ',' (the default), ';' or tab")
/* What counts: the filters every counting command takes besides the global
 * --coder (which is the coder filter there). */
struct filter_args {
	int no_auto, include_interviewer;
	const char *review;
	struct strlist where;
};
#define OPT_FILTERS(a) \
	OPT_BOOL("no-auto", 0, &(a)->no_auto, "leave out automatic codings (autocode)"), \
	OPT_STRING("review", 0, &(a)->review, "STATE", "accepted, not-disputed or any (the default)"), \
	OPT_LIST("where", 'w', &(a)->where, "KEY=V[,V]", "only cases with one of these values (repeatable: each holds)"), \
	OPT_BOOL("include-interviewer", 0, &(a)->include_interviewer, "count codings lying in interviewer turns too")
/* Fill f from a and --coder (its strings stay a's and cli's). Returns 0, or
 * 2 after printing the usage error for a bad --review. */
int filter_args_get(struct cli *cli, struct filter_args *a, struct qda_filter *f);
void filter_args_free(struct filter_args *a);
/* A number for a cell: NULL (an empty cell, JSON null) when v is NaN; in
 * text, Markdown and LaTeX rounded to decimals; in CSV, TSV and JSON the
 * shortest text that reads back to the same double. buf holds 32 bytes. */
const char *cell_num(const struct out *o, char *buf, double v, int decimals);

/* The noun for a count: one when n is 1, else many ("1 journal entry",
 * "2 journal entries"). */
static inline const char *noun(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Dispatch a sub-verb from a table; name NULL ends it. */
struct subcmd {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	enum open_mode mode;
	const char *summary;
};
int run_subcmd(struct cli *cli, const char *group, const struct subcmd *table, int argc, char **argv);
/* The same, an unknown verb told with the verbs and a hint (may be NULL):
 * where to go instead, e.g. the listing of a singular housekeeping command. */
int run_subcmd_hint(struct cli *cli, const char *group, const struct subcmd *table, int argc, char **argv,
                    const char *hint);

void die_nomem(void) __attribute__((noreturn));
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* printf into a new string (never cut); exits when memory runs out. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
/* A text written in $VISUAL or $EDITOR (vi when neither is set), in a
 * temporary file holding text0 (may be NULL), a blank line and header ('#'
 * lines, left out with every line starting with '#'); malloc'd, or NULL
 * after printing why when the editor failed (nothing written). */
char *cli_edit_text(struct cli *cli, const char *text0, const char *header);
/* Standard input whole, malloc'd (TEXT - of memo add, summary set,
 * translate); NULL after printing where when it holds a NUL byte. */
char *cli_read_stdin(struct cli *cli);
/* The text a command is given as its last n words: joined with spaces; "-"
 * alone reads stdin; none opens the editor with header. NULL after printing
 * why (the editor failed, a NUL byte). */
char *cli_text_args(struct cli *cli, int n, char **words, const char *header);
int cmd_summary(struct cli *cli, int argc, char **argv);
int cmd_translate(struct cli *cli, int argc, char **argv);
/* Quotes in the paper's language (--lang L, --originals) for retrieve,
 * exemplar and report. (translate.c) */
#define OPT_TRANSLATED(lang, originals) \
	OPT_STRING("lang", 0, lang, "L", "quote the translations into L (qda translate), marked as such"), \
	OPT_BOOL("originals", 0, originals, "with --lang: each translated quote's original in a note")
/* Check --lang and --originals: 0, or 2 after printing the usage error. */
int translated_args(struct cli *cli, const char *lang, int originals);
/* A coding's translation: its text, the mark that goes with it
 * ("translated from fr by yanis") and the source language, each malloc'd. */
struct translated {
	char *text, *mark, *from;
};
/* The translation of coding into lang into t; all NULL when there is none
 * (or lang is NULL, or coding 0). QDA_OK, or core's error. */
enum qda_status translated_get(struct qda *h, const char *lang, long long coding, struct translated *t);
void translated_free(struct translated *t);
/* The originals of translated quotes, numbered from 1 across one output,
 * written as notes after a section (or the whole output). */
enum notes_style { NOTES_TEXT, NOTES_MD, NOTES_HTML };
struct notes {
	enum notes_style style;
	char **text, **lang; /* the originals waiting to be written, and their languages */
	size_t n, cap;
	long last;           /* the number of the last note */
};
/* Keep an original for the next notes_write and write its reference after
 * the quote's mark: "[^k]" (md), " [k]" (text), a linked <sup> (html). */
void notes_ref(struct notes *n, FILE *fp, const char *text, const char *lang);
/* The originals kept, then none: "[^k]: text" (md; further lines indented
 * by four spaces), "Originals:" then "[k] text" (text), an
 * <ol class="originals"> (html). Nothing when none is kept. */
void notes_write(struct notes *n, FILE *fp);
void notes_free(struct notes *n);
int cmd_read(struct cli *cli, int argc, char **argv);
/* Mark doc read by the coder in a transaction of its own and say so on
 * stdout (qda read, and show's question); 0 or the exit status. */
int cli_read_mark(struct cli *cli, const char *doc, const char *memo);
int cmd_docs(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_speakers(struct cli *cli, int argc, char **argv);
int cmd_cases(struct cli *cli, int argc, char **argv);
int cmd_case(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_words(struct cli *cli, int argc, char **argv);
int cmd_undo(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);
int cmd_status(struct cli *cli, int argc, char **argv);
int cmd_help(struct cli *cli, int argc, char **argv);
/* housekeeping (issue 10) */
int cmd_doc(struct cli *cli, int argc, char **argv);
int cmd_speaker(struct cli *cli, int argc, char **argv);
int cmd_coder(struct cli *cli, int argc, char **argv);
int cmd_coders(struct cli *cli, int argc, char **argv);
int cmd_check(struct cli *cli, int argc, char **argv);
int cmd_backup(struct cli *cli, int argc, char **argv);
/* codebook (issue 4) */
int cmd_codebook(struct cli *cli, int argc, char **argv);
int cmd_theme(struct cli *cli, int argc, char **argv);
/* coding and retrieval (issue 5) */
int cmd_code(struct cli *cli, int argc, char **argv);
int cmd_uncode(struct cli *cli, int argc, char **argv);
int cmd_codings(struct cli *cli, int argc, char **argv);
int cmd_edit(struct cli *cli, int argc, char **argv);
int cmd_autocode(struct cli *cli, int argc, char **argv);
int cmd_retrieve(struct cli *cli, int argc, char **argv);
int cmd_memo(struct cli *cli, int argc, char **argv);
/* reports (issue 6) */
int cmd_freq(struct cli *cli, int argc, char **argv);
enum { FREQ_SEGMENTS, FREQ_DOCUMENTS, FREQ_CASES, FREQ_WORDS };
/* Write a frequency table (or with OUT_SVG the bar chart) to an open output;
 * count is FREQ_*: what the --by columns show; slim: names and counts only,
 * for a paper (always so in LaTeX and HTML). (freq.c) */
enum qda_status freq_write(struct qda *h, struct out *o, const struct qda_freq_opts *fo, int count, int percent,
                           int slim);
int cmd_cooccur(struct cli *cli, int argc, char **argv);
int cmd_map(struct cli *cli, int argc, char **argv);
int cmd_matrix(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_exemplar(struct cli *cli, int argc, char **argv);
int cmd_saturation(struct cli *cli, int argc, char **argv);
/* The report's audit appendix: the log by Braun & Clarke's phase, in
 * Markdown or HTML. (report_audit.c) */
enum qda_status report_audit(struct qda *h, FILE *fp, int html);
/* The saturation verdict as a sentence, lower case first ("saturation
 * reached at document 8 (after the base of 4 and a run of 2, 0% new
 * information): ..."), malloc'd. (saturation.c, used by report.c) */
char *saturation_sentence(const struct qda_saturation *s, const struct qda_saturation_opts *o);
/* "theme", "subtheme", "code" or "all"; -1 otherwise */
int parse_level(const char *s, enum qda_level *l);
/* review and agreement (issue 7) */
int cmd_review(struct cli *cli, int argc, char **argv);
int cmd_merge(struct cli *cli, int argc, char **argv);
int cmd_agree(struct cli *cli, int argc, char **argv);
/* the project as files, and pseudonyms (issue 14) */
int cmd_dump(struct cli *cli, int argc, char **argv);
int cmd_pseudonymise(struct cli *cli, int argc, char **argv);
/* the project in a browser (issue 17): serve.c, web*.c; user.c the accounts */
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
/* REFI-QDA exchange (issue 12) */
int cmd_export(struct cli *cli, int argc, char **argv);

/* The command table, for help and for the --help test. */
struct command {
	const char *name;
	int (*fn)(struct cli *, int, char **);
	enum open_mode mode;
	const char *summary;
};
extern const struct command commands[];

/* What a codebook load or reshape changed, listed as a table (change, id,
 * detail) begun with the first change. (codebook.c, used by theme.c) */
struct changes {
	struct cli *cli;
	struct out *o;
	long n;
};
int print_change(void *ctx, const struct qda_cb_change *c);

#endif
