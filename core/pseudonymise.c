/* pseudonymise.c — real names replaced by pseudonyms in the texts, speaker
 * labels, case and document names and memos, every coding kept on the same
 * words. Never stores the map nor a real name (no undo record: it would hold
 * the old texts), and refuses a replacement that would cut a coded span. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

struct entry {
	char *name, *pseudonym;
	size_t nlen, plen;
	int64_t ncp, pcp;       /* code points */
	long line;              /* in the map */
};

struct qda_pseudo_map {
	struct entry *v;        /* longest name first: "Marie Dupont" before "Marie" */
	size_t n;
	size_t first[256];      /* index of the first name by its first byte, n when none */
};

void qda_pseudo_map_free(struct qda_pseudo_map *m)
{
	size_t i;
	if (!m)
		return;
	for (i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].pseudonym);
	}
	free(m->v);
	free(m);
}

static int by_first_then_length(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	unsigned char cx = (unsigned char)x->name[0], cy = (unsigned char)y->name[0];
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x->nlen > y->nlen ? -1 : x->nlen < y->nlen;
}

static enum qda_status at(struct qda *h, const char *path, const struct csv_field *f, const char *fmt, const char *a)
{
	char *loc = loc_at(path, (size_t)f->line, (size_t)f->col);
	enum qda_status rc = seterr_at(h, QDA_EINPUT, loc ? loc : path, fmt, a);
	free(loc);
	return rc;
}

/* A cell of the map in stored form (NFC), checked. */
static enum qda_status map_cell(struct qda *h, const char *path, const struct csv_field *f, const char *what,
                                char **out, size_t *len)
{
	size_t bad;
	*out = NULL;
	if (f->len == 0)
		return at(h, path, f, "the %s is empty; give one on every row", what);
	if (memchr(f->s, '\n', f->len))
		return at(h, path, f, "the %s holds a line break; a name is replaced within a line", what);
	if (qda_text_check_utf8(f->s, f->len, &bad) != QDA_OK)
		return at(h, path, f, "the %s is not UTF-8; save the map as UTF-8", what);
	return qda_text_normalize(f->s, f->len, out, len) == QDA_OK ? QDA_OK : seterr(h, QDA_ENOMEM, "out of memory");
}

enum qda_status qda_pseudo_map_load(struct qda *h, const char *path, char delim, struct qda_pseudo_map **out)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct qda_pseudo_map *m;
	enum qda_status rc;
	size_t i, j;

	*out = NULL;
	if (!(m = calloc(1, sizeof *m)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = csv_open(h, path, delim, &r)) != QDA_OK || (rc = csv_next(r, &rec)) != QDA_OK)
		goto out;
	if (rec.n != 2 || strcmp(rec.f[0].s, "name") != 0 || strcmp(rec.f[1].s, "pseudonym") != 0) {
		char *loc = loc_at(path, 1, 1);
		rc = seterr_at(h, QDA_EINPUT, loc ? loc : path, "the header should be 'name,pseudonym'; the map has one "
		               "row per real name and the pseudonym that replaces it");
		free(loc);
		goto out;
	}
	while ((rc = csv_next(r, &rec)) == QDA_OK && rec.n) {
		struct entry e = { 0 }, *v;
		if (rec.n != 2) {
			char *loc = loc_at(path, (size_t)rec.line, 1);
			rc = seterr_at(h, QDA_EINPUT, loc ? loc : path, "the row has %zu fields; give 'name,pseudonym'", rec.n);
			free(loc);
			break;
		}
		if ((rc = map_cell(h, path, &rec.f[0], "name", &e.name, &e.nlen)) != QDA_OK ||
		    (rc = map_cell(h, path, &rec.f[1], "pseudonym", &e.pseudonym, &e.plen)) != QDA_OK) {
			free(e.name);
			break;
		}
		e.line = rec.line;
		for (j = 0; j < m->n; j++)
			if (strcmp(m->v[j].name, e.name) == 0)
				break;
		if (j < m->n) {
			char prev[32];
			snprintf(prev, sizeof prev, "%ld", m->v[j].line);
			free(e.name);
			free(e.pseudonym);
			rc = at(h, path, &rec.f[0], "the name is mapped already on line %s; give each name once", prev);
			break;
		}
		e.ncp = (int64_t)qda_text_cplen(e.name, e.nlen);
		e.pcp = (int64_t)qda_text_cplen(e.pseudonym, e.plen);
		if (!(v = realloc(m->v, (m->n + 1) * sizeof *v))) {
			free(e.name);
			free(e.pseudonym);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
		m->v = v;
		m->v[m->n++] = e;
	}
	if (rc == QDA_OK && m->n == 0)
		rc = seterr_at(h, QDA_EINPUT, path, "the map holds no name; give one row 'name,pseudonym' per name");
	if (rc != QDA_OK)
		goto out;
	qsort(m->v, m->n, sizeof *m->v, by_first_then_length);
	for (i = 0; i < 256; i++)
		m->first[i] = m->n;
	for (i = m->n; i-- > 0;)
		m->first[(unsigned char)m->v[i].name[0]] = i;
out:
	csv_close(r);
	if (rc != QDA_OK)
		qda_pseudo_map_free(m);
	else
		*out = m;
	return rc;
}

/* ---- matching ---- */

static int word_cp(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_ME) ||
	       (c >= UTF8PROC_CATEGORY_ND && c <= UTF8PROC_CATEGORY_NO) || c == UTF8PROC_CATEGORY_PC;
}

/* The code point ending just before byte i (0 at the start). */
static int32_t cp_before(const char *s, size_t i)
{
	size_t k = i;
	utf8proc_int32_t cp = 0;
	if (i == 0)
		return 0;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xC0) == 0x80)
		k--;
	if (k > 0)
		k--;
	utf8proc_iterate((const utf8proc_uint8_t *)s + k, (utf8proc_ssize_t)(i - k), &cp);
	return cp < 0 ? 0 : cp;
}

static int32_t cp_from(const char *s, size_t len, size_t i)
{
	utf8proc_int32_t cp = 0;
	if (i >= len)
		return 0;
	utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
	return cp < 0 ? 0 : cp;
}

/* The name of the map at byte i of s, whole words only: the longest
 * that fits; NULL when none. */
static const struct entry *match_at(const struct qda_pseudo_map *m, const char *s, size_t len, size_t i)
{
	size_t k = m->first[(unsigned char)s[i]];
	for (; k < m->n && m->v[k].name[0] == s[i]; k++) {
		const struct entry *e = &m->v[k];
		if (e->nlen > len - i || memcmp(s + i, e->name, e->nlen) != 0)
			continue;
		if (word_cp(cp_from(e->name, e->nlen, 0)) && word_cp(cp_before(s, i)))
			continue;
		if (word_cp(cp_before(e->name, e->nlen)) && word_cp(cp_from(s, len, i + e->nlen)))
			continue;
		return e;
	}
	return NULL;
}

struct hit {
	size_t b;               /* byte offset in the old text */
	int64_t cp;             /* code point offset in the old text */
	long line, col;
	const struct entry *e;
};
struct hits {
	struct hit *v;
	size_t n, cap;
};

/* Every occurrence in s, in order, with its line and column (from 1). */
static enum qda_status find(struct qda *h, const struct qda_pseudo_map *m, const char *s, size_t len, struct hits *out)
{
	size_t i = 0;
	int64_t cp = 0;
	long line = 1, col = 1;
	out->n = 0;
	while (i < len) {
		const struct entry *e = NULL;
		if (m->first[(unsigned char)s[i]] < m->n)
			e = match_at(m, s, len, i);
		if (e) {
			if (out->n == out->cap) {
				struct hit *v = realloc(out->v, (out->cap = out->cap ? 2 * out->cap : 16) * sizeof *v);
				if (!v)
					return seterr(h, QDA_ENOMEM, "out of memory");
				out->v = v;
			}
			out->v[out->n++] = (struct hit){ i, cp, line, col, e };
			i += e->nlen;
			cp += e->ncp;
			col += (long)e->ncp;
			continue;
		}
		if (s[i] == '\n') {
			line++;
			col = 0;
		}
		if (((unsigned char)s[i] & 0xC0) != 0x80) {
			cp++;
			col++;
		}
		i++;
	}
	return QDA_OK;
}

/* s with its hits replaced; malloc'd, NUL-terminated. */
static char *rewrite(const char *s, size_t len, const struct hits *hs, size_t *out_len)
{
	struct buf b = { 0 };
	size_t i, from = 0;
	for (i = 0; i < hs->n; i++) {
		buf_add(&b, s + from, hs->v[i].b - from);
		buf_add(&b, hs->v[i].e->pseudonym, hs->v[i].e->plen);
		from = hs->v[i].b + hs->v[i].e->nlen;
	}
	buf_add(&b, s + from, len - from);
	*out_len = b.len;
	return buf_take(&b);
}

/* A position of the old text in the new one: moved by the length change of
 * every name ending at or before it. */
static int64_t shift(const struct hits *hs, int64_t pos)
{
	int64_t d = 0;
	size_t i;
	for (i = 0; i < hs->n && hs->v[i].cp + hs->v[i].e->ncp <= pos; i++)
		d += hs->v[i].e->pcp - hs->v[i].e->ncp;
	return pos + d;
}

/* The hit with pos strictly inside it, or NULL. */
static const struct hit *cut(const struct hits *hs, int64_t pos)
{
	size_t lo = 0, hi = hs->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (hs->v[mid].cp + hs->v[mid].e->ncp <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < hs->n && hs->v[lo].cp < pos ? &hs->v[lo] : NULL;
}

/* ---- the run ---- */

struct run {
	struct qda *h;
	const struct qda_pseudo_map *m;
	int dry;
	qda_pseudo_hit_fn hit;
	qda_pseudo_count_fn count;
	void *ctx;
	struct qda_pseudo_totals *t;
	long *per;              /* occurrences per entry, for one place */
	struct hits hs;
};

static enum qda_status stopped(struct qda *h)
{
	return seterr(h, QDA_EIO, "stopped");
}

/* The counts of one place, then zeroed. */
static enum qda_status report(struct run *r, const char *in, const char *document)
{
	size_t i;
	for (i = 0; i < r->m->n; i++) {
		struct qda_pseudo_count c = { in, document, r->m->v[i].name, r->m->v[i].pseudonym, r->per[i] };
		if (r->per[i] && r->count && r->count(r->ctx, &c))
			return stopped(r->h);
		r->per[i] = 0;
	}
	return QDA_OK;
}

/* The hits of a short value (a name, a memo): listed in a dry run, counted
 * otherwise. */
static enum qda_status list_hits(struct run *r, const char *in, const char *document, const char *s, size_t len)
{
	size_t i;
	for (i = 0; i < r->hs.n; i++) {
		const struct hit *x = &r->hs.v[i];
		r->t->occurrences++;
		r->per[x->e - r->m->v]++;
		if (r->dry && r->hit) {
			/* the line of the hit, up to 30 code points either side */
			size_t ls = x->b, le = x->b + x->e->nlen, a, z;
			struct buf b = { 0 };
			struct qda_pseudo_hit ph;
			char *ctx;
			int stop;
			while (ls > 0 && s[ls - 1] != '\n')
				ls--;
			while (le < len && s[le] != '\n')
				le++;
			a = ls;
			if (qda_text_cplen(s + ls, x->b - ls) > 30)
				a = ls + qda_text_cp_to_byte(s + ls, x->b - ls, qda_text_cplen(s + ls, x->b - ls) - 30);
			z = x->b + x->e->nlen;
			z += qda_text_cp_to_byte(s + z, le - z, 30);
			if (a > ls)
				buf_adds(&b, "…");
			buf_add(&b, s + a, x->b - a);
			buf_adds(&b, "[");
			buf_add(&b, s + x->b, x->e->nlen);
			buf_adds(&b, "]");
			buf_add(&b, s + x->b + x->e->nlen, z - x->b - x->e->nlen);
			if (z < le)
				buf_adds(&b, "…");
			if (!(ctx = buf_take(&b)))
				return seterr(r->h, QDA_ENOMEM, "out of memory");
			ph = (struct qda_pseudo_hit){ in, document, x->line, x->col, x->e->name, x->e->pseudonym, ctx };
			stop = r->hit(r->ctx, &ph);
			free(ctx);
			if (stop)
				return stopped(r->h);
		}
	}
	return r->dry ? QDA_OK : report(r, in, document);
}

/* Codings on the document: none may have an edge strictly inside a name;
 * then every one (removed ones too) moves with its words. */
static enum qda_status move_codings(struct run *r, long long doc_id, const char *doc)
{
	struct qda *h = r->h;
	sqlite3_stmt *st = prep(h, "SELECT c.id, c.start, c.end, n.key FROM coding_all c JOIN node n ON n.id = c.node_id"
	                           " WHERE c.doc_id = ? ORDER BY c.start, c.id");
	sqlite3_stmt *park = NULL, *up = NULL;
	enum qda_status rc = QDA_OK;
	int x;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, doc_id);
	if (!r->dry) {
		/* out of the way first, so that no coding takes another's span for a moment */
		if (!(park = prep(h, "UPDATE coding_all SET start = start + 1099511627776, end = end + 1099511627776"
		                     " WHERE doc_id = ?")) ||
		    !(up = prep(h, "UPDATE coding_all SET start = ?, end = ? WHERE id = ?"))) {
			rc = QDA_EDB;
			goto out;
		}
	}
	/* every check before any change */
	while ((x = step_row(h, st, "read the codings")) > 0) {
		int64_t s = sqlite3_column_int64(st, 1), e = sqlite3_column_int64(st, 2);
		const struct hit *c = cut(&r->hs, s);
		int at_end = 0;
		if (!c) {
			c = cut(&r->hs, e);
			at_end = 1;
		}
		if (c) {
			char *loc = NULL;
			if (asprintf(&loc, "%s:%ld:%ld", doc, c->line, c->col) < 0)
				loc = NULL;
			rc = seterr_at(h, QDA_EINPUT, loc ? loc : doc,
			               "'%s' -> '%s' would cut coding %lld (%s, [%lld, %lld)): its %s lies inside the name; "
			               "nothing was changed. Make the coding hold the whole name or none of it (qda uncode, "
			               "qda code), or leave this name out of the map",
			               c->e->name, c->e->pseudonym, (long long)sqlite3_column_int64(st, 0),
			               (const char *)sqlite3_column_text(st, 3), (long long)s, (long long)e,
			               at_end ? "end" : "start");
			free(loc);
			goto out;
		}
	}
	if (x < 0) {
		rc = QDA_EDB;
		goto out;
	}
	if (r->dry || r->hs.n == 0)
		goto out;
	sqlite3_bind_int64(park, 1, doc_id);
	if ((rc = step_done(h, park)) != QDA_OK)
		goto out;
	sqlite3_reset(st);
	while ((x = step_row(h, st, "read the codings")) > 0) {
		int64_t s = sqlite3_column_int64(st, 1) - 1099511627776LL, e = sqlite3_column_int64(st, 2) - 1099511627776LL;
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, shift(&r->hs, s));
		sqlite3_bind_int64(up, 2, shift(&r->hs, e));
		sqlite3_bind_int64(up, 3, sqlite3_column_int64(st, 0));
		if ((rc = step_done(h, up)) != QDA_OK)
			goto out;
		if (shift(&r->hs, s) != s || shift(&r->hs, e) != e)
			r->t->codings++;
	}
	if (x < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(park);
	sqlite3_finalize(up);
	return rc;
}

static enum qda_status move_turns(struct run *r, long long doc_id)
{
	struct qda *h = r->h;
	sqlite3_stmt *st = prep(h, "SELECT id, start, end FROM turn WHERE doc_id = ?");
	sqlite3_stmt *up = prep(h, "UPDATE turn SET start = ?, end = ? WHERE id = ?");
	enum qda_status rc = QDA_OK;
	int x;
	if (!st || !up) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	/* reads the old positions only: a turn's row is changed after it is read */
	while ((x = step_row(h, st, "read the turns")) > 0) {
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, shift(&r->hs, sqlite3_column_int64(st, 1)));
		sqlite3_bind_int64(up, 2, shift(&r->hs, sqlite3_column_int64(st, 2)));
		sqlite3_bind_int64(up, 3, sqlite3_column_int64(st, 0));
		if ((rc = step_done(h, up)) != QDA_OK)
			goto out;
	}
	if (x < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

static enum qda_status do_texts(struct run *r)
{
	struct qda *h = r->h;
	sqlite3_stmt *st = prep(h, "SELECT id, name, text FROM document_all ORDER BY +name, id");
	sqlite3_stmt *up = NULL;
	enum qda_status rc = QDA_OK;
	int x;
	if (!st)
		return QDA_EDB;
	if (!r->dry && !(up = prep(h, "UPDATE document_all SET text = ?, text_hash = ?, length = ?, words = ? WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	while ((x = step_row(h, st, "read the documents")) > 0) {
		long long id = sqlite3_column_int64(st, 0);
		char *name = strdup((const char *)sqlite3_column_text(st, 1));
		const char *text = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2), nlen = 0;
		char *copy = NULL, *next = NULL, sum[65];
		if (!name || !(copy = malloc(len + 1))) {
			free(name);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		/* the statement's text goes when the row is updated */
		memcpy(copy, text, len);
		copy[len] = '\0';
		if ((rc = find(h, r->m, copy, len, &r->hs)) == QDA_OK && r->hs.n) {
			r->t->documents++;
			if ((rc = move_codings(r, id, name)) == QDA_OK)
				rc = list_hits(r, "text", name, copy, len);
			if (rc == QDA_OK && !r->dry) {
				if (!(next = rewrite(copy, len, &r->hs, &nlen)))
					rc = seterr(h, QDA_ENOMEM, "out of memory");
				else if ((rc = lines_drop(h, id)) == QDA_OK && (rc = move_turns(r, id)) == QDA_OK) {
					qda_sha256_hex(next, nlen, sum);
					sqlite3_reset(up);
					sqlite3_bind_text(up, 1, next, (int)nlen, SQLITE_STATIC);
					bind_text(up, 2, sum);
					sqlite3_bind_int64(up, 3, (sqlite3_int64)qda_text_cplen(next, nlen));
					sqlite3_bind_int64(up, 4, text_count_words(next, nlen));
					sqlite3_bind_int64(up, 5, id);
					if ((rc = step_done(h, up)) == QDA_OK)
						rc = lines_build(h, id);
				}
			}
		}
		free(next);
		free(copy);
		free(name);
		if (rc != QDA_OK)
			goto out;
	}
	if (x < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

/* Short values: speaker labels, case and document names, memos. in names
 * the place in reports; doc_sql gives the document (or NULL). */
static enum qda_status do_values(struct run *r, const char *in, const char *select, const char *update, long *counter)
{
	struct qda *h = r->h;
	sqlite3_stmt *st = prep(h, select), *up = NULL;
	enum qda_status rc = QDA_OK;
	int x;
	if (!st)
		return QDA_EDB;
	if (!r->dry && !(up = prep(h, update))) {
		rc = QDA_EDB;
		goto out;
	}
	/* columns: id, the document or owner shown, the value */
	while ((x = step_row(h, st, "read the project")) > 0) {
		const char *v = (const char *)sqlite3_column_text(st, 2);
		size_t len = (size_t)sqlite3_column_bytes(st, 2), nlen;
		char *owner = sqlite3_column_type(st, 1) == SQLITE_NULL ? NULL : strdup((const char *)sqlite3_column_text(st, 1));
		char *copy = v ? strdup(v) : NULL, *next = NULL;
		if (!v) {
			free(owner);
			continue;
		}
		if (!copy) {
			free(owner);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = find(h, r->m, copy, len, &r->hs)) == QDA_OK && r->hs.n) {
			(*counter)++;
			rc = list_hits(r, in, owner, copy, len);
			if (rc == QDA_OK && !r->dry) {
				if (!(next = rewrite(copy, len, &r->hs, &nlen)))
					rc = seterr(h, QDA_ENOMEM, "out of memory");
				else {
					sqlite3_reset(up);
					sqlite3_bind_text(up, 1, next, (int)nlen, SQLITE_STATIC);
					sqlite3_bind_int64(up, 2, sqlite3_column_int64(st, 0));
					if (sqlite3_step(up) != SQLITE_DONE)
						rc = seterr(h, QDA_EINPUT, "%s%s%s: the %s would be '%s', which another one is already "
						            "(%s); give them different pseudonyms", owner ? owner : "", owner ? ": " : "",
						            in, in, next, sqlite3_errmsg(h->db));
				}
			}
		}
		free(next);
		free(copy);
		free(owner);
		if (rc != QDA_OK)
			goto out;
	}
	if (x < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	return rc;
}

/* The undo records holding a real name (the old rows of a speaker, a case,
 * a memo) go: such a change can no longer be undone. */
static enum qda_status drop_undo(struct run *r)
{
	struct qda *h = r->h;
	sqlite3_stmt *st = prep(h, "SELECT log_id, changeset FROM undo WHERE changeset IS NOT NULL ORDER BY log_id");
	sqlite3_stmt *del = NULL;
	enum qda_status rc = QDA_OK;
	int x;
	if (!st)
		return QDA_EDB;
	if (!r->dry && !(del = prep(h, "UPDATE undo SET changeset = NULL WHERE log_id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	while ((x = step_row(h, st, "read the undo records")) > 0) {
		const void *b = sqlite3_column_blob(st, 1);
		size_t n = (size_t)sqlite3_column_bytes(st, 1), i;
		for (i = 0; i < r->m->n; i++)
			if (memmem(b, n, r->m->v[i].name, r->m->v[i].nlen))
				break;
		if (i == r->m->n)
			continue;
		r->t->undo++;
		if (r->dry)
			continue;
		sqlite3_reset(del);
		sqlite3_bind_int64(del, 1, sqlite3_column_int64(st, 0));
		if ((rc = step_done(h, del)) != QDA_OK)
			goto out;
	}
	if (x < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(del);
	return rc;
}

enum qda_status qda_pseudonymise(struct qda *h, const struct qda_pseudo_map *m, int dry_run, qda_pseudo_hit_fn hit,
                                 qda_pseudo_count_fn count, void *ctx, struct qda_pseudo_totals *t)
{
	static const struct {
		const char *in, *select, *update;
		size_t counter;
	} values[] = {
		{ "speaker", "SELECT s.id, d.name, s.name FROM speaker s JOIN document_all d ON d.id = s.doc_id ORDER BY +d.name, s.id",
		  "UPDATE speaker SET name = ? WHERE id = ?", offsetof(struct qda_pseudo_totals, speakers) },
		{ "case", "SELECT id, NULL, name FROM cases ORDER BY +name", "UPDATE cases SET name = ? WHERE id = ?",
		  offsetof(struct qda_pseudo_totals, cases) },
		{ "document name", "SELECT id, NULL, name FROM document_all ORDER BY +name, id",
		  "UPDATE document_all SET name = ? WHERE id = ?", offsetof(struct qda_pseudo_totals, names) },
		{ "memo", "SELECT id, 'memo ' || id, text FROM memo ORDER BY id", "UPDATE memo SET text = ? WHERE id = ?",
		  offsetof(struct qda_pseudo_totals, memos) },
		{ "memo title", "SELECT id, 'memo ' || id, title FROM memo ORDER BY id", "UPDATE memo SET title = ? WHERE id = ?",
		  offsetof(struct qda_pseudo_totals, memos) },
		{ "coding memo", "SELECT id, 'coding ' || id, memo FROM coding_all ORDER BY id",
		  "UPDATE coding_all SET memo = ? WHERE id = ?", offsetof(struct qda_pseudo_totals, memos) },
		/* a command line may name someone (case rename, memo add): the audit
		 * trail keeps what was done, not the name */
		{ "log", "SELECT id, 'log ' || id, command FROM log ORDER BY id", "UPDATE log SET command = ? WHERE id = ?",
		  offsetof(struct qda_pseudo_totals, log) },
		{ "log summary", "SELECT id, 'log ' || id, summary FROM log ORDER BY id",
		  "UPDATE log SET summary = ? WHERE id = ?", offsetof(struct qda_pseudo_totals, log) },
	};
	struct run r = { h, m, dry_run, hit, count, ctx, t, NULL, { 0 } };
	enum qda_status rc;
	size_t i;

	memset(t, 0, sizeof *t);
	if (!(r.per = calloc(m->n + 1, sizeof *r.per)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	/* the rows' old pages are overwritten, not left in the file with the names */
	if (!dry_run)
		tx_no_undo(h);
	rc = dry_run ? QDA_OK : exec(h, "PRAGMA secure_delete = ON");
	if (rc == QDA_OK)
		rc = do_texts(&r);
	for (i = 0; rc == QDA_OK && i < sizeof values / sizeof values[0]; i++)
		rc = do_values(&r, values[i].in, values[i].select, values[i].update,
		               (long *)((char *)t + values[i].counter));
	if (rc == QDA_OK)
		rc = drop_undo(&r);
	free(r.per);
	free(r.hs.v);
	return rc;
}
