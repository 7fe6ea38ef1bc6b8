/* merge.c — bring a co-coder's copy of the project into this one. The copy is
 * attached read-only (its path percent-encoded into a file: URI, never
 * formatted into SQL); documents match by the hash of their text, coders by
 * GUID then name, and codes by GUID then id, following this project's
 * codebook history: a code merged here lands on its successor. What cannot
 * be mapped is named in the report, never dropped silently. Never prints. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "merge.h"

static enum qda_status nomem(struct qda *h)
{
	return seterr(h, QDA_ENOMEM, "out of memory");
}

enum qda_status merge_row_add(struct merge *m, const char *kind, const char *code, const char *detail)
{
	struct report_row *r;
	if (m->nrows == m->caprows) {
		size_t cap = m->caprows ? m->caprows * 2 : 16;
		if (!(r = realloc(m->rows, cap * sizeof *r)))
			return nomem(m->h);
		m->rows = r;
		m->caprows = cap;
	}
	r = &m->rows[m->nrows];
	r->kind = strdup(kind);
	r->code = strdup(code);
	r->detail = strdup(detail);
	m->nrows++;
	if (!r->kind || !r->code || !r->detail)
		return nomem(m->h);
	return QDA_OK;
}

/* ---- opening the copy ---- */

/* A file: URI naming path exactly: every byte but unreserved ones and '/'
 * percent-encoded, so '#', '?', '%' and '&' in a name stay part of it. */
static char *file_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	struct buf b = { 0 };
	const unsigned char *s;
	int r = buf_adds(&b, path[0] == '/' ? "file://" : "file:");
	for (s = (const unsigned char *)path; !r && *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr("/-._~", *s))
			r = buf_addc(&b, (char)*s);
		else
			r = buf_addc(&b, '%') || buf_addc(&b, hex[*s >> 4]) || buf_addc(&b, hex[*s & 15]);
	}
	if (r || buf_adds(&b, "?mode=ro")) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

/* s as one shell word: quoted when it holds anything but safe characters. */
static int shell_word(struct buf *b, const char *s)
{
	const char *p;
	int plain = *s != '\0';
	for (p = s; *p && plain; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      strchr("/-._+,:@%=", *p)))
			plain = 0;
	if (plain)
		return buf_adds(b, s);
	if (buf_addc(b, '\''))
		return -1;
	for (p = s; *p; p++)
		if (*p == '\'' ? buf_adds(b, "'\\''") : buf_addc(b, *p))
			return -1;
	return buf_addc(b, '\'');
}

/* The message for a copy written by an older qda: merge only reads the
 * copy, so it cannot upgrade it; an upgraded copy of it can be merged. */
static enum qda_status older(struct qda *h, const char *other, long version)
{
	struct buf up = { 0 }, b = { 0 };
	size_t len = strlen(other);
	enum qda_status rc;
	int r = buf_add(&up, other, len > 4 && strcmp(other + len - 4, ".qda") == 0 ? len - 4 : len) ||
	        buf_addf(&up, "-v%d.qda", qda_schema_version());
	r = r || buf_adds(&b, "cp ") || shell_word(&b, other) || buf_addc(&b, ' ') || shell_word(&b, up.s) ||
	    buf_adds(&b, " && qda -p ") || shell_word(&b, up.s) || buf_adds(&b, " status && qda merge ") ||
	    shell_word(&b, up.s);
	if (r)
		rc = nomem(h);
	else
		rc = seterr_at(h, QDA_EINPUT, other,
		               "was written by an older qda (schema %ld, this one has %d) and merge only reads it, so it "
		               "is not upgraded here; upgrade a copy, then merge that: %s",
		               version, qda_schema_version(), b.s);
	buf_free(&up);
	buf_free(&b);
	return rc;
}

static enum qda_status attach(struct qda *h, const char *other)
{
	struct stat sb, self;
	sqlite3_stmt *st;
	char *uri;
	long long version = 0;
	enum qda_status rc = QDA_OK;

	if (stat(other, &sb) != 0 || !S_ISREG(sb.st_mode))
		return seterr_at(h, QDA_EINPUT, other, "no such project file; give the co-coder's .qda file");
	if (h->path && stat(h->path, &self) == 0 && self.st_dev == sb.st_dev && self.st_ino == sb.st_ino)
		return seterr_at(h, QDA_EINPUT, other, "is this project itself; give the co-coder's copy");
	/* Read-only: merging never writes to the co-coder's file. */
	if (!(uri = file_uri(other)))
		return nomem(h);
	if (!(st = prep(h, "ATTACH DATABASE ? AS o"))) {
		free(uri);
		return QDA_EDB;
	}
	bind_text(st, 1, uri);
	free(uri);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_finalize(st);
		return seterr_at(h, QDA_EINPUT, other, "cannot open it: %s", sqlite3_errmsg(h->db));
	}
	sqlite3_finalize(st);
	/* the project is opened with SQLITE_OPEN_URI (store.c), so the URI is
	 * one; check it all the same rather than risk a write */
	if (sqlite3_db_readonly(h->db, "o") != 1) {
		rc = seterr_at(h, QDA_EINPUT, other, "cannot open it read-only");
		goto detach;
	}
	if (query_int(h, "PRAGMA o.user_version", 0, &version) != QDA_OK) {
		rc = seterr_at(h, QDA_EINPUT, other, "cannot open it: %s", sqlite3_errmsg(h->db));
		goto detach;
	}
	if (version == 0)
		rc = seterr_at(h, QDA_EINPUT, other, "is not a qda project");
	else if (version < qda_schema_version())
		rc = older(h, other, (long)version);
	else if (version > qda_schema_version())
		rc = seterr_at(h, QDA_EINPUT, other, "was written by a newer qda (schema %lld, this one has %d); upgrade qda, "
		               "then merge again", version, qda_schema_version());
	if (rc == QDA_OK)
		return QDA_OK;
detach:
	sqlite3_exec(h->db, "DETACH DATABASE o", NULL, NULL, NULL);
	return rc;
}

/* ---- the copy, read as an adversary could have written it ---- */

static const char damaged[] = "the copy is damaged or was not written by qda, and nothing was merged";

/* Every table and view a qda project has must be the same kind of object in
 * the copy: a view (or anything else) named like a table could make up the
 * rows merge reads. */
static enum qda_status check_objects(struct qda *h, const char *other)
{
	sqlite3_stmt *st = prep(h,
		"SELECT m.name, m.type, coalesce(c.type, 'missing object') FROM main.sqlite_schema m"
		" LEFT JOIN o.sqlite_schema c ON c.name = m.name"
		" WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
		"   AND c.type IS NOT m.type ORDER BY m.name LIMIT 1");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	if ((r = step_row(h, st, "read the copy's schema")) > 0) {
		const char *type = (const char *)sqlite3_column_text(st, 2);
		rc = seterr_at(h, QDA_EINPUT, other, "'%s' is a%s %s there where a qda project has a %s; the copy was not "
		               "written by qda, and nothing was merged", (const char *)sqlite3_column_text(st, 0),
		               strchr("aeiou", type[0]) ? "n" : "", type, (const char *)sqlite3_column_text(st, 1));
	} else if (r < 0) {
		rc = QDA_EDB;
	}
	sqlite3_finalize(st);
	return rc;
}

/* The spans and lines of the copy's codings on documents matched here are
 * whole numbers inside the document (its length and line count here: the
 * text is the same, by its hash). */
static enum qda_status check_codings(struct qda *h, const char *other)
{
	sqlite3_stmt *st = prep(h,
		"SELECT oc.guid, quote(oc.start), quote(oc.end), quote(oc.line_first), quote(oc.line_last), md.name,"
		"       md.length, md.lines,"
		"       CASE WHEN typeof(oc.start) <> 'integer' OR typeof(oc.end) <> 'integer' THEN 1"
		"            WHEN oc.start < 0 OR oc.end > md.length THEN 2"
		"            WHEN oc.end <= oc.start THEN 3"
		"            WHEN typeof(oc.line_first) <> 'integer' OR typeof(oc.line_last) <> 'integer'"
		"              OR oc.line_first < 1 OR oc.line_last < oc.line_first OR oc.line_last > md.lines THEN 4"
		"       END AS wrong"
		" FROM o.coding_all oc JOIN o.document_all od ON od.id = oc.doc_id"
		" JOIN main.document md ON md.text_hash = od.text_hash"
		" WHERE wrong IS NOT NULL ORDER BY oc.id LIMIT 1");
	enum qda_status rc = QDA_OK;
	char loc[1200];
	int r;
	if (!st)
		return QDA_EDB;
	if ((r = step_row(h, st, "read the copy's codings")) > 0) {
		const char *guid = (const char *)sqlite3_column_text(st, 0);
		const char *a = (const char *)sqlite3_column_text(st, 1), *b = (const char *)sqlite3_column_text(st, 2);
		const char *doc = (const char *)sqlite3_column_text(st, 5);
		long long len = sqlite3_column_int64(st, 6), lines = sqlite3_column_int64(st, 7);
		snprintf(loc, sizeof loc, "%s: coding_all %s", other, guid ? guid : "(no GUID)");
		switch (sqlite3_column_int(st, 8)) {
		case 1:
			rc = seterr_at(h, QDA_EINPUT, loc, "its span [%s, %s) is not two whole numbers; %s", a, b, damaged);
			break;
		case 2:
			rc = seterr_at(h, QDA_EINPUT, loc, "its span [%s, %s) is not inside document '%s' (%lld characters); %s",
			               a, b, doc, len, damaged);
			break;
		case 3:
			rc = seterr_at(h, QDA_EINPUT, loc, "its span [%s, %s) is empty; %s", a, b, damaged);
			break;
		default:
			rc = seterr_at(h, QDA_EINPUT, loc, "its lines %s-%s are not inside document '%s' (%lld lines); %s",
			               (const char *)sqlite3_column_text(st, 3), (const char *)sqlite3_column_text(st, 4), doc,
			               lines, damaged);
		}
	} else if (r < 0) {
		rc = QDA_EDB;
	}
	sqlite3_finalize(st);
	return rc;
}

/* ---- documents ---- */

static enum qda_status report_documents(struct qda *h, struct qda_merge_report *rep, const char *other)
{
	sqlite3_stmt *st = prep(h,
		"SELECT o.name, (SELECT count(*) FROM o.coding c WHERE c.doc_id = o.id),"
		"       EXISTS (SELECT 1 FROM main.document m WHERE m.name = o.name),"
		"       EXISTS (SELECT 1 FROM main.document m WHERE m.text_hash = o.text_hash)"
		" FROM o.document o ORDER BY o.name");
	char loc[1200];
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(h, st, "read the copy's documents")) > 0) {
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
	return r < 0 ? QDA_EDB : QDA_OK;
}

/* Codings the copy removed that are current here. They stay: the lead
 * decides, and each is named with the command that removes it. Codings the
 * copy folded into another by a theme merge are left to its copy-removed
 * row. */
static enum qda_status uncoded_rows(struct merge *m)
{
	sqlite3_stmt *st = prep(m->h,
		"SELECT mc.id, mn.key, md.name, mc.line_first, mc.line_last, mk.name, coalesce(oc.removed_why, ''),"
		" coalesce(ok.name, '')"
		" FROM o.coding_all oc JOIN main.coding mc ON mc.guid = oc.guid"
		" JOIN main.node mn ON mn.id = mc.node_id JOIN main.document md ON md.id = mc.doc_id"
		" JOIN main.coder mk ON mk.id = mc.coder_id LEFT JOIN o.coder ok ON ok.id = oc.removed_by"
		" WHERE oc.removed_at IS NOT NULL AND oc.removed_why IS NOT 'merged' ORDER BY mc.id");
	struct buf d = { 0 };
	enum qda_status rc = QDA_OK;
	int r;

	if (!st)
		return QDA_EDB;
	while (rc == QDA_OK && (r = step_row(m->h, st, "read the copy's codings")) > 0) {
		long long id = sqlite3_column_int64(st, 0);
		long first = (long)sqlite3_column_int64(st, 3), lastl = (long)sqlite3_column_int64(st, 4);
		const char *why = (const char *)sqlite3_column_text(st, 6), *by = (const char *)sqlite3_column_text(st, 7);
		d.len = 0;
		if (buf_addf(&d, "coding %lld (%s line%s %ld", id, (const char *)sqlite3_column_text(st, 2),
		             first == lastl ? "" : "s", first) ||
		    (first != lastl && buf_addf(&d, "-%ld", lastl)) ||
		    buf_addf(&d, ", %s) removed in the copy (%s%s%s), current here: qda uncode %lld removes it",
		             (const char *)sqlite3_column_text(st, 5), *why ? why : "removed", *by ? ", by " : "", by, id))
			rc = nomem(m->h);
		else
			rc = merge_row_add(m, "copy-uncoded", (const char *)sqlite3_column_text(st, 1), d.s);
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	buf_free(&d);
	sqlite3_finalize(st);
	return rc;
}

/* ---- writing ---- */

static enum qda_status run(struct qda *h, const char *sql, long *count)
{
	enum qda_status rc = exec(h, sql);
	if (rc == QDA_OK && count)
		*count += (long)sqlite3_changes(h->db);
	return rc;
}

/* Coders by GUID, then by name: the co-coder stays a distinct coder. */
static enum qda_status merge_coders(struct merge *m)
{
	enum qda_status rc;
	if ((rc = run(m->h, "INSERT INTO main.coder(guid, name, created) SELECT guid, name, created FROM o.coder k"
	                    " WHERE NOT EXISTS (SELECT 1 FROM main.coder x WHERE x.guid = k.guid OR x.name = k.name)"
	                    " ORDER BY id",
	              &m->rep->coders_added)) != QDA_OK)
		return rc;
	return exec(m->h, "INSERT INTO temp.merge_coder(o_id, m_id) SELECT k.id,"
	                  " coalesce((SELECT x.id FROM main.coder x WHERE x.guid = k.guid),"
	                  "          (SELECT x.id FROM main.coder x WHERE x.name = k.name)) FROM o.coder k");
}

static enum qda_status merge_codings(struct merge *m)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	long long total = 0;

	if ((rc = query_int(m->h, "SELECT count(*) FROM o.coding c JOIN o.document d ON d.id = c.doc_id"
	                          " WHERE d.text_hash IN (SELECT text_hash FROM main.document)",
	                    0, &total)) != QDA_OK)
		return rc;
	/* A review applied in the copy kept the original, removed as revised:
	 * it is the coder's own work, which agreement reads, so it comes as it
	 * is there (removed), before the revision that refers to it. */
	if (!(st = prep(m->h, "INSERT OR IGNORE INTO main.coding_all(guid, doc_id, node_id, coder_id, start, end,"
	                      " line_first, line_last, method, rule, memo, state, created, log_id, removed_at, removed_by,"
	                      " removed_why)"
	                      " SELECT c.guid, md.id, mn.m_id, mk.m_id, c.start, c.end, c.line_first, c.line_last,"
	                      " c.method, c.rule, c.memo, c.state, c.created, ?, c.removed_at, rb.m_id, c.removed_why"
	                      " FROM o.coding_all c JOIN o.document d ON d.id = c.doc_id"
	                      " JOIN main.document md ON md.text_hash = d.text_hash"
	                      " JOIN temp.merge_node mn ON mn.o_id = c.node_id"
	                      " JOIN temp.merge_coder mk ON mk.o_id = c.coder_id"
	                      " LEFT JOIN temp.merge_coder rb ON rb.o_id = c.removed_by"
	                      " WHERE c.removed_at IS NOT NULL AND c.removed_why = 'revised' ORDER BY c.id")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, tx_log_id(m->h));
	rc = step_done(m->h, st);
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		return rc;
	/* the view: codings removed in the copy never come back as current */
	if (!(st = prep(m->h, "INSERT OR IGNORE INTO main.coding_all(guid, doc_id, node_id, coder_id, start, end,"
	                      " line_first, line_last, method, rule, memo, state, created, log_id, revision_of, revised_by)"
	                      " SELECT c.guid, md.id, mn.m_id, mk.m_id, c.start, c.end, c.line_first, c.line_last,"
	                      " c.method, c.rule, c.memo, c.state, c.created, ?,"
	                      " (SELECT x.id FROM main.coding_all x JOIN o.coding_all y ON y.guid = x.guid"
	                      "  WHERE y.id = c.revision_of), rv.m_id"
	                      " FROM o.coding c JOIN o.document d ON d.id = c.doc_id"
	                      " JOIN main.document md ON md.text_hash = d.text_hash"
	                      " JOIN temp.merge_node mn ON mn.o_id = c.node_id"
	                      " JOIN temp.merge_coder mk ON mk.o_id = c.coder_id"
	                      " LEFT JOIN temp.merge_coder rv ON rv.o_id = c.revised_by ORDER BY c.id")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, tx_log_id(m->h));
	rc = step_done(m->h, st);
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		return rc;
	m->rep->codings_added = (long)sqlite3_changes(m->h->db);
	if ((rc = merge_code_rows(m)) != QDA_OK)
		return rc;
	m->rep->codings_skipped += m->conflict_skipped;
	m->rep->codings_present = (long)total - m->rep->codings_added - m->conflict_skipped;
	return QDA_OK;
}

/* Reviews of codings that are here (current or not), and memos whose
 * target is here, matched by GUID; codes through the mapping. */
static enum qda_status merge_notes(struct merge *m)
{
	enum qda_status rc;
	if ((rc = run(m->h,
	              "INSERT OR IGNORE INTO main.review(guid, coding_id, reviewer_id, verdict, comment, suggested_id,"
	              " previous_id, created)"
	              " SELECT r.guid, mc.id, mk.m_id, r.verdict, r.comment, ms.m_id, mp.m_id, r.created"
	              " FROM o.review r JOIN o.coding_all c ON c.id = r.coding_id"
	              " JOIN main.coding_all mc ON mc.guid = c.guid JOIN temp.merge_coder mk ON mk.o_id = r.reviewer_id"
	              " LEFT JOIN temp.merge_node ms ON ms.o_id = r.suggested_id"
	              " LEFT JOIN temp.merge_node mp ON mp.o_id = r.previous_id ORDER BY r.id",
	              &m->rep->reviews_added)) != QDA_OK)
		return rc;
	return run(m->h,
	           "INSERT OR IGNORE INTO main.memo(guid, target_kind, doc_id, node_id, coding_id, case_id, coder_id,"
	           " title, text, created)"
	           " SELECT * FROM (SELECT m.guid, m.target_kind,"
	           " (SELECT md.id FROM main.document md JOIN o.document_all d ON d.text_hash = md.text_hash"
	           "  WHERE d.id = m.doc_id) AS doc_id,"
	           " (SELECT mn.m_id FROM temp.merge_node mn WHERE mn.o_id = m.node_id) AS node_id,"
	           " (SELECT mc.id FROM main.coding_all mc JOIN o.coding_all c ON c.guid = mc.guid"
	           "  WHERE c.id = m.coding_id) AS coding_id,"
	           " (SELECT mc.id FROM main.cases mc JOIN o.cases c ON c.name = mc.name WHERE c.id = m.case_id) AS case_id,"
	           " (SELECT mk.m_id FROM temp.merge_coder mk WHERE mk.o_id = m.coder_id),"
	           " m.title, m.text, m.created FROM o.memo m ORDER BY m.id) x"
	           " WHERE x.target_kind IN ('project', 'journal')"
	           " OR coalesce(x.doc_id, x.node_id, x.coding_id, x.case_id) IS NOT NULL",
	           &m->rep->memos_added);
}

static void merge_free(struct merge *m)
{
	size_t i;
	merge_codes_free(m);
	for (i = 0; i < m->nrows; i++) {
		free(m->rows[i].kind);
		free(m->rows[i].code);
		free(m->rows[i].detail);
	}
	free(m->rows);
}

enum qda_status qda_merge(struct qda *h, const char *other, const char *command, int dry_run, qda_merge_row_fn fn,
                          void *ctx, struct qda_merge_report *rep)
{
	struct merge m;
	enum qda_status rc;
	size_t i;

	memset(rep, 0, sizeof *rep);
	memset(&m, 0, sizeof m);
	m.h = h;
	m.other = other;
	m.rep = rep;
	if ((rc = attach(h, other)) != QDA_OK)
		return rc;
	if ((rc = check_objects(h, other)) != QDA_OK || (rc = check_codings(h, other)) != QDA_OK)
		goto detach;
	if ((rc = qda_begin(h, command)) != QDA_OK)
		goto detach;
	tx_bulk(h); /* undo finds its codings by log_id */
	/* the mappings live in temp tables of this transaction */
	if ((rc = exec(h, "CREATE TEMP TABLE merge_node(o_id INTEGER PRIMARY KEY, m_id INTEGER NOT NULL);"
	                  "CREATE TEMP TABLE merge_coder(o_id INTEGER PRIMARY KEY, m_id INTEGER NOT NULL)")) != QDA_OK ||
	    (rc = report_documents(h, rep, other)) != QDA_OK || (rc = merge_coders(&m)) != QDA_OK ||
	    (rc = merge_codes(&m)) != QDA_OK || (rc = merge_codings(&m)) != QDA_OK || (rc = merge_notes(&m)) != QDA_OK ||
	    (rc = merge_copy_rows(&m)) != QDA_OK || (rc = uncoded_rows(&m)) != QDA_OK ||
	    (rc = exec(h, "DROP TABLE temp.merge_node; DROP TABLE temp.merge_coder")) != QDA_OK)
		goto fail;
	if (dry_run) {
		qda_rollback(h);
	} else {
		char summary[1536];
		snprintf(summary, sizeof summary,
		         "merged %s: %ld codings added (%ld already here, %ld skipped), %ld coders, %ld codes added, "
		         "%ld mapped, %ld in conflict, %ld reviews, %ld memos",
		         other, rep->codings_added, rep->codings_present, rep->codings_skipped, rep->coders_added,
		         rep->nodes_added, rep->nodes_mapped, rep->nodes_conflict, rep->reviews_added, rep->memos_added);
		if ((rc = qda_commit(h, summary)) != QDA_OK)
			goto detach;
	}
	/* the report once the outcome is sure: nothing is named that did not happen */
	for (i = 0; fn && i < m.nrows; i++) {
		struct qda_merge_row r = { m.rows[i].kind, m.rows[i].code, m.rows[i].detail };
		if (fn(ctx, &r))
			break;
	}
	goto detach;
fail:
	qda_rollback(h);
detach:
	sqlite3_exec(h->db, "DETACH DATABASE o", NULL, NULL, NULL);
	merge_free(&m);
	return rc;
}
