/* memo.c — memos on the project, a document, a code, a coding or a case, and
 * the reflexive journal (dated and signed by its coder). Writes inside the
 * caller's transaction; never prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The schema's target_kind for a kind the caller names ("code" is a node). */
static const char *schema_kind(const char *kind)
{
	static const char *const kinds[] = { "project", "document", "coding", "case", "journal" };
	size_t i;
	if (!kind)
		return NULL;
	if (strcmp(kind, "code") == 0 || strcmp(kind, "node") == 0)
		return "node";
	for (i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(kind, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

static enum qda_status case_lookup(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st = prep(h, "SELECT id FROM cases WHERE name = ?");
	char *hint = NULL;
	enum qda_status rc;
	int step;

	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((step = step_row(h, st, "find case")) > 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (step != 0)
		return step < 0 ? QDA_EDB : QDA_OK;
	if (!(st = prep(h, "SELECT name FROM cases ORDER BY name")))
		return QDA_EDB;
	if ((rc = suggest_list(h, st, name, &hint)) != QDA_OK)
		goto out;
	if (*hint)
		rc = seterr(h, QDA_ENOTFOUND, "no case '%s'; did you mean %s? (see qda cases)", name, hint);
	else
		rc = seterr(h, QDA_ENOTFOUND, "no case '%s'; see qda cases", name);
out:
	sqlite3_finalize(st);
	free(hint);
	return rc;
}

static enum qda_status coding_lookup(struct qda *h, const char *s, long long *id)
{
	sqlite3_stmt *st;
	char *end;
	long long v = strtoll(s, &end, 10);
	int step;

	if (!*s || *end || v <= 0)
		return seterr(h, QDA_EINVAL, "a coding is named by its number (see qda codings), not '%s'", s);
	/* a removed coding keeps its memos and may take more */
	if (!(st = prep(h, "SELECT id FROM coding_all WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, v);
	step = step_row(h, st, "find coding");
	sqlite3_finalize(st);
	if (step > 0) {
		*id = v;
		return QDA_OK;
	}
	return step < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no coding %lld; see qda codings", v);
}

/* The row id of a memo's target (0 for the project and the journal). */
static enum qda_status target_id(struct qda *h, const char *kind, const char *target, long long *id)
{
	*id = 0;
	if (strcmp(kind, "project") == 0 || strcmp(kind, "journal") == 0)
		return QDA_OK;
	if (!target || !*target)
		return seterr(h, QDA_EINVAL, "a memo on a %s names it", strcmp(kind, "node") == 0 ? "code" : kind);
	if (strcmp(kind, "document") == 0)
		return doc_lookup(h, target, id);
	if (strcmp(kind, "node") == 0)
		return node_find(h, target, id);
	if (strcmp(kind, "case") == 0)
		return case_lookup(h, target, id);
	return coding_lookup(h, target, id);
}

enum qda_status qda_memo_add(struct qda *h, const char *kind, const char *target, const char *text, long long *id)
{
	const char *k = schema_kind(kind);
	sqlite3_stmt *st = NULL;
	enum qda_status rc;
	long long tid = 0, cid = 0;
	char *norm = NULL;
	size_t len, i;
	int step;

	*id = 0;
	if (!k)
		return seterr(h, QDA_EINVAL, "no memo kind '%s'", kind ? kind : "(null)");
	len = text ? strlen(text) : 0;
	for (i = 0; i < len && strchr(" \t\r\n", text[i]); i++)
		;
	if (i == len)
		return seterr(h, QDA_EINPUT, "the memo is empty; write its text as an argument or on stdin with -");
	if (qda_text_check_input(h, "the memo", text) != QDA_OK)
		return QDA_EINPUT;
	if ((rc = coder_id(h, &cid)) != QDA_OK || (rc = target_id(h, k, target, &tid)) != QDA_OK)
		return rc;
	if ((rc = qda_text_normalize(text, len, &norm, &len)) != QDA_OK)
		return seterr(h, rc, rc == QDA_ENOMEM ? "out of memory" : "the memo could not be normalised");
	/* the target is a reference: one column per kind, NULL for the others */
	st = prep(h, "INSERT INTO memo(target_kind, doc_id, node_id, coding_id, case_id, coder_id, text)"
	             " VALUES (?1, CASE ?1 WHEN 'document' THEN ?2 END, CASE ?1 WHEN 'node' THEN ?2 END,"
	             " CASE ?1 WHEN 'coding' THEN ?2 END, CASE ?1 WHEN 'case' THEN ?2 END, ?3, ?4) RETURNING id");
	if (!st) {
		free(norm);
		return QDA_EDB;
	}
	bind_text(st, 1, k);
	sqlite3_bind_int64(st, 2, tid);
	sqlite3_bind_int64(st, 3, cid);
	sqlite3_bind_text(st, 4, norm, (int)len, SQLITE_TRANSIENT);
	if ((step = step_row(h, st, "add memo")) > 0)
		*id = sqlite3_column_int64(st, 0);
	rc = step > 0 ? QDA_OK : step < 0 ? QDA_EDB : dberr(h, "add memo");
	sqlite3_finalize(st);
	free(norm);
	return rc;
}

static const char memo_select[] =
	"SELECT m.id, CASE m.target_kind WHEN 'node' THEN 'code' ELSE m.target_kind END,"
	" coalesce(CASE m.target_kind WHEN 'document' THEN (SELECT name FROM document_all WHERE id = m.doc_id)"
	" WHEN 'node' THEN (SELECT key FROM node WHERE id = m.node_id)"
	" WHEN 'case' THEN (SELECT name FROM cases WHERE id = m.case_id)"
	" WHEN 'coding' THEN CAST(m.coding_id AS TEXT) END, ''),"
	" coalesce(c.name, ''), m.created, m.text FROM memo m LEFT JOIN coder c ON c.id = m.coder_id";

static enum qda_status walk(struct qda *h, sqlite3_stmt *st, qda_memo_fn fn, void *ctx, long *n)
{
	int step;
	*n = 0;
	while ((step = step_row(h, st, "read memos")) > 0) {
		struct qda_memo_row r;
		r.id = sqlite3_column_int64(st, 0);
		r.kind = (const char *)sqlite3_column_text(st, 1);
		r.target = (const char *)sqlite3_column_text(st, 2);
		r.coder = (const char *)sqlite3_column_text(st, 3);
		r.created = (const char *)sqlite3_column_text(st, 4);
		r.text = (const char *)sqlite3_column_text(st, 5);
		(*n)++;
		if (fn(ctx, &r))
			return QDA_OK;
	}
	return step < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_memo_list(struct qda *h, const char *kind, const char *target, qda_memo_fn fn, void *ctx)
{
	const char *k = NULL;
	sqlite3_stmt *st;
	enum qda_status rc;
	long long tid = 0;
	struct buf sql = { 0 };
	long n;

	if (kind && !(k = schema_kind(kind)))
		return seterr(h, QDA_EINVAL, "no memo kind '%s'", kind);
	if (k && target && (rc = target_id(h, k, target, &tid)) != QDA_OK)
		return rc;
	if (buf_adds(&sql, memo_select) || buf_adds(&sql, " WHERE (?1 IS NULL OR m.target_kind = ?1)"
	                                                  " AND (?2 = 0 OR coalesce(m.doc_id, m.node_id, m.coding_id, m.case_id) = ?2) ORDER BY m.id")) {
		buf_free(&sql);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	st = prep(h, sql.s);
	buf_free(&sql);
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, k);
	sqlite3_bind_int64(st, 2, tid);
	rc = walk(h, st, fn, ctx, &n);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_memo_show(struct qda *h, long long id, qda_memo_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	struct buf sql = { 0 };
	long n;

	if (buf_adds(&sql, memo_select) || buf_adds(&sql, " WHERE m.id = ?")) {
		buf_free(&sql);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	st = prep(h, sql.s);
	buf_free(&sql);
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	rc = walk(h, st, fn, ctx, &n);
	sqlite3_finalize(st);
	if (rc == QDA_OK && n == 0)
		return seterr(h, QDA_ENOTFOUND, "no memo %lld; see qda memo list", id);
	return rc;
}
