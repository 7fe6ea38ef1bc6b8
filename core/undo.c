/* undo.c — qda undo: reverse the current coder's last change from what the
 * log kept of it (an SQLite session changeset for its small changes, and the
 * log_id of the codings and documents it wrote in bulk). Refuses, changing
 * nothing, when later work depends on what the change made. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The coder's changes, newest first: not undone, not an undo, that left
 * something to reverse. coder NULL: the changes made without a coder. */
static const char candidates[] =
	"SELECT l.id, l.at, coalesce(l.coder, ''), l.command, l.summary,"
	" u.log_id IS NOT NULL AND (u.changeset IS NOT NULL"
	"   OR EXISTS (SELECT 1 FROM coding_all c WHERE c.log_id = l.id)"
	"   OR EXISTS (SELECT 1 FROM document_all d WHERE d.log_id = l.id)),"
	" u.log_id IS NOT NULL"
	" FROM log l LEFT JOIN undo u ON u.log_id = l.id"
	" WHERE l.coder IS ?1 AND l.undone_by IS NULL AND l.id != ?2"
	" AND l.id NOT IN (SELECT undone_by FROM log WHERE undone_by IS NOT NULL)"
	" ORDER BY l.id DESC";

enum qda_status qda_undo_list(struct qda *h, long limit, qda_undo_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h, candidates);
	long n = 0;
	int r, next = 1;

	if (!st)
		return QDA_EDB;
	bind_text(st, 1, h->coder);
	sqlite3_bind_int64(st, 2, tx_log_id(h));
	while ((r = step_row(h, st, "read the log")) > 0) {
		int effect = sqlite3_column_int(st, 5), recorded = sqlite3_column_int(st, 6);
		struct qda_undo_row row = {
			sqlite3_column_int64(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4),
			!recorded ? "no: made before qda recorded undo information"
			: !effect ? "no: it changed nothing"
			: next    ? "next"
			          : "after the ones above",
		};
		if (recorded && effect)
			next = 0;
		if ((limit > 0 && n++ >= limit) || fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

struct conflict {
	struct qda *h;
	char what[512]; /* the first conflict, for the message */
};

static int on_conflict(void *ctx, int kind, sqlite3_changeset_iter *it)
{
	struct conflict *c = ctx;
	const char *table = "";
	int ncol = 0, op = 0, indirect = 0;
	sqlite3_value *pk = NULL;

	/* A row the undo deletes that is already gone (it went with its
	 * document, or undo's bulk step took it) is what undo wants. */
	if (kind == SQLITE_CHANGESET_NOTFOUND) {
		sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
		if (op == SQLITE_DELETE)
			return SQLITE_CHANGESET_OMIT;
	}
	/* Foreign keys are deferred and checked once at the end, with names. */
	if (kind == SQLITE_CHANGESET_FOREIGN_KEY)
		return SQLITE_CHANGESET_OMIT;
	sqlite3changeset_op(it, &table, &ncol, &op, &indirect);
	if (op == SQLITE_INSERT)
		sqlite3changeset_new(it, 0, &pk);
	else
		sqlite3changeset_old(it, 0, &pk);
	if (!*c->what)
		snprintf(c->what, sizeof c->what, "%s %s has changed since", strcmp(table, "coding_all") == 0 ? "coding"
		         : strcmp(table, "document_all") == 0 ? "document" : table,
		         pk ? (const char *)sqlite3_value_text(pk) : "?");
	return SQLITE_CHANGESET_ABORT;
}

/* Delete what a bulk command wrote: its documents (their index entries
 * first: the full-text index is external) and its codings. */
static enum qda_status undo_bulk(struct qda *h, long long log_id)
{
	static const char *const sql[] = {
		"INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', l.id, substr(d.text, l.start + 1, l.end - l.start)"
		" FROM document_all d JOIN line l ON l.doc_id = d.id WHERE d.log_id = ?1",
		"DELETE FROM coding_all WHERE log_id = ?1",
		"DELETE FROM document_all WHERE log_id = ?1",
	};
	enum qda_status rc = QDA_OK;
	size_t i;
	for (i = 0; i < sizeof sql / sizeof sql[0] && rc == QDA_OK; i++) {
		sqlite3_stmt *st = prep(h, sql[i]);
		if (!st)
			return QDA_EDB;
		sqlite3_bind_int64(st, 1, log_id);
		rc = step_done(h, st);
		sqlite3_finalize(st);
	}
	return rc;
}

static enum qda_status undo_changeset(struct qda *h, long long log_id, struct conflict *c)
{
	sqlite3_stmt *st = prep(h, "SELECT changeset FROM undo WHERE log_id = ?");
	void *inv = NULL;
	int ninv = 0, r, arc;
	enum qda_status rc = QDA_OK;

	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, log_id);
	if ((r = step_row(h, st, "read the undo record")) <= 0 || sqlite3_column_type(st, 0) == SQLITE_NULL) {
		sqlite3_finalize(st);
		return r < 0 ? QDA_EDB : QDA_OK;
	}
	if (sqlite3changeset_invert(sqlite3_column_bytes(st, 0), sqlite3_column_blob(st, 0), &ninv, &inv) != SQLITE_OK) {
		sqlite3_finalize(st);
		return seterr(h, QDA_EDB, "the undo record of log %lld is damaged; nothing was undone", log_id);
	}
	sqlite3_finalize(st);
	arc = sqlite3changeset_apply(h->db, ninv, inv, NULL, on_conflict, c);
	sqlite3_free(inv);
	if (arc == SQLITE_ABORT)
		rc = QDA_EINPUT;
	else if (arc != SQLITE_OK)
		rc = dberr(h, "undo");
	return rc;
}

enum qda_status qda_undo(struct qda *h, long long *undone, char **summary)
{
	sqlite3_stmt *st;
	struct conflict c = { h, "" };
	long long id = 0;
	enum qda_status rc;
	int r;

	*undone = 0;
	*summary = NULL;
	/* the undo itself is not recorded: it is reversed by no one */
	tx_no_undo(h);
	if (!(st = prep(h, candidates)))
		return QDA_EDB;
	bind_text(st, 1, h->coder);
	sqlite3_bind_int64(st, 2, tx_log_id(h));
	while ((r = step_row(h, st, "read the log")) > 0) {
		if (!sqlite3_column_int(st, 6)) {
			rc = seterr(h, QDA_EINPUT, "your last change (log %lld: %s) was made before qda recorded undo "
			                           "information; reverse it by hand (qda log shows it)",
			            (long long)sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 4));
			sqlite3_finalize(st);
			return rc;
		}
		if (sqlite3_column_int(st, 5)) {
			id = sqlite3_column_int64(st, 0);
			if (!(*summary = strdup((const char *)sqlite3_column_text(st, 4)))) {
				sqlite3_finalize(st);
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			break;
		}
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (!id)
		return seterr(h, QDA_EINPUT, "%s%s%s has no change to undo (qda log shows the history)",
		              h->coder ? "coder '" : "", h->coder ? h->coder : "work done without a coder",
		              h->coder ? "'" : "");
	/* Everything is checked at the end, with names: rows the change made
	 * that later work still refers to keep the undo from happening. */
	if ((rc = exec(h, "PRAGMA defer_foreign_keys = ON")) != QDA_OK)
		return rc;
	if ((rc = undo_bulk(h, id)) != QDA_OK)
		return rc;
	if ((rc = undo_changeset(h, id, &c)) != QDA_OK) {
		if (rc == QDA_EINPUT)
			return seterr(h, QDA_EINPUT, "cannot undo log %lld (%s): %s; undo the later change first, or "
			                             "reverse this one by hand", id, *summary, c.what);
		return rc;
	}
	{
		char *what = sqlite3_mprintf("cannot undo log %lld (%s): later work refers to what it made", id, *summary);
		if (!what)
			return seterr(h, QDA_ENOMEM, "out of memory");
		rc = fk_check(h, what);
		sqlite3_free(what);
		if (rc != QDA_OK)
			return rc;
	}
	if (!(st = prep(h, "UPDATE log SET undone_by = ? WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, tx_log_id(h));
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	if (rc == QDA_OK)
		*undone = id;
	return rc;
}
