/* store.c — the project file: open, create, migrate, transactions, statement
 * helpers and the audit trail. SQL elsewhere in core/ goes through prep() and
 * exec() here, always with bound values; nothing here prints or exits. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "schema.h" /* generated: static const char schema_sql[] */

/* the page cache of every connection: 64 MiB */
#define CACHE_KIB "-65536"

/* Each entry upgrades user_version i to i+1; entry 0 creates the schema. */
static const char *const migrations[] = {
	schema_sql,  /* 0 -> 1: the schema of qda 0.1 */
	schema2_sql, /* 1 -> 2: the record (ids never reused, removal marks, undo) */
	schema3_sql, /* 2 -> 3: document languages and stop words (stemmed search, words) */
	schema4_sql, /* 3 -> 4: documents read, framework summaries, translations of quotes */
	schema5_sql, /* 4 -> 5: accounts for qda serve */
	schema6_sql, /* 5 -> 6: covering indexes for the counting commands */
};
#define N_MIGRATIONS (int)(sizeof migrations / sizeof migrations[0])

int qda_schema_version(void)
{
	return N_MIGRATIONS;
}

/* vsnprintf into out[size] (size > 0), a text cut to fit ending at a
 * character's end: a message never ends in half a UTF-8 character. */
static void format_cut(char *out, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(out, size, fmt, ap);
	size_t len, i, need;
	unsigned char c;

	if (n < 0) {
		out[0] = '\0';
		return;
	}
	if ((size_t)n < size)
		return;
	/* the start of the last character kept, and how long it should be */
	len = size - 1;
	for (i = len; i > 0 && len - i < 4 && ((unsigned char)out[i - 1] & 0xC0) == 0x80; i--)
		;
	if (i == 0)
		return;
	c = (unsigned char)out[i - 1];
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (len - (i - 1) < need)
		out[i - 1] = '\0';
}

static void print_cut(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void print_cut(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_cut(out, size, fmt, ap);
	va_end(ap);
}

enum qda_status seterr(struct qda *h, enum qda_status st, const char *fmt, ...)
{
	va_list ap;
	if (!h)
		return st;
	va_start(ap, fmt);
	format_cut(h->errmsg, sizeof h->errmsg, fmt, ap);
	va_end(ap);
	h->errloc[0] = '\0';
	return st;
}

enum qda_status seterr_at(struct qda *h, enum qda_status st, const char *loc, const char *fmt, ...)
{
	va_list ap;
	if (!h)
		return st;
	va_start(ap, fmt);
	format_cut(h->errmsg, sizeof h->errmsg, fmt, ap);
	va_end(ap);
	print_cut(h->errloc, sizeof h->errloc, "%s", loc ? loc : "");
	return st;
}

void setloc(struct qda *h, const char *loc)
{
	if (h)
		print_cut(h->errloc, sizeof h->errloc, "%s", loc ? loc : "");
}

enum qda_status dberr(struct qda *h, const char *what)
{
	int code = h->db ? sqlite3_extended_errcode(h->db) : 0;
	if (code == SQLITE_BUSY || (code & 0xff) == SQLITE_BUSY)
		return seterr(h, QDA_EDB, "%s: the project is locked by another qda; try again when it has finished", what);
	if ((code & 0xff) == SQLITE_NOTADB)
		return seterr(h, QDA_EINPUT, "%s is not a qda project (not an SQLite file); check -p or $QDA_PROJECT",
		              h->path);
	if ((code & 0xff) == SQLITE_READONLY)
		return seterr(h, QDA_EIO, "%s: the project file is read-only; check its permissions", what);
	/* A write refused (a full disk, a quota, a file-size limit: the
	 * failing call's errno is often lost by then, on the WAL's file): the
	 * transaction is rolled back whole; say so, and what to do. */
	if ((code & 0xff) == SQLITE_FULL || code == SQLITE_IOERR_WRITE ||
	    ((code & 0xff) == SQLITE_IOERR && h->db &&
	     (sqlite3_system_errno(h->db) == ENOSPC || sqlite3_system_errno(h->db) == EFBIG ||
	      sqlite3_system_errno(h->db) == EDQUOT)))
		return seterr(h, QDA_EIO, "could not write the project: the disk is full, or a file-size limit was reached; "
		                          "nothing was changed: free some space and run the command again");
	return seterr(h, QDA_EDB, "%s: database error: %s", what, h->db ? sqlite3_errmsg(h->db) : "no database");
}

void warnf(struct qda *h, const char *loc, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	if (!h || !h->warn)
		return;
	va_start(ap, fmt);
	format_cut(msg, sizeof msg, fmt, ap);
	va_end(ap);
	h->warn(h->warn_ctx, loc ? loc : "", msg);
}

void progress(struct qda *h, const char *what, uint64_t done, uint64_t total)
{
	if (h && h->progress)
		h->progress(h->progress_ctx, what, done, total);
}

void qda_set_warn(struct qda *h, qda_warn_fn fn, void *ctx)
{
	h->warn = fn;
	h->warn_ctx = ctx;
}

void qda_set_progress(struct qda *h, qda_progress_fn fn, void *ctx)
{
	h->progress = fn;
	h->progress_ctx = ctx;
}

enum qda_status qda_set_coder(struct qda *h, const char *name)
{
	char *c = NULL;
	if (name && *name && !(c = strdup(name)))
		return seterr(h, QDA_ENOMEM, "out of memory");
	free(h->coder);
	h->coder = c;
	return QDA_OK;
}

const char *qda_coder(const struct qda *h)
{
	return h->coder;
}

const char *qda_errmsg(const struct qda *h)
{
	return h ? h->errmsg : "out of memory";
}

const char *qda_errloc(const struct qda *h)
{
	return h ? h->errloc : "";
}

const char *qda_path(const struct qda *h)
{
	return h->path;
}

sqlite3_stmt *prep(struct qda *h, const char *sql)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(h->db, sql, -1, &st, NULL) != SQLITE_OK) {
		dberr(h, "prepare");
		return NULL;
	}
	return st;
}

sqlite3_stmt *prep_kept(struct qda *h, const char *sql)
{
	size_t i;
	for (i = 0; i < KEPT_MAX && h->kept[i].sql; i++) {
		if (h->kept[i].sql == sql) {
			sqlite3_reset(h->kept[i].st);
			sqlite3_clear_bindings(h->kept[i].st);
			return h->kept[i].st;
		}
	}
	if (i == KEPT_MAX) {
		seterr(h, QDA_EDB, "prepare: more than %d statements kept", KEPT_MAX);
		return NULL;
	}
	if (!(h->kept[i].st = prep(h, sql)))
		return NULL;
	h->kept[i].sql = sql;
	return h->kept[i].st;
}

static void kept_finalize(struct qda *h)
{
	size_t i;
	for (i = 0; i < KEPT_MAX && h->kept[i].sql; i++) {
		sqlite3_finalize(h->kept[i].st);
		h->kept[i].st = NULL;
		h->kept[i].sql = NULL;
	}
}

enum qda_status exec(struct qda *h, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(h->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		enum qda_status st = dberr(h, "exec");
		sqlite3_free(err);
		return st;
	}
	return QDA_OK;
}

enum qda_status step_done(struct qda *h, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW)
		return QDA_OK;
	return dberr(h, "write");
}

int step_row(struct qda *h, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	dberr(h, what);
	return -1;
}

int bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
}

enum qda_status savepoint(struct qda *h, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SAVEPOINT %s", name);
	return exec(h, sql);
}

enum qda_status release(struct qda *h, const char *name)
{
	char sql[128];
	snprintf(sql, sizeof sql, "RELEASE %s", name);
	return exec(h, sql);
}

void rollback_to(struct qda *h, const char *name)
{
	char sql[160];
	snprintf(sql, sizeof sql, "ROLLBACK TO %s; RELEASE %s", name, name);
	sqlite3_exec(h->db, sql, NULL, NULL, NULL);
}

static enum qda_status configure(struct qda *h)
{
	sqlite3_busy_timeout(h->db, 5000);
	if (exec(h, "PRAGMA foreign_keys = ON") != QDA_OK)
		return QDA_EDB;
	if (!h->readonly && exec(h, "PRAGMA journal_mode = WAL") != QDA_OK)
		return QDA_EDB;
	/* A page cache of 64 MiB and temporary b-trees in memory: big imports and
	 * autocode runs write hundreds of thousands of rows in one transaction. */
	if (exec(h, "PRAGMA synchronous = NORMAL; PRAGMA cache_size = " CACHE_KIB "; PRAGMA temp_store = MEMORY") != QDA_OK)
		return QDA_EDB;
	/* A reading command maps the file: documents' texts (overflow pages)
	 * are read in place instead of copied page by page through pread. */
	return h->readonly ? exec(h, "PRAGMA mmap_size = 1073741824") : QDA_OK;
}

static enum qda_status user_version(struct qda *h, int *v)
{
	sqlite3_stmt *st = prep(h, "PRAGMA user_version");
	enum qda_status rc = QDA_OK;
	if (!st)
		return QDA_EDB;
	/* not step_row: dberr's status tells a file that is no project
	 * (QDA_EINPUT) from a database error */
	if (sqlite3_step(st) == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	else
		rc = dberr(h, "read schema version");
	sqlite3_finalize(st);
	return rc;
}

enum qda_status fk_check(struct qda *h, const char *what)
{
	sqlite3_stmt *st = prep(h, "PRAGMA foreign_key_check");
	struct buf b = { 0 };
	long n = 0;
	int r;
	enum qda_status rc = QDA_OK;

	if (!st)
		return QDA_EDB;
	while ((r = step_row(h, st, what)) > 0) {
		if (n++ < 5 && buf_addf(&b, "%s%s %lld refers to a missing %s", n > 1 ? "; " : "",
		                        (const char *)sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1),
		                        (const char *)sqlite3_column_text(st, 2)) < 0) {
			rc = seterr(h, QDA_ENOMEM, "out of memory");
			goto out;
		}
	}
	if (r < 0)
		rc = QDA_EDB;
	else if (n)
		rc = seterr(h, QDA_EINPUT, "%s: %s%s", what, b.s, n > 5 ? "; ..." : "");
out:
	sqlite3_finalize(st);
	buf_free(&b);
	return rc;
}

/* Upgrade the project to schema version `to` (at most N_MIGRATIONS). */
static enum qda_status migrate_to(struct qda *h, int to)
{
	enum qda_status rc;
	int v = 0;
	char sql[64];

	if ((rc = user_version(h, &v)) != QDA_OK)
		return rc;
	if (v > N_MIGRATIONS)
		return seterr(h, QDA_EINPUT,
		              "%s was written by a newer qda (schema %d, this one knows %d); upgrade qda", h->path,
		              v, N_MIGRATIONS);
	if (v >= to)
		return QDA_OK;
	/* Migrations rebuild tables: foreign keys are off while they run (the
	 * pragma is a no-op inside a transaction) and checked before COMMIT. */
	if ((rc = exec(h, "PRAGMA foreign_keys = OFF")) != QDA_OK)
		return rc;
	if ((rc = exec(h, "BEGIN IMMEDIATE")) != QDA_OK)
		goto fk;
	for (; v < to; v++) {
		if ((rc = exec(h, migrations[v])) != QDA_OK)
			goto fail;
	}
	if ((rc = fk_check(h, "schema upgrade")) != QDA_OK)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", to);
	if ((rc = exec(h, sql)) != QDA_OK || (rc = exec(h, "COMMIT")) != QDA_OK)
		goto fail;
	goto fk;
fail:
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
fk:
	if (exec(h, "PRAGMA foreign_keys = ON") != QDA_OK && rc == QDA_OK)
		rc = QDA_EDB;
	return rc;
}

static enum qda_status migrate(struct qda *h)
{
	return migrate_to(h, N_MIGRATIONS);
}

enum qda_status store_upgrade(struct qda *h)
{
	return migrate(h);
}

struct qda *handle_new(const char *path, int readonly)
{
	struct qda *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->path = strdup(path);
	h->readonly = readonly;
	if (!h->path) {
		free(h);
		return NULL;
	}
	return h;
}

/* Open the project file with URI names on, whatever the SQLite build's
 * default, so that merge can attach a co-coder's copy read-only by a file:
 * URI; the project's own name is never read as one ("./" goes before a
 * relative name that starts with "file:"). */
static int open_db(struct qda *h, const char *path, int flags)
{
	char *p = NULL;
	int rc;
	if (strncmp(path, "file:", 5) == 0 && asprintf(&p, "./%s", path) < 0)
		return SQLITE_NOMEM;
	/* A connection is used by one thread only (qda serve opens one a
	 * request): no mutex around each call. */
	rc = sqlite3_open_v2(p ? p : path, &h->db, flags | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
	free(p);
	return rc;
}

enum qda_status qda_init(const char *path, struct qda **out)
{
	*out = handle_new(path, 0);
	if (!*out)
		return QDA_ENOMEM;
	return store_create(*out, N_MIGRATIONS);
}

enum qda_status store_create(struct qda *h, int version)
{
	const char *path = h->path;
	enum qda_status rc;
	int fd;

	if (version < 1 || version > N_MIGRATIONS)
		return seterr(h, QDA_EINVAL, "no schema %d: this qda knows schemas 1 to %d", version, N_MIGRATIONS);
	/* Interview data is confidential: create the file 0600 ourselves, so
	 * SQLite opens an existing empty file instead of making one 0644. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return seterr(h, QDA_EEXIST, "%s already exists; use another name or remove it first", path);
		return seterr(h, QDA_EIO, "cannot create %s: %s", path, strerror(errno));
	}
	close(fd);
	if (open_db(h, path, SQLITE_OPEN_READWRITE) != SQLITE_OK) {
		rc = dberr(h, path);
		unlink(path);
		return rc;
	}
	/* 16 KiB pages, set before the first table: a transcript takes a
	 * quarter of the overflow pages, and the WAL a quarter of the frames */
	if ((rc = exec(h, "PRAGMA page_size = 16384")) != QDA_OK || (rc = configure(h)) != QDA_OK ||
	    (rc = migrate_to(h, version)) != QDA_OK ||
	    (rc = exec(h, "INSERT INTO meta(key, value) VALUES ('created', strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),"
	                  " ('guid', upper(hex(randomblob(16))))")) != QDA_OK) {
		sqlite3_close(h->db);
		h->db = NULL;
		unlink(path);
		return rc;
	}
	return QDA_OK;
}

/* A file qda may open as a project: schema version v, from 1 (qda 0.1) to
 * this qda's. Version 0 is an empty file or someone else's database: the
 * schema is never added into it (only qda_init makes a project). */
static enum qda_status check_project(struct qda *h, int v)
{
	long long tables = 0;
	if (v > N_MIGRATIONS)
		return seterr(h, QDA_EINPUT, "%s was written by a newer qda (schema %d, this one knows %d); upgrade qda",
		              h->path, v, N_MIGRATIONS);
	if (v > 0)
		return QDA_OK;
	if (query_int(h, "SELECT count(*) FROM sqlite_master", 0, &tables) != QDA_OK)
		return QDA_EDB;
	if (tables)
		return seterr(h, QDA_EINPUT,
		              "%s is an SQLite database but not a qda project (it has tables of its own and no qda "
		              "schema); name the project with -p FILE, or create one with 'qda init'",
		              h->path);
	return seterr(h, QDA_EINPUT,
	              "%s is empty, not a qda project; create one with 'qda init %s' (after removing the empty file), "
	              "or name the project with -p FILE",
	              h->path, h->path);
}

enum qda_status qda_open(const char *path, int readonly, struct qda **out)
{
	struct qda *h;
	enum qda_status rc;
	struct stat sb;
	int v = 0;

	*out = h = handle_new(path, readonly);
	if (!h)
		return QDA_ENOMEM;
	if (stat(path, &sb) != 0)
		return seterr(h, QDA_EINPUT, "%s: no such project; create one with 'qda init' or name it with -p", path);
	if (S_ISDIR(sb.st_mode))
		return seterr(h, QDA_EINPUT, "%s is a directory, not a project file", path);
	/* read only until the file is known to be a project this qda can open:
	 * configure() alone would turn another database's journal into WAL */
	if (open_db(h, path, SQLITE_OPEN_READONLY) != SQLITE_OK)
		return dberr(h, path);
	sqlite3_busy_timeout(h->db, 5000);
	if ((rc = user_version(h, &v)) != QDA_OK || (rc = check_project(h, v)) != QDA_OK)
		return rc;
	if (readonly && v == N_MIGRATIONS)
		return configure(h);
	/* A project written by an older qda is upgraded on first open, by any
	 * command: opened for writing, migrated, then (for a reading command)
	 * read only. */
	sqlite3_close(h->db);
	h->db = NULL;
	h->readonly = 0;
	if (open_db(h, path, SQLITE_OPEN_READWRITE) != SQLITE_OK)
		return dberr(h, path);
	if (v < N_MIGRATIONS && sqlite3_db_readonly(h->db, "main") == 1)
		return seterr(h, QDA_EINPUT,
		              "%s was written by an older qda (schema %d); it is upgraded to schema %d when opened, which "
		              "needs write access: make it writable (chmod u+w) and run the command again",
		              path, v, N_MIGRATIONS);
	if ((rc = configure(h)) != QDA_OK || (rc = migrate(h)) != QDA_OK)
		return rc;
	if (!readonly)
		return QDA_OK;
	h->readonly = 1;
	return exec(h, "PRAGMA query_only = ON");
}

void qda_close(struct qda *h)
{
	if (!h)
		return;
	qda_rollback(h);
	kept_finalize(h);
	sqlite3_close(h->db);
	free(h->path);
	free(h->command);
	free(h->coder);
	free(h);
}

/* What the undo changeset records: not the log, the line index and turns
 * (they follow their document), nor SQLite's own tables; codings and
 * documents of a bulk command are found by their log_id instead. */
static int session_filter(void *ctx, const char *table)
{
	const struct qda *h = ctx;
	static const char *const never[] = { "log", "undo", "line", "turn" };
	size_t i;
	for (i = 0; i < sizeof never / sizeof never[0]; i++)
		if (strcmp(table, never[i]) == 0)
			return 0;
	if (strncmp(table, "sqlite_", 7) == 0 || strncmp(table, "line_fts", 8) == 0)
		return 0;
	if (h->bulk && (strcmp(table, "coding_all") == 0 || strcmp(table, "document_all") == 0))
		return 0;
	return 1;
}

static void session_end(struct qda *h)
{
	if (h->session)
		sqlite3session_delete(h->session);
	h->session = NULL;
}

enum qda_status qda_begin(struct qda *h, const char *command)
{
	enum qda_status rc;
	sqlite3_stmt *st;
	int r;

	if (h->in_tx)
		return seterr(h, QDA_EINVAL, "a transaction is already open");
	if ((rc = exec(h, "BEGIN IMMEDIATE")) != QDA_OK)
		return rc;
	h->in_tx = 1;
	h->bulk = 0;
	tx_fts_bulk_end(h);
	h->log_id = 0;
	free(h->command);
	h->command = command ? strdup(command) : NULL;
	if (command && !h->command) {
		rc = seterr(h, QDA_ENOMEM, "out of memory");
		goto fail;
	}
	/* The log row comes first: what the command makes carries its id. */
	if (!(st = prep(h, "INSERT INTO log(coder, command) VALUES (?, ?) RETURNING id"))) {
		rc = QDA_EDB;
		goto fail;
	}
	bind_text(st, 1, h->coder);
	bind_text(st, 2, h->command ? h->command : "qda");
	if ((r = step_row(h, st, "write the log")) > 0)
		h->log_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r <= 0) {
		rc = r < 0 ? QDA_EDB : seterr(h, QDA_EDB, "write the log: no id returned");
		goto fail;
	}
	if (h->no_undo)
		return QDA_OK;
	if (sqlite3session_create(h->db, "main", &h->session) != SQLITE_OK) {
		rc = dberr(h, "record changes for undo");
		goto fail;
	}
	sqlite3session_table_filter(h->session, session_filter, h);
	if (sqlite3session_attach(h->session, NULL) != SQLITE_OK) {
		rc = dberr(h, "record changes for undo");
		goto fail;
	}
	return QDA_OK;
fail:
	qda_rollback(h);
	return rc;
}

void tx_bulk(struct qda *h)
{
	h->bulk = 1;
}

/* A command adding many lines lets FTS5 gather 16 MiB of index in memory
 * before it writes a segment, rather than 1 MiB: fewer segments to write
 * and merge; and it writes through a page cache of 8 MiB rather than the
 * 64 MiB that reads are given, which spills sooner but costs less to keep
 * (measured on 1,000 transcripts: 5.9 s, 5.3 s with the FTS5 buffer, 4.8 s
 * with the smaller cache too). The cache is given back at the end. */
enum qda_status tx_fts_bulk(struct qda *h)
{
	enum qda_status rc;
	if (h->fts_sized)
		return QDA_OK;
	rc = exec(h, "INSERT INTO line_fts(line_fts, rank) VALUES ('hashsize', 16777216); PRAGMA cache_size = -8192");
	h->fts_sized = rc == QDA_OK;
	return rc;
}

void tx_fts_bulk_end(struct qda *h)
{
	if (h->fts_sized)
		sqlite3_exec(h->db, "PRAGMA cache_size = " CACHE_KIB, NULL, NULL, NULL);
	h->fts_sized = 0;
}

void tx_no_undo(struct qda *h)
{
	session_end(h);
}

long long tx_log_id(const struct qda *h)
{
	return h->in_tx ? h->log_id : 0;
}

/* Keep what undo needs: the changeset, and a row even when it is empty so
 * that a bulk command's codings and documents can be found by log_id. */
static enum qda_status save_undo(struct qda *h)
{
	sqlite3_stmt *st;
	void *cs = NULL;
	int n = 0;
	enum qda_status rc;

	if (!h->session)
		return QDA_OK;
	if (sqlite3session_changeset(h->session, &n, &cs) != SQLITE_OK)
		return dberr(h, "record changes for undo");
	if (!(st = prep(h, "INSERT INTO undo(log_id, changeset) VALUES (?, ?)"))) {
		sqlite3_free(cs);
		return QDA_EDB;
	}
	sqlite3_bind_int64(st, 1, h->log_id);
	if (n > 0)
		sqlite3_bind_blob(st, 2, cs, n, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	sqlite3_free(cs);
	return rc;
}

enum qda_status qda_commit(struct qda *h, const char *summary)
{
	sqlite3_stmt *st;
	enum qda_status rc;

	if (!h->in_tx)
		return seterr(h, QDA_EINVAL, "no transaction is open");
	if ((rc = save_undo(h)) != QDA_OK) {
		qda_rollback(h);
		return rc;
	}
	session_end(h);
	st = prep(h, "UPDATE log SET summary = ? WHERE id = ?");
	if (!st) {
		qda_rollback(h);
		return QDA_EDB;
	}
	bind_text(st, 1, summary ? summary : "");
	sqlite3_bind_int64(st, 2, h->log_id);
	rc = step_done(h, st);
	sqlite3_finalize(st);
	if (rc == QDA_OK)
		rc = exec(h, "COMMIT");
	if (rc != QDA_OK) {
		qda_rollback(h);
		return rc;
	}
	h->in_tx = 0;
	tx_fts_bulk_end(h);
	return QDA_OK;
}

void qda_rollback(struct qda *h)
{
	session_end(h);
	tx_fts_bulk_end(h);
	if (!h->in_tx)
		return;
	sqlite3_exec(h->db, "ROLLBACK", NULL, NULL, NULL);
	h->in_tx = 0;
}

enum qda_status query_int(struct qda *h, const char *sql, long long arg, long long *out)
{
	sqlite3_stmt *st = prep(h, sql);
	int r;
	if (!st)
		return QDA_EDB;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, arg);
	r = step_row(h, st, "read the project");
	if (r > 0)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r < 0)
		return QDA_EDB;
	if (r == 0)
		*out = 0;
	return QDA_OK;
}

const char *name_problem(const char *name, size_t max_chars)
{
	size_t len = name ? strlen(name) : 0, bad, i;

	if (!len)
		return "is empty";
	if (qda_text_check_utf8(name, len, &bad) != QDA_OK)
		return "is not valid UTF-8";
	if (isspace((unsigned char)name[0]) || isspace((unsigned char)name[len - 1]))
		return "starts or ends with a space";
	if (qda_text_cplen(name, len) > max_chars)
		return max_chars == 100 ? "is longer than 100 characters" : "is longer than 200 characters";
	for (i = 0; i < len; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return "has a control character";
	return NULL;
}

enum qda_status qda_coder_name_check(const char *name, char *why, size_t n)
{
	const char *msg = NULL;

	if (!name || !*name)
		msg = "a coder needs a name";
	else if (!(msg = name_problem(name, 100)) && strchr(name, ','))
		msg = "has a comma, which separates names in --coders A,B";
	if (msg && why)
		snprintf(why, n, "%s", msg);
	return msg ? QDA_EINPUT : QDA_OK;
}

enum qda_status coder_ensure(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	char why[128];
	int r;

	if (qda_coder_name_check(name, why, sizeof why) != QDA_OK)
		return seterr(h, QDA_EINPUT, "coder name '%s' %s; choose another (qda coders lists them)", name ? name : "",
		              why);
	/* look first: an INSERT that finds the name would still use up an id */
	if (!(st = prep_kept(h, "SELECT id FROM coder WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, name);
	r = step_row(h, st, "find coder");
	if (r > 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r != 0)
		return r < 0 ? QDA_EDB : QDA_OK;
	/* no RETURNING: its statement journal is a savepoint, at which FTS5
	 * writes out the text index it holds in memory (import makes a case
	 * per document) */
	if (!(st = prep(h, "INSERT INTO coder(name) VALUES (?)")))
		return QDA_EDB;
	bind_text(st, 1, name);
	if (step_row(h, st, "record coder") < 0)
		rc = QDA_EDB;
	else
		*id = sqlite3_last_insert_rowid(h->db);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status coder_id(struct qda *h, long long *id)
{
	if (!h->coder)
		return seterr(h, QDA_EINVAL,
		              "no coder: say who you are with --coder NAME or export QDA_CODER=NAME");
	return coder_ensure(h, h->coder, id);
}

enum qda_status case_ensure(struct qda *h, const char *name, long long *id)
{
	sqlite3_stmt *st;
	enum qda_status rc = QDA_OK;
	int r;

	if (!(st = prep_kept(h, "SELECT id FROM cases WHERE name = ?")))
		return QDA_EDB;
	bind_text(st, 1, name);
	r = step_row(h, st, "find case");
	if (r > 0)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (r != 0)
		return r < 0 ? QDA_EDB : QDA_OK;
	/* no RETURNING: its statement journal is a savepoint, at which FTS5
	 * writes out the text index it holds in memory (import makes a case
	 * per document) */
	if (!(st = prep(h, "INSERT INTO cases(name) VALUES (?)")))
		return QDA_EDB;
	bind_text(st, 1, name);
	if (step_row(h, st, "record case") < 0)
		rc = QDA_EDB;
	else
		*id = sqlite3_last_insert_rowid(h->db);
	sqlite3_finalize(st);
	return rc;
}

enum qda_status qda_log_list(struct qda *h, long limit, qda_log_fn fn, void *ctx)
{
	sqlite3_stmt *st = prep(h, "SELECT id, at, coalesce(coder, ''), command, summary, coalesce(undone_by, 0) FROM log "
	                           "ORDER BY id DESC LIMIT ?");
	int r;
	if (!st)
		return QDA_EDB;
	sqlite3_bind_int64(st, 1, limit > 0 ? limit : -1);
	while ((r = step_row(h, st, "read the log")) > 0) {
		struct qda_log_row row = {
			sqlite3_column_int64(st, 0),
			(const char *)sqlite3_column_text(st, 1),
			(const char *)sqlite3_column_text(st, 2),
			(const char *)sqlite3_column_text(st, 3),
			(const char *)sqlite3_column_text(st, 4),
			sqlite3_column_int64(st, 5),
		};
		if (fn(ctx, &row))
			break;
	}
	sqlite3_finalize(st);
	return r < 0 ? QDA_EDB : QDA_OK;
}

void guid_new(struct qda *h, char out[GUID_SIZE])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	struct timespec ts;
	uint64_t ms, lo;
	int i, k;

	if (!h->guid_seeded) {
		uint64_t r[2];
		sqlite3_randomness(sizeof r, r);
		h->guid_count_hi = r[0] & 0xfff;
		h->guid_count_lo = r[1] & 0x3fffffffffffffffull;
		h->guid_seeded = 1;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
	/* RFC 9562's monotonic counter: never back in time (a clock set
	 * back), and within a millisecond the 74-bit counter goes up by one
	 * (its random start keeps two projects' GUIDs apart) */
	if (ms < h->guid_ms)
		ms = h->guid_ms;
	if (++h->guid_count_lo > 0x3fffffffffffffffull) {
		h->guid_count_lo = 0;
		if (++h->guid_count_hi > 0xfff) {
			h->guid_count_hi = 0;
			ms++;
		}
	}
	h->guid_ms = ms;
	for (i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | (h->guid_count_hi >> 8));
	b[7] = (unsigned char)h->guid_count_hi;
	lo = h->guid_count_lo;
	b[8] = (unsigned char)(0x80 | (lo >> 56));
	for (i = 9; i < 16; i++)
		b[i] = (unsigned char)(lo >> (8 * (15 - i)));
	for (i = k = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[k++] = '-';
		out[k++] = hex[b[i] >> 4];
		out[k++] = hex[b[i] & 15];
	}
	out[k] = '\0';
}
