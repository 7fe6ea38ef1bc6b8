/* words.c — word frequencies (NVivo's Word Frequency query): the words of
 * whole documents, or of a code's passages (the union of its descendants,
 * with the counting filters), counted exactly (case folded) or by stem, the
 * stop lists left out. Interviewer material and speaker labels are not the
 * participants' words and are left out. Never prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct form {
	char *s;
	long n;
};
struct entry {
	char *key;
	struct form *forms;
	size_t n_forms;
	long count, docs;
	long long last_doc;
};
struct table {
	struct entry *e;
	size_t n, cap;
	size_t *slot; /* open addressing: index + 1, 0 empty */
	size_t n_slots;
};

static size_t hash(const char *s)
{
	size_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static struct entry *lookup(struct table *t, const char *key)
{
	size_t i;
	if (t->n * 2 >= t->n_slots) {
		size_t ns = t->n_slots ? 2 * t->n_slots : 1024, k;
		size_t *slot = calloc(ns, sizeof *slot);
		if (!slot)
			return NULL;
		for (k = 0; k < t->n; k++) {
			i = hash(t->e[k].key) & (ns - 1);
			while (slot[i])
				i = (i + 1) & (ns - 1);
			slot[i] = k + 1;
		}
		free(t->slot);
		t->slot = slot;
		t->n_slots = ns;
	}
	i = hash(key) & (t->n_slots - 1);
	while (t->slot[i]) {
		if (strcmp(t->e[t->slot[i] - 1].key, key) == 0)
			return &t->e[t->slot[i] - 1];
		i = (i + 1) & (t->n_slots - 1);
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 256;
		struct entry *e = realloc(t->e, cap * sizeof *e);
		if (!e)
			return NULL;
		t->e = e;
		t->cap = cap;
	}
	memset(&t->e[t->n], 0, sizeof t->e[t->n]);
	if (!(t->e[t->n].key = strdup(key)))
		return NULL;
	t->slot[i] = ++t->n;
	return &t->e[t->n - 1];
}

static int add_form(struct entry *e, const char *form)
{
	size_t i;
	struct form *nf;
	for (i = 0; i < e->n_forms; i++)
		if (strcmp(e->forms[i].s, form) == 0) {
			e->forms[i].n++;
			return 0;
		}
	if (!(nf = realloc(e->forms, (e->n_forms + 1) * sizeof *nf)))
		return -1;
	e->forms = nf;
	if (!(nf[e->n_forms].s = strdup(form)))
		return -1;
	nf[e->n_forms++].n = 1;
	return 0;
}

static void table_free(struct table *t)
{
	size_t i, k;
	for (i = 0; i < t->n; i++) {
		for (k = 0; k < t->e[i].n_forms; k++)
			free(t->e[i].forms[k].s);
		free(t->e[i].forms);
		free(t->e[i].key);
	}
	free(t->e);
	free(t->slot);
}

static int cmp_form(const void *a, const void *b)
{
	const struct form *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->s, y->s);
}

static int cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->forms[0].s, y->forms[0].s);
}

/* The spans of one document whose words count: the code's passages, or the
 * whole text; less interviewer material unless asked, less speaker labels. */
struct scope {
	struct spans in, labels;
	int whole;
};

static enum qda_status count_doc(struct qda *h, const struct qda_words_opts *o, struct table *t, struct stemmers *sm,
                                 const struct stops *stops, int lang, long long doc_id, const char *text,
                                 const struct scope *sc, const struct layout *L, long *total)
{
	size_t pos = 0, a, b, cur_b = 0;
	int64_t cur_cp = 0;
	int letters;
	while (word_next(text, strlen(text), &pos, &a, &b, &letters)) {
		int64_t s, e;
		char *lower, *folded, *key;
		struct entry *en;
		cur_cp += (int64_t)qda_text_cplen(text + cur_b, a - cur_b);
		cur_b = a;
		s = cur_cp;
		e = s + (int64_t)qda_text_cplen(text + a, b - a);
		if (sc->whole ? (L && layout_interviewer(L, s, e)) : !spans_contain(&sc->in, s, e))
			continue;
		if (spans_contain(&sc->labels, s, e))
			continue;
		(*total)++;
		if (!letters || e - s < o->min_length)
			continue;
		if (!(lower = word_lower(text + a, b - a)))
			return seterr(h, QDA_ENOMEM, "out of memory");
		if (!(folded = qda_text_fold(lower, strlen(lower)))) {
			free(lower);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		if (stops_has(stops, lang, folded)) {
			free(lower);
			free(folded);
			continue;
		}
		free(folded);
		key = o->stem ? stem_key(sm, lang, lower) : NULL;
		en = (o->stem && !key) ? NULL : lookup(t, o->stem ? key : lower);
		free(key);
		if (!en || add_form(en, lower)) {
			free(lower);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		free(lower);
		en->count++;
		if (en->last_doc != doc_id)
			en->docs++;
		en->last_doc = doc_id;
	}
	return QDA_OK;
}

enum qda_status qda_words(struct qda *h, const struct qda_words_opts *o, qda_words_fn fn, void *ctx, long *total_out)
{
	struct filter_sql fs;
	struct table t = { 0 };
	struct stemmers sm = { { 0 } };
	struct stops stops = { 0 };
	struct doclangs dl = { 0 };
	struct layout L;
	struct scope sc = { { 0 }, { 0 }, 0 };
	struct buf q = { 0 }, sub = { 0 }, forms = { 0 };
	sqlite3_stmt *docs = NULL, *cod = NULL, *lab = NULL;
	enum qda_status rc;
	long total = 0;
	size_t i, k;
	int step, layout_on = 0;

	*total_out = 0;
	memset(&L, 0, sizeof L);
	if ((rc = filter_prepare(h, &o->filter, &fs)) != QDA_OK)
		return rc;
	if ((rc = stemmers_open(h, &sm)) != QDA_OK || (rc = stops_load(h, &stops)) != QDA_OK ||
	    (rc = doclangs_load(h, &dl)) != QDA_OK)
		goto out;
	if (!o->filter.include_interviewer) {
		if ((rc = layout_open(h, LAYOUT_TURNS, &L)) != QDA_OK)
			goto out;
		layout_on = 1;
	}
	buf_adds(&sub, "[");
	for (i = 0; i < o->n_nodes; i++) {
		long long id;
		if ((rc = node_find(h, o->nodes[i], &id)) != QDA_OK)
			goto out;
		buf_addf(&sub, "%s%lld", i ? "," : "", id);
	}
	buf_adds(&sub, "]");
	for (i = 0; i < o->n_docs; i++) {
		long long id;
		if ((rc = doc_find(h, o->docs[i], &id)) != QDA_OK)
			goto out;
	}
	buf_adds(&q, "SELECT d.id, d.text FROM document d WHERE (?1 = 0 OR d.name IN (SELECT value FROM json_each(?2)))");
	buf_adds(&q, fs.where.s);
	buf_adds(&q, " ORDER BY d.name");
	if (q.failed || sub.failed || !(docs = prep(h, q.s))) {
		rc = q.failed || sub.failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
		goto out;
	}
	{
		struct buf names = { 0 };
		buf_adds(&names, "[");
		for (i = 0; i < o->n_docs; i++) {
			const char *p;
			buf_adds(&names, i ? ",\"" : "\"");
			for (p = o->docs[i]; *p; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(&names, '\\');
				buf_addc(&names, *p);
			}
			buf_addc(&names, '"');
		}
		buf_adds(&names, "]");
		sqlite3_bind_int64(docs, 1, (sqlite3_int64)o->n_docs);
		sqlite3_bind_text(docs, 2, names.s ? names.s : "[]", -1, SQLITE_TRANSIENT);
		buf_free(&names);
	}
	filter_bind(docs, 3, &fs);
	buf_free(&q);
	buf_adds(&q, "WITH RECURSIVE tree(id) AS (SELECT value FROM json_each(?2) UNION SELECT node.id FROM node"
	             " JOIN tree ON node.parent_id = tree.id)"
	             " SELECT c.start, c.end FROM coding c WHERE c.doc_id = ?1 AND c.node_id IN (SELECT id FROM tree)");
	buf_adds(&q, fs.coding.s);
	if (q.failed || !(cod = prep(h, q.s)) ||
	    !(lab = prep(h, "SELECT t.start, length(s.name) FROM turn t JOIN speaker s ON s.id = t.speaker_id"
	                    " WHERE t.doc_id = ? ORDER BY t.start"))) {
		rc = q.failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
		goto out;
	}
	bind_text(cod, 2, sub.s);
	while ((step = step_row(h, docs, "read documents")) > 0) {
		long long id = sqlite3_column_int64(docs, 0);
		const char *text = (const char *)sqlite3_column_text(docs, 1);
		int s2;
		sc.in.n = sc.labels.n = 0;
		sc.whole = o->n_nodes == 0;
		if (layout_on && (rc = layout_load(&L, id)) != QDA_OK)
			goto out;
		if (!sc.whole) {
			sqlite3_reset(cod);
			sqlite3_bind_int64(cod, 1, id);
			while ((s2 = step_row(h, cod, "read codings")) > 0) {
				int64_t a = sqlite3_column_int64(cod, 0), b = sqlite3_column_int64(cod, 1);
				if (layout_on && layout_interviewer(&L, a, b))
					continue;
				if ((rc = spans_push(h, &sc.in, a, b)) != QDA_OK)
					goto out;
			}
			if (s2 < 0) {
				rc = QDA_EDB;
				goto out;
			}
			if (!sc.in.n)
				continue;
			spans_passages(&sc.in);
		}
		sqlite3_reset(lab);
		sqlite3_bind_int64(lab, 1, id);
		while ((s2 = step_row(h, lab, "read turns")) > 0) {
			int64_t a = sqlite3_column_int64(lab, 0);
			if ((rc = spans_push(h, &sc.labels, a, a + sqlite3_column_int64(lab, 1))) != QDA_OK)
				goto out;
		}
		if (s2 < 0) {
			rc = QDA_EDB;
			goto out;
		}
		if ((rc = count_doc(h, o, &t, &sm, &stops, doclangs_of(&dl, id), id, text, &sc, layout_on ? &L : NULL,
		                    &total)) != QDA_OK)
			goto out;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < t.n; i++)
		qsort(t.e[i].forms, t.e[i].n_forms, sizeof *t.e[i].forms, cmp_form);
	if (t.n)
		qsort(t.e, t.n, sizeof *t.e, cmp_entry);
	*total_out = total;
	for (i = 0; i < t.n && (o->top <= 0 || (long)i < o->top); i++) {
		struct qda_words_row r;
		forms.len = 0;
		for (k = 0; k < t.e[i].n_forms; k++)
			buf_addf(&forms, "%s%s", k ? ", " : "", t.e[i].forms[k].s);
		if (forms.failed) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		r.word = t.e[i].forms[0].s;
		r.count = t.e[i].count;
		r.documents = t.e[i].docs;
		r.weighted_pct = total ? 100.0 * (double)t.e[i].count / (double)total : 0;
		r.forms = forms.s;
		if (fn(ctx, &r))
			break;
	}
out:
	sqlite3_finalize(docs);
	sqlite3_finalize(cod);
	sqlite3_finalize(lab);
	if (layout_on)
		layout_close(&L);
	free(sc.in.v);
	free(sc.labels.v);
	buf_free(&q);
	buf_free(&sub);
	buf_free(&forms);
	table_free(&t);
	doclangs_free(&dl);
	stops_free(&stops);
	stemmers_close(&sm);
	filter_sql_free(&fs);
	return rc;
}
