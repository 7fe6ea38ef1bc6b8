/* tree.c — the codebook tree in memory for the counting modules (freq,
 * cooccur): nodes sorted by id for lookup, parent links, depth, pre-order.
 * Read-only; never writes. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

long tree_find(const struct tree *t, long long id)
{
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->nodes[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->nodes[lo].id == id ? (long)lo : -1;
}

long tree_at_level(const struct tree *t, long ix, enum qda_level level)
{
	for (; ix >= 0; ix = t->nodes[ix].parent_ix) {
		const struct tree_node *n = &t->nodes[ix];
		if ((level == QDA_LEVEL_THEME && n->depth == 1) ||
		    (level == QDA_LEVEL_SUBTHEME && strcmp(n->kind, "subtheme") == 0) ||
		    (level == QDA_LEVEL_CODE && strcmp(n->kind, "code") == 0) || level == QDA_LEVEL_ALL)
			return ix;
	}
	return -1;
}

int tree_keep(const struct tree_node *n, enum qda_level level)
{
	switch (level) {
	case QDA_LEVEL_THEME: return n->depth == 1;
	case QDA_LEVEL_SUBTHEME: return strcmp(n->kind, "subtheme") == 0;
	case QDA_LEVEL_CODE: return strcmp(n->kind, "code") == 0;
	default: return 1;
	}
}

static int by_id(const void *a, const void *b)
{
	const struct tree_node *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* The tree is the codebook's own (cb_from_db): the same nodes in the same
 * order as qda codebook show, indexed by id for the counting modules. */
enum qda_status tree_load(struct qda *h, struct tree *t)
{
	struct cb cb;
	enum qda_status rc;
	size_t i;

	memset(t, 0, sizeof *t);
	if ((rc = cb_from_db(h, &cb)) != QDA_OK)
		return rc;
	t->nodes = calloc(cb.n + 1, sizeof *t->nodes);
	t->order = malloc((cb.n + 1) * sizeof *t->order);
	if (!t->nodes || !t->order)
		goto nomem;
	for (i = 0; i < cb.n; i++) {
		const struct cb_node *c = &cb.nodes[i];
		struct tree_node *n = &t->nodes[i];
		n->id = c->db_id;
		n->rank = (long)i; /* pre-order, until sorted by id below */
		n->depth = c->depth;
		t->n++;
		if (!(n->key = strdup(c->id)) || !(n->name = strdup(c->name)) ||
		    !(n->kind = strdup(cb_kind_name(c->kind))) ||
		    !(n->parent = strdup(c->parent >= 0 ? cb.nodes[c->parent].id : "")) ||
		    !(n->color = strdup(c->color ? c->color : "")) ||
		    !(n->definition = strdup(c->definition ? c->definition : "")))
			goto nomem;
	}
	/* parent links by id: the cb index of each node's parent, through the
	 * pre-order rank, then the sort by id */
	{
		long long *parent_id = calloc(cb.n + 1, sizeof *parent_id);
		if (!parent_id)
			goto nomem;
		for (i = 0; i < cb.n; i++)
			parent_id[i] = cb.nodes[i].parent >= 0 ? cb.nodes[cb.nodes[i].parent].db_id : 0;
		qsort(t->nodes, t->n, sizeof *t->nodes, by_id);
		for (i = 0; i < t->n; i++)
			t->order[t->nodes[i].rank] = (long)i;
		for (i = 0; i < t->n; i++) {
			long long pid = parent_id[t->nodes[i].rank];
			t->nodes[i].parent_ix = pid ? tree_find(t, pid) : -1;
		}
		free(parent_id);
	}
	t->n_order = t->n;
	cb_free(&cb);
	return QDA_OK;
nomem:
	cb_free(&cb);
	tree_free(t);
	return seterr(h, QDA_ENOMEM, "out of memory");
}

void tree_free(struct tree *t)
{
	size_t i;
	for (i = 0; i < t->n; i++) {
		free(t->nodes[i].key);
		free(t->nodes[i].name);
		free(t->nodes[i].kind);
		free(t->nodes[i].parent);
		free(t->nodes[i].color);
		free(t->nodes[i].definition);
	}
	free(t->nodes);
	free(t->order);
	memset(t, 0, sizeof *t);
}

enum qda_status coder_lookup(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *c;
	int found;
	*id = 0;
	if (!name)
		return QDA_OK;
	if (!(c = prep(h, "SELECT id FROM coder WHERE name = ?")))
		return QDA_EDB;
	bind_text(c, 1, name);
	if ((found = step_row(h, c, "find coder")) > 0)
		*id = sqlite3_column_int64(c, 0);
	sqlite3_finalize(c);
	if (found < 0)
		return QDA_EDB;
	return found ? QDA_OK : seterr(h, QDA_ENOTFOUND, "no coder '%s' in this project", name);
}

size_t qda_edit_distance(const char *a, const char *b)
{
	return edit_distance(a, b);
}

size_t edit_distance(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b), i, j, *row, d;
	row = malloc((m + 1) * sizeof *row);
	if (!row)
		return (size_t)-1;
	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (j = 1; j <= m; j++) {
			size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[m];
	free(row);
	return d;
}

enum qda_status suggest_list(struct qda *h, sqlite3_stmt *st, const char *wrong, char **out)
{
	struct { size_t d; char *key; } best[3];
	size_t nb = 0, i, limit = strlen(wrong) / 3 + 1;
	struct buf b = { 0 };
	enum qda_status rc = QDA_OK;
	int step;
	*out = NULL;
	while ((step = step_row(h, st, "find the nearest names")) > 0) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		size_t d, at;
		char *key;
		if (!k)
			continue;
		if ((d = edit_distance(wrong, k)) == (size_t)-1) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		/* a prefix or a name containing the word is a good hint too */
		if (d > limit && !strstr(k, wrong))
			continue;
		if (strstr(k, wrong) && d > limit)
			d = limit;
		for (at = nb; at > 0 && best[at - 1].d > d; at--)
			;
		if (at >= 3)
			continue;
		if (!(key = strdup(k))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if (nb == 3)
			free(best[2].key);
		else
			nb++;
		for (i = nb - 1; i > at; i--)
			best[i] = best[i - 1];
		best[at].d = d;
		best[at].key = key;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	buf_adds(&b, "");
	for (i = 0; i < nb; i++)
		buf_addf(&b, "%s'%s'", i == 0 ? "" : i + 1 == nb ? " or " : ", ", best[i].key);
	if (!(*out = buf_take(&b)))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
out:
	for (i = 0; i < nb; i++)
		free(best[i].key);
	return rc;
}

enum qda_status node_find(struct qda *h, const char *key, long long *id)
{
	sqlite3_stmt *st = prep(h, "SELECT id, retired FROM node WHERE key = ?");
	char *hint = NULL;
	enum qda_status rc;
	int found;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, key);
	if ((found = step_row(h, st, "find code")) != 0) {
		if (found > 0)
			*id = sqlite3_column_int64(st, 0);
		rc = found > 0 ? QDA_OK : QDA_EDB;
		goto out;
	}
	sqlite3_finalize(st);
	if (!(st = prep(h, "SELECT key FROM node WHERE retired = 0 ORDER BY key")))
		return QDA_EDB;
	if ((rc = suggest_list(h, st, key, &hint)) != QDA_OK)
		goto out;
	if (*hint)
		rc = seterr(h, QDA_ENOTFOUND, "unknown code '%s'; did you mean %s? (see qda codebook show)", key, hint);
	else
		rc = seterr(h, QDA_ENOTFOUND, "unknown code '%s'; 'qda codebook show' lists the codes", key);
out:
	sqlite3_finalize(st);
	free(hint);
	return rc;
}

enum qda_status qda_node_check(struct qda *h, const char *key)
{
	long long id;
	return node_find(h, key, &id);
}

enum qda_status qda_nodes(struct qda *h, qda_node_fn fn, void *ctx)
{
	struct tree t;
	enum qda_status rc = tree_load(h, &t);
	size_t i;
	for (i = 0; rc == QDA_OK && i < t.n_order; i++) {
		const struct tree_node *n = &t.nodes[t.order[i]];
		struct qda_node_row r = { n->key, n->name, n->kind, n->parent, n->color, n->definition, n->depth };
		if (fn(ctx, &r))
			break;
	}
	tree_free(&t);
	return rc;
}
