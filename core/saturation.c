/* saturation.c — code saturation after Guest, Namey & Chen (2020): the
 * documents in the order they were collected or coded, the codes each is
 * the first to bring, and the base size / run length / new-information
 * threshold verdict. Counts under the shared filters; never prints. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct sdoc {
	long long id;
	char *name, *case_name, *key; /* key NULL: no value */
	double num;                   /* key as a number, when every key is one */
	int numeric;                  /* sort by num */
	long *codes;                  /* tree indices at the level, with repeats */
	size_t n_codes, cap;
	int counted;                  /* at least one coding counted */
};

static long find_doc(const struct sdoc *v, size_t n, long long id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && v[lo].id == id ? (long)lo : -1;
}

/* Keys first (as numbers when all are, else as text), then the documents
 * without one; ties by name, then id. */
static int by_key(const void *a, const void *b)
{
	const struct sdoc *x = a, *y = b;
	int c;
	if (!x->key != !y->key)
		return x->key ? -1 : 1;
	if (x->key) {
		if (x->numeric)
			c = (x->num > y->num) - (x->num < y->num);
		else
			c = strcmp(x->key, y->key);
		if (c)
			return c;
	}
	c = strcmp(x->name, y->name);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return (x > y) - (x < y);
}

static void docs_free(struct sdoc *v, size_t n)
{
	size_t i;
	for (i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].case_name);
		free(v[i].key);
		free(v[i].codes);
	}
	free(v);
}

/* The documents in scope, by id, with the attribute's value as key. */
static enum qda_status load_docs(struct qda *h, const struct qda_saturation_opts *o, const struct filter_sql *fs,
                                 struct sdoc **out, size_t *n_out)
{
	struct buf q = { 0 };
	sqlite3_stmt *st;
	struct sdoc *v = NULL;
	size_t n = 0;
	enum qda_status rc = QDA_OK;
	int step;

	buf_adds(&q, "SELECT d.id, d.name, coalesce(cs.name, ''),"
	             " (SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = ?)"
	             " FROM document d LEFT JOIN cases cs ON cs.id = d.case_id WHERE 1");
	buf_adds(&q, fs->where.s);
	buf_adds(&q, " ORDER BY d.id");
	if (q.failed)
		return seterr(h, QDA_ENOMEM, "out of memory");
	st = prep(h, q.s);
	buf_free(&q);
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, o->order == QDA_SAT_ATTR ? o->attr : "");
	filter_bind(st, 2, fs);
	while ((step = step_row(h, st, "read documents")) > 0) {
		const char *key = (const char *)sqlite3_column_text(st, 3);
		struct sdoc *nv = realloc(v, (n + 1) * sizeof *v), *d;
		if (!nv) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
		v = nv;
		d = &v[n++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(st, 0);
		d->name = strdup((const char *)sqlite3_column_text(st, 1));
		d->case_name = strdup((const char *)sqlite3_column_text(st, 2));
		if (o->order == QDA_SAT_ATTR && key)
			d->key = strdup(key);
		if (!d->name || !d->case_name || (o->order == QDA_SAT_ATTR && key && !d->key)) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
	}
	if (rc == QDA_OK && step < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	if (rc != QDA_OK) {
		docs_free(v, n);
		return rc;
	}
	*out = v;
	*n_out = n;
	return QDA_OK;
}

/* Each document's counted codings: its codes at the level, and (for the
 * date order) the time of its first counted coding as key. */
static enum qda_status read_codings(struct qda *h, const struct qda_saturation_opts *o, const struct filter_sql *fs,
                                    const struct tree *t, struct sdoc *docs, size_t n)
{
	struct buf q = { 0 };
	struct layout L = { 0 };
	sqlite3_stmt *st = NULL;
	enum qda_status rc = QDA_OK;
	long long cur = 0;
	long di = -1;
	int iv = !o->filter.include_interviewer, step;

	buf_adds(&q, "SELECT c.doc_id, c.node_id, c.start, c.end, c.created FROM coding c"
	             " JOIN document d ON d.id = c.doc_id WHERE 1");
	buf_adds(&q, fs->cond.s);
	buf_adds(&q, " ORDER BY c.doc_id");
	if (q.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	filter_bind(st, 1, fs);
	if (iv && (rc = layout_open(h, LAYOUT_TURNS, &L)) != QDA_OK)
		goto out;
	while ((step = step_row(h, st, "read codings")) > 0) {
		long long doc = sqlite3_column_int64(st, 0);
		long ix = tree_find(t, sqlite3_column_int64(st, 1)), at;
		const char *created = (const char *)sqlite3_column_text(st, 4);
		struct sdoc *d;
		if (doc != cur) {
			cur = doc;
			di = find_doc(docs, n, doc);
			if (iv && (rc = layout_load(&L, doc)) != QDA_OK)
				goto out;
		}
		if (di < 0 || ix < 0)
			continue; /* a retired node */
		if (iv && layout_interviewer(&L, sqlite3_column_int64(st, 2), sqlite3_column_int64(st, 3)))
			continue;
		d = &docs[di];
		d->counted = 1;
		if (o->order == QDA_SAT_DATE && created && (!d->key || strcmp(created, d->key) < 0)) {
			free(d->key);
			if (!(d->key = strdup(created))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
		}
		if ((at = tree_at_level(t, ix, o->level)) < 0)
			continue; /* coded above the level: the document counts, brings no code */
		if (d->n_codes == d->cap) {
			size_t cap = d->cap ? d->cap * 2 : 8;
			long *nc = realloc(d->codes, cap * sizeof *nc);
			if (!nc) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			d->codes = nc;
			d->cap = cap;
		}
		d->codes[d->n_codes++] = t->nodes[at].rank;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	layout_close(&L);
	buf_free(&q);
	return rc;
}

/* Keep the counted documents, in the order asked. */
static enum qda_status order_docs(struct qda *h, const struct qda_saturation_opts *o, struct sdoc *docs, size_t *n,
                                  struct qda_saturation *s)
{
	size_t i, k = 0;
	int numeric = 1;
	for (i = 0; i < *n; i++) {
		if (!docs[i].counted) {
			s->left_out++;
			free(docs[i].name);
			free(docs[i].case_name);
			free(docs[i].key);
			free(docs[i].codes);
			continue;
		}
		docs[k++] = docs[i];
	}
	*n = k;
	if (o->order == QDA_SAT_IMPORT) {
		for (i = 0; i < k; i++) {
			char buf[32];
			snprintf(buf, sizeof buf, "%lld", docs[i].id);
			if (!(docs[i].key = strdup(buf)))
				return seterr(h, QDA_ENOMEM, "out of memory");
		}
		return QDA_OK; /* already by id */
	}
	for (i = 0; i < k; i++) {
		char *end;
		if (!docs[i].key) {
			s->no_key++;
			continue;
		}
		docs[i].num = strtod(docs[i].key, &end);
		if (end == docs[i].key || *end || !isfinite(docs[i].num))
			numeric = 0;
	}
	for (i = 0; i < k; i++)
		docs[i].numeric = o->order == QDA_SAT_ATTR && numeric;
	qsort(docs, k, sizeof *docs, by_key);
	return QDA_OK;
}

/* The rows: new codes per document against those seen before it, the
 * cumulative count, and the runs after the base. */
static enum qda_status walk(struct qda *h, const struct qda_saturation_opts *o, const struct tree *t,
                            struct sdoc *docs, size_t n, struct qda_saturation *s)
{
	unsigned char *seen = calloc(t->n + 1, 1);
	long cum = 0;
	size_t i, j;

	if (!seen || !(s->rows = calloc(n + 1, sizeof *s->rows))) {
		free(seen);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	for (i = 0; i < n; i++) {
		struct sdoc *d = &docs[i];
		struct qda_saturation_row *r = &s->rows[i];
		struct buf ids = { 0 };
		/* ranks in codebook order, each once */
		if (d->n_codes)
			qsort(d->codes, d->n_codes, sizeof *d->codes, cmp_long);
		buf_adds(&ids, "");
		r->new_codes = 0;
		for (j = 0; j < d->n_codes; j++) {
			long rank = d->codes[j];
			if ((j && rank == d->codes[j - 1]) || seen[rank])
				continue;
			seen[rank] = 1;
			buf_addf(&ids, "%s%s", r->new_codes ? "; " : "", t->nodes[t->order[rank]].key);
			r->new_codes++;
		}
		cum += r->new_codes;
		r->position = (long)i + 1;
		r->doc = d->name;
		r->case_name = d->case_name;
		r->key = d->key;
		d->name = d->case_name = d->key = NULL;
		r->cumulative = cum;
		r->run_new = -1;
		r->run_pct = NAN;
		s->n = i + 1;
		if (!(r->new_ids = buf_take(&ids)))
			goto nomem;
		if ((long)i + 1 == o->base)
			s->base_codes = cum;
	}
	if ((long)n < o->base)
		s->base_codes = 0;
	for (i = (size_t)(o->base + o->run) - 1; i < n; i++) {
		struct qda_saturation_row *r = &s->rows[i];
		r->run_new = r->cumulative - s->rows[i - (size_t)o->run].cumulative;
		if (s->base_codes)
			r->run_pct = 100.0 * (double)r->run_new / (double)s->base_codes;
	}
	if ((long)n < o->base + o->run)
		s->verdict = QDA_SAT_TOO_FEW;
	else if (!s->base_codes)
		s->verdict = QDA_SAT_EMPTY_BASE;
	else {
		s->verdict = QDA_SAT_NOT_REACHED;
		for (i = (size_t)(o->base + o->run) - 1; i < n; i++)
			/* in integers where the threshold is one: 1 new of 20 is exactly 5% */
			if (100.0 * (double)s->rows[i].run_new <= o->threshold * (double)s->base_codes) {
				s->verdict = QDA_SAT_REACHED;
				s->at = s->rows[i].position;
				s->pct = s->rows[i].run_pct;
				break;
			}
	}
	free(seen);
	return QDA_OK;
nomem:
	free(seen);
	return seterr(h, QDA_ENOMEM, "out of memory");
}

enum qda_status qda_saturation(struct qda *h, const struct qda_saturation_opts *o, struct qda_saturation **out)
{
	struct filter_sql fs = { 0 };
	struct tree t = { 0 };
	struct sdoc *docs = NULL;
	struct qda_saturation *s;
	size_t n = 0;
	enum qda_status rc;

	*out = NULL;
	if (o->base < 1 || o->run < 1)
		return seterr(h, QDA_EINVAL, "the base size and the run length are at least 1 document");
	if (!(o->threshold >= 0))
		return seterr(h, QDA_EINVAL, "the new-information threshold is a percentage of at least 0");
	if (o->order == QDA_SAT_ATTR && (rc = attr_key_check(h, o->attr, strlen(o->attr))) != QDA_OK)
		return rc;
	if (!(s = calloc(1, sizeof *s)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = tree_load(h, &t)) != QDA_OK || (rc = filter_prepare(h, &o->filter, &fs)) != QDA_OK)
		goto out;
	if ((rc = load_docs(h, o, &fs, &docs, &n)) != QDA_OK)
		goto out;
	if ((rc = read_codings(h, o, &fs, &t, docs, n)) != QDA_OK || (rc = order_docs(h, o, docs, &n, s)) != QDA_OK ||
	    (rc = walk(h, o, &t, docs, n, s)) != QDA_OK)
		goto out;
out:
	docs_free(docs, n);
	filter_sql_free(&fs);
	tree_free(&t);
	if (rc != QDA_OK)
		qda_saturation_free(s);
	else
		*out = s;
	return rc;
}

void qda_saturation_free(struct qda_saturation *s)
{
	size_t i;
	if (!s)
		return;
	for (i = 0; i < s->n; i++) {
		free(s->rows[i].doc);
		free(s->rows[i].case_name);
		free(s->rows[i].key);
		free(s->rows[i].new_ids);
	}
	free(s->rows);
	free(s);
}
