/* docs.c — documents: reading them back (the list, lines with their turns
 * and speakers, the speakers of a document) and their housekeeping (remove,
 * rename, a speaker's role). A document is never deleted: removal marks it. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum qda_status qda_docs_list(struct qda *h, qda_doc_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int rc;

	st = prep(h, "SELECT d.id, d.name, coalesce(c.name, ''), d.format,"
	             " (SELECT count(*) FROM turn t WHERE t.doc_id = d.id),"
	             " d.words, d.lines, d.length,"
	             " (SELECT group_concat(name, ', ') FROM (SELECT s.name FROM speaker s"
	             "    WHERE s.doc_id = d.id ORDER BY s.id)),"
	             " (SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = 'role'),"
	             " (SELECT group_concat(name, ', ') FROM (SELECT k.name FROM doc_read r"
	             "    JOIN coder k ON k.id = r.coder_id WHERE r.doc_id = d.id ORDER BY k.name))"
	             " FROM document d LEFT JOIN cases c ON c.id = d.case_id ORDER BY d.name");
	if (!st)
		return QDA_EDB;
	while ((rc = step_row(h, st, "list documents")) > 0) {
		struct qda_doc_row r;
		r.id = sqlite3_column_int64(st, 0);
		r.name = (const char *)sqlite3_column_text(st, 1);
		r.case_name = (const char *)sqlite3_column_text(st, 2);
		r.format = (const char *)sqlite3_column_text(st, 3);
		r.turns = sqlite3_column_int(st, 4);
		r.words = sqlite3_column_int(st, 5);
		r.lines = sqlite3_column_int(st, 6);
		r.length = sqlite3_column_int(st, 7);
		r.speakers = (const char *)sqlite3_column_text(st, 8);
		r.role = (const char *)sqlite3_column_text(st, 9);
		r.read_by = (const char *)sqlite3_column_text(st, 10);
		if (fn(ctx, &r))
			break;
	}
	sqlite3_finalize(st);
	return rc < 0 ? QDA_EDB : QDA_OK;
}

/* The id of a document by name, with a hint to the nearest names when absent. */
enum qda_status doc_find(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st = prep(h, "SELECT id FROM document WHERE name = ?");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((r = step_row(h, st, "find document")) > 0) {
		*id = sqlite3_column_int64(st, 0);
		goto out;
	}
	if (r < 0) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_finalize(st);
	/* A case name often is the document name; accept it when it is one document. */
	st = prep(h, "SELECT min(d.id), count(*) FROM document d JOIN cases c ON c.id = d.case_id WHERE c.name = ?");
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((r = step_row(h, st, "find document")) < 0)
		rc = QDA_EDB;
	else if (r > 0 && sqlite3_column_int(st, 1) == 1)
		*id = sqlite3_column_int64(st, 0);
	else
		rc = seterr(h, QDA_ENOTFOUND, "no document '%s'; 'qda docs' lists them", name);
out:
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_doc_lines(struct qda *h, const char *doc, long first, long last, qda_line_fn fn,
                              void *ctx)
{
	sqlite3_stmt *st = NULL, *txt = NULL;
	enum qda_status rc;
	long long id;
	const char *text;
	size_t tlen, bpos = 0;
	long cpos = 0;
	int step, stop;

	if ((rc = doc_find(h, doc, &id)) != QDA_OK)
		return rc;
	txt = prep(h, "SELECT text, lines FROM document WHERE id = ?");
	if (!txt)
		return QDA_EDB;
	sqlite3_bind_int64(txt, 1, id);
	if ((step = step_row(h, txt, "read document")) <= 0) {
		sqlite3_finalize(txt);
		return step < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document '%s'; 'qda docs' lists them", doc);
	}
	text = (const char *)sqlite3_column_text(txt, 0);
	tlen = (size_t)sqlite3_column_bytes(txt, 0);
	if (!text) {
		rc = seterr(h, QDA_ENOMEM, "out of memory reading %s", doc);
		goto out;
	}
	if (first < 1)
		first = 1;
	if (first > sqlite3_column_int(txt, 1) && sqlite3_column_int(txt, 1) > 0) {
		rc = seterr(h, QDA_EINPUT, "%s has %d lines; line %ld is past its end", doc, sqlite3_column_int(txt, 1),
		            first);
		goto out;
	}
	st = prep(h, "SELECT l.n, l.start, l.end, coalesce(l.turn_n, 0), s.name, t.line_first = l.n"
	             " FROM line l LEFT JOIN turn t ON t.doc_id = l.doc_id AND t.n = l.turn_n"
	             " LEFT JOIN speaker s ON s.id = t.speaker_id"
	             " WHERE l.doc_id = ? AND l.n >= ? AND (? = 0 OR l.n <= ?) ORDER BY l.n");
	if (!st) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, first);
	sqlite3_bind_int64(st, 3, last);
	sqlite3_bind_int64(st, 4, last);
	while ((step = step_row(h, st, "read lines")) > 0) {
		struct qda_line_row r;
		size_t b0, b1;
		char *line;
		r.n = sqlite3_column_int(st, 0);
		r.start = sqlite3_column_int(st, 1);
		r.end = sqlite3_column_int(st, 2);
		r.turn = sqlite3_column_int(st, 3);
		r.speaker = (const char *)sqlite3_column_text(st, 4);
		r.turn_start = sqlite3_column_int(st, 5);
		/* Walk forward from the last line: lines come in order, so the
		 * code point to byte mapping stays linear over the document. */
		b0 = bpos + qda_text_cp_to_byte(text + bpos, tlen - bpos, (size_t)(r.start - cpos));
		b1 = b0 + qda_text_cp_to_byte(text + b0, tlen - b0, (size_t)(r.end - r.start));
		bpos = b1;
		cpos = r.end;
		line = strndup(text + b0, b1 - b0);
		if (!line) {
			rc = QDA_ENOMEM;
			goto out;
		}
		r.text = line;
		stop = fn(ctx, &r);
		free(line);
		if (stop)
			break;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(txt);
	return rc;
}

enum qda_status qda_doc_speakers(struct qda *h, const char *doc, qda_speaker_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	long long id;
	int step;

	if ((rc = doc_find(h, doc, &id)) != QDA_OK)
		return rc;
	st = prep(h, "SELECT s.name, s.is_interviewer, count(t.id), min(t.n),"
	             " (SELECT count(*) FROM turn t2 WHERE t2.speaker_id = s.id)"
	             " FROM speaker s LEFT JOIN turn t ON t.speaker_id = s.id"
	             " WHERE s.doc_id = ? GROUP BY s.id ORDER BY min(t.n)");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	while ((step = step_row(h, st, "read speakers")) > 0) {
		struct qda_speaker_row r;
		r.name = (const char *)sqlite3_column_text(st, 0);
		r.interviewer = sqlite3_column_int(st, 1);
		r.turns = sqlite3_column_int(st, 2);
		r.first_turn = sqlite3_column_int(st, 3);
		r.words = 0;
		if (fn(ctx, &r))
			break;
	}
	if (step < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	return rc;
}

/* ---- housekeeping: remove, rename, a speaker's role ---- */

static enum qda_status doc_name(struct qda *h, long long id, char *name, size_t n)
{
	sqlite3_stmt *st = prep(h, "SELECT name FROM document_all WHERE id = ?");
	int r;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	if ((r = step_row(h, st, "read a document")) > 0)
		snprintf(name, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return r > 0 ? QDA_OK : r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document %lld", id);
}

/* The current codings of a document per coder, as "ana 3, bob 1" in b (when
 * not NULL) and through fn; *total their sum. */
static enum qda_status codings_by_coder(struct qda *h, long long doc_id, struct buf *b, qda_name_count_fn fn,
                                        void *ctx, long *total)
{
	sqlite3_stmt *st = prep(h, "SELECT k.name, count(*) FROM coding c JOIN coder k ON k.id = c.coder_id"
	                           " WHERE c.doc_id = ? GROUP BY k.id ORDER BY k.name");
	int r;
	*total = 0;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, doc_id);
	while ((r = step_row(h, st, "count the document's codings")) > 0) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		long n = sqlite3_column_int(st, 1);
		*total += n;
		if (b && buf_addf(b, "%s%s %ld", b->len ? ", " : "", name, n) < 0) {
			sqlite3_finalize(st);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		if (fn)
			fn(ctx, name, n);
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

/* The ids of a document's current codings, read whole before any is marked
 * removed (marking takes a coding out of the view being read). */
static enum qda_status coding_ids(struct qda *h, long long doc_id, long long **ids, size_t *n)
{
	sqlite3_stmt *st = prep(h, "SELECT id FROM coding WHERE doc_id = ? ORDER BY id");
	size_t cap = 0;
	int r;
	*ids = NULL;
	*n = 0;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, doc_id);
	while ((r = step_row(h, st, "find the document's codings")) > 0) {
		if (*n == cap) {
			long long *v = realloc(*ids, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!v) {
				sqlite3_finalize(st);
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			*ids = v;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_doc_remove(struct qda *h, const char *doc, int force, qda_name_count_fn fn, void *ctx,
                               long *codings)
{
	sqlite3_stmt *st = NULL;
	struct buf who = { 0 };
	long long id, me = 0, *ids = NULL;
	size_t n_ids = 0, i;
	char name[256];
	long n = 0;
	enum qda_status rc;

	*codings = 0;
	if ((rc = doc_lookup(h, doc, &id)) != QDA_OK)
		return rc;
	if ((rc = doc_name(h, id, name, sizeof name)) != QDA_OK ||
	    (rc = codings_by_coder(h, id, &who, fn, ctx, &n)) != QDA_OK)
		goto out;
	if (n > 0 && !force) {
		rc = seterr(h, QDA_EINPUT,
		            "%s has %ld coding%s (%s); nothing was removed. With --force its codings go with it, as "
		            "codings are removed: marked removed, their history kept",
		            name, n, n == 1 ? "" : "s", who.s);
		goto out;
	}
	/* removal is attributed: codings go only with a coder; the document
	 * alone records one when there is one */
	if (n > 0 && (rc = coder_id(h, &me)) != QDA_OK)
		goto out;
	if (n == 0 && qda_coder(h) && (rc = coder_ensure(h, qda_coder(h), &me)) != QDA_OK)
		goto out;
	if ((rc = coding_ids(h, id, &ids, &n_ids)) != QDA_OK)
		goto out;
	for (i = 0; i < n_ids && rc == QDA_OK; i++)
		rc = coding_remove(h, ids[i], me, "document removed");
	if (rc != QDA_OK)
		goto out;
	if (!(st = prep(h, "UPDATE document_all SET removed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), removed_by = ?"
	                   " WHERE id = ? AND removed_at IS NULL"))) {
		rc = QDA_EDB;
		goto out;
	}
	if (me)
		sqlite3_bind_int64(st, 1, me);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_int64(st, 2, id);
	if ((rc = step_done(h, st)) == QDA_OK)
		*codings = (long)n_ids;
out:
	sqlite3_finalize(st);
	free(ids);
	buf_free(&who);
	return rc;
}

enum qda_status qda_doc_rename(struct qda *h, const char *doc, const char *name)
{
	sqlite3_stmt *st = NULL;
	const char *why = name_problem(name, 200);
	long long id, other = 0;
	enum qda_status rc;
	int r;

	if ((rc = doc_lookup(h, doc, &id)) != QDA_OK)
		return rc;
	if (why)
		return seterr(h, QDA_EINPUT, "document name '%s' %s; choose another", name, why);
	if (!(st = prep(h, "SELECT id, coalesce(source, '') FROM document WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((r = step_row(h, st, "find a document")) < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (r > 0 && (other = sqlite3_column_int64(st, 0)) == id) {
		rc = seterr(h, QDA_EINPUT, "%s is already named so; nothing changed", name);
		goto out;
	}
	if (r > 0) {
		const char *source = (const char *)sqlite3_column_text(st, 1);
		rc = seterr(h, QDA_EEXIST, "document %s%s%s%s already has that name; choose another (qda docs lists them)",
		            name, *source ? " (from " : "", source, *source ? ")" : "");
		goto out;
	}
	sqlite3_finalize(st);
	if (!(st = prep(h, "UPDATE document_all SET name = ? WHERE id = ?")))
		return QDA_EDB;
	bind_text(st, 1, name);
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(h, st);
out:
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_speaker_role(struct qda *h, const char *doc, const char *speaker, int interviewer,
                                 struct qda_speaker_role_result *res)
{
	sqlite3_stmt *st = NULL;
	long long doc_id, id = 0;
	enum qda_status rc;
	int r;

	memset(res, 0, sizeof *res);
	if ((rc = doc_lookup(h, doc, &doc_id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT d.name, s.id, s.is_interviewer, (SELECT count(*) FROM turn t WHERE t.speaker_id = s.id)"
	                   " FROM document d LEFT JOIN speaker s ON s.doc_id = d.id AND s.name = ?2 WHERE d.id = ?1")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, doc_id);
	bind_text(st, 2, speaker);
	if ((r = step_row(h, st, "find the speaker")) <= 0) {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document '%s'", doc);
		goto out;
	}
	snprintf(res->doc, sizeof res->doc, "%s", (const char *)sqlite3_column_text(st, 0));
	id = sqlite3_column_int64(st, 1);
	res->was = sqlite3_column_int(st, 2) != 0;
	res->turns = sqlite3_column_int(st, 3);
	sqlite3_finalize(st);
	st = NULL;
	if (!id) {
		struct buf b = { 0 };
		if (!(st = prep(h, "SELECT name FROM speaker WHERE doc_id = ? ORDER BY id")))
			return QDA_EDB;
		sqlite3_bind_int64(st, 1, doc_id);
		while ((r = step_row(h, st, "list the speakers")) > 0)
			buf_addf(&b, "%s%s", b.len ? ", " : "", (const char *)sqlite3_column_text(st, 0));
		if (r < 0)
			rc = QDA_EDB;
		else if (b.len)
			rc = seterr(h, QDA_ENOTFOUND, "no speaker '%s' in %s; its speakers are %s", speaker, res->doc, b.s);
		else
			rc = seterr(h, QDA_ENOTFOUND, "no speaker '%s' in %s: no speaker turns were found in it", speaker,
			            res->doc);
		buf_free(&b);
		goto out;
	}
	if (res->was == (interviewer != 0))
		goto out;
	if (!(st = prep(h, "UPDATE speaker SET is_interviewer = ? WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int(st, 1, interviewer != 0);
	sqlite3_bind_int64(st, 2, id);
	if ((rc = step_done(h, st)) == QDA_OK)
		res->changed = 1;
out:
	sqlite3_finalize(st);
	return rc;
}
