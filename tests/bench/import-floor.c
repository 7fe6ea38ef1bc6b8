/* import-floor.c — the floor of qda import's bench: the rows qda's schema
 * asks of an import, written by plain prepared statements into a project
 * made by qda init, with no text processing at all (no UTF-8 check, no
 * normalisation, no speaker turns, no case, no hash, no undo record). Per
 * file: one document row holding the text, one line row per line (its code
 * point span) and one line_fts row per non-empty line, all in one
 * transaction in the settings qda import uses (WAL, 16 KiB pages, its page
 * cache and FTS5 buffer). What qda takes beyond this is its own work; what this takes
 * beyond the sqlite3 shell's readfile() into one FTS5 row per document is
 * what line numbers and line-level search cost.
 * Build: cc -O3 -o import-floor import-floor.c $(pkg-config --cflags --libs sqlite3)
 * Run:   import-floor PROJECT FILE... */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void die(sqlite3 *db, const char *what)
{
	fprintf(stderr, "import-floor: %s: %s\n", what, db ? sqlite3_errmsg(db) : "cannot read");
	exit(1);
}

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		die(db, sql);
	return st;
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
	if (sqlite3_step(st) != SQLITE_DONE)
		die(db, sqlite3_sql(st));
	sqlite3_reset(st);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;
	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) || !(s = malloc((size_t)n + 1)) ||
	    fread(s, 1, (size_t)n, f) != (size_t)n)
		die(NULL, path);
	fclose(f);
	*len = (size_t)n;
	return s;
}

int main(int argc, char **argv)
{
	sqlite3 *db;
	sqlite3_stmt *doc, *line, *fts;
	int i;
	if (argc < 3) {
		fprintf(stderr, "usage: import-floor PROJECT FILE...\n");
		return 2;
	}
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		die(db, argv[1]);
	if (sqlite3_exec(db,
	                 "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -8192;"
	                 " PRAGMA temp_store = MEMORY; BEGIN IMMEDIATE;"
	                 " INSERT INTO line_fts(line_fts, rank) VALUES ('hashsize', 16777216)",
	                 NULL, NULL, NULL) != SQLITE_OK)
		die(db, "begin");
	doc = prep(db, "INSERT INTO document_all(name, format, source, source_hash, text_hash, text, length, lines, words)"
	               " VALUES (?1, 'txt', ?1, '', ?1, ?2, 0, 0, 0)");
	line = prep(db, "INSERT INTO line(doc_id, n, start, end) VALUES (?, ?, ?, ?)");
	fts = prep(db, "INSERT INTO line_fts(rowid, text) VALUES (?, ?)");
	for (i = 2; i < argc; i++) {
		size_t len, pos, cp = 0, n = 0;
		char *text = slurp(argv[i], &len);
		sqlite3_int64 doc_id;
		sqlite3_bind_text(doc, 1, argv[i], -1, SQLITE_STATIC);
		sqlite3_bind_text(doc, 2, text, (int)len, SQLITE_STATIC);
		step(db, doc);
		doc_id = sqlite3_last_insert_rowid(db);
		for (pos = 0; pos < len;) {
			const char *nl = memchr(text + pos, '\n', len - pos);
			size_t end = nl ? (size_t)(nl - text) : len, k, cps = 0;
			for (k = pos; k < end; k++)
				cps += ((unsigned char)text[k] & 0xC0) != 0x80;
			sqlite3_bind_int64(line, 1, doc_id);
			sqlite3_bind_int64(line, 2, (sqlite3_int64)++n);
			sqlite3_bind_int64(line, 3, (sqlite3_int64)cp);
			sqlite3_bind_int64(line, 4, (sqlite3_int64)(cp + cps));
			step(db, line);
			if (end > pos) {
				sqlite3_bind_int64(fts, 1, sqlite3_last_insert_rowid(db));
				sqlite3_bind_text(fts, 2, text + pos, (int)(end - pos), SQLITE_STATIC);
				step(db, fts);
			}
			cp += cps + 1;
			pos = end + 1;
		}
		free(text);
	}
	sqlite3_finalize(doc);
	sqlite3_finalize(line);
	sqlite3_finalize(fts);
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		die(db, "commit");
	sqlite3_close(db);
	return 0;
}
