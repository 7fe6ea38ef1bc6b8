/* report.c — what the phase-6 report needs beyond the counts: the methods
 * facts (documents, words, coders, codebook version, review) and exemplar
 * quotes, chosen or the most-coded passages. Read-only but for exemplars. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static long one(struct qda *h, const char *sql)
{
	sqlite3_stmt *st = prep(h, sql);
	long v = 0;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void text_of(struct qda *h, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st = prep(h, sql);
	out[0] = '\0';
	if (st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

enum qda_status qda_report_facts(struct qda *h, struct qda_report_facts *f)
{
	memset(f, 0, sizeof *f);
	f->documents = one(h, "SELECT count(*) FROM document");
	f->words = one(h, "SELECT coalesce(sum(words), 0) FROM document");
	f->cases = one(h, "SELECT count(DISTINCT case_id) FROM document");
	f->codings = one(h, "SELECT count(*) FROM coding");
	f->coders = one(h, "SELECT count(DISTINCT coder_id) FROM coding");
	f->themes = one(h, "SELECT count(*) FROM node WHERE parent_id IS NULL AND retired = 0");
	f->subthemes = one(h, "SELECT count(*) FROM node WHERE kind = 'subtheme' AND retired = 0");
	f->codes = one(h, "SELECT count(*) FROM node WHERE kind = 'code' AND retired = 0");
	f->codebook_version = one(h, "SELECT count(*) FROM codebook_version");
	f->reviewed = one(h, "SELECT count(DISTINCT coding_id) FROM review");
	f->accepted = one(h, "SELECT count(*) FROM coding WHERE state = 'accepted'");
	f->disputed = one(h, "SELECT count(*) FROM coding WHERE state = 'disputed'");
	f->revised = one(h, "SELECT count(*) FROM coding WHERE state = 'revised'");
	text_of(h, "SELECT substr(created, 1, 10) FROM codebook_version ORDER BY id DESC LIMIT 1", f->codebook_date,
	        sizeof f->codebook_date);
	text_of(h, "SELECT title FROM codebook_version WHERE title IS NOT NULL ORDER BY id DESC LIMIT 1", f->title,
	        sizeof f->title);
	text_of(h, "SELECT description FROM codebook_version WHERE description IS NOT NULL ORDER BY id DESC LIMIT 1",
	        f->description, sizeof f->description);
	text_of(h, "SELECT group_concat(name || ' (' || n || ')', ', ') FROM (SELECT k.name, count(*) AS n FROM coding c"
	           " JOIN coder k ON k.id = c.coder_id GROUP BY k.id ORDER BY n DESC, k.name)",
	        f->coder_list, sizeof f->coder_list);
	text_of(h, "SELECT group_concat(format || ' ' || n, ', ') FROM (SELECT format, count(*) AS n FROM document"
	           " GROUP BY format ORDER BY n DESC, format)",
	        f->formats, sizeof f->formats);
	f->docs_coded = one(h, "SELECT count(DISTINCT doc_id) FROM coding");
	f->memos = one(h, "SELECT count(*) FROM memo WHERE target_kind != 'journal'");
	f->journal = one(h, "SELECT count(*) FROM memo WHERE target_kind = 'journal'");
	f->exemplars = one(h, "SELECT count(*) FROM exemplar");
	f->auto_codings = one(h, "SELECT count(*) FROM coding WHERE method = 'auto'");
	f->nodes_candidate = one(h, "SELECT count(*) FROM node WHERE kind != 'code' AND retired = 0 AND status = 'candidate'");
	f->nodes_reviewed = one(h, "SELECT count(*) FROM node WHERE kind != 'code' AND retired = 0 AND status = 'reviewed'");
	f->nodes_defined = one(h, "SELECT count(*) FROM node WHERE kind != 'code' AND retired = 0 AND status = 'defined'");
	if (!f->title[0])
		snprintf(f->title, sizeof f->title, "Thematic analysis");
	return QDA_OK;
}

enum qda_status qda_exemplar_set(struct qda *h, long long coding_id, int remove)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	st = prep(h, "SELECT 1 FROM coding WHERE id = ?");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return seterr(h, QDA_ENOTFOUND, "no coding %lld; 'qda codings' lists them", coding_id);
	}
	sqlite3_finalize(st);
	st = prep(h, remove ? "DELETE FROM exemplar WHERE coding_id = ?"
	                    : "INSERT OR IGNORE INTO exemplar(coding_id) VALUES (?)");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_exemplars(struct qda *h, const char *node, int n, qda_exemplar_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	long long id;
	long long seen_docs[64];
	int shown = 0, nseen = 0, step;

	if ((rc = node_find(h, node, &id)) != QDA_OK)
		return rc;
	/* Chosen exemplars first; then codings ranked by how many codings of the
	 * theme overlap them (a passage coders agree on is a good quote). */
	st = prep(h,
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT node.id FROM node JOIN sub ON node.parent_id = sub.id),"
		" cand AS (SELECT c.*, EXISTS (SELECT 1 FROM exemplar e WHERE e.coding_id = c.id) AS chosen"
		"   FROM coding c WHERE c.node_id IN sub AND c.end - c.start <= 700)"
		" SELECT c.id, d.name, coalesce(cs.name, ''), coalesce(sp.name, ''),"
		"  coalesce((SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = 'role'), ''),"
		"  n.key, k.name, substr(d.text, c.start + 1, c.end - c.start), c.line_first, c.line_last, c.chosen, c.doc_id"
		" FROM cand c JOIN document d ON d.id = c.doc_id LEFT JOIN cases cs ON cs.id = d.case_id"
		" JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id"
		" LEFT JOIN turn t ON t.id = (SELECT id FROM turn WHERE doc_id = c.doc_id AND start <= c.start ORDER BY start DESC LIMIT 1)"
		" LEFT JOIN speaker sp ON sp.id = t.speaker_id"
		" WHERE c.chosen OR coalesce(sp.is_interviewer, 0) = 0"
		" ORDER BY c.chosen DESC,"
		"  (SELECT count(*) FROM coding o WHERE o.doc_id = c.doc_id AND o.start < c.end AND o.end > c.start"
		"     AND o.node_id IN sub) DESC, c.end - c.start DESC, c.id");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	while (shown < n && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct qda_exemplar_row r;
		long long doc = sqlite3_column_int64(st, 11);
		int k, dup = 0;
		r.chosen = sqlite3_column_int(st, 10);
		for (k = 0; k < nseen; k++)
			dup |= seen_docs[k] == doc;
		if (dup && !r.chosen)
			continue;
		if (nseen < 64)
			seen_docs[nseen++] = doc;
		r.coding_id = sqlite3_column_int64(st, 0);
		r.doc = (const char *)sqlite3_column_text(st, 1);
		r.case_name = (const char *)sqlite3_column_text(st, 2);
		r.speaker = (const char *)sqlite3_column_text(st, 3);
		r.role = (const char *)sqlite3_column_text(st, 4);
		r.code = (const char *)sqlite3_column_text(st, 5);
		r.coder = (const char *)sqlite3_column_text(st, 6);
		r.text = (const char *)sqlite3_column_text(st, 7);
		r.line_first = sqlite3_column_int(st, 8);
		r.line_last = sqlite3_column_int(st, 9);
		shown++;
		if (fn(ctx, &r))
			break;
	}
	sqlite3_finalize(st);
	return QDA_OK;
}
