/* retrieve.c — coded extracts: the codings of codes or themes (a theme with
 * all its descendants), filtered by overlap with other codes, by case
 * attributes and coder, with their text, speaker and context. Streams one
 * document at a time through the coding_node index; read-only, never writes. */
#include <limits.h>
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

/* One document's text, with its layout (lines, turns, interviewer
 * material) and the byte offsets of its lines, loaded when its first coding
 * comes. */
struct rdoc {
	sqlite3_stmt *text_st;     /* holds the text while the document is read */
	sqlite3_stmt *speakers_st;
	struct layout L;
	const char *text;
	size_t tlen;
	size_t *lb, *leb;          /* line starts and ends in bytes */
	size_t capl;
	long long *sp_id;          /* the document's speakers */
	char **sp_name;
	size_t n_sp, cap_sp;
	int64_t cur_cp;            /* the cursor: the last start mapped to bytes... */
	size_t cur_b;              /* ...and its byte offset */
	long cur_line;             /* the line index it is on (-1 before the first) */
};

static void rdoc_reset(struct rdoc *d)
{
	size_t i;
	if (d->text_st)
		sqlite3_reset(d->text_st);
	for (i = 0; i < d->n_sp; i++)
		free(d->sp_name[i]);
	d->n_sp = 0;
	d->text = NULL;
	d->tlen = 0;
	d->cur_cp = 0;
	d->cur_b = 0;
	d->cur_line = -1;
}

static void rdoc_free(struct rdoc *d)
{
	rdoc_reset(d);
	sqlite3_finalize(d->text_st);
	sqlite3_finalize(d->speakers_st);
	layout_close(&d->L);
	free(d->lb);
	free(d->leb);
	free(d->sp_id);
	free(d->sp_name);
}

static int grow(void **p, size_t size, size_t n)
{
	void *q = realloc(*p, size * (n ? n : 1));
	if (!q)
		return -1;
	*p = q;
	return 0;
}

static enum qda_status rdoc_speakers(struct qda *h, struct rdoc *d, long long doc_id)
{
	int step;
	sqlite3_reset(d->speakers_st);
	sqlite3_bind_int64(d->speakers_st, 1, doc_id);
	while ((step = step_row(h, d->speakers_st, "read speakers")) > 0) {
		const char *name = (const char *)sqlite3_column_text(d->speakers_st, 1);
		if (d->n_sp == d->cap_sp) {
			size_t cap = d->cap_sp ? d->cap_sp * 2 : 8;
			if (grow((void **)&d->sp_id, sizeof *d->sp_id, cap) ||
			    grow((void **)&d->sp_name, sizeof *d->sp_name, cap))
				return seterr(h, QDA_ENOMEM, "out of memory");
			d->cap_sp = cap;
		}
		d->sp_id[d->n_sp] = sqlite3_column_int64(d->speakers_st, 0);
		if (!(d->sp_name[d->n_sp] = strdup(name ? name : "")))
			return seterr(h, QDA_ENOMEM, "out of memory");
		d->n_sp++;
	}
	sqlite3_reset(d->speakers_st);
	return step < 0 ? QDA_EDB : QDA_OK;
}

static enum qda_status rdoc_load(struct qda *h, struct rdoc *d, long long doc_id)
{
	enum qda_status rc;
	size_t b = 0, i;
	int64_t cp = 0;
	int step;

	rdoc_reset(d);
	if ((rc = layout_load(&d->L, doc_id)) != QDA_OK || (rc = rdoc_speakers(h, d, doc_id)) != QDA_OK)
		return rc;
	sqlite3_bind_int64(d->text_st, 1, doc_id);
	if ((step = step_row(h, d->text_st, "read document")) <= 0)
		return step < 0 ? QDA_EDB : seterr(h, QDA_EDB, "read document: document %lld is gone", doc_id);
	d->text = (const char *)sqlite3_column_text(d->text_st, 0);
	d->tlen = (size_t)sqlite3_column_bytes(d->text_st, 0);
	if (!d->text)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (d->L.n_lines > d->capl) {
		if (grow((void **)&d->lb, sizeof *d->lb, d->L.n_lines) || grow((void **)&d->leb, sizeof *d->leb, d->L.n_lines))
			return seterr(h, QDA_ENOMEM, "out of memory");
		d->capl = d->L.n_lines;
	}
	/* lines come in order: one forward walk over the text maps every line
	 * start and end to bytes */
	for (i = 0; i < d->L.n_lines; i++) {
		int64_t s = d->L.lines[2 * i], e = d->L.lines[2 * i + 1];
		if (s < cp) {
			b = 0;
			cp = 0;
		}
		b += qda_text_cp_to_byte(d->text + b, d->tlen - b, (size_t)(s - cp));
		cp = s;
		d->lb[i] = b;
		if (e > s) {
			b += qda_text_cp_to_byte(d->text + b, d->tlen - b, (size_t)(e - s));
			cp = e;
		}
		d->leb[i] = b;
	}
	return QDA_OK;
}

/* The speaker of the turn holding pos ("" for none). */
static const char *speaker_at(const struct rdoc *d, int64_t pos)
{
	long t = layout_turn_of(&d->L, pos);
	size_t i;
	if (t < 0 || !d->L.turns[t].speaker_id)
		return "";
	for (i = 0; i < d->n_sp; i++)
		if (d->sp_id[i] == d->L.turns[t].speaker_id)
			return d->sp_name[i];
	return "";
}

/* The byte offset of code point pos, by a forward cursor: extracts come
 * by start, so the cursor only moves forward, jumping to the start of a
 * line when pos lies past it (line starts are known in bytes), and the
 * whole document costs one walk over its text however many extracts. A
 * position behind the cursor (not expected) starts again from its line. */
static size_t byte_of(struct rdoc *d, int64_t pos)
{
	long l = d->cur_line, nlines = (long)d->L.n_lines;
	const int64_t *ls = d->L.lines;

	if (pos < d->cur_cp) {
		l = layout_line_of(&d->L, pos) - 1;
		d->cur_line = l;
		d->cur_cp = l >= 0 ? ls[2 * l] : 0;
		d->cur_b = l >= 0 ? d->lb[l] : 0;
	}
	/* the last line starting at or before pos, from the cursor's line on */
	while (l + 1 < nlines && ls[2 * (l + 1)] <= pos)
		l++;
	if (l != d->cur_line && l >= 0 && ls[2 * l] >= d->cur_cp) {
		d->cur_cp = ls[2 * l];
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
	if (first < 1 || last < first || last > (long)d->L.n_lines)
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

/* Distinct strings, sorted and joined when a passage is given out. */
struct strset {
	char **v;
	size_t n, cap;
	struct buf joined;
};

static int strset_add(struct strset *s, const char *x)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], x) == 0)
			return 0;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 8;
		if (grow((void **)&s->v, sizeof *s->v, cap))
			return -1;
		s->cap = cap;
	}
	if (!(s->v[s->n] = strdup(x)))
		return -1;
	s->n++;
	return 0;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a; b": sorted by byte value (ids are ASCII slugs; names sort as stored) */
static const char *strset_join(struct strset *s)
{
	size_t i;
	qsort(s->v, s->n, sizeof *s->v, str_cmp);
	s->joined.len = 0;
	buf_adds(&s->joined, "");
	for (i = 0; i < s->n; i++)
		buf_addf(&s->joined, "%s%s", i ? "; " : "", s->v[i]);
	return s->joined.failed ? NULL : s->joined.s;
}

static void strset_clear(struct strset *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->v[i]);
	s->n = 0;
}

static void strset_free(struct strset *s)
{
	strset_clear(s);
	free(s->v);
	buf_free(&s->joined);
}

/* One call of qda_retrieve: what every extract needs around it. */
struct run {
	struct qda *h;
	const struct qda_retrieve_opts *o;
	qda_extract_fn fn;
	void *ctx;
	struct rdoc d;
	struct attrs at;
	struct buf before, after, text;
	long count;
	int stop;
	/* --passages: the passage being gathered, and the --and / --not checks */
	int64_t ps, pe;
	long pfirst, plast, pn;
	struct strset codes, coders;
	sqlite3_stmt **and_st, **not_st;
};

/* Give out one extract: its speaker, text and context from the document,
 * then to the caller; r->stop on the caller's word or at the limit. */
static enum qda_status give(struct run *r, struct qda_extract *e)
{
	const struct qda_retrieve_opts *o = r->o;
	struct rdoc *d = &r->d;
	size_t b0, b1;
	long lo, hi, nlines = (long)d->L.n_lines;

	e->keys = (const char *const *)r->at.keys;
	e->values = (const char *const *)r->at.values;
	e->n_attrs = r->at.n;
	e->role = r->at.role;
	e->speaker = speaker_at(d, e->start);
	{
		long t = layout_turn_of(&d->L, e->start);
		e->time_ms = t >= 0 && d->L.turns[t].time_start != LLONG_MIN && d->L.turns[t].time_start >= 0
		                 ? d->L.turns[t].time_start : -1;
	}
	b0 = byte_of(d, e->start);
	b1 = b0 + qda_text_cp_to_byte(d->text + b0, d->tlen - b0, (size_t)(e->end - e->start));
	r->text.len = 0;
	if (buf_add(&r->text, d->text + b0, b1 - b0))
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	e->text = r->text.s;
	/* context: whole lines, N lines or the lines of N turns, the wider;
	 * blank lines do not count, so that N lines of a double-spaced
	 * transcript are N paragraphs, as in a single-spaced one */
	lo = e->line_first;
	hi = e->line_last;
	for (long k = 0; k < o->context && lo > 1;) {
		lo--;
		if (d->L.lines[2 * (lo - 1)] != d->L.lines[2 * (lo - 1) + 1])
			k++;
	}
	for (long k = 0; k < o->context && hi < nlines;) {
		hi++;
		if (d->L.lines[2 * (hi - 1)] != d->L.lines[2 * (hi - 1) + 1])
			k++;
	}
	if (o->context_turns > 0 && d->L.n_turns) {
		long nturns = (long)d->L.n_turns, t0 = layout_turn_before(&d->L, e->start),
		     t1 = layout_turn_before(&d->L, e->end - 1);
		if (t0 < 0)
			t0 = 0;
		t0 -= o->context_turns;
		t1 += o->context_turns;
		if (t0 < 0)
			t0 = 0;
		if (t1 >= nturns)
			t1 = nturns - 1;
		if (t1 >= 0 && d->L.turns[t1].line_last > hi)
			hi = d->L.turns[t1].line_last;
		if (d->L.turns[t0].line_first < lo)
			lo = d->L.turns[t0].line_first;
	}
	if (lo < 1)
		lo = 1;
	if (hi > nlines)
		hi = nlines;
	if (lines_text(d, lo, e->line_first - 1, &r->before) || lines_text(d, e->line_last + 1, hi, &r->after))
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	e->before = r->before.s;
	e->after = r->after.s;
	e->before_first = lo < e->line_first ? lo : 0;
	e->after_last = hi > e->line_last ? hi : 0;
	if (r->fn(r->ctx, e) || (o->limit > 0 && ++r->count >= o->limit))
		r->stop = 1;
	return QDA_OK;
}

/* Whether a coding of the nodes st checks shares a character with the
 * passage: 1, 0, or -1 on a failed read. */
static int passage_meets(struct run *r, sqlite3_stmt *st, long long doc_id)
{
	int step;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_int64(st, 3, r->ps);
	sqlite3_bind_int64(st, 4, r->pe);
	step = step_row(r->h, st, "read codings");
	sqlite3_reset(st);
	return step;
}

/* Give out the passage gathered, when --and and --not keep it. */
static enum qda_status passage_flush(struct run *r, long long doc_id, const char *doc, const char *case_name)
{
	struct qda_extract e;
	long n = r->pn;
	size_t i;
	int m;

	if (!n)
		return QDA_OK;
	r->pn = 0;
	for (i = 0; i < r->o->n_and; i++)
		if ((m = passage_meets(r, r->and_st[i], doc_id)) <= 0)
			return m < 0 ? QDA_EDB : QDA_OK;
	for (i = 0; i < r->o->n_not; i++)
		if ((m = passage_meets(r, r->not_st[i], doc_id)) != 0)
			return m < 0 ? QDA_EDB : QDA_OK;
	memset(&e, 0, sizeof e);
	e.doc = doc;
	e.case_name = *case_name ? case_name : doc;
	e.codes = e.code = e.code_name = strset_join(&r->codes);
	e.coders = e.coder = strset_join(&r->coders);
	if (!e.codes || !e.coders)
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	e.codings = n;
	e.method = e.memo = e.state = e.rule = e.removed_at = e.removed_by = e.removed_why = "";
	e.start = r->ps;
	e.end = r->pe;
	e.line_first = r->pfirst;
	e.line_last = r->plast;
	return give(r, &e);
}

/* Add a coding to the passage being gathered, or give that one out and
 * start the next: codings come by start, so a coding starting after the
 * passage's end (not touching it) starts a new one. */
static enum qda_status passage_add(struct run *r, long long doc_id, const char *doc, const char *case_name,
                                   const char *code, const char *coder, int64_t start, int64_t end, long first,
                                   long last)
{
	enum qda_status rc;
	if (r->pn && start > r->pe) {
		if ((rc = passage_flush(r, doc_id, doc, case_name)) != QDA_OK || r->stop)
			return rc;
	}
	if (!r->pn) {
		strset_clear(&r->codes);
		strset_clear(&r->coders);
		r->ps = start;
		r->pe = end;
		r->pfirst = first;
		r->plast = last;
	}
	if (end > r->pe)
		r->pe = end;
	if (last > r->plast)
		r->plast = last;
	if (first < r->pfirst)
		r->pfirst = first;
	r->pn++;
	if (strset_add(&r->codes, code) || strset_add(&r->coders, coder))
		return seterr(r->h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

/* The statements: documents (with the --where filters), one document's
 * codings (with the coding filters, and --and / --not per coding unless
 * passages), and per passage one check for each --and and --not code. */
static enum qda_status prepare(struct run *r, const struct filter_sql *fs, const struct buf *nodes,
                               const struct buf *andj, const struct buf *notj, long long doc_id,
                               sqlite3_stmt **docs, sqlite3_stmt **cod)
{
	const struct qda_retrieve_opts *o = r->o;
	struct qda *h = r->h;
	struct buf q = { 0 };
	enum qda_status rc = QDA_OK;
	size_t i;
	int param;

	/* documents in name order, those of the cases --where keeps */
	/* removed codings may lie in removed documents */
	buf_adds(&q, o->removed ? "SELECT d.id, d.name, coalesce(cs.name, ''), coalesce(d.case_id, 0) FROM document_all d"
	                        : "SELECT d.id, d.name, coalesce(cs.name, ''), coalesce(d.case_id, 0) FROM document d");
	buf_adds(&q, " LEFT JOIN cases cs ON cs.id = d.case_id WHERE (?1 = 0 OR d.id = ?1)");
	buf_adds(&q, fs->where.s);
	if (buf_adds(&q, " ORDER BY d.name")) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(*docs = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(*docs, 1, doc_id);
	filter_bind(*docs, 2, fs);

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
	buf_adds(&q, fs->coding.s);
	param = 5;
	for (i = 0; !o->passages && i < o->n_and; i++)
		overlap_clause(&q, 0, param++);
	for (i = 0; !o->passages && i < o->n_not; i++)
		overlap_clause(&q, 1, param++);
	if (buf_adds(&q, " ORDER BY c.start, c.end, c.id")) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(*cod = prep(h, q.s))) {
		rc = QDA_EDB;
		goto out;
	}
	if (o->n_codes)
		bind_text(*cod, 2, nodes->s);
	sqlite3_bind_int64(*cod, 3, fs->coder_id);
	sqlite3_bind_int(*cod, 4, o->auto_only);
	param = 5;
	for (i = 0; !o->passages && i < o->n_and; i++)
		bind_text(*cod, param++, andj[i].s);
	for (i = 0; !o->passages && i < o->n_not; i++)
		bind_text(*cod, param++, notj[i].s);
	for (i = 0; o->passages && i < o->n_and + o->n_not; i++) {
		static const char sql[] = "SELECT 1 FROM coding a WHERE a.node_id IN (SELECT value FROM json_each(?1))"
		                          " AND a.doc_id = ?2 AND a.start < ?4 AND a.end > ?3"
		                          " AND (?5 = 0 OR a.coder_id = ?5) LIMIT 1";
		sqlite3_stmt **st = i < o->n_and ? &r->and_st[i] : &r->not_st[i - o->n_and];
		if (!(*st = prep(h, sql))) {
			rc = QDA_EDB;
			goto out;
		}
		bind_text(*st, 1, i < o->n_and ? andj[i].s : notj[i - o->n_and].s);
		sqlite3_bind_int64(*st, 5, fs->coder_id);
	}
out:
	buf_free(&q);
	return rc;
}

/* One document's codings: each given out, or gathered into passages. */
static enum qda_status run_doc(struct run *r, sqlite3_stmt *cod, long long id, const char *name,
                               const char *case_name, long long case_id, sqlite3_stmt *attr)
{
	const struct qda_retrieve_opts *o = r->o;
	enum qda_status rc = QDA_OK;
	int loaded = 0, step = 0;

	sqlite3_reset(cod);
	sqlite3_bind_int64(cod, 1, id);
	while (!r->stop && (step = step_row(r->h, cod, "read codings")) > 0) {
		struct qda_extract e;

		if (!loaded) {
			if ((rc = rdoc_load(r->h, &r->d, id)) != QDA_OK || (rc = attrs_load(r->h, attr, case_id, &r->at)) != QDA_OK)
				goto out;
			loaded = 1;
		}
		memset(&e, 0, sizeof e);
		e.start = sqlite3_column_int64(cod, 7);
		e.end = sqlite3_column_int64(cod, 8);
		/* the interviewer rule: a coding lying wholly in interviewer
		 * material does not count (the same test as freq's) */
		if (!o->filter.include_interviewer && layout_interviewer(&r->d.L, e.start, e.end))
			continue;
		e.line_first = sqlite3_column_int(cod, 9);
		e.line_last = sqlite3_column_int(cod, 10);
		e.code = (const char *)sqlite3_column_text(cod, 1);
		e.coder = (const char *)sqlite3_column_text(cod, 3);
		if (o->passages) {
			if ((rc = passage_add(r, id, name, case_name, e.code, e.coder, e.start, e.end, e.line_first,
			                      e.line_last)) != QDA_OK)
				goto out;
			continue;
		}
		e.coding_id = sqlite3_column_int64(cod, 0);
		e.doc = name;
		e.case_name = *case_name ? case_name : name;
		e.code_name = (const char *)sqlite3_column_text(cod, 2);
		e.method = (const char *)sqlite3_column_text(cod, 4);
		e.memo = (const char *)sqlite3_column_text(cod, 5);
		e.state = (const char *)sqlite3_column_text(cod, 6);
		e.rule = (const char *)sqlite3_column_text(cod, 11);
		e.removed_at = (const char *)sqlite3_column_text(cod, 12);
		e.removed_by = (const char *)sqlite3_column_text(cod, 13);
		e.removed_why = (const char *)sqlite3_column_text(cod, 14);
		e.codes = e.code;
		e.coders = e.coder;
		e.codings = 1;
		if ((rc = give(r, &e)) != QDA_OK)
			goto out;
	}
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (!r->stop)
		rc = passage_flush(r, id, name, case_name);
out:
	r->pn = 0;
	sqlite3_reset(cod);
	return rc;
}

enum qda_status qda_retrieve(struct qda *h, const struct qda_retrieve_opts *o, qda_extract_fn fn, void *ctx)
{
	sqlite3_stmt *docs = NULL, *cod = NULL, *attr = NULL;
	struct buf nodes = { 0 };
	struct buf *andj = NULL, *notj = NULL;
	struct filter_sql fs = { 0 };
	struct run r;
	long long doc_id = 0;
	enum qda_status rc = QDA_OK;
	size_t i;
	int step = 0;

	memset(&r, 0, sizeof r);
	r.h = h;
	r.o = o;
	r.fn = fn;
	r.ctx = ctx;
	r.at.role = "";
	r.d.cur_line = -1;
	if (o->doc && (rc = doc_lookup(h, o->doc, &doc_id)) != QDA_OK)
		return rc;
	if ((rc = filter_prepare(h, &o->filter, &fs)) != QDA_OK)
		return rc;
	if (o->n_codes && (rc = subtree_json(h, o->codes, o->n_codes, &nodes)) != QDA_OK)
		goto out;
	andj = calloc(o->n_and + 1, sizeof *andj);
	notj = calloc(o->n_not + 1, sizeof *notj);
	r.and_st = calloc(o->n_and + 1, sizeof *r.and_st);
	r.not_st = calloc(o->n_not + 1, sizeof *r.not_st);
	if (!andj || !notj || !r.and_st || !r.not_st) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < o->n_and && rc == QDA_OK; i++)
		rc = subtree_json(h, &o->and_codes[i], 1, &andj[i]);
	for (i = 0; i < o->n_not && rc == QDA_OK; i++)
		rc = subtree_json(h, &o->not_codes[i], 1, &notj[i]);
	if (rc != QDA_OK || (rc = prepare(&r, &fs, &nodes, andj, notj, doc_id, &docs, &cod)) != QDA_OK)
		goto out;
	if ((rc = layout_open(h, LAYOUT_LINES | LAYOUT_TURNS, &r.d.L)) != QDA_OK ||
	    !(attr = prep(h, "SELECT key, value FROM attribute WHERE case_id = ? ORDER BY key")) ||
	    !(r.d.speakers_st = prep(h, "SELECT id, name FROM speaker WHERE doc_id = ?")) ||
	    !(r.d.text_st = prep(h, "SELECT text FROM document_all WHERE id = ?"))) {
		rc = rc != QDA_OK ? rc : QDA_EDB;
		goto out;
	}
	while (!r.stop && (step = step_row(h, docs, "read documents")) > 0) {
		if ((rc = run_doc(&r, cod, sqlite3_column_int64(docs, 0), (const char *)sqlite3_column_text(docs, 1),
		                  (const char *)sqlite3_column_text(docs, 2), sqlite3_column_int64(docs, 3), attr)) !=
		    QDA_OK)
			goto out;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	for (i = 0; andj && i < o->n_and; i++)
		buf_free(&andj[i]);
	for (i = 0; notj && i < o->n_not; i++)
		buf_free(&notj[i]);
	for (i = 0; r.and_st && i < o->n_and; i++)
		sqlite3_finalize(r.and_st[i]);
	for (i = 0; r.not_st && i < o->n_not; i++)
		sqlite3_finalize(r.not_st[i]);
	free(andj);
	free(notj);
	free(r.and_st);
	free(r.not_st);
	filter_sql_free(&fs);
	attrs_clear(&r.at);
	free(r.at.keys);
	free(r.at.values);
	strset_free(&r.codes);
	strset_free(&r.coders);
	rdoc_free(&r.d);
	sqlite3_finalize(docs);
	sqlite3_finalize(cod);
	sqlite3_finalize(attr);
	buf_free(&nodes);
	buf_free(&r.before);
	buf_free(&r.after);
	buf_free(&r.text);
	return rc;
}
