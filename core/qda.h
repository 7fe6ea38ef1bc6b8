/* qda.h — the public API of the qda library, the only core header cmd/ includes.
 * core/ never prints, exits, reads the environment or the terminal: it returns a
 * status, and the detail of an error is on the handle (qda_errmsg, qda_errloc). */
#ifndef QDA_H
#define QDA_H

#include <stddef.h>
#include <stdint.h>

enum qda_status {
	QDA_OK = 0,
	QDA_EINPUT,   /* bad input: a file, a value, a failed check */
	QDA_EINVAL,   /* a bad argument from the caller (a usage error in cmd/) */
	QDA_ENOTFOUND,/* a named object does not exist */
	QDA_EEXIST,   /* an object already exists */
	QDA_EIO,      /* a file could not be read or written */
	QDA_EDB,      /* the database refused */
	QDA_ENOMEM,
};

/* The project handle: one open SQLite project file. Opaque. */
struct qda;

/* ---- handle, errors, hooks (store.c) ---- */

/* Create a new project at path (mode 0600). QDA_EEXIST if the file exists. */
enum qda_status qda_init(const char *path, struct qda **out);
/* Open an existing project. readonly: no writes allowed. Migrates an older
 * schema when not readonly. *out is set even on error (for qda_errmsg) and
 * must be closed. */
enum qda_status qda_open(const char *path, int readonly, struct qda **out);
void qda_close(struct qda *h);
const char *qda_path(const struct qda *h);

/* The last error: the message ("what is wrong; what to do") and its location
 * ("file:line:col", "DOC:pos" or ""), both valid until the next call. */
const char *qda_errmsg(const struct qda *h);
const char *qda_errloc(const struct qda *h);

/* Warnings (what does not stop the command) and progress (done of total,
 * total 0 if unknown) reach the caller through callbacks it sets. */
typedef void (*qda_warn_fn)(void *ctx, const char *loc, const char *msg);
typedef void (*qda_progress_fn)(void *ctx, const char *what, uint64_t done, uint64_t total);
void qda_set_warn(struct qda *h, qda_warn_fn fn, void *ctx);
void qda_set_progress(struct qda *h, qda_progress_fn fn, void *ctx);

/* The coder recorded with changes (may be NULL for commands that need none). */
void qda_set_coder(struct qda *h, const char *name);
const char *qda_coder(const struct qda *h);

/* One transaction per command: begin, then commit or rollback. The command
 * line is written to the audit trail with the summary at commit. */
enum qda_status qda_begin(struct qda *h, const char *command);
enum qda_status qda_commit(struct qda *h, const char *summary);
void qda_rollback(struct qda *h);

/* The schema version this library writes. */
int qda_schema_version(void);

/* ---- text (text.c): UTF-8, NFC, folding, width ---- */

/* Check UTF-8: QDA_OK, or QDA_EINPUT with *bad_offset the byte offset of the
 * first invalid sequence. */
enum qda_status qda_text_check_utf8(const char *s, size_t len, size_t *bad_offset);
/* Normalise to the stored form: BOM removed, CRLF and CR to LF, NFC. The input
 * must be valid UTF-8. *out is malloc'd and owned by the caller. */
enum qda_status qda_text_normalize(const char *s, size_t len, char **out, size_t *outlen);
/* Case-fold and strip accents ("Écoute" -> "ecoute"), for matching. malloc'd. */
char *qda_text_fold(const char *s, size_t len);
/* Display width of a UTF-8 string in terminal columns (wide characters 2). */
size_t qda_text_width(const char *s);
/* Number of code points in s[0..len). */
size_t qda_text_cplen(const char *s, size_t len);
/* Byte offset of the code point at index cp in s (len bytes), or len. */
size_t qda_text_cp_to_byte(const char *s, size_t len, size_t cp);
/* Convert bytes in a legacy encoding (iconv name, e.g. "cp1252") to UTF-8. */
enum qda_status qda_text_convert(const char *s, size_t len, const char *encoding, char **out,
                                 size_t *outlen);
/* Lowercase hex SHA-256 of the bytes, into hex[65]. */
void qda_sha256_hex(const void *data, size_t len, char hex[65]);

/* ---- import (import.c and one reader per format) ---- */

struct qda_import_opts {
	const char *format;        /* "auto" or NULL, txt md vtt srt docx */
	const char *encoding;      /* NULL: UTF-8 */
	const char *case_name;     /* NULL: the file stem */
	const char *name;          /* document name; NULL: the file stem */
	const char **attrs;        /* "KEY=VALUE" strings, n_attrs of them */
	size_t n_attrs;
	const char **interviewers; /* speaker names marked as interviewer */
	size_t n_interviewers;
};

enum qda_import_result { QDA_IMPORTED, QDA_SKIPPED_SAME };

struct qda_import_report {
	enum qda_import_result result;
	char name[256];    /* the document name */
	char existing[256];/* on QDA_SKIPPED_SAME: the document holding that text */
	long turns, words, speakers;
	char format[8];
};

/* Import one file inside the caller's transaction. */
enum qda_status qda_import_file(struct qda *h, const char *path, const struct qda_import_opts *o,
                                struct qda_import_report *rep);

/* ---- documents, cases and search (docs.c, cases.c, search.c) ---- */

struct qda_doc_row {
	long long id;
	const char *name, *case_name, *format, *speakers, *role;
	long turns, words, lines, length;
};
typedef int (*qda_doc_fn)(void *ctx, const struct qda_doc_row *row);
/* Call fn per document in name order; a non-zero return stops the walk. */
enum qda_status qda_docs_list(struct qda *h, qda_doc_fn fn, void *ctx);

struct qda_line_row {
	long n;                /* line number from 1 */
	long start, end;       /* code points */
	long turn;             /* 0 before the first turn */
	const char *speaker;   /* NULL when not at a turn */
	int turn_start;        /* this line starts its turn */
	const char *text;      /* the line, without LF */
};
typedef int (*qda_line_fn)(void *ctx, const struct qda_line_row *row);
/* Lines first..last (0 = to the end) of document name; QDA_ENOTFOUND if none. */
enum qda_status qda_doc_lines(struct qda *h, const char *doc, long first, long last,
                              qda_line_fn fn, void *ctx);

struct qda_speaker_row {
	const char *name;
	int interviewer;
	long turns, words;
	long first_turn;
};
typedef int (*qda_speaker_fn)(void *ctx, const struct qda_speaker_row *row);
enum qda_status qda_doc_speakers(struct qda *h, const char *doc, qda_speaker_fn fn, void *ctx);

struct qda_case_row {
	const char *name;
	long docs;
	const char **keys, **values; /* n_attrs of each, sorted by key */
	size_t n_attrs;
};
typedef int (*qda_case_fn)(void *ctx, const struct qda_case_row *row);
enum qda_status qda_cases_list(struct qda *h, qda_case_fn fn, void *ctx);
/* All attribute keys in use, sorted; *keys malloc'd array of malloc'd strings. */
enum qda_status qda_case_keys(struct qda *h, char ***keys, size_t *n);
void qda_strv_free(char **v, size_t n);
/* Set "KEY=VALUE" attributes on a case, creating it if create is set. An
 * empty value removes the attribute. */
enum qda_status qda_case_set(struct qda *h, const char *case_name, const char **kv, size_t n,
                             int create);
/* Cases from a CSV file: header row, first column the case name, the other
 * columns attributes. Unknown cases are created. *n_cases rows applied. */
enum qda_status qda_case_import_csv(struct qda *h, const char *path, long *n_cases);

struct qda_search_opts {
	const char *query;
	int context;           /* lines of context around each hit */
	const char *doc;       /* NULL: every document */
	long limit;            /* 0: no limit */
};
struct qda_search_row {
	const char *doc, *case_name, *speaker;
	long line, turn;
	long start, end;        /* code points of the hit in the document */
	const char *before, *match, *after; /* keyword in context on the line */
	const char *context;    /* surrounding lines, LF-separated, when asked */
};
typedef int (*qda_search_fn)(void *ctx, const struct qda_search_row *row);
enum qda_status qda_search(struct qda *h, const struct qda_search_opts *o, qda_search_fn fn,
                           void *ctx);

/* ---- codebook (codebook.c, theme.c) ---- */

/* ---- coding and retrieval (coding.c, autocode.c, retrieve.c, memo.c) ---- */

/* -- coding.c / retrieve.c -- */

enum qda_unit { QDA_UNIT_LINE, QDA_UNIT_TURN, QDA_UNIT_CHAR };

/* A span of a document resolved to code points [start, end) and the lines
 * (from 1) holding its first and last character. */
struct qda_span {
	char doc[256];        /* the document's name */
	long long doc_id;
	long start, end;
	long line_first, line_last;
};

/* Lines or turns from..to (inclusive, from 1): from the start of the first
 * to the end of the last (a line's end excludes its LF); or characters
 * [from, to) counted from 0. QDA_ENOTFOUND for an unknown document (nearest
 * names suggested), QDA_EINPUT for a span outside it or empty. */
enum qda_status qda_span_units(struct qda *h, const char *doc, enum qda_unit unit, long from, long to,
                               struct qda_span *sp);
/* The one place the quote occurs in the document: the quote is NFC-
 * normalised and any run of whitespace in it matches any run of whitespace
 * (line breaks included) in the text; leading and trailing whitespace is
 * ignored. QDA_EINPUT when it occurs several times (the message lists the
 * candidates with their lines) or not at all (with the nearest line found
 * ignoring case and accents when there is one). O(length of the text). */
enum qda_status qda_span_quote(struct qda *h, const char *doc, const char *quote, struct qda_span *sp);

struct qda_code_opts {
	const char *memo;     /* NULL or "": none */
	int create;           /* --new: an unknown code is added to the codebook, in vivo */
	const char *under;    /* with create: the theme or sub-theme it goes under (required) */
};
struct qda_code_result {
	long long coding_id;
	int created;          /* 0: this coder had already coded this span with this code */
	int node_created;     /* the code was added to the codebook */
	char code[256];       /* the code's id (the slug of a new code's text) */
};
/* Code a span with one code by the handle's coder (QDA_EINVAL without one),
 * inside the caller's transaction. An unknown code is QDA_ENOTFOUND with the
 * nearest ids suggested, unless o->create: then it is added as a code
 * (in_vivo, name = the text given, id = the text when it is a valid id, else
 * its slug) under o->under. A retired code is refused (QDA_EINPUT). */
enum qda_status qda_code_span(struct qda *h, const struct qda_span *sp, const char *code,
                              const struct qda_code_opts *o, struct qda_code_result *r);

/* Batch coding from a CSV file with a header naming the columns document,
 * unit, from, to, code, coder and optionally memo (any order); unit is line,
 * turn or char (from-to inclusive for lines and turns, [from, to) for
 * characters). A UTF-8 BOM and CRLF line ends are accepted. Every row is
 * checked first and each bad one reported through err with loc "FILE:ROW"
 * (the header is row 1); then, when none is bad, every row is written (in
 * the caller's transaction) with method "import", coders created on first
 * use. QDA_EINPUT when a row is bad: nothing is written. */
typedef void (*qda_row_error_fn)(void *ctx, const char *loc, const char *msg);
struct qda_code_import {
	long rows, added, present, bad;
};
enum qda_status qda_code_import_csv(struct qda *h, const char *path, qda_row_error_fn err, void *ctx,
                                    struct qda_code_import *rep);

/* One coding with what a reader needs around it. Strings are valid during
 * the callback only; "" when unknown. */
struct qda_extract {
	long long coding_id;
	const char *doc, *case_name, *speaker;   /* speaker of the turn holding start */
	const char *code, *code_name, *coder, *method, *memo, *state;
	const char *const *keys, *const *values; /* the case's attributes, by key */
	size_t n_attrs;
	const char *role;                        /* the case's "role" attribute or "" */
	long line_first, line_last, start, end;
	const char *text;                        /* the coded text */
	const char *before, *after;              /* context lines, LF-joined ("" when none) */
	long before_first, after_last;           /* their first and last line numbers (0: none) */
};
typedef int (*qda_extract_fn)(void *ctx, const struct qda_extract *e);

/* Remove codings by id, all or nothing: an unknown id is QDA_ENOTFOUND and
 * nothing is removed. fn (may be NULL) sees each coding before it goes
 * (only id, doc, code, coder, method, lines and positions are set). Reviews
 * and exemplar marks of the codings go with them. In the caller's transaction. */
enum qda_status qda_uncode(struct qda *h, const long long *ids, size_t n, qda_extract_fn fn, void *ctx,
                           long *removed);
/* Remove the codings of one code (exactly that node) in one document, of one
 * coder when coder is not NULL. */
enum qda_status qda_uncode_where(struct qda *h, const char *doc, const char *code, const char *coder,
                                 qda_extract_fn fn, void *ctx, long *removed);

/* The codes margin of a document: fn is called for every line from 1 with
 * the ids of the codes whose codings touch it (coding.line_first to
 * line_last), comma-separated, each once, in codebook order ("" for none).
 * Only coder's codings when coder is not NULL. A non-zero return stops. */
typedef int (*qda_line_codes_fn)(void *ctx, long line, const char *codes);
enum qda_status qda_codes_by_line(struct qda *h, const char *doc, const char *coder, qda_line_codes_fn fn,
                                  void *ctx);

struct qda_retrieve_opts {
	const char **codes;      /* OR'ed, each with its descendants; none: every code */
	size_t n_codes;
	const char **and_codes;  /* each: keep extracts overlapping a coding of it (or a descendant) */
	size_t n_and;
	const char **not_codes;  /* each: drop extracts overlapping a coding of it */
	size_t n_not;
	const char **where;      /* "KEY=VALUE" filters on the case's attributes, AND'ed */
	size_t n_where;
	const char *coder;       /* only this coder's codings (for --and and --not too) */
	const char *doc;         /* only this document */
	int auto_only;           /* only automatic codings */
	long context;            /* lines of context before and after */
	long context_turns;      /* turns of context before and after */
	long limit;              /* at most this many extracts; 0: all */
};
/* The coded extracts, document by document (in name order), by position in
 * each. Streams: the codings of one document at a time through the
 * coding_node index, so the first extracts come at once on any corpus. */
enum qda_status qda_retrieve(struct qda *h, const struct qda_retrieve_opts *o, qda_extract_fn fn, void *ctx);

/* ---- spans and agreement (spans.c, agree.c) ---- */

/* ---- theme frequencies (freq.c) ---- */

enum qda_level { QDA_LEVEL_ALL, QDA_LEVEL_THEME, QDA_LEVEL_SUBTHEME, QDA_LEVEL_CODE };

struct qda_freq_opts {
	enum qda_level level;
	const char *by;             /* a case attribute to cross with, or NULL */
	int by_case;                /* one group per case instead (matrix by cases) */
	const char **nodes;         /* only these node ids as rows (any level) */
	size_t n_nodes;
	const char *coder;          /* only this coder's codings; NULL: every coder */
	const char **where;         /* "KEY=VALUE" filters on case attributes, AND'ed */
	size_t n_where;
	int words;                  /* also count the words of the coded passages */
	int include_interviewer;    /* count codings lying wholly in interviewer turns */
};

/* One group of --by: cases (or documents) coded out of the group's size. */
struct qda_freq_cell {
	long segments, documents, cases, words;
};

struct qda_freq_row {
	const char *id, *name, *kind, *parent;
	int depth;                  /* 1 for themes */
	struct qda_freq_cell all;   /* every case in scope */
	const struct qda_freq_cell *groups; /* n_groups cells, in the order of qda_freq_groups */
};

struct qda_freq_group {
	const char *value;          /* attribute value; "(unset)" for cases without it */
	long cases, documents;      /* the group's size in scope */
};

struct qda_freq_result {
	const struct qda_freq_group *groups;
	size_t n_groups;
	long cases, documents;      /* in scope */
	long excluded_interviewer;  /* codings left out as interviewer-only */
};

typedef int (*qda_freq_fn)(void *ctx, const struct qda_freq_result *res, const struct qda_freq_row *row);
/* Theme frequencies: per node in tree order, coded segments, documents and
 * cases, a node's counts being the union of its own and its descendants'
 * spans (a passage coded twice within a theme counts once; overlapping spans
 * are one segment). Codings of every coder are pooled unless o->coder.
 * Codings lying wholly inside interviewer turns are left out unless
 * o->include_interviewer. Streams the codings one document at a time. */
enum qda_status qda_freq(struct qda *h, const struct qda_freq_opts *o, qda_freq_fn fn, void *ctx);

/* ---- peer review (review.c) ---- */

struct qda_review_opts {
	const char *reviewer;       /* skip codings this reviewer has already reviewed (queue) */
	const char *code;           /* only codings of this node or its descendants */
	const char *coder;          /* only this coder's codings */
	int auto_only;              /* only automatic codings */
	int all;                    /* also codings already reviewed by the reviewer */
	int context;                /* lines of context around the extract */
};

struct qda_review_item {
	long long coding_id;
	const char *doc, *case_name, *speaker, *code, *code_name, *definition;
	const char *include, *exclude;  /* "; "-joined criteria, or "" */
	const char *coder, *method, *rule, *state, *text;
	const char *before, *after;     /* context lines, LF-joined, with their numbers */
	long line_first, line_last, start, end;
	long index, total;              /* position in the queue, from 1 */
};
typedef int (*qda_review_fn)(void *ctx, const struct qda_review_item *it);
/* The codings to review, in document and position order; fn is called per
 * coding outside any transaction, so it may record verdicts as it goes. */
enum qda_status qda_review_queue(struct qda *h, const struct qda_review_opts *o, qda_review_fn fn, void *ctx);

/* Record a reviewer's verdict on a coding: "accept", "dispute", "comment" or
 * "suggest" (with suggested, a code id). The coding's state follows: accept
 * -> accepted, dispute and suggest -> disputed; comment leaves it. A verdict
 * equal to the reviewer's last one on that coding is not recorded again
 * (*added 0). Runs inside the caller's transaction. */
enum qda_status qda_review_add(struct qda *h, long long coding_id, const char *reviewer, const char *verdict,
                               const char *comment, const char *suggested, int *added);
/* Apply the latest suggested code of a coding: its code changes, its state
 * becomes revised, and a "revise" review keeps the code it had. */
enum qda_status qda_review_apply(struct qda *h, long long coding_id, const char *by, char *applied, size_t n);

/* Verdicts from a review sheet (CSV with at least the columns id, verdict,
 * comment, suggested_code; the others are ignored). Every row is checked
 * before anything is written; bad rows are reported through the warning
 * hook as "FILE:ROW" and the call fails with QDA_EINPUT. */
struct qda_review_import {
	long rows, added, unchanged, blank;
};
enum qda_status qda_review_import_csv(struct qda *h, const char *path, const char *reviewer,
                                      struct qda_review_import *rep);

struct qda_review_count {
	const char *theme, *reviewer;
	long proposed, accepted, disputed, revised, reviews;
};
typedef int (*qda_review_count_fn)(void *ctx, const struct qda_review_count *r);
/* Counts per theme and reviewer ("" when nobody reviewed yet). */
enum qda_status qda_review_counts(struct qda *h, qda_review_count_fn fn, void *ctx);
struct qda_review_dispute {
	long long coding_id;
	const char *doc, *code, *coder, *reviewer, *comment, *suggested, *text, *when;
	long line_first, line_last;
};
typedef int (*qda_review_dispute_fn)(void *ctx, const struct qda_review_dispute *r);
/* The disputed codings with their latest dispute or suggestion. */
enum qda_status qda_review_disputes(struct qda *h, qda_review_dispute_fn fn, void *ctx);

/* ---- merging a co-coder's project (merge.c) ---- */

struct qda_merge_report {
	long docs_matched;          /* same text (content hash) in both projects */
	long docs_conflict;         /* same name, different text: not merged */
	long docs_missing;          /* only in the other project: not merged */
	long nodes_added;           /* codes the other project added (in-vivo codes) */
	long coders_added;
	long codings_added, codings_present, codings_skipped;
	long reviews_added, memos_added;
};
/* Bring the other project's codings into this one: documents matched by the
 * SHA-256 of their text, codes by id, coders by name (kept distinct). What
 * is already here is not added again, so merging twice adds nothing. A
 * document of the same name with different text, or one missing here, is
 * reported through the warning hook and its codings skipped. One
 * transaction; command is recorded in the audit trail. */
enum qda_status qda_merge(struct qda *h, const char *other, const char *command, struct qda_merge_report *rep);

/* ---- the codebook tree for readers (tree.c) ---- */

struct qda_node_row {
	const char *id, *name, *kind, *parent, *color, *definition;
	int depth;
};
typedef int (*qda_node_fn)(void *ctx, const struct qda_node_row *r);
/* The codebook's nodes (not retired) in tree order. */
enum qda_status qda_nodes(struct qda *h, qda_node_fn fn, void *ctx);

/* ---- the report's facts and exemplar quotes (report.c) ---- */

struct qda_report_facts {
	char title[256], description[1024];
	long documents, words, cases, codings, coders, themes, subthemes, codes;
	long codebook_version;           /* 0 when no codebook was loaded */
	char codebook_date[32];
	long reviewed, accepted, disputed, revised;
	char coder_list[1024];           /* "alice (812), bob (240)" */
	char formats[256];               /* "txt 11, vtt 5, docx 1, md 1" */
	long docs_coded, memos, journal, exemplars, auto_codings;
	long nodes_candidate, nodes_reviewed, nodes_defined; /* themes and sub-themes */
};
enum qda_status qda_report_facts(struct qda *h, struct qda_report_facts *f);

struct qda_exemplar_row {
	long long coding_id;
	const char *doc, *case_name, *speaker, *role, *code, *coder, *text;
	long line_first, line_last;
	int chosen;                      /* picked with qda exemplar add */
};
typedef int (*qda_exemplar_fn)(void *ctx, const struct qda_exemplar_row *r);
/* Up to n exemplar extracts of a node and its descendants: those chosen with
 * qda_exemplar_add first, then the most-coded passages (codings overlapped by
 * the most other codings of the theme, at most one per document, interviewer
 * turns left out, extracts of at most 700 characters). */
enum qda_status qda_exemplars(struct qda *h, const char *node, int n, qda_exemplar_fn fn, void *ctx);
/* Choose (or, remove set, drop) a coding as an exemplar; inside a transaction. */
enum qda_status qda_exemplar_set(struct qda *h, long long coding_id, int remove);

/* ---- co-occurrence (cooccur.c) ---- */

enum qda_scope { QDA_SCOPE_OVERLAP, QDA_SCOPE_NEAR, QDA_SCOPE_TURN, QDA_SCOPE_DOC, QDA_SCOPE_CASE };

struct qda_cooccur_opts {
	enum qda_level level;       /* QDA_LEVEL_ALL is taken as QDA_LEVEL_THEME */
	enum qda_scope scope;
	long near;                  /* characters, for QDA_SCOPE_NEAR */
	const char *coder;          /* NULL: every coder */
	const char **where;         /* "KEY=VALUE" case filters */
	size_t n_where;
	int include_interviewer;
	const char **nodes;         /* instead of a level: these node ids, each with */
	size_t n_nodes;             /* its descendants rolled up (they may nest) */
};

/* The result: n nodes (ids and names in tree order), and for each pair
 * i < j: co-occurrences n12, and the characters both and either coded (for
 * the overlap and near scopes). Units: segments for overlap and near (a
 * co-occurrence is a stretch of text where the two codes' segments overlap
 * or come within `near` characters, counted once), turns, documents or
 * cases otherwise. freq[i] is node i's number of units. */
struct qda_cooccur {
	size_t n;
	char **ids, **names;
	long *freq;
	long *n12;                  /* n x n, symmetric, diagonal = freq */
	double *both, *either;      /* n x n characters (overlap and near) */
};
enum qda_status qda_cooccur(struct qda *h, const struct qda_cooccur_opts *o, struct qda_cooccur **out);
void qda_cooccur_free(struct qda_cooccur *c);
/* The c-coefficient n12 / (n1 + n2 - n12), 0 when nothing is coded. */
double qda_cooccur_c(const struct qda_cooccur *c, size_t i, size_t j);
/* Jaccard: characters coded by both over characters coded by either for
 * overlap and near; for unit scopes the same as the c-coefficient. */
double qda_cooccur_jaccard(const struct qda_cooccur *c, size_t i, size_t j, enum qda_scope scope);
/* 1 when one code is used more than five times as often as the other, which
 * biases the c-coefficient. */
int qda_cooccur_skewed(const struct qda_cooccur *c, size_t i, size_t j);

/* ---- audit trail (store.c) ---- */
struct qda_log_row {
	long long id;
	const char *at, *coder, *command, *summary;
};
typedef int (*qda_log_fn)(void *ctx, const struct qda_log_row *row);
enum qda_status qda_log_list(struct qda *h, long limit, qda_log_fn fn, void *ctx);

#endif
