/* dump.c — the project as plain files that diff well (qda dump), and a new
 * project rebuilt from them (qda init --from): every table as CSV, rows in a
 * stable order, documents' texts as files. Writes no file itself: the rows
 * go to the caller's sink; the line index and full-text rows are derived. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

/* What is never dumped: derived from the texts and turns (the line index
 * and its full-text rows), SQLite's own (the id counters: see
 * sequence.csv), or the accounts of qda serve (password hashes belong to
 * the machine that serves the project, never to a dump kept in git). */
static const char tables_sql[] =
	"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('line', 'sqlite_sequence', 'user')"
	" AND name NOT LIKE 'line_fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name";

/* The file of a table: a plural a reader expects, else TABLE.csv. */
static const struct {
	const char *table, *file;
} files[] = {
	{ "attribute", "attributes.csv" },   { "cases", "cases.csv" },
	{ "codebook_version", "codebook-history.csv" },
	{ "coder", "coders.csv" },           { "coding_all", "codings.csv" },
	{ "document_all", "documents.csv" }, { "exemplar", "exemplars.csv" },
	{ "log", "log.csv" },                { "memo", "memos.csv" },
	{ "meta", "meta.csv" },              { "node", "nodes.csv" },
	{ "review", "reviews.csv" },         { "speaker", "speakers.csv" },
	{ "turn", "turns.csv" },             { "undo", "undo.csv" },
	{ "doc_read", "reads.csv" },         { "summary", "summaries.csv" },
	{ "translation", "translations.csv" },
};

static char *file_of(const char *table)
{
	size_t i;
	char *f;
	for (i = 0; i < sizeof files / sizeof files[0]; i++)
		if (strcmp(files[i].table, table) == 0)
			return strdup(files[i].file);
	if (asprintf(&f, "%s.csv", table) < 0)
		return NULL;
	return f;
}

/* A table's columns as PRAGMA table_info gives them. */
struct column {
	char *name;
	int blob, notnull, pk;
};
struct table {
	char *name, *file;
	struct column *c;
	size_t n;
	int has_guid;
};

static void table_free(struct table *t)
{
	size_t i;
	for (i = 0; i < t->n; i++)
		free(t->c[i].name);
	free(t->c);
	free(t->name);
	free(t->file);
	memset(t, 0, sizeof *t);
}

static enum qda_status table_load(struct qda *h, const char *name, struct table *t)
{
	sqlite3_stmt *st = prep(h, "SELECT name, upper(type), \"notnull\", pk FROM pragma_table_info(?) ORDER BY cid");
	enum qda_status rc = QDA_OK;
	int r;
	memset(t, 0, sizeof *t);
	if (!st)
		return QDA_EDB;
	bind_text(st, 1, name);
	if (!(t->name = strdup(name)) || !(t->file = file_of(name)))
		rc = seterr(h, QDA_ENOMEM, "out of memory");
	while (rc == QDA_OK && (r = step_row(h, st, "read the schema")) > 0) {
		struct column *c = realloc(t->c, (t->n + 1) * sizeof *c);
		if (!c) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
		t->c = c;
		c = &t->c[t->n];
		memset(c, 0, sizeof *c);
		if (!(c->name = strdup((const char *)sqlite3_column_text(st, 0)))) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
		t->n++;
		c->blob = strcmp((const char *)sqlite3_column_text(st, 1), "BLOB") == 0;
		c->notnull = sqlite3_column_int(st, 2);
		c->pk = sqlite3_column_int(st, 3);
		if (strcmp(c->name, "guid") == 0)
			t->has_guid = 1;
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	if (rc != QDA_OK)
		table_free(t);
	return rc;
}

static enum qda_status tables_load(struct qda *h, struct table **out, size_t *n)
{
	sqlite3_stmt *st = prep(h, tables_sql);
	struct table *v = NULL;
	enum qda_status rc = QDA_OK;
	int r;
	*out = NULL;
	*n = 0;
	if (!st)
		return QDA_EDB;
	while ((r = step_row(h, st, "read the schema")) > 0) {
		struct table *nv = realloc(v, (*n + 1) * sizeof *nv);
		if (!nv) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
		v = nv;
		if ((rc = table_load(h, (const char *)sqlite3_column_text(st, 0), &v[*n])) != QDA_OK)
			break;
		(*n)++;
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	*out = v;
	return rc;
}

static void tables_free(struct table *v, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		table_free(&v[i]);
	free(v);
}

static int add_ident(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addc(b, '"');
		buf_addc(b, *s);
	}
	return buf_addc(b, '"');
}

/* A document's file in the dump: documents/NAME.txt when the name makes a
 * plain file name, else documents/GUID.txt; a removed document's (whose
 * name a current one may hold) documents/removed/GUID.txt. */
static char *doc_file(const char *name, const char *guid, int removed)
{
	const unsigned char *p;
	int plain = !removed && *name && *name != '.' && strlen(name) <= 200;
	char *f;
	for (p = (const unsigned char *)name; plain && *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '/' || *p == '\\')
			plain = 0;
	if (asprintf(&f, "documents/%s%s.txt", removed ? "removed/" : "", plain ? name : guid) < 0)
		return NULL;
	return f;
}

static const char hexdig[] = "0123456789abcdef";

/* ---- dump ---- */

static enum qda_status stopped(struct qda *h)
{
	return seterr(h, QDA_EIO, "the dump was stopped");
}

/* One table: its columns (a document's text replaced by its file), its rows
 * in GUID order, else in primary-key order: new objects add lines and
 * changed ones change their own line only. */
static enum qda_status dump_table(struct qda *h, const struct table *t, const struct qda_dump_sink *s, void *ctx)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st = NULL;
	const char **cols = NULL, **vals = NULL;
	char **hexes = NULL;
	long text_ix = -1, name_ix = -1, guid_ix = -1, removed_ix = -1;
	enum qda_status rc = QDA_OK;
	size_t i;
	int r, docs = strcmp(t->name, "document_all") == 0, any_pk = 0;

	cols = calloc(t->n + 1, sizeof *cols);
	vals = calloc(t->n + 1, sizeof *vals);
	hexes = calloc(t->n + 1, sizeof *hexes);
	if (!cols || !vals || !hexes) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	buf_adds(&sql, "SELECT ");
	for (i = 0; i < t->n; i++) {
		cols[i] = t->c[i].name;
		if (docs && strcmp(t->c[i].name, "text") == 0) {
			text_ix = (long)i;
			cols[i] = "file";
		}
		if (strcmp(t->c[i].name, "name") == 0)
			name_ix = (long)i;
		if (strcmp(t->c[i].name, "guid") == 0)
			guid_ix = (long)i;
		if (strcmp(t->c[i].name, "removed_at") == 0)
			removed_ix = (long)i;
		if (i)
			buf_adds(&sql, ", ");
		add_ident(&sql, t->c[i].name);
	}
	buf_adds(&sql, " FROM ");
	add_ident(&sql, t->name);
	buf_adds(&sql, " ORDER BY ");
	if (t->has_guid)
		buf_adds(&sql, "guid");
	else {
		int k;
		for (k = 1; k <= (int)t->n; k++)
			for (i = 0; i < t->n; i++)
				if (t->c[i].pk == k) {
					if (any_pk++)
						buf_adds(&sql, ", ");
					add_ident(&sql, t->c[i].name);
				}
		if (!any_pk)
			buf_adds(&sql, "rowid");
	}
	if (sql.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (docs && (text_ix < 0 || name_ix < 0 || guid_ix < 0)) {
		rc = seterr(h, QDA_EDB, "the documents table lacks its text, name or guid");
		goto out;
	}
	if (!(st = prep(h, sql.s))) {
		rc = QDA_EDB;
		goto out;
	}
	if (s->table(ctx, t->file, cols, t->n)) {
		rc = stopped(h);
		goto out;
	}
	while ((r = step_row(h, st, "read the project")) > 0) {
		char *file = NULL;
		for (i = 0; i < t->n; i++) {
			free(hexes[i]);
			hexes[i] = NULL;
			/* the type before the text: reading the text converts the value */
			if (!(t->c[i].blob && sqlite3_column_type(st, (int)i) == SQLITE_BLOB)) {
				vals[i] = (const char *)sqlite3_column_text(st, (int)i);
			} else {
				const unsigned char *p = sqlite3_column_blob(st, (int)i);
				int n = sqlite3_column_bytes(st, (int)i), k;
				if (!(hexes[i] = malloc(2 * (size_t)n + 1))) {
					rc = seterr(h, QDA_ENOMEM, "out of memory");
					goto out;
				}
				for (k = 0; k < n; k++) {
					hexes[i][2 * k] = hexdig[p[k] >> 4];
					hexes[i][2 * k + 1] = hexdig[p[k] & 15];
				}
				hexes[i][2 * n] = '\0';
				vals[i] = hexes[i];
			}
		}
		if (docs) {
			const char *text = (const char *)sqlite3_column_text(st, (int)text_ix);
			size_t len = (size_t)sqlite3_column_bytes(st, (int)text_ix);
			file = doc_file((const char *)sqlite3_column_text(st, (int)name_ix),
			                (const char *)sqlite3_column_text(st, (int)guid_ix),
			                removed_ix >= 0 && sqlite3_column_type(st, (int)removed_ix) != SQLITE_NULL);
			if (!file) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			vals[text_ix] = file;
			if (s->text(ctx, file, text ? text : "", len)) {
				free(file);
				rc = stopped(h);
				goto out;
			}
		}
		r = s->row(ctx, vals);
		free(file);
		if (r) {
			rc = stopped(h);
			goto out;
		}
	}
	if (r < 0)
		rc = QDA_EDB;
	else if (s->table_end(ctx))
		rc = stopped(h);
out:
	sqlite3_finalize(st);
	if (hexes)
		for (i = 0; i < t->n; i++)
			free(hexes[i]);
	free(hexes);
	free(cols);
	free(vals);
	buf_free(&sql);
	return rc;
}

/* sequence.csv: the id counters that are past a table's highest id (ids
 * held back after an undo), so that a rebuilt project never reuses them;
 * empty for most projects. */
static enum qda_status dump_sequence(struct qda *h, const struct qda_dump_sink *s, void *ctx)
{
	static const char *const cols[] = { "table", "seq" };
	sqlite3_stmt *st = prep(h, "SELECT name, seq FROM sqlite_sequence WHERE name <> 'user' ORDER BY name");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	if (s->table(ctx, "sequence.csv", cols, 2)) {
		sqlite3_finalize(st);
		return stopped(h);
	}
	while ((r = step_row(h, st, "read the id counters")) > 0) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		long long seq = sqlite3_column_int64(st, 1), max = 0;
		struct buf q = { 0 };
		sqlite3_stmt *m;
		buf_adds(&q, "SELECT coalesce(max(rowid), 0) FROM ");
		add_ident(&q, name);
		if (q.failed) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			break;
		}
		m = prep(h, q.s);
		buf_free(&q);
		if (!m || step_row(h, m, "read the id counters") <= 0) {
			sqlite3_finalize(m);
			rc = QDA_EDB;
			break;
		}
		max = sqlite3_column_int64(m, 0);
		sqlite3_finalize(m);
		if (seq > max) {
			char n[32];
			const char *vals[2];
			snprintf(n, sizeof n, "%lld", seq);
			vals[0] = name;
			vals[1] = n;
			if (s->row(ctx, vals)) {
				rc = stopped(h);
				break;
			}
		}
	}
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	sqlite3_finalize(st);
	if (rc == QDA_OK && s->table_end(ctx))
		rc = stopped(h);
	return rc;
}

enum qda_status qda_dump(struct qda *h, const struct qda_dump_sink *s, void *ctx)
{
	struct table *t = NULL;
	size_t n = 0, i;
	enum qda_status rc;

	/* one read transaction: the files show one state of the project */
	if ((rc = exec(h, "BEGIN")) != QDA_OK)
		return rc;
	rc = tables_load(h, &t, &n);
	for (i = 0; rc == QDA_OK && i < n; i++)
		rc = dump_table(h, &t[i], s, ctx);
	if (rc == QDA_OK)
		rc = dump_sequence(h, s, ctx);
	tables_free(t, n);
	sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	return rc;
}

/* ---- restore ---- */

static char *join(const char *dir, const char *file)
{
	char *p;
	if (asprintf(&p, "%s/%s", dir, file) < 0)
		return NULL;
	return p;
}

static int unhex(const char *s, size_t len, unsigned char **out, size_t *n)
{
	size_t i;
	*out = NULL;
	*n = 0;
	if (len % 2)
		return -1;
	if (!(*out = malloc(len / 2 + 1)))
		return -2;
	for (i = 0; i < len; i += 2) {
		const char *a = strchr(hexdig, s[i]), *b = strchr(hexdig, s[i + 1]);
		if (!s[i] || !s[i + 1] || !a || !b) {
			free(*out);
			*out = NULL;
			return -1;
		}
		(*out)[i / 2] = (unsigned char)((a - hexdig) << 4 | (b - hexdig));
	}
	*n = len / 2;
	return 0;
}

/* A document's text from its file: within documents/, and the very text
 * dumped (its SHA-256 the text_hash of its row). */
static enum qda_status read_text(struct qda *h, const char *dir, const char *csv, const struct csv_field *file,
                                 const char *hash, char **text, size_t *len)
{
	char *path, sum[65];
	enum qda_status rc;
	*text = NULL;
	if (strncmp(file->s, "documents/", 10) != 0 || strstr(file->s, "..") || strstr(file->s, "/.")) {
		char *loc = loc_at(csv, (size_t)file->line, (size_t)file->col);
		rc = seterr_at(h, QDA_EINPUT, loc ? loc : csv, "'%s' is not a file under documents/; give the file a dump "
		               "wrote there", file->s);
		free(loc);
		return rc;
	}
	if (!(path = join(dir, file->s)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = read_file(h, path, 0, text, len)) == QDA_OK && hash) {
		qda_sha256_hex(*text, *len, sum);
		if (strcmp(sum, hash) != 0) {
			rc = seterr_at(h, QDA_EINPUT, path, "the text is not the one dumped (its SHA-256 is not the "
			               "text_hash of documents.csv); restore the file (git checkout), as a document's "
			               "text changes only through qda (qda pseudonymise)");
			free(*text);
			*text = NULL;
		}
	}
	free(path);
	return rc;
}

static enum qda_status row_error(struct qda *h, const char *csv, long line, long col, const char *fmt, const char *a,
                                 const char *b)
{
	char *loc = loc_at(csv, (size_t)line, (size_t)col);
	enum qda_status rc = seterr_at(h, QDA_EINPUT, loc ? loc : csv, fmt, a, b);
	free(loc);
	return rc;
}

/* The line of the row of id in a table's CSV (0 when not found). */
static long line_of_id(struct qda *h, const char *csv, const char *col, long long id)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	size_t k, i;
	long line = 0;
	char want[32];
	snprintf(want, sizeof want, "%lld", id);
	if (csv_open(h, csv, ',', &r) != QDA_OK || csv_next(r, &rec) != QDA_OK || rec.n == 0)
		goto out;
	for (k = 0; k < rec.n && strcmp(rec.f[k].s, col) != 0; k++)
		;
	if (k == rec.n)
		goto out;
	while (!line && csv_next(r, &rec) == QDA_OK && rec.n)
		for (i = 0; i < rec.n; i++)
			if (i == k && strcmp(rec.f[i].s, want) == 0)
				line = rec.line;
out:
	csv_close(r);
	return line;
}

/* The first row referring to nothing, told at its line of the CSV with the
 * column and the file it should refer into. */
static enum qda_status check_references(struct qda *h, const char *dir, const struct table *t, size_t n)
{
	sqlite3_stmt *st = prep(h, "SELECT fk.\"table\", fk.rowid, fk.parent, l.\"from\" FROM pragma_foreign_key_check AS fk"
	                           " JOIN pragma_foreign_key_list(fk.\"table\") AS l ON l.id = fk.fkid LIMIT 1");
	enum qda_status rc = QDA_OK;
	int r;
	if (!st)
		return QDA_EDB;
	if ((r = step_row(h, st, "check the references")) > 0) {
		const char *table = (const char *)sqlite3_column_text(st, 0);
		const char *parent = (const char *)sqlite3_column_text(st, 2);
		const char *from = (const char *)sqlite3_column_text(st, 3);
		long long id = sqlite3_column_int64(st, 1);
		char *file = file_of(table), *pfile = file_of(parent), *csv = NULL, *loc = NULL, idcol[64] = "rowid";
		size_t i, k;
		long line = 0;
		for (i = 0; i < n; i++)
			if (strcmp(t[i].name, table) == 0)
				for (k = 0; k < t[i].n; k++)
					if (t[i].c[k].pk == 1)
						snprintf(idcol, sizeof idcol, "%s", t[i].c[k].name);
		if (file && pfile && (csv = join(dir, file)))
			line = line_of_id(h, csv, idcol, id);
		if (csv && line)
			loc = loc_at(csv, (size_t)line, 0);
		if (!file || !pfile || !csv)
			rc = seterr(h, QDA_ENOMEM, "out of memory");
		else
			rc = seterr_at(h, QDA_EINPUT, loc ? loc : csv, "%s refers to a row %s does not hold; restore the files "
			               "as dumped", from, pfile);
		free(loc);
		free(csv);
		free(file);
		free(pfile);
	} else if (r < 0) {
		rc = QDA_EDB;
	}
	sqlite3_finalize(st);
	return rc;
}

/* One table from its CSV: the header names its columns (any order; a
 * column it leaves out takes its default), an empty cell is NULL where the
 * column allows it. */
static enum qda_status restore_table(struct qda *h, const char *dir, const struct table *t)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	struct buf sql = { 0 };
	sqlite3_stmt *st = NULL;
	long *col_of = NULL; /* header field -> table column */
	long file_ix = -1, hash_ix = -1;
	size_t ncols = 0, i;
	char *csv = join(dir, t->file);
	enum qda_status rc;
	int docs = strcmp(t->name, "document_all") == 0;

	if (!csv)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = csv_open(h, csv, ',', &r)) != QDA_OK || (rc = csv_next(r, &rec)) != QDA_OK)
		goto out;
	if (rec.n == 0) {
		rc = seterr_at(h, QDA_EINPUT, csv, "the file is empty; a dump's CSV files start with their header row");
		goto out;
	}
	ncols = rec.n;
	if (!(col_of = calloc(ncols, sizeof *col_of))) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	buf_adds(&sql, "INSERT INTO ");
	add_ident(&sql, t->name);
	buf_adds(&sql, "(");
	for (i = 0; i < ncols; i++) {
		const char *name = rec.f[i].s;
		size_t k;
		if (docs && strcmp(name, "file") == 0) {
			file_ix = (long)i;
			name = "text";
		}
		for (k = 0; k < t->n && strcmp(t->c[k].name, name) != 0; k++)
			;
		if (k == t->n) {
			rc = row_error(h, csv, rec.f[i].line, rec.f[i].col,
			               "no column '%s' in the project's %s table; was the dump made by another qda version?",
			               rec.f[i].s, t->name);
			goto out;
		}
		if (docs && strcmp(name, "text_hash") == 0)
			hash_ix = (long)i;
		col_of[i] = (long)k;
		if (i)
			buf_adds(&sql, ", ");
		add_ident(&sql, name);
	}
	if (docs && file_ix < 0) {
		rc = seterr_at(h, QDA_EINPUT, csv, "no 'file' column: the documents' texts cannot be found");
		goto out;
	}
	buf_adds(&sql, ") VALUES (");
	for (i = 0; i < ncols; i++)
		buf_adds(&sql, i ? ", ?" : "?");
	buf_adds(&sql, ")");
	if (sql.failed) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto out;
	}
	if (!(st = prep(h, sql.s))) {
		rc = QDA_EDB;
		goto out;
	}
	while ((rc = csv_next(r, &rec)) == QDA_OK && rec.n) {
		char *text = NULL;
		unsigned char *blob[64] = { 0 };
		if (rec.n != ncols) {
			char want[32], got[32];
			snprintf(want, sizeof want, "%zu", ncols);
			snprintf(got, sizeof got, "%zu", rec.n);
			rc = row_error(h, csv, rec.line, 1, "the row has %s fields, the header %s; restore the file as dumped",
			               got, want);
			break;
		}
		sqlite3_reset(st);
		sqlite3_clear_bindings(st);
		for (i = 0; i < ncols && rc == QDA_OK; i++) {
			const struct column *c = &t->c[col_of[i]];
			const struct csv_field *f = &rec.f[i];
			if ((long)i == file_ix) {
				size_t len;
				if ((rc = read_text(h, dir, csv, f, hash_ix >= 0 ? rec.f[hash_ix].s : NULL, &text, &len)) ==
				    QDA_OK)
					sqlite3_bind_text(st, (int)i + 1, text, (int)len, SQLITE_STATIC);
			} else if (f->len == 0 && !c->notnull) {
				sqlite3_bind_null(st, (int)i + 1);
			} else if (c->blob && i < 64) {
				size_t n;
				int e = unhex(f->s, f->len, &blob[i], &n);
				if (e == -2)
					rc = seterr(h, QDA_ENOMEM, "out of memory");
				else if (e)
					rc = row_error(h, csv, f->line, f->col, "'%s' is not hexadecimal bytes (column %s)",
					               f->len > 20 ? "..." : f->s, c->name);
				else
					sqlite3_bind_blob(st, (int)i + 1, blob[i], (int)n, SQLITE_STATIC);
			} else {
				sqlite3_bind_text(st, (int)i + 1, f->s, (int)f->len, SQLITE_STATIC);
			}
		}
		if (rc == QDA_OK && sqlite3_step(st) != SQLITE_DONE) {
			char *loc = loc_at(csv, (size_t)rec.line, 0);
			rc = seterr_at(h, QDA_EINPUT, loc ? loc : csv, "the project refuses the row: %s; restore the file as "
			               "dumped", sqlite3_errmsg(h->db));
			free(loc);
		}
		sqlite3_reset(st);
		free(text);
		for (i = 0; i < 64; i++)
			free(blob[i]);
		if (rc != QDA_OK)
			break;
	}
out:
	sqlite3_finalize(st);
	csv_close(r);
	free(col_of);
	buf_free(&sql);
	free(csv);
	return rc;
}

static enum qda_status restore_sequence(struct qda *h, const char *dir)
{
	struct csv_reader *r = NULL;
	struct csv_record rec;
	char *csv = join(dir, "sequence.csv");
	sqlite3_stmt *up = NULL, *ins = NULL;
	enum qda_status rc;
	if (!csv)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = csv_open(h, csv, ',', &r)) != QDA_OK || (rc = csv_next(r, &rec)) != QDA_OK)
		goto out;
	if (rec.n != 2 || strcmp(rec.f[0].s, "table") || strcmp(rec.f[1].s, "seq")) {
		rc = seterr_at(h, QDA_EINPUT, csv, "the header is not 'table,seq'; restore the file as dumped");
		goto out;
	}
	if (!(up = prep(h, "UPDATE sqlite_sequence SET seq = ?2 WHERE name = ?1")) ||
	    !(ins = prep(h, "INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2 WHERE changes() = 0"))) {
		rc = QDA_EDB;
		goto out;
	}
	while ((rc = csv_next(r, &rec)) == QDA_OK && rec.n) {
		sqlite3_stmt *v[2] = { up, ins };
		int k;
		if (rec.n != 2) {
			rc = row_error(h, csv, rec.line, 1, "the row is not '%s%s'; restore the file as dumped", "table,",
			               "seq");
			break;
		}
		for (k = 0; k < 2 && rc == QDA_OK; k++) {
			sqlite3_reset(v[k]);
			bind_text(v[k], 1, rec.f[0].s);
			sqlite3_bind_int64(v[k], 2, strtoll(rec.f[1].s, NULL, 10));
			rc = step_done(h, v[k]);
		}
		if (rc != QDA_OK)
			break;
	}
out:
	sqlite3_finalize(up);
	sqlite3_finalize(ins);
	csv_close(r);
	free(csv);
	return rc;
}

/* The codebook.yaml of the dump is the codebook the restored nodes make:
 * it is written for people to read and diff; nodes.csv is what is read. */
static enum qda_status check_codebook(struct qda *h, const char *dir)
{
	char *path = join(dir, "codebook.yaml"), *want = NULL, *got = NULL;
	size_t wn = 0, gn = 0;
	enum qda_status rc;
	if (!path)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = read_file(h, path, 0, &got, &gn)) == QDA_OK &&
	    (rc = qda_codebook_export_yaml(h, &want, &wn)) == QDA_OK && (wn != gn || memcmp(want, got, wn) != 0))
		rc = seterr_at(h, QDA_EINPUT, path, "the codebook differs from the one nodes.csv holds; codebook.yaml is "
		               "written for reading: restore it as dumped (git checkout), then change the codebook with qda "
		               "codebook load and dump again");
	free(want);
	free(got);
	free(path);
	return rc;
}

/* The dump's schema version, from its marker: 1 to this qda's. */
static enum qda_status dump_schema(struct qda *h, const char *dir, int *version)
{
	char *path = join(dir, QDA_DUMP_MARKER), *text = NULL;
	size_t len = 0;
	int v = 0;
	enum qda_status rc;
	if (!path)
		return seterr(h, QDA_ENOMEM, "out of memory");
	if ((rc = read_file(h, path, 4096, &text, &len)) != QDA_OK) {
		rc = seterr(h, QDA_EINPUT, "%s is not a qda dump (no %s in it); give a directory 'qda dump' wrote", dir,
		            QDA_DUMP_MARKER);
	} else if (sscanf(text, "qda dump\nschema %d", &v) != 1 || v < 1) {
		rc = seterr_at(h, QDA_EINPUT, path, "not a qda dump marker (it should read 'qda dump' then 'schema N', N "
		               "from 1 to %d)", qda_schema_version());
	} else if (v > qda_schema_version()) {
		rc = seterr_at(h, QDA_EINPUT, path, "the dump is of schema %d, and this qda knows schemas up to %d; rebuild "
		               "it with a newer qda", v, qda_schema_version());
	}
	*version = v;
	free(text);
	free(path);
	return rc;
}

/* The dump's rows into the new project, whose schema is the dump's. */
static enum qda_status restore(struct qda *h, const char *dir)
{
	struct table *t = NULL;
	size_t n = 0, i;
	enum qda_status rc;
	sqlite3_stmt *st = NULL;
	int r;

	if ((rc = exec(h, "BEGIN IMMEDIATE")) != QDA_OK)
		return rc;
	/* rows come in GUID order, before what they refer to: checked at the end */
	if ((rc = exec(h, "PRAGMA defer_foreign_keys = ON; DELETE FROM meta")) != QDA_OK)
		goto out;
	if ((rc = tables_load(h, &t, &n)) != QDA_OK)
		goto out;
	for (i = 0; rc == QDA_OK && i < n; i++)
		rc = restore_table(h, dir, &t[i]);
	if (rc == QDA_OK)
		rc = restore_sequence(h, dir);
	if (rc != QDA_OK)
		goto out;
	if (!(st = prep(h, "SELECT id FROM document_all ORDER BY id"))) {
		rc = QDA_EDB;
		goto out;
	}
	while (rc == QDA_OK && (r = step_row(h, st, "read the documents")) > 0)
		rc = lines_build(h, sqlite3_column_int64(st, 0));
	if (rc == QDA_OK && r < 0)
		rc = QDA_EDB;
	if (rc == QDA_OK)
		rc = check_references(h, dir, t, n);
	if (rc == QDA_OK)
		rc = check_codebook(h, dir);
	if (rc == QDA_OK)
		rc = exec(h, "COMMIT");
out:
	sqlite3_finalize(st);
	tables_free(t, n);
	if (rc != QDA_OK)
		sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	tx_fts_bulk_end(h);
	return rc;
}

/* Remove path and SQLite's files beside it. */
static void remove_project(const char *path)
{
	static const char *const side[] = { "", "-wal", "-shm", "-journal" };
	size_t i;
	for (i = 0; i < sizeof side / sizeof side[0]; i++) {
		char *f;
		if (asprintf(&f, "%s%s", path, side[i]) >= 0) {
			unlink(f);
			free(f);
		}
	}
}

enum qda_status qda_init_from(const char *path, const char *dir, struct qda **out, int *version)
{
	struct qda *h;
	enum qda_status rc;

	*version = 0;
	if (!(*out = h = handle_new(path, 0)))
		return QDA_ENOMEM;
	if ((rc = dump_schema(h, dir, version)) != QDA_OK || (rc = store_create(h, *version)) != QDA_OK)
		return rc;
	/* loaded at the dump's schema, upgraded as an older project is: the
	 * migrations, not this code, know what each schema's rows become */
	if ((rc = restore(h, dir)) == QDA_OK)
		rc = store_upgrade(h);
	if (rc != QDA_OK) {
		/* nothing half-done: the new file goes, with SQLite's own beside it */
		sqlite3_close(h->db);
		h->db = NULL;
		remove_project(path);
	}
	return rc;
}

/* ---- the line index, shared with pseudonymise ---- */

enum qda_status lines_drop(struct qda *h, long long doc_id)
{
	static const char *const sql[] = {
		/* the full-text index is external: its rows go while the text is there */
		"INSERT INTO line_fts(line_fts, rowid, text) SELECT 'delete', l.id, substr(d.text, l.start + 1, l.end - l.start)"
		" FROM document_all d JOIN line l ON l.doc_id = d.id WHERE d.id = ?1 AND l.end > l.start",
		"DELETE FROM line WHERE doc_id = ?1",
	};
	enum qda_status rc = QDA_OK;
	size_t i;
	for (i = 0; i < sizeof sql / sizeof sql[0] && rc == QDA_OK; i++) {
		sqlite3_stmt *st = prep(h, sql[i]);
		if (!st)
			return QDA_EDB;
		sqlite3_bind_int64(st, 1, doc_id);
		rc = step_done(h, st);
		sqlite3_finalize(st);
	}
	return rc;
}

enum qda_status lines_build(struct qda *h, long long doc_id)
{
	sqlite3_stmt *doc = prep(h, "SELECT text FROM document_all WHERE id = ?");
	sqlite3_stmt *turns = NULL, *line = NULL, *fts = NULL;
	enum qda_status rc = QDA_OK;
	long *first = NULL; /* line_first of turn n at n - 1 */
	size_t n_turns = 0, cap = 0, t = 0, pos, cp = 0, len;
	long line_no = 0;
	const char *text;
	int r;

	if (!doc)
		return QDA_EDB;
	sqlite3_bind_int64(doc, 1, doc_id);
	if ((r = step_row(h, doc, "read a document")) <= 0) {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_ENOTFOUND, "no document %lld", doc_id);
		goto out;
	}
	if ((rc = tx_fts_bulk(h)) != QDA_OK)
		goto out;
	if (!(turns = prep(h, "SELECT line_first FROM turn WHERE doc_id = ? ORDER BY n")) ||
	    !(line = prep(h, "INSERT INTO line(doc_id, n, start, end, turn_n) VALUES (?, ?, ?, ?, ?)")) ||
	    !(fts = prep(h, "INSERT INTO line_fts(rowid, text) VALUES (?, ?)"))) {
		rc = QDA_EDB;
		goto out;
	}
	sqlite3_bind_int64(turns, 1, doc_id);
	while ((r = step_row(h, turns, "read a document's turns")) > 0) {
		if (n_turns == cap) {
			long *v = realloc(first, (cap = cap ? 2 * cap : 64) * sizeof *v);
			if (!v) {
				rc = seterr(h, QDA_ENOMEM, "out of memory");
				goto out;
			}
			first = v;
		}
		first[n_turns++] = sqlite3_column_int(turns, 0);
	}
	if (r < 0) {
		rc = QDA_EDB;
		goto out;
	}
	text = (const char *)sqlite3_column_text(doc, 0);
	len = (size_t)sqlite3_column_bytes(doc, 0);
	/* as import numbers them: a line holds the last turn begun on it or before */
	for (pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, cps = qda_text_cplen(text + pos, end - pos);
		line_no++;
		while (t < n_turns && first[t] <= line_no)
			t++;
		sqlite3_reset(line);
		sqlite3_bind_int64(line, 1, doc_id);
		sqlite3_bind_int64(line, 2, line_no);
		sqlite3_bind_int64(line, 3, (sqlite3_int64)cp);
		sqlite3_bind_int64(line, 4, (sqlite3_int64)(cp + cps));
		if (t > 0)
			sqlite3_bind_int64(line, 5, (sqlite3_int64)t);
		else
			sqlite3_bind_null(line, 5);
		if ((rc = step_done(h, line)) != QDA_OK)
			goto out;
		if (end > pos) {
			sqlite3_reset(fts);
			sqlite3_bind_int64(fts, 1, sqlite3_last_insert_rowid(h->db));
			sqlite3_bind_text(fts, 2, text + pos, (int)(end - pos), SQLITE_STATIC);
			if ((rc = step_done(h, fts)) != QDA_OK)
				goto out;
		}
		cp += cps + (nl ? 1 : 0);
		pos = end + 1;
	}
out:
	sqlite3_finalize(doc);
	sqlite3_finalize(turns);
	sqlite3_finalize(line);
	sqlite3_finalize(fts);
	free(first);
	return rc;
}
