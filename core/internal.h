/* internal.h — what core modules share and cmd/ never sees: the handle's
 * insides, error helpers and the statement helpers of store.c. */
#ifndef QDA_INTERNAL_H
#define QDA_INTERNAL_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>

#include "qda.h"

#define KEPT_MAX 16
struct qda {
	sqlite3 *db;
	char *path;
	int readonly;
	int in_tx;
	long long log_id;    /* the running command's log row, from qda_begin */
	int bulk;            /* the command writes codings and documents in bulk */
	int fts_sized;       /* line_fts buffers a bulk write in memory */
	int no_undo;         /* the command is an undo: record no changes */
	sqlite3_session *session; /* the command's small changes, for qda undo */
	char *command;       /* the command line being run, for the audit trail */
	char *coder;
	char errmsg[2048];
	char errloc[512];
	qda_warn_fn warn;
	void *warn_ctx;
	qda_progress_fn progress;
	void *progress_ctx;
	struct { const char *sql; sqlite3_stmt *st; } kept[KEPT_MAX]; /* prep_kept */
	int line_hits;       /* search's FTS5 function is registered */
	uint64_t guid_ms;    /* guid_new: the last GUID's time and its counter */
	uint64_t guid_count_hi, guid_count_lo; /* 12 + 62 bits */
	int guid_seeded;
};

/* Set the error message (printf-style) and location; return st. */
enum qda_status seterr(struct qda *h, enum qda_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum qda_status seterr_at(struct qda *h, enum qda_status st, const char *loc, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));
/* Set only the location of the error already on h (a row's place added to a
 * message from further down). Messages and locations too long for the
 * handle's buffers are cut at the end of a character. */
void setloc(struct qda *h, const char *loc);
/* Record a database error with SQLite's message; returns QDA_EDB. */
enum qda_status dberr(struct qda *h, const char *what);
void warnf(struct qda *h, const char *loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void progress(struct qda *h, const char *what, uint64_t done, uint64_t total);

/* Prepare a statement; on failure set the error and return NULL. */
sqlite3_stmt *prep(struct qda *h, const char *sql);
/* A statement prepared once per handle, for a bulk command calling a
 * per-item function (import's per-document inserts): sql is a string
 * constant, its address the key; returned reset with no bindings. The
 * handle keeps it until qda_close: reset it after use, never finalize it. */
sqlite3_stmt *prep_kept(struct qda *h, const char *sql);
/* Run one or more statements without results. */
enum qda_status exec(struct qda *h, const char *sql);
/* Step a statement expected to finish (SQLITE_DONE); error otherwise. */
enum qda_status step_done(struct qda *h, sqlite3_stmt *st);
/* The one checked way to read rows: 1 for a row, 0 when the statement is
 * done, -1 after recording the error (busy, I/O, corruption) as "what: ...".
 * Loops read: while ((r = step_row(h, st, "read X")) > 0) {...} if (r < 0) fail. */
int step_row(struct qda *h, sqlite3_stmt *st, const char *what);
/* Bind a UTF-8 string (NULL binds NULL). */
int bind_text(sqlite3_stmt *st, int i, const char *s);
/* Savepoints for helpers nested in a command's transaction. */
enum qda_status savepoint(struct qda *h, const char *name);
enum qda_status release(struct qda *h, const char *name);
void rollback_to(struct qda *h, const char *name);

/* Say, before its first write, that the running command writes codings or
 * documents in bulk: their rows then stay out of the undo changeset and undo
 * finds them by log_id (tx_log_id) instead. */
void tx_bulk(struct qda *h);
enum qda_status tx_fts_bulk(struct qda *h);
/* the page cache back as it was after tx_fts_bulk (commit and rollback do it) */
void tx_fts_bulk_end(struct qda *h);
/* The running command records no undo changeset (qda undo itself). */
void tx_no_undo(struct qda *h);
/* PRAGMA foreign_key_check: QDA_EINPUT with "what: table N refers to a
 * missing parent; ..." when rows fail it. */
enum qda_status fk_check(struct qda *h, const char *what);
/* The log row of the running command (0 outside a transaction): the log_id
 * of what it makes. */
long long tx_log_id(const struct qda *h);
/* Run a statement returning one integer; QDA_EDB when it fails. */
enum qda_status query_int(struct qda *h, const char *sql, long long arg, long long *out);

/* The coder row for h->coder, created on first use; QDA_EINVAL with a
 * message when no coder is set. */
enum qda_status coder_id(struct qda *h, long long *id);
/* What is wrong with a name of a document, case or coder, or NULL: empty,
 * not UTF-8, a space at either end, a control character, longer than
 * max_chars code points (100 or 200). One rule for every name a user types. */
const char *name_problem(const char *name, size_t max_chars);
/* Find or create a coder by name, the name checked as qda_coder_name_check. */
enum qda_status coder_ensure(struct qda *h, const char *name, long long *id);
/* A new GUID into out: UUID text (8-4-4-4-12 lower-case hex) of version 7,
 * time-ordered (milliseconds since 1970, then a counter from a random
 * start), so the GUIDs a command makes in bulk go to the end of the unique
 * index instead of random places in it; unique as version 4 is. */
#define GUID_SIZE 37
void guid_new(struct qda *h, char out[GUID_SIZE]);
/* Find or create a case by name. */
enum qda_status case_ensure(struct qda *h, const char *name, long long *id);

/* The id of a document by name (or by its case's name when the case has one
 * document); QDA_ENOTFOUND with a hint otherwise. (docs.c) */
enum qda_status doc_find(struct qda *h, const char *name, long long *id);

/* Growable byte buffer. A failed allocation sticks: later adds do nothing
 * and return -1, and buf_take returns NULL, so a builder may check once at
 * the end (b.failed, or buf_take's result) instead of after every add. */
struct buf {
	char *s;
	size_t len, cap;
	int failed;
};
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_addc(struct buf *b, char c);
/* Append s as one shell word, in single quotes when it needs them (a name
 * with a space in a command the user may copy). */
int buf_add_word(struct buf *b, const char *s);
void buf_free(struct buf *b);
/* Take ownership of the NUL-terminated contents ("" when empty); the buffer
 * is reset. NULL when an allocation failed. */
char *buf_take(struct buf *b);

/* A location "PATH:LINE" or, col not 0, "PATH:LINE:COL"; malloc'd, NULL
 * out of memory. */
char *loc_at(const char *path, size_t line, size_t col);
/* The bytes of s[0..len) to show at most max of them without cutting a
 * character: len, or less than max at a character's start. */
size_t utf8_prefix(const char *s, size_t len, size_t max);

/* Read a whole file; QDA_EIO with a message naming it on failure. */
enum qda_status read_file(struct qda *h, const char *path, size_t max, char **out, size_t *len);

/* ---- csv.c: the one strict CSV reader (code --from, review import, case import) ---- */
/* RFC 4180, parsed strictly by libcsv, streamed: the first record is the
 * header; a UTF-8 BOM is skipped; CRLF, LF and CR end lines; blank lines are
 * skipped. Spaces (and tabs, unless the delimiter is tab) around an unquoted
 * value or around quotes do not count; a quoted value is kept as written, its
 * "" undone and its line breaks made LF. Lines count from 1, columns in code
 * points from 1. */
struct csv_field {
	char *s;              /* the value, NUL-terminated; the caller may change it in place */
	size_t len;
	long line, col;       /* where the cell starts (just after the delimiter before it) */
};
struct csv_record {
	struct csv_field *f;  /* n fields, valid until the next csv_next or csv_close */
	size_t n;             /* 0 at the end of the file */
	long line;            /* the line the record starts on */
	long end_line, end_col; /* where it ends: its line break or the end of the file */
	int wide;             /* more fields than the header (see csv_next) */
};
struct csv_reader;
/* Open path to read records separated by delim (',', ';' or '\t'; 0 is ',').
 * QDA_EINPUT when the file cannot be read, is UTF-16, or its header line is
 * separated by another delimiter than delim and holds none of delim (then at
 * LINE:1, saying which delimiter it is and which --delimiter to pass). */
enum qda_status csv_open(struct qda *h, const char *path, char delim, struct csv_reader **r);
/* The next record. QDA_OK: a record, or the end when rec->n is 0.
 * QDA_EINPUT with rec->wide set: the record (in rec all the same) has more
 * fields than the header; the error is on h at its first extra field, and
 * reading can go on. Any other error (a quote never closed or one inside an
 * unquoted value, text after a closing quote, invalid UTF-8, a NUL byte, a
 * record over 64 MiB, a read error, memory) is on h at FILE:LINE:COL and ends
 * the reading. */
enum qda_status csv_next(struct csv_reader *r, struct csv_record *rec);
void csv_close(struct csv_reader *r);
/* A cell written by qda's CSV writer, back as it was: a ' that was put
 * before = + - @ tab or CR (or before a ' followed by one of those) for
 * spreadsheets is taken off, in place. Readers of sheets people edit in a
 * spreadsheet (review import) call it; readers of qda's own files (dump)
 * do not, as dump writes its cells as stored. */
void csv_unneutralise(char *cell);

/* ---- tree.c: the codebook tree for the counting modules ---- */
/* Built from the codebook itself (cb_from_db): the nodes of qda codebook
 * show, in its order (order[]), indexed by id (nodes[] sorted by id). */
struct tree_node {
	long long id;
	char *key, *name, *kind, *parent; /* parent: the parent's key or "" */
	char *color, *definition;         /* "" when unset */
	long parent_ix;                   /* index in nodes, -1 for a theme */
	int depth;                        /* 1 for themes */
	long rank;                        /* pre-order rank */
};
struct tree {
	struct tree_node *nodes;          /* sorted by id */
	size_t n;
	long *order;                      /* node indices in pre-order */
	size_t n_order;
};
enum qda_status tree_load(struct qda *h, struct tree *t);
void tree_free(struct tree *t);
long tree_find(const struct tree *t, long long id);
/* The ancestor-or-self of ix at a level (-1 if none); QDA_LEVEL_ALL: ix. */
long tree_at_level(const struct tree *t, long ix, enum qda_level level);
/* Whether a node is shown at a level. */
int tree_keep(const struct tree_node *n, enum qda_level level);
/* ---- spans.c: interval arithmetic ---- */
/* Spans as int64 pairs (start, end): sort (skipped when sorted already), and
 * union in place where the gap to the next span is below gap (0: overlapping
 * spans merge, touching ones do not; 1: touching ones merge too, the
 * passage rule). Returns the new count. */
int span_cmp(const void *a, const void *b);
size_t span_union(int64_t *v, size_t n, int64_t gap);
struct spans {
	int64_t *v; /* start, end pairs */
	size_t n, cap;
};
enum qda_status spans_push(struct qda *h, struct spans *s, int64_t start, int64_t end);
/* s made passages (span_union with gap 1); returns the count. */
size_t spans_passages(struct spans *s);
/* Whether [start, end) lies wholly inside one span of a sorted, disjoint s. */
int spans_contain(const struct spans *s, int64_t start, int64_t end);
/* Characters in s (sorted, disjoint), and in both a and b. */
int64_t spans_length(const struct spans *s);
int64_t spans_intersect_length(const struct spans *a, const struct spans *b);
/* Pairs (one span of a, one of b; both sorted, disjoint) at most near
 * characters apart; near -1: sharing a character. Never lower for a wider
 * near. */
long spans_pairs_within(const struct spans *a, const struct spans *b, int64_t near);

/* ---- layout.c: a document's lines and turns in memory ---- */
struct layout_turn {
	int64_t start, end;
	long n, line_first, line_last;
	long long speaker_id;     /* 0 for none */
	int interviewer;
	long long time_start;     /* the cue's start in milliseconds; LLONG_MIN when none */
};
struct layout {
	struct qda *h;
	sqlite3_stmt *lines_st, *turns_st, *iv_st;
	unsigned what;
	long long *iv_speakers;   /* the document's interviewers' speaker ids */
	size_t n_iv_speakers, cap_iv_speakers;
	long long doc_id;         /* the document loaded, 0 for none */
	int64_t *lines;           /* start, end pairs; line n at index n - 1 */
	size_t n_lines, cap_lines;
	struct layout_turn *turns; /* by position */
	size_t n_turns, cap_turns;
	struct spans iv;          /* interviewer material, sorted, disjoint */
};
enum { LAYOUT_LINES = 1, LAYOUT_TURNS = 2 };
/* Prepare to load lines, turns (and interviewer material) or both. */
enum qda_status layout_open(struct qda *h, unsigned what, struct layout *L);
/* Load a document's layout (nothing to do when it is loaded already). */
enum qda_status layout_load(struct layout *L, long long doc_id);
void layout_close(struct layout *L);
/* Open and load one document's layout and keep it without statements, for
 * a caller holding the layouts of many documents at once (coding --from);
 * never layout_load it with another document. On failure *L is closed. */
enum qda_status layout_read(struct qda *h, unsigned what, long long doc_id, struct layout *L);
/* Append a line after the loaded ones (for a document without a line
 * table, whose lines its reader takes from the text). */
enum qda_status layout_add_line(struct layout *L, int64_t start, int64_t end);
/* The number of the line holding pos (the last one starting at or before
 * it; 0 before the first line). */
long layout_line_of(const struct layout *L, int64_t pos);
/* The index in turns of the last turn starting at or before pos, -1 before
 * the first (pos may lie after that turn's end, between two turns). */
long layout_turn_before(const struct layout *L, int64_t pos);
/* The index in turns of the turn holding pos, -1 when none does. */
long layout_turn_of(const struct layout *L, int64_t pos);
/* Whether [start, end) lies wholly in interviewer material: an interviewer's
 * turns, each with the text after it up to the next turn. */
int layout_interviewer(const struct layout *L, int64_t start, int64_t end);

/* ---- filter.c: what counts ---- */
/* The filters as SQL: where is " AND ..." on a document d (the --where
 * filters, with text parameters bound in order by filter_bind), coding the
 * conditions on a coding c alone (no parameters), cond the two together.
 * Checks the coder, the keys and the values (the nearest suggested). */
struct filter_sql {
	struct buf where, coding, cond;
	char **params;
	size_t n_params;
	long long coder_id;      /* 0: every coder */
};
enum qda_status filter_prepare(struct qda *h, const struct qda_filter *f, struct filter_sql *fs);
/* Bind the parameters from index first; returns the next free index. */
int filter_bind(sqlite3_stmt *st, int first, const struct filter_sql *fs);
void filter_sql_free(struct filter_sql *fs);
/* QDA_EINPUT, with the nearest keys suggested, when no case has the
 * attribute key[0..len). */
enum qda_status attr_key_check(struct qda *h, const char *key, size_t len);
/* The id of a coder by name (0 for NULL); QDA_ENOTFOUND when absent. */
enum qda_status coder_lookup(struct qda *h, const char *name, long long *id);

/* The id of a codebook node by its id (key); QDA_ENOTFOUND with the nearest
 * ids suggested ("did you mean 'trust'?") otherwise. (tree.c) */
enum qda_status node_find(struct qda *h, const char *key, long long *id);
/* Levenshtein distance of two byte strings; (size_t)-1 out of memory. (tree.c) */
size_t edit_distance(const char *a, const char *b);
/* Up to 3 of the keys a statement yields (column 0) nearest to wrong, as
 * "'a', 'b' or 'c'" in *out, malloc'd ("" when none is near); QDA_EDB when
 * the statement fails. (tree.c) */
enum qda_status suggest_list(struct qda *h, sqlite3_stmt *st, const char *wrong, char **out);

/* ---- coding.c: the one way codings are written ---- */
/* Add a coding of node_id to [start, end) of doc_id by coder_id. method is
 * "manual", "edit", "auto", "import" or "merge"; rule and memo may be NULL.
 * The same coder, code and span is one coding: then *created is 0 and *id
 * the existing coding. The span must lie in the document (QDA_EINPUT). */
enum qda_status coding_add(struct qda *h, long long doc_id, long long node_id, long long coder_id,
                           int64_t start, int64_t end, const char *method, const char *rule,
                           const char *memo, long long *id, int *created);


/* Mark a coding removed by coder by (0: none) for a reason ("uncode",
 * "merged", "edit", "document removed", "revised"): it leaves the view
 * coding, keeps its id, memos, reviews and history. */
enum qda_status coding_remove(struct qda *h, long long id, long long by, const char *why);

/* ---- coding.c: the bulk writer and lookups shared with retrieve.c ---- */
/* The writer behind coding_add, for many codings: statements prepared once,
 * bound per coding. line_first/line_last: the lines of start and end - 1
 * when the caller knows them, else 0 to look them up. Same contract as
 * coding_add otherwise. */
struct coding_writer;
enum qda_status coding_writer_new(struct qda *h, struct coding_writer **w);
enum qda_status coding_writer_add(struct coding_writer *w, long long doc_id, long long node_id, long long coder_id,
                                  int64_t start, int64_t end, long line_first, long line_last, const char *method,
                                  const char *rule, const char *memo, long long *id, int *created);
/* A coding to write in bulk. rule, method and memo are the caller's;
 * line_first/line_last 0 to look them up; line is where it comes from
 * (a CSV line), for messages. */
struct coding_row {
	long long doc_id, node_id, coder_id;
	int64_t start, end;
	long line_first, line_last;
	const char *method, *rule, *memo;
	long line;
};
/* Write rows[0..n) (n up to 64), many to a statement, in order: ids[i] and
 * created[i] as coding_writer_add gives them. Fills in rows' lines. */
enum qda_status coding_writer_write(struct coding_writer *w, struct coding_row *rows, size_t n,
                                    long long *ids, int *created);
/* For codings whose ids nobody needs (code --from): queued (memo copied),
 * written 64 at a time; *added and *present count them as they are
 * written. Flush before the writer is freed: what is still queued then is
 * dropped. */
enum qda_status coding_writer_queue(struct coding_writer *w, const struct coding_row *row, long *added,
                                    long *present);
enum qda_status coding_writer_flush(struct coding_writer *w, long *added, long *present);
/* After a failed write, queue or flush: the line of the coding it failed
 * on (0: none). */
long coding_writer_failed_line(const struct coding_writer *w);
void coding_writer_free(struct coding_writer *w);
/* doc_find, with the nearest names suggested when there is no such document:
 * "no document 'P1'; did you mean 'P01'? (see qda docs)". */
enum qda_status doc_lookup(struct qda *h, const char *name, long long *id);
/* A code for new codings: node_find's message when unknown; QDA_EINPUT when
 * the node is retired. */
enum qda_status code_lookup(struct qda *h, const char *key, long long *id);
/* An id from free text: folded to ASCII lowercase, other runs to '-'. malloc'd. */
char *code_slug(const char *s);


/* ---- codebook.c: the codebook in memory, shared with codebook_export.c and theme.c ---- */
enum cb_kind { CB_THEME, CB_SUBTHEME, CB_CODE };
struct strv {
	char **v;
	size_t n;
};
struct cb_node {
	char *id, *name, *status;          /* status never NULL */
	char *definition, *color, *guid;   /* NULL when unset */
	struct strv include, exclude, examples, keywords, patterns;
	enum cb_kind kind;
	long parent;                       /* index in nodes, -1 for a theme */
	long first_child, next_sibling;    /* indices, -1 for none (cb_link) */
	long long db_id;                   /* 0 when not from the project */
	int depth;                         /* 1 for themes */
	int nkids;                         /* children so far, for positions */
	long line, col, id_line, id_col;   /* where the node and its id are in the file */
};
/* Nodes in tree order: pre-order, sub-themes before codes among siblings. */
struct cb {
	char *title, *description;         /* NULL when unset */
	struct cb_node *nodes;
	size_t n, cap;
};
void cb_free(struct cb *cb);
/* A new node at the end of cb (pre-order is the caller's); its index, -1 out of memory. */
long cb_add(struct cb *cb, enum cb_kind kind, long parent);
/* Parse and check codebook YAML (or a JSON snapshot); every error goes to
 * err with loc "NAME:LINE:COL", in file order. Returns the number of errors
 * (-1 out of memory); cb is filled as far as it could be. */
long cb_parse(const char *name, const char *text, size_t len, struct cb *cb, qda_cb_error_fn err, void *ctx);
/* The project's codebook (nodes not retired), title and description from
 * the latest version. */
enum qda_status cb_from_db(struct qda *h, struct cb *cb);
/* The first child and next sibling links of a cb in tree order; -1 out of
 * memory. */
int cb_link(struct cb *cb);
/* The codebook as a JSON document of the YAML's shape (the snapshot). */
char *cb_to_json(const struct cb *cb);
const char *cb_kind_name(enum cb_kind k);
/* The changes from a to b, appended to *changes as a JSON array's items
 * through fn as well (fn may be NULL). */
struct cb_change {
	char *change, *id, *detail;
};
struct cb_changes {
	struct cb_change *v;
	size_t n, cap;
};
enum qda_status cb_diff(struct qda *h, const struct cb *a, const struct cb *b, struct cb_changes *c);
void cb_changes_free(struct cb_changes *c);
/* Store a codebook version after a change made in the current transaction:
 * the snapshot is read back from the project; title and description NULL
 * keep the latest version's. *version the new version's number. */
enum qda_status cb_record(struct qda *h, const char *origin, const char *hash, const char *title,
                          const char *description, const struct cb_changes *c, long *version);
/* Report changes through fn (may be NULL). */
void cb_changes_report(const struct cb_changes *c, qda_cb_change_fn fn, void *ctx);
/* Remove a node that left the codebook: deleted when nothing refers to it,
 * else retired (its codings, children, reviews and memos stay valid). */
enum qda_status cb_drop(struct qda *h, long long id, int *retired);
/* Append a JSON string literal. */
int cb_json_str(struct buf *b, const char *s);

/* The words of a stored text, as import counts them (document.words). (import.c) */
long text_count_words(const char *s, size_t len);

/* ---- store.c: making a project at an older schema (init --from) ---- */
/* A handle on path, nothing opened yet; NULL when out of memory. */
struct qda *handle_new(const char *path, int readonly);
/* Create h's project file (mode 0600; QDA_EEXIST if there is one) at schema
 * version (1 to the current), as qda_init does at the current one. */
enum qda_status store_create(struct qda *h, int version);
/* Upgrade h's project to the current schema, as opening it does. */
enum qda_status store_upgrade(struct qda *h);

/* ---- dump.c: a document's line index and full-text rows ---- */
/* Remove them (before the text changes: the index is external). */
enum qda_status lines_drop(struct qda *h, long long doc_id);
/* Build them from the stored text and the turn table, as import does. */
enum qda_status lines_build(struct qda *h, long long doc_id);

/* ---- lang.c: languages, words, stems, stop lists ---- */
/* The language of every document (sorted by id): the one given at import,
 * else the case attribute language, else the project's, else French. */
struct doclangs {
	long long *ids;
	unsigned char *lang;
	size_t n, cap;
};
enum qda_status lang_default(struct qda *h, int *lang);
enum qda_status doclangs_load(struct qda *h, struct doclangs *dl);
int doclangs_of(const struct doclangs *dl, long long doc_id);
void doclangs_free(struct doclangs *dl);
/* The next word of s[0..n) from *pos: [start, end) in bytes, *letters
 * whether it has a letter (not digits only); 0 when there is none. */
int word_next(const char *s, size_t n, size_t *pos, size_t *start, size_t *end, int *letters);
/* Case-folded, accents kept (malloc'd; NULL out of memory). */
char *word_lower(const char *s, size_t n);
struct stemmers {
	struct sb_stemmer *sb[2];
};
enum qda_status stemmers_open(struct qda *h, struct stemmers *s);
void stemmers_close(struct stemmers *s);
/* The stem of a lower-case word in a language, accents stripped: the key
 * words share when they have one stem (malloc'd; NULL out of memory). */
char *stem_key(struct stemmers *s, int lang, const char *lower);
struct stops {
	struct strv builtin[2], added, removed; /* fully folded, sorted */
};
enum qda_status stops_load(struct qda *h, struct stops *s);
/* Whether a word (qda_text_fold'ed) is a stop word in a language. */
int stops_has(const struct stops *s, int lang, const char *folded);
void stops_free(struct stops *s);

#endif
