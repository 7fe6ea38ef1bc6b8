/* cases.c — cases (participants) and their attributes: list, set, remove,
 * rename, and import from a CSV file (through csv.c's strict reader).
 * Attributes are text; the first CSV column names the case. */
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
	int r;

	for (i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		if (!eq || !valid_key(kv[i], (size_t)(eq - kv[i])))
			return seterr(h, QDA_EINVAL, "'%s' is not KEY=VALUE (KEY without '=' or ','; an empty VALUE removes the attribute)", kv[i]);
		if ((rc = qda_text_check_input(h, "the attribute", kv[i])) != QDA_OK)
			return rc;
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
	char *hint = NULL;
	enum qda_status rc;
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
	rc = suggest_list(h, st, name, &hint);
	sqlite3_finalize(st);
	if (rc == QDA_OK)
		rc = *hint ? seterr(h, QDA_ENOTFOUND, "no case '%s'; did you mean %s? (see qda cases)", name, hint)
		           : seterr(h, QDA_ENOTFOUND, "no case '%s'; see qda cases", name);
	free(hint);
	return rc;
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

/* ---- CSV import, through the strict reader of csv.c ---- */

/* Spreadsheets leave spaces after values, inside quotes too. */
static void trim_end(struct csv_field *f)
{
	while (f->len && (f->s[f->len - 1] == ' ' || f->s[f->len - 1] == '\t'))
		f->s[--f->len] = '\0';
}

/* The header: the case column, then attribute names, each once. The names
 * are copied to names (they outlive the record). */
static enum qda_status read_header(struct qda *h, const char *path, const struct csv_record *rec, char ***names)
{
	char loc[600];
	size_t i, j;

	snprintf(loc, sizeof loc, "%s:%ld", path, rec->line);
	if (rec->n < 2)
		return seterr_at(h, QDA_EINPUT, loc,
		                 "the header needs the case column then at least one attribute (e.g. case,role,gender)");
	for (i = 1; i < rec->n; i++) {
		trim_end(&rec->f[i]);
		for (j = 1; j < i; j++)
			if (!strcmp(rec->f[j].s, rec->f[i].s))
				return seterr_at(h, QDA_EINPUT, loc, "columns %zu and %zu are both '%s'; give each attribute one column",
				                 j + 1, i + 1, rec->f[i].s);
		if (!valid_key(rec->f[i].s, rec->f[i].len))
			return seterr_at(h, QDA_EINPUT, loc, "column %zu: '%s' is not a usable attribute name", i + 1, rec->f[i].s);
	}
	if (!(*names = calloc(rec->n, sizeof **names)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	for (i = 0; i < rec->n; i++)
		if (!((*names)[i] = strdup(rec->f[i].s)))
			return seterr(h, QDA_ENOMEM, "out of memory");
	return QDA_OK;
}

/* One case's row: as many cells as the header, the case name first. */
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
		char *hint = NULL, *msg;
		if (!(st = prep(h, "SELECT name FROM cases ORDER BY name")))
			return QDA_EDB;
		rc = suggest_list(h, st, fields[0], &hint);
		sqlite3_finalize(st);
		if (rc != QDA_OK)
			return rc;
		ci->refused++;
		msg = sqlite3_mprintf("no case '%s' in the project (no document belongs to it); %s%s%s--create makes it",
		                      fields[0], *hint ? "did you mean " : "", hint, *hint ? "? " : "");
		free(hint);
		if (!msg)
			return seterr(h, QDA_ENOMEM, "out of memory");
		if (ci->err)
			ci->err(ci->ctx, loc, msg);
		sqlite3_free(msg);
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

/* One case's row: as many cells as the header, the case name first. */
static enum qda_status apply_row(struct qda *h, const char *path, struct csv_record *rec, char **names,
                                 size_t n_names, struct qda_case_import *ci)
{
	char *loc;
	const char **fields;
	size_t i;
	enum qda_status rc;

	if (rec->n < n_names) {
		loc = sqlite3_mprintf("%s:%ld:%ld", path, rec->end_line, rec->end_col);
		rc = seterr_at(h, QDA_EINPUT, loc ? loc : path, "row has %zu field%s but the header has %zu; add the missing "
		               "cells (an empty cell removes that attribute)", rec->n, rec->n == 1 ? "" : "s", n_names);
		sqlite3_free(loc);
		return rc;
	}
	for (i = 0; i < rec->n; i++)
		trim_end(&rec->f[i]);
	if (!(loc = sqlite3_mprintf("%s:%ld", path, rec->line)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	if (!*rec->f[0].s) {
		rc = seterr_at(h, QDA_EINPUT, loc, "the first column (the case name) is empty");
		sqlite3_free(loc);
		return rc;
	}
	if (!(fields = calloc(rec->n, sizeof *fields))) {
		sqlite3_free(loc);
		return seterr(h, QDA_ENOMEM, "out of memory");
	}
	for (i = 0; i < rec->n; i++)
		fields[i] = rec->f[i].s;
	rc = import_row(h, ci, loc, (const char *const *)names, fields, rec->n);
	free(fields);
	sqlite3_free(loc);
	return rc;
}

enum qda_status qda_case_import_csv(struct qda *h, const char *path, char delimiter, struct qda_case_import *ci)
{
	struct csv_reader *r;
	struct csv_record rec;
	char **names = NULL;
	size_t n_names = 0;
	enum qda_status rc;

	ci->created = ci->updated = ci->unchanged = ci->refused = 0;
	if ((rc = csv_open(h, path, delimiter, &r)) != QDA_OK)
		return rc;
	if ((rc = csv_next(r, &rec)) != QDA_OK)
		goto out;
	if (rec.n == 0) {
		rc = seterr_at(h, QDA_EINPUT, path, "the file is empty; it needs a header row (case,role,...) and one row per case");
		goto out;
	}
	n_names = rec.n;
	if ((rc = read_header(h, path, &rec, &names)) != QDA_OK)
		goto out;
	while ((rc = csv_next(r, &rec)) == QDA_OK && rec.n) {
		if ((rc = apply_row(h, path, &rec, names, n_names, ci)) != QDA_OK)
			break;
	}
	if (rc == QDA_OK && ci->refused)
		rc = seterr(h, QDA_EINPUT, "%ld row%s of %s name%s %s not in the project; nothing was changed (correct the "
		            "names, or add --create to make new cases)", ci->refused, ci->refused == 1 ? "" : "s", path,
		            ci->refused == 1 ? "s" : "", ci->refused == 1 ? "a case" : "cases");
out:
	qda_strv_free(names, names ? n_names : 0);
	csv_close(r);
	return rc;
}
