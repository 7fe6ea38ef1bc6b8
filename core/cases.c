/* cases.c — cases (participants) and their attributes: list, set, and
 * import from a CSV file (libcsv). Attributes are text; the first CSV column
 * names the case. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void qda_strv_free(char **v, size_t n)
{
	size_t i;
	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

enum qda_status qda_case_keys(struct qda *h, char ***keys, size_t *n)
{
	sqlite3_stmt *st = prep(h, "SELECT DISTINCT key FROM attribute ORDER BY key");
	enum qda_status rc = QDA_OK;
	char **v = NULL;
	size_t cnt = 0;
	int step;

	*keys = NULL;
	*n = 0;
	if (!st)
		return QDA_EDB;
	while ((step = step_row(h, st, "read attribute keys")) > 0) {
		char **nv = realloc(v, (cnt + 1) * sizeof *v);
		if (!nv) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		v = nv;
		if (!(v[cnt] = strdup((const char *)sqlite3_column_text(st, 0)))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		cnt++;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(st);
	if (rc != QDA_OK) {
		qda_strv_free(v, cnt);
		return rc;
	}
	*keys = v;
	*n = cnt;
	return QDA_OK;
}

/* The attributes of a case, sorted by key, into parallel arrays of n. */
static enum qda_status case_attrs(struct qda *h, sqlite3_stmt *as, long long case_id, char ***keys, char ***values,
                                  size_t *n)
{
	char **k = NULL, **v = NULL;
	size_t cnt = 0, i;
	enum qda_status rc = QDA_OK;
	int step;

	sqlite3_reset(as);
	sqlite3_bind_int64(as, 1, case_id);
	while ((step = step_row(h, as, "read case attributes")) > 0) {
		char **nk = realloc(k, (cnt + 1) * sizeof *k), **nv;
		if (nk)
			k = nk;
		nv = nk ? realloc(v, (cnt + 1) * sizeof *v) : NULL;
		if (nv)
			v = nv;
		if (!nk || !nv || !(k[cnt] = strdup((const char *)sqlite3_column_text(as, 0)))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		if (!(v[cnt] = strdup((const char *)sqlite3_column_text(as, 1)))) {
			free(k[cnt]);
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
		cnt++;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	if (rc != QDA_OK) {
		for (i = 0; i < cnt; i++) {
			free(k[i]);
			free(v[i]);
		}
		free(k);
		free(v);
		k = v = NULL;
		cnt = 0;
	}
	*keys = k;
	*values = v;
	*n = cnt;
	return rc;
}

enum qda_status qda_cases_list(struct qda *h, qda_case_fn fn, void *ctx)
{
	sqlite3_stmt *cs, *as = NULL;
	enum qda_status rc = QDA_OK;
	int step;

	cs = prep(h, "SELECT c.id, c.name, (SELECT count(*) FROM document d WHERE d.case_id = c.id)"
	             " FROM cases c ORDER BY c.name");
	if (!cs)
		return QDA_EDB;
	as = prep(h, "SELECT key, value FROM attribute WHERE case_id = ? ORDER BY key");
	if (!as) {
		rc = QDA_EDB;
		goto out;
	}
	while ((step = step_row(h, cs, "list cases")) > 0) {
		struct qda_case_row r = { 0 };
		char **k, **v;
		size_t n, i;
		int stop;
		if ((rc = case_attrs(h, as, sqlite3_column_int64(cs, 0), &k, &v, &n)) != QDA_OK)
			goto out;
		r.name = (const char *)sqlite3_column_text(cs, 1);
		r.docs = sqlite3_column_int(cs, 2);
		r.keys = (const char **)k;
		r.values = (const char **)v;
		r.n_attrs = n;
		stop = fn(ctx, &r);
		for (i = 0; i < n; i++) {
			free(k[i]);
			free(v[i]);
		}
		free(k);
		free(v);
		if (stop)
			break;
	}
	if (step < 0)
		rc = QDA_EDB;
out:
	sqlite3_finalize(as);
	sqlite3_finalize(cs);
	return rc;
}

static enum qda_status set_attr(struct qda *h, long long case_id, const char *key, const char *value)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	if (*value)
		st = prep(h, "INSERT INTO attribute(case_id, key, value) VALUES (?, ?, ?)"
		             " ON CONFLICT(case_id, key) DO UPDATE SET value = excluded.value");
	else
		st = prep(h, "DELETE FROM attribute WHERE case_id = ? AND key = ?");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	bind_text(st, 2, key);
	if (*value)
		bind_text(st, 3, value);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	return rc;
}

/* An attribute key: a word a researcher would type in --where or --by. */
static int valid_key(const char *k, size_t n)
{
	size_t i;
	if (n == 0 || n > 63)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)k[i];
		if (c == '=' || c == ',' || c < 0x20)
			return 0;
	}
	return k[0] != ' ' && k[n - 1] != ' ';
}

enum qda_status qda_case_set(struct qda *h, const char *case_name, const char **kv, size_t n, int create)
{
	sqlite3_stmt *st;
	long long id = 0;
	enum qda_status rc = QDA_OK;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		if (!eq || !valid_key(kv[i], (size_t)(eq - kv[i])))
			return seterr(h, QDA_EINVAL, "'%s' is not KEY=VALUE (KEY without '=' or ','; an empty VALUE removes the attribute)", kv[i]);
	}
	if (create) {
		if ((rc = case_ensure(h, case_name, &id)) != QDA_OK)
			return rc;
	} else {
		st = prep(h, "SELECT id FROM cases WHERE name = ?");
		if (!st)
			return QDA_EDB;
		bind_text(st, 1, case_name);
		if ((r = step_row(h, st, "find case")) > 0)
			id = sqlite3_column_int64(st, 0);
		else if (r < 0)
			rc = QDA_EDB;
		else
			rc = seterr(h, QDA_ENOTFOUND, "no case '%s'; 'qda cases' lists them (--create makes a new one)",
			            case_name);
		sqlite3_finalize(st);
		if (rc != QDA_OK)
			return rc;
	}
	for (i = 0; i < n && rc == QDA_OK; i++) {
		const char *eq = strchr(kv[i], '=');
		char *key = strndup(kv[i], (size_t)(eq - kv[i]));
		if (!key)
			return seterr(h, QDA_ENOMEM, "out of memory");
		rc = set_attr(h, id, key, eq + 1);
		free(key);
	}
	return rc;
}

/* ---- CSV import through libcsv's callbacks ---- */

struct csv_state {
	struct qda *h;
	const char *path;
	char **fields;     /* the current row */
	size_t nfields, cap;
	char **header;
	size_t nheader;
	long row;          /* 1-based line of the current record */
	long applied;
	enum qda_status rc;
};

static void on_field(void *s, size_t len, void *data)
{
	struct csv_state *c = data;
	char *f;
	if (c->rc != QDA_OK)
		return;
	if (c->nfields == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		char **nf = realloc(c->fields, cap * sizeof *nf);
		if (!nf) {
			c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
			return;
		}
		c->fields = nf;
		c->cap = cap;
	}
	f = malloc(len + 1);
	if (!f) {
		c->rc = seterr(c->h, QDA_ENOMEM, "out of memory");
		return;
	}
	memcpy(f, s, len);
	f[len] = '\0';
	/* Trim the spaces a spreadsheet leaves around values. */
	while (len && (f[len - 1] == ' ' || f[len - 1] == '\t'))
		f[--len] = '\0';
	if (c->row == 1 && c->nfields == 0 && len >= 3 && memcmp(f, "\xEF\xBB\xBF", 3) == 0)
		memmove(f, f + 3, len - 2);
	c->fields[c->nfields++] = f;
}

static void clear_row(struct csv_state *c)
{
	size_t i;
	for (i = 0; i < c->nfields; i++)
		free(c->fields[i]);
	c->nfields = 0;
}

static void on_row(int term, void *data)
{
	struct csv_state *c = data;
	char loc[600];
	size_t i;
	long long id;

	(void)term;
	if (c->rc != QDA_OK) {
		clear_row(c);
		return;
	}
	snprintf(loc, sizeof loc, "%s:%ld", c->path, c->row);
	if (c->row == 1) {
		c->header = c->fields;
		c->nheader = c->nfields;
		c->fields = NULL;
		c->nfields = c->cap = 0;
		if (c->nheader < 2) {
			c->rc = seterr_at(c->h, QDA_EINPUT, loc,
			                  "the header needs the case column then at least one attribute (e.g. case,role,gender)");
			return;
		}
		for (i = 1; i < c->nheader; i++) {
			size_t j;
			for (j = 1; j < i; j++)
				if (!strcmp(c->header[j], c->header[i])) {
					c->rc = seterr_at(c->h, QDA_EINPUT, loc,
					                  "columns %zu and %zu are both '%s'; give each attribute one column", j + 1,
					                  i + 1, c->header[i]);
					return;
				}
			if (!valid_key(c->header[i], strlen(c->header[i]))) {
				c->rc = seterr_at(c->h, QDA_EINPUT, loc, "column %zu: '%s' is not a usable attribute name",
				                  i + 1, c->header[i]);
				return;
			}
		}
		c->row++;
		return;
	}
	if (c->nfields == 1 && c->fields[0][0] == '\0') {
		clear_row(c); /* a blank line */
		c->row++;
		return;
	}
	if (c->nfields != c->nheader) {
		c->rc = seterr_at(c->h, QDA_EINPUT, loc, "%zu fields, but the header has %zu; check the quoting",
		                  c->nfields, c->nheader);
		clear_row(c);
		return;
	}
	if (c->fields[0][0] == '\0') {
		c->rc = seterr_at(c->h, QDA_EINPUT, loc, "the first column (the case name) is empty");
		clear_row(c);
		return;
	}
	if ((c->rc = case_ensure(c->h, c->fields[0], &id)) == QDA_OK) {
		for (i = 1; i < c->nfields && c->rc == QDA_OK; i++)
			c->rc = set_attr(c->h, id, c->header[i], c->fields[i]);
		c->applied++;
	}
	clear_row(c);
	c->row++;
}

/* A CSV syntax error at byte off: located at the quote left open when there
 * is one (RFC 4180: a quote inside a quoted field is doubled), else at off. */
static enum qda_status csv_syntax_error(struct qda *h, const char *path, const char *data, size_t off, int err)
{
	size_t i, open = (size_t)-1, line = 1, col = 1, at;
	int quoted = 0;
	char loc[600];
	for (i = 0; i < off; i++) {
		if (data[i] == '"') {
			if (!quoted)
				open = i;
			quoted = !quoted;
		}
	}
	at = quoted ? open : off;
	for (i = 0; i < at; i++) {
		if (data[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	snprintf(loc, sizeof loc, "%s:%zu:%zu", path, line, col);
	if (quoted)
		return seterr_at(h, QDA_EINPUT, loc, "this quoted field is never closed; add the closing \" (a \" inside "
		                 "a quoted field is written \"\")");
	return seterr_at(h, QDA_EINPUT, loc, "malformed CSV (%s); a field with a comma, a quote or a line break "
	                 "is written in quotes, its quotes doubled", csv_strerror(err));
}

enum qda_status qda_case_import_csv(struct qda *h, const char *path, long *n_cases)
{
	struct csv_parser p;
	struct csv_state c = { 0 };
	char *data = NULL;
	size_t len, i;
	enum qda_status rc;

	*n_cases = 0;
	if ((rc = read_file(h, path, 64u << 20, &data, &len)) != QDA_OK)
		return rc;
	if (qda_text_check_utf8(data, len, &i) != QDA_OK) {
		rc = seterr_at(h, QDA_EINPUT, path, "invalid UTF-8 at byte %zu; save the file as UTF-8 (CSV UTF-8 in a spreadsheet)", i);
		goto out;
	}
	if (csv_init(&p, CSV_APPEND_NULL | CSV_STRICT | CSV_STRICT_FINI) != 0) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	c.h = h;
	c.path = path;
	c.row = 1;
	if ((i = csv_parse(&p, data, len, on_field, on_row, &c)) != len && c.rc == QDA_OK)
		c.rc = csv_syntax_error(h, path, data, i, csv_error(&p));
	if (c.rc == QDA_OK && csv_fini(&p, on_field, on_row, &c) != 0 && c.rc == QDA_OK)
		c.rc = csv_syntax_error(h, path, data, len, csv_error(&p));
	csv_free(&p);
	rc = c.rc;
	if (rc == QDA_OK && c.row == 1)
		rc = seterr_at(h, QDA_EINPUT, path, "the file is empty; it needs a header row (case,role,...) and one row per case");
	*n_cases = c.applied;
	clear_row(&c);
	free(c.fields);
	qda_strv_free(c.header, c.nheader);
out:
	free(data);
	return rc;
}
