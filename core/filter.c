/* filter.c — what counts: the filters every counting command shares
 * (--coder, --no-auto, --review, --where KEY=V[,V]), turned into one SQL
 * condition on a coding c and its document d, checked against the project
 * with the nearest names suggested, and stated as a sentence for a report's
 * methods section. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int qda_review_filter_parse(const char *s, enum qda_review_filter *r)
{
	if (strcmp(s, "any") == 0)
		*r = QDA_REVIEW_ANY;
	else if (strcmp(s, "accepted") == 0)
		*r = QDA_REVIEW_ACCEPTED;
	else if (strcmp(s, "not-disputed") == 0)
		*r = QDA_REVIEW_NOT_DISPUTED;
	else
		return -1;
	return 0;
}

/* The values of "KEY=V1,V2": a comma inside a value is written "\,". */
static enum qda_status split_where(struct qda *h, const char *spec, char **key, struct strv *values)
{
	const char *eq = strchr(spec, '='), *p;
	struct buf b = { 0 };
	*key = NULL;
	memset(values, 0, sizeof *values);
	if (!eq || eq == spec)
		return seterr(h, QDA_EINVAL, "--where wants KEY=VALUE[,VALUE...], not '%s'", spec);
	if (!(*key = strndup(spec, (size_t)(eq - spec))))
		return seterr(h, QDA_ENOMEM, "out of memory");
	for (p = eq + 1;; p++) {
		if (*p == '\\' && p[1] == ',') {
			buf_addc(&b, ',');
			p++;
			continue;
		}
		if (*p == ',' || !*p) {
			char **nv = realloc(values->v, (values->n + 1) * sizeof *nv);
			char *v = buf_take(&b);
			if (!nv || !v) {
				free(v);
				if (nv)
					values->v = nv;
				return seterr(h, QDA_ENOMEM, "out of memory");
			}
			values->v = nv;
			values->v[values->n++] = v;
			if (!*p)
				break;
			continue;
		}
		buf_addc(&b, *p);
	}
	return QDA_OK;
}

static void strv_clear(struct strv *v)
{
	size_t i;
	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	memset(v, 0, sizeof *v);
}

/* QDA_EINPUT with the nearest names suggested when no case has the
 * attribute key (value NULL) or key=value. */
static enum qda_status attr_check(struct qda *h, const char *key, const char *value)
{
	sqlite3_stmt *st = prep(h, value ? "SELECT 1 FROM attribute WHERE key = ?1 AND value = ?2 LIMIT 1"
	                                 : "SELECT 1 FROM attribute WHERE key = ?1 LIMIT 1");
	char *hint = NULL;
	enum qda_status rc;
	int found;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, key);
	if (value)
		bind_text(st, 2, value);
	if ((found = step_row(h, st, "find attribute")) != 0) {
		rc = found > 0 ? QDA_OK : QDA_EDB;
		goto out;
	}
	sqlite3_finalize(st);
	if (!(st = prep(h, value ? "SELECT DISTINCT value FROM attribute WHERE key = ?1 ORDER BY value"
	                         : "SELECT DISTINCT key FROM attribute ORDER BY key"))) {
		rc = QDA_EDB;
		goto out;
	}
	if (value)
		bind_text(st, 1, key);
	if ((rc = suggest_list(h, st, value ? value : key, &hint)) != QDA_OK)
		goto out;
	if (value)
		rc = seterr(h, QDA_EINPUT, "no case has %s=%s%s%s%s ('qda cases' lists the values)", key, value,
		            *hint ? "; did you mean " : "", hint, *hint ? "?" : "");
	else
		rc = seterr(h, QDA_EINPUT, "no case has an attribute '%s'%s%s%s ('qda cases' lists them)", key,
		            *hint ? "; did you mean " : "", hint, *hint ? "?" : "");
out:
	sqlite3_finalize(st);
	free(hint);
	return rc;
}

enum qda_status attr_key_check(struct qda *h, const char *key, size_t len)
{
	char *k = strndup(key, len);
	enum qda_status rc;
	if (!k)
		return seterr(h, QDA_ENOMEM, "out of memory");
	rc = attr_check(h, k, NULL);
	free(k);
	return rc;
}

enum qda_status filter_prepare(struct qda *h, const struct qda_filter *f, struct filter_sql *fs)
{
	enum qda_status rc = QDA_OK;
	size_t i, k;

	memset(fs, 0, sizeof *fs);
	buf_adds(&fs->where, "");
	for (i = 0; f && i < f->n_where; i++) {
		char *key;
		struct strv values;
		if ((rc = split_where(h, f->where[i], &key, &values)) == QDA_OK &&
		    (rc = attr_key_check(h, key, strlen(key))) == QDA_OK) {
			for (k = 0; rc == QDA_OK && k < values.n; k++)
				rc = attr_check(h, key, values.v[k]);
		}
		if (rc == QDA_OK) {
			char **np = realloc(fs->params, (fs->n_params + values.n + 1) * sizeof *np);
			if (!np) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
			} else {
				fs->params = np;
				fs->params[fs->n_params++] = key;
				key = NULL;
				buf_adds(&fs->where, " AND EXISTS (SELECT 1 FROM attribute a WHERE a.case_id = d.case_id"
				                    " AND a.key = ? AND a.value IN (");
				for (k = 0; k < values.n; k++) {
					buf_adds(&fs->where, k ? ", ?" : "?");
					fs->params[fs->n_params++] = values.v[k];
					values.v[k] = NULL;
				}
				buf_adds(&fs->where, "))");
			}
		}
		free(key);
		strv_clear(&values);
		if (rc != QDA_OK)
			goto fail;
	}
	buf_adds(&fs->coding, "");
	if (f) {
		if (f->coder) {
			if ((rc = coder_lookup(h, f->coder, &fs->coder_id)) != QDA_OK)
				goto fail;
			buf_addf(&fs->coding, " AND c.coder_id = %lld", fs->coder_id);
		}
		if (f->no_auto)
			buf_adds(&fs->coding, " AND c.method <> 'auto'");
		if (f->review == QDA_REVIEW_ACCEPTED)
			buf_adds(&fs->coding, " AND c.state IN ('accepted', 'revised')");
		else if (f->review == QDA_REVIEW_NOT_DISPUTED)
			buf_adds(&fs->coding, " AND c.state <> 'disputed'");
	}
	buf_add(&fs->cond, fs->where.s, fs->where.len);
	buf_add(&fs->cond, fs->coding.s, fs->coding.len);
	buf_adds(&fs->cond, "");
	if (fs->cond.failed || fs->where.failed || fs->coding.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto fail;
	}
	return QDA_OK;
fail:
	filter_sql_free(fs);
	return rc;
}

int filter_bind(sqlite3_stmt *st, int first, const struct filter_sql *fs)
{
	size_t i;
	for (i = 0; i < fs->n_params; i++)
		bind_text(st, first++, fs->params[i]);
	return first;
}

void filter_sql_free(struct filter_sql *fs)
{
	size_t i;
	for (i = 0; i < fs->n_params; i++)
		free(fs->params[i]);
	free(fs->params);
	buf_free(&fs->cond);
	buf_free(&fs->where);
	buf_free(&fs->coding);
	memset(fs, 0, sizeof *fs);
}

enum qda_status qda_filter_check(struct qda *h, const struct qda_filter *f)
{
	struct filter_sql fs;
	enum qda_status rc = filter_prepare(h, f, &fs);
	if (rc == QDA_OK)
		filter_sql_free(&fs);
	return rc;
}

char *qda_filter_describe(const struct qda_filter *f)
{
	struct buf b = { 0 };
	size_t i;
	if (f && f->coder)
		buf_addf(&b, "Codings by %s only", f->coder);
	else
		buf_adds(&b, "Codings of every coder, pooled");
	buf_adds(&b, f && f->no_auto ? "; automatic codings left out" : "; automatic codings included");
	if (f && f->review == QDA_REVIEW_ACCEPTED)
		buf_adds(&b, "; only codings a reviewer accepted (or revised)");
	else if (f && f->review == QDA_REVIEW_NOT_DISPUTED)
		buf_adds(&b, "; disputed codings left out");
	else
		buf_adds(&b, "; whatever their review");
	buf_adds(&b, f && f->include_interviewer ? "; codings in interviewer turns included"
	                                         : "; codings lying wholly in interviewer turns left out");
	for (i = 0; f && i < f->n_where; i++)
		buf_addf(&b, "%s%s", i ? " and " : "; cases where ", f->where[i]);
	buf_adds(&b, ". A passage is a maximal run of coded text: overlapping and touching codings of one code are one"
	             " passage, and a theme counts the union of its codes' passages.");
	return buf_take(&b);
}
