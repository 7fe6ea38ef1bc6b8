/* autocode.c — automatic coding: the codebook's keywords (on folded text)
 * and patterns (PCRE2), an ad hoc pattern, or every turn of a speaker, each
 * document read once, hits extended to a unit, merged per code and written
 * through the coding writer. Never prints, never commits. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

/* Word characters for keyword boundaries, on folded text (marks are gone). */
#define WORDCLASS "[\\p{L}\\p{N}_]"

struct code_ent {
	long long id;
	char *key;
	long rank;
	char **kw, **pat;          /* keywords and patterns as written */
	size_t n_kw, n_pat;
	long rules, hits, codings, added, present;
};

struct matcher {
	size_t code;
	int folded;                /* keywords: runs on the folded text, rule from the mark */
	size_t rule;               /* patterns: the rule index */
	pcre2_code *re;
	pcre2_match_data *md;
};

struct seg {
	int64_t start, content, end; /* content: after the speaker label */
	char *speaker;               /* NULL outside turns */
	int interviewer, turn;
};

struct hit {
	size_t code, rule;
	int64_t start, end;        /* the span after extension */
	int64_t hs, he;            /* the hit itself */
	size_t seg;
};

struct merged {
	size_t code, seg;
	int64_t start, end, hs, he;
	long hits;
	size_t *rules;
	size_t n_rules;
};

struct ac {
	struct qda *h;
	const struct qda_autocode_opts *o;
	struct code_ent *codes;
	size_t n_codes;
	char **rules;
	size_t n_rules;
	struct matcher *m;
	size_t n_m;
	int need_fold;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	long long coder;
	struct coding_writer *w;
	sqlite3_stmt *turns, *present;
	struct layout L;           /* the lines of the document in hand */
	/* the document in hand */
	long long doc_id;
	const char *doc_name;
	const char *text;
	size_t tlen;
	uint32_t *cpb;             /* byte offset of each code point, ncp + 1 entries */
	size_t ncp, cpb_cap;
	char *fold;                /* folded text and, per folded byte, its code point */
	uint32_t *fmap;
	size_t flen, fcap;
	struct seg *segs;
	size_t n_segs, segs_cap;
	struct hit *hits;
	size_t n_hits, hits_cap;
	struct merged *mg;
	size_t n_mg, mg_cap;
	long speaker_turns;
};

/* ---- folding: case, accents and typographic apostrophes, with a map back ---- */

/* Append c's folded form to a->fold, mapping each byte to code point cpi. */
static int fold_push(struct ac *a, const char *bytes, size_t n, uint32_t cpi)
{
	size_t i;
	if (a->flen + n + 1 > a->fcap) {
		size_t cap = a->fcap ? a->fcap : 256;
		char *f;
		uint32_t *m;
		while (a->flen + n + 1 > cap)
			cap *= 2;
		if (!(f = realloc(a->fold, cap)))
			return -1;
		a->fold = f;
		if (!(m = realloc(a->fmap, cap * sizeof *m)))
			return -1;
		a->fmap = m;
		a->fcap = cap;
	}
	for (i = 0; i < n; i++) {
		a->fold[a->flen] = bytes[i];
		a->fmap[a->flen++] = cpi;
	}
	return 0;
}

/* Fold s[0..len) (valid UTF-8) into a->fold: lower case (full case folding),
 * marks stripped after canonical decomposition, ’ and ʼ as '. Keywords and
 * text go through this same function, so they fold alike. a->fmap[k] is the
 * code point of s that made folded byte k; a->fmap[flen] is the count. */
static enum qda_status fold_text(struct ac *a, const char *s, size_t len)
{
	size_t i = 0;
	uint32_t cpi = 0;

	a->flen = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		utf8proc_int32_t cp, dst[32];
		utf8proc_ssize_t n, k;
		int bc = 0;
		if (c < 0x80) {
			char lc = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			if (fold_push(a, &lc, 1, cpi))
				goto nomem;
			i++;
			cpi++;
			continue;
		}
		n = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return seterr(a->h, QDA_EINPUT, "invalid UTF-8 at byte %zu", i);
		i += (size_t)n;
		if (cp == 0x2019 || cp == 0x2018 || cp == 0x02BC) {
			if (fold_push(a, "'", 1, cpi))
				goto nomem;
			cpi++;
			continue;
		}
		k = utf8proc_decompose_char(cp, dst, 32, UTF8PROC_DECOMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK,
		                            &bc);
		if (k < 0 || k > 32) {
			dst[0] = cp;
			k = 1;
		}
		for (utf8proc_ssize_t j = 0; j < k; j++) {
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t e = utf8proc_encode_char(dst[j], enc);
			if (fold_push(a, (const char *)enc, (size_t)e, cpi))
				goto nomem;
		}
		cpi++;
	}
	if (fold_push(a, "", 0, cpi))
		goto nomem;
	a->fmap[a->flen] = cpi;
	a->fold[a->flen] = '\0';
	return QDA_OK;
nomem:
	return seterr(a->h, QDA_ENOMEM, "out of memory");
}

/* A folded copy of s (malloc'd), for keywords and speaker names; NULL with
 * the error recorded (QDA_EINPUT for text that is not UTF-8, QDA_ENOMEM). */
static char *fold_copy(struct ac *a, const char *s)
{
	struct ac tmp = { 0 };
	char *r;
	tmp.h = a->h;
	if (fold_text(&tmp, s, strlen(s)) != QDA_OK) {
		free(tmp.fold);
		free(tmp.fmap);
		return NULL;
	}
	r = tmp.fold;
	free(tmp.fmap);
	return r;
}

/* ---- code points of the stored text ---- */

static enum qda_status index_text(struct ac *a)
{
	size_t i, n = 0;
	if (a->tlen >= UINT32_MAX)
		return seterr_at(a->h, QDA_EINPUT, a->doc_name, "document too large for autocode (4 GB)");
	if (a->tlen + 1 > a->cpb_cap) {
		uint32_t *p = realloc(a->cpb, (a->tlen + 1) * sizeof *p);
		if (!p)
			return seterr(a->h, QDA_ENOMEM, "out of memory");
		a->cpb = p;
		a->cpb_cap = a->tlen + 1;
	}
	for (i = 0; i < a->tlen; i++)
		if (((unsigned char)a->text[i] & 0xC0) != 0x80)
			a->cpb[n++] = (uint32_t)i;
	a->cpb[n] = (uint32_t)a->tlen;
	a->ncp = n;
	return QDA_OK;
}

/* The code point holding byte b (a code point's first byte, or inside it). */
static int64_t cp_of_byte(const struct ac *a, size_t b)
{
	size_t lo = 0, hi = a->ncp;
	if (b >= a->tlen)
		return (int64_t)a->ncp;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (a->cpb[mid] <= b)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (int64_t)lo;
}

static int32_t cp_at(const struct ac *a, int64_t i)
{
	utf8proc_int32_t cp = -1;
	size_t b = a->cpb[i];
	utf8proc_iterate((const utf8proc_uint8_t *)a->text + b, (utf8proc_ssize_t)(a->tlen - b), &cp);
	return cp;
}

static int is_term(int32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == 0x2026;
}

static int is_space(int32_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       (c > 0x7F && utf8proc_category(c) == UTF8PROC_CATEGORY_ZS);
}

/* Index (from 0) of the line holding code point pos (0 before the first). */
static size_t line_ix(const struct ac *a, int64_t pos)
{
	long n = layout_line_of(&a->L, pos);
	return n > 0 ? (size_t)n - 1 : 0;
}

/* The start and end of line index l. */
static int64_t line_start(const struct ac *a, size_t l)
{
	return a->L.lines[2 * l];
}

static int64_t line_end(const struct ac *a, size_t l)
{
	return a->L.lines[2 * l + 1];
}

/* ---- rules: the codebook's keywords and patterns, or the ad hoc one ---- */

static void codes_free(struct ac *a)
{
	size_t i, j;
	for (i = 0; i < a->n_codes; i++) {
		for (j = 0; j < a->codes[i].n_kw; j++)
			free(a->codes[i].kw[j]);
		for (j = 0; j < a->codes[i].n_pat; j++)
			free(a->codes[i].pat[j]);
		free(a->codes[i].kw);
		free(a->codes[i].pat);
		free(a->codes[i].key);
	}
	free(a->codes);
	for (i = 0; i < a->n_rules; i++)
		free(a->rules[i]);
	free(a->rules);
	for (i = 0; i < a->n_m; i++) {
		pcre2_match_data_free(a->m[i].md);
		pcre2_code_free(a->m[i].re);
	}
	free(a->m);
}

static int strv_push(char ***v, size_t *n, const char *s)
{
	char **p = realloc(*v, (*n + 1) * sizeof *p);
	if (!p)
		return -1;
	*v = p;
	if (!(p[*n] = strdup(s)))
		return -1;
	(*n)++;
	return 0;
}

static enum qda_status code_add(struct ac *a, long long id, const char *key, size_t *ix)
{
	struct code_ent *c;
	size_t i;
	for (i = 0; i < a->n_codes; i++)
		if (a->codes[i].id == id) {
			*ix = i;
			return QDA_OK;
		}
	if (!(c = realloc(a->codes, (a->n_codes + 1) * sizeof *c)))
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	a->codes = c;
	c += a->n_codes;
	memset(c, 0, sizeof *c);
	c->id = id;
	if (!(c->key = strdup(key)))
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	*ix = a->n_codes++;
	return QDA_OK;
}

static enum qda_status rule_add(struct ac *a, const char *kind, const char *text, size_t *ix)
{
	char **r = realloc(a->rules, (a->n_rules + 1) * sizeof *r);
	size_t n = strlen(kind) + strlen(text) + 2;
	if (!r)
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	a->rules = r;
	if (!(r[a->n_rules] = malloc(n)))
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	snprintf(r[a->n_rules], n, "%s:%s", kind, text);
	*ix = a->n_rules++;
	return QDA_OK;
}

static enum qda_status compile(struct ac *a, const char *re_text, size_t code, int folded, size_t rule,
                               const char *shown)
{
	int err;
	PCRE2_SIZE off;
	pcre2_code *re;
	struct matcher *m;

	re = pcre2_compile((PCRE2_SPTR)re_text, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &err, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[256];
		pcre2_get_error_message(err, msg, sizeof msg);
		if (a->o->keywords)
			return seterr(a->h, QDA_EINPUT,
			              "code '%s': invalid pattern '%s' at offset %zu: %s; fix it in the codebook and"
			              " load it again",
			              a->codes[code].key, shown, (size_t)off, (const char *)msg);
		return seterr(a->h, QDA_EINPUT, "invalid pattern '%s' at offset %zu: %s", shown, (size_t)off,
		              (const char *)msg);
	}
#ifndef QDA_NO_JIT
	/* make check-valgrind builds without it: the JIT's code reads past its
	 * subject in 16-byte steps, which memcheck reports (PCRE2's own advice) */
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* without JIT, the interpreter runs */
#endif
	if (!(m = realloc(a->m, (a->n_m + 1) * sizeof *m))) {
		pcre2_code_free(re);
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	}
	a->m = m;
	m += a->n_m++;
	m->code = code;
	m->folded = folded;
	m->rule = rule;
	m->re = re;
	if (!(m->md = pcre2_match_data_create_from_pattern(re, NULL)))
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

struct kw {
	char *folded;
	size_t rule;
};

static int kw_cmp(const void *x, const void *y)
{
	const struct kw *p = x, *q = y;
	size_t a = strlen(p->folded), b = strlen(q->folded);
	if (a != b)
		return a > b ? -1 : 1;
	return p->rule < q->rule ? -1 : p->rule > q->rule;
}

/* Append a folded keyword as a regex: literal words (ASCII punctuation
 * escaped), any whitespace between them, "*" ending a word a word-prefix
 * wildcard. Returns 0 when the keyword has no word. */
static int keyword_regex(struct buf *b, const char *f, int *bad)
{
	const char *p = f;
	int words = 0;
	*bad = 0;
	while (*p) {
		const char *w;
		size_t n;
		int star = 0;
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		w = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		n = (size_t)(p - w);
		if (n > 0 && w[n - 1] == '*') {
			star = 1;
			n--;
		}
		if (n == 0) {
			*bad = 1;
			return 0;
		}
		if (words++ && buf_adds(b, "\\s+"))
			return -1;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)w[i];
			if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) &&
			    buf_addc(b, '\\'))
				return -1;
			if (buf_addc(b, (char)c))
				return -1;
		}
		if (star && buf_adds(b, WORDCLASS "*"))
			return -1;
	}
	return words;
}

/* One regex per code for its keywords: an alternation, longest first, each
 * alternative marked with its rule, between word boundaries. */
static enum qda_status compile_keywords(struct ac *a, size_t ci)
{
	struct code_ent *c = &a->codes[ci];
	struct kw *k = calloc(c->n_kw ? c->n_kw : 1, sizeof *k);
	struct buf b = { 0 };
	enum qda_status rc = QDA_OK;
	size_t i, j, n = 0;

	if (!k)
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	for (i = 0; i < c->n_kw; i++) {
		char *f = fold_copy(a, c->kw[i]);
		int dup = 0;
		if (!f) {
			rc = seterr(a->h, QDA_EINPUT, "code '%s': keyword '%s' is not valid UTF-8", c->key, c->kw[i]);
			goto out;
		}
		for (j = 0; j < n; j++)
			dup |= strcmp(k[j].folded, f) == 0;
		if (dup) {
			free(f);
			continue;
		}
		k[n].folded = f;
		if ((rc = rule_add(a, "keyword", c->kw[i], &k[n].rule)) != QDA_OK) {
			n++;
			goto out;
		}
		n++;
	}
	qsort(k, n, sizeof *k, kw_cmp);
	if (buf_adds(&b, "(?<!" WORDCLASS ")(?:"))
		goto nomem;
	for (i = 0, j = 0; i < n; i++) {
		size_t mark = b.len;
		int bad, r;
		if (j && buf_addc(&b, '|'))
			goto nomem;
		r = keyword_regex(&b, k[i].folded, &bad);
		if (r < 0)
			goto nomem;
		if (r == 0) {
			warnf(a->h, "", "code '%s': keyword '%s' has no word to match; left out", c->key,
			      a->rules[k[i].rule] + 8);
			b.len = mark;
			b.s[b.len] = '\0';
			continue;
		}
		if (buf_addf(&b, "(*MARK:%zu)", k[i].rule))
			goto nomem;
		j++;
	}
	if (buf_adds(&b, ")(?!" WORDCLASS ")"))
		goto nomem;
	if (j)
		rc = compile(a, b.s, ci, 1, 0, b.s);
	a->need_fold |= j > 0;
	goto out;
nomem:
	rc = seterr(a->h, QDA_ENOMEM, "out of memory");
out:
	for (i = 0; i < c->n_kw; i++)
		free(k[i].folded);
	free(k);
	buf_free(&b);
	return rc;
}

static int code_rank_cmp(const void *x, const void *y)
{
	const struct code_ent *p = x, *q = y;
	return (p->rank > q->rank) - (p->rank < q->rank);
}

/* The codes with keywords or patterns (only node `only` when not 0). */
static enum qda_status load_rules(struct ac *a, long long only)
{
	sqlite3_stmt *st;
	struct tree t = { 0 };
	enum qda_status rc;
	size_t i, j;
	int step;

	st = prep(a->h, "SELECT n.id, n.key, 0, j.value, j.key FROM node n, json_each(CASE WHEN"
	                " json_valid(n.keywords) THEN n.keywords ELSE '[]' END) j"
	                " WHERE n.retired = 0 AND j.type = 'text' AND (?1 = 0 OR n.id = ?1)"
	                " UNION ALL SELECT n.id, n.key, 1, j.value, j.key FROM node n, json_each(CASE WHEN"
	                " json_valid(n.patterns) THEN n.patterns ELSE '[]' END) j"
	                " WHERE n.retired = 0 AND j.type = 'text' AND (?1 = 0 OR n.id = ?1)"
	                " ORDER BY 1, 3, 5");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, only);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		size_t ci;
		struct code_ent *c;
		int r;
		if ((rc = code_add(a, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1), &ci)) !=
		    QDA_OK) {
			sqlite3_finalize(st);
			return rc;
		}
		c = &a->codes[ci];
		if (sqlite3_column_int(st, 2) == 0)
			r = strv_push(&c->kw, &c->n_kw, (const char *)sqlite3_column_text(st, 3));
		else
			r = strv_push(&c->pat, &c->n_pat, (const char *)sqlite3_column_text(st, 3));
		if (r) {
			sqlite3_finalize(st);
			return seterr(a->h, QDA_ENOMEM, "out of memory");
		}
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return dberr(a->h, "read keywords");
	if (a->n_codes == 0) {
		if (only)
			return seterr(a->h, QDA_EINPUT,
			              "code '%s' has no keywords or patterns in the codebook; add keywords: [...] to it"
			              " and load the codebook again, or use --pattern REGEX",
			              a->o->code);
		return seterr(a->h, QDA_EINPUT,
		              "no code in the codebook has keywords or patterns; add keywords: [...] to the codes and"
		              " load the codebook again, or use --pattern REGEX --code CODE");
	}
	if ((rc = tree_load(a->h, &t)) != QDA_OK)
		return rc;
	for (i = 0; i < a->n_codes; i++) {
		long ix = tree_find(&t, a->codes[i].id);
		a->codes[i].rank = ix >= 0 ? t.nodes[ix].rank : 0;
	}
	tree_free(&t);
	qsort(a->codes, a->n_codes, sizeof *a->codes, code_rank_cmp);
	for (i = 0; i < a->n_codes; i++) {
		if (a->codes[i].n_kw && (rc = compile_keywords(a, i)) != QDA_OK)
			return rc;
		for (j = 0; j < a->codes[i].n_pat; j++) {
			size_t r;
			if ((rc = rule_add(a, "pattern", a->codes[i].pat[j], &r)) != QDA_OK ||
			    (rc = compile(a, a->codes[i].pat[j], i, 0, r, a->codes[i].pat[j])) != QDA_OK)
				return rc;
		}
	}
	return QDA_OK;
}

/* ---- one document: its turns, lines and hits ---- */

static enum qda_status seg_push(struct ac *a, int64_t start, int64_t end, const char *speaker, int interviewer,
                                int turn)
{
	struct seg *s;
	if (a->n_segs == a->segs_cap) {
		size_t cap = a->segs_cap ? 2 * a->segs_cap : 64;
		if (!(s = realloc(a->segs, cap * sizeof *s)))
			return seterr(a->h, QDA_ENOMEM, "out of memory");
		a->segs = s;
		a->segs_cap = cap;
	}
	s = &a->segs[a->n_segs];
	s->start = s->content = start;
	s->end = end;
	s->interviewer = interviewer;
	s->turn = turn;
	s->speaker = NULL;
	if (speaker && !(s->speaker = strdup(speaker)))
		return seterr(a->h, QDA_ENOMEM, "out of memory");
	a->n_segs++;
	return QDA_OK;
}

static void segs_clear(struct ac *a)
{
	size_t i;
	for (i = 0; i < a->n_segs; i++)
		free(a->segs[i].speaker);
	a->n_segs = 0;
}

/* Where a turn's text begins: after "NAME:" on its first line (a timestamp
 * may come first), and the spaces after it. */
static int64_t label_end(const struct ac *a, const struct seg *s)
{
	size_t b = a->cpb[s->start], e = a->cpb[s->end], n = strlen(s->speaker), i;
	const char *nl = memchr(a->text + b, '\n', e - b);
	size_t lim = nl ? (size_t)(nl - a->text) : e;
	int64_t c;
	if (lim > b + n + 40)
		lim = b + n + 40; /* a label opens the turn, after a timestamp at most */
	for (i = b; i + n < lim; i++) {
		if (a->text[i + n] == ':' && memcmp(a->text + i, s->speaker, n) == 0)
			break;
	}
	if (i + n >= lim || !n)
		return s->start;
	c = cp_of_byte(a, i + n + 1);
	while (c < s->end && is_space(cp_at(a, c)))
		c++;
	return c;
}

static enum qda_status load_structure(struct ac *a)
{
	enum qda_status rc;
	int64_t prev = 0;
	size_t i;
	int step;

	segs_clear(a);
	sqlite3_reset(a->turns);
	sqlite3_bind_int64(a->turns, 1, a->doc_id);
	while ((step = sqlite3_step(a->turns)) == SQLITE_ROW) {
		int64_t s = sqlite3_column_int64(a->turns, 0), e = sqlite3_column_int64(a->turns, 1);
		const char *name = (const char *)sqlite3_column_text(a->turns, 2);
		if (s < prev || e < s || e > (int64_t)a->ncp)
			continue; /* a damaged turn table: never trust it past the text */
		if (s > prev && (rc = seg_push(a, prev, s, NULL, 0, 0)) != QDA_OK)
			goto fail;
		if ((rc = seg_push(a, s, e, name, sqlite3_column_int(a->turns, 3), 1)) != QDA_OK)
			goto fail;
		if (name)
			a->segs[a->n_segs - 1].content = label_end(a, &a->segs[a->n_segs - 1]);
		prev = e;
	}
	sqlite3_reset(a->turns);
	if (step != SQLITE_DONE)
		return dberr(a->h, "read turns");
	if ((int64_t)a->ncp > prev && (rc = seg_push(a, prev, (int64_t)a->ncp, NULL, 0, 0)) != QDA_OK)
		return rc;

	if ((rc = layout_load(&a->L, a->doc_id)) != QDA_OK)
		return rc;
	if (a->L.n_lines == 0) {
		/* no line table: the text's own lines */
		int64_t start = 0;
		for (i = 0; i <= a->ncp; i++) {
			if (i == a->ncp || a->text[a->cpb[i]] == '\n') {
				if ((rc = layout_add_line(&a->L, start, (int64_t)i)) != QDA_OK)
					return rc;
				start = (int64_t)i + 1;
			}
		}
	}
	return QDA_OK;
fail:
	sqlite3_reset(a->turns);
	return rc;
}

/* The segment holding code point pos, or n_segs. */
static size_t seg_of(const struct ac *a, int64_t pos)
{
	size_t lo = 0, hi = a->n_segs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (a->segs[mid].end <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < a->n_segs && a->segs[lo].start <= pos ? lo : a->n_segs;
}

/* Extend [hs, he) inside segment s to the unit asked for. */
static void extend(const struct ac *a, const struct seg *s, int64_t hs, int64_t he, int64_t *start, int64_t *end)
{
	int64_t lo = s->content < hs ? s->content : hs, b, e;
	*start = hs;
	*end = he;
	switch (a->o->unit) {
	case QDA_AUTO_MATCH:
		return;
	case QDA_AUTO_TURN:
		if (s->turn) {
			*start = s->start;
			*end = s->end;
		} else {
			size_t l1 = line_ix(a, hs), l2 = line_ix(a, he - 1);
			*start = line_start(a, l1) < hs ? line_start(a, l1) : hs;
			*end = line_end(a, l2) > he ? line_end(a, l2) : he;
		}
		return;
	case QDA_AUTO_SENTENCE:
		break;
	}
	b = hs;
	while (b > lo) {
		int32_t c = cp_at(a, b - 1);
		if (c == '\n' || is_term(c))
			break;
		b--;
	}
	while (b < hs && is_space(cp_at(a, b)))
		b++;
	e = he;
	if (!is_term(cp_at(a, e - 1))) {
		while (e < s->end) {
			int32_t c = cp_at(a, e);
			if (c == '\n')
				break;
			e++;
			if (is_term(c))
				break;
		}
	}
	while (e < s->end && is_term(cp_at(a, e)))
		e++; /* "?!", "..." */
	while (e > he && is_space(cp_at(a, e - 1)))
		e--;
	*start = b;
	*end = e;
}

static enum qda_status hit_add(struct ac *a, size_t code, size_t rule, int64_t hs, int64_t he, int explicit)
{
	size_t si = seg_of(a, hs);
	struct seg *s;
	struct hit *h;

	if (si == a->n_segs)
		return QDA_OK;
	s = &a->segs[si];
	if (s->interviewer && !a->o->include_interviewer && !explicit)
		return QDA_OK;
	if (he > s->end)
		he = s->end; /* never across a turn */
	if (he <= s->content && s->content > s->start && !explicit)
		return QDA_OK; /* inside the speaker label */
	if (he <= hs)
		return QDA_OK;
	if (a->n_hits == a->hits_cap) {
		size_t cap = a->hits_cap ? 2 * a->hits_cap : 256;
		if (!(h = realloc(a->hits, cap * sizeof *h)))
			return seterr(a->h, QDA_ENOMEM, "out of memory");
		a->hits = h;
		a->hits_cap = cap;
	}
	h = &a->hits[a->n_hits++];
	h->code = code;
	h->rule = rule;
	h->hs = hs;
	h->he = he;
	h->seg = si;
	if (explicit) {
		h->start = hs;
		h->end = he;
	} else {
		extend(a, s, hs, he, &h->start, &h->end);
	}
	a->codes[code].hits++;
	return QDA_OK;
}

static enum qda_status scan(struct ac *a, const struct matcher *m)
{
	const char *subj = m->folded ? a->fold : a->text;
	size_t len = m->folded ? a->flen : a->tlen;
	PCRE2_SIZE off = 0;
	enum qda_status rc;

	while (off <= len) {
		PCRE2_SIZE *ov, s, e;
		int64_t hs, he;
		size_t rule = m->rule;
		int r = pcre2_match(m->re, (PCRE2_SPTR)subj, len, off, PCRE2_NO_UTF_CHECK, m->md, a->mctx);
		if (r == PCRE2_ERROR_NOMATCH)
			break;
		if (r < 0) {
			PCRE2_UCHAR msg[256];
			pcre2_get_error_message(r, msg, sizeof msg);
			return seterr_at(a->h, QDA_EINPUT, a->doc_name, "code '%s': matching failed: %s",
			                 a->codes[m->code].key, (const char *)msg);
		}
		ov = pcre2_get_ovector_pointer(m->md);
		s = ov[0];
		e = ov[1];
		if (e <= s) {
			/* an empty match (or \K past the end): step one code point */
			off = s > e ? s : e;
			if (off >= len)
				break;
			off++;
			while (off < len && ((unsigned char)subj[off] & 0xC0) == 0x80)
				off++;
			continue;
		}
		if (m->folded) {
			const PCRE2_UCHAR *mark = pcre2_get_mark(m->md);
			hs = a->fmap[s];
			he = a->fmap[e];
			if (mark)
				rule = (size_t)strtoul((const char *)mark, NULL, 10);
		} else {
			hs = cp_of_byte(a, s);
			he = cp_of_byte(a, e);
			if (a->cpb[he] < e)
				he++; /* cannot happen in UTF mode; keeps the span whole */
		}
		if ((rc = hit_add(a, m->code, rule, hs, he, 0)) != QDA_OK)
			return rc;
		off = e;
	}
	return QDA_OK;
}

static int hit_cmp(const void *x, const void *y)
{
	const struct hit *p = x, *q = y;
	if (p->code != q->code)
		return p->code < q->code ? -1 : 1;
	if (p->start != q->start)
		return p->start < q->start ? -1 : 1;
	if (p->end != q->end)
		return p->end < q->end ? -1 : 1;
	return (p->hs > q->hs) - (p->hs < q->hs);
}

static int merged_cmp(const void *x, const void *y)
{
	const struct merged *p = x, *q = y;
	if (p->start != q->start)
		return p->start < q->start ? -1 : 1;
	if (p->code != q->code)
		return p->code < q->code ? -1 : 1;
	return (p->end > q->end) - (p->end < q->end);
}

static void merged_clear(struct ac *a)
{
	size_t i;
	for (i = 0; i < a->n_mg; i++)
		free(a->mg[i].rules);
	a->n_mg = 0;
}

/* Hits of one code whose spans overlap become one span (touching ones do not). */
static enum qda_status merge(struct ac *a)
{
	size_t i, j;
	merged_clear(a);
	if (a->n_hits == 0)
		return QDA_OK;
	qsort(a->hits, a->n_hits, sizeof *a->hits, hit_cmp);
	for (i = 0; i < a->n_hits; i++) {
		struct hit *h = &a->hits[i];
		struct merged *m = a->n_mg ? &a->mg[a->n_mg - 1] : NULL;
		int seen = 0;
		size_t *r;
		if (!m || m->code != h->code || h->start >= m->end) {
			if (a->n_mg == a->mg_cap) {
				size_t cap = a->mg_cap ? 2 * a->mg_cap : 64;
				if (!(m = realloc(a->mg, cap * sizeof *m)))
					return seterr(a->h, QDA_ENOMEM, "out of memory");
				a->mg = m;
				a->mg_cap = cap;
			}
			m = &a->mg[a->n_mg++];
			memset(m, 0, sizeof *m);
			m->code = h->code;
			m->seg = h->seg;
			m->start = h->start;
			m->end = h->end;
			m->hs = h->hs;
			m->he = h->he;
		} else {
			if (h->end > m->end)
				m->end = h->end;
			if (h->hs < m->hs) {
				m->hs = h->hs;
				m->he = h->he;
			}
		}
		m->hits++;
		for (j = 0; j < m->n_rules; j++)
			seen |= m->rules[j] == h->rule;
		if (seen)
			continue;
		if (!(r = realloc(m->rules, (m->n_rules + 1) * sizeof *r)))
			return seterr(a->h, QDA_ENOMEM, "out of memory");
		m->rules = r;
		r[m->n_rules++] = h->rule;
	}
	qsort(a->mg, a->n_mg, sizeof *a->mg, merged_cmp);
	return QDA_OK;
}

/* Text [s, e) of the document into b, line breaks as spaces when flat. */
static int add_text(struct buf *b, const struct ac *a, int64_t s, int64_t e, int flat)
{
	size_t bs = a->cpb[s], be = a->cpb[e], i;
	if (!flat)
		return buf_add(b, a->text + bs, be - bs);
	for (i = bs; i < be; i++)
		if (buf_addc(b, a->text[i] == '\n' ? ' ' : a->text[i]))
			return -1;
	return 0;
}

/* The rule that made a merged match: its rules' texts, "; "-joined. */
static int rule_text(struct ac *a, const struct merged *m, struct buf *b)
{
	size_t j;
	b->len = 0;
	for (j = 0; j < m->n_rules; j++)
		if ((j && buf_adds(b, "; ")) || buf_adds(b, a->rules[m->rules[j]]))
			return -1;
	return buf_add(b, "", 0);
}

/* The matches of one document written (CHUNK to the writer at a time, which
 * puts many in one statement) and told to fn, in order. */
#define CHUNK 64
static enum qda_status emit(struct ac *a, qda_autocode_fn fn, void *ctx)
{
	struct buf rule[CHUNK] = { { 0 } }, before = { 0 }, match = { 0 }, after = { 0 };
	struct coding_row rows[CHUNK];
	long long ids[CHUNK];
	int created[CHUNK];
	enum qda_status rc = QDA_OK;
	size_t i, k, n, stop = 0;

	for (i = 0; i < a->n_mg && !stop; i += n) {
		n = a->n_mg - i < CHUNK ? a->n_mg - i : CHUNK;
		for (k = 0; k < n; k++) {
			const struct merged *m = &a->mg[i + k];
			if (rule_text(a, m, &rule[k]))
				goto nomem;
			ids[k] = 0;
			created[k] = 1;
			memset(&rows[k], 0, sizeof rows[k]);
			rows[k].doc_id = a->doc_id;
			rows[k].node_id = a->codes[m->code].id;
			rows[k].coder_id = a->coder;
			rows[k].start = m->start;
			rows[k].end = m->end;
			rows[k].line_first = (long)line_ix(a, m->start) + 1;
			rows[k].line_last = (long)line_ix(a, m->end - 1) + 1;
			rows[k].method = "auto";
			rows[k].rule = rule[k].s;
		}
		if (!a->o->dry_run && (rc = coding_writer_write(a->w, rows, n, ids, created)) != QDA_OK)
			goto out;
		for (k = 0; k < n && !stop; k++) {
			struct merged *m = &a->mg[i + k];
			struct code_ent *c = &a->codes[m->code];
			struct qda_autocode_row r = { 0 };
			size_t lh = line_ix(a, m->hs), lt = line_ix(a, m->he - 1);

			before.len = match.len = after.len = 0;
			if (add_text(&before, a, line_start(a, lh) < m->hs ? line_start(a, lh) : m->hs, m->hs, 0) ||
			    buf_add(&before, "", 0) || add_text(&match, a, m->hs, m->he, 1) || buf_add(&match, "", 0) ||
			    add_text(&after, a, m->he, line_end(a, lt) > m->he ? line_end(a, lt) : m->he, 0) ||
			    buf_add(&after, "", 0))
				goto nomem;
			if (a->o->dry_run && a->coder) {
				int step;
				sqlite3_reset(a->present);
				sqlite3_bind_int64(a->present, 1, a->doc_id);
				sqlite3_bind_int64(a->present, 2, c->id);
				sqlite3_bind_int64(a->present, 3, a->coder);
				sqlite3_bind_int64(a->present, 4, m->start);
				sqlite3_bind_int64(a->present, 5, m->end);
				step = sqlite3_step(a->present);
				sqlite3_reset(a->present);
				if (step == SQLITE_ROW)
					created[k] = 0;
				else if (step != SQLITE_DONE) {
					rc = dberr(a->h, "find coding");
					goto out;
				}
			}
			c->codings++;
			if (created[k])
				c->added++;
			else
				c->present++;
			if (!fn)
				continue;
			r.doc = a->doc_name;
			r.speaker = a->segs[m->seg].speaker ? a->segs[m->seg].speaker : "";
			r.code = c->key;
			r.rule = rule[k].s;
			r.coding_id = ids[k];
			r.start = (long)m->start;
			r.end = (long)m->end;
			r.line_first = rows[k].line_first;
			r.line_last = rows[k].line_last;
			r.hit_start = (long)m->hs;
			r.hit_end = (long)m->he;
			r.hit_line = (long)lh + 1;
			r.hits = m->hits;
			r.created = created[k];
			r.before = before.s;
			r.match = match.s;
			r.after = after.s;
			if (fn(ctx, &r))
				stop = 1;
		}
	}
	goto out;
nomem:
	rc = seterr(a->h, QDA_ENOMEM, "out of memory");
out:
	for (k = 0; k < CHUNK; k++)
		buf_free(&rule[k]);
	buf_free(&before);
	buf_free(&match);
	buf_free(&after);
	return rc;
}

/* *eq: whether the name x folds to folded. */
static enum qda_status names_equal(struct ac *a, const char *x, const char *folded, int *eq)
{
	char *f = fold_copy(a, x);
	if (!f)
		return seterr(a->h, QDA_EINPUT, "speaker name '%s' is not valid UTF-8", x);
	*eq = strcmp(f, folded) == 0;
	free(f);
	return QDA_OK;
}

static enum qda_status one_doc(struct ac *a, const char *speaker_folded, qda_autocode_fn fn, void *ctx)
{
	enum qda_status rc;
	size_t i, bad;

	if (qda_text_check_utf8(a->text, a->tlen, &bad) != QDA_OK)
		return seterr_at(a->h, QDA_EINPUT, a->doc_name, "the stored text is not valid UTF-8 at byte %zu", bad);
	if ((rc = index_text(a)) != QDA_OK || (rc = load_structure(a)) != QDA_OK)
		return rc;
	a->n_hits = 0;
	if (speaker_folded) {
		for (i = 0; i < a->n_segs; i++) {
			struct seg *s = &a->segs[i];
			int eq = 0;
			if (!s->turn || !s->speaker || s->end <= s->start)
				continue;
			if ((rc = names_equal(a, s->speaker, speaker_folded, &eq)) != QDA_OK)
				return rc;
			if (!eq)
				continue;
			a->speaker_turns++;
			if ((rc = hit_add(a, 0, 0, s->start, s->end, 1)) != QDA_OK)
				return rc;
		}
	} else {
		if (a->need_fold && (rc = fold_text(a, a->text, a->tlen)) != QDA_OK)
			return rc;
		for (i = 0; i < a->n_m; i++)
			if ((rc = scan(a, &a->m[i])) != QDA_OK)
				return rc;
	}
	if ((rc = merge(a)) != QDA_OK)
		return rc;
	return emit(a, fn, ctx);
}

/* The speaker named, folded, and as the transcript writes it (malloc'd
 * both), when some document in scope has one (else an error with the
 * nearest names). */
static enum qda_status speaker_check(struct ac *a, long long doc_id, char **folded, char **name)
{
	sqlite3_stmt *st = prep(a->h, "SELECT DISTINCT name FROM speaker WHERE (?1 = 0 OR doc_id = ?1) ORDER BY name");
	char *hint = NULL;
	enum qda_status rc = QDA_OK;
	int found = 0, step = 0;

	*folded = *name = NULL;
	if (!st)
		return QDA_EDB;
	if (!(*folded = fold_copy(a, a->o->speaker))) {
		rc = seterr(a->h, QDA_EINPUT, "the speaker name is not valid UTF-8");
		goto out;
	}
	sqlite3_bind_int64(st, 1, doc_id);
	while (!found && (step = step_row(a->h, st, "read speakers")) > 0) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		if (!s)
			continue;
		if ((rc = names_equal(a, s, *folded, &found)) != QDA_OK)
			goto out;
		/* the rule names the speaker as the transcript does */
		if (found && !(*name = strdup(s))) {
			rc = seterr(a->h, QDA_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (found)
		goto out;
	if (step < 0) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_reset(st);
	if ((rc = suggest_list(a->h, st, a->o->speaker, &hint)) != QDA_OK)
		goto out;
	if (*hint)
		rc = seterr(a->h, QDA_ENOTFOUND, "no speaker '%s'%s%s; did you mean %s? (see qda speakers DOC)",
		            a->o->speaker, a->o->doc ? " in " : "", a->o->doc ? a->o->doc : "", hint);
	else
		rc = seterr(a->h, QDA_ENOTFOUND, "no speaker '%s'%s%s; see qda speakers DOC", a->o->speaker,
		            a->o->doc ? " in " : "", a->o->doc ? a->o->doc : "");
out:
	sqlite3_finalize(st);
	free(hint);
	if (rc != QDA_OK) {
		free(*folded);
		free(*name);
		*folded = *name = NULL;
	}
	return rc;
}

enum qda_status qda_autocode(struct qda *h, const struct qda_autocode_opts *o, qda_autocode_fn fn,
                             qda_autocode_total_fn total, void *ctx)
{
	struct ac a = { 0 };
	sqlite3_stmt *docs = NULL;
	enum qda_status rc;
	long long doc_id = 0, node = 0;
	char *speaker_folded = NULL, *speaker = NULL;
	size_t i;
	long ndocs = 0, done = 0;
	int step;

	a.h = h;
	a.o = o;
	if (!!o->keywords + !!o->pattern + !!o->speaker != 1)
		return seterr(h, QDA_EINVAL, "say how to code: --keywords, --pattern REGEX or --speaker NAME (one of them)");
	if ((o->pattern || o->speaker) && !o->code)
		return seterr(h, QDA_EINVAL, "which code? --%s takes --code CODE", o->pattern ? "pattern" : "speaker");
	if (o->pattern && !*o->pattern)
		return seterr(h, QDA_EINVAL, "--pattern wants a regular expression, not an empty string");
	if (o->code && (rc = code_lookup(h, o->code, &node)) != QDA_OK)
		return rc;
	if (o->doc && (rc = doc_lookup(h, o->doc, &doc_id)) != QDA_OK)
		return rc;
	if (o->dry_run) {
		/* a coder not yet in the project has coded nothing */
		if (h->coder && (rc = coder_lookup(h, h->coder, &a.coder)) != QDA_OK && rc != QDA_ENOTFOUND)
			return rc;
	} else if ((rc = coder_id(h, &a.coder)) != QDA_OK) {
		return rc;
	}

	if (o->keywords) {
		if ((rc = load_rules(&a, node)) != QDA_OK)
			goto out;
	} else {
		size_t ci, r;
		if ((rc = code_add(&a, node, o->code, &ci)) != QDA_OK)
			goto out;
		if (o->pattern) {
			if ((rc = rule_add(&a, "pattern", o->pattern, &r)) != QDA_OK ||
			    (rc = compile(&a, o->pattern, ci, 0, r, o->pattern)) != QDA_OK)
				goto out;
		} else {
			if ((rc = speaker_check(&a, doc_id, &speaker_folded, &speaker)) != QDA_OK ||
			    (rc = rule_add(&a, "speaker", speaker, &r)) != QDA_OK)
				goto out;
		}
	}
	for (i = 0; i < a.n_codes; i++)
		a.codes[i].rules = (long)(a.codes[i].n_kw + a.codes[i].n_pat + (o->keywords ? 0 : 1));

	if (!(a.mctx = pcre2_match_context_create(NULL)) || !(a.jit = pcre2_jit_stack_create(32 * 1024, 4 << 20, NULL))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	pcre2_jit_stack_assign(a.mctx, NULL, a.jit);
	if (!(a.turns = prep(h, "SELECT t.start, t.end, s.name, coalesce(s.is_interviewer, 0) FROM turn t"
	                        " LEFT JOIN speaker s ON s.id = t.speaker_id WHERE t.doc_id = ? ORDER BY t.start")) ||
	    layout_open(h, LAYOUT_LINES, &a.L) != QDA_OK ||
	    !(a.present = prep(h, "SELECT id FROM coding WHERE doc_id = ? AND node_id = ? AND coder_id = ?"
	                          " AND start = ? AND end = ?")) ||
	    !(docs = prep(h, "SELECT id, name, text, (SELECT count(*) FROM document WHERE ?1 = 0 OR id = ?1)"
	                     " FROM document WHERE ?1 = 0 OR id = ?1 ORDER BY name"))) {
		rc = QDA_EDB;
		goto out;
	}
	if (!o->dry_run)
		tx_bulk(h); /* undo finds its codings by log_id */
	if (!o->dry_run && (rc = coding_writer_new(h, &a.w)) != QDA_OK)
		goto out;
	sqlite3_bind_int64(docs, 1, doc_id);
	while ((step = sqlite3_step(docs)) == SQLITE_ROW) {
		a.doc_id = sqlite3_column_int64(docs, 0);
		a.doc_name = (const char *)sqlite3_column_text(docs, 1);
		a.text = (const char *)sqlite3_column_text(docs, 2);
		a.tlen = (size_t)sqlite3_column_bytes(docs, 2);
		ndocs = sqlite3_column_int(docs, 3);
		if (!a.text || !a.doc_name) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if ((rc = one_doc(&a, speaker_folded, fn, ctx)) != QDA_OK)
			goto out;
		progress(h, "autocode", (uint64_t)++done, (uint64_t)ndocs);
	}
	if (step != SQLITE_DONE) {
		rc = dberr(h, "read documents");
		goto out;
	}
	if (total) {
		for (i = 0; i < a.n_codes; i++) {
			struct qda_autocode_total t;
			t.code = a.codes[i].key;
			t.rules = a.codes[i].rules;
			t.hits = a.codes[i].hits;
			t.codings = a.codes[i].codings;
			t.added = a.codes[i].added;
			t.present = a.codes[i].present;
			total(ctx, &t);
		}
	}
	rc = QDA_OK;
out:
	sqlite3_finalize(docs);
	sqlite3_finalize(a.turns);
	layout_close(&a.L);
	sqlite3_finalize(a.present);
	coding_writer_free(a.w);
	pcre2_match_context_free(a.mctx);
	pcre2_jit_stack_free(a.jit);
	merged_clear(&a);
	free(a.mg);
	free(a.hits);
	segs_clear(&a);
	free(a.segs);
	free(a.cpb);
	free(a.fold);
	free(a.fmap);
	free(speaker_folded);
	free(speaker);
	codes_free(&a);
	return rc;
}
