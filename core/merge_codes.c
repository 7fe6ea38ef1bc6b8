/* merge_codes.c — where each code of a co-coder's copy lands here: by GUID,
 * then id, following this project's codebook history (a code merged here
 * lands on its successor, through a chain of merges); a code the copy added
 * is added under where its parent lands; what cannot be mapped is a
 * conflict, named with what it leaves out. Never prints. */
#include <stdlib.h>
#include <string.h>

#include "merge.h"

static enum qda_status nomem(struct qda *h)
{
	return seterr(h, QDA_ENOMEM, "out of memory");
}

static char *col_dup(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return strdup(s ? s : "");
}

static const char *kind_word(const char *kind)
{
	return strcmp(kind, "subtheme") == 0 ? "sub-theme" : kind;
}

/* ---- the copy's codebook: its nodes and its own history ---- */

static enum qda_status load_nodes(struct merge *m)
{
	sqlite3_stmt *st = prep(m->h, "SELECT id, coalesce(parent_id, 0), guid, key, kind, name, retired FROM o.node"
	                              " ORDER BY id");
	size_t cap = 0;
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(m->h, st, "read the copy's codebook")) > 0) {
		struct onode *n;
		if (m->n == cap) {
			cap = cap ? cap * 2 : 64;
			if (!(n = realloc(m->v, cap * sizeof *n))) {
				sqlite3_finalize(st);
				return nomem(m->h);
			}
			m->v = n;
		}
		n = &m->v[m->n++];
		memset(n, 0, sizeof *n);
		n->id = sqlite3_column_int64(st, 0);
		n->parent = sqlite3_column_int64(st, 1);
		n->guid = col_dup(st, 2);
		n->key = col_dup(st, 3);
		n->kind = col_dup(st, 4);
		n->name = col_dup(st, 5);
		n->retired = sqlite3_column_int(st, 6);
		if (!n->guid || !n->key || !n->kind || !n->name) {
			sqlite3_finalize(st);
			return nomem(m->h);
		}
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

static long node_index(const struct merge *m, long long id)
{
	size_t lo = 0, hi = m->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < m->n && m->v[lo].id == id ? (long)lo : -1;
}

static long node_by_key(const struct merge *m, const char *key)
{
	size_t i;
	for (i = 0; i < m->n; i++)
		if (strcmp(m->v[i].key, key) == 0)
			return (long)i;
	return -1;
}

/* The copy's own codebook versions: from the first that this project does
 * not hold (same number, time, origin and changes) onwards. */
static enum qda_status load_copy_changes(struct merge *m)
{
	sqlite3_stmt *st = prep(m->h,
		"WITH own AS (SELECT coalesce(min(c.id), -1) AS fork FROM o.codebook_version c WHERE NOT EXISTS"
		"  (SELECT 1 FROM main.codebook_version v WHERE v.id = c.id AND v.created = c.created"
		"   AND v.origin = c.origin AND v.changes = c.changes))"
		" SELECT c.id, json_extract(e.value, '$.change'), json_extract(e.value, '$.id'),"
		"  json_extract(e.value, '$.detail')"
		" FROM own, o.codebook_version c, json_each(c.changes) e"
		" WHERE own.fork >= 0 AND c.id >= own.fork ORDER BY c.id, e.key");
	size_t cap = 0;
	int r;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(m->h, st, "read the copy's codebook history")) > 0) {
		struct ochange *c;
		if (m->nch == cap) {
			cap = cap ? cap * 2 : 32;
			if (!(c = realloc(m->ch, cap * sizeof *c))) {
				sqlite3_finalize(st);
				return nomem(m->h);
			}
			m->ch = c;
		}
		c = &m->ch[m->nch++];
		c->version = (long)sqlite3_column_int64(st, 0);
		c->change = col_dup(st, 1);
		c->id = col_dup(st, 2);
		c->detail = col_dup(st, 3);
		if (!c->change || !c->id || !c->detail) {
			sqlite3_finalize(st);
			return nomem(m->h);
		}
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

static int is_removal(const char *change)
{
	return strcmp(change, "merged") == 0 || strcmp(change, "removed") == 0 || strcmp(change, "retired") == 0;
}

/* The latest of the copy's own changes of a kind to a code: "renamed",
 * "moved", or "removal" (merged, removed or retired; a merge wins over the
 * removal recorded with it). NULL when the copy made none. */
static const struct ochange *copy_change(const struct merge *m, const char *key, const char *change)
{
	const struct ochange *best = NULL;
	size_t i;
	int removal = strcmp(change, "removal") == 0;
	for (i = 0; i < m->nch; i++) {
		const struct ochange *c = &m->ch[i];
		if (strcmp(c->id, key) || !(removal ? is_removal(c->change) : strcmp(c->change, change) == 0))
			continue;
		if (best && best->version == c->version && strcmp(best->change, "merged") == 0)
			continue;
		best = c;
	}
	return best;
}

/* ---- where a code of the copy lands here ---- */

struct here {
	long long id, parent;
	char *key, *kind, *name, *parent_key; /* NULL when not found */
	int retired;
};

static void here_free(struct here *n)
{
	free(n->key);
	free(n->kind);
	free(n->name);
	free(n->parent_key);
	memset(n, 0, sizeof *n);
}

/* The node here whose column (guid or key) is value; *found 0 when none. */
static enum qda_status here_by(struct qda *h, const char *column, const char *value, struct here *n, int *found)
{
	char sql[256];
	sqlite3_stmt *st;
	int r;
	here_free(n);
	snprintf(sql, sizeof sql,
	         "SELECT n.id, coalesce(n.parent_id, 0), n.key, n.kind, n.name, coalesce(p.key, ''), n.retired"
	         " FROM main.node n LEFT JOIN main.node p ON p.id = n.parent_id WHERE n.%s = ?",
	         column);
	if (!(st = prep(h, sql)))
		return QDA_EDB;
	bind_text(st, 1, value);
	*found = 0;
	if ((r = step_row(h, st, "read the codebook")) > 0) {
		*found = 1;
		n->id = sqlite3_column_int64(st, 0);
		n->parent = sqlite3_column_int64(st, 1);
		n->key = col_dup(st, 2);
		n->kind = col_dup(st, 3);
		n->name = col_dup(st, 4);
		n->parent_key = col_dup(st, 5);
		n->retired = sqlite3_column_int(st, 6);
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (*found && (!n->key || !n->kind || !n->name || !n->parent_key))
		return nomem(h);
	return QDA_OK;
}

enum outcome { NO_HISTORY, FOLLOWED, GONE };

/* Where a code that is no longer here (retired, or deleted) went, from this
 * project's codebook history: merges are followed, a chain of them too, to
 * a current code; a removal with no merge ends the search. */
static enum qda_status follow(struct merge *m, const char *key, struct onode *n, enum outcome *out)
{
	sqlite3_stmt *last = prep(m->h,
		"SELECT v.id, json_extract(e.value, '$.change'), json_extract(e.value, '$.detail')"
		" FROM main.codebook_version v, json_each(v.changes) e"
		" WHERE json_extract(e.value, '$.id') = ?"
		" AND json_extract(e.value, '$.change') IN ('merged', 'removed', 'retired')"
		" ORDER BY v.id DESC, json_extract(e.value, '$.change') = 'merged' DESC LIMIT 1");
	sqlite3_stmt *live = prep(m->h, "SELECT id FROM main.node WHERE key = ? AND retired = 0");
	char *k = strdup(key);
	enum qda_status rc = QDA_OK;
	int hops, r;

	*out = NO_HISTORY;
	if (!last || !live || !k) {
		rc = k ? QDA_EDB : nomem(m->h);
		goto out;
	}
	for (hops = 0; hops < 64; hops++) {
		const char *change, *detail;
		long version;
		if (hops > 0) {
			sqlite3_reset(live);
			bind_text(live, 1, k);
			if ((r = step_row(m->h, live, "read the codebook")) < 0) {
				rc = QDA_EDB;
				goto out;
			}
			if (r > 0) {
				n->target = sqlite3_column_int64(live, 0);
				if (!(n->target_key = strdup(k)))
					rc = nomem(m->h);
				*out = FOLLOWED;
				goto out;
			}
		}
		sqlite3_reset(last);
		bind_text(last, 1, k);
		if ((r = step_row(m->h, last, "read the codebook history")) < 0) {
			rc = QDA_EDB;
			goto out;
		}
		if (r == 0) {
			if (hops > 0) {
				*out = GONE;
				if (buf_addf(&n->why, ", which is no longer here"))
					rc = nomem(m->h);
			}
			goto out;
		}
		version = (long)sqlite3_column_int64(last, 0);
		change = (const char *)sqlite3_column_text(last, 1);
		detail = (const char *)sqlite3_column_text(last, 2);
		if (change && strcmp(change, "merged") == 0 && detail && strncmp(detail, "into ", 5) == 0) {
			char *next = strdup(detail + 5);
			if (!next || buf_addf(&n->why, hops ? ", then into %s (codebook version %ld)"
			                                     : "merged into %s here (codebook version %ld)",
			                      detail + 5, version)) {
				free(next);
				rc = nomem(m->h);
				goto out;
			}
			free(k);
			k = next;
			continue;
		}
		*out = GONE;
		if (buf_addf(&n->why, hops ? ", which was removed with no successor (codebook version %ld)"
		                           : "removed here with no successor (codebook version %ld)",
		             version))
			rc = nomem(m->h);
		goto out;
	}
	*out = GONE;
	if (buf_adds(&n->why, ", and so on in a loop"))
		rc = nomem(m->h);
out:
	free(k);
	sqlite3_finalize(last);
	sqlite3_finalize(live);
	return rc;
}

static enum qda_status resolve(struct merge *m, size_t i);

/* A code the copy added, and this project never had: added here, under
 * where the copy's parent lands. */
static enum qda_status add_node(struct merge *m, size_t i)
{
	struct onode *n = &m->v[i], *p = NULL;
	const char *kind = n->kind;
	sqlite3_stmt *st;
	enum qda_status rc;
	int r;

	if (n->parent) {
		long pi = node_index(m, n->parent);
		if (pi >= 0 && (rc = resolve(m, (size_t)pi)) != QDA_OK)
			return rc;
		p = pi >= 0 ? &m->v[pi] : NULL;
		if (!p || !p->target) {
			n->how = H_CONFLICT;
			n->always = 1;
			n->hint = "in the copy, move it under a current code (qda theme move %s --under CODE), then merge again";
			if (buf_addf(&n->why, "a %s the copy added, under %s, which is not merged here", kind_word(n->kind),
			             p ? p->key : "a code it lacks"))
				return nomem(m->h);
			return QDA_OK;
		}
	}
	/* the kind follows the place, as theme move does */
	if (p && strcmp(kind, "theme") == 0)
		kind = "subtheme";
	else if (!p)
		kind = "theme";
	if (!m->have_before) {
		if ((rc = cb_from_db(m->h, &m->before)) != QDA_OK)
			return rc;
		m->have_before = 1;
	}
	st = prep(m->h, "INSERT INTO main.node(guid, key, parent_id, kind, name, status, definition, include, exclude,"
	                " examples, keywords, patterns, color, position, in_vivo, created)"
	                " SELECT guid, key, ?2, ?3, name, status, definition, include, exclude, examples, keywords,"
	                " patterns, color, (SELECT coalesce(max(position) + 1, 0) FROM main.node WHERE parent_id IS ?2),"
	                " in_vivo, created FROM o.node WHERE id = ?1 RETURNING id");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, n->id);
	if (p)
		sqlite3_bind_int64(st, 2, p->target);
	bind_text(st, 3, kind);
	r = step_row(m->h, st, "add a code");
	if (r > 0)
		n->target = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r <= 0)
		return r < 0 ? QDA_EDB : dberr(m->h, "add a code");
	n->how = H_ADDED;
	m->rep->nodes_added++;
	if (!(n->target_key = strdup(n->key)))
		return nomem(m->h);
	if (!p)
		r = buf_addf(&n->why, "%s '%s' at the top", kind_word(kind), n->name);
	else if (strcmp(p->target_key, p->key) == 0)
		r = buf_addf(&n->why, "%s '%s' under %s", kind_word(kind), n->name, p->target_key);
	else
		r = buf_addf(&n->why, "%s '%s' under %s (under %s in the copy)", kind_word(kind), n->name, p->target_key,
		             p->key);
	return r ? nomem(m->h) : QDA_OK;
}

/* A code found here and current: say what differs, when this project
 * changed it (the copy's own renames and moves are reported apart). */
static enum qda_status same_node(struct merge *m, struct onode *n, const struct here *L)
{
	long long parent_here = 0;
	const char *copy_parent = "(top)";
	enum qda_status rc;
	int r = 0;

	n->target = L->id;
	if (!(n->target_key = strdup(L->key)))
		return nomem(m->h);
	if (n->parent) {
		long pi = node_index(m, n->parent);
		if (pi >= 0) {
			if ((rc = resolve(m, (size_t)pi)) != QDA_OK)
				return rc;
			parent_here = m->v[pi].target;
			copy_parent = m->v[pi].key;
		}
	}
	if (strcmp(L->key, n->key))
		r = buf_adds(&n->why, "the same code (GUID) under another id here");
	if (!r && strcmp(L->name, n->name) && !copy_change(m, n->key, "renamed"))
		r = buf_addf(&n->why, "%srenamed here, '%s' -> '%s'", n->why.len ? ", " : "", n->name, L->name);
	if (!r && L->parent != parent_here && !copy_change(m, n->key, "moved"))
		r = buf_addf(&n->why, "%smoved here, %s -> %s", n->why.len ? ", " : "", copy_parent,
		             L->parent ? L->parent_key : "(top)");
	if (r)
		return nomem(m->h);
	n->how = n->why.len ? H_MAPPED : H_SAME;
	return QDA_OK;
}

static enum qda_status resolve(struct merge *m, size_t i)
{
	struct onode *n = &m->v[i];
	struct here L;
	enum qda_status rc;
	enum outcome out;
	int found, by_guid = 1;

	/* a node being resolved is asked for again only when the copy's parents
	 * form a loop: its child then finds no parent here, a conflict */
	if (n->state)
		return QDA_OK;
	n->state = 1;
	memset(&L, 0, sizeof L);
	if ((rc = here_by(m->h, "guid", n->guid, &L, &found)) == QDA_OK && !found) {
		by_guid = 0;
		rc = here_by(m->h, "key", n->key, &L, &found);
	}
	if (rc != QDA_OK) {
		/* out of memory or a database error */
	} else if (found && !by_guid && strcmp(L.kind, n->kind)) {
		n->how = H_CONFLICT;
		n->always = 1;
		n->hint = "in the copy, give it another id (qda theme merge %s --into NEW-ID), then merge again";
		if (buf_addf(&n->why, "a %s in the copy, a %s here, made separately under the same id", kind_word(n->kind),
		             kind_word(L.kind)))
			rc = nomem(m->h);
	} else if (found && !L.retired) {
		rc = same_node(m, n, &L);
	} else if ((rc = follow(m, found ? L.key : n->key, n, &out)) != QDA_OK) {
		/* out of memory or a database error */
	} else if (out == FOLLOWED) {
		n->how = H_MAPPED;
	} else if (out == GONE || found) {
		n->how = H_CONFLICT;
		n->hint = "in the copy, merge it into a current code (qda theme merge %s --into CODE), then merge again";
		if (out != GONE && buf_adds(&n->why, "retired here with no successor"))
			rc = nomem(m->h);
	} else if (n->retired) {
		n->how = H_CONFLICT;
		n->hint = "in the copy, bring it back to the codebook or merge it into a current code, then merge again";
		if (buf_adds(&n->why, "retired in the copy, and not here"))
			rc = nomem(m->h);
	} else {
		rc = add_node(m, i);
	}
	n->state = 2;
	here_free(&L);
	return rc;
}

enum qda_status merge_codes(struct merge *m)
{
	sqlite3_stmt *st = NULL;
	enum qda_status rc;
	size_t i;

	if ((rc = load_nodes(m)) != QDA_OK || (rc = load_copy_changes(m)) != QDA_OK)
		return rc;
	for (i = 0; i < m->n; i++)
		if ((rc = resolve(m, i)) != QDA_OK)
			return rc;
	if (!(st = prep(m->h, "INSERT INTO temp.merge_node(o_id, m_id) VALUES (?, ?)")))
		return QDA_EDB;
	for (i = 0; i < m->n && rc == QDA_OK; i++) {
		if (!m->v[i].target)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, m->v[i].id);
		sqlite3_bind_int64(st, 2, m->v[i].target);
		rc = step_done(m->h, st);
	}
	sqlite3_finalize(st);
	/* codes added: a codebook version says so, as any codebook change does */
	if (rc == QDA_OK && m->have_before) {
		struct cb now = { 0 };
		struct cb_changes c = { 0 };
		char *origin = NULL;
		if ((rc = cb_from_db(m->h, &now)) == QDA_OK && (rc = cb_diff(m->h, &m->before, &now, &c)) == QDA_OK) {
			if (asprintf(&origin, "merge %s", m->other) < 0)
				rc = nomem(m->h);
			else
				rc = cb_record(m->h, origin, NULL, NULL, NULL, &c, NULL);
		}
		free(origin);
		cb_changes_free(&c);
		cb_free(&now);
	}
	return rc;
}

/* ---- counting and naming ---- */

static enum qda_status count(struct qda *h, sqlite3_stmt *st, long long a, long long b, long *n)
{
	int r;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, a);
	if (b)
		sqlite3_bind_int64(st, 2, b);
	r = step_row(h, st, "count codings");
	*n = r > 0 ? (long)sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

static const char *plural(long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The rows of the codes that were added, mapped or are in conflict, in the
 * copy's order, with the codings each brought or left out. */
enum qda_status merge_code_rows(struct merge *m)
{
	sqlite3_stmt *added = prep(m->h, "SELECT count(*) FROM o.coding c JOIN main.coding_all mc ON mc.guid = c.guid"
	                                 " WHERE c.node_id = ?1 AND mc.log_id = ?2");
	sqlite3_stmt *left = prep(m->h, "SELECT count(*) FROM o.coding c JOIN o.document d ON d.id = c.doc_id"
	                                " WHERE c.node_id = ?1 AND d.text_hash IN (SELECT text_hash FROM main.document)"
	                                " AND NOT EXISTS (SELECT 1 FROM main.coding_all mc WHERE mc.guid = c.guid)");
	sqlite3_stmt *memos = prep(m->h, "SELECT count(*) FROM o.memo x WHERE x.node_id = ?1"
	                                 " AND NOT EXISTS (SELECT 1 FROM main.memo y WHERE y.guid = x.guid)");
	struct buf d = { 0 };
	enum qda_status rc = QDA_OK;
	size_t i;

	if (!added || !left || !memos) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < m->n && rc == QDA_OK; i++) {
		struct onode *n = &m->v[i];
		long k = 0, memo = 0;
		int r = 0;
		d.len = 0;
		if (n->how == H_SAME)
			continue;
		if (n->how != H_CONFLICT) {
			if ((rc = count(m->h, added, n->id, tx_log_id(m->h), &k)) != QDA_OK)
				break;
			if (n->how == H_MAPPED) {
				m->rep->nodes_mapped++;
				r = buf_addf(&d, "%s -> %s: ", n->key, n->target_key);
			}
			r = r || buf_add(&d, n->why.s, n->why.len);
			r = r || (k ? buf_addf(&d, "; %ld new %s", k, plural(k, "coding", "codings"))
			            : buf_adds(&d, "; no new coding"));
			if (r || (rc = merge_row_add(m, n->how == H_MAPPED ? "mapped" : "added", n->key, d.s)) != QDA_OK)
				rc = r ? nomem(m->h) : rc;
			continue;
		}
		if ((rc = count(m->h, left, n->id, 0, &k)) != QDA_OK || (rc = count(m->h, memos, n->id, 0, &memo)) != QDA_OK)
			break;
		if (!k && !memo && !n->always)
			continue; /* a code gone from here, with nothing new of it: no loss */
		m->rep->nodes_conflict++;
		m->conflict_skipped += k;
		r = buf_add(&d, n->why.s, n->why.len) || buf_adds(&d, "; ");
		if (!r && k)
			r = buf_addf(&d, "%ld %s", k, plural(k, "coding", "codings"));
		if (!r && memo)
			r = buf_addf(&d, "%s%ld %s", k ? " and " : "", memo, plural(memo, "memo", "memos"));
		r = r || buf_addf(&d, "%snot merged: ", k || memo ? " " : "") || buf_addf(&d, n->hint, n->key);
		if (r || (rc = merge_row_add(m, "conflict", n->key, d.s)) != QDA_OK)
			rc = r ? nomem(m->h) : rc;
	}
out:
	buf_free(&d);
	sqlite3_finalize(added);
	sqlite3_finalize(left);
	sqlite3_finalize(memos);
	return rc;
}

/* The copy's own renames, moves and removals of codes that are still as
 * they were here: the codebook here is kept, so each is named. */
enum qda_status merge_copy_rows(struct merge *m)
{
	sqlite3_stmt *live = prep(m->h, "SELECT n.name, coalesce(p.key, '') FROM main.node n"
	                                " LEFT JOIN main.node p ON p.id = n.parent_id WHERE n.id = ?1 AND n.retired = 0");
	sqlite3_stmt *by_key = prep(m->h, "SELECT 1 FROM main.node WHERE key = ?1 AND retired = 0");
	struct buf d = { 0 };
	enum qda_status rc = QDA_OK;
	size_t i, j;
	int r;

	if (!live || !by_key) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < m->nch && rc == QDA_OK; i++) {
		const struct ochange *c = &m->ch[i], *last;
		const char *type = is_removal(c->change) ? "removal" : c->change;
		long ni = node_by_key(m, c->id);
		const struct onode *n = ni >= 0 ? &m->v[ni] : NULL;
		int seen = 0;
		if (strcmp(type, "removal") && strcmp(type, "renamed") && strcmp(type, "moved"))
			continue;
		for (j = 0; j < i && !seen; j++) /* one row per code and kind of change */
			seen = strcmp(m->ch[j].id, c->id) == 0 &&
			       strcmp(is_removal(m->ch[j].change) ? "removal" : m->ch[j].change, type) == 0;
		if (seen)
			continue;
		last = copy_change(m, c->id, type);
		d.len = 0;
		if (strcmp(type, "removal") == 0) {
			if (n && !n->retired)
				continue; /* back in the copy's codebook since */
			sqlite3_reset(by_key);
			bind_text(by_key, 1, c->id);
			if ((r = step_row(m->h, by_key, "read the codebook")) < 0) {
				rc = QDA_EDB;
				break;
			}
			sqlite3_reset(by_key);
			if (r == 0)
				continue; /* gone here too */
			if (strcmp(last->change, "merged") == 0 && strncmp(last->detail, "into ", 5) == 0)
				r = buf_addf(&d, "merged %s in the copy (its codebook version %ld), still here: qda theme merge "
				                 "%s --into %s does it here", last->detail, last->version, c->id, last->detail + 5);
			else
				r = buf_addf(&d, "removed in the copy (its codebook version %ld), still here", last->version);
			if (r || (rc = merge_row_add(m, "copy-removed", c->id, d.s)) != QDA_OK)
				rc = r ? nomem(m->h) : rc;
			continue;
		}
		if (!n || n->retired || !n->target || (n->how != H_SAME && n->how != H_MAPPED))
			continue;
		sqlite3_reset(live);
		sqlite3_bind_int64(live, 1, n->target);
		if ((r = step_row(m->h, live, "read the codebook")) <= 0) {
			sqlite3_reset(live);
			if (r < 0) {
				rc = QDA_EDB;
				break;
			}
			continue;
		}
		if (strcmp(type, "renamed") == 0) {
			const char *here = (const char *)sqlite3_column_text(live, 0);
			if (strcmp(here, n->name))
				r = buf_addf(&d, "renamed in the copy (its codebook version %ld): '%s' there, '%s' here",
				             last->version, n->name, here);
		} else {
			const char *here = (const char *)sqlite3_column_text(live, 1);
			long pi = n->parent ? node_index(m, n->parent) : -1;
			const char *there = pi >= 0 ? m->v[pi].target_key : NULL;
			if (strcmp(there ? there : "", here))
				r = buf_addf(&d, "moved in the copy (its codebook version %ld): %s%s there, %s%s here", last->version,
				             pi >= 0 ? "under " : "at the top", pi >= 0 ? m->v[pi].key : "", *here ? "under " : "at the top",
				             here);
		}
		sqlite3_reset(live);
		if (r)
			rc = nomem(m->h);
		else if (d.len)
			rc = merge_row_add(m, strcmp(type, "renamed") == 0 ? "copy-renamed" : "copy-moved", c->id, d.s);
	}
out:
	buf_free(&d);
	sqlite3_finalize(live);
	sqlite3_finalize(by_key);
	return rc;
}

void merge_codes_free(struct merge *m)
{
	size_t i;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].guid);
		free(m->v[i].key);
		free(m->v[i].kind);
		free(m->v[i].name);
		free(m->v[i].target_key);
		buf_free(&m->v[i].why);
	}
	free(m->v);
	for (i = 0; i < m->nch; i++) {
		free(m->ch[i].change);
		free(m->ch[i].id);
		free(m->ch[i].detail);
	}
	free(m->ch);
	if (m->have_before)
		cb_free(&m->before);
}
