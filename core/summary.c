/* summary.c — the framework matrix (Ritchie & Spencer): one summary per
 * case and codebook node, the last writer's text. The grid itself is
 * composed in cmd/ from these rows and qda_freq's passages per case.
 * Writes inside the caller's transaction; never prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static enum qda_status case_named(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st = prep(h, "SELECT id FROM cases WHERE name = ?");
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((r = step_row(h, st, "find the case")) > 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	return r ? QDA_OK : seterr(h, QDA_ENOTFOUND, "no case '%s'; 'qda cases' lists them", name);
}

enum qda_status qda_summary_set(struct qda *h, const char *case_name, const char *node, const char *text,
                                char **previous_coder)
{
	sqlite3_stmt *st;
	long long case_id = 0, node_id = 0, coder = 0;
	enum qda_status rc;
	int r;

	*previous_coder = NULL;
	if (!text || !*text)
		return seterr(h, QDA_EINPUT, "the summary is empty; nothing was written");
	if ((rc = coder_id(h, &coder)) != QDA_OK || (rc = case_named(h, case_name, &case_id)) != QDA_OK ||
	    (rc = node_find(h, node, &node_id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT k.name FROM summary s JOIN coder k ON k.id = s.coder_id"
	                   " WHERE s.case_id = ? AND s.node_id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, node_id);
	if ((r = step_row(h, st, "find the summary")) > 0 &&
	    !(*previous_coder = strdup((const char *)sqlite3_column_text(st, 0))))
		r = -2;
	sqlite3_finalize(st);
	if (r == -2)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (r < 0)
		return QDA_EDB;
	if (!(st = prep(h, "INSERT INTO summary(case_id, node_id, coder_id, text) VALUES (?, ?, ?, ?)"
	                   " ON CONFLICT(case_id, node_id) DO UPDATE SET coder_id = excluded.coder_id,"
	                   " text = excluded.text, updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	sqlite3_bind_int64(st, 2, node_id);
	sqlite3_bind_int64(st, 3, coder);
	bind_text(st, 4, text);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_summary_list(struct qda *h, qda_summary_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h, "SELECT c.name, n.key, k.name, s.text, s.updated FROM summary s"
	                           " JOIN cases c ON c.id = s.case_id JOIN node n ON n.id = s.node_id"
	                           " JOIN coder k ON k.id = s.coder_id ORDER BY c.name, n.key");
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(h, st, "list the summaries")) > 0) {
		struct qda_summary_row row = {
			(const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4),
		};
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_summary_cases(struct qda *h, const char *attr, qda_case_group_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	int r;
	if (attr) {
		long long n = 0;
		if (!(st = prep(h, "SELECT count(*) FROM attribute WHERE key = ?")))
			return QDA_EDB;
		bind_text(st, 1, attr);
		if ((r = step_row(h, st, "find the attribute")) > 0)
			n = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		if (r < 0)
			return QDA_EDB;
		if (!n)
			return seterr(h, QDA_EINPUT, "no case has the attribute '%s'; 'qda cases' lists them", attr);
	}
	if (!(st = prep(h, "SELECT c.name, coalesce(a.value, '(unset)') FROM cases c"
	                   " LEFT JOIN attribute a ON a.case_id = c.id AND a.key = ?"
	                   " WHERE EXISTS (SELECT 1 FROM document d WHERE d.case_id = c.id)"
	                   " ORDER BY a.value IS NULL, a.value, c.name")))
		return QDA_EDB;
	bind_text(st, 1, attr ? attr : "");
	while ((r = step_row(h, st, "list the cases")) > 0)
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1)))
			break;
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}
