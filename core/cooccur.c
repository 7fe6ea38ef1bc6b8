/* cooccur.c — code co-occurrence: how often two codes (or themes, rolled up
 * as the union of their descendants) meet: pairs of their passages that
 * overlap or come within N characters, or turns, documents or cases holding
 * both. One document at a time, a sweep over sorted passages counts the
 * passages that meet and their shared characters as it finds them; never a
 * loop over characters nor over all pairs of codings. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct unit {
	long long id;             /* document, or case for the case scope */
	struct spans *col;        /* per column, this unit's spans */
};

struct item {
	int64_t start, end;
	long col;
};

void qda_cooccur_free(struct qda_cooccur *c)
{
	size_t i;
	if (!c)
		return;
	for (i = 0; i < c->n; i++) {
		free(c->ids[i]);
		free(c->names[i]);
	}
	free(c->ids);
	free(c->names);
	free(c->freq);
	free(c->n12);
	free(c->both);
	free(c->either);
	free(c);
}

double qda_cooccur_c(const struct qda_cooccur *c, size_t i, size_t j)
{
	long n12 = c->n12[i * c->n + j], d = c->freq[i] + c->freq[j] - n12;
	return d > 0 ? (double)n12 / (double)d : NAN;
}

double qda_cooccur_jaccard(const struct qda_cooccur *c, size_t i, size_t j, enum qda_scope scope)
{
	double e;
	if (scope != QDA_SCOPE_OVERLAP && scope != QDA_SCOPE_NEAR)
		return qda_cooccur_c(c, i, j);
	e = c->either[i * c->n + j];
	return e > 0 ? c->both[i * c->n + j] / e : NAN;
}

int qda_cooccur_inflated(const struct qda_cooccur *c, size_t i, size_t j)
{
	long a = c->freq[i], b = c->freq[j];
	return c->n12[i * c->n + j] > (a < b ? a : b);
}

int qda_cooccur_skewed(const struct qda_cooccur *c, size_t i, size_t j)
{
	long a = c->freq[i], b = c->freq[j];
	long lo = a < b ? a : b, hi = a < b ? b : a;
	return lo > 0 && hi > 5 * lo;
}

struct run {
	struct qda *h;
	const struct qda_cooccur_opts *o;
	struct qda_cooccur *c;
	double *len;               /* characters per column */
	struct item *items;
	size_t n_items, cap_items;
	long *active;
	long *open;                /* per column: its open passage in items, or -1 */
	unsigned char *present;    /* per column, or turns x columns */
	size_t present_cap;
	struct layout L;           /* turns and interviewer material */
};

static enum qda_status count_units(struct run *r, const unsigned char *present, size_t n)
{
	size_t i, j;
	for (i = 0; i < n; i++) {
		if (!present[i])
			continue;
		r->c->freq[i]++;
		for (j = i + 1; j < n; j++)
			if (present[j])
				r->c->n12[i * n + j]++;
	}
	return QDA_OK;
}

/* A coding of column col, the unit's codings coming in start order: it
 * joins the column's open passage when it overlaps or touches it, else it
 * opens the next one. Passages are thus made in start order, ready for the
 * sweep. */
static enum qda_status item_add(struct run *r, long col, int64_t start, int64_t end)
{
	long k = r->open[col];
	if (k >= 0 && start <= r->items[k].end) {
		if (end > r->items[k].end)
			r->items[k].end = end;
		return QDA_OK;
	}
	if (r->n_items == r->cap_items) {
		size_t cap = r->cap_items ? r->cap_items * 2 : 256;
		struct item *v = realloc(r->items, cap * sizeof *v);
		long *a = realloc(r->active, cap * sizeof *a);
		if (a)
			r->active = a;
		if (!v || !a) {
			if (v)
				r->items = v;
			return seterr(r->h, QDA_ENOMEM, "out of memory");
		}
		r->items = v;
		r->cap_items = cap;
	}
	r->open[col] = (long)r->n_items;
	r->items[r->n_items++] = (struct item){ start, end, col };
	return QDA_OK;
}

static enum qda_status flush_text(struct run *r)
{
	size_t n = r->c->n, k, na = 0;
	int64_t near = r->o->scope == QDA_SCOPE_OVERLAP ? -1 : r->o->near;

	for (k = 0; k < r->n_items; k++) {
		const struct item *it = &r->items[k];
		r->c->freq[it->col]++;
		r->len[it->col] += (double)(it->end - it->start);
		r->open[it->col] = -1;
	}
	/* Sweep: passages in start order; the active ones still reach the
	 * current start (within near characters). Each meeting of passages of
	 * two columns counts once, and their shared characters add to both:
	 * a column's passages are disjoint, so these sum to the length of the
	 * intersection. */
	for (k = 0; k < r->n_items; k++) {
		const struct item *it = &r->items[k];
		size_t a, keep = 0;
		for (a = 0; a < na; a++) {
			const struct item *o = &r->items[r->active[a]];
			if (o->end + near < it->start)
				continue;
			r->active[keep++] = r->active[a];
			if (o->col != it->col) {
				size_t x = (size_t)(o->col < it->col ? o->col : it->col);
				size_t y = (size_t)(o->col < it->col ? it->col : o->col);
				int64_t shared = (o->end < it->end ? o->end : it->end) - it->start;
				r->c->n12[x * n + y]++;
				if (shared > 0)
					r->c->both[x * n + y] += (double)shared;
			}
		}
		na = keep;
		r->active[na++] = (long)k;
	}
	r->n_items = 0;
	return QDA_OK;
}

static enum qda_status flush_turns(struct run *r, struct unit *u)
{
	size_t n = r->c->n, i, k, t, nt;
	const struct layout_turn *turn;
	enum qda_status rc;

	if ((rc = layout_load(&r->L, u->id)) != QDA_OK)
		return rc;
	turn = r->L.turns;
	nt = r->L.n_turns;
	if (nt * n > r->present_cap) {
		unsigned char *p = realloc(r->present, nt * n);
		if (!p)
			return seterr(r->h, QDA_ENOMEM, "out of memory");
		r->present = p;
		r->present_cap = nt * n;
	}
	memset(r->present, 0, nt * n);
	for (i = 0; i < n; i++) {
		struct spans *s = &u->col[i];
		if (!s->n)
			continue;
		spans_passages(s);
		/* two pointers: turns and spans are both sorted */
		for (k = 0, t = 0; k < s->n && t < nt;) {
			if (turn[t].end <= s->v[2 * k])
				t++;
			else if (s->v[2 * k + 1] <= turn[t].start)
				k++;
			else {
				r->present[t * n + i] = 1;
				if (turn[t].end < s->v[2 * k + 1])
					t++;
				else
					k++;
			}
		}
		s->n = 0;
	}
	for (t = 0; t < nt; t++)
		count_units(r, r->present + t * n, n);
	return QDA_OK;
}

static enum qda_status flush_presence(struct run *r, struct unit *u)
{
	size_t n = r->c->n, i;
	if (n > r->present_cap) {
		unsigned char *p = realloc(r->present, n);
		if (!p)
			return seterr(r->h, QDA_ENOMEM, "out of memory");
		r->present = p;
		r->present_cap = n;
	}
	for (i = 0; i < n; i++) {
		r->present[i] = u->col[i].n > 0;
		u->col[i].n = 0;
	}
	return count_units(r, r->present, n);
}

static enum qda_status flush(struct run *r, struct unit *u)
{
	switch (r->o->scope) {
	case QDA_SCOPE_OVERLAP:
	case QDA_SCOPE_NEAR: return flush_text(r);
	case QDA_SCOPE_TURN: return flush_turns(r, u);
	default: return flush_presence(r, u);
	}
}

enum qda_status qda_cooccur(struct qda *h, const struct qda_cooccur_opts *o, struct qda_cooccur **out)
{
	struct tree t;
	struct run r = { 0 };
	struct unit u = { 0 };
	struct qda_cooccur *c = NULL;
	struct filter_sql fs = { 0 };
	struct buf q = { 0 };
	sqlite3_stmt *cod = NULL;
	enum qda_level level = o->level == QDA_LEVEL_ALL ? QDA_LEVEL_THEME : o->level;
	long *colof = NULL, *ix_of = NULL;
	long long doc = 0, max_id = 0;
	enum qda_status rc;
	size_t i, n = 0;
	int step, by_case = o->scope == QDA_SCOPE_CASE;
	int text = o->scope == QDA_SCOPE_OVERLAP || o->scope == QDA_SCOPE_NEAR;

	*out = NULL;
	if ((rc = tree_load(h, &t)) != QDA_OK)
		return rc;
	if ((rc = filter_prepare(h, &o->filter, &fs)) != QDA_OK)
		goto out;
	c = calloc(1, sizeof *c);
	colof = malloc((t.n + 1) * sizeof *colof);
	if (!c || !colof)
		goto nomem;
	/* Columns: the nodes at the level, in tree order. */
	for (i = 0; i < t.n; i++)
		colof[i] = -1;
	if (o->n_nodes) {
		for (i = 0; i < o->n_nodes; i++) {
			long long id;
			long ix;
			if ((rc = node_find(h, o->nodes[i], &id)) != QDA_OK)
				goto out;
			ix = tree_find(&t, id);
			if (ix >= 0 && colof[ix] < 0)
				colof[ix] = (long)n++;
		}
	} else {
		for (i = 0; i < t.n_order; i++)
			if (tree_keep(&t.nodes[t.order[i]], level))
				colof[t.order[i]] = (long)n++;
	}
	c->n = n;
	c->ids = calloc(n + 1, sizeof *c->ids);
	c->names = calloc(n + 1, sizeof *c->names);
	c->freq = calloc(n + 1, sizeof *c->freq);
	c->n12 = calloc(n * n + 1, sizeof *c->n12);
	c->both = calloc(n * n + 1, sizeof *c->both);
	c->either = calloc(n * n + 1, sizeof *c->either);
	r.len = calloc(n + 1, sizeof *r.len);
	r.open = malloc((n + 1) * sizeof *r.open);
	u.col = calloc(n + 1, sizeof *u.col);
	if (!c->ids || !c->names || !c->freq || !c->n12 || !c->both || !c->either || !r.len || !r.open || !u.col)
		goto nomem;
	for (i = 0; i < n; i++)
		r.open[i] = -1;
	/* node id to tree index by lookup rather than search, the ids being
	 * dense (a codebook's own numbering) */
	if (t.n)
		max_id = t.nodes[t.n - 1].id;
	if (max_id > 0 && (size_t)max_id <= 4 * t.n + 1024) {
		if (!(ix_of = malloc(((size_t)max_id + 1) * sizeof *ix_of)))
			goto nomem;
		for (i = 0; i <= (size_t)max_id; i++)
			ix_of[i] = -1;
		for (i = 0; i < t.n; i++)
			if (t.nodes[i].id >= 0)
				ix_of[t.nodes[i].id] = (long)i;
	}
	for (i = 0; i < t.n; i++) {
		if (colof[i] < 0)
			continue;
		if (!(c->ids[colof[i]] = strdup(t.nodes[i].key)) || !(c->names[colof[i]] = strdup(t.nodes[i].name)))
			goto nomem;
	}
	/* Each node maps to its ancestor-or-self at the level. */
	for (i = 0; i < t.n; i++) {
		long a = tree_at_level(&t, (long)i, level);
		t.nodes[i].rank = a >= 0 ? colof[a] : -1;
	}
	r.h = h;
	r.o = o;
	r.c = c;
	if ((o->scope == QDA_SCOPE_TURN || !o->filter.include_interviewer) &&
	    (rc = layout_open(h, LAYOUT_TURNS, &r.L)) != QDA_OK)
		goto out;
	buf_adds(&q, "SELECT c.doc_id, coalesce(d.case_id, -c.doc_id), c.node_id, c.start, c.end FROM coding c"
	             " JOIN document d ON d.id = c.doc_id WHERE 1");
	buf_adds(&q, fs.cond.s);
	/* a document's codings in start order: passages are made as they come */
	buf_adds(&q, by_case ? " ORDER BY 2, c.doc_id" : " ORDER BY c.doc_id, c.start");
	if (q.failed)
		goto nomem;
	if (!(cod = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	filter_bind(cod, 1, &fs);
	u.id = 0;
	while ((step = step_row(h, cod, "read codings")) > 0) {
		long long d = sqlite3_column_int64(cod, 0);
		long long unit = by_case ? sqlite3_column_int64(cod, 1) : d;
		long long id = sqlite3_column_int64(cod, 2);
		long ix = !ix_of ? tree_find(&t, id) : id >= 0 && id <= max_id ? ix_of[id] : -1;
		long col = ix >= 0 ? t.nodes[ix].rank : -1, a;
		int64_t s = sqlite3_column_int64(cod, 3), e = sqlite3_column_int64(cod, 4);
		if (unit != u.id) {
			if (u.id && (rc = flush(&r, &u)) != QDA_OK)
				goto out;
			u.id = unit;
		}
		if (d != doc) {
			doc = d;
			if (!o->filter.include_interviewer && (rc = layout_load(&r.L, d)) != QDA_OK)
				goto out;
		}
		if (!o->filter.include_interviewer && layout_interviewer(&r.L, s, e))
			continue;
		if (o->n_nodes) {
			/* listed nodes may nest: the coding counts for each listed ancestor */
			for (a = ix; a >= 0; a = t.nodes[a].parent_ix)
				if (colof[a] >= 0 &&
				    (rc = text ? item_add(&r, colof[a], s, e) : spans_push(h, &u.col[colof[a]], s, e)) != QDA_OK)
					goto out;
			continue;
		}
		if (col < 0)
			continue;
		if ((rc = text ? item_add(&r, col, s, e) : spans_push(h, &u.col[col], s, e)) != QDA_OK)
			goto out;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (u.id && (rc = flush(&r, &u)) != QDA_OK)
		goto out;
	/* Symmetric matrix, diagonal = frequency; either = |A| + |B| - both. */
	for (i = 0; i < n; i++) {
		size_t j;
		c->n12[i * n + i] = c->freq[i];
		c->both[i * n + i] = c->either[i * n + i] = r.len[i];
		for (j = i + 1; j < n; j++) {
			c->n12[j * n + i] = c->n12[i * n + j];
			c->both[j * n + i] = c->both[i * n + j];
			c->either[i * n + j] = c->either[j * n + i] = r.len[i] + r.len[j] - c->both[i * n + j];
		}
	}
	*out = c;
	c = NULL;
	goto out;
nomem:
	rc = seterr(h, QDA_ENOMEM, "out of memory");
out:
	sqlite3_finalize(cod);
	layout_close(&r.L);
	for (i = 0; u.col && i < n; i++)
		free(u.col[i].v);
	free(u.col);

	free(r.len);
	free(r.items);
	free(r.active);
	free(r.open);
	free(ix_of);
	free(r.present);
	free(colof);
	filter_sql_free(&fs);
	buf_free(&q);
	qda_cooccur_free(c);
	tree_free(&t);
	return rc;
}
