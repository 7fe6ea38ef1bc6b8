/* freq.c — theme frequency tables: segments, documents, cases (and words)
 * per node, crossed with a case attribute. Roll-up is the union of the
 * descendants' spans, computed per document over sorted spans; the codings
 * are streamed one document at a time, so memory follows one document. */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

struct fdoc {
	long long id;
	long case_ix;    /* index in cases */
};

struct fcase {
	long long id;
	long group;      /* group index, or -1 */
};

/* One document's words, found once and then counted per passage by binary
 * search, so that counting words costs the document's length once plus a
 * logarithm per passage, whatever the number of nodes. A word is a run of
 * letters and digits (and the marks that follow them); a passage starting
 * inside a word counts its piece of that word, as a reader sees it. */
struct words_index {
	int64_t *starts;      /* code points where a word begins, ascending */
	size_t n, cap;
	uint64_t *letter;     /* bit p: code point p is a letter or digit */
	uint64_t *in_word;    /* bit p: code point p is part of a word */
	int64_t length;       /* code points */
	size_t bits_cap;      /* words of 64 bits allocated in each bitmap */
};

struct state {
	struct qda *h;
	const struct qda_freq_opts *o;
	struct tree t;
	struct spans *spans;     /* per node, the current document's */
	struct fcase *cases;
	size_t n_cases;
	struct qda_freq_group *groups;
	size_t n_groups;
	struct qda_freq_cell *all;    /* per node */
	struct qda_freq_cell *cells;  /* per node x group */
	unsigned char *case_seen;     /* per node x case */
	long excluded;
	struct words_index words;     /* the current document's, with --count words */
};

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

static enum qda_status load_cases(struct state *s, const struct filter_sql *fs)
{
	struct buf q = { 0 };
	sqlite3_stmt *st;
	size_t i;
	enum qda_status rc = QDA_OK;
	int step;

	if (s->o->by && !s->o->by_case && (rc = attr_key_check(s->h, s->o->by, strlen(s->o->by))) != QDA_OK)
		return rc;
	if (s->o->by_case)
		buf_adds(&q, "SELECT DISTINCT d.case_id, (SELECT name FROM cases c WHERE c.id = d.case_id), ?"
		             " FROM document d WHERE d.case_id IS NOT NULL");
	else
		buf_adds(&q, "SELECT DISTINCT d.case_id, (SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = ?)"
		             " FROM document d WHERE d.case_id IS NOT NULL");
	buf_adds(&q, fs->where.s);
	buf_adds(&q, " ORDER BY d.case_id");
	if (q.failed)
		return seterr(s->h, QDA_ENOMEM, "out of memory");
	st = prep(s->h, q.s);
	buf_free(&q);
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, s->o->by ? s->o->by : "");
	filter_bind(st, 2, fs);
	while ((step = step_row(s->h, st, "read cases")) > 0) {
		struct fcase *nc = realloc(s->cases, (s->n_cases + 1) * sizeof *nc);
		const char *val = (const char *)sqlite3_column_text(st, 1);
		if (!nc) {
			rc = seterr(s->h, QDA_ENOMEM, "out of memory");
			break;
		}
		s->cases = nc;
		nc[s->n_cases].id = sqlite3_column_int64(st, 0);
		nc[s->n_cases].group = -1;
		if (s->o->by || s->o->by_case) {
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
	if (rc == QDA_OK && step < 0)
		rc = QDA_EDB;
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


static int bit(const uint64_t *m, int64_t p)
{
	return (int)((m[p >> 6] >> (p & 63)) & 1);
}

static enum qda_status words_index_build(struct qda *h, struct words_index *w, const char *text, size_t len)
{
	size_t b = 0, need = len / 64 + 1; /* code points <= bytes */
	int64_t cp = 0;
	int in_word = 0;

	if (need > w->bits_cap) {
		uint64_t *l = realloc(w->letter, need * sizeof *l), *iw;
		if (l)
			w->letter = l;
		if (!l || !(iw = realloc(w->in_word, need * sizeof *iw)))
			return seterr(h, QDA_ENOMEM, "out of memory");
		w->in_word = iw;
		w->bits_cap = need;
	}
	memset(w->letter, 0, need * sizeof *w->letter);
	memset(w->in_word, 0, need * sizeof *w->in_word);
	w->n = 0;
	while (b < len) {
		utf8proc_int32_t c;
		utf8proc_ssize_t step;
		utf8proc_category_t cat;
		int alnum, letter;
		if ((unsigned char)text[b] < 0x80) {
			/* ASCII, most of any text: letters and digits, nothing else */
			c = (unsigned char)text[b];
			step = 1;
			alnum = letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
		} else {
			step = utf8proc_iterate((const utf8proc_uint8_t *)text + b, (utf8proc_ssize_t)(len - b), &c);
			if (step <= 0)
				step = 1, c = ' ';
			cat = utf8proc_category(c);
			alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
			        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
			letter = alnum || (cat >= UTF8PROC_CATEGORY_MN && cat <= UTF8PROC_CATEGORY_ME && in_word);
		}
		if (alnum)
			w->letter[cp >> 6] |= (uint64_t)1 << (cp & 63);
		if (letter)
			w->in_word[cp >> 6] |= (uint64_t)1 << (cp & 63);
		if (letter && !in_word) {
			if (w->n == w->cap) {
				size_t cap = w->cap ? 2 * w->cap : 1024;
				int64_t *ns = realloc(w->starts, cap * sizeof *ns);
				if (!ns)
					return seterr(h, QDA_ENOMEM, "out of memory");
				w->starts = ns;
				w->cap = cap;
			}
			w->starts[w->n++] = cp;
		}
		in_word = letter;
		b += (size_t)step;
		cp++;
	}
	w->length = cp;
	return QDA_OK;
}

static void words_index_free(struct words_index *w)
{
	free(w->starts);
	free(w->letter);
	free(w->in_word);
}

/* The first word start at or after p. */
static size_t first_start(const struct words_index *w, int64_t p)
{
	size_t lo = 0, hi = w->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (w->starts[mid] < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Words of the text overlapping the sorted, disjoint spans: the word starts
 * inside each, plus one for a passage that begins inside a word (at its
 * first letter or digit: marks alone before it start nothing). */
static long count_words(const struct words_index *w, const int64_t *v, size_t n)
{
	size_t k;
	long words = 0;
	for (k = 0; k < n; k++) {
		int64_t s = v[2 * k] < 0 ? 0 : v[2 * k], e = v[2 * k + 1] > w->length ? w->length : v[2 * k + 1], q;
		if (s >= e)
			continue;
		words += (long)(first_start(w, e) - first_start(w, s));
		for (q = s; q < e && !bit(w->letter, q); q++)
			;
		if (q < e && q > 0 && bit(w->in_word, q - 1))
			words++;
	}
	return words;
}

struct docstate {
	long long id;
	long case_ix;
};

static enum qda_status flush_doc(struct state *s, struct docstate *d, sqlite3_stmt *txt)
{
	enum qda_status rc;
	size_t i;
	const char *text = NULL;
	size_t tlen = 0;
	long group = d->case_ix >= 0 ? s->cases[d->case_ix].group : -1;
	int found;

	if (s->o->words) {
		sqlite3_reset(txt);
		sqlite3_bind_int64(txt, 1, d->id);
		if ((found = step_row(s->h, txt, "read document text")) < 0)
			return QDA_EDB;
		if (found) {
			text = (const char *)sqlite3_column_text(txt, 0);
			tlen = (size_t)sqlite3_column_bytes(txt, 0);
			if (!text)
				return seterr(s->h, QDA_ENOMEM, "out of memory");
			if ((rc = words_index_build(s->h, &s->words, text, tlen)) != QDA_OK)
				return rc;
		}
	}
	for (i = 0; i < s->t.n; i++) {
		struct spans *sp = &s->spans[i];
		long segs, words = 0;
		if (sp->n == 0)
			continue;
		/* Passages: overlapping and touching spans are one. */
		segs = (long)spans_passages(sp);
		if (text)
			words = count_words(&s->words, sp->v, (size_t)segs);
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
		sp->n = 0;
	}
	return QDA_OK;
}

static enum qda_status add_span(struct state *s, long node_ix, int64_t start, int64_t end)
{
	enum qda_status rc = QDA_OK;
	long k;
	/* The coding counts for its node and every ancestor. */
	for (k = node_ix; k >= 0 && rc == QDA_OK; k = s->t.nodes[k].parent_ix)
		rc = spans_push(s->h, &s->spans[k], start, end);
	return rc;
}

enum qda_status qda_freq(struct qda *h, const struct qda_freq_opts *o, qda_freq_fn fn, void *ctx)
{
	struct state s = { 0 };
	struct filter_sql fs = { 0 };
	struct buf q = { 0 };
	struct layout L = { 0 };
	sqlite3_stmt *cod = NULL, *txt = NULL, *docs = NULL;
	struct docstate d = { 0 };
	struct qda_freq_result res;
	struct qda_freq_cell *rowcells = NULL;
	enum qda_status rc;
	size_t i;
	int step;

	s.h = h;
	s.o = o;
	if ((rc = tree_load(h, &s.t)) != QDA_OK)
		goto out;
	if (!(s.spans = calloc(s.t.n + 1, sizeof *s.spans))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if ((rc = filter_prepare(h, &o->filter, &fs)) != QDA_OK)
		goto out;
	if ((rc = load_cases(&s, &fs)) != QDA_OK)
		goto out;
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
	s.all = calloc(s.t.n + 1, sizeof *s.all);
	s.cells = calloc(s.t.n * s.n_groups + 1, sizeof *s.cells);
	s.case_seen = calloc(s.t.n * s.n_cases + 1, 1);
	rowcells = calloc(s.n_groups + 1, sizeof *rowcells);
	if (!s.all || !s.cells || !s.case_seen || !rowcells) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	/* Documents in scope, for the groups' document counts. */
	buf_adds(&q, "SELECT d.case_id FROM document d WHERE 1");
	buf_adds(&q, fs.where.s);
	if (q.failed || !(docs = prep(h, q.s))) {
		rc = q.failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
		goto out;
	}
	filter_bind(docs, 1, &fs);
	res.documents = 0;
	while ((step = step_row(h, docs, "read documents")) > 0) {
		long ci = find_case(&s, sqlite3_column_int64(docs, 0));
		res.documents++;
		if (ci >= 0 && s.cases[ci].group >= 0)
			s.groups[s.cases[ci].group].documents++;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	buf_free(&q);
	buf_adds(&q, "SELECT c.doc_id, d.case_id, c.node_id, c.start, c.end FROM coding c"
	             " JOIN document d ON d.id = c.doc_id WHERE 1");
	buf_adds(&q, fs.cond.s);
	buf_adds(&q, " ORDER BY c.doc_id");
	if (q.failed || !(cod = prep(h, q.s))) {
		rc = q.failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
		goto out;
	}
	filter_bind(cod, 1, &fs);
	if (!(txt = prep(h, "SELECT text FROM document WHERE id = ?")) ||
	    (!o->filter.include_interviewer && (rc = layout_open(h, LAYOUT_TURNS, &L)) != QDA_OK)) {
		rc = rc != QDA_OK ? rc : QDA_EDB;
		goto out;
	}
	d.id = 0;
	while ((step = step_row(h, cod, "read codings")) > 0) {
		long long doc = sqlite3_column_int64(cod, 0);
		long node_ix = tree_find(&s.t, sqlite3_column_int64(cod, 2));
		int64_t start = sqlite3_column_int64(cod, 3), end = sqlite3_column_int64(cod, 4);
		if (doc != d.id) {
			if (d.id && (rc = flush_doc(&s, &d, txt)) != QDA_OK)
				goto out;
			d.id = doc;
			d.case_ix = sqlite3_column_type(cod, 1) == SQLITE_NULL ? -1 : find_case(&s, sqlite3_column_int64(cod, 1));
			if (!o->filter.include_interviewer && (rc = layout_load(&L, d.id)) != QDA_OK)
				goto out;
		}
		if (node_ix < 0)
			continue; /* a retired node */
		if (!o->filter.include_interviewer && layout_interviewer(&L, start, end)) {
			s.excluded++;
			continue;
		}
		if ((rc = add_span(&s, node_ix, start, end)) != QDA_OK)
			goto out;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (d.id && (rc = flush_doc(&s, &d, txt)) != QDA_OK)
		goto out;
	res.groups = s.groups;
	res.n_groups = s.n_groups;
	res.cases = (long)s.n_cases;
	res.excluded_interviewer = s.excluded;
	for (i = 0; i < s.t.n_order; i++) {
		long ix = s.t.order[i];
		struct tree_node *n = &s.t.nodes[ix];
		struct qda_freq_row r;
		int keep = tree_keep(n, o->level);
		if (o->n_nodes) {
			size_t k;
			keep = 0;
			for (k = 0; k < o->n_nodes; k++)
				keep |= strcmp(o->nodes[k], n->key) == 0;
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
	sqlite3_finalize(docs);
	layout_close(&L);
	filter_sql_free(&fs);
	buf_free(&q);
	free(rowcells);
	for (i = 0; s.spans && i < s.t.n; i++)
		free(s.spans[i].v);
	free(s.spans);
	tree_free(&s.t);
	free(s.cases);
	for (i = 0; i < s.n_groups; i++)
		free((char *)s.groups[i].value);
	free(s.groups);
	free(s.all);
	free(s.cells);
	free(s.case_seen);
	words_index_free(&s.words);
	return rc;
}
