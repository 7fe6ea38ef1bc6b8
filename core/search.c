/* search.c — full-text search over the lines of every document (FTS5, with
 * unicode61 remove_diacritics: accent- and case-insensitive), returned as
 * keyword-in-context rows. The user's query is parsed here, never passed raw
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

/* The lines around line n of a document, LF-joined, into *out. */
static enum qda_status context_lines(struct qda *h, sqlite3_stmt *ctx, long long doc_id, long n, int k, char **out)
{
	struct buf b = { 0 };
	int step;
	*out = NULL;
	sqlite3_reset(ctx);
	sqlite3_bind_int64(ctx, 1, doc_id);
	sqlite3_bind_int64(ctx, 2, n - k);
	sqlite3_bind_int64(ctx, 3, n + k);
	while ((step = step_row(h, ctx, "read context lines")) > 0) {
		if (b.len)
			buf_addc(&b, '\n');
		buf_addf(&b, "%d%s", sqlite3_column_int(ctx, 0), sqlite3_column_int(ctx, 0) == n ? "> " : ": ");
		buf_adds(&b, (const char *)sqlite3_column_text(ctx, 1));
	}
	if (step < 0) {
		buf_free(&b);
		return QDA_EDB;
	}
	if (!(*out = buf_take(&b)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

enum qda_status qda_search(struct qda *h, const struct qda_search_opts *o, qda_search_fn fn, void *ctx)
{
	sqlite3_stmt *st = NULL, *cx = NULL;
	enum qda_status rc;
	char *fts = NULL;
	long long doc_id = 0;
	long count = 0;
	int step, stop = 0;

	if ((rc = build_query(h, o->query, &fts)) != QDA_OK)
		return rc;
	if (o->doc && (rc = doc_find(h, o->doc, &doc_id)) != QDA_OK)
		goto out;
	st = prep(h, "SELECT l.doc_id, d.name, coalesce(c.name, ''), l.n, coalesce(l.turn_n, 0), s.name, l.start,"
	             " highlight(line_fts, 0, char(1), char(2))"
	             " FROM line_fts JOIN line l ON l.id = line_fts.rowid"
	             " JOIN document d ON d.id = l.doc_id LEFT JOIN cases c ON c.id = d.case_id"
	             " LEFT JOIN turn t ON t.doc_id = l.doc_id AND t.n = l.turn_n"
	             " LEFT JOIN speaker s ON s.id = t.speaker_id"
	             " WHERE line_fts MATCH ? AND (? = 0 OR l.doc_id = ?) ORDER BY d.name, l.n");
	if (!st) {
		rc = QDA_EDB;
		goto out;
	}
	if (o->context > 0 &&
	    !(cx = prep(h, "SELECT l.n, t.text FROM line l JOIN line_text t ON t.id = l.id"
	                   " WHERE l.doc_id = ? AND l.n BETWEEN ? AND ? ORDER BY l.n"))) {
		rc = QDA_EDB;
		goto out;
	}
	bind_text(st, 1, fts);
	sqlite3_bind_int64(st, 2, doc_id);
	sqlite3_bind_int64(st, 3, doc_id);
	while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *hl = (const char *)sqlite3_column_text(st, 7), *p;
		char *context = NULL;
		long line_start = sqlite3_column_int(st, 6);
		if (!hl)
			continue;
		if (cx && (rc = context_lines(h, cx, sqlite3_column_int64(st, 0), sqlite3_column_int(st, 3), o->context,
		                              &context)) != QDA_OK)
			goto out;
		/* One row per highlighted hit on the line. */
		for (p = hl; (p = strchr(p, MARK_OPEN)) != NULL;) {
			const char *close = strchr(p, MARK_CLOSE);
			struct qda_search_row r;
			struct buf before = { 0 }, match = { 0 }, after = { 0 };
			const char *q;
			if (!close)
				break;
			for (q = hl; q < p; q++)
				if (*q != MARK_OPEN && *q != MARK_CLOSE)
					buf_addc(&before, *q);
			buf_add(&match, p + 1, (size_t)(close - p - 1));
			for (q = close + 1; *q; q++)
				if (*q != MARK_OPEN && *q != MARK_CLOSE)
					buf_addc(&after, *q);
			buf_adds(&before, "");
			buf_adds(&match, "");
			buf_adds(&after, "");
			if (before.failed || match.failed || after.failed) {
				buf_free(&before);
				buf_free(&match);
				buf_free(&after);
				free(context);
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			r.doc = (const char *)sqlite3_column_text(st, 1);
			r.case_name = (const char *)sqlite3_column_text(st, 2);
			r.line = sqlite3_column_int(st, 3);
			r.turn = sqlite3_column_int(st, 4);
			r.speaker = (const char *)sqlite3_column_text(st, 5);
			r.start = line_start + (long)qda_text_cplen(before.s, before.len);
			r.end = r.start + (long)qda_text_cplen(match.s, match.len);
			r.before = before.s;
			r.match = match.s;
			r.after = after.s;
			r.context = context;
			stop = fn(ctx, &r);
			buf_free(&before);
			buf_free(&match);
			buf_free(&after);
			count++;
			if (stop || (o->limit > 0 && count >= o->limit)) {
				stop = 1;
				break;
			}
			p = close + 1;
		}
		free(context);
	}
	if (!stop && step != SQLITE_DONE) {
		/* A query that passed our parser can still be refused by FTS5;
		 * anything else (busy, I/O, corruption) is the database's error. */
		if (!strncmp(sqlite3_errmsg(h->db), "fts5:", 5))
			rc = seterr(h, QDA_EINPUT, "query '%s' could not be run (%s); use words, \"a phrase\", prefix* and "
			            "AND/OR/NOT between words", o->query, sqlite3_errmsg(h->db));
		else
			rc = dberr(h, "search");
	}
out:
	sqlite3_finalize(cx);
	sqlite3_finalize(st);
	free(fts);
	return rc;
}
