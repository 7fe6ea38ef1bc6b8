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
 * ("file:line:col", "DOC:pos" or ""), both valid until the next call. A
 * message past 2 KiB (a location past 512 bytes) is cut at the end of a
 * character, never inside one. */
const char *qda_errmsg(const struct qda *h);
const char *qda_errloc(const struct qda *h);

/* Warnings (what does not stop the command) and progress (done of total,
 * total 0 if unknown) reach the caller through callbacks it sets. */
typedef void (*qda_warn_fn)(void *ctx, const char *loc, const char *msg);
typedef void (*qda_progress_fn)(void *ctx, const char *what, uint64_t done, uint64_t total);
void qda_set_warn(struct qda *h, qda_warn_fn fn, void *ctx);
void qda_set_progress(struct qda *h, qda_progress_fn fn, void *ctx);
/* Errors of one input reported one by one (every bad row or node at once):
 * loc is "FILE:ROW" or "FILE:LINE:COLUMN". */
typedef void (*qda_row_error_fn)(void *ctx, const char *loc, const char *msg);

/* The coder recorded with changes (may be NULL for commands that need none);
 * the name is copied. QDA_ENOMEM (the coder unchanged) when it cannot be. */
enum qda_status qda_set_coder(struct qda *h, const char *name);
/* Levenshtein distance of two byte strings ((size_t)-1 out of memory): the
 * "did you mean" of names, commands and options. */
size_t qda_edit_distance(const char *a, const char *b);
/* Whether a coder name is usable, the same rule everywhere (--coder, the
 * coder column of code --from, --reviewer, merge): not empty, UTF-8, no
 * control character, no space at either end, no comma (it separates names
 * in --coders A,B), at most 100 characters. QDA_EINPUT with the reason in
 * why otherwise. */
enum qda_status qda_coder_name_check(const char *name, char *why, size_t n);
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
/* Text that enters the project (a name, a memo, an attribute, a definition)
 * is valid UTF-8: QDA_OK, or QDA_EINPUT on h saying that `what` ("the new
 * name", "the value of role") is not, and at which byte (from 1). A C
 * string holds no NUL; who reads bytes (a file, stdin) checks for one. */
enum qda_status qda_text_check_input(struct qda *h, const char *what, const char *s);
/* Normalise to the stored form: BOM removed, CRLF and CR to LF, NFC. The input
 * must be valid UTF-8. *out is malloc'd and owned by the caller. */
enum qda_status qda_text_normalize(const char *s, size_t len, char **out, size_t *outlen);
/* v in the fewest significant digits that read back as v, as "%.*g"
 * writes them, into buf[32]; buf. */
const char *qda_num_shortest(char *buf, double v);
/* Case-fold and strip accents ("Écoute" -> "ecoute"), for matching. malloc'd. */
char *qda_text_fold(const char *s, size_t len);
/* The one rule for matching typed text against transcripts (--quote, search,
 * words): typographic apostrophes (’ ‘ ‛ ʼ) are ', typographic quotes (“ ” „
 * « » ‹ ›) are ", and every run of whitespace (no-break spaces U+00A0 and
 * U+202F included) is one space, none kept just inside « » or ‹ ›. */
#define QDA_TEXT_MATCH_RULE                                                                         \
	"’ ‘ as ', “ ” « » as \", no-break spaces and runs of spaces as one space"
/* c's plain form under that rule (' or " or ' '), or c itself. */
int32_t qda_text_plain(int32_t c);
/* s[0..n) in that form, malloc'd, NUL-terminated, length in *outlen; trim: no
 * space at either end. from and to (each n + 1 entries, or NULL) receive,
 * for each byte j of the result, the byte offsets in s where the character
 * that made it starts and ends. NULL when out of memory. */
char *qda_text_match_form(const char *s, size_t n, int trim, size_t *outlen, size_t *from, size_t *to);
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
	char *name;          /* the document name (malloc'd) */
	char *existing;      /* on QDA_SKIPPED_SAME: the document holding that text (malloc'd), else NULL */
	long turns, words, speakers;
	const char *format;  /* "txt", "md", "vtt", "srt" or "docx" (static) */
	char *rare;          /* in a long document (20 turns or more), the speakers who speak
	                      * once, as "'A', 'B'" (possibly not speakers), or NULL; malloc'd */
};
/* Free a report's strings (not the report); a zeroed report is fine. */
void qda_import_report_free(struct qda_import_report *rep);

/* The format of a file by its extension: "txt", "md", "vtt", "srt", "docx",
 * "csv" (case attributes, not a transcript) or NULL when unknown. */
const char *qda_import_format(const char *path);
/* Bytes of the speaker's label ("Name: ", "**Name:** ", "[Name] ") opening
 * text, when it is speaker's and text follows it; 0 otherwise. For quotes
 * whose attribution names the speaker already. */
size_t qda_label_length(const char *text, const char *speaker);
/* Whether a line of text after the first opens with a speaker's label: an
 * extract over several turns, whose labels say who speaks. */
int qda_text_many_speakers(const char *text);
/* Import one file inside the caller's transaction: checked (UTF-8 unless
 * o->encoding, not empty, no line over 1 MiB), normalised (no BOM, LF, NFC),
 * its speaker turns found, stored with its lines and full-text index, as a
 * case's document. The same text already in the project: QDA_OK with
 * rep->result QDA_SKIPPED_SAME. A different document with the same name:
 * QDA_EINPUT. Errors are located at the file (and line where there is one).
 * On QDA_OK the caller frees the report with qda_import_report_free; on an
 * error it holds nothing to free. */
enum qda_status qda_import_file(struct qda *h, const char *path, const struct qda_import_opts *o,
                                struct qda_import_report *rep);

/* ---- documents, cases and search (docs.c, cases.c, search.c) ---- */

struct qda_doc_row {
	long long id;
	const char *name, *case_name, *format, *speakers, *role;
	const char *read_by; /* the coders who have read it, by name, ", " between; NULL: none */
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
/* CSV inputs (case import, code --from, review import) are read strictly,
 * by one reader: RFC 4180 quoting, UTF-8 (a BOM skipped), CRLF or LF; a
 * quote never closed, a quote inside an unquoted value, a row with more
 * fields than the header, or a header line separated by another delimiter
 * (';' as French Excel writes CSV, tab) is QDA_EINPUT at FILE:LINE:COL with
 * what to do. */
/* What a case import did to one case. */
enum qda_case_change { QDA_CASE_CREATED, QDA_CASE_UPDATED, QDA_CASE_UNCHANGED };
struct qda_case_import {
	int create;                /* in: a case not in the project is created; else its row is refused */
	qda_row_error_fn err;      /* in: each refused row, loc "FILE:ROW" (may be NULL) */
	void (*applied)(void *ctx, const char *case_name, enum qda_case_change change); /* in, may be NULL */
	void *ctx;
	long created, updated, unchanged, refused; /* out */
};
/* Cases from a CSV file separated by delimiter (0 for a comma): header row, first column the case name, the other
 * columns attributes, inside the caller's transaction. A row whose case is
 * not in the project (cases come from imported documents) is refused
 * through ci->err unless ci->create; when any is, QDA_EINPUT and the caller
 * rolls back. Each row applied goes to ci->applied: created, updated (an
 * attribute changed) or unchanged. */
enum qda_status qda_case_import_csv(struct qda *h, const char *path, char delimiter, struct qda_case_import *ci);

/* ---- languages, stop lists (lang.c) ---- */
enum { QDA_LANG_FR = 0, QDA_LANG_EN = 1 };
/* fr, French, français, fr-CA, en, English, anglais, en_GB...: QDA_LANG_*,
 * or -1 when not known. */
int qda_lang_parse(const char *s);
const char *qda_lang_code(int lang);
/* The project's language (for documents without one of their own). */
enum qda_status qda_lang_set_default(struct qda *h, int lang);
/* A document's own language (qda import --lang). */
enum qda_status qda_lang_set_doc(struct qda *h, const char *doc, int lang);
/* Add a word to the project's stop list (stop 1) or take it out (stop 0);
 * *changed is 0 when it already was. */
enum qda_status qda_stop_change(struct qda *h, const char *word, int stop, int *changed);
/* The stop list in force: each word with where it comes from ("project",
 * "fr", "en"). */
typedef int (*qda_stop_fn)(void *ctx, const char *word, const char *list);
enum qda_status qda_stop_list(struct qda *h, qda_stop_fn fn, void *ctx);

struct qda_search_opts {
	const char *query;
	int context;           /* lines of context around each hit */
	const char *doc;       /* NULL: every document */
	long limit;            /* 0: no limit */
	int stem;              /* words match every word of their stem, in each document's language */
	const char *speaker;   /* only this speaker's turns */
	const char *code;      /* only inside codings of this node or below */
	const struct qda_filter *filter; /* may be NULL; where: the documents; coder, no_auto, review: codings of code */
};
struct qda_search_row {
	const char *doc, *case_name, *speaker;
	long long doc_id;
	long line, turn;
	long start, end;        /* code points of the hit in the document */
	const char *before, *match, *after; /* keyword in context on the line */
	const char *context;    /* surrounding lines, LF-separated, when asked */
};
typedef int (*qda_search_fn)(void *ctx, const struct qda_search_row *row);
enum qda_status qda_search(struct qda *h, const struct qda_search_opts *o, qda_search_fn fn,
                           void *ctx);

/* ---- housekeeping (docs.c, cases.c, coders.c) ---- */

/* Each coder with a count (codings of a document by coder, in name order). */
typedef int (*qda_name_count_fn)(void *ctx, const char *name, long n);
/* Remove a document: it leaves every listing, count and search, but stays
 * in document_all (removed_at, removed_by: the coder when set), so memos and
 * removed codings keep their target and the same text can be imported
 * again. While it has codings it is refused (QDA_EINPUT, the message naming
 * how many, by coder) unless force: then each is removed as codings are
 * (coding_remove, why "document removed", by the coder: QDA_EINVAL without
 * one). fn (may be NULL) sees the codings removed per coder; *codings their
 * total. An unknown document is QDA_ENOTFOUND with the nearest names. In the
 * caller's transaction. */
enum qda_status qda_doc_remove(struct qda *h, const char *doc, int force, qda_name_count_fn fn, void *ctx,
                               long *codings);
/* Rename a document; a name a current document has is QDA_EEXIST naming it,
 * a name that breaks the rule for names (see name_problem) QDA_EINPUT. */
enum qda_status qda_doc_rename(struct qda *h, const char *doc, const char *name);

struct qda_speaker_role_result {
	int was;        /* the speaker was an interviewer */
	int changed;    /* 0: the role was already so, nothing written */
	long turns;     /* the speaker's turns */
	char doc[256];  /* the document's name */
};
/* Mark a speaker of a document as interviewer or participant (what import's
 * --interviewer does): counts leave out codings lying in interviewer turns.
 * An unknown speaker is QDA_ENOTFOUND naming the document's speakers. */
enum qda_status qda_speaker_role(struct qda *h, const char *doc, const char *speaker, int interviewer,
                                 struct qda_speaker_role_result *r);

struct qda_case_remove_result {
	long attributes;  /* removed with the case */
	long detached;    /* removed documents of the case, which keep no case */
};
/* Remove a case and its attributes. Refused (QDA_EINPUT, saying what to do)
 * while current documents belong to it or memos refer to it; documents
 * removed earlier that belonged to it keep no case. QDA_ENOTFOUND with the
 * nearest names for an unknown case. */
enum qda_status qda_case_remove(struct qda *h, const char *name, struct qda_case_remove_result *r);
/* Rename a case; a name another case has is QDA_EEXIST. */
enum qda_status qda_case_rename(struct qda *h, const char *name, const char *new_name);

struct qda_coder_row {
	const char *name;
	long codings;           /* current codings */
	long removed;           /* their codings marked removed (uncode, edit, revised, merged...) */
	long reviews, memos;
	const char *first, *last; /* first and last activity, "YYYY-MM-DDTHH:MM:SSZ" */
};
typedef int (*qda_coder_fn)(void *ctx, const struct qda_coder_row *r);
/* The coders in name order (case ignored). Activity: the coder's creation,
 * codings made and removed, reviews, memos, documents imported and removed,
 * codebook versions. Then, through the warning hook, each pair of coders
 * that look like one person: the same name after case folding and accent
 * stripping, or names of 4 letters or more one edit apart, with the rename
 * that would merge them (the coder with fewer codings into the other). */
enum qda_status qda_coders_list(struct qda *h, qda_coder_fn fn, void *ctx);

struct qda_coder_rename_result {
	int merged;             /* new_name existed and merge was set */
	long codings;           /* merge: current codings moved */
	long duplicates;        /* of them, codings new_name had made too: removed as "merged" */
	long reviews, memos;    /* merge: moved */
};
/* Rename a coder (the name checked as qda_coder_name_check). When new_name
 * is another coder's: QDA_EEXIST unless merge, which makes them one: every
 * coding, review, memo, import and codebook version of name becomes
 * new_name's, a current coding new_name also made (same document, code and
 * span) is kept once (the other removed, why "merged"), and name goes. The
 * audit trail keeps the names as they were. In the caller's transaction. */
enum qda_status qda_coder_rename(struct qda *h, const char *name, const char *new_name, int merge,
                                 struct qda_coder_rename_result *r);

/* ---- codebook (codebook.c, theme.c) ---- */

/* One change to the codebook: change is "added", "renamed", "moved",
 * "status", "redefined", "reordered", "removed", "retired", "title" or
 * "description"; id the node's id ("" for the codebook itself). */
struct qda_cb_change {
	const char *change, *id, *detail;
};
typedef int (*qda_cb_change_fn)(void *ctx, const struct qda_cb_change *c);

/* A file error: loc "FILE:LINE:COLUMN" (or "FILE"), msg what is wrong. */
typedef void (*qda_cb_error_fn)(void *ctx, const char *loc, const char *msg);

struct qda_codebook_stats {
	long themes, subthemes, codes;
};
/* Check a codebook file without a project: every error is reported through
 * err with loc "FILE:LINE:COLUMN", in file order. QDA_EINPUT when there is
 * one (*n_errors of them), QDA_EIO when the file cannot be read (reported
 * through err with loc FILE). stats may be NULL. */
enum qda_status qda_codebook_check(const char *path, qda_cb_error_fn err, void *ctx,
                                   struct qda_codebook_stats *stats, long *n_errors);

struct qda_codebook_load_result {
	long version;     /* the version stored, or the current one when unchanged */
	int unchanged;    /* the project's codebook already matched the file */
	long changes;
};
/* Load or update the project's codebook from a file, by id, inside the
 * caller's transaction (one savepoint): file errors go to err as in check;
 * a node missing from the file that still has codings is refused (through
 * err, loc FILE) unless retire, which keeps it retired with its codings.
 * The changes go to fn (may be NULL) once the load has succeeded; a version
 * (coder, time, file hash, snapshot) is stored when anything changed. */
enum qda_status qda_codebook_load(struct qda *h, const char *path, int retire, qda_cb_error_fn err,
                                  qda_cb_change_fn fn, void *ctx, struct qda_codebook_load_result *r);

/* ---- what counts (filter.c, spans.c, layout.c) ---- */

/* The filters every counting command takes (freq, matrix, cooccur, agree,
 * codebook counts, status, report, retrieve). One rule set: a passage is a
 * maximal run of coded text (overlapping and touching spans of one node are
 * one passage, a node counting the union of its descendants); codings lying
 * wholly in interviewer material (an interviewer's turns with the blank
 * lines after each, up to the next turn) are left out unless
 * include_interviewer. */
enum qda_review_filter {
	QDA_REVIEW_ANY,             /* every coding */
	QDA_REVIEW_ACCEPTED,        /* accepted by a reviewer, or revised by one */
	QDA_REVIEW_NOT_DISPUTED     /* every coding but the disputed ones */
};
struct qda_filter {
	const char *coder;          /* only this coder's codings; NULL: every coder */
	int no_auto;                /* leave out automatic codings (method auto) */
	enum qda_review_filter review;
	const char **where;         /* "KEY=V[,V...]" on the case's attributes: AND'ed, values OR'ed */
	size_t n_where;
	int include_interviewer;    /* count codings lying in interviewer material */
};
/* Parse "accepted", "not-disputed" or "any"; -1 otherwise. */
int qda_review_filter_parse(const char *s, enum qda_review_filter *r);
/* The filters as a sentence for a methods section ("Codings of every coder,
 * automatic ones included, whatever their review; ..."); malloc'd, NULL out
 * of memory. */
char *qda_filter_describe(const struct qda_filter *f);
/* Check the filters against the project: an unknown coder, attribute key or
 * value is QDA_ENOTFOUND / QDA_EINPUT with the nearest names suggested. */
enum qda_status qda_filter_check(struct qda *h, const struct qda_filter *f);
/* Union sorted or unsorted [start, end) pairs into passages (overlapping
 * and touching spans joined), in place; returns how many. */
size_t qda_spans_union(int64_t *v, size_t n);

/* Word frequencies (words.c): the words of documents (all, or docs), or of
 * the passages of nodes (each with its descendants), counted by their case-
 * folded form or, with stem, by Snowball stem in each document's language;
 * stop words, words of fewer than min_length letters and numbers left out;
 * interviewer material and speaker labels never counted unless
 * filter.include_interviewer (labels never). Rows by count, most first, at
 * most top (0: all); weighted_pct is the count per 100 words of the scope
 * (every word, stop words included), *total that number of words. */
struct qda_words_opts {
	const char **docs;
	size_t n_docs;
	const char **nodes;
	size_t n_nodes;
	struct qda_filter filter;
	int stem;
	long min_length;
	long top;
};
struct qda_words_row {
	const char *word;       /* the most frequent form */
	long count, documents;
	double weighted_pct;
	const char *forms;      /* every form, most frequent first, ", "-separated */
};
typedef int (*qda_words_fn)(void *ctx, const struct qda_words_row *row);
enum qda_status qda_words(struct qda *h, const struct qda_words_opts *o, qda_words_fn fn, void *ctx, long *total);


/* A node of the codebook as readers see it; valid during the callback. */
struct qda_cb_node {
	const char *id, *name, *kind, *parent, *status, *definition, *color, *guid; /* "" when unset */
	const char *const *include, *const *exclude, *const *examples, *const *keywords, *const *patterns;
	size_t n_include, n_exclude, n_examples, n_keywords, n_patterns;
	int depth;                  /* 1 for themes */
	long segments, documents;   /* codings counted by qda_codebook_counts only */
};
typedef int (*qda_cb_node_fn)(void *ctx, const struct qda_cb_node *n);
/* The nodes (not retired) in tree order: sub-themes before codes among
 * siblings. counts (NULL: none): also the passages and documents of every
 * node, counted as qda_freq counts them with these filters. */
enum qda_status qda_codebook_walk(struct qda *h, const struct qda_filter *counts, qda_cb_node_fn fn, void *ctx);
/* Nodes with no coding on themselves or any descendant. */
enum qda_status qda_codebook_orphans(struct qda *h, qda_cb_node_fn fn, void *ctx);
/* The codebook's title and description from its latest version (malloc'd,
 * "" when none was loaded). */
enum qda_status qda_codebook_title(struct qda *h, char **title, char **description);
/* The current codebook as YAML that loads back to the same codebook, or as a
 * REFI-QDA codebook (.qdc, Codebook.xsd). *out malloc'd, owned by the caller. */
enum qda_status qda_codebook_export_yaml(struct qda *h, char **out, size_t *len);
enum qda_status qda_codebook_export_qdc(struct qda *h, char **out, size_t *len);

/* ---- REFI-QDA project export (refi_export.c) ---- */

/* What a project export holds. */
struct qda_export_report {
	long users, codes, documents, codings, cases, variables, notes;
	long codings_skipped; /* current codings of a retired code: no <Code> to refer to */
};
/* Bytes of the export, in order; 0, or nonzero to stop (the export then
 * fails with QDA_EIO). */
typedef int (*qda_write_fn)(void *ctx, const void *bytes, size_t n);
/* The project as a REFI-QDA project (.qdpx, Project.xsd): a zip of
 * project.qde and sources/<guid>.txt, one per current document and one per
 * memo, each the stored text (UTF-8, NFC, LF, no BOM). Users are the coders,
 * the CodeBook the current codebook, Variables the case attributes, Cases
 * the cases with their documents (SourceRef) and values, each current
 * coding a PlainTextSelection (code points, end exclusive) with one Coding,
 * memos Notes referred to from what they annotate. Every GUID is the
 * object's own (or derived from one), timestamps are stored ones and the
 * order is fixed, so the same project exports to the same bytes. Nothing is
 * written through write until the zip is whole; the zip is built in memory
 * (compressed). rep (may be NULL) gets the counts. QDA_EIO when write
 * fails, QDA_EDB, QDA_ENOMEM. */
enum qda_status qda_export_qdpx(struct qda *h, qda_write_fn write, void *ctx, struct qda_export_report *rep);

struct qda_cb_version {
	long version;
	const char *created, *coder, *origin, *hash, *summary; /* summary: "3 added, 1 renamed" */
	long changes;
};
typedef int (*qda_cb_version_fn)(void *ctx, const struct qda_cb_version *v);
enum qda_status qda_codebook_history(struct qda *h, qda_cb_version_fn fn, void *ctx);
/* The changes from version v1 to v2: v2 0 is the latest; v1 0 the one
 * before v2 (the empty codebook before the first). QDA_ENOTFOUND for a
 * version that does not exist. */
enum qda_status qda_codebook_diff(struct qda *h, long v1, long v2, qda_cb_change_fn fn, void *ctx);

/* Reshaping (theme.c): each runs inside the caller's transaction, records a
 * codebook version whose changes go to fn (may be NULL). Unknown ids are
 * QDA_ENOTFOUND with the nearest suggested. */
enum qda_status qda_theme_rename(struct qda *h, const char *id, const char *name, qda_cb_change_fn fn, void *ctx);
/* definition NULL keeps it; include/exclude replace the lists when non-NULL. */
enum qda_status qda_theme_define(struct qda *h, const char *id, const char *definition, const char **include,
                                 size_t n_include, const char **exclude, size_t n_exclude, qda_cb_change_fn fn,
                                 void *ctx);
enum qda_status qda_theme_status(struct qda *h, const char *id, const char *status, qda_cb_change_fn fn, void *ctx);
/* under NULL: the node becomes a theme. */
enum qda_status qda_theme_move(struct qda *h, const char *id, const char *under, qda_cb_change_fn fn, void *ctx);
struct qda_theme_merge_result {
	long moved;     /* codings moved to the target */
	long combined;  /* codings folded into another of the same coder and document */
	int created;    /* the target was created (as a sibling of the first source) */
};
/* Merge nodes into one: their codings and children move to into (created
 * with name, or into as its name, when it does not exist); a coder's
 * codings of the target that overlap or touch in a document become one.
 * The sources are removed (retired when something still refers to them). */
enum qda_status qda_theme_merge(struct qda *h, const char **from, size_t n, const char *into, const char *name,
                                qda_cb_change_fn fn, void *ctx, struct qda_theme_merge_result *r);
/* Move the listed codings of id (or its descendants) to into, created as a
 * sibling of id (named name, or into) when it does not exist. */
enum qda_status qda_theme_split(struct qda *h, const char *id, const char *into, const char *name,
                                const long long *codings, size_t n, qda_cb_change_fn fn, void *ctx, long *moved);

/* ---- coding and retrieval (coding.c, autocode.c, retrieve.c, memo.c) ---- */

/* -- coding.c / retrieve.c -- */

enum qda_unit { QDA_UNIT_LINE, QDA_UNIT_TURN, QDA_UNIT_CHAR };

/* A span of a document resolved to code points [start, end) and the lines
 * (from 1) holding its first and last character. */
struct qda_span {
	char *doc;            /* the document's name (malloc'd, freed by qda_span_free) */
	long long doc_id;
	long start, end;
	long line_first, line_last;
};
/* Free a span's name (not the span); a zeroed span is fine. */
void qda_span_free(struct qda_span *sp);

/* Lines or turns from..to (inclusive, from 1): from the start of the first
 * to the end of the last (a line's end excludes its LF); or characters
 * [from, to) counted from 0. QDA_ENOTFOUND for an unknown document (nearest
 * names suggested), QDA_EINPUT for a span outside it or empty, QDA_EDB when
 * the document cannot be read. *sp is zeroed first; on QDA_OK the caller
 * frees it with qda_span_free. */
enum qda_status qda_span_units(struct qda *h, const char *doc, enum qda_unit unit, long from, long to,
                               struct qda_span *sp);
/* The one place the quote occurs in the document: the quote is NFC-
 * normalised and any run of whitespace in it matches any run of whitespace
 * (line breaks included) in the text; leading and trailing whitespace is
 * ignored. QDA_EINPUT when it occurs several times (the message lists the
 * candidates with their lines) or not at all (with the nearest line found
 * ignoring case and accents when there is one). O(length of the text).
 * *sp as for qda_span_units. */
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
	char *code;           /* the code's id (the slug of a new code's text); malloc'd */
};
/* Free a result's code (not the result); a zeroed result is fine. */
void qda_code_result_free(struct qda_code_result *r);
/* Code a span with one code by the handle's coder (QDA_EINVAL without one),
 * inside the caller's transaction. An unknown code is QDA_ENOTFOUND with the
 * nearest ids suggested, unless o->create: then it is added as a code
 * (in_vivo, name = the text given, id = the text when it is a valid id, else
 * its slug) under o->under. A retired code is refused (QDA_EINPUT). *r is
 * zeroed first; on QDA_OK the caller frees it with qda_code_result_free. */
enum qda_status qda_code_span(struct qda *h, const struct qda_span *sp, const char *code,
                              const struct qda_code_opts *o, struct qda_code_result *r);

/* Batch coding from a CSV file separated by delimiter (0 is ','; read
 * strictly, as every CSV input: see qda_case_import_csv) with a header naming
 * the columns document, unit, from, to, code, coder and optionally memo (any
 * order); unit is line, turn or char (from-to inclusive for lines and turns,
 * [from, to) for characters). Every row is checked first and each bad one
 * reported through err with loc "FILE:LINE" (the line the row starts on), or
 * "FILE:LINE:COL" for a row with more fields than the header; then, when none
 * is bad, every row is written (in the caller's transaction) with method
 * "import", coders created on first use. QDA_EINPUT when a row is bad or the
 * file is malformed: nothing is written. */
struct qda_code_import {
	long rows, added, present, bad;
};
enum qda_status qda_code_import_csv(struct qda *h, const char *path, char delimiter, qda_row_error_fn err,
                                    void *ctx, struct qda_code_import *rep);

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
	const char *rule;                        /* what made an automatic coding ("" for others) */
	const char *before, *after;              /* context lines, LF-joined ("" when none) */
	long before_first, after_last;           /* their first and last line numbers (0: none) */
	const char *removed_at, *removed_by, *removed_why; /* a removed coding's mark ("" for others) */
	/* A passage (qda_retrieve with passages): coding_id 0, code and codes
	 * the ids of the codes coding it, coder and coders the coders, each
	 * once, sorted, "; "-joined; codings how many codings make it (1 for
	 * a coding). */
	const char *codes, *coders;
	long codings;
	/* The cue time of the turn holding start, in milliseconds, from a .vtt
	 * or .srt document (-1 when there is none): to find the moment in the
	 * recording. */
	long long time_ms;
};
typedef int (*qda_extract_fn)(void *ctx, const struct qda_extract *e);

/* Remove codings by id, all or nothing: an unknown id is QDA_ENOTFOUND and
 * nothing is removed. A removed coding is marked (who, when): it leaves every
 * count, listing and export, but keeps its id, memos, reviews and history
 * (qda_codings with removed). The coder must be set (QDA_EINVAL otherwise);
 * another coder's coding needs force (QDA_EINPUT otherwise). fn (may be
 * NULL) sees each coding before it goes (only id, doc, code, coder, method,
 * lines and positions are set). In the caller's transaction. */
enum qda_status qda_uncode(struct qda *h, const long long *ids, size_t n, int force, qda_extract_fn fn, void *ctx,
                           long *removed);
/* Remove the codings of one code (exactly that node) in one document, of one
 * coder when coder is not NULL; the same rules. */
enum qda_status qda_uncode_where(struct qda *h, const char *doc, const char *code, const char *coder, int force,
                                 qda_extract_fn fn, void *ctx, long *removed);

/* The codes margin of a document: fn is called for every line from 1 with
 * the ids of the codes whose codings touch it (coding.line_first to
 * line_last), comma-separated, each once, in codebook order ("" for none).
 * Only coder's codings when coder is not NULL (a coder not yet in the
 * project has none). A non-zero return stops. */
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
	struct qda_filter filter; /* what counts (the coder for --and and --not too) */
	const char *doc;         /* only this document */
	int auto_only;           /* only automatic codings */
	long context;            /* lines of context before and after */
	long context_turns;      /* turns of context before and after */
	long limit;              /* at most this many extracts (passages); 0: all */
	int removed;             /* the removed codings instead of the current ones */
	int passages;            /* each coded passage once instead of each coding */
};
/* The coded extracts, document by document (in name order), by position in
 * each. Streams: the codings of one document at a time through the
 * coding_node index, so the first extracts come at once on any corpus.
 * What counts is o->filter's (codings lying wholly in interviewer material
 * left out unless include_interviewer). With passages, each passage once: a
 * maximal run of text coded with any of the codes (overlapping and touching
 * codings joined, as qda_spans_union), and --and / --not keep or drop whole
 * passages that share a character with a coding of their code. */
enum qda_status qda_retrieve(struct qda *h, const struct qda_retrieve_opts *o, qda_extract_fn fn, void *ctx);

/* -- edit.c: coding in the editor -- */

/* The editing file of a document for the handle's coder (QDA_EINVAL without
 * one): '#' header lines (the format, then "# document: D", "# coder: C",
 * "# project: P"), then one line per text line "NNNN | text | a, b" with the
 * coder's codes margin. malloc'd into *out. */
enum qda_status qda_edit_render(struct qda *h, const char *doc, char **out, size_t *len);
/* A header field of an editing file ("document", "coder", "project"): 0
 * with *out malloc'd when found, 1 when absent, -1 out of memory. */
int qda_edit_header(const char *text, const char *field, char **out);
struct qda_edit_change {
	int added;              /* 1: a coding added; 0: one removed */
	long long coding_id;
	const char *code;
	long line_first, line_last;
};
typedef void (*qda_edit_change_fn)(void *ctx, const struct qda_edit_change *c);
struct qda_edit_report {
	long added, removed, bad;
};
/* Turn an edited file's margins into the coder's codings of doc: a code new
 * on a run of consecutive lines is one coding of those lines (method "edit");
 * a coding whose code left the margin of every line it touches is removed.
 * Every bad line (number mangled, out of order, repeated or missing, text
 * changed, unknown code with the nearest ids) goes to err with loc
 * "PATH:LINE"; then QDA_EINPUT and nothing is changed. In the caller's
 * transaction. */
enum qda_status qda_edit_apply(struct qda *h, const char *doc, const char *path, const char *text,
                               qda_row_error_fn err, void *ctx, qda_edit_change_fn fn, void *fctx,
                               struct qda_edit_report *rep);

/* -- autocode.c, memo.c -- */

enum qda_autocode_unit { QDA_AUTO_MATCH, QDA_AUTO_SENTENCE, QDA_AUTO_TURN };

struct qda_autocode_opts {
	int keywords;             /* the codebook's keywords and patterns (of code only, when set) */
	const char *pattern;      /* or: an ad hoc PCRE2 pattern, applied as code */
	const char *speaker;      /* or: every turn of this speaker, coded as code */
	const char *code;         /* required with pattern and speaker */
	const char *doc;          /* NULL: every document */
	enum qda_autocode_unit unit;
	int include_interviewer;  /* also match inside interviewer turns */
	int dry_run;              /* write nothing; created says what would be new */
};

/* One automatic coding: hits of one code merged where their spans overlap.
 * Strings are valid during the callback only. */
struct qda_autocode_row {
	const char *doc, *speaker, *code, *rule; /* speaker "" outside turns; rule(s) "; "-joined */
	long long coding_id;      /* 0 in a dry run */
	long start, end;          /* the coded span, code points, half-open */
	long line_first, line_last;
	long hit_start, hit_end;  /* its first hit */
	long hit_line;
	long hits;                /* hits merged into the span */
	int created;              /* 1 added (dry run: would be), 0 already there for this coder */
	const char *before, *match, *after; /* the first hit in context on its line(s) */
};
typedef int (*qda_autocode_fn)(void *ctx, const struct qda_autocode_row *r);

/* The totals of one code, in codebook order, every code with a rule listed. */
struct qda_autocode_total {
	const char *code;
	long rules, hits, codings, added, present;
};
typedef void (*qda_autocode_total_fn)(void *ctx, const struct qda_autocode_total *t);

/* Automatic coding. Keywords match on folded text (case and accents
 * ignored, any whitespace between words, at word boundaries, "word*" a
 * word-prefix wildcard); patterns are PCRE2 in UTF and Unicode-property mode,
 * as written (case-sensitive unless they say (?i)), on the stored text. Hits
 * in interviewer turns and inside a speaker label are left out unless
 * o->include_interviewer; each hit is clipped to its turn and extended to
 * o->unit; hits of one code whose spans overlap become one coding. Codings
 * are written by the handle's coder (QDA_EINVAL without one, unless dry run)
 * with method "auto" and the rule ("keyword:listen*", "pattern:...",
 * "speaker:NAME"), inside the caller's transaction. A bad pattern is
 * QDA_EINPUT with its offset. row (may be NULL) sees each coding, total
 * (may be NULL) each code's totals. */
enum qda_status qda_autocode(struct qda *h, const struct qda_autocode_opts *o, qda_autocode_fn row,
                             qda_autocode_total_fn total, void *ctx);

/* Memos. kind is "project" (target NULL), "document" (a document name),
 * "code" (a codebook node id), "coding" (a coding id), "case" (a case name)
 * or "journal" (the reflexive journal, target NULL). */
struct qda_memo_row {
	long long id;
	const char *kind, *target; /* target "" for project and journal */
	const char *coder;         /* "" when unsigned */
	const char *created;       /* "YYYY-MM-DDTHH:MM:SSZ" */
	const char *text;
};
typedef int (*qda_memo_fn)(void *ctx, const struct qda_memo_row *r);
/* Add a memo by the handle's coder (QDA_EINVAL without one) inside the
 * caller's transaction; the text is NFC-normalised (QDA_EINPUT if empty or
 * not UTF-8); an unknown target is QDA_ENOTFOUND with the nearest names. */
enum qda_status qda_memo_add(struct qda *h, const char *kind, const char *target, const char *text,
                             long long *id);
/* Memos in order of creation: all when kind is NULL, else those of a kind
 * (and target when not NULL). */
enum qda_status qda_memo_list(struct qda *h, const char *kind, const char *target, qda_memo_fn fn, void *ctx);
/* One memo by id; QDA_ENOTFOUND when there is none. */
enum qda_status qda_memo_show(struct qda *h, long long id, qda_memo_fn fn, void *ctx);

/* ---- spans and agreement (spans.c, agree.c) ---- */

/* -- agree.c: inter-coder agreement -- */

enum qda_agree_unit { QDA_AGREE_CHAR, QDA_AGREE_TURN, QDA_AGREE_DOC };

struct qda_agree_opts {
	const char **coders;        /* coder names: 2 for kappa, 2 or more for alpha */
	size_t n_coders;
	const char *code;           /* only this node, its descendants rolled up; NULL: every node */
	const char *doc;            /* only this document; NULL: every document all the coders coded */
	const char *domain;         /* alpha: a theme whose children are the values; NULL: binary per code */
	enum qda_agree_unit unit;
	struct qda_filter filter;   /* what counts (its coder is not used: coders above) */
	int empty_as_agreement;     /* kappa_weighted: a document neither coder used the code in counts as kappa 1 */
	int nominal;                /* alpha with domain: the nominal reading instead of binary per child */
	int binary;                 /* alpha at the char unit: binary per character instead of alpha_u */
};

/* One two-by-two comparison: of n units (characters, turns or documents), a
 * coded by the first coder, b by the second, both by the two. */
struct qda_agree_counts {
	long long n, a, b, both;
};
/* Percent agreement (both + neither) / n * 100; 100 when n is 0. */
double qda_agree_percent(const struct qda_agree_counts *c);
/* Cohen's kappa as NVivo's coding comparison computes it: (agree - EF) /
 * (n - EF), EF = a*b/n + (n-a)(n-b)/n; 1 when n == EF. */
double qda_agree_kappa(const struct qda_agree_counts *c);
/* Agreement on coded units only: both / (a + b - both) * 100; NaN when
 * neither coder coded anything. */
double qda_agree_coded(const struct qda_agree_counts *c);

struct qda_agree_row {
	const char *code, *name;
	int depth;
	const char *doc;            /* NULL: the code's overall row over every document compared */
	struct qda_agree_counts c;  /* overall: summed over the documents (kappa on them is the pooled kappa) */
	double kappa_weighted;      /* overall rows: the mean of the per-document kappas weighted by the
	                             * documents' units (NVivo's average), over the documents either coder
	                             * used the code in (all, those empty counting 1, with
	                             * empty_as_agreement); NaN on document rows, for the doc unit, or
	                             * when no document enters */
};
struct qda_agree_summary {
	long docs;                  /* documents compared */
	long docs_left_out;         /* coded by some of the coders but not all */
	long long units;            /* units compared (characters, turns or documents) */
};
typedef int (*qda_agree_fn)(void *ctx, const struct qda_agree_row *r);
/* Cohen's kappa between o->coders[0] and [1], per code and document (the
 * documents either coder coded the code in) and per code overall (counts
 * summed over the documents compared: all those both coders coded, or
 * o->doc; and kappa_weighted). What counts follows o->filter: codings
 * lying wholly in interviewer material are left out and interviewer turns
 * and characters are no units, unless include_interviewer. For the document unit only the overall rows. A theme stands for
 * the union of its descendants' codings. Rows come per code in tree order,
 * its documents by name, then its overall row. QDA_ENOTFOUND for an unknown
 * coder (the message names the known ones), code or document; QDA_EINVAL
 * without exactly two coders. sum may be NULL. */
enum qda_status qda_agree(struct qda *h, const struct qda_agree_opts *o, qda_agree_fn fn, void *ctx,
                          struct qda_agree_summary *sum);

/* Krippendorff's alpha for nominal values from a units x coders matrix
 * (row-major; values 0, 1, ...; -1 missing), from the coincidence matrix:
 * units with fewer than two values are dropped. NaN when undefined (fewer
 * than two pairable values, or a single value throughout) or when memory
 * runs out. */
double qda_alpha_nominal(const int *values, size_t n_units, size_t n_coders);

/* Krippendorff's alpha_u for unitizing a continuum (Krippendorff 1995, "On
 * the reliability of unitizing continuous data"; Content Analysis, 2004,
 * 12.4), one category: m coders, coder i's units the sorted,
 * non-overlapping [start, end) pairs spans[i][0 .. 2 * n[i]) on [0, length),
 * the stretches between them gaps. alpha_u = 1 - D_o / D_e, D_o from the
 * squared differences of the ends of overlapping units (and the squared
 * length of a unit inside another coder's gap), D_e over every placement of
 * the units in the gaps. *d_o and *d_e (may be NULL) get D_o and D_e; NaN
 * when undefined (no unit, D_e 0) or when memory runs out. */
double qda_alpha_u(const int64_t *const *spans, const size_t *n, size_t m, int64_t length, double *d_o, double *d_e);

struct qda_alpha_row {
	const char *code, *name;    /* the code, or the --domain theme */
	int depth;
	const char *stat;           /* "binary" (present or absent per unit), "alpha-u" (unitizing, the char
	                             * unit), "nominal" (the domain's children as values) or "mean" (the
	                             * domain's row: the mean of its children's alphas) */
	size_t n_values;            /* the values: 2 (absent, present), the domain's children, or for
	                             * "mean" the children whose alpha is defined */
	double units;               /* binary, nominal: units with two values or more (characters for the
	                             * char unit); alpha-u: the characters of the continuum; mean: NaN */
	double pairable;            /* n, the pairable values; NaN for alpha-u and mean */
	double observed, expected;  /* D_o and D_e; NaN for mean */
	double alpha;               /* 1 - D_o / D_e; NaN when undefined */
	double multiple;            /* nominal: coder-units given several values, taken as missing; else NaN */
	double n_units;             /* what the figure rests on: the pairable units (binary, nominal), the
	                             * coders' passages (alpha-u), the least of the children's (mean) */
};
typedef int (*qda_alpha_fn)(void *ctx, const struct qda_alpha_row *r);
/* Krippendorff's alpha between o->coders (two or more). Per code: binary
 * (present or absent per unit; a coder who coded nothing in a document is
 * missing there) for turns and documents, and at the char unit alpha_u over
 * each document's characters (documents all the coders coded in; the
 * binary per-character alpha with o->binary). With o->domain: the same per
 * child of the theme, then its "mean" row (ATLAS.ti's reading of a
 * non-exclusive codebook); with o->nominal instead one nominal row over the
 * children as exclusive values (a unit a coder gave no value or several is
 * missing there), with a warning through the handle when more than a tenth
 * of the units compared are dropped. What counts follows o->filter. */
enum qda_status qda_agree_alpha(struct qda *h, const struct qda_agree_opts *o, qda_alpha_fn fn, void *ctx,
                                struct qda_agree_summary *sum);

struct qda_disagreement {
	const char *doc, *code, *coded_by, *not_by;   /* coder names, comma-joined */
	long turn;                  /* the turn for the turn unit, else 0 */
	long line_first, line_last, start, end;
	const char *text;
};
typedef int (*qda_disagreement_fn)(void *ctx, const struct qda_disagreement *d);
/* Where the coders differ, by document (name order) and position: maximal
 * stretches of text some but not all of them coded with a code (its own
 * codings; with o->code that node with its descendants), or the turns or
 * documents for those units. Strings valid during the callback only. */
enum qda_status qda_agree_disagreements(struct qda *h, const struct qda_agree_opts *o, qda_disagreement_fn fn,
                                        void *ctx, struct qda_agree_summary *sum);

/* ---- theme frequencies (freq.c) ---- */

enum qda_level { QDA_LEVEL_ALL, QDA_LEVEL_THEME, QDA_LEVEL_SUBTHEME, QDA_LEVEL_CODE };

struct qda_freq_opts {
	enum qda_level level;
	const char *by;             /* a case attribute to cross with, or NULL */
	int by_case;                /* one group per case instead (matrix by cases) */
	const char **nodes;         /* only these node ids as rows (any level) */
	size_t n_nodes;
	struct qda_filter filter;   /* what counts */
	int words;                  /* also count the words of the coded passages */
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

/* ---- code saturation (saturation.c): Guest, Namey & Chen (2020) ---- */
enum qda_sat_order { QDA_SAT_IMPORT, QDA_SAT_DATE, QDA_SAT_ATTR };
struct qda_saturation_opts {
	enum qda_sat_order order;   /* import: document id; date: first counted coding; attr: a case attribute */
	const char *attr;           /* the attribute, for QDA_SAT_ATTR */
	enum qda_level level;       /* QDA_LEVEL_CODE or QDA_LEVEL_SUBTHEME */
	long base, run;             /* base size b and run length r, both at least 1 */
	double threshold;           /* new-information threshold, in percent (>= 0) */
	struct qda_filter filter;   /* what counts */
};
enum qda_sat_verdict {
	QDA_SAT_REACHED,            /* at: the first N with run_pct <= threshold */
	QDA_SAT_NOT_REACHED,        /* no run of r documents at or under the threshold */
	QDA_SAT_TOO_FEW,            /* fewer documents than base + run: no run to assess */
	QDA_SAT_EMPTY_BASE          /* the base holds no code: the ratio has no denominator */
};
struct qda_saturation_row {
	long position;              /* from 1 */
	char *doc, *case_name;      /* case "" when none */
	char *key;                  /* the ordering value; NULL when the case lacks the attribute */
	long new_codes;             /* codes whose first coding in this order is here */
	char *new_ids;              /* their ids in codebook order, "; "-joined ("" for none) */
	long cumulative;            /* distinct codes so far */
	long run_new;               /* new codes in the run of r ending here; -1 before position b + r */
	double run_pct;             /* 100 * run_new / base_codes; NaN before b + r or when base_codes is 0 */
};
struct qda_saturation {
	struct qda_saturation_row *rows; /* the documents in order */
	size_t n;
	long left_out;              /* documents in scope with no coding counted: not in the order */
	long no_key;                /* QDA_SAT_ATTR: documents whose case lacks it, placed last by name */
	long base_codes;            /* distinct codes in the first b documents (0 when n < b) */
	enum qda_sat_verdict verdict;
	long at;                    /* QDA_SAT_REACHED: the position N that ends the run */
	double pct;                 /* and its run_pct */
};
/* Code saturation after Guest, Namey & Chen (2020, PLOS ONE 15(5):
 * e0232076): the documents with at least one coding counted under the
 * filters, in the order asked (ties by document name), each with the codes
 * (or sub-themes: a coding counts for its nearest ancestor-or-self of that
 * kind, and for none when it lies above the level) it is the first to bring,
 * and the base/run/threshold verdict. *out owned by the caller, freed with
 * qda_saturation_free. QDA_EINPUT for an unknown attribute (nearest
 * suggested) or filter value; QDA_EINVAL for a base or run below 1. */
enum qda_status qda_saturation(struct qda *h, const struct qda_saturation_opts *o, struct qda_saturation **out);
void qda_saturation_free(struct qda_saturation *s);

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
/* Apply the latest suggested code of a coding: a revision takes its place,
 * a new coding (*revision) with the suggested code, state revised, by the
 * same coder (the passage is theirs) and revised_by the reviewer; the
 * original is kept, removed as revised (agreement still reads it), and a
 * "revise" review on it records the code it had. applied: the code's id. */
enum qda_status qda_review_apply(struct qda *h, long long coding_id, const char *by, char *applied, size_t n,
                                 long long *revision);

/* Verdicts from a review sheet (CSV separated by delimiter, 0 is ','; read
 * strictly, as every CSV input: see qda_case_import_csv) with at least the
 * columns id, verdict, comment, suggested_code; the others are ignored.
 * Every row is checked before anything is written; bad rows are reported
 * through the warning hook as "FILE:LINE" (or "FILE:LINE:COL" for a row with
 * more fields than the header) and the call fails with QDA_EINPUT. */
struct qda_review_import {
	long rows, added, unchanged, blank;
};
enum qda_status qda_review_import_csv(struct qda *h, const char *path, char delimiter, const char *reviewer,
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
	const char *removed; /* "AT by CODER (why)" when the coding was removed since, else "" */
};
typedef int (*qda_review_dispute_fn)(void *ctx, const struct qda_review_dispute *r);
/* The disputed codings with their latest dispute or suggestion, removed
 * ones included (marked). */
enum qda_status qda_review_disputes(struct qda *h, qda_review_dispute_fn fn, void *ctx);

/* ---- merging a co-coder's project (merge.c) ---- */

struct qda_merge_report {
	long docs_matched;          /* same text (content hash) in both projects */
	long docs_conflict;         /* same name, different text: not merged */
	long docs_missing;          /* only in the other project: not merged */
	long nodes_added;           /* codes the other project added (in-vivo codes) */
	long nodes_mapped;          /* codes that land on another here: merged, renamed, moved, re-id'd */
	long nodes_conflict;        /* codes that cannot be mapped: their codings are not merged */
	long coders_added;
	long codings_added, codings_present, codings_skipped;
	long reviews_added, memos_added;
};
/* One row of the merge report. kind: "added" (a code the copy added, added
 * here), "mapped" (a code of the copy that lands on another here: merged,
 * renamed, moved or given another id here), "conflict" (a code that cannot
 * be mapped; its codings are not merged), "copy-renamed", "copy-moved",
 * "copy-removed" (the copy's own codebook changes, not applied here),
 * "copy-uncoded" (a coding the copy removed that is current here). code:
 * the id the row is about; detail: a sentence. Valid during the call. */
struct qda_merge_row {
	const char *kind, *code, *detail;
};
typedef int (*qda_merge_row_fn)(void *ctx, const struct qda_merge_row *r);
/* Bring the other project's codings into this one: documents matched by the
 * SHA-256 of their text, coders by GUID then name (kept distinct), codes by
 * GUID then id, following this project's codebook history (a code merged
 * here lands on its successor, through a chain of merges). What is already
 * here is not added again, so merging twice adds nothing; codings removed in
 * the other project are not merged. A document of the same name with
 * different text, or one missing here, is reported through the warning
 * hook and its codings skipped. The other file is opened read-only; one
 * written by an older qda is refused (QDA_EINPUT) with how to upgrade a
 * copy of it. The report's rows go to fn (may be NULL) once the outcome is
 * sure. One transaction, recorded in the audit trail with command; dry_run:
 * rolled back, the report and counts being what a merge would do. */
enum qda_status qda_merge(struct qda *h, const char *other, const char *command, int dry_run, qda_merge_row_fn fn,
                          void *ctx, struct qda_merge_report *rep);

/* ---- REFI-QDA project import (refi_import.c) ---- */

/* What an import brought and left: counts, and rows naming each thing
 * skipped (and why), each reading of positions other than the origin's. */
struct qda_refi_report {
	char *origin;                              /* the project's origin attribute (malloc'd) or NULL */
	long documents, documents_matched, documents_conflict;
	long codes, codes_matched;
	long codings, codings_present, codings_skipped, selections_skipped;
	long cases, cases_matched, variables;
	long memos, memos_present;
	long users, users_matched;
};
void qda_refi_report_free(struct qda_refi_report *rep);
/* item: "documents", "codes", "codings", "selections", "cases", "variables",
 * "memos", "users", "sources", "links", "sets", "graphs", "positions";
 * status: "skipped", "matched", "renamed", or for positions the reading used
 * ("cp", "cp-crlf1", "utf16", "utf16-crlf1"). Valid during the call. */
struct qda_refi_row {
	const char *item;
	long n;
	const char *status, *detail;
};
typedef int (*qda_refi_row_fn)(void *ctx, const struct qda_refi_row *r);
/* Import a REFI-QDA project (.qdpx) inside the caller's transaction (one
 * savepoint: all or nothing). The archive is untrusted: every entry is
 * checked first (no absolute path, '..' or symbolic link; sizes and
 * compression ratio capped) and read into memory, never extracted; the .qde
 * (the one entry so named) is parsed without network, DTD or entity
 * expansion, errors at "FILE:ENTRY:LINE:COL" with libxml2's message. Text
 * sources become documents (the same text here: matched; a different one of
 * that name: skipped with its codings), users coders (by GUID then name),
 * codes nodes (by GUID then id; new ones in a codebook version), cases and
 * variables case attributes, notes and descriptions memos. Positions are
 * read in the unit the origin suggests (NVivo: UTF-16 units; ATLAS.ti: a
 * CRLF as one; else code points), checked against word boundaries, and
 * converted to the stored text's code points; a selection no reading
 * places is reported, not coded. GUIDs are kept. fn (may be NULL) gets the
 * rows once the import has succeeded. */
enum qda_status qda_refi_import(struct qda *h, const char *path, qda_refi_row_fn fn, void *ctx,
                                struct qda_refi_report *rep);

/* ---- the codebook tree for readers (tree.c) ---- */

struct qda_node_row {
	const char *id, *name, *kind, *parent, *color, *definition;
	int depth;
};
typedef int (*qda_node_fn)(void *ctx, const struct qda_node_row *r);
/* The codebook's nodes (not retired) in tree order. */
enum qda_status qda_nodes(struct qda *h, qda_node_fn fn, void *ctx);
/* QDA_OK when the codebook has a node with this id; QDA_ENOTFOUND with the
 * nearest ids suggested otherwise. */
enum qda_status qda_node_check(struct qda *h, const char *key);

/* ---- the report's facts and exemplar quotes (report.c) ---- */

/* A name and how many: codings per coder, documents per format. */
struct qda_report_count {
	char *name;
	long n;
};

/* What the methods section and qda status tell. Strings and arrays are
 * malloc'd, freed by qda_report_facts_free. */
struct qda_report_facts {
	char *title;                     /* the codebook's, or "Thematic analysis" */
	char *description;               /* "" when none */
	long documents, words, cases, codings, coders, themes, subthemes, codes;
	long codebook_version;           /* 0 when no codebook was loaded */
	char *codebook_date;             /* YYYY-MM-DD of the latest version, "" when none */
	long reviewed, accepted, disputed, revised;
	struct qda_report_count *by_coder;   /* codings per coder, most first, then by name */
	size_t n_by_coder;
	struct qda_report_count *by_format;  /* documents per format, most first, then by name */
	size_t n_by_format;
	long docs_coded, memos, journal, exemplars, auto_codings;
	long nodes_candidate, nodes_reviewed, nodes_defined; /* themes and sub-themes */
};
/* The facts; on an error (QDA_EDB, QDA_ENOMEM) *f holds nothing to free.
 * They are counts of the record, whatever the filters: every coding not
 * removed, the documents with one, the codings reviewed. */
enum qda_status qda_report_facts(struct qda *h, struct qda_report_facts *f);
void qda_report_facts_free(struct qda_report_facts *f);
/* What the counting rule keeps of the record under the filters f (NULL:
 * none): the codings of nodes in the codebook that pass the filters and do
 * not lie wholly in interviewer material (unless f->include_interviewer),
 * and the documents holding one. An unknown coder, key or value is an error
 * as for qda_filter_check. */
struct qda_report_counted {
	long codings, documents;
};
enum qda_status qda_report_counted(struct qda *h, const struct qda_filter *f, struct qda_report_counted *c);

struct qda_exemplar_row {
	long long coding_id;
	const char *doc, *case_name, *speaker, *role, *code, *coder, *text;
	const char *memo;                /* the coding's memos, one per line ("" when none) */
	long line_first, line_last;
	int chosen;                      /* picked with qda exemplar add */
};
typedef int (*qda_exemplar_fn)(void *ctx, const struct qda_exemplar_row *r);
/* Up to n exemplar extracts of a node and its descendants: those chosen with
 * qda_exemplar_add first, then the most-coded passages (codings overlapped by
 * the most other codings of the theme, at most one per document, interviewer
 * turns left out, extracts of at most 700 characters). f (may be NULL): only
 * codings that pass these filters, the chosen ones too (its
 * include_interviewer is not used: an interviewer is never quoted unless
 * chosen). */
enum qda_status qda_exemplars(struct qda *h, const char *node, int n, const struct qda_filter *f,
                              qda_exemplar_fn fn, void *ctx);
/* Choose (or, remove set, drop) a coding as an exemplar; inside a transaction. */
enum qda_status qda_exemplar_set(struct qda *h, long long coding_id, int remove);

/* ---- co-occurrence (cooccur.c) ---- */

enum qda_scope { QDA_SCOPE_OVERLAP, QDA_SCOPE_NEAR, QDA_SCOPE_TURN, QDA_SCOPE_DOC, QDA_SCOPE_CASE };

struct qda_cooccur_opts {
	enum qda_level level;       /* QDA_LEVEL_ALL is taken as QDA_LEVEL_THEME */
	enum qda_scope scope;
	long near;                  /* characters, for QDA_SCOPE_NEAR */
	struct qda_filter filter;   /* what counts */
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
/* The c-coefficient n12 / (n1 + n2 - n12); NaN when that is not positive. */
double qda_cooccur_c(const struct qda_cooccur *c, size_t i, size_t j);
/* Jaccard: characters coded by both over characters coded by either for
 * overlap and near (NaN when neither is used); for unit scopes the same as
 * the c-coefficient. */
double qda_cooccur_jaccard(const struct qda_cooccur *c, size_t i, size_t j, enum qda_scope scope);
/* 1 when one code is used more than five times as often as the other, which
 * biases the c-coefficient. */
int qda_cooccur_skewed(const struct qda_cooccur *c, size_t i, size_t j);
/* 1 when n12 exceeds the rarer code's passages (a passage meets several of
 * the other code's), which inflates the c-coefficient (it may pass 1). */
int qda_cooccur_inflated(const struct qda_cooccur *c, size_t i, size_t j);

/* ---- audit trail (store.c) ---- */
/* ---- read.c: familiarisation ---- */
/* Mark document doc as read by the handle's coder (QDA_EINVAL without one)
 * inside the caller's transaction; *again is 1 when that coder had read it
 * before (the date moves). memo (NULL or "": none) is added as a memo on
 * the document (qda_memo_add), its id in *memo_id (may be NULL). An unknown
 * document is QDA_ENOTFOUND with the nearest names. */
enum qda_status qda_read_mark(struct qda *h, const char *doc, const char *memo, int *again, long long *memo_id);
struct qda_read_row {
	const char *doc, *case_name, *coder;
	const char *at;   /* NULL: not read by this coder */
	const char *memo; /* the memo written with the read mark, or NULL */
};
typedef int (*qda_read_fn)(void *ctx, const struct qda_read_row *r);
/* Each document (by name) with each reader (by name): the coders who have
 * read something and the handle's coder; only coder when not NULL. */
enum qda_status qda_read_list(struct qda *h, const char *coder, qda_read_fn fn, void *ctx);
struct qda_read_counts {
	long long documents;   /* current documents */
	long long readers;     /* coders who have read one of them */
	long long read_by_all; /* documents every reader has read (0 without readers) */
};
typedef int (*qda_read_count_fn)(void *ctx, const char *coder, long long read);
/* The counts, then fn (may be NULL) per reader, by name, with how many
 * documents they have read. */
enum qda_status qda_read_counts(struct qda *h, struct qda_read_counts *c, qda_read_count_fn fn, void *ctx);

/* ---- summary.c: the framework matrix ---- */
/* Set the summary of case_name for a codebook node (any level) to text, by
 * the handle's coder (QDA_EINVAL without one), inside the caller's
 * transaction: the last writer's text is kept. *previous_coder (malloc'd)
 * names who wrote the summary it replaces, NULL when it is new. An unknown
 * case or node is QDA_ENOTFOUND; an empty text QDA_EINPUT. */
enum qda_status qda_summary_set(struct qda *h, const char *case_name, const char *node, const char *text,
                                char **previous_coder);
struct qda_summary_row {
	const char *case_name, *node, *coder, *text, *updated;
};
typedef int (*qda_summary_fn)(void *ctx, const struct qda_summary_row *r);
/* Every summary, by case then node id. */
enum qda_status qda_summary_list(struct qda *h, qda_summary_fn fn, void *ctx);
typedef int (*qda_case_group_fn)(void *ctx, const char *case_name, const char *value);
/* The cases that have documents with their value of attribute attr
 * ("(unset)" without one; "" when attr is NULL), by value then name; an
 * attribute no case has is QDA_EINPUT. */
enum qda_status qda_summary_cases(struct qda *h, const char *attr, qda_case_group_fn fn, void *ctx);

/* ---- translate.c: translations of quotes ---- */
/* 1 when s is a language tag as a paper names it: 2 to 12 lower-case
 * letters and '-', not first (en, fr, pt-br); else 0. */
int qda_translate_lang_ok(const char *s);
/* Store text as the translation into lang (a tag: en, fr, pt-br) of a
 * current coding, by the handle's coder (QDA_EINVAL without one), inside the
 * caller's transaction; *replaced is 1 when it replaces one. An unknown
 * coding is QDA_ENOTFOUND, a bad tag QDA_EINVAL, an empty text QDA_EINPUT. */
enum qda_status qda_translate_set(struct qda *h, long long coding, const char *lang, const char *text,
                                  int *replaced);
/* The translation of a coding into lang: its text, translator and the
 * document's language (as search takes it: import --lang, the case's, the
 * project's, else fr), each
 * malloc'd; QDA_ENOTFOUND (nothing set on h, all NULL) when there is none. */
enum qda_status qda_translation_get(struct qda *h, long long coding, const char *lang, char **text,
                                    char **translator, char **from);

/* ---- undo.c ---- */
struct qda_undo_row {
	long long log_id;
	const char *at, *coder, *command, *summary;
	const char *undo; /* "next", "after the ones above", or "no: why" */
};
typedef int (*qda_undo_fn)(void *ctx, const struct qda_undo_row *r);
/* The current coder's changes (made without a coder when none is set),
 * newest first, not undone, with whether qda undo can reverse each. */
enum qda_status qda_undo_list(struct qda *h, long limit, qda_undo_fn fn, void *ctx);
/* Reverse the current coder's last change (codings, removals, autocode,
 * imports, codebook changes, reviews, memos...), in the caller's
 * transaction: *undone its log id, *summary its summary (malloc'd). Refused
 * (QDA_EINPUT, nothing changed) when later work depends on what it made or
 * changed, naming it. */
enum qda_status qda_undo(struct qda *h, long long *undone, char **summary);

struct qda_log_row {
	long long id;
	const char *at, *coder, *command, *summary;
	long long undone_by; /* the log row of the undo that reversed it, 0 if none */
};
typedef int (*qda_log_fn)(void *ctx, const struct qda_log_row *row);
enum qda_status qda_log_list(struct qda *h, long limit, qda_log_fn fn, void *ctx);

/* ---- the audit trail as a method (audit.c) ---- */
/* Braun & Clarke's (2006) phases, as the audit appendix groups the log. */
enum qda_phase {
	QDA_PHASE_SETUP,        /* init */
	QDA_PHASE_FAMILIARISE,  /* 1: import, case, speaker, doc */
	QDA_PHASE_CODES,        /* 2: the first codebook load, code, uncode, edit, autocode, merge */
	QDA_PHASE_THEMES,       /* 3-4: later codebook loads and changes, theme move|merge|split */
	QDA_PHASE_REVIEW,       /* 4: review, agree */
	QDA_PHASE_DEFINE,       /* 5: theme define|rename|status */
	QDA_PHASE_REPORT,       /* 6: exemplar, report */
	QDA_PHASE_THROUGHOUT,   /* memo, coder, undo, and any command not above */
	QDA_PHASE_N
};
/* "1. Familiarising with the data", ... (static). */
const char *qda_phase_name(enum qda_phase p);
/* The phase of a logged command line ("qda -p x.qda theme rename a b"), its
 * command and verb written to what (size n: "theme rename"; may be NULL).
 * first_codebook: no codebook load came before this one (the first load
 * gives the initial codes, phase 2; later ones reshape the themes, 3-4). */
enum qda_phase qda_log_phase(const char *command, int first_codebook, char *what, size_t n);

/* ---- dump (dump.c): the project as plain files for git, and back ---- */
/* The file that marks a directory as a dump; it reads "qda dump\nschema N\n". */
#define QDA_DUMP_MARKER ".qda-dump"
/* Where the rows of a dump go: each callback returns 0 to go on, anything
 * else to stop (qda_dump then returns QDA_EIO). file is relative to the
 * dump's directory ("codings.csv", "documents/P01.txt"). */
struct qda_dump_sink {
	/* a CSV file begins: its header */
	int (*table)(void *ctx, const char *file, const char *const *cols, size_t ncols);
	/* one row, ncols values, NULL for SQL NULL; valid during the call */
	int (*row)(void *ctx, const char *const *vals);
	int (*table_end)(void *ctx);
	/* a document's exact stored text, called before its row */
	int (*text)(void *ctx, const char *file, const char *text, size_t len);
};
/* Every table of the project (but the line index and the full-text rows,
 * derived) as one CSV each, its columns the table's, rows in GUID order
 * (else primary-key order), a document's text in its own file, and
 * sequence.csv (id counters ahead of a table's highest id), read in one
 * transaction. */
enum qda_status qda_dump(struct qda *h, const struct qda_dump_sink *sink, void *ctx);
/* Create the project file path (as qda_init) from the dump in dir, rows
 * kept as dumped (ids, GUIDs, dates, the log and undo records): dumping it
 * again gives the same files. A dump of an older schema is loaded into a
 * project made at that schema, then upgraded as opening an older project
 * upgrades it; *version is the dump's schema. The line index and the
 * full-text rows are rebuilt. *out is the handle (for qda_errmsg) even on
 * error, and then no file is left (an existing one is never touched:
 * QDA_EEXIST). QDA_EINPUT at FILE:LINE:COL for a file that is not as dumped
 * (a document's text changed, codebook.yaml edited, a reference to
 * nothing), a newer schema's dump, or no marker. */
enum qda_status qda_init_from(const char *path, const char *dir, struct qda **out, int *version);

/* ---- pseudonymise (pseudonymise.c) ---- */
/* A map of real names to pseudonyms, read from a CSV (header
 * 'name,pseudonym') with the strict reader; names and pseudonyms in NFC.
 * Never stored in the project. QDA_EINPUT at FILE:LINE:COL for a bad row
 * (an empty cell, a line break, a name given twice). */
struct qda_pseudo_map;
enum qda_status qda_pseudo_map_load(struct qda *h, const char *path, char delim, struct qda_pseudo_map **m);
void qda_pseudo_map_free(struct qda_pseudo_map *m);
/* One occurrence (a dry run): in is "text", "speaker", "case", "document
 * name", "memo", "memo title" or "coding memo"; document the document (of a
 * text or speaker) or the memo or coding ("memo 3"), NULL for a case or a
 * document's name; line and col (from 1, code points) within the value;
 * context the line around it, the name in [brackets]. Valid during the call. */
struct qda_pseudo_hit {
	const char *in, *document;
	long line, col;
	const char *name, *pseudonym, *context;
};
/* What one place had replaced: n occurrences of name. */
struct qda_pseudo_count {
	const char *in, *document, *name, *pseudonym;
	long n;
};
typedef int (*qda_pseudo_hit_fn)(void *ctx, const struct qda_pseudo_hit *hit);
typedef int (*qda_pseudo_count_fn)(void *ctx, const struct qda_pseudo_count *c);
struct qda_pseudo_totals {
	long occurrences, documents, codings, speakers, cases, names, memos;
	long log;   /* log entries whose command or summary named someone */
	long undo;  /* undo records dropped: they held a real name */
};
/* Replace every whole-word occurrence of the map's names (case as written,
 * accents kept apart, the longest name first) in documents' texts (removed
 * ones too), speaker labels, case and document names, memos and coding
 * memos, inside the caller's transaction. Every coding moves with its words
 * (spans shifted in code points), turns too; lines and full-text rows are
 * rebuilt. Refused (QDA_EINPUT at DOC:LINE:COL, nothing changed) when a
 * name would cut a coding, or two speakers or cases would take one name.
 * The log's commands and summaries are pseudonymised too, and undo
 * records holding a name are emptied (that change can no longer be undone);
 * no undo record is kept of this change (it would hold the names). dry_run: every
 * occurrence through hit, nothing written (the same refusals); else the
 * count of each place through count. */
enum qda_status qda_pseudonymise(struct qda *h, const struct qda_pseudo_map *m, int dry_run, qda_pseudo_hit_fn hit,
                                 qda_pseudo_count_fn count, void *ctx, struct qda_pseudo_totals *t);

/* ---- check.c: the project file's health ---- */
struct qda_check_row {
	const char *check;      /* "sqlite", "foreign key", "coding", "document", "line", "turn", "full-text index" */
	const char *where;      /* "coding 12", "document 'P01' line 4", ... */
	const char *problem;    /* a sentence */
};
typedef int (*qda_check_fn)(void *ctx, const struct qda_check_row *r);
/* Every problem found, one row each, through fn (non-zero stops): SQLite's
 * integrity_check and foreign_key_check, FTS5's integrity-check, and qda's
 * invariants (codings inside their documents with start < end and
 * references that resolve, lines and turns agreeing with the text length,
 * every non-empty line in the full-text index and nothing else). Reads
 * only. *n_problems: the count. QDA_EDB when a check cannot run. */
enum qda_status qda_check(struct qda *h, qda_check_fn fn, void *ctx, long *n_problems);

/* Copy the project, whole and consistent, to path through SQLite's online
 * backup API: written to a temporary file beside it, then renamed (mode
 * 0600). QDA_EINPUT when path is the project itself or a directory. */
enum qda_status qda_backup(struct qda *h, const char *path);

/* ---- accounts for qda serve (user.c) ---- */
/* An account's name is the coder its work is recorded as (the rule of
 * qda_coder_name_check); a coder codes and writes memos, a reviewer also
 * records review verdicts. Passwords are kept only as argon2id hashes
 * (libsodium's crypto_pwhash_str). */
enum qda_role { QDA_ROLE_CODER, QDA_ROLE_REVIEWER };
/* "coder" or "reviewer": 0, or -1 for anything else. */
int qda_role_parse(const char *s, enum qda_role *r);
const char *qda_role_name(enum qda_role r);
/* Whether a password is acceptable: UTF-8, 8 characters or more, at most
 * 1024 bytes; QDA_EINPUT saying what to do otherwise. */
enum qda_status qda_password_check(struct qda *h, const char *password);
/* Add an account inside the caller's transaction; QDA_EEXIST when the name
 * is taken, QDA_EINPUT for a bad name or password. */
enum qda_status qda_user_add(struct qda *h, const char *name, enum qda_role role, const char *password);
/* A new password for an account; QDA_ENOTFOUND for an unknown one. */
enum qda_status qda_user_password(struct qda *h, const char *name, const char *password);
/* Remove an account (its coder and work stay); QDA_ENOTFOUND if none. */
enum qda_status qda_user_remove(struct qda *h, const char *name);
struct qda_user_row {
	const char *name, *role, *created;
};
typedef int (*qda_user_fn)(void *ctx, const struct qda_user_row *r);
/* The accounts by name. */
enum qda_status qda_user_list(struct qda *h, qda_user_fn fn, void *ctx);
enum qda_status qda_user_count(struct qda *h, long *n);
/* The role of an account; QDA_ENOTFOUND when there is none (removed). */
enum qda_status qda_user_role(struct qda *h, const char *name, enum qda_role *role);
/* Check a name and password: QDA_OK with the role, or QDA_EINPUT "wrong
 * name or password" (the same time taken whether the name exists or not). */
enum qda_status qda_user_login(struct qda *h, const char *name, const char *password, enum qda_role *role);

/* ---- what a page reading one document needs (reader.c) ---- */
struct qda_doc_text {
	long long id;
	char *name, *text;      /* malloc'd: the stored text (UTF-8, NFC, LF) */
	size_t len;             /* bytes */
	long length;            /* code points */
	char hash[65];          /* its SHA-256: the version a page codes against */
};
/* A current document's text; QDA_ENOTFOUND with the nearest names. Free
 * with qda_doc_text_free (a zeroed one is fine). */
enum qda_status qda_doc_text(struct qda *h, const char *doc, struct qda_doc_text *d);
void qda_doc_text_free(struct qda_doc_text *d);
/* The version of a coding (removed ones too) as a page shows it: code,
 * span, state, removal and number of reviews, as one string into version
 * (n bytes); its coder's name into coder (cn bytes; may be NULL). Any
 * change to one of them changes the version. QDA_ENOTFOUND if none. */
enum qda_status qda_coding_version(struct qda *h, long long id, char *version, size_t n, char *coder, size_t cn);
/* Each current document (by name) with its current codings, and how many
 * of them are coder's (0 when coder is NULL). */
typedef int (*qda_doc_count_fn)(void *ctx, const char *doc, long codings, long mine);
enum qda_status qda_doc_coding_counts(struct qda *h, const char *coder, qda_doc_count_fn fn, void *ctx);

#endif
