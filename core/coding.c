/* coding.c — codings: the one place they are written (coding_add), and the
 * coding commands' logic. Positions are code points; spans half-open. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The line holding code point pos of a document (lines sorted by start). */
static enum qda_status line_at(struct qda *h, sqlite3_stmt *st, long long doc_id, int64_t pos, long *n)
{
	int rc;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, pos);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int(st, 0);
		return QDA_OK;
	}
	if (rc == SQLITE_DONE) {
		*n = 1;
		return QDA_OK;
	}
	return dberr(h, "find line");
}

enum qda_status coding_add(struct qda *h, long long doc_id, long long node_id, long long coder_id,
                           int64_t start, int64_t end, const char *method, const char *rule,
                           const char *memo, long long *id, int *created)
{
	sqlite3_stmt *len = NULL, *ln = NULL, *ins = NULL, *sel = NULL;
	enum qda_status rc = QDA_OK;
	int64_t length = 0;
	long first = 1, last = 1;

	*created = 0;
	len = prep(h, "SELECT length, name FROM document WHERE id = ?");
	if (!len)
		return QDA_EDB;
	sqlite3_bind_int64(len, 1, doc_id);
	if (sqlite3_step(len) != SQLITE_ROW) {
		rc = seterr(h, QDA_ENOTFOUND, "no document with id %lld", doc_id);
		goto out;
	}
	length = sqlite3_column_int64(len, 0);
	if (start < 0 || end > length || start >= end) {
		rc = seterr_at(h, QDA_EINPUT, (const char *)sqlite3_column_text(len, 1),
		               "span [%lld, %lld) is not inside the document (0 to %lld)", (long long)start,
		               (long long)end, (long long)length);
		goto out;
	}
	ln = prep(h, "SELECT n FROM line WHERE doc_id = ? AND start <= ? ORDER BY start DESC LIMIT 1");
	if (!ln) {
		rc = QDA_EDB;
		goto out;
	}
	if ((rc = line_at(h, ln, doc_id, start, &first)) != QDA_OK ||
	    (rc = line_at(h, ln, doc_id, end - 1, &last)) != QDA_OK)
		goto out;
	ins = prep(h, "INSERT INTO coding(doc_id, node_id, coder_id, start, end, line_first, line_last, method, rule, memo)"
	              " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	              " ON CONFLICT(doc_id, node_id, coder_id, start, end) DO NOTHING RETURNING id");
	if (!ins) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(ins, 1, doc_id);
	sqlite3_bind_int64(ins, 2, node_id);
	sqlite3_bind_int64(ins, 3, coder_id);
	sqlite3_bind_int64(ins, 4, start);
	sqlite3_bind_int64(ins, 5, end);
	sqlite3_bind_int(ins, 6, (int)first);
	sqlite3_bind_int(ins, 7, (int)last);
	bind_text(ins, 8, method ? method : "manual");
	bind_text(ins, 9, rule);
	bind_text(ins, 10, memo);
	switch (sqlite3_step(ins)) {
	case SQLITE_ROW:
		*id = sqlite3_column_int64(ins, 0);
		*created = 1;
		goto out;
	case SQLITE_DONE:
		break;
	default:
		rc = dberr(h, "add coding");
		goto out;
	}
	sel = prep(h, "SELECT id FROM coding WHERE doc_id = ? AND node_id = ? AND coder_id = ? AND start = ? AND end = ?");
	if (!sel) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(sel, 1, doc_id);
	sqlite3_bind_int64(sel, 2, node_id);
	sqlite3_bind_int64(sel, 3, coder_id);
	sqlite3_bind_int64(sel, 4, start);
	sqlite3_bind_int64(sel, 5, end);
	if (sqlite3_step(sel) == SQLITE_ROW)
		*id = sqlite3_column_int64(sel, 0);
	else
		rc = dberr(h, "find coding");
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	sqlite3_finalize(ln);
	sqlite3_finalize(len);
	return rc;
}
