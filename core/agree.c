/* agree.c — inter-coder agreement: percent agreement and Cohen's kappa as
 * NVivo's coding comparison defines them, Krippendorff's alpha from the
 * coincidence matrix, and the stretches where coders differ. One ordered
 * query over the codings of the coders compared, one document at a time,
 * interval arithmetic over sorted spans: never a loop over characters. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_CODERS 64

/* ---- the statistics ---- */

double qda_agree_percent(const struct qda_agree_counts *c)
{
	long long neither = c->n - c->a - c->b + c->both;
	if (c->n <= 0)
		return 100.0;
	return 100.0 * (double)(c->both + neither) / (double)c->n;
}

double qda_agree_kappa(const struct qda_agree_counts *c)
{
	/* Multiplied through by n, so the arithmetic stays exact in 64-bit
	 * integers up to some 3e9 units: kappa = (n*agree - n*EF) / (n*n - n*EF). */
	long long n = c->n, agree = c->both + (n - c->a - c->b + c->both);
	long long nef = c->a * c->b + (n - c->a) * (n - c->b);
	long long num = n * agree - nef, den = n * n - nef;
	if (den == 0)
		return 1.0;
	return (double)num / (double)den;
}

double qda_agree_coded(const struct qda_agree_counts *c)
{
	long long either = c->a + c->b - c->both;
	if (either <= 0)
		return NAN;
	return 100.0 * (double)c->both / (double)either;
}

/* The coincidence matrix of k values, o[c * k + v], built unit by unit. */
struct alpha {
	size_t k;
	double *o;
	double units;     /* units with two values or more */
};

/* Add a unit: values[0..m) (-1 missing), the unit weighing w (a stretch of
 * w characters counts as w units with the same values). count: k scratch. */
static void alpha_unit(struct alpha *a, const int *values, size_t m, double w, double *count)
{
	size_t i, c, v;
	double mu = 0;
	for (c = 0; c < a->k; c++)
		count[c] = 0;
	for (i = 0; i < m; i++)
		if (values[i] >= 0 && (size_t)values[i] < a->k) {
			count[values[i]]++;
			mu++;
		}
	/* Only pairable values count: a unit coded by fewer than two coders
	 * says nothing about agreement. */
	if (mu < 2)
		return;
	for (c = 0; c < a->k; c++) {
		if (!count[c])
			continue;
		for (v = 0; v < a->k; v++)
			a->o[c * a->k + v] += w * count[c] * (c == v ? count[v] - 1 : count[v]) / (mu - 1);
	}
	a->units += w;
}

/* alpha = 1 - D_o / D_e, D_o = sum_{c != k} o_ck / n, D_e = sum_{c != k} n_c n_k / (n (n - 1)).
 * nc: scratch for k values. */
static double alpha_value(const struct alpha *a, double *nc, double *pairable, double *observed, double *expected)
{
	double n = 0, dis = 0, exp = 0;
	size_t c, v;
	double alpha = NAN;
	*pairable = *observed = *expected = NAN;
	for (c = 0; c < a->k; c++)
		nc[c] = 0;
	for (c = 0; c < a->k; c++)
		for (v = 0; v < a->k; v++) {
			nc[c] += a->o[c * a->k + v];
			if (c != v)
				dis += a->o[c * a->k + v];
		}
	for (c = 0; c < a->k; c++)
		n += nc[c];
	for (c = 0; c < a->k; c++)
		for (v = 0; v < a->k; v++)
			if (c != v)
				exp += nc[c] * nc[v];
	*pairable = n;
	if (n < 2)
		return NAN;
	*observed = dis / n;
	*expected = exp / (n * (n - 1));
	if (exp > 0)
		alpha = 1.0 - (n - 1) * dis / exp;
	return alpha;
}

double qda_alpha_nominal(const int *values, size_t n_units, size_t n_coders)
{
	struct alpha a = { 0 };
	double *count, n, d_o, d_e, r;
	size_t u, i;
	int max = -1;
	for (i = 0; i < n_units * n_coders; i++)
		if (values[i] > max)
			max = values[i];
	if (max < 0)
		return NAN;
	a.k = (size_t)max + 1;
	a.o = calloc(a.k * a.k, sizeof *a.o);
	count = calloc(a.k, sizeof *count);
	if (!a.o || !count) {
		free(a.o);
		free(count);
		return NAN;
	}
	for (u = 0; u < n_units; u++)
		alpha_unit(&a, values + u * n_coders, n_coders, 1, count);
	r = alpha_value(&a, count, &n, &d_o, &d_e);
	free(a.o);
	free(count);
	return r;
}

/* ---- alpha_u: unitizing a continuum ---- */

/* One code's alpha_u, accumulated continuum by continuum. */
struct ualpha {
	double dis;              /* sum over coder pairs i < j of the squared distances */
	double length;           /* L: the characters of every continuum */
	double sq;               /* sum over the units of l (l - 1) */
	int64_t *units, *gaps;   /* every coder's unit and gap lengths */
	size_t n_units, cap_units, n_gaps, cap_gaps;
};

static int push_len(int64_t **v, size_t *n, size_t *cap, int64_t x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		int64_t *nv = realloc(*v, c * sizeof *nv);
		if (!nv)
			return -1;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return 0;
}

/* A coder's sections of a continuum [pos, end): units (the coder's spans)
 * and the gaps between them, in order. */
struct section {
	const int64_t *v;
	size_t n, k;
	int64_t pos, end, s, e;
	int unit;
};

static int section_next(struct section *x)
{
	if (x->pos >= x->end)
		return 0;
	x->s = x->pos;
	if (x->k < x->n && x->v[2 * x->k] == x->pos) {
		x->e = x->v[2 * x->k + 1];
		x->unit = 1;
		x->k++;
	} else {
		x->e = x->k < x->n ? x->v[2 * x->k] : x->end;
		x->unit = 0;
	}
	x->pos = x->e;
	return 1;
}

/* The squared distance of two overlapping sections (Krippendorff 2004,
 * 12.4): of two units, the squared differences of their starts and ends;
 * of a unit lying inside the other coder's gap, its squared length; else 0. */
static double section_distance(const struct section *a, const struct section *b)
{
	double ds = (double)(a->s - b->s), de = (double)(a->e - b->e);
	if (a->unit && b->unit)
		return ds * ds + de * de;
	if (a->unit && b->s <= a->s && a->e <= b->e)
		return (double)(a->e - a->s) * (double)(a->e - a->s);
	if (b->unit && a->s <= b->s && b->e <= a->e)
		return (double)(b->e - b->s) * (double)(b->e - b->s);
	return 0;
}

/* Add a continuum [start, end): coder i's units the n[i] sorted,
 * non-overlapping spans v[i], all inside it. -1 when memory runs out. */
static int ualpha_add(struct ualpha *u, const int64_t *const *v, const size_t *n, size_t m, int64_t start,
                      int64_t end)
{
	size_t i, j;
	u->length += (double)(end - start);
	for (i = 0; i < m; i++) {
		struct section a = { v[i], n[i], 0, start, end, 0, 0, 0 };
		while (section_next(&a)) {
			int64_t l = a.e - a.s;
			if (a.unit) {
				if (push_len(&u->units, &u->n_units, &u->cap_units, l))
					return -1;
				u->sq += (double)l * (double)(l - 1);
			} else if (push_len(&u->gaps, &u->n_gaps, &u->cap_gaps, l))
				return -1;
		}
		for (j = i + 1; j < m; j++) {
			struct section x = { v[i], n[i], 0, start, end, 0, 0, 0 };
			struct section y = { v[j], n[j], 0, start, end, 0, 0, 0 };
			int hx = section_next(&x), hy = section_next(&y);
			/* a merge: the two current sections always overlap */
			while (hx && hy) {
				int64_t ex = x.e, ey = y.e;
				u->dis += section_distance(&x, &y);
				if (ex <= ey)
					hx = section_next(&x);
				if (ey <= ex)
					hy = section_next(&y);
			}
		}
	}
	return 0;
}

static int len_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* D_o = 2 dis / (m (m - 1) L^2); D_e = (2 / L) sum over units l of
 * [(N - 1)(2l^3 - 3l^2 + l) / 3 + l^2 sum over gaps g >= l of (g - l + 1)]
 * / [m L (m L - 1) - sum over units of l (l - 1)], N the units of every
 * coder (Krippendorff 2004, 12.4). Sorts u->gaps. */
static double ualpha_value(struct ualpha *u, size_t m, double *d_o, double *d_e)
{
	double L = u->length, N = (double)u->n_units, num = 0, den, *above = NULL;
	size_t i;
	*d_o = *d_e = NAN;
	if (!u->n_units || L <= 0 || m < 2)
		return NAN;
	*d_o = 2 * u->dis / ((double)m * (double)(m - 1) * L * L);
	if (u->n_gaps)
		qsort(u->gaps, u->n_gaps, sizeof *u->gaps, len_cmp);
	/* above[k]: the sum of the gaps from k on (the k smallest left out) */
	if (!(above = malloc((u->n_gaps + 1) * sizeof *above)))
		return NAN;
	above[u->n_gaps] = 0;
	for (i = u->n_gaps; i-- > 0;)
		above[i] = above[i + 1] + (double)u->gaps[i];
	for (i = 0; i < u->n_units; i++) {
		double l = (double)u->units[i];
		size_t lo = 0, hi = u->n_gaps;
		while (lo < hi) {  /* the first gap >= l */
			size_t mid = (lo + hi) / 2;
			if (u->gaps[mid] < u->units[i])
				lo = mid + 1;
			else
				hi = mid;
		}
		num += (N - 1) * (2 * l * l * l - 3 * l * l + l) / 3 +
		       l * l * (above[lo] - (double)(u->n_gaps - lo) * (l - 1));
	}
	free(above);
	den = (double)m * L * ((double)m * L - 1) - u->sq;
	if (den <= 0)
		return NAN;
	*d_e = 2 / L * num / den;
	return *d_e > 0 ? 1 - *d_o / *d_e : NAN;
}

static void ualpha_free(struct ualpha *u)
{
	free(u->units);
	free(u->gaps);
}

double qda_alpha_u(const int64_t *const *spans, const size_t *n, size_t m, int64_t length, double *d_o, double *d_e)
{
	struct ualpha u = { 0 };
	double o, e, a = NAN;
	if (ualpha_add(&u, spans, n, m, 0, length) == 0)
		a = ualpha_value(&u, m, &o, &e);
	else
		o = e = NAN;
	if (d_o)
		*d_o = o;
	if (d_e)
		*d_e = e;
	ualpha_free(&u);
	return a;
}

/* ---- the walk over the codings ---- */

enum mode { MODE_KAPPA, MODE_ALPHA, MODE_DOMAIN, MODE_DISAGREE };

struct adoc {
	long long id, length;
	char *name;
	long rank;               /* in name order */
};

struct aturn {
	int64_t start, end;
	long n;
};

struct seg {
	int64_t start, end;
	uint64_t mask;           /* the coders coding the stretch */
};

struct ev {
	int64_t pos;
	int coder, delta;
};

struct krow {                /* kappa: one code in one document */
	long node, doc;
	long node_rank, doc_rank;  /* tree order, name order: the output's */
	struct qda_agree_counts c;
};

struct drow {                /* a disagreement */
	long node, doc, turn;
	long node_rank, doc_rank;
	int64_t start, end;
	uint64_t mask;
};

struct run {
	struct qda *h;
	const struct qda_agree_opts *o;
	enum mode mode;
	struct tree t;
	size_t m;
	long long coder_id[MAX_CODERS];
	char *coder_name[MAX_CODERS];
	unsigned char *use;      /* per node: spans are gathered for it */
	unsigned char *touched;  /* per node: has spans in the current document */
	unsigned char *seen;     /* per node: had spans in a document compared */
	int own_only;            /* a coding counts for its own node only */
	long code_ix, domain_ix;
	struct spans *sp;        /* per node x coder, the current document's */
	struct adoc *docs;       /* sorted by id */
	size_t n_docs;
	long long doc_filter;
	struct filter_sql fs;    /* --no-auto, --review, --where */
	int iv_rule;             /* leave interviewer material out */
	struct layout L;         /* the current document's lines and turns */
	struct spans keep;       /* the current document's counted stretches (char unit) */
	struct spans cut;        /* scratch for clip() */
	struct aturn *turns;     /* the current document's unit turns */
	size_t n_turns, cap_turns;
	uint64_t *tmask;         /* per turn */
	struct ev *ev;
	size_t cap_ev;
	struct seg *seg;
	size_t n_seg, cap_seg;
	struct qda_agree_summary sum;
	/* kappa */
	struct qda_agree_counts *total; /* per node */
	double *wkappa;          /* per node: sum of units * kappa, sum of units, over documents */
	struct krow *krows;
	size_t n_krows, cap_krows;
	/* binary alpha: per node o00, o01, o11 and units */
	double *bin;
	/* alpha_u (char unit): per node */
	int unitizing;
	struct ualpha *ua;
	/* domain */
	long *value_of;          /* per node: its value (the domain child's index), -1 */
	long *values;            /* the children's node indices */
	struct alpha dom;
	double multiple;
	int *uv;                 /* scratch: one unit's values per coder */
	double *count;
	/* disagreements */
	struct drow *drows;
	size_t n_drows, cap_drows;
};

/* p with room for need elements (p itself when it has it); NULL, with the
 * error recorded and p still the caller's to free, when memory runs out. */
static void *grow(struct run *r, void *p, size_t *cap, size_t need, size_t size)
{
	size_t c = *cap ? *cap : 16;
	void *np;
	if (need <= *cap)
		return p;
	while (c < need)
		c *= 2;
	np = realloc(p, c * size);
	if (!np) {
		seterr(r->h, QDA_ENOMEM, "out of memory");
		return NULL;
	}
	*cap = c;
	return np;
}

static int popcount(uint64_t x)
{
	int n = 0;
	for (; x; x &= x - 1)
		n++;
	return n;
}

static int adoc_cmp_id(const void *a, const void *b)
{
	const struct adoc *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static long find_doc(const struct run *r, long long id)
{
	size_t lo = 0, hi = r->n_docs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (r->docs[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < r->n_docs && r->docs[lo].id == id ? (long)lo : -1;
}

static enum qda_status load_docs(struct run *r)
{
	struct buf q = { 0 };
	sqlite3_stmt *st;
	size_t cap = 0;
	enum qda_status rc = QDA_OK;
	int step;
	/* --where: the documents of matching cases only */
	buf_adds(&q, "SELECT d.id, d.name, d.length FROM document d WHERE 1");
	buf_adds(&q, r->fs.where.s);
	buf_adds(&q, " ORDER BY d.name");
	if (q.failed)
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	st = prep(r->h, q.s);
	buf_free(&q);
	if (!st)
		return QDA_EDB;
	filter_bind(st, 1, &r->fs);
	while ((step = step_row(r->h, st, "read documents")) > 0) {
		struct adoc *d = grow(r, r->docs, &cap, r->n_docs + 1, sizeof *r->docs);
		if (!d) {
			rc = QDA_ENOMEM;
			break;
		}
		r->docs = d;
		d = &r->docs[r->n_docs];
		d->id = sqlite3_column_int64(st, 0);
		d->name = strdup((const char *)sqlite3_column_text(st, 1));
		d->length = sqlite3_column_int64(st, 2);
		d->rank = (long)r->n_docs;
		if (!d->name) {
			rc = seterr(r->h, QDA_ENOMEM, "out of memory");
			break;
		}
		r->n_docs++;
	}
	if (rc == QDA_OK && step < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	/* ranks are in name order; lookups go by id */
	if (rc == QDA_OK && r->n_docs)
		qsort(r->docs, r->n_docs, sizeof *r->docs, adoc_cmp_id);
	return rc;
}

/* The names of every coder, for the message about an unknown one. */
static enum qda_status unknown_coder(struct run *r, const char *name)
{
	sqlite3_stmt *st;
	struct buf b = { 0 };
	enum qda_status rc;
	int step;
	if (!(st = prep(r->h, "SELECT name FROM coder ORDER BY name")))
		return QDA_EDB;
	while ((step = step_row(r->h, st, "read coders")) > 0)
		buf_addf(&b, "%s%s", b.len ? ", " : "", (const char *)sqlite3_column_text(st, 0));
	if (step < 0)
		rc = QDA_EDB;
	else if (b.failed)
		rc = seterr(r->h, QDA_ENOMEM, "out of memory");
	else if (b.len)
		rc = seterr(r->h, QDA_ENOTFOUND, "no coder '%s' in this project; the coders are %s", name, b.s);
	else
		rc = seterr(r->h, QDA_ENOTFOUND, "no coder '%s': nobody has coded in this project yet", name);
	sqlite3_finalize(st);
	buf_free(&b);
	return rc;
}

/* The coders by name, in the order given; an unknown one names the known. */
static enum qda_status load_coders(struct run *r)
{
	const struct qda_agree_opts *o = r->o;
	sqlite3_stmt *st;
	size_t i, j;
	int found;
	if (o->n_coders > MAX_CODERS)
		return seterr(r->h, QDA_EINVAL, "at most %d coders can be compared", MAX_CODERS);
	for (i = 0; i < o->n_coders; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(o->coders[i], o->coders[j]) == 0)
				return seterr(r->h, QDA_EINVAL, "coder '%s' is named twice", o->coders[i]);
		if (!(st = prep(r->h, "SELECT id, name FROM coder WHERE name = ?")))
			return QDA_EDB;
		bind_text(st, 1, o->coders[i]);
		if ((found = step_row(r->h, st, "find coder")) > 0) {
			r->coder_id[i] = sqlite3_column_int64(st, 0);
			r->coder_name[i] = strdup((const char *)sqlite3_column_text(st, 1));
		}
		sqlite3_finalize(st);
		if (found < 0)
			return QDA_EDB;
		if (!found)
			return unknown_coder(r, o->coders[i]);
		if (!r->coder_name[i])
			return seterr(r->h, QDA_ENOMEM, "out of memory");
		r->m = i + 1;
	}
	return QDA_OK;
}

/* The document's unit turns (the interviewer's left out under the rule),
 * from the layout loaded. */
static enum qda_status unit_turns(struct run *r)
{
	size_t i;
	r->n_turns = 0;
	for (i = 0; i < r->L.n_turns; i++) {
		const struct layout_turn *lt = &r->L.turns[i];
		struct aturn *t;
		if (r->iv_rule && lt->interviewer)
			continue;
		if (!(t = grow(r, r->turns, &r->cap_turns, r->n_turns + 1, sizeof *r->turns)))
			return QDA_ENOMEM;
		r->turns = t;
		r->turns[r->n_turns++] = (struct aturn){ lt->start, lt->end, lt->n };
	}
	free(r->tmask);
	r->tmask = calloc(r->n_turns + 1, sizeof *r->tmask);
	return r->tmask ? QDA_OK : seterr(r->h, QDA_ENOMEM, "out of memory");
}

/* s minus the sorted, disjoint stretches of cut, in place (out: scratch). */
static enum qda_status clip(struct run *r, struct spans *s, const struct spans *cut)
{
	struct spans *out = &r->cut, tmp;
	size_t i, k = 0, j;
	enum qda_status rc = QDA_OK;
	out->n = 0;
	for (i = 0; i < s->n && rc == QDA_OK; i++) {
		int64_t a = s->v[2 * i], e = s->v[2 * i + 1];
		while (k < cut->n && cut->v[2 * k + 1] <= a)
			k++;
		for (j = k; a < e && rc == QDA_OK; j++) {
			if (j >= cut->n || cut->v[2 * j] >= e) {
				rc = spans_push(r->h, out, a, e);
				break;
			}
			if (cut->v[2 * j] > a)
				rc = spans_push(r->h, out, a, cut->v[2 * j]);
			a = cut->v[2 * j + 1];
		}
	}
	if (rc != QDA_OK)
		return rc;
	tmp = *s;
	*s = *out;
	*out = tmp;
	return QDA_OK;
}

static struct spans *slot(struct run *r, long node, size_t coder)
{
	return &r->sp[(size_t)node * r->m + coder];
}

/* Set coder's bit in tmask for every turn one of its spans overlaps. */
static void mark_turns(struct run *r, const struct spans *s, int coder)
{
	size_t t, k = 0;
	for (t = 0; t < r->n_turns; t++) {
		while (k < s->n && s->v[2 * k + 1] <= r->turns[t].start)
			k++;
		if (k >= s->n)
			break;
		if (s->v[2 * k] < r->turns[t].end)
			r->tmask[t] |= (uint64_t)1 << coder;
	}
}

#define MERGE_MAX 16 /* slots merged in sweep; more are sorted */

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The stretches of the slots' spans (coders in mask) where the set of
 * coders stays the same: r->seg, each with its coders, uncovered stretches
 * left out. The slots' spans are sorted and disjoint per coder. */
static enum qda_status sweep(struct run *r, const long *nodes, const int *coders, size_t n_slots)
{
	size_t n = 0, i, k;
	uint64_t mask = 0;
	int64_t prev = 0;
	struct ev *ev;
	for (i = 0; i < n_slots; i++)
		n += 2 * slot(r, nodes[i], (size_t)coders[i])->n;
	if (!(ev = grow(r, r->ev, &r->cap_ev, n + 1, sizeof *r->ev)))
		return QDA_ENOMEM;
	r->ev = ev;
	n = 0;
	if (n_slots <= MERGE_MAX) {
		/* Each slot's bounds are in order already (sorted, disjoint spans):
		 * merged, not sorted, the first bound of the slots each time. */
		const int64_t *v[MERGE_MAX];
		size_t at[MERGE_MAX], len[MERGE_MAX];
		for (i = 0; i < n_slots; i++) {
			const struct spans *s = slot(r, nodes[i], (size_t)coders[i]);
			v[i] = s->v;
			len[i] = 2 * s->n;
			at[i] = 0;
		}
		for (;;) {
			size_t best = n_slots;
			for (i = 0; i < n_slots; i++)
				if (at[i] < len[i] && (best == n_slots || v[i][at[i]] < v[best][at[best]]))
					best = i;
			if (best == n_slots)
				break;
			r->ev[n++] = (struct ev){ v[best][at[best]], (int)best, at[best] % 2 ? -1 : 1 };
			at[best]++;
		}
	} else {
		for (i = 0; i < n_slots; i++) {
			const struct spans *s = slot(r, nodes[i], (size_t)coders[i]);
			for (k = 0; k < s->n; k++) {
				r->ev[n++] = (struct ev){ s->v[2 * k], (int)i, 1 };
				r->ev[n++] = (struct ev){ s->v[2 * k + 1], (int)i, -1 };
			}
		}
		qsort(r->ev, n, sizeof *r->ev, ev_cmp);
	}
	r->n_seg = 0;
	/* Counts per slot, as bits: a slot's spans are disjoint, so it covers a
	 * position at most once; an end and a start at one position both apply
	 * before the next stretch begins. */
	for (i = 0; i < n;) {
		int64_t pos = r->ev[i].pos;
		if (mask && pos > prev) {
			struct seg *seg = grow(r, r->seg, &r->cap_seg, r->n_seg + 1, sizeof *r->seg);
			if (!seg)
				return QDA_ENOMEM;
			r->seg = seg;
			r->seg[r->n_seg++] = (struct seg){ prev, pos, mask };
		}
		for (; i < n && r->ev[i].pos == pos; i++) {
			if (r->ev[i].delta > 0)
				mask |= (uint64_t)1 << r->ev[i].coder;
			else
				mask &= ~((uint64_t)1 << r->ev[i].coder);
		}
		prev = pos;
	}
	return QDA_OK;
}

/* A node's slots for the coders in present, for sweep(). */
static size_t node_slots(struct run *r, long node, uint64_t present, long *nodes, int *coders)
{
	size_t j, n = 0;
	for (j = 0; j < r->m; j++)
		if (present & ((uint64_t)1 << j)) {
			nodes[n] = node;
			coders[n] = (int)j;
			n++;
		}
	return n;
}

/* Slot bits map to coders one to one in node_slots when every coder is in:
 * convert a mask over slots back to coders. */
static uint64_t slots_to_coders(const int *coders, size_t n, uint64_t mask)
{
	uint64_t out = 0;
	size_t i;
	for (i = 0; i < n; i++)
		if (mask & ((uint64_t)1 << i))
			out |= (uint64_t)1 << coders[i];
	return out;
}

/* ---- per document ---- */

static enum qda_status doc_kappa(struct run *r, long di, int64_t units)
{
	size_t k;
	for (k = 0; k < r->t.n; k++) {
		struct qda_agree_counts c = { units, 0, 0, 0 };
		struct spans *a, *b;
		if (!r->use[k] || !r->touched[k])
			continue;
		a = slot(r, (long)k, 0);
		b = slot(r, (long)k, 1);
		switch (r->o->unit) {
		case QDA_AGREE_CHAR:
			c.a = spans_length(a);
			c.b = spans_length(b);
			c.both = spans_intersect_length(a, b);
			break;
		case QDA_AGREE_TURN: {
			size_t t;
			memset(r->tmask, 0, r->n_turns * sizeof *r->tmask);
			mark_turns(r, a, 0);
			mark_turns(r, b, 1);
			for (t = 0; t < r->n_turns; t++) {
				c.a += r->tmask[t] & 1;
				c.b += (r->tmask[t] >> 1) & 1;
				c.both += (r->tmask[t] & 3) == 3;
			}
			break;
		}
		case QDA_AGREE_DOC:
			c.a = a->n > 0;
			c.b = b->n > 0;
			c.both = c.a && c.b;
			break;
		}
		r->total[k].a += c.a;
		r->total[k].b += c.b;
		r->total[k].both += c.both;
		if (c.a || c.b) {
			r->wkappa[2 * k] += (double)units * qda_agree_kappa(&c);
			r->wkappa[2 * k + 1] += (double)units;
		}
		if (r->o->unit != QDA_AGREE_DOC && (c.a || c.b)) {
			struct krow *kr = grow(r, r->krows, &r->cap_krows, r->n_krows + 1, sizeof *r->krows);
			if (!kr)
				return QDA_ENOMEM;
			r->krows = kr;
			r->krows[r->n_krows++] = (struct krow){ (long)k, di, r->t.nodes[k].rank, r->docs[di].rank, c };
		}
	}
	return QDA_OK;
}

/* Binary alpha: w units on which c of the p coders present coded the node. */
static void add_binary(double *o, double w, int c, int p)
{
	if (p < 2)
		return;
	o[0] += w * (double)(p - c) * (p - c - 1) / (p - 1);
	o[1] += w * (double)c * (p - c) / (p - 1);
	o[2] += w * (double)c * (c - 1) / (p - 1);
	o[3] += w;
}

/* alpha_u: every node's units on each counted stretch of the document. */
static enum qda_status doc_unitize(struct run *r)
{
	const int64_t *v[MAX_CODERS];
	size_t n[MAX_CODERS], at[MAX_CODERS], k, j, c;
	for (k = 0; k < r->t.n; k++) {
		if (!r->use[k])
			continue;
		memset(at, 0, sizeof at);
		for (c = 0; c < r->keep.n; c++) {
			int64_t s = r->keep.v[2 * c], e = r->keep.v[2 * c + 1];
			for (j = 0; j < r->m; j++) {
				const struct spans *sp = slot(r, (long)k, j);
				size_t b = at[j];
				/* the spans are clipped to the stretches: each lies in one */
				while (b < sp->n && sp->v[2 * b] < e)
					b++;
				v[j] = sp->v + 2 * at[j];
				n[j] = b - at[j];
				at[j] = b;
			}
			if (ualpha_add(&r->ua[k], v, n, r->m, s, e))
				return seterr(r->h, QDA_ENOMEM, "out of memory");
		}
	}
	return QDA_OK;
}

static enum qda_status doc_alpha(struct run *r, uint64_t present, int64_t units)
{
	long nodes[MAX_CODERS];
	int coders[MAX_CODERS];
	int p = popcount(present);
	size_t k, i, t;
	enum qda_status rc;
	for (k = 0; k < r->t.n; k++) {
		double *o = r->bin + 4 * k;
		if (!r->use[k])
			continue;
		if (!r->touched[k]) {
			add_binary(o, (double)units, 0, p);
			continue;
		}
		switch (r->o->unit) {
		case QDA_AGREE_CHAR: {
			size_t ns = node_slots(r, (long)k, present, nodes, coders);
			int64_t covered = 0;
			if ((rc = sweep(r, nodes, coders, ns)) != QDA_OK)
				return rc;
			for (i = 0; i < r->n_seg; i++) {
				int64_t w = r->seg[i].end - r->seg[i].start;
				covered += w;
				add_binary(o, (double)w, popcount(r->seg[i].mask), p);
			}
			add_binary(o, (double)(units - covered), 0, p);
			break;
		}
		case QDA_AGREE_TURN:
			memset(r->tmask, 0, r->n_turns * sizeof *r->tmask);
			for (i = 0; i < r->m; i++)
				if (present & ((uint64_t)1 << i))
					mark_turns(r, slot(r, (long)k, i), (int)i);
			for (t = 0; t < r->n_turns; t++)
				add_binary(o, 1, popcount(r->tmask[t] & present), p);
			break;
		case QDA_AGREE_DOC: {
			int c = 0;
			for (i = 0; i < r->m; i++)
				c += (present & ((uint64_t)1 << i)) && slot(r, (long)k, i)->n > 0;
			add_binary(o, 1, c, p);
			break;
		}
		}
	}
	return QDA_OK;
}

/* Nominal over the domain's children: per unit and coder the one value
 * given, missing when none, and missing (counted in multiple) when several. */
static void domain_unit(struct run *r, const uint64_t *given, double w)
{
	size_t j;
	for (j = 0; j < r->m; j++) {
		int n = popcount(given[j]);
		r->uv[j] = -1;
		if (n == 1) {
			uint64_t g = given[j];
			int v = 0;
			while (!(g & 1)) {
				g >>= 1;
				v++;
			}
			r->uv[j] = v;
		} else if (n > 1)
			r->multiple += w;
	}
	alpha_unit(&r->dom, r->uv, r->m, w, r->count);
}

static enum qda_status doc_domain(struct run *r, int64_t units)
{
	size_t kv = r->dom.k, i, j, t, ns = 0;
	uint64_t given[MAX_CODERS];
	long *nodes = NULL;
	int *coders = NULL;
	enum qda_status rc = QDA_OK;
	(void)units;
	switch (r->o->unit) {
	case QDA_AGREE_CHAR:
		/* one slot per (value, coder): slot bits are value * m + coder */
		nodes = malloc(kv * r->m * sizeof *nodes + 1);
		coders = malloc(kv * r->m * sizeof *coders + 1);
		if (!nodes || !coders) {
			rc = seterr(r->h, QDA_ENOMEM, "out of memory");
			break;
		}
		for (i = 0; i < kv; i++)
			for (j = 0; j < r->m; j++)
				if (slot(r, r->values[i], j)->n) {
					nodes[ns] = r->values[i];
					coders[ns] = (int)j;
					ns++;
				}
		if (ns > 64) {
			/* more (value, coder) pairs than bits: go value by value */
			rc = seterr(r->h, QDA_EINVAL, "too many values times coders in one document for --unit char");
			break;
		}
		if ((rc = sweep(r, nodes, coders, ns)) != QDA_OK)
			break;
		for (i = 0; i < r->n_seg; i++) {
			size_t b;
			memset(given, 0, sizeof given);
			for (b = 0; b < ns; b++)
				if (r->seg[i].mask & ((uint64_t)1 << b))
					given[coders[b]] |= (uint64_t)1 << r->value_of[nodes[b]];
			domain_unit(r, given, (double)(r->seg[i].end - r->seg[i].start));
		}
		break;
	case QDA_AGREE_TURN:
		{
			/* per turn and coder, the values given: tmask per value in turn */
			uint64_t *g = calloc(r->n_turns * r->m + 1, sizeof *g);
			if (!g) {
				rc = seterr(r->h, QDA_ENOMEM, "out of memory");
				break;
			}
			for (i = 0; i < kv; i++) {
				memset(r->tmask, 0, r->n_turns * sizeof *r->tmask);
				for (j = 0; j < r->m; j++)
					mark_turns(r, slot(r, r->values[i], j), (int)j);
				for (t = 0; t < r->n_turns; t++)
					for (j = 0; j < r->m; j++)
						if (r->tmask[t] & ((uint64_t)1 << j))
							g[t * r->m + j] |= (uint64_t)1 << i;
			}
			for (t = 0; t < r->n_turns; t++)
				domain_unit(r, g + t * r->m, 1);
			free(g);
		}
		break;
	case QDA_AGREE_DOC:
		memset(given, 0, sizeof given);
		for (i = 0; i < kv; i++)
			for (j = 0; j < r->m; j++)
				if (slot(r, r->values[i], j)->n)
					given[j] |= (uint64_t)1 << i;
		domain_unit(r, given, 1);
		break;
	}
	free(nodes);
	free(coders);
	return rc;
}

static enum qda_status add_drow(struct run *r, long node, long doc, long turn, int64_t start, int64_t end, uint64_t mask)
{
	struct drow *dr = grow(r, r->drows, &r->cap_drows, r->n_drows + 1, sizeof *r->drows);
	if (!dr)
		return QDA_ENOMEM;
	r->drows = dr;
	r->drows[r->n_drows++] =
		(struct drow){ node, doc, turn, r->t.nodes[node].rank, r->docs[doc].rank, start, end, mask };
	return QDA_OK;
}

static enum qda_status doc_disagree(struct run *r, long di)
{
	long nodes[MAX_CODERS];
	int coders[MAX_CODERS];
	uint64_t all = r->m == 64 ? ~(uint64_t)0 : (((uint64_t)1 << r->m) - 1);
	size_t k, i, t;
	enum qda_status rc = QDA_OK;
	for (k = 0; k < r->t.n && rc == QDA_OK; k++) {
		if (!r->use[k] || !r->touched[k])
			continue;
		switch (r->o->unit) {
		case QDA_AGREE_CHAR: {
			size_t ns = node_slots(r, (long)k, all, nodes, coders);
			if ((rc = sweep(r, nodes, coders, ns)) != QDA_OK)
				return rc;
			for (i = 0; i < r->n_seg && rc == QDA_OK; i++) {
				uint64_t mask = slots_to_coders(coders, ns, r->seg[i].mask);
				if (mask == all)
					continue;
				/* join stretches that touch with the same coders */
				if (r->n_drows && r->drows[r->n_drows - 1].node == (long)k &&
				    r->drows[r->n_drows - 1].doc == di && r->drows[r->n_drows - 1].end == r->seg[i].start &&
				    r->drows[r->n_drows - 1].mask == mask) {
					r->drows[r->n_drows - 1].end = r->seg[i].end;
					continue;
				}
				rc = add_drow(r, (long)k, di, 0, r->seg[i].start, r->seg[i].end, mask);
			}
			break;
		}
		case QDA_AGREE_TURN:
			memset(r->tmask, 0, r->n_turns * sizeof *r->tmask);
			for (i = 0; i < r->m; i++)
				mark_turns(r, slot(r, (long)k, i), (int)i);
			for (t = 0; t < r->n_turns && rc == QDA_OK; t++)
				if (r->tmask[t] && r->tmask[t] != all)
					rc = add_drow(r, (long)k, di, r->turns[t].n, r->turns[t].start, r->turns[t].end,
					              r->tmask[t]);
			break;
		case QDA_AGREE_DOC: {
			uint64_t mask = 0;
			for (i = 0; i < r->m; i++)
				if (slot(r, (long)k, i)->n)
					mask |= (uint64_t)1 << i;
			if (mask && mask != all)
				rc = add_drow(r, (long)k, di, 0, 0, r->docs[di].length, mask);
			break;
		}
		}
	}
	return rc;
}

static enum qda_status flush_doc(struct run *r, long di, uint64_t present)
{
	uint64_t all = r->m == 64 ? ~(uint64_t)0 : (((uint64_t)1 << r->m) - 1);
	enum qda_status rc = QDA_OK;
	int64_t units = 0;
	size_t k, j;
	int in;

	/* A document counts when every coder compared coded in it (two or more
	 * of them for alpha, the others being missing), or when named. */
	if (r->doc_filter)
		present = all;
	/* alpha_u compares every coder's unitizing of the whole continuum */
	in = (r->mode == MODE_ALPHA && !r->unitizing) || r->mode == MODE_DOMAIN ? popcount(present) >= 2
	                                                                          : present == all;
	if (!in) {
		if (present)
			r->sum.docs_left_out++;
		goto out;
	}
	if (r->L.what && (rc = layout_load(&r->L, r->docs[di].id)) != QDA_OK)
		goto out;
	/* The counted stretches: the document less its interviewer material
	 * under the rule. */
	r->keep.n = 0;
	if ((rc = spans_push(r->h, &r->keep, 0, r->docs[di].length)) != QDA_OK ||
	    (r->iv_rule && (rc = clip(r, &r->keep, &r->L.iv)) != QDA_OK))
		goto out;
	for (k = 0; k < r->t.n; k++)
		if (r->touched[k])
			for (j = 0; j < r->m; j++) {
				struct spans *s = slot(r, (long)k, j);
				/* passages: overlapping and touching spans are one */
				spans_passages(s);
				/* characters of interviewer material are no units */
				if (r->iv_rule && r->o->unit == QDA_AGREE_CHAR && (rc = clip(r, s, &r->L.iv)) != QDA_OK)
					goto out;
			}
	switch (r->o->unit) {
	case QDA_AGREE_CHAR: units = spans_length(&r->keep); break;
	case QDA_AGREE_TURN:
		if ((rc = unit_turns(r)) != QDA_OK)
			goto out;
		units = (int64_t)r->n_turns;
		break;
	case QDA_AGREE_DOC: units = 1; break;
	}
	r->sum.docs++;
	r->sum.units += units;
	for (k = 0; k < r->t.n; k++)
		if (r->touched[k])
			r->seen[k] = 1;
	switch (r->mode) {
	case MODE_KAPPA: rc = doc_kappa(r, di, units); break;
	case MODE_ALPHA: rc = r->unitizing ? doc_unitize(r) : doc_alpha(r, present, units); break;
	case MODE_DOMAIN: rc = doc_domain(r, units); break;
	case MODE_DISAGREE: rc = doc_disagree(r, di); break;
	}
out:
	for (k = 0; k < r->t.n; k++)
		if (r->touched[k]) {
			for (j = 0; j < r->m; j++)
				slot(r, (long)k, j)->n = 0;
			r->touched[k] = 0;
		}
	return rc;
}

static enum qda_status walk(struct run *r)
{
	struct buf q = { 0 };
	sqlite3_stmt *st = NULL;
	enum qda_status rc = QDA_OK;
	long di = -1;
	long long cur = 0, last_node = 0;
	long last_ix = -1;
	uint64_t present = 0;
	size_t j, docs_done = 0;
	int step, param = 1, filter_seen = 0;

	/* The UNIQUE (doc_id, node_id, coder_id, start, end) index covers the
	 * query and gives its order; the unary + keeps the planner off the
	 * coder index, which would mean a sort of every coding. */
	buf_adds(&q, "SELECT c.doc_id, c.node_id, c.coder_id, c.start, c.end FROM coding_original c WHERE +c.coder_id IN (");
	for (j = 0; j < r->m; j++)
		buf_adds(&q, j ? ", ?" : "?");
	buf_adds(&q, ")");
	/* --no-auto, --review; --where is on the documents (load_docs) */
	buf_adds(&q, r->fs.coding.s);
	if (r->doc_filter)
		buf_adds(&q, " AND c.doc_id = ?");
	buf_adds(&q, " ORDER BY c.doc_id, c.node_id, c.coder_id, c.start");
	if (q.failed) {
		rc = seterr(r->h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(r->h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	for (j = 0; j < r->m; j++)
		sqlite3_bind_int64(st, param++, r->coder_id[j]);
	if (r->doc_filter)
		sqlite3_bind_int64(st, param++, r->doc_filter);
	while ((step = step_row(r->h, st, "read codings")) > 0) {
		long long doc = sqlite3_column_int64(st, 0), coder = sqlite3_column_int64(st, 2);
		int64_t start = sqlite3_column_int64(st, 3), end = sqlite3_column_int64(st, 4);
		long long node = sqlite3_column_int64(st, 1);
		long k;
		/* rows come by node within a document: look each node up once */
		if (node != last_node) {
			last_node = node;
			last_ix = tree_find(&r->t, node);
		}
		k = last_ix;
		if (doc != cur) {
			if (di >= 0 && (rc = flush_doc(r, di, present)) != QDA_OK)
				goto out;
			cur = doc;
			present = 0;
			if ((di = find_doc(r, doc)) < 0)
				continue;
			filter_seen = 1;
			progress(r->h, "comparing documents", (uint64_t)docs_done++, (uint64_t)r->n_docs);
			if (r->iv_rule && (rc = layout_load(&r->L, doc)) != QDA_OK)
				goto out;
		}
		if (di < 0)
			continue;
		for (j = 0; j < r->m && r->coder_id[j] != coder; j++)
			;
		if (j == r->m)
			continue;
		/* clamp to the document: a span is never counted outside it */
		if (start < 0)
			start = 0;
		if (end > r->docs[di].length)
			end = r->docs[di].length;
		if (start >= end)
			continue;
		/* the interviewer rule: codings lying wholly in interviewer
		 * material are left out, as if never made */
		if (r->iv_rule && layout_interviewer(&r->L, start, end))
			continue;
		present |= (uint64_t)1 << j;
		for (; k >= 0; k = r->t.nodes[k].parent_ix) {
			if (r->use[k]) {
				if ((rc = spans_push(r->h, slot(r, k, j), start, end)) != QDA_OK)
					goto out;
				r->touched[k] = 1;
			}
			if (r->own_only)
				break;
		}
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	progress(r->h, "comparing documents", (uint64_t)r->n_docs, (uint64_t)r->n_docs);
	if (di >= 0)
		rc = flush_doc(r, di, present);
	else if (r->doc_filter && !filter_seen && (di = find_doc(r, r->doc_filter)) >= 0)
		rc = flush_doc(r, di, 0);
out:
	sqlite3_finalize(st);
	buf_free(&q);
	return rc;
}

static void run_free(struct run *r)
{
	size_t i;
	for (i = 0; r->sp && i < r->t.n * r->m; i++)
		free(r->sp[i].v);
	free(r->sp);
	for (i = 0; i < r->m; i++)
		free(r->coder_name[i]);
	for (i = 0; i < r->n_docs; i++)
		free(r->docs[i].name);
	free(r->docs);
	free(r->use);
	free(r->touched);
	free(r->seen);
	layout_close(&r->L);
	filter_sql_free(&r->fs);
	free(r->keep.v);
	free(r->cut.v);
	free(r->turns);
	free(r->tmask);
	free(r->ev);
	free(r->seg);
	free(r->total);
	free(r->wkappa);
	free(r->krows);
	free(r->bin);
	for (i = 0; r->ua && i < r->t.n; i++)
		ualpha_free(&r->ua[i]);
	free(r->ua);
	free(r->value_of);
	free(r->values);
	free(r->dom.o);
	free(r->uv);
	free(r->count);
	free(r->drows);
	tree_free(&r->t);
}

static enum qda_status run_open(struct run *r, struct qda *h, const struct qda_agree_opts *o, enum mode mode)
{
	enum qda_status rc;
	long long id;
	size_t k;

	memset(r, 0, sizeof *r);
	r->h = h;
	r->o = o;
	r->mode = mode;
	r->code_ix = r->domain_ix = -1;
	if ((rc = tree_load(h, &r->t)) != QDA_OK)
		return rc;
	if ((rc = load_coders(r)) != QDA_OK)
		return rc;
	if (mode == MODE_KAPPA && r->m != 2)
		return seterr(h, QDA_EINVAL, "kappa compares two coders, not %zu; --stat alpha takes two or more", r->m);
	if (r->m < 2)
		return seterr(h, QDA_EINVAL, "agreement needs two coders or more");
	if (o->doc) {
		if ((rc = doc_lookup(h, o->doc, &id)) != QDA_OK)
			return rc;
		r->doc_filter = id;
	}
	{
		/* the coders are o->coders: the filter's coder is not used */
		struct qda_filter f = o->filter;
		f.coder = NULL;
		if ((rc = filter_prepare(h, &f, &r->fs)) != QDA_OK)
			return rc;
	}
	r->iv_rule = !o->filter.include_interviewer;
	if ((r->iv_rule || o->unit == QDA_AGREE_TURN || mode == MODE_DISAGREE) &&
	    (rc = layout_open(h, (r->iv_rule || o->unit == QDA_AGREE_TURN ? LAYOUT_TURNS : 0) |
	                             (mode == MODE_DISAGREE ? LAYOUT_LINES : 0), &r->L)) != QDA_OK)
		return rc;
	if ((rc = load_docs(r)) != QDA_OK)
		return rc;
	r->use = calloc(r->t.n + 1, 1);
	r->touched = calloc(r->t.n + 1, 1);
	r->seen = calloc(r->t.n + 1, 1);
	r->sp = calloc(r->t.n * r->m + 1, sizeof *r->sp);
	r->total = calloc(r->t.n + 1, sizeof *r->total);
	r->wkappa = calloc(2 * r->t.n + 1, sizeof *r->wkappa);
	r->bin = calloc(4 * r->t.n + 1, sizeof *r->bin);
	r->unitizing = mode == MODE_ALPHA && o->unit == QDA_AGREE_CHAR && !o->binary;
	if (r->unitizing && !(r->ua = calloc(r->t.n + 1, sizeof *r->ua)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	r->value_of = malloc((r->t.n + 1) * sizeof *r->value_of);
	r->uv = calloc(r->m + 1, sizeof *r->uv);
	if (!r->use || !r->touched || !r->seen || !r->sp || !r->total || !r->wkappa || !r->bin || !r->value_of || !r->uv)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (o->code) {
		if ((rc = node_find(h, o->code, &id)) != QDA_OK)
			return rc;
		if ((r->code_ix = tree_find(&r->t, id)) < 0)
			return seterr(h, QDA_EINPUT, "code '%s' is retired", o->code);
		r->use[r->code_ix] = 1;
	} else if (o->domain) {
		if ((rc = node_find(h, o->domain, &id)) != QDA_OK)
			return rc;
		if ((r->domain_ix = tree_find(&r->t, id)) < 0)
			return seterr(h, QDA_EINPUT, "theme '%s' is retired", o->domain);
		for (k = 0; k < r->t.n; k++) {
			r->value_of[k] = -1;
			if (r->t.nodes[k].parent_ix == r->domain_ix) {
				long *nv = realloc(r->values, (r->dom.k + 1) * sizeof *nv);
				if (!nv)
					return seterr(h, QDA_ENOMEM, "out of memory");
				r->values = nv;
				r->values[r->dom.k] = (long)k;
				r->value_of[k] = (long)r->dom.k++;
				r->use[k] = 1;
			}
		}
		if (r->dom.k < 2)
			return seterr(h, QDA_EINPUT, "'%s' has %s: --domain wants a theme whose sub-themes or codes are the values",
			              o->domain, r->dom.k ? "one child only" : "no children");
		if (r->dom.k > 64)
			return seterr(h, QDA_EINPUT, "'%s' has %zu children; --domain takes at most 64", o->domain, r->dom.k);
		r->dom.o = calloc(r->dom.k * r->dom.k, sizeof *r->dom.o);
		r->count = calloc(r->dom.k, sizeof *r->count);
		if (!r->dom.o || !r->count)
			return seterr(h, QDA_ENOMEM, "out of memory");
	} else {
		memset(r->use, 1, r->t.n);
		r->own_only = mode == MODE_DISAGREE;
	}
	return QDA_OK;
}

/* ---- the public entry points ---- */

static int krow_cmp(const void *a, const void *b)
{
	const struct krow *x = a, *y = b;
	if (x->node_rank != y->node_rank)
		return x->node_rank < y->node_rank ? -1 : 1;
	return (x->doc_rank > y->doc_rank) - (x->doc_rank < y->doc_rank);
}

static int drow_cmp(const void *a, const void *b)
{
	const struct drow *x = a, *y = b;
	if (x->doc_rank != y->doc_rank)
		return x->doc_rank < y->doc_rank ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->node_rank != y->node_rank)
		return x->node_rank < y->node_rank ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

enum qda_status qda_agree(struct qda *h, const struct qda_agree_opts *o, qda_agree_fn fn, void *ctx,
                          struct qda_agree_summary *sum)
{
	struct run r;
	enum qda_status rc = run_open(&r, h, o, MODE_KAPPA);
	size_t i, k = 0;
	if (rc == QDA_OK)
		rc = walk(&r);
	if (rc == QDA_OK && r.n_krows) {
		qsort(r.krows, r.n_krows, sizeof *r.krows, krow_cmp);
	}
	for (i = 0; rc == QDA_OK && r.sum.units > 0 && i < r.t.n_order; i++) {
		long ix = r.t.order[i];
		const struct tree_node *n = &r.t.nodes[ix];
		struct qda_agree_row row = { n->key, n->name, n->depth, NULL, { 0, 0, 0, 0 }, NAN };
		double wk = r.wkappa[2 * ix], wn = r.wkappa[2 * ix + 1];
		int stop = 0;
		if (!r.use[ix] || (!r.seen[ix] && ix != r.code_ix))
			continue;
		for (; k < r.n_krows && r.krows[k].node == ix && !stop; k++) {
			row.doc = r.docs[r.krows[k].doc].name;
			row.c = r.krows[k].c;
			stop = fn(ctx, &row);
		}
		if (stop)
			break;
		row.doc = NULL;
		row.c = r.total[ix];
		row.c.n = r.sum.units;
		/* documents neither coder used the code in: left out, or kappa 1 */
		if (o->unit == QDA_AGREE_DOC)
			row.kappa_weighted = NAN;
		else if (o->empty_as_agreement)
			row.kappa_weighted = (wk + ((double)r.sum.units - wn)) / (double)r.sum.units;
		else if (wn > 0)
			row.kappa_weighted = wk / wn;
		if (fn(ctx, &row))
			break;
	}
	if (sum)
		*sum = r.sum;
	run_free(&r);
	return rc;
}

/* The nominal domain row, warning when more than a tenth of the units
 * compared are dropped. */
static int nominal_row(struct run *r, qda_alpha_fn fn, void *ctx)
{
	const struct tree_node *n = &r->t.nodes[r->domain_ix];
	struct qda_alpha_row row = { n->key, n->name, n->depth, "nominal", r->dom.k, r->dom.units, 0, 0, 0, 0,
		                     r->multiple, r->dom.units };
	double dropped = (double)r->sum.units - r->dom.units;
	row.alpha = alpha_value(&r->dom, r->count, &row.pairable, &row.observed, &row.expected);
	if (dropped * 10 > (double)r->sum.units)
		warnf(r->h, NULL,
		      "the nominal alpha of '%s' rests on %.0f of %lld units: %.0f are dropped (a coder gave several of its "
		      "children %.0f times, taken as missing; units with fewer than two values drop out); leave out "
		      "--nominal for the binary alpha per child",
		      n->key, r->dom.units, r->sum.units, dropped, r->multiple);
	return fn(ctx, &row);
}

/* A node's binary alpha or alpha_u row. */
static void node_row(struct run *r, long ix, struct qda_alpha_row *row)
{
	const struct tree_node *n = &r->t.nodes[ix];
	*row = (struct qda_alpha_row){ n->key, n->name, n->depth, "binary", 2, 0, 0, 0, 0, 0, NAN, 0 };
	if (r->unitizing) {
		row->stat = "alpha-u";
		row->units = r->ua[ix].length;
		row->pairable = NAN;
		row->alpha = ualpha_value(&r->ua[ix], r->m, &row->observed, &row->expected);
		row->n_units = (double)r->ua[ix].n_units;
	} else {
		const double *o4 = r->bin + 4 * ix;
		double nc[2];
		/* o00, o01 = o10, o11 as a 2 x 2 coincidence matrix */
		struct alpha a = { 2, (double[4]){ o4[0], o4[1], o4[1], o4[2] }, o4[3] };
		row->units = a.units;
		row->alpha = alpha_value(&a, nc, &row->pairable, &row->observed, &row->expected);
		row->n_units = a.units;
	}
}

enum qda_status qda_agree_alpha(struct qda *h, const struct qda_agree_opts *o, qda_alpha_fn fn, void *ctx,
                                struct qda_agree_summary *sum)
{
	struct run r;
	enum qda_status rc = run_open(&r, h, o, o->domain && o->nominal ? MODE_DOMAIN : MODE_ALPHA);
	double total = 0, least = INFINITY;
	size_t i, defined = 0;
	int stop = 0;
	if (rc == QDA_OK)
		rc = walk(&r);
	if (rc == QDA_OK && r.mode == MODE_DOMAIN && r.sum.docs > 0)
		nominal_row(&r, fn, ctx);
	for (i = 0; rc == QDA_OK && r.mode == MODE_ALPHA && r.sum.docs > 0 && i < r.t.n_order && !stop; i++) {
		long ix = r.t.order[i];
		struct qda_alpha_row row;
		/* a domain's children all have their row; else the codes coded */
		if (!r.use[ix] || (!o->domain && !r.seen[ix] && ix != r.code_ix))
			continue;
		node_row(&r, ix, &row);
		if (!isnan(row.alpha)) {
			total += row.alpha;
			defined++;
		}
		if (row.n_units < least)
			least = row.n_units;
		stop = fn(ctx, &row);
	}
	if (rc == QDA_OK && r.mode == MODE_ALPHA && o->domain && r.sum.docs > 0 && !stop) {
		/* ATLAS.ti's reading of a non-exclusive codebook: the mean */
		const struct tree_node *n = &r.t.nodes[r.domain_ix];
		struct qda_alpha_row row = { n->key, n->name, n->depth, "mean", defined, NAN, NAN, NAN, NAN,
			                     defined ? total / (double)defined : NAN, NAN, least };
		fn(ctx, &row);
	}
	if (sum)
		*sum = r.sum;
	run_free(&r);
	return rc;
}

static void names_of(const struct run *r, uint64_t mask, int in, struct buf *b)
{
	size_t j;
	b->len = 0;
	buf_adds(b, "");
	for (j = 0; j < r->m; j++)
		if (!!(mask & ((uint64_t)1 << j)) == in)
			buf_addf(b, "%s%s", b->len ? ", " : "", r->coder_name[j]);
}

enum qda_status qda_agree_disagreements(struct qda *h, const struct qda_agree_opts *o, qda_disagreement_fn fn,
                                        void *ctx, struct qda_agree_summary *sum)
{
	struct run r;
	enum qda_status rc = run_open(&r, h, o, MODE_DISAGREE);
	sqlite3_stmt *text = NULL;
	struct buf by = { 0 }, not = { 0 }, str = { 0 };
	size_t i;
	if (rc == QDA_OK)
		rc = walk(&r);
	if (rc != QDA_OK)
		goto out;
	if (r.n_drows) {
		qsort(r.drows, r.n_drows, sizeof *r.drows, drow_cmp);
	}
	text = prep(h, "SELECT substr(text, ?2 + 1, ?3) FROM document WHERE id = ?1");
	if (!text) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < r.n_drows; i++) {
		const struct drow *d = &r.drows[i];
		const struct adoc *doc = &r.docs[d->doc];
		struct qda_disagreement x = { 0 };
		int stop;
		x.doc = doc->name;
		x.code = r.t.nodes[d->node].key;
		names_of(&r, d->mask, 1, &by);
		names_of(&r, d->mask, 0, &not);
		if (by.failed || not.failed) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		x.coded_by = by.s;
		x.not_by = not.s;
		x.turn = d->turn;
		x.start = (long)d->start;
		x.end = (long)d->end;
		if ((rc = layout_load(&r.L, doc->id)) != QDA_OK)
			goto out;
		x.line_first = layout_line_of(&r.L, d->start);
		x.line_last = layout_line_of(&r.L, d->end - 1);
		sqlite3_reset(text);
		x.text = "";
		/* the document unit's stretch is the whole document: no text */
		if (o->unit != QDA_AGREE_DOC) {
			int found;
			sqlite3_bind_int64(text, 1, doc->id);
			sqlite3_bind_int64(text, 2, d->start);
			sqlite3_bind_int64(text, 3, d->end - d->start);
			if ((found = step_row(h, text, "read the text")) < 0) {
				rc = QDA_EDB;
				goto out;
			}
			if (found && sqlite3_column_text(text, 0)) {
				/* a turn ends with its line break: not worth showing */
				const char *t = (const char *)sqlite3_column_text(text, 0);
				size_t len = (size_t)sqlite3_column_bytes(text, 0);
				while (len && t[len - 1] == '\n')
					len--;
				str.len = 0;
				if (buf_add(&str, t, len) || buf_adds(&str, "")) {
					rc = seterr(h, QDA_ENOMEM, "out of memory");
					goto out;
				}
				x.text = str.s;
			}
		}
		stop = fn(ctx, &x);
		sqlite3_reset(text);
		if (stop)
			break;
	}
out:
	if (sum)
		*sum = r.sum;
	sqlite3_finalize(text);
	buf_free(&by);
	buf_free(&not);
	buf_free(&str);
	run_free(&r);
	return rc;
}
