/* report.c — what the phase-6 report needs beyond the counts: the methods
 * facts (documents, words, coders, codebook version, review) and exemplar
 * quotes, chosen or the most-coded passages. Read-only but for exemplars. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The integer the query yields (0 when it yields no row). */
static enum qda_status one(struct qda *h, const char *sql, long *v)
{
	sqlite3_stmt *st = prep(h, sql);
	int found;
	*v = 0;
	if (!st)
		return QDA_EDB;
	if ((found = step_row(h, st, "read the report's facts")) > 0)
		*v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return found < 0 ? QDA_EDB : QDA_OK;
}

/* The text the query yields, malloc'd ("" when it yields no row or NULL). */
static enum qda_status text_of(struct qda *h, const char *sql, char **out)
{
	sqlite3_stmt *st = prep(h, sql);
	const char *t = NULL;
	enum qda_status rc = QDA_OK;
	int found;
	*out = NULL;
	if (!st)
		return QDA_EDB;
	if ((found = step_row(h, st, "read the report's facts")) < 0)
		rc = QDA_EDB;
	else if (found)
		t = (const char *)sqlite3_column_text(st, 0);
	if (rc == QDA_OK && !(*out = strdup(t ? t : "")))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	sqlite3_finalize(st);
	return rc;
}

/* The (name, count) rows the query yields. */
static enum qda_status counts_of(struct qda *h, const char *sql, struct qda_report_count **out, size_t *n)
{
	sqlite3_stmt *st = prep(h, sql);
	struct qda_report_count *v = NULL;
	enum qda_status rc = QDA_OK;
	size_t cnt = 0, i;
	int step;
	*out = NULL;
	*n = 0;
	if (!st)
		return QDA_EDB;
	while ((step = step_row(h, st, "read the report's facts")) > 0) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		struct qda_report_count *nv = realloc(v, (cnt + 1) * sizeof *v);
		if (!nv) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		v = nv;
		if (!(v[cnt].name = strdup(name ? name : ""))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		v[cnt++].n = (long)sqlite3_column_int64(st, 1);
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	if (rc != QDA_OK) {
		for (i = 0; i < cnt; i++)
			free(v[i].name);
		free(v);
		return rc;
	}
	*out = v;
	*n = cnt;
	return QDA_OK;
}

static int by_count(const void *a, const void *b)
{
	const struct qda_report_count *x = a, *y = b;
	return x->n != y->n ? (x->n < y->n ? 1 : -1) : strcmp(x->name, y->name);
}

/* The codings' facts in one pass over the table (not one scan a fact: at a
 * million codings each scan is a tenth of a second): how many, in which
 * states, how many autocoded, in how many documents, and per coder. */
static enum qda_status coding_facts(struct qda *h, struct qda_report_facts *f)
{
	sqlite3_stmt *st = prep(h, "SELECT doc_id, coder_id, state, method FROM coding_all NOT INDEXED"
	                           " WHERE removed_at IS NULL");
	sqlite3_stmt *names = NULL;
	unsigned char *doc_seen = NULL;
	long *per_coder = NULL;
	size_t n_docs = 0, n_coders = 0, i;
	enum qda_status rc = QDA_OK;
	int step;

	if (!st)
		return QDA_EDB;
	while ((step = step_row(h, st, "read the report's facts")) > 0) {
		long long doc = sqlite3_column_int64(st, 0), coder = sqlite3_column_int64(st, 1);
		const char *state = (const char *)sqlite3_column_text(st, 2);
		const char *method = (const char *)sqlite3_column_text(st, 3);
		if (doc < 0 || coder < 0) /* ids are rowids: never negative */
			continue;
		if ((size_t)doc >= n_docs) {
			size_t n = 2 * (size_t)doc + 64;
			unsigned char *nd = realloc(doc_seen, n);
			if (!nd) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			memset(nd + n_docs, 0, n - n_docs);
			doc_seen = nd, n_docs = n;
		}
		if ((size_t)coder >= n_coders) {
			size_t n = 2 * (size_t)coder + 8;
			long *nc = realloc(per_coder, n * sizeof *nc);
			if (!nc) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			memset(nc + n_coders, 0, (n - n_coders) * sizeof *nc);
			per_coder = nc, n_coders = n;
		}
		f->codings++;
		if (!doc_seen[doc]) {
			doc_seen[doc] = 1;
			f->docs_coded++;
		}
		if (per_coder[coder]++ == 0)
			f->coders++;
		if (state && !strcmp(state, "accepted"))
			f->accepted++;
		else if (state && !strcmp(state, "disputed"))
			f->disputed++;
		else if (state && !strcmp(state, "revised"))
			f->revised++;
		if (method && !strcmp(method, "auto"))
			f->auto_codings++;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (f->coders && !(f->by_coder = calloc((size_t)f->coders, sizeof *f->by_coder))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(names = prep(h, "SELECT name FROM coder WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	for (i = 0; i < n_coders && rc == QDA_OK; i++) {
		const char *name = NULL;
		if (!per_coder[i])
			continue;
		sqlite3_reset(names);
		sqlite3_bind_int64(names, 1, (long long)i);
		if ((step = step_row(h, names, "read the report's facts")) < 0) {
			rc = QDA_EDB;
			break;
		}
		if (step)
			name = (const char *)sqlite3_column_text(names, 0);
		if (!(f->by_coder[f->n_by_coder].name = strdup(name ? name : "")))
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		else
			f->by_coder[f->n_by_coder++].n = per_coder[i];
	}
	if (rc == QDA_OK && f->n_by_coder)
		qsort(f->by_coder, f->n_by_coder, sizeof *f->by_coder, by_count);
out:
	sqlite3_finalize(names);
	sqlite3_finalize(st);
	free(doc_seen);
	free(per_coder);
	return rc;
}

enum qda_status qda_report_facts(struct qda *h, struct qda_report_facts *f)
{
	const struct {
		long *v;
		const char *sql;
	} counts[] = {
		{ &f->documents, "SELECT count(*) FROM document" },
		{ &f->words, "SELECT coalesce(sum(words), 0) FROM document" },
		{ &f->cases, "SELECT count(DISTINCT case_id) FROM document" },
		{ &f->themes, "SELECT count(*) FROM node WHERE parent_id IS NULL AND retired = 0" },
		{ &f->subthemes, "SELECT count(*) FROM node WHERE kind = 'subtheme' AND retired = 0" },
		{ &f->codes, "SELECT count(*) FROM node WHERE kind = 'code' AND retired = 0" },
		{ &f->codebook_version, "SELECT count(*) FROM codebook_version" },
		{ &f->reviewed, "SELECT count(DISTINCT coding_id) FROM review" },
		{ &f->memos, "SELECT count(*) FROM memo WHERE target_kind != 'journal'" },
		{ &f->journal, "SELECT count(*) FROM memo WHERE target_kind = 'journal'" },
		{ &f->exemplars, "SELECT count(*) FROM exemplar" },
		{ &f->nodes_candidate, "SELECT count(*) FROM node WHERE kind != 'code' AND retired = 0 AND status = 'candidate'" },
		{ &f->nodes_reviewed, "SELECT count(*) FROM node WHERE kind != 'code' AND retired = 0 AND status = 'reviewed'" },
		{ &f->nodes_defined, "SELECT count(*) FROM node WHERE kind != 'code' AND retired = 0 AND status = 'defined'" },
	};
	enum qda_status rc = QDA_OK;
	size_t i;

	memset(f, 0, sizeof *f);
	for (i = 0; rc == QDA_OK && i < sizeof counts / sizeof counts[0]; i++)
		rc = one(h, counts[i].sql, counts[i].v);
	if (rc == QDA_OK)
		rc = text_of(h, "SELECT substr(created, 1, 10) FROM codebook_version ORDER BY id DESC LIMIT 1",
		             &f->codebook_date);
	if (rc == QDA_OK)
		rc = text_of(h, "SELECT title FROM codebook_version WHERE title IS NOT NULL ORDER BY id DESC LIMIT 1",
		             &f->title);
	if (rc == QDA_OK)
		rc = text_of(h, "SELECT description FROM codebook_version WHERE description IS NOT NULL"
		                " ORDER BY id DESC LIMIT 1", &f->description);
	if (rc == QDA_OK)
		rc = coding_facts(h, f);
	if (rc == QDA_OK)
		rc = counts_of(h, "SELECT format, count(*) AS n FROM document GROUP BY format ORDER BY n DESC, format",
		               &f->by_format, &f->n_by_format);
	if (rc == QDA_OK && !*f->title) {
		free(f->title);
		if (!(f->title = strdup("Thematic analysis")))
			rc = seterr(h, QDA_ENOMEM, "out of memory");
	}
	if (rc != QDA_OK)
		qda_report_facts_free(f);
	return rc;
}

void qda_report_facts_free(struct qda_report_facts *f)
{
	size_t i;
	if (!f)
		return;
	free(f->title);
	free(f->description);
	free(f->codebook_date);
	for (i = 0; i < f->n_by_coder; i++)
		free(f->by_coder[i].name);
	free(f->by_coder);
	for (i = 0; i < f->n_by_format; i++)
		free(f->by_format[i].name);
	free(f->by_format);
	memset(f, 0, sizeof *f);
}

enum qda_status qda_exemplar_set(struct qda *h, long long coding_id, int remove)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	int found;
	st = prep(h, "SELECT 1 FROM coding WHERE id = ?");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	found = step_row(h, st, "find coding");
	sqlite3_finalize(st);
	if (found < 0)
		return QDA_EDB;
	if (!found)
		return seterr(h, QDA_ENOTFOUND, "no coding %lld; 'qda codings' lists them", coding_id);
	st = prep(h, remove ? "DELETE FROM exemplar WHERE coding_id = ?"
	                    : "INSERT OR IGNORE INTO exemplar(coding_id) VALUES (?)");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding_id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_report_counted(struct qda *h, const struct qda_filter *f, struct qda_report_counted *c)
{
	struct filter_sql fs = { 0 };
	struct layout L = { 0 };
	struct buf q = { 0 };
	sqlite3_stmt *st = NULL;
	enum qda_status rc;
	long long doc = 0;
	int iv = !f || !f->include_interviewer, step, doc_counted = 0;

	memset(c, 0, sizeof *c);
	if ((rc = filter_prepare(h, f, &fs)) != QDA_OK)
		return rc;
	/* as qda_freq reads them: codings of nodes in the codebook, by document */
	buf_adds(&q, "SELECT c.doc_id, c.start, c.end FROM coding c JOIN document d ON d.id = c.doc_id"
	             " JOIN node n ON n.id = c.node_id AND n.retired = 0 WHERE 1");
	buf_adds(&q, fs.cond.s);
	buf_adds(&q, " ORDER BY c.doc_id");
	if (q.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	filter_bind(st, 1, &fs);
	if (iv && (rc = layout_open(h, LAYOUT_TURNS, &L)) != QDA_OK)
		goto out;
	while ((step = step_row(h, st, "read codings")) > 0) {
		long long d = sqlite3_column_int64(st, 0);
		if (d != doc) {
			doc = d;
			doc_counted = 0;
			if (iv && (rc = layout_load(&L, d)) != QDA_OK)
				goto out;
		}
		if (iv && layout_interviewer(&L, sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)))
			continue;
		c->codings++;
		if (!doc_counted) {
			doc_counted = 1;
			c->documents++;
		}
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	layout_close(&L);
	buf_free(&q);
	filter_sql_free(&fs);
	if (rc != QDA_OK)
		memset(c, 0, sizeof *c);
	return rc;
}

/* A candidate quote: ranked by ids and counts alone, its text fetched only
 * if it is shown. */
struct quote_rank {
	long long id, doc;
	long overlaps, length;
	int chosen;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct quote_rank *x = a, *y = b;
	if (x->chosen != y->chosen)
		return y->chosen - x->chosen;
	if (x->overlaps != y->overlaps)
		return x->overlaps > y->overlaps ? -1 : 1;
	if (x->length != y->length)
		return x->length > y->length ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Entries of the sorted v[0..n) below x (or, le set, at most x). */
static size_t count_below(const int64_t *v, size_t n, int64_t x, int le)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (v[mid] < x || (le && v[mid] == x))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct doc_sweep {
	int64_t *starts, *ends;       /* the document's codings of the theme */
	size_t n, cap;
	size_t first_cand;            /* its candidates: ranks[first_cand..] */
};

/* Give the current document's candidates their overlap counts: the codings
 * of the theme with start < c.end, less those with end <= c.start (which
 * start before c.end too, as start < end). Sorted once per document. */
static void sweep_doc(struct doc_sweep *w, struct quote_rank *r, size_t n_ranks, const int64_t *span)
{
	size_t i;
	if (w->n) {
		qsort(w->starts, w->n, sizeof *w->starts, cmp_i64);
		qsort(w->ends, w->n, sizeof *w->ends, cmp_i64);
	}
	for (i = w->first_cand; i < n_ranks; i++) {
		int64_t s = span[2 * (i - w->first_cand)], e = span[2 * (i - w->first_cand) + 1];
		r[i].overlaps = (long)(count_below(w->starts, w->n, e, 0) - count_below(w->ends, w->n, s, 1));
	}
	w->n = 0;
	w->first_cand = n_ranks;
}

/* Every candidate of the theme, with its overlap count, in report order. */
static enum qda_status rank_quotes(struct qda *h, long long node, const struct filter_sql *fs,
                                   struct quote_rank **out, size_t *n_out)
{
	struct buf q = { 0 };
	struct doc_sweep w = { 0 };
	struct quote_rank *r = NULL;
	int64_t *span = NULL;          /* the current document's candidates' [start, end) */
	size_t n = 0, cap = 0, span_cap = 0;
	sqlite3_stmt *st = NULL;
	enum qda_status rc = QDA_OK;
	long long doc = 0;
	int step;

	*out = NULL;
	*n_out = 0;
	/* Every coding of the theme counts as an overlap; candidates are those
	 * of at most 700 characters that pass the filters. */
	buf_adds(&q,
		"WITH RECURSIVE sub(id) AS (SELECT ?1 UNION ALL SELECT node.id FROM node JOIN sub ON node.parent_id = sub.id)"
		" SELECT c.id, c.doc_id, c.start, c.end, (c.end - c.start <= 700");
	buf_adds(&q, fs->cond.s);
	/* the document joined only for a filter on it: a coding in force is
	 * on a document in force (removing a document removes its codings) */
	buf_adds(&q, "), EXISTS (SELECT 1 FROM exemplar e WHERE e.coding_id = c.id) FROM coding c");
	if (fs->where.len)
		buf_adds(&q, " JOIN document d ON d.id = c.doc_id");
	buf_adds(&q, " WHERE c.node_id IN sub ORDER BY c.doc_id");
	if (q.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, node);
	filter_bind(st, 2, fs);
	while ((step = step_row(h, st, "read exemplars")) > 0) {
		long long d = sqlite3_column_int64(st, 1);
		int64_t s = sqlite3_column_int64(st, 2), e = sqlite3_column_int64(st, 3);
		if (d != doc) {
			sweep_doc(&w, r, n, span);
			doc = d;
		}
		if (w.n == w.cap) {
			size_t c = w.cap ? 2 * w.cap : 256;
			int64_t *ns = realloc(w.starts, c * sizeof *ns), *ne;
			if (ns)
				w.starts = ns;
			if (!ns || !(ne = realloc(w.ends, c * sizeof *ne))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			w.ends = ne;
			w.cap = c;
		}
		w.starts[w.n] = s;
		w.ends[w.n++] = e;
		if (!sqlite3_column_int(st, 4))
			continue;
		if (n == cap) {
			struct quote_rank *nr = realloc(r, (cap = cap ? 2 * cap : 256) * sizeof *nr);
			if (!nr) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			r = nr;
		}
		if (2 * (n - w.first_cand + 1) > span_cap) {
			size_t c = span_cap ? 2 * span_cap : 512;
			int64_t *ns = realloc(span, c * sizeof *ns);
			if (!ns) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			span = ns;
			span_cap = c;
		}
		span[2 * (n - w.first_cand)] = s;
		span[2 * (n - w.first_cand) + 1] = e;
		r[n].id = sqlite3_column_int64(st, 0);
		r[n].doc = d;
		r[n].length = (long)(e - s);
		r[n].chosen = sqlite3_column_int(st, 5);
		r[n].overlaps = 0;
		n++;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	sweep_doc(&w, r, n, span);
	if (n)
		qsort(r, n, sizeof *r, cmp_rank);
	*out = r;
	*n_out = n;
	r = NULL;
out:
	sqlite3_finalize(st);
	free(r);
	free(span);
	free(w.starts);
	free(w.ends);
	buf_free(&q);
	return rc;
}

enum qda_status qda_exemplars(struct qda *h, const char *node, int n, const struct qda_filter *f,
                              qda_exemplar_fn fn, void *ctx)
{
	struct filter_sql fs = { 0 };
	struct quote_rank *ranks = NULL;
	sqlite3_stmt *iv = NULL, *st = NULL;
	enum qda_status rc;
	long long id, *seen_docs = NULL;
	size_t n_ranks = 0, i;
	int shown = 0, nseen = 0, step = 0;

	if ((rc = node_find(h, node, &id)) != QDA_OK || n <= 0)
		return rc;
	if ((rc = filter_prepare(h, f, &fs)) != QDA_OK)
		return rc;
	/* Chosen exemplars first; then codings ranked by how many codings of the
	 * theme overlap them (a passage coders agree on is a good quote). The
	 * filters hold for the chosen ones too: a report on some cases quotes
	 * no other. The ranking reads ids and positions only; the text, names
	 * and memos are read for the quotes shown. */
	if ((rc = rank_quotes(h, id, &fs, &ranks, &n_ranks)) != QDA_OK)
		goto done;
	/* the documents quoted so far: at most one quote each, chosen ones aside */
	if (!(seen_docs = malloc((size_t)n * sizeof *seen_docs))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto done;
	}
	if (!(iv = prep(h, "SELECT coalesce(sp.is_interviewer, 0) FROM coding c"
	                   " LEFT JOIN turn t ON t.id = (SELECT id FROM turn WHERE doc_id = c.doc_id AND start <= c.start"
	                   "  ORDER BY start DESC LIMIT 1)"
	                   " LEFT JOIN speaker sp ON sp.id = t.speaker_id WHERE c.id = ?")) ||
	    !(st = prep(h, "SELECT c.id, d.name, coalesce(cs.name, ''), coalesce(sp.name, ''),"
	                   "  coalesce((SELECT value FROM attribute a WHERE a.case_id = d.case_id AND a.key = 'role'), ''),"
	                   "  n.key, k.name, substr(d.text, c.start + 1, c.end - c.start), c.line_first, c.line_last,"
	                   "  trim(coalesce(c.memo, '') || coalesce(char(10) || (SELECT group_concat(m.text, char(10))"
	                   "   FROM memo m WHERE m.coding_id = c.id), ''), char(10))"
	                   " FROM coding c JOIN document d ON d.id = c.doc_id LEFT JOIN cases cs ON cs.id = d.case_id"
	                   " JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id"
	                   " LEFT JOIN turn t ON t.id = (SELECT id FROM turn WHERE doc_id = c.doc_id AND start <= c.start"
	                   "  ORDER BY start DESC LIMIT 1)"
	                   " LEFT JOIN speaker sp ON sp.id = t.speaker_id WHERE c.id = ?"))) {
		rc = QDA_EDB;
		goto done;
	}
	for (i = 0; i < n_ranks && shown < n; i++) {
		struct qda_exemplar_row r;
		long long doc = ranks[i].doc;
		int k, dup = 0;
		r.chosen = ranks[i].chosen;
		for (k = 0; k < nseen; k++)
			dup |= seen_docs[k] == doc;
		if (dup && !r.chosen)
			continue;
		if (!r.chosen) { /* an interviewer is quoted only if chosen */
			sqlite3_reset(iv);
			sqlite3_bind_int64(iv, 1, ranks[i].id);
			if ((step = step_row(h, iv, "read exemplars")) < 0)
				break;
			if (step && sqlite3_column_int(iv, 0))
				continue;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ranks[i].id);
		if ((step = step_row(h, st, "read exemplars")) <= 0)
			break;
		if (!dup)
			seen_docs[nseen++] = doc;
		r.coding_id = sqlite3_column_int64(st, 0);
		r.doc = (const char *)sqlite3_column_text(st, 1);
		r.case_name = (const char *)sqlite3_column_text(st, 2);
		r.speaker = (const char *)sqlite3_column_text(st, 3);
		r.role = (const char *)sqlite3_column_text(st, 4);
		r.code = (const char *)sqlite3_column_text(st, 5);
		r.coder = (const char *)sqlite3_column_text(st, 6);
		r.text = (const char *)sqlite3_column_text(st, 7);
		r.line_first = sqlite3_column_int(st, 8);
		r.line_last = sqlite3_column_int(st, 9);
		r.memo = (const char *)sqlite3_column_text(st, 10);
		shown++;
		if (fn(ctx, &r))
			break;
	}
	rc = step < 0 ? QDA_EDB : QDA_OK;
done:
	sqlite3_finalize(iv);
	sqlite3_finalize(st);
	free(seen_docs);
	free(ranks);
	filter_sql_free(&fs);
	return rc;
}
