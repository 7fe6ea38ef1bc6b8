/* reader.c — what a reader of the project in a browser needs beside the
 * listings: a document's whole text with its version (the SHA-256 a page
 * codes against), the version of a coding a page shows, and how many codings
 * each document has. Reads only; knows nothing of HTTP. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void qda_doc_text_free(struct qda_doc_text *d)
{
	if (!d)
		return;
	free(d->name);
	free(d->text);
	memset(d, 0, sizeof *d);
}

enum qda_status qda_doc_text(struct qda *h, const char *doc, struct qda_doc_text *d)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	long long id;
	int r;

	memset(d, 0, sizeof *d);
	if ((rc = doc_lookup(h, doc, &id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT name, text, text_hash, length FROM document WHERE id = ?")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	r = step_row(h, st, "read the document");
	if (r > 0) {
		const char *text = (const char *)sqlite3_column_text(st, 1);
		d->id = id;
		d->len = (size_t)sqlite3_column_bytes(st, 1);
		d->name = strdup((const char *)sqlite3_column_text(st, 0));
		d->text = malloc(d->len + 1);
		snprintf(d->hash, sizeof d->hash, "%s", (const char *)sqlite3_column_text(st, 2));
		d->length = sqlite3_column_int64(st, 3);
		if (!d->name || !d->text) {
			qda_doc_text_free(d);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		} else {
			memcpy(d->text, text, d->len);
			d->text[d->len] = '\0';
		}
	} else {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document '%s'", doc);
	}
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_coding_version(struct qda *h, long long id, char *version, size_t n, char *coder, size_t cn)
{
	/* what a page shows of a coding and acts on: its code, span, state,
	 * removal and the reviews it has had */
	sqlite3_stmt *st = prep(h, "SELECT c.node_id, c.start, c.end, c.state, c.removed_at IS NOT NULL,"
	                           " (SELECT count(*) FROM review r WHERE r.coding_id = c.id), k.name"
	                           " FROM coding_all c JOIN coder k ON k.id = c.coder_id WHERE c.id = ?");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	r = step_row(h, st, "read the coding");
	if (r > 0) {
		snprintf(version, n, "%lld.%lld.%lld.%s.%d.%lld", (long long)sqlite3_column_int64(st, 0),
		         (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2),
		         (const char *)sqlite3_column_text(st, 3), sqlite3_column_int(st, 4),
		         (long long)sqlite3_column_int64(st, 5));
		if (coder)
			snprintf(coder, cn, "%s", (const char *)sqlite3_column_text(st, 6));
	} else {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no coding %lld", id);
	}
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_doc_coding_counts(struct qda *h, const char *coder, qda_doc_count_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h, "SELECT d.name, count(c.id),"
	                           " count(CASE WHEN k.name = ? THEN 1 END)"
	                           " FROM document d LEFT JOIN coding c ON c.doc_id = d.id"
	                           " LEFT JOIN coder k ON k.id = c.coder_id"
	                           " GROUP BY d.id ORDER BY d.name");
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, coder);
	while ((r = step_row(h, st, "count the codings")) > 0)
		if (fn(ctx, (const char *)sqlite3_column_text(st, 0), (long)sqlite3_column_int64(st, 1),
		       (long)sqlite3_column_int64(st, 2)))
			break;
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}
