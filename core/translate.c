/* translate.c — translations of coded quotes, for a paper in another
 * language than the interviews': one per coding and language, by its
 * translator (a coder). The coding's own text stays the original. Writes
 * inside the caller's transaction; never prints. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int qda_translate_lang_ok(const char *s)
{
	size_t i, n = strlen(s);
	if (n < 2 || n > 12 || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || s[i] == '-'))
			return 0;
	return 1;
}

enum qda_status qda_translate_set(struct qda *h, long long coding, const char *lang, const char *text,
                                  int *replaced)
{
	sqlite3_stmt *st;
	long long coder = 0, n = 0;
	enum qda_status rc;
	int r;

	*replaced = 0;
	if (!qda_translate_lang_ok(lang))
		return seterr(h, QDA_EINVAL, "--lang wants a language tag in lower case (en, fr, pt-br), not '%s'", lang);
	if (!text || !*text)
		return seterr(h, QDA_EINPUT, "the translation is empty; nothing was written");
	if ((rc = coder_id(h, &coder)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT (SELECT count(*) FROM coding WHERE id = ?1),"
	                   " (SELECT count(*) FROM translation WHERE coding_id = ?1 AND lang = ?2)")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding);
	bind_text(st, 2, lang);
	if ((r = step_row(h, st, "find the coding")) > 0) {
		n = sqlite3_column_int64(st, 0);
		*replaced = sqlite3_column_int64(st, 1) > 0;
	}
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (!n)
		return seterr(h, QDA_ENOTFOUND, "no coding %lld; see qda codings", coding);
	if (!(st = prep(h, "INSERT INTO translation(coding_id, lang, coder_id, text) VALUES (?, ?, ?, ?)"
	                   " ON CONFLICT(coding_id, lang) DO UPDATE SET coder_id = excluded.coder_id,"
	                   " text = excluded.text, created = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')")))
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding);
	bind_text(st, 2, lang);
	sqlite3_bind_int64(st, 3, coder);
	bind_text(st, 4, text);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_translation_get(struct qda *h, long long coding, const char *lang, char **text,
                                    char **translator, char **from)
{
	sqlite3_stmt *st = prep(h, "SELECT t.text, k.name, c.doc_id FROM translation t"
	                           " JOIN coder k ON k.id = t.coder_id JOIN coding_all c ON c.id = t.coding_id"
	                           " WHERE t.coding_id = ? AND t.lang = ?");
	struct doclangs dl = { 0 };
	int r;
	*text = *translator = *from = NULL;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, coding);
	bind_text(st, 2, lang);
	if ((r = step_row(h, st, "read the translation")) > 0) {
		*text = strdup((const char *)sqlite3_column_text(st, 0));
		*translator = strdup((const char *)sqlite3_column_text(st, 1));
		/* the document's language as search and words take it (lang.c);
		 * loaded only for a coding that has a translation */
		if (doclangs_load(h, &dl) != QDA_OK)
			r = -1;
		else
			*from = strdup(qda_lang_code(doclangs_of(&dl, sqlite3_column_int64(st, 2))));
		doclangs_free(&dl);
		if (r > 0 && (!*text || !*translator || !*from))
			r = -2;
	}
	sqlite3_finalize(st);
	if (r < 0) {
		free(*text), free(*translator), free(*from);
		*text = *translator = *from = NULL;
		return r == -2 ? seterr(h, QDA_ENOMEM, "out of memory") : QDA_EDB;
	}
	return r ? QDA_OK : QDA_ENOTFOUND;
}
