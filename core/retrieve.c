/* retrieve.c — coded extracts: the codings of codes or themes (a theme with
 * all its descendants), filtered by overlap with other codes, by case
 * attributes and coder, with their text, speaker and context. Streams one
 * document at a time through the coding_node index; read-only, never writes. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The ids of the nodes named and all their descendants, as a JSON array for
 * json_each(), so the statement binds one value however many nodes. */
static enum qda_status subtree_json(struct qda *h, const char **keys, size_t n, struct buf *out)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	size_t i;
	int any = 0, step;

	if (buf_adds(out, "["))
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (!(st = prep(h, "WITH RECURSIVE sub(id) AS (SELECT ?1 UNION SELECT node.id FROM node JOIN sub"
	                   " ON node.parent_id = sub.id) SELECT id FROM sub")))
		return QDA_EDB;
	for (i = 0; i < n && rc == QDA_OK; i++) {
		long long id;
		if ((rc = node_find(h, keys[i], &id)) != QDA_OK)
			break;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		while ((step = step_row(h, st, "read the codebook")) > 0)
			buf_addf(out, "%s%lld", any++ ? "," : "", (long long)sqlite3_column_int64(st, 0));
		if (step < 0)
			rc = QDA_EDB;
		else if (out->failed)
			rc = seterr(h, QDA_ENOMEM, "out of memory");
	}
	sqlite3_finalize(st);
	if (rc == QDA_OK && buf_adds(out, "]"))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	return rc;
}

/* One document's text, lines and turns, loaded when its first extract comes. */
struct rdoc {
	sqlite3_stmt *text_st;     /* holds the text while the document is read */
	const char *text;
	size_t tlen;
	long nlines, nturns;
	int64_t *ls, *le;          /* line starts and ends in code points */
	size_t *lb, *leb;          /* line starts and ends in bytes */
	int64_t *ts, *te;
	long *tf, *tl;             /* first and last line of each turn */
	char **speaker;            /* of each turn ("" when none) */
	size_t capl, capt;
	int64_t cur_cp;            /* the cursor: the last start mapped to bytes... */
	size_t cur_b;              /* ...and its byte offset */
	long cur_line;             /* the line index it is on (-1 before the first) */
};

static void rdoc_reset(struct rdoc *d)
{
	long i;
	if (d->text_st)
		sqlite3_reset(d->text_st);
	for (i = 0; i < d->nturns; i++)
		free(d->speaker[i]);
	d->text = NULL;
	d->tlen = 0;
	d->cur_cp = 0;
	d->cur_b = 0;
	d->cur_line = -1;
	d->nlines = d->nturns = 0;
}

static void rdoc_free(struct rdoc *d)
{
	rdoc_reset(d);
	sqlite3_finalize(d->text_st);
	free(d->ls);
	free(d->le);
	free(d->lb);
	free(d->leb);
	free(d->ts);
	free(d->te);
	free(d->tf);
	free(d->tl);
	free(d->speaker);
}

static int grow(void **p, size_t size, size_t n)
{
	void *q = realloc(*p, size * (n ? n : 1));
	if (!q)
		return -1;
	*p = q;
	return 0;
}

static enum qda_status rdoc_load(struct qda *h, struct rdoc *d, sqlite3_stmt *lines, sqlite3_stmt *turns,
                                 long long doc_id)
{
	size_t b = 0;
	int64_t cp = 0;
	long i;
	int step;

	rdoc_reset(d);
	sqlite3_bind_int64(d->text_st, 1, doc_id);
	if ((step = step_row(h, d->text_st, "read document")) <= 0)
		return step < 0 ? QDA_EDB : seterr(h, QDA_EDB, "read document: document %lld is gone", doc_id);
	d->text = (const char *)sqlite3_column_text(d->text_st, 0);
	d->tlen = (size_t)sqlite3_column_bytes(d->text_st, 0);
	if (!d->text)
		return seterr(h, QDA_ENOMEM, "out of memory");
	sqlite3_reset(lines);
	sqlite3_bind_int64(lines, 1, doc_id);
	while ((step = step_row(h, lines, "read lines")) > 0) {
		int64_t s = sqlite3_column_int64(lines, 0);
		int64_t e = sqlite3_column_int64(lines, 1);
		if ((size_t)d->nlines == d->capl) {
			size_t cap = d->capl ? d->capl * 2 : 256;
			if (grow((void **)&d->ls, sizeof *d->ls, cap) || grow((void **)&d->le, sizeof *d->le, cap) ||
			    grow((void **)&d->lb, sizeof *d->lb, cap) || grow((void **)&d->leb, sizeof *d->leb, cap))
				return seterr(h, QDA_ENOMEM, "out of memory");
			d->capl = cap;
		}
		/* lines come in order: one forward walk over the text maps every
		 * line start and end to bytes */
		if (s < cp) {
			b = 0;
			cp = 0;
		}
		b += qda_text_cp_to_byte(d->text + b, d->tlen - b, (size_t)(s - cp));
		cp = s;
		d->ls[d->nlines] = s;
		d->le[d->nlines] = e;
		d->lb[d->nlines] = b;
		if (e > s) {
			b += qda_text_cp_to_byte(d->text + b, d->tlen - b, (size_t)(e - s));
			cp = e;
		}
		d->leb[d->nlines] = b;
		d->nlines++;
	}
	if (step < 0)
		return QDA_EDB;
	sqlite3_reset(lines);
	sqlite3_reset(turns);
	sqlite3_bind_int64(turns, 1, doc_id);
	while ((step = step_row(h, turns, "read turns")) > 0) {
		const char *sp = (const char *)sqlite3_column_text(turns, 4);
		if ((size_t)d->nturns == d->capt) {
			size_t cap = d->capt ? d->capt * 2 : 64;
			if (grow((void **)&d->ts, sizeof *d->ts, cap) || grow((void **)&d->te, sizeof *d->te, cap) ||
			    grow((void **)&d->tf, sizeof *d->tf, cap) || grow((void **)&d->tl, sizeof *d->tl, cap) ||
			    grow((void **)&d->speaker, sizeof *d->speaker, cap))
				return seterr(h, QDA_ENOMEM, "out of memory");
			d->capt = cap;
		}
		i = d->nturns;
		d->ts[i] = sqlite3_column_int64(turns, 0);
		d->te[i] = sqlite3_column_int64(turns, 1);
		d->tf[i] = sqlite3_column_int(turns, 2);
		d->tl[i] = sqlite3_column_int(turns, 3);
		if (!(d->speaker[i] = strdup(sp ? sp : "")))
			return seterr(h, QDA_ENOMEM, "out of memory");
		d->nturns++;
	}
	if (step < 0)
		return QDA_EDB;
	sqlite3_reset(turns);
	return QDA_OK;
}

/* The last index in v[0..n) with v[i] <= pos, or -1. */
static long last_le(const int64_t *v, long n, int64_t pos)
{
	long lo = 0, hi = n;
	while (lo < hi) {
		long mid = lo + (hi - lo) / 2;
		if (v[mid] <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* The byte offset of code point pos, by a forward cursor: extracts come
 * by start, so the cursor only moves forward, jumping to the start of a
 * line when pos lies past it (line starts are known in bytes), and the
 * whole document costs one walk over its text however many extracts. A
 * position behind the cursor (not expected) starts again from its line. */
static size_t byte_of(struct rdoc *d, int64_t pos)
{
	long l = d->cur_line;

	if (pos < d->cur_cp) {
		l = last_le(d->ls, d->nlines, pos);
		d->cur_line = l;
		d->cur_cp = l >= 0 ? d->ls[l] : 0;
		d->cur_b = l >= 0 ? d->lb[l] : 0;
	}
	/* the last line starting at or before pos, from the cursor's line on */
	while (l + 1 < d->nlines && d->ls[l + 1] <= pos)
		l++;
	if (l != d->cur_line && l >= 0 && d->ls[l] >= d->cur_cp) {
		d->cur_cp = d->ls[l];
		d->cur_b = d->lb[l];
	}
	d->cur_line = l;
	d->cur_b += qda_text_cp_to_byte(d->text + d->cur_b, d->tlen - d->cur_b, (size_t)(pos - d->cur_cp));
	d->cur_cp = pos;
	return d->cur_b;
}

/* Lines first..last (from 1) as one slice of the text, LF-joined. */
static int lines_text(const struct rdoc *d, long first, long last, struct buf *out)
{
	size_t b0, b1;
	out->len = 0;
	if (buf_add(out, "", 0))
		return -1;
	if (first < 1 || last < first || last > d->nlines)
		return 0;
	b0 = d->lb[first - 1];
	b1 = d->leb[last - 1];
	return buf_add(out, d->text + b0, b1 - b0);
}

/* The attributes of the current document's case. */
struct attrs {
	char **keys, **values;
	size_t n, cap;
	const char *role;
};

static void attrs_clear(struct attrs *a)
{
	size_t i;
	for (i = 0; i < a->n; i++) {
		free(a->keys[i]);
		free(a->values[i]);
	}
	a->n = 0;
	a->role = "";
}

static enum qda_status attrs_load(struct qda *h, sqlite3_stmt *st, long long case_id, struct attrs *a)
{
	int step;
	attrs_clear(a);
	if (!case_id)
		return QDA_OK;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, case_id);
	while ((step = step_row(h, st, "read case attributes")) > 0) {
		if (a->n == a->cap) {
			size_t cap = a->cap ? a->cap * 2 : 8;
			if (grow((void **)&a->keys, sizeof *a->keys, cap) || grow((void **)&a->values, sizeof *a->values, cap))
				return seterr(h, QDA_ENOMEM, "out of memory");
			a->cap = cap;
		}
		a->keys[a->n] = strdup((const char *)sqlite3_column_text(st, 0));
		a->values[a->n] = strdup((const char *)sqlite3_column_text(st, 1));
		if (!a->keys[a->n] || !a->values[a->n]) {
			free(a->keys[a->n]);
			free(a->values[a->n]);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		if (strcmp(a->keys[a->n], "role") == 0)
			a->role = a->values[a->n];
		a->n++;
	}
	if (step < 0)
		return QDA_EDB;
	sqlite3_reset(st);
	return QDA_OK;
}

/* " AND [NOT] EXISTS (a coding of the nodes in ?param overlapping c)": c itself
 * counts, so --not X drops the codings of X and --and X keeps them. */
static int overlap_clause(struct buf *q, int negate, int param)
{
	return buf_addf(q,
	                " AND %sEXISTS (SELECT 1 FROM coding a WHERE a.node_id IN (SELECT value FROM json_each(?%d))"
	                " AND a.doc_id = c.doc_id AND a.start < c.end AND a.end > c.start"
	                " AND (?3 = 0 OR a.coder_id = ?3))",
	                negate ? "NOT " : "", param);
}

enum qda_status qda_retrieve(struct qda *h, const struct qda_retrieve_opts *o, qda_extract_fn fn, void *ctx)
{
	sqlite3_stmt *docs = NULL, *cod = NULL, *lines = NULL, *turns = NULL, *attr = NULL;
	struct buf q = { 0 }, nodes = { 0 }, before = { 0 }, after = { 0 }, text = { 0 };
	struct buf *andj = NULL, *notj = NULL;
	struct rdoc d;
	struct attrs at = { 0 };
	struct filter_sql fs = { 0 };
	long long doc_id = 0;
	enum qda_status rc = QDA_OK;
	long count = 0;
	size_t i;
	int stop = 0, step, param;

	memset(&d, 0, sizeof d);
	at.role = "";
	if (o->doc && (rc = doc_lookup(h, o->doc, &doc_id)) != QDA_OK)
		return rc;
	if ((rc = filter_prepare(h, &o->filter, &fs)) != QDA_OK)
		return rc;
	if (o->n_codes && (rc = subtree_json(h, o->codes, o->n_codes, &nodes)) != QDA_OK)
		goto out;
	andj = calloc(o->n_and + 1, sizeof *andj);
	notj = calloc(o->n_not + 1, sizeof *notj);
	if (!andj || !notj) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < o->n_and && rc == QDA_OK; i++)
		rc = subtree_json(h, &o->and_codes[i], 1, &andj[i]);
	for (i = 0; i < o->n_not && rc == QDA_OK; i++)
		rc = subtree_json(h, &o->not_codes[i], 1, &notj[i]);
	if (rc != QDA_OK)
		goto out;

	/* documents in name order, those of the cases --where keeps */
	/* removed codings may lie in removed documents */
	buf_adds(&q, o->removed ? "SELECT d.id, d.name, coalesce(cs.name, ''), coalesce(d.case_id, 0) FROM document_all d"
	                        : "SELECT d.id, d.name, coalesce(cs.name, ''), coalesce(d.case_id, 0) FROM document d");
	buf_adds(&q, " LEFT JOIN cases cs ON cs.id = d.case_id WHERE (?1 = 0 OR d.id = ?1)");
	buf_adds(&q, fs.where.s);
	if (buf_adds(&q, " ORDER BY d.name")) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(docs = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(docs, 1, doc_id);
	filter_bind(docs, 2, &fs);

	/* one document's codings, by position */
	q.len = 0;
	/* With codes, through coding_node (node, document, start): the planner,
	 * without statistics, would scan every coding of the document through
	 * coding_doc and read each row to test its node, a full table's reads
	 * for a rare code. */
	/* The memo: the coding's own (code --memo) and the memos written on it
	 * since (memo add --coding), one per line. */
	buf_adds(&q, "SELECT c.id, n.key, n.name, k.name, c.method,"
	             " trim(coalesce(c.memo, '') || coalesce(char(10) || (SELECT group_concat(m.text, char(10))"
	             " FROM memo m WHERE m.coding_id = c.id), ''), char(10)), c.state, c.start, c.end,"
	             " c.line_first, c.line_last, coalesce(c.rule, ''), coalesce(c.removed_at, ''),"
	             " coalesce((SELECT name FROM coder WHERE id = c.removed_by), ''), coalesce(c.removed_why, '')"
	             " FROM coding_all c");
	if (o->n_codes && !o->removed)
		buf_adds(&q, " INDEXED BY coding_node");
	/* coding_all with the view's own term: INDEXED BY needs a table */
	buf_adds(&q, " JOIN node n ON n.id = c.node_id JOIN coder k ON k.id = c.coder_id WHERE c.doc_id = ?1");
	buf_adds(&q, o->removed ? " AND c.removed_at IS NOT NULL" : " AND c.removed_at IS NULL");
	if (o->n_codes)
		buf_adds(&q, " AND c.node_id IN (SELECT value FROM json_each(?2))");
	buf_adds(&q, " AND (?3 = 0 OR c.coder_id = ?3) AND (?4 = 0 OR c.method = 'auto')");
	buf_adds(&q, fs.coding.s);
	param = 5;
	for (i = 0; i < o->n_and; i++)
		overlap_clause(&q, 0, param++);
	for (i = 0; i < o->n_not; i++)
		overlap_clause(&q, 1, param++);
	if (buf_adds(&q, " ORDER BY c.start, c.end, c.id")) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(cod = prep(h, q.s)) ||
	    !(lines = prep(h, "SELECT start, end FROM line WHERE doc_id = ? ORDER BY n")) ||
	    !(turns = prep(h, "SELECT t.start, t.end, t.line_first, t.line_last, s.name FROM turn t"
	                      " LEFT JOIN speaker s ON s.id = t.speaker_id WHERE t.doc_id = ? ORDER BY t.n")) ||
	    !(attr = prep(h, "SELECT key, value FROM attribute WHERE case_id = ? ORDER BY key")) ||
	    !(d.text_st = prep(h, "SELECT text FROM document_all WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	if (o->n_codes)
		bind_text(cod, 2, nodes.s);
	sqlite3_bind_int64(cod, 3, fs.coder_id);
	sqlite3_bind_int(cod, 4, o->auto_only);
	param = 5;
	for (i = 0; i < o->n_and; i++)
		bind_text(cod, param++, andj[i].s);
	for (i = 0; i < o->n_not; i++)
		bind_text(cod, param++, notj[i].s);

	while (!stop && (step = step_row(h, docs, "read documents")) > 0) {
		long long id = sqlite3_column_int64(docs, 0);
		const char *name = (const char *)sqlite3_column_text(docs, 1);
		const char *case_name = (const char *)sqlite3_column_text(docs, 2);
		long long case_id = sqlite3_column_int64(docs, 3);
		int loaded = 0;

		sqlite3_reset(cod);
		sqlite3_bind_int64(cod, 1, id);
		while ((step = step_row(h, cod, "read codings")) > 0) {
			struct qda_extract e;
			size_t b0, b1;
			long t, lo, hi;

			if (!loaded) {
				if ((rc = rdoc_load(h, &d, lines, turns, id)) != QDA_OK ||
				    (rc = attrs_load(h, attr, case_id, &at)) != QDA_OK)
					goto out;
				loaded = 1;
			}
			memset(&e, 0, sizeof e);
			e.coding_id = sqlite3_column_int64(cod, 0);
			e.doc = name;
			e.case_name = *case_name ? case_name : name;
			e.code = (const char *)sqlite3_column_text(cod, 1);
			e.code_name = (const char *)sqlite3_column_text(cod, 2);
			e.coder = (const char *)sqlite3_column_text(cod, 3);
			e.method = (const char *)sqlite3_column_text(cod, 4);
			e.memo = (const char *)sqlite3_column_text(cod, 5);
			e.state = (const char *)sqlite3_column_text(cod, 6);
			e.start = sqlite3_column_int64(cod, 7);
			e.end = sqlite3_column_int64(cod, 8);
			e.line_first = sqlite3_column_int(cod, 9);
			e.line_last = sqlite3_column_int(cod, 10);
			e.rule = (const char *)sqlite3_column_text(cod, 11);
			e.removed_at = (const char *)sqlite3_column_text(cod, 12);
			e.removed_by = (const char *)sqlite3_column_text(cod, 13);
			e.removed_why = (const char *)sqlite3_column_text(cod, 14);
			e.keys = (const char *const *)at.keys;
			e.values = (const char *const *)at.values;
			e.n_attrs = at.n;
			e.role = at.role;
			t = last_le(d.ts, d.nturns, e.start);
			e.speaker = t >= 0 && e.start < d.te[t] ? d.speaker[t] : "";
			b0 = byte_of(&d, e.start);
			b1 = b0 + qda_text_cp_to_byte(d.text + b0, d.tlen - b0, (size_t)(e.end - e.start));
			text.len = 0;
			if (buf_add(&text, d.text + b0, b1 - b0)) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			e.text = text.s;
			/* context: whole lines, N lines or the lines of N turns, the wider */
			lo = e.line_first - (o->context > 0 ? o->context : 0);
			hi = e.line_last + (o->context > 0 ? o->context : 0);
			if (o->context_turns > 0 && d.nturns) {
				long t0 = t >= 0 ? t : 0, t1 = last_le(d.ts, d.nturns, e.end - 1);
				t0 -= o->context_turns;
				t1 += o->context_turns;
				if (t0 < 0)
					t0 = 0;
				if (t1 >= d.nturns)
					t1 = d.nturns - 1;
				if (t1 >= 0 && d.tl[t1] > hi)
					hi = d.tl[t1];
				if (d.tf[t0] < lo)
					lo = d.tf[t0];
			}
			if (lo < 1)
				lo = 1;
			if (hi > d.nlines)
				hi = d.nlines;
			if (lines_text(&d, lo, e.line_first - 1, &before) || lines_text(&d, e.line_last + 1, hi, &after)) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			e.before = before.s;
			e.after = after.s;
			e.before_first = lo < e.line_first ? lo : 0;
			e.after_last = hi > e.line_last ? hi : 0;
			if (fn(ctx, &e) || (o->limit > 0 && ++count >= o->limit)) {
				stop = 1;
				break;
			}
		}
		if (step < 0) {
			rc = QDA_EDB;
			goto out;
		}
		sqlite3_reset(cod);
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	if (andj)
		for (i = 0; i < o->n_and; i++)
			buf_free(&andj[i]);
	if (notj)
		for (i = 0; i < o->n_not; i++)
			buf_free(&notj[i]);
	free(andj);
	free(notj);
	filter_sql_free(&fs);
	attrs_clear(&at);
	free(at.keys);
	free(at.values);
	rdoc_free(&d);
	sqlite3_finalize(docs);
	sqlite3_finalize(cod);
	sqlite3_finalize(lines);
	sqlite3_finalize(turns);
	sqlite3_finalize(attr);
	buf_free(&q);
	buf_free(&nodes);
	buf_free(&before);
	buf_free(&after);
	buf_free(&text);
	return rc;
}
