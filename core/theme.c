/* theme.c — reshaping the codebook (phases 3 and 5): rename, define, status,
 * move, merge and split. Each runs in one savepoint inside the caller's
 * transaction and records a codebook version, so the export writes the
 * current state and the history shows how it got there. Never prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct reshape {
	struct cb old;
	struct cb_changes extra; /* what the tree diff cannot see (codings moved) */
};

/* A node's name within what a codebook takes (README, "Limits"): 1 with the
 * error set when it is longer. */
static int name_too_long(struct qda *h, const char *name)
{
	size_t n = name ? qda_text_cplen(name, strlen(name)) : 0;
	if (n <= 200)
		return 0;
	seterr(h, QDA_EINPUT, "the name has %zu characters; qda takes names of at most 200: shorten it (the "
	       "definition holds the rest)", n);
	return 1;
}

static enum qda_status begin(struct qda *h, struct reshape *r)
{
	enum qda_status rc;
	memset(r, 0, sizeof *r);
	if ((rc = savepoint(h, "theme")) != QDA_OK)
		return rc;
	if ((rc = cb_from_db(h, &r->old)) != QDA_OK)
		rollback_to(h, "theme");
	return rc;
}

static enum qda_status extra(struct qda *h, struct reshape *r, const char *change, const char *id, const char *detail)
{
	struct cb_change *v;
	if (r->extra.n == r->extra.cap) {
		size_t cap = r->extra.cap ? r->extra.cap * 2 : 8;
		if (!(v = realloc(r->extra.v, cap * sizeof *v)))
			return seterr(h, QDA_ENOMEM, "out of memory");
		r->extra.v = v;
		r->extra.cap = cap;
	}
	v = &r->extra.v[r->extra.n];
	v->change = strdup(change);
	v->id = strdup(id);
	v->detail = strdup(detail);
	r->extra.n++;
	if (!v->change || !v->id || !v->detail)
		return seterr(h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

/* extra() with the detail formatted. */
static enum qda_status extraf(struct qda *h, struct reshape *r, const char *change, const char *id, const char *fmt,
                              ...) __attribute__((format(printf, 5, 6)));
static enum qda_status extraf(struct qda *h, struct reshape *r, const char *change, const char *id, const char *fmt,
                              ...)
{
	va_list ap;
	char *detail = NULL;
	enum qda_status rc;
	int n;
	va_start(ap, fmt);
	n = vasprintf(&detail, fmt, ap);
	va_end(ap);
	if (n < 0)
		return seterr(h, QDA_ENOMEM, "out of memory");
	rc = extra(h, r, change, id, detail);
	free(detail);
	return rc;
}

/* Finish a reshape: on success diff the tree, record a version when
 * anything changed, and report; on failure undo everything. */
static enum qda_status finish(struct qda *h, struct reshape *r, enum qda_status rc, const char *origin,
                              qda_cb_change_fn fn, void *ctx)
{
	struct cb now = { 0 };
	struct cb_changes c = { 0 };
	size_t i;

	if (rc == QDA_OK)
		rc = cb_from_db(h, &now);
	if (rc == QDA_OK) {
		/* the reshape's own entries first, then what the tree shows */
		for (i = 0; i < r->extra.n; i++) {
			if (c.n == c.cap) {
				size_t cap = c.cap ? c.cap * 2 : 8;
				struct cb_change *v = realloc(c.v, cap * sizeof *v);
				if (!v) {
					rc = seterr(h, QDA_ENOMEM, "out of memory");
					break;
				}
				c.v = v;
				c.cap = cap;
			}
			c.v[c.n++] = r->extra.v[i];
			memset(&r->extra.v[i], 0, sizeof r->extra.v[i]);
		}
	}
	if (rc == QDA_OK)
		rc = cb_diff(h, &r->old, &now, &c);
	if (rc == QDA_OK && c.n)
		rc = cb_record(h, origin, NULL, NULL, NULL, &c, NULL);
	if (rc == QDA_OK)
		rc = release(h, "theme");
	else
		rollback_to(h, "theme");
	if (rc == QDA_OK)
		cb_changes_report(&c, fn, ctx);
	cb_changes_free(&c);
	cb_changes_free(&r->extra);
	cb_free(&now);
	cb_free(&r->old);
	return rc;
}

struct nodeinfo {
	long long id, parent;
	const char *kind; /* "theme", "subtheme" or "code" (static) */
	int retired;
};

/* The schema's node kinds as static strings; NULL for another. */
static const char *kind_of(const char *k)
{
	static const char *const kinds[] = { "theme", "subtheme", "code" };
	size_t i;
	for (i = 0; k && i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(k, kinds[i]) == 0)
			return kinds[i];
	return NULL;
}

/* A node of the codebook by id (key); retired ones are refused. */
static enum qda_status live_node(struct qda *h, const char *key, struct nodeinfo *n)
{
	sqlite3_stmt *st = prep(h, "SELECT id, coalesce(parent_id, 0), kind, retired FROM node WHERE key = ?");
	const char *kind = NULL;
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, key);
	if ((r = step_row(h, st, "find node")) > 0) {
		n->id = sqlite3_column_int64(st, 0);
		n->parent = sqlite3_column_int64(st, 1);
		kind = kind_of((const char *)sqlite3_column_text(st, 2));
		n->retired = sqlite3_column_int(st, 3);
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (r == 0) {
		/* the message with the nearest ids */
		long long id;
		enum qda_status rc = node_find(h, key, &id);
		return rc != QDA_OK ? rc : seterr(h, QDA_EDB, "find node '%s': it changed while it was read", key);
	}
	if (!kind)
		return seterr(h, QDA_EDB, "node '%s' is of no kind qda knows; the project is damaged", key);
	n->kind = kind;
	if (n->retired)
		return seterr(h, QDA_EINPUT, "'%s' is retired from the codebook (merged or removed); 'qda codebook show' lists "
		                             "the current nodes", key);
	return QDA_OK;
}

static enum qda_status run(struct qda *h, const char *sql, const char *text, long long a, long long b)
{
	sqlite3_stmt *st = prep(h, sql);
	enum qda_status rc;
	int i = 1;
	if (!st)
		return QDA_EDB;
	if (text)
		bind_text(st, i++, text);
	if (a)
		sqlite3_bind_int64(st, i++, a);
	if (b)
		sqlite3_bind_int64(st, i++, b);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

/* Whether node a is node b or lies below it, in *inside. */
static enum qda_status within(struct qda *h, long long a, long long b, int *inside)
{
	enum qda_status rc;
	int depth = 0;
	*inside = 0;
	while (a && depth++ < 256) {
		if (a == b) {
			*inside = 1;
			return QDA_OK;
		}
		if ((rc = query_int(h, "SELECT coalesce(parent_id, 0) FROM node WHERE id = ?", a, &a)) != QDA_OK)
			return rc;
	}
	return QDA_OK;
}

/* The position after the last child of parent (0: of the themes). */
static enum qda_status next_position(struct qda *h, long long parent, int *pos)
{
	long long v = 0;
	enum qda_status rc;
	if (parent)
		rc = query_int(h, "SELECT coalesce(max(position) + 1, 0) FROM node WHERE parent_id = ?", parent, &v);
	else
		rc = query_int(h, "SELECT coalesce(max(position) + 1, 0) FROM node WHERE parent_id IS NULL", 0, &v);
	*pos = (int)v;
	return rc;
}

/* "theme VERB ID[ A[ B]]" for the codebook's history; NULL out of memory. */
static char *origin_of(const char *verb, const char *id, const char *a, const char *b)
{
	char *s = NULL;
	if (asprintf(&s, "theme %s %s%s%s%s%s", verb, id, a ? " " : "", a ? a : "", b ? " " : "", b ? b : "") < 0)
		return NULL;
	return s;
}

enum qda_status qda_theme_rename(struct qda *h, const char *id, const char *name, qda_cb_change_fn fn, void *ctx)
{
	struct reshape r;
	struct nodeinfo n;
	enum qda_status rc;
	char *origin;

	if (!name || !*name)
		return seterr(h, QDA_EINVAL, "give the new name");
	if (qda_text_check_input(h, "the new name", name) != QDA_OK || name_too_long(h, name))
		return QDA_EINPUT;
	if ((rc = live_node(h, id, &n)) != QDA_OK)
		return rc;
	if ((rc = begin(h, &r)) != QDA_OK)
		return rc;
	rc = run(h, "UPDATE node SET name = ?, updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", name, n.id, 0);
	origin = origin_of("rename", id, name, NULL);
	rc = finish(h, &r, rc, origin ? origin : "theme rename", fn, ctx);
	free(origin);
	return rc;
}

static char *json_of(const char **v, size_t n)
{
	struct buf b = { 0 };
	size_t i;
	int r = 0;
	if (!n)
		return NULL;
	r = buf_addc(&b, '[');
	for (i = 0; !r && i < n; i++)
		r = (i && buf_adds(&b, ", ")) || cb_json_str(&b, v[i]);
	if (r || buf_addc(&b, ']') || buf_addc(&b, '\0')) {
		buf_free(&b);
		return NULL;
	}
	return buf_take(&b);
}

enum qda_status qda_theme_define(struct qda *h, const char *id, const char *definition, const char **include,
                                 size_t n_include, const char **exclude, size_t n_exclude, qda_cb_change_fn fn,
                                 void *ctx)
{
	struct reshape r;
	struct nodeinfo n;
	enum qda_status rc;
	char *inc = NULL, *exc = NULL;
	sqlite3_stmt *st;

	size_t i;

	if ((rc = live_node(h, id, &n)) != QDA_OK)
		return rc;
	if (qda_text_check_input(h, "the definition", definition) != QDA_OK)
		return QDA_EINPUT;
	for (i = 0; i < n_include; i++)
		if (qda_text_check_input(h, "an --include", include[i]) != QDA_OK)
			return QDA_EINPUT;
	for (i = 0; i < n_exclude; i++)
		if (qda_text_check_input(h, "an --exclude", exclude[i]) != QDA_OK)
			return QDA_EINPUT;
	if ((n_include && !(inc = json_of(include, n_include))) || (n_exclude && !(exc = json_of(exclude, n_exclude)))) {
		free(inc);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	if ((rc = begin(h, &r)) != QDA_OK)
		goto out;
	st = prep(h, "UPDATE node SET definition = CASE WHEN ?1 THEN nullif(?2, '') ELSE definition END,"
	             " include = CASE WHEN ?3 THEN ?4 ELSE include END, exclude = CASE WHEN ?5 THEN ?6 ELSE exclude END,"
	             " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?7");
	if (!st) {
		rc = QDA_EDB;
	} else {
		sqlite3_bind_int(st, 1, definition != NULL);
		bind_text(st, 2, definition);
		sqlite3_bind_int(st, 3, include != NULL);
		bind_text(st, 4, inc);
		sqlite3_bind_int(st, 5, exclude != NULL);
		bind_text(st, 6, exc);
		sqlite3_bind_int64(st, 7, n.id);
		rc = step_done(h, st);
		sqlite3_finalize(st);
	}
	{
		char *origin = origin_of("define", id, NULL, NULL);
		rc = finish(h, &r, rc, origin ? origin : "theme define", fn, ctx);
		free(origin);
	}
out:
	free(inc);
	free(exc);
	return rc;
}

enum qda_status qda_theme_status(struct qda *h, const char *id, const char *status, qda_cb_change_fn fn, void *ctx)
{
	struct reshape r;
	struct nodeinfo n;
	enum qda_status rc;
	char *origin;

	if (!status || (strcmp(status, "candidate") && strcmp(status, "reviewed") && strcmp(status, "defined")))
		return seterr(h, QDA_EINVAL, "the status is candidate, reviewed or defined, not '%s'", status ? status : "");
	if ((rc = live_node(h, id, &n)) != QDA_OK)
		return rc;
	if ((rc = begin(h, &r)) != QDA_OK)
		return rc;
	rc = run(h, "UPDATE node SET status = ?, updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", status,
	         n.id, 0);
	origin = origin_of("status", id, status, NULL);
	rc = finish(h, &r, rc, origin ? origin : "theme status", fn, ctx);
	free(origin);
	return rc;
}

enum qda_status qda_theme_move(struct qda *h, const char *id, const char *under, qda_cb_change_fn fn, void *ctx)
{
	struct reshape r;
	struct nodeinfo n, p = { 0 };
	enum qda_status rc;
	const char *kind;
	char *origin;
	sqlite3_stmt *st;
	int inside = 0, pos = 0;

	if ((rc = live_node(h, id, &n)) != QDA_OK)
		return rc;
	if (under && ((rc = live_node(h, under, &p)) != QDA_OK || (rc = within(h, p.id, n.id, &inside)) != QDA_OK))
		return rc;
	if (inside)
		return seterr(h, QDA_EINPUT, "cannot move '%s' under '%s': '%s' lies within '%s'", id, under, under, id);
	/* themes > sub-themes > codes: a code holds no node */
	if (under && strcmp(p.kind, "code") == 0)
		return seterr(h, QDA_EINPUT, "cannot move '%s' under '%s': '%s' is a code, and a code holds no other node; "
		                             "move it under a theme or a sub-theme", id, under, under);
	/* a theme put under another becomes a sub-theme; a sub-theme brought to
	 * the top becomes a theme; codes stay codes */
	kind = !under ? "theme" : strcmp(n.kind, "theme") == 0 ? "subtheme" : n.kind;
	if ((rc = begin(h, &r)) != QDA_OK)
		return rc;
	if ((rc = next_position(h, under ? p.id : 0, &pos)) != QDA_OK) {
		/* rc says why */
	} else if (!(st = prep(h, "UPDATE node SET parent_id = ?, kind = ?, position = ?,"
	                          " updated = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?"))) {
		rc = QDA_EDB;
	} else {
		if (under)
			sqlite3_bind_int64(st, 1, p.id);
		bind_text(st, 2, kind);
		sqlite3_bind_int(st, 3, pos);
		sqlite3_bind_int64(st, 4, n.id);
		rc = step_done(h, st);
		sqlite3_finalize(st);
	}
	origin = origin_of("move", id, under ? "--under" : "--top", under);
	rc = finish(h, &r, rc, origin ? origin : "theme move", fn, ctx);
	free(origin);
	return rc;
}

/* The target of a merge or split: an existing node, or a new one beside
 * sibling (same parent and kind). */
static enum qda_status target_node(struct qda *h, const char *key, const char *name, const struct nodeinfo *sibling,
                                   struct nodeinfo *t, int *created)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	const char *s;
	int ok = 1, r, pos = 0;

	*created = 0;
	if (qda_text_check_input(h, "the name", name) != QDA_OK || name_too_long(h, name))
		return QDA_EINPUT;
	st = prep(h, "SELECT 1 FROM node WHERE key = ?");
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, key);
	r = step_row(h, st, "find node");
	sqlite3_finalize(st);
	if (r != 0)
		return r < 0 ? QDA_EDB : live_node(h, key, t);
	for (s = key; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			ok = 0;
	if (!ok || !*key)
		return seterr(h, QDA_EINPUT, "bad id '%s': use only lower-case letters a-z, digits, '.', '_' and '-'", key);
	if ((rc = next_position(h, sibling->parent, &pos)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "INSERT INTO node(key, parent_id, kind, name, position) VALUES (?, ?, ?, ?, ?)")))
		return QDA_EDB;
	bind_text(st, 1, key);
	if (sibling->parent)
		sqlite3_bind_int64(st, 2, sibling->parent);
	bind_text(st, 3, sibling->kind);
	bind_text(st, 4, name && *name ? name : key);
	sqlite3_bind_int(st, 5, pos);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		return rc;
	t->id = sqlite3_last_insert_rowid(h->db);
	t->parent = sibling->parent;
	t->kind = sibling->kind;
	t->retired = 0;
	*created = 1;
	return QDA_OK;
}

struct coding {
	long long id, doc, coder;
	long start, end, line_last;
	char *memo;
};

static int by_run(const void *a, const void *b)
{
	const struct coding *x = a, *y = b;
	if (x->coder != y->coder)
		return x->coder < y->coder ? -1 : 1;
	if (x->doc != y->doc)
		return x->doc < y->doc ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* Fold coding gone into coding keep: its reviews, exemplar mark and memos
 * follow, then it is marked removed (merged), its id and history kept. */
static enum qda_status absorb(struct qda *h, long long keep, long long gone)
{
	enum qda_status rc;
	if ((rc = run(h, "UPDATE review SET coding_id = ? WHERE coding_id = ?", NULL, keep, gone)) != QDA_OK ||
	    (rc = run(h, "INSERT OR IGNORE INTO exemplar(coding_id) SELECT ? FROM exemplar WHERE coding_id = ?", NULL, keep,
	              gone)) != QDA_OK ||
	    (rc = run(h, "UPDATE memo SET coding_id = ? WHERE coding_id = ?", NULL, keep, gone)) != QDA_OK)
		return rc;
	return coding_remove(h, gone, 0, "merged");
}

static enum qda_status combine(struct qda *h, long long target, const long long *nodes, size_t nn, long *moved,
                               long *combined)
{
	sqlite3_stmt *st = prep(h, "SELECT id, doc_id, coder_id, start, end, line_last, memo, node_id FROM coding"
	                           " WHERE node_id = ?");
	sqlite3_stmt *upd = NULL;
	struct coding *v = NULL;
	size_t n = 0, cap = 0, i, j;
	enum qda_status rc = QDA_OK;
	int r;

	if (!st)
		return QDA_EDB;
	for (i = 0; i < nn; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, nodes[i]);
		while ((r = step_row(h, st, "read codings")) > 0) {
			const char *m = (const char *)sqlite3_column_text(st, 6);
			char *memo = NULL;
			if (n == cap) {
				size_t c2 = cap ? cap * 2 : 64;
				struct coding *nv = realloc(v, c2 * sizeof *v);
				if (!nv) {
					rc = seterr(h, QDA_ENOMEM, "out of memory");
					goto out;
				}
				v = nv;
				cap = c2;
			}
			if (m && *m && !(memo = strdup(m))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			v[n] = (struct coding){ sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1),
				                sqlite3_column_int64(st, 2), (long)sqlite3_column_int64(st, 3),
				                (long)sqlite3_column_int64(st, 4), (long)sqlite3_column_int64(st, 5),
				                memo };
			n++;
			if (nodes[i] != target)
				(*moved)++;
		}
		if (r < 0) {
			rc = QDA_EDB;
			goto out;
		}
	}
	if (n)
		qsort(v, n, sizeof *v, by_run);
	if (!(upd = prep(h, "UPDATE coding_all SET node_id = ?, end = ?, line_last = ?, memo = ? WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < n && rc == QDA_OK; i = j) {
		long end = v[i].end, line_last = v[i].line_last;
		struct buf memo = { 0 };
		/* a run: same coder and document, each coding overlapping or
		 * touching the stretch so far */
		for (j = i + 1; j < n && v[j].coder == v[i].coder && v[j].doc == v[i].doc && v[j].start <= end; j++) {
			if (v[j].end > end) {
				end = v[j].end;
				line_last = v[j].line_last;
			}
		}
		if (v[i].memo && buf_adds(&memo, v[i].memo))
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		for (size_t k = i + 1; k < j && rc == QDA_OK; k++) {
			if (v[k].memo && (!v[i].memo || strcmp(v[k].memo, v[i].memo)) &&
			    ((memo.len && buf_addc(&memo, '\n')) || buf_adds(&memo, v[k].memo)))
				rc = seterr(h, QDA_ENOMEM, "out of memory");
			if (rc == QDA_OK)
				rc = absorb(h, v[i].id, v[k].id);
			(*combined)++;
		}
		if (rc == QDA_OK && memo.len && buf_addc(&memo, '\0'))
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		if (rc == QDA_OK) {
			sqlite3_reset(upd);
			sqlite3_bind_int64(upd, 1, target);
			sqlite3_bind_int64(upd, 2, end);
			sqlite3_bind_int64(upd, 3, line_last);
			bind_text(upd, 4, memo.len ? memo.s : NULL);
			sqlite3_bind_int64(upd, 5, v[i].id);
			rc = step_done(h, upd);
		}
		buf_free(&memo);
	}
out:
	for (i = 0; i < n; i++)
		free(v[i].memo);
	free(v);
	sqlite3_finalize(st);
	sqlite3_finalize(upd);
	return rc;
}

enum qda_status qda_theme_merge(struct qda *h, const char **from, size_t n, const char *into, const char *name,
                                qda_cb_change_fn fn, void *ctx, struct qda_theme_merge_result *res)
{
	struct reshape r;
	struct nodeinfo *src = NULL, t;
	long long *ids = NULL;
	size_t i, k, ns = 0;
	enum qda_status rc;
	struct buf origin = { 0 };

	memset(res, 0, sizeof *res);
	if (!n || !into)
		return seterr(h, QDA_EINVAL, "give the nodes to merge and --into TARGET");
	if (!(src = calloc(n, sizeof *src)) || !(ids = calloc(n + 1, sizeof *ids))) {
		free(src);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		if ((rc = live_node(h, from[i], &src[ns])) != QDA_OK)
			goto out;
		for (k = 0; k < ns && src[k].id != src[ns].id; k++)
			;
		if (k == ns && strcmp(from[i], into) != 0)
			ns++;
	}
	if ((rc = begin(h, &r)) != QDA_OK)
		goto out;
	if (ns == 0) {
		rc = seterr(h, QDA_EINVAL, "nothing to merge: give at least one node other than the target '%s'", into);
		goto done;
	}
	if ((rc = target_node(h, into, name, &src[0], &t, &res->created)) != QDA_OK)
		goto done;
	for (i = 0; i < ns; i++) {
		int inside;
		if ((rc = within(h, t.id, src[i].id, &inside)) != QDA_OK)
			goto done;
		if (inside) {
			rc = seterr(h, QDA_EINPUT, "cannot merge '%s' into '%s', which lies within it; move '%s' out first",
			            from[i], into, into);
			goto done;
		}
	}
	/* children and memos follow; suggestions of an old code now suggest
	 * the target */
	for (i = 0; i < ns && rc == QDA_OK; i++) {
		sqlite3_stmt *st;
		int pos;
		if ((rc = next_position(h, t.id, &pos)) != QDA_OK)
			break;
		if (!(st = prep(h, "UPDATE node SET parent_id = ?1, position = position + ?2 WHERE parent_id = ?3"))) {
			rc = QDA_EDB;
			break;
		}
		sqlite3_bind_int64(st, 1, t.id);
		sqlite3_bind_int(st, 2, pos);
		sqlite3_bind_int64(st, 3, src[i].id);
		rc = step_done(h, st);
		sqlite3_finalize(st);
		if (rc == QDA_OK)
			rc = run(h, "UPDATE memo SET node_id = ? WHERE node_id = ?", NULL, t.id,
			         src[i].id);
		if (rc == QDA_OK)
			rc = run(h, "UPDATE review SET suggested_id = ? WHERE suggested_id = ?", NULL, t.id, src[i].id);
		ids[i] = src[i].id;
	}
	ids[ns] = t.id;
	if (rc == QDA_OK)
		rc = combine(h, t.id, ids, ns + 1, &res->moved, &res->combined);
	for (i = 0; i < ns && rc == QDA_OK; i++) {
		int retired;
		rc = cb_drop(h, src[i].id, &retired);
	}
	for (i = 0; i < n && rc == QDA_OK; i++)
		if (strcmp(from[i], into) != 0)
			rc = extraf(h, &r, "merged", from[i], "into %s", into);
	if (rc == QDA_OK && res->moved + res->combined > 0)
		rc = extraf(h, &r, "codings", into, "%ld coding%s moved, %ld combined", res->moved,
		            res->moved == 1 ? "" : "s", res->combined);
done:
	if (buf_adds(&origin, "theme merge"))
		rc = rc ? rc : seterr(h, QDA_ENOMEM, "out of memory");
	for (i = 0; i < n; i++)
		if (buf_addc(&origin, ' ') || buf_adds(&origin, from[i]))
			rc = rc ? rc : seterr(h, QDA_ENOMEM, "out of memory");
	if (buf_adds(&origin, " --into ") || buf_adds(&origin, into) || buf_addc(&origin, '\0'))
		rc = rc ? rc : seterr(h, QDA_ENOMEM, "out of memory");
	rc = finish(h, &r, rc, origin.s ? origin.s : "theme merge", fn, ctx);
out:
	buf_free(&origin);
	free(src);
	free(ids);
	return rc;
}

enum qda_status qda_theme_split(struct qda *h, const char *id, const char *into, const char *name,
                                const long long *codings, size_t n, qda_cb_change_fn fn, void *ctx, long *moved)
{
	struct reshape r;
	struct nodeinfo s, t;
	sqlite3_stmt *get = NULL, *dup = NULL, *upd = NULL;
	enum qda_status rc;
	int created = 0, step;
	size_t i;
	char *origin = NULL;

	*moved = 0;
	if (!n)
		return seterr(h, QDA_EINVAL, "give the codings to move with --codings ID,ID...");
	if (strcmp(id, into) == 0)
		return seterr(h, QDA_EINVAL, "split '%s' into another node, not itself", id);
	if ((rc = live_node(h, id, &s)) != QDA_OK)
		return rc;
	if ((rc = begin(h, &r)) != QDA_OK)
		return rc;
	if ((rc = target_node(h, into, name, &s, &t, &created)) != QDA_OK)
		goto done;
	get = prep(h, "SELECT node_id, doc_id, coder_id, start, end FROM coding WHERE id = ?");
	dup = prep(h, "SELECT id FROM coding WHERE doc_id = ? AND node_id = ? AND coder_id = ? AND start = ? AND end = ?");
	upd = prep(h, "UPDATE coding_all SET node_id = ? WHERE id = ?");
	if (!get || !dup || !upd) {
		rc = QDA_EDB;
		goto done;
	}
	for (i = 0; i < n && rc == QDA_OK; i++) {
		long long node, doc, coder, start, end, same = 0;
		int inside;
		sqlite3_reset(get);
		sqlite3_bind_int64(get, 1, codings[i]);
		if ((step = step_row(h, get, "find coding")) < 0) {
			rc = QDA_EDB;
			break;
		}
		if (step == 0) {
			rc = seterr(h, QDA_ENOTFOUND, "no coding %lld; 'qda codings --code %s' lists them", codings[i], id);
			break;
		}
		node = sqlite3_column_int64(get, 0);
		doc = sqlite3_column_int64(get, 1);
		coder = sqlite3_column_int64(get, 2);
		start = sqlite3_column_int64(get, 3);
		end = sqlite3_column_int64(get, 4);
		sqlite3_reset(get);
		if (node == t.id)
			continue;
		if ((rc = within(h, node, s.id, &inside)) != QDA_OK)
			break;
		if (!inside) {
			rc = seterr(h, QDA_EINPUT, "coding %lld is not coded '%s' (or below it); 'qda codings --code %s' lists them",
			            codings[i], id, id);
			break;
		}
		sqlite3_reset(dup);
		sqlite3_bind_int64(dup, 1, doc);
		sqlite3_bind_int64(dup, 2, t.id);
		sqlite3_bind_int64(dup, 3, coder);
		sqlite3_bind_int64(dup, 4, start);
		sqlite3_bind_int64(dup, 5, end);
		if ((step = step_row(h, dup, "find coding")) > 0)
			same = sqlite3_column_int64(dup, 0);
		sqlite3_reset(dup);
		if (step < 0) {
			rc = QDA_EDB;
			break;
		}
		if (same) {
			/* the target already holds this span by this coder: one coding */
			rc = absorb(h, same, codings[i]);
		} else {
			sqlite3_reset(upd);
			sqlite3_bind_int64(upd, 1, t.id);
			sqlite3_bind_int64(upd, 2, codings[i]);
			rc = step_done(h, upd);
		}
		(*moved)++;
	}
	if (rc == QDA_OK)
		rc = extraf(h, &r, "split", id, "%ld coding%s to %s", *moved, *moved == 1 ? "" : "s", into);
done:
	sqlite3_finalize(get);
	sqlite3_finalize(dup);
	sqlite3_finalize(upd);
	origin = origin_of("split", id, "--into", into);
	rc = finish(h, &r, rc, origin ? origin : "theme split", fn, ctx);
	free(origin);
	return rc;
}
