/* coding.c — codings: the one place they are written (coding_add and the bulk
 * writer), spans from lines, turns, characters or a quote, batch coding from
 * CSV, removal, and the codes margin of qda show. Positions are code points
 * from 0, spans half-open. Never prints, never reads the terminal. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

/* ---- the writer: statements prepared once, bound per coding ---- */

/* Codings written at once by one statement: BATCH, or fewer (sizes BATCH
 * divided by 4 each time, down to 4); queued by coding_writer_queue. */
#define BATCH 64
#define BATCH_COLS 12
#define N_SIZES 3
static const size_t batch_size[N_SIZES] = { 64, 16, 4 };

struct coding_writer {
	struct qda *h;
	sqlite3_stmt *doc, *ins, *sel, *many[N_SIZES];
	struct layout L;   /* lines, loaded when a coding comes without them */
	long long doc_id;  /* the document whose length and name are cached */
	int64_t length;
	char *name;
	struct coding_row q[BATCH]; /* queued, each memo a copy */
	size_t nq;
	long failed_line;  /* the line of the queued coding a flush failed on */
};

void coding_writer_free(struct coding_writer *w)
{
	size_t i;
	if (!w)
		return;
	sqlite3_finalize(w->sel);
	sqlite3_finalize(w->ins);
	for (i = 0; i < N_SIZES; i++)
		sqlite3_finalize(w->many[i]);
	while (w->nq > 0)
		free((char *)w->q[--w->nq].memo);
	layout_close(&w->L);
	sqlite3_finalize(w->doc);
	free(w->name);
	free(w);
}

enum qda_status coding_writer_new(struct qda *h, struct coding_writer **out)
{
	struct coding_writer *w = calloc(1, sizeof *w);
	*out = NULL;
	if (!w)
		return seterr(h, QDA_ENOMEM, "out of memory");
	w->h = h;
	if (layout_open(h, LAYOUT_LINES, &w->L) != QDA_OK || !(w->doc = prep(h, "SELECT length, name FROM document WHERE id = ?")) ||
	    !(w->ins = prep(h, "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last,"
	                       " method, rule, memo, log_id, guid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) ||
	    !(w->sel = prep(h, "SELECT id FROM coding WHERE doc_id = ? AND node_id = ? AND coder_id = ?"
	                       " AND start = ? AND end = ?"))) {
		coding_writer_free(w);
		return QDA_EDB;
	}
	*out = w;
	return QDA_OK;
}

/* The line (from 1) holding code point pos: the last line starting at or
 * before it, line 1 when none does (a document without lines). */
static long line_at(const struct layout *L, int64_t pos)
{
	long n = layout_line_of(L, pos);
	return n > 0 ? n : 1;
}

static enum qda_status writer_check(struct coding_writer *w, long long doc_id, int64_t start, int64_t end,
                                    long *line_first, long *line_last);
static enum qda_status writer_insert(struct coding_writer *w, long long doc_id, long long node_id,
                                     long long coder_id, int64_t start, int64_t end, long line_first,
                                     long line_last, const char *method, const char *rule, const char *memo,
                                     long long *id, int *created);

enum qda_status coding_writer_add(struct coding_writer *w, long long doc_id, long long node_id, long long coder_id,
                                  int64_t start, int64_t end, long line_first, long line_last, const char *method,
                                  const char *rule, const char *memo, long long *id, int *created)
{
	enum qda_status rc;

	*created = 0;
	if ((rc = writer_check(w, doc_id, start, end, &line_first, &line_last)) != QDA_OK)
		return rc;
	return writer_insert(w, doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule, memo, id,
	                     created);
}

/* Is [start, end) inside document doc_id? Its lines when not given. */
static enum qda_status writer_check(struct coding_writer *w, long long doc_id, int64_t start, int64_t end,
                                    long *line_first, long *line_last)
{
	struct qda *h = w->h;
	enum qda_status rc;
	int step;

	if (doc_id != w->doc_id) {
		char *name = NULL;
		sqlite3_reset(w->doc);
		sqlite3_bind_int64(w->doc, 1, doc_id);
		if ((step = step_row(h, w->doc, "find document")) > 0) {
			w->length = sqlite3_column_int64(w->doc, 0);
			name = strdup((const char *)sqlite3_column_text(w->doc, 1));
		}
		sqlite3_reset(w->doc);
		if (step <= 0)
			return step < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document with id %lld", doc_id);
		if (!name)
			return seterr(h, QDA_ENOMEM, "out of memory");
		free(w->name);
		w->name = name;
		w->doc_id = doc_id;
	}
	if (start < 0 || end > w->length || start >= end)
		return seterr_at(h, QDA_EINPUT, w->name, "span [%lld, %lld) is not inside the document (0 to %lld)",
		                 (long long)start, (long long)end, (long long)w->length);
	if (*line_first <= 0 || *line_last <= 0) {
		if ((rc = layout_load(&w->L, doc_id)) != QDA_OK)
			return rc;
		*line_first = line_at(&w->L, start);
		*line_last = line_at(&w->L, end - 1);
	}
	return QDA_OK;
}

static enum qda_status writer_insert(struct coding_writer *w, long long doc_id, long long node_id,
                                     long long coder_id, int64_t start, int64_t end, long line_first,
                                     long line_last, const char *method, const char *rule, const char *memo,
                                     long long *id, int *created)
{
	struct qda *h = w->h;
	char guid[GUID_SIZE];
	int step;

	*created = 0;
	/* Insert first: the same coder, code and span is one coding, and an
	 * INSERT refused by the unique index (coding_span) writes nothing and
	 * uses up no id (AUTOINCREMENT advances only when a statement ends
	 * well); only then is the coding there looked up. In bulk (autocode,
	 * code --from) most codings are new: one index probe each, not two. */
	sqlite3_reset(w->ins);
	sqlite3_bind_int64(w->ins, 1, doc_id);
	sqlite3_bind_int64(w->ins, 2, node_id);
	sqlite3_bind_int64(w->ins, 3, coder_id);
	sqlite3_bind_int64(w->ins, 4, start);
	sqlite3_bind_int64(w->ins, 5, end);
	sqlite3_bind_int64(w->ins, 6, line_first);
	sqlite3_bind_int64(w->ins, 7, line_last);
	bind_text(w->ins, 8, method ? method : "manual");
	bind_text(w->ins, 9, rule);
	bind_text(w->ins, 10, memo);
	if (tx_log_id(h))
		sqlite3_bind_int64(w->ins, 11, tx_log_id(h));
	else
		sqlite3_bind_null(w->ins, 11);
	guid_new(h, guid);
	sqlite3_bind_text(w->ins, 12, guid, -1, SQLITE_STATIC);
	/* No RETURNING: it makes SQLite keep a temporary b-tree and a
	 * statement journal per row; the new rowid is the connection's last. */
	step = sqlite3_step(w->ins);
	sqlite3_reset(w->ins);
	if (step == SQLITE_DONE) {
		*id = sqlite3_last_insert_rowid(h->db);
		*created = 1;
		return QDA_OK;
	}
	if (step != SQLITE_CONSTRAINT || sqlite3_extended_errcode(h->db) != SQLITE_CONSTRAINT_UNIQUE) {
		/* sqlite3_reset returned the error; the handle still has it */
		return dberr(h, "add coding");
	}
	sqlite3_reset(w->sel);
	sqlite3_bind_int64(w->sel, 1, doc_id);
	sqlite3_bind_int64(w->sel, 2, node_id);
	sqlite3_bind_int64(w->sel, 3, coder_id);
	sqlite3_bind_int64(w->sel, 4, start);
	sqlite3_bind_int64(w->sel, 5, end);
	step = step_row(h, w->sel, "find coding");
	if (step > 0)
		*id = sqlite3_column_int64(w->sel, 0);
	sqlite3_reset(w->sel);
	if (step < 0)
		return QDA_EDB;
	/* refused by another unique index (a GUID): an error after all */
	return step ? QDA_OK : seterr(h, QDA_EDB, "add coding: a coding with the same GUID exists; run again");
}

/* The statement writing batch_size[k] codings at once, prepared when
 * first used. */
static sqlite3_stmt *many_stmt(struct coding_writer *w, size_t k)
{
	struct buf b = { 0 };
	size_t i;
	if (w->many[k])
		return w->many[k];
	buf_adds(&b, "INSERT INTO coding_all(doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule,"
	             " memo, log_id, guid) VALUES ");
	for (i = 0; i < batch_size[k]; i++)
		buf_adds(&b, i ? ", (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)" : "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (b.failed) {
		seterr(w->h, QDA_ENOMEM, "out of memory");
		return NULL;
	}
	w->many[k] = prep(w->h, b.s);
	buf_free(&b);
	return w->many[k];
}

/* rows[0..n) in one statement (n a batch size): 1 written, their ids
 * consecutive (AUTOINCREMENT in one statement); 0 refused by a unique index
 * (a coding there, or twice in rows), nothing written; -1 an error. */
static int write_many(struct coding_writer *w, size_t k, const struct coding_row *rows, long long *ids)
{
	struct qda *h = w->h;
	char guid[BATCH][GUID_SIZE];
	sqlite3_stmt *st = many_stmt(w, k);
	size_t i, n = batch_size[k];
	long long last;
	int step;

	if (!st)
		return -1;
	for (i = 0; i < n; i++) {
		const struct coding_row *p = &rows[i];
		int c = (int)i * BATCH_COLS;
		sqlite3_bind_int64(st, c + 1, p->doc_id);
		sqlite3_bind_int64(st, c + 2, p->node_id);
		sqlite3_bind_int64(st, c + 3, p->coder_id);
		sqlite3_bind_int64(st, c + 4, p->start);
		sqlite3_bind_int64(st, c + 5, p->end);
		sqlite3_bind_int64(st, c + 6, p->line_first);
		sqlite3_bind_int64(st, c + 7, p->line_last);
		sqlite3_bind_text(st, c + 8, p->method ? p->method : "manual", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, c + 9, p->rule, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, c + 10, p->memo, -1, SQLITE_STATIC);
		if (tx_log_id(h))
			sqlite3_bind_int64(st, c + 11, tx_log_id(h));
		else
			sqlite3_bind_null(st, c + 11);
		guid_new(h, guid[i]);
		sqlite3_bind_text(st, c + 12, guid[i], -1, SQLITE_STATIC);
	}
	step = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (step != SQLITE_DONE)
		return step == SQLITE_CONSTRAINT && sqlite3_extended_errcode(h->db) == SQLITE_CONSTRAINT_UNIQUE ? 0 : -1;
	last = sqlite3_last_insert_rowid(h->db);
	for (i = 0; i < n; i++)
		ids[i] = last - (long long)(n - 1 - i);
	return 1;
}

enum qda_status coding_writer_write(struct coding_writer *w, struct coding_row *rows, size_t n, long long *ids,
                                    int *created)
{
	enum qda_status rc;
	size_t i = 0, j, k;

	for (j = 0; j < n; j++) {
		struct coding_row *r = &rows[j];
		if ((rc = writer_check(w, r->doc_id, r->start, r->end, &r->line_first, &r->line_last)) != QDA_OK) {
			w->failed_line = r->line;
			return rc;
		}
	}
	/* Many codings to a statement: its cursors, its check of state and its
	 * statement journal once for the lot. A lot refused because a coding
	 * is already there (or twice in it) wrote nothing: it is written again
	 * one coding at a time, as are the last few. */
	while (i < n) {
		int r = 0;
		for (k = 0; k < N_SIZES && batch_size[k] > n - i; k++)
			;
		if (k < N_SIZES) {
			if ((r = write_many(w, k, rows + i, ids + i)) < 0) {
				w->failed_line = rows[i].line;
				return dberr(w->h, "add coding");
			}
			if (r > 0) {
				for (j = 0; j < batch_size[k]; j++)
					created[i + j] = 1;
				i += batch_size[k];
				continue;
			}
		}
		for (j = i + (k < N_SIZES ? batch_size[k] : n - i); i < j; i++) {
			const struct coding_row *p = &rows[i];
			if ((rc = writer_insert(w, p->doc_id, p->node_id, p->coder_id, p->start, p->end, p->line_first,
			                        p->line_last, p->method, p->rule, p->memo, &ids[i], &created[i])) != QDA_OK) {
				w->failed_line = p->line;
				return rc;
			}
		}
	}
	return QDA_OK;
}

enum qda_status coding_writer_flush(struct coding_writer *w, long *added, long *present)
{
	long long ids[BATCH];
	int created[BATCH];
	enum qda_status rc;
	size_t i, n = w->nq;

	rc = coding_writer_write(w, w->q, n, ids, created);
	for (i = 0; i < n; i++) {
		if (rc == QDA_OK)
			*(created[i] ? added : present) += 1;
		free((char *)w->q[i].memo);
	}
	w->nq = 0;
	return rc;
}

long coding_writer_failed_line(const struct coding_writer *w)
{
	return w->failed_line;
}

enum qda_status coding_writer_queue(struct coding_writer *w, const struct coding_row *row, long *added, long *present)
{
	struct coding_row *p = &w->q[w->nq];
	enum qda_status rc;

	*p = *row;
	if (row->memo && !(p->memo = strdup(row->memo)))
		return seterr(w->h, QDA_ENOMEM, "out of memory");
	w->nq++;
	/* a span outside its document is refused now, at its own row */
	if ((rc = writer_check(w, p->doc_id, p->start, p->end, &p->line_first, &p->line_last)) != QDA_OK) {
		free((char *)p->memo);
		w->nq--;
		w->failed_line = row->line;
		return rc;
	}
	return w->nq == BATCH ? coding_writer_flush(w, added, present) : QDA_OK;
}

enum qda_status coding_add(struct qda *h, long long doc_id, long long node_id, long long coder_id,
                           int64_t start, int64_t end, const char *method, const char *rule,
                           const char *memo, long long *id, int *created)
{
	struct coding_writer *w;
	enum qda_status rc;

	*created = 0;
	if ((rc = coding_writer_new(h, &w)) != QDA_OK)
		return rc;
	rc = coding_writer_add(w, doc_id, node_id, coder_id, start, end, 0, 0, method, rule, memo, id, created);
	coding_writer_free(w);
	return rc;
}

/* ---- finding documents and codes, with the nearest names suggested ---- */

enum qda_status doc_lookup(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st;
	char *hint = NULL;
	enum qda_status rc = doc_find(h, name, id);

	if (rc != QDA_ENOTFOUND)
		return rc;
	if (!(st = prep(h, "SELECT name FROM document ORDER BY name")))
		return QDA_EDB;
	if ((rc = suggest_list(h, st, name, &hint)) != QDA_OK)
		goto out;
	if (*hint)
		rc = seterr(h, QDA_ENOTFOUND, "no document '%s'; did you mean %s? (see qda docs)", name, hint);
	else
		rc = seterr(h, QDA_ENOTFOUND, "no document '%s'; see qda docs", name);
out:
	sqlite3_finalize(st);
	free(hint);
	return rc;
}

enum qda_status code_lookup(struct qda *h, const char *key, long long *id)
{
	sqlite3_stmt *st = prep(h, "SELECT id, retired FROM node WHERE key = ?");
	int retired = 0, found;

	if (!st)
		return QDA_EDB;
	bind_text(st, 1, key);
	if ((found = step_row(h, st, "find code")) > 0) {
		*id = sqlite3_column_int64(st, 0);
		retired = sqlite3_column_int(st, 1);
	}
	sqlite3_finalize(st);
	if (found < 0)
		return QDA_EDB;
	if (!found)
		return node_find(h, key, id);
	if (retired)
		return seterr(h, QDA_EINPUT,
		              "code '%s' is retired from the codebook (merged or removed) and takes no new codings;"
		              " see qda codebook show",
		              key);
	return QDA_OK;
}

/* ---- documents in memory: lines and turns, loaded when needed ---- */

struct docinfo {
	long long id;
	char *name;
	int64_t length;
	long nlines, nturns;
	struct layout L;    /* lines and turns, once read (L.h set) */
	char *err;          /* for a name that is no document: the message */
};

static void docinfo_free(struct docinfo *d)
{
	if (!d)
		return;
	free(d->name);
	layout_close(&d->L);
	free(d->err);
	free(d);
}

static enum qda_status docinfo_get(struct qda *h, const char *name, struct docinfo **out)
{
	struct docinfo *d = NULL;
	sqlite3_stmt *st;
	enum qda_status rc;
	long long id = 0;
	int r;

	*out = NULL;
	if ((rc = doc_lookup(h, name, &id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT name, length, (SELECT count(*) FROM line WHERE doc_id = d.id),"
	                   " (SELECT count(*) FROM turn WHERE doc_id = d.id) FROM document d WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	if ((r = step_row(h, st, "read document")) <= 0) {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document '%s'; see qda docs", name);
		goto out;
	}
	if (!(d = calloc(1, sizeof *d)) || !(d->name = strdup((const char *)sqlite3_column_text(st, 0)))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	d->id = id;
	d->length = sqlite3_column_int64(st, 1);
	d->nlines = sqlite3_column_int(st, 2);
	d->nturns = sqlite3_column_int(st, 3);
	*out = d;
	d = NULL;
out:
	docinfo_free(d);
	sqlite3_finalize(st);
	return rc;
}

/* The lines and turns, read once (a docinfo is kept per document named in
 * a CSV file, so each holds its own). A failed read leaves none loaded (the
 * next call reads again), never a part taken for the whole. */
static enum qda_status docinfo_layout(struct qda *h, struct docinfo *d)
{
	enum qda_status rc;
	if (d->L.h)
		return QDA_OK;
	if ((rc = layout_read(h, LAYOUT_LINES | LAYOUT_TURNS, d->id, &d->L)) != QDA_OK)
		return rc;
	d->nlines = (long)d->L.n_lines;
	d->nturns = (long)d->L.n_turns;
	return QDA_OK;
}

/* The line (from 1) holding code point pos: the last line starting at or
 * before it, 1 when none does. */
static long docinfo_line_of(const struct docinfo *d, int64_t pos)
{
	return line_at(&d->L, pos);
}

/* Why a span is refused, into *why (malloc'd): QDA_EINPUT; QDA_ENOMEM (on
 * the handle) when the reason cannot be written. */
static enum qda_status refuse(struct qda *h, char **why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static enum qda_status refuse(struct qda *h, char **why, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vasprintf(why, fmt, ap);
	va_end(ap);
	if (n < 0) {
		*why = NULL;
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	return QDA_EINPUT;
}

/* Resolve from-to in a unit to [start, end); on bad input QDA_EINPUT with
 * the reason in *why, malloc'd (no message set on the handle). */
static enum qda_status docinfo_span(struct qda *h, struct docinfo *d, enum qda_unit unit, long from, long to,
                                    int64_t *start, int64_t *end, char **why)
{
	enum qda_status rc;

	*why = NULL;
	switch (unit) {
	case QDA_UNIT_LINE:
		if (from < 1 || to < 1)
			return refuse(h, why, "line %ld: lines are numbered from 1", from < 1 ? from : to);
		if (from > to)
			return refuse(h, why, "from %ld is after to %ld", from, to);
		if ((rc = docinfo_layout(h, d)) != QDA_OK)
			return rc;
		if (to > d->nlines)
			return refuse(h, why, "%s has %ld line%s; line %ld is past its end", d->name, d->nlines,
			              d->nlines == 1 ? "" : "s", to);
		*start = d->L.lines[2 * (from - 1)];
		*end = d->L.lines[2 * (to - 1) + 1];
		if (*start < *end)
			return QDA_OK;
		if (from == to)
			return refuse(h, why, "line %ld of %s is empty; there is nothing to code", from, d->name);
		return refuse(h, why, "lines %ld-%ld of %s are empty; there is nothing to code", from, to, d->name);
	case QDA_UNIT_TURN:
		if (from < 1 || to < 1)
			return refuse(h, why, "turn %ld: turns are numbered from 1", from < 1 ? from : to);
		if (from > to)
			return refuse(h, why, "from %ld is after to %ld", from, to);
		if (d->nturns == 0)
			return refuse(h, why, "%s has no speaker turns; code lines instead", d->name);
		if ((rc = docinfo_layout(h, d)) != QDA_OK)
			return rc;
		if (to > d->nturns)
			return refuse(h, why, "%s has %ld turn%s; turn %ld is past its end", d->name, d->nturns,
			              d->nturns == 1 ? "" : "s", to);
		*start = d->L.turns[from - 1].start;
		*end = d->L.turns[to - 1].end;
		if (*start < *end)
			return QDA_OK;
		return refuse(h, why, "turns %ld-%ld of %s are empty; there is nothing to code", from, to, d->name);
	case QDA_UNIT_CHAR:
		if (from < 0 || to < 0)
			return refuse(h, why, "character %ld: positions are counted from 0", from < 0 ? from : to);
		if (from > to)
			return refuse(h, why, "from %ld is after to %ld", from, to);
		if (from == to)
			return refuse(h, why,
			              "[%ld, %ld) is empty; the end is excluded, so code [%ld, %ld) for one character", from,
			              to, from, from + 1);
		if (to > d->length)
			return refuse(h, why, "[%ld, %ld) is past the end of %s (%lld characters)", from, to, d->name,
			              (long long)d->length);
		*start = from;
		*end = to;
		return QDA_OK;
	}
	return refuse(h, why, "unknown unit");
}

static enum qda_status fill_span(struct qda *h, struct docinfo *d, int64_t start, int64_t end, struct qda_span *sp)
{
	enum qda_status rc;
	if ((rc = docinfo_layout(h, d)) != QDA_OK)
		return rc;
	memset(sp, 0, sizeof *sp);
	if (!(sp->doc = strdup(d->name)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	sp->doc_id = d->id;
	sp->start = start;
	sp->end = end;
	if (d->nlines) {
		sp->line_first = docinfo_line_of(d, start);
		sp->line_last = docinfo_line_of(d, end - 1);
	} else {
		sp->line_first = sp->line_last = 1;
	}
	return QDA_OK;
}

enum qda_status qda_span_units(struct qda *h, const char *doc, enum qda_unit unit, long from, long to,
                               struct qda_span *sp)
{
	struct docinfo *d = NULL;
	enum qda_status rc;
	int64_t start = 0, end = 0;
	char *why = NULL;

	memset(sp, 0, sizeof *sp);
	if ((rc = docinfo_get(h, doc, &d)) != QDA_OK)
		return rc;
	rc = docinfo_span(h, d, unit, from, to, &start, &end, &why);
	if (rc == QDA_EINPUT)
		rc = seterr(h, QDA_EINPUT, "%s", why);
	if (rc == QDA_OK)
		rc = fill_span(h, d, start, end, sp);
	free(why);
	docinfo_free(d);
	return rc;
}

void qda_span_free(struct qda_span *sp)
{
	if (!sp)
		return;
	free(sp->doc);
	sp->doc = NULL;
}

/* ---- quotes: exact text, NFC, matched under qda_text_match_form's rule ---- */

static size_t decode(const char *s, size_t n, int32_t *c)
{
	utf8proc_ssize_t k;
	if ((unsigned char)*s < 0x80) {
		*c = (unsigned char)*s;
		return 1;
	}
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, c);
	if (k <= 0) {
		*c = 0xFFFD;
		return 1;
	}
	return (size_t)k;
}

static int is_space(int32_t c)
{
	return qda_text_plain(c) == ' ';
}

/* Up to max code points of s[from..to) going back from `to` (back) or
 * forward from `from`, stopping at a line break, whitespace shown as single
 * spaces, into b; an ellipsis marks a cut. */
static void snippet(struct buf *b, const char *s, size_t from, size_t to, int back, int max, int stop_at_lf)
{
	size_t a = from, z = to;
	int k;
	if (back) {
		for (k = 0, a = to; a > from && s[a - 1] != '\n' && k < max; k++) {
			a--;
			while (a > from && ((unsigned char)s[a] & 0xC0) == 0x80)
				a--;
		}
		if (a > from && s[a - 1] != '\n')
			buf_adds(b, "…");
	} else {
		for (k = 0, z = from; z < to && !(stop_at_lf && s[z] == '\n') && k < max; k++) {
			z++;
			while (z < to && ((unsigned char)s[z] & 0xC0) == 0x80)
				z++;
		}
	}
	while (a < z) {
		int32_t c;
		size_t n = decode(s + a, z - a, &c);
		if (!is_space(c))
			buf_add(b, s + a, n);
		else if (!b->len || b->s[b->len - 1] != ' ')
			buf_addc(b, ' ');
		a += n;
	}
	if (!back && z < to && s[z] != '\n')
		buf_adds(b, "…");
}

/* The quote as shown in messages: as typed, each run of whitespace one
 * space, at most 60 code points. */
static void quote_shown(char *out, size_t n, const char *q, size_t qlen)
{
	struct buf b = { 0 };
	size_t cut;
	snippet(&b, q, 0, qlen, 0, 1 << 30, 0);
	if (b.failed || !b.s) {
		snprintf(out, n, "%s", "");
		buf_free(&b);
		return;
	}
	while (b.len && b.s[b.len - 1] == ' ')
		b.s[--b.len] = '\0';
	cut = qda_text_cp_to_byte(b.s + (b.s[0] == ' '), b.len - (b.s[0] == ' '), 60);
	snprintf(out, n, "%.*s%s", (int)cut, b.s + (b.s[0] == ' '), cut < b.len - (b.s[0] == ' ') ? "…" : "");
	buf_free(&b);
}

/* No exact match: look for the quote ignoring case and accents, then for its
 * longest beginning of two words or more, and say on which line. */
static void quote_hint(const char *text, size_t tlen, const char *q, size_t qlen, struct buf *hint, long *line)
{
	char *ft = qda_text_fold(text, tlen), *fq = qda_text_fold(q, qlen), *st = NULL, *sq = NULL;
	size_t stlen = 0, sqlen = 0, nwords = 0, i, k, ftlen;
	size_t *ends = NULL, *from = NULL;

	if (!ft || !fq)
		goto out;
	ftlen = strlen(ft);
	from = malloc((ftlen + 1) * sizeof *from);
	st = from ? qda_text_match_form(ft, ftlen, 0, &stlen, from, NULL) : NULL;
	sq = qda_text_match_form(fq, strlen(fq), 1, &sqlen, NULL, NULL);
	if (!st || !sq || sqlen == 0)
		goto out;
	/* word ends in the folded quote */
	ends = malloc((sqlen + 1) * sizeof *ends);
	if (!ends)
		goto out;
	for (i = 0; i < sqlen; i++)
		if (sq[i] == ' ')
			ends[nwords++] = i;
	ends[nwords++] = sqlen;
	for (k = nwords; k >= 1; k--) {
		const char *p;
		size_t len = ends[k - 1], b;
		long n = 1;
		if (k < nwords && (k < 2 || len < 8))
			break;
		p = memmem(st, stlen, sq, len);
		if (!p)
			continue;
		for (b = 0; b < from[p - st]; b++)
			n += ft[b] == '\n';
		if (k == nwords)
			buf_addf(hint, "; ignoring case and accents it is at line %ld", n);
		else
			buf_addf(hint, "; its beginning \"%.*s\" is at line %ld", (int)len, sq, n);
		*line = n;
		break;
	}
out:
	free(ends);
	free(sq);
	free(st);
	free(from);
	free(fq);
	free(ft);
}

/* The code point offset of byte b, moving a cursor (byte, cp) that only
 * goes forward: occurrences come in order, so mapping them all is O(n). */
static int64_t cp_at(const char *text, size_t b, size_t *cur_b, int64_t *cur_cp)
{
	if (b < *cur_b) {
		*cur_b = 0;
		*cur_cp = 0;
	}
	*cur_cp += (int64_t)qda_text_cplen(text + *cur_b, b - *cur_b);
	*cur_b = b;
	return *cur_cp;
}

enum qda_status qda_span_quote(struct qda *h, const char *doc, const char *quote, struct qda_span *sp)
{
	struct docinfo *d = NULL;
	sqlite3_stmt *st = NULL;
	enum qda_status rc;
	const char *text;
	char *nq = NULL, *q = NULL, *s = NULL, shown[512];
	size_t tlen, nqlen, qlen, slen, bad, count = 0, *from = NULL, *to = NULL, cur_b = 0;
	struct buf msg = { 0 };
	int64_t first_start = 0, first_end = 0, cur_cp = 0;
	const char *p;
	int r;

	memset(sp, 0, sizeof *sp);
	if (qda_text_check_utf8(quote, strlen(quote), &bad) != QDA_OK)
		return seterr(h, QDA_EINVAL, "the quote is not valid UTF-8 (byte %zu); check your terminal's encoding", bad);
	if ((rc = docinfo_get(h, doc, &d)) != QDA_OK)
		return rc;
	if ((rc = qda_text_normalize(quote, strlen(quote), &nq, &nqlen)) != QDA_OK) {
		rc = seterr(h, rc, rc == QDA_ENOMEM ? "out of memory" : "the quote could not be normalised");
		goto out;
	}
	if (!(q = qda_text_match_form(nq, nqlen, 1, &qlen, NULL, NULL))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (qlen == 0) {
		rc = seterr(h, QDA_EINVAL, "the quote is empty; give the text to code");
		goto out;
	}
	quote_shown(shown, sizeof shown, nq, nqlen);
	if (!(st = prep(h, "SELECT text FROM document WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, d->id);
	if ((r = step_row(h, st, "read document")) <= 0) {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document '%s'; see qda docs", d->name);
		goto out;
	}
	text = (const char *)sqlite3_column_text(st, 0);
	tlen = (size_t)sqlite3_column_bytes(st, 0);
	from = malloc((tlen + 1) * sizeof *from);
	to = malloc((tlen + 1) * sizeof *to);
	if (!from || !to || !(s = qda_text_match_form(text, tlen, 0, &slen, from, to))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = docinfo_layout(h, d)) != QDA_OK)
		goto out;
	/* Every occurrence, overlapping ones included. */
	for (p = s; (p = memmem(p, slen - (size_t)(p - s), q, qlen)) != NULL; p++) {
		size_t at = (size_t)(p - s), bs = from[at], be = to[at + qlen - 1];
		int64_t cs, ce;
		long l0, l1;
		count++;
		if (count > 10)
			continue;
		cs = cp_at(text, bs, &cur_b, &cur_cp);
		ce = cp_at(text, be, &cur_b, &cur_cp);
		if (count == 1) {
			first_start = cs;
			first_end = ce;
		}
		l0 = d->nlines ? docinfo_line_of(d, cs) : 1;
		l1 = d->nlines ? docinfo_line_of(d, ce - 1) : 1;
		if (l0 == l1)
			buf_addf(&msg, "\n  line %ld: ", l0);
		else
			buf_addf(&msg, "\n  lines %ld-%ld: ", l0, l1);
		snippet(&msg, text, 0, bs, 1, 24, 1);
		buf_addc(&msg, '[');
		snippet(&msg, text, bs, be, 0, 1 << 30, 0);
		buf_addc(&msg, ']');
		snippet(&msg, text, be, tlen, 0, 24, 1);
	}
	if (msg.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	} else if (count == 1) {
		rc = fill_span(h, d, first_start, first_end, sp);
	} else if (count > 1) {
		if (count > 10)
			buf_addf(&msg, "\n  ... and %zu more", count - 10);
		rc = seterr_at(h, QDA_EINPUT, d->name,
		               "the quote \"%s\" occurs %zu times; make it longer or use --lines:%s", shown, count,
		               msg.s ? msg.s : "");
	} else {
		struct buf hint = { 0 };
		long line = 0;
		quote_hint(text, tlen, q, qlen, &hint, &line);
		if (line)
			rc = seterr_at(h, QDA_EINPUT, d->name,
			               "the quote \"%s\" was not found as written (with " QDA_TEXT_MATCH_RULE ")%s;"
			               " check it with 'qda show %s --lines %ld'",
			               shown, hint.s ? hint.s : "", d->name, line);
		else
			rc = seterr_at(h, QDA_EINPUT, d->name,
			               "the quote \"%s\" was not found as written (with " QDA_TEXT_MATCH_RULE ");"
			               " check it with 'qda show %s'",
			               shown, d->name);
		buf_free(&hint);
	}
out:
	buf_free(&msg);
	free(s);
	free(from);
	free(to);
	sqlite3_finalize(st);
	free(q);
	free(nq);
	docinfo_free(d);
	return rc;
}

/* ---- coding a span ---- */

static int valid_key(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

char *code_slug(const char *s)
{
	char *f = qda_text_fold(s, strlen(s)), *o, *p;
	size_t j = 0;
	if (!f)
		return NULL;
	o = malloc(strlen(f) + 1);
	if (!o) {
		free(f);
		return NULL;
	}
	for (p = f; *p; p++) {
		char c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			o[j++] = c;
		else if (c >= 'A' && c <= 'Z')
			o[j++] = (char)(c - 'A' + 'a');
		else if (j > 0 && o[j - 1] != '-')
			o[j++] = '-';
		/* skip the continuation bytes of a character we cannot spell */
		while (((unsigned char)p[1] & 0xC0) == 0x80)
			p++;
	}
	while (j > 0 && o[j - 1] == '-')
		j--;
	o[j] = '\0';
	free(f);
	return o;
}

/* Add an in-vivo code named name under parent (a theme or sub-theme): its id
 * in *id, its key in *key (malloc'd). QDA_EEXIST tells the caller the node
 * is new; QDA_OK that the slug named a code already there. */
static enum qda_status add_in_vivo(struct qda *h, const char *name, const char *under, long long *id, char **key)
{
	sqlite3_stmt *st = NULL;
	enum qda_status rc;
	long long parent = 0;
	char *k = valid_key(name) ? strdup(name) : code_slug(name);
	int kind_ok = 0, r;

	*key = NULL;
	if (!k)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (!*k) {
		rc = seterr(h, QDA_EINPUT, "cannot make a code id from '%s'; give one of letters a-z, digits, '.', '_' or '-'",
		            name);
		goto out;
	}
	/* the slug may name a code that exists: use it */
	if (!(st = prep(h, "SELECT id FROM node WHERE key = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	bind_text(st, 1, k);
	r = step_row(h, st, "find code");
	sqlite3_finalize(st);
	st = NULL;
	if (r != 0) {
		rc = r < 0 ? QDA_EDB : code_lookup(h, k, id);
		goto out;
	}
	if (!under) {
		rc = seterr(h, QDA_EINVAL, "--new needs --under PARENT: the theme or sub-theme the new code belongs to");
		goto out;
	}
	if ((rc = code_lookup(h, under, &parent)) != QDA_OK)
		goto out;
	if (!(st = prep(h, "SELECT kind IN ('theme', 'subtheme') FROM node WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, parent);
	if ((r = step_row(h, st, "find the parent")) > 0)
		kind_ok = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (r < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (!kind_ok) {
		rc = seterr(h, QDA_EINPUT, "'%s' is a code; put the new code under a theme or sub-theme", under);
		goto out;
	}
	if (!(st = prep(h, "INSERT INTO node(key, parent_id, kind, name, position, in_vivo)"
	                   " VALUES (?1, ?2, 'code', ?3,"
	                   " (SELECT coalesce(max(position), -1) + 1 FROM node WHERE parent_id = ?2), 1) RETURNING id"))) {
		rc = QDA_EDB;
		goto out;
	}
	bind_text(st, 1, k);
	sqlite3_bind_int64(st, 2, parent);
	bind_text(st, 3, name);
	if ((r = step_row(h, st, "add code")) <= 0) {
		rc = r < 0 ? QDA_EDB : dberr(h, "add code");
		goto out;
	}
	*id = sqlite3_column_int64(st, 0);
	rc = QDA_EEXIST;
out:
	sqlite3_finalize(st);
	if (rc == QDA_OK || rc == QDA_EEXIST)
		*key = k;
	else
		free(k);
	return rc;
}

enum qda_status qda_code_span(struct qda *h, const struct qda_span *sp, const char *code,
                              const struct qda_code_opts *o, struct qda_code_result *r)
{
	enum qda_status rc;
	long long coder = 0, node = 0;
	char *key = NULL;

	memset(r, 0, sizeof *r);
	if ((rc = coder_id(h, &coder)) != QDA_OK)
		return rc;
	rc = code_lookup(h, code, &node);
	if (rc == QDA_ENOTFOUND && o && o->create) {
		rc = add_in_vivo(h, code, o->under, &node, &key);
		if (rc == QDA_EEXIST) {
			r->node_created = 1;
			rc = QDA_OK;
		}
	} else if (rc == QDA_OK && !(key = strdup(code))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	}
	if (rc == QDA_OK)
		rc = coding_add(h, sp->doc_id, node, coder, sp->start, sp->end, "manual", NULL,
		                o && o->memo && *o->memo ? o->memo : NULL, &r->coding_id, &r->created);
	if (rc == QDA_OK) {
		r->code = key;
		key = NULL;
	}
	free(key);
	return rc;
}

void qda_code_result_free(struct qda_code_result *r)
{
	if (!r)
		return;
	free(r->code);
	r->code = NULL;
}

/* ---- batch coding from CSV ---- */

/* A string map (open addressing, FNV-1a) for the names met in the file. */
struct smap_ent {
	char *key;
	void *val;
};
struct smap {
	struct smap_ent *e;
	size_t cap, n;
};

static size_t hash_str(const char *s)
{
	size_t x = 1469598103934665603ull;
	for (; *s; s++)
		x = (x ^ (unsigned char)*s) * 1099511628211ull;
	return x;
}

/* The value slot for key, inserted (value NULL) when absent; NULL when out
 * of memory. */
static void **smap_slot(struct smap *m, const char *key)
{
	size_t i;
	if (2 * (m->n + 1) > m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64, k;
		struct smap_ent *e = calloc(cap, sizeof *e);
		if (!e)
			return NULL;
		for (k = 0; k < m->cap; k++) {
			if (!m->e[k].key)
				continue;
			for (i = hash_str(m->e[k].key) & (cap - 1); e[i].key; i = (i + 1) & (cap - 1))
				;
			e[i] = m->e[k];
		}
		free(m->e);
		m->e = e;
		m->cap = cap;
	}
	for (i = hash_str(key) & (m->cap - 1); m->e[i].key; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->e[i].key, key) == 0)
			return &m->e[i].val;
	if (!(m->e[i].key = strdup(key)))
		return NULL;
	m->n++;
	return &m->e[i].val;
}

static void smap_free(struct smap *m, void (*fr)(void *))
{
	size_t i;
	for (i = 0; i < m->cap; i++) {
		if (m->e[i].key) {
			free(m->e[i].key);
			if (fr)
				fr(m->e[i].val);
		}
	}
	free(m->e);
	memset(m, 0, sizeof *m);
}

/* What a name in the file resolves to: an id, or the message why not. */
struct named {
	long long id;
	char *err;
};

static void named_free(void *p)
{
	struct named *n = p;
	if (n)
		free(n->err);
	free(n);
}

static void doc_free(void *p)
{
	docinfo_free(p);
}

enum { COL_DOC, COL_UNIT, COL_FROM, COL_TO, COL_CODE, COL_CODER, COL_MEMO, N_COLS };
static const char *const col_names[N_COLS] = { "document", "unit", "from", "to", "code", "coder", "memo" };

struct csv_import {
	struct qda *h;
	const char *path;
	char delim;
	int pass;                 /* 1: check every row; 2: write */
	long line;                /* the line the current record starts on */
	struct csv_record *rec;   /* the current record */
	int col[N_COLS];
	int header_done;
	int stop;                 /* a fatal error: ignore the rest */
	enum qda_status rc;
	qda_row_error_fn err;
	void *err_ctx;
	struct smap docs, codes, coders;
	struct coding_writer *w;
	struct qda_code_import *rep;
	long total;               /* data rows, counted in pass 1 */
	long queued;              /* rows given to the writer in pass 2 */
};

static void write_failed(struct csv_import *c, enum qda_status rc);

/* Spaces around a field do not count (spreadsheets add them). */
static char *trim(char *s)
{
	size_t n;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		s[--n] = '\0';
	return s;
}

static void row_error(struct csv_import *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void row_error(struct csv_import *c, const char *fmt, ...)
{
	char *loc = NULL, *msg = NULL;
	va_list ap;
	if (c->rep)
		c->rep->bad++;
	if (!c->err)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	loc = loc_at(c->path, (size_t)c->line, 0);
	if (msg && loc) {
		c->err(c->err_ctx, loc, msg);
	} else {
		c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
		c->stop = 1;
	}
	free(loc);
	free(msg);
}

static int parse_long(const char *s, long *v)
{
	char *end;
	errno = 0;
	*v = strtol(s, &end, 10);
	return !*s || *end || errno;
}

static void header(struct csv_import *c)
{
	size_t i;
	int k;
	for (k = 0; k < N_COLS; k++)
		c->col[k] = -1;
	for (i = 0; i < c->rec->n; i++) {
		const char *name = trim(c->rec->f[i].s);
		for (k = 0; k < N_COLS; k++)
			if (strcasecmp(name, col_names[k]) == 0)
				break;
		if (k == N_COLS) {
			row_error(c, "unknown column '%s'; the columns are document,unit,from,to,code,coder[,memo]", name);
			c->stop = 1;
			continue;
		}
		if (c->col[k] >= 0) {
			row_error(c, "column '%s' appears twice", name);
			c->stop = 1;
		}
		c->col[k] = (int)i;
	}
	for (k = 0; k < COL_MEMO; k++) {
		if (c->col[k] < 0) {
			row_error(c, "no column '%s'; the header must name document,unit,from,to,code,coder[,memo]",
			          col_names[k]);
			c->stop = 1;
		}
	}
	if (c->stop)
		c->rc = QDA_EINPUT;
}

/* The document, code or coder a name stands for, looked up once per name. */
static struct docinfo *row_doc(struct csv_import *c, const char *name)
{
	void **slot = smap_slot(&c->docs, name);
	struct docinfo *d;
	enum qda_status rc;
	if (!slot) {
		c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
		c->stop = 1;
		return NULL;
	}
	if (*slot)
		return *slot;
	if ((rc = docinfo_get(c->h, name, &d)) == QDA_OK) {
		*slot = d;
		return d;
	}
	/* no such document is the row's error; a failed read stops the import */
	if (rc != QDA_ENOTFOUND) {
		c->rc = rc;
		c->stop = 1;
		return NULL;
	}
	d = calloc(1, sizeof *d);
	if (!d || !(d->err = strdup(qda_errmsg(c->h)))) {
		free(d);
		c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
		c->stop = 1;
		return NULL;
	}
	*slot = d;
	return d;
}

static struct named *row_code(struct csv_import *c, const char *key)
{
	void **slot = smap_slot(&c->codes, key);
	struct named *n;
	enum qda_status rc;
	if (!slot || (!*slot && !(*slot = calloc(1, sizeof *n)))) {
		c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
		c->stop = 1;
		return NULL;
	}
	n = *slot;
	if (n->id || n->err)
		return n;
	if ((rc = code_lookup(c->h, key, &n->id)) != QDA_OK) {
		n->id = 0;
		/* an unknown or retired code is the row's error; a failed read
		 * stops the import */
		if (rc != QDA_ENOTFOUND && rc != QDA_EINPUT) {
			c->rc = rc;
			c->stop = 1;
			return NULL;
		}
		if (!(n->err = strdup(qda_errmsg(c->h)))) {
			c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
			c->stop = 1;
			return NULL;
		}
	}
	return n;
}

static enum qda_status row_coder(struct csv_import *c, const char *name, long long *id)
{
	void **slot = smap_slot(&c->coders, name);
	struct named *n;
	if (!slot || (!*slot && !(*slot = calloc(1, sizeof *n))))
		return seterr(c->h, QDA_ENOMEM, "out of memory");
	n = *slot;
	if (!n->id) {
		enum qda_status rc = coder_ensure(c->h, name, &n->id);
		if (rc != QDA_OK)
			return rc;
	}
	*id = n->id;
	return QDA_OK;
}

/* The cell of column k, trimmed (but a memo), with the ' taken off that
 * qda's CSV writer puts before a cell a spreadsheet would run as a formula
 * (as review import reads it back). */
static const char *field(struct csv_import *c, int k)
{
	int i = c->col[k];
	char *s;
	if (i < 0 || (size_t)i >= c->rec->n)
		return "";
	s = k == COL_MEMO ? c->rec->f[i].s : trim(c->rec->f[i].s);
	csv_unneutralise(s);
	return s;
}

static void data_row(struct csv_import *c)
{
	const char *doc = field(c, COL_DOC), *unit = field(c, COL_UNIT), *sfrom = field(c, COL_FROM),
	           *sto = field(c, COL_TO), *code = field(c, COL_CODE), *coder = field(c, COL_CODER),
	           *memo = field(c, COL_MEMO);
	enum qda_unit u;
	struct docinfo *d;
	struct named *n;
	long from, to, lf, ll;
	int64_t start = 0, end = 0;
	long long coder_id = 0;
	struct coding_row row = { 0 };
	char why[128], *reason = NULL;
	enum qda_status rc;

	if (c->pass == 1)
		c->total++;
	if (!*doc) {
		row_error(c, "the document is empty");
		return;
	}
	if (strcmp(unit, "line") == 0 || strcmp(unit, "lines") == 0) {
		u = QDA_UNIT_LINE;
	} else if (strcmp(unit, "turn") == 0 || strcmp(unit, "turns") == 0) {
		u = QDA_UNIT_TURN;
	} else if (strcmp(unit, "char") == 0 || strcmp(unit, "chars") == 0) {
		u = QDA_UNIT_CHAR;
	} else {
		row_error(c, "unit '%s' is not line, turn or char", unit);
		return;
	}
	if (parse_long(sfrom, &from)) {
		row_error(c, "from '%s' is not a whole number", sfrom);
		return;
	}
	if (parse_long(sto, &to)) {
		row_error(c, "to '%s' is not a whole number", sto);
		return;
	}
	if (!*code) {
		row_error(c, "the code is empty");
		return;
	}
	if (!*coder) {
		row_error(c, "the coder is empty; name who coded the row");
		return;
	}
	if (qda_coder_name_check(coder, why, sizeof why) != QDA_OK) {
		row_error(c, "coder name '%s' %s", coder, why);
		return;
	}
	if (!(d = row_doc(c, doc)))
		return;
	if (d->err) {
		row_error(c, "%s", d->err);
		return;
	}
	rc = docinfo_span(c->h, d, u, from, to, &start, &end, &reason);
	if (rc == QDA_EINPUT) {
		row_error(c, "%s", reason);
		free(reason);
		return;
	}
	if (rc != QDA_OK) {
		c->rc = rc;
		c->stop = 1;
		return;
	}
	if (!(n = row_code(c, code)))
		return;
	if (n->err) {
		row_error(c, "%s", n->err);
		return;
	}
	if (c->pass == 1)
		return;
	/* pass 2: write */
	if ((rc = docinfo_layout(c->h, d)) != QDA_OK || (rc = row_coder(c, coder, &coder_id)) != QDA_OK) {
		c->rc = rc;
		c->stop = 1;
		return;
	}
	lf = d->nlines ? docinfo_line_of(d, start) : 1;
	ll = d->nlines ? docinfo_line_of(d, end - 1) : 1;
	/* queued: written BATCH at a time, counted as written */
	row.doc_id = d->id;
	row.node_id = n->id;
	row.coder_id = coder_id;
	row.start = start;
	row.end = end;
	row.line_first = lf;
	row.line_last = ll;
	row.method = "import";
	row.memo = *memo ? memo : NULL;
	row.line = c->line;
	rc = coding_writer_queue(c->w, &row, &c->rep->added, &c->rep->present);
	if (rc != QDA_OK) {
		write_failed(c, rc);
		return;
	}
	if (++c->queued % 256 == 0)
		progress(c->h, "coding", (uint64_t)c->queued, (uint64_t)c->total);
}

/* A coding could not be written: the message stays, only its place is
 * added (never formatted into its own buffer). */
static void write_failed(struct csv_import *c, enum qda_status rc)
{
	long line = coding_writer_failed_line(c->w);
	char *loc = loc_at(c->path, (size_t)(line ? line : c->line), 0);
	setloc(c->h, loc ? loc : c->path);
	free(loc);
	c->rc = rc;
	c->stop = 1;
}

/* One pass over the file: the header, then every data row. A row with
 * more fields than the header is a bad row like any other (its fields are
 * not trusted further); malformed CSV stops the pass. */
static enum qda_status csv_pass(struct csv_import *c)
{
	struct csv_reader *r;
	struct csv_record rec;
	enum qda_status rc;

	c->header_done = 0;
	if ((rc = csv_open(c->h, c->path, c->delim, &r)) != QDA_OK)
		return c->rc = rc;
	while (!c->stop) {
		rc = csv_next(r, &rec);
		if (rc == QDA_EINPUT && rec.wide) {
			if (c->pass == 1)
				c->total++;
			if (c->rep)
				c->rep->bad++;
			if (c->err)
				c->err(c->err_ctx, qda_errloc(c->h), qda_errmsg(c->h));
			continue;
		}
		if (rc != QDA_OK) {
			c->rc = rc;
			break;
		}
		if (!rec.n)
			break;
		c->rec = &rec;
		c->line = rec.line;
		if (!c->header_done) {
			c->header_done = 1;
			header(c);
		} else {
			data_row(c);
		}
	}
	c->rec = NULL;
	csv_close(r);
	return c->rc;
}

enum qda_status qda_code_import_csv(struct qda *h, const char *path, char delimiter, qda_row_error_fn err,
                                    void *ctx, struct qda_code_import *rep)
{
	struct csv_import c;
	enum qda_status rc;

	memset(rep, 0, sizeof *rep);
	memset(&c, 0, sizeof c);
	c.h = h;
	c.path = path;
	c.delim = delimiter;
	c.err = err;
	c.err_ctx = ctx;
	c.rep = rep;
	c.pass = 1;
	rc = csv_pass(&c);
	rep->rows = c.total;
	if (rc == QDA_OK && !c.header_done)
		rc = seterr_at(h, QDA_EINPUT, path, "the file is empty; it needs a header row document,unit,from,to,code,coder[,memo]");
	if (rc == QDA_OK && rep->bad)
		rc = seterr_at(h, QDA_EINPUT, path, "%ld bad row%s; nothing was written: correct %s and run again", rep->bad,
		               rep->bad == 1 ? "" : "s", rep->bad == 1 ? "it" : "them");
	if (rc != QDA_OK)
		goto out;
	tx_bulk(h); /* undo finds its codings by log_id */
	if ((rc = coding_writer_new(h, &c.w)) != QDA_OK)
		goto out;
	c.pass = 2;
	rc = csv_pass(&c);
	if (rc == QDA_OK && (rc = coding_writer_flush(c.w, &rep->added, &rep->present)) != QDA_OK)
		write_failed(&c, rc);
	if (rc == QDA_OK && rep->bad)
		rc = seterr_at(h, QDA_EINPUT, path, "the file changed while it was read; run again");
	if (rc == QDA_OK)
		progress(h, "coding", (uint64_t)c.total, (uint64_t)c.total);
out:
	coding_writer_free(c.w);
	smap_free(&c.docs, doc_free);
	smap_free(&c.codes, named_free);
	smap_free(&c.coders, named_free);
	return rc;
}

/* ---- removing codings ---- */

#define CODING_INFO "SELECT c.id, d.name, n.key, k.name, c.start, c.end, c.line_first, c.line_last, c.method"
#define CODING_JOINS                                                                                            \
	" JOIN document_all d ON d.id = c.doc_id JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id"

static void info_row(sqlite3_stmt *st, struct qda_extract *e)
{
	memset(e, 0, sizeof *e);
	e->coding_id = sqlite3_column_int64(st, 0);
	e->doc = (const char *)sqlite3_column_text(st, 1);
	e->case_name = e->speaker = e->code_name = e->memo = e->state = e->text = e->before = e->after = "";
	e->removed_at = e->removed_by = e->removed_why = e->rule = "";
	e->code = (const char *)sqlite3_column_text(st, 2);
	e->coder = (const char *)sqlite3_column_text(st, 3);
	e->start = sqlite3_column_int64(st, 4);
	e->end = sqlite3_column_int64(st, 5);
	e->line_first = sqlite3_column_int(st, 6);
	e->line_last = sqlite3_column_int(st, 7);
	e->method = (const char *)sqlite3_column_text(st, 8);
}

/* Mark a coding removed: it leaves every count, listing and export (the view
 * coding) but keeps its id, memos, reviews and history. */
enum qda_status coding_remove(struct qda *h, long long id, long long by, const char *why)
{
	sqlite3_stmt *st = prep(h, "UPDATE coding_all SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),"
	                           " removed_by = ?, removed_why = ? WHERE id = ? AND removed_at IS NULL");
	enum qda_status rc;
	if (!st)
		return QDA_EDB;
	if (by)
		sqlite3_bind_int64(st, 1, by);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, why);
	sqlite3_bind_int64(st, 3, id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

struct remover {
	struct qda *h;
	sqlite3_stmt *info;
	long long me;  /* the current coder */
	int force;     /* another coder's codings may go */
	qda_extract_fn fn;
	void *ctx;
	long removed;
};

static enum qda_status remover_new(struct qda *h, int force, qda_extract_fn fn, void *ctx, struct remover *r)
{
	enum qda_status rc;
	memset(r, 0, sizeof *r);
	r->h = h;
	r->force = force;
	r->fn = fn;
	r->ctx = ctx;
	/* removal is attributed, like coding: no coder, no removal */
	if ((rc = coder_id(h, &r->me)) != QDA_OK)
		return rc;
	if (!(r->info = prep(h, CODING_INFO ", c.coder_id FROM coding c" CODING_JOINS " WHERE c.id = ?")))
		return QDA_EDB;
	return QDA_OK;
}

/* Find coding id among the current ones and check who may remove it; with
 * go, remove it too. */
static enum qda_status remover_take(struct remover *r, long long id, int go)
{
	struct qda *h = r->h;
	struct qda_extract e;
	enum qda_status rc = QDA_OK;
	long long gone = 0;
	int step;

	sqlite3_reset(r->info);
	sqlite3_bind_int64(r->info, 1, id);
	if ((step = step_row(h, r->info, "find coding")) < 0)
		return QDA_EDB;
	if (step == 0) {
		sqlite3_reset(r->info);
		if (go)
			return QDA_OK; /* named twice: already removed */
		if (query_int(h, "SELECT count(*) FROM coding_all WHERE id = ? AND removed_at IS NOT NULL", id, &gone) !=
		    QDA_OK)
			return QDA_EDB;
		if (gone)
			return seterr(h, QDA_EINPUT, "coding %lld was already removed; nothing was removed "
			                             "('qda codings --removed' lists removed codings)", id);
		return seterr(h, QDA_ENOTFOUND, "no coding %lld; nothing was removed ('qda codings' lists them)", id);
	}
	info_row(r->info, &e);
	if (sqlite3_column_int64(r->info, 9) != r->me && !r->force) {
		rc = seterr(h, QDA_EINPUT, "coding %lld belongs to %s; only they may remove it, or pass --force "
		                           "(the log keeps both names); nothing was removed", id, e.coder);
		sqlite3_reset(r->info);
		return rc;
	}
	if (go) {
		if (r->fn)
			r->fn(r->ctx, &e);
		sqlite3_reset(r->info);
		if ((rc = coding_remove(h, id, r->me, "uncode")) != QDA_OK)
			return rc;
		r->removed++;
	}
	sqlite3_reset(r->info);
	return rc;
}

static enum qda_status remover_run(struct remover *r, const long long *ids, size_t n, long *removed)
{
	enum qda_status rc = QDA_OK;
	size_t i;
	/* all or nothing: every id must be there and removable first */
	for (i = 0; i < n && rc == QDA_OK; i++)
		rc = remover_take(r, ids[i], 0);
	for (i = 0; i < n && rc == QDA_OK; i++)
		rc = remover_take(r, ids[i], 1);
	*removed = r->removed;
	sqlite3_finalize(r->info);
	r->info = NULL;
	return rc;
}

enum qda_status qda_uncode(struct qda *h, const long long *ids, size_t n, int force, qda_extract_fn fn, void *ctx,
                           long *removed)
{
	struct remover r;
	enum qda_status rc;

	*removed = 0;
	if ((rc = remover_new(h, force, fn, ctx, &r)) != QDA_OK) {
		sqlite3_finalize(r.info);
		return rc;
	}
	return remover_run(&r, ids, n, removed);
}

enum qda_status qda_uncode_where(struct qda *h, const char *doc, const char *code, const char *coder, int force,
                                 qda_extract_fn fn, void *ctx, long *removed)
{
	sqlite3_stmt *sel = NULL;
	long long doc_id = 0, node = 0, coder_id = 0, *ids = NULL;
	size_t n = 0, cap = 0;
	struct remover r = { 0 };
	enum qda_status rc;
	int step;

	*removed = 0;
	if ((rc = remover_new(h, force, fn, ctx, &r)) != QDA_OK)
		goto out;
	if ((rc = doc_lookup(h, doc, &doc_id)) != QDA_OK || (rc = node_find(h, code, &node)) != QDA_OK)
		goto out;
	if (coder && (rc = coder_lookup(h, coder, &coder_id)) != QDA_OK)
		goto out;
	if (!(sel = prep(h, "SELECT id FROM coding WHERE doc_id = ? AND node_id = ? AND (?3 = 0 OR coder_id = ?3)"
	                    " ORDER BY start, end, id"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(sel, 1, doc_id);
	sqlite3_bind_int64(sel, 2, node);
	sqlite3_bind_int64(sel, 3, coder_id);
	while ((step = step_row(h, sel, "find codings")) > 0) {
		if (n == cap) {
			long long *v;
			cap = cap ? cap * 2 : 64;
			if (!(v = realloc(ids, cap * sizeof *v))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			ids = v;
		}
		ids[n++] = sqlite3_column_int64(sel, 0);
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	rc = remover_run(&r, ids, n, removed);
out:
	free(ids);
	sqlite3_finalize(r.info);
	sqlite3_finalize(sel);
	return rc;
}

/* ---- the codes margin of qda show ---- */

struct margin_coding {
	long first, last;
	long rank;      /* tree order; retired nodes after the others */
	const char *key;/* into keys */
};

static int by_rank(const void *a, const void *b)
{
	const struct margin_coding *x = *(const struct margin_coding *const *)a,
	                           *y = *(const struct margin_coding *const *)b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return strcmp(x->key, y->key);
}

enum qda_status qda_codes_by_line(struct qda *h, const char *doc, const char *coder, qda_line_codes_fn fn, void *ctx)
{
	struct tree t;
	sqlite3_stmt *st = NULL;
	struct margin_coding *v = NULL, **active = NULL, **sorted = NULL;
	size_t n = 0, cap = 0, nactive = 0, next = 0, i;
	long long doc_id = 0, coder_id = 0;
	long nlines = 0, line;
	struct buf keys = { 0 }, codes = { 0 };
	enum qda_status rc;
	size_t *off = NULL;
	int r;

	memset(&t, 0, sizeof t);
	if ((rc = doc_lookup(h, doc, &doc_id)) != QDA_OK)
		return rc;
	/* a coder with no codings yet has an empty margin: blind coding starts so;
	 * a warning says so, in case the name is mistyped */
	if (coder && (rc = coder_lookup(h, coder, &coder_id)) == QDA_ENOTFOUND) {
		warnf(h, "", "no coder '%s' yet: the margin stays empty until they code ('qda codings' lists the coders' codings)", coder);
		coder_id = -1;
	} else if (rc != QDA_OK) {
		return rc;
	}
	if ((rc = tree_load(h, &t)) != QDA_OK)
		goto out;
	if (!(st = prep(h, "SELECT lines FROM document WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	if ((r = step_row(h, st, "read document")) > 0)
		nlines = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (r < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (!(st = prep(h, "SELECT c.line_first, c.line_last, c.node_id, n.key FROM coding c JOIN node n ON n.id = c.node_id"
	                   " WHERE c.doc_id = ?1 AND (?2 = 0 OR c.coder_id = ?2) ORDER BY c.line_first"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, coder_id);
	/* keys are kept in one buffer; offsets are fixed up once it stops growing */
	while ((r = step_row(h, st, "read codings")) > 0) {
		long ix = tree_find(&t, sqlite3_column_int64(st, 2));
		if (n == cap) {
			size_t c2 = cap ? cap * 2 : 64;
			struct margin_coding *nv = realloc(v, c2 * sizeof *nv);
			size_t *no = nv ? realloc(off, c2 * sizeof *no) : NULL;
			if (nv)
				v = nv;
			if (!no) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			off = no;
			cap = c2;
		}
		v[n].first = sqlite3_column_int(st, 0);
		v[n].last = sqlite3_column_int(st, 1);
		v[n].rank = ix >= 0 ? t.nodes[ix].rank : (long)t.n + 1;
		off[n] = keys.len;
		if (buf_add(&keys, sqlite3_column_text(st, 3), (size_t)sqlite3_column_bytes(st, 3) + 1)) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		n++;
	}
	if (r < 0) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < n; i++)
		v[i].key = keys.s + off[i];
	if (n && nlines < v[n - 1].last)
		nlines = v[n - 1].last;
	active = malloc((n + 1) * sizeof *active);
	sorted = malloc((n + 1) * sizeof *sorted);
	if (!active || !sorted) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	for (line = 1; line <= nlines; line++) {
		size_t k = 0, m = 0;
		while (next < n && v[next].first <= line)
			active[nactive++] = &v[next++];
		for (i = 0; i < nactive; i++)
			if (active[i]->last >= line)
				active[k++] = active[i];
		nactive = k;
		memcpy(sorted, active, nactive * sizeof *sorted);
		qsort(sorted, nactive, sizeof *sorted, by_rank);
		codes.len = 0;
		buf_add(&codes, "", 0);
		for (i = 0; i < nactive; i++) {
			if (m && strcmp(sorted[i]->key, sorted[i - 1]->key) == 0)
				continue; /* the same code by two coders, or twice */
			if ((m++ && buf_addc(&codes, ',')) || buf_adds(&codes, sorted[i]->key)) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
		}
		if (!codes.s) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if (fn(ctx, line, codes.s))
			break;
	}
out:
	sqlite3_finalize(st);
	free(off);
	free(active);
	free(sorted);
	free(v);
	buf_free(&keys);
	buf_free(&codes);
	tree_free(&t);
	return rc;
}
