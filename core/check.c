/* check.c — qda check and qda backup: the project file's health and a
 * whole copy of it, both reading only. SQLite's own integrity and
 * foreign-key checks, the full-text index's, then qda's invariants (spans
 * inside their documents, lines and turns agreeing with the text, the index
 * holding every line), each problem one row; the copy through SQLite's
 * online backup API. This module never repairs, prints or exits. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Each check: a name and a query whose rows are (where, problem). Queries
 * walk rows once and never substr() a document's text (slow on long texts). */
static const struct {
	const char *check, *sql;
} checks[] = {
	{ "sqlite", "SELECT 'project', integrity_check FROM pragma_integrity_check WHERE integrity_check != 'ok'" },
	{ "foreign key",
	  "SELECT \"table\" || ' ' || rowid, printf('refers to a %s row that does not exist', parent)"
	  " FROM pragma_foreign_key_check" },
	{ "coding",
	  "SELECT 'coding ' || c.id, printf('its span [%d, %d) lies outside document ''%s'' (%d code points)',"
	  " c.start, c.end, d.name, d.length) FROM coding_all c JOIN document_all d ON d.id = c.doc_id"
	  " WHERE c.removed_at IS NULL AND (c.start < 0 OR c.end > d.length) ORDER BY c.id" },
	{ "coding",
	  "SELECT 'coding ' || id, printf('its span [%d, %d) is empty or reversed', start, end) FROM coding_all"
	  " WHERE removed_at IS NULL AND start >= end ORDER BY id" },
	{ "coding",
	  "SELECT 'coding ' || c.id, printf('it refers to document %d, which does not exist', c.doc_id)"
	  " FROM coding_all c WHERE c.removed_at IS NULL AND NOT EXISTS"
	  " (SELECT 1 FROM document_all d WHERE d.id = c.doc_id) ORDER BY c.id" },
	{ "coding",
	  "SELECT 'coding ' || c.id, printf('its document ''%s'' is removed but the coding is not', d.name)"
	  " FROM coding_all c JOIN document_all d ON d.id = c.doc_id"
	  " WHERE c.removed_at IS NULL AND d.removed_at IS NOT NULL ORDER BY c.id" },
	{ "coding",
	  "SELECT 'coding ' || c.id, printf('it refers to node %d, which does not exist', c.node_id)"
	  " FROM coding_all c WHERE c.removed_at IS NULL AND NOT EXISTS"
	  " (SELECT 1 FROM node n WHERE n.id = c.node_id) ORDER BY c.id" },
	{ "coding",
	  "SELECT 'coding ' || c.id, printf('its lines %d-%d are not lines of document ''%s'' (1-%d)',"
	  " c.line_first, c.line_last, d.name, d.lines) FROM coding_all c JOIN document_all d ON d.id = c.doc_id"
	  " WHERE c.removed_at IS NULL AND (c.line_first < 1 OR c.line_last > d.lines OR c.line_first > c.line_last)"
	  " ORDER BY c.id" },
	{ "document",
	  "SELECT printf('document ''%s''', d.name), printf('it has %d lines but %d line rows', d.lines, n)"
	  " FROM document_all d JOIN (SELECT d2.id AS id, (SELECT count(*) FROM line l WHERE l.doc_id = d2.id) AS n"
	  " FROM document_all d2) c ON c.id = d.id WHERE c.n != d.lines ORDER BY d.id" },
	{ "line",
	  "SELECT printf('document ''%s'' line %d', d.name, b.n),"
	  " printf('it starts at %d, not %d (after line %d)', b.start, a.end + 1, a.n)"
	  " FROM line a JOIN line b ON b.doc_id = a.doc_id AND b.n = a.n + 1 JOIN document_all d ON d.id = a.doc_id"
	  " WHERE b.start != a.end + 1 ORDER BY d.id, b.n" },
	{ "line",
	  "SELECT printf('document ''%s'' line %d', d.name, l.n),"
	  " printf('its span [%d, %d) lies outside the text (%d code points)', l.start, l.end, d.length)"
	  " FROM line l JOIN document_all d ON d.id = l.doc_id"
	  " WHERE l.start < 0 OR l.end < l.start OR l.end >= d.length ORDER BY d.id, l.n" },
	{ "line",
	  "SELECT printf('document ''%s'' line %d', d.name, l.n - 1), 'it is missing'"
	  " FROM document_all d JOIN line l ON l.doc_id = d.id"
	  " WHERE l.n > 1 AND NOT EXISTS (SELECT 1 FROM line p WHERE p.doc_id = l.doc_id AND p.n = l.n - 1)"
	  " ORDER BY d.id, l.n" },
	{ "line",
	  "SELECT printf('document ''%s'' line %d', d.name, l.n), printf('it lies in turn %d, which does not exist', l.turn_n)"
	  " FROM line l JOIN document_all d ON d.id = l.doc_id WHERE l.turn_n IS NOT NULL AND NOT EXISTS"
	  " (SELECT 1 FROM turn t WHERE t.doc_id = l.doc_id AND t.n = l.turn_n) ORDER BY d.id, l.n" },
	{ "turn",
	  "SELECT printf('document ''%s'' turn %d', d.name, t.n),"
	  " printf('its span [%d, %d) or lines %d-%d lie outside the text (%d code points, %d lines)',"
	  " t.start, t.end, t.line_first, t.line_last, d.length, d.lines) FROM turn t JOIN document_all d ON d.id = t.doc_id"
	  " WHERE t.start < 0 OR t.end > d.length OR t.start >= t.end OR t.line_first < 1 OR t.line_last > d.lines"
	  " OR t.line_first > t.line_last ORDER BY d.id, t.n" },
	{ "full-text index",
	  "SELECT printf('document ''%s'' line %d', d.name, l.n), 'it is not in the full-text index'"
	  " FROM line l JOIN document_all d ON d.id = l.doc_id WHERE l.end > l.start AND NOT EXISTS"
	  " (SELECT 1 FROM line_fts_docsize f WHERE f.id = l.id) ORDER BY d.id, l.n" },
	{ "full-text index",
	  "SELECT 'full-text row ' || f.id, 'it indexes no line' FROM line_fts_docsize f"
	  " WHERE NOT EXISTS (SELECT 1 FROM line l WHERE l.id = f.id AND l.end > l.start) ORDER BY f.id" },
};

static enum qda_status report(struct qda *h, qda_check_fn fn, void *ctx, long *n, const char *check,
                              const char *where, const char *problem)
{
	struct qda_check_row r = { check, where, problem };
	(*n)++;
	if (fn && fn(ctx, &r))
		return seterr(h, QDA_EINVAL, "stopped");
	return QDA_OK;
}

enum qda_status qda_check(struct qda *h, qda_check_fn fn, void *ctx, long *n_problems)
{
	size_t i;
	enum qda_status rc = QDA_OK;
	*n_problems = 0;
	for (i = 0; i < sizeof checks / sizeof checks[0] && rc == QDA_OK; i++) {
		sqlite3_stmt *st = prep(h, checks[i].sql);
		int r;
		if (!st)
			return QDA_EDB;
		while ((r = step_row(h, st, "check the project")) > 0 && rc == QDA_OK)
			rc = report(h, fn, ctx, n_problems, checks[i].check, (const char *)sqlite3_column_text(st, 0),
			            (const char *)sqlite3_column_text(st, 1));
		sqlite3_finalize(st);
		if (r < 0)
			return QDA_EDB;
	}
	if (rc != QDA_OK)
		return rc;
	/* FTS5's own check of its index (the external content has empty lines
	 * left out, so only the index's inner consistency: rank 0). It is an
	 * INSERT, refused on the read-only handle: a second connection runs it
	 * in a transaction rolled back (it writes nothing). A file that cannot
	 * be opened for writing skips it: the row checks above still ran. */
	if (h->path) {
		sqlite3 *db = NULL;
		int r = sqlite3_open_v2(h->path, &db, SQLITE_OPEN_READWRITE, NULL);
		if (r == SQLITE_OK)
			sqlite3_busy_timeout(db, 5000);
		if (r == SQLITE_OK && (r = sqlite3_exec(db, "BEGIN", NULL, NULL, NULL)) == SQLITE_OK) {
			r = sqlite3_exec(db, "INSERT INTO line_fts(line_fts, rank) VALUES ('integrity-check', 0)", NULL,
			                 NULL, NULL);
			if (r != SQLITE_OK) {
				int code = sqlite3_errcode(db);
				char msg[300];
				snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(db));
				if (code == SQLITE_CORRUPT || code == SQLITE_CORRUPT_VTAB)
					rc = report(h, fn, ctx, n_problems, "full-text index", "line_fts", msg);
				else
					rc = seterr(h, QDA_EDB, "check the full-text index: %s", msg);
			}
			sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		}
		sqlite3_close(db);
	}
	return rc;
}

enum qda_status qda_backup(struct qda *h, const char *path)
{
	struct stat a, b;
	sqlite3 *dst = NULL;
	sqlite3_backup *bk;
	char *tmp = NULL;
	int fd, rc;
	enum qda_status st = QDA_OK;

	if (stat(path, &b) == 0) {
		if (S_ISDIR(b.st_mode))
			return seterr_at(h, QDA_EINPUT, path, "is a directory; give the backup's file name");
		if (h->path && stat(h->path, &a) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return seterr_at(h, QDA_EINPUT, path, "is the project itself; give another file name");
	}
	if (!(tmp = malloc(strlen(path) + 16)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	sprintf(tmp, "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		st = seterr_at(h, QDA_EIO, path, "cannot write beside it: %s", strerror(errno));
		free(tmp);
		return st;
	}
	close(fd);
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		st = seterr_at(h, QDA_EIO, path, "cannot write it: %s", dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if (!(bk = sqlite3_backup_init(dst, "main", h->db, "main"))) {
		st = seterr_at(h, QDA_EIO, path, "cannot copy the project: %s", sqlite3_errmsg(dst));
		goto fail;
	}
	rc = sqlite3_backup_step(bk, -1);
	sqlite3_backup_finish(bk);
	if (rc != SQLITE_DONE || sqlite3_errcode(dst) != SQLITE_OK) {
		st = seterr_at(h, rc == SQLITE_BUSY || rc == SQLITE_LOCKED ? QDA_EDB : QDA_EIO, path,
		               "cannot copy the project: %s; nothing was written", sqlite3_errstr(rc == SQLITE_DONE ?
		               sqlite3_errcode(dst) : rc));
		goto fail;
	}
	if (sqlite3_close(dst) != SQLITE_OK) {
		dst = NULL;
		st = seterr_at(h, QDA_EIO, path, "cannot finish writing it; nothing was written");
		goto fail;
	}
	dst = NULL;
	if ((fd = open(tmp, O_RDONLY)) < 0 || fsync(fd) != 0 || close(fd) != 0 || chmod(tmp, 0600) != 0 ||
	    rename(tmp, path) != 0) {
		st = seterr_at(h, QDA_EIO, path, "cannot write it: %s; nothing was written", strerror(errno));
		goto fail;
	}
	free(tmp);
	return QDA_OK;
fail:
	if (dst)
		sqlite3_close(dst);
	unlink(tmp);
	free(tmp);
	return st;
}
