/* docs.c — reading documents back: the list, lines with their turns and
 * speakers, and the speakers of a document. Read-only; never writes. */
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
	             " (SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = 'role')"
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
