/* search.c — full-text search over the lines of every document (FTS5, with
 * unicode61 remove_diacritics: accent- and case-insensitive), returned as
 * keyword-in-context rows. Stemmed search expands each word to the words of
 * the index's vocabulary that may share its stem, lets FTS5 find the lines,
 * and keeps the words whose stem, in their document's language, is the
 * query's. The user's query is parsed here, never passed raw
 * to SQLite, so a malformed query gets our message, not an SQLite one. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MARK_OPEN '\x01'
#define MARK_CLOSE '\x02'

/* Turn the user's query into an FTS5 expression: bare words and "phrases"
 * become quoted strings (so l'écoute or Jean-Paul need no escaping), a
 * trailing * keeps a prefix query, AND/OR/NOT stay operators. */
static enum qda_status build_query(struct qda *h, const char *q, char **out)
{
	struct buf b = { 0 };
	const char *p = q;
	int terms = 0, need_term = 0;

	*out = NULL;
	while (*p) {
		const char *s;
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			p++;
			continue;
		}
		if (*p == '"') {
			s = ++p;
			while (*p && *p != '"')
				p++;
			if (!*p) {
				buf_free(&b);
				return seterr(h, QDA_EINPUT,
				              "query '%s': the quote at column %ld is not closed; close the phrase with \"",
				              q, (long)(s - q));
			}
			if (p == s) {
				buf_free(&b);
				return seterr(h, QDA_EINPUT, "query '%s': an empty phrase \"\" finds nothing; put words inside", q);
			}
			if (terms && !need_term)
				buf_adds(&b, " ");
			buf_addc(&b, '"');
			for (; s < p; s++) {
				if (*s == '"')
					buf_addc(&b, '"');
				buf_addc(&b, *s);
			}
			buf_addc(&b, '"');
			p++;
			if (*p == '*') {
				buf_addc(&b, '*');
				p++;
			}
			buf_addc(&b, ' ');
			terms++;
			need_term = 0;
			continue;
		}
		s = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '"')
			p++;
		if ((p - s == 3 && (strncmp(s, "AND", 3) == 0 || strncmp(s, "NOT", 3) == 0)) ||
		    (p - s == 2 && strncmp(s, "OR", 2) == 0)) {
			if (!terms || need_term) {
				buf_free(&b);
				return seterr(h, QDA_EINPUT, "query '%s': %.*s needs a word on each side", q, (int)(p - s), s);
			}
			buf_add(&b, s, (size_t)(p - s));
			buf_addc(&b, ' ');
			need_term = 1;
			continue;
		}
		{
			int prefix = p > s && p[-1] == '*';
			const char *e = prefix ? p - 1 : p, *t;
			int has_word = 0;
			for (t = s; t < e; t++)
				if ((unsigned char)*t >= 0x80 || (*t >= '0' && *t <= '9') || ((*t | 32) >= 'a' && (*t | 32) <= 'z'))
					has_word = 1;
			if (!has_word) {
				buf_free(&b);
				return seterr(h, QDA_EINPUT, "query '%s': '%.*s' has no letters or digits to search for", q,
				              (int)(p - s), s);
			}
			buf_addc(&b, '"');
			for (t = s; t < e; t++) {
				if (*t == '*') {
					buf_free(&b);
					return seterr(h, QDA_EINPUT,
					              "query '%s': '*' only goes at the end of a word, for a prefix (ecout*)", q);
				}
				buf_addc(&b, *t);
			}
			buf_addc(&b, '"');
			if (prefix)
				buf_addc(&b, '*');
			buf_addc(&b, ' ');
			terms++;
			need_term = 0;
		}
	}
	if (!terms) {
		buf_free(&b);
		return seterr(h, QDA_EINPUT, "the query is empty; give words, \"a phrase\" or a prefix like ecout*");
	}
	if (need_term) {
		buf_free(&b);
		return seterr(h, QDA_EINPUT, "query '%s' ends with an operator; add a word after it", q);
	}
	if (!(*out = buf_take(&b)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

/* ---- the hits of a line, from the text of its document read once ----
 *
 * FTS5's highlight() reads a line's text through the external content view
 * line_text, a substr() of its document: every hit read the whole document
 * (its overflow pages) again. qda_line_hits(line_fts, DOC, start, end,
 * marks) does highlight()'s work on text held here instead: the document's
 * text is read once, when its first hit is met, and the line cut from it
 * by its code points. */

struct doc_text {
	struct qda *h;
	sqlite3_stmt *st;      /* SELECT text FROM document_all WHERE id = ?, on its row once read */
	long long doc_id;      /* bound to st; 0 before the first document */
	int read;              /* st is on the document's row */
	const char *text;
	size_t len;
	size_t cur_b;          /* a place in text: byte cur_b is code point cur_cp */
	sqlite3_int64 cur_cp;
};

/* Start on another document: its text is read at its first hit. */
static void doc_text_set(struct doc_text *t, long long doc_id)
{
	sqlite3_reset(t->st);
	sqlite3_bind_int64(t->st, 1, doc_id);
	t->doc_id = doc_id;
	t->read = 0;
	t->text = NULL;
	t->len = t->cur_b = 0;
	t->cur_cp = 0;
}

/* The byte where code point cp starts (len when past the end); the walk
 * goes on from the last place asked (a line, its context lines). */
static size_t doc_text_byte(struct doc_text *t, sqlite3_int64 cp)
{
	while (t->cur_cp > cp && t->cur_b > 0) {
		t->cur_b--;
		while (t->cur_b > 0 && ((unsigned char)t->text[t->cur_b] & 0xC0) == 0x80)
			t->cur_b--;
		t->cur_cp--;
	}
	while (t->cur_cp < cp && t->cur_b < t->len) {
		t->cur_b++;
		while (t->cur_b < t->len && ((unsigned char)t->text[t->cur_b] & 0xC0) == 0x80)
			t->cur_b++;
		t->cur_cp++;
	}
	return t->cur_b;
}

/* The lines around line n of a document (k lines of text each side, blank
 * lines not counted), LF-joined, into *out. */
static enum qda_status context_lines(struct qda *h, sqlite3_stmt *ctx, struct doc_text *t, long n, int k,
                                     char **out)
{
	struct buf b = { 0 };
	int step;
	*out = NULL;
	sqlite3_reset(ctx);
	sqlite3_bind_int64(ctx, 1, t->doc_id);
	sqlite3_bind_int64(ctx, 2, n);
	sqlite3_bind_int64(ctx, 3, k);
	while ((step = step_row(h, ctx, "read context lines")) > 0) {
		size_t a = doc_text_byte(t, sqlite3_column_int64(ctx, 1)), e = doc_text_byte(t, sqlite3_column_int64(ctx, 2));
		if (b.len)
			buf_addc(&b, '\n');
		buf_addf(&b, "%d%s", sqlite3_column_int(ctx, 0), sqlite3_column_int(ctx, 0) == n ? "> " : ": ");
		buf_add(&b, t->text + a, e - a);
	}
	if (step < 0) {
		buf_free(&b);
		return QDA_EDB;
	}
	if (!(*out = buf_take(&b)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

/* ---- stemmed search ---- */

struct sword {
	char *lower;              /* the query word, lower case */
	char *target[2];          /* its stem key in French and in English */
	int seen;                 /* found on the current line */
};

static void swords_free(struct sword *w, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++) {
		free(w[i].lower);
		free(w[i].target[0]);
		free(w[i].target[1]);
	}
	free(w);
}

/* A --stem query: words only, all of them on the line. */
static enum qda_status stem_words(struct qda *h, struct stemmers *sm, const char *q, struct sword **out, size_t *n)
{
	size_t pos = 0, a, b, k = 0;
	int letters;
	struct sword *w = NULL;
	const char *p;

	*out = NULL;
	*n = 0;
	for (p = q; *p; p++)
		if (*p == '"' || *p == '*')
			return seterr(h, QDA_EINPUT, "query '%s': --stem takes words, not \"phrases\" or prefixes*; search them without --stem", q);
	while (word_next(q, strlen(q), &pos, &a, &b, &letters)) {
		struct sword *nw;
		if ((b - a == 3 && (!strncmp(q + a, "AND", 3) || !strncmp(q + a, "NOT", 3))) ||
		    (b - a == 2 && !strncmp(q + a, "OR", 2))) {
			swords_free(w, k);
			return seterr(h, QDA_EINPUT, "query '%s': --stem finds lines holding every word; leave out %.*s", q,
			              (int)(b - a), q + a);
		}
		if (!(nw = realloc(w, (k + 1) * sizeof *w))) {
			swords_free(w, k);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		w = nw;
		memset(&w[k], 0, sizeof w[k]);
		k++;
		if (!(w[k - 1].lower = word_lower(q + a, b - a)) ||
		    !(w[k - 1].target[0] = stem_key(sm, QDA_LANG_FR, w[k - 1].lower)) ||
		    !(w[k - 1].target[1] = stem_key(sm, QDA_LANG_EN, w[k - 1].lower))) {
			swords_free(w, k);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
	}
	if (!k)
		return seterr(h, QDA_EINPUT, "the query is empty; give words to search for by their stem (--stem ecoute)");
	*out = w;
	*n = k;
	return QDA_OK;
}

/* The vocabulary of the index, on this connection only. A read-only
 * command's connection may be query_only: a TEMP table writes nothing to
 * the project, so that is lifted while it is made. */
static enum qda_status vocab_open(struct qda *h)
{
	sqlite3_stmt *st = prep(h, "PRAGMA query_only");
	enum qda_status rc;
	int qo = 0;
	if (!st)
		return QDA_EDB;
	if (step_row(h, st, "read query_only") > 0)
		qo = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (qo && (rc = exec(h, "PRAGMA query_only = OFF")) != QDA_OK)
		return rc;
	rc = exec(h, "CREATE VIRTUAL TABLE IF NOT EXISTS temp.qda_line_vocab USING fts5vocab(main, 'line_fts', 'row')");
	if (qo && exec(h, "PRAGMA query_only = ON") != QDA_OK && rc == QDA_OK)
		rc = QDA_EDB;
	return rc;
}

/* The FTS5 expression of a stemmed query: for each word, the terms of the
 * index that may be one of its forms (those starting like its stem), OR'ed;
 * the words AND'ed. *none when a word has no candidate. */
static enum qda_status stem_expr(struct qda *h, struct stemmers *sm, struct sword *w, size_t n, char **out, int *none)
{
	sqlite3_stmt *st = NULL;
	struct buf b = { 0 };
	enum qda_status rc = QDA_OK;
	size_t i;
	int l, step;

	*out = NULL;
	*none = 0;
	if ((rc = vocab_open(h)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT term FROM temp.qda_line_vocab WHERE term >= ?1 AND term < ?1 || char(1114111)")))
		return QDA_EDB;
	for (i = 0; i < n && rc == QDA_OK; i++) {
		size_t before = b.len;
		int terms = 0;
		if (i)
			buf_adds(&b, " AND ");
		buf_addc(&b, '(');
		for (l = 0; l < 2; l++) {
			const char *t = w[i].target[l];
			size_t tl = strlen(t), pl = tl;
			/* the stem's last letter may differ from the word's (happi, journal) */
			if (qda_text_cplen(t, tl) >= 4) {
				pl--;
				while (pl > 0 && ((unsigned char)t[pl] & 0xC0) == 0x80)
					pl--;
			}
			sqlite3_reset(st);
			sqlite3_bind_text(st, 1, t, (int)pl, SQLITE_TRANSIENT);
			while ((step = step_row(h, st, "read the search vocabulary")) > 0) {
				const char *term = (const char *)sqlite3_column_text(st, 0);
				char *k = stem_key(sm, l, term);
				int keep = k && (strcmp(k, t) == 0 || strncmp(term, t, tl) == 0);
				free(k);
				if (!keep)
					continue;
				buf_addf(&b, "%s\"%s\"", terms++ ? " OR " : "", term);
			}
			if (step < 0) {
				rc = QDA_EDB;
				break;
			}
		}
		if (!terms) {
			*none = 1;
			b.len = before;
		}
		buf_addc(&b, ')');
	}
	sqlite3_finalize(st);
	if (rc == QDA_OK && !*none && !(*out = buf_take(&b)))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	buf_free(&b);
	return rc;
}

/* ---- restrictions ---- */

/* The passages of a node and its descendants in one document, for --code. */
static enum qda_status code_passages(struct qda *h, sqlite3_stmt *st, long long doc_id, struct spans *sp)
{
	int step;
	enum qda_status rc;
	sp->n = 0;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, doc_id);
	while ((step = step_row(h, st, "read codings")) > 0)
		if ((rc = spans_push(h, sp, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1))) != QDA_OK)
			return rc;
	if (step < 0)
		return QDA_EDB;
	spans_passages(sp);
	return QDA_OK;
}

static enum qda_status speaker_check(struct qda *h, const char *name)
{
	sqlite3_stmt *st = prep(h, "SELECT 1 FROM speaker s JOIN document d ON d.id = s.doc_id WHERE s.name = ? LIMIT 1");
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	r = step_row(h, st, "find speaker");
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (r == 0)
		return seterr(h, QDA_EINPUT, "no speaker '%s' in any document; 'qda speakers' lists them", name);
	return QDA_OK;
}

/* One hit: bytes [a, b) of the line's text. */
struct hit {
	size_t a, b;
};

struct search_state {
	struct qda *h;
	const struct qda_search_opts *o;
	qda_search_fn fn;
	void *ctx;
	sqlite3_stmt *cx, *cod;
	struct doc_text *dt;    /* the current document's text, for context lines */
	struct spans passages;
	long long passages_doc;
	long count;
	int stop;
};

/* Emit the hits of one line (st's current row; text its plain text). */
static enum qda_status emit(struct search_state *s, sqlite3_stmt *st, const char *text, const struct hit *hits,
                            size_t n)
{
	struct qda *h = s->h;
	long long doc_id = sqlite3_column_int64(st, 0);
	long line_start = sqlite3_column_int(st, 6);
	char *context = NULL;
	enum qda_status rc = QDA_OK;
	size_t i, tlen = strlen(text);

	if (s->o->code && s->passages_doc != doc_id) {
		if ((rc = code_passages(h, s->cod, doc_id, &s->passages)) != QDA_OK)
			return rc;
		s->passages_doc = doc_id;
	}
	for (i = 0; i < n && !s->stop; i++) {
		struct qda_search_row r;
		char *before, *match, *after;
		r.start = line_start + (long)qda_text_cplen(text, hits[i].a);
		r.end = r.start + (long)qda_text_cplen(text + hits[i].a, hits[i].b - hits[i].a);
		if (s->o->code && !spans_contain(&s->passages, r.start, r.end))
			continue;
		if (s->cx && !context &&
		    (rc = context_lines(h, s->cx, s->dt, sqlite3_column_int(st, 3), s->o->context, &context)) != QDA_OK)
			return rc;
		before = strndup(text, hits[i].a);
		match = strndup(text + hits[i].a, hits[i].b - hits[i].a);
		after = strndup(text + hits[i].b, tlen - hits[i].b);
		if (!before || !match || !after) {
			free(before);
			free(match);
			free(after);
			free(context);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		r.doc = (const char *)sqlite3_column_text(st, 1);
		r.doc_id = doc_id;
		r.case_name = (const char *)sqlite3_column_text(st, 2);
		r.line = sqlite3_column_int(st, 3);
		r.turn = sqlite3_column_int(st, 4);
		r.speaker = (const char *)sqlite3_column_text(st, 5);
		r.before = before;
		r.match = match;
		r.after = after;
		r.context = context;
		s->stop = s->fn(s->ctx, &r);
		free(before);
		free(match);
		free(after);
		s->count++;
		if (s->o->limit > 0 && s->count >= s->o->limit)
			s->stop = 1;
	}
	free(context);
	return rc;
}

/* The hits FTS5 marked in a highlighted line, and its plain text. */
static enum qda_status marked_hits(struct qda *h, const char *hl, struct buf *plain, struct hit **hits, size_t *n)
{
	const char *p;
	size_t cap = 0;
	*n = 0;
	plain->len = 0;
	for (p = hl; *p; p++) {
		if (*p == MARK_OPEN || *p == MARK_CLOSE) {
			if (*p == MARK_OPEN) {
				if (*n == cap) {
					struct hit *nh = realloc(*hits, (cap = cap ? 2 * cap : 8) * sizeof *nh);
					if (!nh)
						return seterr(h, QDA_ENOMEM, "out of memory");
					*hits = nh;
				}
				(*hits)[*n].a = plain->len;
				(*hits)[*n].b = plain->len;
				(*n)++;
			} else if (*n) {
				(*hits)[*n - 1].b = plain->len;
			}
			continue;
		}
		buf_addc(plain, *p);
	}
	buf_adds(plain, "");
	return plain->failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_OK;
}

/* The words of a line whose stem is a query word's, in the document's
 * language; none unless every query word is there. */
static enum qda_status stemmed_hits(struct qda *h, struct stemmers *sm, int lang, struct sword *w, size_t nw,
                                    const char *text, struct hit **hits, size_t *n)
{
	size_t pos = 0, a, b, i, cap = 0, tlen = strlen(text);
	int letters;
	*n = 0;
	for (i = 0; i < nw; i++)
		w[i].seen = 0;
	while (word_next(text, tlen, &pos, &a, &b, &letters)) {
		char *lower = word_lower(text + a, b - a), *k;
		int any = 0;
		if (!lower || !(k = stem_key(sm, lang, lower))) {
			free(lower);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		for (i = 0; i < nw; i++)
			if (strcmp(k, w[i].target[lang]) == 0)
				any = w[i].seen = 1;
		free(k);
		free(lower);
		if (!any)
			continue;
		if (*n == cap) {
			struct hit *nh = realloc(*hits, (cap = cap ? 2 * cap : 8) * sizeof *nh);
			if (!nh)
				return seterr(h, QDA_ENOMEM, "out of memory");
			*hits = nh;
		}
		(*hits)[*n].a = a;
		(*hits)[(*n)++].b = b;
	}
	for (i = 0; i < nw; i++)
		if (!w[i].seen)
			*n = 0;
	return QDA_OK;
}

/* A phrase instance of the query in the line: tokens [first, last]. */
struct inst {
	int first, last;
};

struct hl {
	const struct inst *v;
	size_t n, k;            /* the instances and the next one to open */
	int pos;                /* the token being read */
	int open;               /* the instance k is open */
	const char *in;
	size_t off;             /* bytes of in copied so far */
	struct buf out;
};

/* The tokenizer's callback: highlight()'s (fts5_aux.c), marks around each
 * run of overlapping instances, from its first token's start to its last
 * token's end. */
static int hl_token(void *ctx, int tflags, const char *token, int ntoken, int start, int end)
{
	struct hl *p = ctx;
	int pos;
	(void)token;
	(void)ntoken;
	if (tflags & FTS5_TOKEN_COLOCATED)
		return SQLITE_OK;
	pos = p->pos++;
	if (p->k < p->n && pos == p->v[p->k].first && !p->open) {
		buf_add(&p->out, p->in + p->off, (size_t)start - p->off);
		buf_addc(&p->out, MARK_OPEN);
		p->off = (size_t)start;
		p->open = 1;
	}
	if (p->k < p->n && pos == p->v[p->k].last) {
		buf_add(&p->out, p->in + p->off, (size_t)end - p->off);
		buf_addc(&p->out, MARK_CLOSE);
		p->off = (size_t)end;
		p->open = 0;
		p->k++;
	}
	return p->out.failed ? SQLITE_NOMEM : SQLITE_OK;
}

/* The coalesced instances of the query in column 0 (overlapping ones are
 * one run), in order, into *v (sqlite3_malloc'd). */
static int line_instances(const Fts5ExtensionApi *api, Fts5Context *fts, struct inst **v, size_t *n)
{
	int count = 0, i, rc;
	*v = NULL;
	*n = 0;
	if ((rc = api->xInstCount(fts, &count)) != SQLITE_OK || count == 0)
		return rc;
	if (!(*v = sqlite3_malloc64((sqlite3_uint64)count * sizeof **v)))
		return SQLITE_NOMEM;
	for (i = 0; i < count; i++) {
		int phrase, col, off, last;
		if ((rc = api->xInst(fts, i, &phrase, &col, &off)) != SQLITE_OK)
			return rc;
		if (col != 0)
			continue;
		last = off - 1 + api->xPhraseSize(fts, phrase);
		if (*n && off <= (*v)[*n - 1].last) {
			if (last > (*v)[*n - 1].last)
				(*v)[*n - 1].last = last;
		} else {
			(*v)[*n].first = off;
			(*v)[(*n)++].last = last;
		}
	}
	return SQLITE_OK;
}

static void line_hits_fn(const Fts5ExtensionApi *api, Fts5Context *fts, sqlite3_context *ctx, int nval,
                         sqlite3_value **val)
{
	struct doc_text *t;
	struct hl p = { 0 };
	struct inst *v = NULL;
	size_t a, b;
	int rc = SQLITE_OK;

	if (nval != 4 || !(t = sqlite3_value_pointer(val[0], "qda_doc_text"))) {
		sqlite3_result_error(ctx, "qda_line_hits(line_fts, DOC, start, end, marks)", -1);
		return;
	}
	if (!t->read) {
		int r = sqlite3_step(t->st);
		if (r != SQLITE_ROW) {
			sqlite3_result_error_code(ctx, r == SQLITE_DONE ? SQLITE_CORRUPT : sqlite3_errcode(sqlite3_db_handle(t->st)));
			return;
		}
		t->text = (const char *)sqlite3_column_text(t->st, 0);
		t->len = (size_t)sqlite3_column_bytes(t->st, 0);
		t->read = 1;
		if (!t->text) {
			t->text = "";
			t->len = 0;
		}
	}
	a = doc_text_byte(t, sqlite3_value_int64(val[1]));
	b = doc_text_byte(t, sqlite3_value_int64(val[2]));
	p.in = t->text + a;
	if (!sqlite3_value_int(val[3])) {
		sqlite3_result_text(ctx, p.in, (int)(b - a), SQLITE_TRANSIENT);
		return;
	}
	if ((rc = line_instances(api, fts, &v, &p.n)) == SQLITE_OK) {
		p.v = v;
		rc = api->xTokenize(fts, p.in, (int)(b - a), &p, hl_token);
	}
	if (rc == SQLITE_OK) {
		if (p.open)
			buf_addc(&p.out, MARK_CLOSE);
		buf_add(&p.out, p.in + p.off, b - a - p.off);
		rc = p.out.failed ? SQLITE_NOMEM : SQLITE_OK;
	}
	if (rc == SQLITE_OK)
		sqlite3_result_text(ctx, p.out.s ? p.out.s : "", (int)p.out.len, SQLITE_TRANSIENT);
	else
		sqlite3_result_error_code(ctx, rc);
	buf_free(&p.out);
	sqlite3_free(v);
}

/* qda_line_hits, made known to FTS5 on this connection once. */
static enum qda_status line_hits_register(struct qda *h)
{
	fts5_api *api = NULL;
	sqlite3_stmt *st;
	if (h->line_hits)
		return QDA_OK;
	if (!(st = prep(h, "SELECT fts5(?1)")))
		return QDA_EDB;
	sqlite3_bind_pointer(st, 1, (void *)&api, "fts5_api_ptr", NULL);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (!api || api->iVersion < 2 ||
	    api->xCreateFunction(api, "qda_line_hits", NULL, line_hits_fn, NULL) != SQLITE_OK)
		return seterr(h, QDA_EDB, "search: this SQLite has no FTS5 to search with");
	h->line_hits = 1;
	return QDA_OK;
}

/* After a failed step: FTS5's refusal of a query that passed our parser is
 * the user's to correct; anything else (busy, I/O, corruption) is the
 * database's error. */
static enum qda_status search_error(struct qda *h, const struct qda_search_opts *o)
{
	if (!strncmp(sqlite3_errmsg(h->db), "fts5:", 5))
		return seterr(h, QDA_EINPUT, "query '%s' could not be run (%s); use words, \"a phrase\", prefix* and "
		              "AND/OR/NOT between words", o->query, sqlite3_errmsg(h->db));
	return dberr(h, "search");
}

enum qda_status qda_search(struct qda *h, const struct qda_search_opts *o, qda_search_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL, *docs = NULL, *check = NULL;
	struct doc_text dt = { 0 };
	struct search_state s = { 0 };
	struct filter_sql fs;
	struct stemmers sm = { { 0 } };
	struct doclangs dl = { 0 };
	struct sword *words = NULL;
	struct hit *hits = NULL;
	struct buf q = { 0 }, plain = { 0 }, sub = { 0 };
	enum qda_status rc;
	char *fts = NULL, *mq = NULL;
	size_t nwords = 0, nhits, mqlen;
	long long doc_id = 0;
	int step = SQLITE_DONE, dstep = 0, param;

	s.h = h;
	s.o = o;
	s.fn = fn;
	s.ctx = ctx;
	if ((rc = filter_prepare(h, o->filter, &fs)) != QDA_OK)
		return rc;
	/* typed ’ and « » are the plain ' and " (qda_text_match_form) */
	if (!(mq = qda_text_match_form(o->query, strlen(o->query), 1, &mqlen, NULL, NULL))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (o->stem) {
		int none = 0;
		if ((rc = stemmers_open(h, &sm)) != QDA_OK || (rc = stem_words(h, &sm, mq, &words, &nwords)) != QDA_OK ||
		    (rc = doclangs_load(h, &dl)) != QDA_OK || (rc = stem_expr(h, &sm, words, nwords, &fts, &none)) != QDA_OK)
			goto out;
		if (none)
			goto out; /* a word no document holds: no hit */
	} else if ((rc = build_query(h, mq, &fts)) != QDA_OK) {
		goto out;
	}
	if (o->doc && (rc = doc_find(h, o->doc, &doc_id)) != QDA_OK)
		goto out;
	if (o->speaker && (rc = speaker_check(h, o->speaker)) != QDA_OK)
		goto out;
	if (o->code) {
		long long node;
		struct buf c = { 0 };
		if ((rc = node_find(h, o->code, &node)) != QDA_OK)
			goto out;
		buf_addf(&c, "WITH RECURSIVE sub(id) AS (SELECT %lld UNION SELECT node.id FROM node JOIN sub"
		             " ON node.parent_id = sub.id) SELECT c.start, c.end FROM coding c WHERE c.doc_id = ?"
		             " AND c.node_id IN (SELECT id FROM sub)%s ORDER BY c.start", node, fs.coding.s ? fs.coding.s : "");
		if (c.failed || !(s.cod = prep(h, c.s))) {
			rc = c.failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
			buf_free(&c);
			goto out;
		}
		buf_free(&c);
	}
	/* Document by document, in name order, each one's matching lines in
	 * order (a rowid range of the index, so a document costs its own hits,
	 * not the whole list's), the hits marked from its text read once: the
	 * rows stream, and --limit stops the reading. */
	if ((rc = line_hits_register(h)) != QDA_OK)
		goto out;
	buf_adds(&q, "SELECT l.doc_id, d.name, coalesce(c.name, ''), l.n, coalesce(l.turn_n, 0), s.name, l.start,"
	             " qda_line_hits(line_fts, ?6, l.start, l.end, ?7)");
	buf_adds(&q, " FROM line_fts CROSS JOIN line l ON l.id = line_fts.rowid"
	             " JOIN document d ON d.id = l.doc_id LEFT JOIN cases c ON c.id = d.case_id"
	             " LEFT JOIN turn t ON t.doc_id = l.doc_id AND t.n = l.turn_n"
	             " LEFT JOIN speaker s ON s.id = t.speaker_id"
	             " WHERE line_fts MATCH ?1 AND line_fts.rowid BETWEEN ?3 AND ?4 AND l.doc_id = ?2"
	             " AND (?5 IS NULL OR s.name = ?5)");
	buf_adds(&q, fs.where.s);
	buf_adds(&q, " ORDER BY l.n");
	if (q.failed || !(st = prep(h, q.s))) {
		rc = q.failed ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
		goto out;
	}
	if (!(docs = prep(h, "SELECT d.id, (SELECT min(id) FROM line WHERE doc_id = d.id),"
	                     " (SELECT max(id) FROM line WHERE doc_id = d.id) FROM document d"
	                     " WHERE ?1 = 0 OR d.id = ?1 ORDER BY d.name")) ||
	    !(dt.st = prep(h, "SELECT text FROM document_all WHERE id = ?")) ||
	    /* a query FTS5 refuses is refused whatever the documents */
	    !(check = prep(h, "SELECT rowid FROM line_fts WHERE line_fts MATCH ? LIMIT 1"))) {
		rc = QDA_EDB;
		goto out;
	}
	dt.h = h;
	s.dt = &dt;
	bind_text(check, 1, fts);
	if ((step = sqlite3_step(check)) != SQLITE_ROW) {
		if (step != SQLITE_DONE)
			rc = search_error(h, o);
		goto out; /* no line matches */
	}
	if (o->context > 0 &&
	    /* k lines of text each side, the blank lines between them carried
	     * along but not counted (a double-spaced transcript) */
	    !(s.cx = prep(h, "SELECT l.n, l.start, l.end FROM line l WHERE l.doc_id = ?1"
	                     " AND l.n BETWEEN coalesce((SELECT min(n) FROM (SELECT n FROM line WHERE doc_id = ?1"
	                     " AND n < ?2 AND end > start ORDER BY n DESC LIMIT ?3)), ?2)"
	                     " AND coalesce((SELECT max(n) FROM (SELECT n FROM line WHERE doc_id = ?1"
	                     " AND n > ?2 AND end > start ORDER BY n LIMIT ?3)), ?2) ORDER BY l.n"))) {
		rc = QDA_EDB;
		goto out;
	}
	bind_text(st, 1, fts);
	if (o->speaker)
		bind_text(st, 5, o->speaker);
	sqlite3_bind_pointer(st, 6, &dt, "qda_doc_text", NULL);
	sqlite3_bind_int(st, 7, !o->stem);
	param = filter_bind(st, 8, &fs);
	(void)param;
	sqlite3_bind_int64(docs, 1, doc_id);
	while (!s.stop && (dstep = step_row(h, docs, "search")) > 0) {
		if (sqlite3_column_type(docs, 1) == SQLITE_NULL)
			continue; /* no lines */
		doc_text_set(&dt, sqlite3_column_int64(docs, 0));
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 2, dt.doc_id);
		sqlite3_bind_int64(st, 3, sqlite3_column_int64(docs, 1));
		sqlite3_bind_int64(st, 4, sqlite3_column_int64(docs, 2));
		while (!s.stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *hl = (const char *)sqlite3_column_text(st, 7);
			if (!hl)
				continue;
			if (o->stem) {
				int lang = doclangs_of(&dl, sqlite3_column_int64(st, 0));
				if ((rc = stemmed_hits(h, &sm, lang, words, nwords, hl, &hits, &nhits)) != QDA_OK ||
				    (rc = emit(&s, st, hl, hits, nhits)) != QDA_OK)
					goto out;
			} else {
				if ((rc = marked_hits(h, hl, &plain, &hits, &nhits)) != QDA_OK ||
				    (rc = emit(&s, st, plain.s, hits, nhits)) != QDA_OK)
					goto out;
			}
		}
		if (!s.stop && step != SQLITE_DONE) {
			rc = search_error(h, o);
			goto out;
		}
	}
	if (dstep < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(s.cx);
	sqlite3_finalize(s.cod);
	sqlite3_finalize(st);
	sqlite3_finalize(docs);
	sqlite3_finalize(check);
	sqlite3_finalize(dt.st);
	free(s.passages.v);
	free(hits);
	buf_free(&plain);
	buf_free(&q);
	buf_free(&sub);
	swords_free(words, nwords);
	doclangs_free(&dl);
	stemmers_close(&sm);
	filter_sql_free(&fs);
	free(fts);
	free(mq);
	return rc;
}
