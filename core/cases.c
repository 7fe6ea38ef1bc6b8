/* cases.c — cases (participants) and their attributes: list, set, remove,
 * rename, and import from a CSV file (libcsv). Attributes are text; the
 * first CSV column names the case. */
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
	char **v = NULL;
	size_t cnt = 0;
	int step;

	*keys = NULL;
	*n = 0;
	if (!st)
		return QDA_EDB;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		char **nv = realloc(v, (cnt + 1) * sizeof *v);
		if (!nv || !(nv[cnt] = strdup((const char *)sqlite3_column_text(st, 0)))) {
			qda_strv_free(nv ? nv : v, cnt);
			sqlite3_finalize(st);
			return seterr(h, QDA_ENOMEM, "out of memory");
		}
		v = nv;
		cnt++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		qda_strv_free(v, cnt);
		return dberr(h, "read attribute keys");
	}
	*keys = v;
	*n = cnt;
	return QDA_OK;
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
		sqlite3_finalize(cs);
		return QDA_EDB;
	}
	while ((step = sqlite3_step(cs)) == SQLITE_ROW) {
		struct qda_case_row r = { 0 };
		char **k = NULL, **v = NULL;
		size_t n = 0, i;
		int stop;
		r.name = (const char *)sqlite3_column_text(cs, 1);
		r.docs = sqlite3_column_int(cs, 2);
		sqlite3_reset(as);
		sqlite3_bind_int64(as, 1, sqlite3_column_int64(cs, 0));
		while (sqlite3_step(as) == SQLITE_ROW) {
			char **nk = realloc(k, (n + 1) * sizeof *k), **nv;
			if (nk)
				k = nk;
			nv = nk ? realloc(v, (n + 1) * sizeof *v) : NULL;
			if (nv)
				v = nv;
			if (!nk || !nv || !(k[n] = strdup((const char *)sqlite3_column_text(as, 0)))) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				break;
			}
			if (!(v[n] = strdup((const char *)sqlite3_column_text(as, 1)))) {
				free(k[n]);
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				break;
			}
			n++;
		}
		r.keys = (const char **)k;
		r.values = (const char **)v;
		r.n_attrs = n;
		stop = rc == QDA_OK ? fn(ctx, &r) : 1;
		for (i = 0; i < n; i++) {
			free(k[i]);
			free(v[i]);
		}
		free(k);
		free(v);
		if (stop)
			break;
	}
	if (rc == QDA_OK && step != SQLITE_ROW && step != SQLITE_DONE)
		rc = dberr(h, "list cases");
	sqlite3_finalize(as);
	sqlite3_finalize(cs);
	return rc;
}

/* Set (or, value empty, remove) one attribute; *changed (may be NULL) is 1
 * when the stored value is not what it was. */
static enum qda_status set_attr(struct qda *h, long long case_id, const char *key, const char *value, int *changed)
{
	sqlite3_stmt *st;
	enum qda_status rc;
	if (*value)
		st = prep(h, "INSERT INTO attribute(case_id, key, value) VALUES (?, ?, ?)"
		             " ON CONFLICT(case_id, key) DO UPDATE SET value = excluded.value"
		             " WHERE value IS NOT excluded.value");
	else
		st = prep(h, "DELETE FROM attribute WHERE case_id = ? AND key = ?");
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, case_id);
	bind_text(st, 2, key);
	if (*value)
		bind_text(st, 3, value);
	rc = step_done(h, st);
	if (rc == QDA_OK && changed && sqlite3_changes(h->db) > 0)
		*changed = 1;
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
		if (sqlite3_step(st) == SQLITE_ROW)
			id = sqlite3_column_int64(st, 0);
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
		rc = set_attr(h, id, key, eq + 1, NULL);
		free(key);
	}
	return rc;
}

/* ---- housekeeping: remove, rename ---- */

/* The id of a case by name; QDA_ENOTFOUND with the nearest names otherwise. */
static enum qda_status case_lookup(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st = prep(h, "SELECT id FROM cases WHERE name = ?");
	char hint[512];
	int r;
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if ((r = step_row(h, st, "find a case")) > 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r != 0)
		return r < 0 ? QDA_EDB : QDA_OK;
	if (!(st = prep(h, "SELECT name FROM cases ORDER BY name")))
		return QDA_EDB;
	suggest_from(h, st, name, hint, sizeof hint);
	sqlite3_finalize(st);
	if (*hint)
		return seterr(h, QDA_ENOTFOUND, "no case '%s'; did you mean %s? (see qda cases)", name, hint);
	return seterr(h, QDA_ENOTFOUND, "no case '%s'; see qda cases", name);
}

/* Up to 5 values of column 0 of st (bound by the caller), comma-joined after
 * prefix, "..." when there are more; *n how many there are. */
static enum qda_status list_some(struct qda *h, sqlite3_stmt *st, const char *prefix, struct buf *b, long *n)
{
	int r;
	*n = 0;
	while ((r = step_row(h, st, "read the project")) > 0) {
		if (++*n <= 5 && buf_addf(b, "%s%s%s", *n > 1 ? ", " : "", *n == 1 ? prefix : "",
		                          (const char *)sqlite3_column_text(st, 0)) < 0)
			return seterr(h, QDA_ENOMEM, "out of memory");
		if (*n == 6 && buf_adds(b, ", ...") < 0)
			return seterr(h, QDA_ENOMEM, "out of memory");
	}
	return r < 0 ? QDA_EDB : QDA_OK;
}

enum qda_status qda_case_remove(struct qda *h, const char *name, struct qda_case_remove_result *res)
{
	sqlite3_stmt *st = NULL;
	struct buf b = { 0 }, cmd = { 0 };
	long long id = 0, n = 0;
	long count;
	enum qda_status rc;

	memset(res, 0, sizeof *res);
	if ((rc = case_lookup(h, name, &id)) != QDA_OK)
		return rc;
	if (!(st = prep(h, "SELECT name FROM document WHERE case_id = ? ORDER BY name"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	if ((rc = list_some(h, st, "", &b, &count)) != QDA_OK)
		goto out;
	if (count > 0) {
		if (count == 1) {
			sqlite3_reset(st);
			if (step_row(h, st, "read the project") > 0)
				buf_add_word(&cmd, (const char *)sqlite3_column_text(st, 0));
		}
		rc = seterr(h, QDA_EINPUT, "case %s still has %ld document%s (%s); remove %s first (qda doc remove %s) or keep "
		            "the case", name, count, count == 1 ? "" : "s", b.s, count == 1 ? "it" : "them",
		            count == 1 && cmd.s ? cmd.s : "DOC");
		goto out;
	}
	sqlite3_finalize(st);
	buf_free(&b);
	if (!(st = prep(h, "SELECT id FROM memo WHERE case_id = ? ORDER BY id"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	if ((rc = list_some(h, st, "memo ", &b, &count)) != QDA_OK)
		goto out;
	if (count > 0) {
		buf_add_word(&cmd, name);
		rc = seterr(h, QDA_EINPUT, "case %s has %ld memo%s (%s); memos keep their targets, so the case stays "
		            "(qda memo list --case %s shows them)", name, count, count == 1 ? "" : "s", b.s,
		            cmd.s ? cmd.s : name);
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = query_int(h, "SELECT count(*) FROM attribute WHERE case_id = ?", id, &n)) != QDA_OK)
		goto out;
	res->attributes = (long)n;
	/* documents removed earlier still name the case: they keep none */
	if ((rc = query_int(h, "SELECT count(*) FROM document_all WHERE case_id = ?", id, &n)) != QDA_OK)
		goto out;
	res->detached = (long)n;
	if (!(st = prep(h, "UPDATE document_all SET case_id = NULL WHERE case_id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_done(h, st)) != QDA_OK)
		goto out;
	sqlite3_finalize(st);
	/* attributes go with the case (ON DELETE CASCADE) */
	if (!(st = prep(h, "DELETE FROM cases WHERE id = ?"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = step_done(h, st);
out:
	sqlite3_finalize(st);
	buf_free(&b);
	buf_free(&cmd);
	return rc;
}

enum qda_status qda_case_rename(struct qda *h, const char *name, const char *new_name)
{
	sqlite3_stmt *st;
	const char *why = name_problem(new_name, 200);
	long long id = 0, other = 0;
	enum qda_status rc;
	int r;

	if ((rc = case_lookup(h, name, &id)) != QDA_OK)
		return rc;
	if (why)
		return seterr(h, QDA_EINPUT, "case name '%s' %s; choose another", new_name, why);
	if (strcmp(name, new_name) == 0)
		return seterr(h, QDA_EINPUT, "%s is already named so; nothing changed", name);
	if (!(st = prep(h, "SELECT id FROM cases WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, new_name);
	if ((r = step_row(h, st, "find a case")) > 0)
		other = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (other)
		return seterr(h, QDA_EEXIST, "case %s already has that name; choose another (qda cases lists them)",
		              new_name);
	if (!(st = prep(h, "UPDATE cases SET name = ? WHERE id = ?")))
		return QDA_EDB;
	bind_text(st, 1, new_name);
	sqlite3_bind_int64(st, 2, id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
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
	struct qda_case_import *ci;
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

/* One data row, parsed: the case (fields[0]) must be in the project unless
 * ci->create (a refused row goes to ci->err and the import goes on, so that
 * every bad row is told); then its attributes are set and the case counted
 * as created, updated or unchanged. */
static enum qda_status import_row(struct qda *h, struct qda_case_import *ci, const char *loc,
                                  const char *const *header, const char *const *fields, size_t n)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	enum qda_case_change change = QDA_CASE_UNCHANGED;
	long long id = 0;
	const char *why;
	int changed = 0, r;
	size_t i;

	if (!(st = prep(h, "SELECT id FROM cases WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, fields[0]);
	if ((r = step_row(h, st, "find a case")) > 0)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (!id && !ci->create) {
		char hint[512];
		if (!(st = prep(h, "SELECT name FROM cases ORDER BY name")))
			return QDA_EDB;
		suggest_from(h, st, fields[0], hint, sizeof hint);
		sqlite3_finalize(st);
		ci->refused++;
		if (ci->err) {
			char msg[1024];
			snprintf(msg, sizeof msg, "no case '%s' in the project (no document belongs to it); %s%s%s--create makes it",
			         fields[0], *hint ? "did you mean " : "", hint, *hint ? "? " : "");
			ci->err(ci->ctx, loc, msg);
		}
		return QDA_OK;
	}
	if (!id) {
		if ((why = name_problem(fields[0], 200)))
			return seterr_at(h, QDA_EINPUT, loc, "case name '%s' %s; correct it", fields[0], why);
		if ((rc = case_ensure(h, fields[0], &id)) != QDA_OK)
			return rc;
		change = QDA_CASE_CREATED;
	}
	for (i = 1; i < n && rc == QDA_OK; i++)
		rc = set_attr(h, id, header[i], fields[i], &changed);
	if (rc != QDA_OK)
		return rc;
	if (change != QDA_CASE_CREATED && changed)
		change = QDA_CASE_UPDATED;
	if (change == QDA_CASE_CREATED)
		ci->created++;
	else if (change == QDA_CASE_UPDATED)
		ci->updated++;
	else
		ci->unchanged++;
	if (ci->applied)
		ci->applied(ci->ctx, fields[0], change);
	return QDA_OK;
}

static void on_row(int term, void *data)
{
	struct csv_state *c = data;
	char loc[600];
	size_t i;

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
	c->rc = import_row(c->h, c->ci, loc, (const char *const *)c->header, (const char *const *)c->fields, c->nfields);
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

enum qda_status qda_case_import_csv(struct qda *h, const char *path, struct qda_case_import *ci)
{
	struct csv_parser p;
	struct csv_state c = { 0 };
	char *data = NULL;
	size_t len, i;
	enum qda_status rc;

	ci->created = ci->updated = ci->unchanged = ci->refused = 0;
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
	c.ci = ci;
	if ((i = csv_parse(&p, data, len, on_field, on_row, &c)) != len && c.rc == QDA_OK)
		c.rc = csv_syntax_error(h, path, data, i, csv_error(&p));
	if (c.rc == QDA_OK && csv_fini(&p, on_field, on_row, &c) != 0 && c.rc == QDA_OK)
		c.rc = csv_syntax_error(h, path, data, len, csv_error(&p));
	csv_free(&p);
	rc = c.rc;
	if (rc == QDA_OK && c.row == 1)
		rc = seterr_at(h, QDA_EINPUT, path, "the file is empty; it needs a header row (case,role,...) and one row per case");
	if (rc == QDA_OK && ci->refused)
		rc = seterr(h, QDA_EINPUT, "%ld row%s of %s name%s %s not in the project; nothing was changed (correct the "
		            "names, or add --create to make new cases)", ci->refused, ci->refused == 1 ? "" : "s", path,
		            ci->refused == 1 ? "s" : "", ci->refused == 1 ? "a case" : "cases");
	clear_row(&c);
	free(c.fields);
	qda_strv_free(c.header, c.nheader);
out:
	free(data);
	return rc;
}
