/* read.c — familiarisation: who has read which document (qda read, docs,
 * status). A read is one row per document and coder; reading again moves
 * its date. Writes inside the caller's transaction; never prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum qda_status qda_read_mark(struct qda *h, const char *doc, const char *memo, int *again, long long *memo_id)
{
	sqlite3_stmt *st = NULL;
	long long doc_id, coder, mid = 0;
	enum qda_status rc;
	int r;

	*again = 0;
	if (memo_id)
		*memo_id = 0;
	if ((rc = coder_id(h, &coder)) != QDA_OK || (rc = doc_find(h, doc, &doc_id)) != QDA_OK)
		return rc;
	if (memo && *memo) {
		if ((rc = qda_memo_add(h, "document", doc, memo, &mid)) != QDA_OK)
			return rc;
		if (memo_id)
			*memo_id = mid;
	}
	if (!(st = prep(h, "SELECT 1 FROM doc_read WHERE doc_id = ? AND coder_id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, coder);
	r = step_row(h, st, "find the read mark");
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	*again = r > 0;
	/* reading again moves the date; a memo given then replaces the link, the
	 * earlier memo stays a document memo */
	if (!(st = prep(h, "INSERT INTO doc_read(doc_id, coder_id, memo_id) VALUES (?, ?, ?)"
	                   " ON CONFLICT(doc_id, coder_id) DO UPDATE SET"
	                   " at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), memo_id = coalesce(excluded.memo_id, memo_id)")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, doc_id);
	sqlite3_bind_int64(st, 2, coder);
	if (mid)
		sqlite3_bind_int64(st, 3, mid);
	else
		sqlite3_bind_null(st, 3);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

/* The coders a listing shows: those who have read something, and the one
 * working (who wants to know what is left to read). */
#define READERS_SQL                                                                       \
	"WITH readers(name) AS (SELECT k.name FROM doc_read r JOIN coder k ON k.id = r.coder_id" \
	" UNION SELECT ?1 WHERE ?1 IS NOT NULL)"

enum qda_status qda_read_list(struct qda *h, const char *coder, qda_read_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h, READERS_SQL
	                        " SELECT d.name, coalesce(c.name, ''), k.name, r.at, m.text"
	                        " FROM document d LEFT JOIN cases c ON c.id = d.case_id CROSS JOIN readers k"
	                        " LEFT JOIN doc_read r ON r.doc_id = d.id"
	                        "   AND r.coder_id = (SELECT id FROM coder WHERE name = k.name)"
	                        " LEFT JOIN memo m ON m.id = r.memo_id"
	                        " WHERE ?2 IS NULL OR k.name = ?2"
	                        " ORDER BY d.name, k.name");
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, h->coder);
	bind_text(st, 2, coder);
	while ((r = step_row(h, st, "list what was read")) > 0) {
		struct qda_read_row row;
		row.doc = (const char *)sqlite3_column_text(st, 0);
		row.case_name = (const char *)sqlite3_column_text(st, 1);
		row.coder = (const char *)sqlite3_column_text(st, 2);
		row.at = (const char *)sqlite3_column_text(st, 3);
		row.memo = (const char *)sqlite3_column_text(st, 4);
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_read_counts(struct qda *h, struct qda_read_counts *c, qda_read_count_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int r;
	memset(c, 0, sizeof *c);
	if (!(st = prep(h, "SELECT (SELECT count(*) FROM document),"
	                   " (SELECT count(DISTINCT r.coder_id) FROM doc_read r JOIN document d ON d.id = r.doc_id),"
	                   " (SELECT count(*) FROM document d WHERE (SELECT count(*) FROM doc_read r WHERE r.doc_id = d.id)"
	                   "   = (SELECT count(DISTINCT r.coder_id) FROM doc_read r JOIN document e ON e.id = r.doc_id))")))
		return QDA_EDB;
	if ((r = step_row(h, st, "count what was read")) > 0) {
		c->documents = sqlite3_column_int64(st, 0);
		c->readers = sqlite3_column_int64(st, 1);
		c->read_by_all = c->readers ? sqlite3_column_int64(st, 2) : 0;
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (!fn)
		return QDA_OK;
	if (!(st = prep(h, "SELECT k.name, count(*) FROM doc_read r JOIN document d ON d.id = r.doc_id"
	                   " JOIN coder k ON k.id = r.coder_id GROUP BY k.id ORDER BY k.name")))
		return QDA_EDB;
	while ((r = step_row(h, st, "count what was read")) > 0)
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0), sqlite3_column_int64(st, 1)))
			break;
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}
