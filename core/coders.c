/* coders.c — the coders of a project: who did what and when, names that
 * look like one person, renaming a coder and merging two. A coder's work is
 * never lost: a merge moves it, and a coding both made stays once. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Each coder's counts and activity in one pass per table: the subqueries
 * group first, so a million codings are read once, not once per coder.
 * Times are cut to the second: removals carry milliseconds, creations not. */
#define CODERS_SQL                                                                                                  \
	"WITH c AS (SELECT coder_id AS id, sum(removed_at IS NULL) AS codings, sum(removed_at IS NOT NULL) AS removed," \
	"           min(substr(created, 1, 19)) AS first, max(substr(created, 1, 19)) AS last"                          \
	"           FROM coding_all GROUP BY coder_id),"                                                                \
	" v AS (SELECT reviewer_id AS id, count(*) AS n, min(substr(created, 1, 19)) AS first,"                        \
	"       max(substr(created, 1, 19)) AS last FROM review GROUP BY reviewer_id),"                                 \
	" m AS (SELECT coder_id AS id, count(*) AS n, min(substr(created, 1, 19)) AS first,"                           \
	"       max(substr(created, 1, 19)) AS last FROM memo WHERE coder_id IS NOT NULL GROUP BY coder_id),"           \
	" act(id, first, last) AS ("                                                                                  \
	"   SELECT id, first, last FROM c UNION ALL SELECT id, first, last FROM v UNION ALL SELECT id, first, last FROM m" \
	"   UNION ALL SELECT id, substr(created, 1, 19), substr(created, 1, 19) FROM coder"                            \
	"   UNION ALL SELECT removed_by, min(substr(removed_at, 1, 19)), max(substr(removed_at, 1, 19))"               \
	"             FROM coding_all WHERE removed_by IS NOT NULL GROUP BY removed_by"                                 \
	"   UNION ALL SELECT coder_id, min(substr(imported, 1, 19)), max(substr(imported, 1, 19))"                     \
	"             FROM document_all WHERE coder_id IS NOT NULL GROUP BY coder_id"                                   \
	"   UNION ALL SELECT removed_by, min(substr(removed_at, 1, 19)), max(substr(removed_at, 1, 19))"               \
	"             FROM document_all WHERE removed_by IS NOT NULL GROUP BY removed_by"                               \
	"   UNION ALL SELECT coder_id, min(substr(created, 1, 19)), max(substr(created, 1, 19))"                       \
	"             FROM codebook_version WHERE coder_id IS NOT NULL GROUP BY coder_id),"                             \
	" a AS (SELECT id, min(first) AS first, max(last) AS last FROM act GROUP BY id)"                                \
	" SELECT k.name, coalesce(c.codings, 0), coalesce(c.removed, 0), coalesce(v.n, 0), coalesce(m.n, 0),"           \
	"        a.first || 'Z', a.last || 'Z', k.id"                                                                         \
	" FROM coder k LEFT JOIN c ON c.id = k.id LEFT JOIN v ON v.id = k.id LEFT JOIN m ON m.id = k.id"                \
	" LEFT JOIN a ON a.id = k.id ORDER BY lower(k.name), k.name"

struct known {
	char *name, *folded;
	long codings;
	long long id; /* creation order: on a tie the newer name goes */
};

static void known_free(struct known *v, size_t n)
{
	size_t i;
	for (i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].folded);
	}
	free(v);
}

/* Warn about each pair of coders that look like one person, with the
 * command that would merge them: the one with fewer codings goes into the
 * other (on a tie, the newer into the older). */
static enum qda_status warn_similar(struct qda *h, const struct known *v, size_t n)
{
	size_t i, j;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++) {
			const char *why = NULL;
			const struct known *from, *into;
			struct buf b = { 0 };
			if (strcmp(v[i].folded, v[j].folded) == 0)
				why = "the same name but for case and accents";
			else if (qda_text_cplen(v[i].folded, strlen(v[i].folded)) >= 4 &&
			         qda_text_cplen(v[j].folded, strlen(v[j].folded)) >= 4 &&
			         edit_distance(v[i].folded, v[j].folded) == 1)
				why = "one letter apart";
			if (!why)
				continue;
			if (v[i].codings != v[j].codings)
				from = v[i].codings < v[j].codings ? &v[i] : &v[j];
			else
				from = v[i].id > v[j].id ? &v[i] : &v[j];
			into = from == &v[i] ? &v[j] : &v[i];
			if (buf_adds(&b, "qda coder rename ") || buf_add_word(&b, from->name) || buf_addc(&b, ' ') ||
			    buf_add_word(&b, into->name) || buf_adds(&b, " --merge")) {
				buf_free(&b);
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			warnf(h, NULL, "coders '%s' and '%s' look like one person (%s); if so, make them one with: %s",
			      v[i].name, v[j].name, why, b.s);
			buf_free(&b);
		}
	}
	return QDA_OK;
}

enum qda_status qda_coders_list(struct qda *h, qda_coder_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL;
	struct known *v = NULL;
	size_t n = 0, cap = 0;
	enum qda_status rc = QDA_OK;
	int r, stop = 0;

	if (!(st = prep(h, CODERS_SQL)))
		return QDA_EDB;
	while ((r = step_row(h, st, "list the coders")) > 0) {
		struct qda_coder_row row;
		row.name = (const char *)sqlite3_column_text(st, 0);
		row.codings = sqlite3_column_int(st, 1);
		row.removed = sqlite3_column_int(st, 2);
		row.reviews = sqlite3_column_int(st, 3);
		row.memos = sqlite3_column_int(st, 4);
		row.first = (const char *)sqlite3_column_text(st, 5);
		row.last = (const char *)sqlite3_column_text(st, 6);
		if (n == cap) {
			struct known *nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof *nv);
			if (!nv) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			v = nv;
		}
		v[n].name = strdup(row.name);
		v[n].folded = qda_text_fold(row.name, strlen(row.name));
		v[n].codings = row.codings;
		v[n].id = sqlite3_column_int64(st, 7);
		if (!v[n].name || !v[n].folded) {
			free(v[n].name);
			free(v[n].folded);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		n++;
		if (!stop && fn(ctx, &row))
			stop = 1;
	}
	if (r < 0) {
		rc = QDA_EDB;
		goto out;
	}
	rc = warn_similar(h, v, n);
out:
	sqlite3_finalize(st);
	known_free(v, n);
	return rc;
}

/* The id of a coder by name; QDA_ENOTFOUND with the nearest names. */
static enum qda_status coder_find(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st;
	char *hint = NULL;
	long long any = 0;
	enum qda_status rc = coder_lookup(h, name, id);

	if (rc != QDA_ENOTFOUND)
		return rc;
	if (query_int(h, "SELECT count(*) FROM coder", 0, &any) != QDA_OK)
		return QDA_EDB;
	if (!any)
		return seterr(h, QDA_ENOTFOUND, "no coder '%s': nobody has coded in this project yet", name);
	if (!(st = prep(h, "SELECT name FROM coder ORDER BY name")))
		return QDA_EDB;
	rc = suggest_list(h, st, name, &hint);
	sqlite3_finalize(st);
	if (rc == QDA_OK)
		rc = *hint ? seterr(h, QDA_ENOTFOUND, "no coder '%s'; did you mean %s? (see qda coders)", name, hint)
		           : seterr(h, QDA_ENOTFOUND, "no coder '%s'; see qda coders", name);
	free(hint);
	return rc;
}

/* Run one UPDATE binding (to, from); *changed (may be NULL) the rows. */
static enum qda_status move_refs(struct qda *h, const char *sql, long long from, long long to, long *changed)
{
	sqlite3_stmt *st = prep(h, sql);
	enum qda_status rc;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, from);
	rc = step_done(h, st);
	if (rc == QDA_OK && changed)
		*changed = sqlite3_changes(h->db);
	sqlite3_finalize(st);
	return rc;
}

/* Make coder from one with coder into: the codings both made are kept once
 * (from's removed as merged, by the coder running the command), then every
 * reference to from moves to into and from goes. */
static enum qda_status merge_coders(struct qda *h, long long from, long long into, struct qda_coder_rename_result *r)
{
	static const char *const moves[] = {
		"UPDATE coding_all SET removed_by = ?1 WHERE removed_by = ?2",
		"UPDATE coding_all SET revised_by = ?1 WHERE revised_by = ?2",
		"UPDATE document_all SET coder_id = ?1 WHERE coder_id = ?2",
		"UPDATE document_all SET removed_by = ?1 WHERE removed_by = ?2",
		"UPDATE codebook_version SET coder_id = ?1 WHERE coder_id = ?2",
	};
	sqlite3_stmt *st = NULL, *st2 = NULL;
	long long by = 0, *dup = NULL, count = 0;
	size_t n = 0, cap = 0, i;
	enum qda_status rc = QDA_OK;
	int step;

	if (qda_coder(h) && (rc = coder_ensure(h, qda_coder(h), &by)) != QDA_OK)
		return rc;
	if (by == from)
		by = into;
	if ((rc = query_int(h, "SELECT count(*) FROM coding WHERE coder_id = ?", from, &count)) != QDA_OK)
		return rc;
	r->codings = (long)count;
	if (!(st = prep(h, "SELECT a.id FROM coding a JOIN coding b ON b.doc_id = a.doc_id AND b.node_id = a.node_id"
	                   " AND b.start = a.start AND b.end = a.end AND b.coder_id = ?2 WHERE a.coder_id = ?1")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, into);
	while ((step = step_row(h, st, "find the codings both coders made")) > 0) {
		if (n == cap) {
			long long *v = realloc(dup, (cap = cap ? cap * 2 : 64) * sizeof *v);
			if (!v) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			dup = v;
		}
		dup[n++] = sqlite3_column_int64(st, 0);
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < n && rc == QDA_OK; i++)
		rc = coding_remove(h, dup[i], by, "merged");
	r->duplicates = (long)n;
	/* a removed coding is outside the unique index: every one can move */
	if (rc == QDA_OK)
		rc = move_refs(h, "UPDATE coding_all SET coder_id = ?1 WHERE coder_id = ?2", from, into, NULL);
	if (rc == QDA_OK)
		rc = move_refs(h, "UPDATE review SET reviewer_id = ?1 WHERE reviewer_id = ?2", from, into, &r->reviews);
	if (rc == QDA_OK)
		rc = move_refs(h, "UPDATE memo SET coder_id = ?1 WHERE coder_id = ?2", from, into, &r->memos);
	for (i = 0; i < sizeof moves / sizeof moves[0] && rc == QDA_OK; i++)
		rc = move_refs(h, moves[i], from, into, NULL);
	if (rc == QDA_OK && !(st2 = prep(h, "DELETE FROM coder WHERE id = ?")))
		rc = QDA_EDB;
	if (rc == QDA_OK) {
		sqlite3_bind_int64(st2, 1, from);
		rc = step_done(h, st2);
	}
out:
	sqlite3_finalize(st2);
	sqlite3_finalize(st);
	free(dup);
	return rc;
}

enum qda_status qda_coder_rename(struct qda *h, const char *name, const char *new_name, int merge,
                                 struct qda_coder_rename_result *r)
{
	sqlite3_stmt *st;
	long long from = 0, into = 0;
	enum qda_status rc;
	char why[128];

	memset(r, 0, sizeof *r);
	if ((rc = coder_find(h, name, &from)) != QDA_OK)
		return rc;
	if (qda_coder_name_check(new_name, why, sizeof why) != QDA_OK)
		return seterr(h, QDA_EINPUT, "coder name '%s' %s; choose another", new_name, why);
	if (strcmp(name, new_name) == 0)
		return seterr(h, QDA_EINPUT, "coder %s is already named so; nothing changed", name);
	if ((rc = coder_lookup(h, new_name, &into)) != QDA_OK && rc != QDA_ENOTFOUND)
		return rc;
	if (into && !merge)
		return seterr(h, QDA_EEXIST,
		              "coder '%s' already exists; if %s and %s are one person, add --merge: %s's codings, "
		              "reviews and memos become %s's",
		              new_name, name, new_name, name, new_name);
	if (into) {
		r->merged = 1;
		return merge_coders(h, from, into, r);
	}
	if (!(st = prep(h, "UPDATE coder SET name = ? WHERE id = ?")))
		return QDA_EDB;
	bind_text(st, 1, new_name);
	sqlite3_bind_int64(st, 2, from);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}
