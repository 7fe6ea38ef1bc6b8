/* merge.c — bring a co-coder's project into this one: the other file is
 * attached read-only, documents are matched by the hash of their text, codes
 * by id, coders by name; nothing already here is added twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"

static long changes(struct qda *h)
{
	return (long)sqlite3_changes(h->db);
}

static enum qda_status run(struct qda *h, const char *sql, long *count)
{
	enum qda_status rc = exec(h, sql);
	if (rc == QDA_OK && count)
		*count += changes(h);
	return rc;
}

static enum qda_status report_documents(struct qda *h, struct qda_merge_report *rep, const char *other)
{
	sqlite3_stmt *st = prep(h,
		"SELECT o.name, (SELECT count(*) FROM o.coding c WHERE c.doc_id = o.id),"
		"       EXISTS (SELECT 1 FROM main.document m WHERE m.name = o.name),"
		"       EXISTS (SELECT 1 FROM main.document m WHERE m.text_hash = o.text_hash)"
		" FROM o.document o ORDER BY o.name");
	char loc[1200];
	if (!st)
		return QDA_EDB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		long n = sqlite3_column_int(st, 1);
		snprintf(loc, sizeof loc, "%s:%s", other, name);
		if (sqlite3_column_int(st, 3)) {
			rep->docs_matched++;
		} else if (sqlite3_column_int(st, 2)) {
			rep->docs_conflict++;
			rep->codings_skipped += n;
			warnf(h, loc, "a document named '%s' is here with different text; its %ld coding%s not merged "
			              "(import the other version under another name with --name to compare)",
			      name, n, n == 1 ? " was" : "s were");
		} else {
			rep->docs_missing++;
			rep->codings_skipped += n;
			warnf(h, loc, "document '%s' is not in this project; import it first, then merge again to bring "
			              "its %ld coding%s", name, n, n == 1 ? "" : "s");
		}
	}
	sqlite3_finalize(st);
	return QDA_OK;
}

enum qda_status qda_merge(struct qda *h, const char *other, const char *command, struct qda_merge_report *rep)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	struct stat sb;
	char *uri;
	long version = 0, before = 0;

	memset(rep, 0, sizeof *rep);
	struct stat self;
	if (stat(other, &sb) != 0 || !S_ISREG(sb.st_mode))
		return seterr_at(h, QDA_EINPUT, other, "no such project file; give the co-coder's .qda file");
	if (h->path && stat(h->path, &self) == 0 && self.st_dev == sb.st_dev && self.st_ino == sb.st_ino)
		return seterr_at(h, QDA_EINPUT, other, "is this project itself; give the co-coder's copy");
	/* Read-only: merging never writes to the co-coder's file. */
	uri = sqlite3_mprintf("file:%s?mode=ro", other);
	if (!uri)
		return seterr(h, QDA_ENOMEM, "out of memory");
	st = prep(h, "ATTACH DATABASE ? AS o");
	if (!st) {
		sqlite3_free(uri);
		return QDA_EDB;
	}
	bind_text(st, 1, uri);
	sqlite3_free(uri);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return seterr_at(h, QDA_EINPUT, other, "cannot open it: %s", sqlite3_errmsg(h->db));
	}
	sqlite3_finalize(st);
	st = prep(h, "PRAGMA o.user_version");
	if (st && sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!st || version == 0) {
		rc = seterr_at(h, QDA_EINPUT, other, "is not a qda project");
		goto detach;
	}
	if (version != qda_schema_version()) {
		rc = seterr_at(h, QDA_EINPUT, other, "was written with schema %ld, this qda has %d; open it once with this qda (e.g. qda -p %s log) to upgrade it",
		               version, qda_schema_version(), other);
		goto detach;
	}
	if ((rc = qda_begin(h, command)) != QDA_OK)
		goto detach;
	tx_bulk(h); /* undo finds its codings by log_id */
	if ((rc = report_documents(h, rep, other)) != QDA_OK)
		goto fail;
	/* Coders by name: the co-coder stays a distinct coder. */
	if ((rc = run(h, "INSERT INTO main.coder(guid, name, created) SELECT guid, name, created FROM o.coder"
	                 " WHERE name NOT IN (SELECT name FROM main.coder) AND guid NOT IN (SELECT guid FROM main.coder)",
	              &rep->coders_added)) != QDA_OK)
		goto fail;
	/* Codes the co-coder added (in vivo), under the parent of the same id;
	 * top-level ones first so children find their parent. */
	do {
		before = rep->nodes_added;
		rc = run(h,
		         "INSERT INTO main.node(guid, key, parent_id, kind, name, status, definition, include, exclude,"
		         " examples, keywords, patterns, color, position, retired, in_vivo)"
		         " SELECT n.guid, n.key, (SELECT m.id FROM main.node m WHERE m.key = p.key), n.kind, n.name, n.status,"
		         " n.definition, n.include, n.exclude, n.examples, n.keywords, n.patterns, n.color, n.position, n.retired, n.in_vivo"
		         " FROM o.node n LEFT JOIN o.node p ON p.id = n.parent_id"
		         " WHERE n.key NOT IN (SELECT key FROM main.node)"
		         " AND (p.id IS NULL OR p.key IN (SELECT key FROM main.node))"
		         " AND n.guid NOT IN (SELECT guid FROM main.node)",
		         &rep->nodes_added);
	} while (rc == QDA_OK && rep->nodes_added > before);
	if (rc != QDA_OK)
		goto fail;
	{
		long total = 0;
		sqlite3_stmt *c = prep(h, "SELECT count(*) FROM o.coding c JOIN o.document d ON d.id = c.doc_id"
		                          " WHERE d.text_hash IN (SELECT text_hash FROM main.document)");
		if (!c) {
			rc = QDA_EDB;
			goto fail;
		}
		if (sqlite3_step(c) == SQLITE_ROW)
			total = sqlite3_column_int(c, 0);
		sqlite3_finalize(c);
		if ((rc = run(h,
		              "INSERT OR IGNORE INTO main.coding_all(guid, doc_id, node_id, coder_id, start, end, line_first,"
		              " line_last, method, rule, memo, state, created, log_id)"
		              " SELECT c.guid, md.id, mn.id, mk.id, c.start, c.end, c.line_first, c.line_last, c.method,"
		              " c.rule, c.memo, c.state, c.created, (SELECT max(id) FROM main.log)"
		              " FROM o.coding c JOIN o.document d ON d.id = c.doc_id"
		              " JOIN main.document md ON md.text_hash = d.text_hash"
		              " JOIN o.node n ON n.id = c.node_id JOIN main.node mn ON mn.key = n.key"
		              " JOIN o.coder k ON k.id = c.coder_id JOIN main.coder mk ON mk.name = k.name",
		              &rep->codings_added)) != QDA_OK)
			goto fail;
		rep->codings_present = total - rep->codings_added;
	}
	/* Reviews and memos of codings that are now here, matched by GUID. */
	if ((rc = run(h,
	              "INSERT OR IGNORE INTO main.review(guid, coding_id, reviewer_id, verdict, comment, suggested_id,"
	              " previous_id, created)"
	              " SELECT r.guid, mc.id, mk.id, r.verdict, r.comment,"
	              " (SELECT m.id FROM main.node m JOIN o.node s ON s.key = m.key WHERE s.id = r.suggested_id),"
	              " (SELECT m.id FROM main.node m JOIN o.node s ON s.key = m.key WHERE s.id = r.previous_id), r.created"
	              " FROM o.review r JOIN o.coding c ON c.id = r.coding_id JOIN main.coding mc ON mc.guid = c.guid"
	              " JOIN o.coder k ON k.id = r.reviewer_id JOIN main.coder mk ON mk.name = k.name",
	              &rep->reviews_added)) != QDA_OK)
		goto fail;
	if ((rc = run(h,
	              "INSERT OR IGNORE INTO main.memo(guid, target_kind, doc_id, node_id, coding_id, case_id, coder_id,"
	              " title, text, created)"
	              " SELECT m.guid, m.target_kind,"
	              " (SELECT md.id FROM main.document md JOIN o.document_all d ON d.text_hash = md.text_hash WHERE d.id = m.doc_id),"
	              " (SELECT mn.id FROM main.node mn JOIN o.node n ON n.key = mn.key WHERE n.id = m.node_id),"
	              " (SELECT mc.id FROM main.coding_all mc JOIN o.coding_all c ON c.guid = mc.guid WHERE c.id = m.coding_id),"
	              " (SELECT mc.id FROM main.cases mc JOIN o.cases c ON c.name = mc.name WHERE c.id = m.case_id),"
	              " (SELECT mk.id FROM main.coder mk JOIN o.coder k ON k.name = mk.name WHERE k.id = m.coder_id),"
	              " m.title, m.text, m.created FROM o.memo m"
	              " WHERE m.target_kind IN ('project', 'journal')"
	              " OR EXISTS (SELECT 1 FROM main.coding_all mc JOIN o.coding_all c ON c.guid = mc.guid WHERE c.id = m.coding_id)"
	              " OR EXISTS (SELECT 1 FROM main.document md JOIN o.document_all d ON d.text_hash = md.text_hash WHERE d.id = m.doc_id)"
	              " OR EXISTS (SELECT 1 FROM main.node mn JOIN o.node n ON n.key = mn.key WHERE n.id = m.node_id)"
	              " OR EXISTS (SELECT 1 FROM main.cases mc JOIN o.cases c ON c.name = mc.name WHERE c.id = m.case_id)",
	              &rep->memos_added)) != QDA_OK)
		goto fail;
	{
		char summary[512];
		snprintf(summary, sizeof summary,
		         "merged %s: %ld codings added (%ld already here, %ld skipped), %ld coders, %ld codes, %ld reviews, %ld memos",
		         other, rep->codings_added, rep->codings_present, rep->codings_skipped, rep->coders_added,
		         rep->nodes_added, rep->reviews_added, rep->memos_added);
		rc = qda_commit(h, summary);
	}
	goto detach;
fail:
	qda_rollback(h);
detach:
	sqlite3_exec(h->db, "DETACH DATABASE o", NULL, NULL, NULL);
	return rc;
}
