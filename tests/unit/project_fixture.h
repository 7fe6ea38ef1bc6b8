/* project_fixture.h — fresh projects for the unit tests: a new project file
 * in /tmp filled by a fixture's SQL, removed again by close_fixture().
 * Define FIXTURE_NAME (it names the file) and include once per test file;
 * the helpers are static inline so that a test need not use them all. */
#define COUNTING_SQL "tests/fixtures/counting/project.sql"

static char path[256];

/* The whole of `file`, NUL-terminated (the tests run from the top of the
 * tree); the caller frees it. */
static inline char *fixture_read(const char *file)
{
	FILE *fp = fopen(file, "rb");
	char *text;
	long n;
	if (!fp)
		fail_msg("%s: cannot open", file);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	text = calloc(1, (size_t)n + 1);
	assert_non_null(text);
	assert_int_equal(fread(text, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	return text;
}

/* A new project at `path` holding what `sql` puts in it. */
static inline struct qda *fixture_project_sql(const char *sql)
{
	struct qda *h = NULL;
	snprintf(path, sizeof path, "/tmp/qda-test-%s-%d.qda", FIXTURE_NAME, (int)getpid());
	unlink(path);
	if (qda_init(path, &h) != QDA_OK || exec(h, sql) != QDA_OK)
		fail_msg("%s: %s", path, qda_errmsg(h));
	return h;
}

/* A new project at `path` loaded from the SQL fixture `file`. */
static inline struct qda *fixture_project(const char *file)
{
	char *sql = fixture_read(file);
	struct qda *h = fixture_project_sql(sql);
	free(sql);
	return h;
}

/* The counting project shared by freq, cooccur, review and merge: 3 cases
 * (C1 with two documents), 4 documents, a theme tree t > s > a, b; t > c;
 * u > uu; two coders, overlapping codings, and one coding inside an
 * interviewer turn. */
static inline struct qda *open_fixture(void)
{
	return fixture_project(COUNTING_SQL);
}

static inline void close_fixture(struct qda *h)
{
	char p[300];
	qda_close(h);
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
}

/* The first column of the one row `sql` returns. */
static inline long scalar(struct qda *h, const char *sql)
{
	sqlite3_stmt *st = prep(h, sql);
	long v;
	assert_non_null(st);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return v;
}
