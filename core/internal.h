/* internal.h — what core modules share and cmd/ never sees: the handle's
 * insides, error helpers and the statement helpers of store.c. */
#ifndef QDA_INTERNAL_H
#define QDA_INTERNAL_H

#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>

#include "qda.h"

struct qda {
	sqlite3 *db;
	char *path;
	int readonly;
	int in_tx;
	char *command;       /* the command line being run, for the audit trail */
	char *coder;
	char errmsg[2048];
	char errloc[512];
	qda_warn_fn warn;
	void *warn_ctx;
	qda_progress_fn progress;
	void *progress_ctx;
};

/* Set the error message (printf-style) and location; return st. */
enum qda_status seterr(struct qda *h, enum qda_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum qda_status seterr_at(struct qda *h, enum qda_status st, const char *loc, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));
/* Record a database error with SQLite's message; returns QDA_EDB. */
enum qda_status dberr(struct qda *h, const char *what);
void warnf(struct qda *h, const char *loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void progress(struct qda *h, const char *what, uint64_t done, uint64_t total);

/* Prepare a statement; on failure set the error and return NULL. */
sqlite3_stmt *prep(struct qda *h, const char *sql);
/* Run one or more statements without results. */
enum qda_status exec(struct qda *h, const char *sql);
/* Step a statement expected to finish (SQLITE_DONE); error otherwise. */
enum qda_status step_done(struct qda *h, sqlite3_stmt *st);
/* Bind a UTF-8 string (NULL binds NULL). */
int bind_text(sqlite3_stmt *st, int i, const char *s);
/* Savepoints for helpers nested in a command's transaction. */
enum qda_status savepoint(struct qda *h, const char *name);
enum qda_status release(struct qda *h, const char *name);
void rollback_to(struct qda *h, const char *name);

/* The coder row for h->coder, created on first use; QDA_EINVAL with a
 * message when no coder is set. */
enum qda_status coder_id(struct qda *h, long long *id);
/* Find or create a case by name. */
enum qda_status case_ensure(struct qda *h, const char *name, long long *id);

/* The id of a document by name (or by its case's name when the case has one
 * document); QDA_ENOTFOUND with a hint otherwise. (docs.c) */
enum qda_status doc_find(struct qda *h, const char *name, long long *id);

/* Growable byte buffer. */
struct buf {
	char *s;
	size_t len, cap;
};
int buf_add(struct buf *b, const void *p, size_t n);
int buf_adds(struct buf *b, const char *s);
int buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int buf_addc(struct buf *b, char c);
void buf_free(struct buf *b);
/* Take ownership of the NUL-terminated contents; the buffer is reset. */
char *buf_take(struct buf *b);

/* Read a whole file; QDA_EIO with a message naming it on failure. */
enum qda_status read_file(struct qda *h, const char *path, size_t max, char **out, size_t *len);

/* ---- coding.c: the one way codings are written ---- */
/* Add a coding of node_id to [start, end) of doc_id by coder_id. method is
 * "manual", "edit", "auto", "import" or "merge"; rule and memo may be NULL.
 * The same coder, code and span is one coding: then *created is 0 and *id
 * the existing coding. The span must lie in the document (QDA_EINPUT). */
enum qda_status coding_add(struct qda *h, long long doc_id, long long node_id, long long coder_id,
                           int64_t start, int64_t end, const char *method, const char *rule,
                           const char *memo, long long *id, int *created);

#endif
