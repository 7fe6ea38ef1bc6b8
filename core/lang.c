/* lang.c — the languages of documents (French, English), Snowball stemming
 * through libstemmer, words as search and words see them, and the stop
 * lists: built in, changed per project. Never prints; the stop lists below
 * are common function words, written for qda. */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "internal.h"

int qda_lang_parse(const char *s)
{
	static const char *const fr[] = { "fr", "fra", "fre", "french", "francais", "franc", "francophone", NULL };
	static const char *const en[] = { "en", "eng", "english", "anglais", "anglophone", NULL };
	char *f = s ? qda_text_fold(s, strlen(s)) : NULL, *p;
	int r = -1, i;
	if (!f)
		return -1;
	/* fr-FR, en_GB, "Français (Canada)": the language part only */
	for (p = f; *p && *p != '-' && *p != '_' && *p != ' ' && *p != '('; p++)
		;
	*p = '\0';
	for (i = 0; fr[i]; i++)
		if (strcmp(f, fr[i]) == 0)
			r = QDA_LANG_FR;
	for (i = 0; en[i]; i++)
		if (strcmp(f, en[i]) == 0)
			r = QDA_LANG_EN;
	free(f);
	return r;
}

const char *qda_lang_code(int lang)
{
	return lang == QDA_LANG_EN ? "en" : "fr";
}

enum qda_status qda_lang_set_default(struct qda *h, int lang)
{
	sqlite3_stmt *st = prep(h, "INSERT OR REPLACE INTO meta(key, value) VALUES ('language', ?)");
	enum qda_status rc;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, qda_lang_code(lang));
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_lang_set_doc(struct qda *h, const char *doc, int lang)
{
	sqlite3_stmt *st;
	long long id;
	enum qda_status rc;
	if ((rc = doc_find(h, doc, &id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "INSERT OR REPLACE INTO document_language(doc_id, lang) VALUES (?, ?)")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, id);
	bind_text(st, 2, qda_lang_code(lang));
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status lang_default(struct qda *h, int *lang)
{
	sqlite3_stmt *st = prep(h, "SELECT value FROM meta WHERE key = 'language'");
	int r;
	*lang = QDA_LANG_FR;
	if (!st)
		return QDA_EDB;
	if ((r = step_row(h, st, "read the project's language")) > 0) {
		int l = qda_lang_parse((const char *)sqlite3_column_text(st, 0));
		if (l >= 0)
			*lang = l;
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status doclangs_load(struct qda *h, struct doclangs *dl)
{
	sqlite3_stmt *st;
	int step, def;
	enum qda_status rc;

	memset(dl, 0, sizeof *dl);
	if ((rc = lang_default(h, &def)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT d.id, l.lang, (SELECT a.value FROM attribute a WHERE a.case_id = d.case_id"
	                   " AND lower(a.key) IN ('language', 'langue', 'lang') ORDER BY a.key LIMIT 1)"
	                   " FROM document d LEFT JOIN document_language l ON l.doc_id = d.id ORDER BY d.id")))
		return QDA_EDB;
	while ((step = step_row(h, st, "read document languages")) > 0) {
		int l = -1;
		if (dl->n == dl->cap) {
			size_t cap = dl->cap ? 2 * dl->cap : 64;
			long long *ids = realloc(dl->ids, cap * sizeof *ids);
			unsigned char *langs = ids ? realloc(dl->lang, cap) : NULL;
			if (ids)
				dl->ids = ids;
			if (!ids || !langs) {
				sqlite3_finalize(st);
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			dl->lang = langs;
			dl->cap = cap;
		}
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			l = qda_lang_parse((const char *)sqlite3_column_text(st, 1));
		if (l < 0 && sqlite3_column_type(st, 2) != SQLITE_NULL)
			l = qda_lang_parse((const char *)sqlite3_column_text(st, 2));
		dl->ids[dl->n] = sqlite3_column_int64(st, 0);
		dl->lang[dl->n++] = (unsigned char)(l < 0 ? def : l);
	}
	sqlite3_finalize(st);
	return step < 0 ? QDA_EDB : QDA_OK;
}

int doclangs_of(const struct doclangs *dl, long long doc_id)
{
	size_t lo = 0, hi = dl->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (dl->ids[mid] < doc_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < dl->n && dl->ids[lo] == doc_id ? dl->lang[lo] : QDA_LANG_FR;
}

void doclangs_free(struct doclangs *dl)
{
	free(dl->ids);
	free(dl->lang);
	memset(dl, 0, sizeof *dl);
}

/* ---- words and stems ---- */

static size_t cp_next(const char *s, size_t n, int32_t *c)
{
	utf8proc_ssize_t k;
	if ((unsigned char)*s < 0x80) {
		*c = (unsigned char)*s;
		return 1;
	}
	k = utf8proc_iterate((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, c);
	if (k <= 0) {
		*c = 0xFFFD;
		return 1;
	}
	return (size_t)k;
}

/* Letters, marks and digits make words; everything else (apostrophes and
 * hyphens too: d'avoir is d + avoir, as the full-text index sees it) parts them. */
static int word_char(int32_t c)
{
	utf8proc_category_t k;
	if (c < 0x80)
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
	k = utf8proc_category(c);
	return (k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_NO);
}

int word_next(const char *s, size_t n, size_t *pos, size_t *start, size_t *end, int *letters)
{
	size_t i = *pos;
	int32_t c;
	while (i < n) {
		size_t k = cp_next(s + i, n - i, &c);
		if (word_char(c))
			break;
		i += k;
	}
	if (i >= n) {
		*pos = n;
		return 0;
	}
	*start = i;
	*letters = 0;
	while (i < n) {
		size_t k = cp_next(s + i, n - i, &c);
		if (!word_char(c))
			break;
		if (!(c >= '0' && c <= '9') && utf8proc_category(c) != UTF8PROC_CATEGORY_ND)
			*letters = 1;
		i += k;
	}
	*end = *pos = i;
	return 1;
}

char *word_lower(const char *s, size_t n)
{
	utf8proc_uint8_t *r = NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &r,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD) < 0)
		return NULL;
	return (char *)r;
}

enum qda_status stemmers_open(struct qda *h, struct stemmers *s)
{
	memset(s, 0, sizeof *s);
	s->sb[QDA_LANG_FR] = sb_stemmer_new("french", "UTF_8");
	s->sb[QDA_LANG_EN] = sb_stemmer_new("english", "UTF_8");
	if (!s->sb[QDA_LANG_FR] || !s->sb[QDA_LANG_EN]) {
		stemmers_close(s);
		return seterr(h, QDA_ENOMEM, "cannot start the Snowball stemmers (libstemmer)");
	}
	return QDA_OK;
}

void stemmers_close(struct stemmers *s)
{
	if (s->sb[0])
		sb_stemmer_delete(s->sb[0]);
	if (s->sb[1])
		sb_stemmer_delete(s->sb[1]);
	memset(s, 0, sizeof *s);
}

char *stem_key(struct stemmers *s, int lang, const char *lower)
{
	const sb_symbol *r = sb_stemmer_stem(s->sb[lang], (const sb_symbol *)lower, (int)strlen(lower));
	if (!r)
		return NULL;
	return qda_text_fold((const char *)r, (size_t)sb_stemmer_length(s->sb[lang]));
}

/* ---- stop lists ---- */

static const char *const stop_fr[] = {
	"a", "à", "ai", "aie", "aient", "ait", "alors", "as", "au", "aucun", "aucune", "aussi", "autre", "aux",
	"avais", "avait", "avant", "avec", "avez", "avoir", "avons", "bah", "ben", "beaucoup", "bien", "bon",
	"ça", "car", "ce", "ceci", "cela", "celle", "celui", "ces", "cet", "cette", "chez", "comme", "comment",
	"d", "dans", "de", "des", "donc", "dont", "du", "elle", "elles", "en", "encore", "enfin", "entre", "es",
	"est", "et", "été", "étaient", "était", "être", "eu", "euh", "eux", "fait", "faire", "fois", "font",
	"hein", "ici", "il", "ils", "j", "je", "jusqu", "l", "la", "là", "le", "les", "leur", "leurs", "lui",
	"m", "ma", "mais", "me", "même", "mes", "moi", "mon", "n", "ne", "ni", "nos", "notre", "nous", "on",
	"ont", "ou", "où", "oui", "par", "parce", "pas", "peu", "peut", "plus", "pour", "pourquoi", "qu",
	"quand", "que", "quel", "quelle", "qui", "quoi", "s", "sa", "sans", "se", "ses", "si", "son", "sont",
	"sous", "suis", "sur", "t", "ta", "te", "tes", "toi", "ton", "tous", "tout", "toute", "toutes", "très",
	"tu", "un", "une", "va", "vais", "voilà", "vos", "votre", "vous", "y",
};
static const char *const stop_en[] = {
	"a", "about", "after", "all", "also", "am", "an", "and", "any", "are", "as", "at", "be", "because",
	"been", "before", "being", "but", "by", "can", "could", "couldn", "d", "did", "didn", "do", "does", "doesn",
	"doing", "don", "isn", "wasn", "wouldn", "aren",
	"down", "each", "even", "for", "from", "get", "got", "had", "has", "have", "having", "he", "her",
	"here", "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "just", "know",
	"like", "ll", "m", "me", "more", "most", "much", "my", "no", "not", "now", "of", "off", "oh", "ok",
	"okay", "on", "once", "only", "or", "other", "our", "out", "over", "re", "really", "s", "said", "say",
	"she", "should", "so", "some", "such", "t", "than", "that", "the", "their", "them", "then", "there",
	"these", "they", "this", "those", "through", "to", "too", "um", "uh", "up", "us", "ve", "very", "was",
	"we", "well", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
	"would", "yeah", "yes", "you", "your", "yours",
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum qda_status strv_add(struct qda *h, struct strv *v, char *s)
{
	char **nv;
	if (!s)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (!(nv = realloc(v->v, (v->n + 1) * sizeof *nv))) {
		free(s);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	v->v = nv;
	v->v[v->n++] = s;
	return QDA_OK;
}

static int strv_has(const struct strv *v, const char *s)
{
	return v->n && bsearch(&s, v->v, v->n, sizeof *v->v, cmp_str) != NULL;
}

enum qda_status stops_load(struct qda *h, struct stops *s)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	size_t i;
	int step, l;

	memset(s, 0, sizeof *s);
	for (l = 0; l < 2 && rc == QDA_OK; l++) {
		const char *const *list = l ? stop_en : stop_fr;
		size_t n = l ? sizeof stop_en / sizeof *stop_en : sizeof stop_fr / sizeof *stop_fr;
		for (i = 0; i < n && rc == QDA_OK; i++)
			rc = strv_add(h, &s->builtin[l], qda_text_fold(list[i], strlen(list[i])));
		if (rc == QDA_OK)
			qsort(s->builtin[l].v, s->builtin[l].n, sizeof *s->builtin[l].v, cmp_str);
	}
	if (rc != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT word, stop FROM stop_word ORDER BY word")))
		return QDA_EDB;
	while ((step = step_row(h, st, "read the stop words")) > 0) {
		const char *w = (const char *)sqlite3_column_text(st, 0);
		if ((rc = strv_add(h, sqlite3_column_int(st, 1) ? &s->added : &s->removed, qda_text_fold(w, strlen(w)))) !=
		    QDA_OK)
			break;
	}
	sqlite3_finalize(st);
	if (step < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK) {
		if (s->added.n)
			qsort(s->added.v, s->added.n, sizeof *s->added.v, cmp_str);
		if (s->removed.n)
			qsort(s->removed.v, s->removed.n, sizeof *s->removed.v, cmp_str);
	}
	return rc;
}

int stops_has(const struct stops *s, int lang, const char *folded)
{
	if (strv_has(&s->added, folded))
		return 1;
	if (strv_has(&s->removed, folded))
		return 0;
	return strv_has(&s->builtin[lang], folded);
}

void stops_free(struct stops *s)
{
	size_t i;
	int l;
	for (l = 0; l < 2; l++) {
		for (i = 0; i < s->builtin[l].n; i++)
			free(s->builtin[l].v[i]);
		free(s->builtin[l].v);
	}
	for (i = 0; i < s->added.n; i++)
		free(s->added.v[i]);
	for (i = 0; i < s->removed.n; i++)
		free(s->removed.v[i]);
	free(s->added.v);
	free(s->removed.v);
	memset(s, 0, sizeof *s);
}

enum qda_status qda_stop_change(struct qda *h, const char *word, int stop, int *changed)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	char *w = word_lower(word, strlen(word));
	if (!w)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (!(st = prep(h, "INSERT INTO stop_word(word, stop) VALUES (?1, ?2)"
	                   " ON CONFLICT(word) DO UPDATE SET stop = ?2 WHERE stop <> ?2"))) {
		free(w);
		return QDA_EDB;
	}
	bind_text(st, 1, w);
	sqlite3_bind_int(st, 2, stop);
	rc = step_done(h, st);
	*changed = rc == QDA_OK && sqlite3_changes(h->db) > 0;
	sqlite3_finalize(st);
	free(w);
	return rc;
}

enum qda_status qda_stop_list(struct qda *h, qda_stop_fn fn, void *ctx)
{
	struct stops s;
	enum qda_status rc = stops_load(h, &s);
	size_t i;
	int l;
	if (rc != QDA_OK) {
		stops_free(&s);
		return rc;
	}
	for (i = 0; i < s.added.n; i++)
		if (fn(ctx, s.added.v[i], "project"))
			goto out;
	for (l = 0; l < 2; l++)
		for (i = 0; i < s.builtin[l].n; i++)
			if (!strv_has(&s.removed, s.builtin[l].v[i]) && !strv_has(&s.added, s.builtin[l].v[i]) &&
			    fn(ctx, s.builtin[l].v[i], qda_lang_code(l)))
				goto out;
out:
	stops_free(&s);
	return QDA_OK;
}
