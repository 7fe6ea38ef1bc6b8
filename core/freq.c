/* freq.c — theme frequency tables: segments, documents, cases (and words)
 * per node, crossed with a case attribute. Roll-up is the union of the
 * descendants' spans, computed per document over sorted spans; the codings
 * are streamed one document at a time, so memory follows one document. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

struct fnode {
	long long id;
	char *key, *name, *kind, *parent;
	long parent_ix;  /* index in the node array, -1 for a theme */
	int depth;
	long order;      /* pre-order rank */
	struct qda_span_list {
		int64_t *v;  /* start, end pairs */
		size_t n, cap;
	} spans;
};

struct fdoc {
	long long id;
	long case_ix;    /* index in cases */
};

struct fcase {
	long long id;
	long group;      /* group index, or -1 */
};

struct state {
	struct qda *h;
	const struct qda_freq_opts *o;
	struct fnode *nodes;
	size_t n_nodes;
	long *by_order;          /* node indices in pre-order */
	struct fcase *cases;
	size_t n_cases;
	struct qda_freq_group *groups;
	size_t n_groups;
	struct qda_freq_cell *all;    /* per node */
	struct qda_freq_cell *cells;  /* per node x group */
	unsigned char *case_seen;     /* per node x case */
	long excluded;
};

static long find_node(struct state *s, long long id)
{
	size_t lo = 0, hi = s->n_nodes;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->nodes[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n_nodes && s->nodes[lo].id == id ? (long)lo : -1;
}

static long find_case(struct state *s, long long id)
{
	size_t lo = 0, hi = s->n_cases;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->cases[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n_cases && s->cases[lo].id == id ? (long)lo : -1;
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	const char *t = (const char *)sqlite3_column_text(st, i);
	return strdup(t ? t : "");
}

static enum qda_status load_nodes(struct state *s)
{
	sqlite3_stmt *st = prep(s->h, "SELECT n.id, n.key, n.name, n.kind, n.parent_id, coalesce(p.key, ''), n.position"
	                              " FROM node n LEFT JOIN node p ON p.id = n.parent_id"
	                              " WHERE n.retired = 0 ORDER BY n.id");
	long long *parents = NULL;
	size_t cap = 0, i;
	long k;

	if (!st)
		return QDA_EDB;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct fnode *n;
		if (s->n_nodes == cap) {
			struct fnode *nv;
			long long *pv;
			cap = cap ? cap * 2 : 64;
			nv = realloc(s->nodes, cap * sizeof *nv);
			if (nv)
				s->nodes = nv;
			pv = nv ? realloc(parents, cap * sizeof *pv) : NULL;
			if (!nv || !pv) {
				sqlite3_finalize(st);
				free(parents);
				return seterr(s->h, QDA_ENOMEM, "out of memory");
			}
			parents = pv;
		}
		n = &s->nodes[s->n_nodes];
		memset(n, 0, sizeof *n);
		n->id = sqlite3_column_int64(st, 0);
		n->key = dup_col(st, 1);
		n->name = dup_col(st, 2);
		n->kind = dup_col(st, 3);
		n->parent = dup_col(st, 5);
		n->order = sqlite3_column_int(st, 6); /* position, reused below */
		parents[s->n_nodes] = sqlite3_column_type(st, 4) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 4);
		s->n_nodes++;
		if (!n->key || !n->name || !n->kind || !n->parent) {
			sqlite3_finalize(st);
			free(parents);
			return seterr(s->h, QDA_ENOMEM, "out of memory");
		}
	}
	sqlite3_finalize(st);
	for (i = 0; i < s->n_nodes; i++)
		s->nodes[i].parent_ix = parents[i] ? find_node(s, parents[i]) : -1;
	free(parents);
	for (i = 0; i < s->n_nodes; i++) {
		int d = 1;
		for (k = s->nodes[i].parent_ix; k >= 0 && d < 64; k = s->nodes[k].parent_ix)
			d++;
		s->nodes[i].depth = d;
	}
	/* Pre-order: sort by the path of (position, id) from the root. */
	s->by_order = malloc((s->n_nodes ? s->n_nodes : 1) * sizeof *s->by_order);
	if (!s->by_order)
		return seterr(s->h, QDA_ENOMEM, "out of memory");
	{
		/* Depth-first walk: children of each node in (position, id) order. */
		size_t top = 0, out = 0, j;
		int started = 0;
		long *stack = malloc((s->n_nodes + 1) * sizeof *stack);
		if (!stack)
			return seterr(s->h, QDA_ENOMEM, "out of memory");
		/* push roots in reverse order so they pop in order */
		for (;;) {
			long parent = started ? -2 : -1;
			started = 1;
			if (parent == -2) {
				long cur;
				if (top == 0)
					break;
				cur = stack[--top];
				s->by_order[out++] = cur;
				parent = cur;
			}
			{
				/* children of parent sorted by position then id, pushed reversed */
				size_t first = top;
				for (j = 0; j < s->n_nodes; j++)
					if (s->nodes[j].parent_ix == parent)
						stack[top++] = (long)j;
				/* insertion sort descending so that the smallest pops first */
				for (j = first + 1; j < top; j++) {
					long v = stack[j];
					size_t m = j;
					while (m > first && (s->nodes[stack[m - 1]].order < s->nodes[v].order ||
					                     (s->nodes[stack[m - 1]].order == s->nodes[v].order &&
					                      stack[m - 1] < v))) {
						stack[m] = stack[m - 1];
						m--;
					}
					stack[m] = v;
				}
			}
		}
		free(stack);
		for (j = 0; j < out; j++)
			s->nodes[s->by_order[j]].order = (long)j;
	}
	return QDA_OK;
}

/* The WHERE fragment for --where filters on the document's case. */
static enum qda_status where_sql(struct state *s, struct buf *b)
{
	size_t i;
	for (i = 0; i < s->o->n_where; i++) {
		const char *eq = strchr(s->o->where[i], '=');
		if (!eq || eq == s->o->where[i])
			return seterr(s->h, QDA_EINVAL, "--where wants KEY=VALUE, not '%s'", s->o->where[i]);
		if (buf_adds(b, " AND EXISTS (SELECT 1 FROM attribute a WHERE a.case_id = d.case_id"
		                " AND a.key = substr(?, 1, instr(?, '=') - 1) AND a.value = substr(?, instr(?, '=') + 1))"))
			return seterr(s->h, QDA_ENOMEM, "out of memory");
	}
	return QDA_OK;
}

static void bind_where(struct state *s, sqlite3_stmt *st, int first)
{
	size_t i;
	int k;
	for (i = 0; i < s->o->n_where; i++)
		for (k = 0; k < 4; k++)
			bind_text(st, first + (int)i * 4 + k, s->o->where[i]);
}

static enum qda_status load_cases(struct state *s, const char *where)
{
	struct buf q = { 0 };
	sqlite3_stmt *st;
	size_t i;
	enum qda_status rc = QDA_OK;

	buf_adds(&q, "SELECT DISTINCT d.case_id, (SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = ?)"
	             " FROM document d WHERE d.case_id IS NOT NULL");
	buf_adds(&q, where);
	buf_adds(&q, " ORDER BY d.case_id");
	if (!q.s)
		return seterr(s->h, QDA_ENOMEM, "out of memory");
	st = prep(s->h, q.s);
	buf_free(&q);
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, s->o->by ? s->o->by : "");
	bind_where(s, st, 2);
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct fcase *nc = realloc(s->cases, (s->n_cases + 1) * sizeof *nc);
		const char *val = (const char *)sqlite3_column_text(st, 1);
		if (!nc) {
			rc = seterr(s->h, QDA_ENOMEM, "out of memory");
			break;
		}
		s->cases = nc;
		nc[s->n_cases].id = sqlite3_column_int64(st, 0);
		nc[s->n_cases].group = -1;
		if (s->o->by) {
			const char *v = val ? val : "(unset)";
			for (i = 0; i < s->n_groups; i++)
				if (strcmp(s->groups[i].value, v) == 0)
					break;
			if (i == s->n_groups) {
				struct qda_freq_group *ng = realloc(s->groups, (s->n_groups + 1) * sizeof *ng);
				if (!ng || !(v = strdup(v))) {
					if (ng)
						s->groups = ng;
					rc = seterr(s->h, QDA_ENOMEM, "out of memory");
					break;
				}
				s->groups = ng;
				ng[i].value = v;
				ng[i].cases = ng[i].documents = 0;
				s->n_groups++;
			}
			s->groups[i].cases++;
			nc[s->n_cases].group = (long)i;
		}
		s->n_cases++;
	}
	sqlite3_finalize(st);
	return rc;
}

static int cmp_group(const void *a, const void *b)
{
	const struct qda_freq_group *x = a, *y = b;
	int xu = strcmp(x->value, "(unset)") == 0, yu = strcmp(y->value, "(unset)") == 0;
	if (xu != yu)
		return xu - yu;
	return strcmp(x->value, y->value);
}

static int cmp_span(const void *a, const void *b)
{
	const int64_t *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return (x[1] > y[1]) - (x[1] < y[1]);
}

/* Words (runs of letters and digits) of text overlapping the spans. */
static long count_words(const char *text, size_t len, const int64_t *v, size_t n)
{
	size_t b = 0, k = 0;
	int64_t cp = 0;
	int in_word = 0;
	long words = 0;
	while (b < len && k < n) {
		utf8proc_int32_t c;
		utf8proc_ssize_t step = utf8proc_iterate((const utf8proc_uint8_t *)text + b, (utf8proc_ssize_t)(len - b), &c);
		int letter;
		if (step <= 0)
			step = 1, c = ' ';
		while (k < n && cp >= v[2 * k + 1]) {
			k++;
			in_word = 0;
		}
		if (k >= n)
			break;
		if (cp >= v[2 * k]) {
			utf8proc_category_t cat = utf8proc_category(c);
			letter = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
			         (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME && in_word);
			if (letter && !in_word)
				words++;
			in_word = letter;
		}
		b += (size_t)step;
		cp++;
	}
	return words;
}

struct docstate {
	long long id;
	long case_ix;
	int64_t *iv;      /* interviewer turn spans */
	size_t n_iv, cap_iv;
};

static int inside_interviewer(const struct docstate *d, int64_t start, int64_t end)
{
	size_t lo = 0, hi = d->n_iv;
	/* the last interviewer span starting at or before start */
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (d->iv[2 * mid] <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && d->iv[2 * (lo - 1) + 1] >= end;
}

static enum qda_status flush_doc(struct state *s, struct docstate *d, sqlite3_stmt *txt)
{
	size_t i;
	const char *text = NULL;
	size_t tlen = 0;
	long group = d->case_ix >= 0 ? s->cases[d->case_ix].group : -1;

	if (s->o->words) {
		sqlite3_reset(txt);
		sqlite3_bind_int64(txt, 1, d->id);
		if (sqlite3_step(txt) == SQLITE_ROW) {
			text = (const char *)sqlite3_column_text(txt, 0);
			tlen = (size_t)sqlite3_column_bytes(txt, 0);
		}
	}
	for (i = 0; i < s->n_nodes; i++) {
		struct fnode *n = &s->nodes[i];
		size_t k, m = 0;
		long segs, words = 0;
		if (n->spans.n == 0)
			continue;
		qsort(n->spans.v, n->spans.n, 2 * sizeof(int64_t), cmp_span);
		/* Union: overlapping spans are one segment. */
		for (k = 1; k < n->spans.n; k++) {
			if (n->spans.v[2 * k] < n->spans.v[2 * m + 1]) {
				if (n->spans.v[2 * k + 1] > n->spans.v[2 * m + 1])
					n->spans.v[2 * m + 1] = n->spans.v[2 * k + 1];
			} else {
				m++;
				n->spans.v[2 * m] = n->spans.v[2 * k];
				n->spans.v[2 * m + 1] = n->spans.v[2 * k + 1];
			}
		}
		segs = (long)m + 1;
		if (text)
			words = count_words(text, tlen, n->spans.v, m + 1);
		s->all[i].segments += segs;
		s->all[i].documents++;
		s->all[i].words += words;
		if (d->case_ix >= 0 && !s->case_seen[i * s->n_cases + d->case_ix]) {
			s->case_seen[i * s->n_cases + d->case_ix] = 1;
			s->all[i].cases++;
			if (group >= 0)
				s->cells[i * s->n_groups + group].cases++;
		}
		if (group >= 0) {
			s->cells[i * s->n_groups + group].segments += segs;
			s->cells[i * s->n_groups + group].documents++;
			s->cells[i * s->n_groups + group].words += words;
		}
		n->spans.n = 0;
	}
	return QDA_OK;
}

static enum qda_status add_span(struct state *s, long node_ix, int64_t start, int64_t end)
{
	long k;
	/* The coding counts for its node and every ancestor. */
	for (k = node_ix; k >= 0; k = s->nodes[k].parent_ix) {
		struct qda_span_list *l = &s->nodes[k].spans;
		if (l->n == l->cap) {
			size_t cap = l->cap ? l->cap * 2 : 16;
			int64_t *v = realloc(l->v, cap * 2 * sizeof *v);
			if (!v)
				return seterr(s->h, QDA_ENOMEM, "out of memory");
			l->v = v;
			l->cap = cap;
		}
		l->v[2 * l->n] = start;
		l->v[2 * l->n + 1] = end;
		l->n++;
	}
	return QDA_OK;
}

static enum qda_status load_interviewer(struct state *s, sqlite3_stmt *iv, struct docstate *d)
{
	d->n_iv = 0;
	if (s->o->include_interviewer)
		return QDA_OK;
	sqlite3_reset(iv);
	sqlite3_bind_int64(iv, 1, d->id);
	while (sqlite3_step(iv) == SQLITE_ROW) {
		if (d->n_iv == d->cap_iv) {
			size_t cap = d->cap_iv ? d->cap_iv * 2 : 64;
			int64_t *v = realloc(d->iv, cap * 2 * sizeof *v);
			if (!v)
				return seterr(s->h, QDA_ENOMEM, "out of memory");
			d->iv = v;
			d->cap_iv = cap;
		}
		d->iv[2 * d->n_iv] = sqlite3_column_int64(iv, 0);
		d->iv[2 * d->n_iv + 1] = sqlite3_column_int64(iv, 1);
		d->n_iv++;
	}
	return QDA_OK;
}

enum qda_status qda_freq(struct qda *h, const struct qda_freq_opts *o, qda_freq_fn fn, void *ctx)
{
	struct state s = { 0 };
	struct buf where = { 0 }, q = { 0 };
	sqlite3_stmt *cod = NULL, *txt = NULL, *iv = NULL, *docs = NULL;
	struct docstate d = { 0 };
	struct qda_freq_result res;
	struct qda_freq_cell *rowcells = NULL;
	enum qda_status rc;
	long long coder = 0;
	size_t i;
	int step;

	s.h = h;
	s.o = o;
	if ((rc = load_nodes(&s)) != QDA_OK)
		goto out;
	buf_adds(&where, "");
	if ((rc = where_sql(&s, &where)) != QDA_OK)
		goto out;
	if ((rc = load_cases(&s, where.s)) != QDA_OK)
		goto out;
	if (o->coder) {
		sqlite3_stmt *c = prep(h, "SELECT id FROM coder WHERE name = ?");
		if (!c) {
			rc = QDA_EDB;
			goto out;
		}
		bind_text(c, 1, o->coder);
		if (sqlite3_step(c) == SQLITE_ROW)
			coder = sqlite3_column_int64(c, 0);
		sqlite3_finalize(c);
		if (!coder) {
			rc = seterr(h, QDA_ENOTFOUND, "no coder '%s' in this project", o->coder);
			goto out;
		}
	}
	/* Groups in a stable order: values sorted, "(unset)" last. */
	if (s.n_groups) {
		const char **before = malloc(s.n_groups * sizeof *before);
		long *remap = malloc(s.n_groups * sizeof *remap);
		size_t j;
		if (!before || !remap) {
			free(before);
			free(remap);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		for (j = 0; j < s.n_groups; j++)
			before[j] = s.groups[j].value;
		qsort(s.groups, s.n_groups, sizeof *s.groups, cmp_group);
		for (j = 0; j < s.n_groups; j++) {
			size_t k;
			for (k = 0; k < s.n_groups; k++)
				if (s.groups[k].value == before[j])
					remap[j] = (long)k;
		}
		for (j = 0; j < s.n_cases; j++)
			if (s.cases[j].group >= 0)
				s.cases[j].group = remap[s.cases[j].group];
		free(before);
		free(remap);
	}
	s.all = calloc(s.n_nodes + 1, sizeof *s.all);
	s.cells = calloc(s.n_nodes * s.n_groups + 1, sizeof *s.cells);
	s.case_seen = calloc(s.n_nodes * s.n_cases + 1, 1);
	rowcells = calloc(s.n_groups + 1, sizeof *rowcells);
	if (!s.all || !s.cells || !s.case_seen || !rowcells) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	/* Documents in scope, for the groups' document counts. */
	buf_adds(&q, "SELECT d.case_id FROM document d WHERE 1");
	buf_adds(&q, where.s);
	if (!q.s || !(docs = prep(h, q.s))) {
		rc = q.s ? QDA_EDB : seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	bind_where(&s, docs, 1);
	{
		long ndocs = 0;
		while (sqlite3_step(docs) == SQLITE_ROW) {
			long ci = find_case(&s, sqlite3_column_int64(docs, 0));
			ndocs++;
			if (ci >= 0 && s.cases[ci].group >= 0)
				s.groups[s.cases[ci].group].documents++;
		}
		res.documents = ndocs;
	}
	buf_free(&q);
	buf_adds(&q, "SELECT c.doc_id, d.case_id, c.node_id, c.start, c.end FROM coding c"
	             " JOIN document d ON d.id = c.doc_id WHERE (?1 = 0 OR c.coder_id = ?1)");
	buf_adds(&q, where.s);
	buf_adds(&q, " ORDER BY c.doc_id");
	if (!q.s || !(cod = prep(h, q.s))) {
		rc = q.s ? QDA_EDB : seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	sqlite3_bind_int64(cod, 1, coder);
	bind_where(&s, cod, 2);
	if (!(txt = prep(h, "SELECT text FROM document WHERE id = ?")) ||
	    !(iv = prep(h, "SELECT t.start, t.end FROM turn t JOIN speaker sp ON sp.id = t.speaker_id"
	                   " WHERE t.doc_id = ? AND sp.is_interviewer = 1 ORDER BY t.start"))) {
		rc = QDA_EDB;
		goto out;
	}
	d.id = 0;
	while ((step = sqlite3_step(cod)) == SQLITE_ROW) {
		long long doc = sqlite3_column_int64(cod, 0);
		long node_ix = find_node(&s, sqlite3_column_int64(cod, 2));
		int64_t start = sqlite3_column_int64(cod, 3), end = sqlite3_column_int64(cod, 4);
		if (doc != d.id) {
			if (d.id && (rc = flush_doc(&s, &d, txt)) != QDA_OK)
				goto out;
			d.id = doc;
			d.case_ix = sqlite3_column_type(cod, 1) == SQLITE_NULL ? -1 : find_case(&s, sqlite3_column_int64(cod, 1));
			if ((rc = load_interviewer(&s, iv, &d)) != QDA_OK)
				goto out;
		}
		if (node_ix < 0)
			continue; /* a retired node */
		if (d.n_iv && inside_interviewer(&d, start, end)) {
			s.excluded++;
			continue;
		}
		if ((rc = add_span(&s, node_ix, start, end)) != QDA_OK)
			goto out;
	}
	if (step != SQLITE_DONE) {
		rc = dberr(h, "read codings");
		goto out;
	}
	if (d.id && (rc = flush_doc(&s, &d, txt)) != QDA_OK)
		goto out;
	res.groups = s.groups;
	res.n_groups = s.n_groups;
	res.cases = (long)s.n_cases;
	res.excluded_interviewer = s.excluded;
	for (i = 0; i < s.n_nodes; i++) {
		long ix = s.by_order[i];
		struct fnode *n = &s.nodes[ix];
		struct qda_freq_row r;
		int keep;
		switch (o->level) {
		case QDA_LEVEL_THEME: keep = n->depth == 1; break;
		case QDA_LEVEL_SUBTHEME: keep = strcmp(n->kind, "subtheme") == 0; break;
		case QDA_LEVEL_CODE: keep = strcmp(n->kind, "code") == 0; break;
		default: keep = 1;
		}
		if (!keep)
			continue;
		r.id = n->key;
		r.name = n->name;
		r.kind = n->kind;
		r.parent = n->parent;
		r.depth = n->depth;
		r.all = s.all[ix];
		memcpy(rowcells, s.cells + (size_t)ix * s.n_groups, s.n_groups * sizeof *rowcells);
		r.groups = rowcells;
		if (fn(ctx, &res, &r))
			break;
	}
out:
	sqlite3_finalize(cod);
	sqlite3_finalize(txt);
	sqlite3_finalize(iv);
	sqlite3_finalize(docs);
	buf_free(&where);
	buf_free(&q);
	free(d.iv);
	free(rowcells);
	for (i = 0; i < s.n_nodes; i++) {
		free(s.nodes[i].key);
		free(s.nodes[i].name);
		free(s.nodes[i].kind);
		free(s.nodes[i].parent);
		free(s.nodes[i].spans.v);
	}
	free(s.nodes);
	free(s.by_order);
	free(s.cases);
	for (i = 0; i < s.n_groups; i++)
		free((char *)s.groups[i].value);
	free(s.groups);
	free(s.all);
	free(s.cells);
	free(s.case_seen);
	return rc;
}
